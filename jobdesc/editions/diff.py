"""Clause-level differences between two versions of a job description, and the one aligner.

Versions are compared as the reader of the document sees them: the rendered sections and
clauses with their numbers, shared clauses included. Renumbering alone is not a change.
:func:`align` pairs the items of two sequences; ``diff``, the amendments and the redline all
use it, so they agree on what was changed, moved, added or removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from jobdesc.render.document import Box, Clause, Document, Heading, Paragraph, Table, plain

SIMILAR = 0.5
# Words, and numbers, dates and order numbers as whole tokens («10.12.2026», «2.5», «15-к», «ДИ-014/1»):
# a changed date is one deleted and one inserted token, never digits.
_TOKENS = re.compile(r"\d+(?:[.,:/\-–]\d+)*(?:[-/]\w+)*|\w+(?:[-/]\w+)*|[^\w\s]|\s+")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Unit:
    """A section heading (``depth`` 0) or a clause of the document, with its number.

    ``part`` is empty for these; ``title`` marks the document's title, ``lead`` a section's
    lead-in paragraph («… имеет право:», numbered by its section, ``depth`` 1) and ``table`` a
    table of a section (numbered by its section, ``depth`` 1; ``cells``: its rows, the headings
    first; ``text``: the rows as lines «| cell | cell |»).
    """

    number: str
    text: str
    depth: int
    part: str = ""
    cells: tuple[tuple[str, ...], ...] = ()

    @property
    def is_section(self) -> bool:
        return self.depth == 0 and not self.part


@dataclass(frozen=True)
class Change:
    """One difference: ``added``, ``removed``, ``changed``, ``moved``, ``renumbered`` or ``unchanged``."""

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
                if unit.part:  # «title», «lead» (a section's lead-in), «table»
                    result[side]["part"] = unit.part
        if self.kind == "changed":
            result["words"] = [{"op": op, "text": text} for op, text in self.words()]
        return result


def units(document: Document, full: bool = False) -> list[Unit]:
    """The numbered sections and clauses of a rendered document; ``full`` adds the title and
    the lead-in paragraphs of the sections."""
    result: list[Unit] = []
    section: Unit | None = None
    leading = False  # after a section heading, before its first clause
    ended = False  # past the sections: the signature, a sheet («ЛИСТ ОЗНАКОМЛЕНИЯ» and its table)
    for block in document.blocks:
        if isinstance(block, Heading):
            ended = section is not None and not block.number
        elif isinstance(block, Box) and block.kind in ("signature", "receipt") and section is not None:
            ended = True
        if isinstance(block, Heading) and block.number:
            section = Unit(block.number, plain(block.runs), 0)
            result.append(section)
            leading = True
        elif isinstance(block, Clause):
            result.append(Unit(block.number, plain(block.runs), block.depth))
            leading = False
        elif isinstance(block, Table) and section is not None and not ended:  # a table is content: its changes count
            cells = tuple(tuple(plain(cell) for cell in row) for row in block.rows)
            result.append(Unit(section.number, block.text, 1, "table", cells))
            leading = False
        elif not full:
            continue
        elif isinstance(block, Heading) and block.level == 1 and section is None:
            result = [Unit("", plain(block.runs), 0, "title")]
        elif isinstance(block, Paragraph) and leading and section is not None:
            result.append(Unit(section.number, plain(block.runs), 1, "lead"))
        else:
            leading = False
    return result


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, punctuation dropped."""
    return _WORDS.findall(text.lower())


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0…1, on their words (punctuation and case do not count)."""
    # lazy: brings rapidfuzz; loaded only by the commands that get here
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(words(a), words(b))


Pair = tuple[int | None, int | None]


def align(old: Sequence[Hashable], new: Sequence[Hashable], score: Callable[[int, int], float | None]) -> list[Pair]:
    """Pair the items of two sequences, in order: ``(i, j)`` kept or changed, ``(i, None)``
    removed, ``(None, j)`` added.

    Items with equal keys are kept (longest matching runs first). In each stretch between
    them, items whose key occurs on the other side are left to be found as moves; of the rest,
    items replaced one for one at the same place are paired whatever their similarity, and
    otherwise the order-keeping pairing of greatest total ``score`` (each at least
    :data:`SIMILAR`) is taken, then the gaps it leaves are paired one for one again.
    ``score(i, j)`` is ``None`` for items that never pair.
    """
    result: list[Pair] = []
    old_keys, new_keys = set(old), set(new)
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(zip(range(i1, i2), range(j1, j2)))
            continue
        movable_old = [i for i in range(i1, i2) if old[i] in new_keys]
        movable_new = [j for j in range(j1, j2) if new[j] in old_keys]
        core = _stretch(
            [i for i in range(i1, i2) if old[i] not in new_keys],
            [j for j in range(j1, j2) if new[j] not in old_keys],
            score,
        )
        result.extend(_merge_movable(core, movable_old, movable_new))
    return result


def _one_for_one(old: list[int], new: list[int], score: Callable[[int, int], float | None]) -> list[Pair] | None:
    if old and len(old) == len(new) and all(score(i, j) is not None for i, j in zip(old, new)):
        return list(zip(old, new))
    return None


def _stretch(old: list[int], new: list[int], score: Callable[[int, int], float | None]) -> list[Pair]:
    same_place = _one_for_one(old, new, score)
    if same_place is not None:
        return same_place
    n, m = len(old), len(new)
    scores: dict[tuple[int, int], float] = {}
    for a in range(n):
        for b in range(m):
            value = score(old[a], new[b])
            if value is not None and value >= SIMILAR:
                scores[a, b] = value
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            take = best[a + 1][b + 1] + scores[a, b] if (a, b) in scores else -1.0
            best[a][b] = max(best[a + 1][b], best[a][b + 1], take)
    pairs: list[Pair] = []
    gap_old: list[int] = []
    gap_new: list[int] = []

    def close_gap() -> None:
        pairs.extend(
            _one_for_one(gap_old, gap_new, score) or [(i, None) for i in gap_old] + [(None, j) for j in gap_new]
        )
        gap_old.clear()
        gap_new.clear()

    a = b = 0
    while a < n and b < m:
        if (a, b) in scores and best[a][b] == best[a + 1][b + 1] + scores[a, b]:
            close_gap()
            pairs.append((old[a], new[b]))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            gap_old.append(old[a])
            a += 1
        else:
            gap_new.append(new[b])
            b += 1
    gap_old.extend(old[a:])
    gap_new.extend(new[b:])
    close_gap()
    return pairs


def _merge_movable(core: list[Pair], old: list[int], new: list[int]) -> list[Pair]:
    """Put the items left for moves back among the others, in order (removed before added)."""
    result: list[Pair] = []
    for i, j in core:
        while old and i is not None and old[0] < i:
            result.append((old.pop(0), None))
        while new and j is not None and new[0] < j:
            result.append((None, new.pop(0)))
        result.append((i, j))
    result.extend((i, None) for i in old)
    result.extend((None, j) for j in new)
    return result


_ROOT = Unit("", "", -1)  # the unit of a tree's root, which stands for the whole document


@dataclass
class Node:
    """A unit and the units under it (a section's lead-in and clauses, a clause's sub-clauses);
    the root's unit is :data:`_ROOT`, never read."""

    unit: Unit
    children: list[Node] = field(default_factory=list)


def tree(flat: list[Unit]) -> Node:
    """The units as a tree: title and sections under the root, clauses under their section."""
    root = Node(_ROOT)
    stack: list[tuple[int, Node]] = [(-1, root)]
    for unit in flat:
        level = 0 if unit.part == "title" else unit.depth
        while stack[-1][0] >= level:
            stack.pop()
        node = Node(unit)
        stack[-1][1].children.append(node)
        if unit.part != "lead":
            stack.append((level, node))
    return root


def align_units(old: list[Unit], new: list[Unit]) -> list[Change]:
    """Every unit of both versions as a change, ``unchanged`` included, in document order.

    Sections are aligned first, then the clauses of each pair of sections, then their
    sub-clauses; a unit removed in one place and added with the same text in another is moved.
    """
    changes: list[Change] = []
    _align_children(tree(old).children, tree(new).children, changes)
    return _find_moves(changes)


def diff(old: list[Unit], new: list[Unit]) -> list[Change]:
    """The changes that turn ``old`` into ``new``, in document order."""
    return [change for change in align_units(old, new) if change.kind != "unchanged"]


def _kind(unit: Unit) -> tuple[str, bool]:
    return unit.part, unit.is_section


def _key(unit: Unit) -> tuple[tuple[str, bool], str]:
    """What must be equal for two units to be the same: kind and text."""
    return _kind(unit), unit.text


def _align_children(old: list[Node], new: list[Node], out: list[Change]) -> None:
    def score(i: int, j: int) -> float | None:
        a, b = old[i].unit, new[j].unit
        return similarity(a.text, b.text) if _kind(a) == _kind(b) else None

    old_keys, new_keys = ([_key(n.unit) for n in nodes] for nodes in (old, new))
    for i, j in align(old_keys, new_keys, score):
        if j is None:
            assert i is not None  # align never gives (None, None)
            _whole(old[i], "removed", out)
        elif i is None:
            _whole(new[j], "added", out)
        else:
            a, b = old[i].unit, new[j].unit
            kind = "changed" if a.text != b.text else "renumbered" if a.number != b.number else "unchanged"
            out.append(Change(kind, a, b))
            _align_children(old[i].children, new[j].children, out)


def _whole(node: Node, kind: str, out: list[Change]) -> None:
    out.append(Change(kind, node.unit, None) if kind == "removed" else Change(kind, None, node.unit))
    for child in node.children:
        _whole(child, kind, out)


def _find_moves(changes: list[Change]) -> list[Change]:
    """A removed unit whose exact text was added elsewhere is a move."""
    added = {
        _key(change.new): index
        for index, change in enumerate(changes)
        if change.kind == "added" and change.new is not None
    }
    result: list[Change | None] = list(changes)
    for index, change in enumerate(changes):
        key = _key(change.old) if change.kind == "removed" and change.old is not None else None
        if key in added:
            target = added.pop(key)
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
