# main.py — puts the probe in front of the program and runs it unchanged
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import runpy
import sys
import traceback

from . import executors, http, observe, steps, tracebacks
from .protocol import Writer, escape
from .watchdog import Watchdog

FD_VARIABLE = "TASKLANES_PROBE_FD"


def _open_writer():
    value = os.environ.pop(FD_VARIABLE, None)
    try:
        fd = int(value) if value is not None else -1
    except ValueError:
        fd = -1
    if fd >= 0:
        try:
            # Programs the program starts do not inherit the report pipe.
            os.set_inheritable(fd, False)
        except OSError:
            fd = -1
    return Writer(fd)


def _startup_error(writer, program, exc):
    """A SyntaxError in the program, or an import failing before any asyncio.run()."""
    filename, line = program, 0
    if isinstance(exc, SyntaxError) and exc.filename:
        filename, line = exc.filename, exc.lineno or 0
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == program:
                filename, line = program, lineno
    message = observe.error_text(exc) if not isinstance(exc, SyntaxError) else "SyntaxError: %s" % exc.msg
    writer.emit("startup-error", writer.now(), escape(filename), line, escape(message))


def main(argv):
    if not argv:
        sys.stderr.write("usage: tasklanes-probe.py PROGRAM.py [ARGS…]\n")
        return 2
    program = os.path.abspath(argv[0])
    writer = _open_writer()
    writer.header()
    os.register_at_fork(after_in_child=writer.forget_in_child)

    # As `python3 PROGRAM.py` would: its directory first on the path, its
    # own argv. The probe's directory stays at the end, where a worker
    # process started by multiprocessing can still import it.
    probe_dir = sys.path[0]
    sys.path[0] = os.path.dirname(program)
    sys.path.append(probe_dir)
    sys.argv = [argv[0]] + list(argv[1:])

    observe.install(writer, program)
    steps.install(writer)
    executors.install()
    http.install()
    watchdog = Watchdog(writer)
    watchdog.start()

    status = 0
    try:
        # The absolute path, as python3 itself gives a script since 3.9: the
        # program's frames name the file the probe looks for.
        runpy.run_path(program, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            sys.stderr.write("%s\n" % (code,))
            status = 1
    except BaseException as exc:
        if not observe.in_section() and not isinstance(exc, KeyboardInterrupt):
            _startup_error(writer, program, exc)
        # Printed as Python prints an uncaught exception, without the
        # probe's own frames.
        sys.stderr.write(tracebacks.format_exception(exc, leading=True))
        status = 130 if isinstance(exc, KeyboardInterrupt) else 1
    finally:
        observe.end_open_sections()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    writer.emit("exit", writer.now(), status)
    watchdog.stop()
    writer.close()
    return status
