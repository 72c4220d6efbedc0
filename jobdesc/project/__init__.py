"""Load and validate: the project (config, documents of every kind, shared clauses, links), its
model, schema checks and warnings.

Imports :mod:`jobdesc.disk`, :mod:`jobdesc.language`, :mod:`jobdesc.sources` (профстандарты), :mod:`jobdesc.errors`.
"""
