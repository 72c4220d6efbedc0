"""Reads and writes outside the project, and deletions of what jobdesc did not write (issue 21).

A cloned repository may carry symbolic links; a manifest is a file anyone can edit. Each case
runs the command a person would and asserts one clear line and nothing lost or written elsewhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import assert_clean_failure, copy_project, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def one_line(result) -> str:  # noqa: ANN001 - click Result
    lines = assert_clean_failure(result)
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("target", [".", ".git", "acks", "acks/kam-manager", ".jobdesc"])
def test_build_out_is_never_the_project_or_its_records(project: Path, target: str) -> None:
    (project / ".git").mkdir()
    (project / "acks").mkdir()
    before = files_under(project)

    line = one_line(run_cli("-C", project, "build", "--out", project / target))

    assert line.startswith(f"--out: {project / target}: это "), line
    assert files_under(project) == before


def test_redline_out_is_never_among_the_acknowledgments(project: Path) -> None:
    (project / "acks").mkdir()
    line = one_line(run_cli("-C", project, "redline", "kam-manager", "--out", project / "acks" / "x.docx"))
    assert line.startswith(f"--out: {project / 'acks' / 'x.docx'}: это место файлов проекта (acks)"), line
    assert not (project / "acks" / "x.docx").exists()


def test_output_linked_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    (project / "output").symlink_to(elsewhere)

    line = one_line(run_cli("-C", project, "build"))

    assert line == (
        f"output: символическая ссылка ведет за пределы проекта ({elsewhere}) — jobdesc не пишет "
        "через такие ссылки; уберите ссылку или укажите папку явно"
    ), line
    assert list(elsewhere.iterdir()) == []
    assert run_cli("-C", project, "build", "--out", elsewhere).exit_code == 0  # named outright: fine


def test_a_manifest_naming_a_file_jobdesc_did_not_write_deletes_nothing(project: Path) -> None:
    out = project / "output"
    assert run_cli("-C", project, "build").exit_code == 0
    mine = out / "Мои заметки.docx"
    mine.write_bytes(b"not jobdesc's")
    manifest = json.loads((out / ".jobdesc-manifest.json").read_text(encoding="utf-8"))
    manifest["roles"]["gone-role|" + next(iter(manifest["roles"])).split("|", 1)[1]] = {
        "digest": "x",
        "files": {mine.name: "0" * 64},
        "warnings": [],
    }
    (out / ".jobdesc-manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    assert run_cli("-C", project, "build").exit_code == 0
    assert mine.read_bytes() == b"not jobdesc's"


def test_a_built_file_someone_changed_is_not_deleted_with_its_role(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "alone", linked=False)
    out = project / "output"
    assert run_cli("-C", project, "build").exit_code == 0
    manifest = json.loads((out / ".jobdesc-manifest.json").read_text(encoding="utf-8"))
    key = next(k for k in manifest["roles"] if k.startswith("kam-manager|"))
    (name,) = manifest["roles"][key]["files"]
    (out / name).write_bytes(b"edited by hand")
    (project / "roles" / "kam-manager.yaml").unlink()
    os.rename(project / "roles" / "kam-manager.editions", tmp_path / "archive")

    done = run_cli("-C", project, "build")

    assert done.exit_code == 0, done.output
    assert (out / name).read_bytes() == b"edited by hand"


def test_a_linked_editions_folder_is_refused_naming_the_link(project: Path, tmp_path: Path) -> None:
    folder = project / "roles" / "kam-manager.editions"
    folder.rename(tmp_path / "outside.editions")
    folder.symlink_to(tmp_path / "outside.editions")
    expected = (
        "roles/kam-manager.editions/001.yaml: не удается прочитать файл: символическая ссылка "
        f"roles/kam-manager.editions (→ {tmp_path / 'outside.editions'}) ведет за пределы проекта"
    )

    line = assert_clean_failure(run_cli("-C", project, "check"))[0]
    assert line.startswith(expected), line
    for command in ("status", "build"):  # the other documents are shown or built
        done = run_cli("-C", project, command)
        assert done.exit_code == 1 and expected in done.stderr, done.output
    assert not list((project / "output").glob("kam-manager*"))


def test_a_linked_edition_file_is_refused_naming_the_link(project: Path, tmp_path: Path) -> None:
    edition = project / "roles" / "kam-manager.editions" / "001.yaml"
    edition.rename(tmp_path / "001.yaml")
    edition.symlink_to(tmp_path / "001.yaml")

    line = assert_clean_failure(run_cli("-C", project, "check"))[0]

    assert line.startswith(
        "roles/kam-manager.editions/001.yaml: не удается прочитать файл: символическая ссылка "
        f"(→ {tmp_path / '001.yaml'}) ведет за пределы проекта"
    ), line


@pytest.mark.parametrize("kind", ["fifo", "zero", "outside"])
def test_a_signature_that_is_not_a_file_is_not_read_as_no_signature(project: Path, tmp_path: Path, kind: str) -> None:
    signature = project / "roles" / "kam-manager.editions" / "001.yaml.sig"
    if kind == "fifo":
        os.mkfifo(signature)
    elif kind == "zero":
        signature.symlink_to("/dev/zero")
    else:
        (tmp_path / "x.sig").write_text("-----BEGIN SSH SIGNATURE-----\n", encoding="utf-8")
        signature.symlink_to(tmp_path / "x.sig")

    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith("roles/kam-manager.editions/001.yaml.sig: подпись не прочитана: "), line
    assert one_line(run_cli("-C", project, "build")) == line


def test_each_pdf_is_made_beside_its_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An order numbered like a role id («kam-manager») put its PDF over the instruction's."""
    from jobdesc.build import pdf

    out = tmp_path / "out"
    (out / "orders").mkdir(parents=True)
    documents = [out / "kam-manager.docx", out / "orders" / "kam-manager.docx"]
    for document in documents:
        document.write_bytes(b"docx")
    calls: list[tuple[list[Path], Path]] = []

    def convert(docs: list[Path], folder: Path, archival: bool = True) -> list[Path]:
        calls.append((docs, folder))
        return [folder / f"{d.stem}.pdf" for d in docs]

    monkeypatch.setattr(pdf, "convert_to_pdf", convert)

    made = pdf.convert_stale(documents)

    assert calls == [([documents[0]], out), ([documents[1]], out / "orders")]
    assert made == [out / "kam-manager.pdf", out / "orders" / "kam-manager.pdf"]


def test_a_users_file_named_like_a_jobdesc_temporary_is_kept(project: Path, tmp_path: Path) -> None:
    import time

    out = tmp_path / "out"
    out.mkdir()
    mine = out / ".Мои заметки.docx.jobdesc-abcdefgh.tmp"  # jobdesc never writes «Мои заметки.docx»
    mine.write_bytes(b"user's file")
    stale = out / ".kam-head.docx.jobdesc-k2j4x9q_.tmp"  # what a killed build of kam-head leaves
    stale.write_bytes(b"half a document")
    old = time.time() - 3600
    for path in (mine, stale):
        os.utime(path, (old, old))

    assert run_cli("-C", project, "build", "--out", out).exit_code == 0

    assert mine.read_bytes() == b"user's file"
    assert not stale.exists()


@pytest.mark.parametrize("name", ["jobdesc.yaml", "roles", ".gitignore"])
def test_init_refuses_a_link_dangling_or_not_and_writes_nothing(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "new-project"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere" / "target"
    (folder / name).symlink_to(elsewhere)  # dangling: its target does not exist

    message = one_line(run_cli("init", folder))

    assert (
        message
        == f"{name}: символическая ссылка (→ {elsewhere}) — jobdesc не пишет через ссылки; уберите ее и повторите"
    )
    assert sorted(p.name for p in folder.iterdir()) == [name]
    assert not (tmp_path / "elsewhere").exists()


def test_templates_copy_refuses_a_dangling_link(project: Path, tmp_path: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "approval.md.j2").symlink_to(tmp_path / "nowhere.j2")
    message = one_line(run_cli("-C", project, "templates", "copy", "approval.md.j2"))
    assert message.startswith("templates/approval.md.j2: символическая ссылка"), message
    assert not (tmp_path / "nowhere.j2").exists()


STAFF = Path(__file__).parent / "data" / "staff"


def test_staff_linked_out_of_the_project_is_refused_naming_the_link(project: Path, tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_bytes((STAFF / "staff.yaml").read_bytes())
    (project / "staff.yaml").symlink_to(tmp_path / "other.yaml")

    message = assert_clean_failure(run_cli("-C", project, "check"))[0]
    assert message.startswith(
        f"staff.yaml: не удается прочитать файл: символическая ссылка (→ {tmp_path / 'other.yaml'})"
    )
    imported = one_line(run_cli("-C", project, "staff", "import", STAFF / "shtatnaya-rasstanovka.csv"))
    assert imported.startswith("staff.yaml: символическая ссылка ведет за пределы проекта"), imported
    assert (tmp_path / "other.yaml").read_bytes() == (STAFF / "staff.yaml").read_bytes()


def test_staff_linked_into_a_private_clone_inside_the_project_stays_a_link(project: Path) -> None:
    """README: `git clone …/hr-private.git private` and `staff.yaml → private/staff.yaml`."""
    (project / "private").mkdir()
    (project / "private" / "staff.yaml").write_bytes((STAFF / "staff.yaml").read_bytes())
    (project / "staff.yaml").symlink_to("private/staff.yaml")

    done = run_cli("-C", project, "staff", "import", STAFF / "shtatnaya-rasstanovka.csv")

    assert done.exit_code == 0, done.output
    assert (project / "staff.yaml").is_symlink()
    assert "Громов Павел Сергеевич" in (project / "private" / "staff.yaml").read_text(encoding="utf-8")


def test_acks_linked_out_of_the_project_are_not_written_through(project: Path, tmp_path: Path) -> None:
    (project / "staff.yaml").write_bytes((STAFF / "staff.yaml").read_bytes())
    (tmp_path / "elsewhere").mkdir()
    (project / "acks").symlink_to(tmp_path / "elsewhere")

    message = one_line(run_cli("-C", project, "ack", "kam-manager", "--employee", "0000012", "--date", "2026-12-05"))

    assert message.startswith("acks: символическая ссылка ведет за пределы проекта"), message
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_linked_styles_file_is_named_where_it_is(project: Path, tmp_path: Path) -> None:
    (tmp_path / "styles.docx").write_bytes(b"not a docx")
    (project / "templates").mkdir()
    (project / "templates" / "styles.docx").symlink_to(tmp_path / "styles.docx")

    message = assert_clean_failure(run_cli("-C", project, "check"))[0]

    assert message.startswith("templates/styles.docx: символическая ссылка (→ "), message


@pytest.mark.parametrize("command", ["build", "check", "status"])
def test_a_documents_folder_that_is_a_link_in_a_loop_is_one_clear_line(project: Path, command: str) -> None:
    """``policies`` a link to itself cannot be listed: one line naming it and why, no traceback
    (``Kind.files`` let the listing's ELOOP through)."""
    import shutil

    shutil.rmtree(project / "policies")
    (project / "policies").symlink_to(project / "policies")

    lines = assert_clean_failure(run_cli("-C", project, command))

    assert lines[0] == (
        "policies: не удается прочитать папку: символические ссылки замкнуты в кольцо (ссылка указывает сама на себя)"
    ), lines


def test_a_documents_folder_without_permission_is_one_clear_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«нет прав на чтение папки», not «файла» (tests may run as root, so the refusal is simulated)."""
    real_scandir = os.scandir

    def refuse(path=".", *args):  # noqa: ANN001, ANN002, ANN202
        if os.fspath(path).endswith("policies"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", refuse)

    lines = assert_clean_failure(run_cli("-C", project, "build"))

    assert lines[0] == "policies: не удается прочитать папку: нет прав на чтение папки", lines
