"""A Word document (:mod:`jobdesc.sources.word`) mapped to a role or a regulation, its approval and a report.

Every non-empty paragraph and table cell of the source is accounted for: its text is in the data
(a clause, or the value of a field read from a sentence such as «… подчиняется непосредственно …»),
kept as a comment of the YAML file where the schema has no place for it, or named as left out on
purpose (requisites, the stamp, signatures, the acknowledgment sheet, headers and footers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from jobdesc.errors import InputRefused
from jobdesc.sources.word import Paragraph, Table, WordDocument
from jobdesc.sources.word_lines import (
    _CHAPTER,
    _DASH,
    _DATE_NUMERIC,
    _DATE_WORDS,
    _LETTER,
    _NUMBER_LINE,
    _ORDER,
    _ROMAN,
    _STAMP,
    _TYPED,
    MONTHS,
    POLICY_TYPES,
    SECTION_WORDS,
    Approval,
    Line,
    Piece,
    normal,
)
from jobdesc.sources.word_role import nominative, role_data


@dataclass
class Imported:
    """A document read from Word: its kind, the data of the YAML file, comments, approval, report."""

    kind: str  # "role" or "policy"
    data: dict
    comments: dict[str, list[str]] = field(default_factory=dict)  # field → texts kept as comments after it
    approval: Approval | None = None
    pieces: list[Piece] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.data["title"])

    def counts(self) -> tuple[int, int]:
        """(clauses, sub-clauses) of the data."""
        clauses = subclauses = 0
        lists = (
            [c for s in self.data["sections"] for c in s["clauses"]]
            if self.kind == "policy"
            else [c for v in self.data.values() if isinstance(v, list) for c in v]
        )
        for clause in lists:
            clauses += 1
            if isinstance(clause, dict) and "items" in clause:
                subclauses += len(clause["items"])
        return clauses, subclauses

    def left_out(self) -> list[Piece]:
        return [p for p in self.pieces if p.fate not in ("data", "comment")]


def import_word(document: WordDocument, kind: str | None = None) -> Imported:
    """Map ``document`` to a role (``kind`` "role") or a regulation ("policy"), recognised when ``None``."""
    pieces: list[Piece] = [Piece(normal(text), "колонтитул") for text in document.margins if normal(text)]
    pieces += [Piece(normal(text), "текстовое поле (надпись) — перенесите вручную") for text in document.boxes]
    lines = _lines(document, pieces)
    found_kind, kind_index = _find_kind(lines)
    kind = kind or found_kind
    if kind is None:
        raise InputRefused(
            "не похоже на должностную инструкцию или положение: нет заголовка «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ» "
            "или «ПОЛОЖЕНИЕ …» (укажите --kind, если это все же они)"
        )
    reader = _Reader(lines, pieces, kind, kind_index)
    return reader.run()


def _lines(document: WordDocument, pieces: list[Piece]) -> list[Line]:
    lines: list[Line] = []
    for block in document.blocks:
        if isinstance(block, Table):
            cells = [Piece(normal(cell)) for row in block.rows for cell in row if normal(cell)]
            pieces.extend(cells)
            if cells:
                lines.append(Line(Piece(""), "", table=block, cells=cells))
            continue
        text = normal(block.text)
        if not text:
            continue
        piece = Piece(text)
        pieces.append(piece)
        lines.append(_line(block, piece))
    return lines


def _line(paragraph: Paragraph, piece: Piece) -> Line:
    text = piece.text
    shown = f"{paragraph.label} {text}" if paragraph.label and not paragraph.bullet else text
    line = Line(piece, text, level=paragraph.level)
    if paragraph.bullet:
        line.number, line.style = "•", "dash"
    else:
        patterns = (("roman", _CHAPTER), ("roman", _ROMAN), ("decimal", _TYPED), ("letter", _LETTER), ("dash", _DASH))
        for style, pattern in patterns:  # «Раздел 2. …», «Глава II. …» are sections, as Roman numbers are
            found = pattern.match(shown)
            if found:
                line.number, line.text, line.style = found["num"], normal(found["text"]), style
                if style == "decimal":
                    line.depth = found["num"].count(".") + 1
                    if found["end"] == ")":
                        line.style = "paren"
                break
    letters = [c for c in line.text if c.isalpha()]
    capitals = len(letters) > 3 and all(c.isupper() for c in letters)
    line.emphasis = bool(paragraph.heading) or paragraph.bold or capitals
    return line


def _find_kind(lines: list[Line]) -> tuple[str | None, int]:
    for index, line in enumerate(lines[:40]):
        texts = [cell for row in line.table.rows for cell in row] if line.table else [line.piece.text]
        for text in texts:
            for part in text.split("\n"):
                upper = normal(part).upper().strip("*")
                if upper.startswith("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ"):
                    return "role", index
                first = upper.split(" ")[0] if upper else ""
                if first.lower() in POLICY_TYPES and (len(upper.split()) == 1 or first == "ПОЛОЖЕНИЕ"):
                    return "policy", index
    return None, -1


class _Reader:
    """One pass over the lines: requisites and stamp, sections, clauses, the closing parts."""

    def __init__(self, lines: list[Line], pieces: list[Piece], kind: str, kind_index: int) -> None:
        self.lines = lines
        self.pieces = pieces
        self.kind = kind
        self.kind_index = kind_index
        self.result = Imported(kind, {}, pieces=pieces)
        self.heading = ""  # the title as the heading gives it (a role's: genitive)
        self.type = "положение"
        self.number = ""
        self.heading_piece: Piece | None = None  # the paragraph or cell the title was read from
        self.section_pieces: dict[int, Piece] = {}  # index of a section → its heading paragraph

    def run(self) -> Imported:
        body_start = self._front()
        sections = self._sections(body_start)
        if self.kind == "role":
            role_data(self, sections)
        else:
            self._policy(sections)
        lost = [p for p in self.pieces if not p.fate]
        for piece in lost:  # a bug guard: every piece has a fate
            piece.fate = "comment"
            self.result.comments.setdefault("", []).append(piece.text)
        return self.result

    # the front: requisites, the stamp, the title
    def _front(self) -> int:
        index = 0
        title_found = False
        while index < len(self.lines):
            line = self.lines[index]
            if line.table is not None:
                if not self._front_table(line):
                    break
                index += 1
                continue
            text = line.piece.text
            if self._is_section(line) and title_found:
                break
            if _STAMP.match(text.upper()):
                index = self._stamp_paragraphs(index)
                continue
            if index == self.kind_index or self._kind_line(text):
                rest = self._after_kind(text)
                line.piece.fate = "заголовок вида документа"
                if rest:
                    self.heading, title_found = rest, True
                    line.piece.fate, self.heading_piece = "data", line.piece
            elif not title_found and index > self.kind_index and not self._requisite(text):
                self.heading, title_found = text, True
                line.piece.fate, self.heading_piece = "data", line.piece
            elif title_found and not self._requisite(text) and not self._edition_line(text):
                break
            elif not line.piece.fate:
                self._requisite_piece(line.piece)
            index += 1
        if not self.heading:
            raise InputRefused("не найдено наименование документа после заголовка вида документа")
        return index

    def _kind_line(self, text: str) -> bool:
        upper = text.upper()
        return upper.startswith("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ") or upper in {t.upper() for t in POLICY_TYPES}

    def _after_kind(self, text: str) -> str:
        upper = text.upper()
        if upper.startswith("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ"):
            rest = text[len("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ") :]
        else:
            first, _, rest = text.partition(" ")
            if first.lower() in POLICY_TYPES:
                self.type = first.lower()
        number = re.match(r"^\s*№\s*(\S+)", rest)  # «ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ № 12»
        if number and not number.group(1).startswith("_"):
            self.number = number.group(1)
        rest = re.sub(r"^\s*№\s*\S+", "", rest).strip(" .:")
        return rest.lower() if rest.isupper() else rest

    def _requisite(self, text: str) -> bool:
        return bool(
            _NUMBER_LINE.match(text)
            or re.match(r"^г\.\s*\S+", text)
            or re.search(
                r"^(общество|акционерное|государственное|муниципальное|федеральное|ооо|ао|пао|зао)\b", text.lower()
            )
            or re.match(r"^\((ООО|АО|ПАО|ЗАО|ОАО|ГБУ|МБУ|ФГБУ)\b", text)
            or "экземпляр №" in text.lower()
            or text.upper() == "ПРОЕКТ"
            or _DATE_NUMERIC.fullmatch(text)
        )

    def _edition_line(self, text: str) -> bool:
        return bool(re.match(r"^(Редакция №|Текст в редакции|\(редакция №)", text))

    def _requisite_piece(self, piece: Piece) -> None:
        found = _NUMBER_LINE.match(piece.text)
        if found and not found["number"].startswith("_"):
            self.number = found["number"].strip()
            piece.fate = "data"
            return
        piece.fate = "реквизит (номер, дата, место, организация)"
        if self._edition_line(piece.text):
            piece.fate = "отметка о редакции"

    def _front_table(self, line: Line) -> bool:
        """A table before the body: the stamp and the requisites; False if it is something else."""
        texts = [c.text for c in line.cells]
        cells = [cell for row in line.table.rows for cell in row] if line.table else []
        if not any(
            _STAMP.match(normal(t).upper()) or self._kind_line(normal(t.split("\n")[0])) for t in cells
        ) and not any("ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in t.upper() for t in texts):
            return False
        for piece, raw in zip(line.cells, [c for c in cells if normal(c)]):
            parts = [normal(p) for p in raw.split("\n") if normal(p)]
            if parts and _STAMP.match(parts[0].upper()):
                self._read_stamp(parts)
                piece.fate = (
                    "гриф утверждения (его дата и подписавший — в редакцию № 1)"
                    if self.result.approval
                    else "гриф утверждения"
                )
                continue
            used = False
            for number, part in enumerate(parts):
                if self._kind_line(part):
                    rest = self._after_kind(part)
                    if rest:
                        self.heading, used = rest, True
                    following = parts[number + 1 : number + 2]
                    if following and not rest and not self._requisite(following[0]):
                        self.heading, used = following[0], True
                found = _NUMBER_LINE.match(part)
                if found and not found["number"].startswith("_"):
                    self.number = found["number"].strip()
            piece.fate = "data" if used else "реквизит (номер, дата, место, организация)"
            if used:
                self.heading_piece = piece
        return True

    def _stamp_paragraphs(self, index: int) -> int:
        """The stamp given as paragraphs: «УТВЕРЖДАЮ» and the lines up to its date."""
        parts: list[Line] = []
        while index < len(self.lines) and self.lines[index].table is None and len(parts) < 6:
            line = self.lines[index]
            parts.append(line)
            index += 1
            if _DATE_WORDS.search(line.piece.text) or _DATE_NUMERIC.search(line.piece.text) or "№" in line.piece.text:
                break
        self._read_stamp([line.piece.text for line in parts])
        for line in parts:
            line.piece.fate = "гриф утверждения"
        return index

    def _read_stamp(self, parts: list[str]) -> None:
        text = " ".join(parts)
        order = _ORDER.search(text)
        if order:
            day = _date(order["date"])
            if day:
                # the order names the approver in the genitive: the project's approver stands for them
                self.result.approval = Approval(day, order_number=order["number"].strip(" .,"), order_date=day)
                return
        day = next((_date(part) for part in reversed(parts) if _date(part)), None)
        if day is None:
            self.result.warnings.append("гриф утверждения без даты — документ перенесен как проект")
            return
        approval = Approval(day)
        lines = [p for p in parts[1:] if not _date(p) or "_" in p]
        signature = next((p for p in lines if "_" in p), "")
        approval.name = person_name(normal(signature.replace("_", " ").split("«")[0]))
        if _date(approval.name):
            approval.name = ""
        held = [p for p in lines if "_" not in p]
        if held:
            approval.position = re.sub(r"\s+(ООО|АО|ПАО|ЗАО|ОАО|ГБУ|МБУ|ФГБУ)\s*«.*$", "", " ".join(held))
        self.result.approval = approval

    # sections
    def _is_section(self, line: Line) -> bool:
        if line.table is not None:
            return False
        text = line.text
        words = text.lower().rstrip(".:")
        known = any(words.startswith(w) for w in SECTION_WORDS) and len(text) < 90
        if line.style == "roman":
            return True
        if line.style == "decimal" and line.depth == 1 and line.level == 0:
            return known or (line.emphasis and len(text) < 120) or (text.isupper() and len(text) > 3)
        if not line.number:
            return (line.emphasis and len(text) < 120 and not text.endswith(":")) or (
                known and text[:1].isupper() and not text.endswith((".", ";", ":"))
            )
        return False

    def _opens_section(self, index: int) -> bool:
        """«2. Прием документов» followed by «2.1. …»: a section however it looks."""
        line = self.lines[index]
        if line.style != "decimal" or line.depth != 1 or line.text.endswith((".", ";", ":")) or len(line.text) > 100:
            return False
        following = next((other for other in self.lines[index + 1 :] if other.table is None), None)
        return (
            following is not None
            and following.number.startswith(line.number.rstrip(".") + ".")
            and following.depth == 2
        )

    def _sections(self, start: int) -> list[tuple[str, list[Line]]]:
        sections: list[tuple[str, list[Line]]] = []
        index = start
        visas = False  # after «СОГЛАСОВАНО:»: the approval visas (positions, blanks), not the text
        while index < len(self.lines):
            line = self.lines[index]
            text = line.piece.text
            if line.table is None and not line.number and text.strip().upper() == "СОГЛАСОВАНО:":
                visas = True
            if visas and line.table is None and not line.number and not text.upper().startswith("ЛИСТ "):
                line.piece.fate = "подпись"
                index += 1
                continue
            if line.table is None and re.match(r"^ЛИСТ (ОЗНАКОМЛЕНИЯ|РЕГИСТРАЦИИ ИЗМЕНЕНИЙ)", text.upper()):
                self._closing(index)
                break
            signature = not line.number and "____" in text and len(text) < 150  # a clause may have a blank
            if line.table is None and (
                signature or re.match(r"^С (настоящей )?(должностной )?инструкцией ознакомлен", text)
            ):
                line.piece.fate = "подпись"
            elif line.table is None and (self._is_section(line) or self._opens_section(index)):
                title = line.text.rstrip(".:")
                title = title[:1] + title[1:].lower() if title.isupper() else title
                self.section_pieces[len(sections)] = line.piece
                sections.append((title, []))
                line.piece.fate = "data"
                self.result.sections.append(title)
            elif line.table is not None and self._ack_table(line.table):
                for cell in line.cells:
                    cell.fate = "лист ознакомления"
            elif sections:
                sections[-1][1].append(line)
            else:
                sections.append(("", [line]))
            index += 1
        return sections

    def _ack_table(self, table: Table) -> bool:
        header = " ".join(table.rows[0]).lower() if table.rows else ""
        return "подпись" in header and ("ознаком" in header or "ф.и.о" in header or "фио" in header)

    def _closing(self, index: int) -> None:
        fate = "лист ознакомления или регистрации изменений"
        for line in self.lines[index:]:
            pieces = line.cells if line.table is not None else [line.piece]
            for piece in pieces:
                if piece.text.startswith("Экземпляр №"):  # the next copy of the same text follows
                    fate = "следующий экземпляр документа (тот же текст)"
                piece.fate = fate

    # clauses
    def clauses(self, lines: list[Line]) -> list[tuple[Line, list[Line]]]:
        """The section's clauses, each with its sub-clauses (tables stay clauses of their own)."""
        result: list[tuple[Line, list[Line]]] = []
        top = _top_style(lines)
        for line in lines:
            if line.table is not None:
                result.append((line, []))
                continue
            if result and result[-1][0].table is None and _is_sub(line, top, result[-1][0], result[-1][1]):
                result[-1][1].append(line)
            else:
                result.append((line, []))
        return result

    def _policy(self, sections: list[tuple[str, list[Line]]]) -> None:
        title = self.heading
        word = title.split(" ")[0].lower()
        if word in POLICY_TYPES:  # the heading names its kind: «Инструкция по охране труда …» (with --kind)
            self.type, title = word, title.split(" ", 1)[1] if " " in title else ""
        title = title[:1].lower() + title[1:] if title[:1].isupper() and not title.isupper() else title
        data: dict = {"title": f"{self.type.capitalize()} {title}".strip(), "type": self.type}
        if self.number:
            data["number"] = self.number
        out: list[dict] = []
        for name, lines in sections:
            clauses: list = []
            section: dict = {"title": name or "Общие положения"}
            for first, subs in self.clauses(lines):
                if first.table is not None:
                    table = _table_clause(first)
                    if table is None:
                        for cell in first.cells:
                            cell.fate = "comment"
                        self.result.comments.setdefault(f"sections[{len(out)}]", []).extend(c.text for c in first.cells)
                    else:
                        clauses.append(table)
                    continue
                if re.match(
                    r"^(В состав .+ входят следующие должности:|Перечень должностей .+ устанавливается штатным расписанием)",
                    first.text,
                ):
                    section["positions"] = True
                    first.piece.fate = "должности подразделения (jobdesc вычисляет их из ролей)"
                    for sub in subs:
                        sub.piece.fate = "должности подразделения (jobdesc вычисляет их из ролей)"
                    continue
                first.piece.fate = "data"
                for sub in subs:
                    sub.piece.fate = "data"
                clauses.append({"text": first.text, "items": [s.text for s in subs]} if subs else first.text)
            section["clauses"] = clauses
            if clauses or section.get("positions"):
                out.append(section)
        if any(s.get("positions") for s in out):
            unit, doubt = nominative(re.sub(r"^(об?|обо)\s+", "", title), "loct")
            data["unit"] = unit[:1].upper() + unit[1:]
            if doubt:
                self.result.warnings.append(f"unit: «{data['unit']}» — проверьте наименование подразделения")
        data["sections"] = out
        if not out:
            raise InputRefused("в документе не найдено ни одного раздела с пунктами")
        self.result.data = data


def _top_style(lines: list[Line]) -> tuple[str, int]:
    """The numbering of the section's clauses: its style and depth (or Word level)."""
    numbered = [line for line in lines if line.table is None and line.number]
    if not numbered:
        return ("", 0)
    first = numbered[0]
    decimal = [line.depth for line in numbered if line.style == "decimal"]  # «1)» lists go under «2.3.» clauses
    shallowest = min(decimal or [line.depth for line in numbered if line.style == "paren"], default=0)
    if shallowest:
        return ("decimal", shallowest)
    return (first.style, first.level)


def _is_sub(line: Line, top: tuple[str, int], clause: Line, subs: list[Line]) -> bool:
    """Whether ``line`` is a sub-clause of ``clause`` (whose sub-clauses so far are ``subs``)."""
    style, depth = top
    if not line.number:
        # a list typed without numbers after «… должен знать:», in a section whose clauses are numbered
        return bool(style) and clause.text.endswith(":") and all(not sub.number for sub in subs)
    if style == "decimal" and line.style in ("decimal", "paren"):
        if line.depth > depth:
            return True
        return line.style == "paren" and line.depth == 1 < depth and clause.text.endswith(":")  # «2.3. …:», «1) …»
    if line.style == style and line.style != "decimal":
        if line.level != depth:
            return line.level > depth
        return False
    return clause.text.endswith(":") or line.level > clause.level


def _table_clause(line: Line) -> dict | None:
    table = line.table
    if table is None or len(table.rows) < 2:
        return None
    width = len(table.rows[0])
    if any(len(row) != width for row in table.rows):
        return None
    for cell in line.cells:
        cell.fate = "data"
    return {
        "table": {
            "columns": [normal(c) for c in table.rows[0]],
            "rows": [[normal(c) for c in row] for row in table.rows[1:]],
        }
    }


def person_name(signature: str) -> str:
    """A signature as the project writes names, surname first: «П.П. Сидоров» → «Сидоров П. П.»
    (the stamp prints it back as «П.П. Сидоров»); a full name stays as it is."""
    words = signature.split()
    initials = [w for w in words if re.fullmatch(r"(?:[А-ЯЁA-Z]\.)+", w)]
    rest = [w for w in words if w not in initials]
    if not initials or len(rest) != 1:
        return signature
    letters = [f"{letter}." for word in initials for letter in word.split(".") if letter]
    return " ".join([rest[0], *letters])


def _date(text: str) -> dt.date | None:
    """A date written «12» марта 2024 г. or 12.03.2024 in ``text``."""
    found = _DATE_WORDS.search(text)
    try:
        if found and found.group(2) in MONTHS:
            return dt.date(int(found.group(3)), MONTHS[found.group(2)], int(found.group(1)))
        numeric = _DATE_NUMERIC.search(text)
        if numeric:
            return dt.date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
    except ValueError:
        return None
    return None
