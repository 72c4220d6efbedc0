"""DOCX → PDF through LibreOffice (``soffice --headless --convert-to pdf``), written atomically.

By default the PDF is PDF/A-2b, the archival form: LibreOffice's PDF export filter takes the
version as a filter option (JSON syntax, LibreOffice 7.4 and later).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from jobdesc.disk.fsutil import describe
from jobdesc.errors import JobdescError, Problem, ProblemsError

EXECUTABLES = ("soffice", "libreoffice")
# Where the installers put soffice when it is not on PATH (Windows, macOS).
KNOWN_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
TIMEOUT_SECONDS = 120  # per batch, plus PER_FILE_SECONDS for each file
PER_FILE_SECONDS = 30
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'  # PDF/A-2b
PDFA_MARK = b"pdfaid:part"  # the PDF/A identification in the XMP metadata
INSTALL_HINT = (
    "LibreOffice (soffice) не найден, а он нужен для PDF: в Debian/Ubuntu — sudo apt-get install libreoffice-writer-nogui; "
    "в Windows и macOS — установите LibreOffice с https://www.libreoffice.org и добавьте папку с soffice в PATH"
)


def convert_stale(documents: list[Path], archival: bool = True) -> list[Path]:
    """PDFs of those documents whose PDF is missing, older than the document or of the other kind
    (PDF/A or plain), each beside its document; one batch per folder."""
    stale = [doc for doc in documents if not _current(doc.with_suffix(".pdf"), doc, archival)]
    folders: dict[Path, list[Path]] = {}  # each PDF beside its document (orders/ is a folder of its own)
    for doc in stale:
        folders.setdefault(doc.parent, []).append(doc)
    return [pdf for folder, docs in folders.items() for pdf in convert_to_pdf(docs, folder, archival)]


def not_archival(pdfs: list[Path]) -> list[Path]:
    """The PDFs that were asked as PDF/A and are not (LibreOffice before 7.4 ignores the export options)."""
    return [pdf for pdf in pdfs if PDFA_MARK not in pdf.read_bytes()]  # door: PDFs jobdesc wrote


def _current(pdf: Path, doc: Path, archival: bool) -> bool:
    try:
        if pdf.stat().st_mtime < doc.stat().st_mtime:
            return False
        return (PDFA_MARK in pdf.read_bytes()) == archival  # door: a PDF jobdesc wrote
    except OSError:
        return False


def find_soffice() -> str:
    """The LibreOffice executable; a :class:`JobdescError` saying how to install it when absent."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    for location in KNOWN_LOCATIONS:
        if Path(location).is_file():
            return location
    raise JobdescError(INSTALL_HINT)


def convert_to_pdf(docx_paths: list[Path], out_dir: Path, archival: bool = True) -> list[Path]:
    """Convert each DOCX into ``out_dir/NAME.pdf`` (PDF/A-2b, or plain PDF when not ``archival``);
    returns the PDF paths in the order given.

    One LibreOffice run converts a whole batch (files of the same name go to separate runs).
    It uses a private profile, so it works while the user has LibreOffice open; every PDF is
    made in a temporary folder and renamed into place, so a reader never sees half a PDF.
    """
    if not docx_paths:
        return []
    soffice = find_soffice()
    sources = [Path(p) for p in docx_paths]
    unusable = [problem for problem in map(_unusable, sources) if problem]
    if unusable:
        raise ProblemsError(unusable)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JobdescError(f"{out_dir}: не удается создать папку: {describe(exc)}") from None
    results: list[Path] = [out_dir] * len(sources)
    for batch in _batches(sources):
        for index, pdf in zip(batch, _convert_batch(soffice, [sources[i] for i in batch], out_dir, archival)):
            results[index] = pdf
    return results


def _unusable(path: Path) -> Problem | None:
    """Why ``path`` cannot be converted (LibreOffice would print any file as plain text)."""
    import zipfile  # lazy: a build without --pdf does not open a package

    if not path.is_file():
        return Problem(str(path), None, "", "файл не найден")
    try:
        with zipfile.ZipFile(path) as package:
            package.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return Problem(str(path), None, "", "это не документ DOCX — PDF не создан")
    return None


def _batches(sources: list[Path]) -> list[list[int]]:
    """Indexes of ``sources`` in batches where no two files would make the same PDF name."""
    batches: list[list[int]] = []
    for index, source in enumerate(sources):
        for batch in batches:
            if all(sources[i].stem != source.stem for i in batch):
                batch.append(index)
                break
        else:
            batches.append([index])
    return batches


def _convert_batch(soffice: str, batch: list[Path], out_dir: Path, archival: bool = True) -> list[Path]:
    try:
        staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=out_dir))
    except OSError as exc:
        raise JobdescError(f"{out_dir}: не удается записать: {describe(exc)}") from None
    profile = Path(tempfile.mkdtemp(prefix="jobdesc-soffice-"))
    try:
        command = convert_command(soffice, profile, PDFA_FILTER if archival else "pdf", staging, batch)
        timeout = TIMEOUT_SECONDS + PER_FILE_SECONDS * len(batch)
        try:
            returncode, stdout, stderr = run_in_own_group(command, timeout, [profile, staging])
        except subprocess.TimeoutExpired:
            done = [p for p in batch if (staging / f"{p.stem}.pdf").is_file()]
            slow = next((p for p in batch if p not in done), batch[-1])
            raise JobdescError(
                f"{slow}: LibreOffice не сделал PDF за {timeout} с и остановлен — PDF не создан"
                + (f" (готовы раньше: {len(done)} из {len(batch)}, но не записаны)" if done else "")
            ) from None
        except OSError as exc:
            raise JobdescError(f"{soffice}: не удается запустить LibreOffice: {describe(exc)}") from None
        if returncode != 0:
            detail = _last_line(stderr) or _last_line(stdout)
            names = ", ".join(str(p) for p in batch)
            raise JobdescError(
                f"{names}: LibreOffice завершился с ошибкой (код {returncode})"
                + (f": {detail}" if detail else "")
                + " — PDF не создан"
            )
        made = [staging / f"{p.stem}.pdf" for p in batch]
        reason = _no_pdf_reason(staging)
        failed = [
            Problem(str(p), None, "", reason)
            for p, pdf in zip(batch, made)
            if not pdf.is_file() or pdf.stat().st_size == 0
        ]
        if failed:
            raise ProblemsError(failed)
        results = []
        for pdf in made:
            target = out_dir / pdf.name
            try:
                os.replace(pdf, target)
            except OSError as exc:
                raise JobdescError(f"{target}: не удается записать: {describe(exc)}") from None
            results.append(target)
        return results
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


LOW_SPACE = 16 * 1024 * 1024  # bytes free under which a missing PDF is put down to the disk


def _no_pdf_reason(folder: Path) -> str:
    """Why LibreOffice made no PDF: a full disk (it says nothing of it), else a broken document."""
    try:
        if shutil.disk_usage(folder).free < LOW_SPACE:
            return "LibreOffice не создал PDF: нет места на диске — освободите место и повторите"
    except OSError:
        pass
    return "LibreOffice не создал PDF (файл поврежден или это не DOCX?)"


def run_in_own_group(command: list[str], timeout: float, leftovers: list[Path]) -> tuple[int, bytes, bytes]:
    """Run a LibreOffice ``command`` (from :func:`convert_command`) in a process group of its own and
    return its exit code, standard output and standard error; the one way jobdesc runs LibreOffice
    (``build --pdf`` and ``import`` of .doc, .rtf and .odt).

    ``soffice`` starts ``soffice.bin``, which outlives it when only ``soffice`` is stopped, so the
    whole group is stopped when the command returns, and on a timeout (``subprocess.TimeoutExpired``
    after ``timeout`` seconds) or Ctrl-C, which are raised again. When jobdesc itself is killed, a
    small guardian process stops the group and removes ``leftovers`` (the profile and work folders).
    An ``OSError`` means LibreOffice could not be started.
    """
    own_group: dict
    if sys.platform == "win32":
        own_group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        own_group = {"start_new_session": True}
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **own_group
    )
    guardian = _guardian(process.pid, leftovers)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:  # a timeout, Ctrl-C, or jobdesc being stopped: LibreOffice goes too
        _stop_group(process)
        raise
    finally:
        _dismiss(guardian)
    _stop_group(process)  # a helper LibreOffice left running after soffice returned
    return process.returncode, stdout, stderr


# Waits for jobdesc to close its end of the pipe: without a word first, jobdesc was killed, so
# the LibreOffice group is stopped and its folders removed.
_GUARDIAN = """
import os, shutil, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
if sys.stdin.buffer.read() != b"done":
    try:
        os.killpg(int(sys.argv[1]), signal.SIGKILL)
    except OSError:
        pass
    for folder in sys.argv[2:]:
        shutil.rmtree(folder, ignore_errors=True)
"""


def _guardian(group: int, leftovers: list[Path]):  # noqa: ANN202 - subprocess.Popen or None
    """The guardian of a LibreOffice group (POSIX; elsewhere ``None``)."""
    if os.name == "nt":
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-c", _GUARDIAN, str(group), *map(str, leftovers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None


def _dismiss(guardian) -> None:  # noqa: ANN001
    """Tell the guardian jobdesc is still here and cleans up itself."""
    if guardian is None:
        return
    try:
        guardian.communicate(b"done", timeout=10)
    except Exception:  # noqa: BLE001 - the guardian is a convenience; it must not fail a build
        guardian.kill()


def _stop_group(process) -> None:  # noqa: ANN001 - subprocess.Popen
    """Kill the process group LibreOffice runs in (all of it) and reap ``soffice``."""
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )  # the whole tree
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        process.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass


def _last_line(output: bytes) -> str:
    text = output.decode(sys.getfilesystemencoding() or "utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def convert_command(soffice: str, profile: Path, target: str, outdir: Path, files: list[Path]) -> list[str]:
    """LibreOffice's command converting ``files`` to ``target`` into ``outdir``, headless, with a
    profile of its own (an open LibreOffice of the user's is not disturbed)."""
    return [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *(str(path.resolve()) for path in files),
    ]
