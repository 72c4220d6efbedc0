"""The Russian legal wording of an amendment («Изменения № N»), generated from a diff.

Clauses are named by their numbers in the edition being changed; added clauses get their
numbers in the new edition («Раздел 3 дополнить пунктом 3.12 …»).
"""

from __future__ import annotations

from dataclasses import dataclass

from jobdesc.diff import Change, Unit


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


def quote(text: str) -> str:
    """«text», inner «…» turned into „…“ as Russian typography wants."""
    return "«" + text.replace("«", "„").replace("»", "“") + "»"


def _bare(number: str) -> str:
    return number.rstrip(".")


def _noun(unit: Unit, case: str = "nom") -> str:
    """«Пункт»/«Подпункт»/«Раздел» in the nominative, or «пунктом»/… in the instrumental."""
    if unit.is_section:
        return {"nom": "Раздел", "ins": "разделом"}[case]
    if unit.depth == 1:
        return {"nom": "Пункт", "ins": "пунктом"}[case]
    return {"nom": "Подпункт", "ins": "подпунктом"}[case]


def items(changes: list[Change]) -> list[str]:
    """The numbered items of the amendment, in an order that is never ambiguous.

    Clauses changed and removed are named by their numbers in the edition being amended; then
    the clauses that keep their text get their new numbers; then new clauses are added under
    the numbers they have in the new edition (a new section with its clauses as one item).
    """
    changed = [_changed(c) for c in changes if c.kind == "changed"]
    removed = [f"{_noun(c.old)} {_bare(c.old.number)} исключить." for c in changes if c.kind in ("removed", "moved")]
    shifted = [c for c in changes if c.kind in ("renumbered", "changed") and c.old.number != c.new.number]
    added_units = [c.new for c in changes if c.kind in ("added", "moved")]
    return changed + removed + _renumbering(shifted) + _additions(added_units)


def _changed(change: Change) -> str:
    if change.old.is_section:
        return (
            f"Наименование раздела {_bare(change.old.number)} изложить в следующей редакции: {quote(change.new.text)}."
        )
    return f"{_noun(change.old)} {_bare(change.old.number)} изложить в следующей редакции: {quote(change.new.text)}."


def _additions(units: list[Unit]) -> list[str]:
    """«Раздел 2 дополнить пунктом 2.6 …»; a new section and the clauses under it in one item."""
    result: list[str] = []
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if not unit.is_section:
            parent = _parent(unit.number)
            container = "Раздел" if unit.depth == 1 else ("Пункт" if unit.depth == 2 else "Подпункт")
            result.append(
                f"{container} {parent} дополнить {_noun(unit, 'ins')} {_bare(unit.number)} "
                f"следующего содержания: {quote(unit.text)}."
            )
            continue
        body = [f"{unit.number} {unit.text}"]
        while index < len(units) and units[index].number.startswith(unit.number) and not units[index].is_section:
            body.append(f"{units[index].number} {units[index].text}")
            index += 1
        result.append(
            f"Дополнить инструкцию разделом {_bare(unit.number)} следующего содержания: {quote(' '.join(body))}."
        )
    return result


def _renumbering(changes: list[Change]) -> list[str]:
    """«Пункты 3.6–3.11 считать соответственно пунктами 3.7–3.12.» for runs of shifted clauses."""
    runs: list[list[Change]] = []
    for change in changes:
        if _parent(change.old.number) != _parent(change.new.number):
            continue  # implied by its parent's renumbering
        last = runs[-1][-1] if runs else None
        if last and _follows(last.old.number, change.old.number) and _follows(last.new.number, change.new.number):
            runs[-1].append(change)
        else:
            runs.append([change])
    result = []
    for run in runs:
        first, last = run[0], run[-1]
        if len(run) == 1:
            result.append(
                f"{_noun(first.old)} {_bare(first.old.number)} считать {_noun(first.new, 'ins')} {_bare(first.new.number)}."
            )
        else:
            plural, target = {0: ("Разделы", "разделами"), 1: ("Пункты", "пунктами")}.get(
                first.old.depth, ("Подпункты", "подпунктами")
            )
            result.append(
                f"{plural} {_bare(first.old.number)}–{_bare(last.old.number)} считать соответственно "
                f"{target} {_bare(first.new.number)}–{_bare(last.new.number)}."
            )
    return result


def _parent(number: str) -> str:
    """«2.6.» → «2»; «2.11.3.» → «2.11»."""
    return number.rstrip(".").rpartition(".")[0]


def _follows(previous: str, current: str) -> bool:
    """``current`` is the clause right after ``previous`` at the same level."""
    a, b = previous.rstrip(".").split("."), current.rstrip(".").split(".")
    return len(a) == len(b) and a[:-1] == b[:-1] and int(b[-1]) == int(a[-1]) + 1


def summary(changes: list[Change]) -> Summary:
    """Numbers changed (old), added (new) and removed (old) for the registration sheet."""
    return Summary(
        changed=tuple(c.old.number for c in changes if c.kind == "changed"),
        added=tuple(c.new.number for c in changes if c.kind in ("added", "moved")),
        removed=tuple(c.old.number for c in changes if c.kind in ("removed", "moved")),
    )
