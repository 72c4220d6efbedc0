"""Профстандарты: the safe reader on real Минтруд files, `profstandard add|list|show`, roles drafted
with `new --profstandard`, their DOCX, and `check` keeping them in step (coverage, requirements,
title, classifier codes, a newer version of the standard)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import docx
import pytest
from helpers import assert_clean_failure, build_into, copy_project, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from jobdesc.sources.profstandard import NotAStandard, parse_standard, read_standard

DATA = Path(__file__).parent / "data" / "profstandards"
FILES = {  # code: (file, the ОТФ drafted in the tests)
    "06.013": ("ProfessionalStandarts_148.xml", "B"),
    "06.017": ("ProfessionalStandarts_190.xml", "A"),
    "25.005": ("ProfessionalStandarts_27.xml", "B"),
    "06.041": ("ProfessionalStandarts_1076.xml", "C"),
    "06.024": ("ProfessionalStandarts_562.xml", "C"),
}
FILLED = {  # what HR writes in place of the placeholders the standard does not give
    '"[Наименование структурного подразделения в именительном падеже]"': "Отдел информационных технологий",
    '"[кому подчиняется, в дательном падеже: руководителю отдела]"': "начальнику отдела информационных технологий",
    '"[кем назначается и освобождается: приказом генерального директора]"': "приказом генерального директора",
    '"[Право работника: глагол в неопределенной форме — «Запрашивать документы».]"': (
        "Запрашивать у подразделений сведения, необходимые для работы."
    ),
}


def standard_file(code: str) -> Path:
    return DATA / FILES[code][0]


def fill(path: Path) -> str:
    """The drafted role with its placeholders replaced, as HR would."""
    text = path.read_text(encoding="utf-8")
    for placeholder, words in FILLED.items():
        text = text.replace(placeholder, words)
    path.write_text(text, encoding="utf-8")
    return text


def plain(text: str) -> str:
    """Text as compared with a document: the typesetter's non-breaking spaces and dashes undone."""
    text = re.sub("[\u00a0\u202f]", " ", text)
    return " ".join(re.sub("[–—-]", "-", text).split())


def docx_words(path: Path) -> str:
    return plain("\n".join(p.text for p in docx.Document(str(path)).paragraphs))


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """The shipped project with all five real standards added."""
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    result = run_cli("-C", root, "profstandard", "add", *(standard_file(code) for code in FILES))
    assert result.exit_code == 0, result.output
    return root


# --- the reader -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FILES))
def test_real_standards_read(code: str) -> None:
    standard = read_standard(standard_file(code))
    assert standard.code == code
    assert standard.general and all(otf.functions for otf in standard.general)
    for otf in standard.general:
        for tf in otf.functions:
            assert re.fullmatch(rf"{otf.code}/\d{{2}}\.\d", tf.code), tf.code
            assert tf.actions and tf.knowledge
            assert all(text == " ".join(text.split()) and text not in ("", "-") for text in tf.actions + tf.knowledge)


def test_reader_details_of_real_files() -> None:
    info = read_standard(standard_file("06.013"))
    assert (info.name, info.order, info.version) == ("Специалист по информационным ресурсам", "629н", "2014-09-08")
    otf = info.function("b")
    assert otf is not None and otf.level == "5" and otf.titles[0] == "Веб-писатель"
    assert info.function("В") is otf and otf.function("В/01.5") is otf.functions[0]  # typed on a Russian keyboard
    assert [tf.code for tf in otf.functions] == ["B/01.5", "B/02.5", "B/03.5", "B/04.5", "B/05.5", "B/06.5"]
    assert [c.code for c in otf.okz] == ["2139", "2451"]
    # 06.041: «2522.» in the employment group is the code 2522; ОКПДТР given with the 1994 five digits
    integration = read_standard(standard_file("06.041"))
    assert "2522" in [c.code for c in integration.okz]
    assert [c.code for c in integration.general[2].okpdtr] == ["22446"]
    # 25.005: two knowledges pasted into one element with a line break are two
    cnc = read_standard(standard_file("25.005")).general[1].function("B/04.7")
    assert cnc is not None
    assert cnc.knowledge[:2] == (
        "Терминология и общие понятия по программному управлению станками с ЧПУ",
        "Формализованные языки программирования",
    )
    # 06.024: «или» between two education lines is kept for the drafting to join
    assert read_standard(standard_file("06.024")).general[2].education[1] == "или"


HOSTILE = {
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<XMLCardInfo>&b;</XMLCardInfo>",
        "DTD или сущностей",
    ),
    "external": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><XMLCardInfo>&e;</XMLCardInfo>',
        "DTD или сущностей",
    ),
    "wrong root": (b'<?xml version="1.0"?><Resume><Name>x</Name></Resume>', "корневой элемент <Resume>"),
    "not xml": ("Должностная инструкция\n".encode(), "это не XML"),
    "cut short": (standard_file("06.013").read_bytes()[:5000], "файл обрывается"),
    "empty card": (b"<XMLCardInfo><ProfessionalStandarts/></XMLCardInfo>", "нет ни одного профстандарта"),
    "deep": (b"<XMLCardInfo>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</XMLCardInfo>", "вложены глубже 64 уровней"),
    "empty": (b"", "файл обрывается"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_xml_refused_in_one_line(tmp_path: Path, case: str) -> None:
    data, words = HOSTILE[case]
    with pytest.raises(NotAStandard) as caught:
        parse_standard(data, "bad.xml")
    assert words in str(caught.value) and str(caught.value).startswith("bad.xml")
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    (tmp_path / "bad.xml").write_bytes(data)
    lines = assert_clean_failure(
        run_cli("-C", root, "profstandard", "add", standard_file("06.013"), tmp_path / "bad.xml")
    )
    assert len(lines) == 1 and words in lines[0] and "bad.xml" in lines[0]
    assert not (root / "profstandards").exists()  # nothing half-done: the good file is not stored either


def test_huge_file_refused_before_parsing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as stream:
        stream.truncate(5 * 1024 * 1024)  # sparse: costs nothing to make, would cost to read
    lines = assert_clean_failure(run_cli("-C", root, "profstandard", "add", huge))
    assert lines == [f"{huge}: файл слишком большой (5,0 МБ, предел 4,0 МБ)"]


# --- add, list, show ------------------------------------------------------------------------


def test_add_list_show(stored: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in (stored / "profstandards").iterdir())
    assert names == [
        "06.013_2014-09-08.xml",
        "06.017_2014-09-17.xml",
        "06.024_2015-10-05.xml",
        "06.041_2017-09-05.xml",
        "25.005_2014-02-11.xml",
    ]
    assert (stored / "profstandards" / names[0]).read_bytes() == standard_file("06.013").read_bytes()
    again = run_cli("-C", stored, "profstandard", "add", standard_file("06.013"))
    assert again.exit_code == 0 and "уже сохранен: profstandards/06.013_2014-09-08.xml" in again.stdout
    changed = tmp_path / "changed.xml"
    changed.write_bytes(standard_file("06.013").read_bytes().replace("Публикатор".encode(), "Верстальщик".encode()))
    refused = assert_clean_failure(run_cli("-C", stored, "profstandard", "add", changed))
    assert refused == [
        f"{changed}: стандарт 06.013 от 08.09.2014 уже сохранен (profstandards/06.013_2014-09-08.xml), но файл "
        "отличается: сохраненная версия не заменяется — удалите ее сами, если она неверна"
    ]
    listing = run_cli("-C", stored, "profstandard", "list").stdout.splitlines()
    assert listing[0] == (
        "06.013 «Специалист по информационным ресурсам» — приказ Минтруда России от 08.09.2014 №\u00a0629н; ОТФ: A, B, C"
    )
    assert len(listing) == 5
    shown = run_cli("-C", stored, "profstandard", "show", "06.013", "--function", "B").stdout
    assert "ТФ B/01.5 «Поиск информации по тематике сайта»" in shown
    assert "    - Мониторинг новостных лент, форумов, социальных сетей, рассылок" in shown
    assert "  - Высшее образование - бакалавриат" in shown
    missing = assert_clean_failure(run_cli("-C", stored, "profstandard", "show", "01.001"))
    assert missing == [
        "профстандарт 01.001 не сохранен в проекте: сначала jobdesc profstandard add ФАЙЛ.xml "
        "(XML с сайта Минтруда, профстандарт.рф)"
    ]


# --- new --profstandard: the role and its document -------------------------------------------


@pytest.mark.parametrize("code", sorted(FILES))
def test_drafted_role_builds_with_every_action(stored: Path, tmp_path: Path, code: str) -> None:
    function = FILES[code][1]
    result = run_cli("-C", stored, "new", "drafted", "--profstandard", code, "--function", function)
    assert result.exit_code == 0, result.output
    text = fill(stored / "roles" / "drafted.yaml")
    otf = read_standard(standard_file(code)).function(function)
    assert otf is not None
    assert f"title: {otf.titles[0]}" in text
    assert f'  code: "{code}"' in text and f"  function: {function}" in text
    for tf in otf.functions:  # one clause per ТФ, the ТФ's name as its lead-in, tagged
        assert f"  - title: Трудовая функция «{tf.name}» включает\n    source: {tf.code}\n" in text
    checked = run_cli("-C", stored, "check")
    assert checked.exit_code == 0, checked.output
    assert "ТФ" not in checked.stderr  # no coverage warning for a role just drafted
    out = tmp_path / "out"
    built = build_into(stored, out, "drafted")
    assert built.exit_code == 0, built.output
    words = docx_words(out / "drafted.docx")
    for tf in otf.functions:
        assert plain(f"Трудовая функция «{tf.name}» включает:") in words
        for action in tf.actions:
            assert plain(action) in words, action
        for knowledge in tf.knowledge:
            assert plain(knowledge) in words, knowledge


def test_drafted_requirements_codes_and_title(stored: Path) -> None:
    assert run_cli("-C", stored, "new", "support", "--profstandard", "06.024", "--function", "C").exit_code == 0
    text = (stored / "roles" / "support.yaml").read_text(encoding="utf-8")
    assert "title: Специалист второй линии технической поддержки" in text
    assert 'okz: "2152"   # по стандарту также: 2511, 2512, 2514' in text
    assert "# okpdtr: в стандарте код ОК 016-94 22824 «Инженер-программист»" in text  # superseded: not filled in
    assert (
        "  education: высшее образование — бакалавриат или среднее профессиональное образование — программы "
        "подготовки специалистов среднего звена; дополнительное"
    ) in text
    assert "  experience: не менее шести месяцев работы" in text
    given = run_cli(
        "-C", stored, "new", "lead", "--profstandard", "06.024", "--function", "C", "--tf", "C/03.6",
        "--title", "Ведущий специалист по технической поддержке",
    )  # fmt: skip
    assert given.exit_code == 0, given.output
    lead = (stored / "roles" / "lead.yaml").read_text(encoding="utf-8")
    assert "title: Ведущий специалист по технической поддержке" in lead
    assert "  functions: [C/03.6]" in lead and "source: C/01.6" not in lead


def test_new_refuses_unknown_function_and_standard(stored: Path) -> None:
    lines = assert_clean_failure(run_cli("-C", stored, "new", "x", "--profstandard", "06.013", "--function", "Z"))
    assert lines[0].startswith("--function: в профстандарте 06.013 нет ОТФ «Z»; есть: A (")
    lines = assert_clean_failure(
        run_cli("-C", stored, "new", "x", "--profstandard", "06.013", "--function", "B", "--tf", "B/09.5")
    )
    assert lines[0].startswith("--tf: в ОТФ B стандарта 06.013 нет ТФ «B/09.5»")
    lines = assert_clean_failure(run_cli("-C", stored, "new", "x", "--profstandard", "99.999", "--function", "A"))
    assert lines[0].startswith("профстандарт 99.999 не сохранен в проекте")
    assert not (stored / "roles" / "x.yaml").exists()


# --- check keeps the role in step -----------------------------------------------------------


def drafted(root: Path, code: str = "06.013", function: str = "B") -> Path:
    assert run_cli("-C", root, "new", "writer", "--profstandard", code, "--function", function).exit_code == 0
    path = root / "roles" / "writer.yaml"
    fill(path)
    return path


def test_removed_clause_warns_naming_its_tf(stored: Path) -> None:
    path = drafted(stored)
    text = path.read_text(encoding="utf-8")
    text = text.replace("      - Мониторинг новостных лент, форумов, социальных сетей, рассылок.\n", "")
    text = text.replace("Принципы копирайтинга и рерайта.", "Приемы копирайтинга.")  # edited, still tagged: covered
    path.write_text(text, encoding="utf-8")
    result = run_cli("-C", stored, "check")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "ТФ" in line]
    assert warnings == [
        f"roles/writer.yaml:{_line(text, 'duties:')}: duties: трудовое действие ТФ B/01.5 «Мониторинг новостных лент, "
        "форумов, социальных сетей, рассылок» не отражено ни в одном пункте (профстандарт 06.013, ОТФ B); добавьте "
        "пункт (с source: B/01.5) или исключите ТФ из profstandard.functions"
    ]
    strict = assert_clean_failure(run_cli("-C", stored, "check", "--strict"))
    assert any("B/01.5" in line for line in strict)
    # the same text in a clause of its own, without a source, covers it again (close match)
    text = text.replace(
        "duties:\n", "duties:\n  - Осуществляет мониторинг новостных лент, форумов, социальных сетей, рассылок.\n"
    )
    path.write_text(text, encoding="utf-8")
    assert "B/01.5" not in run_cli("-C", stored, "check").stderr


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_mandatory_standard_makes_gaps_errors(stored: Path) -> None:
    path = drafted(stored)
    text = path.read_text(encoding="utf-8").replace("  # mandatory: true ", "  mandatory: true # ")
    text = text.replace("  - text: Принципы копирайтинга и рерайта.\n    source: [B/02.5, B/03.5]\n", "")
    path.write_text(text, encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", stored, "check"))
    assert any("знание ТФ B/02.5 «Принципы копирайтинга и рерайта»" in line for line in lines)
    assert any("знание ТФ B/03.5 «Принципы копирайтинга и рерайта»" in line for line in lines)


def test_weaker_requirements_and_foreign_title_warn(stored: Path) -> None:
    path = drafted(stored)
    text = path.read_text(encoding="utf-8")
    text = re.sub("(?m)^  education: .*$", "  education: среднее профессиональное", text)
    text = re.sub("(?m)^  experience: .*$", "  experience: не менее шести месяцев", text)
    text = re.sub("(?m)^title: .*$", "title: Контент-маркетолог", text)
    path.write_text(text, encoding="utf-8")
    stderr = run_cli("-C", stored, "check").stderr
    assert (
        "requirements.education: образование «среднее профессиональное» ниже требования ОТФ B: «Высшее образование - "
        "бакалавриат» (профстандарт 06.013, ОТФ B)"
    ) in stderr
    assert "requirements.experience: опыт «не менее шести месяцев» меньше требования ОТФ B" in stderr
    assert "title: наименования «Контент-маркетолог» нет среди возможных наименований ОТФ B: Веб-писатель;" in stderr
    assert "(ст. 57 ч. 2 ТК РФ)" in stderr


def test_newer_version_of_a_standard(stored: Path, tmp_path: Path) -> None:
    drafted(stored)
    newer = standard_file("06.013").read_text(encoding="utf-8")
    newer = newer.replace(
        "<OrderNumber>629н</OrderNumber><DateOfApproval>08.09.2014",
        "<OrderNumber>15н</OrderNumber><DateOfApproval>20.01.2026",
    )
    newer = newer.replace(
        "<LaborAction>Мониторинг новостных лент, форумов, социальных сетей, рассылок</LaborAction>",
        "<LaborAction>Мониторинг новостных лент, форумов, социальных сетей, рассылок</LaborAction>"
        "<LaborAction>Проверка достоверности найденной информации</LaborAction>",
    )
    newer = newer.replace(  # a seventh ТФ in ОТФ B (a copy of B/06.5 under a new code)
        "</ParticularWorkFunction></ParticularWorkFunctions></GeneralizedWorkFunction><GeneralizedWorkFunction><CodeOTF>C",
        "</ParticularWorkFunction><ParticularWorkFunction><CodeTF>B/07.5</CodeTF><NameTF>Ведение рассылок</NameTF>"
        "<LaborActions><LaborAction>Подготовка рассылок</LaborAction></LaborActions><NecessaryKnowledges>"
        "<NecessaryKnowledge>Правила рассылок</NecessaryKnowledge></NecessaryKnowledges></ParticularWorkFunction>"
        "</ParticularWorkFunctions></GeneralizedWorkFunction><GeneralizedWorkFunction><CodeOTF>C",
    )
    (tmp_path / "newer.xml").write_text(newer, encoding="utf-8")
    added = run_cli("-C", stored, "profstandard", "add", tmp_path / "newer.xml")
    assert added.exit_code == 0, added.output
    assert "сохранен в profstandards/06.013_2026-01-20.xml" in added.stdout
    assert "новая версия взамен приказ Минтруда России от 08.09.2014" in added.stdout
    assert (stored / "profstandards" / "06.013_2014-09-08.xml").is_file()  # the old one stays beside it
    listing = run_cli("-C", stored, "profstandard", "list").stdout
    assert (
        "прежняя версия: приказ Минтруда России от 08.09.2014 №\u00a0629н (profstandards/06.013_2014-09-08.xml)"
        in listing
    )
    stderr = run_cli("-C", stored, "check").stderr
    assert (
        "profstandard.approved: роль следует версии стандарта 06.013 от 08.09.2014 (приказ № 629н), а в проекте есть "
        "более новая — приказ Минтруда России от 20.01.2026 №\u00a015н: в ОТФ B добавлена ТФ B/07.5 «Ведение рассылок»; "
        "ТФ B/01.5: добавлено трудовое действие "
        '«Проверка достоверности найденной информации»; сверьте роль и впишите approved: "2026-01-20"'
    ) in stderr


# --- classifier codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # 2411 (бухгалтер) in ОК 010-2014 with a digit too many; 20336 — «Бухгалтер» in ОК 016-94
        ('okz: "24111"', "okz: «24111» — код ОКЗ (ОК 010-2014) состоит из четырех цифр, например «2512»"),
        ('okz: "2411.66"', "okz: «2411.66» — код ОКЗ (ОК 010-2014) состоит из четырех цифр"),
        (
            'okpdtr: "20336"',
            "okpdtr: «20336» — пятизначный код ОК 016-94, замененного с 01.01.2026 классификатором ОК 016-2025",
        ),
        ('okpdtr: "320336"', "okpdtr: «320336» — код ОКПДТР (ОК 016-2025) состоит из шести цифр, первая 1"),
    ],
)
def test_classifier_codes_checked(project: Path, line: str, message: str) -> None:
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace("category: specialists\n", f"category: specialists\n{line}\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("-C", project, "check")
    assert message in result.stderr, result.output


@pytest.mark.parametrize("code", ["2411", "2411.6"])  # бухгалтер; «2411.6» as ЕФС-1 writes it
def test_okz_with_or_without_control_digit(project: Path, code: str) -> None:
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("category: specialists\n", f'category: specialists\nokz: "{code}"\n', 1), encoding="utf-8"
    )
    assert "okz" not in run_cli("-C", project, "check").stderr


def test_classifier_codes_shown_where_config_says(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    path = root / "roles" / "kam-manager.yaml"
    # 2433: ОК 010-2014 «Специалисты по сбыту технической и медицинской продукции»; the ОКПДТР code has the
    # ОК 016-2025 form (2 — служащие, six digits): no list of the new codes was at hand to take a real one
    text = path.read_text(encoding="utf-8").replace(
        "category: specialists\n", 'category: specialists\nokz: "2433"\nokpdtr: "204567"\n', 1
    )
    path.write_text(text, encoding="utf-8")
    assert build_into(root, tmp_path / "plain", "kam-manager").exit_code == 0
    assert "ОКЗ" not in docx_words(tmp_path / "plain" / "kam-manager.docx")  # not printed unless the config says
    config = root / "jobdesc.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("document:\n", "document:\n  classifier_codes: general\n", 1),
        encoding="utf-8",
    )
    assert build_into(root, tmp_path / "codes", "kam-manager").exit_code == 0
    words = docx_words(tmp_path / "codes" / "kam-manager.docx")
    assert (
        "Менеджер по работе с ключевыми клиентами (код по ОКЗ 2433, код по ОКПДТР 204567) относится к категории специалистов"
    ) in words


# --- any subset of an ОТФ's ТФ drafts a role that passes check --strict ---------------------

OTF_CHOICES = [  # (standard, ОТФ, its ТФ codes) of every ОТФ of the five real standards
    (code, otf.code, [tf.code for tf in otf.functions])
    for code in sorted(FILES)
    for otf in read_standard(standard_file(code)).general
]


@st.composite
def drafts(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """A standard, one of its ОТФ and a non-empty subset of that ОТФ's ТФ."""
    code, function, codes = draw(st.sampled_from(OTF_CHOICES))
    return code, function, sorted(draw(st.sets(st.sampled_from(codes), min_size=1)))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(drafts())
def test_any_subset_of_tf_passes_strict_check(draft: tuple[str, str, list[str]]) -> None:
    from jobdesc.commands.check import check_project, check_warnings

    code, function, chosen = draft
    with tempfile.TemporaryDirectory() as folder:
        root = copy_project(Path(folder) / "project", editions=False, linked=False)
        assert run_cli("-C", root, "profstandard", "add", standard_file(code)).exit_code == 0
        options = [arg for tf in chosen for arg in ("--tf", tf)]
        made = run_cli("-C", root, "new", "drafted", "--profstandard", code, "--function", function, *options)
        assert made.exit_code == 0, made.output
        fill(root / "roles" / "drafted.yaml")
        _, problems = check_project(root)
        problems += check_warnings(root)  # check --strict: no error, no warning (coverage or any other)
        assert problems == [], [str(p) for p in problems]


def test_check_names_a_broken_stored_file_and_out_refused(stored: Path) -> None:
    drafted(stored)  # names 06.013: its file is read by check
    (stored / "profstandards" / "06.013_2014-09-08.xml").write_text("<Resume/>", encoding="utf-8")
    (stored / "profstandards" / "копия.xml").write_bytes(standard_file("06.017").read_bytes())
    stderr = "\n".join(assert_clean_failure(run_cli("-C", stored, "check")))
    assert "profstandards/06.013_2014-09-08.xml: это не профстандарт в формате Минтруда" in stderr
    assert "profstandards/копия.xml: имя не вида КОД_ГГГГ-ММ-ДД.xml: файл не читается" in stderr
    assert "roles/writer.yaml:" in stderr  # and the role names a standard the project now lacks
    refused = assert_clean_failure(run_cli("-C", stored, "build", "--out", stored / "profstandards"))
    assert "это место файлов проекта (profstandards)" in refused[0]


def test_traced_clause_in_any_list_prints_as_text(stored: Path, tmp_path: Path) -> None:
    path = stored / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "rights:\n", "rights:\n  - text: Знакомиться с проектами решений руководства.\n    source: A/01.6\n", 1
    )
    path.write_text(text, encoding="utf-8")
    assert run_cli("-C", stored, "check", "--strict").exit_code == 0
    assert build_into(stored, tmp_path / "out", "kam-manager").exit_code == 0
    assert "Знакомиться с проектами решений руководства." in docx_words(tmp_path / "out" / "kam-manager.docx")
    broken = text.replace("  - text: Знакомиться", "  - txt: Знакомиться")
    path.write_text(broken, encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", stored, "check"))
    assert any("rights[1].txt: неизвестное поле (возможно, text)" in line for line in lines), lines


def test_subsection_without_items_names_the_field(stored: Path) -> None:
    path = stored / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "duties:\n", "duties:\n  - title: Работа с сайтом включает\n    source: B/01.5\n", 1
    )
    path.write_text(text, encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", stored, "check"))
    assert lines == [
        f"roles/kam-manager.yaml:{_line(text, 'duties:') + 1}: duties[1].items: обязательное поле отсутствует"
    ]


def test_admission_condition_kept_in_requirements(stored: Path, tmp_path: Path) -> None:
    condition = "Прохождение обязательных предварительных (при поступлении на работу) медицинских осмотров"
    source = standard_file("06.013").read_text(encoding="utf-8")
    source = source.replace(
        "<RequirementsWorkExperiences><RequirementsWorkExperience>Не менее одного года работы на 4 квалификационном "
        "уровне</RequirementsWorkExperience></RequirementsWorkExperiences><SpecialConditionsForAdmissionToWork/>",
        "<RequirementsWorkExperiences><RequirementsWorkExperience>Не менее одного года работы на 4 квалификационном "
        f"уровне</RequirementsWorkExperience></RequirementsWorkExperiences><SpecialConditionsForAdmissionToWork>"
        f"<SpecialConditionForAdmissionToWork>{condition}</SpecialConditionForAdmissionToWork>"
        "</SpecialConditionsForAdmissionToWork>",
        1,
    )
    source = source.replace("<DateOfApproval>08.09.2014", "<DateOfApproval>09.09.2014")
    (tmp_path / "admission.xml").write_text(source, encoding="utf-8")
    assert run_cli("-C", stored, "profstandard", "add", tmp_path / "admission.xml").exit_code == 0
    path = drafted(stored)
    text = path.read_text(encoding="utf-8")
    assert f"  other:\n    - {condition}.\n" in text
    assert "requirements.other" not in run_cli("-C", stored, "check").stderr
    path.write_text(text.replace(f"  other:\n    - {condition}.\n", ""), encoding="utf-8")
    assert (
        f"requirements.other: особое условие допуска ОТФ B «{condition}» не указано"
        in run_cli("-C", stored, "check").stderr
    )


def test_two_files_for_one_version_store_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    changed = tmp_path / "changed.xml"
    changed.write_bytes(standard_file("06.013").read_bytes().replace("Публикатор".encode(), "Верстальщик".encode()))
    lines = assert_clean_failure(
        run_cli("-C", root, "profstandard", "add", standard_file("06.024"), standard_file("06.013"), changed)
    )
    assert lines == [
        f"{changed}: стандарт 06.013 от 08.09.2014 уже есть среди добавляемых файлов, но файл отличается: "
        "добавьте один из них"
    ]
    assert not (root / "profstandards").exists()


REMOVABLE = [  # (standard, ОТФ, ТФ, action) for every action of a ТФ that has more than one
    (code, otf.code, tf.code, action)
    for code in sorted(FILES)
    for otf in read_standard(standard_file(code)).general
    for tf in otf.functions
    if len(tf.actions) > 1
    for action in tf.actions
]


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.sampled_from(REMOVABLE))
def test_removing_any_action_names_it(case: tuple[str, str, str, str]) -> None:
    from jobdesc.commands.check import check_project
    from jobdesc.sources.drafting import sentence

    code, function, tf, action = case
    with tempfile.TemporaryDirectory() as folder:
        root = copy_project(Path(folder) / "project", editions=False, linked=False)
        assert run_cli("-C", root, "profstandard", "add", standard_file(code)).exit_code == 0
        made = run_cli("-C", root, "new", "drafted", "--profstandard", code, "--function", function, "--tf", tf)
        assert made.exit_code == 0, made.output
        path = root / "roles" / "drafted.yaml"
        text = fill(path)
        line = f"      - {sentence(action)}\n"
        assert line in text
        path.write_text(text.replace(line, "", 1), encoding="utf-8")
        _, problems = check_project(root)
        gaps = [p for p in problems if p.field == "duties"]
        assert [p.message.split(" не отражено")[0] for p in gaps] == [f"трудовое действие ТФ {tf} «{action}»"]


def test_options_that_go_together(stored: Path) -> None:
    lines = assert_clean_failure(run_cli("-C", stored, "new", "x", "--profstandard", "06.013"))
    assert lines == ["--profstandard и --function указываются вместе (без --from и --policy)"]
    lines = assert_clean_failure(run_cli("-C", stored, "profstandard", "show", "06.013", "--function", "Q"))
    assert lines == ["--function: в профстандарте 06.013 нет ОТФ «Q»; есть: A, B, C"]
    assert not (stored / "roles" / "x.yaml").exists()
