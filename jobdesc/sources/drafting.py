"""A role file drafted from one ОТФ of a профстандарт: title, requirements, duties, knowledge,
skills and classifier codes, each generated clause tagged with the ТФ it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from jobdesc.errors import JobdescError
from jobdesc.sources.profstandard import GeneralFunction, Standard, WorkFunction

OKZ = re.compile(r"^\d{4}$")
OKPDTR = re.compile(r"^[12]\d{5}$")  # ОК 016-2025: six digits, 1 workers, 2 служащие
OKPDTR_1994 = re.compile(r"^\d{5}$")  # ОК 016-94, superseded on 01.01.2026
LEAD_IN = "Трудовая функция «{name}» включает"
MANAGER_WORDS = ("руководитель", "начальник", "заведующий", "директор", "главный", "управляющий")


@dataclass
class Traced:
    """A clause and the ТФ codes it came from."""

    text: str
    sources: list[str] = field(default_factory=list)


def pick(
    standard: Standard, function: str, tf_codes: tuple[str, ...] = ()
) -> tuple[GeneralFunction, tuple[WorkFunction, ...]]:
    """The ОТФ ``function`` of ``standard`` and the ТФ chosen of it (all when ``tf_codes`` is empty)."""
    otf = standard.function(function)
    if otf is None:
        known = ", ".join(f"{g.code} ({g.name})" for g in standard.general)
        raise JobdescError(f"--function: в профстандарте {standard.code} нет ОТФ «{function}»; есть: {known}")
    if not tf_codes:
        return otf, otf.functions
    chosen = []
    for code in tf_codes:
        tf = otf.function(code.strip())
        if tf is None:
            known = ", ".join(tf.code for tf in otf.functions)
            raise JobdescError(f"--tf: в ОТФ {otf.code} стандарта {standard.code} нет ТФ «{code}»; есть: {known}")
        if tf not in chosen:
            chosen.append(tf)
    return otf, tuple(tf for tf in otf.functions if tf in chosen)  # in the standard's order


def sentence(text: str) -> str:
    """A clause of the standard's text: ends with a full stop."""
    text = text.strip().rstrip(";,")
    return text if text.endswith((".", "!", "?", "…", ".»")) else f"{text}."


def lower_first(text: str) -> str:
    """«высшее образование» from «Высшее образование» (an abbreviation like «ИКТ» keeps its case)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def requirement(items: tuple[str, ...]) -> str | None:
    """The ОТФ's requirement lines as one phrase for «Образование: …» («или» lines join alternatives)."""
    parts: list[str] = []
    joiner = "; "
    for item in items:
        if item.casefold() in ("или", "либо"):
            joiner = " или "
            continue
        text = lower_first(item.replace(" - ", " — ").rstrip("."))
        parts.append(text if not parts else f"{joiner}{text}")
        joiner = "; "
    return "".join(parts) or None


def gather(functions: tuple[WorkFunction, ...], attribute: str) -> list[Traced]:
    """The skills or knowledge of the ТФ, each once, with every ТФ that names it."""
    found: dict[str, Traced] = {}
    for tf in functions:
        for text in getattr(tf, attribute):
            key = " ".join(text.casefold().replace("ё", "е").split()).rstrip(".")
            entry = found.setdefault(key, Traced(sentence(text)))
            if tf.code not in entry.sources:
                entry.sources.append(tf.code)
    return list(found.values())


def category(title: str) -> str:
    return "managers" if title.split(" ", 1)[0].casefold() in MANAGER_WORDS else "specialists"


def _scalar(text: str) -> str:
    return yaml.safe_dump({"k": text}, allow_unicode=True, width=10**6)[3:].rstrip("\n")


def _source(sources: list[str]) -> str:
    return sources[0] if len(sources) == 1 else "[" + ", ".join(sources) + "]"


def draft_role(
    standard: Standard,
    function: str,
    *,
    title: str | None,
    tf_codes: tuple[str, ...],
    schema_line: str,
    shared: dict[str, str],
) -> str:
    """The YAML text of a role drafted from ОТФ ``function`` of ``standard`` (``tf_codes``: only
    these ТФ). ``shared``: the lines of ``guiding_documents``, ``responsibility`` and
    ``final_provisions`` (``- use: common`` or placeholders); what the standard does not say
    (department, subordination, rights) is left as «[…]» placeholders for ``check`` to name."""
    otf, functions = pick(standard, function, tf_codes)
    if not functions:
        raise JobdescError(f"--function: у ОТФ {otf.code} стандарта {standard.code} нет трудовых функций")
    title = " ".join((title or (otf.titles[0] if otf.titles else otf.name)).split())
    lines = [
        schema_line,
        f"# Составлено по профстандарту {standard.code} «{standard.name}» ({standard.order_words}),",
        f"# ОТФ {otf.code} «{otf.name}», уровень квалификации {otf.level}.",
        "# Пункты с source: — из трудовых функций стандарта (код ТФ); правьте текст, source оставьте:",
        "# по нему jobdesc check сверяет инструкцию со стандартом.",
        "title: " + _scalar(title),
    ]
    if len(otf.titles) > 1:
        lines.append("# возможные наименования по стандарту: " + "; ".join(otf.titles))
    lines.append(f"category: {category(title)}")
    okz = [c.code for c in otf.okz if OKZ.match(c.code)] or [c.code for c in standard.okz if OKZ.match(c.code)]
    if okz:
        lines.append(f'okz: "{okz[0]}"' + (f"   # по стандарту также: {', '.join(okz[1:])}" if len(okz) > 1 else ""))
    current = [c for c in otf.okpdtr if OKPDTR.match(c.code)]
    old = [c for c in otf.okpdtr if OKPDTR_1994.match(c.code)]
    if current:
        lines.append(f'okpdtr: "{current[0].code}"   # {current[0].name}')
    elif old:
        lines.append(
            f"# okpdtr: в стандарте код ОК 016-94 {old[0].code} «{old[0].name}» — с 01.01.2026 действует "
            "ОК 016-2025: впишите шестизначный код"
        )
    lines += [
        "profstandard:",
        f'  code: "{standard.code}"',
        f"  function: {otf.code}",
        f'  approved: "{standard.version}"      # версия стандарта: дата приказа',
    ]
    if tf_codes:
        lines.append("  functions: [" + ", ".join(tf.code for tf in functions) + "]")
    lines += [
        "  # mandatory: true           # если профстандарт обязателен для должности (ст. 195.3 ТК РФ)",
        'department: "[Наименование структурного подразделения в именительном падеже]"',
        'reports_to: "[кому подчиняется, в дательном падеже: руководителю отдела]"',
        "appointment:",
        '  by: "[кем назначается и освобождается: приказом генерального директора]"',
        "",
        "requirements:",
        "  education: " + _scalar(requirement(otf.education) or "[образование]"),
    ]
    experience = requirement(otf.experience)
    lines.append(("  experience: " + _scalar(experience)) if experience else "  # experience: нет требований к опыту")
    if otf.admission:
        lines.append("  other:")
        lines += [f"    - {_scalar(sentence(text))}" for text in otf.admission]
    lines += ["", "knowledge:"]
    lines += _traced(gather(functions, "knowledge"), "[Что работник должен знать.]")
    lines += ["", "guiding_documents:", shared["guiding_documents"], ""]
    skills = gather(functions, "skills")
    if skills:
        lines.append("skills:")
        lines += _traced(skills, "")
        lines.append("")
    lines.append("duties:")
    for tf in functions:
        lines.append("  - title: " + _scalar(LEAD_IN.format(name=tf.name.rstrip("."))))
        lines.append(f"    source: {tf.code}")
        items = [sentence(a) for a in tf.actions] or [sentence(tf.name)]
        lines.append("    items:")
        lines += [f"      - {_scalar(text)}" for text in items]
    lines += [
        "",
        "rights:",
        '  - "[Право работника: глагол в неопределенной форме — «Запрашивать документы».]"',
        "",
        "responsibility:",
        shared["responsibility"],
        "",
        "final_provisions:",
        shared["final_provisions"],
    ]
    return "\n".join(lines) + "\n"


def _traced(entries: list[Traced], placeholder: str) -> list[str]:
    if not entries:
        return [f'  - "{placeholder}"']
    lines = []
    for entry in entries:
        lines.append("  - text: " + _scalar(entry.text))
        lines.append(f"    source: {_source(entry.sources)}")
    return lines
