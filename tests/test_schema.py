"""The shipped JSON Schemas: what editors validate against agrees with ``jobdesc check``; ``jobdesc schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "jobdesc" / "schema"
ROLE_SCHEMA = SCHEMA_DIR / "role.schema.json"
CONFIG_SCHEMA = SCHEMA_DIR / "config.schema.json"


def validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


run = run_cli


def shipped_project(target: Path) -> Path:
    """A copy of the shipped jobdesc.yaml and roles/ (without editions)."""
    return copy_project(target, editions=False)


@pytest.mark.parametrize("role", ["kam-manager", "kam-head"])
def test_schema_accepts_shipped_roles(role: str) -> None:
    data = yaml.safe_load((REPO / "roles" / f"{role}.yaml").read_text(encoding="utf-8"))

    errors = list(validator(ROLE_SCHEMA).iter_errors(data))

    assert errors == []


def test_schema_accepts_shipped_config() -> None:
    data = yaml.safe_load((REPO / "jobdesc.yaml").read_text(encoding="utf-8"))

    assert list(validator(CONFIG_SCHEMA).iter_errors(data)) == []


@pytest.mark.parametrize("path", ["roles/kam-manager.yaml", "roles/kam-head.yaml", "jobdesc.yaml"])
def test_files_point_editors_at_the_schema(path: str) -> None:
    first = (REPO / path).read_text(encoding="utf-8").splitlines()[0]

    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    assert ((REPO / path).parent / first[len(prefix) :]).resolve().is_file()


# Broken inputs of each shape mistake: (file, YAML path to change, how to change it).
def _set(*keys: str | int, value: object):  # noqa: ANN202
    def change(data: dict) -> None:
        node = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return change


def _delete(*keys: str):  # noqa: ANN202
    def change(data: dict) -> None:
        node = data
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return change


def _set_subsection(*keys: str | int, value: object):  # noqa: ANN202
    """Like :func:`_set` under the first duty that has sub-clauses (``items``), wherever it stands."""

    def change(data: dict) -> None:
        at = next(n for n, duty in enumerate(data["duties"]) if isinstance(duty, dict) and "items" in duty)
        _set("duties", at, *keys, value=value)(data)

    return change


ROLE_BREAKS = {
    "unknown top-level key": _set("dutes", value=["Текст."]),
    "unknown nested key appointment.bye": _set("appointment", "bye", value="приказом"),
    "unknown nested key requirements.educaton": _set("requirements", "educaton", value="высшее"),
    "number for title": _set("title", value=42),
    "string for duties": _set("duties", value="Продает."),
    "mapping for rights": _set("rights", value={"a": "b"}),
    "list for department": _set("department", value=["Отдел"]),
    "empty duties": _set("duties", value=[]),
    "empty knowledge": _set("knowledge", value=[]),
    "empty subsection items": _set_subsection("items", value=[]),
    "blank clause": _set("rights", 0, value="   "),
    "empty title": _set("title", value=""),
    "unknown category": _set("category", value="workers"),
    "use: something else": _set("final_provisions", 0, value={"use": "everything"}),
    "missing title": _delete("title"),
    "missing duties": _delete("duties"),
    "missing appointment.by": _delete("appointment", "by"),
    "missing requirements.education": _delete("requirements", "education"),
    "number for a subsection item": _set_subsection("items", 0, value=7),
    "unknown key in a subsection": _set_subsection("itemz", value=["x"]),
}

CONFIG_BREAKS = {
    "missing organisation": _delete("organisation"),
    "unknown key": _set("colour", value="red"),
    "copies: 3": _set("document", "copies", value=3),
    "missing approver name": _delete("approver", "name"),
    "number for city": _set("organisation", "city", value=77),
    "acknowledgment_rows: 0": _set("document", "acknowledgment_rows", value=0),
}


def _break(project: Path, relative: str, change) -> dict:  # noqa: ANN001
    path = project / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


@pytest.mark.parametrize("name", ROLE_BREAKS)
def test_schema_and_check_both_reject_broken_role(name: str, tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    data = _break(project, "roles/kam-manager.yaml", ROLE_BREAKS[name])

    schema_errors = list(validator(ROLE_SCHEMA).iter_errors(data))
    result = run("-C", project, "check")

    assert schema_errors, "the schema accepts what it should not"
    assert result.exit_code == 1, result.output
    assert "roles/kam-manager.yaml" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", CONFIG_BREAKS)
def test_schema_and_check_both_reject_broken_config(name: str, tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    data = _break(project, "jobdesc.yaml", CONFIG_BREAKS[name])

    schema_errors = list(validator(CONFIG_SCHEMA).iter_errors(data))
    result = run("-C", project, "check")

    assert schema_errors, "the schema accepts what it should not"
    assert result.exit_code == 1, result.output
    assert "jobdesc.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_schema_and_check_both_accept_the_rewritten_shipped_project(tmp_path: Path) -> None:
    """The round trip through yaml.safe_dump used above breaks nothing by itself."""
    project = shipped_project(tmp_path / "project")
    _break(project, "roles/kam-manager.yaml", lambda data: None)
    _break(project, "jobdesc.yaml", lambda data: None)

    result = run("-C", project, "check")

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("args", "path"), [((), ROLE_SCHEMA), (("role",), ROLE_SCHEMA), (("config",), CONFIG_SCHEMA)])
def test_schema_command_prints_the_shipped_schema(args: tuple[str, ...], path: Path) -> None:
    result = run("schema", *args)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == json.loads(path.read_text(encoding="utf-8"))
    assert "Должностная инструкция" in result.stdout or "Настройки проекта" in result.stdout  # not \u-escaped


def test_schema_command_needs_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("schema")

    assert result.exit_code == 0, result.output


def test_schema_command_refuses_unknown_kind() -> None:
    result = run("schema", "edition-of-something")

    assert result.exit_code != 0
    assert "Traceback" not in result.output


# --- the compiled schema (fastjsonschema) that confirms valid data agrees with jsonschema ----

_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "x", "Текст пункта.", "2026-13-45", "[заготовка]", "use", "common"]),
    st.builds(list),
    st.builds(dict),
    st.lists(st.sampled_from(["Пункт.", "", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["use", "title", "items", "name", "position", "x"]), st.just("common"), max_size=2),
)


def _paths(value: object, prefix: tuple = ()):  # noqa: ANN202
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutated(data: object, path: tuple, how: str, value: object) -> object:
    """``data`` with the node at ``path`` replaced, removed, or given an extra key."""
    if not path:
        return value if how == "replace" else data
    head, rest = path[0], path[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)  # type: ignore[arg-type]
    if rest:
        copy[head] = _mutated(copy[head], rest, how, value)
    elif how == "remove":
        del copy[head]
    elif how == "extra" and isinstance(copy[head], dict):
        copy[head] = {**copy[head], "лишнее": value}
    else:
        copy[head] = value
    return copy


@pytest.mark.parametrize(
    "schema_name, source",
    [("role.schema.json", "roles/kam-manager.yaml"), ("role.schema.json", "roles/kam-head.yaml")]
    + [("config.schema.json", "jobdesc.yaml"), ("edition.schema.json", "roles/kam-head.editions/001.yaml")]
    + [("common", "roles/_common.yaml")],
)
@settings(max_examples=150, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_compiled_schema_accepts_only_what_jsonschema_accepts(schema_name: str, source: str, data) -> None:  # noqa: ANN001
    from jobdesc.project.validate import _fast_validator, _validator

    original = yaml.safe_load((REPO / source).read_text(encoding="utf-8"))
    original = json.loads(json.dumps(original, default=str))  # dates as the loader gives them: text
    paths = list(_paths(original))
    path = data.draw(st.sampled_from(paths))
    how = data.draw(st.sampled_from(["replace", "remove", "extra"]))
    mutated = _mutated(original, path, how, data.draw(_ODD_VALUES))
    full = not list(_validator(schema_name).iter_errors(mutated))
    try:
        _fast_validator(schema_name)(mutated)
        fast = True
    except Exception:  # noqa: BLE001 - fastjsonschema's refusal
        fast = False
    assert fast == full, (path, how)
