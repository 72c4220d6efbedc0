"""``jobdesc approve``, ``status``, ``history``, immutability of editions and drafts (``build --draft``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from editions_helpers import (
    COMMON_CLAUSE,
    COMMON_RESPONSIBILITY,
    FINGERPRINT,
    HEAD,
    MANAGER,
    MANAGER_GENITIVE,
    all_header_texts,
    commit_all,
    edition_file,
    edition_files,
    edition_record,
    git_project,
    header_parts,
    jd,
    ok,
    refused,
    replace_once,
    role_data,
    role_file,
    string_duties,
    textconv_lines,
)
from helpers import override_templates

DRAFT = "ПРОЕКТ"
BLANK_DATE = "«___»\u00a0____________\u00a020___\u00a0г."
NUMERIC_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped project (no editions) in a fresh git repository."""
    return git_project(tmp_path / "project")


def approve(root: Path, role: str, *args: str):  # noqa: ANN201
    return jd("-C", root, "approve", role, *args)


def config_approver(root: Path) -> dict:
    return yaml.safe_load((root / "jobdesc.yaml").read_text(encoding="utf-8"))["approver"]


def walk(value: object):  # noqa: ANN201
    """Every dict, list and scalar nested in ``value``."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def change_one_duty(root: Path, old: str = "нестандартных ситуаций", new: str = "сложных ситуаций") -> None:
    replace_once(role_file(root), old, new)


# =========================================================================== approve


def test_approve_writes_edition_one_with_the_whole_resolved_text(project: Path) -> None:
    result = ok(approve(project, MANAGER, "--date", "2026-01-15"))
    path = edition_file(project, MANAGER, 1)
    assert path.is_file()
    assert "roles/kam-manager.editions/001.yaml" in result.stdout
    assert sorted(p.name for p in path.parent.iterdir()) == ["001.yaml"]

    record = edition_record(project, MANAGER, 1)
    assert record["edition"] == 1
    assert record["role"] == MANAGER
    assert str(record["approved"]) == "2026-01-15"
    assert record["approver"] == config_approver(project)
    assert "order" not in record
    assert str(record["effective"]) == "2026-01-15"
    assert FINGERPRINT.match(record["fingerprint"]), record["fingerprint"]

    content = record["content"]
    source = role_data(project)
    assert content["title"] == source["title"]
    assert content["title_genitive"] == MANAGER_GENITIVE
    assert content["duties"] == source["duties"]
    # the shared clauses of roles/_common.yaml are spliced in, not referenced
    assert COMMON_CLAUSE in content["guiding_documents"]
    assert any(COMMON_RESPONSIBILITY in clause for clause in content["responsibility"])
    common = yaml.safe_load((project / "roles" / "_common.yaml").read_text(encoding="utf-8"))
    assert content["final_provisions"] == common["final_provisions"]
    assert not any(isinstance(v, dict) and "use" in v for v in walk(content)), "no «use: common» left in an edition"


def test_approve_records_order_effective_date_and_approver(project: Path) -> None:
    ok(
        approve(
            project,
            MANAGER,
            "--date",
            "2026-01-15",
            "--order",
            "7-к",
            "--order-date",
            "2026-01-14",
            "--effective",
            "2026-02-01",
            "--approver",
            "Коммерческий директор, Смирнов Олег Петрович",
        )
    )
    record = edition_record(project, MANAGER, 1)
    assert record["order"] == {"number": "7-к", "date": "2026-01-14"}
    assert str(record["effective"]) == "2026-02-01"
    assert str(record["approved"]) == "2026-01-15"
    assert record["approver"] == {"position": "Коммерческий директор", "name": "Смирнов Олег Петрович"}


def test_approve_order_date_defaults_to_approval_date_and_name_only_approver(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15", "--order", "3-од", "--approver", "Смирнов Олег Петрович"))
    record = edition_record(project, MANAGER, 1)
    assert record["order"] == {"number": "3-од", "date": "2026-01-15"}
    assert record["approver"] == {"position": config_approver(project)["position"], "name": "Смирнов Олег Петрович"}


def test_approve_numbers_editions_in_sequence(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    first = edition_file(project, MANAGER, 1).read_bytes()
    change_one_duty(project)
    result = ok(approve(project, MANAGER, "--date", "2026-01-15"))  # the same day is not «before»
    assert "roles/kam-manager.editions/002.yaml" in result.stdout
    record = edition_record(project, MANAGER, 2)
    assert record["edition"] == 2
    assert any("сложных ситуаций" in d for d in record["content"]["duties"] if isinstance(d, str))
    assert edition_file(project, MANAGER, 1).read_bytes() == first
    change_one_duty(project, "сложных ситуаций", "особых ситуаций")
    ok(approve(project, MANAGER, "--date", "2026-02-01"))
    assert sorted(p.name for p in edition_file(project, MANAGER, 1).parent.iterdir()) == [
        "001.yaml",
        "002.yaml",
        "003.yaml",
    ]
    assert edition_record(project, MANAGER, 3)["edition"] == 3


def test_approve_refuses_an_unchanged_text(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    before = edition_files(project)
    line = refused(approve(project, MANAGER, "--date", "2026-02-01"))
    assert MANAGER in line
    assert edition_files(project) == before
    assert not edition_file(project, MANAGER, 2).exists()


def test_approve_compares_the_resolved_text_not_the_yaml(project: Path) -> None:
    """Writing the shared clauses out instead of «use: common», or requoting, changes nothing."""
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    common = yaml.safe_load((project / "roles" / "_common.yaml").read_text(encoding="utf-8"))
    inline = "".join(f"  - {json.dumps(clause, ensure_ascii=False)}\n" for clause in common["final_provisions"])
    replace_once(role_file(project), "final_provisions:\n  - use: common\n", f"final_provisions:\n{inline}")
    replace_once(
        role_file(project), "  - Соблюдает режим коммерческой тайны.\n", "  - 'Соблюдает режим коммерческой тайны.'\n"
    )
    ok(jd("-C", project, "check"))
    refused(approve(project, MANAGER, "--date", "2026-02-01"))
    assert not edition_file(project, MANAGER, 2).exists()


def test_approve_refuses_a_date_before_the_last_edition(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-03-01"))
    change_one_duty(project)
    line = refused(approve(project, MANAGER, "--date", "2026-02-28"))
    assert MANAGER in line
    assert not edition_file(project, MANAGER, 2).exists()


@pytest.mark.parametrize("option", ["--date", "--effective", "--order-date"])
@pytest.mark.parametrize("value", ["2026-02-30", "15.01.26", "2026-13-01"])
def test_approve_refuses_an_impossible_or_malformed_date(project: Path, option: str, value: str) -> None:
    args = {
        "--date": ["--date", value],
        "--effective": ["--date", "2026-01-15", "--effective", value],
        "--order-date": ["--date", "2026-01-15", "--order", "1-к", "--order-date", value],
    }[option]
    line = refused(approve(project, MANAGER, *args))
    assert value in line
    assert edition_files(project) == {}


@pytest.mark.parametrize(
    "args",
    [
        ("--approver", "Директор,"),
        ("--approver", "   "),
        ("--order", "   "),
    ],
    ids=["approver-without-name", "blank-approver", "blank-order-number"],
)
def test_approve_refuses_a_blank_approver_or_order(project: Path, args: tuple[str, str]) -> None:
    """An edition that ``check`` would reject must not be written: approved editions cannot be corrected."""
    result = approve(project, MANAGER, "--date", "2026-01-15", *args)
    written = sorted(edition_files(project))
    assert written == [], (
        f"approve {' '.join(args)!r} wrote {written}; check now says: {jd('-C', project, 'check').stderr.strip()}"
    )
    refused(result)


def test_approve_refuses_a_change_the_reader_cannot_see(project: Path) -> None:
    """Only the YAML spelling changed (a clause put in quotes): status and diff say «без изменений»,
    so there is nothing to approve — otherwise «Изменения № 1» would list no changes at all."""
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    duty = string_duties(role_data(project))[0]
    replace_once(role_file(project), f"  - {duty}\n", f'  - "{duty}"\n')
    status = next(s for s in ok(jd("-C", project, "status")).stdout.splitlines() if s.startswith(MANAGER))
    assert "без изменений" in status
    result = approve(project, MANAGER, "--date", "2026-02-01")
    assert not edition_file(project, MANAGER, 2).exists(), "an edition without any change of the text was approved"
    refused(result)


@pytest.mark.parametrize(
    "spelled",
    ["  - Соблюдает  режим коммерческой тайны.\n", '  - "Соблюдает режим коммерческой тайны. "\n'],
    ids=["two-spaces", "trailing-space"],
)
def test_approve_refuses_a_text_whose_only_change_is_white_space(project: Path, spelled: str) -> None:
    """The stored text differs (a doubled or trailing space), but the document prints the same:
    no edition, with the reason — the check is on the printed text, not on the stored one."""
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(project), "  - Соблюдает режим коммерческой тайны.\n", spelled)
    line = refused(approve(project, MANAGER, "--date", "2026-02-01"))
    assert line == f"{MANAGER}: в тексте документа нет изменений со времени редакции № 1 — утверждать нечего"
    assert not edition_file(project, MANAGER, 2).exists()


def test_department_is_printed_so_its_change_is_one_to_approve(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    replace_once(
        role_file(project),
        "department: Отдел по работе с ключевыми клиентами\n",
        "department: Коммерческий департамент\n",
    )
    status = next(s for s in ok(jd("-C", project, "status")).stdout.splitlines() if s.startswith(MANAGER))
    assert "неутвержденные изменения: изменено 1" in status
    ok(approve(project, MANAGER, "--date", "2026-02-01"))
    assert edition_record(project, MANAGER, 2)["content"]["department"] == "Коммерческий департамент"


def test_approve_refuses_an_effective_date_before_approval(project: Path) -> None:
    line = refused(approve(project, MANAGER, "--date", "2026-01-15", "--effective", "2026-01-14"))
    assert MANAGER in line
    assert edition_files(project) == {}


def test_approve_refuses_when_check_fails(project: Path) -> None:
    """Another role is broken: nothing of the project can be approved until ``check`` passes."""
    replace_once(role_file(project, HEAD), "category: managers\n", "category: managers\ncolour: red\n")
    assert jd("-C", project, "check").exit_code == 1
    line = refused(approve(project, MANAGER, "--date", "2026-01-15"))
    assert MANAGER in line
    assert edition_files(project) == {}


def test_approve_refuses_a_broken_template(project: Path) -> None:
    path = override_templates(project, "job-description.md.j2")
    path.write_text(path.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    refused(approve(project, MANAGER, "--date", "2026-01-15"))
    assert edition_files(project) == {}


def test_approve_refuses_an_unknown_role(project: Path) -> None:
    line = refused(approve(project, "no-such-role", "--date", "2026-01-15"))
    assert "no-such-role" in line
    assert edition_files(project) == {}
    assert not (project / "roles" / "no-such-role.editions").exists()


# =========================================================================== immutability


def test_no_command_rewrites_an_approved_edition(project: Path, tmp_path: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    ok(approve(project, HEAD, "--date", "2026-01-15"))
    before = edition_files(project)
    assert set(before) == {"roles/kam-manager.editions/001.yaml", "roles/kam-head.editions/001.yaml"}

    def others() -> None:
        ok(jd("-C", project, "build"))
        ok(jd("-C", project, "build", "--draft"))
        ok(jd("-C", project, "build", "--copies", "1", "--split-copies", "--out", tmp_path / "o"))
        ok(jd("-C", project, "status"))
        ok(jd("-C", project, "history", MANAGER))
        ok(jd("-C", project, "diff", MANAGER))
        ok(jd("-C", project, "diff", MANAGER, "--format", "json"))
        ok(jd("-C", project, "redline", MANAGER, "--from", "1", "--out", tmp_path / "r.docx"))
        ok(jd("-C", project, "check"))

    refused(approve(project, MANAGER, "--date", "2026-01-20"))  # unchanged
    others()
    assert edition_files(project) == before

    change_one_duty(project)
    refused(approve(project, MANAGER, "--date", "2026-01-01"))  # before edition 1
    others()
    assert edition_files(project) == before

    ok(approve(project, MANAGER, "--date", "2026-02-01"))
    after = edition_files(project)
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {"roles/kam-manager.editions/002.yaml"}
    others()
    assert edition_files(project) == after


def test_the_built_edition_is_the_approved_text_not_the_working_file(project: Path) -> None:
    """After approval, the working file and roles/_common.yaml may change: the edition is rebuilt as approved."""
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    change_one_duty(project)
    replace_once(
        project / "roles" / "_common.yaml",
        f"  - {COMMON_CLAUSE}\n",
        "  - Уставом и учредительными документами организации.\n",
    )
    ok(jd("-C", project, "build", MANAGER))
    text = "\n".join(textconv_lines(project / "output" / "kam-manager.docx"))
    assert "нестандартных ситуаций" in text
    assert "сложных ситуаций" not in text
    assert re.search(r"^\d+(\.\d+)+\. " + re.escape(COMMON_CLAUSE) + "$", text, re.M)
    assert "учредительными документами" not in text


# =========================================================================== status and history


def _edit_counts(root: Path) -> dict[str, list[str]]:
    """Change 1 duty, add 2, remove 3 (far apart, very different texts) in kam-manager."""
    path = role_file(root)
    duties = string_duties(role_data(root))
    change_one_duty(root)
    for duty in (duties[0], duties[4], duties[7]):
        replace_once(path, f"  - {duty}\n", "")
    replace_once(
        path, f"  - {duties[2]}\n", f"  - {duties[2]}\n  - Ведет учет образцов продукции, переданных клиентам.\n"
    )
    replace_once(path, f"  - {duties[9]}\n", f"  - {duties[9]}\n  - Организует дегустации на территории партнеров.\n")
    return {"removed": [duties[0], duties[4], duties[7]]}


def test_status_before_and_after_approval(project: Path) -> None:
    lines = ok(jd("-C", project, "status")).stdout.splitlines()
    assert len(lines) == 2
    assert any(line.startswith(f"{HEAD}:") and "не утверждена" in line for line in lines)
    assert any(line.startswith(f"{MANAGER}:") and "не утверждена" in line for line in lines)

    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    lines = ok(jd("-C", project, "status")).stdout.splitlines()
    manager = next(line for line in lines if line.startswith(f"{MANAGER}:"))
    assert "№ 1" in manager and "15.01.2026" in manager
    assert "без изменений" in manager
    assert "не утверждена" in next(line for line in lines if line.startswith(f"{HEAD}:"))


def test_status_counts_added_changed_removed_clauses(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    _edit_counts(project)
    lines = ok(jd("-C", project, "status")).stdout.splitlines()
    manager = next(line for line in lines if line.startswith(f"{MANAGER}:"))
    assert "№ 1" in manager
    assert "добавлено 2" in manager
    assert "изменено 1" in manager
    assert "удалено 3" in manager
    assert "без изменений" not in manager
    assert "перемещено" not in manager


def test_history_lists_editions_with_counts(project: Path) -> None:
    assert ok(jd("-C", project, "history", MANAGER)).stdout.strip()  # says there are none
    assert edition_files(project) == {}
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    _edit_counts(project)
    ok(
        approve(
            project,
            MANAGER,
            "--date",
            "2026-03-01",
            "--order",
            "15-к",
            "--effective",
            "2026-03-10",
            "--approver",
            "Коммерческий директор, Смирнов Олег Петрович",
            "--same-function",  # the edit adds a duty (ст. 72 ТК РФ)
        )
    )
    lines = ok(jd("-C", project, "history", MANAGER)).stdout.splitlines()
    assert len(lines) == 2, lines
    first, second = lines
    assert "№ 1" in first and "15.01.2026" in first
    assert "Воронцов" in first
    assert "№ 2" in second and "01.03.2026" in second
    assert "15-к" in second
    assert "10.03.2026" in second
    assert "Смирнов" in second
    assert "добавлено 2" in second and "изменено 1" in second and "удалено 3" in second


def test_history_of_an_unknown_role_is_refused(project: Path) -> None:
    assert "no-such-role" in refused(jd("-C", project, "history", "no-such-role"))


# =========================================================================== drafts


def docx_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".docx")


def warnings_of(result) -> list[str]:  # noqa: ANN001
    """The warning lines of a build on stderr (the build's summary line is not a warning)."""
    return [line for line in result.stderr.splitlines() if line.startswith("внимание")]


def assert_draft_headers(path: Path) -> None:
    """«ПРОЕКТ» in every header part, and every page gets a header (default, and first if distinct)."""
    parts = all_header_texts(path)
    assert parts, "a draft has header parts"
    for name, text in parts.items():
        assert DRAFT in text, f"{name} of {path.name} lacks «{DRAFT}»: {text!r}"
    refs = header_parts(path)
    kinds = {key.split(":")[1] for key in refs}
    assert "default" in kinds
    from editions_helpers import W, document_root

    sect = document_root(path).find(f"{W}body/{W}sectPr")
    if sect.find(f"{W}titlePg") is not None:
        assert "first" in kinds
    for key, text in refs.items():
        assert DRAFT in text, key


def approval_lines(path: Path) -> list[str]:
    """textconv lines with an approval block (one per copy)."""
    return [line for line in textconv_lines(path) if "УТВЕРЖДАЮ" in line or "УТВЕРЖДЕНА" in line]


def assert_blank_approval(path: Path, copies: int = 2) -> None:
    lines = approval_lines(path)
    assert len(lines) == copies, lines
    for line in lines:
        assert BLANK_DATE in line, line
        assert not NUMERIC_DATE.search(line), line
        assert "УТВЕРЖДЕНА" not in line
    assert not any(line.startswith("Редакция №") for line in textconv_lines(path))


def test_build_draft_writes_draft_files_marked_on_every_page(project: Path) -> None:
    result = ok(jd("-C", project, "build", "--draft"))
    out = project / "output"
    assert docx_names(out) == ["kam-head.draft.docx", "kam-manager.draft.docx"]
    assert "output/kam-manager.draft.docx" in result.stdout.splitlines()
    for name in docx_names(out):
        path = out / name
        assert_draft_headers(path)
        assert_blank_approval(path)


def test_build_draft_of_an_approved_role_shows_the_working_text(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15", "--order", "1-к"))
    change_one_duty(project)
    result = ok(jd("-C", project, "build", "--draft", MANAGER))
    out = project / "output"
    assert docx_names(out) == ["kam-manager.amendment-1.draft.docx", "kam-manager.draft.docx"]
    assert sorted(result.stdout.splitlines()) == [
        "output/kam-manager.amendment-1.draft.docx",
        "output/kam-manager.draft.docx",
    ]
    path = out / "kam-manager.draft.docx"
    text = "\n".join(textconv_lines(path))
    assert "сложных ситуаций" in text and "нестандартных ситуаций" not in text
    assert_draft_headers(path)
    assert_blank_approval(path)


def test_build_draft_writes_the_next_amendment_for_the_director(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15", "--order", "1-к"))
    change_one_duty(project)
    ok(jd("-C", project, "build", "--draft", MANAGER))
    path = project / "output" / "kam-manager.amendment-1.draft.docx"
    assert_draft_headers(path)
    lines = textconv_lines(path)
    assert sum("ИЗМЕНЕНИЯ №\u00a01" in line for line in lines) == 2, lines[:12]
    approvals = [line for line in lines if "УТВЕРЖДАЮ" in line]
    assert len(approvals) == 2 and all(BLANK_DATE in line for line in approvals), approvals
    items = [line for line in lines if "изложить в следующей редакции" in line]
    assert len(items) == 2 and all("сложных ситуаций" in line for line in items), items
    assert "Изменения вводятся в действие с «___»\u00a0____________\u00a020___\u00a0г." in lines
    assert lines.count("с изменениями №\u00a01 в должностную инструкцию " + MANAGER_GENITIVE + " (проект)") == 2


def test_build_draft_writes_no_amendment_without_pending_changes(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    ok(jd("-C", project, "build", "--draft", MANAGER))
    assert docx_names(project / "output") == ["kam-manager.draft.docx"]


def test_approved_build_is_not_marked_draft(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    result = ok(jd("-C", project, "build", MANAGER))
    assert warnings_of(result) == []
    path = project / "output" / "kam-manager.docx"
    for name, text in all_header_texts(path).items():
        assert DRAFT not in text, name
    lines = approval_lines(path)
    assert len(lines) == 2
    assert all(BLANK_DATE not in line and "15\u00a0января\u00a02026\u00a0г." in line for line in lines), lines


def test_a_never_approved_role_builds_as_a_draft_with_a_warning(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    result = ok(jd("-C", project, "build"))
    warnings = warnings_of(result)
    assert [w for w in warnings if HEAD in w], warnings
    assert not [w for w in warnings if MANAGER in w], warnings
    assert "output/kam-head.docx" in result.stdout.splitlines()
    path = project / "output" / "kam-head.docx"
    assert_draft_headers(path)
    assert_blank_approval(path)
    for name, text in all_header_texts(project / "output" / "kam-manager.docx").items():
        assert DRAFT not in text, name


def test_build_warns_about_pending_changes_naming_the_role(project: Path) -> None:
    ok(approve(project, MANAGER, "--date", "2026-01-15"))
    ok(approve(project, HEAD, "--date", "2026-01-15"))
    assert warnings_of(ok(jd("-C", project, "build"))) == []
    change_one_duty(project)
    commit_all(project, "pending")
    result = ok(jd("-C", project, "build"))
    warnings = warnings_of(result)
    assert len(warnings) == 1, warnings
    assert MANAGER in warnings[0]
    assert HEAD not in warnings[0].replace(MANAGER, "")
    again = ok(jd("-C", project, "build"))  # nothing to rebuild: the warning still stands
    assert [w for w in warnings_of(again) if MANAGER in w], again.stderr
    # the approved edition was built, not the pending text
    text = "\n".join(textconv_lines(project / "output" / "kam-manager.docx"))
    assert "нестандартных ситуаций" in text and "сложных ситуаций" not in text
    assert "Редакция №\u00a01" in text
