"""The Russian layer over click: what click writes in English — the usage line, the headings and
brackets of ``--help``, the names of value types, the messages of command-line mistakes — said in
Russian, and how a run ends: a mistake or an error as one line on stderr with exit code 1 (never a
traceback), Ctrl-C as «Прервано.».

The commands themselves are in :mod:`jobdesc.cli.main`; they are made with :class:`Group`,
:class:`SubGroup` and :class:`Command` from here.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from jobdesc.errors import JobdescError, rephrase

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


class Command(click.Command):
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


class SubGroup(Command, click.Group):
    """A group of commands under jobdesc (``templates``, ``profstandard``, ``staff``): Russian --help."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)


class Group(SubGroup):
    """The jobdesc group: Russian --help, and command-line mistakes as one line with exit code 1."""

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
            from jobdesc.disk.fsutil import describe  # lazy: only on errors

            click.echo(f"стандартный вывод: не удается записать: {describe(exc)}", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _stdout_broken(exc: OSError) -> bool:
    """Whether ``exc`` is click failing to write our output (a full disk, a closed pipe); if so,
    standard output is pointed at /dev/null so that Python's own flush at exit does not fail."""
    import traceback  # lazy: only on errors

    frames = traceback.extract_tb(exc.__traceback__)
    if not any(frame.name in ("echo", "flush") and "click" in frame.filename for frame in frames):
        return False
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # door: /dev/null, not a project file
    except (OSError, ValueError):
        pass
    return True
