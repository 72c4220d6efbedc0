"""``jobdesc redline``: tracked changes that «Принять все» / «Отклонить все» turn into the two editions."""

from __future__ import annotations

import copy
import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from editions_helpers import (
    EDITION2_DATE,
    MANAGER,
    Scenario,
    W,
    body_paragraphs,
    document_root,
    docx_paragraphs,
    jd,
    ok,
    refused,
    run_scenario,
    textconv_lines,
)
from helpers import override_templates
from lxml import etree


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return run_scenario(tmp_path_factory.mktemp("redline"))


@pytest.fixture(scope="module")
def redline(scenario: Scenario) -> Path:
    out = scenario.root.parent / "F.docx"
    result = ok(jd("-C", scenario.root, "redline", MANAGER, "--from", "1", "--to", "2", "--out", out))
    assert str(out) in result.stdout
    assert out.is_file()
    return out


def resolve(root, accept: bool):  # noqa: ANN001, ANN201
    """Word's «Принять все» (``accept``) or «Отклонить все» done on the XML."""
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    root = copy.deepcopy(root)
    # paragraphs whose paragraph mark goes away, table rows that go away
    for p in list(root.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            p.getparent().remove(p)
    for tr in list(root.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{drop}") is not None:
            tr.getparent().remove(tr)
    # remaining run-level changes that go away
    for element in list(root.iter(f"{W}{drop}")):
        element.getparent().remove(element)
    # changes that stay: unwrap the runs (a paragraph-mark or row marker has no children)
    for element in list(root.iter(f"{W}{keep}")):
        parent = element.getparent()
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    for node in root.iter(f"{W}delText"):
        node.tag = f"{W}t"
    return root


AUTHOR = "Лебедева Ирина Сергеевна"  # document.drafted_by of the shipped jobdesc.yaml


def as_read(paragraphs: list[str]) -> list[str]:
    """A built document's paragraphs without what only a signed copy has: copy mark, acknowledgment sheet."""
    kept = [p for p in paragraphs if not p.startswith("Экземпляр\u00a0№") and not p.startswith("Экземпляр №")]
    return kept[: kept.index("ЛИСТ ОЗНАКОМЛЕНИЯ")] if "ЛИСТ ОЗНАКОМЛЕНИЯ" in kept else kept


def text_only(paragraphs: list[str]) -> list[str]:
    """Paragraphs without the frame of an edition, which a redline shows as in Y, unmarked: the
    approval stamp (from «УТВЕРЖД…» to the title), the edition line, the signatures, the visas."""
    result: list[str] = []
    stamp = False
    for line in paragraphs:
        if line.startswith(("УТВЕРЖДАЮ", "УТВЕРЖДЕН", "СОГЛАСОВАНО:")):  # the stamp; the visas, to the next sheet
            stamp = True
        elif stamp and line.startswith("ЛИСТ "):
            stamp = False
        elif stamp and line.startswith(("менеджера", "начальника")):
            stamp = False
        if (
            stamp
            or line.startswith(("Редакция", "Текст в редакции", "(редакция", "Справочный текст"))
            or "\t____________" in line
        ):
            continue
        result.append(line)
    return result


def same_paragraphs(actual: list[str], expected: list[str]) -> None:
    assert actual == expected, "\n" + "\n".join(
        difflib.unified_diff(expected, actual, "expected", "actual", lineterm="")
    )


def test_redline_has_attributed_insertions_and_deletions(redline: Path) -> None:
    root = document_root(redline)
    insertions = list(root.iter(f"{W}ins"))
    deletions = list(root.iter(f"{W}del"))
    assert insertions and deletions
    for element in insertions + deletions:
        assert element.get(f"{W}author") == AUTHOR, etree.tostring(element)[:200]
        date = element.get(f"{W}date")
        assert date and date.startswith(EDITION2_DATE), date
    ids = [element.get(f"{W}id") for element in insertions + deletions]
    assert all(ids) and len(set(ids)) == len(ids), "revision ids are unique"
    assert list(root.iter(f"{W}delText")), "deleted text is w:delText"
    for element in root.iter(f"{W}del"):
        assert not list(element.iter(f"{W}t")), "deleted runs hold w:delText, not w:t"


def test_accept_all_gives_edition_two(scenario: Scenario, redline: Path) -> None:
    accepted = resolve(document_root(redline), accept=True)
    assert not list(accepted.iter(f"{W}delText"))
    same_paragraphs(body_paragraphs(accepted), as_read(docx_paragraphs(scenario.edition2_single / "kam-manager.docx")))


def test_reject_all_gives_edition_one(scenario: Scenario, redline: Path) -> None:
    rejected = resolve(document_root(redline), accept=False)
    same_paragraphs(
        text_only(body_paragraphs(rejected)),
        text_only(as_read(docx_paragraphs(scenario.edition1_single / "kam-manager.docx"))),
    )


def test_redline_has_no_copy_mark_and_no_acknowledgment_sheet(redline: Path) -> None:
    paragraphs = docx_paragraphs(redline)
    assert not any("Экземпляр" in p for p in paragraphs)
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" not in paragraphs
    assert not any("получил(а)" in p for p in paragraphs)


def test_redline_author_defaults_to_the_organisation_without_drafted_by(scenario: Scenario, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(scenario.root, project, ignore=shutil.ignore_patterns("output", ".git"))
    config = project / "jobdesc.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("  drafted_by:")], encoding="utf-8")
    out = tmp_path / "r.docx"
    ok(jd("-C", project, "redline", MANAGER, "--from", "1", "--to", "2", "--out", out))
    authors = {e.get(f"{W}author") for tag in ("ins", "del") for e in document_root(out).iter(f"{W}{tag}")}
    assert authors == {"ООО «Северный ветер»"}, "never the program's name"


def test_the_clause_changes_are_tracked_word_by_word(scenario: Scenario, redline: Path) -> None:
    root = document_root(redline)
    inserted = "".join(t.text or "" for ins in root.iter(f"{W}ins") for t in ins.iter(f"{W}t"))
    deleted = "".join(t.text or "" for d in root.iter(f"{W}del") for t in d.iter(f"{W}delText"))
    assert "и конфликтных" in inserted
    assert scenario.added in inserted
    assert scenario.removed in deleted
    assert scenario.changed_old not in deleted, "a changed clause is marked word by word, not deleted whole"


def test_textconv_of_a_redline_shows_insertions_not_deletions(scenario: Scenario, redline: Path) -> None:
    text = "\n".join(textconv_lines(redline))
    assert scenario.changed_new in text
    assert scenario.added in text
    assert scenario.removed not in text
    assert scenario.changed_old not in text


def test_redline_author_option(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "by-author.docx"
    ok(
        jd(
            "-C",
            scenario.root,
            "redline",
            MANAGER,
            "--from",
            "1",
            "--to",
            "2",
            "--out",
            out,
            "--author",
            "Лебедева И.С.",
        )
    )
    root = document_root(out)
    authors = {e.get(f"{W}author") for tag in ("ins", "del") for e in root.iter(f"{W}{tag}")}
    assert authors == {"Лебедева И.С."}


def test_redline_of_identical_versions_has_no_changes(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "same.docx"
    ok(jd("-C", scenario.root, "redline", MANAGER, "--from", "2", "--to", "2", "--out", out))
    root = document_root(out)
    assert not list(root.iter(f"{W}ins")) and not list(root.iter(f"{W}del"))
    assert any(p.endswith(scenario.changed_new) for p in body_paragraphs(root))


def test_redline_refuses_an_unknown_edition(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "none.docx"
    assert "5" in refused(jd("-C", scenario.root, "redline", MANAGER, "--from", "5", "--out", out))
    assert not out.exists()


def test_libreoffice_converts_the_redline_to_pdf(redline: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    outdir = tmp_path / "pdf"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(redline),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = outdir / "F.pdf"
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert pdf.is_file(), (done.stdout, done.stderr)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "менеджера по работе с ключевыми клиентами" in " ".join(text.split())


TABLE = """{% if role.working_conditions %}

| № | Условие работы |
|---|---|
{% for item in role.working_conditions %}
| {{ loop.index }} | {{ item }} |
{% endfor %}
{% endif %}
"""


def test_redline_of_an_inserted_section_and_table(tmp_path: Path) -> None:
    """Edition 1 → working text: a new section and a new table (tracked rows), one clause dropped."""
    from editions_helpers import git_project, replace_once, role_file

    root = git_project(tmp_path / "project")
    template = override_templates(root, "job-description.md.j2")
    anchor = "{% if approval.registrations %}"
    replace_once(template, anchor, TABLE + anchor)
    text = role_file(root).read_text(encoding="utf-8")  # edition 1 without the section
    start, end = text.index("working_conditions:\n"), text.index("final_provisions:\n")
    role_file(root).write_text(text[:start] + text[end:], encoding="utf-8")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    ok(jd("-C", root, "build", MANAGER, "--copies", "1", "--out", tmp_path / "edition1"))
    replace_once(
        role_file(root),
        "final_provisions:\n",
        "working_conditions:\n  - Разъездной характер работы.\n  - Ненормированный рабочий день.\n\nfinal_provisions:\n",
    )
    replace_once(role_file(root), "  - Выполняет приказы и распоряжения руководства.\n", "")
    ok(jd("-C", root, "build", MANAGER, "--draft", "--copies", "1", "--out", tmp_path / "draft"))
    out = tmp_path / "r.docx"
    ok(jd("-C", root, "redline", MANAGER, "--from", "1", "--out", out))

    root_xml = document_root(out)
    inserted_rows = [tr for tr in root_xml.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert len(inserted_rows) == 3  # header and two conditions
    for tr in inserted_rows:
        marker = tr.find(f"{W}trPr/{W}ins")
        assert marker.get(f"{W}author") == AUTHOR and marker.get(f"{W}date")
    same_paragraphs(
        body_paragraphs(resolve(root_xml, accept=True)),
        as_read(docx_paragraphs(tmp_path / "draft" / "kam-manager.draft.docx")),
    )
    same_paragraphs(
        text_only(body_paragraphs(resolve(root_xml, accept=False))),
        text_only(as_read(docx_paragraphs(tmp_path / "edition1" / "kam-manager.docx"))),
    )


def test_dates_and_order_numbers_change_as_whole_tokens() -> None:
    from jobdesc.documents.redline import redline
    from jobdesc.render.document import Document, Paragraph, Run

    old = Document((Paragraph((Run("Утверждена приказом от 01.12.2026 № 15-к (пункт 2.5)."),)),))
    new = Document((Paragraph((Run("Утверждена приказом от 10.12.2026 № 16-к (пункт 2.15)."),)),))
    runs = redline(old, new).blocks[0].runs
    assert [(run.change, run.text) for run in runs if run.change] == [
        ("del", "01.12.2026"),
        ("ins", "10.12.2026"),
        ("del", "15-к"),
        ("ins", "16-к"),
        ("del", "2.5"),
        ("ins", "2.15"),
    ]


def test_formatting_of_a_changed_paragraph_is_kept() -> None:
    from jobdesc.documents.redline import redline
    from jobdesc.render.document import Box, Clause, Document, Run

    old = Document(
        (
            Box("requisites", ((Run("ИЗМЕНЕНИЯ № 1", bold=True), Run(" от 01.12.2026")),)),
            Clause("2.1.", (Run("Ведет "), Run("учет", italic=True), Run(" договоров.")), 1),
        )
    )
    new = Document(
        (
            Box("requisites", ((Run("ИЗМЕНЕНИЯ № 1", bold=True), Run(" от 10.12.2026")),)),
            Clause("2.1.", (Run("Ведет "), Run("учет", italic=True), Run(" договоров поставки.")), 1),
        )
    )
    box, clause = redline(old, new).blocks
    assert box.lines[0][0] == Run("ИЗМЕНЕНИЯ № 1", bold=True)
    assert [r for r in box.lines[0] if r.change] == [Run("01.12.2026", change="del"), Run("10.12.2026", change="ins")]
    assert Run("учет", italic=True) in clause.runs
    assert Run(" поставки", change="ins") in clause.runs
    assert "".join(r.text for r in clause.runs if r.change != "del") == "Ведет учет договоров поставки."


def test_a_heading_that_gains_or_loses_its_number() -> None:
    from jobdesc.documents.redline import redline
    from jobdesc.render.document import Document, Heading, Run

    plain_heading = Heading((Run("Лист согласования"),), 2)
    numbered = Heading((Run("Лист согласования"),), 2, "6.")
    for old, new, marked in ((plain_heading, numbered, "ins"), (numbered, plain_heading, "del")):
        (heading,) = redline(Document((old,)), Document((new,))).blocks
        assert heading.number == ""
        assert heading.runs == (Run("6. ", change=marked), Run("Лист согласования"))


def test_the_frame_of_an_edition_is_not_a_change(scenario: Scenario, redline: Path) -> None:
    """Issue 19, point 9: the stamp, the signatures and the edition line of two signed editions
    differ, but they are not the text compared: no tracked change touches them."""
    root = document_root(redline)
    changed = " ".join(
        t.text or "" for tag in ("ins", "del") for e in root.iter(f"{W}{tag}") for t in e.iter(f"{W}t", f"{W}delText")
    )
    for frame in ("УТВЕРЖД", "Редакция", "Текст в редакции", "Генеральный директор", "Начальник отдела кадров"):
        assert frame not in changed, frame
    accepted = body_paragraphs(resolve(root, accept=True))
    assert any(line.startswith("Текст в редакции") for line in accepted), "the frame is Y's"


def test_a_clause_mostly_rewritten_is_one_deletion_and_one_insertion() -> None:
    from jobdesc.documents.redline import redline
    from jobdesc.render.document import Clause, Document, Run

    old = Document((Clause("2.5.", (Run("Выполняет приказы и распоряжения руководства."),), 1),))
    new = Document((Clause("2.5.", (Run("Ведет учет договоров в программе «1С:Предприятие»."),), 1),))
    (clause,) = redline(old, new).blocks
    assert [(run.change, run.text) for run in clause.runs] == [
        ("del", "Выполняет приказы и распоряжения руководства."),
        ("ins", "Ведет учет договоров в программе «1С:Предприятие»."),
    ]
