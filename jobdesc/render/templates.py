"""The sandboxed Jinja environment that turns a role into Markdown.

The templates and the styles file ship in the package (``jobdesc/templates/``); a project
overrides any of them with a file of the same name in its own ``templates/`` folder.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, wraps
from pathlib import Path

import jinja2
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemBytecodeCache,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    nodes,
)
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.visitor import NodeTransformer

from jobdesc.disk import cache
from jobdesc.disk.reading import InputRefused, read_input
from jobdesc.errors import Problem, TemplateProblem, rephrase
from jobdesc.language import ru, titles
from jobdesc.language.names import surname_initials_dative
from jobdesc.render import PACKAGE_TEMPLATES
from jobdesc.render.copies import ONCE, SharedOutput, wrap_copy_free_runs
from jobdesc.render.markdown import escape

Read = Callable[[Path, int, "Path | None"], bytes]  # the door: read_input, or a project's ProjectFiles.read

STYLES_FILE = "styles.docx"
SHOWN_FOLDER = "templates"  # how messages name the templates folder
PACKAGE_PREFIX = "jobdesc"  # {% extends "jobdesc/NAME" %} reaches the shipped template from an override


def template_file(folder: Path, name: str) -> Path:
    """The file that ``name`` (a template or the styles file) resolves to: the project's, else the
    shipped one. The project's is there when anything of that name is (a pipe, a folder, a link
    out or to nothing: refused when read, never replaced by the shipped file unsaid)."""
    own = folder / name
    return own if os.path.lexists(own) else PACKAGE_TEMPLATES / name


def template_names(folder: Path) -> list[str]:
    """Every template (``*.j2``, subfolders too) of the project folder and the package, by name."""
    names = {
        path.relative_to(layer).as_posix()
        for layer in (folder, PACKAGE_TEMPLATES)
        if layer.is_dir()
        for path in layer.rglob("*.j2")
        if path.is_file()
    }
    return sorted(names)


def shown_name(folder: Path, path: Path) -> str:
    """How messages name a template file: ``templates/NAME`` in the project, ``jobdesc/templates/NAME`` shipped."""
    layers = ((folder, SHOWN_FOLDER), (PACKAGE_TEMPLATES, f"{PACKAGE_PREFIX}/{SHOWN_FOLDER}"))
    for resolve in (False, True):  # a link is named where it is, not where it leads
        for layer, prefix in layers:
            try:
                if resolve:
                    return f"{prefix}/{path.resolve().relative_to(layer.resolve()).as_posix()}"
                return f"{prefix}/{Path(os.path.abspath(path)).relative_to(os.path.abspath(layer)).as_posix()}"
            except ValueError:
                continue
    return str(path)


def shown_template(folder: Path, name: str) -> str:
    """How messages name template ``name`` (the file it resolves to)."""
    if name.startswith(f"{PACKAGE_PREFIX}/"):
        return f"{PACKAGE_PREFIX}/{SHOWN_FOLDER}/{name.removeprefix(PACKAGE_PREFIX + '/')}"
    return shown_name(folder, template_file(folder, name))


# Templates are code that HR edits: what one document's rendering may use at most.
MAX_TEMPLATE_BYTES = 1024 * 1024
RENDER_SECONDS = 10  # wall clock, per document
MAX_ITERATIONS = 200_000  # loop steps, per document
MAX_RANGE = 100_000  # items of one range(), and the largest number a size argument may be
MAX_LENGTH = 1_000_000  # characters of a text (items of a list) made by *, +, ~ or a filter
MAX_OUTPUT = 10_000_000  # characters of one rendered document
MAX_PRODUCED = 50_000_000  # characters (list items) made by all operators, calls and filters of one document
MAX_DEPTH = 50  # nested calls: a macro calling itself
MAX_INT_BITS = 4096  # numbers: 10 ** (10 ** 10) is refused before it is computed


class RunawayTemplate(TemplateError):
    """A template that went past one of the limits above (the message is Russian)."""


class _Loader(BaseLoader):
    """Templates from one folder: regular files of bounded size that do not lead out of the project.

    ``shown``: how messages name the folder (``templates`` or ``jobdesc/templates``).
    """

    def __init__(self, folder: Path, shown: str, read: Read = read_input) -> None:
        self.folder, self.shown, self.read = folder, shown, read

    def get_source(self, environment, template: str) -> tuple[str, str, Callable[[], bool]]:  # noqa: ANN001
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise TemplateNotFound(template)
        try:
            data = self.read(path, MAX_TEMPLATE_BYTES, self.folder.parent)
        except InputRefused as exc:
            raise TemplateProblem(Problem(f"{self.shown}/{template}", None, "", exc.reason)) from None
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TemplateProblem(
                Problem(f"{self.shown}/{template}", line, "", "файл не в кодировке UTF-8: сохраните его в UTF-8")
            ) from None
        return source, str(path), lambda: True


class _Budget:
    """What one document has used of the limits."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.iterations = 0
        self.depth = 0
        self.produced = 0
        self.changed = False  # a call or an assignment changed an object (see jobdesc.render.copies)
        self.shared_runs: set[str] = set()  # the shared runs of statements reached

    def spend(self, result: object) -> None:
        """Count what an operation made: many texts below the length limit still add up."""
        self.produce(_size(result))

    def produce(self, size: int) -> None:
        """Count ``size`` characters made (or written: a run shared by the copies is joined in
        memory before it is streamed, see :mod:`jobdesc.render.copies`)."""
        self.produced += size
        if self.produced > MAX_PRODUCED:
            raise RunawayTemplate(
                f"шаблон создает слишком много текста (больше {MAX_PRODUCED} символов на документ): "
                "возможно, цикл, который наращивает текст или список"
            )

    def tick(self, steps: int = 1) -> None:
        self.iterations += steps
        if self.iterations > MAX_ITERATIONS:
            raise RunawayTemplate(
                f"слишком много повторений в циклах (больше {MAX_ITERATIONS} на документ): "
                "возможно, вложенные циклы или цикл по слишком большому диапазону"
            )
        if time.monotonic() > self.deadline:
            raise RunawayTemplate(
                f"документ не собран за {RENDER_SECONDS} с: шаблон выполняется слишком долго (бесконечный или огромный цикл?)"
            )


class _LimitedRange:
    """``range()`` for templates: at most :data:`MAX_RANGE` items, each step counted."""

    def __init__(self, budget: Callable[[], _Budget], items: range) -> None:
        self._budget, self._items = budget, items

    def __iter__(self) -> Iterator[int]:
        budget = self._budget()
        for item in self._items:
            budget.tick()
            yield item

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):  # noqa: ANN001, ANN204
        return self._items[index]

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __reversed__(self) -> Iterator[int]:
        return iter(_LimitedRange(self._budget, self._items[::-1]))


def _too_long() -> RunawayTemplate:
    return RunawayTemplate(f"слишком длинный результат (больше {MAX_LENGTH} символов или элементов списка)")


def _size(value: object) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _text_cost(value: object, limit: int = MAX_LENGTH) -> int:
    """About how many characters ``str(value)`` would make (items of nested lists, tuples, dicts and
    namespaces counted, shared ones each time), counting no further than just past ``limit``:
    ``[[0] * 99999] * 99999`` is small in memory and 30 GB as text."""
    cost = 0
    stack = [value]
    while stack and cost <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            cost += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            cost += 2 + len(item)
            stack.extend(item if len(item) <= limit else list(item)[: limit + 1])
        elif isinstance(item, dict):
            cost += 2 + 2 * len(item)
            stack.extend(list(item.items())[: limit + 1])
        elif isinstance(item, Namespace):
            attrs = getattr(item, "_Namespace__attrs", {})
            cost += 16 + 2 * len(attrs)
            stack.extend(list(attrs.items())[: limit + 1])
        else:
            cost += 8
    return cost


def _check_text(*values: object) -> None:
    """Refuse a value whose text would be too long, before it is made."""
    for value in values:
        if not isinstance(value, (int, float, bool)) and value is not None and _text_cost(value) > MAX_LENGTH:
            raise _too_long()


_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\d+|\*)?(?:\.(\d+))?")
_BRACE_WIDTH = re.compile(r"\{[^{}]*:[^{}]*?(\d+)[^{}]*\}")


_NESTED_WIDTH = re.compile(r"\{[^{}]*:[^{}]*\{")


def _check_format(text: object, values: object = ()) -> None:
    """A printf or str.format pattern whose width would make a huge text: written in the pattern,
    or given among ``values`` (``%*s``, ``{a:>{w}}``)."""
    if not isinstance(text, str):
        return
    widths = [int(n) for found in _PERCENT_WIDTH.finditer(text) for n in found.groups() if n and n.isdigit()]
    widths += [int(found.group(1)) for found in _BRACE_WIDTH.finditer(text)]
    if "*" in text or _NESTED_WIDTH.search(text):  # the width comes with the values
        if isinstance(values, dict):
            values = list(values.values())
        elif not isinstance(values, (list, tuple)):
            values = [values]
        widths += [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if any(width > MAX_RANGE for width in widths):
        raise RunawayTemplate(f"слишком большая ширина в шаблоне форматирования (больше {MAX_RANGE})")


def _check_arguments(args: Iterable[object]) -> None:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_RANGE:
            raise RunawayTemplate(f"слишком большое число {value} в вызове (предел {MAX_RANGE})")
        if _text_cost(value) > MAX_LENGTH:
            raise _too_long()


class _Sandbox(SandboxedEnvironment):
    """The sandbox with limits on loops, repetition, powers, recursion and time (see the constants)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/"})  # also keeps them from compile-time folding

    def __init__(self, *args, share_copies: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.budget = _Budget()
        self.globals["range"] = self.limited_range
        self.globals["namespace"] = _namespace_class(self)
        self.share_copies = share_copies  # compile copy-free statements to be shared (jobdesc.render.copies)
        self.sharing: SharedOutput | None = None  # what the copies of the document being rendered share

    def share_copy_free(self, key: str, context: Context, caller: Callable[[], str]) -> str:
        """A run of statements that cannot depend on ``copy`` (:func:`~jobdesc.render.copies.wrap_copy_free_runs`):
        rendered by the first copy, reused by the later ones while nothing has changed an object
        (and no name of the template holds what may change without a call, see :func:`_settled`)."""
        shared, budget = self.sharing, self.budget
        if shared is None or not shared.usable or not key.startswith(shared.template + "#"):
            return caller()
        if not _settled(context.vars.values()):
            shared.usable = False
            return caller()
        if key in budget.shared_runs:  # reached again in one copy: the template includes itself
            shared.usable = False
            return caller()
        budget.shared_runs.add(key)
        if not shared.filled:
            output = shared.outputs[key] = caller()
            return output
        if budget.changed or key not in shared.outputs:
            return caller()
        return shared.outputs[key]

    def limited_range(self, *args: int) -> _LimitedRange:
        items = range(*args)
        if len(items) > MAX_RANGE:
            raise RunawayTemplate(f"слишком большой диапазон range(): {len(items)} чисел, предел {MAX_RANGE}")
        return _LimitedRange(lambda: self.budget, items)

    def limited_iter(self, iterable: Iterable, text: int = 0) -> Iterator:
        """What every ``{% for %}`` loops over: each step counted against the budget, and the
        ``text`` characters its body writes as they stand in the template (a value it prints is
        counted by the finalizer)."""
        budget = self.budget
        if isinstance(iterable, _LimitedRange):
            for item in iterable:  # (each step counted by the range)
                if text:
                    budget.produce(text)
                yield item
            return
        for item in iterable:
            budget.tick()
            if text:
                budget.produce(text)
            yield item

    def limited_concat(self, *parts: object) -> str:
        """The ``~`` operator, limited in length."""
        _check_text(*parts)
        texts = [str(part) for part in parts]
        if sum(map(len, texts)) > MAX_LENGTH:
            raise _too_long()
        result = "".join(texts)
        self.budget.spend(result)
        return result

    def _parse(self, source, name, filename):  # noqa: ANN001, ANN202 - Jinja's signature
        """Every loop iterates through :meth:`limited_iter`, every ``~`` goes through :meth:`limited_concat`;
        the statements that cannot depend on ``copy`` are shared by the copies (:meth:`share_copy_free`)."""
        template = _Guard().visit(super()._parse(source, name, filename))
        if self.share_copies:
            wrap_copy_free_runs(template, name or "", self)
        return template

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN201
        """Compile a template; nesting too deep for Python is a syntax error of the template, with its line."""
        try:
            return super().compile(source, name, filename, raw, defer_init)
        except (RecursionError, SyntaxError, MemoryError) as exc:
            if isinstance(exc, TemplateSyntaxError):
                raise
            text = source if isinstance(source, str) else ""
            raise TemplateSyntaxError(
                "слишком глубокая вложенность (скобок, циклов или блоков): упростите шаблон",
                _deepest_line(text),
                name,
                filename,
            ) from None

    def getattr(self, obj, attribute):  # noqa: ANN001, ANN201 - Jinja's signature
        """``obj.attribute`` in a template: a public field of jobdesc's own data (a role, an approval
        …) that holds text, a number, a tuple or more of jobdesc's data is what the sandbox would
        give, without its checks (most of what a template reads); anything else goes through them."""
        if attribute[:1] != "_" and _own_data(type(obj)):
            value = getattr(obj, attribute, _MISSING)
            if type(value) in _PLAIN or _own_data(type(value)):
                return value
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value):  # noqa: ANN001, ANN201 - Jinja's signature
        """``str.format`` with its pattern checked for huge widths."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        pattern = value.__self__
        _check_format(pattern)

        def checked(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - widths given with the values
            mapping = args[0] if args and isinstance(args[0], dict) else {}
            _check_format(pattern, [*args, *kwargs.values(), *mapping.values()])
            _check_text(*mapping.values())
            return wrapped(*args, **kwargs)

        return checked

    def call_binop(self, context, operator_name: str, left, right):  # noqa: ANN001, ANN201
        self.budget.tick(0)
        if operator_name == "**":
            _check_power(left, right)
        elif operator_name == "*":
            for sequence, count in ((left, right), (right, left)):
                if _size(sequence) and isinstance(count, int) and _size(sequence) * count > MAX_LENGTH:
                    raise _too_long()
        elif operator_name == "+":
            if _size(left) + _size(right) > MAX_LENGTH:
                raise _too_long()
        elif operator_name == "%":
            _check_format(left, right)
            _check_text(right)
        result = self.binop_table[operator_name](left, right)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise RunawayTemplate(f"слишком большое число (больше {MAX_INT_BITS} двоичных разрядов)")
        self.budget.spend(result)
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204, N805 - Jinja's
        if getattr(__obj, "__func__", None) is _SHARED_RUN:  # not a call of the template's: its statements count
            return __obj(*args, **kwargs)
        __self.budget.tick(0)
        if getattr(__obj, "__func__", None) not in _CHECKING_THEMSELVES:
            _check_arguments((*args, *kwargs.values()))
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and args:
            _check_growth(getattr(__obj, "__name__", ""), owner, args)
        if __self.budget.depth >= MAX_DEPTH:
            raise RunawayTemplate(f"слишком глубокие вложенные вызовы (больше {MAX_DEPTH}): макрос вызывает сам себя?")
        __self.budget.depth += 1
        if not __self.budget.changed and not _changes_nothing(__obj):
            __self.budget.changed = True
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.budget.depth -= 1
        if _size(result) > MAX_LENGTH:
            raise _too_long()
        __self.budget.spend(result)
        return result


_MISSING = object()
_PLAIN = frozenset({str, int, float, bool, type(None), tuple})  # what the sandbox returns as it is from any object


_OWN_DATA: dict[type, bool] = {}


def _own_data(cls: type) -> bool:
    """Whether ``cls`` is one of jobdesc's data classes (a dataclass of the package, not a type or
    a function): their public fields hold data, never Python's internals."""
    known = _OWN_DATA.get(cls)
    if known is None:
        known = _OWN_DATA[cls] = dataclasses.is_dataclass(cls) and cls.__module__.startswith("jobdesc.")
    return known


def _namespace_class(env: _Sandbox) -> type:
    """``namespace()`` for templates: assigning an attribute (``{% set ns.n = … %}``) is a change
    of an object, counted in the budget of the document being rendered."""

    class TemplateNamespace(Namespace):
        def __setitem__(self, name: str, value: object) -> None:
            env.budget.changed = True
            super().__setitem__(name, value)

    return TemplateNamespace


# What a template calls that changes no object it did not make: its own macros (whose calls are
# counted one by one), jobdesc's limits and sharing, new objects, and the methods of values that
# cannot change. Anything else (a list's append, a cycler's next) may have changed one.
_UNCHANGING_VALUES = (str, bytes, int, float, complex, tuple, frozenset, range, LoopContext)
_NEW_OBJECTS = frozenset({dict, list, tuple, Cycler, Joiner})  # (and namespace(), see _changes_nothing)


def _changes_nothing(obj: object) -> bool:
    """Whether calling ``obj`` from a template surely changes no object (see :mod:`jobdesc.render.copies`)."""
    if isinstance(obj, Macro) or obj is agree or obj in _NEW_OBJECTS:
        return True
    if getattr(obj, "__func__", None) in _OWN_CALLS:
        return True
    if isinstance(obj, type) and issubclass(obj, Namespace):
        return True
    owner = getattr(obj, "__self__", None)
    if owner is None or isinstance(owner, type):
        return False
    if isinstance(owner, _UNCHANGING_VALUES) or _frozen_data(type(owner)):
        return True
    return isinstance(owner, (list, dict, set)) and getattr(obj, "__name__", "") in _READING_METHODS


# The methods of a list, dict or set that change nothing (not Jinja's list of those that change
# one: a list's pop and clear joined it only in Jinja 3.1.5).
_READING_METHODS = frozenset(
    {"copy", "count", "index", "get", "keys", "values", "items"}
    | {"union", "intersection", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint"}
)


# Values that cannot change without a call (a call is tracked), or change only through one; what
# :func:`_settled` looks into; anything else (an iterator: read, it is used up) may.
_SETTLED_VALUES = (str, bytes, int, float, complex, bool, type(None), range, _LimitedRange, Macro, Undefined, Joiner)
_SETTLED_WALK = 10_000  # values looked at, at most: past that, as if one might change


def _settled(values: Iterable[object]) -> bool:
    """Whether ``values`` (the template's names) hold only values that change through calls alone:
    no iterator, in them or in their lists, dicts, namespaces or cyclers."""
    stack = list(values)
    for _ in range(_SETTLED_WALK):
        if not stack:
            return True
        value = stack.pop()
        if isinstance(value, _SETTLED_VALUES) or _own_data(type(value)):
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, Namespace):
            stack.extend(getattr(value, "_Namespace__attrs", {}).values())
        elif isinstance(value, Cycler):
            stack.extend(value.items)
        else:
            return False
    return False


def _frozen_data(cls: type) -> bool:
    params = getattr(cls, "__dataclass_params__", None)
    return params is not None and params.frozen and _own_data(cls)


# Calls whose arguments are not measured first: range() checks its size itself, and a loop makes no
# text of what it loops over (each step is counted, each item printed is measured).
_CHECKING_THEMSELVES = frozenset({_Sandbox.limited_range, _Sandbox.limited_iter})
# The call that wraps a run of statements shared by the copies (jobdesc.render.copies) is none of the
# template's: no level of nesting, no result measured (what its statements write is, one by one).
_SHARED_RUN = getattr(_Sandbox, ONCE)
_OWN_CALLS = frozenset({_Sandbox.limited_range, _Sandbox.limited_iter, _Sandbox.limited_concat})


class _Guard(NodeTransformer):
    """Rewrites a parsed template so that its loops and ``~`` are limited."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 - NodeTransformer's naming
        self.generic_visit(node)
        text = nodes.Const(_template_text(node.body), lineno=node.iter.lineno)
        node.iter = _environment_call("limited_iter", [node.iter, text], node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _environment_call("limited_concat", node.nodes, node.lineno)


def _template_text(body: list[nodes.Node]) -> int:
    """The characters of template text (and of constants printed, which Jinja writes as text) a
    loop's body writes at each step, the loops inside it (which count their own) left out."""
    size, stack = 0, list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            size += len(node.data)
        elif isinstance(node, nodes.Output):
            size += sum(
                len(child.value)
                for child in node.nodes
                if isinstance(child, nodes.Const) and isinstance(child.value, str)
            )
            stack.extend(node.nodes)
        elif not isinstance(node, nodes.For):
            stack.extend(node.iter_child_nodes())
    return size


def _environment_call(method: str, args: list, lineno: int) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(method, lineno=lineno), args, [], None, None, lineno=lineno)
    return call


def _deepest_line(text: str) -> int:
    """The line where brackets and ``{% … %}`` blocks are nested deepest."""
    depth = deepest = 0
    line = best = 1
    for found in _NESTING.finditer(text):
        token = found.group()
        if token == "\n":
            line += 1
        elif token.startswith("{%"):
            depth += -1 if token.lstrip("{%- \t").startswith("end") else 1
        elif len(token) == 1:
            depth += 1 if token in "([{" else -1
        if depth > deepest:
            deepest, best = depth, line
    return best


_NESTING = re.compile(r"\{%-?\s*(?:end)?(?:for|if|macro|call|filter|block|with)\b|\{[{%#]|[-%}#]?[%}#]\}|[\n()\[\]{}]")


def _check_power(base: object, exponent: object) -> None:
    if isinstance(base, (int, float)) and isinstance(exponent, (int, float)):
        magnitude = abs(base)
        if magnitude > 1 and exponent > 0 and exponent * math.log2(magnitude) > MAX_INT_BITS:
            raise RunawayTemplate(f"слишком большая степень (результат больше {MAX_INT_BITS} двоичных разрядов)")


def _check_growth(method: str, text: str, args: tuple) -> None:
    """The str methods (and filters) whose result can be far longer than what they are given."""
    if method in ("replace", "do_replace") and len(args) >= 2:
        _check_replace(text, args[0], args[1])
    elif method in ("join", "do_join") and isinstance(args[0], (list, tuple, str)):
        if len(text) * max(0, len(args[0]) - 1) > MAX_LENGTH:
            raise _too_long()
        _check_text(args[0])  # [a] * 99999 | join: the items' text, not only the separators
    elif method in ("expandtabs", "do_indent") and isinstance(args[0], int):
        breaks = text.count("\t" if method == "expandtabs" else "\n") + 1
        if breaks * args[0] > MAX_LENGTH:
            raise _too_long()


def _check_replace(text: str, old: object, new: object) -> None:
    if isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * max(0, len(new) - len(old)) > MAX_LENGTH:
            raise _too_long()


def _limited_filter(function: Callable, env: _Sandbox | None = None) -> Callable:
    """A filter with its size arguments and its result limited, and what it makes counted in the
    document's budget (``map("center", 99999)`` over many items adds up)."""

    @wraps(function)
    def limited(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        values = [value for value in (*args, *kwargs.values()) if not hasattr(value, "environment")]
        _check_arguments(values)
        if env is not None:
            env.budget.tick(0)
        if function.__name__ == "do_format" and values:
            _check_format(values[0])
        name = function.__name__
        if name in ("do_replace", "do_indent") and len(values) >= 2:
            _check_growth(name, str(values[0]), tuple(values[1:]))
        if name == "do_join" and len(values) >= 2 and isinstance(values[1], str):
            _check_growth(name, values[1], (values[0],))
        result = function(*args, **kwargs)
        if _size(result) > MAX_LENGTH:
            raise _too_long()
        if env is not None:
            env.budget.spend(result)
        return result

    return limited


MAX_PHRASE = 2000  # characters a Russian filter (genitive, inflect, …) is given: a title, a name, a phrase
PHRASE_FILTERS = ("genitive", "inflect", "gender", "initials")


def _phrase_filter(function: Callable, name: str) -> Callable:
    """A Russian-language filter refusing a text far longer than a phrase (its work grows faster than the text)."""

    @wraps(function)
    def limited(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if args and isinstance(args[0], str) and len(args[0]) > MAX_PHRASE:
            raise RunawayTemplate(
                f"фильтр {name}: текст длиннее {MAX_PHRASE} символов — склоняются наименования и фразы, а не тексты"
            )
        return function(*args, **kwargs)

    return limited


def _finalize(value: object) -> str:
    """Every ``{{ value }}`` is literal text in the Markdown, never markup (and never a text too long to make)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        _check_text(value)
    return escape(str(value))


def _counting_finalize(env: _Sandbox) -> Callable[[object], str]:
    """:func:`_finalize`, what it writes counted in the budget of the document being rendered."""

    def finalize(value: object) -> str:
        text = _finalize(value)
        env.budget.produce(len(text))
        return text

    return finalize


@lru_cache(maxsize=8)
def environment(folder: Path, read: Read = read_input, share_copies: bool = True) -> _Sandbox:  # noqa: FBT001, FBT002
    """The Jinja environment of a project's templates folder over the shipped templates (cached per
    folder and reader: ``read`` is the project's door, :meth:`~jobdesc.disk.reading.ProjectFiles.read`,
    so a template the command read already is not read again). ``share_copies``: templates compile
    with their copy-free statements shared by a document's copies (not for :func:`origin`, which
    needs each piece of output as the template wrote it)."""
    shipped = _Loader(PACKAGE_TEMPLATES, f"{PACKAGE_PREFIX}/{SHOWN_FOLDER}")
    env = _Sandbox(
        loader=ChoiceLoader(
            [_Loader(folder, SHOWN_FOLDER, read), shipped, PrefixLoader({PACKAGE_PREFIX: shipped}, delimiter="/")]
        ),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(share_copies),
        share_copies=share_copies,
    )
    env.finalize = _counting_finalize(env)
    env.filters.update({name: _limited_filter(function, env) for name, function in env.filters.items()})
    env.filters.update(
        {
            name: _limited_filter(_phrase_filter(function, name) if name in PHRASE_FILTERS else function, env)
            for name, function in filters().items()
        }
    )
    env.globals.update(blank_date=ru.BLANK_DATE, g=agree)
    return env


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates on disk; an entry that cannot be read or written is skipped."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry: the template is compiled anew
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a read-only or full disk: the next run compiles again


def _bytecode_cache(share_copies: bool) -> FileSystemBytecodeCache | None:  # noqa: FBT001
    """Compiled templates kept in jobdesc's cache on disk (compiling them costs more than a cold
    ``check`` otherwise). Jinja checks each entry against the template's source; the folder is
    per Jinja version, per the code of this module and of :mod:`jobdesc.render.copies`, which set
    how templates compile, and per ``share_copies``."""
    digest = cache.source_digest("render/templates", "render/copies")
    folder = cache.folder("jinja-" + cache.key(jinja2.__version__, digest, str(share_copies))[:32])
    return None if folder is None else _BytecodeCache(str(folder))


def filters() -> dict[str, Callable[..., object]]:
    """The filters jobdesc adds to Jinja's, by name (the benchmark's peer renders with the same)."""
    return {
        "genitive": titles.genitive_title,
        "date_words": ru.date_words,
        "date_numeric": ru.date_numeric,
        "initials": ru.initials_surname,
        "dative_name": _dative_name,
        "lower_first": ru.lower_first,
        "nowrap": lambda text: str(text).replace(" ", ru.NBSP),
        "inflect": _inflect,
        "gender": _gender,
    }


def _dative_name(text: object) -> str:
    return surname_initials_dative(str(text))


def _inflect(text: object, case: str) -> str:
    return titles.inflect(str(text), case)


def _gender(subject: object) -> str:
    """``m`` or ``f``: a role's gender (its ``gender:`` or its title's), or that of a phrase."""
    forms = getattr(subject, "forms", None)
    if forms is not None:
        return forms.gender
    if subject in ("m", "f"):
        return str(subject)
    return titles.gender_of(str(subject))


def agree(subject: object, masculine: str, feminine: str) -> str:
    """``g(role, "должен", "должна")``: the word that agrees with a role, a phrase, or «m»/«f»."""
    return feminine if _gender(subject) == "f" else masculine


def render_markdown(
    folder: Path, name: str, context: dict, read: Read = read_input, shared: SharedOutput | None = None
) -> str:
    """Render one template; any template mistake becomes a :class:`TemplateProblem`.

    The rendering is limited (see :data:`RENDER_SECONDS` and the other limits): a template that
    runs away stops with a problem naming the template and its line. ``shared``: what the copies of
    one document share (the first copy rendered fills it, see :mod:`jobdesc.render.copies`).
    """
    env = environment(folder, read)
    env.budget = _Budget()
    env.sharing = shared if shared is not None and shared.template == name else None
    try:
        text = _collect(env.get_template(name).generate(context), env.budget)
        if env.sharing is not None and not env.sharing.filled:
            env.sharing.filled = True
            env.sharing.usable = env.sharing.usable and not env.budget.changed
        return text
    except TemplateSyntaxError as exc:
        where = shown_name(folder, Path(exc.filename)) if exc.filename else shown_template(folder, exc.name or name)
        raise TemplateProblem(
            Problem(where, exc.lineno, "", f"ошибка в шаблоне: {translate(exc.message or '')}")
        ) from None
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
        shown, line = _template_frame(exc, folder, name)
        raise TemplateProblem(Problem(shown, line, "", f"ошибка в шаблоне: {_describe(exc)}")) from None
    except MemoryError as exc:  # a limit not foreseen: the template's line, not a traceback
        shown, line = _template_frame(exc, folder, name)
        raise TemplateProblem(
            Problem(
                shown, line, "", "ошибка в шаблоне: не хватает памяти — шаблон создает слишком большой текст или список"
            )
        ) from None
    except RecursionError as exc:
        shown, line = _template_frame(exc, folder, name, repeated=True)
        raise TemplateProblem(
            Problem(shown, line, "", "ошибка в шаблоне: шаблон включает или вызывает сам себя без конца")
        ) from None
    finally:
        env.sharing = None


def origin(folder: Path, name: str, context: dict, line: int, read: Read = read_input) -> tuple[str, int] | None:
    """The template file (as messages name it) and its line that wrote line ``line`` (from 1) of
    template ``name``'s output: what the output's markup is blamed on when it is wrong, which may be
    an included, imported or parent template. ``None`` when it cannot be told.

    Rendered again (only when there is such a mistake), with Python's tracer recording which
    template code yielded each piece of output first: the innermost template (an included one, a
    parent's block), whose line Jinja's ``debug_info`` gives. (What a macro or a variable writes is
    escaped: it carries no markup.)"""
    env = environment(folder, read, share_copies=False)
    env.budget = _Budget()
    yielded: list[tuple[str, str, int]] = []  # value, template file, template line

    def trace(frame, event, arg):  # noqa: ANN001, ANN202 - Python's tracer signature
        if not frame.f_code.co_filename.endswith(".j2") or "debug_info" not in frame.f_globals:
            return None
        if event == "return" and isinstance(arg, str):  # a generator's yield is a return to the tracer
            at = _template_line(frame.f_globals["debug_info"], frame.f_lineno)
            yielded.append((arg, frame.f_code.co_filename, at))
        return trace

    previous = sys.gettrace()
    current = 1  # the output line the next character is on
    try:
        pieces = env.get_template(name).generate(context)
        while current <= line:
            yielded.clear()
            sys.settrace(trace)
            try:
                piece = next(pieces)
            finally:
                sys.settrace(previous)
            env.budget.tick(0)
            source = next(((file, at) for value, file, at in yielded if value == piece), None)
            texts = piece.split("\n")
            if source is not None and current + len(texts) - 1 >= line and texts[line - current].strip():
                file = Path(source[0])
                return shown_name(folder, file), _piece_line(file, source[1], piece, line - current)
            current += len(texts) - 1
    except Exception:  # noqa: BLE001 - no origin (the render stopped early): the caller says the output's line
        return None
    return None


def _piece_line(path: Path, at: int, piece: str, offset: int) -> int:
    """The line of ``path`` that wrote line ``offset`` of ``piece``, a piece of output Jinja gives
    line ``at``: static text is found in the template from there on (Jinja gives text after a tag
    the tag's line); other output is at ``at``."""
    source = _source_text(path)
    start = 0
    for _ in range(at - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return at + offset
    found = source.find(piece, start) if piece.strip() else -1
    return (source.count("\n", 0, found) + 1 if found >= 0 else at) + offset


def _template_line(debug_info: str, python_line: int) -> int:
    """The template line of a line of the Python code Jinja compiled it to (as ``Template.get_corresponding_lineno``)."""
    pairs = [tuple(map(int, pair.split("="))) for pair in debug_info.split("&") if "=" in pair]
    return next((template for template, code in reversed(pairs) if code <= python_line), 1)


def _source_text(path: Path) -> str:
    try:
        return read_input(path, MAX_TEMPLATE_BYTES).decode("utf-8-sig", errors="replace")
    except InputRefused:
        return ""


def _collect(pieces: Iterator[str], budget: _Budget) -> str:
    """The rendered text, stopped when it grows past :data:`MAX_OUTPUT` or runs out of time."""
    collected: list[str] = []
    total = 0
    for count, piece in enumerate(pieces):
        total += len(piece)
        if total > MAX_OUTPUT:
            raise RunawayTemplate(f"документ получается слишком большим (больше {MAX_OUTPUT} символов)")
        if not count % CLOCK_PIECES:
            budget.tick(0)
        collected.append(piece)
    return "".join(collected)


# The clock is read every so many pieces of output: a piece is static text or a value, quick to make;
# what can take long (a loop's step, a call, a filter, an operator) reads the clock itself.
CLOCK_PIECES = 16


def _template_frame(exc: Exception, folder: Path, name: str, repeated: bool = False) -> tuple[str, int | None]:
    """The template file and line where rendering failed, from the traceback Jinja rewrites.

    ``repeated``: the line found most often (the include or call that recurses), not the last one.
    """
    found: list[tuple[str, int | None]] = []
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix == ".j2":
            found.append((shown_name(folder, path), frame.lineno))
    if not found:
        return shown_template(folder, name), None
    return max(found, key=found.count) if repeated else found[0]


_JINJA_MESSAGES = (  # Jinja's wording → Russian, for the messages a template writer meets
    (re.compile(r"'(.+)' is undefined"), "неизвестная переменная «{0}»"),
    (
        re.compile(r"'(.+)' has no attribute '(.+)'"),
        lambda described, field: "у «{}» нет поля «{}»{}".format(*_object_and_hint(described, field)),
    ),
    (re.compile(r"No filter named '(.+)'"), "нет фильтра «{0}»"),
    (re.compile(r"No test named '(.+)'"), "нет проверки «{0}»"),
    (re.compile(r"Unexpected end of template.*"), "шаблон обрывается: не закрыт блок {{% … %}}"),
    (re.compile(r"Encountered unknown tag '(.+?)'.*"), "неизвестный тег «{0}» (или не закрыт предыдущий блок)"),
    (re.compile(r"unexpected '(.+?)', expected '(.+?)'"), "неожиданный символ «{0}», ожидалось «{1}»"),
    (re.compile(r"unexpected '(.+)'"), "неожиданный символ «{0}»"),
    (re.compile(r"Expected an expression.*"), "ожидалось выражение"),
    (re.compile(r"expected token '(.+?)', got '(.+)'"), "ожидалось «{0}», а встретилось «{1}»"),
)


# What the templates call the objects they are given (see the context in jobdesc.documents.compose).
_NAMES = {
    "Organisation": "org",
    "Person": "approver",
    "Role": "role",
    "DocumentSettings": "settings",
    "Approval": "approval",
    "Requirements": "role.requirements",
    "Appointment": "role.appointment",
    "Edition": "previous",
    "Order": "approval.order",
    "Subsection": "duty",
    "Policy": "policy",
    "Section": "section",
    "Position": "position",
    "Names": "names",
    "Words": "words",
}


def translate(message: str) -> str:
    """Jinja's English message in Russian when it is a familiar one, else as it is."""
    return rephrase(_JINJA_MESSAGES, message) or message


def _object_and_hint(described: str, attribute: str) -> tuple[str, str, str]:
    """«jobdesc.project.model.Organisation object», «cty» → «org», «cty», « (возможно, city)» from its fields."""
    module_name, _, class_name = described.removesuffix(" object").rpartition(".")
    module = sys.modules.get(module_name)  # the object's own module, loaded: the renderer imports nothing above it
    cls = getattr(module, class_name, None) if module_name.startswith("jobdesc.") else None
    if cls is None or not dataclasses.is_dataclass(cls):
        return described, attribute, ""
    fields = [f.name for f in dataclasses.fields(cls)]
    close = difflib.get_close_matches(attribute, fields, n=1)
    hint = f" (возможно, {close[0]})" if close else f"; есть: {', '.join(fields)}"
    return _NAMES.get(class_name, class_name), attribute, hint


def _describe(exc: Exception) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"шаблон {exc.name} не найден"
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']+)'", str(exc.message))
        what = f" ({found.group(1)})" if found else ""
        return f"запрещенное обращение к внутренностям Python{what}: шаблоны выполняются в песочнице"
    if isinstance(exc, RunawayTemplate):
        return exc.message or ""
    if isinstance(exc, ZeroDivisionError):
        return "деление на ноль"
    if isinstance(exc, TemplateError):
        return translate(str(exc.message or exc))
    return f"{type(exc).__name__}: {exc}"
