"""What comes from outside the project: an organisation's Word files, профстандарты (Минтруд's XML).

Owns reading such files (safely, through :mod:`jobdesc.disk.reading`) into typed data and turning
that data into project files: ``word`` reads a .docx, ``word_import`` and ``word_role`` map it to a
role or a regulation, ``importing`` runs ``jobdesc import`` (files, writing, report);
``profstandard`` and ``drafting`` draft a role from a профстандарт. Imports :mod:`jobdesc.disk`,
:mod:`jobdesc.errors`, :mod:`jobdesc.language` and :mod:`jobdesc.project`; the Word import also
:mod:`jobdesc.editions.store` (edition 1 from the stamp) and :mod:`jobdesc.build.pdf` (LibreOffice's
process handling). Nothing from ``cli``.
"""
