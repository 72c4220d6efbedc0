"""``jobdesc new``: a new role or regulation file — a skeleton that passes ``jobdesc check``, or a copy."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from jobdesc.commands.init import SCHEMA_DIR, SCHEMA_FILES, update_schemas
from jobdesc.disk.fsutil import create_new, describe
from jobdesc.disk.reading import MAX_FILE_BYTES, InputRefused, read_input
from jobdesc.errors import JobdescError, ProblemsError
from jobdesc.project.kinds import POLICY, ROLE, Kind, find_kind
from jobdesc.project.links import Graph
from jobdesc.project.loader import COMMON_FILE, ROLE_ID, ROLES_DIR, load_checked, policy_from_data, role_from_data
from jobdesc.project.validate import COMMON_SCHEMA, ROLE_SCHEMA, check_shape
from jobdesc.project.words import POLICY_TYPES
from jobdesc.project.yamlio import LocatedDict, YamlProblem, decode, load_yaml, loads

SCHEMA_LINE = "# yaml-language-server: $schema=../{}"
SHARED_FIELDS = ("guiding_documents", "responsibility", "final_provisions")

# Placeholders are in square brackets so that HR sees at a glance what is left to write;
# every one is valid text, so the skeleton passes ``jobdesc check`` as it is.
SKELETON = """\
{schema_line}
# Новая должностная инструкция. Замените текст в квадратных скобках; пункты пишутся
# по одному в элементе списка («- »), без номеров: номера вычисляются при сборке.
# Поля описывает схема из первой строки (ее печатает jobdesc schema role); редактор YAML подсказывает их.
{title}
# number: ДИ-000                       # регистрационный номер инструкции (необязательно)
# managers — руководители, specialists — специалисты, technical — технические исполнители
category: specialists
department: "[Наименование структурного подразделения в именительном падеже]"
reports_to: "[кому подчиняется, в дательном падеже: коммерческому директору]"
# subordinates: "[кто подчиняется работнику, для руководителей]"
appointment:
  by: "[кем назначается и освобождается: приказом генерального директора]"
  # on_proposal_of: "[по чьему представлению, в родительном падеже: коммерческого директора]"
# substitute: "[кто исполняет обязанности в период отсутствия]"

requirements:
  education: "[высшее]"
  # experience: "[не менее двух лет в области ...]"
  # languages: "[владение одним из иностранных языков]"

knowledge:
  - "[Что работник должен знать: законы, методы, правила.]"

guiding_documents:
{guiding_documents}

# skills:                               # «Должен уметь» (необязательно)
#   - "[Умение.]"

duties:
  - "[Должностная обязанность: глагол в настоящем времени — «Ведет переговоры с клиентами».]"
  # Подраздел с подпунктами:
  # - title: "[Вводная фраза подраздела включает]"
  #   items:
  #     - "[Подпункт.]"

rights:
  - "[Право работника: глагол в неопределенной форме — «Запрашивать документы».]"

responsibility:
{responsibility}

final_provisions:
{final_provisions}
"""

POLICY_SKELETON = """\
{schema_line}
# Новый локальный нормативный акт. Замените текст в квадратных скобках; пункты пишутся по одному
# в элементе списка («- »), без номеров: номера вычисляются при сборке.
# Поля описывает схема из первой строки (ее печатает jobdesc schema policy); редактор YAML подсказывает их.
{title}
type: {type}
# number: П-000                       # регистрационный номер (необязательно)
{unit}
sections:
{sections}
"""
DEPARTMENT_SECTIONS = (  # «Положение об отделе»: the sections of domain.md §9
    "Общие положения",
    "Структура и численность",
    "Задачи",
    "Функции",
    "Права",
    "Ответственность",
    "Взаимоотношения с другими подразделениями",
    "Заключительные положения",
)
OTHER_SECTIONS = ("Общие положения", "[Наименование раздела]", "Заключительные положения")

PLACEHOLDERS = {
    "guiding_documents": '  - "[Документ, которым работник руководствуется, в творительном падеже.]"',
    "responsibility": '  - "[За что работник несет ответственность.]"',
    "final_provisions": '  - "[Заключительное положение.]"',
}


def create(
    root: Path,
    doc_id: str,
    title: str | None,
    source: str | None = None,
    policy: bool = False,
    standard: tuple[str | None, str | None, tuple[str, ...]] = (None, None, ()),
) -> Path:
    """``jobdesc new``: a role or regulation written from the skeleton, as a copy of ``source`` or
    (``standard``: the code of a профстандарт, an ОТФ and its ТФ) from a профстандарт; its path."""
    profstandard, otf, tf = standard
    if profstandard is not None or otf is not None or tf:
        if profstandard is None or otf is None or policy or source is not None:
            raise JobdescError("--profstandard и --function указываются вместе (без --from и --policy)")
        return new_role_from_standard(root, doc_id, profstandard, otf, title, tf)
    if title is None:
        raise JobdescError("не указан параметр --title")
    if policy or (source is not None and find_kind(root, source) is POLICY):
        return new_policy(root, doc_id, title, source)
    return new_role(root, doc_id, title, source)


def new_role(root: Path, role_id: str, title: str, source: str | None = None) -> Path:
    """Create ``roles/ROLE_ID.yaml``: a skeleton, or a copy of role ``source`` with the new title.

    Refuses an invalid id, an existing file and an unknown or broken ``source``; returns the path.
    """
    if not ROLE_ID.match(role_id):
        raise JobdescError(
            f"«{role_id}»: недопустимый идентификатор роли: только строчные латинские буквы, цифры и дефисы (например kam-manager)"
        )
    title = " ".join(title.split())
    if not title:
        raise JobdescError("--title: пустое наименование должности")
    folder = root / ROLES_DIR
    path = folder / f"{role_id}.yaml"
    for existing in (path, path.with_suffix(".yml")):
        if existing.exists():
            raise JobdescError(f"{ROLES_DIR}/{existing.name}: файл уже существует — выберите другой идентификатор")

    if (root / POLICY.folder / f"{role_id}.yaml").exists() or (root / POLICY.folder / f"{role_id}.editions").exists():
        raise JobdescError(
            f"«{role_id}»: этот идентификатор уже у положения ({POLICY.folder}/{role_id}.yaml) — у роли и положения "
            "идентификаторы разные; выберите другой"
        )
    text = _copy(folder, source, title) if source is not None else _skeleton(folder, title)
    _validate(folder, role_id, text, f"{ROLES_DIR}/{path.name}")
    _write_new(path, text)
    return path


def new_role_from_standard(
    root: Path, role_id: str, code: str, function: str, title: str | None = None, tf_codes: tuple[str, ...] = ()
) -> Path:
    """Create ``roles/ROLE_ID.yaml`` drafted from ОТФ ``function`` of the stored профстандарт
    ``code`` (its newest version; ``tf_codes``: only these ТФ); returns the path."""
    # lazy: jobdesc.sources.drafting and what it imports (11 modules) load only for the commands that get here
    from jobdesc.sources.drafting import draft_role
    from jobdesc.sources.profstandards import find_standard

    if not ROLE_ID.match(role_id):
        raise JobdescError(
            f"«{role_id}»: недопустимый идентификатор роли: только строчные латинские буквы, цифры и дефисы (например kam-manager)"
        )
    folder = root / ROLES_DIR
    path = folder / f"{role_id}.yaml"
    for existing in (path, path.with_suffix(".yml")):
        if existing.exists():
            raise JobdescError(f"{ROLES_DIR}/{existing.name}: файл уже существует — выберите другой идентификатор")
    standard = find_standard(root, code).standard
    common = _common_fields(folder)
    shared = {key: "  - use: common" if key in common else PLACEHOLDERS[key] for key in SHARED_FIELDS}
    text = draft_role(
        standard,
        function,
        title=" ".join(title.split()) if title else None,
        tf_codes=tf_codes,
        schema_line=schema_line(root),
        shared=shared,
    )
    _validate(folder, role_id, text, f"{ROLES_DIR}/{path.name}")
    _write_new(path, text)
    return path


def new_policy(root: Path, policy_id: str, title: str, source: str | None = None) -> Path:
    """Create ``policies/ID.yaml``: a skeleton (the sections of a department regulation when the
    title starts with «Положение об отделе/о службе …»), or a copy of regulation ``source`` with
    the new title. Refuses an invalid id, one taken, and a title that does not start with its type."""
    if not ROLE_ID.match(policy_id):
        raise JobdescError(
            f"«{policy_id}»: недопустимый идентификатор: только строчные латинские буквы, цифры и дефисы "
            "(например kam-department)"
        )
    title = " ".join(title.split())
    kind_word = title.split(" ", 1)[0].casefold() if title else ""
    if kind_word not in POLICY_TYPES:
        raise JobdescError(
            f"--title: «{title}» — наименование начинается с вида документа: "
            + ", ".join(f"«{word.capitalize()} …»" for word in POLICY_TYPES)
        )
    taken = find_kind(root, policy_id)
    if taken is not None:
        raise JobdescError(f"{taken.shown(policy_id)}: файл уже существует — выберите другой идентификатор")
    folder = root / POLICY.folder
    path = folder / f"{policy_id}.yaml"
    if source is not None:
        text = _copy(folder, source, title, POLICY)
    else:
        department = _about_a_unit(title)
        sections = DEPARTMENT_SECTIONS if department else OTHER_SECTIONS
        lines = []
        for name in sections:
            lines.append(f"  - title: {name}" if not name.startswith("[") else f'  - title: "{name}"')
            if name == "Структура и численность":
                lines.append("    positions: true   # должности подразделения вычисляются из ролей (department: ID)")
            lines.append("    clauses:")
            lines.append('      - "[Пункт раздела.]"')
        text = POLICY_SKELETON.format(
            schema_line=schema_line(root, "policy"),
            title=_title_line(title),
            type=kind_word,
            unit='unit: "[Наименование подразделения в именительном падеже: Отдел ...]"\n'
            "# head: ROLE-ID                      # роль руководителя подразделения"
            if department
            else "# unit: Отдел ...                  # подразделение, если документ описывает его (необязательно)",
            sections="\n".join(lines),
        )
    _validate_policy(root, policy_id, text, POLICY.shown(policy_id))
    _write_new(path, text)
    return path


# «Положение об отделе / о службе / об управлении …»: the word after «о/об» names a unit (its
# prepositional case: «отделе», «службе», «управлении», «департаменте», «бухгалтерии» …)
UNIT_STEMS = (
    "отдел",
    "служб",
    "управлени",
    "департамент",
    "дирекци",
    "сектор",
    "групп",
    "бюро",
    "лаборатори",
    "цех",
    "участк",
    "филиал",
    "представительств",
    "бухгалтери",
    "канцеляри",
    "центр",
    "подразделени",
)


def _about_a_unit(title: str) -> bool:
    """Whether ``title`` is a unit's regulation («Положение об отделе продаж»), not one on a
    subject («Положение о коммерческой тайне», «Положение об оплате труда»)."""
    words = title.casefold().split(" ")
    return len(words) > 2 and words[0] == "положение" and words[1] in ("об", "о") and words[2].startswith(UNIT_STEMS)


def _validate_policy(root: Path, policy_id: str, text: str, shown: str) -> None:
    """Refuse to write a regulation ``jobdesc check`` would reject."""
    problems: list = []
    data = load_checked(text.encode("utf-8"), shown, POLICY.schema, problems)
    if data is not None:
        policy_from_data(policy_id, data, shown, problems, Graph.scan(root))
    if problems:
        raise JobdescError(f"--title: {problems[0].message} — файл {shown} не создан")


def _validate(folder: Path, role_id: str, text: str, shown: str) -> None:
    """Refuse to write a role ``jobdesc check`` would reject: the new file is read back as
    ``check`` reads it. Whatever is wrong came from ``--title`` (a copied role was checked)."""
    problems: list = []
    data = load_checked(text.encode("utf-8"), shown, ROLE_SCHEMA, problems)
    common_path = folder / COMMON_FILE
    common = (
        load_checked(common_path, f"{ROLES_DIR}/{COMMON_FILE}", COMMON_SCHEMA, [])
        if common_path.is_file()
        else LocatedDict()
    )
    if data is not None and common is not None:  # a broken _common.yaml is check's to report
        role_from_data(role_id, data, common, shown, problems, Graph.scan(folder.parent))
    if problems:
        raise JobdescError(f"--title: {problems[0].message} — файл {shown} не создан")


def schema_line(root: Path, kind: str = "role") -> str:
    """The editor's schema line for a document file of the project at ``root``: a path that resolves
    there (``.jobdesc/role.schema.json``, written when missing; jobdesc's own schema in its repository)."""
    own = f"jobdesc/schema/{kind}.schema.json"
    if (root / own).is_file():
        return SCHEMA_LINE.format(own)

    try:
        update_schemas(root, create=True)
    except OSError:
        pass  # the role is still written; the editor only misses its hints
    return SCHEMA_LINE.format(f"{SCHEMA_DIR}/{SCHEMA_FILES[kind]}")


def _title_line(title: str) -> str:
    return yaml.safe_dump({"title": title}, allow_unicode=True, width=10**6).rstrip("\n")


def _skeleton(folder: Path, title: str) -> str:
    common = _common_fields(folder)
    shared = {key: "  - use: common" if key in common else PLACEHOLDERS[key] for key in SHARED_FIELDS}
    return SKELETON.format(schema_line=schema_line(folder.parent), title=_title_line(title), **shared)


def _common_fields(folder: Path) -> set[str]:
    """The fields ``roles/_common.yaml`` provides (none when it is absent or broken)."""
    path = folder / COMMON_FILE
    if not path.is_file():
        return set()
    try:
        data = load_yaml(path, f"{ROLES_DIR}/{COMMON_FILE}")
    except YamlProblem:
        return set()
    return set(data) if isinstance(data, dict) else set()


def _copy(folder: Path, source: str, title: str, kind: Kind = ROLE) -> str:
    """The text of document ``source`` with ``title`` replaced, its title forms, gender, ``number`` and
    ``staff_names`` removed."""
    shown = kind.shown(source)
    path = folder / f"{source}.yaml"
    if not ROLE_ID.match(source) or not path.is_file():
        raise JobdescError(f"{shown}: {'такой роли' if kind is ROLE else 'такого положения'} нет (--from)")
    try:
        text = _one_line_break(decode(read_input(path, MAX_FILE_BYTES, folder), shown))
        data = loads(text, shown)
    except YamlProblem as exc:
        raise ProblemsError([exc.problem]) from None
    except InputRefused as exc:
        raise JobdescError(f"{shown}: не удается прочитать файл: {exc.reason}") from None
    problems = check_shape(data, kind.schema, shown)
    if problems:
        raise ProblemsError(problems)
    document = yaml.compose(text, Loader=yaml.SafeLoader)
    assert document is not None  # an empty file has a problem above
    nodes = {key.value: (key, value) for key, value in document.value}
    edits = [_replacement(text, *nodes["title"], _title_line(title))]
    own_fields = (
        ("number", "head")
        if kind is not ROLE
        else ("title_genitive", "title_dative", "title_instrumental", "gender", "number", "staff_names")
    )
    for own in own_fields:  # the copy's own
        if own in nodes:
            edits.append(_replacement(text, *nodes[own], None))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if not text.startswith("# yaml-language-server:"):
        text = f"{schema_line(folder.parent, kind.name)}\n{text}"
    return text


def _one_line_break(text: str) -> str:
    """``\\n`` for every line break YAML knows (CR LF, CR, NEL, LS, PS): the copy is edited by lines."""
    return re.sub("\r\n|[\r\x85\u2028\u2029]", "\n", text)


def _replacement(text: str, key, value, new: str | None) -> tuple[int, int, str]:  # noqa: ANN001 - yaml nodes
    """The span of ``key: value`` and what replaces it (``None``: the entry's lines are removed)."""
    start, end = key.start_mark.index, value.end_mark.index
    span = text[start:end]
    body = span.rstrip("\r\n")
    trailing = span[len(body) :]  # a block scalar's span takes the line breaks after it
    if new is not None:
        return start, end, new + trailing
    start -= key.start_mark.column
    end = start + key.start_mark.column + len(body)
    line_end = text.find("\n", end)
    return start, len(text) if line_end < 0 else line_end + 1, ""


def _write_new(path: Path, text: str) -> None:
    """Write a new file whole, through the one writer; never replaces one that appeared meanwhile."""
    shown = f"{path.parent.name}/{path.name}"
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise JobdescError(f"{shown}: файл уже существует — выберите другой идентификатор") from None
    except OSError as exc:
        where = path.parent.name if not path.parent.is_dir() else shown
        what = "не удается создать папку" if not path.parent.is_dir() else "не удается записать"
        raise JobdescError(f"{where}: {what}: {describe(exc)}") from None
