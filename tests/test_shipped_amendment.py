"""The shipped «Изменения № 1» of each role, read from the built DOCX and applied item by item
(tests/amendment_oracle.py) to the printed text of edition 1, give the printed text of edition 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from amendment_oracle import check, docx_paragraphs, items
from helpers import SHIPPED_ROLES, build_into, copy_project

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
def test_the_shipped_amendment_turns_edition_1_into_edition_2(shipped: tuple[Path, Path], role_id: str) -> None:
    root, out = shipped
    amendment = docx_paragraphs((out / f"{role_id}.amendment-1.docx").read_bytes())
    assert len(items(amendment)) >= 5, "the shipped revision changes many clauses"
    before = _printed_edition(root, role_id, 1)
    check(before, amendment, _printed_edition(root, role_id, 2))
    # the reference copy «Текст в редакции Изменений № 1» prints the same text
    check(before, amendment, docx_paragraphs((out / f"{role_id}.docx").read_bytes()))
