"""``jobdesc check``: every problem of a project at once."""

from __future__ import annotations

from pathlib import Path

from jobdesc.build import Options, check_styles, role_documents
from jobdesc.errors import Problem, ProblemsError
from jobdesc.project import Project, collect_project
from jobdesc.render.templates import environment, shown_template, template_names, translate


def check_project(root: Path) -> tuple[Project | None, list[Problem]]:
    """Load the config and every role, parse every template and render every role once."""
    project, problems = collect_project(root)
    if project is None:
        return None, problems
    from jobdesc.init import placeholders, update_schemas

    problems.extend(placeholders(project.root))
    update_schemas(project.root)  # the editor's schemas follow the installed jobdesc
    problems.extend(check_templates(project))
    problems.extend(check_styles(project))
    problems.extend(check_editions(project.root))
    if not problems:
        for role in project.roles.values():
            try:  # everything a build renders: the approved edition, amendments, drafts
                role_documents(project, role, project.root / "output", Options(), [])
                role_documents(project, role, project.root / "output", Options(draft=True), [])
            except ProblemsError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
    return project, problems


def check_editions(root: Path) -> list[Problem]:
    """Integrity of every recorded edition: fingerprints, numbering, dates, shape."""
    from jobdesc.editions import load_editions
    from jobdesc.project import ROLES_DIR

    problems: list[Problem] = []
    folder = root / ROLES_DIR
    for editions in sorted(folder.glob("*.editions")) if folder.is_dir() else ():
        if editions.is_dir():
            load_editions(root, editions.name.removesuffix(".editions"), problems)
    return problems


def check_templates(project: Project) -> list[Problem]:
    """Syntax errors in every template in use: the project's ``templates/`` over the shipped ones."""
    from jinja2 import TemplateSyntaxError

    env = environment(project.templates)
    problems = []
    if project.templates.exists() and not project.templates.is_dir():
        return [Problem("templates", None, "", "это файл, а должна быть папка шаблонов")]
    for name in template_names(project.templates):
        shown = shown_template(project.templates, name)
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(Problem(shown, exc.lineno, "", f"ошибка в шаблоне: {translate(exc.message or '')}"))
        except UnicodeDecodeError:
            problems.append(Problem(shown, None, "", "файл не в кодировке UTF-8"))
    return problems
