# tracebacks.py — a program's tracebacks as Python prints them, without
# the probe's own frames
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The probe sits between the program and asyncio (asyncio.run() goes
# through its Runner.run, a gather through its gather): an exception that
# passes through carries the probe's frames. The program's author never
# wrote them and python3 alone would not show them.

import os
import traceback

_PROBE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# tasklanes-probe.py, beside the package.
_PROBE_SCRIPT = os.path.join(os.path.dirname(_PROBE_DIR.rstrip(os.sep)), "tasklanes-probe.py")
# runpy.py, or "<frozen runpy>" where the interpreter has it built in.
_RUNPY = ("runpy.py", "<frozen runpy>")


def _is_probe(filename):
    return filename.startswith(_PROBE_DIR) or filename == _PROBE_SCRIPT


def _clean(te, leading):
    """Drops the probe's frames from @te and every exception it holds.

    @leading: also drop the frames that run the program (runpy's) before
    its own first frame, as python3 PROGRAM.py has none of them.
    """
    seen = set()
    todo = [te]
    while todo:
        te = todo.pop()
        if id(te) in seen:
            continue
        seen.add(id(te))
        frames = [f for f in te.stack if not _is_probe(f.filename)]
        if leading:
            while frames and frames[0].filename.endswith(_RUNPY):
                del frames[0]
        te.stack = traceback.StackSummary.from_list(frames)
        for held in (te.__cause__, te.__context__):
            if held is not None:
                todo.append(held)
        todo.extend(getattr(te, "exceptions", None) or ())


def format_exception(exc, leading=False):
    """Python's text for @exc (chained and grouped exceptions too)."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=True)
    _clean(te, leading)
    return "".join(te.format())
