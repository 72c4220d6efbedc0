"""The layout keeps its promises: layers import only downwards, no circles, only the CLI knows
click, and only the door (``jobdesc/disk/reading.py``) opens a project file.

The imports and the calls are read from the package's source (``ast``), so a new module is
held to the same rules the moment it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jobdesc"

# Each layer may import itself and the layers after it in this list, never one before it.
LAYERS = (
    "cli",
    "commands",
    "sources",
    "build",
    "documents",
    "people",
    "editions",
    "render",
    "project",
    "language",
    "disk",
    "errors",
)


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in PACKAGE.rglob("*.py")
    }


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, whether at the top level of the module) of every jobdesc import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    type_only = {
        id(inner)
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jobdesc"):
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(name, node.lineno, id(node) in top) for name in [node.module, *names]]
        elif isinstance(node, ast.Import):
            found += [
                (alias.name, node.lineno, id(node) in top) for alias in node.names if alias.name.startswith("jobdesc")
            ]
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_layers_import_only_downwards() -> None:
    wrong = []
    for module, path in _modules().items():
        own = _layer(module)
        if own is None:
            continue
        for imported, line, _ in _imports(path):
            other = _layer(imported)
            if other is not None and LAYERS.index(other) < LAYERS.index(own):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} imports {imported} ({other} is above)")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_back_in_a_circle() -> None:
    modules = _modules()
    graph = {
        module: {name for name, _, _ in _imports(path) if name in modules and name != module}
        for module, path in modules.items()
    }
    circles = []

    def visit(module: str, trail: list[str]) -> None:
        for following in sorted(graph[module]):
            if following in trail:
                circles.append(" → ".join([*trail[trail.index(following) :], following]))
            elif following not in done:
                visit(following, [*trail, following])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    # a package's __init__ is imported by its modules' imports: only circles between modules count
    real = [circle for circle in circles if not any(part.count(".") < 2 for part in circle.split(" → ")[:-1])]
    assert not real, "\n".join(real)


def test_only_the_cli_knows_click() -> None:
    outside = []
    for module, path in _modules().items():
        if module.startswith("jobdesc.cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "click" or name.startswith("click.") for name in names):
                outside.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not outside, outside


# Reads of files that are not the project's: the package's own files, jobdesc's cache, the
# outputs it wrote, the standard input. Everything else goes through jobdesc/disk/reading.py.
NOT_PROJECT_FILES = {
    "jobdesc.disk.fsutil": "the one writer: files opened to be written",
    "jobdesc.sources.importing": "the .docx LibreOffice made of a .doc/.odt/.rtf in a temporary folder",
    "jobdesc.commands.textconv": "members of a DOCX package (ZipFile.open) of a file read through the door",
    "jobdesc.disk.cache": "jobdesc's cache on disk and the package's own source (its digest)",
    "jobdesc.build.batch": "the manifest in output/",
    "jobdesc.build.inputs": "the package's source (the code digest)",
    "jobdesc.build.pdf": "PDFs jobdesc wrote into output/",
    "jobdesc.cli.russian": "/dev/null, put in place of a standard output that cannot be written",
    "jobdesc.project.validate": "the package's JSON Schemas",
    "jobdesc.commands.init": "the package's starter files; a new project's .gitignore and files being created",
    "jobdesc.commands.scaffold": "the source of `new --from`, a file the user names",
    "jobdesc.editions.signing": "a signature file (.sig) beside an edition",
    "jobdesc.editions.provenance": "an edition's bytes for its signature",
}
READS = {"read_bytes", "read_text", "open"}


def test_only_the_door_opens_project_files() -> None:
    """A call that opens a file (``open``, ``Path.read_bytes`` / ``read_text``, ``os.open``) is
    allowed in the door and in the modules above, each for the files named there."""
    found = []
    for module, path in _modules().items():
        if module == "jobdesc.disk.reading" or module in NOT_PROJECT_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name in READS:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(function)}")
    assert not found, "\n".join(found)


# The bytes of the files every document reads (config, shared clauses, staff, the project's
# templates), as the command's script computes them: the budget keeps these and nothing more.
_SHARED_BYTES = (
    "sum(os.path.getsize(os.path.join(top, name)) for top, _, names in os.walk(os.path.join(root, 'templates'))"
    " for name in names) + sum(os.path.getsize(os.path.join(root, name)) for name in"
    " ('jobdesc.yaml', 'roles/_common.yaml', 'staff.yaml') if os.path.exists(os.path.join(root, name)))"
)


@pytest.mark.parametrize("overrides", [False, True], ids=["shipped templates", "project templates"])
@pytest.mark.parametrize(
    ("command", "budget"),
    [
        (["check"], "reading.KEEP_BYTES"),
        (["build", "--force", "--jobs", "1"], "reading.KEEP_BYTES"),
        (["build", "--jobs", "1"], _SHARED_BYTES),
        (["build", "--force", "--jobs", "1"], _SHARED_BYTES),
    ],
    ids=["check", "build --force", "first build, documents' bytes not kept", "build --force, not kept"],
)
def test_a_command_opens_each_project_file_at_most_once(
    tmp_path: Path, command: list[str], budget: str, overrides: bool
) -> None:
    """Counted by Python's audit hook on every ``open`` of a file of the project (outputs aside);
    with the project's own templates and styles too. With room for the files every document
    reads (read first) and none for the documents' own (a project far larger than
    :data:`~jobdesc.disk.reading.KEEP_BYTES`), a build still opens each once: a document rebuilt
    whatever its digest is hashed from what its build read."""
    import subprocess
    import sys

    from helpers import copy_project

    root = copy_project(tmp_path / "p", editions="all", overrides=overrides)
    script = (
        "import collections, os, sys\n"
        f"root = {str(root)!r}\n"
        "opened = collections.Counter()\n"
        "def hook(event, args):\n"
        "    if event == 'open' and isinstance(args[0], (str, os.PathLike)):\n"
        "        path = os.path.abspath(os.fspath(args[0]))\n"
        "        if path.startswith(root + os.sep) and os.sep + 'output' + os.sep not in path and os.path.isfile(path):\n"
        "            opened[os.path.relpath(path, root)] += 1\n"
        "sys.addaudithook(hook)\n"
        "from jobdesc.cli.main import main\n"
        "from jobdesc.disk import reading\n"
        f"reading.KEEP_BYTES = {budget}\n"
        "try:\n"
        f"    main(['-C', root, *{command!r}], standalone_mode=False)\n"
        "finally:\n"
        "    print(dict(opened))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    opened = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert "roles/kam-manager.yaml" in opened and "roles/kam-head.editions/002.yaml" in opened, opened
    if overrides:
        assert "templates/job-description.md.j2" in opened and "templates/styles.docx" in opened, opened
    assert {name: count for name, count in opened.items() if count > 1} == {}


def test_a_no_op_build_lists_each_project_folder_once(tmp_path: Path) -> None:
    """A build with nothing to do lists each folder of the project once (the verification of
    editions, the digests and the orders share the listing): at thousands of documents, each
    listing again is thousands of system calls. Counted by Python's audit hook on ``os.scandir``
    and ``os.listdir``, for a build after a build."""
    import subprocess
    import sys

    from editions_helpers import commit_all, git
    from helpers import copy_project

    root = copy_project(tmp_path / "p", editions="all")
    git(root, "init", "-q")
    commit_all(root, "the project, as HR keeps it")  # the editions are verified against git
    script = (
        "import collections, os, sys\n"
        f"root = {str(root)!r}\n"
        "from jobdesc.build import inputs\n"
        "from jobdesc.cli.main import main\n"
        "from jobdesc.editions import provenance\n"
        "provenance.RACY_NS = inputs.RACY_NS = 0  # files a second old trusted by their times, as hours old\n"
        "main(['-C', root, 'build'], standalone_mode=False)\n"
        "listed = collections.Counter()\n"
        "def hook(event, args):\n"
        "    if event in ('os.scandir', 'os.listdir') and isinstance(args[0], (str, os.PathLike)):\n"
        "        path = os.path.abspath(os.fspath(args[0]) or '.')\n"
        "        if (path + os.sep).startswith(root + os.sep) and not path.startswith(os.path.join(root, 'output')):\n"
        "            listed[os.path.relpath(path, root)] += 1\n"
        "sys.addaudithook(hook)\n"
        "provenance.forget()\n"
        "try:\n"
        "    main(['-C', root, 'build'], standalone_mode=False)\n"
        "finally:\n"
        "    print(dict(listed))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "без изменений" in done.stderr, done.stderr  # nothing was built: a no-op
    listed = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert "roles" in listed and "roles/kam-head.editions" in listed, listed
    assert {name: count for name, count in listed.items() if count > 1} == {}


LAZY_MARKS = ("# lazy", "# door")


def _unmarked_imports(source: str) -> list[int]:
    """Lines of the imports inside a function that say nothing of why they are there: a ``# lazy:
    why`` (or ``# door``) comment on the import's own lines, or in the comment lines just above the
    group of imports it belongs to. (``if TYPE_CHECKING:`` imports are for the type checker alone.)"""
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []

    def marked(first: int, last: int) -> bool:
        return any(mark in line for line in lines[first - 1 : last] for mark in LAZY_MARKS)

    def comments_above(line: int) -> str:
        above = []
        while line > 1 and lines[line - 2].strip().startswith("#"):
            line -= 1
            above.append(lines[line - 1])
        return "\n".join(above)

    def visit(body: list[ast.stmt], in_function: bool) -> None:
        group_start: ast.stmt | None = None
        for statement in body:
            is_import = isinstance(statement, ast.Import | ast.ImportFrom)
            if not is_import:
                group_start = None
            elif group_start is None:
                group_start = statement
            if (
                is_import
                and in_function
                and not (isinstance(statement, ast.ImportFrom) and statement.module == "__future__")
            ):
                assert group_start is not None
                own = marked(statement.lineno, statement.end_lineno or statement.lineno)
                if not own and not any(mark in comments_above(group_start.lineno) for mark in LAZY_MARKS):
                    found.append(statement.lineno)
            if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
                continue
            inner = in_function or isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(statement, field, None) or [], inner)
            for handler in getattr(statement, "handlers", None) or []:
                visit(handler.body, inner)
            for case in getattr(statement, "cases", None) or []:
                visit(case.body, inner)

    visit(tree.body, False)
    return found


def test_unmarked_imports_finds_an_import_with_no_reason() -> None:
    source = (
        "import os\n\n\n"
        "def a():\n    # lazy: only on errors\n    import json\n    import re\n\n    return json, re\n\n\n"
        "def b():\n    import json  # lazy: only here\n\n    return json\n\n\n"
        "def c():\n    import json\n\n    return json\n\n\n"
        "def d():\n    x = 1\n    # door: not a project file\n    import json\n    try:\n        import csv\n"
        "    except ImportError:\n        pass\n    return x, json, csv\n"
    )
    assert _unmarked_imports(source) == [19, 29]


def test_imports_are_at_module_level_unless_a_comment_says_why() -> None:
    """An import inside a function costs a reader a look and can hide a circle: it is there for the
    start-up time of a command (or on a path only errors take), and a ``# lazy: why`` says so."""
    unmarked = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(_modules().values())
        for line in _unmarked_imports(path.read_text(encoding="utf-8"))
    ]
    assert not unmarked, "imports inside a function without a «# lazy: why» comment:\n" + "\n".join(unmarked)
