"""The command line's parameters: the date type, text options refused when they carry what the
reader cannot see, shell completion of document ids, and the option blocks several commands share
(one decorator each, so that a help text is written once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jobdesc.errors import JobdescError


def complete_doc_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the document ids of the project, roles and regulations (nothing when
    there is no project)."""
    return _document_ids(ctx, incomplete, roles_only=False)


def complete_role_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the role ids only (``forms`` shows the forms of a job title, not of a regulation)."""
    return _document_ids(ctx, incomplete, roles_only=True)


def _document_ids(ctx: click.Context, incomplete: str, roles_only: bool) -> list[str]:
    # lazy: completion alone needs the project's files (--help loads no module of the core)
    from jobdesc.project.kinds import ROLE, document_files
    from jobdesc.project.layout import find_root

    try:
        root = find_root(ctx.find_root().params.get("directory") or Path.cwd())
    except (JobdescError, OSError):
        return []
    return [
        p.stem for kind, p in document_files(root) if (kind is ROLE or not roles_only) and p.stem.startswith(incomplete)
    ]


class _Date(click.ParamType):
    """A date option: ДД.ММ.ГГГГ, as Russians write it, or ГГГГ-ММ-ДД; a clear one-line refusal otherwise."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        from jobdesc.language.ru import DATE_FORMS, parse_date  # lazy: only when a date is given

        if value is None or isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            name = f"--{param.name.replace('_', '-')}: " if param is not None and param.name else ""
            raise JobdescError(f"{name}«{value}» — не дата: пишите {DATE_FORMS} (например 27.11.2026)") from None


DATE = _Date()  # every date option's type


def checked_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
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
        from jobdesc.language.invisible import describe, first_hidden  # lazy: only when a text is given

        hidden = first_hidden(value)
        if hidden is not None:  # it would reach a signed document unseen
            raise JobdescError(f"--{param.name}: {describe(hidden)} — удалите его и введите значение заново")
    return value


F = TypeVar("F", bound=Callable[..., Any])


def text_option(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """An option of free text (a title, an order number, a name), checked by :func:`checked_text`."""
    return click.option(*names, callback=checked_text, **kwargs)


def date_option(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """An option that is a date (:data:`DATE`, shown as ДАТА)."""
    return click.option(*names, type=DATE, metavar="ДАТА", **kwargs)


def doc_id_argument(function: F) -> F:
    """The ``ID`` of one document, role or regulation, completed by the shell."""
    return click.argument("doc_id", metavar="ID", shell_complete=complete_doc_ids)(function)


def versions_options(source_help: str, target_help: str) -> Callable[[F], F]:
    """``--from`` and ``--to``: the two versions of a document compared (``diff``, ``redline``)."""

    def decorate(function: F) -> F:
        function = text_option("--to", "target", help=target_help)(function)
        return text_option("--from", "source", help=source_help)(function)

    return decorate
