"""The ``jobdesc`` command line: thin wiring of the library functions."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from jobdesc import __version__
from jobdesc.errors import MAX_SHOWN, JobdescError, ProblemsError, rephrase


def _ru_plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


HELP_TEXT = "Показать эту справку и выйти."
_VALUES = (  # the reason inside «Invalid value …»
    (re.compile(r"^(.+?) is not in the range (\S+?)<=x<=(\S+?)\.?$"), "{0}, допустимо от {1} до {2}"),
    (re.compile(r"^(.+?) is not in the range x>=(\S+?)\.?$"), "{0}, допустимо не меньше {1}"),
    (re.compile(r"^(.+?) is not in the range x<=(\S+?)\.?$"), "{0}, допустимо не больше {1}"),
    (
        re.compile(r"^'(.+?)' is not one of (.+?)\.?$"),
        lambda value, choices: f"«{value}», допустимо: {choices.replace(chr(39), '')}",
    ),
    (re.compile(r"^'(.+?)' is not a valid integer(?: range)?\.?$"), "«{0}» — не целое число"),
    (re.compile(r"^(?:File|Directory|Path) '(.+?)' is a directory\.?$"), "{0} — это папка, а не файл"),
    (re.compile(r"^(?:File|Directory|Path) '(.+?)' is a file\.?$"), "{0} — это файл, а не папка"),
    (re.compile(r"^(?:File|Directory|Path) '(.+?)' does not exist\.?$"), "{0} не найден"),
)
_USAGE = (  # click's wording → Russian, for the mistakes people make on the command line
    (re.compile(r"Missing option '(.+?)'"), "не указан параметр {0}"),
    (re.compile(r"Missing argument '(.+?)(?:\.\.\.)?'"), "не указан аргумент {0}"),  # «ID», not «ID...»
    (
        re.compile(r"No such option '?([^'.]+)'?\.?(?: \(Did you mean (?:one of: )?(.+)\?\))?"),
        lambda option, close: (
            f"нет параметра {option}" + (f" (возможно, {close.replace(chr(39), '')})" if close else "")
        ),
    ),
    (re.compile(r"No such command '(.+?)'"), "нет команды «{0}»"),
    (re.compile(r"Option '(.+?)' requires an argument"), "у параметра {0} не указано значение"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "лишний аргумент: {0}"),
    (
        re.compile(r"Invalid value for '(.+?)'(?: / '.+?')?: (.+)"),
        lambda name, reason: f"недопустимое значение {name}: {rephrase(_VALUES, reason) or reason}",
    ),
)


def _usage_message(exc: click.UsageError) -> str:
    """One Russian line for a command-line mistake, with where to read the help."""
    message = exc.format_message()
    command = exc.ctx.command_path if exc.ctx else "jobdesc"
    return f"{rephrase(_USAGE, message) or message} (справка: {command} --help)"


_METAVARS = (  # click's names of value types and arguments → what the Russian help shows
    (re.compile(r"\bINTEGER RANGE\b"), "ЧИСЛО"),
    (re.compile(r"\bDIRECTORY\b"), "ПАПКА"),
    (re.compile(r"\bFILE\b"), "ФАЙЛ"),
    (re.compile(r"\bTEXT\b"), "ТЕКСТ"),
    (re.compile(r"\bROLES?\b"), "ID"),  # the role id of ``forms`` (the others say ID themselves)
    (re.compile(r"\bRole_id\b|\bROLE_ID\b"), "ID"),
    (re.compile(r"\bKIND\b"), "ВИД"),
    (re.compile(r"\bNAME\b"), "ИМЯ"),
)


_EXTRAS = (  # what click adds in brackets after an option's help → Russian
    (re.compile(r"^required$"), "обязательно"),
    (re.compile(r"^(\S+?)<=x<=(\S+?)$"), "от {0} до {1}"),
    (re.compile(r"^x>=(\S+?)$"), "не меньше {0}"),
    (re.compile(r"^x<=(\S+?)$"), "не больше {0}"),
    (re.compile(r"^default: (.+)$"), "по умолчанию: {0}"),
)


def _russian_extras(text: str) -> str:
    """«…  [x>=1; required]» → «…  [не меньше 1; обязательно]»."""
    found = re.search(r"\s\[([^\[\]]+)\]$", text)
    if not found:
        return text
    parts = [rephrase(_EXTRAS, part) or part for part in found[1].split("; ")]
    return f"{text[: found.start(1)]}{'; '.join(parts)}]"


def _russian_metavars(text: str) -> str:
    for pattern, russian in _METAVARS:
        text = pattern.sub(russian, text)
    return text


class _Command(click.Command):
    """A command whose --help is in Russian: its option, and the headings of the help text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, _russian_metavars(pieces), "Использование: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (_russian_metavars(row[0]), _russian_extras(row[1]))
            for param in self.get_params(ctx)
            if (row := param.get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section("Параметры"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [
                (name, command)
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden
            ]
            if commands:
                limit = formatter.width - 6 - max(len(name) for name, _ in commands)
                with formatter.section("Команды"):
                    formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


class _Group(_Command, click.Group):
    """The jobdesc group: Russian --help, and command-line mistakes as one line with exit code 1."""

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            click.echo(_usage_message(exc), err=True)
            sys.exit(1)
        except JobdescError as exc:
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("Прервано.", err=True)
            sys.exit(1)
        except OSError as exc:
            if not _stdout_broken(exc):
                raise
            from jobdesc.disk.fsutil import describe  # lazy: only when the output could not be written

            click.echo(f"стандартный вывод: не удается записать: {describe(exc)}", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _stdout_broken(exc: OSError) -> bool:
    """Whether ``exc`` is click failing to write our output (a full disk, a closed pipe); if so,
    standard output is pointed at /dev/null so that Python's own flush at exit does not fail."""
    # lazy: only when writing the output failed
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if not any(frame.name in ("echo", "flush") and "click" in frame.filename for frame in frames):
        return False
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return True


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.layout import find_root

    return find_root(ctx.obj or Path.cwd())


def _complete_doc_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the document ids of the project, roles and regulations (nothing when
    there is no project)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.kinds import document_files
    from jobdesc.project.layout import find_root

    try:
        root = find_root(ctx.find_root().params.get("directory") or Path.cwd())
    except (JobdescError, OSError):
        return []
    return [p.stem for _, p in document_files(root) if p.stem.startswith(incomplete)]


def _complete_role_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the role ids only (``forms`` shows the forms of a job title, not of a regulation)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.kinds import ROLE, document_files
    from jobdesc.project.layout import find_root

    try:
        root = find_root(ctx.find_root().params.get("directory") or Path.cwd())
    except (JobdescError, OSError):
        return []
    return [p.stem for kind, p in document_files(root) if kind is ROLE and p.stem.startswith(incomplete)]


@main.command()
@click.option(
    "--strict", is_flag=True, help="Считать предупреждения ошибками (код выхода 1); так проверяет хук pre-commit."
)
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Проверить jobdesc.yaml, роли, положения, связи между ними, редакции, шаблоны и стили; все ошибки сразу."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.check import check_project, check_warnings
    from jobdesc.project.lint import without_repeats

    root = _root(ctx)
    notes: list[str] = []
    project, found = check_project(root, notes)
    found += check_warnings(root, project)
    problems = [p for p in found if not p.is_warning]
    warnings = without_repeats([p for p in found if p.is_warning], problems)
    if problems or (strict and warnings):
        raise ProblemsError(problems + warnings)
    assert project is not None  # a project that does not load has problems
    for line in ProblemsError(warnings).problems:
        click.echo(str(line), err=True)
    for note in notes:
        click.echo(f"внимание: {note}", err=True)
    count, policies = len(project.roles), len(project.policies)
    documents = f"{count} {_ru_plural(count, 'роль', 'роли', 'ролей')}" + (
        f" и {policies} {_ru_plural(policies, 'положение', 'положения', 'положений')}" if policies else ""
    )
    summary = f"Ошибок нет: {documents}, {'ее' if count + policies == 1 else 'их'} редакции, шаблоны, стили и jobdesc.yaml в порядке."
    if warnings:
        n = len(set(warnings))
        summary += f" Предупреждений: {n} (перечислены выше; с --strict это ошибки)."
    click.echo(summary)


@main.command()
@click.argument("role", metavar="ID", shell_complete=_complete_role_ids)
@click.pass_context
def forms(ctx: click.Context, role: str) -> None:
    """Показать все формы наименования должности (падежи, род), чтобы проверить их до утверждения."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.check import title_overrides
    from jobdesc.language.titles import forms_report

    project = _load(ctx, role)
    if role not in project.roles:
        raise click.UsageError(f"{role} — не роль: формы наименования показываются для должностей", ctx)
    loaded = project.roles[role]
    given, _ = title_overrides(project, role)
    click.echo(forms_report(loaded.title, given))


@main.command()
@click.argument("doc_ids", nargs=-1, metavar="[ID]...", shell_complete=_complete_doc_ids)
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
    from jobdesc.build.pdf import PDFA_MARK, convert_stale, find_soffice, outdated
    from jobdesc.documents.options import Options

    root = _root(ctx)
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.disk.fsutil import refuse_output

    if out is not None:
        # lazy: a command imports only what it runs (--help and a no-op build stay fast)
        from jobdesc.project.layout import refuse_inputs

        refuse_inputs(root, out)  # the project's input folders, as the loader knows them
    refuse_output(root, out or root / "output", "--out" if out is not None else "")
    if pdf and pdf_plain:
        raise click.UsageError("--pdf и --pdf-plain вместе не указываются: выберите один вид PDF", ctx)
    if pdf or pdf_plain:
        find_soffice()  # say how to install LibreOffice before building anything
    with _progress(len(doc_ids) or _count_documents(root)) as advance:
        report = run(
            root,
            list(doc_ids) or None,
            out or root / "output",
            Options(copies, split_copies, draft, per_employee),
            force,
            jobs,
            advance,
        )
    _print_report(report, root)
    if (pdf or pdf_plain) and report.current:
        pdfs = convert_stale(report.current, archival=not pdf_plain)  # its failure comes after the report
        for path in pdfs:
            click.echo(_shown(path, root))
        if pdfs:
            click.echo(f"PDF записано: {len(pdfs)}" + ("" if pdf_plain else " (PDF/A-2b)"), err=True)
        plain = (
            [] if pdf_plain else [path for path in pdfs if PDFA_MARK not in path.read_bytes()]
        )  # door: PDFs jobdesc wrote
        if plain:  # LibreOffice before 7.4 ignores the export options
            click.echo(
                f"внимание: {_shown(plain[0], root)}"
                + (f" и еще {len(plain) - 1}" if len(plain) > 1 else "")
                + ": не PDF/A — нужен LibreOffice 7.4 или новее",
                err=True,
            )
    elif old_pdfs := outdated(report.current):
        click.echo(
            f"внимание: {_shown(old_pdfs[0], root)}"
            + (f" и еще {len(old_pdfs) - 1}" if len(old_pdfs) > 1 else "")
            + " старше своего документа — обновить: jobdesc build --pdf",
            err=True,
        )
    if report.failed:
        raise JobdescError(f"не собрано документов: {len(report.failed_documents)} — ошибки перечислены выше")


def _print_report(report, root: Path) -> None:  # noqa: ANN001 - batch.Report
    """Files written on stdout; warnings, problems and the summary on stderr."""
    for path in report.written:
        click.echo(_shown(path, root))

    removed = [f"удален устаревший файл {_shown(path, root)}: {why}" for path, why in report.removed]
    failed = [str(p) for p in report.failed[:MAX_SHOWN]]  # a document with 50,000 problems: the first ones
    if len(report.failed) > MAX_SHOWN:
        rest = len(report.failed) - MAX_SHOWN
        failed.append(f"… и еще {rest} (всего {len(report.failed)}): исправьте показанные и соберите снова")
    for line in [*removed, *(f"внимание: {w}" for w in report.warnings), *failed, report.summary()]:
        click.echo(line, err=True)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _count_documents(root: Path) -> int:
    """How many documents a build goes through (for the progress bar): source files, counted by name."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.kinds import KINDS, source_name

    count = 0
    for kind in KINDS:
        try:
            count += sum(1 for entry in os.scandir(root / kind.folder) if source_name(entry.name))
        except OSError:
            continue
    return count


class _progress:
    """A progress bar on stderr for builds of many documents at a terminal; silent otherwise."""

    THRESHOLD = 8

    def __init__(self, total: int) -> None:
        self.bar = None
        if total >= self.THRESHOLD and sys.stderr.isatty() and not os.environ.get("CI"):
            self.bar = click.progressbar(length=total, label="Сборка", file=sys.stderr, show_pos=True)

    def __enter__(self):  # noqa: ANN204
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


class _Date(click.ParamType):
    """A date option: ДД.ММ.ГГГГ, as Russians write it, or ГГГГ-ММ-ДД; a clear one-line refusal otherwise."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401

        # lazy: a command imports only what it runs (--help and a no-op build stay fast)
        from jobdesc.language.ru import DATE_FORMS, parse_date

        if value is None or isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            name = f"--{param.name.replace('_', '-')}: " if param is not None and param.name else ""
            raise JobdescError(f"{name}«{value}» — не дата: пишите {DATE_FORMS} (например 27.11.2026)") from None


DATE = _Date()  # every date option's type


def _text_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text option as given; refused when the terminal passed bytes that are not UTF-8."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "replace").decode("utf-8")
            raise JobdescError(
                f"--{param.name}: «{shown}» — в значении байты не в кодировке UTF-8: "
                "переключите терминал на UTF-8 и введите значение заново"
            ) from None
        # lazy: a command imports only what it runs (--help and a no-op build stay fast)
        from jobdesc.language.invisible import describe, first_hidden

        hidden = first_hidden(value)
        if hidden is not None:  # it would reach a signed document unseen
            raise JobdescError(f"--{param.name}: {describe(hidden)} — удалите его и введите значение заново")
    return value


def _load(ctx: click.Context, doc_id: str | None = None):  # noqa: ANN202
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.project.loader import load_project

    return load_project(_root(ctx), [doc_id] if doc_id else None)


@main.command()
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...", shell_complete=_complete_doc_ids)
@click.option(
    "--date", "date", required=True, type=DATE, metavar="ДАТА", help="Дата утверждения: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
)
@click.option(
    "--order",
    default=None,
    callback=_text_option,
    help="Номер приказа об утверждении, например «15-к» (необязательно).",
)
@click.option(
    "--order-date", type=DATE, metavar="ДАТА", default=None, help="Дата приказа (по умолчанию — дата утверждения)."
)
@click.option(
    "--effective",
    type=DATE,
    metavar="ДАТА",
    default=None,
    help="Дата введения в действие (по умолчанию — дата утверждения).",
)
@click.option(
    "--approver",
    default=None,
    help="Кто утвердил: «Должность, Фамилия Имя Отчество» или только ФИО (по умолчанию из jobdesc.yaml).",
    callback=_text_option,
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
@click.option(
    "--reason",
    default=None,
    callback=_text_option,
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

    root = _root(ctx)
    for edition, path in approve_all(
        root, list(doc_ids), date, order, order_date, effective, approver, sign, reason, consent
    ):
        click.echo(f"{_shown(path, root)}: редакция № {edition.number} утверждена {date:%d.%m.%Y}")


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Последняя редакция каждого документа, неутвержденные изменения, несобранные файлы и кто не ознакомлен."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import status as document_status

    root = _root(ctx)
    rows, problems = document_status(root)
    for row in rows:
        click.echo(row.line())
    if problems:
        raise ProblemsError(problems)
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.people.acks import unsigned
    from jobdesc.project.loader import load_shared

    config, _ = load_shared(root, problems)
    signers = {row.doc_id: list(row.signers) for row in rows}
    lines, warnings = unsigned(
        root, [row.doc_id for row in rows], config.document.amendments if config else "changes", signers
    )
    for line in lines:
        click.echo(line)
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import agreements_needed

    for line in agreements_needed(root, rows):
        click.echo(line)
    for warning in warnings:
        click.echo(f"внимание: {warning}", err=True)


@main.command()
@click.argument("doc_id", metavar="ID", shell_complete=_complete_doc_ids)
@click.pass_context
def history(ctx: click.Context, doc_id: str) -> None:
    """Редакции документа (роли, положения): даты, кто утвердил, приказы, сколько пунктов изменено."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.review import history as document_history

    lines = document_history(_load(ctx, doc_id), doc_id)
    click.echo("\n".join(lines) if lines else f"{doc_id}: утвержденных редакций нет")


@main.command()
@click.argument("doc_id", metavar="ID", shell_complete=_complete_doc_ids)
@click.option(
    "--from",
    "source",
    default=None,
    callback=_text_option,
    help="Номер редакции, ревизия git или working (по умолчанию последняя редакция).",
)
@click.option(
    "--to",
    "target",
    default=None,
    callback=_text_option,
    help="Номер редакции, ревизия git или working (по умолчанию рабочий файл).",
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
    from jobdesc.commands.review import diff_amendment, diff_json
    from jobdesc.documents.compose import amendment_items, compare
    from jobdesc.editions.versions import pair, requisite_changes

    project = _load(ctx, doc_id)
    old, new = pair(project, doc_id, source, target)
    changes = compare(project, old.document, new.document, full=True)  # the title and lead-ins too
    requisites = requisite_changes(old.document, new.document)
    if fmt == "json":
        click.echo(diff_json(old.label, new.label, changes, requisites))
        return
    lines = (
        diff_amendment(amendment_items(project, old.document, new.document))
        if fmt == "amendment"
        else diff_text(changes, colour=_colour())
    )
    click.echo(f"{doc_id}: {old.label} → {new.label}")
    if fmt == "text":
        click.echo("".join(f"~ {line}\n" for line in requisites), nl=False)
    click.echo("\n".join(lines))


def _colour() -> bool:
    return sys.stdout.isatty()


@main.command()
@click.argument("doc_id", metavar="ID", shell_complete=_complete_doc_ids)
@click.option(
    "--from",
    "source",
    default=None,
    callback=_text_option,
    help="Исходная версия: номер редакции, ревизия git или working (по умолчанию последняя редакция).",
)
@click.option("--to", "target", default=None, callback=_text_option, help="Новая версия (по умолчанию рабочий файл).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Файл .docx для записи.")
@click.option(
    "--author",
    default=None,
    callback=_text_option,
    help="Автор исправлений в режиме рецензирования (по умолчанию document.drafted_by из jobdesc.yaml, иначе организация).",
)
@click.pass_context
def redline(
    ctx: click.Context, doc_id: str, source: str | None, target: str | None, out: Path, author: str | None
) -> None:
    """DOCX с исправлениями в режиме рецензирования (Word «Принять все» / «Отклонить все»)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.disk.fsutil import atomic_write
    from jobdesc.documents.redline import check_output, redline_docx
    from jobdesc.editions.versions import pair

    check_output(_root(ctx), out)
    project = _load(ctx, doc_id)
    old, new = pair(project, doc_id, source, target)
    atomic_write(out, redline_docx(project, old, new, author))
    click.echo(f"{out}: {old.label} → {new.label}, исправления в режиме рецензирования")


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
@click.option(
    "--title",
    default=None,
    callback=_text_option,
    help="Наименование должности (или положения — с --policy) в именительном падеже.",
)
@click.option(
    "--from",
    "source",
    default=None,
    metavar="ID",
    shell_complete=_complete_doc_ids,
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
    from jobdesc.commands.scaffold import new_policy, new_role, new_role_from_standard
    from jobdesc.project.kinds import POLICY, find_kind

    root = _root(ctx)
    if profstandard is not None or otf is not None or tf:
        if profstandard is None or otf is None or policy or source is not None:
            raise JobdescError("--profstandard и --function указываются вместе (без --from и --policy)")
        click.echo(new_role_from_standard(root, doc_id, profstandard, otf, title, tf).relative_to(root).as_posix())
        return
    if title is None:
        raise JobdescError("не указан параметр --title")
    if policy or (source is not None and find_kind(root, source) is POLICY):
        path = new_policy(root, doc_id, title, source)
    else:
        path = new_role(root, doc_id, title, source)
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
    from jobdesc.commands.init import GIT_CONFIG_LINE, init_project

    directory = directory or ctx.obj or Path(".")
    created = init_project(directory)
    for name in created.written:
        click.echo(_shown(directory / name, directory))
    for name in created.kept:
        click.echo(f"{name}: уже есть — оставлен как есть", err=True)
    if created.git_configured:
        click.echo(f"git: {GIT_CONFIG_LINE} — сравнение DOCX в git diff настроено", err=True)
    else:
        click.echo(f"Папка не в репозитории git: после git init выполните {GIT_CONFIG_LINE}", err=True)
    click.echo(
        "Дальше: впишите в jobdesc.yaml свою организацию (jobdesc check покажет, что осталось), затем jobdesc build; "
        "проверка перед каждым коммитом: pip install pre-commit && pre-commit install",
        err=True,
    )


class _SubGroup(_Command, click.Group):
    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)


@main.group(cls=_SubGroup, invoke_without_command=True)
@click.pass_context
def templates(ctx: click.Context) -> None:
    """Поставляемые шаблоны и файл стилей: список и копия для правки.

    Файл с тем же именем в папке templates/ проекта заменяет поставляемый.
    """
    if ctx.invoked_subcommand is None:
        _list_templates(_root(ctx.find_root()))


def _list_templates(root: Path) -> None:
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.init import shipped_templates

    for shipped in shipped_templates():
        own = (root / "templates" / shipped).is_file()
        click.echo(f"{shipped}" + ("  (заменен файлом templates/ проекта)" if own else ""))


@templates.command("copy")
@click.argument("name", required=False)
@click.pass_context
def templates_copy(ctx: click.Context, name: str | None) -> None:
    """Скопировать шаблон ИМЯ в templates/ проекта для правки; без ИМЕНИ — список шаблонов."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.commands.init import copy_template

    root = _root(ctx.find_root())
    if name is None:
        _list_templates(root)
        return
    path = copy_template(root, name)
    click.echo(_shown(path, root))


@main.group(cls=_SubGroup)
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


@main.group(cls=_SubGroup)
def staff() -> None:
    """Работники на должностях (staff.yaml — персональные данные)."""


@staff.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def staff_import(ctx: click.Context, file: Path) -> None:
    """Заполнить staff.yaml из выгрузки штатной расстановки (CSV с «;», Windows-1251 или UTF-8)."""
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.people.staff_import import import_staff
    from jobdesc.project.loader import load_project

    root = _root(ctx)
    roles = load_project(root).roles
    titles = {role_id: role.title for role_id, role in roles.items()}
    aliases = {role_id: role.staff_names for role_id, role in roles.items() if role.staff_names}
    path, imported = import_staff(root, file, str(file), titles, aliases)
    for warning in imported.warnings:
        click.echo(f"внимание: {warning}", err=True)
    import json  # lazy: a command imports only what it runs (--help and a no-op build stay fast)

    for position, rows in imported.skipped.items():
        line = json.dumps([position], ensure_ascii=False)
        hint = (
            f" (если так в учетной системе называется одна из ролей — например, прежним наименованием, — "
            f"добавьте в ее файл строку «staff_names: {line}» и повторите импорт)"
        )
        click.echo(
            f"внимание: {file}: должность «{position}» — нет роли с таким наименованием, пропущено строк: {rows}{hint}",
            err=True,
        )
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.language.names import for_person

    for employee, records in imported.dropped:
        click.echo(
            f"внимание: {_shown(path, root)}: {employee.name} ({employee.number}) нет в выгрузке — "
            f"{for_person(employee.name, 'удален', 'удалена')} из staff.yaml; записей об ознакомлении в acks/: "
            f"{records} — они остаются (если должность переименована, добавьте прежнее наименование в staff_names роли)",
            err=True,
        )
    count = len(imported.employees)
    click.echo(f"{_shown(path, root)}: {count} {_ru_plural(count, 'работник', 'работника', 'работников')}")


@main.command()
@click.argument("doc_id", metavar="ID", shell_complete=_complete_doc_ids)
@click.option("--employee", required=True, callback=_text_option, help="Табельный номер работника (из staff.yaml).")
@click.option(
    "--date", "date", required=True, type=DATE, metavar="ДАТА", help="Дата ознакомления: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
)
@click.option("--edition", type=click.IntRange(1), default=None, help="Номер редакции, с которой ознакомлен.")
@click.option("--amendment", type=click.IntRange(1), default=None, help="Номер изменений, с которыми ознакомлен.")
@click.pass_context
def ack(ctx: click.Context, doc_id: str, employee: str, date, edition: int | None, amendment: int | None) -> None:  # noqa: ANN001
    """Записать ознакомление работника под подпись с документом роли или положения.

    По умолчанию — с последним документом, утвержденным к дате ознакомления (в том числе еще не
    вступившим в силу); другой — --edition N или --amendment N.
    """
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.people.acks import AMENDMENT, EDITION, record_ack

    if edition is not None and amendment is not None:
        raise click.UsageError("--edition и --amendment вместе не указываются: выберите один документ", ctx)
    kind = EDITION if edition is not None else AMENDMENT if amendment is not None else None
    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.documents.compose import positions_of

    project = _load(ctx, doc_id)
    signers = [role_id for role_id, _ in positions_of(project.documents[doc_id], project)]
    path, document, person = record_ack(
        project.root, doc_id, employee, date, kind, edition or amendment, project.config.document.amendments, signers
    )

    # lazy: a command imports only what it runs (--help and a no-op build stay fast)
    from jobdesc.language.names import for_person

    signed = for_person(person.name, "ознакомлен", "ознакомлена")
    click.echo(
        f"{path.relative_to(project.root).as_posix()}: {person.name} {signed} {date:%d.%m.%Y} с {document.describe()}"
    )
    if date > dt.date.today():
        click.echo(
            f"внимание: --date {date:%d.%m.%Y} — дата в будущем (сегодня {dt.date.today():%d.%m.%Y}); "
            "если это опечатка, запись не исправить командой: удалите файл и запишите заново",
            err=True,
        )
