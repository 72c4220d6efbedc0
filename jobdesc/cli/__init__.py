"""The ``jobdesc`` command line, the only package that knows click: the commands, one call into the
core each (:mod:`~jobdesc.cli.main`), the Russian layer over click (:mod:`~jobdesc.cli.russian`),
the options several commands share (:mod:`~jobdesc.cli.options`) and the diff shown in a terminal
(:mod:`~jobdesc.cli.show`).
"""

import sys


def run() -> None:
    """The ``jobdesc`` program: Ctrl-C while Python is still loading the commands ends it as
    Ctrl-C later does («Прервано.», exit code 1), not with a traceback."""
    try:
        from jobdesc.cli.main import main
    except KeyboardInterrupt:
        sys.stderr.write("Прервано.\n")
        sys.exit(1)
    main(prog_name="jobdesc")
