"""The shipped JSON Schemas as text, for editors and other tools (``jobdesc schema``)."""

from __future__ import annotations

import json

from jobdesc.validate import CONFIG_SCHEMA, ROLE_SCHEMA, schema

SCHEMAS = {"role": ROLE_SCHEMA, "config": CONFIG_SCHEMA}


def schema_text(kind: str = "role") -> str:
    """The JSON Schema of a role file (``role``) or of ``jobdesc.yaml`` (``config``), pretty-printed."""
    return json.dumps(schema(SCHEMAS[kind]), ensure_ascii=False, indent=2)
