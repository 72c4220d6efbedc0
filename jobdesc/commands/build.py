"""``jobdesc build`` around the batch (:mod:`jobdesc.build.batch`): the output folder it may write,
how many documents it goes through, the lines of its report and its PDFs."""

from __future__ import annotations

import os
from pathlib import Path

from jobdesc.build.batch import Report, record_pdfs
from jobdesc.disk.fsutil import refuse_output, shown
from jobdesc.errors import MAX_SHOWN, JobdescError
from jobdesc.project.kinds import KINDS, source_name
from jobdesc.project.layout import refuse_inputs

Lines = tuple[list[str], list[str]]  # for standard output, for standard error


def output_folder(root: Path, out: Path | None) -> Path:
    """The folder a build writes (``--out`` or the project's ``output/``); refused when it would
    overwrite the project's inputs or lead out of the project by a link."""
    if out is not None:
        refuse_inputs(root, out)  # the project's input folders, as the loader knows them
    refuse_output(root, out or root / "output", "--out" if out is not None else "")
    return out or root / "output"


def count_documents(root: Path) -> int:
    """How many documents a build goes through (for the progress bar): source files, counted by name."""
    count = 0
    for kind in KINDS:
        try:
            count += sum(1 for entry in os.scandir(root / kind.folder) if source_name(entry.name))
        except OSError:
            continue
    return count


def report_lines(report: Report, root: Path) -> Lines:
    """Files written on stdout; removed files, warnings, problems and the summary on stderr."""
    removed = [f"удален устаревший файл {shown(path, root)}: {why}" for path, why in report.removed]
    failed = [str(p) for p in report.failed[:MAX_SHOWN]]  # a document with 50,000 problems: the first ones
    if len(report.failed) > MAX_SHOWN:
        rest = len(report.failed) - MAX_SHOWN
        failed.append(f"… и еще {rest} (всего {len(report.failed)}): исправьте показанные и соберите снова")
    errors = [*removed, *(f"внимание: {w}" for w in report.warnings), *failed, report.summary()]
    return [shown(path, root) for path in report.written], errors


def pdf_lines(report: Report, root: Path, folder: Path, pdf: str | None) -> Lines:
    """With ``pdf`` (``archival`` or ``plain``), the PDFs of the built documents that are missing or
    stale, made now and recorded in the manifest of ``folder`` (a failure stops the command after the report); without it, a warning about
    PDFs older than their document."""
    if pdf is not None and report.current:
        # lazy: LibreOffice's runner (with shutil, tempfile, signal) loads only for --pdf
        from jobdesc.build.pdf import convert_stale, not_archival

        pdfs = convert_stale([Path(doc) for doc in report.current], archival=pdf == "archival")
        record_pdfs(folder, pdfs)  # a later build removes only the PDFs it made
        errors = [f"PDF записано: {len(pdfs)}" + ("" if pdf == "plain" else " (PDF/A-2b)")] if pdfs else []
        plain = not_archival(pdfs) if pdf == "archival" else []
        if plain:  # LibreOffice before 7.4 ignores the export options
            errors.append(f"внимание: {_first_and_more(plain, root)}: не PDF/A — нужен LibreOffice 7.4 или новее")
        return [shown(path, root) for path in pdfs], errors
    old_pdfs = outdated(report.current)
    if old_pdfs:
        return [], [
            f"внимание: {_first_and_more(old_pdfs, root)} старше своего документа — обновить: jobdesc build --pdf"
        ]
    return [], []


def outdated(documents: list[str]) -> list[Path]:
    """The PDFs next to these documents that are older than their document (a build without
    ``--pdf`` rewrote the document and left its PDF as it was)."""
    found = []
    pdfs: dict[str, set[str]] = {}  # the PDFs of each folder, listed once (thousands of documents)
    for doc in documents:
        folder, name = os.path.split(doc)
        if folder not in pdfs:
            try:
                with os.scandir(folder or ".") as entries:
                    pdfs[folder] = {entry.name for entry in entries if entry.name.endswith(".pdf")}
            except OSError:
                pdfs[folder] = set()
        if not pdfs[folder]:
            continue
        pdf = os.path.splitext(name)[0] + ".pdf"
        if pdf not in pdfs[folder]:
            continue
        try:
            if os.stat(os.path.join(folder, pdf)).st_mtime < os.stat(doc).st_mtime:
                found.append(Path(folder, pdf))
        except OSError:
            continue
    return found


def _first_and_more(paths: list[Path], root: Path) -> str:
    """«output/a.pdf и еще 2»."""
    return shown(paths[0], root) + (f" и еще {len(paths) - 1}" if len(paths) > 1 else "")


def refuse_failures(report: Report) -> None:
    """A build in which a document failed ends with exit code 1 (its problems are in the report)."""
    if report.failed:
        raise JobdescError(f"не собрано документов: {len(report.failed_documents)} — ошибки перечислены выше")
