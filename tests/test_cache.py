"""jobdesc's cache on disk changes nothing but time: empty, filled, damaged or unusable, the
documents are the same bytes and ``check`` says the same."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO_ROOT, SHIPPED_ROLES, copy_project, files_in, latest_edition, orders_of


def _run(project: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    """``jobdesc ARGS`` in a fresh process (nothing cached in memory) with ``cache`` as its cache."""
    env = {
        **os.environ,
        "JOBDESC_CACHE_DIR": str(cache),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, "-m", "jobdesc", "-C", str(project), *args], capture_output=True, text=True, env=env
    )


def _build(project: Path, cache: Path, out: Path) -> dict[str, bytes]:
    result = _run(project, cache, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    checked = _run(project, cache, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Ошибок нет: 2 роли"), checked.stdout
    return {name: (out / name).read_bytes() for name in files_in(out)}


def test_cache_changes_no_byte(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions="all")  # amendments and reference copies too
    cache = tmp_path / "cache"

    empty = _build(project, cache, tmp_path / "empty")
    kinds = sorted(path.name.split("-")[0] for path in cache.iterdir())
    # and «code» (the digest of jobdesc's code), once its files are two seconds old (a test run
    # just after an edit has none: the files are read)
    assert [kind for kind in kinds if kind != "code"] == [
        "checked",
        "documents",
        "jinja",
        "names",
        "packages",
        "private",
        "schemas",
        "titles",
    ]
    assert _build(project, cache, tmp_path / "filled") == empty

    for path in cache.rglob("*"):  # every entry damaged: each is computed anew, never trusted
        if path.is_file():
            path.write_bytes(b"\x00not what was stored")
    assert _build(project, cache, tmp_path / "damaged") == empty

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _build(project, blocked / "cache", tmp_path / "unusable") == empty
    # each instruction: reference, edition 1, its amendments; the regulation's last edition (new-edition); the orders
    expected = sum(2 + latest_edition(project, name) - 1 for name in SHIPPED_ROLES) + 1 + len(orders_of(project))
    assert len(empty) == expected and all(data.startswith(b"PK") for data in empty.values())


def test_check_reads_each_text_once_across_runs(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``check`` keeps the documents it read: the next run reads from disk only the texts it read
    before, a changed text is read anew, and the texts no run uses any more are removed."""
    import jobdesc.render.recall as recall_module
    from jobdesc.render.markdown import parse

    monkeypatch.setenv("JOBDESC_CACHE_DIR", str(tmp_path / "cache"))
    from jobdesc.disk import cache

    cache.cache_dir.cache_clear()
    read: list[str] = []

    def counting_parse(source: str):  # noqa: ANN202
        read.append(source)
        return parse(source)

    monkeypatch.setattr(recall_module, "parse", counting_parse)
    first, second = "# Заголовок\n\n1. Пункт первый.\n1. Пункт второй.\n", "# Заголовок\n\n1. Пункт другой.\n"

    run = recall_module.Recall(tmp_path / "project")
    assert run.read(first) == parse(first) and run.read(second) == parse(second)
    assert read == [first, second]
    run.forget_unused()

    again = recall_module.Recall(tmp_path / "project")
    assert again.read(first) == parse(first)  # from disk
    assert read == [first, second]
    changed = first.replace("первый", "третий")
    assert again.read(changed) == parse(changed)  # a new text: read
    assert read == [first, second, changed]
    again.forget_unused()  # «second» was not used by this run: removed
    assert len(list(again.folder.iterdir())) == 2

    other = recall_module.Recall(tmp_path / "other project")  # each project keeps its own
    assert other.folder is not None and other.folder != again.folder
    other.read(first)
    gone = recall_module.Recall(tmp_path / "a project moved away")
    gone.read(second)
    assert gone.folder is not None
    month_ago = time.time() - (recall_module.UNUSED_DAYS + 1) * 86400
    os.utime(gone.folder, (month_ago, month_ago))
    again.forget_unused()  # a folder no check has used for a month goes; a recent one stays
    assert not gone.folder.exists() and other.folder.exists() and again.folder.exists()
    cache.cache_dir.cache_clear()


def test_pruning_removes_only_jobdesc_project_folders(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``check`` prunes ``<cache>/documents/`` of old project folders; a folder it did not make
    (``JOBDESC_CACHE_DIR`` pointed at a folder with a ``documents/`` of the user's own) stays, and
    so does the folder of a project whose ``check`` is running now (its entries only read)."""
    import jobdesc.render.recall as recall_module

    monkeypatch.setenv("JOBDESC_CACHE_DIR", str(tmp_path / "cache"))
    from jobdesc.disk import cache

    cache.cache_dir.cache_clear()
    text = "# Заголовок\n\n1. Пункт первый.\n"
    mine = tmp_path / "cache" / "documents" / "Договоры 2025"
    mine.mkdir(parents=True)
    (mine / "договор.docx").write_bytes(b"not jobdesc's")
    month_ago = time.time() - (recall_module.UNUSED_DAYS + 1) * 86400
    os.utime(mine, (month_ago, month_ago))

    running = recall_module.Recall(tmp_path / "a project not checked for a month")
    running.read(text)
    running.forget_unused()
    assert running.folder is not None
    os.utime(running.folder, (month_ago, month_ago))
    running = recall_module.Recall(tmp_path / "a project not checked for a month")  # its check starts

    this = recall_module.Recall(tmp_path / "project")
    this.read(text)
    this.forget_unused()
    try:
        assert (mine / "договор.docx").exists(), "a folder jobdesc did not make is removed"
        assert running.folder.exists(), "the folder of a check running now is removed"
    finally:
        cache.cache_dir.cache_clear()
