"""The one project loader: ``jobdesc.yaml``, the documents of every kind (``roles/``, ``policies/``), shared clauses and links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobdesc.disk.reading import ProjectFiles
from jobdesc.errors import Problem, ProblemsError
from jobdesc.language.titles import gender_of, genitive_title
from jobdesc.project.kinds import POLICY, ROLE, Kind
from jobdesc.project.layout import (  # loader's names for them too
    COMMON_FILE,
    CONFIG_FILE,
    ROLES_DIR,
    TEMPLATES_DIR,
    select_documents,
)
from jobdesc.project.links import Graph, links_of, resolve_policy, resolve_role
from jobdesc.project.model import Config, Document, Policy, Role
from jobdesc.project.validate import COMMON_SCHEMA, CONFIG_SCHEMA, check_shape, field_path
from jobdesc.project.yamlio import LocatedDict, LocatedList, YamlProblem, load_bytes, load_yaml

if TYPE_CHECKING:
    from jobdesc.render.recall import Recall

MAX_GENITIVE = 200  # characters; «Изменения № N в должностную инструкцию …» stays within DOCX's 255
ROLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ROLE_ID = 100  # characters: «ID.amendment-N.copyM.docx» and «ID.editions» must fit a file name


@dataclass
class Project:
    """A loaded project: its folder, configuration and resolved documents of every kind (by id),
    and everything read from its files during the command (each file read once, through
    :attr:`files`, the one door)."""

    root: Path
    config: Config
    documents: dict[str, Document]
    files: ProjectFiles = field(default_factory=ProjectFiles, repr=False, compare=False)
    links: Graph | None = field(default=None, repr=False, compare=False)  # read on first use: :attr:`graph`
    staff: Any = field(default=None, repr=False, compare=False)  # staff.yaml, loaded on first use (compose)
    units: dict = field(default_factory=dict, repr=False, compare=False)  # rendered clauses of documents, by text
    recall: Recall | None = field(default=None, repr=False, compare=False)  # ``check``: documents read last time

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def roles(self) -> dict[str, Role]:
        return {key: doc for key, doc in self.documents.items() if isinstance(doc, Role)}

    @property
    def policies(self) -> dict[str, Policy]:
        return {key: doc for key, doc in self.documents.items() if isinstance(doc, Policy)}

    @property
    def graph(self) -> Graph:
        """The links between the project's documents (read once)."""
        if self.links is None:
            self.links = Graph.scan(self.root, self.files)
        return self.links


def role_files(root: Path) -> list[Path]:
    """The role files of a project, sorted by id (``_``-files are shared, not roles)."""
    return ROLE.files(root)


def load_project(root: Path, only: list[str] | None = None) -> Project:
    """Load and validate the project; every problem is reported at once (:class:`ProblemsError`).

    ``only`` limits the documents loaded to those ids (each must exist).
    """
    project, problems = collect_project(root, only)
    if problems or project is None:
        raise ProblemsError(problems)
    return project


def collect_project(root: Path, only: list[str] | None = None) -> tuple[Project | None, list[Problem]]:
    """What loads of the project, and every problem found; ``None`` when the config is broken."""
    problems: list[Problem] = []
    files = ProjectFiles()
    config, common = load_shared(root, problems, files)
    chosen = select_documents(root, only, problems)
    graph = Graph.scan(root, files)
    selected = {kind.shown(path.stem) for kind, path in chosen}
    problems.extend(p for p in graph.cycles() if p.path in selected)
    documents: dict[str, Document] = {}
    for kind, path in chosen:
        document = load_document(kind, path, common, graph, problems)
        if document is not None:
            documents[document.id] = document
    if config is None:
        return None, problems
    return Project(root=root.resolve(), config=config, documents=documents, files=files, links=graph), problems


def open_project(
    root: Path, problems: list[Problem], graph: Graph | None = None
) -> tuple[Project | None, LocatedDict | None]:
    """The project without its documents, for loading them one at a time (:func:`load_document`,
    a batch's workers), and the shared clauses; ``None`` for what does not load (problems appended).
    ``graph``: the links, when the caller knows them already (a build's cached index); the project
    then reads through the graph's files."""
    files = graph.files if graph is not None else ProjectFiles()
    config, common = load_shared(root, problems, files)
    if config is None:
        return None, common
    return Project(root=root.resolve(), config=config, documents={}, files=files, links=graph), common


def load_shared(
    root: Path, problems: list[Problem], files: ProjectFiles | None = None
) -> tuple[Config | None, LocatedDict | None]:
    """``jobdesc.yaml`` and ``roles/_common.yaml`` (``None`` for what does not load)."""
    return _load_config(root, problems, files), _load_common(root, problems, files)


def load_checked(
    source: Path | bytes,
    shown: str,
    schema_name: str,
    problems: list[Problem],
    inside: Path | None = None,
    files: ProjectFiles | None = None,
) -> LocatedDict | None:
    """A YAML file (a path, or its bytes) loaded and checked against a schema; ``None`` (problems
    appended) when broken. ``inside``: the folder a symbolic link must not lead out of; ``files``:
    the project's files (each read once per command)."""
    try:
        data = load_bytes(source, shown) if isinstance(source, bytes) else load_yaml(source, shown, inside, files)
    except YamlProblem as exc:
        problems.append(exc.problem)
        return None
    found = check_shape(data, schema_name, shown)
    problems.extend(found)
    if found:
        return None
    assert isinstance(data, LocatedDict)  # every schema wants a mapping at the top
    return data


def _load_config(root: Path, problems: list[Problem], files: ProjectFiles | None = None) -> Config | None:
    data = load_checked(root / CONFIG_FILE, CONFIG_FILE, CONFIG_SCHEMA, problems, root, files)
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


def _load_common(root: Path, problems: list[Problem], files: ProjectFiles | None = None) -> LocatedDict | None:
    path = root / ROLES_DIR / COMMON_FILE
    if not path.exists() and not path.is_symlink():
        return LocatedDict()
    return load_checked(path, f"{ROLES_DIR}/{COMMON_FILE}", COMMON_SCHEMA, problems, root, files)


def load_document(
    kind: Kind, path: Path, common: LocatedDict | None, graph: Graph, problems: list[Problem]
) -> Document | None:
    """One document file of ``kind``, validated, its links resolved; ``None`` (and problems) when broken."""
    shown = kind.shown(path.stem)
    if path.suffix != ".yaml":
        problems.append(
            Problem(
                f"{kind.folder}/{path.name}", None, "", "файлы документов имеют расширение .yaml: переименуйте файл"
            )
        )
        return None
    if not ROLE_ID.match(path.stem):
        problems.append(
            Problem(
                shown,
                None,
                "",
                f"имя файла — идентификатор {kind.label_genitive}: только строчные латинские буквы, цифры и дефисы "
                f"({kind.example}.yaml)",
            )
        )
        return None
    if len(path.stem) > MAX_ROLE_ID:
        problems.append(
            Problem(
                shown,
                None,
                "",
                f"идентификатор {kind.label_genitive} слишком длинный ({len(path.stem)} символов, предел {MAX_ROLE_ID}): "
                "из него составляются имена документов; сократите имя файла",
            )
        )
        return None
    node = graph.nodes.get(path.stem)
    if node is not None and node.loaded and not node.light and node.path == path:  # read for the links already
        found = check_shape(node.loaded, kind.schema, shown)
        problems.extend(found)
        data = None if found else node.loaded
    else:
        data = load_checked(path, shown, kind.schema, problems, path.parent.parent, graph.files)
        if node is not None and data is not None:
            node.remember(data)
    if data is None:
        return None
    if kind is POLICY:
        return policy_from_data(path.stem, data, shown, problems, graph)
    if common is None:
        return None
    return role_from_data(path.stem, data, common, shown, problems, graph)


def policy_from_data(
    policy_id: str, data: LocatedDict, shown: str, problems: list[Problem], graph: Graph | None = None
) -> Policy | None:
    """A regulation from shape-checked YAML data, its unit's positions computed; ``None`` on problems."""
    resolved, found = resolve_policy(graph or Graph({}), policy_id, data)
    for index, section in enumerate(data["sections"]):
        if not section.get("clauses") and not section.get("positions"):
            found.append(
                Problem(
                    shown,
                    data["sections"].item_lines[index],
                    field_path(["sections", index, "clauses"]),
                    "в разделе нет пунктов",
                )
            )
        found.extend(_table_problems(section, ["sections", index], shown))
    problems.extend(found)
    if found:
        return None
    return Policy.from_dict(policy_id, resolved)


def _table_problems(section: dict, where: list, shown: str) -> list[Problem]:
    """A row of a table with more or fewer cells than it has columns: its cells would print under
    other columns' headings."""
    found = []
    for index, clause in enumerate(section.get("clauses") or ()):
        table = clause.get("table") if isinstance(clause, dict) else None
        if not isinstance(table, dict):
            continue
        columns, rows = table["columns"], table["rows"]
        for number, row in enumerate(rows):
            if len(row) != len(columns):
                found.append(
                    Problem(
                        shown,
                        rows.item_lines[number] if isinstance(rows, LocatedList) else None,
                        field_path([*where, "clauses", index, "table", "rows", number]),
                        f"в строке таблицы ячеек: {len(row)}, а столбцов: {len(columns)} — по ячейке на столбец",
                    )
                )
    return found


def role_from_data(
    role_id: str, data: LocatedDict, common: dict, shown: str, problems: list[Problem], graph: Graph | None = None
) -> Role | None:
    """A role from shape-checked YAML data, shared clauses spliced in, links resolved
    (:func:`jobdesc.project.links.resolve_role`); ``None`` on problems."""
    resolved, found = resolve_common(data, common, shown, lru_cache(maxsize=1)(lambda: _title_gender(data)))
    linked, link_problems = resolve_role(graph or Graph({}), role_id, data)
    found += link_problems
    for key in ("department", "reports_to", "subordinates"):
        if key in linked:
            resolved[key] = linked[key]
    problems.extend(found)
    if found:
        return None

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
    role = Role.from_dict(role_id, resolved, genitive)
    role.links.update(links_of(ROLE, data))
    return role


_AGREEMENT = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")  # «ставших {ему|ей} известными» in a shared clause


def _title_gender(data: dict) -> str:
    """``m`` or ``f``: the grammatical gender of the title (``gender:`` of the role file wins)."""
    return data.get("gender") or gender_of(data["title"])


def agree(text: object, gender: Callable[[], str]) -> object:
    """A shared clause agreeing with the title: «{ему|ей}» → «ему» (masculine) or «ей» (feminine)."""
    if not isinstance(text, str) or "{" not in text:
        return text
    return _AGREEMENT.sub(lambda m: m.group(1) if gender() == "m" else m.group(2), text)


def resolve_common(
    data: LocatedDict, common: dict, shown: str, gender: Callable[[], str] = lambda: "m"
) -> tuple[dict, list[Problem]]:
    """Replace each ``- use: common`` item by the same field's clauses from ``_common.yaml``; every
    clause, shared or the role's own, agrees with the title's grammatical gender (:func:`agree`)."""
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
                items.extend(agree(clause, gender) for clause in common.get(key, ()))
            elif isinstance(item, dict) and "items" in item:  # a subsection: its phrase and its items agree too
                items.append(
                    {
                        **item,
                        "title": agree(item.get("title"), gender),
                        "items": [agree(i, gender) for i in item["items"]],
                    }
                )
            else:
                items.append(agree(item, gender))
        resolved[key] = items
    return resolved, problems
