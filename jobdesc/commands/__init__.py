"""The core of each command: check, approve, review, init, new, textconv, people (staff import,
ack), and around the build (:mod:`jobdesc.build`) its output folder, report and PDFs. One call from
the CLI each, returning what the command prints; no click here.

Imports :mod:`jobdesc.build` and below.
"""
