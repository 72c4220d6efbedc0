"""Documents that come from outside the project: an organisation's Word files (``word``, ``word_import``).

May import ``errors``, ``disk``, ``language`` and ``project`` (the schema, kinds, the loader) and
``build.pdf`` (LibreOffice's process handling); nothing from ``cli``.
"""
