"""Writing a document's files: its plan (:mod:`jobdesc.documents.plan`) rendered to DOCX bytes in memory.

``jobdesc build`` renders the last approved edition of each document (with the amendment
documents between editions); a document never approved, or ``--draft``, renders the working
text marked «ПРОЕКТ». :mod:`jobdesc.build.batch` runs this over the project, incrementally and on
every core, and writes the files atomically.
"""

from __future__ import annotations

from pathlib import Path

from jobdesc.documents.options import Options
from jobdesc.documents.plan import plan_document
from jobdesc.project.loader import Project
from jobdesc.project.model import Document


def document_files(
    project: Project,
    document: Document,
    out: Path,
    options: Options,
    warnings: list[str],
    facts: dict[str, int] | None = None,
) -> list[tuple[Path, bytes]]:
    """Every file of one document (its text, amendments, named copies), rendered in memory.

    Problems (a broken edition record, a template mistake) raise :class:`ProblemsError`;
    ``facts``: as :func:`~jobdesc.documents.plan.plan_document` fills them.
    """
    outputs = plan_document(project, document, out, options, warnings, facts)
    return [(output.path, output.bytes(project)) for output in outputs]
