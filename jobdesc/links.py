"""The organisation's links between documents, resolved and checked.

A role's ``department`` may name a department regulation (``policies/<id>.yaml``) and its
``reports_to`` another role; a regulation's ``head`` names the role heading the unit. From these
links come texts no one types twice: the unit's name in a role, the dative of the superior's
title, the head's subordinates and the list of a unit's positions. They are resolved when a
document is loaded and stored in its editions, so a renamed title or unit changes the text of
every document that names it (each then needs its amendment).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jobdesc.errors import Problem
from jobdesc.kinds import KINDS, POLICY, ROLE, Kind
from jobdesc.yamlio import LocatedDict, YamlProblem, load_yaml

DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINKS = {"role": {"department": POLICY, "reports_to": ROLE}, "policy": {"head": ROLE}}  # field → target kind


@dataclass
class Node:
    """One document as the graph sees it: its raw data (shape not yet checked) and the ids it names."""

    kind: Kind
    id: str
    data: LocatedDict
    links: dict[str, str] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return self.kind.shown(self.id)

    def line(self, key: str) -> int | None:
        return self.data.key_lines.get(key)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return value if isinstance(value, str) and value.strip() else None


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


_RAW: dict[tuple[str, int, int], LocatedDict | None] = {}


def _raw(path: Path, shown: str, root: Path) -> LocatedDict | None:
    """A document file's YAML (``None`` when it does not load: reported by its own loading),
    read once per process while its size and time stay the same."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    key = (str(path), info.st_size, info.st_mtime_ns)
    if key not in _RAW:
        try:
            data = load_yaml(path, shown, root)
        except YamlProblem:
            data = None
        if len(_RAW) > 20000:
            _RAW.clear()
        _RAW[key] = data if isinstance(data, LocatedDict) else None
    return _RAW[key]


class Graph:
    """Every document of a project and the links between them."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes

    @classmethod
    def scan(cls, root: Path) -> Graph:
        """Read every document file of the project (each once per process while unchanged)."""
        nodes: dict[str, Node] = {}
        for kind in KINDS:
            for path in kind.files(root):
                if path.suffix != ".yaml" or path.stem in nodes:
                    continue  # reported by loading: a wrong extension, an id taken twice
                data = _raw(path, kind.shown(path.stem), root)
                if data is not None:
                    nodes[path.stem] = Node(kind, path.stem, data, links_of(kind, data))
        return cls(nodes)

    def incoming(self, target: str, key: str) -> list[Node]:
        """The documents whose ``key`` names ``target`` (roles first, each kind by id)."""
        return [node for node in self.nodes.values() if node.links.get(key) == target]

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
                    found.append(
                        Problem(
                            node.shown,
                            node.line("reports_to"),
                            "reports_to",
                            f"подчинение по кругу ({path}): у кого-то в цепочке должен быть руководитель вне ее",
                        )
                    )
                    break
                if following.id in chain:
                    break  # a circle further on: reported for its own members
                chain.append(following.id)
                current = following
        return found

    def component(self, doc_id: str) -> set[str]:
        """Every document linked to ``doc_id`` directly or through others (either way), itself included."""
        neighbours: dict[str, set[str]] = {}
        for node in self.nodes.values():
            for target in node.links.values():
                neighbours.setdefault(node.id, set()).add(target)
                neighbours.setdefault(target, set()).add(node.id)
        seen = {doc_id}
        todo = [doc_id]
        while todo:
            for other in neighbours.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen


def _missing(key: str, target_id: str, wanted: Kind) -> str:
    if key == "department":
        return (
            f"положения {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите идентификатор положения "
            "об отделе или наименование подразделения в именительном падеже"
        )
    if key == "reports_to":
        return (
            f"роли {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите идентификатор роли "
            "или должность в дательном падеже («коммерческому директору»)"
        )
    return f"роли {target_id} нет ({wanted.folder}/{target_id}.yaml): укажите идентификатор роли руководителя"


def title_forms_of(node: Node):  # noqa: ANN201 - titles.TitleForms (pymorphy3 loads late)
    """Every form of a role's title, its own overrides applied."""
    from jobdesc.titles import title_forms

    overrides = {"gent": node.text("title_genitive"), "datv": node.text("title_dative")}
    gender = node.text("gender")
    return title_forms(node.text("title") or "", {k: v for k, v in overrides.items() if v}, gender)


def resolve_role(graph: Graph, role_id: str, data: dict) -> tuple[dict, list[Problem]]:
    """A role's data with its links put into words: the unit's name, the superior in the dative,
    the subordinates (unless written) — and the problems of links that lead nowhere."""
    node = graph.nodes.get(role_id)
    resolved = dict(data)
    if node is None:  # a role loaded from elsewhere (a git revision): only what its file links to
        node = Node(ROLE, role_id, data if isinstance(data, LocatedDict) else LocatedDict(data), links_of(ROLE, data))
    problems = graph.link_problems(node)
    if "department" in node.links:
        policy = graph.target(node, "department")
        unit = policy.text("unit") if policy else None
        if policy is not None and unit is None:
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
        resolved["reports_to"] = title_forms_of(superior).dative if superior else None
    subordinates = [other for other in graph.incoming(role_id, "reports_to") if other.kind is ROLE]
    if subordinates and "subordinates" not in data:
        resolved["subordinates"] = _joined([title_forms_of(other).plural for other in subordinates])
    return resolved, problems


def resolve_policy(graph: Graph, policy_id: str, data: dict) -> tuple[dict, list[Problem]]:
    """A regulation's data with the positions of its unit: the roles whose ``department`` names it, head first."""
    resolved = dict(data)
    node = graph.nodes.get(policy_id)
    problems = graph.link_problems(node) if node is not None else []
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
        reports_to = title_forms_of(superior).dative if superior else member.text("reports_to") or ""
        position = {"id": member.id, "title": member.text("title") or member.id, "reports_to": reports_to}
        if member.id == head:
            position["head"] = True
        positions.append(position)
    resolved["positions"] = positions
    if (
        node is not None
        and head is not None
        and graph.target(node, "head") is not None
        and head not in (m.id for m in members)
    ):
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
