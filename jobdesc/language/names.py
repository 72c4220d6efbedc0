"""People's names: the gender a full name «Фамилия Имя Отчество» shows, for words agreed with it."""

from __future__ import annotations

from jobdesc.language.titles import _morph  # one pymorphy3 analyser for the package

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
