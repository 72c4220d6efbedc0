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


# The loader builds plain documents (text, numbers, mappings, lists) without PyYAML's bookkeeping
# and leaves everything else to PyYAML's constructor: both must give the same data and lines, and
# the same message for what is refused.

_YAML_ODDITIES = [
    "a: &x текст\nb: *x\n",  # an alias of a scalar
    "a: &x [1, 2]\nb: *x\n",
    "base: &b {x: 1}\nrole:\n  <<: *b\n  y: 2\n",  # a merge
    "a: 1\na: 2\n",  # a key repeated
    "1: one\n",  # a key that is not text
    "? [a, b]\n: c\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2026-01-02\n",
    "a: !!python/name:os.system\n",
    "a: !!set {x, y}\n",
    "a: 2026-01-02\nb: yes\nc: ~\nd: 1.5\ne: 0x1F\nf: '7'\n",
    "a: " + "9" * 5000 + "\n",  # an integer too long
    "- [1, [2, [3, {x: [4]}]]]\n- {}\n- []\n- ''\n",
    "",
    "just text\n",
    "a:\n  - b: 1\n    c:\n      - d\n",
]


def _load_both(text: str) -> tuple[object, object]:
    import yaml

    from jobdesc.errors import YamlProblem
    from jobdesc.project import yamlio

    class Full(yamlio._Loader):  # PyYAML's constructor for every document
        def construct_document(self, node):  # noqa: ANN001, ANN202
            return yaml.constructor.BaseConstructor.construct_document(self, node)

    results = []
    for loader in (yamlio._Loader, Full):
        try:
            results.append(_with_lines(yaml.load(text, Loader=loader)))  # noqa: S506 - safe loaders
        except (yaml.YAMLError, YamlProblem, ValueError) as exc:
            results.append((type(exc).__name__, str(exc)))
    return results[0], results[1]


def _with_lines(value: object) -> object:
    if isinstance(value, dict):
        return ("map", value.line, value.key_lines, [(key, _with_lines(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", value.line, value.item_lines, [_with_lines(item) for item in value])
    return (type(value).__name__, value)


def test_plain_documents_load_as_pyyamls_constructor_makes_them() -> None:
    shipped = Path(__file__).resolve().parent.parent
    texts = [read(path) for folder in ("roles", "policies") for path in sorted((shipped / folder).rglob("*.yaml"))]
    assert len(texts) > 5
    for text in [*texts, *_YAML_ODDITIES]:
        fast, full = _load_both(text)
        assert fast == full, text[:80]


def test_generated_documents_load_as_pyyamls_constructor_makes_them() -> None:
    import yaml
    from hypothesis import given, settings
    from hypothesis import strategies as st

    scalars = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
    trees = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=30,
    )

    @settings(max_examples=300, deadline=None)
    @given(trees, st.booleans())
    def same(tree: object, flow: bool) -> None:  # noqa: FBT001
        text = yaml.safe_dump(tree, allow_unicode=True, default_flow_style=flow)
        fast, full = _load_both(text)
        assert fast == full

    same()


def test_the_loaders_resolver_tags_every_node_as_pyyamls_does() -> None:
    """The loader's own resolver (a plain scalar read as a number, a boolean, nothing or text) gives
    each node the tag PyYAML's resolver gives it."""
    import yaml

    from jobdesc.project import yamlio

    class PyYAMLs(yamlio._Loader):
        resolve = yaml.resolver.BaseResolver.resolve

    def tags(node: yaml.Node) -> list:
        if isinstance(node, yaml.ScalarNode):
            return [(node.tag, node.value)]
        if isinstance(node, yaml.SequenceNode):
            return [node.tag, *(tag for child in node.value for tag in tags(child))]
        return [node.tag, *(tag for pair in node.value for item in pair for tag in tags(item))]

    plain = [
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "~",
        "null",
        "",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "-1",
        "+1.5",
        ".inf",
        "-.Inf",
        ".NaN",
        "1e3",
        "6.8523015e+5",
        "190:20:30",
        "2026-01-02",
        "<<",
        "=",
        "текст",
        "y",
    ]
    text = "\n".join(f"k{n}: {value}\nq{n}: '{value}'" for n, value in enumerate(plain)) + "\nl: [a, 1, {b: c}]\n"
    found = tags(yaml.compose(text, Loader=yamlio._Loader))
    assert found == tags(yaml.compose(text, Loader=PyYAMLs))
    assert ("tag:yaml.org,2002:bool", "yes") in found and ("tag:yaml.org,2002:str", "2026-01-02") in found
