"""The words that name a kind of document in other documents: «должностную инструкцию», «Положение», «УТВЕРЖДЕНО».

A table of Russian words, below the model (:mod:`jobdesc.project.model` names a regulation with them)
and the kinds (:mod:`jobdesc.project.kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """The words naming a kind of document, before whose or what it is («должностную инструкцию» + «менеджера …»)."""

    nominative: str
    genitive: str
    accusative: str
    instrumental: str
    plural_accusative: str
    plural_genitive: str
    replaced: str  # «утратившей силу»: agrees with the document in a «признать … утратившей силу»
    approved: str  # the approval stamp: «УТВЕРЖДЕНА», «УТВЕРЖДЕНО»
    approved_accusative: str  # «(признать …) утвержденную приказом», «утвержденное …»


JOB_DESCRIPTION = Words(
    "должностная инструкция",
    "должностной инструкции",
    "должностную инструкцию",
    "должностной инструкцией",
    "должностные инструкции",
    "должностных инструкций",
    "утратившей силу",
    "УТВЕРЖДЕНА",
    "утвержденную",
)

POLICY_TYPES = {  # the type of a local regulation → its words (the name of the document starts with it)
    "положение": Words(
        "Положение",
        "Положения",
        "Положение",
        "Положением",
        "Положения",
        "Положений",
        "утратившим силу",
        "УТВЕРЖДЕНО",
        "утвержденное",
    ),
    "регламент": Words(
        "Регламент",
        "Регламента",
        "Регламент",
        "Регламентом",
        "Регламенты",
        "Регламентов",
        "утратившим силу",
        "УТВЕРЖДЕН",
        "утвержденный",
    ),
    "порядок": Words(
        "Порядок",
        "Порядка",
        "Порядок",
        "Порядком",
        "Порядки",
        "Порядков",
        "утратившим силу",
        "УТВЕРЖДЕН",
        "утвержденный",
    ),
    "правила": Words(
        "Правила",
        "Правил",
        "Правила",
        "Правилами",
        "Правила",
        "Правил",
        "утратившими силу",
        "УТВЕРЖДЕНЫ",
        "утвержденные",
    ),
    "инструкция": Words(
        "Инструкция",
        "Инструкции",
        "Инструкцию",
        "Инструкцией",
        "Инструкции",
        "Инструкций",
        "утратившей силу",
        "УТВЕРЖДЕНА",
        "утвержденную",
    ),
    "политика": Words(
        "Политика",
        "Политики",
        "Политику",
        "Политикой",
        "Политики",
        "Политик",
        "утратившей силу",
        "УТВЕРЖДЕНА",
        "утвержденную",
    ),
}


@dataclass(frozen=True)
class Agreement:
    """Words that agree with a kind of document in a sentence about it: «Настоящее Положение
    утверждается … и вводится в действие с даты его утверждения»."""

    this: str  # «Настоящее», «Настоящий», «Настоящая», «Настоящие»
    approved: str  # «утверждается», «утверждаются»
    enters: str  # «вводится», «вводятся»
    its: str  # «его», «ее», «их»


AGREEMENTS = {  # by the approval stamp, which already agrees with the kind
    "УТВЕРЖДЕНО": Agreement("Настоящее", "утверждается", "вводится", "его"),
    "УТВЕРЖДЕН": Agreement("Настоящий", "утверждается", "вводится", "его"),
    "УТВЕРЖДЕНА": Agreement("Настоящая", "утверждается", "вводится", "ее"),
    "УТВЕРЖДЕНЫ": Agreement("Настоящие", "утверждаются", "вводятся", "их"),
}


def agreement_of(words: Words) -> Agreement:
    """The words agreeing with a kind of document («Настоящее … утверждается …»)."""
    return AGREEMENTS[words.approved]


def dative_words(words: Words) -> str:
    """«должностной инструкции», «Положению»: to whom a number is given."""
    return DATIVE.get(words.nominative, words.genitive)


DATIVE = {
    "Положение": "Положению",
    "Регламент": "Регламенту",
    "Порядок": "Порядку",
    "Правила": "Правилам",
    "Политика": "Политике",
}
