"""What comes from outside the project: профстандарты (Минтруд's XML), read safely through
:mod:`jobdesc.disk.reading` into typed data, stored in ``profstandards/``, drafted into roles and
checked against them (coverage); Word documents imported as roles and regulations.

Imports :mod:`jobdesc.editions`, :mod:`jobdesc.project`, :mod:`jobdesc.language`,
:mod:`jobdesc.disk` and :mod:`jobdesc.errors`; the commands above call it.
"""
