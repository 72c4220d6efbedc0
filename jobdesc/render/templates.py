"""The sandboxed Jinja environment that turns a role into Markdown.

The templates and the styles file ship in the package (``jobdesc/templates/``); a project
overrides any of them with a file of the same name in its own ``templates/`` folder.
"""

from __future__ import annotations

import re
import traceback
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from jobdesc import ru
from jobdesc.errors import Problem, rephrase
from jobdesc.project import PACKAGE_TEMPLATES
from jobdesc.render.markdown import escape

STYLES_FILE = "styles.docx"
SHOWN_FOLDER = "templates"  # how messages name the templates folder
PACKAGE_PREFIX = "jobdesc"  # {% extends "jobdesc/NAME" %} reaches the shipped template from an override


def template_file(folder: Path, name: str) -> Path:
    """The file that ``name`` (a template or the styles file) resolves to: the project's, else the shipped one."""
    own = folder / name
    return own if own.is_file() else PACKAGE_TEMPLATES / name


def template_names(folder: Path) -> list[str]:
    """Every template (``*.j2``, subfolders too) of the project folder and the package, by name."""
    names = {
        path.relative_to(layer).as_posix()
        for layer in (folder, PACKAGE_TEMPLATES)
        if layer.is_dir()
        for path in layer.rglob("*.j2")
        if path.is_file()
    }
    return sorted(names)


def shown_name(folder: Path, path: Path) -> str:
    """How messages name a template file: ``templates/NAME`` in the project, ``jobdesc/templates/NAME`` shipped."""
    for layer, prefix in ((folder, SHOWN_FOLDER), (PACKAGE_TEMPLATES, f"{PACKAGE_PREFIX}/{SHOWN_FOLDER}")):
        try:
            return f"{prefix}/{path.resolve().relative_to(layer.resolve()).as_posix()}"
        except ValueError:
            continue
    return str(path)


def shown_template(folder: Path, name: str) -> str:
    """How messages name template ``name`` (the file it resolves to)."""
    if name.startswith(f"{PACKAGE_PREFIX}/"):
        return f"{PACKAGE_PREFIX}/{SHOWN_FOLDER}/{name.removeprefix(PACKAGE_PREFIX + '/')}"
    return shown_name(folder, template_file(folder, name))


def _finalize(value: object) -> str:
    """Every ``{{ value }}`` is literal text in the Markdown, never markup."""
    return "" if value is None else escape(str(value))


@lru_cache(maxsize=8)
def environment(folder: Path) -> SandboxedEnvironment:
    """The Jinja environment of a project's templates folder over the shipped templates (cached per folder)."""
    shipped = FileSystemLoader(str(PACKAGE_TEMPLATES))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(folder)), shipped, PrefixLoader({PACKAGE_PREFIX: shipped}, delimiter="/")]
        ),
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


def render_markdown(folder: Path, name: str, context: dict) -> str:
    """Render one template; any template mistake becomes a :class:`TemplateProblem`."""
    try:
        return environment(folder).get_template(name).render(context)
    except TemplateSyntaxError as exc:
        where = shown_name(folder, Path(exc.filename)) if exc.filename else shown_template(folder, exc.name or name)
        raise TemplateProblem(
            Problem(where, exc.lineno, "", f"ошибка в шаблоне: {translate(exc.message or '')}")
        ) from None
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
        shown, line = _template_frame(exc, folder, name)
        raise TemplateProblem(Problem(shown, line, "", f"ошибка в шаблоне: {_describe(exc)}")) from None


def _template_frame(exc: Exception, folder: Path, name: str) -> tuple[str, int | None]:
    """The template file and line where rendering failed, from the traceback Jinja rewrites."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix == ".j2":
            return shown_name(folder, path), frame.lineno
    return shown_template(folder, name), None


_JINJA_MESSAGES = (  # Jinja's wording → Russian, for the messages a template writer meets
    (re.compile(r"'(.+)' is undefined"), "неизвестная переменная «{0}»"),
    (
        re.compile(r"'(.+)' has no attribute '(.+)'"),
        lambda described, field: "у «{}» нет поля «{}»{}".format(*_object_and_hint(described, field)),
    ),
    (re.compile(r"No filter named '(.+)'"), "нет фильтра «{0}»"),
    (re.compile(r"No test named '(.+)'"), "нет проверки «{0}»"),
    (re.compile(r"Unexpected end of template.*"), "шаблон обрывается: не закрыт блок {{% … %}}"),
    (re.compile(r"Encountered unknown tag '(.+?)'.*"), "неизвестный тег «{0}» (или не закрыт предыдущий блок)"),
    (re.compile(r"unexpected '(.+)'"), "неожиданный символ «{0}»"),
    (re.compile(r"Expected an expression.*"), "ожидалось выражение"),
    (re.compile(r"expected token '(.+?)', got '(.+)'"), "ожидалось «{0}», а встретилось «{1}»"),
)


# What the templates call the objects they are given (see the context in jobdesc.build).
_NAMES = {
    "Organisation": "org",
    "Person": "approver",
    "Role": "role",
    "DocumentSettings": "settings",
    "Approval": "approval",
    "Requirements": "role.requirements",
    "Appointment": "role.appointment",
    "Edition": "previous",
    "Order": "approval.order",
    "Subsection": "duty",
}


def translate(message: str) -> str:
    """Jinja's English message in Russian when it is a familiar one, else as it is."""
    return rephrase(_JINJA_MESSAGES, message) or message


def _object_and_hint(described: str, attribute: str) -> tuple[str, str, str]:
    """«jobdesc.model.Organisation object», «cty» → «org», «cty», « (возможно, city)» from its fields."""
    import dataclasses
    import difflib

    from jobdesc import build, editions, model

    class_name = described.removesuffix(" object").rsplit(".", 1)[-1]
    cls = next((getattr(m, class_name) for m in (model, build, editions) if hasattr(m, class_name)), None)
    if cls is None or not dataclasses.is_dataclass(cls):
        return described, attribute, ""
    fields = [f.name for f in dataclasses.fields(cls)]
    close = difflib.get_close_matches(attribute, fields, n=1)
    hint = f" (возможно, {close[0]})" if close else f"; есть: {', '.join(fields)}"
    return _NAMES.get(class_name, class_name), attribute, hint


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
