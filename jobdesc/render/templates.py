"""The sandboxed Jinja environment that turns a role into Markdown."""

from __future__ import annotations

import re
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
        lower_first=ru.lower_first,
        nowrap=lambda text: str(text).replace(" ", ru.NBSP),
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
        raise TemplateProblem(Problem(where, exc.lineno, "", f"ошибка в шаблоне: {translate(exc.message or '')}")) from None
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


_JINJA_MESSAGES = (  # Jinja's wording → Russian, for the messages a template writer meets
    (re.compile(r"'(.+)' is undefined"), "неизвестная переменная «{0}»"),
    (re.compile(r"'(.+)' has no attribute '(.+)'"), "у «{0}» нет поля «{1}»"),
    (re.compile(r"No filter named '(.+)'"), "нет фильтра «{0}»"),
    (re.compile(r"No test named '(.+)'"), "нет проверки «{0}»"),
    (re.compile(r"Unexpected end of template.*"), "шаблон обрывается: не закрыт блок {{% … %}}"),
    (re.compile(r"Encountered unknown tag '(.+?)'.*"), "неизвестный тег «{0}» (или не закрыт предыдущий блок)"),
    (re.compile(r"unexpected '(.+)'"), "неожиданный символ «{0}»"),
    (re.compile(r"Expected an expression.*"), "ожидалось выражение"),
    (re.compile(r"expected token '(.+?)', got '(.+)'"), "ожидалось «{0}», а встретилось «{1}»"),
)


def translate(message: str) -> str:
    """Jinja's English message in Russian when it is a familiar one, else as it is."""
    for pattern, russian in _JINJA_MESSAGES:
        found = pattern.search(message)
        if found:
            return russian.format(*found.groups())
    return message


def _describe(exc: Exception) -> str:
    from jinja2.exceptions import SecurityError, TemplateNotFound

    if isinstance(exc, TemplateNotFound):
        return f"шаблон {exc.name} не найден"
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']+)'", str(exc.message))
        what = f" ({found.group(1)})" if found else ""
        return f"запрещенное обращение к внутренностям Python{what}: шаблоны выполняются в песочнице"
    if isinstance(exc, ZeroDivisionError):
        return "деление на ноль"
    if isinstance(exc, TemplateError):
        return translate(str(exc.message or exc))
    return f"{type(exc).__name__}: {exc}"
