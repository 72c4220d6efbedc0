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
    """Clause numbers for the «Лист регистрации изменений»."""

    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def text(self) -> str:
        parts = [
            (label, numbers)
            for label, numbers in (("изменены", self.changed), ("введены", self.added), ("исключены", self.removed))
            if numbers
        ]
        return "; ".join(f"{label}: {', '.join(_bare(n) for n in numbers)}" for label, numbers in parts)


@dataclass(frozen=True)
class Rename:
    """A renamed position: the old and new title in the nominative and in the genitive."""

    old: tuple[str, str]
    new: tuple[str, str]

    def item(self) -> Item:
        from jobdesc.language.ru import lower_first

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
        from jobdesc.language.ru import lower_first

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
        and not _keeps_its_shape(node, new_nodes[partner[node.unit]], partner)
    }
    writer = _Writer(partner, result, force, whole)
    writer.parts((), _numbered(old_root), _numbered(new_root))
    return result


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

    def _differs(self, old: Unit, new: Unit) -> bool:
        return old.text != new.text or old in self.force

    def parts(self, label: tuple[int, ...], old: list[Node], new: list[Node], owner: _Pair | None = None) -> None:
        """The numbered parts of a container at ``label`` (the document, a section or a clause)."""
        kept = [(_last(node), node) for node in old if node.unit in self.partner]
        position = {node.unit: _last(node) for node in new}
        moves = [(index, position[self.partner[node.unit]]) for index, node in kept]
        if owner is not None and kept:
            self._reword(label, owner, has_parts=True)
        # the parts before the first one removed, added or renumbered are changed first, in place
        stable = 0
        while (
            stable < min(len(old), len(new))
            and self.partner.get(old[stable].unit) == new[stable].unit
            and _last(old[stable]) == _last(new[stable])
        ):
            self._unit(label + (_last(new[stable]),), old[stable], new[stable])
            stable += 1
        self._remove(label, [_last(node) for node in old if node.unit not in self.partner])
        if owner is not None and not kept:
            self._reword(label, owner, has_parts=False)
        self._renumber(label, moves)
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
        if old.unit in self.whole:
            self.out.append(Item(f"Раздел {_label(label)} изложить в следующей редакции:", _quoted(_paragraphs(new))))
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
        if any(node.children for node in nodes):
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


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] + 1 == index:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def summary(changes: list[Change]) -> Summary:
    """Numbers changed (old), added (new) and removed (old) for the registration sheet."""
    return Summary(
        changed=tuple(_named(c.old) for c in changes if c.kind == "changed" and c.old is not None),
        added=tuple(_named(c.new) for c in changes if c.kind in ("added", "moved") and c.new is not None),
        removed=tuple(_named(c.old) for c in changes if c.kind in ("removed", "moved") and c.old is not None),
    )


def _named(unit: Unit) -> str:
    """A unit as the registration sheet names it: its number, or «таблица раздела 7»."""
    return f"таблица раздела {_bare(unit.number)}" if unit.part == "table" else unit.number
