"""A unit's size costs each of its documents nothing: linked work grows linearly, by count.

Issue 20's target (600 linked roles at most 4.5× the CPU of 150) is measured by the benchmark;
here the same property is pinned without a clock. One unit (the shipped regulation and head)
gets one, two, three more managers, each linked to both; every count of linked work a build and
a check do — titles inflected for link texts, documents' data looked up through the graph, the
documents each document depends on, files read and parsed — and the size of the text the user
gets must grow by the same amount for each added manager. A role whose build walked its whole
unit (its colleagues' titles, their files in its digest, a list of the positions in its text)
would add more for the third manager than for the first: quadratic at 600 roles.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.build import batch
from jobdesc.disk.reading import ProjectFiles
from jobdesc.documents.options import Options
from jobdesc.project import links, yamlio

MANAGER_TITLE = "title: Менеджер по работе с ключевыми клиентами"


def _one_unit(root: Path, members: int) -> Path:
    """The shipped project (no editions) with ``members`` more managers of the unit, each with
    ``department: kam-department`` and ``reports_to: kam-head`` and a title of the same length."""
    copy_project(root, editions=False)
    manager = (root / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    assert MANAGER_TITLE in manager and "department: kam-department" in manager and "reports_to: kam-head" in manager
    for n in range(101, 101 + members):
        text = manager.replace("ДИ-014", f"ДИ-{n}").replace(MANAGER_TITLE, f"{MANAGER_TITLE} (участок {n})")
        (root / "roles" / f"kam-manager-{n}.yaml").write_text(text, encoding="utf-8")
    return root


def _linked_work(root: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The counts of linked work of ``build`` (in this process, one core) or ``check`` of ``root``."""
    counts: Counter[str] = Counter()

    def count(owner: object, name: str, key: str, amount: Callable[[object], int] = lambda _: 1) -> None:
        original = getattr(owner, name)

        def counting(*args: object, **kwargs: object) -> object:
            result = original(*args, **kwargs)
            counts[key] += amount(result)
            return result

        monkeypatch.setattr(owner, name, counting)

    count(links, "title_forms_of", "titles inflected for link texts")
    count(links.Graph, "dependencies", "documents depended on", len)
    count(links.Graph, "incoming", "documents linking to another, listed", len)
    count(ProjectFiles, "read", "project files asked for")
    parse = yamlio.loads

    def parsing(text: str, shown: str) -> object:
        counts["documents' YAML parsed"] += shown.startswith(("roles/", "policies/"))  # jobdesc.yaml: once per cache
        return parse(text, shown)

    monkeypatch.setattr(yamlio, "loads", parsing)
    data = links.Node.data

    def looked_up(node: links.Node) -> object:
        counts["documents' data looked up"] += 1
        return data.fget(node)  # type: ignore[attr-defined]

    monkeypatch.setattr(links.Node, "data", property(looked_up))
    if command == "build":
        report = batch.run(root, None, root / "output", Options(), jobs=1)
        assert not report.failed, report.failed
        for path in (root / "output").rglob("*.docx"):
            with zipfile.ZipFile(path) as package:
                counts["bytes of the documents' text (word/document.xml)"] += len(package.read("word/document.xml"))
    else:
        result = run_cli("-C", root, "check")
        assert result.exit_code == 0, result.output
    monkeypatch.undo()
    return counts


@pytest.mark.parametrize("command", ["build", "check"])
def test_each_member_a_unit_gains_adds_the_same_linked_work(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two, three = (_linked_work(_one_unit(tmp_path / str(n), n), command, monkeypatch) for n in (1, 2, 3))
    assert set(one) == set(two) == set(three)
    assert one["titles inflected for link texts"] > 0 and one["documents' data looked up"] > 0
    growth = {key: (two[key] - one[key], three[key] - two[key]) for key in one}
    assert all(second == first for first, second in growth.values()), growth
    # what a member adds is a few lookups of its own links (and its line in the head's and the regulation's texts)
    assert growth["titles inflected for link texts"][0] <= 3, growth
    assert growth["documents' YAML parsed"][0] == 1, growth
