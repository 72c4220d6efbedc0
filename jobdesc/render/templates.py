"""The sandboxed Jinja environment that turns a role into Markdown."""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from jobdesc import ru
from jobdesc.errors import Problem
from jobdesc.render.markdown import escape

JOB_DESCRIPTION = "job-description.md.j2"
STYLES_FILE = "styles.docx"


class Markup(str):
    """Template text that is already Markdown and must not be escaped."""


def _finalize(value: object) -> str:
    """Every ``{{ value }}`` is literal text in the Markdown, never markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return escape(str(value))


@lru_cache(maxsize=8)
def environment(folder: Path) -> SandboxedEnvironment:
    """The Jinja environment of a templates folder (cached per folder)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        genitive=ru.genitive_title,
        date_words=ru.date_words,
        date_numeric=ru.date_numeric,
        initials=ru.initials_surname,
        lower_first=lambda text: text[:1].lower() + text[1:],
    )
    env.globals.update(blank_date=ru.BLANK_DATE)
    return env


class TemplateProblem(Exception):
    """A template that does not parse or render; carries the :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def render_markdown(folder: Path, name: str, context: dict, shown_folder: str = "templates") -> str:
    """Render one template; any template mistake becomes a :class:`TemplateProblem`."""
    try:
        return environment(folder).get_template(name).render(context)
    except TemplateSyntaxError as exc:
        where = f"{shown_folder}/{exc.name or name}"
        raise TemplateProblem(Problem(where, exc.lineno, "", f"ошибка в шаблоне: {exc.message}")) from None
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
        shown, line = _template_frame(exc, folder, name, shown_folder)
        raise TemplateProblem(Problem(shown, line, "", f"ошибка в шаблоне: {_describe(exc)}")) from None


def _template_frame(exc: Exception, folder: Path, name: str, shown_folder: str) -> tuple[str, int | None]:
    """The template file and line where rendering failed, from the traceback Jinja rewrites."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix == ".j2":
            try:
                return f"{shown_folder}/{path.resolve().relative_to(folder.resolve()).as_posix()}", frame.lineno
            except ValueError:
                continue
    return f"{shown_folder}/{name}", None


def _describe(exc: Exception) -> str:
    from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

    if isinstance(exc, TemplateNotFound):
        return f"шаблон {exc.name} не найден"
    if isinstance(exc, SecurityError):
        return f"запрещенное обращение ({exc.message})"
    if isinstance(exc, UndefinedError):
        return f"неизвестная переменная или поле ({exc.message})"
    if isinstance(exc, TemplateError):
        return str(exc.message or exc)
    return f"{type(exc).__name__}: {exc}"
