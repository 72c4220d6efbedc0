"""The data of a project: organisation, approver and the resolved documents (roles, policies)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Generic, TypeVar, Union

from jobdesc.project.words import POLICY_TYPES

T = TypeVar("T")
CATEGORY_GENITIVE = {
    "managers": "руководителей",
    "specialists": "специалистов",
    "technical": "технических исполнителей",
}
CLAUSE_LISTS = (  # a role's lists of clauses, in the order the job description prints them
    "knowledge",
    "guiding_documents",
    "skills",
    "personal_qualities",
    "duties",
    "rights",
    "responsibility",
    "relationships",
    "performance_criteria",
    "working_conditions",
    "final_provisions",
)


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
class Visa:
    """Who endorses a document before it is approved («СОГЛАСОВАНО»): a position, a name if known."""

    position: str
    name: str | None = None


FIRST, CHANGES, NEW_EDITION = "first", "changes", "new-edition"  # how an edition is approved (``document.amendments``)


@dataclass(frozen=True)
class PerKind(Generic[T]):
    """A setting of ``jobdesc.yaml`` given for each kind of document: the job descriptions'
    (``instructions``) and the regulations' (``policies``)."""

    instructions: T
    policies: T

    def of(self, kind_name: str) -> T:
        """The setting of a kind (``role`` or ``policy``)."""
        return self.policies if kind_name == "policy" else self.instructions


@dataclass(frozen=True)
class ApprovalModels(PerKind[str | None]):
    """How each kind of document is approved (``document.approval``): ``order`` or ``stamp``; ``None``, no rule."""

    instructions: str | None = None
    policies: str | None = None


@dataclass(frozen=True)
class AmendmentForms(PerKind[str]):
    """What an order approves when a document of each kind changes (``document.amendments``):
    ``changes`` («Изменения № N», the full text a reference copy) or ``new-edition`` (the whole
    new edition, replacing the previous one). One word in ``jobdesc.yaml`` sets both kinds.
    Each edition records the form it was approved in (:attr:`jobdesc.editions.store.Edition.form`):
    the setting is the form of the next approval, and of the editions approved before forms were recorded."""

    instructions: str = CHANGES
    policies: str = CHANGES

    @classmethod
    def from_setting(cls, setting: str | dict) -> AmendmentForms:
        """From ``amendments: changes`` (every kind) or ``amendments: {policies: new-edition}``."""
        return cls(setting, setting) if isinstance(setting, str) else cls(**setting)


@dataclass(frozen=True)
class DocumentSettings:
    """How documents are laid out, from ``jobdesc.yaml`` ``document:``."""

    copies: int = 2
    acknowledgment_rows: int = 10
    drafted_by: Person | None = None
    amendments: AmendmentForms = field(default_factory=AmendmentForms)
    approval: ApprovalModels = field(default_factory=ApprovalModels)
    visas: tuple[Visa, ...] | None = None  # None: the default visas (head of the unit, lawyer); (): none
    classifier_codes: str = "none"  # where a role's ОКЗ/ОКПДТР codes print: "none" or "general" (clause 1.1)


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
        if "amendments" in document:
            document["amendments"] = AmendmentForms.from_setting(document["amendments"])
        if "approval" in document:
            document["approval"] = ApprovalModels(**document["approval"])
        if "visas" in document:
            document["visas"] = tuple(Visa(**visa) for visa in document["visas"] or ())
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
class Trace:
    """A clause of a role and the ТФ codes of a профстандарт it came from (its ``source:``)."""

    where: str  # «duties», «knowledge», «skills» …
    text: str
    sources: tuple[str, ...]


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
    staff_names: tuple[str, ...] = field(default=(), compare=False)  # the staff export's names; not text
    okz: str | None = None  # ОК 010-2014 code
    okpdtr: str | None = None  # ОК 016-2025 code
    profstandard: dict | None = field(default=None, compare=False, hash=False, repr=False)  # the standard it follows
    traces: tuple[Trace, ...] = field(default=(), compare=False, hash=False, repr=False)  # clauses with a source
    links: dict = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )  # ids named: department, reports_to

    kind_name = "role"

    @cached_property
    def forms(self):  # noqa: ANN201 - jobdesc.language.titles.TitleForms, imported late (pymorphy3 is slow to load)
        """Every form of the title (cases, gender); the role's own ``title_*`` and ``gender`` win."""
        # lazy: jobdesc.language.titles and what it imports (8 modules) load only for the commands that get here
        from jobdesc.language.titles import title_forms

        overrides = {"gent": self.title_genitive, "datv": self.title_dative, "ablt": self.title_instrumental}
        return title_forms(self.title, {k: v for k, v in overrides.items() if v}, self.gender)

    @property
    def category_genitive(self) -> str:
        """«специалистов», «руководителей»: for «относится к категории …»."""
        return CATEGORY_GENITIVE[self.category]

    @classmethod
    def from_dict(cls, role_id: str, data: dict, title_genitive: str) -> Role:
        """Build from validated, resolved YAML data."""
        data, traces = untraced(data)
        values: dict[str, Any] = {name: _freeze(value) for name, value in data.items() if name != "title_genitive"}
        values["traces"] = traces
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
            if spec.name in ("id", "links", "staff_names", "profstandard", "traces") or value in (None, ()):  # not text
                continue
            result[spec.name] = _thaw(value)
        return result

    @property
    def subject(self) -> str:
        """Whose document, after the kind's words: «менеджера по работе с ключевыми клиентами»."""
        return self.title_genitive

    @property
    def unit(self) -> str:
        """The structural unit named in the document's properties."""
        return self.department


@dataclass(frozen=True)
class SubClauses:
    """A clause of a policy with sub-clauses: a lead-in and its items (1.2, 1.2.1 …)."""

    text: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of a policy section (not numbered): column headings and rows of cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TableClause:
    """A table placed among the clauses of a section."""

    table: Table


PolicyClause = Union[str, SubClauses, TableClause]


@dataclass(frozen=True)
class Section:
    """A numbered section of a policy; ``positions``: the unit's positions are printed in it;
    ``entry``: its first clause says how the document is approved and comes into force."""

    title: str
    clauses: tuple[PolicyClause, ...] = ()
    positions: bool = False
    entry: str | None = None  # the clause on approval and entry into force, by this model: order, stamp


@dataclass(frozen=True)
class Position:
    """A position of a unit, computed from the roles whose ``department`` names the unit's regulation."""

    id: str
    title: str
    reports_to: str  # in the dative
    head: bool = False


@dataclass(frozen=True)
class Policy:
    """A local regulation (``policies/<id>.yaml``): «Положение об отделе …», a regulation, rules …"""

    id: str
    title: str
    type: str  # «положение», «регламент», «порядок», «правила», «инструкция», «политика»
    sections: tuple[Section, ...]
    number: str | None = None
    unit: str | None = None
    head: str | None = None  # the role id heading the unit
    positions: tuple[Position, ...] = ()  # computed: stored in an edition as approved
    links: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    kind_name = "policy"

    @classmethod
    def from_dict(cls, policy_id: str, data: dict) -> Policy:
        """Build from validated, resolved YAML data (or an edition's content)."""
        sections = tuple(
            Section(
                section["title"],
                tuple(_policy_clause(clause) for clause in section.get("clauses", ())),
                bool(section.get("positions", False)),
                section.get("entry"),
            )
            for section in data["sections"]
        )
        positions = tuple(Position(**position) for position in data.get("positions", ()))
        values = {key: data[key] for key in ("number", "unit", "head") if key in data}
        return cls(policy_id, data["title"], data["type"], sections, positions=positions, **values)

    def as_dict(self) -> dict:
        """Plain data in the policy-file shape, computed positions included (editions, fingerprints)."""
        result: dict = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name in ("id", "links") or value in (None, (), False):
                continue
            result[spec.name] = _thaw(value)
        return result

    @property
    def subject(self) -> str:
        """The title after its type word: «об отделе по работе с ключевыми клиентами»."""
        first, _, rest = self.title.partition(" ")
        return rest if first.casefold() == self.type.casefold() and rest else f"«{self.title}»"

    @property
    def title_genitive(self) -> str:
        """The whole name in the genitive: «Положения об отделе по работе с ключевыми клиентами»."""
        return f"{POLICY_TYPES[self.type].genitive} {self.subject}"

    @property
    def department(self) -> str:
        return self.unit or ""


def _policy_clause(item: object) -> PolicyClause:
    if isinstance(item, dict) and "table" in item:
        table = item["table"]
        return TableClause(Table(tuple(table["columns"]), tuple(tuple(row) for row in table["rows"])))
    if isinstance(item, dict):
        return SubClauses(item["text"], tuple(item["items"]))
    assert isinstance(item, str)
    return item


Document = Union[Role, Policy]


def untraced(data: dict) -> tuple[dict, tuple[Trace, ...]]:
    """The role data with every ``{text, source}`` clause reduced to its text, and the traces
    (a subsection's ``source`` holds for each of its items)."""
    result = dict(data)
    traces: list[Trace] = []

    def sources_of(item: dict) -> tuple[str, ...]:
        source = item.get("source", ())
        return (source,) if isinstance(source, str) else tuple(source)

    if isinstance(data.get("requirements"), dict) and isinstance(data["requirements"].get("other"), list | tuple):
        requirements = dict(data["requirements"])
        requirements["other"] = [item["text"] if isinstance(item, dict) else item for item in requirements["other"]]
        result["requirements"] = requirements
    for name, items in data.items():
        if not isinstance(items, list | tuple):
            continue
        plain: list = []
        for item in items:
            if isinstance(item, dict) and "text" in item:
                plain.append(item["text"])
                traces.append(Trace(name, item["text"], sources_of(item)))
            elif isinstance(item, dict) and "items" in item:
                plain.append({"title": item["title"], "items": list(item["items"])})
                traces.extend(Trace(name, text, sources_of(item)) for text in item["items"])
            else:
                plain.append(item)
                if isinstance(item, str):
                    traces.append(Trace(name, item, ()))
        result[name] = plain
    return result, tuple(traces)


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _thaw(value: object) -> object:
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    if isinstance(value, (Subsection, Appointment, Requirements, SubClauses, Table, TableClause, Section, Position)):
        return {
            spec.name: _thaw(getattr(value, spec.name))
            for spec in fields(value)
            if getattr(value, spec.name) not in (None, (), False)
        }
    return value
