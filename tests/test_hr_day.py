"""Issue 22, a day of HR work: what a new user tripped on in an own project, point by point."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import assert_clean_failure, copy_project, latest_edition, latest_line, run_cli, to_sign

# --- 2. the pre-commit hook that init writes ----------------------------------------------------


def _hook(project: Path) -> dict:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return config["repos"][0]["hooks"][0]


def test_the_hook_of_init_watches_every_file_check_reads_and_is_strict(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "hr").exit_code == 0
    hook = _hook(tmp_path / "hr")
    files = re.compile(hook["files"])
    for path in ("policies/sales.yaml", "staff.yaml", "acks/kam-manager/0000012.edition-1.yaml", "jobdesc.yaml"):
        assert files.search(path), path
    for path in ("output/kam-manager.docx", "README.md", "jobdesc.yaml.bak"):
        assert not files.search(path), path
    assert hook["entry"].endswith("jobdesc check --strict'")


def test_init_says_how_to_switch_the_hook_on(tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "hr")
    assert result.stderr.splitlines()[-1].endswith(
        "проверка перед каждым коммитом: pip install pre-commit && pre-commit install"
    )


def test_the_hook_of_init_says_how_to_fix_a_jobdesc_not_on_path(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "hr").exit_code == 0
    command = shlex.split(_hook(tmp_path / "hr")["entry"])

    lonely = subprocess.run(command, cwd=tmp_path / "hr", env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert lonely.returncode == 1
    assert "jobdesc не найден: включите виртуальное окружение" in lonely.stderr
    assert "not found" not in lonely.stderr

    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    found = subprocess.run(
        command, cwd=tmp_path / "hr", env={**os.environ, "PATH": path}, capture_output=True, text=True
    )
    assert found.returncode == 1  # the placeholders of jobdesc.yaml: check ran, and failed
    assert "jobdesc.yaml:" in found.stderr and "заготовка" in found.stderr


# --- 5, 6, 7. ack: the document by the date, dates as Russians write them, gender from the name --

STAFF = Path(__file__).parent / "data" / "staff" / "staff.yaml"


@pytest.fixture
def staffed(tmp_path: Path) -> Path:
    """The shipped project: edition 1 approved 20.11.2026, «Изменения № 1» approved 27.11.2026 (in
    force 01.12.2026), «Изменения № 2» approved 04.12.2026 (in force 07.12.2026), and three employees."""
    root = copy_project(tmp_path / "project", editions="all")
    shutil.copy2(STAFF, root / "staff.yaml")
    return root


def test_ack_without_a_document_records_the_one_approved_by_that_date(staffed: Path) -> None:
    result = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "25.11.2026")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "acks/kam-manager/0000012.edition-1.yaml: Соколова Анна Викторовна ознакомлена 25.11.2026 "
        "с редакцией № 1 от 20.11.2026\n"
    )
    assert (staffed / "acks" / "kam-manager" / "0000012.edition-1.yaml").is_file()

    later = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "2026-11-28")
    assert later.exit_code == 0, later.output
    assert later.stdout.startswith("acks/kam-manager/0000012.amendment-1.yaml: Соколова Анна Викторовна ознакомлена")


def test_ack_before_any_approval_names_the_document(staffed: Path) -> None:
    lines = assert_clean_failure(
        run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000019", "--date", "19.11.2026")
    )
    assert lines == [
        "--date: 19.11.2026 — раньше утверждения редакции № 1 от 20.11.2026 (kam-manager), первого документа, "
        "с которым знакомят: ознакомиться с ним тогда было нельзя"
    ]


def test_ack_of_a_missing_edition_is_said_in_good_russian(staffed: Path) -> None:
    lines = assert_clean_failure(
        run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000019", "--date", "08.12.2026", "--edition", "2")
    )
    assert latest_edition(staffed, "kam-manager") >= 2, "edition 2 exists, but is signed as «Изменения № 1»"
    known = ", ".join(f"{document} ({option})" for document, option, _ in to_sign(staffed, "kam-manager"))
    assert known.startswith("редакция № 1 от 20.11.2026 (--edition 1), изменения № 1 от 27.11.2026 (--amendment 1)")
    assert lines == [f"kam-manager: нет редакции № 2, с которой знакомят; есть: {known}"]


def test_ack_in_the_future_is_recorded_with_a_warning(staffed: Path) -> None:
    future = dt.date.today() + dt.timedelta(days=400)
    result = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000019", "--date", f"{future:%d.%m.%Y}")

    assert result.exit_code == 0, result.output
    assert "Громов Павел Сергеевич ознакомлен " in result.stdout
    assert result.stderr.startswith(f"внимание: --date {future:%d.%m.%Y} — дата в будущем")


def test_every_date_option_takes_dd_mm_yyyy(staffed: Path) -> None:
    (staffed / "roles" / "kam-head.yaml").write_text(
        (staffed / "roles" / "kam-head.yaml")
        .read_text(encoding="utf-8")
        .replace("\nduties:\n", "\nduties:\n  - Ведет учет.\n"),
        encoding="utf-8",
    )
    following = latest_edition(staffed, "kam-head") + 1
    result = run_cli(
        "-C", staffed, "approve", "kam-head", "--date", "10.12.2026", "--order", "120-ОД",
        "--order-date", "09.12.2026", "--effective", "15.12.2026", "--same-function",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"roles/kam-head.editions/{following:03d}.yaml: редакция № {following} утверждена 10.12.2026 "
        f"(Изменения № {following - 1})\n"
    )
    edition = yaml.safe_load((staffed / "roles" / "kam-head.editions" / f"{following:03d}.yaml").read_text("utf-8"))
    assert (edition["approved"], edition["effective"]) == ("2026-12-10", "2026-12-15")
    assert edition["order"] == {"number": "120-ОД", "date": "2026-12-09"}


@pytest.mark.parametrize("bad", ["31.02.2026", "2026.12.01", "1.12.26"])
def test_a_date_that_is_not_one_is_refused_in_both_forms(staffed: Path, bad: str) -> None:
    lines = assert_clean_failure(run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000019", "--date", bad))
    assert lines == [f"--date: «{bad}» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД (например 27.11.2026)"]


def test_help_and_range_errors_are_in_russian() -> None:
    help_text = run_cli("ack", "--help").stdout
    assert "[обязательно]" in help_text and "[не меньше 1]" in help_text
    assert "required" not in help_text and "x>=" not in help_text
    assert "[от 1 до 2]" in run_cli("build", "--help").stdout

    lines = assert_clean_failure(
        run_cli("ack", "kam-manager", "--employee", "1", "--date", "01.12.2026", "--edition", "0")
    )
    assert lines == ["недопустимое значение --edition: 0, допустимо не меньше 1 (справка: jobdesc ack --help)"]


def test_status_agrees_not_signed_with_the_name(staffed: Path) -> None:
    lines = run_cli("-C", staffed, "status").stdout.splitlines()
    assert any(line.startswith("kam-manager: Соколова Анна Викторовна (0000012) не ознакомлена с") for line in lines)
    assert any(line.startswith("kam-manager: Громов Павел Сергеевич (0000019) не ознакомлен с") for line in lines)
    assert not any("(а)" in line for line in lines)


# --- 8, 9, 10. build: drafts after approval, a summary that adds up, identical files kept ------

SUMMARY = re.compile(
    r"^Документов: (\d+) \(собрано: (\d+), без изменений: (\d+), с ошибками: (\d+)\); "
    r"файлов записано: (\d+)(?:, совпали с прежними и не переписаны: (\d+))? за \d+,\d с$"
)


def _summary(stderr: str) -> tuple[int, ...]:
    found = [SUMMARY.match(line) for line in stderr.splitlines()]
    [match] = [m for m in found if m]
    return tuple(int(group or 0) for group in match.groups())


def _add_duty(root: Path, role: str = "kam-head") -> None:
    path = root / "roles" / f"{role}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nduties:\n", "\nduties:\n  - Ведет учет ключевых клиентов.\n"), encoding="utf-8")


def test_the_summary_adds_up_and_writes_a_decimal_comma(staffed: Path) -> None:
    first = run_cli("-C", staffed, "build")
    assert first.exit_code == 0, first.output
    total, built, same, failed, files, kept = _summary(first.stderr)
    assert total == built + same + failed and failed == 0 and same == 0
    assert files == len(first.stdout.splitlines()) and kept == 0

    _add_duty(staffed)
    (staffed / "roles" / "kam-manager.yaml").write_text("title: [", encoding="utf-8")
    second = run_cli("-C", staffed, "build")
    assert second.exit_code == 1
    total, built, same, failed, files, kept = _summary(second.stderr)
    assert total == built + same + failed and failed == 1 and built >= 1


def test_removing_per_employee_copies_says_which_option(staffed: Path) -> None:
    assert run_cli("-C", staffed, "build", "kam-head", "--per-employee").exit_code == 0

    result = run_cli("-C", staffed, "build", "kam-head")

    assert result.exit_code == 0, result.output
    removed = [line for line in result.stderr.splitlines() if line.startswith("удален")]
    assert removed and all(
        line.endswith(": собран с --per-employee, а эта сборка — без --per-employee") for line in removed
    ), removed
    assert "output/kam-head.amendment-1.copy2.0000007.docx" in " ".join(removed)


def test_a_draft_of_a_text_approved_since_is_removed_by_the_next_build(staffed: Path) -> None:
    _add_duty(staffed)
    _add_duty(staffed, "kam-manager")
    drafted = run_cli("-C", staffed, "build", "--draft")
    assert drafted.exit_code == 0, drafted.output
    out = staffed / "output"
    latest = latest_edition(staffed, "kam-head")
    amendment = f"kam-head.amendment-{latest}.draft.docx"  # the next «Изменения», still a draft
    assert (out / "kam-head.draft.docx").is_file() and (out / amendment).is_file()
    assert run_cli("-C", staffed, "approve", "kam-head", "--date", "10.12.2026", "--same-function").exit_code == 0

    built = run_cli("-C", staffed, "build")

    assert built.exit_code == 0, built.output
    assert not (out / "kam-head.draft.docx").exists()
    assert not (out / amendment).exists()
    assert (out / f"kam-head.amendment-{latest}.docx").is_file()
    why = f"проект, текст которого теперь утвержден (редакция № {latest + 1})"
    assert f"удален устаревший файл output/kam-head.draft.docx: {why}" in built.stderr.splitlines()
    assert f"удален устаревший файл output/{amendment}: {why}" in built.stderr.splitlines()
    assert (out / "kam-manager.draft.docx").is_file(), "a draft of a text still not approved stays"


def test_build_force_keeps_identical_files_and_their_pdfs_current(staffed: Path) -> None:
    assert run_cli("-C", staffed, "build").exit_code == 0
    out = staffed / "output"
    documents = sorted(out.rglob("*.docx"))
    for document in documents:  # as a build --pdf left them: each PDF newer than its document
        os.utime(document, ns=(1_700_000_000_000_000_000,) * 2)
        document.with_suffix(".pdf").write_bytes(b"%PDF-1.4")
    before = {path: path.stat().st_mtime_ns for path in documents}

    forced = run_cli("-C", staffed, "build", "--force")

    assert forced.exit_code == 0, forced.output
    assert forced.stdout == "", "nothing was written"
    assert {path: path.stat().st_mtime_ns for path in documents} == before
    assert "старше своего документа" not in forced.stderr
    total, built, same, failed, files, kept = _summary(forced.stderr)
    assert (built, files, kept) == (total, 0, len(documents))


# --- 3. --per-employee in the changes model ----------------------------------------------------


def test_per_employee_copies_of_edition_1_too_in_the_changes_model(staffed: Path) -> None:
    from jobdesc.commands.textconv import docx_text

    result = run_cli("-C", staffed, "build", "kam-manager", "--per-employee")

    assert result.exit_code == 0, result.output
    out = staffed / "output"
    for number, name in (("0000012", "Соколова Анна Викторовна"), ("0000019", "Громов Павел Сергеевич")):
        for stem in ("kam-manager.edition-1", "kam-manager.amendment-1"):
            copy = out / f"{stem}.copy2.{number}.docx"
            assert copy.is_file(), copy
            text = docx_text(copy)
            assert name in text and "Экземпляр №\u00a02" in text
    assert "Громов" not in docx_text(out / "kam-manager.edition-1.copy2.0000012.docx")
    assert not list(out.glob("kam-manager.copy2.*")), "the reference text is not signed"


# --- 4. staff import after a rename; employees dropped with their acknowledgments --------------

EXPORT = Path(__file__).parent / "data" / "staff" / "shtatnaya-rasstanovka.csv"  # 1С, Windows-1251


def _rename_manager(root: Path, staff_names: str = "") -> None:
    path = root / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: Менеджер по работе с ключевыми клиентами", "title: Аккаунт-менеджер" + staff_names, 1
    )
    path.write_text(text, encoding="utf-8")


def test_a_renamed_position_is_found_by_the_names_of_staff_names(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _rename_manager(project)

    skipped = run_cli("-C", project, "staff", "import", EXPORT)
    assert skipped.exit_code == 0, skipped.output
    assert skipped.stdout == "staff.yaml: 1 работник\n"
    assert (
        f"внимание: {EXPORT}: должность «Менеджер по работе с ключевыми клиентами» — нет роли с таким "
        "наименованием, пропущено строк: 2 (если так в учетной системе называется одна из ролей — например, "
        "прежним наименованием, — добавьте в ее файл строку «staff_names: "
        '["Менеджер по работе с ключевыми клиентами"]» и повторите импорт)'
    ) in skipped.stderr.splitlines()

    _rename_manager(project)  # (already renamed) — now the old name goes to staff_names
    role = project / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "title: Аккаунт-менеджер\n",
            "title: Аккаунт-менеджер\nstaff_names:\n  - Менеджер по работе с ключевыми клиентами\n",
        ),
        encoding="utf-8",
    )
    mapped = run_cli("-C", project, "staff", "import", EXPORT)
    assert mapped.exit_code == 0, mapped.output
    assert mapped.stdout == "staff.yaml: 4 работника\n"
    staff = yaml.safe_load((project / "staff.yaml").read_text(encoding="utf-8"))["employees"]
    assert [e["role"] for e in staff].count("kam-manager") == 3
    strict = run_cli("-C", project, "check", "--strict")  # the names are not clauses: no «поставьте точку»
    assert strict.exit_code == 0, strict.output


def test_staff_names_are_not_text_of_the_document(staffed: Path) -> None:
    role = staffed / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("\ncategory:", "\nstaff_names: [Менеджер KAM]\ncategory:", 1),
        encoding="utf-8",
    )
    status = run_cli("-C", staffed, "status")
    assert status.exit_code == 0, status.output
    assert f"kam-manager: {latest_line(staffed, 'kam-manager')}; без изменений" in status.stdout.splitlines()


def test_reimport_warns_of_an_employee_dropped_with_acknowledgments(staffed: Path) -> None:
    assert run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "25.11.2026").exit_code == 0
    _rename_manager(staffed)

    result = run_cli("-C", staffed, "staff", "import", EXPORT)

    assert result.exit_code == 0, result.output
    assert (
        "внимание: staff.yaml: Соколова Анна Викторовна (0000012) нет в выгрузке — удалена из staff.yaml; записей "
        "об ознакомлении в acks/: 1 — они остаются (если должность переименована, добавьте прежнее наименование "
        "в staff_names роли)"
    ) in result.stderr.splitlines()
    note = (
        "acks/kam-manager/0000012.edition-1.yaml: Соколова Анна Викторовна (0000012) нет в staff.yaml, а записей об "
        "ознакомлении — 1"
    )
    check = run_cli("-C", staffed, "check")
    assert check.exit_code == 0, check.output
    assert any(line.startswith(f"внимание: {note}") for line in check.stderr.splitlines()), check.stderr
    status = run_cli("-C", staffed, "status")
    assert any(line.startswith(f"внимание: {note}") for line in status.stderr.splitlines()), status.stderr


# --- 11. diff (text): the title first, the lead-ins, the clauses renumbered ---------------------


def test_diff_text_shows_a_renamed_title_first_and_the_lead_ins(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions="all")
    role = project / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "title: Менеджер по работе с ключевыми клиентами",
            "title: Старший менеджер по работе с ключевыми клиентами",
            1,
        ),
        encoding="utf-8",
    )

    result = run_cli("-C", project, "diff", "kam-manager")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"kam-manager: редакция № {latest_edition(project, 'kam-manager')} → рабочий текст"
    assert lines[1] == "~ наименование  {+старшего +}менеджера по работе с ключевыми клиентами"
    assert (
        "~ 3. вводный абзац раздела  [-Менеджер-]{+Старший менеджер+} по работе с ключевыми клиентами имеет право:"
    ) in lines
    data = json.loads(run_cli("-C", project, "diff", "kam-manager", "--format", "json").stdout)
    parts = {change["new"].get("part", "") for change in data["changes"]}
    assert {"title", "lead"} <= parts


# --- 12. smaller: completion for forms; the README's requirements.other --------------------------


def test_completion_of_forms_offers_roles_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions=False)
    env = {"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": f"jobdesc -C {project} forms kam-", "COMP_CWORD": "4"}

    result = run_cli(env=env)

    assert result.stdout.splitlines() == ["plain,kam-head", "plain,kam-manager"]


def test_the_readme_shows_requirements_other_as_a_list_that_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Файл роли", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(block)
    assert isinstance(data["requirements"]["other"], list) and data["requirements"]["other"]
    project = copy_project(tmp_path / "project", editions=False)
    role = project / "roles" / "kam-manager.yaml"
    text = role.read_text(encoding="utf-8")
    start = text.index("requirements:\n")
    end = text.index("\n", text.index("  languages:", start))
    example = block[block.index("requirements:\n") : block.index("knowledge:")]
    role.write_text(text[:start] + example.rstrip("\n") + text[end:], encoding="utf-8")
    assert run_cli("-C", project, "check").exit_code == 0, run_cli("-C", project, "check").output


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Соколова Анна Викторовна", "ознакомлена"),
        ("Громов Павел Сергеевич", "ознакомлен"),
        ("Мамедова Лейла Гасан кызы", "ознакомлена"),
        ("Иванова Мария", "ознакомлена"),
        ("Ким Саша", "ознакомлен(а)"),  # the name does not tell
        ("Smith John", "ознакомлен(а)"),
    ],
)
def test_the_gender_comes_from_the_patronymic_or_the_first_name(name: str, word: str) -> None:
    from jobdesc.language.names import for_person

    assert for_person(name, "ознакомлен", "ознакомлена") == word


def test_a_copy_of_a_role_does_not_take_its_staff_names(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions=False)
    role = project / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("\ncategory:", "\nstaff_names:\n  - Менеджер KAM\ncategory:", 1),
        encoding="utf-8",
    )

    result = run_cli("-C", project, "new", "kam-senior", "--title", "Старший менеджер", "--from", "kam-manager")

    assert result.exit_code == 0, result.output
    assert "staff_names" not in (project / "roles" / "kam-senior.yaml").read_text(encoding="utf-8")


def test_a_staff_name_two_roles_claim_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions=False)
    role = project / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "\ncategory:", "\nstaff_names: [Начальник отдела по работе с ключевыми клиентами]\ncategory:", 1
        ),
        encoding="utf-8",
    )

    lines = assert_clean_failure(run_cli("-C", project, "staff", "import", EXPORT))

    assert lines == [
        "roles/kam-manager.yaml: staff_names: «Начальник отдела по работе с ключевыми клиентами» — так же называется "
        "роль kam-head: по выгрузке нельзя понять, чья это должность; оставьте это наименование одной роли"
    ]
    assert not (project / "staff.yaml").exists()


def test_ack_of_a_document_not_yet_approved_on_that_date_suggests_the_one_that_was(staffed: Path) -> None:
    lines = assert_clean_failure(
        run_cli(
            "-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "25.11.2026", "--amendment", "1"
        )
    )
    assert lines == [
        "--date: 25.11.2026 — раньше утверждения изменений № 1 от 27.11.2026 (kam-manager): ознакомиться с ними "
        "тогда было нельзя; к этой дате утверждена редакция № 1 от 20.11.2026 (--edition 1)"
    ]
