"""Entry point for ``python -m jobdesc``."""

from jobdesc.cli import run

run()
