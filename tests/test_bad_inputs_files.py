"""Special files and symbolic links as inputs: refused before reading, in one line, without hanging.

A role, ``roles/_common.yaml``, ``jobdesc.yaml`` or a template that is a named pipe, a device,
a huge sparse file, a dangling link, a link loop or a link to a file outside the project; and
``jobdesc textconv`` of a DOCX whose text inflates to hundreds of megabytes, that is encrypted or
packed with an unsupported method, or that is not a regular file. Each runs in a child process
with bounded memory and a generous timeout (``hostile.py``): exit 1, one line naming the file,
nothing of the broken part written, and nothing of a file outside the project in the output.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest
from helpers import copy_project
from hostile import one_clear_line, run_jobdesc

ROLE = "roles/kam-manager.yaml"
SECRET = "СЕКРЕТНАЯ СТРОКА ВНЕ ПРОЕКТА"

posix_only = pytest.mark.skipif(os.name != "posix", reason="named pipes, /dev/zero and symbolic links")


def build(project: Path, out: Path, base: Path) -> str:
    done = run_jobdesc("-C", project, "build", "--out", out, base=base)
    assert SECRET not in done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    return one_clear_line(done)


def documents(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.docx")) if out.is_dir() else []


def outside_role(folder: Path) -> Path:
    """A valid role file outside the project whose text must never reach a document."""
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(__file__).resolve().parent.parent / ROLE
    text = source.read_text(encoding="utf-8").replace("Менеджер по работе", SECRET + " Менеджер по работе", 1)
    target = folder / "stolen.yaml"
    target.write_text(text, encoding="utf-8")
    return target


@posix_only
@pytest.mark.parametrize(
    ("relative", "words", "others_built"),
    [
        (ROLE, ("именованный канал",), True),
        ("roles/_common.yaml", ("именованный канал",), False),
        ("jobdesc.yaml", ("именованный канал",), False),
        ("templates/approval.md.j2", ("именованный канал",), False),
        ("templates/styles.docx", ("именованный канал",), False),  # not the shipped styles instead, unsaid
    ],
)
def test_a_named_pipe_is_refused_without_hanging(
    relative: str, words: tuple[str, ...], others_built: bool, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    (project / relative).unlink()
    os.mkfifo(project / relative)
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message.startswith(f"{relative}: "), message
    for word in words:
        assert word in message, message
    assert documents(out) == (["kam-department.docx", "kam-head.docx"] if others_built else [])


@posix_only
def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    (project / ROLE).unlink()
    (project / ROLE).symlink_to("/dev/zero")
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message.startswith(f"{ROLE}: не удается прочитать файл: это не обычный файл"), message
    assert documents(out) == ["kam-department.docx", "kam-head.docx"]


def test_a_huge_sparse_role_is_refused_before_reading(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    with open(project / ROLE, "r+b") as stream:
        stream.truncate(2 * 1024**3)  # 2 GB, almost all of it a hole
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message.startswith(f"{ROLE}: не удается прочитать файл: файл слишком большой (2048,0 МБ, предел 1,0 МБ)"), (
        message
    )
    assert documents(out) == ["kam-department.docx", "kam-head.docx"]


@posix_only
def test_a_role_linked_outside_the_project_is_not_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    (project / ROLE).unlink()
    (project / ROLE).symlink_to(outside_role(tmp_path / "elsewhere"))
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message.startswith(f"{ROLE}: не удается прочитать файл: символическая ссылка (→ "), message
    assert "ведет за пределы проекта" in message, message
    assert documents(out) == ["kam-department.docx", "kam-head.docx"]


@posix_only
def test_a_template_linked_outside_the_project_is_not_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    stolen = tmp_path / "elsewhere" / "approval.md.j2"
    stolen.parent.mkdir()
    stolen.write_text(SECRET + "\n{{ undefined_variable }}\n", encoding="utf-8")
    (project / "templates/approval.md.j2").unlink()
    (project / "templates/approval.md.j2").symlink_to(stolen)
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message == (
        f"templates/approval.md.j2: символическая ссылка (→ {stolen}) ведет за пределы проекта: такие файлы не читаются"
    )
    assert documents(out) == []


@posix_only
def test_a_link_inside_the_project_is_fine(tmp_path: Path) -> None:
    """Links that stay in the project (a shared folder of roles, say) are read as before."""
    project = copy_project(tmp_path / "project", overrides=True)
    (project / "shared").mkdir()
    os.replace(project / ROLE, project / "shared/kam-manager.yaml")
    (project / ROLE).symlink_to(project / "shared/kam-manager.yaml")

    done = run_jobdesc("-C", project, "build", "--out", tmp_path / "out", base=tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert documents(tmp_path / "out") == ["kam-department.docx", "kam-head.docx", "kam-manager.docx"]


@posix_only
@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_broken_links_are_named_as_such(kind: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    (project / ROLE).unlink()
    if kind == "dangling":
        (project / ROLE).symlink_to(project / "roles/renamed.yaml")
        expected = "символическая ссылка ведет на несуществующий файл"
    else:
        (project / ROLE).symlink_to(project / ROLE)
        expected = "символические ссылки замкнуты в кольцо"
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message.startswith(f"{ROLE}: не удается прочитать файл: {expected}"), message
    assert documents(out) == ["kam-department.docx", "kam-head.docx"]


def test_an_unreadable_role_is_reported_as_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """«нет прав на чтение», not «на запись» (tests may run as root, so the refusal is simulated)."""
    import errno

    from click.testing import CliRunner

    from jobdesc.cli.main import main
    from jobdesc.disk import reading

    project = copy_project(tmp_path / "project", overrides=True)
    real_open = os.open

    def refuse(path, flags, *args):  # noqa: ANN001, ANN002, ANN202
        if str(path).endswith("kam-manager.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(reading.os, "open", refuse)
    result = CliRunner().invoke(main, ["-C", str(project), "build", "kam-manager", "--out", str(tmp_path / "out")])

    assert result.exit_code == 1
    assert f"{ROLE}: не удается прочитать файл: нет прав на чтение файла" in result.stderr, result.stderr
    assert "запись" not in result.stderr


# --- textconv ----------------------------------------------------------------------------------


def bomb(path: Path, size: int) -> Path:
    """A DOCX whose word/document.xml inflates to ``size`` bytes (written in chunks, compressed fast)."""
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>")
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return path


def patched(source: Path, target: Path, flags: int | None = None, method: int | None = None) -> Path:
    """A copy of a one-entry DOCX with the general-purpose flags or the method changed in both headers."""
    data = bytearray(source.read_bytes())
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if flags is not None:
                data[start + flags_at : start + flags_at + 2] = struct.pack("<H", flags)
            if method is not None:
                data[start + method_at : start + method_at + 2] = struct.pack("<H", method)
            start += 4
    target.write_bytes(bytes(data))
    return target


@pytest.fixture
def small_docx(tmp_path: Path) -> Path:
    path = tmp_path / "small.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "word/document.xml",
            "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
            "<w:body><w:p><w:r><w:t>Текст</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


@pytest.mark.parametrize("megabytes", [300, 1024])
def test_textconv_refuses_a_document_that_inflates_too_much(megabytes: int, tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.docx", megabytes * 1024 * 1024)
    assert path.stat().st_size < megabytes * 1024 * 1024 // 100

    message = one_clear_line(run_jobdesc("textconv", path, base=tmp_path))

    assert message == f"{path}: текст документа слишком большой (больше 16 МБ после распаковки)"


def test_textconv_refuses_an_encrypted_document(small_docx: Path, tmp_path: Path) -> None:
    path = patched(small_docx, tmp_path / "encrypted.docx", flags=0x1)

    message = one_clear_line(run_jobdesc("textconv", path, base=tmp_path))

    assert message.startswith(f"{path}: документ зашифрован"), message


@pytest.mark.parametrize("method", [9, 99])  # Deflate64; AES (WinZip)
def test_textconv_refuses_an_unsupported_compression(method: int, small_docx: Path, tmp_path: Path) -> None:
    path = patched(small_docx, tmp_path / "packed.docx", method=method)

    message = one_clear_line(run_jobdesc("textconv", path, base=tmp_path))

    assert message.startswith(f"{path}: документ упакован неподдерживаемым способом сжатия"), message


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_textconv_refuses_a_special_file(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "document.docx"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")

    message = one_clear_line(run_jobdesc("textconv", path, base=tmp_path))

    assert message.startswith(f"{path}: это не обычный файл"), message


def test_textconv_still_reads_a_small_document(small_docx: Path, tmp_path: Path) -> None:
    done = run_jobdesc("textconv", small_docx, base=tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("utf-8") == "Текст\n"


def test_a_styles_file_that_inflates_too_much_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    styles = project / "templates/styles.docx"
    with zipfile.ZipFile(styles) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    with zipfile.ZipFile(styles, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            package.writestr(name, data)
        with package.open("word/media/padding.bin", "w", force_zip64=True) as stream:
            for _ in range(300):
                stream.write(b"\0" * (1024 * 1024))
    out = tmp_path / "out"

    message = build(project, out, tmp_path)

    assert message == "templates/styles.docx: файл стилей слишком большой после распаковки: сохраните его заново в Word"
    assert documents(out) == []
