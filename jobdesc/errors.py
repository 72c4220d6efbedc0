"""Errors a user can cause, each carrying where it happened: the one exception hierarchy.

    JobdescError            a user mistake or an environment problem: one line, exit code 1
    ├── ProblemsError       every problem found at once, one ``PATH:LINE: field: message`` per line
    │   └── ProblemError    one problem, raised where it was found
    │       ├── YamlProblem       a file that is not acceptable YAML
    │       └── TemplateProblem   a template that does not parse or render
    ├── InputRefused        a file that cannot be read as input (``reason``: a Russian phrase)
    └── MarkdownError       template output the document model does not support

The CLI prints any of them as they are; a library caller catches :class:`JobdescError`. The core
knows nothing of the command line: only :mod:`jobdesc.cli` turns these into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"  # printed by ``jobdesc check``, an error only under ``check --strict``


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input: file, line, field path, a message and a severity
    (:data:`ERROR` or :data:`WARNING`)."""

    path: str
    line: int | None
    field: str
    message: str
    severity: str = ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def __str__(self) -> str:
        if not self.path:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def split_warnings(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of a list of problems."""
    return [p for p in problems if p.severity != "warning"], [p for p in problems if p.severity == "warning"]


def rephrase(rules, text: str) -> str | None:  # noqa: ANN001 - tuples of (regex, template or function)
    """The first rule whose regex finds ``text``, applied to the groups it caught (``None``: no rule).

    A rule's result is a ``str.format`` template, or a function of the groups: how the English
    messages of click, Jinja and YAML are put into Russian.
    """
    for pattern, result in rules:
        found = pattern.search(text)
        if found:
            groups = [group or "" for group in found.groups()]
            return result(*groups) if callable(result) else result.format(*groups)
    return None


class JobdescError(Exception):
    """A user mistake or an environment problem, reported as one line (or one per problem): ``message``."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def format_message(self) -> str:
        return self.message


class ProblemsError(JobdescError):
    """Every problem found in the project at once, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:  # a file with 50,000 unknown keys: the first ones and a count
            rest = len(self.problems) - MAX_SHOWN
            shown.append(f"… и еще {rest} (всего {len(self.problems)}): исправьте показанные и проверьте снова")
        super().__init__("\n".join(shown))


MAX_SHOWN = 200  # problems printed at once


class ProblemError(ProblemsError):
    """One problem, raised where it was found (a YAML file, a template); ``problem`` is it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])
        self.problem = problem


class YamlProblem(ProblemError):
    """A file that is not acceptable YAML."""


class TemplateProblem(ProblemError):
    """A template that does not parse or render."""


class InputRefused(JobdescError):
    """A file that cannot be read as input; ``reason`` is a Russian phrase for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MarkdownError(JobdescError, ValueError):
    """Template output that the document model does not support; ``line``: its line in the
    output (from 1), which the caller traces to a template's line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    def at_output_line(self) -> str:
        """The message with the output's line, for when no template line is known."""
        return f"{self.message} (строка {self.line} текста шаблона)" if self.line else self.message
