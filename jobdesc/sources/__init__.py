"""What comes from outside the project: профстандарты (Минтруд's XML), read safely through
:mod:`jobdesc.disk.reading` into typed data, stored in ``profstandards/``, drafted into roles and
checked against them (coverage); and an organisation's existing Word documents (.docx, or .doc,
.odt, .rtf through LibreOffice) imported as roles and regulations with their approval history.

Imports :mod:`jobdesc.build` (LibreOffice's process handling), :mod:`jobdesc.editions`,
:mod:`jobdesc.project`, :mod:`jobdesc.language`, :mod:`jobdesc.disk` and :mod:`jobdesc.errors`;
the commands above call it.
"""
