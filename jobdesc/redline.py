"""A redline: version Y as a document whose differences from version X are tracked changes.

Blocks are aligned by kind and text; a changed paragraph gets word-level insertions and
deletions, a whole new or dropped paragraph or table is inserted or deleted as a whole, so
that «Принять все» gives exactly Y's text and «Отклонить все» exactly X's.
"""

from __future__ import annotations

from dataclasses import replace

from jobdesc.diff import align, similarity, word_diff
from jobdesc.render.document import Block, Box, Clause, Document, Heading, Inline, PageBreak, Run, Table, plain

_NUMBERED = (Clause, Heading)


def redline_docx(project, old, new, author: str) -> bytes:  # noqa: ANN001 - Project, Version
    """The DOCX of version ``new`` with its differences from ``old`` as tracked changes (one copy)."""
    from jobdesc.build import Approval, check_styles, edition_approval, render_role, styles_path
    from jobdesc.editions import require_editions
    from jobdesc.errors import ProblemsError
    from jobdesc.render.docx_writer import Properties, Revisions, write_docx

    problems = check_styles(project)
    if problems:
        raise ProblemsError(problems)
    editions = require_editions(project.root, new.role.id)
    documents = [
        render_role(
            project,
            version.role,
            1,
            edition_approval(project, editions, version.edition.number) if version.edition else Approval(),
        )[0]
        for version in (old, new)
    ]
    edition = new.edition or old.edition
    date = edition.approved if edition else None
    title = f"Должностная инструкция {new.role.title_genitive}: {old.label} → {new.label}"
    properties = Properties(title, new.role.department, project.config.organisation.short_name, date=date)
    return write_docx([redline(*documents)], styles_path(project), properties, revisions=Revisions(author, date))


def redline(old: Document, new: Document) -> Document:
    """``new`` with the changes from ``old`` marked as tracked insertions and deletions."""
    return Document(tuple(_align(list(old.blocks), list(new.blocks), _block_key, _merge, _as_change)))


def _block_key(block: Block) -> tuple:
    """Kind and text; a clause's number is left out, so that a renumbered clause is the same clause."""
    text = plain(block.runs) if isinstance(block, _NUMBERED) else block.text
    return type(block).__name__, text


def _align(old: list, new: list, key, merge, as_change) -> list:  # noqa: ANN001
    """Walk the alignment of two sequences (:func:`jobdesc.diff.align`): equal items kept,
    paired ones merged, the rest marked."""
    result: list = []
    old_keys, new_keys = [key(x) for x in old], [key(x) for x in new]
    for i, j in align(old_keys, new_keys, lambda i, j: _score(old[i], new[j])):
        if j is None:
            result.extend(as_change(old[i], "del"))
        elif i is None:
            result.extend(as_change(new[j], "ins"))
        elif old_keys[i] == new_keys[j] and getattr(old[i], "number", None) == getattr(new[j], "number", None):
            result.append(new[j])
        else:
            result.extend(merge(old[i], new[j]))
    return result


def _score(old: object, new: object) -> float | None:
    """How alike two blocks are; ``None`` for blocks that are never merged (tables, page breaks)."""
    if type(old) is not type(new) or isinstance(old, (Table, PageBreak)):
        return None
    if isinstance(old, Box):
        return 1.0 if old.kind == new.kind else None
    if isinstance(old, tuple):  # a line of a box
        return similarity(plain(old), plain(new))
    return similarity(plain(old.runs), plain(new.runs))


def _as_change(block: object, change: str) -> list:
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


def _merge(old: object, new: object) -> list:
    """A block present in both versions, its changed words marked."""
    if isinstance(old, Box):
        lines = _align(list(old.lines), list(new.lines), plain, _merge_line, _as_change)
        return [replace(new, lines=tuple(lines))]
    if isinstance(old, tuple):
        return [_merge_line(old, new)[0]]
    runs = _word_runs(plain(old.runs), plain(new.runs))
    if isinstance(new, _NUMBERED) and (old.number or new.number):
        if old.number == new.number:
            return [replace(new, runs=runs)]
        prefix = (Run(old.number + " ", change="del"), Run(new.number + " ", change="ins"))
        return [replace(new, number="", runs=prefix + runs)]
    return [replace(new, runs=runs)]


def _merge_line(old: Inline, new: Inline) -> list:
    return [_word_runs(plain(old), plain(new))]


def _word_runs(old: str, new: str) -> Inline:
    kinds = {"equal": None, "delete": "del", "insert": "ins"}
    return tuple(Run(text, change=kinds[op]) for op, text in word_diff(old, new) if text)
