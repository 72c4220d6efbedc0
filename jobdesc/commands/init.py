"""``jobdesc init``: an organisation's own project; ``jobdesc templates``: the shipped templates to override."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from jobdesc.disk.fsutil import LOCK_FILE, atomic_write, create_new, describe, refuse_link, shown
from jobdesc.disk.reading import MAX_FILE_BYTES, InputRefused, ProjectFiles, read_input
from jobdesc.editions.journal import JOURNAL
from jobdesc.errors import JobdescError, Problem
from jobdesc.project.loader import CONFIG_FILE, ROLES_DIR, TEMPLATES_DIR
from jobdesc.project.schema_export import schema_text
from jobdesc.project.yamlio import LocatedDict, YamlProblem, load_yaml
from jobdesc.render import PACKAGE_TEMPLATES

STARTER = Path(__file__).resolve().parent.parent / "starter"
SCHEMA_DIR = ".jobdesc"  # the JSON Schemas the editor reads, kept current by ``jobdesc check``
SCHEMA_FILES = {"role": "role.schema.json", "policy": "policy.schema.json", "config": "config.schema.json"}
EXAMPLE_ROLE = "kam-manager.yaml"
TEXTCONV = ("diff.jobdesc.textconv", "jobdesc textconv")
GIT_CONFIG_LINE = f'git config {TEXTCONV[0]} "{TEXTCONV[1]}"'

CONFIG_TEXT = f"""\
# yaml-language-server: $schema={SCHEMA_DIR}/{SCHEMA_FILES["config"]}
# Настройки проекта: организация, кто утверждает инструкции, оформление документов.
# Замените текст в [квадратных скобках] своим: jobdesc check называет каждую такую заготовку.
organisation:
  name: "[Полное наименование: Общество с ограниченной ответственностью «Название»]"
  short_name: "[Сокращенное наименование: ООО «Название»]"
  city: "[Город, где утверждаются инструкции, без «г.»: Москва]"
approver:
  position: "[Должность того, кто утверждает инструкции: Генеральный директор]"
  name: "[Фамилия Имя Отчество]"
document:
  copies: 2               # экземпляра в одном файле: работодателю и работнику
  acknowledgment_rows: 10 # пустых строк в листе ознакомления
  # drafted_by:           # кто составил инструкцию (подпись в конце), необязательно
  #   position: Начальник отдела кадров
  #   name: Фамилия Имя Отчество
"""

GITIGNORE_LINES = ("output/", JOURNAL, LOCK_FILE)  # an approval's journal and lock are never committed
GITATTRIBUTES_LINES = ("*.docx diff=jobdesc",)
GIT_FILES = ((".gitignore", GITIGNORE_LINES), (".gitattributes", GITATTRIBUTES_LINES))  # lines init makes sure of

HOOK_FILES = r"^(roles/|policies/|templates/|acks/|jobdesc\.yaml$|staff\.yaml$)"  # every file check reads
NOT_ON_PATH = (
    "jobdesc не найден: включите виртуальное окружение, в котором он установлен "
    "(. .venv/bin/activate), или установите его для всех (pipx install …), и повторите git commit"
)
HOOK_ENTRY = (  # pre-commit's own «Executable `jobdesc` not found» would leave the user guessing
    f'sh -c \'command -v jobdesc >/dev/null 2>&1 || {{ echo "{NOT_ON_PATH}" >&2; exit 1; }}; '
    "exec jobdesc check --strict'"
)
PRE_COMMIT_TEXT = f"""\
# pre-commit (https://pre-commit.com): jobdesc check --strict перед каждым коммитом — ошибки и
# предупреждения останавливают коммит. Включить: pip install pre-commit && pre-commit install
# (jobdesc должен быть доступен как команда: включите виртуальное окружение перед git commit).
repos:
  - repo: local
    hooks:
      - id: jobdesc-check
        name: jobdesc check --strict
        entry: >-
          {HOOK_ENTRY}
        language: system
        pass_filenames: false
        files: {HOOK_FILES}
"""


@dataclass
class Created:
    """What ``init`` did: files written, files left as they were, how git was set up."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    git_configured: bool = False


def init_project(folder: Path) -> Created:
    """Create a project in ``folder`` (made when missing); refuses a folder that already has one."""
    if (folder / CONFIG_FILE).exists():
        raise JobdescError(f"{folder / CONFIG_FILE}: проект здесь уже есть — ничего не изменено")
    if folder.exists() and not folder.is_dir():
        raise JobdescError(f"{folder}: это файл, а не папка")
    created = Created()
    files = {
        f"{ROLES_DIR}/_common.yaml": (STARTER / "_common.yaml").read_bytes(),  # door: the package's starter files
        f"{ROLES_DIR}/{EXAMPLE_ROLE}": (STARTER / EXAMPLE_ROLE).read_bytes(),  # door: the package's starter files
        ".pre-commit-config.yaml": PRE_COMMIT_TEXT.encode("utf-8"),
    }

    for name in [*files, ".gitignore", ".gitattributes", SCHEMA_DIR, CONFIG_FILE]:
        refuse_link(folder, folder / name)  # before anything is written: nothing half-done
    added = {name: (lines, _text_of(folder / name, folder)) for name, lines in GIT_FILES}  # read first, too
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            _write_new(folder, name, data, created)
        for name, (lines, text) in added.items():
            _add_lines(folder, name, lines, text, created)
        created.written.extend(update_schemas(folder, create=True))
        _write_new(folder, CONFIG_FILE, CONFIG_TEXT.encode("utf-8"), created)  # last: it marks a project
    except OSError as exc:
        raise JobdescError(f"{folder}: не удается записать: {describe(exc)}") from None
    created.git_configured = _configure_git(folder)
    return created


def init_lines(folder: Path) -> tuple[list[str], list[str]]:
    """``jobdesc init``: the project created in ``folder``; the files written (for standard output),
    then what was kept, how git was set up and what to do next (for standard error)."""
    created = init_project(folder)
    errors = [f"{name}: уже есть — оставлен как есть" for name in created.kept]
    if created.git_configured:
        errors.append(f"git: {GIT_CONFIG_LINE} — сравнение DOCX в git diff настроено")
    else:
        errors.append(f"Папка не в репозитории git: после git init выполните {GIT_CONFIG_LINE}")
    errors.append(
        "Дальше: впишите в jobdesc.yaml свою организацию (jobdesc check покажет, что осталось), затем jobdesc build; "
        "проверка перед каждым коммитом: pip install pre-commit && pre-commit install"
    )
    return [shown(folder / name, folder) for name in created.written], errors


def _write_new(folder: Path, name: str, data: bytes, created: Created) -> None:
    path = folder / name
    refuse_link(folder, path)  # a dangling link would be written through, out of the project
    if path.exists():
        created.kept.append(name)
        return
    try:
        create_new(path, data)
    except FileExistsError:
        created.kept.append(name)
        return
    created.written.append(name)


def _add_lines(folder: Path, name: str, lines: tuple[str, ...], text: str, created: Created) -> None:
    """Append to ``text``, the file as it was, the lines it lacks (an existing ``.gitignore`` keeps its own)."""
    path = folder / name
    missing = [line for line in lines if line not in text.splitlines()]
    if not missing:
        created.kept.append(name)
        return
    prefix = "" if not text or text.endswith("\n") else "\n"
    atomic_write(path, (text + prefix + "".join(f"{line}\n" for line in missing)).encode("utf-8"))
    created.written.append(name)


def _text_of(path: Path, folder: Path) -> str:
    """The text of a file ``init`` adds lines to, read through the door (a regular file in
    ``folder``); ``""`` when there is none."""
    if not os.path.lexists(path):
        return ""
    try:
        return read_input(path, MAX_FILE_BYTES, folder).decode("utf-8")
    except InputRefused as exc:
        raise JobdescError(f"{path.name}: не удается прочитать файл: {exc.reason}") from None
    except UnicodeDecodeError:
        raise JobdescError(f"{path.name}: файл не в кодировке UTF-8 — ничего не изменено") from None


def _configure_git(folder: Path) -> bool:
    """Set up ``git diff`` of DOCX through ``jobdesc textconv`` when ``folder`` is in a git work tree."""
    # lazy: jobdesc.disk.git and what it imports (7 modules) load only for the commands that get here
    from jobdesc.disk import git

    inside = git.answer(folder, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.returncode != 0 or inside.stdout.strip() != b"true":
        return False
    done = git.run(folder, "config", *TEXTCONV)
    return done.returncode == 0


def update_schemas(root: Path, create: bool = False) -> list[str]:
    """Write the JSON Schemas into ``.jobdesc/`` where they differ from this jobdesc's (only in a
    project that has the folder, unless ``create``); returns the files written."""
    folder = root / SCHEMA_DIR
    if not create and not folder.is_dir():
        return []
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = folder / name
        data = (schema_text(kind) + "\n").encode("utf-8")
        try:
            if os.path.islink(folder) or os.path.islink(path):
                raise JobdescError(f"{SCHEMA_DIR}/{name}: символическая ссылка — jobdesc не пишет через ссылки")
            if path.is_file() and _holds(path, data, folder):
                continue
            folder.mkdir(exist_ok=True)
            atomic_write(path, data)
        except (OSError, JobdescError):
            if create:
                raise
            continue  # a read-only checkout: the editor's hints are not worth failing check for
        written.append(f"{SCHEMA_DIR}/{name}")
    return written


def _holds(path: Path, data: bytes, folder: Path) -> bool:
    """Whether the file at ``path`` (read through the door) holds exactly ``data``."""
    try:
        return read_input(path, len(data), folder) == data
    except InputRefused:  # bigger, or not a regular file: written anew
        return False


def placeholders(root: Path, files: ProjectFiles | None = None) -> list[Problem]:
    """Every «[…]» placeholder ``init`` left in ``jobdesc.yaml``, with its line (``files``: the
    project's files, which have read it already)."""
    try:
        data = load_yaml(root / CONFIG_FILE, CONFIG_FILE, root, files)
    except (YamlProblem, OSError):
        return []  # the config's own problems are reported by the loader
    problems: list[Problem] = []

    def walk(mapping: object, path: str) -> None:
        if not isinstance(mapping, LocatedDict):
            return
        for key, value in mapping.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
                problems.append(
                    Problem(CONFIG_FILE, mapping.key_lines.get(key), where, "заготовка в [скобках] — впишите свое")
                )
            walk(value, where)

    walk(data, "")
    return problems


def shipped_templates() -> list[str]:
    """The names of the shipped templates and styles file (subfolders as ``folder/name``)."""
    return sorted(
        p.relative_to(PACKAGE_TEMPLATES).as_posix()
        for p in PACKAGE_TEMPLATES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def template_lines(root: Path) -> list[str]:
    """``jobdesc templates``: the shipped templates and styles, those the project replaces marked."""
    return [
        shipped + ("  (заменен файлом templates/ проекта)" if (root / "templates" / shipped).is_file() else "")
        for shipped in shipped_templates()
    ]


def copy_template(root: Path, name: str) -> Path:
    """Copy shipped template ``name`` into the project's ``templates/`` to edit; never overwrites."""
    names = shipped_templates()
    if name not in names:
        raise JobdescError(f"«{name}»: такого шаблона нет; есть: {', '.join(names)}")
    target = root / TEMPLATES_DIR / name
    shown = f"{TEMPLATES_DIR}/{name}"
    if os.path.lexists(root / TEMPLATES_DIR) and not (root / TEMPLATES_DIR).is_dir():
        raise JobdescError(f"{TEMPLATES_DIR}: это файл, а не папка — переименуйте его, чтобы копировать шаблоны")
    if os.path.islink(target) or os.path.islink(root / TEMPLATES_DIR):
        raise JobdescError(f"{shown}: символическая ссылка — jobdesc не пишет через ссылки; уберите ее")
    if target.exists():
        raise JobdescError(f"{shown}: файл уже есть — он и используется вместо поставляемого; ничего не изменено")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE_TEMPLATES / name, target)
    except OSError as exc:
        raise JobdescError(f"{shown}: не удается записать: {describe(exc)}") from None
    return target
