"""jobdesc: job descriptions kept as YAML, built into ГОСТ-styled DOCX documents."""

__version__ = "0.1.0"
