"""jobdesc ack and status: who signed which edition or amendment, and who has not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import assert_clean_failure, copy_project, latest_edition, run_cli, set_amendments, to_sign

DATA = Path(__file__).parent / "data" / "staff"


@pytest.fixture
def staffed(tmp_path: Path) -> Path:
    """The shipped project with all its editions (edition 1 of 20.11.2026, «Изменения № 1» approved
    27.11.2026, in force 01.12.2026, «Изменения № 2» approved 04.12.2026, in force 07.12.2026) and the
    sample staff: Громов hired 07.12.2026, when all of them were in force. The tests name the documents
    to sign from the project's editions (``to_sign``), not from the numbers it has reached."""
    root = copy_project(tmp_path / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    shutil.copy2(DATA / "staff.yaml", root / "staff.yaml")
    return root


def unsigned(root: Path, prefix: str = "kam-") -> list[str]:
    """The «не ознакомлен» lines of ``status`` about the job descriptions (the regulation's: a test of its own)."""
    result = run_cli("-C", root, "status")
    assert result.exit_code == 0, result.output
    return [
        line
        for line in result.stdout.splitlines()
        if "не ознакомлен" in line and line.startswith(prefix) and not line.startswith("kam-department:")
    ]


def _instrumental(document: str) -> str:
    """«редакция № 1 от …» → «редакцией № 1 от …», «изменения № N от …» → «изменениями № N от …»."""
    return document.replace("редакция ", "редакцией ", 1).replace("изменения ", "изменениями ", 1)


HIRED = "07.12.2026"  # Громов: on that day everything approved was in force, so he signs it all before the contract


def test_status_lists_every_holder_and_document_until_signed(staffed: Path) -> None:
    lines = unsigned(staffed)
    head, manager = to_sign(staffed, "kam-head"), to_sign(staffed, "kam-manager")
    assert [document for document, _, _ in manager[:2]] == ["редакция № 1 от 20.11.2026", "изменения № 1 от 27.11.2026"]
    in_force_by = [e.split(".")[::-1] <= HIRED.split(".")[::-1] for _, _, e in manager]
    assert all(in_force_by), "Громов signs everything before his contract: the test expects that"
    late = f"срок: до {HIRED} (до подписания трудового договора, ст. 68 ТК РФ)"
    assert lines == [
        *(
            f"kam-head: Кузнецов Дмитрий Олегович (0000007) не ознакомлен с {_instrumental(d)} — срок: до {e}"
            for d, _, e in head
        ),
        *(
            f"kam-manager: Соколова Анна Викторовна (0000012) не ознакомлена с {_instrumental(d)} — срок: до {e}"
            for d, _, e in manager
        ),
        *(
            f"kam-manager: Громов Павел Сергеевич (0000019) не ознакомлен с {_instrumental(d)} — {late}"
            for d, _, _ in manager
        ),
    ]
    assert lines[0] == (
        "kam-head: Кузнецов Дмитрий Олегович (0000007) не ознакомлен с редакцией № 1 от 20.11.2026 — срок: до 20.11.2026"
    )
    assert lines[1] == (
        "kam-head: Кузнецов Дмитрий Олегович (0000007) не ознакомлен с изменениями № 1 от 27.11.2026 — срок: до 01.12.2026"
    )
    result = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "acks/kam-manager/0000012.amendment-1.yaml: Соколова Анна Викторовна ознакомлена 28.11.2026 "
        "с изменениями № 1 от 27.11.2026\n"
    )
    result = run_cli(
        "-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", "2026-11-21", "--edition", "1"
    )
    assert result.exit_code == 0, result.output
    assert len([line for line in unsigned(staffed) if "Соколова" in line]) == len(manager) - 2
    for document, option, _ in manager[2:]:  # the later amendments, each on the day it was approved
        day = document.rsplit(" ", 1)[1]
        result = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000012", "--date", day, *option.split())
        assert result.exit_code == 0, result.output
    assert not [line for line in unsigned(staffed) if "Соколова" in line]
    assert len(unsigned(staffed)) == len(head) + len(manager)
    assert run_cli("-C", staffed, "check").exit_code == 0


def test_a_signature_is_recorded_once_and_never_replaced(staffed: Path) -> None:
    args = ("-C", staffed, "ack", "kam-head", "--employee", "0000007", "--date", "2026-11-30", "--amendment", "1")
    assert run_cli(*args).exit_code == 0
    record = staffed / "acks" / "kam-head" / "0000007.amendment-1.yaml"
    before = record.read_bytes()
    lines = assert_clean_failure(run_cli(*args[:7], "2026-12-01", "--amendment", "1"))
    others = ", ".join(f"{d} ({option})" for d, option, _ in to_sign(staffed, "kam-head") if option != "--amendment 1")
    assert others.startswith("редакция № 1 от 20.11.2026 (--edition 1)")
    assert lines == [
        "acks/kam-head/0000007.amendment-1.yaml: Кузнецов Дмитрий Олегович уже ознакомлен с изменениями № 1 "
        f"от 27.11.2026 — запись есть и не перезаписывается; еще не записаны: {others}"
    ]
    assert record.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("kam-head", "--employee", "0000099", "--date", "2026-11-30"),
            "--employee: работника с табельным номером 0000099 нет в staff.yaml",
        ),
        (
            ("kam-head", "--employee", "0000012", "--date", "2026-11-30"),
            "--employee: Соколова Анна Викторовна (0000012) по staff.yaml занимает должность роли kam-manager, "
            "а не kam-head",
        ),
        (
            ("kam-head", "--employee", "0000007", "--date", "2026-11-19", "--edition", "1"),
            "--date: 19.11.2026 — раньше утверждения редакции № 1 от 20.11.2026 (kam-head): ознакомиться с ней тогда было нельзя",
        ),
        (
            ("kam-head", "--employee", "0000007", "--date", "2026-11-30", "--edition", "1", "--amendment", "1"),
            "--edition и --amendment вместе не указываются: выберите один документ (справка: jobdesc ack --help)",
        ),
    ],
)
def test_a_wrong_signature_is_refused_in_one_line(staffed: Path, args: tuple[str, ...], message: str) -> None:
    assert assert_clean_failure(run_cli("-C", staffed, "ack", *args)) == [message]
    assert not (staffed / "acks").exists()


def test_an_amendment_that_does_not_exist_is_refused_naming_those_that_do(staffed: Path) -> None:
    missing = latest_edition(staffed, "kam-head")  # «Изменения № N» make edition N + 1: this one is not yet
    args = ("kam-head", "--employee", "0000007", "--date", "2026-12-20", "--amendment", str(missing))
    known = ", ".join(f"{document} ({option})" for document, option, _ in to_sign(staffed, "kam-head"))
    assert known.startswith("редакция № 1 от 20.11.2026 (--edition 1), изменения № 1 от 27.11.2026 (--amendment 1)")
    assert assert_clean_failure(run_cli("-C", staffed, "ack", *args)) == [
        f"kam-head: нет изменений № {missing}, с которыми знакомят; есть: {known}"
    ]
    assert not (staffed / "acks").exists()


def test_check_detects_a_changed_record(staffed: Path) -> None:
    run = run_cli("-C", staffed, "ack", "kam-head", "--employee", "0000007", "--date", "2026-11-30", "--amendment", "1")
    assert run.exit_code == 0, run.output
    record = staffed / "acks" / "kam-head" / "0000007.amendment-1.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('"2026-11-30"', '"2026-11-29"'), encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("fingerprint:"))) + 1
    lines = assert_clean_failure(run_cli("-C", staffed, "check"))
    assert lines == [
        f"acks/kam-head/0000007.amendment-1.yaml:{line}: fingerprint: запись об ознакомлении изменена после записи "
        "(отпечаток не совпадает) — верните ее из git"
    ]


def test_status_warns_of_a_signature_after_hiring(staffed: Path) -> None:
    """Громов was hired 07.12.2026: what was in force then he must sign before the contract."""
    for _, option, _ in to_sign(staffed, "kam-manager"):  # all on the day of hiring, but amendment 1 later
        date = "2026-12-09" if option == "--amendment 1" else "2026-12-07"
        result = run_cli("-C", staffed, "ack", "kam-manager", "--employee", "0000019", "--date", date, *option.split())
        assert result.exit_code == 0, result.output
    result = run_cli("-C", staffed, "status")
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stdout.splitlines() if "Громов" in line and line.startswith("kam-manager")]
    assert result.stderr.splitlines() == [
        "внимание: acks/kam-manager/0000019.amendment-1.yaml: Громов Павел Сергеевич ознакомлен 09.12.2026 "
        "с изменениями № 1 от 27.11.2026, позже приема на работу 07.12.2026: с документом, действующим при "
        "приеме, знакомят до подписания трудового договора (ст. 68 ТК РФ)"
    ]


def test_new_edition_mode_asks_for_the_latest_edition_only(staffed: Path) -> None:
    latest = latest_edition(staffed, "kam-manager")
    assert len(to_sign(staffed, "kam-manager")) > 1  # instructions: edition 1 and each «Изменения»
    *_, (document, _, effective) = to_sign(staffed, "kam-manager")
    approved = document.rsplit(" ", 1)[1]
    set_amendments(staffed, "new-edition")
    assert [line.split(" не ознакомлена с ")[1] for line in unsigned(staffed) if "Соколова" in line] == [
        f"редакцией № {latest} от {approved} — срок: до {effective}"
    ]


def test_the_regulation_is_signed_by_every_holder_of_its_unit(staffed: Path) -> None:
    """«Положение об отделе» is signed by the holders of every position of the department (ст. 22
    ТК РФ: local acts that concern their work), and a signature is recorded against it like any other."""
    before = [
        line
        for line in run_cli("-C", staffed, "status").stdout.splitlines()
        if line.startswith("kam-department: ") and "не ознакомлен" in line
    ]
    regulation = to_sign(staffed, "kam-department")
    assert len(before) == 3 * len(regulation)  # each holder, each document
    assert list(dict.fromkeys(line.split(" (")[0] for line in before)) == [
        "kam-department: Кузнецов Дмитрий Олегович",
        "kam-department: Соколова Анна Викторовна",
        "kam-department: Громов Павел Сергеевич",
    ]
    recorded = run_cli("-C", staffed, "ack", "kam-department", "--employee", "0000012", "--date", "2026-11-25")
    assert recorded.exit_code == 0, recorded.output
    assert recorded.stdout.startswith("acks/kam-department/0000012.edition-1.yaml: Соколова Анна Викторовна")
    assert 'policy: "kam-department"' in (staffed / "acks/kam-department/0000012.edition-1.yaml").read_text("utf-8")
    for document, option, _ in regulation[1:]:  # its amendments, each on the day it was approved
        args = ("--employee", "0000012", "--date", document.rsplit(" ", 1)[1], *option.split())
        assert run_cli("-C", staffed, "ack", "kam-department", *args).exit_code == 0
    after = run_cli("-C", staffed, "status").stdout
    assert "kam-department: Соколова" not in after
    assert run_cli("-C", staffed, "check").exit_code == 0


def test_only_holders_of_the_unit_sign_its_regulation(staffed: Path) -> None:
    staff = staffed / "staff.yaml"
    staff.write_text(staff.read_text("utf-8").replace("role: kam-head", "role: kam-manager", 1), "utf-8")
    project = staffed / "roles" / "kam-manager.yaml"
    project.write_text(
        project.read_text("utf-8").replace("department: kam-department", "department: Отдел продаж"), "utf-8"
    )

    lines = assert_clean_failure(
        run_cli("-C", staffed, "ack", "kam-department", "--employee", "0000012", "--date", "2026-11-25")
    )

    assert lines == [
        "--employee: Соколова Анна Викторовна (0000012) по staff.yaml занимает должность роли kam-manager, "
        "а не подразделения (kam-head)"
    ]


def test_a_position_added_to_the_unit_signs_the_regulation_in_force(staffed: Path) -> None:
    """A role that joins the department after its regulation was approved: its holders must read
    the regulation in force, so they are on its acknowledgment sheet, in ``status`` and may ``ack`` it."""
    from jobdesc.commands.textconv import docx_text

    source = (staffed / "roles" / "kam-manager.yaml").read_text("utf-8")
    senior = source.replace(
        "title: Менеджер по работе с ключевыми клиентами", "title: Ведущий менеджер по работе с ключевыми клиентами"
    )
    (staffed / "roles" / "kam-senior.yaml").write_text(senior, "utf-8")
    staff = staffed / "staff.yaml"
    staff.write_text(
        staff.read_text("utf-8")
        + '  - name: Орлова Елена Павловна\n    number: "0000023"\n    role: kam-senior\n    hired: "2025-02-10"\n',
        "utf-8",
    )

    built = run_cli("-C", staffed, "build")
    assert built.exit_code == 0, built.output
    signed_copies = ["kam-department.edition-1.docx"] + [
        f"kam-department.amendment-{n}.docx" for n in range(1, latest_edition(staffed, "kam-department"))
    ]
    for name in signed_copies:  # the original and each amendment in force: their acknowledgment sheets
        sheet = docx_text(staffed / "output" / name)
        assert "Орлова Елена Павловна | Ведущий менеджер по работе с ключевыми клиентами" in sheet, name
    status = run_cli("-C", staffed, "status").stdout
    assert "kam-department: Орлова Елена Павловна (0000023) не ознакомлена с редакцией № 1" in status
    signed = run_cli("-C", staffed, "ack", "kam-department", "--employee", "0000023", "--date", "2026-11-28")
    assert signed.exit_code == 0, signed.output
