"""Clause-level differences between two versions of a job description.

Versions are compared as the reader of the document sees them: the rendered sections and
clauses with their numbers, shared clauses included. Renumbering alone is not a change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from jobdesc.render.document import Clause, Document, Heading, plain

SIMILAR = 0.5
# Words, and numbers, dates and order numbers as whole tokens («10.12.2026», «2.5», «15-к», «ДИ-014/1»):
# a changed date is one deleted and one inserted token, never digits.
_TOKENS = re.compile(r"\d+(?:[.,:/\-–]\d+)*(?:[-/]\w+)*|\w+(?:[-/]\w+)*|[^\w\s]|\s+")


@dataclass(frozen=True)
class Unit:
    """A section heading (``depth`` 0) or a clause of the document, with its number."""

    number: str
    text: str
    depth: int

    @property
    def is_section(self) -> bool:
        return self.depth == 0


@dataclass(frozen=True)
class Change:
    """One difference: ``added``, ``removed``, ``changed``, ``moved`` or ``renumbered``."""

    kind: str
    old: Unit | None
    new: Unit | None

    def words(self) -> list[tuple[str, str]]:
        """Word-level marks of a changed unit: (``equal``/``delete``/``insert``, text)."""
        return word_diff(self.old.text if self.old else "", self.new.text if self.new else "")

    def as_dict(self) -> dict:
        result: dict = {"kind": self.kind}
        for side, unit in (("old", self.old), ("new", self.new)):
            if unit:
                result[side] = {"number": unit.number, "text": unit.text, "section": unit.is_section}
        if self.kind == "changed":
            result["words"] = [{"op": op, "text": text} for op, text in self.words()]
        return result


def units(document: Document) -> list[Unit]:
    """The numbered sections and clauses of a rendered document."""
    result = []
    for block in document.blocks:
        if isinstance(block, Heading) and block.number:
            result.append(Unit(block.number, plain(block.runs), 0))
        elif isinstance(block, Clause):
            result.append(Unit(block.number, plain(block.runs), block.depth))
    return result


def diff(old: list[Unit], new: list[Unit]) -> list[Change]:
    """The changes that turn ``old`` into ``new``, in document order."""
    changes: list[Change] = []
    matcher = SequenceMatcher(None, [_key(u) for u in old], [_key(u) for u in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(Change("renumbered", a, b) for a, b in zip(old[i1:i2], new[j1:j2]) if a.number != b.number)
        else:
            changes.extend(_pair(old[i1:i2], new[j1:j2]))
    return _find_moves(changes)


def _key(unit: Unit) -> tuple[bool, str]:
    return unit.is_section, unit.text


def _pair(old: list[Unit], new: list[Unit]) -> list[Change]:
    """Pair similar units of a replaced stretch as ``changed``; the rest are removed or added."""
    changes: list[Change] = []
    start = 0
    for unit in old:
        match = None
        for index in range(start, len(new)):
            candidate = new[index]
            if candidate.is_section == unit.is_section and _similar(unit.text, candidate.text):
                match = index
                break
        if match is None:
            changes.append(Change("removed", unit, None))
            continue
        changes.extend(Change("added", None, added) for added in new[start:match])
        changes.append(Change("changed", unit, new[match]))
        start = match + 1
    changes.extend(Change("added", None, added) for added in new[start:])
    return changes


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= SIMILAR


def _find_moves(changes: list[Change]) -> list[Change]:
    """A removed unit whose exact text was added elsewhere is a move."""
    added = {change.new.text: index for index, change in enumerate(changes) if change.kind == "added"}
    result: list[Change | None] = list(changes)
    for index, change in enumerate(changes):
        if change.kind == "removed" and change.old.text in added:
            target = added.pop(change.old.text)
            result[target] = Change("moved", change.old, changes[target].new)
            result[index] = None
    return [change for change in result if change is not None]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference of two texts as (``equal``/``delete``/``insert``, text) pieces."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def describe_counts(changes: list[Change]) -> str:
    """«добавлено 1, изменено 2» — only the kinds that occur; «без изменений» for none."""
    c = counts(changes)
    parts = [
        f"{label} {c[kind]}"
        for kind, label in (
            ("added", "добавлено"),
            ("changed", "изменено"),
            ("removed", "удалено"),
            ("moved", "перемещено"),
        )
        if c[kind]
    ]
    return ", ".join(parts) if parts else "без изменений"


def counts(changes: list[Change]) -> Counter:
    """How many units were added, changed, removed and moved (renumbering not counted)."""
    return Counter(change.kind for change in changes if change.kind != "renumbered")
