"""jobdesc import: Word documents into roles and regulations, their stamp into edition 1, bad input refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.shared import Pt
from helpers import copy_project, run_cli
from word_samples import number, numbered_document, stamp_table, to_bytes

from jobdesc.editions.store import require_editions
from jobdesc.errors import InputRefused
from jobdesc.project.kinds import POLICY, ROLE
from jobdesc.sources.importing import make_id
from jobdesc.sources.word import read_docx
from jobdesc.sources.word_import import import_word

# A real job description: «Должностная инструкция кладовщика», the sample of the qualification
# handbook (ЕКС, раздел «Общеотраслевые квалификационные характеристики должностей рабочих и
# служащих»: кладовщик), in the shape HR departments type it.
STOREKEEPER = {
    "Общие положения": [
        ("Кладовщик относится к категории технических исполнителей и входит в структурное подразделение «Склад».", []),
        ("Кладовщик назначается на должность и освобождается от нее приказом директора.", []),
        ("Кладовщик подчиняется непосредственно заведующему складом.", []),
        (
            "На должность кладовщика назначается лицо, имеющее начальное профессиональное образование без предъявления требований к стажу работы.",
            [],
        ),
        (
            "Кладовщик должен знать:",
            [
                "Постановления, распоряжения, приказы, другие руководящие и нормативные документы вышестоящих органов, касающиеся учета и хранения товарно-материальных ценностей.",
                "Стандарты и технические условия на хранимые ценности, их виды и основные свойства.",
                "Правила приемки, хранения, отпуска и оформления документов на товарно-материальные ценности.",
                "Основы трудового законодательства.",
            ],
        ),
    ],
    "Должностные обязанности": [
        ("Принимает на склад, взвешивает, хранит и выдает со склада различные товарно-материальные ценности.", []),
        ("Обеспечивает сохранность складируемых товарно-материальных ценностей.", []),
        (
            "Ведет учет складских операций:",
            ["Оформляет приходно-расходные документы.", "Составляет установленную отчетность."],
        ),
        ("Участвует в проведении инвентаризаций товарно-материальных ценностей.", []),
    ],
    "Права": [
        ("Знакомиться с проектами решений руководства, касающимися его деятельности.", []),
        ("Вносить на рассмотрение руководства предложения по совершенствованию работы склада.", []),
    ],
    "Ответственность": [
        (
            "За ненадлежащее исполнение или неисполнение своих должностных обязанностей — в пределах, определенных трудовым законодательством Российской Федерации.",
            [],
        ),
        (
            "За причинение материального ущерба — в пределах, определенных трудовым и гражданским законодательством Российской Федерации.",
            [],
        ),
    ],
}


def storekeeper(shape: str) -> bytes:
    """The storekeeper's instruction written in one of the shapes people use in Word."""
    document = numbered_document()
    document.sections[0].header.paragraphs[0].text = "ООО «Ромашка». Должностные инструкции"
    document.sections[0].footer.paragraphs[0].text = "Страница 1"
    stamp_table(
        document,
        ["УТВЕРЖДАЮ", "Директор ООО «Ромашка»", "____________ И.И. Петров", "«12» марта 2024 г."],
        ["Общество с ограниченной ответственностью «Ромашка»"],
    )
    document.add_paragraph("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ")
    document.add_paragraph("кладовщика")
    for section_number, (name, clauses) in enumerate(STOREKEEPER.items(), 1):
        if shape == "auto":
            heading = document.add_paragraph(name)
            number(heading, 90, 0)
        elif shape == "roman":
            heading = document.add_paragraph(f"{'I II III IV'.split()[section_number - 1]}. {name.upper()}")
        else:
            heading = document.add_paragraph()
            heading.add_run(f"{section_number}. {name}").bold = True
        for clause_number, (text, subs) in enumerate(clauses, 1):
            if shape == "auto":
                number(document.add_paragraph(text), 90, 1)
            else:
                document.add_paragraph(f"{section_number}.{clause_number}. {text}")
            for sub_number, sub in enumerate(subs, 1):
                if shape == "auto":
                    number(document.add_paragraph(sub), 90, 2)
                elif shape == "roman":
                    document.add_paragraph(f"– {sub}")
                else:
                    document.add_paragraph(f"{section_number}.{clause_number}.{sub_number}. {sub}")
    document.add_paragraph("С инструкцией ознакомлен: ____________ «___» ________ 20__ г.")
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(12)
    return to_bytes(document)


@pytest.mark.parametrize("shape", ["auto", "typed", "roman"])
def test_storekeeper_in_every_shape_gives_the_same_role(shape: str) -> None:
    imported = import_word(read_docx(storekeeper(shape)))
    data = imported.data
    assert imported.kind == "role"
    assert data["title"] == "Кладовщик"
    assert "title_genitive" not in data  # «кладовщика» is what jobdesc itself would print
    assert imported.sections == list(STOREKEEPER)
    assert data["category"] == "technical"
    assert data["department"] == "Склад"
    assert data["reports_to"] == "заведующему складом"
    assert data["appointment"] == {"by": "приказом директора"}
    assert data["knowledge"] == STOREKEEPER["Общие положения"][4][1]
    assert data["duties"] == [
        STOREKEEPER["Должностные обязанности"][0][0],
        STOREKEEPER["Должностные обязанности"][1][0],
        {"title": "Ведет учет складских операций", "items": STOREKEEPER["Должностные обязанности"][2][1]},
        STOREKEEPER["Должностные обязанности"][3][0],
    ]
    assert data["rights"] == [text for text, _ in STOREKEEPER["Права"]]
    assert data["responsibility"] == [text for text, _ in STOREKEEPER["Ответственность"]]
    assert imported.approval is not None and str(imported.approval.date) == "2024-03-12"
    assert imported.approval.name == "Петров И. И." and imported.approval.position == "Директор"
    assert data["requirements"] == {
        "education": "начальное профессиональное",
        "experience": "без предъявления требований к стажу работы",
    }
    fates = {piece.text: piece.fate for piece in imported.left_out()}
    assert fates["ООО «Ромашка». Должностные инструкции"] == "колонтитул"
    assert fates["Страница 1"] == "колонтитул"
    assert fates["С инструкцией ознакомлен: ____________ «___» ________ 20__ г."] == "подпись"


def test_import_writes_the_role_and_edition_1_that_pass_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = tmp_path / "Кладовщик.docx"
    source.write_bytes(storekeeper("typed"))
    result = run_cli("-C", project, "import", source)
    assert result.exit_code == 0, result.output
    assert "инструкция kladovshhik «Кладовщик» → roles/kladovshhik.yaml" in result.output
    assert "редакция № 1 от 12.03.2024" in result.output
    text = (project / "roles/kladovshhik.yaml").read_text(encoding="utf-8")
    assert "\nduties:\n  - Принимает на склад" in text  # one clause per list item, under its key
    edition = require_editions(project, "kladovshhik", ROLE)[0]
    assert str(edition.approved) == "2024-03-12"
    assert edition.source is not None and edition.source["file"] == "Кладовщик.docx"
    assert edition.approver.name == "Петров И. И."  # not the approver of jobdesc.yaml: as signed
    import hashlib

    assert edition.source["sha256"] == "sha256:" + hashlib.sha256(source.read_bytes()).hexdigest()
    check = run_cli("-C", project, "check")
    assert check.exit_code == 0, check.output
    again = run_cli("-C", project, "import", source, "--id", "kladovshhik")
    assert again.exit_code == 1
    assert "roles/kladovshhik.yaml уже есть и не перезаписывается" in again.output


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = tmp_path / "a.docx"
    source.write_bytes(storekeeper("auto"))
    before = sorted(p.as_posix() for p in project.rglob("*"))
    result = run_cli("-C", project, "import", "--dry-run", source)
    assert result.exit_code == 0, result.output
    assert "не перенесено (колонтитул): Страница 1" in result.output
    assert "(--dry-run: ничего не записано)" in result.output
    assert sorted(p.as_posix() for p in project.rglob("*")) == before


def _letter() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Уважаемый Иван Иванович!")
    document.add_paragraph("Просим направить в наш адрес счет на оплату поставки.")
    return to_bytes(document)


def _bomb() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024))
    return stream.getvalue()


BAD = {
    "letter.docx": (_letter, "не похоже на должностную инструкцию или положение"),
    "corrupt.docx": (lambda: b"PK\x03\x04 broken", "файл поврежден"),
    "encrypted.docx": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100,
        "файл зашифрован паролем",
    ),
    "bomb.docx": (_bomb, "zip-бомба"),
    "notes.txt": (lambda: b"hello", "это не документ Word"),
}


def test_a_folder_with_bad_files_imports_the_good_ones(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    folder = tmp_path / "инструкции"
    (folder / "склад").mkdir(parents=True)
    (folder / "склад" / "кладовщик.docx").write_bytes(storekeeper("roman"))
    for name, (make, _) in BAD.items():
        (folder / name).write_bytes(make())
    result = run_cli("-C", project, "import", folder)
    assert result.exit_code == 1
    for name, (_, message) in BAD.items():
        line = next(line for line in result.output.splitlines() if name in line)
        assert line.startswith("ошибка: ") and message in line
    assert "Traceback" not in result.output
    assert (project / "roles/kladovshhik.yaml").is_file()
    assert "Итого: перенесено 1 из 6, с ошибками 5" in result.output
    assert not list(project.glob("**/*letter*")) and len(list((project / "roles").glob("*.yaml"))) == 4


def test_a_bad_file_is_refused_by_the_reader() -> None:
    with pytest.raises(InputRefused, match="zip-бомба"):
        read_docx(_bomb())


@pytest.mark.parametrize("doc_id", ["kam-manager", "kam-head", "kam-department"])
def test_round_trip_import_of_a_built_document_gives_its_data(built: Path, doc_id: str, tmp_path: Path) -> None:
    """The oracle: import(build(x)) == x for the shipped documents (edition 1, as built)."""
    project = copy_project(tmp_path / "project")
    kind = POLICY if doc_id == "kam-department" else ROLE
    edition = require_editions(project, doc_id, kind)[0]
    imported = import_word(read_docx((built / f"{doc_id}.docx").read_bytes()))
    assert imported.kind == kind.name
    expected = {k: v for k, v in edition.content.items() if k not in ("title_genitive", "positions", "head")}
    got = {k: v for k, v in imported.data.items() if k != "title_genitive"}
    assert got == expected
    assert imported.approval is not None and imported.approval.date == edition.approved
    assert not imported.comments and not imported.warnings


def test_ids_are_transliterated_by_gost_7_79_b() -> None:
    assert make_id("Менеджер по работе с ключевыми клиентами") == "menedzher-po-rabote-s-klyuchevymi-klientami"
    assert make_id("Начальник цеха") == "nachalnik-cexa"


# Real documents of different professions in the shapes of the issue (tests/word_corpus.py; the
# files in tests/data/word/ are written by tests/make_word_corpus.py).
from word_corpus import CORPUS, Doc  # noqa: E402

WORD_DATA = Path(__file__).resolve().parent / "data" / "word"
FIELDS = {
    "Взаимоотношения (связи по должности)": "relationships",
    "Критерии оценки работы": "performance_criteria",
    "Заключительные положения": "final_provisions",
}
STAMP_DATES = {"table": "2023-02-05", "paragraphs": "2023-02-05", "order": "2024-01-15"}


def _expected(clause: object) -> object:
    if isinstance(clause, tuple):
        return {"title": clause[0].rstrip(":"), "items": clause[1]}
    return clause


def _read(doc: Doc) -> bytes:
    data = (WORD_DATA / doc.file).read_bytes()
    if not doc.file.endswith(".docx"):  # .doc, .odt, .rtf: through LibreOffice
        from jobdesc.sources.importing import convert_to_docx

        data = convert_to_docx(WORD_DATA / doc.file, data)
    return data


@pytest.mark.parametrize(
    "doc",
    [  # .doc, .odt, .rtf go through LibreOffice
        pytest.param(doc, id=doc.file, marks=[] if doc.file.endswith(".docx") else [pytest.mark.slow]) for doc in CORPUS
    ],
)
def test_real_documents_keep_title_sections_and_every_clause_in_order(doc: Doc) -> None:
    imported = import_word(read_docx(_read(doc)))
    assert imported.kind == doc.kind
    assert imported.title == doc.title
    assert imported.sections == [name for name, _ in doc.sections]
    sections = dict(doc.sections)
    if doc.kind == "policy":
        got = [(s["title"], s["clauses"]) for s in imported.data["sections"]]
        want = [
            (name, [c if isinstance(c, str) else {"text": c[0], "items": c[1]} for c in clauses])
            for name, clauses in doc.sections
        ]
        if "relations-table" in doc.extras:
            from make_word_corpus import RELATIONS

            want[-1][1].append({"table": {"columns": list(RELATIONS[0]), "rows": [list(r) for r in RELATIONS[1:]]}})
        assert got == want
    else:
        data = imported.data
        assert data["duties"] == [_expected(c) for c in sections["Должностные обязанности"]]
        assert data["rights"] == sections["Права"]
        assert data["responsibility"] == sections["Ответственность"]
        general = sections["Общие положения"]
        knowledge = general[-1]
        assert isinstance(knowledge, tuple) and data["knowledge"] == knowledge[1]
        assert data["reports_to"] == general[4].split("непосредственно ")[1].rstrip(".")
        assert data["appointment"] == {"by": "приказом генерального директора"}
        requirements = general[2].split("назначается лицо, ")[1].rstrip(".")
        assert data["requirements"]["education"] in requirements
        kept = [general[0]]  # no field for it: kept as a comment
        for name, clauses in doc.sections[4:]:
            field = FIELDS.get(name)
            if field:
                assert data[field] == clauses
            else:  # a section the role has no field for: its clauses as comments, after the field before
                kept += [f"{name}: {clause}" for clause in clauses]
        assert imported.comments["general"] == kept[:1]
        assert [text for texts in imported.comments.values() for text in texts] == kept
        for sentence, field in (("находятся ", "subordinates"), ("исполняет ", "substitute")):
            clause = next((c for c in general if isinstance(c, str) and sentence in c), None)
            if clause:
                assert data[field] == clause.split(sentence)[1].split(",")[0].rstrip(".")
    if doc.stamp == "none":
        assert imported.approval is None
    else:
        assert imported.approval is not None and str(imported.approval.date) == STAMP_DATES[doc.stamp]
        assert imported.approval.order_number == ("7-к" if doc.stamp == "order" else "")
    left = {piece.text: piece.fate for piece in imported.left_out()}
    if "header" in doc.extras:
        assert left["ООО «Альфа»"] == "колонтитул" and left["Страница 1"] == "колонтитул"  # a PAGE field
    if "ack" in doc.extras:
        assert left["ЛИСТ ОЗНАКОМЛЕНИЯ"].startswith("лист ознакомления")
    assert not [piece for piece in imported.pieces if not piece.fate]


def test_the_whole_corpus_imports_and_passes_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    folder = tmp_path / "word"
    folder.mkdir()
    for doc in CORPUS:
        if doc.file.endswith(".docx"):
            (folder / doc.file).write_bytes((WORD_DATA / doc.file).read_bytes())
    result = run_cli("-C", project, "import", folder)
    assert result.exit_code == 0, result.output
    count = sum(doc.file.endswith(".docx") for doc in CORPUS)
    assert f"Итого: перенесено {count} из {count}" in result.output
    check = run_cli("-C", project, "check")
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize(
    ("genitive", "title"),
    [
        ("главной медицинской сестры", "главная медицинская сестра"),
        ("врача-терапевта участкового", "врач-терапевт участковый"),
        ("заведующей хозяйством", "заведующая хозяйством"),
        ("оператора ЭВМ", "оператор ЭВМ"),
        ("специалиста по связям с общественностью", "специалист по связям с общественностью"),
        ("шеф-повара", "шеф-повар"),
        ("портье", "портье"),
    ],
)
def test_the_nominative_is_recovered_from_the_genitive(genitive: str, title: str) -> None:
    from jobdesc.sources.word_role import nominative

    assert nominative(genitive) == (title, False)


def test_an_unsure_title_keeps_the_genitive_of_the_document_and_warns() -> None:
    document = numbered_document()
    for text in ("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", "зав. складом", "1. Должностные обязанности", "1.1. Руководит складом."):
        document.add_paragraph(text)
    imported = import_word(read_docx(to_bytes(document)))
    assert imported.data["title_genitive"] == "зав. складом"
    assert any(w.startswith("title: именительный падеж") and "проверьте" in w for w in imported.warnings)


def test_the_first_change_after_import_is_amendment_1(tmp_path: Path) -> None:
    """Edition 1 is the text that was signed: a change to it is «Изменения № 1»."""
    project = copy_project(tmp_path / "project")
    source = tmp_path / "Кладовщик.docx"
    source.write_bytes(storekeeper("auto"))
    assert run_cli("-C", project, "import", source).exit_code == 0
    path = project / "roles/kladovshhik.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nrights:\n", "\nrights:\n  - Получать спецодежду.\n"), encoding="utf-8")
    approved = run_cli("-C", project, "approve", "kladovshhik", "--date", "2024-04-01")
    assert approved.exit_code == 0, approved.output
    out = tmp_path / "out"
    built = run_cli("-C", project, "build", "kladovshhik", "--out", out)
    assert built.exit_code == 0, built.output
    assert (out / "kladovshhik.amendment-1.docx").is_file()
    from jobdesc.commands.textconv import docx_text

    assert "Получать спецодежду." in docx_text(out / "kladovshhik.amendment-1.docx")


def test_kind_given_reads_a_regulation_without_a_kind_line(tmp_path: Path) -> None:
    document = numbered_document()
    for text in (
        "Инструкция по охране труда для работников офиса",
        "1. Общие требования охраны труда",
        "1.1. К работе допускаются лица, прошедшие вводный инструктаж.",
        "2. Требования охраны труда во время работы",
        "2.1. Работник содержит рабочее место в чистоте.",
    ):
        document.add_paragraph(text)
    data = to_bytes(document)
    with pytest.raises(InputRefused, match="не похоже на должностную инструкцию"):
        import_word(read_docx(data))
    imported = import_word(read_docx(data), "policy")
    assert imported.data["type"] == "инструкция"
    assert imported.data["title"] == "Инструкция по охране труда для работников офиса"
    assert imported.sections == ["Общие требования охраны труда", "Требования охраны труда во время работы"]


def test_many_files_are_read_on_every_core_with_the_same_result(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from jobdesc.sources import importing

    folder = tmp_path / "word"
    folder.mkdir()
    for name in ("kassir.docx", "kurer.docx", "polozhenie-otdel-kadrov.docx"):
        (folder / name).write_bytes((WORD_DATA / name).read_bytes())
    (folder / "letter.docx").write_bytes(_letter())
    project = copy_project(tmp_path / "project")
    alone = importing.import_paths(project, [folder], dry_run=True)
    monkeypatch.setattr(importing, "PER_PROCESS", 1)
    pooled = importing.import_paths(project, [folder], dry_run=True)
    assert [(r.doc_id, r.error, r.imported and r.imported.data) for r in pooled] == [
        (r.doc_id, r.error, r.imported and r.imported.data) for r in alone
    ]
    assert [bool(r.error) for r in pooled] == [False, False, True, False]


def test_a_copy_of_a_file_in_the_folder_is_skipped_with_a_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    folder = tmp_path / "word"
    (folder / "копии").mkdir(parents=True)
    (folder / "kassir.docx").write_bytes((WORD_DATA / "kassir.docx").read_bytes())
    (folder / "копии" / "kassir (1).docx").write_bytes((WORD_DATA / "kassir.docx").read_bytes())
    result = run_cli("-C", project, "import", folder)
    assert result.exit_code == 1
    assert f"ошибка: {folder / 'копии' / 'kassir (1).docx'}: тот же файл, что {folder / 'kassir.docx'}, — пропущен" in (
        result.output
    )
    assert (project / "roles/kassir.yaml").is_file() and not (project / "roles/kassir-2.yaml").exists()


def test_chapters_named_razdel_and_glava_are_sections() -> None:
    document = numbered_document()
    for text in (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ",
        "кассира",
        "Раздел 1. Должностные обязанности",
        "1.1. Ведет кассовую книгу.",
        "Глава II. Права",
        "2.1. Получать информацию.",
        "РАЗДЕЛ 3. ОТВЕТСТВЕННОСТЬ",
        "3.1. За причинение материального ущерба.",
    ):
        document.add_paragraph(text)
    imported = import_word(read_docx(to_bytes(document)))
    assert imported.sections == ["Должностные обязанности", "Права", "Ответственность"]
    assert imported.data["duties"] == ["Ведет кассовую книгу."]
    assert imported.data["rights"] == ["Получать информацию."]
    assert imported.data["responsibility"] == ["За причинение материального ущерба."]


def test_an_edition_that_cannot_be_written_takes_the_role_with_it(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from jobdesc.editions import store
    from jobdesc.errors import JobdescError

    def refuse(*args: object, **kwargs: object) -> Path:
        raise JobdescError("roles/kladovshhik.editions/001.yaml: не удается записать: нет места на диске")

    monkeypatch.setattr(store, "write_edition", refuse)
    project = copy_project(tmp_path / "project")
    source = tmp_path / "k.docx"
    source.write_bytes(storekeeper("typed"))
    result = run_cli("-C", project, "import", source)
    assert result.exit_code == 1
    assert "редакция № 1 не записана, файл не перенесен — roles/kladovshhik.editions/001.yaml" in result.output
    assert not (project / "roles/kladovshhik.yaml").exists()


def test_the_id_of_a_deleted_document_with_editions_is_not_reused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "roles/kladovshhik.editions").mkdir()
    source = tmp_path / "k.docx"
    source.write_bytes(storekeeper("typed"))
    result = run_cli("-C", project, "import", source)
    assert result.exit_code == 0, result.output
    assert (project / "roles/kladovshhik-2.yaml").is_file()


def test_a_stamp_on_an_incomplete_text_gives_the_approve_command_instead_of_an_edition(tmp_path: Path) -> None:
    """No department in the source: the file gets a placeholder, and an edition is never recorded with one."""
    import shlex

    project = copy_project(tmp_path / "project")
    result = run_cli("-C", project, "import", WORD_DATA / "buhgalter.docx")
    assert result.exit_code == 0, result.output
    assert "buxgalter «Бухгалтер» → roles/buxgalter.yaml, проект (гриф от 05.02.2023 — см. «внимание»)" in result.output
    assert not (project / "roles/buxgalter.editions").exists()
    command = result.output.split("выполните ")[1].splitlines()[0]
    assert command == 'jobdesc approve buxgalter --date 2023-02-05 --approver "Генеральный директор, Сидоров П. П."'
    path = project / "roles/buxgalter.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("'[подразделение]'", "Бухгалтерия"), encoding="utf-8")
    approved = run_cli("-C", project, *shlex.split(command)[1:])
    assert approved.exit_code == 0, approved.output
    edition = require_editions(project, "buxgalter", ROLE)[0]
    assert str(edition.approved) == "2023-02-05" and edition.approver.name == "Сидоров П. П."


def test_the_approver_of_the_project_signing_the_stamp_is_named_in_full(built: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run_cli("-C", project, "import", built / "kam-manager.docx")
    assert result.exit_code == 0, result.output
    edition = require_editions(project, "menedzher-po-rabote-s-klyuchevymi-klientami", ROLE)[0]
    assert (edition.approver.position, edition.approver.name) == ("Генеральный директор", "Воронцов Андрей Павлович")


def test_lists_typed_without_numbers_or_with_1_under_a_numbered_clause_are_its_sub_clauses() -> None:
    document = numbered_document()
    for text in (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № ДИ-7",
        "кассира",
        "1. Общие положения",
        "1.1. Кассир подчиняется непосредственно главному бухгалтеру.",
        "1.2. Кассир должен знать:",
        "формы кассовых документов;",
        "порядок оформления приходных документов.",
        "2. Должностные обязанности",
        "2.1. Ведет кассовые операции:",
        "1) принимает денежные средства;",
        "2) выдает денежные средства.",
        "2.2. Составляет кассовую отчетность за ____ (период).",
        "После этого пункта идет абзац без номера.",
    ):
        document.add_paragraph(text)
    data = import_word(read_docx(to_bytes(document))).data
    assert data["number"] == "ДИ-7"
    assert data["knowledge"] == ["формы кассовых документов;", "порядок оформления приходных документов."]
    assert data["duties"] == [
        {"title": "Ведет кассовые операции", "items": ["принимает денежные средства;", "выдает денежные средства."]},
        "Составляет кассовую отчетность за ____ (период).",
        "После этого пункта идет абзац без номера.",
    ]


def test_a_list_written_in_one_paragraph_is_split_at_its_semicolons() -> None:
    document = numbered_document()
    for text in (
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ",
        "бухгалтера",
        "1. Общие положения",
        "1.1. Бухгалтер должен знать: план и корреспонденцию счетов; формы первичных документов; основы трудового законодательства.",
        "2. Должностные обязанности",
        "2.1. Ведет учет.",
    ):
        document.add_paragraph(text)
    imported = import_word(read_docx(to_bytes(document)))
    assert imported.data["knowledge"] == [
        "план и корреспонденцию счетов;",
        "формы первичных документов;",
        "основы трудового законодательства.",
    ]
    assert not imported.comments
