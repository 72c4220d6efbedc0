"""``jobdesc profstandard add|list|show``: the профстандарты kept in a project, as lines to print."""

from __future__ import annotations

from pathlib import Path

from jobdesc.errors import JobdescError
from jobdesc.sources.profstandard import GeneralFunction, Standard
from jobdesc.sources.profstandards import add_standards, find_standard, stored_versions


def headline(standard: Standard) -> str:
    """«06.013 «Специалист по информационным ресурсам» — приказ Минтруда России от 08.09.2014 № 629н»."""
    return f"{standard.code} «{standard.name}» — {standard.order_words}"


def otf_line(otf: GeneralFunction) -> str:
    titles = "; ".join(otf.titles) if otf.titles else "наименования не указаны"
    return f"  {otf.code} (уровень {otf.level}) {otf.name} — {titles}; ТФ: {len(otf.functions)}"


def add(root: Path, files: list[tuple[Path, str]]) -> list[str]:
    """Store every file (all are checked first: a bad one stores none); the lines to print."""
    lines: list[str] = []
    for added in add_standards(root, files):
        state = "сохранен в" if added.new else "уже сохранен:"
        lines.append(f"{headline(added.standard)}: {state} {added.shown}")
        if added.replaces is not None:
            lines.append(
                f"  новая версия взамен {added.replaces.order_words}: старая оставлена рядом; "
                "jobdesc check назовет роли, которые следуют старой"
            )
        lines += [otf_line(otf) for otf in added.standard.general]
    return lines


def listing(root: Path) -> list[str]:
    """Every stored standard, newest version first within a code, older ones marked."""
    problems: list = []
    versions = stored_versions(root, problems)
    if not versions and not problems:
        return ["профстандартов в проекте нет: jobdesc profstandard add ФАЙЛ.xml"]
    lines = []
    for code in sorted(versions):
        newest = versions[code][-1].standard
        lines.append(f"{headline(newest)}; ОТФ: {', '.join(g.code for g in newest.general)}")
        for old in reversed(versions[code][:-1]):
            lines.append(f"  прежняя версия: {old.standard.order_words} ({old.shown})")
    lines += [f"внимание: {p}" for p in problems]
    return lines


def show(root: Path, code: str, function: str | None = None) -> list[str]:
    """A stored standard: its ОТФ; with ``function``, that ОТФ in full (requirements, codes, every ТФ)."""
    standard = find_standard(root, code).standard
    lines = [headline(standard)]
    if function is None:
        lines += [otf_line(otf) for otf in standard.general]
        return lines
    otf = standard.function(function)
    if otf is None:
        known = ", ".join(g.code for g in standard.general)
        raise JobdescError(f"--function: в профстандарте {standard.code} нет ОТФ «{function}»; есть: {known}")
    lines.append(f"ОТФ {otf.code} «{otf.name}», уровень квалификации {otf.level}")

    def block(title: str, items: tuple[str, ...] | list[str]) -> None:
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  - {item}" for item in items)

    block("Возможные наименования должностей", otf.titles)
    block("Образование", otf.education)
    block("Опыт работы", otf.experience)
    block("Особые условия допуска", otf.admission)
    block("ОКЗ", [f"{c.code} {c.name}".strip() for c in otf.okz])
    block("ОКПДТР", [f"{c.code} {c.name}".strip() for c in otf.okpdtr])
    block("ЕКС", [f"{c.code} {c.name}".strip() if c.code else c.name for c in otf.eks])
    for tf in otf.functions:
        lines.append(f"ТФ {tf.code} «{tf.name}»")
        for title, items in (("трудовые действия", tf.actions), ("умения", tf.skills), ("знания", tf.knowledge)):
            lines.append(f"  {title}:")
            lines.extend(f"    - {item}" for item in items)
    return lines
