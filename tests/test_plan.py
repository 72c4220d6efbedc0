"""The plan: which files each document makes and from what — and that build writes exactly those."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO_ROOT, build_into, copy_project, files_in

from jobdesc.documents.options import Options
from jobdesc.documents.orders import plan_orders
from jobdesc.documents.plan import plan_document
from jobdesc.project.loader import load_project


def planned(root: Path, out: Path, options: Options, with_orders: bool = True) -> list[str]:
    project = load_project(root)
    names = [
        output.path.relative_to(out).as_posix()
        for document in project.documents.values()
        for output in plan_document(project, document, out, options, [])
    ]
    if with_orders:
        names += [output.path.relative_to(out).as_posix() for output in plan_orders(project, out)]
    return sorted(names)


@pytest.mark.parametrize(
    ("options", "flags"),
    [
        (Options(), []),
        (Options(split=True), ["--split-copies"]),
        (Options(copies=1), ["--copies", "1"]),
        (Options(per_employee=True), ["--per-employee"]),
        (Options(draft=True), ["--draft"]),
    ],
    ids=["default", "split", "one-copy", "per-employee", "draft"],
)
def test_build_writes_exactly_the_planned_files(tmp_path: Path, options: Options, flags: list[str]) -> None:
    root = copy_project(tmp_path / "project", editions="all")
    (root / "staff.yaml").write_bytes((REPO_ROOT / "tests/data/staff/staff.yaml").read_bytes())
    out = tmp_path / "out"

    build_into(root, out, *flags)

    assert files_in(out) == planned(root, out, options, with_orders=not options.draft)


def test_the_shipped_project_plans_its_documents_amendments_originals_and_the_order() -> None:
    out = REPO_ROOT / "output"
    assert planned(REPO_ROOT, out, Options()) == [
        "kam-department.docx",  # amendments: policies: new-edition — the regulation approved as a whole
        "kam-head.amendment-1.docx",
        "kam-head.amendment-2.docx",
        "kam-head.docx",
        "kam-head.edition-1.docx",
        "kam-manager.amendment-1.docx",
        "kam-manager.amendment-2.docx",
        "kam-manager.docx",
        "kam-manager.edition-1.docx",
        "orders/112-ОД.docx",
        "orders/125-ОД.docx",
    ]


def test_a_documents_inputs_include_the_documents_linked_with_it() -> None:
    project = load_project(REPO_ROOT)
    [first, *_] = plan_document(project, project.roles["kam-manager"], REPO_ROOT / "output", Options(), [])

    inputs = [path.relative_to(REPO_ROOT).as_posix() for path in first.inputs]

    assert inputs[0] == "roles/kam-manager.yaml"
    assert "roles/kam-manager.editions/002.yaml" in inputs
    assert "roles/kam-head.yaml" in inputs, "whom it reports to"
    assert "policies/kam-department.yaml" in inputs, "its department's regulation"
