"""Regenerate the golden text of the shipped roles: ``python tests/update_golden.py``.

``tests/golden/<role>.txt`` holds, for each copy that ``jobdesc.documents.compose.render_document`` returns for
the role of the shipped project, a line ``=== Экземпляр N ===`` and then the copy's
``Document.text()``. ``tests/test_golden.py`` compares the current output with these files;
after an intended change of a template or a role, run this script and review the diff in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
GOLDEN_ROLES = ("kam-manager", "kam-head")
UPDATE_COMMAND = "python tests/update_golden.py"

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def golden_text(role_id: str, root: Path = REPO_ROOT) -> str:
    """The golden text of one role of the project at ``root``."""
    from jobdesc.documents.compose import render_document
    from jobdesc.project.loader import load_project

    project = load_project(root, [role_id])
    copies = render_document(project, project.roles[role_id])
    return "".join(f"=== Экземпляр {number} ===\n{copy.text()}" for number, copy in enumerate(copies, start=1))


def golden_path(role_id: str) -> Path:
    return GOLDEN_DIR / f"{role_id}.txt"


def main() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for role_id in GOLDEN_ROLES:
        path = golden_path(role_id)
        path.write_bytes(golden_text(role_id).encode("utf-8"))
        print(path.relative_to(REPO_ROOT).as_posix())


if __name__ == "__main__":
    main()
