"""Shape checks against the JSON Schemas, reporting every problem with its line."""

from __future__ import annotations

import difflib
import json
import marshal
import re
from functools import cache
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any, overload

from jobdesc.errors import Problem
from jobdesc.language.invisible import HIDDEN
from jobdesc.language.invisible import describe as describe_hidden
from jobdesc.project.located import LocatedDict, LocatedList

ROLE_SCHEMA = "role.schema.json"
CONFIG_SCHEMA = "config.schema.json"
COMMON_SCHEMA = "common"


SCHEMA_FOLDER = Path(__file__).resolve().parent.parent / "schema"


@cache
def schema(name: str) -> dict:
    """A shipped JSON Schema by file name (``common`` is derived from the role schema)."""
    if name == COMMON_SCHEMA:
        role = schema(ROLE_SCHEMA)
        shared = [key for key, spec in role["properties"].items() if spec.get("$ref") == "#/$defs/clauses"]
        return {
            "$schema": role["$schema"],
            "title": "Общие пункты (roles/_common.yaml)",
            "type": "object",
            "additionalProperties": False,
            "properties": {key: {"$ref": "#/$defs/plainClauses"} for key in shared},
            "$defs": role["$defs"],
        }
    # (importlib.resources costs 7 ms of imports at every start: jobdesc is installed as files,
    # as its templates are read)
    return json.loads((SCHEMA_FOLDER / name).read_text(encoding="utf-8"))  # door: the package's own schema


@cache
def _validator(name: str):  # noqa: ANN202
    # lazy: brings jsonschema; loaded only by the commands that get here
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


FAST_AFTER = 0  # documents of a schema checked before the compiled schema is used (it is cached on disk)
_checked: dict[str, int] = {}


@cache
def _fast_validator(name: str):  # noqa: ANN202
    """The schema compiled to Python by fastjsonschema (a yes-or-no answer, ten times faster)."""
    # lazy: brings fastjsonschema; loaded only by the commands that get here
    import fastjsonschema

    # lazy: jobdesc.disk.cache and what it imports (5 modules) load only for the commands that get here
    from jobdesc.disk import cache

    local = {key: value for key, value in schema(name).items() if key not in ("$id", "$schema")}  # refs stay local
    definition = _draft7(local)
    assert isinstance(definition, dict)  # a schema object stays one
    entry = cache.key(json.dumps(definition, sort_keys=True), fastjsonschema.VERSION, MAGIC_NUMBER.hex())
    namespace: dict = {}
    stored = cache.load("schemas", entry)
    if stored is not None:
        try:  # the generated code compiled before (compiling it costs as much as generating it)
            exec(marshal.loads(stored), namespace)  # noqa: S102 - code fastjsonschema generated
            return namespace["validate"]
        except Exception:  # noqa: BLE001, S110 - a damaged entry: generated anew
            namespace = {}
    code = compile(
        fastjsonschema.compile_to_code(definition, handlers={}, use_default=False, use_formats=False),
        f"<schema {name}>",
        "exec",
    )
    cache.store("schemas", entry, marshal.dumps(code))
    exec(code, namespace)  # noqa: S102
    return namespace["validate"]


_ANNOTATIONS = {"$ref", "description", "title", "default", "examples"}


@overload
def _draft7(node: dict) -> dict: ...
@overload
def _draft7(node: object) -> object: ...
def _draft7(node: object) -> object:
    """The schema as draft 7 reads it: there a ``$ref`` hides its sibling keywords (``maxLength``
    beside a ``$ref``), so such a ``$ref`` goes into an ``allOf`` of its own."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in result and set(result) - _ANNOTATIONS:
        result["allOf"] = [{"$ref": result.pop("$ref")}, *result.get("allOf", [])]
    return result


def _valid(data: object, name: str) -> bool:
    """Whether ``data`` fits the schema, from the compiled schema once a process has checked many."""
    _checked[name] = _checked.get(name, 0) + 1
    if _checked[name] <= FAST_AFTER:
        return False  # jsonschema says (its import is cheaper than compiling for a few documents)
    # lazy: brings fastjsonschema; loaded only by the commands that get here
    from fastjsonschema import JsonSchemaException

    try:
        _fast_validator(name)(data)
    except JsonSchemaException:
        return False
    return True


def check_shape(data: object, schema_name: str, shown: str, texts_checked: bool = False) -> list[Problem]:
    """Every way ``data`` (loaded by :mod:`jobdesc.project.yamlio`) breaks the schema.

    Data that fits is confirmed by the compiled schema; the problems of data that does not are
    found and explained with jsonschema. ``texts_checked``: every text of ``data`` is known to
    hold no hidden character (a part of data checked whole a moment before).
    """
    if data is None:
        return [Problem(shown, None, "", "файл пуст")]
    controls = list(_control_characters(data, [])) if not texts_checked and _hides(data) else []
    if not controls and _valid(data, schema_name):
        return []
    errors = list(_validator(schema_name).iter_errors(data))
    misspelt = {  # a misspelt required key is one mistake: report the unknown key only
        (tuple(error.absolute_path), close)
        for error in errors
        if error.validator == "additionalProperties"
        for key in list(error.instance)[:MAX_HINTED]
        if key not in error.schema.get("properties", {})
        for close in difflib.get_close_matches(str(key), list(error.schema.get("properties", {})), n=1)
    }
    misspelt |= {  # a clause with «: » read as a mapping: the missing fields are not the point
        (tuple(error.absolute_path), "*")
        for error in errors
        if error.validator == "additionalProperties" and any(_looks_like_text(key) for key in error.instance)
    }
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_explain(error, data, shown, misspelt))
    problems.extend(
        Problem(shown, _line(data, path), field_path(path), f"{describe_hidden(char)} в тексте: удалите его")
        for path, char in controls
    )
    return list(dict.fromkeys(problems))  # jsonschema repeats a "required" error per missing key


def _explain(error, root: object, shown: str, misspelt: set) -> list[Problem]:  # noqa: ANN001
    """Turn one jsonschema error into problems a person can act on."""
    path = list(error.absolute_path)
    kind = error.validator
    instance = error.instance
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = [key for key in instance if key not in known]
        return [  # a close name is looked for among the first ones only: 50,000 unknown keys stay fast
            Problem(shown, _line(root, [*path, key]), field_path([*path, key]), _unknown(key, known, n < MAX_HINTED))
            for n, key in enumerate(unknown)
        ]
    if kind == "required":
        missing = [
            key
            for key in error.validator_value
            if key not in instance and (tuple(path), key) not in misspelt and (tuple(path), "*") not in misspelt
        ]
        return [
            Problem(shown, _line(root, path), field_path([*path, key]), "обязательное поле отсутствует")
            for key in missing
        ]
    if kind in ("oneOf", "anyOf") and not isinstance(instance, dict) and _scalar_choices(error.validator_value):
        if isinstance(instance, list) and error.context:  # a list where a list is one form: what is wrong in it
            from jsonschema.exceptions import best_match  # lazy: jsonschema is loaded for errors only

            lists = [n for n, option in enumerate(error.validator_value) if option.get("type") == "array"]
            inner = [sub for sub in error.context if sub.relative_schema_path[0] in lists]
            if inner:
                return _explain(best_match(inner), root, shown, misspelt)
        choices = _scalar_choices(error.validator_value)  # «amendments: sometimes», «visas: yes»
        return [Problem(shown, _line(root, path), field_path(path), f"недопустимое значение {instance!r}; {choices}")]
    if kind == "oneOf":  # the ack's «role or policy»: a file that is not a set of fields has its type error
        if not isinstance(instance, dict):
            return []
        names = [key for option in error.validator_value for key in option.get("required", [])]
        if not names and error.context:  # a setting of a word or of fields, given fields: what is wrong in them
            from jsonschema.exceptions import best_match  # lazy: jsonschema is loaded for errors only

            fields = [n for n, option in enumerate(error.validator_value) if option.get("type") == "object"]
            inner = [sub for sub in error.context if sub.relative_schema_path[0] in fields] or error.context
            return _explain(best_match(inner), root, shown, misspelt)
        return [Problem(shown, _line(root, path), field_path(path), f"нужно ровно одно из полей: {', '.join(names)}")]
    if kind == "anyOf" and any(where == tuple(path) for where, _ in misspelt):
        return []  # a misspelt key or a clause read as a mapping: that is the one mistake to name
    if kind == "anyOf" and isinstance(instance, dict):  # the form the entry started: its missing fields
        for branch in error.validator_value:
            wanted = branch.get("required", [])
            if any(key in instance for key in wanted):
                return [
                    Problem(shown, _line(root, path), field_path([*path, key]), "обязательное поле отсутствует")
                    for key in wanted
                    if key not in instance
                ]
    return [Problem(shown, _line(root, path), field_path(path), _message(kind, error.validator_value, instance))]


def _scalar_choices(branches: list[dict]) -> str:
    """What a setting of several forms accepts, when one of them is a word (``enum``/``const``):
    «допустимо: changes, new-edition или поля instructions:, policies:»; empty when none is."""
    words = [str(v).lower() for b in branches for v in [*b.get("enum", []), *([b["const"]] if "const" in b else [])]]
    if not words:
        return ""
    forms = [", ".join(words)]
    forms += ["поля " + ", ".join(f"{key}:" for key in b["properties"]) for b in branches if b.get("type") == "object"]
    forms += ["список" for b in branches if b.get("type") == "array"]
    return "допустимо: " + " или ".join(forms)


_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _looks_like_text(key: object) -> bool:
    """Field names are lowercase Latin; anything else before «: » was meant as text."""
    return not _FIELD_NAME.match(str(key))


MAX_HINTED = 200  # unknown keys of one mapping for which a close field name is looked for


def _unknown(key: str, known: list[str], look: bool = True) -> str:
    if _looks_like_text(key):
        return "похоже на текст пункта с двоеточием и пробелом после него: возьмите весь пункт в кавычки"
    close = difflib.get_close_matches(str(key), known, n=1) if look else []
    hint = f" (возможно, {close[0]})" if close else f"; допустимые поля: {', '.join(known)}"
    return f"неизвестное поле{hint}"


_TYPE_NAMES = {
    "string": "текст",
    "object": "набор полей (ключ: значение)",
    "array": "список (элементы с «- »)",
    "integer": "целое число",
}


def _message(kind: str, expected: Any, instance: Any) -> str:
    """``expected``: the schema keyword's value; ``instance``: the YAML value that breaks it."""
    if kind == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        if kinds == ["string", "object"]:
            wanted = "ожидается текст пункта (или набор полей подраздела)"
        else:
            wanted = "ожидается " + " или ".join(_TYPE_NAMES.get(k, k) for k in kinds)
        read_as = _read_as(instance) if "string" in kinds else None
        return f"{wanted}, а YAML прочитал {read_as}: если это текст, возьмите его в кавычки" if read_as else wanted
    if kind == "anyOf":
        return "ожидается текст пункта, «use: common» или поля text: и source: (пункт из профстандарта)"
    if kind == "minItems":
        return "список пуст: нужен хотя бы один пункт"
    if kind == "maxLength":
        return f"слишком длинный текст: {len(instance)} символов, допустимо не более {expected}"
    if kind == "minLength" or (kind == "pattern" and expected == "\\S"):
        return "пустой текст"
    if kind == "pattern":
        return f"недопустимое значение {instance!r}: {_PATTERNS.get(expected, 'не тот формат')}"
    if kind == "enum":
        return f"недопустимое значение {instance!r}; допустимо: {', '.join(map(str, expected))}"
    if kind == "const":
        return f"недопустимое значение {instance!r}; допустимо: {expected}"
    if kind in ("minimum", "maximum"):
        return f"значение {instance!r} вне допустимых пределов"
    return f"значение не подходит ({kind})"


_PATTERNS = {  # what a pattern of the schemas asks for, in words
    "^sha256:[0-9a-f]{64}$": "ожидается «sha256:» и 64 шестнадцатеричные цифры",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "ожидается дата ГГГГ-ММ-ДД",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "ожидаются строчные латинские буквы, цифры и дефисы",
}


def _read_as(instance: object) -> str | None:
    """How YAML read an unquoted value that was meant as text."""
    if isinstance(instance, bool):
        return "логическое значение (yes, no, on, off, true, false)"
    if instance is None:
        return "пустое значение (пусто, null или ~)"
    if isinstance(instance, (int, float)):
        return f"число {instance!r}"
    return None


_CONTROL = HIDDEN  # control, bidi and zero-width characters: a document must not hide text


def _texts(value: object, found: list[str]) -> list[str]:
    """Every text of ``data`` (not the keys), to search at once: most files hold no control character."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _texts(item, found)
    elif isinstance(value, list):
        for item in value:
            _texts(item, found)
    return found


def _hides(data: object) -> bool:
    """Whether a text of ``data`` holds a hidden character (:data:`_CONTROL`). Every hidden
    character is one Python does not count as printable, so text that is all printable (most
    files) needs no search character by character."""
    text = " ".join(_texts(data, []))  # neither a space nor a line break is hidden
    return not text.isprintable() and _CONTROL.search(text) is not None


def _control_characters(value: object, path: list):  # noqa: ANN202
    """(path, character) for every text holding a character a document cannot show."""
    if isinstance(value, str):
        found = _CONTROL.search(value)
        if found:
            yield path, found.group()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _control_characters(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _control_characters(item, [*path, index])


def field_path(parts: list) -> str:
    """``duties[4].items[2]``: keys joined by dots, list items counted from 1."""
    text = ""
    for part in parts:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line(root: object, parts: list) -> int | None:
    """The line of the deepest entry of ``parts`` that exists in ``root``."""
    node, line = root, getattr(root, "line", None)
    for part in parts:
        if isinstance(node, LocatedDict) and part in node:
            line, node = node.key_lines[part], node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line
