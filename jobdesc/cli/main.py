"""The ``jobdesc`` commands: each the wiring of its options into one call of the core
(:mod:`jobdesc.commands`, the build), and the printing of what it returns. The Russian layer over
click is :mod:`jobdesc.cli.russian`; the shared options are :mod:`jobdesc.cli.options`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from jobdesc import __version__
from jobdesc.cli.options import (
    complete_doc_ids,
    complete_role_ids,
    date_option,
    doc_id_argument,
    text_option,
    versions_options,
)
from jobdesc.cli.russian import Group, SubGroup
from jobdesc.errors import ProblemsError


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="jobdesc", message="%(prog)s %(version)s", help="Показать версию и выйти."
)
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="ПАПКА",
    help="Папка проекта (по умолчанию — текущая или ближайшая выше с jobdesc.yaml).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """jobdesc — должностные инструкции из YAML в DOCX по ГОСТ Р 7.0.97."""
    ctx.obj = directory
    templates = sys.modules.get("jobdesc.render.templates")
    if templates is not None:  # a command run in the same process again reads the templates afresh
        templates.environment.cache_clear()
    provenance = sys.modules.get("jobdesc.editions.provenance")
    if provenance is not None:  # and asks git afresh whether the editions are genuine
        provenance.forget()


def _root(ctx: click.Context) -> Path:
    # lazy: --help loads no module of the core
    from jobdesc.project.layout import find_root

    return find_root(ctx.obj or Path.cwd())


def _load(ctx: click.Context, doc_id: str | None = None):  # noqa: ANN202
    # lazy: --help loads no module of the core
    from jobdesc.project.loader import load_project

    return load_project(_root(ctx), [doc_id] if doc_id else None)


def _echo(lines: tuple[list[str], list[str]], errors_first: bool = False) -> None:
    """What a command returns: lines for standard output and lines for standard error, in this order
    (the other with ``errors_first``: warnings before the result)."""
    out, err = lines
    streams = [(err, True), (out, False)] if errors_first else [(out, False), (err, True)]
    for shown_lines, to_stderr in streams:
        for line in shown_lines:
            click.echo(line, err=to_stderr)


@main.command()
@click.option(
    "--strict", is_flag=True, help="Считать предупреждения ошибками (код выхода 1); так проверяет хук pre-commit."
)
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Проверить jobdesc.yaml, роли, положения, связи между ними, редакции, шаблоны и стили; все ошибки сразу."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.check import check as check_project

    remarks, summary = check_project(_root(ctx), strict)
    _echo(([summary], remarks), errors_first=True)


@main.command()
@click.argument("role", metavar="ID", shell_complete=complete_role_ids)
@click.pass_context
def forms(ctx: click.Context, role: str) -> None:
    """Показать все формы наименования должности (падежи, род), чтобы проверить их до утверждения."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.check import forms as title_forms

    project = _load(ctx, role)
    if role not in project.roles:
        raise click.UsageError(f"{role} — не роль: формы наименования показываются для должностей", ctx)
    click.echo(title_forms(project, role))


@main.command()
@click.argument("doc_ids", nargs=-1, metavar="[ID]...", shell_complete=complete_doc_ids)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Куда писать документы (по умолчанию output/ проекта).",
)
@click.option(
    "--copies",
    type=click.IntRange(1, 2),
    default=None,
    help="Сколько экземпляров в документе (по умолчанию из jobdesc.yaml, обычно 2).",
)
@click.option("--split-copies", is_flag=True, help="Каждый экземпляр в отдельный файл: ID.copy1.docx, ID.copy2.docx.")
@click.option(
    "--draft", is_flag=True, help="Собрать рабочий текст как проект («ПРОЕКТ» на каждой странице): ID.draft.docx."
)
@click.option("--force", is_flag=True, help="Пересобрать все, даже то, что не изменилось.")
@click.option(
    "--per-employee",
    is_flag=True,
    help="Также экземпляр № 2 на имя каждого работника на должности (из staff.yaml): ID.copy2.ТАБ_НОМЕР.docx.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Сколько процессов (по умолчанию — по числу ядер)."
)
@click.option(
    "--pdf", is_flag=True, help="Также сделать PDF каждого документа — архивный PDF/A-2b (нужен LibreOffice)."
)
@click.option("--pdf-plain", is_flag=True, help="Как --pdf, но обычный PDF, а не PDF/A.")
@click.pass_context
def build(
    ctx: click.Context,
    doc_ids: tuple[str, ...],
    out: Path | None,
    copies: int | None,
    split_copies: bool,
    draft: bool,
    force: bool,
    per_employee: bool,
    jobs: int | None,
    pdf: bool,
    pdf_plain: bool,
) -> None:
    """Собрать DOCX всех документов (или названных): инструкций ролей, положений, приказов — в output/.

    Собирается последняя утвержденная редакция каждого документа и «Изменения № N»;
    документ без утвержденной редакции собирается как проект. Пересобирается только то, что
    изменилось (и то, что ссылается на измененное); ошибка в одном документе не останавливает остальные.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.build.batch import run
    from jobdesc.commands.build import count_documents, output_folder, pdf_lines, refuse_failures, report_lines
    from jobdesc.documents.options import Options

    root = _root(ctx)
    folder = output_folder(root, out)
    if pdf and pdf_plain:
        raise click.UsageError("--pdf и --pdf-plain вместе не указываются: выберите один вид PDF", ctx)
    if pdf or pdf_plain:
        from jobdesc.build.pdf import find_soffice  # lazy: LibreOffice's runner loads only for --pdf

        find_soffice()  # say how to install LibreOffice before building anything
    with _progress(lambda: len(doc_ids) or count_documents(root)) as advance:
        options = Options(copies, split_copies, draft, per_employee)
        report = run(root, list(doc_ids) or None, folder, options, force, jobs, advance)
    _echo(report_lines(report, root))
    _echo(pdf_lines(report, root, folder, "archival" if pdf else "plain" if pdf_plain else None))
    refuse_failures(report)


class _progress:
    """A progress bar on stderr for builds of many documents at a terminal; silent otherwise."""

    THRESHOLD = 8

    def __init__(self, total: Callable[[], int]) -> None:
        """``total``: how many documents, counted only when there is a terminal to show the bar on."""
        self.bar = None
        if sys.stderr.isatty() and not os.environ.get("CI"):
            count = total()
            if count >= self.THRESHOLD:
                self.bar = click.progressbar(length=count, label="Сборка", file=sys.stderr, show_pos=True)

    def __enter__(self):  # noqa: ANN204
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@main.command()
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...", shell_complete=complete_doc_ids)
@date_option("--date", "date", required=True, help="Дата утверждения: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.")
@text_option("--order", help="Номер приказа об утверждении, например «15-к» (необязательно).")
@date_option("--order-date", default=None, help="Дата приказа (по умолчанию — дата утверждения).")
@date_option("--effective", default=None, help="Дата введения в действие (по умолчанию — дата утверждения).")
@text_option(
    "--approver",
    help="Кто утвердил: «Должность, Фамилия Имя Отчество» или только ФИО (по умолчанию из jobdesc.yaml).",
)
@click.option(
    "--sign",
    is_flag=True,
    help="Подписать редакцию ключом, которым git подписывает коммиты (SSH или GPG): файл NNN.yaml.sig.",
)
@click.option(
    "--same-function",
    "consent",
    flag_value="same-function",
    default=None,
    help="Редакция добавляет обязанности, но трудовая функция и условия трудового договора не меняются (сказано в приказе).",
)
@click.option(
    "--agreement",
    "consent",
    flag_value="agreement",
    help="Редакция добавляет обязанности: нужны дополнительные соглашения к трудовым договорам (ст. 72 ТК РФ).",
)
@text_option(
    "--reason",
    help="Основание приказа — начало преамбулы: «В связи с передачей отделу функции …» (только с --order).",
)
@click.pass_context
def approve(
    ctx: click.Context,
    doc_ids: tuple[str, ...],
    date,  # noqa: ANN001
    order: str | None,
    order_date,  # noqa: ANN001
    effective,  # noqa: ANN001
    approver: str | None,
    sign: bool,
    consent: str | None,
    reason: str | None,
) -> None:
    """Записать текущий текст документов (ролей, положений) как следующие редакции; несколько — одним приказом."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.approve import approve_all
    from jobdesc.disk.fsutil import shown
    from jobdesc.editions.store import form_words
    from jobdesc.project.model import AmendmentForms

    root = _root(ctx)
    for edition, path in approve_all(
        root, list(doc_ids), date, order, order_date, effective, approver, sign, reason, consent
    ):
        form = form_words(edition, AmendmentForms())  # recorded in the edition (:attr:`Edition.form`)
        click.echo(
            f"{shown(path, root)}: редакция № {edition.number} утверждена {date:%d.%m.%Y}" + (form and f" ({form})")
        )


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Последняя редакция каждого документа, неутвержденные изменения, несобранные файлы и кто не ознакомлен."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import status_report

    lines, problems, warnings = status_report(_root(ctx))
    _echo((lines, []))
    if problems:
        raise ProblemsError(problems)
    _echo(([], [f"внимание: {warning}" for warning in warnings]))


@main.command()
@doc_id_argument
@click.pass_context
def history(ctx: click.Context, doc_id: str) -> None:
    """Редакции документа (роли, положения): даты, кто утвердил, приказы, сколько пунктов изменено."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import history as document_history

    lines = document_history(_load(ctx, doc_id), doc_id)
    click.echo("\n".join(lines) if lines else f"{doc_id}: утвержденных редакций нет")


@main.command()
@doc_id_argument
@versions_options(
    "Номер редакции, ревизия git или working (по умолчанию последняя редакция).",
    "Номер редакции, ревизия git или working (по умолчанию рабочий файл).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "amendment"]),
    default="text",
    help="text — для человека; json — для программ; amendment — формулировки изменений.",
)
@click.pass_context
def diff(ctx: click.Context, doc_id: str, source: str | None, target: str | None, fmt: str) -> None:
    """Различия двух версий документа (роли, положения) по пунктам (с номерами пунктов)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.cli.show import diff_text
    from jobdesc.commands.review import diff_report

    def show(changes: list) -> list[str]:
        return diff_text(changes, colour=sys.stdout.isatty())

    click.echo(diff_report(_root(ctx), doc_id, source, target, fmt, show), nl=False)


@main.command()
@doc_id_argument
@versions_options(
    "Исходная версия: номер редакции, ревизия git или working (по умолчанию последняя редакция).",
    "Новая версия (по умолчанию рабочий файл).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Файл .docx для записи.")
@text_option(
    "--author",
    help="Автор исправлений в режиме рецензирования (по умолчанию document.drafted_by из jobdesc.yaml, иначе организация).",
)
@click.pass_context
def redline(
    ctx: click.Context, doc_id: str, source: str | None, target: str | None, out: Path, author: str | None
) -> None:
    """DOCX с исправлениями в режиме рецензирования (Word «Принять все» / «Отклонить все»)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import write_redline

    click.echo(write_redline(_root(ctx), doc_id, source, target, out, author))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="ПУТЬ...")
@click.option(
    "--kind",
    type=click.Choice(["role", "policy"]),
    default=None,
    help="Вид: role — должностная инструкция, policy — положение (по умолчанию — по заголовку документа).",
)
@click.option(
    "--id",
    "doc_id",
    default=None,
    metavar="ID",
    help="Идентификатор документа (только для одного файла; по умолчанию — из наименования).",
)
@click.option("--dry-run", is_flag=True, help="Только отчет: ничего не записывать.")
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], kind: str | None, doc_id: str | None, dry_run: bool) -> None:
    """Перенести документы Word (.docx, .doc, .rtf, .odt; папки — целиком) в roles/ и policies/.

    Гриф утверждения становится редакцией № 1 с отпечатком исходного файла; документ без грифа
    переносится как проект. Отчет называет по каждому файлу разделы, пункты и все, что не перенесено.
    Существующие файлы не перезаписываются; файл с ошибкой пропускается, остальные переносятся.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.sources.importing import import_paths, report_lines

    results = import_paths(_root(ctx), list(paths), kind, doc_id, dry_run)
    detailed = len(results) == 1
    for line in report_lines(results, detailed, dry_run):
        click.echo(line, err=line.startswith("ошибка: "))
    if any(result.error for result in results):
        ctx.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def textconv(file: Path) -> None:
    """Текст документа DOCX — для git diff документов (настройка описана в README)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.textconv import docx_text

    click.echo(docx_text(file), nl=False)


@main.command()
@click.argument("kind", type=click.Choice(["role", "policy", "config"]), default="role")
def schema(kind: str) -> None:
    """Напечатать JSON Schema роли, положения или jobdesc.yaml.

    role (по умолчанию) — схема файлов roles/*.yaml, policy — policies/*.yaml, config — схема
    jobdesc.yaml; редактор с поддержкой YAML подсказывает по ней поля и отмечает ошибки при вводе.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.schema_export import schema_text

    click.echo(schema_text(kind))


@main.command()
@click.argument("doc_id", metavar="ID")
@text_option("--title", help="Наименование должности (или положения — с --policy) в именительном падеже.")
@click.option(
    "--from",
    "source",
    default=None,
    metavar="ID",
    shell_complete=complete_doc_ids,
    help="Скопировать существующую роль или положение (с новым наименованием) вместо заготовки.",
)
@click.option(
    "--policy", is_flag=True, help="Создать положение policies/ID.yaml («Положение об отделе …», регламент …)."
)
@click.option("--profstandard", default=None, metavar="КОД", help="Составить роль по профстандарту проекта: 06.013.")
@click.option("--function", "otf", default=None, metavar="ОТФ", help="Обобщенная трудовая функция стандарта: B.")
@click.option("--tf", multiple=True, metavar="ТФ", help="Только эта трудовая функция ОТФ (B/01.5); можно несколько.")
@click.pass_context
def new(
    ctx: click.Context,
    doc_id: str,
    title: str | None,
    source: str | None,
    policy: bool,
    profstandard: str | None,
    otf: str | None,
    tf: tuple[str, ...],
) -> None:
    """Создать новую роль roles/ID.yaml (или положение policies/ID.yaml с --policy).

    Без --from — заготовка со всеми обязательными полями, которая проходит jobdesc check
    (текст в [квадратных скобках] замените своим); с --from — копия существующего документа с
    новым наименованием; с --profstandard КОД --function ОТФ — роль по профстандарту: обязанности,
    знания, умения, требования и коды из ОТФ. Существующий файл не перезаписывается.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.scaffold import create

    root = _root(ctx)
    path = create(root, doc_id, title, source, policy, (profstandard, otf, tf))
    click.echo(path.relative_to(root).as_posix())


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.pass_context
def init(ctx: click.Context, directory: Path | None) -> None:
    """Создать проект организации в папке ПАПКА (по умолчанию — текущей).

    jobdesc.yaml с заготовками в [скобках] (jobdesc check называет каждую), roles/_common.yaml,
    пример роли, .gitignore, .gitattributes, .pre-commit-config.yaml и схемы для редактора в
    .jobdesc/. Шаблоны и стили берутся из jobdesc; свои — jobdesc templates copy. Ничего не спрашивает
    и не перезаписывает.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.init import init_lines

    _echo(init_lines(directory or ctx.obj or Path(".")))


@main.group(cls=SubGroup, invoke_without_command=True)
@click.pass_context
def templates(ctx: click.Context) -> None:
    """Поставляемые шаблоны и файл стилей: список и копия для правки.

    Файл с тем же именем в папке templates/ проекта заменяет поставляемый.
    """
    if ctx.invoked_subcommand is None:
        _list_templates(_root(ctx.find_root()))


def _list_templates(root: Path) -> None:
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.init import template_lines

    _echo((template_lines(root), []))


@templates.command("copy")
@click.argument("name", required=False)
@click.pass_context
def templates_copy(ctx: click.Context, name: str | None) -> None:
    """Скопировать шаблон ИМЯ в templates/ проекта для правки; без ИМЕНИ — список шаблонов."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.init import copy_template
    from jobdesc.disk.fsutil import shown

    root = _root(ctx.find_root())
    if name is None:
        _list_templates(root)
        return
    path = copy_template(root, name)
    click.echo(shown(path, root))


@main.group(cls=SubGroup)
def profstandard() -> None:
    """Профессиональные стандарты проекта (profstandards/): XML Минтруда."""


@profstandard.command("add")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="ФАЙЛ.xml..."
)
@click.pass_context
def profstandard_add(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Проверить и сохранить профстандарты (XML Минтруда) в profstandards/; новая версия — рядом со старой."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.profstandard import add

    for line in add(_root(ctx), [(path, str(path)) for path in files]):
        click.echo(line)


@profstandard.command("list")
@click.pass_context
def profstandard_list(ctx: click.Context) -> None:
    """Сохраненные профстандарты: код, наименование, приказ, ОТФ; прежние версии."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.profstandard import listing

    for line in listing(_root(ctx)):
        click.echo(line)


@profstandard.command("show")
@click.argument("code", metavar="КОД")
@click.option("--function", "otf", default=None, metavar="ОТФ", help="Показать ОТФ целиком: требования, коды, ТФ.")
@click.pass_context
def profstandard_show(ctx: click.Context, code: str, otf: str | None) -> None:
    """Профстандарт КОД (06.013): его ОТФ; с --function B — ОТФ целиком с трудовыми функциями."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.profstandard import show

    for line in show(_root(ctx), code, otf):
        click.echo(line)


@main.group(cls=SubGroup)
def staff() -> None:
    """Работники на должностях (staff.yaml — персональные данные)."""


@staff.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def staff_import(ctx: click.Context, file: Path) -> None:
    """Заполнить staff.yaml из выгрузки штатной расстановки (CSV с «;», Windows-1251 или UTF-8)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.people import import_staff

    _echo(import_staff(_root(ctx), file), errors_first=True)


@main.command()
@doc_id_argument
@text_option("--employee", required=True, help="Табельный номер работника (из staff.yaml).")
@date_option("--date", "date", required=True, help="Дата ознакомления: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.")
@click.option("--edition", type=click.IntRange(1), default=None, help="Номер редакции, с которой ознакомлен.")
@click.option("--amendment", type=click.IntRange(1), default=None, help="Номер изменений, с которыми ознакомлен.")
@click.pass_context
def ack(ctx: click.Context, doc_id: str, employee: str, date, edition: int | None, amendment: int | None) -> None:  # noqa: ANN001
    """Записать ознакомление работника под подпись с документом роли или положения.

    По умолчанию — с последним документом, утвержденным к дате ознакомления (в том числе еще не
    вступившим в силу); другой — --edition N или --amendment N.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.people import acknowledge

    if edition is not None and amendment is not None:
        raise click.UsageError("--edition и --amendment вместе не указываются: выберите один документ", ctx)
    _echo(acknowledge(_root(ctx), doc_id, employee, date, edition, amendment))
