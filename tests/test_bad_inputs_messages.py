"""Messages that were unclear (English, without a line, or naming the wrong cause) — each one clear line.

Each case breaks a copy of the shipped project the way a person would and checks the one Russian
line the command prints: the file, the line where there is one, and the words that say what to do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from editions_helpers import commit_all, git
from helpers import copy_project

from jobdesc.cli.main import main

ROLE = "roles/kam-manager.yaml"
ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?: [A-Za-z']+){2,}")


def run(project: Path, *args: str, env: dict | None = None) -> Result:
    return CliRunner().invoke(main, ["-C", str(project), *args], env=env)


def one_line(result: Result) -> str:
    """Exit 1 through click, no traceback, one Russian problem line on stderr (returned)."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith(("внимание: ", "Документов: ", "не собрано"))
    ]
    assert len(lines) == 1, lines
    assert not ENGLISH.search(lines[0].replace("dubious ownership", "")), lines[0]
    return lines[0]


def edit(project: Path, old: str, new: str, relative: str = ROLE) -> int:
    """Replace the first ``old`` by ``new``; the 1-based line where it was."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", overrides=True)


def test_a_raw_control_byte_is_named_with_its_line(project: Path) -> None:
    line = edit(project, "Положительная оценка работы", "Положительная\x07 оценка работы")

    message = one_line(run(project, "check"))

    assert message.startswith(f"{ROLE}:{line}: недопустимый управляющий символ U+0007"), message


def test_a_bad_escape_in_double_quotes_is_not_an_unclosed_quote(project: Path) -> None:
    line = edit(project, "title: Менеджер по работе с ключевыми клиентами", 'title: "Менеджер \\ud800"')

    message = one_line(run(project, "check"))

    assert message.startswith(f"{ROLE}:{line}: "), message
    assert "«\\»" in message and "кавычк" in message
    assert "незакрытая" not in message


def test_an_unsupported_yaml_version_is_said_in_russian(project: Path) -> None:
    path = project / ROLE
    path.write_text("%YAML 9.9\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

    message = one_line(run(project, "check"))

    assert message.startswith(f"{ROLE}:1: неподдерживаемая версия YAML"), message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("yes", "логическое значение"),
        ("no", "логическое значение"),
        ("on", "логическое значение"),
        ("null", "пустое значение"),
        ("1.5", "число 1.5"),
    ],
)
def test_a_value_yaml_did_not_read_as_text_says_so(value: str, words: str, project: Path) -> None:
    line = edit(project, "title: Менеджер по работе с ключевыми клиентами", f"title: {value}")

    message = one_line(run(project, "check"))

    assert message.startswith(f"{ROLE}:{line}: title: ожидается текст, а YAML прочитал {words}"), message
    assert message.endswith("если это текст, возьмите его в кавычки"), message


def test_utf32_is_called_utf32(project: Path) -> None:
    path = project / ROLE
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-32"))

    message = one_line(run(project, "check"))

    assert message == f"{ROLE}: файл в кодировке UTF-32: сохраните его в UTF-8"


def test_an_unreadable_styles_file_is_not_called_damaged(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may run as root, for whom no file is unreadable: the refusal is simulated at the door."""
    import errno

    from jobdesc.disk import reading

    real = reading.os.open

    def refuse(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(file).endswith("styles.docx"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", refuse)

    message = one_line(run(project, "build", "--out", str(project / "output")))

    assert message == "templates/styles.docx: нет прав на чтение файла"


def test_a_role_id_too_long_for_file_names_is_refused_by_check_and_approve(project: Path) -> None:
    long_id = "-".join(["kam"] * 60)  # 239 characters: its documents' names would exceed 255 bytes
    shutil.copy2(project / ROLE, project / f"roles/{long_id}.yaml")

    for args in (("check",), ("approve", long_id, "--date", "2026-11-01"), ("build",)):
        message = one_line(run(project, *args))
        assert f"roles/{long_id}.yaml: идентификатор роли слишком длинный (239 символов, предел 100)" in message, (
            args,
            message,
        )
    assert not (project / f"roles/{long_id}.editions").exists()


def test_a_fingerprint_of_another_kind_is_not_called_empty(project: Path) -> None:
    edition = "roles/kam-manager.editions/001.yaml"
    line = edit(
        project,
        "fingerprint: sha256:307a718fa62cd12cad41ad0863ba1d5fa9adc177e86b359a55f7bffcdfea4116",
        "fingerprint: md5:0cc175b9c0f1b6a831c399e269772661",
        edition,
    )

    result = run(project, "check")

    assert result.exit_code == 1
    assert f"{edition}:{line}: fingerprint: недопустимое значение 'md5:0cc175b9c0f1b6a831c399e269772661'" in (
        result.stderr
    ), result.stderr
    assert "sha256" in result.stderr
    assert "пустой текст" not in result.stderr


@pytest.fixture
def repository(project: Path) -> Path:
    git(project, "init", "-q")
    commit_all(project, "Первая версия")
    return project


def test_a_revision_range_is_not_an_empty_file(repository: Path) -> None:
    message = one_line(run(repository, "diff", "kam-manager", "--from", "HEAD..HEAD"))

    assert message.startswith("ревизия git «HEAD..HEAD» — это диапазон коммитов, а нужен один коммит"), message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the folder away")
def test_a_repository_of_another_owner_is_not_called_no_repository(repository: Path, tmp_path: Path) -> None:
    for path in [repository, *repository.rglob("*")]:
        os.lchown(path, 12345, 12345)
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1"}
    assert (
        "dubious"
        in subprocess.run(
            ["git", "status"], cwd=repository, capture_output=True, text=True, env={**os.environ, **env}
        ).stderr
    )

    message = one_line(run(repository, "diff", "kam-manager", "--from", "HEAD", env=env))

    assert message.startswith(f"{repository}: git отказывается работать с репозиторием другого владельца"), message
    assert f"safe.directory {repository}" in message
    assert "не репозиторий" not in message
