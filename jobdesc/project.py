"""Find a project, load ``jobdesc.yaml`` and ``roles/``, resolve shared clauses."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.model import Config, Role
from jobdesc.validate import COMMON_SCHEMA, CONFIG_SCHEMA, ROLE_SCHEMA, check_shape, field_path
from jobdesc.yamlio import LocatedDict, LocatedList, YamlProblem, load_bytes, load_yaml

CONFIG_FILE = "jobdesc.yaml"
ROLES_DIR = "roles"
TEMPLATES_DIR = "templates"  # a project's overrides of the shipped templates
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"  # the shipped templates and styles
COMMON_FILE = "_common.yaml"
MAX_GENITIVE = 200  # characters; «Изменения № N в должностную инструкцию …» stays within DOCX's 255
ROLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ROLE_ID = 100  # characters: «ID.amendment-N.copyM.docx» and «ID.editions» must fit a file name


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``jobdesc.yaml``."""
    start = start.resolve()
    if not start.is_dir():
        raise JobdescError(f"{start}: такой папки нет")
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).exists() or (folder / CONFIG_FILE).is_symlink():  # a pipe is refused on loading
            return folder
    raise JobdescError(
        f"{CONFIG_FILE} не найден ни в {start}, ни выше: запустите команду в папке проекта или укажите -C ПАПКА"
    )


@dataclass
class Project:
    """A loaded project: its folder, configuration and resolved roles (by id)."""

    root: Path
    config: Config
    roles: dict[str, Role]
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # rendered units, by role

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR


def refuse_inputs(root: Path, out: Path) -> None:
    """Refuse an ``--out`` inside the project's inputs (``jobdesc.yaml``, ``roles/`` with the
    editions, ``templates/``): documents are never written among them."""
    target = out.resolve()
    root = root.resolve()
    for part in (CONFIG_FILE, ROLES_DIR, TEMPLATES_DIR):
        if target == root / part or (root / part) in target.parents:
            raise JobdescError(
                f"--out: {out}: это место файлов проекта ({part}) — jobdesc не пишет туда документы; "
                "выберите другую папку, например output/"
            )


def role_files(root: Path) -> list[Path]:
    """The role files of a project, sorted by id (``_``-files are shared, not roles)."""
    folder = root / ROLES_DIR
    try:
        names = [e.name for e in os.scandir(folder) if _role_name(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in sorted(names, key=os.path.normcase)]  # as paths sort, without making them first


def _role_name(name: str) -> bool:
    """A role file's name (``Path.suffix`` rules: «.yaml» alone has no suffix), not a ``_``-file."""
    return name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml") and not name.startswith("_")


def load_project(root: Path, only: list[str] | None = None) -> Project:
    """Load and validate the project; every problem is reported at once (:class:`ProblemsError`).

    ``only`` limits the roles loaded to those ids (each must exist).
    """
    project, problems = collect_project(root, only)
    if problems or project is None:
        raise ProblemsError(problems)
    return project


def collect_project(root: Path, only: list[str] | None = None) -> tuple[Project | None, list[Problem]]:
    """What loads of the project, and every problem found; ``None`` when the config is broken."""
    problems: list[Problem] = []
    config, common = load_shared(root, problems)
    files = select_roles(root, only, problems)
    roles: dict[str, Role] = {}
    for path in files:
        role = load_role(path, common, problems)
        if role is not None:
            roles[role.id] = role
    if config is None:
        return None, problems
    return Project(root=root.resolve(), config=config, roles=roles), problems


def load_shared(root: Path, problems: list[Problem]) -> tuple[Config | None, LocatedDict | None]:
    """``jobdesc.yaml`` and ``roles/_common.yaml`` (``None`` for what does not load)."""
    return _load_config(root, problems), _load_common(root, problems)


def select_roles(root: Path, only: list[str] | None, problems: list[Problem]) -> list[Path]:
    """The role files to work on: all, or those named in ``only`` (each must exist)."""
    files = role_files(root)
    if only:
        known = {p.stem for p in files}
        problems.extend(
            Problem(f"{ROLES_DIR}/{role_id}.yaml", None, "", "такой роли нет")
            for role_id in only
            if role_id not in known
        )
        files = [p for p in files if p.stem in only]
    elif not files:
        problems.append(Problem(ROLES_DIR, None, "", "нет ни одного файла роли (*.yaml)"))
    return files


def load_checked(
    source: Path | bytes, shown: str, schema_name: str, problems: list[Problem], inside: Path | None = None
) -> LocatedDict | None:
    """A YAML file (a path, or its bytes) loaded and checked against a schema; ``None`` (problems
    appended) when broken. ``inside``: the folder a symbolic link must not lead out of."""
    try:
        data = load_bytes(source, shown) if isinstance(source, bytes) else load_yaml(source, shown, inside)
    except YamlProblem as exc:
        problems.append(exc.problem)
        return None
    found = check_shape(data, schema_name, shown)
    problems.extend(found)
    if found:
        return None
    assert isinstance(data, LocatedDict)  # every schema wants a mapping at the top
    return data


def _load_config(root: Path, problems: list[Problem]) -> Config | None:
    data = load_checked(root / CONFIG_FILE, CONFIG_FILE, CONFIG_SCHEMA, problems, root)
    if data is None:
        return None
    document = data.get("document", {})
    found = [  # JSON Schema takes 2.0 for the integer 2; a count is written without a fraction
        Problem(
            CONFIG_FILE,
            document.key_lines[key],
            f"document.{key}",
            f"{document[key]!r} — нужно целое число без дробной части: {int(document[key])}",
        )
        for key in ("copies", "acknowledgment_rows")
        if isinstance(document.get(key), float)
    ]
    problems.extend(found)
    return None if found else Config.from_dict(data)


def _load_common(root: Path, problems: list[Problem]) -> LocatedDict | None:
    path = root / ROLES_DIR / COMMON_FILE
    if not path.exists() and not path.is_symlink():
        return LocatedDict()
    return load_checked(path, f"{ROLES_DIR}/{COMMON_FILE}", COMMON_SCHEMA, problems, root)


def load_role(path: Path, common: LocatedDict | None, problems: list[Problem]) -> Role | None:
    """One role file, validated and resolved; ``None`` (and problems) when it is broken."""
    shown = f"{ROLES_DIR}/{path.name}"
    if path.suffix != ".yaml":
        problems.append(Problem(shown, None, "", "файлы ролей имеют расширение .yaml: переименуйте файл"))
        return None
    if not ROLE_ID.match(path.stem):
        problems.append(
            Problem(
                shown,
                None,
                "",
                "имя файла — идентификатор роли: только строчные латинские буквы, цифры и дефисы (kam-manager.yaml)",
            )
        )
        return None
    if len(path.stem) > MAX_ROLE_ID:
        problems.append(
            Problem(
                shown,
                None,
                "",
                f"идентификатор роли слишком длинный ({len(path.stem)} символов, предел {MAX_ROLE_ID}): "
                "из него составляются имена документов; сократите имя файла",
            )
        )
        return None
    data = load_checked(path, shown, ROLE_SCHEMA, problems, path.parent.parent)
    if data is None or common is None:
        return None
    return role_from_data(path.stem, data, common, shown, problems, path.parent)


def role_from_data(
    role_id: str, data: LocatedDict, common: dict, shown: str, problems: list[Problem], folder: Path | None = None
) -> Role | None:
    """A role from shape-checked YAML data, shared clauses spliced in; ``None`` on problems.

    A ``reports_to`` that is the id of a role in ``folder`` becomes that role's title in the dative.
    """
    resolved, found = resolve_common(data, common, shown)
    reports_to = data.get("reports_to")
    if folder is not None and isinstance(reports_to, str) and ROLE_ID.fullmatch(reports_to):
        dative = role_dative(folder, reports_to)
        if dative is None:
            found.append(
                Problem(
                    shown,
                    data.key_lines["reports_to"],
                    "reports_to",
                    f"роли {reports_to} нет ({ROLES_DIR}/{reports_to}.yaml): укажите идентификатор роли "
                    "или должность в дательном падеже («коммерческому директору»)",
                )
            )
        resolved["reports_to"] = dative
    problems.extend(found)
    if found:
        return None
    from jobdesc.ru import genitive_title

    genitive = data.get("title_genitive") or genitive_title(data["title"])
    if len(genitive) > MAX_GENITIVE:  # the document's title must fit a DOCX core property
        problems.append(
            Problem(
                shown,
                data.key_lines["title"],
                "title",
                f"в родительном падеже наименование длиннее {MAX_GENITIVE} символов — сократите его",
            )
        )
        return None
    return Role.from_dict(role_id, resolved, genitive)


def role_dative(folder: Path, role_id: str) -> str | None:
    """The title of role ``role_id`` (a file in ``folder``) in the dative; ``None`` when there is none."""
    from jobdesc.titles import title_forms

    path = folder / f"{role_id}.yaml"
    try:
        data = load_yaml(path, f"{ROLES_DIR}/{path.name}") if path.is_file() else None
    except YamlProblem:
        return None  # the broken file is reported on its own
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return None
    given = data.get("title_dative")
    return title_forms(data["title"], {"datv": given} if isinstance(given, str) else None).dative


def resolve_common(data: LocatedDict, common: dict, shown: str) -> tuple[dict, list[Problem]]:
    """Replace each ``- use: common`` item by the same field's clauses from ``_common.yaml``."""
    resolved: dict = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if not isinstance(value, LocatedList):
            resolved[key] = value
            continue
        items: list = []
        for index, item in enumerate(value):
            if isinstance(item, dict) and "use" in item:
                if key not in common:
                    problems.append(
                        Problem(
                            shown,
                            value.item_lines[index],
                            field_path([key, index]),
                            f"в {ROLES_DIR}/{COMMON_FILE} нет поля {key}",
                        )
                    )
                items.extend(common.get(key, ()))
            else:
                items.append(item)
        resolved[key] = items
    return resolved, problems
