"""The ``jobdesc`` command line, the only package that knows click: the commands, one call into the
core each (:mod:`~jobdesc.cli.main`), the Russian layer over click (:mod:`~jobdesc.cli.russian`),
the options several commands share (:mod:`~jobdesc.cli.options`) and the diff shown in a terminal
(:mod:`~jobdesc.cli.show`).
"""

import signal
import sys


def run() -> None:
    """The ``jobdesc`` program. Ctrl-C at any moment of jobdesc's own run — while Python still
    loads the commands, during a command, or while the program ends — is «Прервано.» and exit
    code 1, never a traceback (one Ctrl-C is enough: a second one during the clean-up is ignored).
    """
    code: int | str | None = 1
    try:
        _take_interrupts()
        # lazy: after the Ctrl-C handler, so Ctrl-C while the commands load is «Прервано.»
        from jobdesc.cli.main import main

        main(prog_name="jobdesc")  # ends with SystemExit («Прервано.» for Ctrl-C is its own)
    except KeyboardInterrupt:  # while the commands load
        sys.stderr.write("Прервано.\n")
    except SystemExit as exc:
        code = exc.code
    _ignore_interrupts()  # the work is done or abandoned: a late Ctrl-C changes nothing
    _forget_interrupt()
    sys.exit(code)


def _interrupted(signum: int, frame: object) -> None:  # noqa: ARG001 - a signal handler's arguments
    """The first Ctrl-C: a :class:`KeyboardInterrupt` where the program is; the next ones are ignored."""
    _ignore_interrupts()
    raise KeyboardInterrupt


def _take_interrupts() -> None:
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when Ctrl-C is already ignored
            signal.signal(signal.SIGINT, _interrupted)
    except ValueError:  # not the main thread (run from a test): Python's own handling stays
        pass


def _ignore_interrupts() -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        pass


def _forget_interrupt() -> None:
    """Keep a handled Ctrl-C from ending Python by SIGINT after all.

    CPython marks an interrupt unhandled when a :class:`KeyboardInterrupt` leaves code run by
    ``exec``/``eval`` of a string — which :mod:`dataclasses` and :mod:`collections` do while
    jobdesc's modules load — even when jobdesc catches it further up; under ``python -m jobdesc``
    the process then kills itself with SIGINT after printing «Прервано.» and choosing exit code 1.
    The mark is cleared whenever a string is run to its end, which this does."""
    exec("pass")  # noqa: S102 - a constant: see above
