"""Consistency between a department regulation and the instructions of its unit, for ``check``:
warnings about a function no role of the unit takes on, a unit name no regulation knows, and
guiding documents that leave out the unit's regulation."""

from __future__ import annotations

import re

from jobdesc.errors import WARNING, Problem
from jobdesc.project.kinds import POLICY, ROLE, names_of
from jobdesc.project.loader import Project
from jobdesc.project.model import Policy, Role, SubClauses, TableClause
from jobdesc.project.validate import field_path

FUNCTIONS = "функции"  # the section of a regulation that lists the unit's functions
COVERED = 0.35  # share of a function's words a duty must share to take it on
STEM = 5  # words compared by their first letters: «подготовка» and «подготовку» are one word
_STOP = frozenset(
    "и в во с со по на о об от для к их его ее за при а также том числе отдела отделом организации".split()
)


def consistency_warnings(project: Project) -> list[Problem]:
    """Every warning of this module, for the whole project."""
    policies = [d for d in project.documents.values() if isinstance(d, Policy)]
    roles = [d for d in project.documents.values() if isinstance(d, Role)]
    found: list[Problem] = []
    for policy in policies:
        members = [role for role in roles if policy.unit and role.department == policy.unit]
        found.extend(_uncovered_functions(project, policy, members))
        for role in members:
            found.extend(_guiding_documents(project, policy, role))
    if policies:
        known = {_norm(name) for policy in policies for name in _unit_names(policy)}
        for role in roles:
            if role.department and _norm(role.department) not in known:
                found.append(
                    _warning(
                        project,
                        role.id,
                        "department",
                        f"подразделение «{role.department}» не описано ни одним положением проекта и не названо в "
                        "них — проверьте наименование (одно на все документы) или укажите идентификатор положения",
                    )
                )
    return found


def _uncovered_functions(project: Project, policy: Policy, members: list[Role]) -> list[Problem]:
    if not members:
        return []
    duties = [_stems(text) for role in members for text in _duty_texts(role)]
    found = []
    for index, section in enumerate(policy.sections):
        if section.title.strip().lower() != FUNCTIONS:
            continue
        for position, clause in enumerate(section.clauses):
            texts = (
                clause.items if isinstance(clause, SubClauses) else () if isinstance(clause, TableClause) else (clause,)
            )
            for item, text in enumerate(texts):
                words = _stems(text)
                if words and max((len(words & duty) / len(words) for duty in duties), default=0) < COVERED:
                    path = ["sections", index, "clauses", position] + (
                        ["items", item] if isinstance(clause, SubClauses) else []
                    )
                    found.append(
                        Problem(
                            POLICY.shown(policy.id),
                            _line(project, policy.id, path),
                            field_path(path),
                            f"функцию «{_short(text)}» не выполняет ни одна должность подразделения: ни одна обязанность "
                            "в их инструкциях ей не соответствует — добавьте обязанность или уберите функцию",
                            WARNING,
                        )
                    )
    return found


def _guiding_documents(project: Project, policy: Policy, role: Role) -> list[Problem]:
    name = names_of(policy).instrumental
    if any(_norm(name) in _norm(text) for text in role.guiding_documents):
        return []
    return [
        _warning(
            project,
            role.id,
            "guiding_documents",
            f"среди документов, которыми руководствуется работник, нет положения его подразделения — добавьте «{name}.»",
        )
    ]


def _duty_texts(role: Role) -> list[str]:
    texts: list[str] = []
    for duty in role.duties:
        texts.extend([duty] if isinstance(duty, str) else [duty.title, *duty.items])
    return texts


def _unit_names(policy: Policy) -> list[str]:
    """The unit of a regulation and the units its tables name (first column)."""
    names = [policy.unit] if policy.unit else []
    for section in policy.sections:
        for clause in section.clauses:
            if isinstance(clause, TableClause):
                names.extend(row[0] for row in clause.table.rows if row)
    return names


def _stems(text: str) -> set[str]:
    return {word[:STEM] for word in re.findall(r"\w+", text.lower()) if len(word) > 2 and word not in _STOP}


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split()).rstrip(".")


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77].rstrip() + "…"


def _line(project: Project, doc_id: str, path: list) -> int | None:
    """The line of a value in a document's file (as read for the links), if it can be told."""
    node = project.graph.nodes.get(doc_id)
    value: object = node.data if node is not None else None
    line = None
    for part in path:
        lines = getattr(value, "item_lines" if isinstance(part, int) else "key_lines", None)
        try:
            line = lines[part] if isinstance(part, int) else lines.get(part, line)  # type: ignore[index,union-attr]
            value = value[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _warning(project: Project, role_id: str, key: str, message: str) -> Problem:
    return Problem(ROLE.shown(role_id), _line(project, role_id, [key]), key, message, WARNING)
