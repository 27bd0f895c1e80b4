# origin.py — who made an instance: the program's own code or a library
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A task a library makes for itself (aiohttp resolving a host, writing a
# request's body) is not one of the program's tasks. The innermost calling
# frame that is neither asyncio, the probe nor the rest of the standard
# library decides who made it.

import os

_program = None             # absolute path of the program's file


def set_program(path):
    global _program
    _program = path
    _file_kinds.clear()


# What a file's frames say about who made an instance: nothing (asyncio,
# the probe, the rest of the standard library: look at their caller), the
# program's own code, or a library installed in site-packages.
PASS, OWN, LIBRARY = 0, 1, 2
_file_kinds = {}
_PROBE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _stdlib_dirs():
    # The folder os.py comes from is the standard library's (sysconfig's
    # "stdlib" and "platstdlib" both name it on Debian and in a build of
    # CPython's own, and importing sysconfig would cost every run more
    # than all of this module).
    path = os.path.dirname(os.__file__)
    return tuple({os.path.join(os.path.realpath(path), ""), os.path.join(path, "")})


_STDLIB_DIRS = _stdlib_dirs()


def file_kind(filename):
    kind = _file_kinds.get(filename)
    if kind is None:
        kind = _file_kinds[filename] = _classify(filename)
    return kind


def _classify(filename):
    if filename == _program:
        return OWN
    if filename.startswith("<") or filename.startswith(_PROBE_DIR):
        return PASS
    program_dir = os.path.join(os.path.dirname(_program or ""), "")
    if filename.startswith(program_dir):
        return OWN
    if "site-packages" in filename or "dist-packages" in filename:
        return LIBRARY
    if filename.startswith(_STDLIB_DIRS):
        return PASS
    return OWN


def origin(frame):
    """(line of the program's file, made by a library) for what @frame makes.

    The innermost frame that is neither asyncio, the probe nor the rest of
    the standard library decides who made it; the line is that of the
    innermost frame in the program's own file.
    """
    library = False
    decided = False
    kinds = _file_kinds
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == _program:
            return frame.f_lineno or 0, library
        if not decided:
            kind = kinds.get(filename)
            if kind is None:
                kind = file_kind(filename)
            if kind:
                decided = True
                library = kind == LIBRARY
        frame = frame.f_back
    return 0, library


def asyncio_internal(code):
    """Whether @code is one of the standard library's private helpers.

    asyncio makes tasks and gathers of its own inside what the program
    calls (a subprocess's communicate() reads its pipes in _read_stream()
    tasks under a gather; a server accepts in _accept_connection2()): they
    are its workings, not the program's tasks, as a library's are.
    """
    return code.co_name[:1] == "_" and in_stdlib(code)


def in_stdlib(code):
    """Whether @code is the standard library's (asyncio's included)."""
    return code.co_filename.startswith(_STDLIB_DIRS)
