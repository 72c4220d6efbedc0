"""The organisation's links between documents, resolved and checked.

A role's ``department`` may name a department regulation (``policies/<id>.yaml``) and its
``reports_to`` another role; a regulation's ``head`` names the role heading the unit. From these
links come texts no one types twice: the unit's name in a role, the dative of the superior's
title, the head's subordinates and the list of a unit's positions. They are resolved when a
document is loaded and stored in its editions, so a renamed title or unit changes the text of
every document that names it (each then needs its amendment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jobdesc.disk.reading import ProjectFiles
from jobdesc.errors import Problem, YamlProblem
from jobdesc.project.kinds import KINDS, POLICY, ROLE, Kind
from jobdesc.project.located import LocatedDict

DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINKS = {"role": {"department": POLICY, "reports_to": ROLE}, "policy": {"head": ROLE}}  # field → target kind


@dataclass
class Node:
    """One document as the graph sees it: the ids it names, and its raw data (shape not yet
    checked), read when first needed through the project's files."""

    kind: Kind
    id: str
    path: Path | None
    links: dict[str, str] = field(default_factory=dict)
    loaded: LocatedDict | None = None
    files: ProjectFiles | None = field(default=None, repr=False, compare=False)
    light: bool = False  # keeps only :func:`facts` of its data (a build's graph: memory stays flat)

    @property
    def data(self) -> LocatedDict:
        if self.loaded is None:
            found = None
            if self.path is not None:
                found = read_source(self.path, self.shown, self.path.parent.parent, self.files or ProjectFiles())
            self.loaded = LocatedDict() if found is None else facts(found) if self.light else found
            if self.light and self.path is not None and self.files is not None:
                self.files.release(self.path)  # the facts are kept; the whole data is parsed again when built
        return self.loaded

    def remember(self, data: LocatedDict) -> None:
        """Keep what other documents read of this one, from its data loaded just now."""
        if self.loaded is None:
            self.loaded = facts(data) if self.light else data

    @property
    def shown(self) -> str:
        return self.kind.shown(self.id)

    def line(self, key: str) -> int | None:
        return getattr(self.data, "key_lines", {}).get(key)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return value if isinstance(value, str) and value.strip() else None


FACTS = ("title", "title_genitive", "title_dative", "gender", "unit", "head", "department", "reports_to")


def facts(data: LocatedDict) -> LocatedDict:
    """What the documents linked with a document read of it (its title and forms, its unit, its
    links), with their lines: all a build's graph keeps once the document itself is built."""
    kept = LocatedDict({key: data[key] for key in FACTS if key in data})
    kept.line = data.line
    kept.key_lines = {key: line for key, line in getattr(data, "key_lines", {}).items() if key in kept}
    return kept


def links_of(kind: Kind, data: object) -> dict[str, str]:
    """The ids a document's data names: ``department`` and ``reports_to`` of a role written as an
    id (a text such as «коммерческому директору» is no link), ``head`` of a regulation."""
    if not isinstance(data, dict):
        return {}
    found = {}
    for key in LINKS[kind.name]:
        value = data.get(key)
        if isinstance(value, str) and DOC_ID.fullmatch(value):
            found[key] = value
    return found


def unit_named(kind: Kind, data: object) -> str | None:
    """The unit a document names as text: a regulation's ``unit``, a role's ``department`` when it
    is no link (a role is endorsed by the head of its unit's regulation: :meth:`Graph.unit_policies`)."""
    if not isinstance(data, dict):
        return None
    value = data.get("unit" if kind is POLICY else "department")
    if not isinstance(value, str) or (kind is ROLE and DOC_ID.fullmatch(value)):
        return None
    return value


def read_source(path: Path, shown: str, root: Path, files: ProjectFiles) -> LocatedDict | None:
    """A document file's YAML, read through the project's files (once per command); ``None``
    when it does not load: that is reported, in its words, when the document itself loads."""
    from jobdesc.project.yamlio import load_yaml  # lazy: PyYAML costs 14 ms at start, a no-op build reads no source

    try:
        data = load_yaml(path, shown, root, files)
    except (YamlProblem, ValueError):
        return None
    return data if isinstance(data, LocatedDict) else None


class Graph:
    """Every document of a project and the links between them."""

    def __init__(self, nodes: dict[str, Node], files: ProjectFiles | None = None) -> None:
        self.nodes = nodes
        self.files = files or ProjectFiles()  # the project's files the nodes are read from
        self._incoming: dict[tuple[str, str], list[Node]] | None = None
        self._units: dict[str, list[Node]] | None = None  # a unit's name → its regulations

    @classmethod
    def scan(cls, root: Path, files: ProjectFiles | None = None) -> Graph:
        """Read every document file of the project (each once per command, through ``files``)."""
        files = files or ProjectFiles()
        nodes: dict[str, Node] = {}
        for kind in KINDS:
            for path in kind.files(root):
                if path.suffix != ".yaml" or path.stem in nodes:
                    continue  # reported by loading: a wrong extension, an id taken twice
                data = read_source(path, kind.shown(path.stem), root, files)  # None: reported by its own loading
                nodes[path.stem] = Node(kind, path.stem, path, links_of(kind, data), data or LocatedDict(), files)
        return cls(nodes, files)

    @classmethod
    def from_links(cls, sources: list[tuple[Kind, Path, dict[str, str]]], files: ProjectFiles | None = None) -> Graph:
        """The graph of sources whose links are known (a build's index): a node's data is read
        only when a linked document needs it."""
        files = files or ProjectFiles()
        nodes: dict[str, Node] = {}
        for kind, path, links in sources:
            stem = path.stem
            if stem not in nodes:
                nodes[stem] = Node(kind, stem, path, dict(links), files=files, light=True)
        return cls(nodes, files)

    def incoming(self, target: str, key: str) -> list[Node]:
        """The documents whose ``key`` names ``target`` (roles first, each kind by id)."""
        if self._incoming is None:
            self._incoming = {}
            for node in self.nodes.values():
                for field_name, named in node.links.items():
                    self._incoming.setdefault((named, field_name), []).append(node)
        return self._incoming.get((target, key), [])

    def unit_policies(self, unit: str | None) -> list[Node]:
        """The regulations whose ``unit`` is ``unit`` (a role's department, linked or named as
        text): the head of the first endorses the role's text (its visa)."""
        if not unit:
            return []
        if self._units is None:  # once per graph: asked for every role
            self._units = {}
            for node in self.nodes.values():
                if node.kind is POLICY and isinstance(named := node.data.get("unit"), str):
                    self._units.setdefault(named, []).append(node)
        return self._units.get(unit, [])

    def target(self, node: Node, key: str) -> Node | None:
        """The document ``node``'s ``key`` names, when it exists and is of the right kind."""
        found = self.nodes.get(node.links.get(key, ""))
        return found if found is not None and found.kind is LINKS[node.kind.name][key] else None

    def link_problems(self, node: Node) -> list[Problem]:
        """The links of ``node`` that lead nowhere: no such document, or one of another kind."""
        found: list[Problem] = []
        for key, target_id in node.links.items():
            wanted = LINKS[node.kind.name][key]
            target = self.nodes.get(target_id)
            if target is None:
                found.append(Problem(node.shown, node.line(key), key, _missing(key, target_id, wanted)))
            elif target.kind is not wanted:
                found.append(
                    Problem(
                        node.shown,
                        node.line(key),
                        key,
                        f"{target_id} — это {target.kind.label} ({target.shown}), а нужен идентификатор: "
                        f"{wanted.label} ({wanted.folder}/…)",
                    )
                )
        return found

    def cycles(self) -> list[Problem]:
        """Each role of a circle of ``reports_to`` (A подчиняется B, B подчиняется A)."""
        found: list[Problem] = []
        for node in self.nodes.values():
            if node.kind is not ROLE:
                continue
            chain = [node.id]
            current = node
            while (following := self.target(current, "reports_to")) is not None:
                if following.id == node.id:
                    path = " → ".join([*chain, node.id])
                    message = (
                        f"подчинение по кругу ({path}): у кого-то в цепочке должен быть руководитель вне ее"
                        if len(chain) > 1
                        else f"роль подчиняется сама себе: укажите ее руководителя — {_SUPERIOR}"
                    )
                    found.append(Problem(node.shown, node.line("reports_to"), "reports_to", message))
                    break
                if following.id in chain:
                    break  # a circle further on: reported for its own members
                chain.append(following.id)
                current = following
        return found

    def dependencies(self, doc_id: str) -> list[str]:
        """The other documents whose sources shape ``doc_id``'s text (sorted ids): the documents
        its links name, and the documents the texts computed for it are made of — a role's
        subordinates (who report to it); a regulation's positions (the roles of its unit and whom
        each reports to). Each document's list is as long as its own links, so a build's
        dependencies grow with the links, not with the square of a unit's size."""
        node = self.nodes.get(doc_id)
        if node is None:
            return []
        found = set(node.links.values())
        if node.kind is ROLE:
            found.update(other.id for other in self.incoming(doc_id, "reports_to"))
        else:
            for member in self.incoming(doc_id, "department"):
                found.add(member.id)
                found.update(member.links.get(key, "") for key in ("reports_to",))
        found.discard(doc_id)
        found.discard("")
        return sorted(found)


def _unusable(node: Node, key: str, target: Node) -> Problem:
    """A link to a document whose file does not load: its own problem says why."""
    return Problem(node.shown, node.line(key), key, f"{target.shown} не загружается — исправьте сначала ошибку в нем")


_SUPERIOR = "идентификатор роли или должность в дательном падеже («коммерческому директору»)"


def _missing(key: str, target_id: str, wanted: Kind) -> str:
    if key == "department":
        return (
            f"положения {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите идентификатор положения "
            "об отделе или наименование подразделения в именительном падеже"
        )
    if key == "reports_to":
        return f"роли {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите {_SUPERIOR}"
    return f"роли {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите идентификатор роли руководителя"


def title_forms_of(node: Node):  # noqa: ANN201 - titles.TitleForms (pymorphy3 loads late)
    """Every form of a role's title, its own overrides applied; ``None`` when the file's title is
    not one (its own loading says why)."""
    # lazy: a no-op build inflects no title
    from jobdesc.language.titles import title_forms

    title = node.text("title")
    if title is None or not title.isprintable() or any("\ud800" <= char <= "\udfff" for char in title):
        return None
    overrides = {"gent": node.text("title_genitive"), "datv": node.text("title_dative")}
    gender = node.text("gender")
    return title_forms(title, {k: v for k, v in overrides.items() if v}, gender if gender in ("m", "f") else None)


def resolve_role(graph: Graph, role_id: str, data: dict) -> tuple[dict, list[Problem]]:
    """A role's data with its links put into words: the unit's name, the superior in the dative,
    the subordinates (unless written) — and the problems of links that lead nowhere."""
    resolved = dict(data)
    located = data if isinstance(data, LocatedDict) else LocatedDict(data)
    node = Node(ROLE, role_id, None, links_of(ROLE, data), located)  # its own links as the data has them
    problems = graph.link_problems(node)
    if "department" in node.links:
        policy = graph.target(node, "department")
        unit = policy.text("unit") if policy else None
        if policy is not None and not policy.data:
            problems.append(_unusable(node, "department", policy))
        elif policy is not None and unit is None:
            problems.append(
                Problem(
                    node.shown,
                    node.line("department"),
                    "department",
                    f"в {policy.shown} нет поля unit (наименование подразделения): допишите его",
                )
            )
        resolved["department"] = unit
    if "reports_to" in node.links:
        superior = graph.target(node, "reports_to")
        forms = title_forms_of(superior) if superior else None
        resolved["reports_to"] = forms.dative if forms else None
        if superior is not None and forms is None:
            problems.append(_unusable(node, "reports_to", superior))
    subordinates = [other for other in graph.incoming(role_id, "reports_to") if other.kind is ROLE]
    plurals = [forms.plural for forms in map(title_forms_of, subordinates) if forms is not None]
    if plurals and "subordinates" not in data:
        resolved["subordinates"] = _joined(plurals)
    return resolved, problems


def resolve_policy(graph: Graph, policy_id: str, data: dict) -> tuple[dict, list[Problem]]:
    """A regulation's data with the positions of its unit: the roles whose ``department`` names it, head first."""
    resolved = dict(data)
    located = data if isinstance(data, LocatedDict) else LocatedDict(data)
    node = Node(POLICY, policy_id, None, links_of(POLICY, data), located)
    problems = graph.link_problems(node)
    if "positions" in data and isinstance(data, LocatedDict):
        problems.append(
            Problem(
                POLICY.shown(policy_id),
                data.key_lines.get("positions"),
                "positions",
                f"перечень должностей вычисляется из ролей (department: {policy_id}) — удалите это поле",
            )
        )
    head = data.get("head")
    members = [other for other in graph.incoming(policy_id, "department") if other.kind is ROLE]
    members.sort(key=lambda other: (other.id != head, other.id))
    positions = []
    for member in members:
        superior = graph.target(member, "reports_to")
        forms = title_forms_of(superior) if superior else None
        reports_to = forms.dative if forms else member.text("reports_to") or ""
        position = {"id": member.id, "title": member.text("title") or member.id, "reports_to": reports_to}
        if member.id == head:
            position["head"] = True
        positions.append(position)
    resolved["positions"] = positions
    chief = graph.target(node, "head")
    if chief is not None and chief.data and chief.id not in {m.id for m in members}:
        problems.append(
            Problem(
                POLICY.shown(policy_id),
                node.line("head"),
                "head",
                f"руководитель {head} не входит в подразделение: у роли нет department: {policy_id}",
            )
        )
    return resolved, problems


def _joined(parts: list[str]) -> str:
    """«А», «А и Б», «А, Б и В»."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} и {parts[-1]}"
