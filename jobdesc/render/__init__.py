"""Rendering: Jinja template → Markdown → document model → DOCX."""
