"""What the YAML of a project loads as: mappings and sequences that know their lines.

Apart from :mod:`jobdesc.project.yamlio` (which makes them) so that the modules that only hold or
build them do not import PyYAML: a no-op build parses no YAML.
"""

from __future__ import annotations


class LocatedDict(dict):
    """A mapping that knows its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict


class LocatedList(list):
    """A sequence that knows its line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list
