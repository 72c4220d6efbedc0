"""What the templates see besides the documents themselves: the approval block and the
registration sheet (view-models, filled by the application, read by the templates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the renderer imports nothing above it
    from jobdesc.editions.store import Edition, Order
    from jobdesc.project.model import Person

DRAFT_MARK = "ПРОЕКТ"
REFERENCE_MARK = "СПРАВОЧНЫЙ ТЕКСТ"  # on every page of a reference text, which nobody signs


@dataclass(frozen=True)
class Registration:
    """A row of the «Лист регистрации изменений»."""

    number: int
    clauses: str
    basis: str
    effective: dt.date


@dataclass(frozen=True)
class Annex:
    """A document approved as an appendix of an order: «Приложение № ``number`` к приказу от … № …»."""

    number: int
    order: Order


@dataclass(frozen=True)
class Approval:
    """What the approval block and the edition line show; empty fields print as blanks.

    ``purpose``: ``approved`` (an approved or draft document) or ``reference`` (the
    consolidated text of «Изменения № 1–N»: no approval block, no acknowledgment sheet).
    ``redline``: rendered for a redline (no copy mark, no acknowledgment sheet).
    ``replaces``: the edition an edition approved as a whole replaces (``new-edition``).
    """

    date: dt.date | None = None
    approver: Person | None = None
    order: Order | None = None
    edition: int | None = None
    effective: dt.date | None = None
    registrations: tuple[Registration, ...] = ()
    draft: bool = False
    purpose: str = "approved"
    replaces: Edition | None = None
    changed: dt.date | None = None  # a reference copy: when its last amendment was approved
    redline: bool = False
    annex: Annex | None = None  # approved by an order as its appendix («Приложение № N к приказу …»)

    @property
    def amendments(self) -> str:
        """A reference copy's «Изменения»: «1», «1–3» (every one since edition 1), «3» or «3–4»
        (those since an edition approved whole, which they amend), from its registration rows."""
        first = self.registrations[0].number if self.registrations else 1
        last = (self.edition or 2) - 1
        return str(last) if first >= last else f"{first}–{last}"

    @property
    def signed(self) -> bool:
        """A copy the employee signs: it has a copy mark and an acknowledgment sheet."""
        return self.purpose == "approved" and not self.redline
