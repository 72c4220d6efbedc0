"""The Russian legal wording of an amendment («Изменения № N»), generated from two editions.

Every item names a structural unit by the number it has at the moment the item is read, so
the items, applied one after another to the text of edition N, give the text of edition N + 1.
The order, for the document, then for each section and each clause in document order:

1. a renamed position first («По всему тексту слова … заменить словами …»);
2. the unit's own wording («Наименование раздела 3 …», «Абзац первый пункта 2.6 …»);
3. the changes inside its parts that keep their place, up to the first part removed, added or
   renumbered;
4. its parts that go («Пункты 2.3–2.4 исключить.»), named by their numbers at that moment (a
   clause that loses all its sub-clauses is reworded only after that: «Пункт 2.6 изложить …»);
5. the parts that stay get their new numbers («… считать соответственно …»): those moving up
   from the first, those moving down from the last, so that no number is ever taken twice;
6. then the remaining parts in order, each the same way, and new parts where they stand
   («Раздел 2 дополнить пунктом 2.5 …»).

Sub-clauses follow their clause: a clause renumbered or removed takes them with it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from jobdesc.editions.diff import Change, Node, Unit, align_units, tree
from jobdesc.language.ru import lower_first

_ORDINALS = ("первый", "второй", "третий", "четвертый", "пятый")
_NOUNS = {  # by the depth of the container: (one, several, "дополнить …" one, "дополнить …" several)
    0: ("Раздел", "Разделы", "разделом", "разделами"),
    1: ("Пункт", "Пункты", "пунктом", "пунктами"),
    2: ("Подпункт", "Подпункты", "подпунктом", "подпунктами"),
}


_TABLE_ORDINALS = (  # «Вторую таблицу раздела 7 …»; a section with more tables is given anew as a whole
    "Первую",
    "Вторую",
    "Третью",
    "Четвертую",
    "Пятую",
    "Шестую",
    "Седьмую",
    "Восьмую",
    "Девятую",
    "Десятую",
)

Cells = tuple[tuple[str, ...], ...]  # a table's rows, the headings first


@dataclass(frozen=True)
class Item:
    """One item of the amendment: its text and, for a long addition, the paragraphs it adds; a
    paragraph that is a table is given as its rows of cells."""

    text: str
    paragraphs: tuple[str | Cells, ...] = ()

    def lines(self) -> list[str]:
        return [self.text, *(table_lines(p) if isinstance(p, tuple) else p for p in self.paragraphs)]


def table_lines(cells: Cells) -> str:
    """A table as text lines, «| cell | cell |» a row (for the terminal)."""
    return "\n".join("| " + " | ".join(row) + " |" for row in cells)


@dataclass(frozen=True)
class Summary:
    """Clause numbers for the «Лист регистрации изменений», each by its number in the new edition
    («8.2 (прежний 7.1)» where it changed); a removed one by its number in the old edition."""

    changed: tuple[str, ...]
    added: tuple[str, ...]
    moved: tuple[str, ...]
    removed: tuple[str, ...]

    def text(self) -> str:
        parts = [
            (label, numbers)
            for label, numbers in (
                ("изменены", self.changed),
                ("введены", self.added),
                ("перенесены", self.moved),
                ("исключены", self.removed),
            )
            if numbers
        ]
        return "; ".join(f"{label}: {', '.join(numbers)}" for label, numbers in parts)


@dataclass(frozen=True)
class Rename:
    """A renamed position: the old and new title in the nominative and in the genitive."""

    old: tuple[str, str]
    new: tuple[str, str]

    def item(self) -> Item:
        old, new = (quote(lower_first(forms[0])) for forms in (self.old, self.new))
        return Item(
            f"По всему тексту слова {old} в соответствующем падеже заменить словами {new} в соответствующем падеже."
        )

    def leftover(self, text: str) -> bool:
        """``text`` names the old title in a case other than these two (which :meth:`apply` misses)."""
        stems = [re.escape(w if len(w) <= 3 else w[: max(3, len(w) - 3)]) + r"\w*" for w in self.old[0].split()]
        loose = len(re.findall(r"(?<!\w)" + r"\s+".join(stems) + r"(?!\w)", text, re.IGNORECASE))
        return loose > len(self._pattern().findall(text))

    def _pattern(self) -> re.Pattern:
        forms = self._forms()
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def _forms(self) -> dict[str, str]:
        forms: dict[str, str] = {}
        for old, new in zip(self.old, self.new):
            for shape in (lower_first, _upper_first):
                forms.setdefault(shape(old), shape(new))
        return forms

    def apply(self, text: str) -> str:
        """``text`` with the old title in the nominative and the genitive replaced by the new one."""
        forms = self._forms()
        return self._pattern().sub(lambda match: forms[match.group(0)], text)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def quote(text: str) -> str:
    """«text», inner «…» turned into „…“ as Russian typography wants."""
    return "«" + _inner(text) + "»"


def _inner(text: str) -> str:
    return text.replace("«", "„").replace("»", "“")


def _bare(number: str) -> str:
    return number.rstrip(".")


def _last(node: Node) -> int:
    """The last part of a unit's printed number: 2 for «2.», 3 for «2.11.3.»."""
    return int(node.unit.number.rstrip(".").rpartition(".")[2])


def _label(numbers: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in numbers)


def _nouns(depth: int) -> tuple[str, str, str, str]:
    return _NOUNS[min(depth, 2)]


def items(old: list[Unit], new: list[Unit], rename: Rename | None = None) -> list[Item]:
    """The items that turn ``old`` (the units of edition N, title and lead-ins included) into ``new``."""
    result: list[Item] = []
    force: set[Unit] = set()  # units to be worded anew whatever «По всему тексту» made of them
    if rename is not None:
        result.append(rename.item())
        renamed = [replace(unit, text=rename.apply(unit.text)) for unit in old]
        force = {after for before, after in zip(old, renamed) if rename.leftover(before.text)}
        old = renamed
    changes = align_units(old, new)
    partner = {
        c.old: c.new
        for c in changes
        if c.kind in ("unchanged", "renumbered", "changed") and c.old is not None and c.new is not None
    }
    old_root, new_root = tree(old), tree(new)
    # A section is given anew as a whole when it gains or loses a lead-in paragraph or a table,
    # when a clause beside a table is added or removed or crosses it (no item can say on which
    # side of an unnumbered table a clause stands), or when it has more tables than there are
    # ordinals to name them.
    new_nodes = {node.unit: node for node in new_root.children}
    whole = {
        node.unit
        for node in old_root.children
        if node.unit.is_section
        and node.unit in partner
        and (
            not _keeps_its_shape(node, new_nodes[partner[node.unit]], partner)
            or _mostly_renumbered(node, new_nodes[partner[node.unit]], partner)
        )
    }
    writer = _Writer(partner, result, force, whole)
    writer.new_nodes = new_nodes
    writer.parts((), _numbered(old_root), _numbered(new_root))
    return result


ANEW_AT = 3  # fewest parts an item restates before a section or clause is given anew (see README)


def _mostly_renumbered(old: Node, new: Node, partner: dict[Unit, Unit]) -> bool:
    """Whether most of a section's clauses (at least :data:`ANEW_AT`) change their number inside it."""
    place = {node.unit: index for index, node in enumerate(_numbered(new), start=1)}
    kept = [
        (index, place[partner[node.unit]])
        for index, node in enumerate(_numbered(old), start=1)
        if partner.get(node.unit) in place
    ]
    moved = sum(1 for before, after in kept if after != before)
    return moved >= ANEW_AT and 2 * moved > len(kept)


def _restated(old: Node, new: Node, partner: dict[Unit, Unit]) -> bool:
    """Whether a clause with sub-clauses would be amended piece by piece in most of its paragraphs
    (its first paragraph and every sub-clause, at least :data:`ANEW_AT` of them): it is given anew."""
    if not _numbered(old) or not _numbered(new):
        return False
    before = _descendants(old)
    after = {node.unit for node in _descendants(new)}
    kept = {partner[node.unit] for node in before if node.unit in partner}
    differing = sum(
        1
        for node in before
        if node.unit not in partner
        or partner[node.unit].text != node.unit.text
        or _last(node) != _last_of(partner[node.unit])
    )
    differing += len(after - kept) + (old.unit.text != new.unit.text)
    return differing >= ANEW_AT and 2 * differing > 1 + len(before)


def _descendants(node: Node) -> list[Node]:
    return [d for child in _numbered(node) for d in (child, *_descendants(child))]


def _last_of(unit: Unit) -> int:
    return int(unit.number.rstrip(".").rpartition(".")[2])


def _keeps_its_shape(old: Node, new: Node, partner: dict[Unit, Unit]) -> bool:
    """Whether a section can be amended item by item: the same lead-ins and tables, and every
    clause of it between the same two tables in both editions."""
    parts = [[child.unit.part for child in node.children if child.unit.part] for node in (old, new)]
    if parts[0] != parts[1]:
        return False
    if "table" not in parts[0]:
        return True
    if parts[0].count("table") > len(_TABLE_ORDINALS):
        return False
    old_stretches, new_stretches = _between_tables(old), _between_tables(new)
    return all({partner.get(unit) for unit in a} == set(b) for a, b in zip(old_stretches, new_stretches))


def _between_tables(section: Node) -> list[list[Unit]]:
    """A section's clauses, in the stretches the tables divide them into."""
    stretches: list[list[Unit]] = [[]]
    for child in section.children:
        if child.unit.part == "table":
            stretches.append([])
        elif not child.unit.part:
            stretches[-1].append(child.unit)
    return stretches


def _numbered(node: Node) -> list[Node]:
    return [child for child in node.children if not child.unit.part]


class _Writer:
    """Walks the two trees, writing items as it goes; numbers are those of the moment."""

    def __init__(self, partner: dict[Unit, Unit], out: list[Item], force: set[Unit], whole: AbstractSet[Unit]) -> None:
        self.partner = partner
        self.out = out
        self.force = force
        self.whole = whole  # sections given anew as a whole (see :func:`_keeps_its_shape`)
        self.now: dict[Unit, int] = {}  # a clause's number inside its section, when an item has changed it
        self.gone: set[Unit] = set()  # clauses an earlier item has removed
        self.done: set[Unit] = set()  # sections an earlier item has given anew
        self.new_nodes: dict[Unit, Node] = {}  # the sections of the new edition

    def _at(self, node: Node) -> int:
        """The last part of a unit's number at this moment."""
        return self.now.get(node.unit, _last(node))

    def _differs(self, old: Unit, new: Unit) -> bool:
        return old.text != new.text or old in self.force

    def parts(self, label: tuple[int, ...], old: list[Node], new: list[Node], owner: _Pair | None = None) -> None:
        """The numbered parts of a container at ``label`` (the document, a section or a clause)."""
        old = [node for node in old if node.unit not in self.gone]
        kept = [(self._at(node), node) for node in old if node.unit in self.partner]
        position = {node.unit: _last(node) for node in new}
        moves = [(index, position[self.partner[node.unit]]) for index, node in kept]
        if owner is not None and kept:
            self._reword(label, owner, has_parts=True)
        # the parts before the first one removed, added or renumbered are changed first, in place
        stable = 0
        while (
            stable < min(len(old), len(new))
            and self.partner.get(old[stable].unit) == new[stable].unit
            and self._at(old[stable]) == _last(new[stable])
        ):
            self._unit(label + (_last(new[stable]),), old[stable], new[stable])
            stable += 1
        self._remove(label, [self._at(node) for node in old if node.unit not in self.partner])
        if owner is not None and not kept:
            self._reword(label, owner, has_parts=False)
        if label:
            self._renumber(label, moves)
        else:
            self._renumber_sections([node for _, node in kept], position)
        old_of = {self.partner[node.unit]: node for _, node in kept}
        added: list[Node] = []
        for node in new[stable:]:
            before = old_of.get(node.unit)
            if before is None:
                added.append(node)
                continue
            self._add(label, added)
            added = []
            self._unit(label + (_last(node),), before, node)
        self._add(label, added)

    def _unit(self, label: tuple[int, ...], old: Node, new: Node) -> None:
        """A unit present in both editions, already under its new number."""
        if old.unit in self.done:
            return
        if old.unit in self.whole:
            self.out.append(Item(f"Раздел {_label(label)} изложить в следующей редакции:", _quoted(_paragraphs(new))))
            return
        if not old.unit.is_section and _restated(old, new, self.partner):
            noun = _nouns(len(label) - 1)[0]
            self.out.append(Item(f"{noun} {_label(label)} изложить в следующей редакции:", _quoted(_paragraphs(new))))
            return
        if old.unit.is_section:
            if self._differs(old.unit, new.unit):
                self.out.append(
                    Item(f"Наименование раздела {_label(label)} изложить в следующей редакции: {quote(new.unit.text)}.")
                )
            leads = zip(*([c for c in node.children if c.unit.part == "lead"] for node in (old, new)))
            for ordinal, (before, after) in zip(_ORDINALS, leads):
                if self._differs(before.unit, after.unit):
                    self.out.append(
                        Item(
                            f"Абзац {ordinal} раздела {_label(label)} изложить в следующей редакции: "
                            f"{quote(after.unit.text)}."
                        )
                    )
            self._tables(label, *([c.unit for c in node.children if c.unit.part == "table"] for node in (old, new)))
            self.parts(label, _numbered(old), _numbered(new))
            return
        self.parts(label, _numbered(old), _numbered(new), owner=_Pair(old, new))

    def _tables(self, label: tuple[int, ...], old: list[Unit], new: list[Unit]) -> None:
        """A section's tables (as many in both editions, else the section is replaced whole):
        each changed one is given anew, whole, by its place among the section's tables."""
        for index, (before, after) in enumerate(zip(old, new)):
            if before.cells != after.cells:
                which = "Таблицу" if len(new) == 1 else f"{_TABLE_ORDINALS[index]} таблицу"
                self.out.append(Item(f"{which} раздела {_label(label)} изложить в следующей редакции:", (after.cells,)))

    def _reword(self, label: tuple[int, ...], pair: _Pair, has_parts: bool) -> None:
        old, new = pair.old.unit, pair.new.unit
        if not self._differs(old, new):
            return
        number = _label(label)
        if has_parts:
            text = (
                f"Абзац первый {_genitive(len(label) - 1)} {number} изложить в следующей редакции: {quote(new.text)}."
            )
        else:
            noun = _nouns(len(label) - 1)[0]
            text = f"{noun} {number} изложить в следующей редакции: {quote(f'{number}. {new.text}')}."
        self.out.append(Item(text))

    def _remove(self, label: tuple[int, ...], indexes: list[int]) -> None:
        one, several, *_ = _nouns(len(label))
        for run in _runs(indexes):
            first, last = _label(label + (run[0],)), _label(label + (run[-1],))
            self.out.append(
                Item(f"{one} {first} исключить." if len(run) == 1 else f"{several} {first}–{last} исключить.")
            )

    def _renumber(self, label: tuple[int, ...], moves: list[tuple[int, int]]) -> None:
        """Up from the first for clauses moving up, down from the last for those moving down."""
        one, several, ins_one, ins_several = _nouns(len(label))
        up = [m for m in moves if m[1] < m[0]]
        down = [m for m in reversed(moves) if m[1] > m[0]]
        for group in (up, down):
            runs: list[list[tuple[int, int]]] = []
            for move in group:
                last = runs[-1][-1] if runs else None
                if last and abs(move[0] - last[0]) == 1 and move[1] - move[0] == last[1] - last[0]:
                    runs[-1].append(move)
                else:
                    runs.append([move])
            for run in runs:
                run.sort()
                (a, x), (b, y) = run[0], run[-1]
                if len(run) == 1:
                    text = f"{one} {_label(label + (a,))} считать {ins_one} {_label(label + (x,))}."
                else:
                    text = (
                        f"{several} {_label(label + (a,))}–{_label(label + (b,))} считать соответственно "
                        f"{ins_several} {_label(label + (x,))}–{_label(label + (y,))}."
                    )
                self.out.append(Item(text))

    def _renumber_sections(self, kept: list[Node], position: dict[Unit, int]) -> None:
        """Each section that changes its number, in one item with its clauses: «Раздел 7 считать
        разделом 8, пункты 7.1–7.5 — соответственно пунктами 8.2–8.6» (the clauses that go are
        removed first); a section given anew is renumbered and restated in one item. Sections
        moving up go from the first, those moving down from the last."""
        moves = [(node, self._at(node), position[self.partner[node.unit]]) for node in kept]
        up = [m for m in moves if m[2] < m[1]]
        down = [m for m in reversed(moves) if m[2] > m[1]]
        for node, a, x in [*up, *down]:
            new = self._new_node(node)
            if node.unit in self.whole:
                self.out.append(
                    Item(
                        f"Раздел {a} считать разделом {x} и изложить его в следующей редакции:",
                        _quoted(_paragraphs(new)),
                    )
                )
                self.done.add(node.unit)
                continue
            clauses = [child for child in _numbered(node) if child.unit not in self.gone]
            self._remove((a,), [self._at(child) for child in clauses if child.unit not in self.partner])
            self.gone.update(child.unit for child in clauses if child.unit not in self.partner)
            place = {child.unit: _last(child) for child in _numbered(new)}
            pairs = [(self._at(c), place[self.partner[c.unit]]) for c in clauses if c.unit in self.partner]
            text = f"Раздел {a} считать разделом {x}"
            if pairs:
                text += ", " + ", ".join(_clause_runs(a, x, pairs))
            self.out.append(Item(text + "."))
            for child in clauses:
                if child.unit in self.partner:
                    self.now[child.unit] = place[self.partner[child.unit]]

    def _new_node(self, node: Node) -> Node:
        """The node of the new edition that ``node`` (a kept section) became."""
        return self.new_nodes[self.partner[node.unit]]

    def _add(self, label: tuple[int, ...], nodes: list[Node]) -> None:
        """New parts, consecutive, under the numbers of the new edition."""
        if not nodes:
            return
        if not label:
            for node in nodes:
                paragraphs = _paragraphs(node)
                self.out.append(
                    Item(f"Дополнить разделом {_bare(node.unit.number)} следующего содержания:", _quoted(paragraphs))
                )
            return
        _, _, ins_one, ins_several = _nouns(len(label))
        container = f"{_nouns(len(label) - 1)[0]} {_label(label)}"
        first, last = _bare(nodes[0].unit.number), _bare(nodes[-1].unit.number)
        head = (
            f"{container} дополнить {ins_one} {first}"
            if len(nodes) == 1
            else f"{container} дополнить {ins_several} {first}–{last}"
        )
        if len(nodes) > 1 or any(node.children for node in nodes):  # each clause its own paragraph
            paragraphs = [line for node in nodes for line in _paragraphs(node)]
            self.out.append(Item(f"{head} следующего содержания:", _quoted(paragraphs)))
        else:
            body = " ".join(quote(f"{node.unit.number} {node.unit.text}") for node in nodes)
            self.out.append(Item(f"{head} следующего содержания: {body}."))


@dataclass(frozen=True)
class _Pair:
    old: Node
    new: Node


def _genitive(depth: int) -> str:
    return "пункта" if depth == 1 else "подпункта"


def _paragraphs(node: Node) -> list[str | Cells]:
    """A new unit as printed: its number and text (a table: its cells), then its lead-ins and parts."""
    unit = node.unit
    lines: list[str | Cells] = [
        unit.cells if unit.part == "table" else unit.text if unit.part else f"{unit.number} {unit.text}"
    ]
    for child in node.children:
        lines.extend(_paragraphs(child))
    return lines


def _quoted(paragraphs: list[str | Cells]) -> tuple[str | Cells, ...]:
    """Paragraphs quoted as one: «first … last» (after a closing table, the quote on a line of its own)."""
    inner: list[str | Cells] = [
        tuple(tuple(_inner(cell) for cell in row) for row in text) if isinstance(text, tuple) else _inner(text)
        for text in paragraphs
    ]
    inner[0] = "«" + str(inner[0])  # a heading or clause: an addition never opens with a table
    if isinstance(inner[-1], tuple):
        inner.append("».")
    else:
        inner[-1] = inner[-1] + "»."
    return tuple(inner)


def _clause_runs(a: int, x: int, pairs: list[tuple[int, int]]) -> list[str]:
    """«пункты 7.1–7.5 — соответственно пунктами 8.2–8.6», «пункт 7.6 — пунктом 8.1»: the clauses
    of section ``a``, now ``x``, in runs of consecutive numbers keeping their order."""
    runs: list[list[tuple[int, int]]] = []
    for pair in sorted(pairs):
        if runs and runs[-1][-1][0] + 1 == pair[0] and runs[-1][-1][1] + 1 == pair[1]:
            runs[-1].append(pair)
        else:
            runs.append([pair])
    result = []
    for run in runs:
        (first, to_first), (last, to_last) = run[0], run[-1]
        if len(run) == 1:
            result.append(f"пункт {a}.{first} — пунктом {x}.{to_first}")
        else:
            result.append(f"пункты {a}.{first}–{a}.{last} — соответственно пунктами {x}.{to_first}–{x}.{to_last}")
    return result


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] + 1 == index:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def summary(changes: list[Change]) -> Summary:
    """Changed, added and moved units by their new numbers (the old one in brackets where it
    differs), removed ones by their old numbers; each list in document order of its numbers."""

    def listed(kinds: tuple[str, ...]) -> tuple[str, ...]:
        found = sorted(
            ((c.new, c.old) for c in changes if c.kind in kinds and c.new is not None), key=lambda p: _order(p[0])
        )
        return tuple(_named(new, old) for new, old in found)

    removed = sorted((c.old for c in changes if c.kind == "removed" and c.old is not None), key=_order)
    return Summary(
        changed=listed(("changed",)),
        added=listed(("added",)),
        moved=listed(("moved",)),
        removed=tuple(_named(unit) for unit in removed),
    )


def _order(unit: Unit) -> tuple[int, ...]:
    """A unit's place by its number: 7.1 before 7.10, a table after its section's heading."""
    return tuple(int(part) for part in _bare(unit.number).split(".") if part) + ((0,) if unit.part else ())


def _named(unit: Unit, before: Unit | None = None) -> str:
    """A unit as the registration sheet names it: its number, or «таблица раздела 7»; with its
    number in the old edition in brackets when ``before`` had another."""
    name = f"таблица раздела {_bare(unit.number)}" if unit.part == "table" else _bare(unit.number)
    if before is not None and before.number != unit.number:
        name += f" (прежний {'раздел ' if unit.part == 'table' else ''}{_bare(before.number)})"
    return name
