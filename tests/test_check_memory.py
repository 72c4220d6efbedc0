"""``check`` answers a document whose inputs are as at an earlier check from that check, and never
from a stale one: an edit of the document, of a document linked with it, of a template, or a
template that can no longer be read through the door is rendered (and reported) anew."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO_ROOT, copy_project, run_cli

import jobdesc.documents.plan as plan_module

SHIPPED_TEMPLATE = (REPO_ROOT / "jobdesc" / "templates" / "job-description.md.j2").read_text(encoding="utf-8")


def _rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents ``check`` renders from now on (each time it plans one)."""
    rendered: list[str] = []
    original = plan_module.plan_document

    def spy(project, document, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        rendered.append(document.id)
        return original(project, document, *args, **kwargs)

    monkeypatch.setattr(plan_module, "plan_document", spy)
    return rendered


def _check(root: Path):  # noqa: ANN202
    return run_cli("-C", root, "check")


def test_a_second_check_renders_nothing_and_says_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "p", editions="all")
    first = _check(root)
    assert first.exit_code == 0, first.output
    rendered = _rendered(monkeypatch)
    second = _check(root)
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert rendered == []


def test_an_edited_role_alone_is_rendered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "p", editions="all", linked=False)  # each role stands alone
    assert _check(root).exit_code == 0
    role = root / "roles" / "kam-manager.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("ДИ-014", "ДИ-015"), encoding="utf-8")
    rendered = _rendered(monkeypatch)
    result = _check(root)
    assert result.exit_code == 0, result.output
    assert set(rendered) == {"kam-manager"}


def test_a_problem_found_once_is_reported_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "p", linked=False)
    (root / "templates").mkdir()
    trap = '{% if role.id == "kam-head" %}{{ role.no_such_field.words }}{% endif %}\n'
    (root / "templates" / "job-description.md.j2").write_text(trap + SHIPPED_TEMPLATE, encoding="utf-8")
    first = _check(root)
    assert first.exit_code == 1
    assert "templates/job-description.md.j2:1" in first.stderr, first.stderr
    rendered = _rendered(monkeypatch)
    second = _check(root)
    assert rendered == []  # answered from the first check
    assert (second.exit_code, second.stderr) == (first.exit_code, first.stderr)


def test_an_edit_of_a_linked_document_renders_the_documents_linked_to_it(tmp_path: Path) -> None:
    """The manager's text names whom it reports to, computed from the head's title: a template that
    fails on that text fails once the head is renamed, though the manager's own file is unchanged."""
    root = copy_project(tmp_path / "p")
    (root / "templates").mkdir()
    trap = '{% if "главн" in role.reports_to|lower %}{{ role.no_such_field.words }}{% endif %}\n'
    (root / "templates" / "job-description.md.j2").write_text(trap + SHIPPED_TEMPLATE, encoding="utf-8")
    assert _check(root).exit_code == 0
    head = root / "roles" / "kam-head.yaml"
    text = head.read_text(encoding="utf-8")
    assert "title: Начальник отдела" in text
    head.write_text(text.replace("title: Начальник отдела", "title: Главный начальник отдела", 1), encoding="utf-8")
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/job-description.md.j2:1" in result.stderr, result.stderr


def test_a_template_turned_into_a_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", linked=False)
    (root / "templates").mkdir()
    template = root / "templates" / "job-description.md.j2"
    template.write_text(SHIPPED_TEMPLATE, encoding="utf-8")
    assert _check(root).exit_code == 0
    outside = tmp_path / "outside.md.j2"
    outside.write_text(SHIPPED_TEMPLATE, encoding="utf-8")  # the same text, read through a link
    template.unlink()
    template.symlink_to(outside)
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/job-description.md.j2" in result.stderr
    assert "за пределы проекта" in result.stderr, result.stderr


def test_a_new_edition_renders_the_orders_again(tmp_path: Path) -> None:
    """The orders are made from every edition record: an edition approved by a new order after a
    clean check brings that order's problem."""
    import datetime as dt

    from jobdesc.editions.store import Order, new_edition, write_edition
    from jobdesc.project.loader import load_project

    root = copy_project(tmp_path / "p", editions=False, linked=False)
    (root / "templates").mkdir()
    shipped_order = (REPO_ROOT / "jobdesc" / "templates" / "order.md.j2").read_text(encoding="utf-8")
    trap = '{% if order.number == "777-ОД" %}{{ order.no_such_field.words }}{% endif %}\n'
    (root / "templates" / "order.md.j2").write_text(trap + shipped_order, encoding="utf-8")
    assert _check(root).exit_code == 0  # no edition: no order
    project = load_project(root)
    approved = dt.date(2026, 11, 20)
    edition = new_edition(
        project.roles["kam-manager"], [], approved, project.config.approver, Order("777-ОД", approved)
    )
    write_edition(root, edition)
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/order.md.j2:1" in result.stderr, result.stderr


def _trap(root: Path, template: str, condition: str, subject: str = "role") -> None:
    """The project's copy of a shipped template that fails (an unknown field) when ``condition`` holds."""
    (root / "templates").mkdir(exist_ok=True)
    shipped = (REPO_ROOT / "jobdesc" / "templates" / template).read_text(encoding="utf-8")
    trap = f"{{% if {condition} %}}{{{{ {subject}.no_such_field.words }}}}{{% endif %}}\n"
    (root / "templates" / template).write_text(trap + shipped, encoding="utf-8")


def test_a_regulation_of_a_roles_unit_named_as_text_renders_the_role_again(tmp_path: Path) -> None:
    """A role whose ``department`` is the unit's name (no link) is endorsed by the head of the
    regulation of that unit (the visa under its text): a regulation naming that unit, added after a
    clean check, changes the role's text though the role's own file is unchanged."""
    root = copy_project(tmp_path / "p", linked=False)  # department: «Отдел по работе с ключевыми клиентами»
    _trap(root, "job-description.md.j2", "visas|length > 1")
    assert _check(root).exit_code == 0  # the lawyer's visa alone
    (root / "policies").mkdir()
    shutil.copy2(REPO_ROOT / "policies" / "kam-department.yaml", root / "policies" / "kam-department.yaml")
    head = root / "roles" / "kam-head.yaml"  # the head of the unit the regulation names
    head.write_text(
        re.sub(r"^department: .*$", "department: kam-department", head.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/job-description.md.j2:1" in result.stderr, result.stderr


def test_a_regulation_of_a_roles_unit_named_as_text_rebuilds_the_role(tmp_path: Path) -> None:
    """As above, for an incremental build: the role's instruction gets the head's visa, as a
    build from scratch writes it."""
    root = copy_project(tmp_path / "p", linked=False)
    assert run_cli("-C", root, "build", "--out", tmp_path / "out").exit_code == 0
    (root / "policies").mkdir()
    shutil.copy2(REPO_ROOT / "policies" / "kam-department.yaml", root / "policies" / "kam-department.yaml")
    head = root / "roles" / "kam-head.yaml"
    head.write_text(
        re.sub(r"^department: .*$", "department: kam-department", head.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    assert run_cli("-C", root, "build", "--out", tmp_path / "out").exit_code == 0
    assert run_cli("-C", root, "build", "--out", tmp_path / "fresh").exit_code == 0
    manager = "kam-manager.docx"
    assert (tmp_path / "out" / manager).read_bytes() == (tmp_path / "fresh" / manager).read_bytes()


def test_a_templates_folder_turned_into_a_file_is_reported(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", linked=False)
    assert _check(root).exit_code == 0
    (root / "templates").write_text("не папка\n", encoding="utf-8")
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates: это файл, а должна быть папка шаблонов" in result.stderr, result.stderr


def test_a_template_in_a_linked_subfolder_is_read_again_when_edited(tmp_path: Path) -> None:
    """``templates/parts`` a link to a folder of the project: what a template includes from it is
    an input like any template (of ``check`` and of an incremental build)."""
    root = copy_project(tmp_path / "p", linked=False)
    (root / "parts").mkdir()
    part = root / "parts" / "extra.md.j2"
    part.write_text("", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "parts").symlink_to(Path("..") / "parts", target_is_directory=True)
    include = '{% include "parts/extra.md.j2" %}\n'
    (root / "templates" / "job-description.md.j2").write_text(include + SHIPPED_TEMPLATE, encoding="utf-8")
    assert _check(root).exit_code == 0
    built = run_cli("-C", root, "build", "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    part.write_text("{{ role.no_such_field.words }}\n", encoding="utf-8")
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/parts/extra.md.j2:1" in result.stderr, result.stderr
    rebuilt = run_cli("-C", root, "build", "--out", tmp_path / "out")
    assert rebuilt.exit_code == 1, rebuilt.output
    assert "templates/parts/extra.md.j2:1" in rebuilt.stderr, rebuilt.stderr


def _analyst_outside_the_unit(root: Path) -> tuple[Path, str]:
    """A role «Аналитик …» of a unit no regulation describes, with its holder in ``staff.yaml``
    (hired before order 125-ОД, which approves the regulation's edition 2): its file, and its text
    joining the regulation's unit."""
    staff = (REPO_ROOT / "tests" / "data" / "staff" / "staff.yaml").read_text(encoding="utf-8")
    analyst = '  - name: Петров Петр Петрович\n    number: "0000030"\n    role: kam-analyst\n    hired: "2024-01-10"\n'
    (root / "staff.yaml").write_text(staff + analyst, encoding="utf-8")
    role = (root / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    role = re.sub(r"^title: .*$", "title: Аналитик по работе с ключевыми клиентами", role, count=1, flags=re.M)
    role = re.sub(r"^number: .*$", "number: ДИ-099", role, count=1, flags=re.M)
    path = root / "roles" / "kam-analyst.yaml"
    path.write_text(role.replace("department: kam-department", "department: Отдел аналитики"), "utf-8")
    return path, role


def test_a_role_joining_a_unit_renders_the_orders_again(tmp_path: Path) -> None:
    """The holders who read an order approving a regulation are the unit as it is now (the roles
    whose ``department`` names it): a role that joins the unit changes an order's sheet though no
    edition, template or setting changed."""
    root = copy_project(tmp_path / "p", editions="all")
    analyst, joined = _analyst_outside_the_unit(root)
    _trap(root, "order.md.j2", '"Аналитик" in holders|map(attribute="position")|join(" ")', "order")
    first = _check(root)
    assert first.exit_code == 0, first.output  # the analyst is not of the regulation's unit
    analyst.write_text(joined, encoding="utf-8")  # department: kam-department
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/order.md.j2:1" in result.stderr, result.stderr


def test_a_role_joining_a_unit_rebuilds_the_orders(tmp_path: Path) -> None:
    """As above, for an incremental build: the order's sheet names the new holder."""
    import docx

    root = copy_project(tmp_path / "p", editions="all")
    analyst, joined = _analyst_outside_the_unit(root)
    order = tmp_path / "out" / "orders" / "125-ОД.docx"

    def sheet() -> str:
        return "\n".join(
            cell.text for table in docx.Document(str(order)).tables for row in table.rows for cell in row.cells
        )

    assert run_cli("-C", root, "build", "--out", tmp_path / "out").exit_code == 0
    assert "Кузнецов" in sheet() and "Петров" not in sheet()
    analyst.write_text(joined, encoding="utf-8")
    result = run_cli("-C", root, "build", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Петров" in sheet()


def test_the_templates_walk_follows_links_inside_the_project_only(tmp_path: Path) -> None:
    """What the digests read of ``templates/``: a linked subfolder of the project, each folder once;
    not a link out of it (``/``: the loader refuses what is there) nor one to a folder holding the
    templates (``..``: the whole project), which are named as they are, not walked."""
    from jobdesc.build.inputs import template_files

    root = tmp_path / "p"
    (root / "parts").mkdir(parents=True)
    (root / "parts" / "extra.md.j2").write_text("", encoding="utf-8")
    (root / "roles").mkdir()
    (root / "roles" / "kam-manager.yaml").write_text("", encoding="utf-8")
    templates = root / "templates"
    templates.mkdir()
    (templates / "order.md.j2").write_text("", encoding="utf-8")
    (templates / "parts").symlink_to(Path("..") / "parts", target_is_directory=True)
    (templates / "again").symlink_to(Path("..") / "parts", target_is_directory=True)
    (templates / "loop").symlink_to(Path("."), target_is_directory=True)
    (templates / "up").symlink_to(Path(".."), target_is_directory=True)
    (templates / "root").symlink_to(Path("/"), target_is_directory=True)
    names = [name for name, _ in template_files(templates, root)]
    assert names == ["again/extra.md.j2", "loop", "order.md.j2", "parts", "root", "up"]
    outside = tmp_path / "elsewhere"  # templates/ itself a link out of the project, or to it
    outside.mkdir()
    (outside / "order.md.j2").write_text("", encoding="utf-8")
    shutil.rmtree(templates)
    for target in (outside, Path("/"), root):
        templates.symlink_to(target, target_is_directory=True)
        assert template_files(templates, root) == []
        templates.unlink()


def test_a_template_appearing_behind_a_templates_link_out_is_refused(tmp_path: Path) -> None:
    """``templates`` a link out of the project: its files are refused, not read (nor hashed); one
    that appears there after a clean check is refused then, not answered from memory."""
    root = copy_project(tmp_path / "p", linked=False)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "templates").symlink_to(outside, target_is_directory=True)
    assert _check(root).exit_code == 0  # nothing there: the shipped templates
    (outside / "job-description.md.j2").write_text(SHIPPED_TEMPLATE, encoding="utf-8")
    result = _check(root)
    assert result.exit_code == 1, result.output
    assert "templates/job-description.md.j2" in result.stderr, result.stderr
    assert "за пределы проекта" in result.stderr, result.stderr
