"""Hostile inputs of issue 21 (round 2): tracebacks, text that hides what it says, and input that
must be refused before it reaches a signed document or replaces the staff list.

Each case runs the command a person would run and asserts one Russian line naming the file, the
line and the field, exit code 1 and nothing written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import assert_clean_failure, copy_project, run_cli

ROLE = "kam-manager"
DATA = Path(__file__).parent / "data" / "staff"
EXPORT = DATA / "shtatnaya-rasstanovka.csv"  # «Штатная расстановка» of 1С:ЗУП, Windows-1251
HUGE = "9" * 5000


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def one_line(result) -> str:  # noqa: ANN001 - click Result
    lines = assert_clean_failure(result)
    assert len(lines) == 1, lines
    return lines[0]


def line_number(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def with_staff(project: Path) -> bytes:
    shutil.copy2(DATA / "staff.yaml", project / "staff.yaml")
    return (project / "staff.yaml").read_bytes()


# --- an integer of more than 4300 digits, in every kind of YAML file ---------------------------


def _append(path: Path, text: str) -> int:
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + text, encoding="utf-8")
    return before.rstrip("\n").count("\n") + 2


def _edition_with_huge(project: Path) -> tuple[str, int]:
    path = project / "roles" / f"{ROLE}.editions" / "001.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["edition"] = "HUGE"
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False).replace("edition: HUGE", f"edition: {HUGE}")
    path.write_text(text, encoding="utf-8")
    return f"roles/{ROLE}.editions/001.yaml", line_number(text, HUGE)


@pytest.mark.parametrize("where", ["jobdesc.yaml", "roles/_common.yaml", f"roles/{ROLE}.yaml", "staff.yaml", "edition"])
def test_an_integer_of_5000_digits_is_one_line_naming_its_file(project: Path, where: str) -> None:
    if where == "edition":
        shown, line = _edition_with_huge(project)
    else:
        if where == "staff.yaml":
            with_staff(project)
        shown, line = where, _append(project / where, f"huge: {HUGE}\n")

    for command in ("check", "build"):
        done = run_cli("-C", project, command)
        assert done.exit_code == 1 and "Traceback" not in done.stderr, done.output
        expected = f"{shown}:{line}: число из 5000 знаков — слишком длинное; если это текст, возьмите его в кавычки"
        assert expected in done.stderr.splitlines(), (command, done.stderr)
        assert "Exceeds the limit" not in done.stderr


# --- text that hides what it says ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "words"),
    [
        ("\u202e", "U+202E (смена направления текста"),
        ("\u2066", "U+2066 (смена направления текста"),
        ("\u200f", "U+200F (невидимая метка направления текста справа налево)"),
        ("\u200b", "U+200B (пробел нулевой ширины)"),
    ],
)
def test_bidi_and_invisible_characters_in_a_clause_are_refused_by_name(project: Path, char: str, words: str) -> None:
    path = project / "roles" / f"{ROLE}.yaml"
    text = path.read_text(encoding="utf-8")
    old = "Положительная оценка работы"
    assert old in text
    path.write_text(text.replace(old, f"Положительная{char} оценка работы", 1), encoding="utf-8")
    line = line_number(text, old)

    message = one_line(run_cli("-C", project, "check"))

    assert message.startswith(f"roles/{ROLE}.yaml:{line}: "), message
    assert f"недопустимый невидимый символ {words}" in message and message.endswith("в тексте: удалите его"), message
    assert run_cli("-C", project, "build").exit_code == 1


def test_a_title_with_a_bidi_override_is_refused(project: Path) -> None:
    path = project / "roles" / f"{ROLE}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Менеджер", "title: \u202eМенеджер", 1), encoding="utf-8")
    message = one_line(run_cli("-C", project, "check"))
    assert (
        f"roles/{ROLE}.yaml:{line_number(text, 'title: Менеджер')}: title: недопустимый невидимый символ U+202E"
        in message
    )


@pytest.mark.parametrize(
    "command",
    [
        ["new", "sales-manager", "--title", "Менеджер по\u202e продажам"],
        ["approve", ROLE, "--date", "2026-12-01", "--order", "15\u200b-к"],
        ["approve", ROLE, "--date", "2026-12-01", "--approver", "Директор, Иванов\u2066 Иван Иванович"],
    ],
)
def test_invisible_characters_in_options_are_refused(project: Path, command: list[str]) -> None:
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    message = one_line(run_cli("-C", project, *command))
    assert message.startswith(
        f"--{command[2 if command[0] == 'new' else -2].lstrip('-')}: недопустимый невидимый символ U+"
    ), message
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


# --- staff import ----------------------------------------------------------------------------------


def export_lines() -> list[str]:
    return EXPORT.read_bytes().decode("cp1251").split("\r\n")


def test_binary_bytes_as_a_staff_csv(project: Path, tmp_path: Path) -> None:
    junk = tmp_path / "export.csv"
    junk.write_bytes(bytes(range(128, 256)) * 40)
    message = one_line(run_cli("-C", project, "staff", "import", junk))
    assert message.startswith(f"{junk}:1: это не текстовый файл CSV"), message
    assert not (project / "staff.yaml").exists()


def test_a_utf8_header_over_windows_1251_rows_is_named_as_mixed(project: Path, tmp_path: Path) -> None:
    lines = export_lines()
    mixed = tmp_path / "export.csv"
    mixed.write_bytes("\r\n".join(lines[:5]).encode("utf-8") + b"\r\n" + "\r\n".join(lines[5:]).encode("cp1251"))
    message = one_line(run_cli("-C", project, "staff", "import", mixed))
    assert message.startswith(f"{mixed}:6: строка не в кодировке UTF-8, а строки выше — в UTF-8"), message


def test_a_cell_larger_than_the_csv_limit_is_said_in_russian(project: Path, tmp_path: Path) -> None:
    lines = export_lines()
    lines[5] = lines[5] + ';"' + "x" * 200_000
    big = tmp_path / "export.csv"
    big.write_bytes("\r\n".join(lines).encode("cp1251"))
    message = one_line(run_cli("-C", project, "staff", "import", big))
    assert "field larger" not in message and "в ячейке больше 131072 знаков" in message, message


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        ("Соколова Анна Викторовна", "Соколова\x1b[31m Анна Викторовна", "ФИО", "управляющий символ U+001B"),
        ("Соколова Анна Викторовна", "Соколова\u202e Анна Викторовна", "ФИО", "невидимый символ U+202E"),
        ("0000012", "../../etc/passwd", "Табельный номер", "табельный номер «../../etc/passwd»: допустимы"),
    ],
)
def test_a_row_that_hides_text_or_escapes_a_folder_is_refused(
    project: Path, tmp_path: Path, old: str, new: str, column: str, words: str
) -> None:
    before = with_staff(project)
    lines = export_lines()
    row = next(i for i, line in enumerate(lines) if old in line)
    lines[row] = lines[row].replace(old, new)
    bad = tmp_path / "export.csv"
    bad.write_bytes("\r\n".join(lines).encode("utf-8"))
    message = one_line(run_cli("-C", project, "staff", "import", bad))
    assert message.startswith(f"{bad}:{row + 1}: {column}: ") and words in message, message
    assert (project / "staff.yaml").read_bytes() == before


def test_a_tab_number_with_slashes_in_staff_yaml_is_refused_by_check(project: Path) -> None:
    with_staff(project)
    path = project / "staff.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"0000012"', '"../../etc/passwd"'), encoding="utf-8")
    message = one_line(run_cli("-C", project, "check"))
    assert message == (
        f"staff.yaml:{line_number(text, '0000012')}: employees[2].number: табельный номер «../../etc/passwd»: "
        "допустимы буквы, цифры, «-» и «_» — номер становится частью имени файла ознакомления"
    ), message


@pytest.mark.parametrize("export", ["header only", "no role matches"])
def test_an_import_of_nobody_does_not_replace_the_staff(project: Path, tmp_path: Path, export: str) -> None:
    before = with_staff(project)
    lines = export_lines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Подразделение"))
    if export == "header only":
        rows = lines[: header + 1]
    else:
        rows = lines[: header + 1] + [f"Склад;Кладовщик;Иванов Иван {n};{n:07d};01.02.2020;1;" for n in range(1, 20001)]
    bad = tmp_path / "export.csv"
    bad.write_bytes("\r\n".join(rows).encode("cp1251"))

    message = one_line(run_cli("-C", project, "staff", "import", bad))

    assert message.startswith(f"{bad}: в выгрузке нет ни одного работника на должностях ролей проекта"), message
    count = before.decode("utf-8").count("number:")
    assert message.endswith(f"staff.yaml не заменен (работников в нем: {count}): проверьте, та ли это выгрузка"), (
        message
    )
    assert (project / "staff.yaml").read_bytes() == before


# --- sizes checked before any read (a child process under the memory limit) ----------------------


@pytest.mark.parametrize(
    ("name", "size", "words"),
    [
        (f"roles/{ROLE}.yaml", 4 * 1024**3, "файл слишком большой (4096,0 МБ, предел 1,0 МБ)"),
        (f"roles/{ROLE}.editions/001.yaml.sig", 3 * 1024**3, "подпись не прочитана: файл слишком большой"),
        # a template's own limit, though it is hashed first with the larger one of every input
        ("templates/order.md.j2", 3 * 1024**3, "файл слишком большой (3072,0 МБ, предел 1,0 МБ)"),
    ],
)
def test_a_huge_sparse_file_is_refused_before_it_is_read(
    project: Path, tmp_path_factory: pytest.TempPathFactory, name: str, size: int, words: str
) -> None:
    from hostile import run_jobdesc

    (project / name).parent.mkdir(exist_ok=True)
    with open(project / name, "ab") as stream:
        stream.truncate(size)

    done = run_jobdesc("-C", project, "check", base=tmp_path_factory.getbasetemp())

    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1 and "Traceback" not in stderr and "MemoryError" not in stderr, stderr[-2000:]
    assert f"{name}: " in stderr and words in stderr, stderr


# --- approvals: far-future dates, long order numbers, an approval killed half-way ---------------


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--date", "9999-12-31", "--date: 31.12.9999 — больше года вперед от сегодняшнего дня"),
        ("--effective", "9999-12-31", "--effective: 31.12.9999 — больше года вперед"),
        ("--order", "1" * 300, "--order: номер приказа «11111111111111111111…» длиннее 50 символов"),
    ],
)
def test_an_approval_that_would_lock_out_later_ones_is_refused(
    project: Path, option: str, value: str, words: str
) -> None:
    import datetime as dt

    editions = sorted(p.name for p in (project / "roles" / f"{ROLE}.editions").iterdir())
    date = [] if option == "--date" else ["--date", dt.date.today().isoformat()]
    message = one_line(run_cli("-C", project, "approve", ROLE, *date, option, value))
    assert message.startswith(words), message
    assert sorted(p.name for p in (project / "roles" / f"{ROLE}.editions").iterdir()) == editions


def test_an_approval_killed_half_way_is_rolled_back_by_the_next_command(project: Path) -> None:
    """All or none: the journal an approval writes first names what it will write; killed after
    one of two editions, the next command removes that one (SIGKILL left 2 of 3 editions)."""
    import datetime as dt

    from jobdesc.commands.approve import _next_edition
    from jobdesc.editions.journal import JOURNAL
    from jobdesc.editions.store import begin_approval, write_edition
    from jobdesc.project.loader import load_project

    for doc_id in (ROLE, "kam-head"):
        path = project / "roles" / f"{doc_id}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Соблюдает", "Строго соблюдает", 1), encoding="utf-8")
    loaded = load_project(project)
    day = dt.date.today()
    # edition 2's duties are new to edition 1: the labour function stays (ст. 72 ТК РФ, issue 19)
    consent = "same-function"
    pending = [_next_edition(loaded, d, day, loaded.config.approver, None, None, consent) for d in (ROLE, "kam-head")]
    begin_approval(project, pending)
    written = write_edition(project, pending[0])  # ... and the process is killed here

    for command in ("check", "status"):
        run_cli("-C", project, command)
        assert not written.exists(), command
        assert not (project / JOURNAL).exists()
    assert (
        run_cli("-C", project, "approve", ROLE, "kam-head", "--date", day.isoformat(), "--same-function").exit_code == 0
    )


# --- runaway output, ids taken by the other kind, files where folders belong ---------------------


def test_a_role_with_5000_unknown_keys_is_summarised_not_printed_whole(project: Path) -> None:
    path = project / "roles" / f"{ROLE}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "".join(f"unknown_{n}: x\n" for n in range(5000)), encoding="utf-8"
    )
    for command in ("check", "build"):
        done = run_cli("-C", project, command)
        lines = done.stderr.splitlines()
        assert done.exit_code == 1 and len(lines) < 210, (command, len(lines))
        assert any(line.startswith("… и еще 4800 (всего 5000): исправьте показанные") for line in lines), lines[-3:]


def test_new_refuses_a_role_with_a_regulations_id(project: Path) -> None:
    message = one_line(run_cli("-C", project, "new", "kam-department", "--title", "Менеджер по продажам"))
    assert message.startswith("«kam-department»: этот идентификатор уже у положения (policies/kam-department.yaml)")
    assert not (project / "roles" / "kam-department.yaml").exists()


def test_orders_folder_that_is_a_file_is_named_in_russian(project: Path) -> None:
    import datetime as dt

    approved = run_cli(
        "-C", project, "approve", ROLE, "--date", dt.date.today().isoformat(), "--order", "5-к", "--same-function"
    )
    assert approved.exit_code == 0, approved.output
    (project / "output").mkdir()
    (project / "output" / "orders").write_text("не папка", encoding="utf-8")
    done = run_cli("-C", project, "build")
    assert done.exit_code == 1 and "Errno" not in done.stderr, done.stderr
    assert f"приказы: {project / 'output' / 'orders'}: это файл, а не папка" in done.stderr, done.stderr


def test_templates_that_is_a_file_is_named_in_russian(project: Path) -> None:
    (project / "templates").write_text("не папка", encoding="utf-8")
    message = one_line(run_cli("-C", project, "templates", "copy", "approval.md.j2"))
    assert message == "templates: это файл, а не папка — переименуйте его, чтобы копировать шаблоны", message


def test_a_file_just_over_the_limit_says_by_how_much(project: Path) -> None:
    path = project / "roles" / f"{ROLE}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * (1024 * 1024), encoding="utf-8")
    message = assert_clean_failure(run_cli("-C", project, "check"))[0]
    assert "байт, предел 1048576 байт)" in message, message


# --- unclear messages ------------------------------------------------------------------------------


def test_an_acknowledgment_that_is_a_list_says_what_is_wrong(project: Path) -> None:
    (project / "acks" / ROLE).mkdir(parents=True)
    (project / "acks" / ROLE / "0000012.edition-1.yaml").write_text("- employee: '0000012'\n", encoding="utf-8")
    message = one_line(run_cli("-C", project, "check"))
    assert message == f"acks/{ROLE}/0000012.edition-1.yaml:1: ожидается набор полей (ключ: значение)", message


def test_a_revision_naming_a_file_is_not_called_a_range(project: Path) -> None:
    message = one_line(run_cli("-C", project, "diff", ROLE, "--from", "HEAD:../../etc/passwd"))
    assert message.startswith("ревизия git «HEAD:../../etc/passwd» — с «:» это файл в ревизии"), message


def test_gpg_chatter_is_not_given_as_the_reason() -> None:
    from jobdesc.editions.signing import _first_line

    output = b"gpg: directory '/home/hr/.gnupg' created\ngpg: keybox '/home/hr/.gnupg/pubring.kbx' created\n"
    output += b"gpg: no default secret key: No secret key\n"
    assert _first_line(output) == "gpg: no default secret key: No secret key"


def test_sign_without_any_openpgp_key_leaves_no_gnupg_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GNUPGHOME", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "home").mkdir()
    editions = sorted(p.name for p in (project / "roles" / f"{ROLE}.editions").iterdir())

    import datetime as dt

    message = one_line(
        run_cli("-C", project, "approve", ROLE, "--date", dt.date.today().isoformat(), "--sign", "--same-function")
    )

    assert message.startswith(f"--sign: ключа OpenPGP нет (нет папки {tmp_path / 'home' / '.gnupg'})"), message
    assert not (tmp_path / "home" / ".gnupg").exists()
    assert sorted(p.name for p in (project / "roles" / f"{ROLE}.editions").iterdir()) == editions


def test_an_import_check_would_refuse_is_not_written(project: Path, tmp_path: Path) -> None:
    """12,000 employees on one position: a staff.yaml over 1 MB, which check refuses, is not written."""
    before = with_staff(project)
    lines = export_lines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Подразделение"))
    rows = [
        f"Отдел;Менеджер по работе с ключевыми клиентами;Иванова Мария Петровна;{n:07d};01.02.2020;1;"
        for n in range(1, 12001)
    ]
    big = tmp_path / "export.csv"
    big.write_bytes("\r\n".join(lines[: header + 1] + rows).encode("cp1251"))

    message = one_line(run_cli("-C", project, "staff", "import", big))

    assert message.startswith(f"{big}: staff.yaml вышел бы больше 1 МБ (12000 работников)"), message
    assert (project / "staff.yaml").read_bytes() == before


def test_orders_folder_that_is_a_link_is_not_written_through(project: Path, tmp_path: Path) -> None:
    import datetime as dt

    approved = run_cli(
        "-C", project, "approve", ROLE, "--date", dt.date.today().isoformat(), "--order", "5-к", "--same-function"
    )
    assert approved.exit_code == 0, approved.output
    (tmp_path / "etc").mkdir()
    (project / "output").mkdir()
    (project / "output" / "orders").symlink_to(tmp_path / "etc")

    done = run_cli("-C", project, "build")

    assert done.exit_code == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"приказы: {project / 'output' / 'orders'}: символическая ссылка (→ {tmp_path / 'etc'})" in done.stderr
    assert list((tmp_path / "etc").iterdir()) == []


def test_a_full_disk_is_not_called_a_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice makes no PDF on a full disk and says nothing: jobdesc said «файл поврежден»."""
    import shutil as shell
    from collections import namedtuple

    from jobdesc.build import pdf

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shell, "disk_usage", lambda folder: usage(10**9, 10**9, 4096))
    assert pdf._no_pdf_reason(tmp_path).startswith("LibreOffice не создал PDF: нет места на диске")
    monkeypatch.setattr(shell, "disk_usage", lambda folder: usage(10**9, 0, 10**9))
    assert "файл поврежден" in pdf._no_pdf_reason(tmp_path)


def test_a_hidden_character_in_an_approved_edition_is_refused(project: Path) -> None:
    """An edition's text is checked for hidden characters as a role's is, even when its
    fingerprint was made to match (a project outside git, where no history says it changed)."""
    from jobdesc.editions.store import fingerprint

    path = project / "roles" / f"{ROLE}.editions" / "001.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["content"]["duties"][0] = record["content"]["duties"][0].replace(" ", "\u202e ", 1)
    record["fingerprint"] = fingerprint(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = line_number(path.read_text(encoding="utf-8"), "\u202e")

    where = f"roles/{ROLE}.editions/001.yaml:{line}: content.duties[1]: недопустимый невидимый символ U+202E"
    assert one_line(run_cli("-C", project, "check")).startswith(where)
    built = run_cli("-C", project, "build")
    assert built.exit_code == 1 and any(line.startswith(where) for line in built.stderr.splitlines()), built.output
    assert not list((project / "output").glob(f"{ROLE}*")), "nothing of the role is written"


def test_every_hidden_character_is_one_python_does_not_count_as_printable() -> None:
    """The schema check searches a file's texts for hidden characters only when they are not all
    printable (``str.isprintable``): a hidden character counted as printable would pass unseen."""
    from jobdesc.language.invisible import HIDDEN

    hidden = HIDDEN.findall("".join(map(chr, range(0x110000))))
    assert len(hidden) > 100
    assert [f"U+{ord(char):04X}" for char in hidden if char.isprintable()] == []
