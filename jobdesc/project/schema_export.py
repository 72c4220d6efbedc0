"""The shipped JSON Schemas as text, for editors and other tools (``jobdesc schema``)."""

from __future__ import annotations

import json

from jobdesc.project.kinds import KINDS
from jobdesc.project.validate import CONFIG_SCHEMA, schema

SCHEMAS = {**{kind.name: kind.schema for kind in KINDS}, "config": CONFIG_SCHEMA}


def schema_text(kind: str = "role") -> str:
    """The JSON Schema of a document kind's files (``role``, ``policy``) or of ``jobdesc.yaml``
    (``config``), pretty-printed."""
    return json.dumps(schema(SCHEMAS[kind]), ensure_ascii=False, indent=2)
