"""The issue's end-to-end scenario: edition 1 → committed changes → diff → edition 2 → «Изменения № 1».

Then the integrity of stored editions: tampering, a gap, a malformed record.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from editions_helpers import (
    EDITION2_DATE,
    MANAGER,
    MANAGER_GENITIVE,
    ORDER,
    Scenario,
    edition_file,
    edition_record,
    jd,
    numbered_item,
    ok,
    refused,
    replace_once,
    run_scenario,
    textconv_lines,
)

ORDER_DATE = "02.03.2026"  # EDITION2_DATE as printed
NBSP = "\u00a0"
REGISTRATION = "ДИ-014/1"  # «Изменения № 1» to the instruction ДИ-014


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return run_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="module")
def amendment(scenario: Scenario) -> list[str]:
    path = scenario.output / "kam-manager.amendment-1.docx"
    assert path.is_file(), sorted(p.name for p in scenario.output.iterdir())
    return textconv_lines(path)


@pytest.fixture(scope="module")
def consolidated(scenario: Scenario) -> list[str]:
    return textconv_lines(scenario.output / "kam-manager.docx")


def bare(number: str) -> str:
    return number.rstrip(".")


def item_changed(s: Scenario) -> str:
    return f"Пункт {s.n_changed} изложить в следующей редакции: «{s.n_changed}. {s.changed_new}»."


def item_added(s: Scenario) -> str:
    return f"Раздел 2 дополнить пунктом {s.m_added} следующего содержания: «{s.m_added}. {s.added}»."


def item_removed(s: Scenario) -> str:
    return f"Пункт {s.k_removed} исключить."


# =========================================================================== diff before approval


def test_scenario_numbers_are_distinct(scenario: Scenario) -> None:
    assert (scenario.n_changed, scenario.k_removed, scenario.m_added) == ("2.2", "2.5", "2.9")


def test_diff_from_git_and_from_edition_give_the_same_clause_changes(scenario: Scenario) -> None:
    head = json.loads(ok(scenario.diff_head_json).stdout)
    edition = json.loads(ok(scenario.diff_ed1_json).stdout)
    assert head["changes"] == edition["changes"]
    changes = sorted(
        (c["kind"], bare((c.get("old") or c["new"])["number"])) for c in edition["changes"] if c["kind"] != "renumbered"
    )
    assert changes == sorted(
        [("changed", scenario.n_changed), ("added", scenario.m_added), ("removed", scenario.k_removed)]
    )
    by_kind = {c["kind"]: c for c in edition["changes"]}
    assert by_kind["changed"]["old"]["text"] == scenario.changed_old
    assert by_kind["changed"]["new"]["text"] == scenario.changed_new
    assert by_kind["added"]["new"]["text"] == scenario.added
    assert by_kind["removed"]["old"]["text"] == scenario.removed


def test_text_diffs_from_git_and_from_edition_list_the_same_changes(scenario: Scenario) -> None:
    head = ok(scenario.diff_head_text).stdout.splitlines()
    edition = ok(scenario.diff_ed1_text).stdout.splitlines()
    assert "HEAD~1" in head[0] and "№ 1" in edition[0]
    assert head[1:] == edition[1:]
    body = "\n".join(edition[1:])
    changed = [line for line in edition[1:] if scenario.n_changed in line.split("  ", 1)[0]]
    assert len(changed) == 1, edition
    marked = changed[0].split("  ", 1)[1]
    assert "{+" in marked and "[-" not in marked  # words were only inserted
    assert re.sub(r"\{\+(.*?)\+\}", r"\1", marked) == scenario.changed_new
    assert re.sub(r"\{\+(.*?)\+\}", "", marked) == scenario.changed_old
    assert scenario.added in body and scenario.removed in body
    assert "добавлено 1" in body and "изменено 1" in body and "удалено 1" in body


# =========================================================================== edition 2 and the build


def test_edition_two_is_approved_by_order(scenario: Scenario) -> None:
    assert "roles/kam-manager.editions/002.yaml" in scenario.approve2.stdout
    record = edition_record(scenario.root, MANAGER, 2)
    assert record["edition"] == 2
    assert record["order"] == {"number": ORDER, "date": EDITION2_DATE}
    assert str(record["approved"]) == EDITION2_DATE
    assert scenario.changed_new in record["content"]["duties"]
    assert scenario.added in record["content"]["duties"]
    assert scenario.removed not in record["content"]["duties"]


def test_build_writes_the_amendment_document(scenario: Scenario) -> None:
    written = scenario.build.stdout.splitlines()
    assert "output/kam-manager.amendment-1.docx" in written
    assert "output/kam-manager.docx" in written
    assert (scenario.output / "kam-manager.amendment-1.docx").is_file()
    assert not any(MANAGER in line for line in scenario.build.stderr.splitlines()), scenario.build.stderr


def test_amendment_heading_and_approval(scenario: Scenario, amendment: list[str]) -> None:
    text = "\n".join(amendment)
    assert f"ИЗМЕНЕНИЯ №{NBSP}1" in text
    assert f"в должностную инструкцию {MANAGER_GENITIVE}" in text
    assert "УТВЕРЖДЕНЫ" in text
    assert "приказом генерального директора" in text
    assert f"№{NBSP}{ORDER}" in text
    approval = [line for line in amendment if "УТВЕРЖДЕНЫ" in line]
    assert len(approval) == 2 and all(
        f"приказом генерального директора от{NBSP}{ORDER_DATE} №{NBSP}{ORDER}" in line for line in approval
    ), approval
    # a registration number and date of their own, next to the kind of document
    assert all(f"ИЗМЕНЕНИЯ №{NBSP}1 {ORDER_DATE} №{NBSP}{REGISTRATION} г.{NBSP}Москва" in line for line in approval), (
        approval
    )


def test_amendment_names_the_instruction_it_amends(amendment: list[str]) -> None:
    lead_in = (
        f"В должностную инструкцию {MANAGER_GENITIVE} (от{NBSP}15.01.2026 №{NBSP}ДИ-014) вносятся следующие изменения:"
    )
    assert amendment.count(lead_in) == 2


def test_amendment_items(scenario: Scenario, amendment: list[str]) -> None:
    for item in (item_changed(scenario), item_added(scenario), item_removed(scenario)):
        assert len(numbered_item(amendment, item)) == 2, (
            item,
            [line for line in amendment if re.match(r"\d+\. ", line)],
        )
    # nothing else is said to be changed, added or removed
    assert len([line for line in amendment if "изложить в следующей редакции" in line]) == 2
    assert len([line for line in amendment if re.search(r"дополнить \w+ ", line)]) == 2
    assert len([line for line in amendment if line.endswith(" исключить.")]) == 2
    assert not any(scenario.changed_old in line for line in amendment)


def test_amendment_has_two_copies_and_an_acknowledgment_sheet(scenario: Scenario, amendment: list[str]) -> None:
    assert sum(f"ИЗМЕНЕНИЯ №{NBSP}1" in line for line in amendment) == 2
    assert any(line.startswith(f"Экземпляр №{NBSP}1") for line in amendment)
    assert any(line.startswith(f"Экземпляр №{NBSP}2") for line in amendment)
    assert amendment.count("ЛИСТ ОЗНАКОМЛЕНИЯ") == 2
    # the sheet names the document the signatures belong to: number, date and registration number
    subject = (
        f"с изменениями №{NBSP}1 от{NBSP}{ORDER_DATE} №{NBSP}{REGISTRATION} в должностную инструкцию {MANAGER_GENITIVE}"
    )
    assert amendment.count(subject) == 2, [line for line in amendment if "с изменениями" in line]
    first_sheet = amendment.index("ЛИСТ ОЗНАКОМЛЕНИЯ")
    header = amendment[first_sheet + 2]
    assert header.split(" | ")[:2] == ["№\u00a0п/п", "Ф.И.О. работника"]


def test_receipt_of_the_second_copy_is_a_column_of_the_employers_sheet(amendment: list[str]) -> None:
    """Issue 19, point 8: one receipt per employee, in the row where they sign, on copy 1 only."""
    copy2 = next(i for i, line in enumerate(amendment) if line.startswith(f"Экземпляр №{NBSP}2"))
    headers = [i for i, line in enumerate(amendment) if line.startswith(f"№{NBSP}п/п | Ф.И.О. работника")]
    assert len(headers) == 2 and headers[0] < copy2 < headers[1]
    first, second = (amendment[i].split(" | ") for i in headers)
    assert first[-1] == "Второй экземпляр получил(а): дата, подпись" and len(first) == 6
    assert "Второй экземпляр" not in amendment[headers[1]] and len(second) == 5, "the employee's copy: no receipt"
    rows = amendment[headers[0] + 1 : headers[0] + 11]
    assert all(row.count("|") == 5 for row in rows), rows  # six cells a row
    assert not any("получил(а) на руки" in line for line in amendment), "no separate receipt under the sheet"


def test_consolidated_text_is_a_reference_copy_with_a_registration_sheet(
    scenario: Scenario, consolidated: list[str]
) -> None:
    # exactly one document carries the approval of the change: «Изменения № 1», not this one
    assert not any("УТВЕРЖДЕНА" in line or "УТВЕРЖДАЮ" in line for line in consolidated)
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" not in consolidated
    assert not any(line.startswith("Экземпляр") for line in consolidated), "a reference copy, one copy"
    assert f"Текст в редакции Изменений №{NBSP}1" in consolidated
    assert f"(редакция №{NBSP}2, действует с{NBSP}2{NBSP}марта{NBSP}2026{NBSP}г.)" in consolidated
    assert not any(line.startswith("Редакция №") for line in consolidated)
    # dated and numbered as the instruction the changes amend (edition 1 of 15.01.2026)
    assert any(f"15.01.2026 №{NBSP}ДИ-014" in line for line in consolidated[:8]), consolidated[:8]
    assert f"{scenario.n_changed}. {scenario.changed_new}" in consolidated
    assert f"{scenario.m_added}. {scenario.added}" in consolidated
    assert not any(scenario.removed in line for line in consolidated)
    assert not any(scenario.changed_old in line for line in consolidated)

    assert consolidated.count("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ") == 1
    start = consolidated.index("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ")
    assert consolidated[start + 1] == (f"должностной инструкции {MANAGER_GENITIVE} от{NBSP}15.01.2026 №{NBSP}ДИ-014"), (
        "the sheet names its document"
    )
    rows = [line.strip("| ").split(" | ") for line in consolidated[start + 1 :] if " | " in line]
    assert rows[0][0] == f"№{NBSP}изменения" and rows[0][4] == "Ф.И.О., должность внесшего"
    row = rows[1]
    assert row[0] == "1"
    assert re.search(rf"изменены: {re.escape(scenario.n_changed)}\b", row[1]), row
    assert re.search(rf"введены: {re.escape(scenario.m_added)}\b", row[1]), row
    assert re.search(rf"исключены: {re.escape(scenario.k_removed)}\b", row[1]), row
    assert row[2].startswith(f"Изменения №{NBSP}1 (приказ"), row
    assert f"№{NBSP}{ORDER}" in row[2] and ORDER_DATE in row[2], "the order number never leaves its sign"
    assert ORDER_DATE in row[3]
    assert row[4] == f"И.С.{NBSP}Лебедева, начальник отдела кадров", "who made the entry (document.drafted_by)"
    blank = [r for r in rows[2:] if not "".join(r).strip(" |")]
    assert rows[1][5:] == [] or not rows[1][5].strip(), "the signature is made by hand"
    assert len(blank) == len(rows) - 2 >= 5, "blank rows for later changes"


def test_status_and_history_after_the_scenario(scenario: Scenario) -> None:
    status = next(s for s in ok(jd("-C", scenario.root, "status")).stdout.splitlines() if s.startswith(MANAGER))
    assert "№ 2" in status and "без изменений" in status
    history = ok(jd("-C", scenario.root, "history", MANAGER)).stdout.splitlines()
    assert len(history) == 2
    assert "добавлено 1" in history[1] and "изменено 1" in history[1] and "удалено 1" in history[1]


# =========================================================================== integrity of the stored editions


@pytest.fixture
def copy(scenario: Scenario, tmp_path: Path) -> Path:
    """A private copy of the scenario project that a test may damage."""
    target = tmp_path / "project"
    shutil.copytree(scenario.root, target, ignore=shutil.ignore_patterns("output"))
    return target


def test_check_passes_on_the_intact_scenario(copy: Path) -> None:
    ok(jd("-C", copy, "check"))


def tamper(root: Path) -> None:
    replace_once(
        edition_file(root, MANAGER, 1), "при возникновении нестандартных ситуаций", "при возникновении особых ситуаций"
    )


def test_check_reports_a_tampered_edition(copy: Path) -> None:
    tamper(copy)
    line = refused(jd("-C", copy, "check"))
    assert "roles/kam-manager.editions/001.yaml" in line
    assert MANAGER in line.replace("roles/kam-manager.editions/001.yaml", "")
    assert re.search(r"№\s*1\b", line), line


def test_check_reports_tampered_approval_data(copy: Path) -> None:
    replace_once(edition_file(copy, MANAGER, 2), f"number: {ORDER}", "number: 16-к")
    line = refused(jd("-C", copy, "check"))
    assert "roles/kam-manager.editions/002.yaml" in line


def test_commands_refuse_a_tampered_edition(copy: Path) -> None:
    tamper(copy)
    for args in (
        ("build",),
        ("status",),
        ("history", MANAGER),
        ("diff", MANAGER, "--from", "1"),
        ("approve", MANAGER, "--date", "2026-12-01"),
    ):
        result = jd("-C", copy, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "roles/kam-manager.editions/001.yaml" in result.stderr, (args, result.stderr)
    assert not list((copy / "output").glob("kam-manager*.docx")), "nothing of the role is built"
    assert not edition_file(copy, MANAGER, 3).exists()


def test_check_reports_a_gap_in_editions(copy: Path) -> None:
    edition_file(copy, MANAGER, 2).rename(edition_file(copy, MANAGER, 3))
    result = jd("-C", copy, "check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.strip() for line in lines)
    assert any("roles/kam-manager.editions/" in line and MANAGER in line.split(":", 1)[1] for line in lines), lines


def test_check_reports_a_malformed_edition_record(copy: Path) -> None:
    path = edition_file(copy, MANAGER, 2)
    replace_once(path, "\nfingerprint:", "\ncomment: поправлено вручную\nfingerprint:")
    result = jd("-C", copy, "check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any("roles/kam-manager.editions/002.yaml" in line and "comment" in line for line in lines), lines


# =========================================================================== more editions


def test_third_edition_gets_amendment_two_and_a_second_registration_row(tmp_path: Path) -> None:
    from editions_helpers import git_project, role_file

    root = git_project(tmp_path / "project")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(root), "нестандартных ситуаций", "сложных ситуаций")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-03-02", "--order", ORDER))
    removed = "Выполняет приказы и распоряжения руководства."
    replace_once(role_file(root), f"  - {removed}\n", "")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-05-20", "--effective", "2026-06-01"))
    written = ok(jd("-C", root, "build", MANAGER)).stdout.splitlines()
    assert sorted(written) == [
        "output/kam-manager.amendment-1.docx",
        "output/kam-manager.amendment-2.docx",
        "output/kam-manager.docx",
        "output/kam-manager.edition-1.docx",  # the approved instruction both «Изменения» amend
    ]

    first = textconv_lines(root / "output" / "kam-manager.amendment-1.docx")
    assert (
        len(
            numbered_item(
                first,
                "Пункт 2.2 изложить в следующей редакции: «2.2. Обращается за консультацией к начальнику "
                "отдела при возникновении сложных ситуаций.».",
            )
        )
        == 2
    )
    assert not any("исключить" in line for line in first)

    second = textconv_lines(root / "output" / "kam-manager.amendment-2.docx")
    text = "\n".join(second)
    assert f"ИЗМЕНЕНИЯ №{NBSP}2" in text and f"ИЗМЕНЕНИЯ №{NBSP}1" not in text
    assert (
        f"В должностную инструкцию {MANAGER_GENITIVE} (от{NBSP}15.01.2026 №{NBSP}ДИ-014, "
        f"в редакции Изменений №{NBSP}1) вносятся следующие изменения:" in second
    ), "the changes amend the instruction of edition 1 as amended, not an approved edition 2"
    # most clauses of section 2 change number: the section is given anew (README, «Как составлены»)
    assert len(numbered_item(second, "Раздел 2 изложить в следующей редакции:")) == 2
    assert not any(removed in line for line in second)
    assert not any("исключить" in line or "считать" in line for line in second)
    assert "Изменения вводятся в действие с\u00a01\u00a0июня\u00a02026\u00a0г." in second

    lines = textconv_lines(root / "output" / "kam-manager.docx")
    assert f"Текст в редакции Изменений №{NBSP}1–2" in lines
    assert f"(редакция №{NBSP}3, действует с{NBSP}1{NBSP}июня{NBSP}2026{NBSP}г.)" in lines
    start = lines.index("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ")
    rows = [line.split(" | ") for line in lines[start + 1 :] if " | " in line][1:]
    rows = [row for row in rows if "".join(row).strip(" |")]
    assert [row[0] for row in rows] == ["1", "2"]
    assert "изменены: 2.2" in rows[0][1] and "исключены" not in rows[0][1]
    assert "исключены: 2.5" in rows[1][1] and "изменены" not in rows[1][1]
    assert ORDER in rows[0][2] and "02.03.2026" in rows[0][3]
    assert "01.06.2026" in rows[1][3]


def test_the_registration_sheet_names_a_moved_clause_by_its_new_and_old_number(tmp_path: Path) -> None:
    """A right moved to the top of its section: the sheet's row says «перенесены: 3.1 (прежний 3.6)»,
    not a clause removed and another added, and not nothing."""
    from editions_helpers import git_project, role_file

    root = git_project(tmp_path / "project")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    moved = "  - Докладывать непосредственному руководителю обо всех выявленных проблемах и вносить предложения по их устранению.\n"
    replace_once(role_file(root), moved, "")
    replace_once(role_file(root), "rights:\n", "rights:\n" + moved)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-03-02"))
    ok(jd("-C", root, "build", MANAGER))
    consolidated = textconv_lines(root / "output" / "kam-manager.docx")
    start = consolidated.index("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ")
    rows = [line.strip("| ").split(" | ") for line in consolidated[start + 1 :] if " | " in line]
    assert rows[1][:2] == ["1", "перенесены: 3.1 (прежний 3.6)"], rows[1]
