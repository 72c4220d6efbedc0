"""``jobdesc check``: every problem of a project at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jobdesc.commands.check_memory import CheckMemory
from jobdesc.documents.options import Options
from jobdesc.editions.store import load_editions
from jobdesc.errors import Problem, ProblemsError
from jobdesc.language.ru import plural
from jobdesc.language.titles import CASE_NAMES, OVERRIDE_FIELDS, forms_report, title_forms
from jobdesc.people.staff import collect_staff, staff_path
from jobdesc.project.kinds import KINDS
from jobdesc.project.loader import ROLES_DIR, Project, collect_project, role_files
from jobdesc.project.model import Document
from jobdesc.project.yamlio import YamlProblem, load_yaml

if TYPE_CHECKING:
    from jobdesc.render.recall import Recall


def check_project(root: Path, notes: list[str] | None = None) -> tuple[Project | None, list[Problem]]:
    """Load the config and every document, parse every template and render every output of the plan once.

    Remarks that are not problems (an edition not yet committed to git) go to ``notes``.
    """
    project, problems = collect_project(root)
    if project is None:
        return None, problems
    # lazy here and below: `jobdesc forms` imports this module for title_overrides() alone
    from jobdesc.commands.init import placeholders, update_schemas
    from jobdesc.editions.provenance import Verification

    # git reads the history while the documents render (not at all when it found nothing last time)
    verification = Verification(project.root, remembered=True)
    try:
        problems.extend(placeholders(project.root, project.files))
        update_schemas(project.root)  # the editor's schemas follow the installed jobdesc
        memory = CheckMemory(project)
        problems.extend(template_problems(project, memory))
        editions = edition_problems(project)
        staff = check_staff(project.root, notes)
        # rendered before git answers: its problems count only if the editions prove genuine
        rendered = render_outputs(project, memory) if not _errors(problems + editions + staff) else None
    finally:
        verification.wait()
    broken = {problem.path for problem in editions}  # one problem per file: its own comes first
    problems.extend(editions + verification.problems(notes if notes is not None else [], broken) + staff)
    if not problems:
        problems.extend(title_warnings(project))
    from jobdesc.sources.coverage import coverage_problems  # lazy: as above (`jobdesc forms`)

    problems.extend(coverage_problems(project))  # профстандарты, ОКЗ, ОКПДТР
    if rendered is not None and not _errors(problems):
        problems.extend(p for p in rendered if p not in problems)
    if not _errors(problems):
        # lazy: as above (`jobdesc forms`)
        from jobdesc.commands.approval_model import model_problems
        from jobdesc.commands.consistency import consistency_warnings

        problems.extend(model_problems(project, memory))
        problems.extend(consistency_warnings(project))
    memory.shelf.forget_unused()
    return project, problems


def template_problems(project: Project, memory: CheckMemory) -> list[Problem]:
    """Syntax errors in the templates in use and problems of the styles file (as an earlier check
    of the same templates and styles found them)."""
    key = memory.key("templates")
    remembered = memory.recall(key)
    if remembered is not None:
        return remembered[0]
    # lazy: Jinja loads only when the templates or styles changed since the last check
    from jobdesc.documents.compose import check_styles, check_templates

    found = check_templates(project) + check_styles(project)
    memory.keep(key, found)
    return found


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity != "warning"]


def render_outputs(project: Project, memory: CheckMemory) -> list[Problem]:
    """Render everything a build would make to the document model: the problems found. A document
    whose inputs are as at an earlier check is answered from that check (:mod:`check_memory`)."""
    problems: list[Problem] = []
    drafted: set[str] = set()  # kinds whose draft template has been rendered
    for document in project.documents.values():
        first_of_kind = document.kind_name not in drafted
        key = memory.key("outputs", document, str(first_of_kind))
        remembered = memory.recall(key)
        if remembered is None:
            recall = _recall(project)
            recall.trace = set()
            found, draft = _render_document(project, document, first_of_kind)
            memory.keep(key, found, {"draft": draft, "read": sorted(recall.trace)})
            recall.trace = None
        else:
            found, notes = remembered
            draft = bool(notes.get("draft"))
            memory.recalled.update(notes.get("read", ()))
        if draft:
            drafted.add(document.kind_name)
        problems.extend(p for p in found if p not in problems)
    key = memory.orders_key()
    remembered = memory.recall(key)
    found = _render_orders(project) if remembered is None else remembered[0]
    if remembered is None:
        memory.keep(key, found)
    problems.extend(p for p in found if p not in problems)
    if project.recall is not None:
        project.recall.used |= memory.recalled
        project.recall.forget_unused()
    return problems


def _recall(project: Project) -> Recall:
    """The project's Markdown read by earlier checks (:mod:`~jobdesc.render.recall`), opened when
    the first document has to be rendered."""
    if project.recall is None:
        # lazy: Markdown's reader loads only when a document is rendered (not answered from memory)
        from jobdesc.render.recall import Recall

        project.recall = Recall(project.root)
    return project.recall


def _render_document(project: Project, document: Document, first_of_kind: bool) -> tuple[list[Problem], bool]:
    """Render a document's outputs (its approved edition, amendments, drafts): the problems, and
    whether its draft was rendered. A draft shows the working text; unchanged since the last
    edition, it is a text rendered just now, so one draft per kind renders the drafts' template
    branches (``first_of_kind``)."""
    # lazy: the plan brings Jinja and the renderer, loaded only when a document is rendered
    from jobdesc.documents.plan import plan_document

    draft = False
    try:
        pending: list[str] = []
        for output in plan_document(project, document, project.root / "output", Options(), pending):
            output.check()
        if pending or first_of_kind:
            draft = True
            for output in plan_document(project, document, project.root / "output", Options(draft=True), []):
                output.check()
    except ProblemsError as exc:
        return list(dict.fromkeys(exc.problems)), draft
    return [], draft


def _render_orders(project: Project) -> list[Problem]:
    """Render the orders recorded in the editions (one date per number): the problems found."""
    from jobdesc.documents.orders import plan_orders  # lazy: as in _render_document

    try:
        for order in plan_orders(project, project.root / "output"):
            order.check()
    except ProblemsError as exc:
        return list(dict.fromkeys(exc.problems))
    return []


WARNED_CASES = ("gent", "datv")  # the cases the templates print


def title_overrides(project: Project, role_id: str) -> tuple[dict, int | None]:
    """The title fields written in the role file itself (``title_genitive``, ``gender`` …) and
    the line of ``title`` (the file as the project read it)."""
    shown = f"{ROLES_DIR}/{role_id}.yaml"
    try:
        data = load_yaml(project.root / shown, shown, project.root, project.files)
    except YamlProblem:
        return {}, None
    if not isinstance(data, dict):
        return {}, None
    fields = ("title_genitive", "title_dative", "title_instrumental", "gender")
    return {key: data[key] for key in fields if key in data}, getattr(data, "key_lines", {}).get("title")


def title_warnings(project: Project) -> list[Problem]:
    """A warning for every form of a title the dictionary is unsure of and the role does not give."""
    problems = []
    for role in project.roles.values():
        given, line = title_overrides(project, role.id)
        shown = f"{ROLES_DIR}/{role.id}.yaml"
        overrides = {case: given[name] for case, name in OVERRIDE_FIELDS.items() if name in given}
        forms = title_forms(role.title, overrides, given.get("gender"))
        why = "; ".join(forms.doubts)
        for case in WARNED_CASES:
            if case in forms.uncertain:
                form = forms.case(case)
                problems.append(
                    Problem(
                        shown,
                        line,
                        "title",
                        f"{CASE_NAMES[case]} падеж вычислен как «{form}», но {why}; проверьте форму и добавьте "
                        f"в роль строку «{OVERRIDE_FIELDS[case]}: {form}» (исправив ее, если неверна)",
                        "warning",
                    )
                )
        if "gender" in forms.uncertain:
            shown_gender = "женский" if forms.gender == "f" else "мужской"
            problems.append(
                Problem(
                    shown,
                    line,
                    "title",
                    f"род должности определен как {shown_gender}, но {why}; добавьте в роль строку "
                    f"«gender: {forms.gender}» (или «gender: {'m' if forms.gender == 'f' else 'f'}»)",
                    "warning",
                )
            )
    return problems


def check_warnings(root: Path, project: Project | None = None) -> list[Problem]:
    """What loads and builds but would print wrong: warnings (errors under ``check --strict``);
    ``project``: the loaded project, whose files are read already."""
    from jobdesc.project.lint import lint_project  # lazy: `jobdesc forms` imports this module (not lint)

    return lint_project(root, project.files if project is not None else None)


def edition_problems(project: Project) -> list[Problem]:
    """Integrity of every recorded edition file: fingerprints, numbering, dates, shape (git and
    signatures: :class:`~jobdesc.editions.provenance.Verification`)."""
    problems: list[Problem] = []
    for kind in KINDS:
        folder = project.root / kind.folder
        for editions in sorted(folder.glob("*.editions")) if folder.is_dir() else ():
            if editions.is_dir():
                load_editions(project.root, editions.name.removesuffix(".editions"), problems, kind, project.files)
    return problems


def check_staff(root: Path, notes: list[str] | None = None) -> list[Problem]:
    """Problems of ``staff.yaml`` (if there is one): shape, dates, unknown roles, repeated numbers;
    and of the acknowledgment records (``acks/``): shape, a changed record. ``notes``: who signed
    but is not in ``staff.yaml`` any more."""
    from jobdesc.people.acks import former_signers, load_acks  # lazy: `jobdesc forms` imports this module

    problems: list[Problem] = []
    staff = collect_staff(root, {path.stem for path in role_files(root)}, problems)
    acks = load_acks(root, problems)
    if notes is not None and not problems and staff_path(root).exists():
        notes.extend(former_signers(staff, acks))
    return problems


def check(root: Path, strict: bool) -> tuple[list[str], str]:
    """``jobdesc check``: the warnings and remarks (for standard error) and the summary line of a
    project without errors; the errors (and under ``strict`` the warnings) raise :class:`ProblemsError`."""
    from jobdesc.project.lint import without_repeats  # lazy: `jobdesc forms` imports this module (not lint)

    notes: list[str] = []
    project, found = check_project(root, notes)
    found += check_warnings(root, project)
    problems = [p for p in found if not p.is_warning]
    warnings = without_repeats([p for p in found if p.is_warning], problems)
    if problems or (strict and warnings):
        raise ProblemsError(problems + warnings)
    assert project is not None  # a project that does not load has problems
    remarks = [str(line) for line in ProblemsError(warnings).problems] + [f"внимание: {note}" for note in notes]
    count, policies = len(project.roles), len(project.policies)
    documents = f"{count} {plural(count, 'роль', 'роли', 'ролей')}" + (
        f" и {policies} {plural(policies, 'положение', 'положения', 'положений')}" if policies else ""
    )
    summary = f"Ошибок нет: {documents}, {'ее' if count + policies == 1 else 'их'} редакции, шаблоны, стили и jobdesc.yaml в порядке."
    if warnings:
        n = len(set(warnings))
        summary += f" Предупреждений: {n} (перечислены выше; с --strict это ошибки)."
    return remarks, summary


def forms(project: Project, role_id: str) -> str:
    """``jobdesc forms``: every form of a role's title, those the role file gives marked."""
    given, _ = title_overrides(project, role_id)
    return forms_report(project.roles[role_id].title, given)
