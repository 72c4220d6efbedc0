"""``jobdesc import``: Word files and folders into ``roles/`` and ``policies/``, with edition 1 and a report.

Each file is read (``.doc``, ``.rtf`` and ``.odt`` converted by LibreOffice first), mapped
(:mod:`jobdesc.sources.word_import`), checked against the schema and written as a new file, never
over an existing one; a stamp becomes edition 1 recorded with the source's sha256. A file that
cannot be imported gets one line and nothing written; the others still import.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jobdesc.build.pdf import PER_FILE_SECONDS, TIMEOUT_SECONDS, convert_command, find_soffice
from jobdesc.disk.fsutil import create_new, describe
from jobdesc.disk.reading import read_input
from jobdesc.errors import InputRefused, JobdescError
from jobdesc.language.ru import initials_surname
from jobdesc.project.kinds import KINDS
from jobdesc.project.model import CLAUSE_LISTS, Person
from jobdesc.sources.word import read_docx
from jobdesc.sources.word_import import Imported, import_word
from jobdesc.sources.word_lines import normal

MAX_SOURCE_BYTES = 50 * 1024 * 1024
PER_PROCESS = 16  # files per process below which one process reads them all (a pool costs a second to start)
WORD = {".docx", ".docm"}
CONVERTED = {".doc", ".rtf", ".odt"}
ROLE_ORDER = (
    "title",
    "title_genitive",
    "number",
    "category",
    "department",
    "reports_to",
    "subordinates",
    "appointment",
    "substitute",
    "requirements",
    *CLAUSE_LISTS,
)


@dataclass
class FileResult:
    """What became of one source file: the imported document and what was written, or why not."""

    source: str
    imported: Imported | None = None
    doc_id: str = ""
    written: list[str] = field(default_factory=list)
    error: str = ""
    edition: bool = False  # the stamp becomes (or in a dry run would become) edition 1


def import_paths(
    root: Path, paths: list[Path], kind: str | None = None, doc_id: str | None = None, dry_run: bool = False
) -> list[FileResult]:
    """Import every Word file of ``paths`` (folders recursively) into the project at ``root``.

    The files are read and mapped on every core; they are written one by one, in order.
    """
    if doc_id is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc_id):
        raise JobdescError(f"--id: «{doc_id}» — только строчные латинские буквы, цифры и дефисы")
    files = _files(paths)
    if doc_id is not None and len(files) != 1:
        raise JobdescError("--id указывается только для одного файла")
    taken: set[str] = set()
    seen: dict[str, Path] = {}  # sha256 → the first file with those bytes
    results = []
    for path, read in zip(files, _read_all(files, kind)):
        result = FileResult(str(path))
        try:
            if isinstance(read, str):
                raise JobdescError(read)
            if read[1] in seen:
                raise JobdescError(f"{path}: тот же файл, что {seen[read[1]]}, — пропущен")
            seen[read[1]] = path
            _write_one(root, path, read, doc_id, dry_run, taken, result)
        except JobdescError as exc:
            result.error = exc.message
        results.append(result)
    return results


def _read_all(files: list[Path], kind: str | None) -> list[tuple[Imported, str, str] | str]:
    """Each file read and mapped: (the document, the source's sha256, the YAML text), or the one line why not."""
    jobs = min(os.cpu_count() or 1, len(files) // PER_PROCESS)
    if jobs < 2:
        return [read_one(path, kind) for path in files]
    # lazy: concurrent.futures is loaded only by the commands that get here
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(read_one, files, [kind] * len(files), chunksize=8))


def read_one(path: Path, kind: str | None) -> tuple[Imported, str, str] | str:
    """One file read and mapped, or the one line saying why it cannot be."""
    suffix = path.suffix.lower()
    if suffix not in WORD | CONVERTED:
        return f"{path}: это не документ Word (.docx, .doc, .rtf, .odt) — пропущен"
    try:
        source = read_input(path, MAX_SOURCE_BYTES)
        data = convert_to_docx(path, source) if suffix in CONVERTED else source
        imported = import_word(read_docx(data), kind)
    except InputRefused as exc:
        return f"{path}: {exc.reason}"
    except JobdescError as exc:
        return f"{path}: {exc.message}"
    return imported, "sha256:" + hashlib.sha256(source).hexdigest(), yaml_text(imported, path)


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))),
                key=lambda p: p.as_posix(),
            )
            files.extend(found)
        else:
            files.append(path)
    return files


def _write_one(
    root: Path,
    path: Path,
    read: tuple[Imported, str, str],
    doc_id: str | None,
    dry_run: bool,
    taken: set[str],
    result: FileResult,
) -> None:
    imported, digest, text = read
    result.imported = imported
    kind_folder = "roles" if imported.kind == "role" else "policies"
    result.doc_id = doc_id or unique_id(root, make_id(imported.title), taken)
    taken.add(result.doc_id)
    target = root / kind_folder / f"{result.doc_id}.yaml"
    shown = f"{kind_folder}/{result.doc_id}.yaml"
    # lazy: jobdesc.project.validate and what it imports (13 modules) load only for the commands that get here
    from jobdesc.project.validate import check_shape

    schema = next(k.schema for k in KINDS if k.name == imported.kind)
    problems = check_shape(imported.data, schema, shown)
    if problems:
        raise JobdescError(f"{path}: не перенесен — {problems[0]}")
    _prove(imported, path)
    if target.exists():
        raise JobdescError(f"{path}: {shown} уже есть и не перезаписывается (укажите другой --id)")
    if imported.approval is not None and _placeholders(imported):
        imported.warnings.append(  # an edition is never changed: it is not recorded with placeholders in it
            "гриф найден, но в документе нет всех обязательных полей (заготовки в [скобках]) — редакция № 1 "
            f"не записана: заполните их и выполните {_approve_command(result.doc_id, imported)}"
        )
    result.edition = imported.approval is not None and not _placeholders(imported)
    if dry_run:
        return
    try:
        create_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise JobdescError(f"{path}: {shown} уже есть и не перезаписывается") from None
    except OSError as exc:
        raise JobdescError(f"{shown}: не удается записать: {describe(exc)}") from None
    result.written.append(shown)
    if result.edition:
        try:
            result.written.append(_first_edition(root, result.doc_id, imported, path.name, digest))
        except JobdescError as exc:
            target.unlink(missing_ok=True)  # nothing half-written: the role goes with its edition
            result.written.clear()
            raise JobdescError(f"{path}: редакция № 1 не записана, файл не перенесен — {exc.message}") from None


def _placeholders(imported: Imported) -> list[str]:
    # lazy: jobdesc.project.lint and what it imports (21 modules) load only for the commands that get here
    from jobdesc.project.lint import placeholders

    return list(placeholders(imported.data))


def _approve_command(doc_id: str, imported: Imported) -> str:
    """The ``jobdesc approve`` that records the stamp once the text is complete."""
    approval = imported.approval
    assert approval is not None
    command = f"jobdesc approve {doc_id} --date {approval.date.isoformat()}"
    if approval.order_number and approval.order_date:
        command += f" --order {approval.order_number} --order-date {approval.order_date.isoformat()}"
    if approval.name:
        command += f' --approver "{approval.position + ", " if approval.position else ""}{approval.name}"'
    return command


def make_id(title: str) -> str:
    """An id from a title, transliterated by ГОСТ 7.79 system B (iuliia): «Менеджер по продажам» → menedzher-po-prodazham."""
    # lazy: brings iuliia; loaded only by the commands that get here
    import iuliia

    latin = iuliia.GOST_779_ALT.translate(title).lower().replace("'", "").replace("`", "")
    words = re.findall(r"[a-z0-9]+", latin)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > 60:
            break
        out = f"{out}-{word}" if out else word
    return out or "dokument"


def unique_id(root: Path, base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … when a role, a regulation (or its editions) or this import has it."""
    candidate, number = base, 1
    while candidate in taken or any(  # a deleted document's editions keep its id
        (root / folder / f"{candidate}{suffix}").exists()
        for folder in ("roles", "policies")
        for suffix in (".yaml", ".editions")
    ):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def convert_to_docx(path: Path, data: bytes) -> bytes:
    """A .doc, .rtf or .odt as .docx bytes, by LibreOffice (the process handling of ``build --pdf``)."""
    # lazy: subprocess is loaded only by the commands that get here
    import subprocess

    from jobdesc.build.pdf import run_in_own_group

    if data.startswith(b"PK") and b"word/document.xml" in data:
        return data  # a .docx under another name (an .odt is a zip archive too)
    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="jobdesc-import-"))
    profile = Path(tempfile.mkdtemp(prefix="jobdesc-soffice-"))
    try:
        source = work / f"source{path.suffix.lower()}"
        source.write_bytes(data)
        command = convert_command(soffice, profile, "docx:MS Word 2007 XML", work / "out", [source])
        timeout = TIMEOUT_SECONDS + PER_FILE_SECONDS
        try:
            run_in_own_group(command, timeout, [profile, work])
        except subprocess.TimeoutExpired:
            raise InputRefused(f"LibreOffice не преобразовал файл за {timeout} с и остановлен") from None
        except OSError as exc:
            raise JobdescError(f"{soffice}: не удается запустить LibreOffice: {describe(exc)}") from None
        made = work / "out" / "source.docx"
        if not made.is_file() or made.stat().st_size == 0:
            raise InputRefused("LibreOffice не смог прочитать файл (поврежден или зашифрован?)")
        return made.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


def _prove(imported: Imported, path: Path) -> None:
    """Nothing lost: each piece taken into the data is found in it, word for word."""
    texts: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(normal(value))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(imported.data)
    collect(imported.comments)
    texts = [text.casefold() for text in texts]  # a heading in capitals is written in the usual case
    everything = "\n".join(texts)
    for piece in imported.pieces:
        if piece.fate == "data" and not _covered(piece.text.casefold(), texts, everything):
            raise JobdescError(f"{path}: не перенесен — текст «{piece.text[:60]}» не попал в файл (ошибка jobdesc)")


def _covered(text: str, texts: list[str], everything: str) -> bool:
    """``text`` is a value, or is made of values (a sentence jobdesc builds from its fields)."""
    bare = re.sub(r"^(\d+(\.\d+)*[.)]?|[ivxх]+\.?|[а-яa-z]\)|[-–—•·▪●◦])\s*", "", text)
    if bare in texts or bare.rstrip(":") in texts or bare in everything:
        return True
    values = [t for t in texts if len(t) > 2 and t in bare]
    return bool(values)


def yaml_text(imported: Imported, path: Path) -> str:
    """The YAML file: one clause per list item, a blank line between fields, comments where kept."""
    schema = "role" if imported.kind == "role" else "policy"
    lines = [
        f"# yaml-language-server: $schema=../jobdesc/schema/{schema}.schema.json",
        f"# Перенесено из {path.name} (jobdesc import). Проверьте: jobdesc check --strict.",
    ]
    if imported.comments.get(""):
        lines += _comment_lines(imported.comments[""])
    data = imported.data
    keys = list(data)
    if imported.kind == "role":
        keys = [k for k in ROLE_ORDER if k in data] + [k for k in data if k not in ROLE_ORDER]
    previous_block = False
    for key in keys:
        chunk = yaml.dump(
            {key: data[key]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False
        )
        block = isinstance(data[key], (list, dict))
        if block or previous_block:
            lines.append("")
        if key == "sections":  # a blank line between the sections of a regulation
            chunk = re.sub(r"\n(  - title: )", r"\n\n\1", chunk).replace(":\n\n  - title", ":\n  - title", 1)
        lines.extend(chunk.rstrip("\n").split("\n"))
        previous_block = block
        for where in [key, *(["general"] if key == "requirements" else [])]:
            if where in imported.comments:
                lines += _comment_lines(imported.comments[where])
    for where, texts in imported.comments.items():
        if where and where not in data and not (where == "general" and "requirements" in data):
            lines.append("")
            lines += _comment_lines(texts, where)
    return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the project's files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _comment_lines(texts: list[str], where: str = "") -> list[str]:
    head = (
        f"# Не перенесено в поля ({where}) — нет такого поля; перенесите вручную:"
        if where
        else ("# Не перенесено в поля — нет такого поля; перенесите вручную:")
    )
    return [head, *(f"#   {text}" for text in texts)]


def _first_edition(root: Path, doc_id: str, imported: Imported, name: str, digest: str) -> str:
    """Edition 1 from the stamp: approved on its date by its approver, with the source's sha256."""
    # lazy: jobdesc.editions.store and what it imports (22 modules) load only for the commands that get here
    from jobdesc.editions.store import Order, new_edition, write_edition
    from jobdesc.project.loader import load_project

    approval = imported.approval
    assert approval is not None
    project = load_project(root, only=[doc_id])
    if doc_id not in project.documents:
        raise JobdescError(f"{doc_id}: документ не загрузился")

    known = project.config.approver
    person = Person(approval.position or known.position, approval.name or known.name)
    if approval.name and initials_surname(approval.name) == initials_surname(known.name):
        person = known  # «А.П. Воронцов» on the stamp is the approver of jobdesc.yaml: his full name
    order = Order(approval.order_number, approval.order_date) if approval.order_number and approval.order_date else None
    edition = new_edition(
        project.documents[doc_id], [], approval.date, person, order, source={"file": name, "sha256": digest}
    )
    path = write_edition(project.root, edition)
    return path.relative_to(project.root).as_posix()


def report_lines(results: list[FileResult], detailed: bool, dry_run: bool) -> list[str]:
    """The report: per file its kind, id, title, sections, clauses, left out and warnings; a summary."""
    lines: list[str] = []
    for result in results:
        if result.error:
            lines.append(f"ошибка: {result.error}")
            continue
        imported = result.imported
        assert imported is not None
        clauses, subclauses = imported.counts()
        left = imported.left_out()
        kind = "инструкция" if imported.kind == "role" else "положение"
        history = ", проект"
        if imported.approval is not None:
            stamp = f"{imported.approval.date:%d.%m.%Y}"
            history = f", редакция № 1 от {stamp}" if result.edition else f", проект (гриф от {stamp} — см. «внимание»)"
        where = (
            ", ".join(result.written)
            if result.written
            else f"{'roles' if imported.kind == 'role' else 'policies'}/{result.doc_id}.yaml"
        )
        lines.append(
            f"{result.source}: {kind} {result.doc_id} «{imported.title}» → {where}{history}; "
            f"разделов {len(imported.sections)}, пунктов {clauses}, подпунктов {subclauses}, "
            f"не перенесено намеренно {len(left)}, предупреждений {len(imported.warnings)}"
        )
        if detailed:
            lines.append("  разделы: " + "; ".join(s for s in imported.sections if s))
            for piece in left:
                lines.append(f"  не перенесено ({piece.fate}): {piece.text[:100]}")
            for warning in imported.warnings:
                lines.append(f"  внимание: {warning}")
    done = sum(1 for r in results if not r.error)
    failed = len(results) - done
    verb = "можно перенести" if dry_run else "перенесено"
    lines.append(
        f"Итого: {verb} {done} из {len(results)}"
        + (f", с ошибками {failed}" if failed else "")
        + (" (--dry-run: ничего не записано)" if dry_run else "")
    )
    return lines
