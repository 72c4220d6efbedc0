"""Approved editions: the immutable store, their provenance (git, signatures), versions to compare,
the clause-level diff (the one aligner) and the legal wording of «Изменения».

Imports :mod:`jobdesc.project` and below.
"""
