"""A redline: version Y as a document whose differences from version X are tracked changes.

Blocks are aligned by kind and text; a changed paragraph gets word-level insertions and
deletions (one whose words mostly changed is deleted and inserted whole), a whole new or dropped
paragraph or table is inserted or deleted as a whole, so that «Принять все» gives exactly Y's
text and «Отклонить все» X's. The frame of a signed edition — the approval stamp, the signatures,
the edition line and the copy mark — is not the text compared: it is shown as in Y, unmarked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Union

from jobdesc.editions.diff import align, similarity, word_diff
from jobdesc.errors import JobdescError, ProblemsError
from jobdesc.project.kinds import kind_of
from jobdesc.project.layout import refuse_inputs
from jobdesc.render.context import Approval
from jobdesc.render.document import (
    Block,
    Box,
    Clause,
    Document,
    Heading,
    Inline,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    Table,
    plain,
)

_NUMBERED = (Clause, Heading)
_WORDED = (Heading, Clause, ListItem, Paragraph)  # blocks of runs
_Item = Union[Block, Inline]  # what is aligned: blocks, or the lines of a box
CORE_PROPERTY_LIMIT = 255  # characters python-docx allows in a core property
REWRITTEN = 0.5  # a paragraph less alike than this (:func:`similarity`) is deleted and inserted whole
_EDITION_LINE = re.compile(r"\(?(?:Редакция|редакция|Текст в редакции)\s")


def _frame(block: _Item) -> bool:
    """Part of the frame of an edition, not of its text: the approval stamp, a signature, the
    copy mark, the edition line («Редакция № 2, утверждена …», «Текст в редакции Изменений …»)."""
    if not isinstance(block, Box):
        return False
    if block.kind in ("approval", "signature", "copy-mark"):
        return True
    return block.kind == "center" and bool(block.lines) and bool(_EDITION_LINE.match(plain(block.lines[0])))


def check_output(root: Path, out: Path) -> None:
    """Refuse an ``--out`` that is not a ``.docx`` or that would overwrite the project's inputs
    (``jobdesc.yaml``, ``roles/`` with the editions, ``templates/``)."""
    # lazy: jobdesc.disk.fsutil and what it imports (15 modules) load only for the commands that get here
    from jobdesc.disk.fsutil import refuse_output

    if out.suffix.lower() != ".docx":
        raise JobdescError(f"--out: {out}: исправления записываются в файл .docx — укажите имя с расширением .docx")
    refuse_inputs(root, out)
    refuse_output(root, out)


def redline_docx(project, old, new, author: str | None = None) -> bytes:  # noqa: ANN001 - Project, Version
    """The DOCX of version ``new`` with its differences from ``old`` as tracked changes (one copy).

    Each version is rendered as ``build`` writes it (an edition in the project's approval model,
    the working text as a draft) but without copy mark and acknowledgment sheet: a redline is
    read, not signed. The changes are attributed to ``author``, else to the HR person of
    ``jobdesc.yaml`` (``document.drafted_by``), else to the organisation.
    """
    # lazy: brings Jinja, PyYAML; loaded only by the commands that get here
    from jobdesc.documents.compose import check_styles, edition_approval, render_document, styles_bytes
    from jobdesc.documents.compose import title as document_title
    from jobdesc.editions.store import require_editions
    from jobdesc.render.docx_writer import Properties, Revisions, write_docx

    problems = check_styles(project)
    if problems:
        raise ProblemsError(problems)
    editions = require_editions(project.root, new.document.id, kind_of(new.document), project.files)
    documents = [
        render_document(
            project,
            version.document,
            1,
            replace(
                edition_approval(project, editions, version.edition.number) if version.edition else Approval(),
                redline=True,
            ),
        )[0]
        for version in (old, new)
    ]
    edition = new.edition or old.edition
    date = edition.approved if edition else None
    title = f"{document_title(new.document)}: {old.label} → {new.label}"
    if len(title) > CORE_PROPERTY_LIMIT:  # a long git revision in the label
        title = title[: CORE_PROPERTY_LIMIT - 1] + "…"
    properties = Properties(title, new.document.department, project.config.organisation.short_name, date=date)
    revisions = Revisions(author or revision_author(project), date)
    return write_docx([redline(*documents)], styles_bytes(project), properties, revisions=revisions)


def revision_author(project) -> str:  # noqa: ANN001 - Project
    """Who the tracked changes are attributed to by default: the HR person, else the organisation."""
    drafted_by = project.config.document.drafted_by
    return drafted_by.name if drafted_by else project.config.organisation.short_name


def redline(old: Document, new: Document) -> Document:
    """``new`` with the changes from ``old`` marked as tracked insertions and deletions."""
    return Document(tuple(_align(list(old.blocks), list(new.blocks), _block_key, _merge, _as_change)))


def _block_key(block: Block) -> tuple:
    """Kind and text; a clause's number is left out, so that a renumbered clause is the same clause."""
    text = plain(block.runs) if isinstance(block, _NUMBERED) else block.text
    return type(block).__name__, text


def _align(old: list, new: list, key, merge, as_change) -> list:  # noqa: ANN001
    """Walk the alignment of two sequences (:func:`jobdesc.editions.diff.align`): equal items kept,
    paired ones merged, the rest marked."""
    result: list = []
    old_keys, new_keys = [key(x) for x in old], [key(x) for x in new]
    for i, j in align(old_keys, new_keys, lambda i, j: _score(old[i], new[j])):
        if j is None:
            assert i is not None  # align never gives (None, None)
            if not _frame(old[i]):  # the old frame simply goes
                result.extend(as_change(old[i], "del"))
        elif i is None:
            result.append(new[j]) if _frame(new[j]) else result.extend(as_change(new[j], "ins"))
        elif _frame(new[j]):
            result.append(new[j])
        elif old_keys[i] == new_keys[j] and getattr(old[i], "number", None) == getattr(new[j], "number", None):
            result.append(new[j])
        else:
            result.extend(merge(old[i], new[j]))
    return result


def _score(old: _Item, new: _Item) -> float | None:
    """How alike two blocks are; ``None`` for blocks that are never merged (tables, page breaks)."""
    if type(old) is not type(new):
        return None
    if isinstance(old, Box) and isinstance(new, Box):
        return 1.0 if old.kind == new.kind else None
    if isinstance(old, tuple) and isinstance(new, tuple):  # a line of a box
        return similarity(plain(old), plain(new))
    if isinstance(old, _WORDED) and isinstance(new, _WORDED):
        return similarity(plain(old.runs), plain(new.runs))
    return None


def _as_change(block: _Item, change: str) -> list:
    """A whole block inserted or deleted (a deleted page break is simply dropped)."""
    if isinstance(block, PageBreak):
        return [block] if change == "ins" else []
    if isinstance(block, tuple):  # a line of a box
        return [_marked(block, change)]
    if isinstance(block, Table):
        return [replace(block, change=change)]
    if isinstance(block, Box):
        return [replace(block, lines=tuple(_marked(line, change) for line in block.lines))]
    runs = _marked(block.runs, change)
    if isinstance(block, _NUMBERED) and block.number:
        runs = (Run(block.number + " ", change=change), *runs)
        return [replace(block, number="", runs=runs)]
    return [replace(block, runs=runs)]


def _marked(runs: Inline, change: str) -> Inline:
    return tuple(replace(run, change=change) for run in runs)


def _merge(old: _Item, new: _Item) -> list:
    """A block present in both versions (the two of one kind), its changed words marked."""
    if isinstance(old, Box) and isinstance(new, Box):
        lines = _align(list(old.lines), list(new.lines), plain, _merge_line, _as_change)
        return [replace(new, lines=tuple(lines))]
    if isinstance(old, tuple) and isinstance(new, tuple):
        return [_merge_line(old, new)[0]]
    assert isinstance(old, _WORDED) and isinstance(new, _WORDED)  # tables and page breaks are never merged
    runs = _word_runs(old.runs, new.runs)
    if isinstance(old, _NUMBERED) and isinstance(new, _NUMBERED) and (old.number or new.number):
        if old.number == new.number:
            return [replace(new, runs=runs)]
        numbers = ((old.number, "del"), (new.number, "ins"))
        prefix = tuple(Run(number + " ", change=change) for number, change in numbers if number)
        return [replace(new, number="", runs=prefix + runs)]
    return [replace(new, runs=runs)]


def _merge_line(old: Inline, new: Inline) -> list:
    return [_word_runs(old, new)]


def _word_runs(old: Inline, new: Inline) -> Inline:
    """Word-level changes of two runs' texts; every piece keeps the bold and italic it had. Texts
    whose words mostly changed are one deletion and one insertion, not shredded word by word."""
    if similarity(plain(old), plain(new)) < REWRITTEN:
        return (*_marked(old, "del"), *_marked(new, "ins"))
    formats = {"delete": _formats(old), "insert": _formats(new)}
    kinds = {"equal": None, "delete": "del", "insert": "ins"}
    offsets = {"delete": 0, "insert": 0}
    result: list[Run] = []
    for op, text in word_diff(plain(old), plain(new)):
        side = "delete" if op == "delete" else "insert"  # unchanged text as it stands in the new version
        start = offsets[side]
        marks = formats[side][start : start + len(text)]
        for moved in ("delete", "insert") if op == "equal" else (op,):
            offsets[moved] += len(text)
        for index, char in enumerate(text):
            bold, italic = marks[index] if index < len(marks) else (False, False)
            last = result[-1] if result else None
            if last and (last.bold, last.italic, last.change) == (bold, italic, kinds[op]):
                result[-1] = replace(last, text=last.text + char)
            else:
                result.append(Run(char, bold, italic, kinds[op]))
    return tuple(result)


def _formats(runs: Inline) -> list[tuple[bool, bool]]:
    """(bold, italic) of every character of the runs' plain text."""
    return [(run.bold, run.italic) for run in runs if run.change != "del" for _ in run.text]
