"""DOCX → PDF through LibreOffice: one run per batch, a private profile, atomic PDFs, clear failures."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.build import pdf
from jobdesc.build.pdf import convert_to_pdf
from jobdesc.errors import JobdescError

REPO = Path(__file__).resolve().parent.parent
HAS_SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a script with a #! line")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The shipped roles built once into DOCX."""
    base = tmp_path_factory.mktemp("pdf")
    project = copy_project(base / "project", editions=False, linked=False)
    result = run_cli("-C", project, "build", "--out", base / "docx")
    assert result.exit_code == 0, result.output
    return sorted((base / "docx").glob("*.docx"))


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in ``soffice`` first on PATH; it logs its arguments to ``calls.jsonl``.

    FAKE_EXIT sets its exit code; FAKE_SKIP names a file it does not convert.
    """
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "calls.jsonl"
    script = folder / "soffice"
    script.write_text(
        textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, pathlib, sys
        args = sys.argv[1:]
        profile = next(a for a in args if a.startswith("-env:UserInstallation="))
        with open({str(log)!r}, "a", encoding="utf-8") as log:
            log.write(json.dumps({{"args": args}}) + "\\n")
        out = pathlib.Path(args[args.index("--outdir") + 1])
        for name in args[args.index("--outdir") + 2:]:
            if pathlib.Path(name).name != os.environ.get("FAKE_SKIP"):
                (out / (pathlib.Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4 fake")
        print("some diagnostics", file=sys.stderr)
        sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
    """),
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(pdf, "KNOWN_LOCATIONS", ())
    return log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line)["args"] for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def copy_docs(documents: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(d, folder / d.name)) for d in documents]


# --- with the real LibreOffice --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_real_soffice_converts_the_shipped_roles(documents: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "pdf"

    made = convert_to_pdf(documents, out)

    assert made == [out / f"{d.stem}.pdf" for d in documents]
    for path in made:
        assert path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in made), "no temporary folders left"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(made[0]), "-"], capture_output=True, check=True, text=True).stdout
        assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in text


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_real_soffice_replaces_an_old_pdf_and_leaves_no_profile(
    documents: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pdf"
    out.mkdir()
    (out / f"{documents[0].stem}.pdf").write_bytes(b"old")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)

    made = convert_to_pdf(documents[:1], out)

    assert made[0].read_bytes().startswith(b"%PDF-")
    assert not list(temp.glob("jobdesc-soffice-*")), "the private LibreOffice profile is removed"


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE or sys.platform == "win32", reason="LibreOffice (soffice) is not installed")
def test_real_soffice_runs_beside_an_open_libreoffice(documents: list[Path], tmp_path: Path) -> None:
    """A LibreOffice already running (as the user's would be) does not swallow the conversion."""
    running = subprocess.Popen(
        [
            HAS_SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'user').as_uri()}",
            f"--accept=pipe,name=jobdesc-test-{os.getpid()};urp;",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(2)
        assert running.poll() is None, "the stand-in for the user's LibreOffice did not start"

        made = convert_to_pdf(documents[:1], tmp_path / "pdf")

        assert made[0].read_bytes().startswith(b"%PDF-")
        assert running.poll() is None, "the user's LibreOffice is left alone"
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_real_soffice_refuses_a_file_that_is_not_docx(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(bytes(range(256)) * 20)

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf([garbage], tmp_path / "pdf")

    assert str(garbage) in caught.value.format_message()
    assert not (tmp_path / "pdf" / "garbage.pdf").exists()


# --- with a stand-in soffice -----------------------------------------------------------------


@posix_only
def test_one_soffice_run_per_batch_with_a_private_profile(
    documents: list[Path], tmp_path: Path, fake_soffice: Path
) -> None:
    sources = copy_docs(documents, tmp_path / "docx")
    out = tmp_path / "pdf"

    made = convert_to_pdf(sources, out)

    runs = calls(fake_soffice)
    assert len(runs) == 1
    args = runs[0]
    assert args[args.index("--convert-to") + 1] == pdf.PDFA_FILTER, "PDF/A-2b by default"
    assert "--headless" in args
    assert args[-len(sources) :] == [str(p.resolve()) for p in sources]
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    uri = profile.split("=", 1)[1]
    assert uri.startswith("file:///")
    assert not Path(uri[len("file://") :]).exists(), "the profile folder is removed afterwards"
    assert args[args.index("--outdir") + 1] != str(out), "LibreOffice writes into a temporary folder first"
    assert made == [out / f"{p.stem}.pdf" for p in sources]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in made)


@posix_only
def test_files_of_the_same_name_go_to_separate_runs(documents: list[Path], tmp_path: Path, fake_soffice: Path) -> None:
    first = copy_docs(documents[:1], tmp_path / "a")
    second = copy_docs(documents[:1], tmp_path / "b")

    made = convert_to_pdf(first + second, tmp_path / "pdf")

    assert len(calls(fake_soffice)) == 2
    assert made == [tmp_path / "pdf" / f"{documents[0].stem}.pdf"] * 2


@posix_only
def test_nonzero_exit_names_the_file_and_writes_nothing(
    documents: list[Path], tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_EXIT", "81")
    out = tmp_path / "pdf"
    out.mkdir()
    (out / f"{documents[0].stem}.pdf").write_bytes(b"old")

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf(documents[:1], out)

    message = caught.value.format_message()
    assert str(documents[0]) in message
    assert "81" in message
    assert "\n" not in message
    assert [p.name for p in out.iterdir()] == [f"{documents[0].stem}.pdf"]
    assert (out / f"{documents[0].stem}.pdf").read_bytes() == b"old", "the old PDF stays as it was"


@posix_only
def test_missing_pdf_names_the_file(
    documents: list[Path], tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SKIP", documents[1].name)
    out = tmp_path / "pdf"

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf(documents, out)

    message = caught.value.format_message()
    assert message.splitlines() == [f"{documents[1]}: LibreOffice не создал PDF (файл поврежден или это не DOCX?)"]
    assert list(out.iterdir()) == [], "nothing of a failed batch is written"


@posix_only
def test_inputs_are_checked_before_soffice_runs(tmp_path: Path, fake_soffice: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("просто текст", encoding="utf-8")
    absent = tmp_path / "absent.docx"

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf([text, absent], tmp_path / "pdf")

    assert caught.value.format_message().splitlines() == [
        f"{absent}: файл не найден",
        f"{text}: это не документ DOCX — PDF не создан",
    ]
    assert calls(fake_soffice) == []


def test_nothing_to_convert_needs_no_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")

    assert convert_to_pdf([], tmp_path / "pdf") == []


def test_without_libreoffice_a_clear_line_says_how_to_install(
    documents: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(pdf, "KNOWN_LOCATIONS", ())

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf(documents, tmp_path / "pdf")

    message = caught.value.format_message()
    assert "\n" not in message
    assert "LibreOffice" in message
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "libreoffice.org" in message
    assert "PATH" in message
    assert not (tmp_path / "pdf").exists()
    assert caught.value.exit_code == 1


def test_libreoffice_name_is_found_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/opt/lo/libreoffice" if name == "libreoffice" else None)

    assert pdf.find_soffice() == "/opt/lo/libreoffice"


@posix_only
def test_out_dir_under_a_regular_file(documents: list[Path], tmp_path: Path, fake_soffice: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("не папка", encoding="utf-8")

    with pytest.raises(JobdescError) as caught:
        convert_to_pdf(documents, blocker / "pdf")

    message = caught.value.format_message()
    assert message.startswith(f"{blocker / 'pdf'}: ")
    assert "\n" not in message
    assert calls(fake_soffice) == []


def test_build_without_pdf_names_the_pdfs_its_documents_left_behind(tmp_path: Path) -> None:
    """A plain build that rewrites a document says its PDF is now older; a PDF newer than its
    document is not mentioned."""
    project = copy_project(tmp_path / "p", linked=False)
    assert run_cli("-C", project, "build").exit_code == 0
    out = project / "output"
    for name in ("kam-manager", "kam-head"):  # as a build --pdf left them, newer than their documents
        (out / f"{name}.pdf").write_bytes(b"%PDF-1.7 from the earlier build")
    quiet = run_cli("-C", project, "build")
    assert quiet.exit_code == 0 and ".pdf" not in quiet.stderr, quiet.stderr
    for pdf_file in out.glob("*.pdf"):
        os.utime(pdf_file, (time.time() - 60, time.time() - 60))
    result = run_cli("-C", project, "build", "--force")
    assert result.exit_code == 0, result.output
    assert (
        "внимание: output/kam-head.pdf и еще 1 старше своего документа — обновить: jobdesc build --pdf"
        in result.stderr.splitlines()
    ), result.stderr


@posix_only
def test_the_pdf_of_an_order_goes_beside_it_and_stays_current(tmp_path: Path, fake_soffice: Path) -> None:
    project = copy_project(tmp_path / "project", editions="all")

    first = run_cli("-C", project, "build", "--pdf-plain")  # the stand-in makes no PDF/A

    assert first.exit_code == 0, first.output
    out = project / "output"
    assert (out / "orders" / "112-ОД.pdf").is_file()
    assert not (out / "112-ОД.pdf").exists(), "not in the folder of the first document"
    assert "output/orders/112-ОД.pdf" in first.stdout.splitlines()
    runs = len(calls(fake_soffice))
    assert runs == 2  # one per folder

    again = run_cli("-C", project, "build", "--pdf-plain")
    assert again.exit_code == 0, again.output
    assert len(calls(fake_soffice)) == runs, "nothing converted again"
    assert "PDF записано" not in again.stderr


def test_a_users_pdf_in_output_is_never_removed(tmp_path: Path) -> None:
    """PDFs in output/ that ``build --pdf`` did not make stay, whatever their names: one named as
    an order (an older jobdesc put orders' PDFs there), and one named as a removed document's."""
    project = copy_project(tmp_path / "project", editions="all", linked=False)
    out = project / "output"
    out.mkdir()
    (out / "112-ОД.pdf").write_bytes(b"%PDF-1.4 the user's own, named as an order")
    (out / "notes.pdf").write_bytes(b"%PDF-1.4 the user's own")
    assert run_cli("-C", project, "build").exit_code == 0
    (out / "kam-head.pdf").write_bytes(b"%PDF-1.4 the user's own, named as a document")
    (project / "roles" / "kam-head.yaml").unlink()
    shutil.rmtree(project / "roles" / "kam-head.editions")

    result = run_cli("-C", project, "build")

    assert not (out / "kam-head.docx").exists(), result.output  # the document's own file is removed
    assert sorted(p.name for p in out.glob("*.pdf")) == ["112-ОД.pdf", "kam-head.pdf", "notes.pdf"]


@posix_only
def test_the_pdf_build_made_goes_with_its_document_unless_changed(tmp_path: Path, fake_soffice: Path) -> None:
    """A PDF ``build --pdf`` made is recorded in the manifest: removed with its document, but not
    once someone changed it."""
    project = copy_project(tmp_path / "project", linked=False)
    (project / "roles" / "kam-extra.yaml").write_bytes((project / "roles" / "kam-manager.yaml").read_bytes())
    assert run_cli("-C", project, "build", "--pdf-plain").exit_code == 0
    out = project / "output"
    assert (out / "kam-head.pdf").is_file() and (out / "kam-extra.pdf").is_file()
    (out / "kam-head.pdf").write_bytes(b"%PDF-1.4 annotated by hand")
    for role in ("kam-head", "kam-extra"):
        (project / "roles" / f"{role}.yaml").unlink()
        shutil.rmtree(project / "roles" / f"{role}.editions", ignore_errors=True)

    result = run_cli("-C", project, "build")

    assert result.exit_code == 0, result.output
    assert not (out / "kam-extra.docx").exists() and not (out / "kam-head.docx").exists()
    assert not (out / "kam-extra.pdf").exists()
    assert (out / "kam-head.pdf").read_bytes() == b"%PDF-1.4 annotated by hand"
