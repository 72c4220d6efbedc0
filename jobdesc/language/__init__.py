"""Russian: dates in words, initials, job titles in the cases and genders the documents need.

Imports :mod:`jobdesc.disk` (the cache of inflections) and :mod:`jobdesc.errors`.
"""
