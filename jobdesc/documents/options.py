"""How a build makes its documents (kept apart so that a no-op build imports no renderer)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """How documents are built: copies per file, one file per copy, drafts."""

    copies: int | None = None
    split: bool = False
    draft: bool = False
    per_employee: bool = False  # also a named copy 2 for each holder of the position

    def key(self) -> str:
        named = ";per_employee=True" if self.per_employee else ""  # before «draft»: batch reads the key's end
        return f"copies={self.copies};split={self.split}{named};draft={self.draft}"
