# watchdog.py — a thread that streams the buffer and names what blocks the loop
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later

import threading

from . import observe, steps

# Each wake-up takes the GIL from the loop thread: 40 a second stream a
# busy loop's lines quickly enough for the eye, and sample a long step
# (named after steps.SAMPLE_NS, 50 ms) well before it counts as a stall
# (100 ms). At 100 a second the handoffs cost a program of many small
# tasks about 3 % of its time.
PERIOD_S = 0.025


class Watchdog(threading.Thread):
    def __init__(self, writer):
        super().__init__(name="tasklanes-probe", daemon=True)
        self._writer = writer
        self._stop = threading.Event()

    def run(self):
        while not self._stop.wait(PERIOD_S):
            try:
                steps.sample_current_step()
                self._writer.flush()
            except Exception:
                observe._probe_error()

    def stop(self):
        self._stop.set()
