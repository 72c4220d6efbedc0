"""Rendering: Jinja template → Markdown → document model → DOCX."""

from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # the shipped templates and styles
