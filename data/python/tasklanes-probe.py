# tasklanes-probe.py — runs a Python program under the Tasklanes probe
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   python3 tasklanes-probe.py PROGRAM.py [ARGS…]
#
# with TASKLANES_PROBE_FD naming the inherited pipe to report on. The
# program then runs as `python3 PROGRAM.py ARGS…` would run it.

import os
import sys

sys.path[0] = os.path.dirname(os.path.abspath(__file__))

from tasklanes_probe.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
