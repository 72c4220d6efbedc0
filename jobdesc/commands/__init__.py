"""The core of each command that is not a build: check, approve, review, init, new, textconv.
One call from the CLI each; no click here.

Imports :mod:`jobdesc.build` and below.
"""
