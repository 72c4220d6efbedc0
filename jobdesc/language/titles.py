"""Job titles in the cases and the gender the documents need, with a note wherever unsure.

pymorphy3 inflects single words; the rules that pick which words of a title change are here:

- a title is one or more *phrases* («Главный бухгалтер — начальник бухгалтерии», «Санитар
  (уборщица)», «… и …»); a new phrase starts after a dash, an opening bracket or «и» when what
  follows is itself a title (headed by a person: an animate noun or a substantivised adjective);
- in a phrase, the agreeing adjectives and participles before the head, the head, and the agreeing
  adjectives after it change («врач-терапевт участковый» → «врача-терапевта участкового»); the
  dependent words after them never do («заведующий складом» → «заведующего складом»);
- a head may be a substantivised adjective or participle («заведующий», «дежурный», «горничная»);
- in a hyphenated head each part that names a person changes («инженер-программист» →
  «инженера-программиста»); other first parts stay («HR-менеджер», «бизнес-аналитик»), and so do
  «шеф-», «вице-», «экс-», «генерал-», «обер-», «штаб-»;
- indeclinable words («портье») and words in Latin letters stay as they are; capitals are kept.

Where the dictionary does not know a word, reads it in two ways, or finds no head, the forms are
still computed and :attr:`TitleForms.doubts` says why they need a look.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from jobdesc.disk import cache
from jobdesc.language.ru import lower_first


@lru_cache(maxsize=1)
def _morph():  # noqa: ANN202 - pymorphy3.MorphAnalyzer
    import pymorphy3  # lazy: pymorphy3 and its dictionaries cost about 150 ms at start

    return pymorphy3.MorphAnalyzer()


CASES = {
    "nomn": "nomn",
    "gent": "gent",
    "datv": "datv",
    "accs": "accs",
    "ablt": "ablt",
    "loct": "loct",
    "именительный": "nomn",
    "родительный": "gent",
    "дательный": "datv",
    "винительный": "accs",
    "творительный": "ablt",
    "предложный": "loct",
}
CASE_NAMES = {
    "nomn": "именительный",
    "gent": "родительный",
    "datv": "дательный",
    "accs": "винительный",
    "ablt": "творительный",
    "loct": "предложный",
}
PLURAL = "plur"  # the nominative plural («менеджеры по работе …»): who a head's subordinates are
OVERRIDE_FIELDS = {"gent": "title_genitive", "datv": "title_dative", "ablt": "title_instrumental"}
INVARIABLE_PREFIXES = {"шеф", "вице", "экс", "генерал", "обер", "унтер", "штаб", "лейб", "и.о", "врио"}
_MODIFIERS = {"ADJF", "PRTF"}
_GENDERS = {"masc": "m", "femn": "f"}
_DASHES = {"—", "–", "-"}
_FUNCTION_WORDS = {"PREP", "CONJ", "PRCL", "INTJ", "NPRO"}
_TOKEN = re.compile(r"\S+|\s+")
_AFFIXES = re.compile(r"^([(«\"„“]*)(.*?)([)»\"“”,.;:]*)$", re.S)


@dataclass(frozen=True)
class TitleForms:
    """Every form of a title: the cases (lower-cased first letter except the nominative), the
    gender (``m`` or ``f``) and the doubts (empty when every word was read one way)."""

    nominative: str
    genitive: str
    dative: str
    accusative: str
    instrumental: str
    prepositional: str
    gender: str
    plural: str = ""  # the nominative plural, lower-cased first letter: «менеджеры по работе …»
    doubts: tuple[str, ...] = ()
    uncertain: frozenset[str] = field(default_factory=frozenset)  # cases (and "gender") to confirm

    def case(self, name: str) -> str:
        """The form in a case named by its pymorphy code («datv») or in Russian («дательный»)."""
        code = _case_code(name)
        return {
            "nomn": self.nominative,
            "gent": self.genitive,
            "datv": self.dative,
            "accs": self.accusative,
            "ablt": self.instrumental,
            "loct": self.prepositional,
        }[code]


def inflect(title: str, case: str) -> str:
    """``title`` in ``case`` («gent», «datv», «ablt», … or «родительный», …), capitals kept.

    «Заведующий складом», «datv» → «Заведующему складом».
    """
    return _analyse(title.strip()).forms[_case_code(case)]


def gender_of(title: str) -> str:
    """``m`` or ``f``: the grammatical gender of the title's head («Главная медицинская сестра» → ``f``).

    Text after a comma is not looked at («работник, назначенный приказом» → ``m``).
    """
    return _analyse(title.split(",")[0].strip()).gender


def title_forms(title: str, overrides: dict[str, str] | None = None, gender: str | None = None) -> TitleForms:
    """All forms of ``title``; ``overrides`` maps cases («gent») to forms written by hand and
    ``gender`` overrides the computed one. Doubts are kept only for what is still computed."""
    overrides = overrides or {}
    analysis = _analyse(title.strip())
    forms = {code: text if code == "nomn" else lower_first(text) for code, text in analysis.forms.items()}
    forms.update({_case_code(code): text for code, text in overrides.items() if text})
    uncertain = {code for code in analysis.uncertain if code not in overrides}
    if gender:
        uncertain.discard("gender")
    doubts = analysis.doubts if uncertain else ()
    return TitleForms(
        nominative=title.strip(),
        genitive=forms["gent"],
        dative=forms["datv"],
        accusative=forms["accs"],
        instrumental=forms["ablt"],
        prepositional=forms["loct"],
        plural=forms.get(PLURAL, forms["nomn"]),
        gender=gender or analysis.gender,
        doubts=doubts,
        uncertain=frozenset(uncertain),
    )


def forms_report(title: str, given: dict[str, str]) -> str:
    """What ``jobdesc forms`` prints: every case and the gender, each marked as written in the
    role («из роли»), computed, or computed with a doubt («проверьте»); then the doubts."""
    overrides = {case: given[name] for case, name in OVERRIDE_FIELDS.items() if name in given}
    forms = title_forms(title, overrides, given.get("gender"))
    lines = []
    for case, name in CASE_NAMES.items():
        field = OVERRIDE_FIELDS.get(case)
        mark = " (из роли)" if case in overrides else " (проверьте)" if case in forms.uncertain else ""
        hint = f"  [{field}]" if field else ""
        lines.append(f"{name.capitalize() + ':':<14} {forms.case(case)}{mark}{hint}")
    gender = "женский (должна знать)" if forms.gender == "f" else "мужской (должен знать)"
    mark = " (из роли)" if "gender" in given else " (проверьте)" if "gender" in forms.uncertain else ""
    lines.append(f"{'Род:':<14} {gender}{mark}  [gender: {forms.gender}]")
    lines.extend(f"Внимание: {doubt}" for doubt in forms.doubts)
    return "\n".join(lines)


def _case_code(name: str) -> str:
    try:
        return CASES[name.lower()]
    except KeyError:
        raise ValueError(f"неизвестный падеж «{name}»; допустимо: {', '.join(CASES)}") from None


# --- analysis ---------------------------------------------------------------------------------


@dataclass
class _Analysis:
    forms: dict[str, str]
    gender: str
    doubts: tuple[str, ...]
    uncertain: set[str]


@dataclass
class _Word:
    """One word of the title: the text around it is kept, its core may change."""

    prefix: str
    core: str
    suffix: str

    @property
    def opens_bracket(self) -> bool:
        return "(" in self.prefix

    @property
    def is_dash(self) -> bool:
        return not self.prefix and not self.suffix and self.core in _DASHES


@dataclass
class _Nominal:
    """How a word reads as a nominative singular: noun or modifier, its gender, its parses."""

    kind: str  # "noun" | "modifier"
    gender: str | None
    animate: bool
    substantive: bool  # a modifier that can stand as a noun (Subx) or a noun
    parses: list
    known: bool


def dictionary_key(modules: tuple[str, ...], *parts: str) -> str:
    """The name of a cache entry computed with pymorphy3 from ``parts`` by jobdesc's ``modules``
    (``"language/titles"``): it changes with pymorphy3, its dictionaries and that code."""
    custom = os.environ.get("PYMORPHY2_DICT_PATH")  # pymorphy3's dictionaries from elsewhere
    return cache.key(
        *parts,
        cache.package_stamp("pymorphy3", "version.py"),
        cache.file_stamp(f"{custom}/meta.json")
        if custom
        else cache.package_stamp("pymorphy3_dicts_ru", "data/meta.json"),
        cache.source_digest(*modules),
    )


@lru_cache(maxsize=512)
def _analyse(title: str) -> _Analysis:
    """The analysis of ``title``, from the cache on disk when pymorphy3 has made it before (loading
    its dictionaries costs more than a cold ``check`` of a project otherwise)."""
    name = dictionary_key(("language/titles", "language/ru"), title)
    stored = cache.load("titles", name)
    if stored is not None:
        try:
            data = json.loads(stored)
            return _Analysis(data["forms"], data["gender"], tuple(data["doubts"]), set(data["uncertain"]))
        except (ValueError, KeyError, TypeError):
            pass  # a damaged entry: computed and written anew
    analysis = _compute_analysis(title)
    data = {**vars(analysis), "uncertain": sorted(analysis.uncertain)}
    cache.store("titles", name, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return analysis


def _compute_analysis(title: str) -> _Analysis:
    tokens = _TOKEN.findall(title)
    words: dict[int, _Word] = {}
    for index, token in enumerate(tokens):
        if not token.isspace():
            affixes = _AFFIXES.match(token)
            assert affixes is not None  # every part of the pattern may be empty
            prefix, core, suffix = affixes.groups()
            words[index] = _Word(prefix, core, suffix)
    order = sorted(words)
    plans: dict[int, tuple[str, str | None, bool]] = {}  # token index → (role, gender, animate)
    doubts: list[str] = []
    uncertain: set[str] = set()
    title_gender: str | None = None
    position = 0
    first = True
    while position < len(order):
        word = words[order[position]]
        rest = [words[i] for i in order[position:]]
        if word.is_dash or (word.core.lower() == "и" and not word.prefix and not word.suffix):
            position += 1
            if position < len(order) and not first and _looks_like_title(rest[1:]):
                pass
            else:
                if word.is_dash:
                    doubts.append(f"после «{word.core}» не найдено наименование должности: слова оставлены как есть")
                    uncertain.update(c for c in CASES.values() if c != "nomn")
                continue
        elif not first and not (word.opens_bracket and _looks_like_title(rest)):
            position += 1
            continue
        end, gender, phrase_doubts = _plan_phrase(order, words, position, plans)
        doubts.extend(phrase_doubts)
        if phrase_doubts:
            uncertain.update(c for c in CASES.values() if c != "nomn")
        if first:
            title_gender, gender_doubt = gender
            if gender_doubt:
                doubts.append(gender_doubt)
        first = False
        position = max(end, position + 1)
    forms = {}
    for case in (*CASE_NAMES, PLURAL):
        out = list(tokens)
        for index, (role, agreement, person) in plans.items():
            word = words[index]
            out[index] = word.prefix + _inflect_word(word.core, role, agreement, person, case) + word.suffix
        forms[case] = "".join(out)
    if title_gender in ("?", None):
        uncertain.add("gender")
    return _Analysis(forms, "f" if title_gender == "f" else "m", tuple(dict.fromkeys(doubts)), uncertain)


def _plan_phrase(
    order: list[int], words: dict[int, _Word], start: int, plans: dict
) -> tuple[int, tuple[str | None, str], list[str]]:
    """Mark the words of the phrase at ``start`` that change; return where it ends, its gender
    (``m``, ``f``, ``?`` or ``None`` without a head, with a doubt about it) and the other doubts."""
    doubts: list[str] = []
    modifiers: list[int] = []
    position = start
    while position < len(order):
        word = words[order[position]]
        reading = _nominal(word.core)
        if reading is None:
            break
        follower = _following(order, words, position)
        agrees = follower is not None and reading.kind == "modifier" and _agrees(reading, follower)
        if agrees and not word.suffix.strip(")"):
            modifiers.append(order[position])
            position += 1
            continue
        # the head
        gender = reading.gender
        animate = reading.animate or reading.kind == "modifier"
        role = "noun" if reading.kind == "noun" else "modifier-head"
        plans[order[position]] = (role, gender, animate)
        doubts.extend(_word_doubts(word.core))
        for index in modifiers:
            plans[index] = ("modifier", gender, animate)
        position += 1
        # agreeing adjectives after the head, brackets included («палатная (постовая)»)
        while position < len(order):
            after = words[order[position]]
            if after.is_dash:
                break
            tail = _nominal(after.core)
            if (
                tail is None
                or tail.kind != "modifier"
                or not _agrees(tail, reading)
                or _has_noun_after(order, words, position)
            ):
                break
            plans[order[position]] = ("modifier", gender, animate)
            position += 1
        shown = _GENDERS.get(gender or "", "?")
        both = f"«{word.core}» бывает и мужского, и женского рода" if gender == "ms-f" else ""
        return position, (shown, both), doubts
    if position < len(order):
        core = words[order[position]].core
        doubts.append(f"не удалось определить главное слово наименования (на слове «{core}»): формы не изменены")
    else:
        doubts.append("не удалось определить главное слово наименования: формы не изменены")
    for index in modifiers:
        plans.pop(index, None)
    return position, (None, ""), doubts


def _following(order: list[int], words: dict[int, _Word], position: int) -> _Nominal | None:
    if position + 1 >= len(order):
        return None
    nxt = words[order[position + 1]]
    if nxt.is_dash or nxt.opens_bracket:
        return None
    return _nominal(nxt.core)


def _has_noun_after(order: list[int], words: dict[int, _Word], position: int) -> bool:
    """An adjective after the head that itself qualifies a following noun («… главный врач»)."""
    follower = _following(order, words, position)
    return follower is not None and follower.kind == "noun"


def _agrees(modifier: _Nominal, other: _Nominal) -> bool:
    return other.gender is None or modifier.gender is None or other.gender == "ms-f" or modifier.gender == other.gender


def _looks_like_title(rest: list[_Word]) -> bool:
    """Whether the words start a title of their own: modifiers, then a person as head."""
    for index, word in enumerate(rest):
        reading = _nominal(word.core)
        if reading is None:
            return False
        nxt = _nominal(rest[index + 1].core) if index + 1 < len(rest) and not rest[index + 1].is_dash else None
        if reading.kind == "modifier" and nxt is not None and _agrees(reading, nxt) and not word.suffix:
            continue
        return reading.animate or reading.substantive
    return False


@lru_cache(maxsize=2048)
def _nominal(core: str) -> _Nominal | None:
    """The word as a nominative singular noun or modifier; ``None`` when it cannot be one."""
    if not core or not re.search(r"[А-Яа-яЁё]", core):
        return None
    lowered = core.lower()
    if "-" in lowered.strip("-"):
        whole = _whole_compound(lowered)
        if whole is None:
            parts = lowered.split("-")
            head = _nominal(parts[-1])
            if head is None or head.kind != "noun":
                return None
            first_inflects = [p for p in parts[:-1] if _part_inflects(p)]
            first = _nominal(first_inflects[0]) if first_inflects else None  # it inflects: a noun
            gender = first.gender if first is not None else head.gender
            animate = head.animate or bool(first_inflects)
            return _Nominal("noun", gender, animate, True, head.parses, head.known)
        lowered_parses = whole
    else:
        parses = _morph().parse(lowered)
        if any(p.tag.POS in _FUNCTION_WORDS for p in parses):
            return None
        lowered_parses = [p for p in parses if _is_nominative(p) and ("Abbr" not in p.tag or core.isupper())]
    nouns = [p for p in lowered_parses if p.tag.POS == "NOUN"]
    modifiers = [p for p in lowered_parses if p.tag.POS in _MODIFIERS and not ("Fixd" in p.tag and nouns)]
    if modifiers:
        p = modifiers[0]
        return _Nominal(
            "modifier",
            _gender(p),
            any("anim" in n.tag for n in nouns),
            "Subx" in p.tag or bool(nouns),
            modifiers,
            p.is_known,
        )
    if nouns:
        persons = [p for p in nouns if "anim" in p.tag]
        chosen = persons or nouns
        return _Nominal("noun", _gender(chosen[0]), bool(persons), True, chosen, chosen[0].is_known)
    return None


def _gender(parse) -> str | None:  # noqa: ANN001
    if "ms-f" in parse.tag:
        return "ms-f"
    return str(parse.tag.gender) if parse.tag.gender else None


def _is_nominative(parse) -> bool:  # noqa: ANN001
    return "nomn" in parse.tag and ("sing" in parse.tag or "Fixd" in parse.tag and "plur" not in parse.tag)


def _whole_compound(lowered: str) -> list | None:
    """Parses of a hyphenated word the dictionary knows as one word («шеф-повар», «вице-президент»)."""
    parses = [
        p
        for p in _morph().parse(lowered)
        if _is_nominative(p) and p.is_known and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
    ]
    return parses or None


def _part_inflects(part: str) -> bool:
    """A first part of a hyphenated title that changes: a person («инженер», «врач», «сестра»)."""
    if part in INVARIABLE_PREFIXES:
        return False
    reading = _nominal(part)
    return reading is not None and reading.kind == "noun" and reading.animate and reading.known


@lru_cache(maxsize=2048)  # titles share words: a batch of unique titles looks each word up once
def _word_doubts(core: str) -> tuple[str, ...]:
    """What is doubtful about a head word (its reading is :func:`_nominal`)."""
    reading = _nominal(core)
    assert reading is not None  # a head word is one that reads as a nominative
    doubts = []
    parts = core.split("-") if _whole_compound(core.lower()) is None else [core]
    for part in parts:
        if not re.search(r"[А-Яа-яЁё]", part):
            continue
        parses = [p for p in _morph().parse(part.lower()) if _is_nominative(p)]
        if parses and not any(p.is_known for p in parses):
            doubts.append(f"слова «{part}» нет в словаре: форма угадана по окончанию")
    if not re.search(r"[А-Яа-яЁё]", core.split("-")[-1]):
        doubts.append(f"«{core}» написано латиницей и не склоняется")
    heads = {p.inflect({"gent"}).word for p in reading.parses if p.inflect({"gent"}) is not None}
    if len(heads) > 1:
        doubts.append(f"«{core}» склоняется по-разному ({', '.join(sorted(heads))})")
    return tuple(doubts)


@lru_cache(maxsize=8192)  # titles share words: a batch of unique titles inflects each word once
def _inflect_word(core: str, role: str, gender: str | None, animate: bool, case: str) -> str:
    """One word of the title in ``case``: ``role`` is "noun", "modifier" or "modifier-head"."""
    if case == "nomn":
        return core
    plural = case == PLURAL
    lowered = core.lower()
    if "-" in lowered.strip("-") and _whole_compound(lowered) is None:
        parts = core.split("-")
        changed = [
            _inflect_single(part, "noun", case) if index == len(parts) - 1 or _part_inflects(part.lower()) else part
            for index, part in enumerate(parts)
        ]
        return "-".join(changed)
    if role == "noun":
        return _inflect_single(core, "noun", case)
    grammemes = {"nomn", "plur"} if plural else {case, "sing"}
    if plural:
        pass
    elif gender in ("masc", "femn", "neut"):
        grammemes.add(gender)
    elif gender == "ms-f":
        grammemes.add("masc")
    if case == "accs" and animate:
        grammemes.add("anim")
    reading = _nominal(core)
    if reading is None:
        return core
    for parse in reading.parses:
        result = parse.inflect(grammemes) or (None if plural else parse.inflect({case, "sing"}))
        if result is not None:
            return _keep_case(core, result.word)
    return core


def _inflect_single(core: str, role: str, case: str) -> str:
    if not re.search(r"[А-Яа-яЁё]", core):
        return core
    reading = _nominal(core)
    if reading is None:
        return core
    parse = reading.parses[0]
    if "Fixd" in parse.tag:
        return core
    if case == PLURAL:
        plural = parse.inflect({"nomn", "plur"})
        return core if plural is None else _keep_case(core, plural.word)
    if case == "accs" and reading.gender == "masc":
        case = "gent"  # a person: the accusative of a masculine noun is its genitive
    grammemes = {case, "sing"}
    if case == "accs" and reading.animate:
        grammemes.add("anim")
    result = parse.inflect(grammemes) or parse.inflect({case})
    return core if result is None else _keep_case(core, result.word)


def _keep_case(original: str, inflected: str) -> str:
    """Put the original's capitals back on pymorphy's lower-cased form (and «е» for «ё» unless written)."""
    if "ё" not in original.lower():
        inflected = inflected.replace("ё", "е")
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(inflected))


def genitive_title(title: str) -> str:
    """The title in the genitive, first letter lower-cased for use inside a sentence.

    «Старший менеджер по продажам» → «старшего менеджера по продажам»; «HR-менеджер» keeps its
    capitals. See :func:`inflect` for the rules.
    """
    return lower_first(inflect(title, "gent"))
