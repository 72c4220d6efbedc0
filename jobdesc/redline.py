"""A redline: version Y as a document whose differences from version X are tracked changes.

Blocks are aligned by kind and text; a changed paragraph gets word-level insertions and
deletions, a whole new or dropped paragraph or table is inserted or deleted as a whole, so
that «Принять все» gives exactly Y's text and «Отклонить все» exactly X's.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

from jobdesc.diff import SIMILAR, word_diff
from jobdesc.render.document import Block, Box, Clause, Document, Heading, Inline, PageBreak, Run, Table, plain

_NUMBERED = (Clause, Heading)
CORE_PROPERTY_LIMIT = 255  # characters python-docx allows in a core property


def check_output(root: Path, out: Path) -> None:
    """Refuse an ``--out`` that is not a ``.docx`` or that would overwrite the project's inputs
    (``jobdesc.yaml``, ``roles/`` with the editions, ``templates/``)."""
    from jobdesc.errors import JobdescError
    from jobdesc.project import CONFIG_FILE, ROLES_DIR, TEMPLATES_DIR

    if out.suffix.lower() != ".docx":
        raise JobdescError(f"--out: {out}: исправления записываются в файл .docx — укажите имя с расширением .docx")
    target = out.resolve()
    root = root.resolve()
    for part in (CONFIG_FILE, ROLES_DIR, TEMPLATES_DIR):
        if target == root / part or (root / part) in target.parents:
            raise JobdescError(
                f"--out: {out}: это место файлов проекта ({part}) — jobdesc не пишет туда документы; "
                "выберите другую папку, например output/"
            )


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
    if len(title) > CORE_PROPERTY_LIMIT:  # a long git revision in the label
        title = title[: CORE_PROPERTY_LIMIT - 1] + "…"
    properties = Properties(title, new.role.department, project.config.organisation.short_name, date=date)
    return write_docx([redline(*documents)], styles_path(project), properties, revisions=Revisions(author, date))


def redline(old: Document, new: Document) -> Document:
    """``new`` with the changes from ``old`` marked as tracked insertions and deletions."""
    return Document(tuple(_align(list(old.blocks), list(new.blocks), _block_key, _merge, _as_change)))


def _block_key(block: Block) -> tuple:
    return type(block).__name__, getattr(block, "number", None), block.text


def _align(old: list, new: list, key, merge, as_change) -> list:  # noqa: ANN001
    """Walk the alignment of two sequences: equal items kept, similar ones merged, the rest marked."""
    result: list = []
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(new[j1:j2])
            continue
        start = j1
        for item in old[i1:i2]:
            match = next((j for j in range(start, j2) if _pairable(item, new[j])), None)
            if match is None:
                result.extend(as_change(item, "del"))
                continue
            for added in new[start:match]:
                result.extend(as_change(added, "ins"))
            result.extend(merge(item, new[match]))
            start = match + 1
        for added in new[start:j2]:
            result.extend(as_change(added, "ins"))
    return result


def _pairable(old: object, new: object) -> bool:
    if type(old) is not type(new) or isinstance(old, (Table, PageBreak)):
        return False
    if isinstance(old, Box):
        return old.kind == new.kind
    if isinstance(old, tuple):  # a line of a box
        return _similar(plain(old), plain(new))
    return _similar(plain(old.runs), plain(new.runs))


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= SIMILAR


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
