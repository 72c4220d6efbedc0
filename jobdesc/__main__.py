"""Entry point for ``python -m jobdesc``."""

from jobdesc.cli.main import main

main()
