"""Benchmark: jobdesc on generated projects, side by side with docxtpl on equal content.

    python bench/bench.py                      # 1,000 roles, no-op build at 5,000
    python bench/bench.py --roles 200 --noop-roles 1000 --runs 3

Needs the bench extra (``pip install -e '.[bench]'``, which brings docxtpl). Never part of the
test suite: figures depend on the machine. What it measures:

* one document, one copy, rendered to DOCX bytes in memory — jobdesc and a docxtpl template of
  the same content (every clause with shared clauses and sub-clauses, the tables, the approval
  stamp, the visas, the acknowledgment sheet, the numbers' non-breaking hyphens); the texts of
  both are compared and every difference printed, and so is what the comparison leaves out
  (:data:`PEER_LIMITS`);
* a real batch, ``jobdesc build --force`` (load → validate → render → write files), on one core
  (``--jobs 1``) and on all cores, per role; and, on one core, the cost of a role beyond the
  start of the command (the batch less a build of one role, per further role; each the least CPU
  of ``--batch-runs`` first builds with an empty cache on disk);
* cold command times on a copy of the shipped project (median of ``--runs``): with jobdesc's
  cache on disk as the bench's earlier steps left it, and ``check`` also with an empty cache;
* a no-op ``build`` of a project of ``--noop-roles`` roles;
* a linked organisation (units, each with its regulation, its head and specialists reporting to
  the head; and the worst case, one unit of every role): the CPU of a first ``build --force --jobs 1``
  (the least of ``--org-runs``, each with an empty cache) at ``--org-roles`` roles against a quarter
  of them (linear: 4×) and against the same roles with their links written out as text; and the
  peak memory of that build at ``--memory-roles``.

Generated roles are the shipped ones with every own clause made unique (the role's number is
written into it), so no rendering cache hits across roles; the clauses of ``roles/_common.yaml``
stay shared, as they are in a real project. Each role has an approved edition 1, as the
shipped ones do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("kam-manager.yaml", "kam-head.yaml")
LINK_IDS = ("kam-department", "kam-head")
STANDALONE = {
    "department": "Отдел по работе с ключевыми клиентами",
    "reports_to": "начальнику отдела по работе с ключевыми клиентами",
}
APPROVED = dt.date(2026, 11, 20)
RACY_S = 2.5  # jobdesc trusts the recorded size and time of files older than 2 s
TARGETS = {
    "ratio": 0.20,  # jobdesc / docxtpl, one copy of equal content
    "per_role_core_ms": 6.0,  # a role in a batch, per core
    "check_ms": 250.0,
    "noop_ms": 100.0,  # issue 20
    "noop_many_s": 0.5,
    "linked_growth": 4.5,  # CPU of a linked organisation of N roles / of N/4 roles (linear: 4)
    "linked_over_unlinked": 1.5,  # CPU of N linked roles / the same roles with the links written out
    "memory_mib": 300.0,  # peak memory of build --force --jobs 1 at --memory-roles linked roles
}


# -- the generated project ---------------------------------------------------------------------


def make_project(folder: Path, count: int) -> None:
    """A project of ``count`` roles with unique clauses, each with an approved edition 1."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "jobdesc.yaml", folder / "jobdesc.yaml")
    roles = folder / "roles"
    roles.mkdir()
    shutil.copy(REPO / "roles" / "_common.yaml", roles / "_common.yaml")
    sources = [yaml.safe_load((REPO / "roles" / name).read_text(encoding="utf-8")) for name in SOURCES]
    for index in range(count):
        data = _unique(sources[index % len(sources)], index + 1)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        (roles / f"role-{index + 1:05d}.yaml").write_text(text, encoding="utf-8")
    _approve_all(folder)


def _unique(source: dict, n: int) -> dict:
    """A copy of a role whose every own clause (and sub-clause) names the role's number."""
    from jobdesc.project.model import CLAUSE_LISTS

    data = dict(source)
    data.pop("title_genitive", None)  # computed by jobdesc, as for most roles
    # each role stands alone: its links to the regulation and the head written out as the texts
    # they print (the shipped head's subordinates, computed from the links, written out too)
    data.update({key: text for key, text in STANDALONE.items() if key in data and data[key] in LINK_IDS})
    if source.get("category") == "managers":
        data.setdefault("subordinates", "менеджеры по работе с ключевыми клиентами")
    data["title"] = f"{source['title']} (направление {n})"
    data["number"] = f"ДИ-{n:05d}"
    mark = f" (участок {n}"

    def vary(text: str, k: int) -> str:
        body, dot = (text[:-1], ".") if text.endswith(".") else (text, "")
        return f"{body}{mark}.{k}){dot}"

    for key in CLAUSE_LISTS:
        items = []
        for k, item in enumerate(source.get(key) or (), start=1):
            if isinstance(item, str):
                items.append(vary(item, k))
            elif "items" in item:
                subs = [vary(sub, j) for j, sub in enumerate(item["items"], start=1)]
                items.append({"title": f"{item['title']}{mark}.{k})", "items": subs})
            else:
                items.append(item)  # - use: common
        if items:
            data[key] = items
    requirements = dict(source["requirements"])
    if requirements.get("other"):
        requirements["other"] = [vary(item, k) for k, item in enumerate(requirements["other"], start=1)]
    data["requirements"] = requirements
    return data


def _approve_all(folder: Path) -> None:
    """Edition 1 of every role, as ``jobdesc approve ROLE --date`` writes it (without re-checking
    the whole project once per role)."""
    from jobdesc.editions.store import new_edition, write_edition
    from jobdesc.project.loader import load_project

    project = load_project(folder)
    for document in (*project.roles.values(), *project.policies.values()):
        write_edition(project.root, new_edition(document, [], APPROVED, project.config.approver))


UNIT_SIZE = 15  # positions of a unit: its head and 14 specialists reporting to the head


def make_organisation(folder: Path, count: int, linked: bool) -> None:
    """An organisation of ``count`` roles in units of :data:`UNIT_SIZE`: each unit has its
    regulation (``policies/unit-NNN.yaml``), a head and specialists, every role with an approved
    edition 1 and unique clauses. ``linked``: a role's ``department`` names its unit's regulation,
    a specialist's ``reports_to`` names the head, the regulation's ``head`` names the head role (as a
    real organisation keeps them); otherwise the same roles with those texts written out."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "jobdesc.yaml", folder / "jobdesc.yaml")
    (folder / "roles").mkdir()
    (folder / "policies").mkdir()
    shutil.copy(REPO / "roles" / "_common.yaml", folder / "roles" / "_common.yaml")
    manager, head = (yaml.safe_load((REPO / "roles" / name).read_text(encoding="utf-8")) for name in SOURCES)
    regulation = yaml.safe_load((REPO / "policies" / "kam-department.yaml").read_text(encoding="utf-8"))
    units = -(-count // UNIT_SIZE)
    for unit in range(1, units + 1):
        unit_name = f"Отдел по работе с ключевыми клиентами № {unit}"
        head_id, policy_id = f"head-{unit:03d}", f"unit-{unit:03d}"
        head_title = f"{head['title']} (направление {unit})"
        policy = dict(regulation, title=f"Положение об отделе по работе с ключевыми клиентами № {unit}")
        policy.update(number=f"П-{unit:04d}", unit=unit_name)
        if linked:
            policy["head"] = head_id
        else:
            policy.pop("head", None)
        _dump(folder / "policies" / f"{policy_id}.yaml", policy)
        first = (unit - 1) * UNIT_SIZE
        for index in range(first, min(first + UNIT_SIZE, count)):
            is_head = index == first
            data = _unique(head if is_head else manager, index + 1)
            role_id = head_id if is_head else f"role-{index + 1:05d}"
            if is_head:
                data["title"] = head_title
            data["department"] = policy_id if linked else unit_name
            if is_head:
                data["reports_to"] = "коммерческому директору"
                if linked:
                    data.pop("subordinates", None)  # computed from the links
            else:
                data["reports_to"] = (
                    head_id if linked else f"начальнику отдела по работе с ключевыми клиентами № {unit}"
                )
            _dump(folder / "roles" / f"{role_id}.yaml", data)
    _approve_all(folder)


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


# -- one document: jobdesc and docxtpl on equal content ----------------------------------------


def approved(project, role_id: str):  # noqa: ANN001, ANN201
    """The role's last approved edition and its approval (what ``build`` renders)."""
    from jobdesc.documents.compose import approval_of
    from jobdesc.editions.store import load_editions

    last = load_editions(project.root, role_id, [])[-1]
    return last.document, approval_of(last)


def jobdesc_bytes(project, role, approval) -> bytes:  # noqa: ANN001
    """Copy 1 of a role's job description as DOCX bytes: what ``build`` does for one copy."""
    from jobdesc.documents.compose import document_bytes, render_document

    copies = render_document(project, role, 1, approval)
    return document_bytes(project, f"Должностная инструкция {role.title_genitive}", role, copies, approval)


def per_document(folder: Path, sample: int) -> tuple[dict[str, list[float]], list[str], int]:
    """Wall and CPU times (ms) of one copy with jobdesc and with docxtpl; differences; how many roles differ.

    Both start from the loaded role and its approval and end with the DOCX bytes in memory.
    """
    from jobdesc.project.loader import load_project

    project = load_project(folder)
    ids = list(project.roles)[:sample]
    template = folder / "docxtpl-template.docx"
    make_docxtpl_template(project, ids[0], template)
    env = docxtpl_environment()
    inputs = {role_id: approved(project, role_id) for role_id in ids}
    contexts = {role_id: docxtpl_context(project, *inputs[role_id]) for role_id in ids}
    jobdesc_bytes(project, *inputs[ids[-1]])  # warm-up: imports, the styles package
    docxtpl_bytes(template, contexts[ids[-1]], env)
    times: dict[str, list[float]] = {"jobdesc": [], "jobdesc cpu": [], "docxtpl": [], "docxtpl cpu": []}
    shown: list[str] = []
    differing = 0
    for role_id in ids:
        project.units.clear()  # rendered clauses of the last role: each role rendered afresh
        started, cpu = time.perf_counter(), time.process_time()
        data = jobdesc_bytes(project, *inputs[role_id])
        times["jobdesc"].append((time.perf_counter() - started) * 1000)
        times["jobdesc cpu"].append((time.process_time() - cpu) * 1000)
        started, cpu = time.perf_counter(), time.process_time()
        peer = docxtpl_bytes(template, contexts[role_id], env)
        times["docxtpl"].append((time.perf_counter() - started) * 1000)
        times["docxtpl cpu"].append((time.process_time() - cpu) * 1000)
        delta = difference(data, peer)
        if delta:
            differing += 1
            if not shown:
                shown = [f"{role_id}:", *delta]
    return times, shown, differing


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_lines(data: bytes) -> list[str]:
    """A line per paragraph of the body and of table cells: its style, page break, text, bold runs."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    lines = []
    for p in root.iter(f"{{{_W}}}p"):
        style = p.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        brk = p.find(f"{{{_W}}}pPr/{{{_W}}}pageBreakBefore") is not None
        in_table = any(a.tag == f"{{{_W}}}tbl" for a in p.iterancestors())
        special = {f"{{{_W}}}tab": "\t", f"{{{_W}}}noBreakHyphen": "\u2011"}  # the same in Word as U+2011
        text = "".join(special.get(n.tag) or n.text or "" for n in p.iter(f"{{{_W}}}t", *special))
        bold = [
            "".join(t.text or "" for t in r.iter(f"{{{_W}}}t"))
            for r in p.iter(f"{{{_W}}}r")
            if r.find(f"{{{_W}}}rPr/{{{_W}}}b") is not None
        ]
        shown = style.get(f"{{{_W}}}val") if style is not None else "-"
        lines.append(
            f"{'cell ' if in_table else ''}{shown}{' [new page]' if brk else ''}: {text}"
            + (f"  (bold: {', '.join(bold)})" if bold else "")
        )
    return lines


def difference(ours: bytes, theirs: bytes) -> list[str]:
    """The paragraphs that differ in style, text or bold (unified diff, jobdesc → docxtpl), or nothing."""
    a, b = docx_lines(ours), docx_lines(theirs)
    if a == b:
        return []
    return [line for line in difflib.unified_diff(a, b, "jobdesc", "docxtpl", n=0, lineterm="")][2:]


def docxtpl_environment():  # noqa: ANN201
    """A Jinja environment with the filters the jobdesc templates use (same Python functions)."""
    import jinja2

    from jobdesc.render.templates import filters

    env = jinja2.Environment(autoescape=False)
    env.filters.update(filters())
    # the hyphen of a registration or order number never breaks: jobdesc's typesetting writes it as
    # Word's non-breaking hyphen, a docxtpl template as the character U+2011 (the same in Word)
    env.filters["nobreak_hyphen"] = lambda text: str(text).replace("-", "\u2011")
    return env


def docxtpl_context(project, role, approval) -> dict:  # noqa: ANN001
    """What the docxtpl template is given: the same objects the jobdesc template gets."""
    from jobdesc.documents.compose import visas_of

    config = project.config
    return {
        "visas": visas_of(project, role),
        "org": config.organisation,
        "approver": approval.approver or config.approver,
        "settings": config.document,
        "role": role,
        "approval": approval,
        "copy": {"number": 1, "total": 1},
        "blank_date": "«___» ____________ 20___ г.",
    }


def docxtpl_bytes(template: Path, context: dict, env) -> bytes:  # noqa: ANN001
    """One document with docxtpl, saved to bytes in memory."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(context, env)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The docxtpl template, paragraph by paragraph: (style, text). Clause numbers are counted in the
# template (a namespace per section), as a docxtpl user would; «{%p … %}» are docxtpl's
# paragraph-level tags, «{%tr … %}» its table-row tags.
SECTION_LISTS = (
    ("Права", "{{ role.title }} имеет право:", "rights"),
    ("Ответственность", "{{ role.title }} несет ответственность:", "responsibility"),
    ("Взаимоотношения (связи по должности)", None, "relationships"),
    (
        "Критерии оценки эффективности работы",
        "Эффективность работы {{ role.title_genitive }} оценивается по следующим показателям:",
        "performance_criteria",
    ),
    ("Условия работы", None, "working_conditions"),
    ("Заключительные положения", None, "final_provisions"),
)


def _template_paragraphs() -> list[tuple[str, str]]:
    def sub(listing: str) -> list[tuple[str, str]]:  # sub-clauses of clause 1.n.c
        return [
            ("", f"{{%p for item in {listing} %}}"),
            ("JDSubclause", "1.{{ n.c }}.{{ loop.index }}. {{ item }}"),
            ("", "{%p endfor %}"),
        ]

    def clause(text: str) -> list[tuple[str, str]]:
        return [("", "{%p set n.c = n.c + 1 %}"), ("JDClause", "1.{{ n.c }}. " + text)]

    approval = [
        ("", "{%p if approval.order %}"),
        ("JDApproval", "УТВЕРЖДЕНА"),
        ("JDApproval", "приказом {{ approver.position|genitive }}"),
        ("JDApproval", "от {{ approval.order.date|date_numeric }} №\u00a0{{ approval.order.number|nobreak_hyphen }}"),
        ("", "{%p else %}"),
        ("JDApproval", "УТВЕРЖДАЮ"),
        ("JDApproval", "{{ approver.position }} {{ org.short_name|nowrap }}"),
        ("JDApproval", "____________ {{ approver.name|initials }}"),
        ("JDApproval", "{{ approval.date|date_words }}"),
        ("", "{%p endif %}"),
    ]
    requisites = [
        ("JDRequisite", "{{ org.name }}"),
        ("JDRequisite", "({{ org.short_name }})"),
        ("JDRequisite", ""),
        ("JDRequisite", "**ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ**"),
        ("JDRequisite", '{{ approval.date|date_numeric }} №\u00a0{{ (role.number or "________")|nobreak_hyphen }}'),
        ("JDRequisite", "г.\u00a0{{ org.city }}"),
    ]
    first = [
        ("JDCopyMark", "Экземпляр №\u00a01 — хранится у работодателя"),
        ("table", ""),
        ("JDTitle", "{{ role.title_genitive }}"),
        ("", "{%p if approval.edition %}"),
        (
            "JDCenter",
            "Редакция №\u00a0{{ approval.edition }}, утверждена {% if approval.order %}приказом от "
            "{{ approval.order.date|date_numeric }} №\u00a0{{ approval.order.number|nobreak_hyphen }}{% else %}"
            "{{ approval.date|date_words }}{% endif %}{% if approval.effective != approval.date %}, "
            "вводится в действие с {{ approval.effective|date_words }}{% endif %}",
        ),
        ("", "{%p endif %}"),
        ("", "{%p set n = namespace(c=0) %}"),
        ("JDSection", "1. Общие положения"),
        *clause(
            "{{ role.title }} относится к категории {{ role.category_genitive }} и входит в структурное "
            "подразделение «{{ role.department }}»."
        ),
        *clause(
            "{{ role.title }} назначается на должность и освобождается от нее {{ role.appointment.by }}"
            "{% if role.appointment.on_proposal_of %} по представлению {{ role.appointment.on_proposal_of }}"
            "{% endif %}."
        ),
        *clause("{{ role.title }} подчиняется непосредственно {{ role.reports_to }}."),
        ("", "{%p if role.subordinates %}"),
        *clause("В подчинении {{ role.title_genitive }} находятся {{ role.subordinates }}."),
        ("", "{%p endif %}"),
        ("", "{%p if role.substitute %}"),
        *clause(
            "На время отсутствия {{ role.title_genitive }} его обязанности исполняет {{ role.substitute }}, "
            "который приобретает соответствующие права и несет ответственность за надлежащее исполнение "
            "возложенных на него обязанностей."
        ),
        ("", "{%p endif %}"),
        *clause("На должность {{ role.title_genitive }} назначается лицо, отвечающее следующим требованиям:"),
        ("", "{%p set s = namespace(c=1) %}"),
        ("JDSubclause", "1.{{ n.c }}.1. Образование: {{ role.requirements.education }}."),
        ("", "{%p if role.requirements.experience %}"),
        ("", "{%p set s.c = s.c + 1 %}"),
        ("JDSubclause", "1.{{ n.c }}.{{ s.c }}. Опыт работы: {{ role.requirements.experience }}."),
        ("", "{%p endif %}"),
        ("", "{%p if role.requirements.languages %}"),
        ("", "{%p set s.c = s.c + 1 %}"),
        ("JDSubclause", "1.{{ n.c }}.{{ s.c }}. Иностранные языки: {{ role.requirements.languages }}."),
        ("", "{%p endif %}"),
        ("", "{%p for item in role.requirements.other %}"),
        ("JDSubclause", "1.{{ n.c }}.{{ s.c + loop.index }}. {{ item }}"),
        ("", "{%p endfor %}"),
        *clause("{{ role.title }} должен знать:"),
        *sub("role.knowledge"),
        ("", "{%p if role.guiding_documents %}"),
        *clause("В своей деятельности {{ role.title|lower_first }} руководствуется:"),
        *sub("role.guiding_documents"),
        ("", "{%p endif %}"),
        ("", "{%p if role.skills %}"),
        *clause("{{ role.title }} должен уметь:"),
        *sub("role.skills"),
        ("", "{%p endif %}"),
        ("", "{%p if role.personal_qualities %}"),
        *clause("Личные качества, необходимые для работы в должности:"),
        *sub("role.personal_qualities"),
        ("", "{%p endif %}"),
        ("JDSection", "2. Должностные обязанности"),
        ("JDBody", "{{ role.title }} выполняет следующие должностные обязанности:"),
        ("", "{%p for duty in role.duties %}"),
        ("", "{%p if duty is string %}"),
        ("JDClause", "2.{{ loop.index }}. {{ duty }}"),
        ("", "{%p else %}"),
        ("JDClause", "2.{{ loop.index }}. {{ duty.title }}:"),
        ("", "{%p for item in duty.items %}"),
        ("JDSubclause", "2.{{ loop.index0 and loop.index0 }}{{ '' }}"),  # replaced below
        ("", "{%p endfor %}"),
        ("", "{%p endif %}"),
        ("", "{%p endfor %}"),
        ("", "{%p set sec = namespace(n=2) %}"),
    ]
    # Sub-clauses of a duty need the outer loop's index: keep it in a variable.
    at = first.index(("", "{%p for item in duty.items %}"))
    first[at : at + 2] = [
        ("", "{%p set d = loop.index %}"),
        ("", "{%p for item in duty.items %}"),
        ("JDSubclause", "2.{{ d }}.{{ loop.index }}. {{ item }}"),
    ]
    rest = []
    for heading, lead, field in SECTION_LISTS:
        rest += [
            ("", f"{{%p if role.{field} %}}"),
            ("", "{%p set sec.n = sec.n + 1 %}"),
            ("JDSection", "{{ sec.n }}. " + heading),
        ]
        if lead:
            rest.append(("JDBody", lead))
        rest += [
            ("", f"{{%p for item in role.{field} %}}"),
            ("JDClause", "{{ sec.n }}.{{ loop.index }}. {{ item }}"),
            ("", "{%p endfor %}"),
            ("", "{%p endif %}"),
        ]
    rest += [
        ("", "{%p if settings.drafted_by %}"),
        ("JDSignature", "{{ settings.drafted_by.position }}\t____________ {{ settings.drafted_by.name|initials }}"),
        ("", "{%p endif %}"),
        # the visas (the head of the unit, the lawyer): position, then signature, name and date by hand
        ("", "{%p if visas %}"),
        ("JDSignature", "СОГЛАСОВАНО:"),
        ("", "{%p for visa in visas %}"),
        ("JDSignature", "{{ visa.position }}"),
        (
            "JDSignature",
            '____________ {{ visa.name|initials if visa.name else "________________" }}   '
            "«___»\u00a0____________\u00a020___\u00a0г.",
        ),
        ("", "{%p endfor %}"),
        ("", "{%p endif %}"),
    ]
    return first + rest, requisites, approval


def make_docxtpl_template(project, role_id: str, path: Path) -> None:  # noqa: ANN001
    """A Word template of the same document, made from a jobdesc DOCX of the same styles: the
    body replaced by docxtpl paragraphs, the registration and acknowledgment tables, the
    requisites and approval stamp beside each other in a borderless table as jobdesc lays them."""
    import copy

    import docx
    from docx.table import Table as DocxTable

    document = docx.Document(io.BytesIO(jobdesc_bytes(project, *approved(project, role_id))))
    body = document.element.body
    tables = [copy.deepcopy(table._tbl) for table in document.tables]
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    paragraphs, requisites, approval = _template_paragraphs()
    for style, text in paragraphs:
        if style == "table":  # requisites | approval stamp side by side, in jobdesc's table
            stamp = copy.deepcopy(tables[0])
            body[-1].addprevious(stamp)  # before the section properties
            for cell, lines in zip(DocxTable(stamp, document._body).rows[0].cells, (requisites, approval)):
                for old in list(cell._tc.iterchildren(f"{{{_W}}}p")):
                    cell._tc.remove(old)
                for line_style, line in lines:
                    _add(cell.add_paragraph(style=_style(document, line_style) if line_style else None), line)
            continue
        _add(document.add_paragraph(style=_style(document, style) if style else None), text)
    # the registration sheet (only with amendments) and the acknowledgment sheet, with page breaks
    document.add_paragraph().add_run("{%p if approval.registrations %}")
    heading = document.add_paragraph("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ", style=_style(document, "JDTitle"))
    heading.paragraph_format.page_break_before = True
    registration = document.add_table(rows=2, cols=6, style=_style(document, "JDTable"))
    heads = ("№ изменения", "Пункты (изменены / введены / исключены)", "Основание (приказ: дата, №)")
    heads += ("Дата введения в действие", "Ф.И.О., должность внесшего", "Подпись")
    cells = ("{{ row.number }}", "{{ row.clauses }}", "{{ row.basis }}", "{{ row.effective|date_numeric }}", "", "")
    for row, texts in ((registration.rows[0], heads), (registration.rows[1], cells)):
        for cell, text in zip(row.cells, texts):
            paragraph = cell.paragraphs[0]
            paragraph.style = _style(document, "JDTableText")
            _add(paragraph, f"**{text}**" if texts is heads else text)
    _row_loop(registration, "{%tr for row in approval.registrations %}")
    document.add_paragraph().add_run("{%p endif %}")
    heading = document.add_paragraph("ЛИСТ ОЗНАКОМЛЕНИЯ", style=_style(document, "JDTitle"))
    heading.paragraph_format.page_break_before = True
    document.add_paragraph(
        "с должностной инструкцией {{ role.title_genitive }} от\u00a0{{ approval.date|date_numeric }} "
        '№\u00a0{{ (role.number or "________")|nobreak_hyphen }}, редакция №\u00a0{{ approval.edition }}',
        style=_style(document, "JDCenter"),
    )
    sheet = tables[-1]  # jobdesc's own acknowledgment table: header and one row, the row repeated
    body[-1].addprevious(sheet)
    rows = sheet.findall(f"{{{_W}}}tr")
    for extra in rows[2:]:
        sheet.remove(extra)
    rows[1].find(f".//{{{_W}}}t").text = "{{ loop.index }}"
    _row_loop(DocxTable(sheet, document._body), "{%tr for row in range(settings.acknowledgment_rows) %}")
    sect = [child for child in body if child.tag.endswith("}sectPr")]
    for child in sect:
        body.remove(child)
        body.append(child)
    document.save(str(path))


def _add(paragraph, text: str) -> None:  # noqa: ANN001
    if text.startswith("**") and text.endswith("**"):
        paragraph.add_run(text[2:-2]).bold = True
    elif text:
        paragraph.add_run(text)


def _style(document, style_id: str):  # noqa: ANN001, ANN202
    return next(style for style in document.styles if style.style_id == style_id)


def _row_loop(table, opening: str) -> None:  # noqa: ANN001
    """docxtpl's row loop: a row with the opening tag, the repeated row, a row with the end tag."""
    import copy

    template_row = table.rows[1]._tr
    before, after = copy.deepcopy(template_row), copy.deepcopy(template_row)
    for row, text in ((before, opening), (after, "{%tr endfor %}")):
        cells = row.findall(f"{{{_W}}}tc")
        for cell in cells:
            for paragraph in cell.findall(f"{{{_W}}}p"):
                for run in paragraph.findall(f"{{{_W}}}r"):
                    paragraph.remove(run)
        from docx.text.paragraph import Paragraph

        Paragraph(cells[0].findall(f"{{{_W}}}p")[0], None).add_run(text)
    template_row.addprevious(before)
    template_row.addnext(after)


PEER_LIMITS = (
    "compared: one copy of one (what docxtpl renders); the docxtpl template has no second copy, so not the "
    "column «Второй экземпляр получил(а)» that jobdesc adds to the acknowledgment sheet of copy 1 of two, "
    "and it writes a number's non-breaking hyphen as the character U+2011 (jobdesc: Word's w:noBreakHyphen)"
)


# -- a real batch, cold commands, no-op ----------------------------------------------------------


CACHE: dict[str, Path] = {}  # "dir": jobdesc's cache on disk for this run of the bench (empty at its start)


# jobdesc runs as installed: Python writes its byte code (a shell that sets PYTHONDONTWRITEBYTECODE
# would have every command compile its modules afresh, some 80 ms a start)
_INSTALLED_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
PEAK_KIB: list[int] = []  # the peak resident memory of the last command's largest process (KiB)


# Linux counts in a child's peak memory the memory of the process it was spawned from (the peak
# of the parent's address space at exec): this bench holds thousands of roles it generated, so a
# command whose peak is measured is started by a small Python process that reports its usage.
_SPAWN = """import os, sys
null = os.open(os.devnull, os.O_WRONLY)
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def command(folder: Path, *args: str, cache: Path | None = None, peak: bool = False) -> tuple[float, float, str]:
    """Wall and CPU seconds (the process and its workers) and the last stderr line of ``jobdesc ARGS``
    (with the bench's own cache on disk, or ``cache``); with ``peak``, its peak memory goes to
    :data:`PEAK_KIB` (measured from a small spawning process, see :data:`_SPAWN`)."""
    started = time.perf_counter()
    argv = [sys.executable, "-m", "jobdesc", "-C", str(folder), *args]
    process = subprocess.Popen(
        [sys.executable, "-c", _SPAWN, *argv] if peak else argv,
        stdout=subprocess.PIPE if peak else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**_INSTALLED_ENV, "CI": "1", "JOBDESC_CACHE_DIR": str(cache or CACHE["dir"])},
    )
    err = process.stderr.read() if process.stderr else ""  # until the command (and the spawner) ends
    out = process.stdout.read() if process.stdout else ""  # the spawner's one line
    _, status, usage = os.wait4(process.pid, 0)  # the spawner's usage includes the command's
    wall = time.perf_counter() - started
    measured = out.split() if peak else []  # the command's own peak and CPU, without the spawner's
    PEAK_KIB[:] = [int(measured[0]) if measured else usage.ru_maxrss]
    cpu = float(measured[1]) if measured else usage.ru_utime + usage.ru_stime
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"jobdesc {' '.join(args)} failed:\n{err}")
    lines = err.strip().splitlines()
    return wall, cpu, lines[-1] if lines else ""


def check_output(folder: Path, count: int) -> None:
    """The batch wrote a document for every role, and they are DOCX files."""
    files = sorted((folder / "output").glob("*.docx"))
    if len(files) != count:
        raise SystemExit(f"the batch wrote {len(files)} documents for {count} roles")
    with zipfile.ZipFile(files[-1]) as package:
        package.read("word/document.xml")


def commit_all(folder: Path) -> None:
    """Make ``folder`` a git repository with everything in one commit."""
    for git_args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Shipped project"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *git_args],
            cwd=folder,
            check=True,
            capture_output=True,
        )


def cold_after_edit(folder: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``check`` run just after a clause of kam-manager was
    reworded (a text no earlier run has seen: its documents are read anew, as on a real commit)."""
    path = folder / "roles" / "kam-manager.yaml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    walls, cpus = [], []
    try:
        for run in range(runs):
            edited = dict(data, duties=[f"{data['duties'][0]} (правка {run + 1})", *data["duties"][1:]])
            path.write_text(yaml.safe_dump(edited, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
            wall, cpu, _ = command(folder, "check")
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    finally:
        path.write_text(original, encoding="utf-8")
    return statistics.median(walls), statistics.median(cpus)


def cold(folder: Path, args: list[str], runs: int, empty_cache: bool = False) -> tuple[float, float]:
    """Median wall and median CPU milliseconds of ``runs`` runs of a command (``empty_cache``: each
    with an empty cache on disk, as the first run after installing jobdesc)."""
    walls, cpus = [], []
    for run in range(runs):
        cache = folder.parent / f"empty-cache-{run}" if empty_cache else None
        wall, cpu, _ = command(folder, *args, cache=cache)
        walls.append(wall * 1000)
        cpus.append(cpu * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _least(folder: Path, runs: int, *args: str) -> tuple[float, float, str]:
    """Wall and CPU seconds and the last line of the run of ``jobdesc ARGS`` with the least CPU of
    ``runs``, each a first build (no ``output/``) with an empty cache on disk."""
    found = []
    for run in range(runs):
        shutil.rmtree(folder / "output", ignore_errors=True)
        cache = folder.parent / f"{folder.name}-cache-{run}"
        found.append(command(folder, *args, cache=cache))
        shutil.rmtree(cache, ignore_errors=True)
    return min(found, key=lambda result: result[1])


def _first_build_cpu(folder: Path, runs: int) -> float:
    """The least CPU of ``runs`` first builds (``build --force --jobs 1``, no ``output/``, an empty
    cache on disk each time): on a shared machine the least is the one least disturbed."""
    return _least(folder, runs, "build", "--force", "--jobs", "1")[1]


def _linked_organisation(temp: Path, count: int, row, runs: int = 3) -> None:  # noqa: ANN001 - main's row()
    """CPU of a first ``build --force --jobs 1`` (the least of ``runs``) over linked organisations of
    ``count`` and ``count / 4`` roles and over the same ``count`` roles unlinked: in units of :data:`UNIT_SIZE` (a real
    organisation) and as one unit of them all (every role linked to one regulation and one head,
    the worst case for the texts computed from links)."""
    global UNIT_SIZE
    usual = UNIT_SIZE
    try:
        for shape, size in (("units of 15", usual), ("one unit", count + 1)):
            UNIT_SIZE = size
            cpus = {}
            for name, roles, linked in (
                ("linked", count // 4, True),
                ("linked", count, True),
                ("unlinked", count, False),
            ):
                folder = temp / f"org-{name}-{roles}"
                make_organisation(folder, roles, linked)
                cpus[name, roles] = _first_build_cpu(folder, runs)
                shutil.rmtree(folder)
                row(
                    f"organisation, {shape}, {roles} {name} roles: build --force --jobs 1",
                    "",
                    f"{cpus[name, roles]:.2f} s",
                )
            row(
                f"  CPU of {count} linked / {count // 4} linked ({shape})",
                "",
                f"{cpus['linked', count] / cpus['linked', count // 4]:.2f}",
                f"≤ {TARGETS['linked_growth']}",
            )
            row(
                f"  CPU of {count} linked / {count} unlinked ({shape})",
                "",
                f"{cpus['linked', count] / cpus['unlinked', count]:.2f}",
                f"≤ {TARGETS['linked_over_unlinked']}",
            )
    finally:
        UNIT_SIZE = usual


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=1000, help="roles in the batch project (default 1000)")
    parser.add_argument("--sample", type=int, default=200, help="documents timed one by one (default 200)")
    parser.add_argument("--noop-roles", type=int, default=5000, help="roles of the no-op build (default 5000)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each cold command; the median (default 7)")
    parser.add_argument(
        "--org-roles", type=int, default=600, help="roles of the linked organisation, against a quarter (default 600)"
    )
    parser.add_argument(
        "--batch-runs", type=int, default=3, help="first builds of the batch and of one role; the least CPU (default 3)"
    )
    parser.add_argument(
        "--org-runs", type=int, default=3, help="first builds of each organisation; the least CPU (default 3)"
    )
    parser.add_argument(
        "--memory-roles", type=int, default=5000, help="linked roles of the peak-memory build (default 5000; 0: none)"
    )
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str, str, str]] = []
    load = [os.getloadavg()[0]]

    def row(what: str, wall: str, cpu: str, target: str = "") -> None:
        rows.append((what, wall, cpu, target))
        load.append(os.getloadavg()[0])
        print(f"  {what}: {wall} (CPU {cpu}) {target}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="jobdesc-bench-") as temp:
        CACHE["dir"] = Path(temp) / "cache"
        batch = Path(temp) / "batch"
        make_project(batch, args.roles)

        sample = min(args.sample, args.roles)
        times, difference, differing = per_document(batch, sample)
        for name, key in (("jobdesc, one copy to DOCX bytes", "jobdesc"), ("docxtpl, the same content", "docxtpl")):
            row(
                f"{name}, median of {sample}",
                f"{statistics.median(times[key]):.2f} ms",
                f"{statistics.median(times[key + ' cpu']):.2f} ms",
                "" if key == "jobdesc" else "peer",
            )
        row(
            "ratio jobdesc / docxtpl (medians)",
            f"{statistics.median(times['jobdesc']) / statistics.median(times['docxtpl']):.3f}",
            f"{statistics.median(times['jobdesc cpu']) / statistics.median(times['docxtpl cpu']):.3f}",
            f"≤ {TARGETS['ratio']:.2f}",
        )

        wall, cpu, said_one = _least(batch, args.batch_runs, "build", "--force", "--jobs", "1")
        check_output(batch, args.roles)
        row(
            f"build --force --jobs 1, {args.roles} roles: per role",
            f"{wall / args.roles * 1000:.2f} ms",
            f"{cpu / args.roles * 1000:.2f} ms",
            f"≤ {TARGETS['per_role_core_ms']:.0f} ms",
        )
        first = sorted(path.stem for path in (batch / "roles").glob("role-*.yaml"))[0]
        # with an empty cache on disk, as the batch had: the same start
        wall_one, cpu_one, _ = _least(batch, args.batch_runs, "build", "--force", "--jobs", "1", first)
        row(
            "  the same, beyond the start: (batch − a build of one role) / (roles − 1)",
            f"{(wall - wall_one) / (args.roles - 1) * 1000:.2f} ms" if args.roles > 1 else "",
            f"{(cpu - cpu_one) / (args.roles - 1) * 1000:.2f} ms" if args.roles > 1 else "",
        )
        row(
            "  a build of one role (the start: imports, caches, the styles package)",
            f"{wall_one * 1000:.0f} ms",
            f"{cpu_one * 1000:.0f} ms",
        )
        wall, cpu, said_all = command(batch, "build", "--force", "--jobs", str(cores))
        row(
            f"build --force --jobs {cores}, {args.roles} roles: per role × cores",
            f"{wall * cores / args.roles * 1000:.2f} ms",
            f"{cpu / args.roles * 1000:.2f} ms",
            f"≤ {TARGETS['per_role_core_ms']:.0f} ms",
        )
        row(f"  the same: wall per role on {cores} cores", f"{wall / args.roles * 1000:.2f} ms", "")

        _linked_organisation(Path(temp), args.org_roles, row, args.org_runs)
        if args.memory_roles:
            many_linked = Path(temp) / "memory"
            make_organisation(many_linked, args.memory_roles, linked=True)
            wall, cpu, _ = command(many_linked, "build", "--force", "--jobs", "1", peak=True)
            row(
                f"build --force --jobs 1, {args.memory_roles} linked roles: peak memory",
                f"{PEAK_KIB[0] / 1024:.0f} MiB",
                f"{cpu:.1f} s",
                f"≤ {TARGETS['memory_mib']:.0f} MiB",
            )
            shutil.rmtree(many_linked)

        shipped = Path(temp) / "shipped"
        shutil.copytree(
            REPO,
            shipped,
            ignore=shutil.ignore_patterns(
                "output", ".git", ".venv", "bench", "tests", "jobdesc", "*.egg-info", "tools"
            ),
        )
        commit_all(shipped)  # kept in git, as an organisation keeps it: check verifies the editions against git
        for what, command_args, target in (
            ("jobdesc --help", ["--help"], ""),
            ("jobdesc check, shipped project", ["check"], f"≤ {TARGETS['check_ms']:.0f} ms"),
            ("jobdesc build --force, shipped project", ["build", "--force"], ""),
        ):
            wall_ms, cpu_ms = cold(shipped, command_args, args.runs)
            row(f"{what}, cold", f"{wall_ms:.0f} ms", f"{cpu_ms:.0f} ms", target)
        wall_ms, cpu_ms = cold(shipped, ["check"], args.runs, empty_cache=True)
        row("jobdesc check, shipped project, cold, empty cache on disk", f"{wall_ms:.0f} ms", f"{cpu_ms:.0f} ms")
        wall_ms, cpu_ms = cold_after_edit(shipped, args.runs)
        row(
            "jobdesc check, shipped project, cold, a clause of a role just edited",
            f"{wall_ms:.0f} ms",
            f"{cpu_ms:.0f} ms",
        )
        time.sleep(RACY_S)  # files written within the last seconds are read, not trusted by their times
        command(shipped, "build")  # records the outputs' sizes and times
        wall_ms, cpu_ms = cold(shipped, ["build"], args.runs)
        row(
            "jobdesc build, nothing changed, shipped project",
            f"{wall_ms:.0f} ms",
            f"{cpu_ms:.0f} ms",
            f"≤ {TARGETS['noop_ms']:.0f} ms",
        )

        if args.noop_roles:  # --noop-roles 0: this step left out
            many = Path(temp) / "many"
            make_project(many, args.noop_roles)
            command(many, "build")
            os.sync()  # the 5,000 documents just written reach the disk now, not during the timed runs
            time.sleep(RACY_S)
            command(many, "build")
            wall_ms, cpu_ms = cold(many, ["build"], max(3, args.runs // 2))
            row(
                f"jobdesc build, nothing changed, {args.noop_roles} roles",
                f"{wall_ms / 1000:.2f} s",
                f"{cpu_ms / 1000:.2f} s",
                f"≤ {TARGETS['noop_many_s']} s",
            )

    width = max(len(r[0]) for r in rows)
    print(
        f"jobdesc benchmark: {cores} cores, Python {sys.version.split()[0]}, "
        f"load average {min(load):.1f}–{max(load):.1f} during the run"
    )
    print(f"{'':<{width}}  {'wall':>12}  {'CPU':>12}  target")
    for what, wall_text, cpu_text, target in rows:
        print(f"{what:<{width}}  {wall_text:>12}  {cpu_text:>12}  {target}")
    print(f"batch --jobs 1 said: {said_one}")
    print(f"batch --jobs {cores} said: {said_all}")
    if difference:
        print(f"docxtpl's document differs from jobdesc's in {differing} of {sample} roles; the first:")
        print("\n".join(difference[:40]))
    else:
        print(
            f"docxtpl's and jobdesc's documents have the same paragraphs, styles, page breaks, bold runs and "
            f"table cells in all {sample} roles compared"
        )
    print(PEER_LIMITS)


if __name__ == "__main__":
    main()
