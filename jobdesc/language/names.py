"""People's names: the gender a full name «Фамилия Имя Отчество» shows, for words agreed with it,
and the surname in the dative.

What pymorphy3 said of a name is kept in the cache on disk (kind ``names``), as the analyses of
titles are: a command that prints a name it has seen before does not load the dictionaries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

from jobdesc.disk import cache
from jobdesc.language.ru import NBSP
from jobdesc.language.titles import _keep_case, _morph, dictionary_key  # one pymorphy3 analyser for the package

_PATRONYMIC_ENDINGS = (("оглы", "m"), ("улы", "m"), ("кызы", "f"), ("гызы", "f"))
_MODULES = ("language/names", "language/titles", "language/ru")  # the code that computes what is kept


def person_gender(full_name: str) -> str | None:
    """``m`` or ``f`` from a full name: the patronymic, else the first name, as pymorphy3 reads
    them (its ``Patr`` and ``Name`` tags); ``None`` when the name does not tell («Саша», a foreign name)."""
    return _remembered("gender", full_name)


def surname_initials_dative(full_name: str) -> str:
    """«Лебедева Ирина Сергеевна» → «Лебедевой И.С.» (to whom an order gives a task): the surname in
    the dative by the person's gender, a non-breaking space before the initials. A surname the
    dictionary does not know as one (or that does not decline: «Белых») stays as written."""
    if len(full_name.split()) < 2:
        return full_name
    return str(_remembered("dative", full_name))


@lru_cache(maxsize=1024)
def _remembered(what: str, full_name: str) -> str | None:
    """``_COMPUTED[what](full_name)``, from the cache on disk when it was computed before; an entry
    that is not one this function wrote for this name is computed and written anew."""
    name = dictionary_key(_MODULES, what, full_name)
    stored = cache.load("names", name)
    if stored is not None:
        try:
            data = json.loads(stored)
            value = data["value"]
            if (data["what"], data["name"]) == (what, full_name) and (
                value in ("m", "f", None) if what == "gender" else isinstance(value, str)
            ):
                return value
        except (ValueError, KeyError, TypeError):
            pass  # a damaged entry
    value = _COMPUTED[what](full_name)
    entry = {"what": what, "name": full_name, "value": value}
    cache.store("names", name, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    return value


def _gender(full_name: str) -> str | None:
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


def _dative(full_name: str) -> str:
    surname, *given = full_name.split()
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


_COMPUTED: dict[str, Callable[[str], str | None]] = {"gender": _gender, "dative": _dative}
