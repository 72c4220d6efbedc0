"""Characters a reader cannot see that change what a text says: control characters, bidi
overrides and isolates (U+202E shows «сдать» as «ьтадс»), zero-width spaces and joiners.

:func:`first_hidden` finds one in a text and :func:`describe` names it in Russian; the schema
check (every YAML file), ``new --title``, ``approve --order``/``--approver`` and ``staff import``
refuse them, so they never reach a signed document. Imports nothing.
"""

from __future__ import annotations

import re

HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)

_NAMES = {
    "\u200b": "пробел нулевой ширины",
    "\u200c": "невидимый разъединитель",
    "\u200d": "невидимый соединитель",
    "\u200e": "невидимая метка направления текста слева направо",
    "\u200f": "невидимая метка направления текста справа налево",
    "\u061c": "невидимая арабская метка направления текста",
    "\u2028": "разделитель строк",
    "\u2029": "разделитель абзацев",
    "\ufeff": "неразрывный пробел нулевой ширины (BOM)",
}


def first_hidden(text: str) -> str | None:
    """The first hidden character of ``text``, or ``None``."""
    found = HIDDEN.search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """«невидимый символ U+202E (смена направления текста)»."""
    code = ord(char)
    if char in _NAMES:
        what = _NAMES[char]
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        what = "смена направления текста — буквы показываются в другом порядке"
    elif 0x2060 <= code <= 0x2064 or 0xFFF9 <= code <= 0xFFFB:
        what = "невидимый знак"
    elif 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        what = "не символ Юникода"
    else:
        return f"недопустимый управляющий символ U+{code:04X}"
    return f"недопустимый невидимый символ U+{code:04X} ({what})"
