"""Russian language helpers: dates in words, initials, lower-casing; job titles are in :mod:`jobdesc.language.titles`."""

from __future__ import annotations

import datetime as dt
import re

NBSP = "\u00a0"
BLANK_DATE = "«___» ____________ 20___ г."
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


_NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_FORMS = "ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"


def parse_date(text: str, time_allowed: bool = False) -> dt.date:
    """A date as Russians write it (ДД.ММ.ГГГГ) or ISO (ГГГГ-ММ-ДД); ``time_allowed``: the time 1С
    writes after the date is ignored. ``ValueError`` otherwise."""
    text = text.strip()
    found = _NUMERIC_DATE.match(text)
    if found and (time_allowed or not found[4]):
        return dt.date(int(found[3]), int(found[2]), int(found[1]))
    found = _ISO_DATE.match(text)
    if found:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    raise ValueError(text)


def date_words(day: dt.date | None) -> str:
    """«27 ноября 2026 г.» (non-breaking spaces keep it on one line); a blank form when there is no date."""
    if day is None:
        return BLANK_DATE
    return f"{day.day}{NBSP}{MONTHS_GENITIVE[day.month - 1]}{NBSP}{day.year}{NBSP}г."


def date_numeric(day: dt.date | None) -> str:
    """«27.11.2026»; a blank line when there is no date."""
    return "____________" if day is None else day.strftime("%d.%m.%Y")


def initials_surname(full_name: str) -> str:
    """«Иванов Иван Иванович» → «И.И. Иванов» (non-breaking space before the surname)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    surname, *given = parts
    return "".join(f"{name[0]}." for name in given) + NBSP + surname


def lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is an abbreviation («HR-менеджер»)."""
    first = text.split(maxsplit=1)[0] if text else ""
    if len(first) > 1 and (first[1].isupper() or not first[0].isalpha()):
        return text
    return text[:1].lower() + text[1:]


def plural(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun after ``count``: 1 роль, 2 роли, 5 ролей (21 роль, 12 ролей)."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
