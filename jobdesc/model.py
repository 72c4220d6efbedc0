"""The data of a project: organisation, approver and the resolved roles."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Union

CATEGORY_GENITIVE = {
    "managers": "руководителей",
    "specialists": "специалистов",
    "technical": "технических исполнителей",
}


@dataclass(frozen=True)
class Person:
    """Someone who signs: position and full name («Иванов Иван Иванович»)."""

    position: str
    name: str


@dataclass(frozen=True)
class Organisation:
    """The employer."""

    name: str
    short_name: str
    city: str


@dataclass(frozen=True)
class DocumentSettings:
    """How documents are laid out, from ``jobdesc.yaml`` ``document:``."""

    copies: int = 2
    acknowledgment_rows: int = 10
    drafted_by: Person | None = None
    amendments: str = "changes"  # what an order approves: "changes" («Изменения № N») or "new-edition"


@dataclass(frozen=True)
class Config:
    """The project configuration, ``jobdesc.yaml``."""

    organisation: Organisation
    approver: Person
    document: DocumentSettings = field(default_factory=DocumentSettings)

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """Build from validated YAML data."""
        document = dict(data.get("document", {}))
        if "drafted_by" in document:
            document["drafted_by"] = Person(**document["drafted_by"])
        return cls(
            organisation=Organisation(**data["organisation"]),
            approver=Person(**data["approver"]),
            document=DocumentSettings(**document),
        )


@dataclass(frozen=True)
class Subsection:
    """A group of duties under an introductory phrase (the article's «Фронт работ»)."""

    title: str
    items: tuple[str, ...]


Duty = Union[str, Subsection]


@dataclass(frozen=True)
class Appointment:
    """Who appoints and dismisses, and on whose proposal."""

    by: str
    on_proposal_of: str | None = None


@dataclass(frozen=True)
class Requirements:
    """Qualification requirements."""

    education: str
    experience: str | None = None
    languages: str | None = None
    other: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """One position, with shared clauses already in place (no trace of ``use: common``)."""

    id: str
    title: str
    title_genitive: str
    category: str
    department: str
    reports_to: str
    appointment: Appointment
    requirements: Requirements
    knowledge: tuple[str, ...]
    duties: tuple[Duty, ...]
    rights: tuple[str, ...]
    responsibility: tuple[str, ...]
    number: str | None = None
    subordinates: str | None = None
    substitute: str | None = None
    guiding_documents: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    personal_qualities: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    performance_criteria: tuple[str, ...] = ()
    working_conditions: tuple[str, ...] = ()
    final_provisions: tuple[str, ...] = ()
    title_dative: str | None = None
    title_instrumental: str | None = None
    gender: str | None = None  # «m» or «f» when the role file overrides the title's gender

    @cached_property
    def forms(self):  # noqa: ANN201 - jobdesc.titles.TitleForms, imported late (pymorphy3 is slow to load)
        """Every form of the title (cases, gender); the role's own ``title_*`` and ``gender`` win."""
        from jobdesc.titles import title_forms

        overrides = {"gent": self.title_genitive, "datv": self.title_dative, "ablt": self.title_instrumental}
        return title_forms(self.title, {k: v for k, v in overrides.items() if v}, self.gender)

    @property
    def category_genitive(self) -> str:
        """«специалистов», «руководителей»: for «относится к категории …»."""
        return CATEGORY_GENITIVE[self.category]

    @classmethod
    def from_dict(cls, role_id: str, data: dict, title_genitive: str) -> Role:
        """Build from validated, resolved YAML data."""
        values: dict[str, Any] = {name: _freeze(value) for name, value in data.items() if name != "title_genitive"}
        values["appointment"] = Appointment(**data["appointment"])
        requirements = dict(data["requirements"])
        requirements["other"] = tuple(requirements.get("other", ()))
        values["requirements"] = Requirements(**requirements)
        values["duties"] = tuple(
            Subsection(item["title"], tuple(item["items"])) if isinstance(item, dict) else item
            for item in data["duties"]
        )
        return cls(id=role_id, title_genitive=title_genitive, **values)

    def as_dict(self) -> dict:
        """Plain data in the role-file shape (for editions, JSON and canonical fingerprints)."""
        result: dict = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "id" or value in (None, ()):
                continue
            result[spec.name] = _thaw(value)
        return result


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _thaw(value: object) -> object:
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    if isinstance(value, (Subsection, Appointment, Requirements)):
        return {
            spec.name: _thaw(getattr(value, spec.name))
            for spec in fields(value)
            if getattr(value, spec.name) not in (None, ())
        }
    return value
