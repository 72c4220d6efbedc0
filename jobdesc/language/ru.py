"""Russian language helpers: dates in words, initials, lower-casing; job titles are in :mod:`jobdesc.language.titles`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

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


def surname_initials_dative(full_name: str) -> str:
    """«Лебедева Ирина Сергеевна» → «Лебедевой И.С.» (to whom an order gives a task): the surname in
    the dative by the gender the patronymic shows, a non-breaking space before the initials. A
    surname the dictionary does not know as one (or that does not decline: «Белых») stays as written."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    surname, *given = parts
    female = given[-1].endswith(("вна", "чна", "кызы")) if len(given) > 1 else False
    gender = "femn" if female else "masc"
    found = None
    for parse in _morph().parse(surname):
        if (
            "Surn" in parse.tag
            and "nomn" in parse.tag
            and (parse.tag.gender in (gender, "ms-f") or "Fixd" in parse.tag)
        ):
            found = parse.inflect({"datv", gender} if parse.tag.gender == gender else {"datv"})
            break
    dative = _keep_case(surname, found.word) if found is not None else surname
    return dative + NBSP + "".join(f"{name[0]}." for name in given)


@lru_cache(maxsize=1)
def _morph():  # noqa: ANN202 - pymorphy3 is imported only when a title is inflected
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def inflect(title: str, case: str) -> str:
    """A job title in a case («gent», «datv», … or «родительный», …), capitals kept (see :mod:`jobdesc.language.titles`)."""
    from jobdesc.language.titles import inflect as inflect_title

    return inflect_title(title, case)


def gender_of(title: str) -> str:
    """``m`` or ``f``: the gender of a job title's head word (see :mod:`jobdesc.language.titles`)."""
    from jobdesc.language.titles import gender_of as title_gender

    return title_gender(title)


def genitive_title(title: str) -> str:
    """The title in the genitive, first letter lower-cased for use inside a sentence.

    «Старший менеджер по продажам» → «старшего менеджера по продажам»; «HR-менеджер» keeps its
    capitals. See :func:`jobdesc.language.titles.inflect` for the rules.
    """
    from jobdesc.language.titles import inflect

    return lower_first(inflect(title, "gent"))


def _keep_case(original: str, inflected: str) -> str:
    """Put the original's capitals back on pymorphy's lower-cased form."""
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(inflected))


def lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is an abbreviation («HR-менеджер»)."""
    first = text.split(maxsplit=1)[0] if text else ""
    if len(first) > 1 and (first[1].isupper() or not first[0].isalpha()):
        return text
    return text[:1].lower() + text[1:]
