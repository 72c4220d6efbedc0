"""The document model between the templates and the DOCX writer.

A document is a flat sequence of blocks. Clause numbers are computed when the Markdown is
read (:mod:`jobdesc.render.markdown`), so golden text, diffs and amendments all see the numbers
the reader of the paper sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    change: str | None = None  # "ins" or "del" in a redline (tracked change)


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    """The text of some runs, formatting dropped (deleted runs of a redline left out)."""
    return "".join(run.text for run in runs if run.change != "del")


@dataclass(frozen=True)
class Heading:
    """``#`` an unnumbered centred title; ``##`` a numbered section («1. Общие положения»)."""

    runs: Inline
    level: int
    number: str | None = None

    @property
    def text(self) -> str:
        return f"{self.number} {plain(self.runs)}" if self.number else plain(self.runs)


@dataclass(frozen=True)
class Clause:
    """A numbered clause («1.1.») or sub-clause («1.1.1.»); ``depth`` is 1 or more."""

    number: str
    runs: Inline
    depth: int

    @property
    def text(self) -> str:
        return f"{self.number} {plain(self.runs)}"


@dataclass(frozen=True)
class ListItem:
    """An unnumbered item of an enumeration (a dash)."""

    runs: Inline
    depth: int = 1

    @property
    def text(self) -> str:
        return f"– {plain(self.runs)}"


@dataclass(frozen=True)
class Paragraph:
    """Body text that is not a clause."""

    runs: Inline

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class Table:
    """A table; the first ``header_rows`` rows repeat on every page."""

    rows: tuple[tuple[Inline, ...], ...]
    header_rows: int = 1
    change: str | None = None  # a whole table inserted or deleted, in a redline

    @property
    def text(self) -> str:
        return "\n".join("| " + " | ".join(plain(cell) for cell in row) + " |" for row in self.rows)


@dataclass(frozen=True)
class Box:
    """A block of short lines with a layout role: ``copy-mark``, ``requisites``, ``approval``, ``signature``,
    ``receipt`` (blanks to fill by hand, with captions under them), ``center``."""

    kind: str
    lines: tuple[Inline, ...]

    @property
    def text(self) -> str:
        return "\n".join(plain(line) for line in self.lines)


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page."""

    text: str = "\f"


Block = Union[Heading, Clause, ListItem, Paragraph, Table, Box, PageBreak]
BOX_KINDS = ("copy-mark", "requisites", "approval", "signature", "receipt", "center")


@dataclass(frozen=True)
class Document:
    """One copy of a document: its blocks in order."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def text(self) -> str:
        """Plain text, one block per line: the golden files and ``textconv`` use it."""
        return "\n".join(block.text for block in self.blocks) + "\n"

    def clauses(self) -> list[Clause]:
        """The numbered clauses, in order."""
        return [block for block in self.blocks if isinstance(block, Clause)]
