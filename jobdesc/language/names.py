"""People's names: the gender a full name «Фамилия Имя Отчество» shows, for words agreed with it."""

from __future__ import annotations

from jobdesc.language.ru import NBSP
from jobdesc.language.titles import _keep_case, _morph  # one pymorphy3 analyser for the package

_PATRONYMIC_ENDINGS = (("оглы", "m"), ("улы", "m"), ("кызы", "f"), ("гызы", "f"))


def person_gender(full_name: str) -> str | None:
    """``m`` or ``f`` from a full name: the patronymic, else the first name, as pymorphy3 reads
    them (its ``Patr`` and ``Name`` tags); ``None`` when the name does not tell («Саша», a foreign name)."""
    words = full_name.lower().replace("ё", "е").split()[1:]
    for word in reversed(words):  # a Turkic patronymic: «Гасан оглы», «Гасан кызы»
        for ending, gender in _PATRONYMIC_ENDINGS:
            if word.endswith(ending):
                return gender
    for tag in ("Patr", "Name"):  # the patronymic first: it always tells
        for word in reversed(words):
            for parse in _morph().parse(word):
                if tag in parse.tag and "nomn" in parse.tag and parse.tag.gender in ("masc", "femn"):
                    return "m" if parse.tag.gender == "masc" else "f"
    return None


def for_person(full_name: str, masculine: str, feminine: str) -> str:
    """The word agreed with the person's gender: «ознакомлен» / «ознакомлена»; «ознакомлен(а)» when
    the name does not tell."""
    gender = person_gender(full_name)
    if gender is None:
        return f"{masculine}({feminine.removeprefix(masculine)})" if feminine.startswith(masculine) else masculine
    return masculine if gender == "m" else feminine


def surname_initials_dative(full_name: str) -> str:
    """«Лебедева Ирина Сергеевна» → «Лебедевой И.С.» (to whom an order gives a task): the surname in
    the dative by the person's gender, a non-breaking space before the initials. A surname the
    dictionary does not know as one (or that does not decline: «Белых») stays as written."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    surname, *given = parts
    gender = "femn" if person_gender(full_name) == "f" else "masc"
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
