"""The ``jobdesc`` command line: click commands, one call into the core each, and the Russian layer
over click. The only package that knows click.
"""

import sys


def run() -> None:
    """The ``jobdesc`` program: Ctrl-C while Python is still loading the commands ends it as
    Ctrl-C later does («Прервано.», exit code 1), not with a traceback."""
    try:
        from jobdesc.cli.main import main  # lazy: a Ctrl-C while it loads is caught below
    except KeyboardInterrupt:
        sys.stderr.write("Прервано.\n")
        sys.exit(1)
    main(prog_name="jobdesc")
