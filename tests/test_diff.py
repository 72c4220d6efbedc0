"""``jobdesc diff``: versions (edition, git revision, working), formats, shared clauses, moves, renumbering."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from editions_helpers import (
    ANSI,
    COMMON_CLAUSE,
    COMMON_CLAUSE_NEW,
    HEAD,
    MANAGER,
    commit_all,
    git,
    git_project,
    jd,
    ok,
    refused,
    replace_once,
    role_data,
    role_file,
    string_duties,
    textconv_lines,
)

OLD_WORD, NEW_WORD = "нестандартных", "сложных"
KINDS = {"added", "removed", "changed", "moved", "renumbered"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Both shipped roles approved (edition 1) and committed in a git repository."""
    root = git_project(tmp_path / "project")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    ok(jd("-C", root, "approve", HEAD, "--date", "2026-01-15"))
    commit_all(root, "edition 1")
    return root


def diff(root: Path, role: str = MANAGER, *args: str):  # noqa: ANN201
    return jd("-C", root, "diff", role, *args)


def as_json(result) -> dict:  # noqa: ANN001
    ok(result)
    return json.loads(result.stdout)


def real_changes(data: dict) -> list[dict]:
    return [c for c in data["changes"] if c["kind"] != "renumbered"]


def change_lines(result) -> list[str]:  # noqa: ANN001
    """The per-change lines of a text diff (not the heading, not the total, not a clause whose number alone changed)."""
    return [line for line in result.stdout.splitlines()[1:] if not line.startswith(("Итого", "# "))]


def renumbered_lines(result) -> list[str]:  # noqa: ANN001
    return [line for line in result.stdout.splitlines() if line.startswith("# ")]


def total(result) -> str:  # noqa: ANN001
    lines = [line for line in result.stdout.splitlines() if line.startswith("Итого")]
    assert len(lines) == 1, result.stdout
    return lines[0]


def edit_word(root: Path) -> None:
    replace_once(role_file(root), f"{OLD_WORD} ситуаций", f"{NEW_WORD} ситуаций")


def bare(number: str) -> str:
    return number.rstrip(".")


# =========================================================================== text format


def test_text_diff_shows_word_marks_without_colour_when_piped(project: Path) -> None:
    edit_word(project)
    result = ok(diff(project))
    assert not ANSI.search(result.output), repr(result.output)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{MANAGER}:")
    assert "редакция № 1" in lines[0] and "рабочий текст" in lines[0]
    changes = change_lines(result)
    assert len(changes) == 1, changes
    assert re.match(r"^\S+ 2\.2\.?\s", changes[0]), changes[0]
    assert f"[-{OLD_WORD}-]" in changes[0]
    assert f"{{+{NEW_WORD}+}}" in changes[0]
    assert changes[0].endswith(f"при возникновении [-{OLD_WORD}-]{{+{NEW_WORD}+}} ситуаций.")
    assert "изменено 1" in total(result)


def test_no_changes(project: Path) -> None:
    result = ok(diff(project))
    assert change_lines(result) == []
    assert "без изменений" in total(result)
    assert real_changes(as_json(diff(project, MANAGER, "--format", "json"))) == []
    assert as_json(diff(project, MANAGER, "--format", "json"))["changes"] == []


# =========================================================================== versions


def test_from_and_to_accept_edition_git_revision_and_working(project: Path) -> None:
    edit_word(project)
    working = as_json(diff(project, MANAGER, "--format", "json"))
    assert len(real_changes(working)) == 1
    assert working["changes"] == as_json(diff(project, MANAGER, "--from", "1", "--format", "json"))["changes"]
    assert (
        working["changes"]
        == as_json(diff(project, MANAGER, "--from", "1", "--to", "working", "--format", "json"))["changes"]
    )
    assert working["changes"] == as_json(diff(project, MANAGER, "--from", "HEAD", "--format", "json"))["changes"]

    commit_all(project, "edit")
    same = [
        diff(project, MANAGER, "--from", "HEAD~1", "--format", "json"),
        diff(project, MANAGER, "--from", "HEAD~1", "--to", "HEAD", "--format", "json"),
        diff(project, MANAGER, "--from", "1", "--to", "HEAD", "--format", "json"),
        diff(project, MANAGER, "--from", "HEAD~1", "--to", "working", "--format", "json"),
    ]
    for result in same:
        assert as_json(result)["changes"] == working["changes"], result.stdout
    assert as_json(diff(project, MANAGER, "--from", "HEAD", "--format", "json"))["changes"] == []

    ok(jd("-C", project, "approve", MANAGER, "--date", "2026-02-01", "--same-function"))
    assert (
        as_json(diff(project, MANAGER, "--from", "1", "--to", "2", "--format", "json"))["changes"] == working["changes"]
    )
    assert as_json(diff(project, MANAGER, "--format", "json"))["changes"] == []  # default: from the last edition
    assert as_json(diff(project, MANAGER, "--from", "2", "--to", "HEAD~1", "--format", "json"))["changes"] != []

    back = real_changes(as_json(diff(project, MANAGER, "--from", "2", "--to", "1", "--format", "json")))
    assert len(back) == 1
    assert back[0]["kind"] == "changed"
    assert OLD_WORD in back[0]["new"]["text"] and NEW_WORD in back[0]["old"]["text"]
    text = ok(diff(project, MANAGER, "--from", "2", "--to", "1"))
    assert f"[-{NEW_WORD}-]{{+{OLD_WORD}+}}" in text.stdout


def test_git_revision_in_a_project_below_the_repository_root(tmp_path: Path) -> None:
    from editions_helpers import copy_project

    repo = tmp_path / "repo"
    root = copy_project(repo / "hr" / "instructions")
    git(repo, "init", "-q")
    commit_all(repo, "project")
    edit_word(root)
    data = as_json(diff(root, MANAGER, "--from", "HEAD", "--format", "json"))
    assert [c["kind"] for c in real_changes(data)] == ["changed"]


def test_diff_labels_name_both_versions(project: Path) -> None:
    edit_word(project)
    commit_all(project, "edit")
    data = as_json(diff(project, MANAGER, "--from", "HEAD~1", "--to", "1", "--format", "json"))
    assert "HEAD~1" in data["from"]
    assert "1" in data["to"]
    assert data["changes"] == []  # edition 1 is what was committed with it
    head = ok(diff(project, MANAGER, "--from", "HEAD~1")).stdout.splitlines()[0]
    assert "HEAD~1" in head


@pytest.mark.parametrize(
    "args, needle",
    [
        (("--from", "7"), "7"),
        (("--from", "0"), "0"),
        (("--to", "3"), "3"),
        (("--from", "no-such-revision"), "no-such-revision"),
    ],
)
def test_diff_refuses_unknown_versions(project: Path, args: tuple[str, ...], needle: str) -> None:
    assert needle in refused(diff(project, MANAGER, *args))


def test_diff_refuses_an_unknown_role(project: Path) -> None:
    assert "no-such-role" in refused(diff(project, "no-such-role"))


def test_diff_of_a_never_approved_role_needs_from(tmp_path: Path) -> None:
    root = git_project(tmp_path / "project")
    line = refused(diff(root, MANAGER))
    assert MANAGER in line
    edit_word(root)
    data = as_json(diff(root, MANAGER, "--from", "HEAD", "--format", "json"))
    assert [c["kind"] for c in real_changes(data)] == ["changed"]


def test_diff_outside_git_refuses_a_revision(tmp_path: Path) -> None:
    from editions_helpers import copy_project

    root = copy_project(tmp_path / "plain")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    refused(diff(root, MANAGER, "--from", "HEAD"))
    ok(diff(root, MANAGER))  # editions work without git


# =========================================================================== JSON


def test_json_structure(project: Path) -> None:
    path = role_file(project)
    duties = string_duties(role_data(project))
    edit_word(project)
    replace_once(path, f"  - {duties[5]}\n", "")
    replace_once(path, f"  - {duties[8]}\n", f"  - {duties[8]}\n  - Организует дегустации на территории партнеров.\n")
    result = diff(project, MANAGER, "--format", "json")
    assert not ANSI.search(result.output)
    data = as_json(result)
    assert set(data) == {"from", "to", "changes", "requisites"}
    assert data["requisites"] == []  # the document number did not change
    assert isinstance(data["from"], str) and isinstance(data["to"], str)
    for change in data["changes"]:
        assert change["kind"] in KINDS
        for side in ("old", "new"):
            if side in change:
                assert set(change[side]) == {"number", "text", "section"}
                assert isinstance(change[side]["section"], bool)
                assert re.fullmatch(r"\d+(\.\d+)*\.?", change[side]["number"])
    by_kind = {c["kind"]: c for c in real_changes(data)}
    assert sorted(c["kind"] for c in real_changes(data)) == ["added", "changed", "removed"]

    changed = by_kind["changed"]
    assert bare(changed["old"]["number"]) == bare(changed["new"]["number"]) == "2.2"
    assert changed["old"]["section"] is False
    words = changed["words"]
    assert {w["op"] for w in words} <= {"equal", "delete", "insert"}
    assert "".join(w["text"] for w in words if w["op"] != "insert") == changed["old"]["text"]
    assert "".join(w["text"] for w in words if w["op"] != "delete") == changed["new"]["text"]
    assert {"op": "delete", "text": OLD_WORD} in words
    assert {"op": "insert", "text": NEW_WORD} in words

    removed = by_kind["removed"]
    assert "new" not in removed
    assert bare(removed["old"]["number"]) == "2.6" and removed["old"]["text"] == duties[5]

    added = by_kind["added"]
    assert "old" not in added
    assert bare(added["new"]["number"]) == "2.9"
    assert added["new"]["text"] == "Организует дегустации на территории партнеров."

    renumbered = [c for c in data["changes"] if c["kind"] == "renumbered"]
    assert renumbered, "clauses 2.7–2.8 moved up by one"
    for change in renumbered:
        assert change["old"]["text"] == change["new"]["text"]
        assert change["old"]["number"] != change["new"]["number"]


def test_amendment_format(project: Path) -> None:
    path = role_file(project)
    duties = string_duties(role_data(project))
    edit_word(project)
    replace_once(path, f"  - {duties[5]}\n", "")
    replace_once(path, f"  - {duties[8]}\n", f"  - {duties[8]}\n  - Организует дегустации на территории партнеров.\n")
    result = ok(diff(project, MANAGER, "--format", "amendment"))
    lines = result.stdout.splitlines()[1:]
    new_text = duties[1].replace(OLD_WORD, NEW_WORD)
    items = [re.sub(r"^\d+\. ", "", line) for line in lines]
    assert f"Пункт 2.2 изложить в следующей редакции: «2.2. {new_text}»." in items
    assert "Пункт 2.6 исключить." in items
    assert (
        "Раздел 2 дополнить пунктом 2.9 следующего содержания: «2.9. Организует дегустации на территории партнеров.»."
        in items
    )
    assert [line.split(".")[0] for line in lines] == [str(n) for n in range(1, len(lines) + 1)]


# =========================================================================== as the reader sees it


def reader_number(project: Path, role: str, text: str) -> str:
    """The number of the clause ``text`` in the role's built (approved) document."""
    ok(jd("-C", project, "build", role))
    lines = textconv_lines(project / "output" / f"{role}.docx")
    numbers = {
        line.split(" ", 1)[0] for line in lines if line.endswith(" " + text) and re.match(r"\d+(\.\d+)+\.? ", line)
    }
    assert len(numbers) == 1, numbers
    return numbers.pop()


def test_shared_clause_change_shows_in_every_role_that_uses_it(project: Path) -> None:
    numbers = {role: reader_number(project, role, COMMON_CLAUSE) for role in (MANAGER, HEAD)}
    replace_once(project / "roles" / "_common.yaml", f"  - {COMMON_CLAUSE}\n", f"  - {COMMON_CLAUSE_NEW}\n")
    assert role_file(project).read_text(encoding="utf-8").count(COMMON_CLAUSE) == 0  # the role file is untouched
    for role in (MANAGER, HEAD):
        result = ok(diff(project, role))
        lines = change_lines(result)
        assert len(lines) == 1, lines
        assert re.match(rf"^\S+ {re.escape(numbers[role])}\s", lines[0]), (numbers[role], lines[0])
        assert "{+ и учредительными документами+}" in lines[0]
        data = real_changes(as_json(diff(project, role, "--format", "json")))
        assert len(data) == 1
        assert data[0]["kind"] == "changed"
        assert bare(data[0]["old"]["number"]) == bare(numbers[role])
        assert data[0]["old"]["text"] == COMMON_CLAUSE and data[0]["new"]["text"] == COMMON_CLAUSE_NEW
    status = ok(jd("-C", project, "status")).stdout.splitlines()
    for role in (MANAGER, HEAD):
        line = next(s for s in status if s.startswith(f"{role}:"))
        assert "изменено 1" in line, line

    commit_all(project, "common changed")
    for role in (MANAGER, HEAD):
        data = real_changes(as_json(diff(project, role, "--from", "HEAD~1", "--format", "json")))
        assert [(c["kind"], c["new"]["text"]) for c in data] == [("changed", COMMON_CLAUSE_NEW)]


def test_moved_clause_is_reported_as_moved(project: Path) -> None:
    path = role_file(project)
    duties = string_duties(role_data(project))
    moving = duties[0]
    replace_once(path, f"  - {moving}\n", "")
    replace_once(path, f"  - {duties[9]}\n", f"  - {duties[9]}\n  - {moving}\n")
    data = as_json(diff(project, MANAGER, "--format", "json"))
    changes = real_changes(data)
    assert len(changes) == 1, changes
    assert changes[0]["kind"] == "moved"
    assert bare(changes[0]["old"]["number"]) == "2.1"
    assert bare(changes[0]["new"]["number"]) == "2.10"
    assert changes[0]["old"]["text"] == changes[0]["new"]["text"] == moving
    result = ok(diff(project))
    lines = change_lines(result)
    assert len(lines) == 1 and moving in lines[0] and "2.1" in lines[0] and "2.10" in lines[0]
    assert "перемещено 1" in total(result)
    for word in ("добавлено", "удалено", "изменено"):
        assert word not in total(result)
    status = next(s for s in ok(jd("-C", project, "status")).stdout.splitlines() if s.startswith(MANAGER))
    assert "перемещено 1" in status and "добавлено" not in status and "удалено" not in status


def test_renumbering_alone_is_not_a_change(project: Path) -> None:
    """A duty inserted first: every other duty gets a new number, and only the insertion is reported."""
    path = role_file(project)
    first = string_duties(role_data(project))[0]
    replace_once(path, f"  - {first}\n", f"  - Организует дегустации на территории партнеров.\n  - {first}\n")
    result = ok(diff(project))
    lines = change_lines(result)
    assert len(lines) == 1, lines
    assert "Организует дегустации" in lines[0] and re.match(r"^\S+ 2\.1\.?\s", lines[0])
    assert "добавлено 1" in total(result)
    for word in ("изменено", "удалено", "перемещено"):
        assert word not in total(result)
    renumbered = renumbered_lines(result)  # shown, each clause once (its sub-clauses follow it)
    assert renumbered[0] == f"# 2.1. → 2.2.  {first}"
    assert not any(re.match(r"^# \d+\.\d+\.\d+\.", line) for line in renumbered), renumbered
    assert f"перенумеровано {len(renumbered)}" in total(result)
    data = as_json(diff(project, MANAGER, "--format", "json"))
    assert [c["kind"] for c in real_changes(data)] == ["added"]
    status = next(s for s in ok(jd("-C", project, "status")).stdout.splitlines() if s.startswith(MANAGER))
    assert "добавлено 1" in status and "изменено" not in status


def test_yaml_rewriting_that_the_reader_cannot_see_is_no_change(project: Path) -> None:
    common = yaml.safe_load((project / "roles" / "_common.yaml").read_text(encoding="utf-8"))
    inline = "".join(f"  - {json.dumps(c, ensure_ascii=False)}\n" for c in common["responsibility"])
    replace_once(role_file(project), "responsibility:\n  - use: common\n", f"responsibility:\n{inline}")
    replace_once(
        role_file(project), "  - Соблюдает режим коммерческой тайны.\n", '  - "Соблюдает режим коммерческой тайны."\n'
    )
    result = ok(diff(project))
    assert change_lines(result) == []
    assert "без изменений" in total(result)


# =========================================================================== the one aligner


def test_similarity_ignores_punctuation_and_case() -> None:
    from jobdesc.editions.diff import similarity

    assert (
        similarity(
            "Осуществляет мерчандайзинг продукции организации.", "осуществляет мерчандайзинг продукции организации"
        )
        == 1
    )
    assert similarity("Соблюдает режим коммерческой тайны.", "Ведет учет договоров в CRM-системе.") == 0


def test_aligner_kinds_extended_replaced_moved_added_removed() -> None:
    from jobdesc.editions.diff import Unit, diff

    def doc(*texts: str) -> list[Unit]:
        return [Unit("2.", "Должностные обязанности", 0)] + [
            Unit(f"2.{n}.", text, 1) for n, text in enumerate(texts, start=1)
        ]

    old = doc(
        "Осуществляет мерчандайзинг продукции организации.",
        "Соблюдает режим коммерческой тайны.",
        "Выполняет приказы и распоряжения руководства.",
        "Тщательно ведет отчетную и иную документацию.",
        "Участвует в оформлении актов о недостаче и пересортице продукции.",
    )
    new = doc(
        "Осуществляет мерчандайзинг продукции организации в торговых точках ключевых клиентов.",
        "Ведет учет договоров в CRM-системе.",
        "Тщательно ведет отчетную и иную документацию.",
        "Выполняет приказы и распоряжения руководства.",
        "Организует участие в тендерах и подготовку коммерческих предложений.",
        "Урегулирует претензии и конфликтные ситуации с ключевыми клиентами.",
    )
    kinds = [(c.kind, c.old.number if c.old else None, c.new.number if c.new else None) for c in diff(old, new)]
    assert kinds == [
        ("changed", "2.1.", "2.1."),  # extended: not removed and added
        ("changed", "2.2.", "2.2."),  # replaced one for one at the same place, however unlike
        ("moved", "2.4.", "2.3."),
        ("renumbered", "2.3.", "2.4."),
        ("removed", "2.5.", None),
        ("added", None, "2.5."),
        ("added", None, "2.6."),
    ]
