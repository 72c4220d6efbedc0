"""``check`` keeps a role in step with its профстандарт: every трудовое действие, умение and знание
of the ТФ it names covered by a clause, requirements no weaker than the ОТФ's, a title the standard
allows, classifier codes well formed, and the version it follows the newest stored.

A clause covers an item of its ТФ when it keeps the ТФ's code in ``source:`` (each tagged clause
covers the item closest to its text, one item each), or when its text matches closely.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jobdesc.errors import ERROR, WARNING, Problem
from jobdesc.project.model import Role, Trace
from jobdesc.sources.profstandard import GeneralFunction, Standard, WorkFunction, code_key
from jobdesc.sources.profstandards import FOLDER, stored_versions

if TYPE_CHECKING:
    from jobdesc.project.loader import Project

CLOSE = 90  # a clause without the ТФ's source covers an item when they match at least this much
KINDS = (  # what of a ТФ, the role field that covers it, how the warning names it
    ("actions", "duties", "трудовое действие"),
    ("skills", "skills", "умение"),
    ("knowledge", "knowledge", "знание"),
)
OKZ = re.compile(r"^\d{4}(?:\.\d)?$")  # «2411», or with the control digit of ЕФС-1: «2411.6»
OKPDTR = re.compile(r"^[12]\d{5}$")
OKPDTR_1994 = re.compile(r"^\d{5}$")


def normal(text: str) -> str:
    """Text as compared: lower case, «е» for «ё», single spaces, no final punctuation."""
    return " ".join(text.casefold().replace("ё", "е").split()).rstrip(".;:,")


def similarity(a: str, b: str) -> float:
    """0–100: how closely two texts match (word order and an added verb or word count little)."""
    # lazy: rapidfuzz loads only when a role is compared with its профстандарт (check of every project)
    from rapidfuzz import fuzz

    a, b = normal(a), normal(b)
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b) if min(len(a), len(b)) >= 25 else 0)


def uncovered(items: tuple[str, ...], code: str, clauses: list[Trace]) -> list[str]:
    """The items of ТФ ``code`` that no clause covers."""
    tagged = [c for c in clauses if code_key(code) in {code_key(source) for source in c.sources}]
    pairs = sorted(
        ((similarity(item, clause.text), i, j) for i, item in enumerate(items) for j, clause in enumerate(tagged)),
        reverse=True,
    )
    covered: set[int] = set()
    used: set[int] = set()
    for _, i, j in pairs:  # each tagged clause covers the item nearest its text, one each
        if i not in covered and j not in used:
            covered.add(i)
            used.add(j)
    left = [i for i in range(len(items)) if i not in covered]
    # a clause this ТФ's items used already covers none of the rest: «…аппаратных средств…» does not
    # stand for its sibling «…программных средств…» that was removed
    free = [c for c in clauses if not any(c is tagged[j] for j in used)]
    return [items[i] for i in left if not any(similarity(items[i], c.text) >= CLOSE for c in free)]


def role_problems(role: Role, shown: str, lines: dict, versions: list[Standard]) -> list[Problem]:
    """What a role that names a профстандарт lacks against it (``versions``: the stored ones, oldest
    first; ``lines``: the line of each top-level field of the role file)."""
    ref = role.profstandard or {}
    line = lines.get("profstandard")
    severity = ERROR if ref.get("mandatory") else WARNING
    code = str(ref.get("code", ""))
    if not versions:
        return [
            Problem(
                shown,
                line,
                "profstandard.code",
                f"профстандарт {code} не сохранен в проекте: jobdesc profstandard add ФАЙЛ.xml (XML с сайта Минтруда)",
            )
        ]
    wanted = ref.get("approved")
    standard = next((s for s in versions if s.version == wanted), None) if wanted else versions[-1]
    if standard is None:
        known = ", ".join(f"{s.version}" for s in versions)
        return [
            Problem(
                shown, line, "profstandard.approved", f"версии {code} от {wanted} нет в проекте (сохранены: {known})"
            )
        ]
    otf = standard.function(str(ref.get("function", "")))
    if otf is None:
        known = ", ".join(g.code for g in standard.general)
        return [
            Problem(
                shown,
                line,
                "profstandard.function",
                f"в стандарте {code} нет ОТФ «{ref.get('function')}» (есть {known})",
            )
        ]
    chosen = ref.get("functions")
    wanted_codes = {code_key(c) for c in chosen or ()}
    functions = otf.functions if not chosen else tuple(tf for tf in otf.functions if code_key(tf.code) in wanted_codes)
    missing = [c for c in chosen or () if otf.function(c) is None]
    found: list[Problem] = [
        Problem(shown, line, "profstandard.functions", f"в ОТФ {otf.code} стандарта {code} нет ТФ «{c}»")
        for c in missing
    ]
    where = f"профстандарт {code}, ОТФ {otf.code}"
    for tf in functions:
        for attribute, field, noun in KINDS:
            clauses = [t for t in role.traces if t.where == field]
            for text in uncovered(getattr(tf, attribute), tf.code, clauses):
                found.append(
                    Problem(
                        shown,
                        lines.get(field, line),
                        field,
                        f"{noun} ТФ {tf.code} «{text}» не отражено ни в одном пункте ({where}); добавьте пункт "
                        f"(с source: {tf.code}) или исключите ТФ из profstandard.functions",
                        severity,
                    )
                )
    found += requirement_problems(role, otf, shown, lines.get("requirements", line), severity, where)
    found += title_problems(role, otf, shown, lines.get("title", line), severity, where)
    if versions[-1] is not standard:
        found.append(newer_version(standard, versions[-1], otf.code, functions, shown, line))
    return found


EDUCATION_RANKS = (  # the words of an education requirement and its rank (higher is more)
    ("магистр", 6),
    ("специалитет", 6),
    ("бакалавр", 5),
    ("высшее", 5),
    ("специалистов среднего звена", 4),
    ("квалифицированных рабочих", 3),
    ("среднее профессиональное", 3),
    ("профессиональное обучение", 2),
    ("профессионального обучения", 2),
    ("среднее общее", 1),
)


def education_rank(text: str) -> int | None:
    """How much education a requirement asks for (``None``: not recognised)."""
    text = normal(text)
    ranks = [rank for words, rank in EDUCATION_RANKS if words in text]
    return max(ranks) if ranks else None


def standard_education(otf: GeneralFunction) -> tuple[int, str] | None:
    """The least education the ОТФ accepts (alternatives joined by «или») and its words."""
    found = [(rank, item) for item in otf.education if (rank := education_rank(item)) is not None]
    if not found:
        return None
    # «Дополнительное профессиональное образование» lines add to the main one, they are not alternatives
    main = [(r, t) for r, t in found if "дополнительн" not in normal(t)] or found
    return min(main)


NUMBERS = {
    "одного": 1, "одного года": 1, "года": 1, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "пяти": 5,
    "шести": 6, "семи": 7, "восьми": 8, "десяти": 10,
}  # fmt: skip


def experience_years(text: str) -> float | None:
    """The years of experience a requirement asks for («не менее трех лет» → 3, «шести месяцев» → 0.5)."""
    text = normal(text)
    found = re.search(r"(\d+|[а-я]+)\s+(лет|год[а]?|месяц[а-я]*)", text)
    if not found:
        return None
    amount = float(found.group(1)) if found.group(1).isdigit() else NUMBERS.get(found.group(1))
    if amount is None:
        return None
    return amount / 12 if found.group(2).startswith("месяц") else amount


def requirement_problems(
    role: Role, otf: GeneralFunction, shown: str, line: int | None, severity: str, where: str
) -> list[Problem]:
    """Education or experience weaker than the ОТФ asks; a special admission condition left out."""
    found = []
    least = standard_education(otf)
    rank = education_rank(role.requirements.education)
    if least is not None and rank is not None and rank < least[0]:
        found.append(
            Problem(
                shown,
                line,
                "requirements.education",
                f"образование «{role.requirements.education}» ниже требования ОТФ {otf.code}: «{least[1]}» ({where})",
                severity,
            )
        )
    wanted = [years for item in otf.experience if (years := experience_years(item)) is not None]
    if wanted:
        have = experience_years(role.requirements.experience or "")
        if have is None and not role.requirements.experience:
            found.append(
                Problem(
                    shown,
                    line,
                    "requirements.experience",
                    f"нет требования к опыту работы, а ОТФ {otf.code} требует: «{'; '.join(otf.experience)}» ({where})",
                    severity,
                )
            )
        elif have is not None and have < min(wanted):
            found.append(
                Problem(
                    shown,
                    line,
                    "requirements.experience",
                    f"опыт «{role.requirements.experience}» меньше требования ОТФ {otf.code}: «{'; '.join(otf.experience)}» "
                    f"({where})",
                    severity,
                )
            )
    for condition in otf.admission:  # особые условия допуска: each stated among the other requirements
        if not any(similarity(condition, other) >= CLOSE for other in role.requirements.other):
            found.append(
                Problem(
                    shown,
                    line,
                    "requirements.other",
                    f"особое условие допуска ОТФ {otf.code} «{condition}» не указано в requirements.other ({where})",
                    severity,
                )
            )
    return found


def title_problems(
    role: Role, otf: GeneralFunction, shown: str, line: int | None, severity: str, where: str
) -> list[Problem]:
    """A title not among the ОТФ's possible titles (ст. 57 ч. 2 ТК РФ)."""
    if not otf.titles or any(normal(role.title) == normal(title) for title in otf.titles):
        return []
    return [
        Problem(
            shown,
            line,
            "title",
            f"наименования «{role.title}» нет среди возможных наименований ОТФ {otf.code}: "
            f"{'; '.join(otf.titles)} ({where}); если с должностью связаны компенсации, льготы или ограничения, "
            "наименование должно совпадать со стандартом (ст. 57 ч. 2 ТК РФ)",
            severity,
        )
    ]


def newer_version(
    old: Standard, new: Standard, otf_code: str, functions: tuple[WorkFunction, ...], shown: str, line: int | None
) -> Problem:
    """The role follows ``old`` while ``new`` is stored: what changed in its ТФ."""
    changes: list[str] = []
    otf = new.function(otf_code)
    old_otf = old.function(otf_code)
    if otf is None:
        changes.append(f"ОТФ {otf_code} в новой версии нет")
    elif old_otf is not None and len(functions) == len(old_otf.functions):  # the role takes every ТФ
        known = {tf.code for tf in old_otf.functions}
        changes += [
            f"в ОТФ {otf_code} добавлена ТФ {tf.code} «{tf.name}»" for tf in otf.functions if tf.code not in known
        ]
    for tf in functions:
        fresh = otf.function(tf.code) if otf is not None else None
        if fresh is None:
            changes.append(f"ТФ {tf.code} в новой версии нет")
            continue
        for attribute, _, noun in KINDS:
            before, after = getattr(tf, attribute), getattr(fresh, attribute)
            added = [t for t in after if t not in before]
            removed = [t for t in before if t not in after]
            if added:
                changes.append(f"ТФ {tf.code}: добавлено {noun} «{'», «'.join(added)}»")
            if removed:
                changes.append(f"ТФ {tf.code}: исключено {noun} «{'», «'.join(removed)}»")
    what = "; ".join(changes) if changes else "в трудовых функциях роли изменений нет"
    return Problem(
        shown,
        line,
        "profstandard.approved",
        f"роль следует версии стандарта {old.code} от {old.approved:%d.%m.%Y} (приказ № {old.order}), а в проекте есть "
        f'более новая — {new.order_words}: {what}; сверьте роль и впишите approved: "{new.version}"',
        WARNING,
    )


def code_problems(role: Role, shown: str, lines: dict) -> list[Problem]:
    """ОКЗ and ОКПДТР codes: their form, and a superseded ОКПДТР named as such."""
    found = []
    if role.okz is not None and not OKZ.match(role.okz.strip()):
        found.append(
            Problem(
                shown,
                lines.get("okz"),
                "okz",
                f"«{role.okz}» — код ОКЗ (ОК 010-2014) состоит из четырех цифр, например «2512» "
                "(с контрольным числом, как в ЕФС-1: «2512.5»)",
            )
        )
    if role.okpdtr is not None:
        value = role.okpdtr.strip()
        if OKPDTR_1994.match(value):
            found.append(
                Problem(
                    shown,
                    lines.get("okpdtr"),
                    "okpdtr",
                    f"«{value}» — пятизначный код ОК 016-94, замененного с 01.01.2026 классификатором ОК 016-2025 "
                    "(приказ Росстандарта от 16.05.2025 № 423-ст): впишите шестизначный код по ОК 016-2025",
                    WARNING,
                )
            )
        elif not OKPDTR.match(value):
            found.append(
                Problem(
                    shown,
                    lines.get("okpdtr"),
                    "okpdtr",
                    f"«{value}» — код ОКПДТР (ОК 016-2025) состоит из шести цифр, первая 1 (профессии рабочих) "
                    "или 2 (должности служащих)",
                )
            )
    return found


def coverage_problems(project: Project) -> list[Problem]:
    """The problems of every role of ``project`` against its профстандарт, of its classifier codes,
    and of the stored standards (a file of a standard a role names that does not read, a misnamed file)."""
    # lazy: brings PyYAML; loaded only by the commands that get here
    from jobdesc.project.loader import ROLES_DIR
    from jobdesc.project.yamlio import YamlProblem, load_yaml

    root = project.root
    problems: list[Problem] = []
    named = {str(role.profstandard.get("code")) for role in project.roles.values() if role.profstandard}
    stored = stored_versions(root, problems, project.files, named) if (root / FOLDER).is_dir() else {}
    for role in project.roles.values():
        if role.profstandard is None and role.okz is None and role.okpdtr is None:
            continue
        shown = f"{ROLES_DIR}/{role.id}.yaml"
        try:  # read for the links and the loader already: the lines of its fields
            data = load_yaml(root / shown, shown, root, project.files)
            lines = dict(getattr(data, "key_lines", {}))
        except YamlProblem:
            lines = {}
        problems += code_problems(role, shown, lines)
        if role.profstandard is not None:
            versions = [s.standard for s in stored.get(str(role.profstandard.get("code")), [])]
            problems += role_problems(role, shown, lines, versions)
    return problems
