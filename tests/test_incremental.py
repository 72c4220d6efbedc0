"""``build`` when nothing or little changed: what it reads, what it rebuilds.

A no-op build decides from the sizes and modification times recorded in the manifest; a file
whose size or time differs is read and its digest compared, so a changed file is never missed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.build import batch, inputs

HOUR_NS = 3600 * 10**9


def _age(folder: Path) -> None:
    """Make every file an hour old (files changed just now are not trusted by their times)."""
    past = time.time_ns() - HOUR_NS
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))


def _build(root: Path) -> list[str]:
    result = run_cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The shipped project built, everything aged, and built again (sizes and times recorded)."""
    root = copy_project(tmp_path / "p", linked=False)
    _build(root)
    _age(root)
    assert _build(root) == []  # nothing written: the outputs were checked by their digests
    return root


def test_noop_build_reads_neither_roles_nor_outputs(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    original = inputs.file_bytes

    def spy(path: Path) -> bytes:
        read.append(path.relative_to(built).as_posix() if path.is_relative_to(built) else str(path))
        return original(path)

    monkeypatch.setattr(inputs, "file_bytes", spy)  # the shared inputs' digest
    monkeypatch.setattr(batch, "file_bytes", spy)  # the outputs' digests
    report = batch.run(built, None, built / "output", batch_options(), jobs=1)
    assert (report.built, report.up_to_date) == (0, 2)
    assert not [name for name in read if name.startswith(("output/", "roles/kam-"))], read


def batch_options():  # noqa: ANN201
    from jobdesc.documents.options import Options

    return Options()


def test_changed_output_of_the_same_size_is_rebuilt(built: Path) -> None:
    target = built / "output" / "kam-head.docx"
    data = bytearray(target.read_bytes())
    data[-30] ^= 1  # inside the zip's central directory: the same size, other bytes
    target.write_bytes(bytes(data))
    assert _build(built) == ["output/kam-head.docx"]
    assert _build(built) == []


def test_changed_role_of_the_same_size_is_rebuilt(built: Path) -> None:
    role = built / "roles" / "kam-manager.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("ДИ-014", "ДИ-015"), encoding="utf-8")  # same length
    result = run_cli("-C", built, "build")
    assert result.exit_code == 0, result.output
    assert "(собрано: 1" in result.stderr


def test_touched_but_unchanged_files_are_not_rebuilt(built: Path) -> None:
    (built / "output" / "kam-head.docx").touch()
    (built / "roles" / "kam-head.yaml").touch()
    assert _build(built) == []


def test_broken_config_is_reported_even_when_roles_are_unchanged(built: Path) -> None:
    (built / "jobdesc.yaml").write_text("organisation: [\n", encoding="utf-8")
    result = run_cli("-C", built, "build")
    assert result.exit_code == 1
    assert "jobdesc.yaml" in result.stderr


def test_versions_in_the_digest_are_those_importlib_metadata_reports() -> None:
    from importlib import metadata

    versions = inputs.installed_versions()
    for name in inputs.RENDERING_PACKAGES:
        assert versions[inputs.normal_name(name)] == metadata.version(name), name


def test_an_edit_rebuilds_the_documents_whose_text_it_shapes_and_no_colleague(tmp_path: Path) -> None:
    """A second manager of the unit edited: its own document, the head's (its subordinates) and the
    regulation's (its positions) are rebuilt; the first manager's, which names neither, is not."""
    root = copy_project(tmp_path / "p")
    manager = (root / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    second = root / "roles" / "kam-manager-2.yaml"
    second.write_text(manager.replace("ДИ-014", "ДИ-016"), encoding="utf-8")
    _build(root)
    _age(root)
    assert _build(root) == []
    second.write_text(second.read_text(encoding="utf-8").replace("ДИ-016", "ДИ-017"), encoding="utf-8")

    report = batch.run(root, None, root / "output", batch_options(), jobs=1)

    assert (report.built, report.up_to_date) == (3, 1)
    assert "kam-manager-2.docx" in {path.name for path in report.written}
    assert not [path for path in report.written if path.name.startswith("kam-manager.")]


def test_dependencies_are_the_links_and_what_the_computed_texts_are_made_of() -> None:
    from helpers import REPO_ROOT

    from jobdesc.project.links import Graph

    graph = Graph.scan(REPO_ROOT)

    assert graph.dependencies("kam-manager") == ["kam-department", "kam-head"]  # its unit, its superior
    assert graph.dependencies("kam-head") == ["kam-department", "kam-manager"]  # its unit, its subordinates
    assert graph.dependencies("kam-department") == ["kam-head", "kam-manager"]  # its positions


@pytest.mark.parametrize("keep", [batch.KEEP_PARSED_BYTES, 0])
def test_a_first_build_parses_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: int) -> None:
    """Each source is parsed once, for the link index; its build takes that parse, kept whole or
    (beyond :data:`batch.KEEP_PARSED_BYTES`, here from the first source) compact: the same bytes."""
    from jobdesc.project import yamlio

    root = copy_project(tmp_path / "p", editions="all")
    reference = run_cli("-C", root, "build", "--out", tmp_path / "reference", "--jobs", "1")
    assert reference.exit_code == 0, reference.output
    parsed: list[str] = []
    original = yamlio.loads

    def counting(text: str, shown: str) -> object:
        parsed.append(shown)
        return original(text, shown)

    monkeypatch.setattr(yamlio, "loads", counting)
    monkeypatch.setattr(batch, "KEEP_PARSED_BYTES", keep)
    result = run_cli("-C", root, "build", "--out", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    sources = [name for name in parsed if name.endswith(".yaml") and ".editions/" not in name]
    assert "roles/kam-manager.yaml" in sources
    assert len(sources) == len(set(sources)), sorted(sources)
    made = sorted(path.relative_to(tmp_path / "out") for path in (tmp_path / "out").rglob("*.docx"))
    assert made == sorted(path.relative_to(tmp_path / "reference") for path in (tmp_path / "reference").rglob("*.docx"))
    for name in made:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "reference" / name).read_bytes(), name


def test_a_damaged_link_index_entry_is_read_again(tmp_path: Path) -> None:
    """An entry of the manifest's link index of the wrong shape: its source is read again, no traceback."""
    import json

    root = copy_project(tmp_path / "p")
    assert run_cli("-C", root, "build").exit_code == 0
    manifest = root / "output" / batch.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for name, entry in data["links"].items():
        data["links"][name] = [*entry[:2], ["kam-head"], 5]
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    assert json.loads(manifest.read_text(encoding="utf-8"))["links"]["roles/kam-manager.yaml"][2:] == [
        {"department": "kam-department", "reports_to": "kam-head"},
        None,
    ]


@pytest.mark.parametrize("section", ["roles", "orders"])
def test_a_manifest_naming_a_file_with_a_nul_is_left_out_not_a_traceback(tmp_path: Path, section: str) -> None:
    """A damaged manifest whose file name holds a NUL (no file can be so named): its entry is
    left out, as any malformed one, and the build goes on; no traceback."""
    import json

    root = copy_project(tmp_path / "p", editions="all")
    assert run_cli("-C", root, "build").exit_code == 0
    manifest = root / "output" / batch.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entry = data["orders"] if section == "orders" else data["roles"][sorted(data["roles"])[0]]
    name, digest = next(iter(entry["files"].items()))
    entry["files"][name.replace(".docx", "\0.docx")] = digest
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    result = run_cli("-C", root, "build")

    assert result.exit_code == 0, (result.output, result.exception)
    assert "\\u0000" not in manifest.read_text(encoding="utf-8")  # the damaged entry is not kept
    assert (root / "output" / name).is_file()
