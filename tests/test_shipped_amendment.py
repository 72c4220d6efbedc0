"""The shipped «Изменения № N» of each role, read from the built DOCX and applied item by item
(tests/amendment_oracle.py) to the printed text of edition N, give the printed text of edition N + 1;
all of them in turn, applied to edition 1, give the reference copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from amendment_oracle import check, docx_paragraphs, items
from helpers import SHIPPED_ROLES, build_into, copy_project, latest_edition

from jobdesc.documents.compose import approval_of, document_bytes, render_document
from jobdesc.editions.store import require_editions
from jobdesc.project.loader import load_project


def _printed_edition(root: Path, role_id: str, number: int) -> list[str]:
    """Edition ``number`` of the role as approved (one copy), rendered in-process."""
    project = load_project(root)
    edition = require_editions(root, role_id)[number - 1]
    approval = approval_of(edition)
    documents = render_document(project, edition.document, 1, approval)
    return docx_paragraphs(document_bytes(project, "ДИ", edition.document, documents, approval))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_project(tmp_path_factory.mktemp("shipped") / "project", editions="all")
    out = root / "output"
    build_into(root, out)
    return root, out


@pytest.mark.parametrize("role_id", SHIPPED_ROLES)
def test_each_shipped_amendment_turns_its_edition_into_the_next(shipped: tuple[Path, Path], role_id: str) -> None:
    root, out = shipped
    latest = latest_edition(root, role_id)
    assert latest >= 3, "the shipped project has two amendments of each role"
    amendments = [docx_paragraphs((out / f"{role_id}.amendment-{n}.docx").read_bytes()) for n in range(1, latest)]
    for number, amendment in enumerate(amendments, start=1):
        assert len(items(amendment)) >= 5, f"the shipped revision № {number} changes many clauses"
        check(_printed_edition(root, role_id, number), amendment, _printed_edition(root, role_id, number + 1))
    # the reference copy «Текст в редакции Изменений № 1–N» prints edition 1 with all of them applied
    check(
        _printed_edition(root, role_id, 1),
        amendments[0],
        docx_paragraphs((out / f"{role_id}.docx").read_bytes()),
        *amendments[1:],
    )


def _textconv(path: Path) -> list[str]:
    from jobdesc.commands.textconv import docx_text

    return docx_text(path).splitlines()


def test_the_change_register_names_each_clause_once_by_its_new_number(shipped: tuple[Path, Path]) -> None:
    """Issue 19, point 2: no clause is both changed and introduced; where a changed clause moved,
    its old number is in brackets; each list is sorted."""
    import re

    _, out = shipped
    lines = _textconv(out / "kam-manager.docx")
    row = next(line for line in lines if line.startswith("1 | изменены:"))
    cell = row.split(" | ")[1]
    lists = dict(part.split(": ", 1) for part in cell.split("; "))
    assert set(lists) <= {"изменены", "введены", "перенесены", "исключены"}
    assert "8.2 (прежний 7.1)" in lists["изменены"].split(", "), cell
    named = [re.match(r"[\d.]+", entry).group(0) for entries in lists.values() for entry in entries.split(", ")]
    in_new = [n for key, v in lists.items() if key != "исключены" for n in re.findall(r"(?:^|, )([\d.]+)", v)]
    assert len(in_new) == len(set(in_new)), f"a clause named twice: {cell}"
    for entries in lists.values():
        numbers = [tuple(map(int, re.match(r"[\d.]+", e).group(0).split("."))) for e in entries.split(", ")]
        assert numbers == sorted(numbers), entries
    assert named


@pytest.mark.parametrize("role_id", SHIPPED_ROLES)
def test_the_amendment_uses_one_term_and_the_annex_lead_in(shipped: tuple[Path, Path], role_id: str) -> None:
    """Issue 19, point 11: «вносятся следующие изменения:», «Изменения вводятся в действие с …»."""
    _, out = shipped
    lines = _textconv(out / f"{role_id}.amendment-1.docx")
    assert any(
        line.startswith("В\u00a0должностную инструкцию ") or line.startswith("В должностную инструкцию ")
        for line in lines
    )
    assert any(line.endswith("вносятся следующие изменения:") for line in lines)
    assert any(
        line.startswith("Изменения вводятся в\u00a0действие") or line.startswith("Изменения вводятся в действие")
        for line in lines
    )
    assert not any("вступают в силу" in line or line.startswith("Внести") for line in lines)


def test_a_renumbered_section_and_a_restated_clause_are_one_item_each(shipped: tuple[Path, Path]) -> None:
    """Issue 19, points 3 and 4: the manager's section 7 becomes 8 (most of its clauses change
    number: given anew in the same item), clause 2.12 (its lead-in and all seven sub-clauses
    reworded) is given anew, each paragraph its own."""
    _, out = shipped
    found = items(docx_paragraphs((out / "kam-manager.amendment-1.docx").read_bytes()))
    heads = [item[0] for item in found]
    assert "Раздел 7 считать разделом 8 и изложить его в следующей редакции:" in heads
    assert not any(head.startswith("Пункты 8.") for head in heads), heads
    restated = next(item for item in found if item[0] == "Пункт 2.12 изложить в следующей редакции:")
    assert len(restated) == 9 and restated[1].startswith("«2.12. ") and restated[-1].startswith("2.12.7. ")
    assert not any(head.startswith("Подпункт 2.12.") for head in heads)


@pytest.mark.parametrize("name", ["kam-manager.docx", "kam-head.docx"])
def test_the_reference_text_says_it_is_not_signed(shipped: tuple[Path, Path], name: str) -> None:
    """Issue 19, point 10: on its first page, and a mark on every page that no signed document has."""
    from helpers import docx_part

    _, out = shipped
    assert _textconv(out / name)[0] == "Справочный текст, не подписывается"
    headers = b"".join(docx_part(out / name, f"word/header{n}.xml") for n in (1, 2))
    assert "СПРАВОЧНЫЙ ТЕКСТ".encode() in headers
    signed = out / name.replace(".docx", ".amendment-1.docx")
    assert not any("Справочный" in line for line in _textconv(signed))
    assert "СПРАВОЧНЫЙ".encode() not in b"".join(docx_part(signed, f"word/header{n}.xml") for n in (1, 2))
