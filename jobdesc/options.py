"""How a build makes its documents (kept apart so that a no-op build imports no renderer)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """How documents are built: copies per file, one file per copy, drafts."""

    copies: int | None = None
    split: bool = False
    draft: bool = False
    model_only: bool = False  # ``check``: render every document to the model, make no DOCX bytes

    def key(self) -> str:
        return f"copies={self.copies};split={self.split};draft={self.draft}"
