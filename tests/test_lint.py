"""``jobdesc check`` warnings: text that loads but would print wrong; errors under ``--strict``.

Each test makes one mistake people make in a copy of the shipped project and checks the exact
``PATH:LINE: field: message`` line, that ``check`` still exits 0 and ``check --strict`` exits 1,
and, where it matters, what the built document would have shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_clean_failure, line_of, run_cli

from jobdesc.documents.compose import render_document
from jobdesc.project.loader import load_project

KAM = "roles/kam-manager.yaml"


def edit(project: Path, old: str, new: str, role: str = "kam-manager") -> str:
    path = project / "roles" / f"{role}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_bytes(text.encode("utf-8"))
    return text


def warnings_of(project: Path) -> list[str]:
    """The warning lines of a project with no errors: ``check`` passes and prints them, ``--strict`` fails with them."""
    result = run_cli("-C", project, "check")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert result.stdout.startswith("Ошибок нет"), result.stdout
    assert f"Предупреждений: {len(lines)} " in result.stdout, result.stdout
    strict = assert_clean_failure(run_cli("-C", project, "check", "--strict"))
    assert strict == lines
    return lines


def document_text(project: Path, role: str = "kam-manager") -> str:
    loaded = load_project(project, [role])
    return render_document(loaded, loaded.roles[role], copies=1)[0].text()


def test_shipped_project_has_no_warnings(project: Path) -> None:
    result = run_cli("-C", project, "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_use_common_without_colon(project: Path) -> None:
    text = edit(project, "guiding_documents:\n  - use: common\n", "guiding_documents:\n  - use common\n")
    line = line_of(text, "  - use common")

    assert warnings_of(project) == [
        f"{KAM}:{line}: guiding_documents[1]: похоже на «use: common» без двоеточия: напишите «- use: common»; "
        "сейчас в документ попадет пункт «use common»"
    ]
    assert "use common" in document_text(project)  # what the warning is about


def test_over_indented_item_is_swallowed(project: Path) -> None:
    text = edit(
        project,
        "  - Мыслить стратегически.\n",
        "  - Мыслить стратегически.\n    - Работать в команде.\n",
    )
    line = line_of(text, "    - Работать в команде.")

    lines = warnings_of(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{KAM}:{line}: skills[7]: строка с лишним отступом слилась с пунктом выше"), lines
    assert "Мыслить стратегически. - Работать в команде." in document_text(project)


def test_dashless_line_is_swallowed(project: Path) -> None:
    text = edit(project, "  - Мыслить стратегически.\n", "  - Мыслить стратегически.\n    Работать в команде.\n")
    line = line_of(text, "    Работать в команде.")

    lines = warnings_of(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{KAM}:{line}: skills[7]: строка без «- » слилась с пунктом выше"), lines


def test_wrapped_long_clause_is_not_a_swallowed_line(project: Path) -> None:
    edit(
        project,
        "  - Мыслить стратегически.\n",
        "  - Мыслить стратегически, предвидеть изменения на рынке\n    и их последствия для организации.\n",
    )
    result = run_cli("-C", project, "check", "--strict")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("pasted", ["2.1. ", "2.1 ", "3) ", "• "])
def test_pasted_number(project: Path, pasted: str) -> None:
    text = edit(project, "  - Осуществляет мерчандайзинг", f"  - {pasted}Осуществляет мерчандайзинг")
    line = line_of(text, f"  - {pasted}Осуществляет")

    assert warnings_of(project) == [
        f"{KAM}:{line}: duties[3]: текст начинается с номера или маркера «{pasted.strip()}»: номера пунктов "
        "ставятся сами — удалите его из текста"
    ]


def test_numbers_inside_a_clause_are_fine(project: Path) -> None:
    edit(project, "  - Осуществляет мерчандайзинг", "  - 1С:Предприятие ведет, осуществляет мерчандайзинг")
    result = run_cli("-C", project, "check", "--strict")
    assert result.exit_code == 0, result.output


def test_lowercase_title(project: Path) -> None:
    text = edit(project, "title: Менеджер", "title: менеджер")
    line = line_of(text, "title:")

    lines = warnings_of(project)

    assert lines == [
        f"{KAM}:{line}: title: наименование должности начинается со строчной буквы («менеджер по работе с…»), "
        "а в документе оно открывает предложения: напишите его с заглавной буквы"
    ]
    assert "менеджер по работе с ключевыми клиентами относится к категории" in document_text(project)


def test_lowercase_clause(project: Path) -> None:
    text = edit(project, "  - Эрудированность.", "  - эрудированность.")
    line = line_of(text, "  - эрудированность.")

    assert warnings_of(project) == [
        f"{KAM}:{line}: personal_qualities[3]: пункт начинается со строчной буквы («эрудированность.…»): "
        "напишите его с заглавной"
    ]


def test_clause_without_final_punctuation(project: Path) -> None:
    text = edit(project, "  - Эрудированность.", "  - Эрудированность")
    line = line_of(text, "  - Эрудированность")

    assert warnings_of(project) == [
        f"{KAM}:{line}: personal_qualities[3]: в конце пункта нет знака препинания («…Эрудированность»): "
        "поставьте точку"
    ]


def test_quoted_clause_ending_with_quote_is_punctuated(project: Path) -> None:
    edit(project, "  - Эрудированность.", '  - "Соблюдает стандарт «Качество»."')
    assert run_cli("-C", project, "check", "--strict").exit_code == 0


def test_final_provisions_dropped(project: Path) -> None:
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nfinal_provisions:\n  - use: common\n", "\n")
    path.write_bytes(text.encode("utf-8"))
    line = line_of(text, "title:")

    assert warnings_of(project) == [
        f"{KAM}:{line}: final_provisions: нет раздела «Заключительные положения»: в документе его не будет — "
        "добавьте final_provisions: с «- use: common» (общие пункты)"
    ]
    assert "Заключительные положения" not in document_text(project)


def test_responsibility_without_common_clauses(project: Path) -> None:
    text = edit(project, "responsibility:\n  - use: common\n", "responsibility:\n", role="kam-head")
    line = line_of(text, "responsibility:")

    assert warnings_of(project) == [
        f"roles/kam-head.yaml:{line}: responsibility: в разделе «Ответственность» нет общих пунктов из roles/_common.yaml: "
        "добавьте элемент «- use: common»"
    ]


def test_common_file_is_checked_too(project: Path) -> None:
    path = project / "roles" / "_common.yaml"
    text = path.read_text(encoding="utf-8").replace("  - Уставом организации.", "  - уставом организации", 1)
    path.write_bytes(text.encode("utf-8"))
    line = line_of(text, "  - уставом организации")

    assert warnings_of(project) == [
        f"roles/_common.yaml:{line}: guiding_documents[2]: в конце пункта нет знака препинания "
        "(«…уставом организации»): поставьте точку",
        f"roles/_common.yaml:{line}: guiding_documents[2]: пункт начинается со строчной буквы "
        "(«уставом организации…»): напишите его с заглавной",
    ]


def test_placeholders_of_a_new_role(project: Path) -> None:
    result = run_cli("-C", project, "new", "sales-rep", "--title", "Торговый представитель")
    assert result.exit_code == 0, result.output
    text = (project / "roles" / "sales-rep.yaml").read_text(encoding="utf-8")

    lines = warnings_of(project)

    expected_fields = ["department", "reports_to", "appointment.by", "requirements.education"]
    for field in expected_fields:
        key = field.rsplit(".", 1)[-1]
        line = line_of(text, f"{key}:") if field.count(".") == 0 else None
        prefix = f"roles/sales-rep.yaml:{line}: {field}: " if line else "roles/sales-rep.yaml:"
        assert any(
            w.startswith(prefix)
            and w.endswith(f"{field}: осталась заготовка jobdesc new в [квадратных скобках]: замените ее текстом")
            for w in lines
        ), (field, lines)
    knowledge = line_of(text, '  - "[Что работник должен знать')
    assert (
        f"roles/sales-rep.yaml:{knowledge}: knowledge[1]: осталась заготовка jobdesc new в [квадратных скобках]: "
        "замените ее текстом"
    ) in lines
    assert all(w.startswith("roles/sales-rep.yaml:") for w in lines), lines


def test_errors_and_warnings_together_fail_without_strict(project: Path) -> None:
    text = edit(project, "  - Эрудированность.", "  - Эрудированность")
    text = edit(project, "\nduties:\n", "\ndutes:\n")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert f"{KAM}:{line_of(text, 'dutes:')}: dutes: неизвестное поле (возможно, duties)" in lines
    assert any("нет знака препинания" in line for line in lines), lines


def test_status_shows_placeholders_left(project: Path) -> None:
    assert run_cli("-C", project, "new", "sales-rep", "--title", "Торговый представитель").exit_code == 0
    placeholders = len([w for w in warnings_of(project) if "осталась заготовка" in w])

    lines = run_cli("-C", project, "status").stdout.splitlines()

    assert f"sales-rep: не утверждена (проект); заготовок в [скобках]: {placeholders} (где — в jobdesc check)" in lines
    assert not any("заготовок" in line for line in lines if not line.startswith("sales-rep:")), lines


def test_department_is_printed_in_general_provisions(project: Path) -> None:
    edit(project, "department: kam-department", "department: Коммерческая служба")
    assert (
        "1.1. Менеджер по работе с ключевыми клиентами относится к категории специалистов и входит в структурное "
        "подразделение «Коммерческая служба»." in document_text(project)
    )


def test_department_linked_to_its_regulation_prints_the_unit(project: Path) -> None:
    """``department: kam-department`` names the regulation; the role prints the unit it governs."""
    assert (
        "1.1. Менеджер по работе с ключевыми клиентами относится к категории специалистов и входит в структурное "
        "подразделение «Отдел по работе с ключевыми клиентами»." in document_text(project)
    )


def test_subsection_title_with_its_own_colon(project: Path) -> None:
    old = "  - title: Ведет индивидуальную работу с ключевыми клиентами, которая включает\n"
    text = edit(project, old, old.replace("title: Ведет", 'title: "Ведет').replace("включает\n", 'включает:"\n'))
    line = line_of(text, '  - title: "Ведет индивидуальную работу')

    assert warnings_of(project) == [
        f"{KAM}:{line}: duties[17].title: вводная фраза заканчивается на «:», а двоеточие после нее шаблон "
        "ставит сам: уберите знак"
    ]
    assert "которая включает::" in document_text(project)


def test_pasted_number_and_lowercase_after_it(project: Path) -> None:
    text = edit(project, "  - Эрудированность.", "  - 1.9.3. эрудированность.")
    line = line_of(text, "  - 1.9.3.")

    lines = warnings_of(project)

    assert [w.split(": ", 2)[2].split(" (")[0].split(":")[0] for w in lines] == [
        "пункт начинается со строчной буквы",
        "текст начинается с номера или маркера «1.9.3.»",
    ], lines
    assert all(w.startswith(f"{KAM}:{line}: personal_qualities[3]: ") for w in lines), lines


def test_dashless_line_at_the_list_indent_is_a_yaml_error_on_its_line(project: Path) -> None:
    text = edit(project, "  - Мыслить стратегически.\n", "  - Мыслить стратегически.\n  Работать в команде.\n")
    line = line_of(text, "  Работать в команде.")

    lines = assert_clean_failure(run_cli("-C", project, "check"))

    assert lines == [
        f"{KAM}:{line}: ошибка YAML: строка без «- » в начале и без «ключ: » — если это пункт списка, "
        "начните ее с «- » на уровне остальных пунктов"
    ]
