"""The approval model of each kind of document (``document.approval`` in ``jobdesc.yaml``): an
order («УТВЕРЖДЕНО приказом … от … № …») or the director's stamp («УТВЕРЖДАЮ»). ``approve``
keeps to it, and ``check`` refuses a text that says otherwise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from jobdesc.disk.reading import InputRefused, read_input
from jobdesc.errors import JobdescError, Problem
from jobdesc.project.kinds import kind_of
from jobdesc.project.loader import Project
from jobdesc.project.model import Document, Policy

if TYPE_CHECKING:
    from jobdesc.commands.check_memory import CheckMemory

ORDER, STAMP = "order", "stamp"
_KEYS = {"role": "instructions", "policy": "policies"}
# What a text says when it assumes the other model: an order's words under the stamp, and back.
_CONTRADICTS = {
    STAMP: re.compile(r"утвержда\w*\s+приказом|с\s+даты,\s+указанной\s+в\s+приказе", re.IGNORECASE),
    ORDER: re.compile(r"с\s+даты\s+(?:его\s+|ее\s+|их\s+)?утверждения|утверждается\s+грифом", re.IGNORECASE),
}
_SAID = {ORDER: "утверждаются приказом", STAMP: "утверждаются грифом «УТВЕРЖДАЮ» (без приказа)"}


def model_of(project: Project, document: Document) -> str | None:
    """``order``, ``stamp`` or ``None`` (no rule) for the kind of ``document``."""
    return project.config.document.approval.of(document.kind_name)


def setting(document: Document, model: str) -> str:
    """«document.approval.policies: order»: where the model is set."""
    return f"document.approval.{_KEYS[document.kind_name]}: {model}"


def require_model(project: Project, doc_id: str, has_order: bool) -> None:
    """Refuse an approval that does not follow the model of the document's kind."""
    document = project.documents.get(doc_id)
    if document is None:  # named by approve's own message
        return
    model = model_of(project, document)
    if model == ORDER and not has_order:
        raise JobdescError(
            f"{doc_id}: документы этого вида {_SAID[ORDER]} ({setting(document, ORDER)} в jobdesc.yaml) — "
            "укажите --order НОМЕР (и --order-date, если приказ издан раньше)"
        )
    if model == STAMP and has_order:
        raise JobdescError(
            f"{doc_id}: документы этого вида {_SAID[STAMP]} ({setting(document, STAMP)} в jobdesc.yaml) — "
            "утвердите без --order или измените модель в jobdesc.yaml"
        )


def model_problems(project: Project, memory: CheckMemory | None = None) -> list[Problem]:
    """Every working text that contradicts its kind's approval model: a regulation's section whose
    ``entry`` is the other model, a clause (from the file or the project's own template) that
    speaks of the other way of approval (``memory``: the clauses as an earlier check of the same
    inputs found them)."""
    problems: list[Problem] = []
    for doc_id, document in project.documents.items():
        model = model_of(project, document)
        if model is None:
            continue
        shown = kind_of(document).shown(doc_id)
        data = project.graph.nodes[doc_id].data if doc_id in project.graph.nodes else None
        if isinstance(document, Policy):
            for index, section in enumerate(document.sections):
                if section.entry is not None and section.entry != model:
                    problems.append(
                        Problem(
                            shown,
                            _section_line(data, index, "entry"),
                            f"sections[{index}].entry",
                            f"{section.entry}, а документы этого вида {_SAID[model]} ({setting(document, model)} "
                            f"в jobdesc.yaml): пункт об утверждении противоречил бы грифу — entry: {model}",
                        )
                    )
        if not any(p.path == shown for p in problems):  # a wrong entry's clause is that one problem
            key = memory.key("model", document, model) if memory else ""
            remembered = memory.recall(key) if memory else None
            if remembered is not None:
                problems.extend(remembered[0])
                continue
            found = _contradicting_clauses(project, doc_id, document, model, shown)
            if memory:
                memory.keep(key, found)
            problems.extend(found)
    return problems


def _section_line(data: object, index: int, key: str) -> int | None:
    try:
        section = data["sections"][index]  # type: ignore[index]  # a LocatedDict from the graph
        return section.key_lines.get(key) or data["sections"].item_lines[index]  # type: ignore[index]
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _contradicting_clauses(project: Project, doc_id: str, document: Document, model: str, shown: str) -> list[Problem]:
    """Clauses of the working text that speak of the other model, named where they are written:
    the document's file, else the project's own template."""
    # lazy: brings Jinja and the aligner; loaded only by the commands that get here (not a check
    # answered from memory)
    from jobdesc.documents.compose import render_document
    from jobdesc.editions.diff import units

    pattern = _CONTRADICTS[model]
    template = kind_of(document).template
    places = [(shown, project.root / shown), (f"templates/{template}", project.templates / template)]
    found: list[Problem] = []
    for unit in units(render_document(project, document, 1)[0]):
        match = pattern.search(unit.text)
        if match is None:
            continue
        words = match.group(0)
        where, line = shown, None
        for name, path in places:
            line = next((n for n, text in enumerate(_lines_of(path, project), start=1) if words in text), None)
            if line is not None:
                where = name
                break
        found.append(
            Problem(
                where,
                line,
                f"пункт {unit.number.rstrip('.')}",
                f"«{words}» — а документы этого вида {_SAID[model]} ({setting(document, model)} в jobdesc.yaml): "
                "исправьте текст или модель утверждения",
            )
        )
    return found


def _lines_of(path: Path, project: Project) -> list[str]:
    """A project file's lines, read through the one door (none when it is not there or cannot be read)."""
    if not path.is_file():
        return []
    try:
        return read_input(path, 1 << 20, project.root).decode("utf-8", "replace").splitlines()
    except InputRefused:
        return []
