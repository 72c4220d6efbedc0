"""How the command line shows a clause-level diff in a terminal: marks, word-level changes, colours."""

from __future__ import annotations

from difflib import SequenceMatcher

import click

from jobdesc.editions.diff import Change, describe_counts, word_diff

_MARKS = {"added": "+", "removed": "-", "changed": "~", "moved": ">", "renumbered": "#"}
_COLOURS = {"added": "green", "removed": "red", "changed": "yellow", "moved": "cyan", "renumbered": None}


def diff_text(changes: list[Change], colour: bool) -> list[str]:
    """Human-readable lines: one per change (the title first, lead-ins and renumbered clauses too),
    word-level marks inside changed ones."""
    lines = []
    ordered = sorted(changes, key=lambda change: (change.new or change.old).part != "title")  # type: ignore[union-attr]
    renumbered: set[str] = set()  # old numbers: a sub-clause follows its clause and is not listed again
    skipped = 0
    for change in ordered:
        if change.kind == "renumbered" and change.old is not None:
            renumbered.add(change.old.number)
            if _parent(change.old.number) in renumbered:
                skipped += 1
                continue
        mark = _MARKS[change.kind]
        numbers = " → ".join(dict.fromkeys(u.number for u in (change.old, change.new) if u))
        unit = change.new or change.old
        assert unit is not None  # a change has at least one side
        if unit.part == "title":
            numbers = "наименование"
        elif unit.part == "lead":
            numbers = f"{numbers} вводный абзац раздела".strip()
        elif unit.part == "table":
            numbers += " таблица"
        if change.kind == "changed" and unit.part == "table":
            body = "\n    ".join(_changed_rows(change, colour))  # a row a line, under the first
        elif change.kind == "changed":
            body = "".join(_word(op, text, colour) for op, text in change.words())
        else:
            body = unit.text.replace("\n", "\n    ")
        head = f"{mark} {numbers}"
        lines.append(f"{click.style(head, fg=_COLOURS[change.kind]) if colour else head}  {body}")
    shown = len(renumbered) - skipped
    total = f", перенумеровано {shown}" if shown else ""
    lines.append(f"Итого: {describe_counts(changes)}{total}.")
    return lines


def _parent(number: str) -> str:
    """«2.11.» of «2.11.1.» (a section's number of its clause)."""
    return number.rstrip(".").rpartition(".")[0] + "."


def _changed_rows(change: Change, colour: bool) -> list[str]:
    """The rows of a changed table that differ, each marked word by word (its other rows left out)."""
    assert change.old is not None and change.new is not None
    old, new = change.old.text.split("\n"), change.new.text.split("\n")
    rows: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # rows edited in place
            pairs = zip(old[i1:i2], new[j1:j2])
            rows += ["".join(_word(op, text, colour) for op, text in word_diff(a, b)) for a, b in pairs]
            continue
        rows += [_word("delete", row, colour) for row in old[i1:i2]]
        rows += [_word("insert", row, colour) for row in new[j1:j2]]
    return rows


def _word(op: str, text: str, colour: bool) -> str:
    if op == "equal":
        return text
    if colour:
        return click.style(
            text, fg="red" if op == "delete" else "green", strikethrough=op == "delete", underline=op == "insert"
        )
    return f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"
