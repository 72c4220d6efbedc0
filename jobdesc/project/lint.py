"""Warnings about document text that loads and validates but would print wrong.

Each warning is a :class:`~jobdesc.errors.Problem` of severity ``warning`` naming the file, the
line and the field. The checks read the YAML node tree (``yaml.compose``), so they see what the
loaded data no longer shows: the lines a plain scalar was folded from, and its quoting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from jobdesc.disk.reading import MAX_FILE_BYTES, ProjectFiles
from jobdesc.errors import WARNING, InputRefused, Problem
from jobdesc.project.kinds import POLICY
from jobdesc.project.loader import COMMON_FILE, ROLES_DIR, role_files
from jobdesc.project.validate import ROLE_SCHEMA, field_path, schema

STANDARD_SECTIONS = {"responsibility": "Ответственность", "final_provisions": "Заключительные положения"}
PLAIN_FIELDS = ("title",)  # scalar fields printed at the start of a sentence

_FORGOTTEN_KEY = re.compile(r"[a-z_]+(?:\s+[a-z_]+)*")
_PASTED_NUMBER = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|[•·▪●◦–—-])\s+(?=\S)")
_FINAL_MARK = re.compile(r"[.;:!?…][»\"”’')\]]*$")
_SENTENCE_END = re.compile(r"[.;!?…][»\"”’')\]]*$")
_LEADING_QUOTES = "«\"'„“("

_Path = list


def is_placeholder(text: str) -> bool:
    """A «[…]» text left by ``jobdesc new`` for the user to replace."""
    text = text.strip()
    return text.startswith("[") and text.rstrip(".").endswith("]")


def placeholders(value: object, path: str = "") -> Iterator[str]:
    """Field paths (``duties[2]``) whose text is still a «[…]» placeholder of ``jobdesc new``."""
    if isinstance(value, str):
        if is_placeholder(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from placeholders(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from placeholders(item, f"{path}[{index + 1}]")


def lint_project(root: Path, files: ProjectFiles | None = None) -> list[Problem]:
    """Warnings for ``roles/_common.yaml`` and every role file (files that do not read or parse are
    skipped: their errors are reported by the loader). ``files``: the project's files, the same
    bytes the loader read (each file is read once per command)."""
    files = files or ProjectFiles()
    folder = root / ROLES_DIR
    common_path = folder / COMMON_FILE
    common_text = _text(files, common_path, root)
    common = _compose(common_text)
    common_fields = {key.value for key, _ in common.value} if isinstance(common, yaml.MappingNode) else set()
    problems: list[Problem] = []
    if common is not None:
        problems.extend(_Linter(f"{ROLES_DIR}/{COMMON_FILE}", common_text).document(common, None))
    for path in role_files(root):
        text = _text(files, path, root) if path.suffix == ".yaml" else ""
        node = _compose(text)
        if node is not None:
            problems.extend(_Linter(f"{ROLES_DIR}/{path.name}", text).document(node, common_fields))
    for path in POLICY.files(root):
        text = _text(files, path, root) if path.suffix == ".yaml" else ""
        node = _compose(text)
        if node is not None:
            problems.extend(_Linter(f"{POLICY.folder}/{path.name}", text).policy(node))
    return problems


def _text(files: ProjectFiles, path: Path, root: Path) -> str:
    """A file's text through the door ("" when it cannot be read: the loader says why)."""
    if not path.exists() and not path.is_symlink():
        return ""
    try:
        return files.read(path, MAX_FILE_BYTES, root).decode("utf-8-sig")
    except (InputRefused, UnicodeDecodeError):
        return ""


@cache
def _clause_fields() -> frozenset[str]:
    """Fields of a role that hold a list of clauses (``knowledge``, ``duties``, …)."""
    return frozenset(
        key
        for key, spec in schema(ROLE_SCHEMA)["properties"].items()
        if (spec.get("type") == "array" or spec.get("$ref", "").endswith("lauses")) and key not in NOT_CLAUSES
    )


NOT_CLAUSES = frozenset({"staff_names"})  # lists of a role that are not text of the document


def without_repeats(warnings: list[Problem], errors: list[Problem]) -> list[Problem]:
    """The warnings that are not about a field that already has an error (one mistake, one line)."""

    def within(warning: Problem, error: Problem) -> bool:
        return warning.path == error.path and (
            not error.field
            or warning.field == error.field
            or warning.field.startswith((f"{error.field}.", f"{error.field}["))
        )

    return [w for w in warnings if not any(within(w, e) for e in errors)]


def _compose(text: str) -> yaml.Node | None:
    if not text:
        return None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: plain scalars have style ""
        return yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, RecursionError):
        return None


class _Linter:
    """The warnings of one file."""

    def __init__(self, shown: str, text: str) -> None:
        self.shown = shown
        self.lines = text.split("\n")
        self.found: list[Problem] = []

    def warn(self, line: int | None, parts: _Path, message: str) -> None:
        self.found.append(Problem(self.shown, line, field_path(parts), message, WARNING))

    def document(self, root: yaml.Node, common_fields: set[str] | None) -> list[Problem]:
        """``common_fields`` is ``None`` for ``_common.yaml`` itself (no sections to require)."""
        if not isinstance(root, yaml.MappingNode):
            return []
        keys = {}
        for key_node, value in root.value:
            key = key_node.value
            keys[key] = (key_node, value)
            if key in PLAIN_FIELDS and isinstance(value, yaml.ScalarNode):
                self.title(value, [key])
            elif isinstance(value, yaml.SequenceNode) and key in _clause_fields():
                self.clauses(value, [key])
            elif key == "requirements" and isinstance(value, yaml.MappingNode):
                for sub_key, sub_value in value.value:
                    if isinstance(sub_value, yaml.SequenceNode):
                        self.clauses(sub_value, [key, sub_key.value])
                    elif isinstance(sub_value, yaml.ScalarNode):
                        self.placeholder(sub_value, [key, sub_key.value])
            elif isinstance(value, yaml.MappingNode):
                for sub_key, sub_value in value.value:
                    if isinstance(sub_value, yaml.ScalarNode):
                        self.placeholder(sub_value, [key, sub_key.value])
            elif isinstance(value, yaml.ScalarNode):
                self.placeholder(value, [key])
        if common_fields is not None:
            self.sections(root, keys, common_fields)
        return self.found

    def policy(self, root: yaml.Node) -> list[Problem]:
        """The warnings of a regulation: placeholders, and the clause style of the role files."""
        if not isinstance(root, yaml.MappingNode):
            return []
        for key_node, value in root.value:
            if isinstance(value, yaml.ScalarNode):
                self.placeholder(value, [key_node.value])
            elif key_node.value == "sections" and isinstance(value, yaml.SequenceNode):
                for index, section in enumerate(value.value):
                    if isinstance(section, yaml.MappingNode):
                        self.section(section, ["sections", index])
        return self.found

    def section(self, node: yaml.MappingNode, parts: _Path) -> None:
        for key_node, value in node.value:
            if key_node.value == "title" and isinstance(value, yaml.ScalarNode):
                self.placeholder(value, [*parts, "title"])
            elif key_node.value == "clauses" and isinstance(value, yaml.SequenceNode):
                for index, clause in enumerate(value.value):
                    where = [*parts, "clauses", index]
                    if isinstance(clause, yaml.ScalarNode):
                        self.clause(clause, where)
                    elif isinstance(clause, yaml.MappingNode):
                        for sub_key, sub_value in clause.value:
                            if sub_key.value == "text" and isinstance(sub_value, yaml.ScalarNode):
                                self.clause(sub_value, [*where, "text"])
                            elif sub_key.value == "items" and isinstance(sub_value, yaml.SequenceNode):
                                self.clauses(sub_value, [*where, "items"])

    def sections(self, root: yaml.MappingNode, keys: dict, common_fields: set[str]) -> None:
        """A standard section absent, or present without the shared clauses of ``_common.yaml``."""
        required = set(schema(ROLE_SCHEMA).get("required", ()))
        for key, title in STANDARD_SECTIONS.items():
            if key not in keys:
                if key not in required:
                    where = "«- use: common» (общие пункты)" if key in common_fields else "пункты"
                    self.warn(
                        root.start_mark.line + 1,
                        [key],
                        f"нет раздела «{title}»: в документе его не будет — добавьте {key}: с {where}",
                    )
                continue
            key_node, value = keys[key]
            uses = isinstance(value, yaml.SequenceNode) and any(
                isinstance(item, yaml.MappingNode) and any(k.value == "use" for k, _ in item.value)
                for item in value.value
            )
            if key in common_fields and not uses:
                self.warn(
                    key_node.start_mark.line + 1,
                    [key],
                    f"в разделе «{title}» нет общих пунктов из {ROLES_DIR}/{COMMON_FILE}: добавьте элемент «- use: common»",
                )

    def placeholder(self, node: yaml.ScalarNode, parts: _Path) -> bool:
        if isinstance(node.value, str) and is_placeholder(node.value):
            self.warn(
                node.start_mark.line + 1,
                parts,
                "осталась заготовка jobdesc new в [квадратных скобках]: замените ее текстом",
            )
            return True
        return False

    def title(self, node: yaml.ScalarNode, parts: _Path) -> None:
        if self.placeholder(node, parts):
            return
        text = node.value.strip()
        if _starts_lowercase(self.pasted_number(node, parts, text)):
            self.warn(
                node.start_mark.line + 1,
                parts,
                f"наименование должности начинается со строчной буквы («{text[:20]}…»), а в документе оно "
                "открывает предложения: напишите его с заглавной буквы",
            )

    def clauses(self, node: yaml.SequenceNode, parts: _Path) -> None:
        for index, item in enumerate(node.value):
            if isinstance(item, yaml.ScalarNode):
                self.clause(item, [*parts, index])
            elif isinstance(item, yaml.MappingNode):
                for key_node, value in item.value:
                    if key_node.value == "title" and isinstance(value, yaml.ScalarNode):
                        self.title_of_group(value, [*parts, index, "title"])
                    elif key_node.value == "items" and isinstance(value, yaml.SequenceNode):
                        self.clauses(value, [*parts, index, "items"])
                    elif key_node.value == "text" and isinstance(value, yaml.ScalarNode):
                        self.clause(value, [*parts, index, "text"])  # a clause with its source (профстандарт)

    def title_of_group(self, node: yaml.ScalarNode, parts: _Path) -> None:
        if self.placeholder(node, parts):
            return
        text = node.value.strip()
        self.swallowed(node, parts)
        if _starts_lowercase(self.pasted_number(node, parts, text)):
            self.warn(node.start_mark.line + 1, parts, "вводная фраза начинается со строчной буквы")
        if text.endswith((":", ".", ";")):
            self.warn(
                node.start_mark.line + 1,
                parts,
                f"вводная фраза заканчивается на «{text[-1]}», а двоеточие после нее шаблон ставит сам: уберите знак",
            )

    def clause(self, node: yaml.ScalarNode, parts: _Path) -> None:
        if self.placeholder(node, parts):
            return
        text = node.value.strip()
        line = node.start_mark.line + 1
        if not node.style and _FORGOTTEN_KEY.fullmatch(text):
            hint = (
                "похоже на «use: common» без двоеточия: напишите «- use: common»"
                if text.split() == ["use", "common"]
                else "похоже на поле без двоеточия («ключ: значение»)"
            )
            self.warn(line, parts, f"{hint}; сейчас в документ попадет пункт «{text}»")
            return
        self.swallowed(node, parts)
        if _starts_lowercase(self.pasted_number(node, parts, text)):
            self.warn(line, parts, f"пункт начинается со строчной буквы («{text[:20]}…»): напишите его с заглавной")
        if not _FINAL_MARK.search(text):
            self.warn(
                node.end_mark.line + 1 if node.end_mark.column else node.end_mark.line,
                parts,
                f"в конце пункта нет знака препинания («…{text[-20:]}»): поставьте точку",
            )

    def pasted_number(self, node: yaml.ScalarNode, parts: _Path, text: str) -> str:
        """Warn of a pasted number; the text without it."""
        found = _PASTED_NUMBER.match(text)
        if found:
            self.warn(
                node.start_mark.line + 1,
                parts,
                f"текст начинается с номера или маркера «{found.group().strip()}»: номера пунктов ставятся "
                "сами — удалите его из текста",
            )
            return text[found.end() :]
        return text

    def swallowed(self, node: yaml.ScalarNode, parts: _Path) -> None:
        """A plain scalar that YAML folded from several lines, one of which was meant as an item."""
        if node.style or node.end_mark.line <= node.start_mark.line:
            return
        last = node.end_mark.line if node.end_mark.column else node.end_mark.line - 1
        for index in range(node.start_mark.line + 1, last + 1):
            line = self.lines[index].strip()
            previous = self.lines[index - 1].rstrip()
            if line.startswith("- "):
                reason = "с лишним отступом"
            elif line[:1].isupper() and _SENTENCE_END.search(previous):
                reason = "без «- »"
            else:
                continue
            self.warn(
                index + 1,
                parts,
                f"строка {reason} слилась с пунктом выше в один («…{previous.strip()[-15:]} {line[:15]}…»): "
                "если это отдельный пункт, начните ее с «- » на уровне остальных пунктов",
            )


def _starts_lowercase(text: str) -> bool:
    stripped = text.lstrip(_LEADING_QUOTES)
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()
