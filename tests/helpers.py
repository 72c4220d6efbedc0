"""Helpers shared by the test modules (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner, Result

from jobdesc.cli.main import main
from jobdesc.project.loader import TEMPLATES_DIR
from jobdesc.render import PACKAGE_TEMPLATES

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ROLES = ("kam-head", "kam-manager")

COPY_MARK_1 = "Экземпляр №\u00a01 — хранится у работодателя"
COPY_MARK_2 = "Экземпляр №\u00a02 — выдается работнику"
ACK_TITLE = "ЛИСТ ОЗНАКОМЛЕНИЯ"
ACK_HEADER = ("№\u00a0п/п", "Ф.И.О. работника", "Должность", "Дата ознакомления", "Подпись")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS}


LINKS_AS_TEXT = (  # the shipped roles' links, as the texts they resolve to
    ("department: kam-department", "department: Отдел по работе с ключевыми клиентами"),
    ("reports_to: kam-head", "reports_to: начальнику отдела по работе с ключевыми клиентами"),
)


def unlinked(text: str) -> str:
    """A shipped role's text with its links (``department``, ``reports_to``) written out as text,
    for a project that has no regulation and no head (the role stands alone)."""
    for link, words in LINKS_AS_TEXT:
        text = text.replace(link, words)
    return text


AMENDMENTS_SETTING = re.compile(r"^  amendments:(?: [\w-]+\n|\n(?:    .*\n)+)", re.M)


def set_amendments(root: Path, setting: str) -> None:
    """Replace ``document.amendments`` of the project's ``jobdesc.yaml`` (one word, or its
    per-kind block) with ``setting``: ``changes``, ``new-edition`` or a block of its own."""
    config = root / "jobdesc.yaml"
    text, count = AMENDMENTS_SETTING.subn(f"  amendments: {setting}\n", config.read_text("utf-8"))
    assert count == 1, "jobdesc.yaml: no amendments setting"
    config.write_text(text, "utf-8")


def copy_project(target: Path, *, editions: bool | str = "first", overrides: bool = False, linked: bool = True) -> Path:
    """Copy the shipped ``jobdesc.yaml``, ``roles/`` and ``policies/`` into ``target`` (it uses the package's templates).

    ``editions``: ``"first"`` (the default) copies edition 1 of each role only, so a build gives the
    approved, signed instruction that most tests look at; ``"all"`` copies every shipped edition
    (edition 2 and «Изменения № 1»); ``False`` none. ``overrides=True`` also copies every shipped
    template into the project's ``templates/``, for a test that breaks one. ``linked=False``: no
    regulation, and the roles' links written out as text (each role stands alone: a test may delete one).
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "jobdesc.yaml", target / "jobdesc.yaml")
    skip = ("__pycache__", ".*") if editions else ("__pycache__", ".*", "*.editions")
    for folder in ("roles", "policies"):
        shutil.copytree(REPO_ROOT / folder, target / folder, ignore=shutil.ignore_patterns(*skip))
        if editions == "first":
            for later in (target / folder).glob("*.editions/*"):
                if not later.name.startswith("001."):
                    later.unlink()
    if overrides:
        override_templates(target)
    if not linked:
        shutil.rmtree(target / "policies")
        for role in (target / "roles").glob("kam-*.yaml"):
            role.write_text(unlinked(role.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def editions_folder(root: Path, name: str) -> Path:
    """The ``*.editions`` folder of role or regulation ``name`` in the project at ``root``."""
    role = root / "roles" / f"{name}.editions"
    return (
        role
        if role.is_dir() or not (root / "policies" / f"{name}.editions").is_dir()
        else root / "policies" / f"{name}.editions"
    )


def latest_edition(root: Path, name: str) -> int:
    """The number of the last approved edition of role or regulation ``name`` (0: none approved).

    Tests of generic behaviour start from it (the next edition is ``latest_edition(...) + 1``) rather
    than from the number the shipped project happens to have reached."""
    folder = editions_folder(root, name)
    return max((int(p.stem) for p in folder.glob("[0-9][0-9][0-9].yaml")), default=0)


def edition_order(root: Path, name: str, number: int) -> tuple[str, str]:
    """(number, date «ДД.ММ.ГГГГ») of the order that approved edition ``number`` of ``name``."""
    import yaml

    record = yaml.safe_load((editions_folder(root, name) / f"{number:03d}.yaml").read_text(encoding="utf-8"))
    year, month, day = record["order"]["date"].split("-")
    return record["order"]["number"], f"{day}.{month}.{year}"


def latest_line(root: Path, name: str) -> str:
    """«редакция № N от ДД.ММ.ГГГГ»: the last approved edition of ``name`` as ``status`` names it."""
    import yaml

    number = latest_edition(root, name)
    record = yaml.safe_load((editions_folder(root, name) / f"{number:03d}.yaml").read_text(encoding="utf-8"))
    year, month, day = record["approved"].split("-")
    return f"редакция № {number} от {day}.{month}.{year}"


def to_sign(root: Path, name: str) -> list[tuple[str, str, str]]:
    """What the holders of ``name`` sign under ``amendments: changes``, as ``ack`` and ``status`` name
    it, with the option that records it and the day it comes into force («ДД.ММ.ГГГГ»): edition 1,
    then «Изменения № N» (each making edition N + 1)."""
    import yaml

    def day(iso: str) -> str:
        year, month, date = iso.split("-")
        return f"{date}.{month}.{year}"

    found = []
    for number in range(1, latest_edition(root, name) + 1):
        record = yaml.safe_load((editions_folder(root, name) / f"{number:03d}.yaml").read_text(encoding="utf-8"))
        approved, effective = day(record["approved"]), day(record["effective"])
        if number == 1:
            found.append((f"редакция № 1 от {approved}", "--edition 1", effective))
        else:
            found.append((f"изменения № {number - 1} от {approved}", f"--amendment {number - 1}", effective))
    return found


def orders_of(root: Path) -> list[str]:
    """The numbers of every order recorded in the project's editions (roles and regulations), sorted."""
    import yaml

    found = set()
    for path in sorted(root.glob("*/*.editions/[0-9][0-9][0-9].yaml")):
        order = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("order")
        if order:
            found.add(order["number"])
    return sorted(found)


def override_templates(project: Path, *names: str) -> Path:
    """Copy shipped templates (all, or those named) into the project's ``templates/``, where they
    override the shipped ones; returns the project's copy of the first named (else the folder)."""
    target = project / TEMPLATES_DIR
    if not names:
        shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        return target
    for name in names:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PACKAGE_TEMPLATES / name, target / name)
    return target / names[0]


def run_cli(*args: str | Path, env: dict | None = None) -> Result:
    """``jobdesc ARGS`` in-process, named as on the command line; stdout and stderr are kept apart (click >= 8.2)."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="jobdesc", env=env)


def assert_clean_failure(result: Result) -> list[str]:
    """Exit 1 through click's error path (no traceback); returns the stderr lines."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == "", f"a failed command prints nothing on stdout, got {result.stdout!r}"
    lines = result.stderr.splitlines()
    assert lines, "a failure must say what is wrong on stderr"
    return lines


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line of ``text`` (from line ``start`` on) that starts with ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and line.startswith(needle):
            return number
    raise AssertionError(f"{needle!r} not found in the text")


def build_into(project_dir: Path, out: Path, *extra: str) -> Result:
    """``jobdesc -C project_dir build --out out EXTRA``, which must succeed."""
    result = run_cli("-C", project_dir, "build", "--out", out, *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def docx_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def files_in(folder: Path) -> list[str]:
    """The documents under ``folder`` (relative, sorted): every file but hidden bookkeeping files.

    Empty when the folder does not exist. Temporary files left behind are found by :func:`leftovers`.
    """
    if not folder.exists():
        return []
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary files (``*.tmp``) left in ``folder`` by an interrupted or failed write."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))
