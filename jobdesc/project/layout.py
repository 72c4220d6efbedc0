"""Where a project's files are: its root (the folder of ``jobdesc.yaml``), the names of its input
files and folders, and the document files a command works on.

Apart from :mod:`jobdesc.project.loader` so that a command that only finds files (a no-op
``build``) imports neither PyYAML nor the model.
"""

from __future__ import annotations

from pathlib import Path

from jobdesc.errors import JobdescError, Problem
from jobdesc.project.kinds import KINDS, ROLE, Kind, document_files

CONFIG_FILE = "jobdesc.yaml"
ROLES_DIR = "roles"
TEMPLATES_DIR = "templates"  # a project's overrides of the shipped templates
COMMON_FILE = "_common.yaml"


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


def refuse_inputs(root: Path, out: Path) -> None:
    """Refuse an ``--out`` inside the project's inputs (``jobdesc.yaml``, ``roles/`` and
    ``policies/`` with the editions, ``templates/``, ``profstandards/``): documents are never written among them."""
    target = out.resolve()
    root = root.resolve()
    for part in (CONFIG_FILE, *(kind.folder for kind in KINDS), TEMPLATES_DIR, "profstandards"):
        if target == root / part or (root / part) in target.parents:
            raise JobdescError(
                f"--out: {out}: это место файлов проекта ({part}) — jobdesc не пишет туда документы; "
                "выберите другую папку, например output/"
            )


def select_documents(
    root: Path, only: list[str] | None, problems: list[Problem], every: list[tuple[Kind, Path]] | None = None
) -> list[tuple[Kind, Path]]:
    """The document files to work on: all, or those named in ``only`` (each must exist).

    An id is one document: a role and a regulation of the same id is a problem. ``every``: the
    project's source files, when the caller has listed them already.
    """
    files = []
    seen: dict[str, Kind] = {}
    for kind, path in document_files(root) if every is None else every:
        stem = path.stem
        if stem in seen and path.suffix == ".yaml":  # the second of an id is not loaded: one line says why
            problems.append(
                Problem(
                    kind.shown(path.stem),
                    None,
                    "",
                    f"идентификатор {path.stem} уже занят: {seen[path.stem].shown(path.stem)} — "
                    "у каждого документа свой идентификатор (имя файла)",
                )
            )
            continue
        seen.setdefault(stem, kind)
        files.append((kind, path))
    if only:
        known = {path.stem for _, path in files}
        problems.extend(
            Problem(
                f"{ROLES_DIR}/{doc_id}.yaml",
                None,
                "",
                f"такой роли нет (и положения policies/{doc_id}.yaml тоже)",
            )
            for doc_id in only
            if doc_id not in known
        )
        files = [(kind, path) for kind, path in files if path.stem in only]
    elif not any(kind is ROLE for kind, _ in files):
        problems.append(Problem(ROLES_DIR, None, "", "нет ни одного файла роли (*.yaml)"))
    return files
