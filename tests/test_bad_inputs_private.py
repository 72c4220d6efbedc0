"""``private:`` in jobdesc.yaml (issue 21): ``staff.yaml`` and ``acks/`` kept in the HR department's
private repository beside the project, read and written there; every other link out of the project
is refused in one line naming it (in a child process, as the hostile corpus runs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from helpers import copy_project, run_cli
from hostile import one_clear_line, run_jobdesc

STAFF = Path(__file__).parent / "data" / "staff" / "staff.yaml"
EXPORT = Path(__file__).parent / "data" / "staff" / "shtatnaya-rasstanovka.csv"


def with_private(tmp_path: Path, setting: str = "../hr-private") -> tuple[Path, Path]:
    """A project whose jobdesc.yaml says ``private: SETTING``, and that folder (empty)."""
    project = copy_project(tmp_path / "project")
    with (project / "jobdesc.yaml").open("a", encoding="utf-8") as config:
        config.write(f"private: {setting}\n")
    private = (project / setting).resolve()
    private.mkdir(parents=True, exist_ok=True)
    return project, private


def test_staff_and_acks_are_read_and_written_in_the_private_folder(tmp_path: Path) -> None:
    project, private = with_private(tmp_path)

    imported = run_cli("-C", project, "staff", "import", EXPORT)
    assert imported.exit_code == 0, imported.output
    assert (private / "staff.yaml").is_file() and not (project / "staff.yaml").exists()

    signed = run_cli("-C", project, "ack", "kam-manager", "--employee", "0000012", "--date", "2026-12-03")
    assert signed.exit_code == 0, signed.output
    assert signed.stdout.startswith("../hr-private/acks/kam-manager/0000012.edition-1.yaml: Соколова Анна Викторовна")
    assert (private / "acks" / "kam-manager" / "0000012.edition-1.yaml").is_file()
    assert not (project / "acks").exists()

    assert run_cli("-C", project, "check").exit_code == 0
    status = run_cli("-C", project, "status")
    assert "Соколова Анна Викторовна (0000012) не ознакомлена" not in status.stdout.split("kam-department")[0]
    assert "Громов Павел Сергеевич (0000019) не ознакомлен" in status.stdout
    built = run_cli("-C", project, "build")
    assert built.exit_code == 0, built.output
    sheet = "\n".join(
        cell.text
        for table in Document(str(project / "output" / "kam-manager.docx")).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Соколова Анна Викторовна" in sheet  # the holders from the private staff.yaml sign the sheet


def test_a_mistake_in_the_private_staff_file_is_named_there(tmp_path: Path) -> None:
    project, private = with_private(tmp_path)
    text = STAFF.read_text(encoding="utf-8")
    (private / "staff.yaml").write_text(text.replace('hired: "2023-04-03"', 'hired: "2023-02-31"'), encoding="utf-8")
    line = text.splitlines().index('    hired: "2023-04-03"') + 1

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message == f"../hr-private/staff.yaml:{line}: employees[2].hired: несуществующая дата 2023-02-31"


@pytest.mark.parametrize("name", ["staff.yaml", "acks"])
def test_personal_data_left_in_the_project_is_refused(tmp_path: Path, name: str) -> None:
    """With ``private:`` set, a staff.yaml or acks/ in the project is a mistake (which is meant cannot be told)."""
    project, private = with_private(tmp_path)
    shutil.copy2(STAFF, private / "staff.yaml")
    if name == "acks":
        (project / "acks").mkdir()
    else:
        shutil.copy2(STAFF, project / "staff.yaml")

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message == (
        f"{name}: лежит в папке проекта, а jobdesc.yaml держит персональные данные в ../hr-private (private): "
        f"перенесите {name} туда — общий репозиторий видят все"
    )


def test_a_colleague_without_the_private_folder_checks_and_builds(tmp_path: Path) -> None:
    """Those who edit the roles have no access to the private repository: they work without its data;
    a command that writes personal data says the folder is missing."""
    project, private = with_private(tmp_path)
    shutil.rmtree(private)

    assert run_cli("-C", project, "check").exit_code == 0
    assert run_cli("-C", project, "build").exit_code == 0
    for command in (
        ["staff", "import", str(EXPORT)],
        ["ack", "kam-manager", "--employee", "0000012", "--date", "2026-12-03"],
    ):
        message = one_clear_line(run_jobdesc("-C", project, *command, base=tmp_path))
        assert message == (
            "../hr-private: папки нет (private в jobdesc.yaml) — склонируйте туда закрытый репозиторий отдела "
            "кадров или поправьте путь"
        )
    assert not private.exists()


def test_a_link_out_of_the_private_folder_is_refused(tmp_path: Path) -> None:
    project, private = with_private(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(STAFF, elsewhere / "staff.yaml")
    (private / "staff.yaml").symlink_to(elsewhere / "staff.yaml")

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message.startswith(
        f"../hr-private/staff.yaml: не удается прочитать файл: символическая ссылка (→ {elsewhere}"
    )
    before = (elsewhere / "staff.yaml").read_bytes()
    message = one_clear_line(run_jobdesc("-C", project, "staff", "import", EXPORT, base=tmp_path))
    assert message.startswith("staff.yaml: символическая ссылка ведет за пределы проекта"), message
    assert (elsewhere / "staff.yaml").read_bytes() == before


@pytest.mark.parametrize("name", ["staff.yaml", "acks"])
def test_without_the_setting_a_link_out_of_the_project_is_refused(tmp_path: Path, name: str) -> None:
    """The private repository is named in jobdesc.yaml, not reached by a link: a link out of the
    project is refused in one line naming it, for reading and for writing."""
    project = copy_project(tmp_path / "project")
    private = tmp_path / "hr-private"
    (private / "acks").mkdir(parents=True)
    shutil.copy2(STAFF, private / "staff.yaml")
    (project / name).symlink_to(private / name)
    if name == "acks":
        shutil.copy2(STAFF, project / "staff.yaml")

    check = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path)) if name == "staff.yaml" else None
    write = (
        ["staff", "import", str(EXPORT)]
        if name == "staff.yaml"
        else ["ack", "kam-manager", "--employee", "0000012", "--date", "2026-12-03"]
    )
    message = one_clear_line(run_jobdesc("-C", project, *write, base=tmp_path))

    if check is not None:
        assert check.startswith(f"staff.yaml: не удается прочитать файл: символическая ссылка (→ {private}/staff.yaml)")
    assert message.startswith(f"{name}: символическая ссылка ведет за пределы проекта ({private / name}"), message
    assert sorted(p.name for p in private.rglob("*")) == ["acks", "staff.yaml"]  # nothing written there
