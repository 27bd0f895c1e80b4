# protocol.py — the line writer of docs/python-protocol.md
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One event per line, fields separated by tabs, text fields escaped so a
# line never holds a raw tab or newline. Lines are buffered and written in
# blocks: by the loop thread when the buffer is large and before the loop
# waits in select() (observe.py), and by the watchdog thread every few
# milliseconds while the loop is busy, so a program still streams live.

import collections
import os
import sys
import threading
import time

from . import PROTOCOL_VERSION

MAX_TEXT = 1000        # characters of one text field
MAX_LINE = 4096        # bytes of one line, newline included
FLUSH_LINES = 2048     # lines buffered before the loop thread writes them

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape(text, limit=MAX_TEXT):
    """A text field: at most @limit characters, no tab, newline or CR."""
    if text is None:
        return "-"
    if text.__class__ is not str:
        text = str(text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    # Most fields are plain: two scans in C instead of a translation.
    if "\\" in text or not text.isprintable():
        return text.translate(_ESCAPES)
    return text if text != "-" else "\\-"


def bounded_line(line):
    """@line cut to at most MAX_LINE bytes with its newline."""
    data = line.encode("utf-8", "replace")
    if len(data) < MAX_LINE:
        return line
    return data[:MAX_LINE - 1].decode("utf-8", "ignore")


class Writer:
    """Buffers protocol lines and writes them to one file descriptor.

    emit() may be called from any thread: a deque's append is atomic, and
    only flush() (under a lock) takes lines out of it.
    """

    def __init__(self, fd):
        self._fd = fd
        self._lock = threading.Lock()
        self._lines = collections.deque()
        # The hot paths of observe.py append preformatted lines here.
        self.append = self._lines.append
        self.pending = self._lines
        # Times are the monotonic clock's own nanoseconds (time.monotonic_ns(),
        # the clock loop.time() reads), so that no event pays for arithmetic
        # on them; the first line names this origin, and the reader counts
        # from it.
        self._t0 = time.monotonic_ns()
        self._closed = fd < 0
        self._pid = os.getpid()
        self.lines = 0

    @staticmethod
    def now():
        """Protocol time: time.monotonic_ns()."""
        return time.monotonic_ns()

    @staticmethod
    def from_monotonic(seconds):
        """A loop.time() / time.monotonic() value as protocol time."""
        return int(seconds * 1e9)

    def header(self):
        self.emit("tasklanes-probe", PROTOCOL_VERSION, escape(sys.version.split()[0]), os.getpid(),
                  self._t0)

    def emit(self, *fields):
        """A line with text fields: bounded to MAX_LINE bytes."""
        line = "\t".join(map(str, fields))
        if len(line) * 4 >= MAX_LINE:
            line = bounded_line(line)
        self._lines.append(line)
        if len(self._lines) >= FLUSH_LINES:
            self.flush()

    def emit_line(self, line):
        """A line of numbers and fixed words only, without its newline."""
        self._lines.append(line)
        if len(self._lines) >= FLUSH_LINES:
            self.flush()

    def flush(self):
        with self._lock:
            self._flush_locked()

    def _flush_locked(self):
        lines = self._lines
        n = len(lines)
        if n == 0:
            return
        popleft = lines.popleft
        taken = [popleft() for _ in range(n)]
        if self._closed:
            return
        taken.append("")
        view = memoryview("\n".join(taken).encode("utf-8", "replace"))
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError:
            # Tasklanes went away (or stopped listening): the program runs
            # on unobserved rather than failing because of the probe.
            self._closed = True

    def close(self):
        with self._lock:
            self._flush_locked()
            if not self._closed:
                self._closed = True
                try:
                    os.close(self._fd)
                except OSError:
                    pass

    def forget_in_child(self):
        """After fork(): the child must not write into the parent's stream."""
        self._lock = threading.Lock()
        # Cleared in place: observe.py holds the deque's append, and a child
        # that goes on running asyncio must not grow it without bound.
        self._lines.clear()
        self._closed = True
        try:
            os.close(self._fd)
        except OSError:
            pass
        self._fd = -1
