"""What the copies of one document share: the template's output that does not depend on ``copy``.

A document is printed in copies (the employer's, the employee's) that differ only where the
template reads ``copy`` (the copy mark, the acknowledgment sheet's receipt line). Rendering the
template again for each copy repeats the rest: the whole text of the instruction.

So the top-level statements of a template that cannot depend on ``copy`` are rendered once per
document (:func:`wrap_copy_free_runs`, at compile time) and their output is reused by the later
copies (:class:`SharedOutput`, at render time). The proof has two halves:

- **static** (here): a shared statement loads neither ``copy`` nor any name a statement that
  reads ``copy`` (or includes, imports or extends a template, which see ``copy``) assigns, nor
  one a statement after it assigns (in a macro, which a shared run is, Jinja reads such a name
  as the template's variable not yet set, not the context's); it assigns no name itself,
  includes nothing, reads no context through ``self``, ``caller`` or a filter that takes the
  context, and draws no random value (nor loads a name a statement that draws one assigns);
- **dynamic** (:mod:`jobdesc.render.templates`): objects are the other way state passes between
  statements, so a render that changes one (a list's ``append``, a namespace's attribute, a
  cycler's step: any call that is not known to change nothing) stops the sharing — for every
  later copy when it happens in the first, from there on when in a later one. An iterator (what
  ``|reverse``, ``|map``, ``|select`` give) changes as it is read, without a call: a run reached
  while a name of the template holds one, or anything but known values, stops the sharing too.

A template that fails either test is rendered whole for each copy, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Environment, nodes
from jinja2.utils import _PassArg

ONCE = "share_copy_free"  # the environment's method a shared run of statements calls

# Names through which a statement reads what it was not given by name.
_CONTEXT_NAMES = frozenset({"copy", "self", "super", "caller", "varargs", "kwargs"})
# Statements that assign names, or render another template with the whole context.
_BINDING = (nodes.Assign, nodes.AssignBlock, nodes.Macro, nodes.Import, nodes.FromImport)
_WITH_CONTEXT = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block)
_NEVER_SHARED = (
    *_BINDING,
    *_WITH_CONTEXT,
    nodes.CallBlock,
    nodes.ContextReference,
    nodes.DerivedContextReference,
    nodes.Scope,
    nodes.OverlayScope,
    nodes.EvalContextModifier,
    nodes.ScopedEvalContextModifier,
)
_RANDOM_FILTERS = frozenset({"random", "shuffle"})


class SharedOutput:
    """The shared statements' output of one document's copies: filled by the first copy, read by
    the later ones (see the module's docstring for when it may not be)."""

    def __init__(self, template: str) -> None:
        self.template = template  # only the document's own template shares (not what it includes)
        self.outputs: dict[str, str] = {}
        self.filled = False  # the first copy has been rendered
        self.usable = True  # … without changing any object, and reaching each shared run once


def wrap_copy_free_runs(template: nodes.Template, name: str, environment: Environment) -> nodes.Template:
    """``template`` with each run of top-level statements that cannot depend on ``copy`` wrapped
    in a call of ``environment``'s :data:`ONCE` (keyed ``NAME#INDEX``); unchanged when the
    template extends another."""
    filters, tests = environment.filters, environment.tests
    statements = [_Statement(node) for node in template.body]
    if any(isinstance(inner, nodes.Extends) for statement in statements for inner in statement.nodes):
        return template
    tainted = _tainted_names(statements)
    body: list[nodes.Node] = []
    run: list[nodes.Node] = []

    def close_run() -> None:
        if any(not _blank(node) for node in run):
            lineno = run[0].lineno
            key = nodes.Const(f"{name}#{len(body)}", lineno=lineno)
            method = nodes.EnvironmentAttribute(ONCE, lineno=lineno)
            context = nodes.ContextReference(lineno=lineno)  # its names: does one hold an iterator?
            call = nodes.Call(method, [key, context], [], None, None, lineno=lineno)
            block = nodes.CallBlock(call, [], [], list(run), lineno=lineno)
            for new in (key, method, context, call, block):  # as the parser sets it on the nodes it makes
                new.environment = environment
            body.append(block)
        else:
            body.extend(run)
        run.clear()

    later: set[str] = set()  # the names assigned by the statements after each one
    assigned_later = []
    for statement in reversed(statements):
        assigned_later.append(set(later))
        later |= statement.assigned
    for statement, after in zip(statements, reversed(assigned_later)):
        # (a shared run is a macro to Jinja: in it, a name the template assigns later is that
        # variable, not yet set, where the statement alone reads the context's)
        if statement.shareable(tainted | after, filters, tests):
            run.append(statement.node)
        else:
            close_run()
            body.append(statement.node)
    close_run()
    template.body = body
    return template


class _Statement:
    """A top-level statement and what it reads and assigns (one walk of its nodes)."""

    def __init__(self, node: nodes.Node) -> None:
        self.node = node
        self.nodes = _walk(node)
        self.loads = {n.name for n in self.nodes if isinstance(n, nodes.Name) and n.ctx == "load"}
        self.loads.update(n.name for n in self.nodes if isinstance(n, nodes.NSRef))  # a namespace assigned into is read
        self.with_context = any(isinstance(n, _WITH_CONTEXT) for n in self.nodes)
        self.assigned = _assigned(n for n in self.nodes if isinstance(n, _BINDING))
        # a random value (``|random``, also named as ``map("random")``) differs from copy to copy
        self.draws_random = any(
            isinstance(n, nodes.Filter)
            and n.name in _RANDOM_FILTERS
            or isinstance(n, nodes.Const)
            and isinstance(n.value, str)
            and n.value in _RANDOM_FILTERS
            for n in self.nodes
        )

    def shareable(self, tainted: set[str], filters: dict, tests: dict) -> bool:
        """Whether the statement's output is the same in every copy (the static half)."""
        if self.loads & (tainted | _CONTEXT_NAMES):
            return False
        for inner in self.nodes:
            if isinstance(inner, _NEVER_SHARED):
                return False
            if isinstance(inner, (nodes.Filter, nodes.Test)):
                known = (filters if isinstance(inner, nodes.Filter) else tests).get(inner.name)
                if known is None or inner.name in _RANDOM_FILTERS or _PassArg.from_obj(known) is _PassArg.context:
                    return False
        return True


def _walk(node: nodes.Node) -> list[nodes.Node]:
    """``node`` and every node inside it, each visited once (Jinja's ``find_all`` passes each
    node up through a generator per level)."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.iter_child_nodes())
    return found


def _tainted_names(statements: list[_Statement]) -> set[str]:
    """``copy`` and every name assigned by a top-level statement that may depend on it, or that
    draws a random value (to a fixed point)."""
    tainted = {"copy"}
    while True:
        grown = set(tainted)
        for statement in statements:
            if statement.with_context or statement.draws_random or statement.loads & grown:
                grown |= statement.assigned
        if grown == tainted:
            return tainted
        tainted = grown


def _assigned(bindings: Iterable[nodes.Node]) -> set[str]:
    """The names statements may assign in the template's scope (conservatively: anywhere inside)."""
    found: set[str] = set()
    for binding in bindings:
        if isinstance(binding, (nodes.Assign, nodes.AssignBlock)):
            target = binding.target
            found.update(n.name for n in _walk(target) if isinstance(n, (nodes.Name, nodes.NSRef)))
        elif isinstance(binding, nodes.Macro):
            found.add(binding.name)
        elif isinstance(binding, nodes.Import):
            found.add(binding.target)
        elif isinstance(binding, nodes.FromImport):
            found.update(name if isinstance(name, str) else name[1] for name in binding.names)
    return found


def _blank(node: nodes.Node) -> bool:
    """Output of nothing but whitespace: not worth sharing."""
    return isinstance(node, nodes.Output) and all(
        isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes
    )
