"""Regenerate ``jobdesc/starter/`` (what ``jobdesc init`` writes) from the shipped roles.

The example role is ``roles/kam-manager.yaml`` without its registration number, its links to
the department regulation and the head written out as text (a new project has neither), its
schema line pointing at the project's ``.jobdesc/``; ``_common.yaml`` is copied as it is:
``python tools/update_starter.py``.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STARTER = REPO / "jobdesc" / "starter"
SCHEMA_LINE = "# yaml-language-server: $schema=../.jobdesc/role.schema.json"
LINKS = {  # a starter project has no regulation and no head: the links as the texts they print
    "department: kam-department\n": "department: Отдел по работе с ключевыми клиентами\n",
    "reports_to: kam-head\n": "reports_to: начальнику отдела по работе с ключевыми клиентами\n",
}


def starter_files() -> dict[str, bytes]:
    """The starter files as they should be, by name."""
    lines = (REPO / "roles" / "kam-manager.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("# yaml-language-server:")
    role = [SCHEMA_LINE + "\n", *(LINKS.get(line, line) for line in lines[1:] if not line.startswith("number:"))]
    return {
        "kam-manager.yaml": "".join(role).encode("utf-8"),
        "_common.yaml": (REPO / "roles" / "_common.yaml").read_bytes(),
    }


if __name__ == "__main__":
    for name, data in starter_files().items():
        (STARTER / name).write_bytes(data)
        print(STARTER.relative_to(REPO) / name)
