#!/usr/bin/env python3
# build-aux/compile-probe.py DIR — byte-compiles the installed probe
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by `meson install` with DIR the probe's install directory
# (PKGDATADIR/python). An installed probe is usually read-only to the user
# who runs it, so without this every run of a program would compile the
# probe again before the program starts. The files are compiled as the
# path they will have once installed (without DESTDIR), for the Python
# that runs this script; another interpreter compiles them in memory.

import compileall
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: compile-probe.py DIR")
    final = sys.argv[1]
    destdir = os.environ.get("DESTDIR", "")
    target = os.path.join(destdir, os.path.relpath(final, os.sep)) if destdir else final
    if not os.path.isdir(target):
        sys.exit("compile-probe.py: %s is not a directory (was the probe installed?)" % target)
    # Both the plain .pyc and the -O one, as python3 is run with or without it.
    for level in (0, 1):
        if not compileall.compile_dir(target, ddir=final, quiet=1, optimize=level):
            sys.exit("compile-probe.py: compiling %s failed" % target)


if __name__ == "__main__":
    main()
