"""Forged or lost approvals reach no paper (issue 21): every command that reads editions or
acknowledgments verifies them against git the way ``check`` does, and writes nothing when they fail."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import assert_clean_failure, copy_project, run_cli

from jobdesc.editions.store import fingerprint

ROLE = "kam-manager"
EDITIONS = f"roles/{ROLE}.editions"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped project (its first editions) committed to a git repository of its own."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "gitconfig").write_text(
        "[user]\n\tname = Кадровая служба\n\temail = hr@example.org\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    commit(project, "Проект")
    return project


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


def commit(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", message)


def forge(path: Path, old: str, new: str, field: str = "content") -> None:
    """Change the text of a record and recompute its fingerprint, as a forger would."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = yaml.safe_dump(record[field] if field else record, allow_unicode=True)
    assert old in text, old
    changed = yaml.safe_load(text.replace(old, new))
    if field:
        record[field] = changed
    else:
        record = changed
    record["fingerprint"] = fingerprint(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def first_clause(project: Path) -> str:
    record = yaml.safe_load((project / EDITIONS / "001.yaml").read_text(encoding="utf-8"))
    return record["content"]["sections"][0]["items"][0] if "sections" in record["content"] else ""


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("committed", [False, True])
def test_build_and_status_refuse_a_forged_edition_and_write_nothing(project: Path, committed: bool) -> None:
    assert run_cli("-C", project, "build").exit_code == 0
    before = outputs(project / "output")
    forge(project / EDITIONS / "001.yaml", "Российской Федерации", "Республики Беларусь")
    if committed:
        commit(project, "Поправлена редакция")

    for command in ("build", "status"):
        lines = assert_clean_failure(run_cli("-C", project, command, *(["--force"] if command == "build" else [])))
        assert lines[0].startswith(f"{EDITIONS}/001.yaml: файл отличается от добавленного в git"), lines
    assert outputs(project / "output") == before
    assert "Беларусь" not in str(before)


@pytest.mark.parametrize("committed", [False, True])
def test_the_last_edition_deleted_is_an_error_everywhere(project: Path, committed: bool) -> None:
    (project / EDITIONS / "001.yaml").unlink()
    if committed:
        commit(project, "Удалена редакция")

    for command in ("check", "status", "build"):
        lines = assert_clean_failure(run_cli("-C", project, command))
        assert any(
            line.startswith(f"{EDITIONS}/001.yaml: утвержденная редакция удалена, а git ее знает") for line in lines
        ), (command, lines)
    assert not (project / "output").exists()


def test_a_whole_position_removed_with_its_editions_is_not_a_lost_edition(project: Path) -> None:
    """Abolishing a position removes its role and its editions together: that is not a loss."""
    (project / "roles" / "kam-head.yaml").unlink()
    shutil.rmtree(project / "roles" / "kam-head.editions")
    lines = run_cli("-C", project, "check").stderr.splitlines()
    assert not any("удалена, а git" in line for line in lines), lines


def ack_file(project: Path, signed: str = "") -> Path:
    approved = yaml.safe_load((project / EDITIONS / "001.yaml").read_text(encoding="utf-8"))["approved"]
    signed = signed or (dt.date.fromisoformat(approved) + dt.timedelta(days=3)).isoformat()
    staff = (
        "employees:\n"
        "  - number: '0042'\n    name: Иванова Мария Петровна\n    role: kam-manager\n    hired: 2025-01-10\n"
    )
    (project / "staff.yaml").write_text(staff, encoding="utf-8")
    done = run_cli("-C", project, "ack", ROLE, "--employee", "0042", "--date", signed)
    assert done.exit_code == 0, done.output
    return next((project / "acks" / ROLE).glob("*.yaml"))


def test_a_back_dated_acknowledgment_is_refused(project: Path) -> None:
    approved = yaml.safe_load((project / EDITIONS / "001.yaml").read_text(encoding="utf-8"))["approved"]
    path = ack_file(project, (dt.date.fromisoformat(approved) + dt.timedelta(days=3)).isoformat())
    day_before = (dt.date.fromisoformat(approved) - dt.timedelta(days=1)).isoformat()
    signed = yaml.safe_load(path.read_text(encoding="utf-8"))["signed"]
    forge(path, signed, day_before, field="")

    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert any(
        line.startswith(f"acks/{ROLE}/{path.name}:") and "раньше утверждения документа" in line for line in lines
    ), lines


def test_a_forged_committed_acknowledgment_fails_like_an_edition(project: Path) -> None:
    path = ack_file(project)
    commit(project, "Ознакомление")
    forge(path, "Иванова", "Петрова", field="")

    for command in ("check", "status"):
        lines = assert_clean_failure(run_cli("-C", project, command))
        assert any(line.startswith(f"acks/{ROLE}/{path.name}: файл отличается") for line in lines), (command, lines)


def test_a_lost_acknowledgment_is_an_error(project: Path) -> None:
    path = ack_file(project)
    commit(project, "Ознакомление")
    path.unlink()

    lines = assert_clean_failure(run_cli("-C", project, "status"))
    assert any("запись об ознакомлении удалена, а git ее знает" in line for line in lines), lines


def test_git_runs_only_through_the_one_runner() -> None:
    """One git runner (issue 20/21): one time limit and one message when git cannot run."""
    import re

    import jobdesc

    package = Path(jobdesc.__file__).parent
    runner = package / "disk" / "git.py"
    for path in package.rglob("*.py"):
        if path != runner:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""\[\s*["']git["']|which\(["']git""", text), path


@pytest.fixture
def slow_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``git`` first on PATH that answers nothing; jobdesc waits one second for it."""
    from jobdesc.disk import git as runner

    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "git").write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    (bin_folder / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}:/usr/bin:/bin")
    monkeypatch.setattr(runner, "TIMEOUT", 1)


def test_a_git_that_never_answers_is_one_clear_line(project: Path, slow_git: None) -> None:
    for command in (["check"], ["build"], ["diff", ROLE, "--from", "HEAD"]):
        lines = assert_clean_failure(run_cli("-C", project, *command))
        assert len(lines) == 1 and lines[0].startswith("git не ответил за 1 с: "), lines


def test_without_git_editions_are_checked_by_fingerprint_and_diff_says_why_not(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert run_cli("-C", project, "check").exit_code == 0
    lines = assert_clean_failure(run_cli("-C", project, "diff", ROLE, "--from", "HEAD"))
    assert lines == ["git не найден — установите git: сравнение с ревизией невозможно"], lines


def test_a_project_path_with_a_line_break_is_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder named with a line break once split git's answers: «failed provenance» for a genuine edition."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "gitconfig").write_text("[user]\n\tname = HR\n\temail = hr@example.org\n", encoding="utf-8")
    project = copy_project(tmp_path / "Кадры\nпроект")
    git(project, "init", "-q")
    commit(project, "Проект")

    done = run_cli("-C", project, "check")

    assert done.exit_code == 0, done.output
    forge(project / EDITIONS / "001.yaml", "Российской Федерации", "Республики Беларусь")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert lines[0].startswith(f"{EDITIONS}/001.yaml: файл отличается от добавленного в git"), lines


def test_acknowledgments_kept_out_of_git_are_no_note(project: Path) -> None:
    """README: acks/ may stay out of the shared repository; only those git knows are verified."""
    ack_file(project)
    done = run_cli("-C", project, "check")
    assert done.exit_code == 0, done.output
    assert "acks/" not in done.stderr, done.stderr


@pytest.fixture
def trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The record files of a test are seconds old: their size and times are trusted at once (as
    they are two seconds after a change). Returns the git commands jobdesc runs, as they run."""
    from jobdesc.disk import git as runner
    from jobdesc.editions import provenance

    monkeypatch.setattr(provenance, "RACY_NS", 0)
    ran: list[tuple[str, ...]] = []
    real = runner.run

    def counted(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess:
        ran.append(args)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run", counted)
    return ran


@pytest.mark.parametrize("change", ["forged", "forged and committed", "deleted", "deleted and committed"])
def test_a_verification_kept_on_disk_still_catches_a_changed_edition(
    project: Path, trusted_at_once: list[tuple[str, ...]], change: str
) -> None:
    """A no-op build (and check) asks git one question (where HEAD is) once the editions were
    verified with the same commit and the same files; a forged or deleted edition is a different
    key and is caught."""
    assert run_cli("-C", project, "build").exit_code == 0
    before = outputs(project / "output")
    trusted_at_once.clear()
    assert run_cli("-C", project, "build").exit_code == 0
    assert [args[0] for args in trusted_at_once] == ["rev-parse"], trusted_at_once
    trusted_at_once.clear()
    assert run_cli("-C", project, "check").exit_code == 0  # check remembers the same verification
    assert [args[0] for args in trusted_at_once] == ["rev-parse"], trusted_at_once

    edition = project / EDITIONS / "001.yaml"
    if change.startswith("forged"):
        forge(edition, "Российской Федерации", "Республики Беларусь")
        expected = f"{EDITIONS}/001.yaml: файл отличается от добавленного в git"
    else:
        edition.unlink()
        expected = f"{EDITIONS}/001.yaml: утвержденная редакция удалена, а git ее знает"
    if change.endswith("committed"):
        commit(project, "Поправлена редакция")
    for command in ("build", "status", "check"):
        lines = assert_clean_failure(run_cli("-C", project, command))
        assert any(line.startswith(expected) for line in lines), (command, lines)
    assert outputs(project / "output") == before


def test_a_looping_editions_link_hides_no_forged_edition(project: Path) -> None:
    """A link ``roles/ghost.editions`` that points at itself is no folder of editions (as a link to
    nowhere): the other editions are verified as ever, and a forged one is refused, no traceback
    (the listing of ``roles/`` stopped at the link: no edition of a role was verified)."""
    assert run_cli("-C", project, "build").exit_code == 0
    before = outputs(project / "output")
    forge(project / EDITIONS / "001.yaml", "Российской Федерации", "Республики Беларусь")
    (project / "roles" / "ghost.editions").symlink_to(project / "roles" / "ghost.editions")

    for command in ("build", "status", "check"):
        lines = assert_clean_failure(run_cli("-C", project, command))
        assert lines[0].startswith(f"{EDITIONS}/001.yaml: файл отличается от добавленного в git"), (command, lines)
    assert outputs(project / "output") == before
