"""Reading YAML files: syntax, encodings and unsafe constructs, reported by ``jobdesc check``.

Every failure is one line per problem on stderr (``PATH:LINE: message``), exit code 1 and no
traceback. Line numbers are computed from the text each test writes.
"""

from __future__ import annotations

from pathlib import Path

from helpers import assert_clean_failure, line_of, run_cli

from jobdesc.project.loader import load_project


def role_path(project: Path, role: str = "kam-manager") -> Path:
    return project / "roles" / f"{role}.yaml"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def check(project: Path) -> list[str]:
    return assert_clean_failure(run_cli("-C", project, "check"))


def test_duplicate_key_names_both_lines(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    first = line_of(text, "number:")
    text = text.replace("\ncategory: specialists\n", "\ncategory: specialists\nnumber: ДИ-099\n", 1)
    write(path, text)
    second = line_of(text, "number:", start=first + 1)
    assert second > first

    lines = check(project)

    assert len(lines) == 1, lines
    prefix = f"roles/kam-manager.yaml:{second}: "
    assert lines[0].startswith(prefix), lines
    message = lines[0][len(prefix) :]
    assert "number" in message
    assert "повтор" in message
    assert f" {first}" in message or f"{first})" in message, message


def test_tab_indentation(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    start = line_of(text, "knowledge:")
    lines_of_text = text.split("\n")
    lines_of_text[start] = "\t" + lines_of_text[start].lstrip(" ")  # the first item of knowledge
    write(path, "\n".join(lines_of_text))

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{start + 1}: "), lines
    assert "табуляц" in lines[0]


def test_yaml_syntax_error_bad_indent(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    # a key indented under a scalar value: «mapping values are not allowed here»
    text = text.replace("\ndepartment: ", "\n  department: ", 1)
    write(path, text)
    broken = line_of(text, "  department: ")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{broken}: "), lines
    assert "YAML" in lines[0]


def test_unclosed_quote_points_at_the_opening_line(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    text = text.replace("\ndepartment: kam-department", '\ndepartment: "Отдел', 1)
    write(path, text)
    opened = line_of(text, 'department: "')

    lines = check(project)

    assert len(lines) == 1, lines
    # the line where the quoted text starts, not the end of the file
    assert lines[0].startswith(f"roles/kam-manager.yaml:{opened}: "), lines


def test_alias_is_refused(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    lines_of_text = text.split("\n")
    anchor = line_of(text, "substitute: ")
    lines_of_text[anchor - 1] = lines_of_text[anchor - 1].replace("substitute: ", "substitute: &who ")
    lines_of_text.insert(anchor, "title_genitive: *who")
    text = "\n".join(lines_of_text)
    write(path, text)
    alias = line_of(text, "title_genitive: *who")
    assert alias == anchor + 1

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{alias}: "), lines
    assert "alias" in lines[0] or "ссылк" in lines[0]


def test_python_tag_is_refused_and_never_run(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = role_path(project)
    text = read(path)
    text = text.replace("\nnumber: ДИ-014\n", f'\nnumber: !!python/object/apply:os.system ["touch {marker}"]\n', 1)
    write(path, text)
    tagged = line_of(text, "number: !!python")

    lines = check(project)

    assert not marker.exists(), "a YAML tag ran a command"
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{tagged}: "), lines
    assert "тег" in lines[0]


def test_windows_1251_file(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    path.write_bytes(text.encode("cp1251"))
    first_cyrillic = next(n for n, line in enumerate(text.splitlines(), start=1) if not line.isascii())

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{first_cyrillic}: "), lines
    assert "UTF-8" in lines[0]
    assert "1251" in lines[0]


def test_bom_and_crlf_load_like_the_original(project: Path) -> None:
    expected = load_project(project).roles
    for role in ("kam-manager", "kam-head"):
        path = role_path(project, role)
        path.write_bytes(b"\xef\xbb\xbf" + read(path).replace("\n", "\r\n").encode("utf-8"))
    config = project / "jobdesc.yaml"
    config.write_bytes(b"\xef\xbb\xbf" + read(config).replace("\n", "\r\n").encode("utf-8"))

    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert load_project(project).roles == expected


def test_crlf_file_reports_the_right_line(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nskills:\n", "\nskils:\n", 1)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    wrong = line_of(text, "skils:")

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{wrong}: skils: неизвестное поле (возможно, skills)"]


def test_empty_role_file(project: Path) -> None:
    write(role_path(project, "empty"), "# nothing yet\n")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith("roles/empty.yaml"), lines
    assert "пуст" in lines[0]


def test_role_file_that_is_a_list(project: Path) -> None:
    write(role_path(project, "listy"), "- title: x\n- category: managers\n")

    lines = check(project)

    assert lines == ["roles/listy.yaml:1: ожидается набор полей (ключ: значение)"]


def test_non_text_key(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nnumber: ", "\n2024: x\nnumber: ", 1)
    write(path, text)
    bad = line_of(text, "2024:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{bad}: "), lines


def test_uppercase_role_file_name(project: Path) -> None:
    (project / "roles" / "Kam-Lead.yaml").write_bytes(role_path(project).read_bytes())

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith("roles/Kam-Lead.yaml: "), lines
    assert "строчные" in lines[0]


def test_yml_extension(project: Path) -> None:
    (project / "roles" / "kam-lead.yml").write_bytes(role_path(project).read_bytes())

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith("roles/kam-lead.yml: "), lines
    assert ".yaml" in lines[0]


def test_bad_names_are_reported_together(project: Path) -> None:
    data = role_path(project).read_bytes()
    (project / "roles" / "Kam-Lead.yaml").write_bytes(data)
    (project / "roles" / "kam-lead.yml").write_bytes(data)
    (project / "roles" / "kam lead.yaml").write_bytes(data)

    lines = check(project)

    assert [line.split(":")[0] for line in lines] == [
        "roles/Kam-Lead.yaml",
        "roles/kam lead.yaml",
        "roles/kam-lead.yml",
    ], lines


def test_a_folder_named_like_a_role_file(project: Path) -> None:
    (project / "roles" / "folder.yaml").mkdir()

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith("roles/folder.yaml"), lines
