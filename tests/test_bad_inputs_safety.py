"""Bad inputs that lost data, forged editions, tracebacks and corrupt output (issue 12, items 1, 2, 5, 7).

Each case runs the command a person would run and asserts what they get: exit 1, one Russian
line naming the file (with its line and field where there is one), no traceback, and nothing
lost — the project's files are byte-for-byte what they were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import assert_clean_failure, copy_project, run_cli

from jobdesc.cli.main import main

ROLE = "kam-manager"
EDITIONS = f"roles/{ROLE}.editions"


def without_editions(project: Path) -> Path:
    for folder in (project / "roles").glob("*.editions"):
        shutil.rmtree(folder)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped project without its editions: each test approves what it needs."""
    return without_editions(copy_project(tmp_path / "project", overrides=True))


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of the project's inputs (config, roles with editions, templates), by path."""
    parts = [project / "jobdesc.yaml", *(project / "roles").rglob("*"), *(project / "templates").rglob("*")]
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in parts if p.is_file()}


def one_line(result) -> str:  # noqa: ANN001 - click Result
    lines = assert_clean_failure(result)
    assert len(lines) == 1, lines
    return lines[0]


def approve(project: Path, date: str = "2026-01-15", *extra: str):  # noqa: ANN201
    return run_cli("-C", project, "approve", ROLE, "--date", date, *extra)


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git with no user or system configuration: only what a test sets in its repository."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "gitconfig").write_text(
        "[user]\n\tname = Кадровая служба\n\temail = hr@example.org\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )


def repository(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Проект")


# --- 1. data loss ------------------------------------------------------------------------------


def test_one_order_of_a_role_and_a_regulation_is_all_or_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The role's edition is written, the regulation's cannot be: the role's goes again, and the
    line says «документов» (not «ролей»): a regulation was among them."""
    policy = project / "policies" / "kam-department.yaml"
    text = policy.read_text(encoding="utf-8")
    clause = "      - Отдел создается, реорганизуется и ликвидируется приказом генерального директора.\n"
    assert text.count(clause) == 1
    policy.write_text(
        text.replace(clause, clause + "      - Отдел ведет учет ключевых клиентов в CRM-системе.\n"), "utf-8"
    )
    import jobdesc.editions.store as editions

    real = editions.create_new

    def taken(path: Path, data: bytes) -> None:  # another approval got the regulation's edition 2 first
        if "policies" in path.parts:
            raise FileExistsError(path)
        real(path, data)

    monkeypatch.setattr(editions, "create_new", taken)
    before = snapshot(project)

    line = one_line(
        run_cli("-C", project, "approve", ROLE, "kam-department", "--date", "2026-12-01", "--order", "120-ОД")
    )

    assert line.startswith("policies/kam-department.editions/002.yaml: "), line
    assert line.endswith("(ничего не утверждено: редакции других документов удалены)"), line
    assert snapshot(project) == before
    assert not (project / EDITIONS).exists() or not list((project / EDITIONS).iterdir())


def test_two_approvals_at_once_the_second_sees_the_first(project: Path) -> None:
    """One approval at a time in a project (issue 21): the second waits for the project's lock,
    then finds the text already approved. (Without a lock — Windows — the exclusive creation of
    edition 2 still lets only one of them write it.)"""
    assert approve(project).exit_code == 0
    (project / "roles" / f"{ROLE}.yaml").write_text(
        (project / "roles" / f"{ROLE}.yaml").read_text(encoding="utf-8").replace("Соблюдает режим", "Хранит режим"),
        encoding="utf-8",
    )
    from jobdesc.commands.approve import approve as record
    from jobdesc.errors import JobdescError

    outcomes: list[object] = []

    def one(approver: str) -> None:
        try:
            outcomes.append(record(project, ROLE, dt.date(2026, 2, 1), approver=approver)[0].number)
        except JobdescError as exc:
            outcomes.append(exc.format_message())

    threads = [threading.Thread(target=one, args=(name,)) for name in ("Иванов Иван Иванович", "Петров Петр Петрович")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    numbers = [o for o in outcomes if isinstance(o, int)]
    errors = [o for o in outcomes if isinstance(o, str)]
    assert numbers == [2], outcomes
    assert len(errors) == 1 and "\n" not in errors[0], errors
    assert "нет изменений со времени редакции № 2" in errors[0], errors
    assert sorted(p.name for p in (project / EDITIONS).iterdir()) == ["001.yaml", "002.yaml"]
    assert run_cli("-C", project, "check").exit_code == 0


def test_two_approve_processes_at_once(project: Path) -> None:
    """The real thing, twice at once as two processes: never two editions 2, never one lost silently."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "jobdesc", "-C", str(project), "approve", ROLE, "--date", "2026-01-15"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(run.wait(120), run.stdout.read().decode(), run.stderr.read().decode()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    succeeded = [r for r in results if r[0] == 0]
    failed = [r for r in results if r[0] != 0]
    assert len(succeeded) == 1, results
    assert len(failed) == 1 and failed[0][0] == 1, results
    assert "Traceback" not in failed[0][2] and len(failed[0][2].splitlines()) == 1, failed
    # at once: «only just written by another approval»; a moment later: «nothing changed since № 1»
    assert failed[0][2].startswith((f"{EDITIONS}/001.yaml: ", f"{ROLE}: ")), failed
    assert sorted(p.name for p in (project / EDITIONS).iterdir()) == ["001.yaml"]
    assert run_cli("-C", project, "check").exit_code == 0


@pytest.mark.parametrize(
    "target",
    [
        "roles/kam-head.yaml",
        f"{EDITIONS}/001.yaml",
        "roles/_common.yaml",
        "jobdesc.yaml",
        "templates/styles.docx",
        "templates/job-description.md.j2",
        "roles/new.docx",
        f"{EDITIONS}/redline.docx",
    ],
)
def test_redline_never_writes_over_the_projects_inputs(project: Path, target: str) -> None:
    assert approve(project).exit_code == 0
    before = snapshot(project)

    line = one_line(run_cli("-C", project, "redline", ROLE, "--from", "1", "--out", project / target))

    assert line.startswith(f"--out: {project / target}: "), line
    assert snapshot(project) == before
    assert not (project / target).exists() or target in before


def test_redline_refuses_a_link_into_the_project_inputs(project: Path, tmp_path: Path) -> None:
    assert approve(project).exit_code == 0
    link = tmp_path / "looks-harmless.docx"
    link.symlink_to(project / "roles" / "kam-head.yaml")
    before = snapshot(project)

    line = one_line(run_cli("-C", project, "redline", ROLE, "--from", "1", "--out", link))

    assert "roles" in line, line
    assert snapshot(project) == before


@pytest.mark.parametrize("target", ["roles", EDITIONS, "templates", "roles/new"])
def test_build_never_writes_among_the_projects_inputs(project: Path, target: str) -> None:
    before = snapshot(project)

    line = one_line(run_cli("-C", project, "build", "--out", project / target))

    assert line == (
        f"--out: {project / target}: это место файлов проекта ({target.split('/')[0]}) — jobdesc не пишет туда "
        "документы; выберите другую папку, например output/"
    ), line
    assert snapshot(project) == before
    assert not (project / "roles" / "new").exists()


def test_redline_output_must_be_a_docx(project: Path, tmp_path: Path) -> None:
    assert approve(project).exit_code == 0

    line = one_line(run_cli("-C", project, "redline", ROLE, "--from", "1", "--out", tmp_path / "notes.txt"))

    assert line.startswith(f"--out: {tmp_path / 'notes.txt'}: ") and ".docx" in line, line
    assert not (tmp_path / "notes.txt").exists()
    result = run_cli("-C", project, "redline", ROLE, "--from", "1", "--out", tmp_path / "Сравнение.DOCX")
    assert result.exit_code == 0, result.output


def test_build_removes_only_its_own_old_temporaries(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = {".заметки.tmp": b"user's notes", ".backup.docx.tmp": b"user's backup", ".x.jobdesc-abc.tmp": b"short"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    stale = out / ".kam-head.docx.jobdesc-k2j4x9q_.tmp"  # what a killed jobdesc leaves
    stale.write_bytes(b"half a document")
    fresh = out / ".kam-manager.docx.jobdesc-a1b2c3d4.tmp"  # a build running right now
    fresh.write_bytes(b"being written")
    old = time.time() - 3600
    for path in [*(out / name for name in mine), stale]:
        os.utime(path, (old, old))

    result = run_cli("-C", project, "build", "--out", out)

    assert result.exit_code == 0, result.output
    assert {name: (out / name).read_bytes() for name in mine} == mine
    assert not stale.exists()
    assert fresh.exists()


def test_temporaries_carry_jobdesc_in_their_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jobdesc.disk import fsutil

    seen: list[str] = []
    real = os.replace

    def spy(source: str, target: str) -> None:
        seen.append(Path(source).name)
        real(source, target)

    monkeypatch.setattr(fsutil.os, "replace", spy)
    fsutil.atomic_write(tmp_path / "a.docx", b"x")

    assert len(seen) == 1 and fsutil.is_own_temporary(seen[0]), seen
    assert seen[0].startswith(".a.docx.jobdesc-") and seen[0].endswith(".tmp")


# --- 2. forgery --------------------------------------------------------------------------------


def forge(path: Path) -> None:
    """Rewrite an edition as a forger would: another approver and duty, the fingerprint recomputed."""
    from jobdesc.editions.store import fingerprint

    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    record = yaml.safe_load(text)
    record["approver"]["name"] = "Петров Петр Петрович"
    record["content"]["duties"][0] = "Подписывает договоры от имени организации без доверенности."
    record["fingerprint"] = fingerprint(record)
    path.write_text(header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def test_without_git_a_forged_edition_passes_check(project: Path) -> None:
    """What the README says: without git or a signature, a recomputed fingerprint is not found."""
    assert approve(project).exit_code == 0
    forge(project / EDITIONS / "001.yaml")

    assert run_cli("-C", project, "check").exit_code == 0


@pytest.mark.usefixtures("isolated_git")
def test_a_forged_edition_fails_check_in_git(project: Path) -> None:
    repository(project)
    assert approve(project).exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена редакция 1")
    added = git(project, "rev-parse", "--short=10", "HEAD").strip()
    forge(project / EDITIONS / "001.yaml")

    line = one_line(run_cli("-C", project, "check"))
    git(project, "commit", "-qam", "Поправлена редакция")  # committing the forgery does not help
    committed = one_line(run_cli("-C", project, "check"))

    assert line.startswith(f"{EDITIONS}/001.yaml: "), line
    assert added in line and f"git checkout {added} -- {EDITIONS}/001.yaml" in line, line
    assert committed == line
    approved = approve(project, "2026-03-01")
    assert approved.exit_code == 1 and "утверждение невозможно" in approved.stderr, approved.output
    git(project, "checkout", added, "--", f"{EDITIONS}/001.yaml")  # the way back the message shows
    assert run_cli("-C", project, "check").exit_code == 0


@pytest.mark.usefixtures("isolated_git")
def test_a_forged_regulation_edition_fails_check_in_git(project: Path) -> None:
    """A regulation's approved edition is kept by git as a role's is: rewritten with its fingerprint
    recomputed, it is found by the commit that added it."""
    from jobdesc.editions.store import fingerprint

    policy_edition = project / "policies" / "kam-department.editions" / "001.yaml"
    assert policy_edition.is_file()
    repository(project)
    text = policy_edition.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    record = yaml.safe_load(text)
    record["approver"]["name"] = "Петров Петр Петрович"
    record["fingerprint"] = fingerprint(record)
    policy_edition.write_text(
        header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**6), "utf-8"
    )

    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith("policies/kam-department.editions/001.yaml: файл отличается от добавленного в git"), line


@pytest.mark.usefixtures("isolated_git")
def test_an_uncommitted_regulation_edition_is_said_so(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "jobdesc.yaml", "roles")
    git(project, "commit", "-qm", "Роли")

    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert "внимание: policies/kam-department.editions/001.yaml: редакция еще не закоммичена в git" in result.stderr


@pytest.mark.usefixtures("isolated_git")
def test_line_endings_git_converts_on_checkout_are_not_a_change(project: Path) -> None:
    """On Windows (core.autocrlf) the working file has CRLF where the commit has LF: the same edition."""
    repository(project)
    assert approve(project).exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена редакция 1")
    path = project / EDITIONS / "001.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    changed = one_line(run_cli("-C", project, "check"))  # without conversion the bytes differ
    git(project, "config", "core.autocrlf", "true")
    converted = run_cli("-C", project, "check")

    assert changed.startswith(f"{EDITIONS}/001.yaml: файл отличается"), changed
    assert converted.exit_code == 0, converted.output


@pytest.mark.usefixtures("isolated_git")
def test_an_edition_deleted_and_written_again_fails_check(project: Path) -> None:
    repository(project)
    assert approve(project).exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена редакция 1")
    kept = (project / EDITIONS / "001.yaml").read_bytes()
    shutil.rmtree(project / EDITIONS)
    git(project, "commit", "-qam", "Удалена")
    refused = one_line(approve(project, "2026-02-01"))  # an edition git knows is gone (issue 21)
    assert f"{EDITIONS}/001.yaml: утвержденная редакция удалена" in refused, refused
    (project / EDITIONS).mkdir()
    (project / EDITIONS / "001.yaml").write_bytes(kept)
    forge(project / EDITIONS / "001.yaml")  # written again, by hand, with other text
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена заново")

    lines = assert_clean_failure(run_cli("-C", project, "check"))

    assert lines[0].startswith(f"{EDITIONS}/001.yaml: ") and "не один раз" in lines[0], lines
    assert lines[1:] == [] or "отличается" in lines[1], lines  # the dates differ: the bytes too


@pytest.mark.usefixtures("isolated_git")
def test_an_uncommitted_edition_is_fine_and_said_so(project: Path) -> None:
    repository(project)
    assert approve(project).exit_code == 0

    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert f"внимание: {EDITIONS}/001.yaml: редакция еще не закоммичена в git" in result.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена")
    assert "внимание" not in run_cli("-C", project, "check").stderr


@pytest.mark.usefixtures("isolated_git")
def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    project = without_editions(copy_project(top / "hr" / "jd"))
    repository(top)
    assert approve(project).exit_code == 0
    git(top, "add", "-A")
    git(top, "commit", "-qm", "Утверждена")
    assert run_cli("-C", project, "check").exit_code == 0
    forge(project / EDITIONS / "001.yaml")

    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith(f"{EDITIONS}/001.yaml: ") and f"-- hr/jd/{EDITIONS}/001.yaml" in line, line


@pytest.fixture
def ssh_signing(tmp_path: Path, isolated_git: None) -> Path:
    """A throwaway SSH key, set in git's configuration as the signing key of a fresh repository."""
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path / "keys" / "id_ed25519"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hr", "-f", str(key)], check=True)
    with open(tmp_path / "gitconfig", "a", encoding="utf-8") as config:
        config.write(f"[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = {key}.pub\n")
    return key


def trust(tmp_path: Path, key: Path) -> None:
    allowed = tmp_path / "keys" / "allowed_signers"
    allowed.write_text(f'hr@example.org namespaces="jobdesc" {(key.parent / (key.name + ".pub")).read_text()}')
    with open(tmp_path / "gitconfig", "a", encoding="utf-8") as config:
        config.write(f'[gpg "ssh"]\n\tallowedSignersFile = {allowed}\n')


def test_a_signed_approval_is_verified_by_check(project: Path, ssh_signing: Path, tmp_path: Path) -> None:
    trust(tmp_path, ssh_signing)
    result = approve(project, "2026-01-15", "--sign")
    assert result.exit_code == 0, result.output
    signature = project / EDITIONS / "001.yaml.sig"
    assert signature.read_text().startswith("-----BEGIN SSH SIGNATURE-----")
    verified = subprocess.run(  # ssh-keygen itself agrees the signature is of the edition's bytes
        ["ssh-keygen", "-Y", "check-novalidate", "-n", "jobdesc", "-s", str(signature)],
        input=(project / EDITIONS / "001.yaml").read_bytes(),
        capture_output=True,
    )
    assert verified.returncode == 0, verified.stderr
    assert run_cli("-C", project, "check").exit_code == 0

    forge(project / EDITIONS / "001.yaml")  # no git here: only the signature can tell
    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith(f"{EDITIONS}/001.yaml.sig: ") and "подпись SSH не подтверждается" in line, line
    assert one_line(run_cli("-C", project, "build")) == line  # build puts nothing of it on paper either


def test_in_git_a_signature_can_be_neither_removed_nor_replaced(project: Path, ssh_signing: Path) -> None:
    repository(project)
    assert approve(project, "2026-01-15", "--sign").exit_code == 0
    result = run_cli("-C", project, "check")
    assert f"внимание: {EDITIONS}/001.yaml.sig: подпись еще не закоммичена в git" in result.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Утверждена и подписана")
    signature = project / EDITIONS / "001.yaml.sig"
    original = signature.read_bytes()

    forge(project / EDITIONS / "001.yaml")  # the forger signs the forgery with a key of their own
    forger = ssh_signing.parent / "forger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(forger)], check=True)
    signed = subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(forger), "-n", "jobdesc"],
        input=(project / EDITIONS / "001.yaml").read_bytes(),
        capture_output=True,
        check=True,
    )
    signature.write_bytes(signed.stdout)
    replaced = assert_clean_failure(run_cli("-C", project, "check"))
    signature.unlink()
    git(project, "commit", "-qam", "Подпись удалена")
    removed = assert_clean_failure(run_cli("-C", project, "check"))

    assert [line.split(": ")[0] for line in replaced] == [f"{EDITIONS}/001.yaml", f"{EDITIONS}/001.yaml.sig"]
    assert "отличается" in replaced[1], replaced
    assert [line.split(": ")[0] for line in removed] == [f"{EDITIONS}/001.yaml", f"{EDITIONS}/001.yaml.sig"]
    assert "подпись редакции удалена" in removed[1], removed
    git(project, "checkout", "HEAD~1", "--", EDITIONS)
    assert signature.read_bytes() == original
    assert run_cli("-C", project, "check").exit_code == 0


def test_a_signature_by_an_unknown_key_fails_check(project: Path, ssh_signing: Path, tmp_path: Path) -> None:
    assert approve(project, "2026-01-15", "--sign").exit_code == 0
    other = tmp_path / "keys" / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(other)], check=True)
    trust(tmp_path, other)  # the list of allowed signers does not hold the key that signed

    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith(f"{EDITIONS}/001.yaml.sig: ") and "allowedSignersFile" in line, line


def test_a_signature_without_a_list_of_signers_is_checked_and_said_so(project: Path, ssh_signing: Path) -> None:
    assert approve(project, "2026-01-15", "--sign").exit_code == 0

    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert "кто подписал, не проверено" in result.stderr


def test_a_gpg_signed_approval_is_verified_by_check(
    project: Path, isolated_git: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``gpg.format`` git signs with GnuPG; so does ``approve --sign``."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(
        ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "HR <hr@example.org>", "ed25519", "sign", "never"],
        check=True,
        capture_output=True,
    )
    with open(tmp_path / "gitconfig", "a", encoding="utf-8") as config:
        config.write("[user]\n\tsigningkey = hr@example.org\n")
    try:
        signed_and_forged(project)
    finally:  # the agent gpg started for this key home
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)


def signed_and_forged(project: Path) -> None:
    assert approve(project, "2026-01-15", "--sign").exit_code == 0
    signature = project / EDITIONS / "001.yaml.sig"
    assert signature.read_text().startswith("-----BEGIN PGP SIGNATURE-----")
    assert run_cli("-C", project, "check").exit_code == 0

    forge(project / EDITIONS / "001.yaml")
    line = one_line(run_cli("-C", project, "check"))

    assert line.startswith(f"{EDITIONS}/001.yaml.sig: ") and "подпись OpenPGP не подтверждается" in line, line


def test_sign_without_a_signing_key_writes_nothing(project: Path, isolated_git: None, tmp_path: Path) -> None:
    with open(tmp_path / "gitconfig", "a", encoding="utf-8") as config:
        config.write("[gpg]\n\tformat = ssh\n")
    before = snapshot(project)

    line = one_line(approve(project, "2026-01-15", "--sign"))

    assert line.startswith("--sign: ") and "user.signingkey" in line, line
    assert snapshot(project) == before


# --- 5. tracebacks -----------------------------------------------------------------------------


def replace_in(project: Path, relative: str, old: str, new: str) -> int:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


@pytest.mark.parametrize(
    ("field", "old", "limit"),
    [
        ("title", "title: Менеджер по работе с ключевыми клиентами", 150),
        ("department", "department: kam-department", 200),
    ],
)
def test_a_title_or_department_too_long_for_a_document(project: Path, field: str, old: str, limit: int) -> None:
    long = " ".join(["Менеджер по работе с ключевыми клиентами"] * 6)  # 245 characters
    line = replace_in(project, f"roles/{ROLE}.yaml", old, f"{field}: {long}")

    for command in ("check", "build"):
        result = run_cli("-C", project, command)
        lines = assert_clean_failure(result) if command == "check" else result.stderr.splitlines()
        assert (
            f"roles/{ROLE}.yaml:{line}: {field}: слишком длинный текст: {len(long)} символов, допустимо не более {limit}"
            in lines
        )
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("old", "new"), [("copies: 2", "copies: 2.0"), ("acknowledgment_rows: 10", "acknowledgment_rows: 10.0")]
)
def test_a_whole_number_with_a_fraction_in_the_config(project: Path, old: str, new: str) -> None:
    line = replace_in(project, "jobdesc.yaml", old, new)
    key = old.split(":")[0]

    for command in ("check", "build"):
        message = one_line(run_cli("-C", project, command))
        assert message.startswith(f"jobdesc.yaml:{line}: document.{key}: "), message
        assert "целое число" in message


@pytest.mark.parametrize("option", ["--order", "--approver"])
def test_non_utf8_bytes_in_approve_options(project: Path, option: str) -> None:
    before = snapshot(project)
    value = b"\xcf\xf0\xe8\xea\xe0\xe7 15".decode("utf-8", "surrogateescape")  # «Приказ 15» in Windows-1251

    line = one_line(approve(project, "2026-01-15", option, value))

    assert line.startswith(f"{option}: ") and "UTF-8" in line, line
    assert snapshot(project) == before


def test_non_utf8_bytes_in_the_redline_author(project: Path, tmp_path: Path) -> None:
    assert approve(project).exit_code == 0
    author = b"\xc8\xe2\xe0\xed\xee\xe2\xe0".decode("utf-8", "surrogateescape")

    line = one_line(
        run_cli("-C", project, "redline", ROLE, "--from", "1", "--out", tmp_path / "r.docx", "--author", author)
    )

    assert line.startswith("--author: ") and "UTF-8" in line, line
    assert not (tmp_path / "r.docx").exists()


def test_an_unreadable_template(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions do not stop root (who runs CI here), so reading the file is made to fail."""
    import builtins
    import os

    unreadable = str(project / "templates" / "approval.md.j2")

    def refusing(real):  # noqa: ANN001, ANN202
        def opener(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if str(file) == unreadable:
                raise PermissionError(13, "Permission denied", str(file))
            return real(file, *args, **kwargs)

        return opener

    monkeypatch.setattr(builtins, "open", refusing(builtins.open))
    monkeypatch.setattr(os, "open", refusing(os.open))

    for command in ("check", "build"):
        line = one_line(run_cli("-C", project, command))
        assert line == "templates/approval.md.j2: нет прав на чтение файла", line
    assert not (project / "output").exists() or list((project / "output").glob("*.docx")) == []


def test_a_git_revision_of_130000_characters(project: Path, tmp_path: Path, isolated_git: None) -> None:
    repository(project)

    for command in (["diff", ROLE], ["redline", ROLE, "--out", str(tmp_path / "r.docx")]):
        line = one_line(run_cli("-C", project, *command, "--from", "a" * 130_000))
        assert len(line) < 300 and "длиннее 256 символов" in line, line[:300]

    revision = "HEAD" + "~0" * 120  # 244 characters, a valid revision: the document's title is cut to fit
    result = run_cli("-C", project, "redline", ROLE, "--from", revision, "--out", tmp_path / "r.docx")
    assert result.exit_code == 0, result.output
    from docx import Document

    title = Document(str(tmp_path / "r.docx")).core_properties.title
    assert len(title) == 255 and title.startswith("Должностная инструкция менеджера") and title.endswith("…")


@pytest.mark.parametrize(
    "entry",
    ["oops", 7, None, {"digest": 5}, {"files": [1]}, {"warnings": 7}, {"files": {"../../jobdesc.yaml": "x"}}],
)
def test_a_manifest_entry_of_the_wrong_type_is_rebuilt(project: Path, tmp_path: Path, entry: object) -> None:
    import json

    out = tmp_path / "out"
    assert run_cli("-C", project, "build", "--out", out).exit_code == 0
    manifest = json.loads((out / ".jobdesc-manifest.json").read_text(encoding="utf-8"))
    for key in manifest["roles"]:
        good = manifest["roles"][key]
        manifest["roles"][key] = {**good, **entry} if isinstance(entry, dict) else entry
    (out / ".jobdesc-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    result = run_cli("-C", project, "build", "--out", out)

    assert result.exit_code == 0, result.output
    assert "(собрано: 3, без изменений: 0," in result.stderr  # rebuilt, and byte for byte as before:
    assert "файлов записано: 0, совпали с прежними и не переписаны: 3" in result.stderr  # not rewritten


@pytest.mark.parametrize("command", [["schema"], ["check"], ["history", ROLE]])
def test_stdout_on_a_full_disk(project: Path, command: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "jobdesc", "-C", str(project), *command],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert stderr == "стандартный вывод: не удается записать: нет места на диске\n", stderr


def test_a_lone_surrogate_with_pyyaml_without_libyaml(project: Path) -> None:
    """PyYAML's pure-Python reader takes «\\ud800»; the text is refused by the check, not by a crash."""
    line = replace_in(
        project, f"roles/{ROLE}.yaml", "title: Менеджер по работе с ключевыми клиентами", 'title: "Менеджер\\ud800"'
    )
    script = (
        "import sys; sys.modules['yaml._yaml'] = None\n"
        "import yaml; assert not hasattr(yaml, 'CSafeLoader')\n"
        "from jobdesc.cli.main import main; main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for command in ("check", "build"):
        done = subprocess.run(
            [sys.executable, "-c", script, "-C", str(project), command], capture_output=True, env=env, timeout=120
        )
        stderr = done.stderr.decode()
        assert done.returncode == 1 and "Traceback" not in stderr, stderr
        assert f"roles/{ROLE}.yaml:{line}: title: недопустимый" in stderr and "U+D800" in stderr, stderr


# --- 7. corrupt output -------------------------------------------------------------------------


def test_the_thousandth_edition_sorts_after_the_hundred_and_first(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editions are read in the order of their numbers, whatever the width of the name.

    Reading a thousand real editions takes a minute, so each file's own reading is replaced by
    one that takes its number from its name: the order in which files come is what is tested.
    """
    import jobdesc.editions.store as editions
    from jobdesc.project.model import Person

    folder = project / EDITIONS
    folder.mkdir(parents=True)
    for number in range(1, 1001):
        (folder / f"{number:03d}.yaml").write_text(f"edition: {number}\n", encoding="utf-8")
    (folder / "001.yaml.sig").write_text("подпись", encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir())[100:103] == ["100.yaml", "1000.yaml", "101.yaml"]  # the trap
    day = dt.date(2026, 1, 1)

    def by_name(path: Path, shown: str, doc_id: str, problems: list, kind: object, files: object) -> editions.Edition:
        return editions.Edition(doc_id, int(path.stem), day, Person("Директор", "Иванов Иван Иванович"), day, {}, "")

    monkeypatch.setattr(editions, "_load_edition", by_name)
    problems: list = []

    loaded = editions.load_editions(project, ROLE, problems)

    assert problems == []
    assert [e.number for e in loaded] == list(range(1, 1001))


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Менеджер\x01по продажам", "U+0001"),
        ("Менеджер\x7fпо продажам", "U+007F"),
        ("Менеджер " * 40, "не более 150"),
    ],
)
def test_new_refuses_a_title_check_would_reject(project: Path, title: str, words: str) -> None:
    before = snapshot(project)

    line = one_line(run_cli("-C", project, "new", "sales-manager", "--title", title))

    assert line.startswith("--title: ") and words in line, line
    assert "roles/sales-manager.yaml не создан" in line or "введите значение заново" in line, line  # issue 21
    assert snapshot(project) == before


def test_new_refuses_non_utf8_bytes_in_the_title(project: Path) -> None:
    before = snapshot(project)
    title = b"\xcc\xe5\xed\xe5\xe4\xe6\xe5\xf0".decode("utf-8", "surrogateescape")

    line = one_line(run_cli("-C", project, "new", "sales-manager", "--title", title))

    assert line.startswith("--title: ") and "UTF-8" in line, line
    assert snapshot(project) == before


@pytest.mark.parametrize("newline", ["\r", "\x85", "\r\n"])
def test_new_from_a_role_with_other_line_breaks_copies_all_of_it(project: Path, newline: str) -> None:
    source = (project / "roles" / "kam-head.yaml").read_text(encoding="utf-8")
    (project / "roles" / "odd.yaml").write_bytes(source.replace("\n", newline).encode("utf-8"))
    assert run_cli("-C", project, "check").exit_code == 0  # the source itself is fine

    result = run_cli("-C", project, "new", "odd-copy", "--from", "odd", "--title", "Руководитель группы продаж")

    assert result.exit_code == 0, result.output
    copy = yaml.safe_load((project / "roles" / "odd-copy.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load(source)
    assert copy["title"] == "Руководитель группы продаж"
    assert {k: v for k, v in copy.items() if k != "title"} == {
        k: v for k, v in original.items() if k not in ("title", "title_genitive", "number")
    }
    assert run_cli("-C", project, "check").exit_code == 0


def test_check_runs_the_main_entry_point(project: Path) -> None:
    """The in-process runner and ``python -m jobdesc`` agree (the subprocess cases above rely on it)."""
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    assert result.exit_code == 0, result.output
