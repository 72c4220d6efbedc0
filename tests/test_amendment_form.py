"""Each edition records the form it was approved in (``form`` of its record): changing
``document.amendments`` in ``jobdesc.yaml`` changes only what the next approval does, never the
paper of an edition already approved (its amendment, its order, who signs what)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from editions_helpers import (
    MANAGER,
    edition_record,
    git_project,
    jd,
    ok,
    replace_once,
    role_file,
    textconv_lines,
)
from helpers import copy_project, set_amendments

NBSP = "\u00a0"
STAFF = Path(__file__).parent / "data" / "staff" / "staff.yaml"
FIRST_CHANGE = ("нестандартных ситуаций", "сложных ситуаций")
SECOND_CHANGE = ("сложных ситуаций", "особых ситуаций")
OUT = ("kam-manager.docx", "kam-manager.edition-1.docx", "kam-manager.amendment-1.docx", "orders/15-к.docx")


def built(root: Path, *names: str) -> dict[str, bytes]:
    """The files a build gives, and the redline of edition 2 against edition 1 (``redline.docx``)."""
    ok(jd("-C", root, "build", "--force"))
    ok(jd("-C", root, "redline", MANAGER, "--from", "1", "--to", "2", "--out", root / "output" / "redline.docx"))
    return {name: (root / "output" / name).read_bytes() for name in (*names, "redline.docx")}


def unsigned(root: Path) -> list[str]:
    """What the manager's holder has not signed, as ``status`` says it."""
    lines = ok(jd("-C", root, "status")).stdout.splitlines()
    return [line.split(" не ознакомлена с ")[1] for line in lines if line.startswith("kam-manager: Соколова")]


@pytest.fixture(scope="module")
def switched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], list[str]]:
    """Edition 2 approved as «Изменения № 1» by order 15-к; what a build gave and who signs what
    then; and the setting switched to ``new-edition`` afterwards."""
    root = git_project(tmp_path_factory.mktemp("form") / "project")
    shutil.copy2(STAFF, root / "staff.yaml")
    set_amendments(root, "changes")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(root), *FIRST_CHANGE)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-03-02", "--order", "15-к", "--order-date", "2026-03-02"))
    before = built(root, *OUT)
    signs = unsigned(root)
    set_amendments(root, "new-edition")
    return root, before, signs


def test_approval_records_the_form_it_used(switched: tuple[Path, dict[str, bytes], list[str]]) -> None:
    root, _, _ = switched
    assert "form" not in edition_record(root, MANAGER, 1)  # edition 1 is approved as the document itself
    assert edition_record(root, MANAGER, 2)["form"] == "changes"
    assert ok(jd("-C", root, "check")).exit_code == 0  # the record with its form is genuine


def test_switching_the_setting_leaves_the_approved_paper_as_it_was(
    switched: tuple[Path, dict[str, bytes], list[str]],
) -> None:
    root, before, signs = switched
    after = built(root, *OUT)
    assert after == before  # the amendment, edition 1 it amends, the reference text, the order, the redline
    # the holder still signs edition 1 and «Изменения № 1», not a new edition 2
    assert (
        signs
        == unsigned(root)
        == [
            "редакцией № 1 от 15.01.2026 — срок: до 15.01.2026",
            "изменениями № 1 от 02.03.2026 — срок: до 02.03.2026",
        ]
    )


def test_the_next_approval_takes_the_new_setting(
    switched: tuple[Path, dict[str, bytes], list[str]], tmp_path: Path
) -> None:
    root = shutil.copytree(switched[0], tmp_path / "project", symlinks=True)  # the others see no edition 3
    before = switched[1]
    replace_once(role_file(root), *SECOND_CHANGE)
    approved = ok(jd("-C", root, "approve", MANAGER, "--date", "2026-04-01", "--order", "20-к"))
    assert approved.stdout.endswith(": редакция № 3 утверждена 01.04.2026 (новая редакция целиком)\n"), approved.stdout
    assert edition_record(root, MANAGER, 3)["form"] == "new-edition"
    written = ok(jd("-C", root, "build", "--force")).stdout.splitlines()
    assert "output/kam-manager.docx" in written
    assert not any("kam-manager.amendment" in line or "kam-manager.edition-" in line for line in written), written
    lines = textconv_lines(root / "output" / "kam-manager.docx")
    assert (
        f"Редакция №{NBSP}3, утверждена приказом от{NBSP}01.04.2026 №{NBSP}20-к, вводится в действие "
        f"с{NBSP}1{NBSP}апреля{NBSP}2026{NBSP}г. взамен редакции №{NBSP}2, утвержденной приказом "
        f"от{NBSP}02.03.2026 №{NBSP}15-к" in lines
    ), [line for line in lines if line.startswith("Редакция")]
    assert "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ" not in lines
    order = " ".join(textconv_lines(root / "output" / "orders" / "20-к.docx"))
    assert "в новой редакции" in order and "Изменени" not in order, order
    assert (root / "output" / "orders" / "15-к.docx").read_bytes() == before["orders/15-к.docx"]
    assert [line.split(" — ")[0] for line in unsigned(root)] == ["редакцией № 3 от 01.04.2026"]
    assert f"приказ от 01.04.2026 №{NBSP}20-к; новая редакция целиком  — " in jd("-C", root, "history", MANAGER).stdout


def test_an_edition_approved_before_forms_were_recorded_follows_the_setting(tmp_path: Path) -> None:
    """The shipped editions record no form (they are never rewritten): they are built in the form
    ``jobdesc.yaml`` sets, as before."""
    root = copy_project(tmp_path / "project", editions="all")
    latest = max(int(path.stem) for path in (root / "roles" / "kam-manager.editions").glob("*.yaml"))
    assert latest > 1 and all("form" not in edition_record(root, MANAGER, n) for n in range(1, latest + 1))
    set_amendments(root, "changes")
    written = ok(jd("-C", root, "build", MANAGER)).stdout.splitlines()
    assert "output/kam-manager.amendment-1.docx" in written and "output/kam-manager.edition-1.docx" in written
    set_amendments(root, "new-edition")
    written = ok(jd("-C", root, "build", MANAGER)).stdout.splitlines()
    assert not any("amendment" in line or "edition-" in line for line in written), written
    lines = textconv_lines(root / "output" / "kam-manager.docx")
    assert any(line.startswith(f"Редакция №{NBSP}{latest}, утверждена") and "взамен редакции" in line for line in lines)


def test_changes_after_an_edition_approved_whole_amend_that_edition(tmp_path: Path) -> None:
    """``new-edition`` then ``changes``: edition 2, approved whole, is what «Изменения № 2» amend and
    what the holder signs with them; edition 1 is no longer in force."""
    root = git_project(tmp_path / "project")
    shutil.copy2(STAFF, root / "staff.yaml")
    set_amendments(root, "new-edition")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(root), *FIRST_CHANGE)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-03-02", "--order", "15-к", "--order-date", "2026-03-02"))
    set_amendments(root, "changes")
    replace_once(role_file(root), *SECOND_CHANGE)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-04-01", "--order", "20-к", "--order-date", "2026-04-01"))
    assert [edition_record(root, MANAGER, n).get("form") for n in (1, 2, 3)] == [None, "new-edition", "changes"]

    written = ok(jd("-C", root, "build")).stdout.splitlines()
    assert [line for line in written if MANAGER in line] == [
        "output/kam-manager.docx",
        "output/kam-manager.edition-2.docx",
        "output/kam-manager.amendment-2.docx",
    ], written
    reference = textconv_lines(root / "output" / "kam-manager.docx")
    assert f"Текст в редакции Изменений №{NBSP}2" in reference, [line for line in reference if "Текст" in line]
    assert f"02.03.2026 №{NBSP}ДИ-014" in reference  # dated as edition 2, which the changes amend
    original = textconv_lines(root / "output" / "kam-manager.edition-2.docx")
    assert any(line.startswith(f"Редакция №{NBSP}2, утверждена") and "взамен редакции" in line for line in original)
    amendment = " ".join(textconv_lines(root / "output" / "kam-manager.amendment-2.docx"))
    assert f"(от{NBSP}02.03.2026 №{NBSP}ДИ-014) вносятся следующие изменения" in amendment, amendment
    order = " ".join(textconv_lines(root / "output" / "orders" / "20-к.docx"))
    assert f"утвержденную приказом от{NBSP}02.03.2026 №{NBSP}15-к (рег. №{NBSP}ДИ-014) (приложение" in order, order
    assert [line.split(" — ")[0] for line in unsigned(root)] == [
        "редакцией № 2 от 02.03.2026",
        "изменениями № 2 от 01.04.2026",
    ]


def test_history_says_how_each_edition_was_approved(switched: tuple[Path, dict[str, bytes], list[str]]) -> None:
    root, _, _ = switched
    lines = ok(jd("-C", root, "history", MANAGER)).stdout.splitlines()
    assert "Изменения" not in lines[0] and "новая редакция" not in lines[0]
    assert f"приказ от 02.03.2026 №{NBSP}15-к; Изменения № 1  — " in lines[1], lines
    assert len(lines) == 2, lines


def test_ack_records_the_amendment_approved_before_the_switch(
    switched: tuple[Path, dict[str, bytes], list[str]], tmp_path: Path
) -> None:
    root = shutil.copytree(switched[0], tmp_path / "project", symlinks=True)
    done = ok(jd("-C", root, "ack", MANAGER, "--employee", "0000012", "--date", "2026-03-05", "--amendment", "1"))
    assert "изменениями № 1 от 02.03.2026" in done.stdout, done.stdout
    assert unsigned(root) == ["редакцией № 1 от 15.01.2026 — срок: до 15.01.2026"]
