"""Safe YAML loading that remembers the line of every key and list item.

Mappings load as :class:`LocatedDict`, sequences as :class:`LocatedList`; both know their own
line and the line of each entry, so that every later error can name ``file:line``. Aliases,
duplicate keys, Python tags and implicit dates are refused: a role file holds plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from jobdesc.disk.reading import MAX_FILE_BYTES, InputRefused, ProjectFiles, read_input
from jobdesc.errors import Problem, YamlProblem
from jobdesc.project.located import LocatedDict, LocatedList

if TYPE_CHECKING:
    _Base = yaml.SafeLoader  # the checker's view: CSafeLoader has the same interface
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ten times faster


class _Loader(_Base):
    """A safe loader without aliases, duplicate keys or timestamps, keeping line numbers."""

    def construct_object(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML's signature
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "ссылки YAML (*alias) не поддерживаются: напишите текст полностью", node.start_mark
            )
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "слияние YAML (<<) не поддерживается: напишите поля полностью", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, f"ключ должен быть текстом, а не {key!r}", key_node.start_mark
                )
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{key}: ключ повторяется (первый раз в строке {result.key_lines[key]})",
                    key_node.start_mark,
                )
            if value_node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{key}: ссылки YAML (*alias) не поддерживаются: напишите текст полностью",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):  # noqa: ANN001, ANN201
        result = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    def resolve(self, kind, value, implicit):  # noqa: ANN001, ANN201 - PyYAML's signature
        """The tag of a node, as PyYAML's resolver gives it, at a third of its cost (libyaml's
        composer asks for every node): this loader has no path resolvers and no wildcard ones."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ

    def construct_document(self, node):  # noqa: ANN001, ANN201
        """The document, built by :func:`_plain_tree` when it holds only what a project file
        usually does; anything else (an alias, a merge, a tag, a key repeated or not text, an
        error) is built by PyYAML's constructor above, which says what is wrong."""
        try:
            return _plain_tree(node, self, set())
        except Exception:  # noqa: BLE001 - the full constructor makes it, or says why it cannot
            return super().construct_document(node)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")


class _Unusual(Exception):  # noqa: N818 - not an error: the full constructor takes over
    """A node :func:`_plain_tree` leaves to PyYAML's constructor."""


def _plain_tree(node: yaml.Node, loader: _Loader, seen: set[int]) -> object:
    """What :class:`_Loader`'s constructor makes of a tree of text, numbers, mappings and
    sequences (each node once), without its bookkeeping of objects under construction: about
    four times faster. A node it does not know raises :class:`_Unusual`."""
    if id(node) in seen:  # an alias: the same node again
        raise _Unusual
    seen.add(id(node))
    tag = node.tag
    if tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    if tag == _MAP and type(node) is yaml.MappingNode:
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        key_lines = result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR or type(key_node) is not yaml.ScalarNode or id(key_node) in seen:
                raise _Unusual
            seen.add(id(key_node))
            key = key_node.value
            if key in result:
                raise _Unusual
            result[key] = _plain_tree(value_node, loader, seen)
            key_lines[key] = key_node.start_mark.line + 1
        return result
    if tag == _SEQ and type(node) is yaml.SequenceNode:
        items = LocatedList(_plain_tree(child, loader, seen) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    if tag in _SCALARS and type(node) is yaml.ScalarNode:
        return loader.yaml_constructors[tag](loader, node)  # its own checks (an integer too long)
    raise _Unusual


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_constructors = dict(yaml.SafeLoader.yaml_constructors)
# the implicit resolvers by the first character of a plain scalar, for :meth:`_Loader.resolve`
# (which relies on there being no path resolvers and no wildcard resolvers)
assert not _Loader.yaml_path_resolvers and None not in _Loader.yaml_implicit_resolvers
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """An integer; one of more digits than Python converts (4300) is a clear error at its line."""
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"число из {len(node.value)} знаков — слишком длинное; если это текст, возьмите его в кавычки",
            node.start_mark,
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def decode(data: bytes, shown: str) -> str:
    """Text of a UTF-8 file (a BOM is allowed); a clear problem for anything else."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise YamlProblem(Problem(shown, None, "", "файл в кодировке UTF-32: сохраните его в UTF-8"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(Problem(shown, None, "", "файл в кодировке UTF-16: сохраните его в UTF-8"))
    if b"\x00" in data:
        raise YamlProblem(Problem(shown, None, "", "это не текстовый файл (двоичные данные)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            Problem(shown, line, "", "файл не в кодировке UTF-8 (возможно, Windows-1251): сохраните его в UTF-8")
        ) from None


def load_yaml(path: Path, shown: str, inside: Path | None = None, files: ProjectFiles | None = None) -> object:
    """Load one YAML file; ``shown`` is the path printed in messages.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read (see :mod:`jobdesc.disk.reading`);
    ``inside``: the folder a symbolic link must not lead out of. ``files``: the project's files,
    which read and parse each file once per command.
    """
    if files is not None:
        return files.derived("yaml", path, lambda: _parsed(files.read, path, shown, inside))
    return _parsed(read_input, path, shown, inside)


def _parsed(read: Callable[[Path, int, Path | None], bytes], path: Path, shown: str, inside: Path | None) -> object:
    try:
        data = read(path, MAX_FILE_BYTES, inside)
    except InputRefused as exc:
        raise YamlProblem(Problem(shown, None, "", f"не удается прочитать файл: {exc.reason}")) from None
    return load_bytes(data, shown)


def load_bytes(data: bytes, shown: str) -> object:
    """Load YAML from a file's bytes (a file on disk, or one read from git)."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(shown, None, "", f"файл слишком большой ({len(data)} байт, предел {MAX_FILE_BYTES})"))
    return loads(decode(data, shown), shown)


def loads(text: str, shown: str) -> object:
    """Load YAML text; every YAML error becomes a :class:`YamlProblem` with its line."""
    comment = _comment_in_clause(text)
    if comment:
        raise YamlProblem(
            Problem(
                shown,
                comment,
                "",
                "текст после « #» — комментарий YAML и в документ не попадет; "
                "если «#» — часть пункта, возьмите весь пункт в кавычки",
            )
        )
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _NO_COLON in (exc.problem or "") and exc.context_mark:  # the line that lacks «- » or «: »
            mark = exc.context_mark
        line = mark.line + 1 if mark else None
        plain = _plain_reason(exc)
        if plain:
            raise YamlProblem(Problem(shown, line, "", plain)) from None
        special = None if isinstance(exc, yaml.constructor.ConstructorError) else _special_start(text, line)
        if special:
            number, char = special
            raise YamlProblem(
                Problem(
                    shown,
                    number,
                    "",
                    f"ошибка YAML: текст начинается с «{char}» — особого знака YAML; возьмите весь текст в кавычки",
                )
            ) from None
        unclosed = _unclosed_quote(text, line)
        if unclosed:
            raise YamlProblem(
                Problem(shown, unclosed, "", "ошибка YAML: кавычка открыта, но не закрыта в этой строке")
            ) from None
        source_line = text.split("\n")[line - 1] if line and line <= text.count("\n") + 1 else ""
        raise YamlProblem(Problem(shown, line, "", _describe(exc, source_line))) from None
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        found = text.find(chr(code))  # libyaml counts bytes, PyYAML characters: find the character itself
        line = text[:found].count("\n") + 1 if found >= 0 else None
        raise YamlProblem(
            Problem(
                shown,
                line,
                "",
                f"недопустимый управляющий символ U+{code:04X} (невидимый знак, часто попадает при копировании): удалите его",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(shown, None, "", f"ошибка YAML: {exc}")) from None
    except RecursionError:
        raise YamlProblem(Problem(shown, None, "", "слишком глубокая вложенность")) from None


_NO_COLON = "could not find expected ':'"
_CLAUSE_WITH_COMMENT = re.compile(r"""^\s*-\s+(?!["'|>\[{])(?:[^:#\n]|:(?!\s))*?\S\s+#""")
_SPECIAL_START = re.compile(r"""^\s*(?:-\s+|[^\s:#'"-][^:#]*:\s+)([{\[*&!%@`])""")


def _comment_in_clause(text: str) -> int | None:
    """The first list item whose plain text is cut by « #» (YAML reads the rest as a comment)."""
    if "#" not in text:  # most files: no line to look at
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" in line and _CLAUSE_WITH_COMMENT.match(line):
            return number
    return None


def _special_start(text: str, until: int | None) -> tuple[int, str] | None:
    """A value starting with a YAML indicator ({, [, *, &, !, %, @, `) near a syntax error."""
    lines = text.split("\n")
    last = min(until or len(lines), len(lines))
    for number in range(last, max(0, last - 3), -1):
        found = _SPECIAL_START.match(lines[number - 1])
        if found:
            return number, found.group(1)
    return None


_OPENING_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, until: int | None) -> int | None:
    """The first line (up to ``until``) whose quoted value opens and never closes on it."""
    for number, line in enumerate(text.split("\n")[: until or None], start=1):
        match = _OPENING_QUOTE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        body = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in body:
            return number
    return None


def _plain_reason(exc: yaml.MarkedYAMLError) -> str | None:
    """Errors whose cause is certain, said before any guess about quotes or indentation."""
    problem = exc.problem or ""
    if "escape" in problem:
        return (
            "ошибка YAML: недопустимая последовательность с «\\» в тексте в двойных кавычках "
            "(например, \\ud800): возьмите текст в одинарные кавычки или удвойте «\\»"
        )
    if "incompatible YAML document" in problem or "found incompatible" in problem:
        return "неподдерживаемая версия YAML в строке %YAML: удалите эту строку (файлы читаются как YAML 1.1)"
    return None


def _describe(exc: yaml.MarkedYAMLError, source_line: str) -> str:
    """A short Russian message for a YAML error (libyaml's or PyYAML's wording)."""
    problem = exc.problem or ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in problem:
        return "символ табуляции: в YAML отступы делаются только пробелами"
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip()
        return f"теги YAML не поддерживаются ({tag})"
    if "mapping values are not allowed" in problem:
        return "ошибка YAML: неожиданное двоеточие (возможно, неверный отступ или текст с «: » без кавычек)"
    if _NO_COLON in problem:
        return (
            "ошибка YAML: строка без «- » в начале и без «ключ: » — если это пункт списка, "
            "начните ее с «- » на уровне остальных пунктов"
        )
    if "nesting depth" in problem:
        return "ошибка YAML: слишком глубокая вложенность"
    if "expected a single document" in problem or "but found another document" in problem:
        return "ошибка YAML: в файле больше одного документа (строка «---»): оставьте один"
    if "quoted scalar" in (exc.context or ""):
        return "ошибка YAML: незакрытая кавычка"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "ошибка YAML: неверный отступ или незакрытая кавычка"
    if isinstance(exc, yaml.constructor.ConstructorError) and not exc.context:
        return problem
    context = f"{exc.context}; " if exc.context else ""
    return f"ошибка YAML: {context}{problem}".rstrip("; ")
