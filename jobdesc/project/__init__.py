"""Load and validate: the project (config, documents of every kind, shared clauses, links), its
model, schema checks and warnings.

Imports :mod:`jobdesc.language`, :mod:`jobdesc.disk` and :mod:`jobdesc.errors`.
"""
