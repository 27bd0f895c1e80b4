/* tl-python.h — finding the Python interpreter and the probe
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TL_PYTHON_MIN_MAJOR 3
#define TL_PYTHON_MIN_MINOR 11

/* The interpreter to run programs with: TASKLANES_PYTHON, else
 * @preferred (the Preferences setting; NULL or "" for none), else python3
 * on PATH. A name without a slash is looked up on PATH. NULL with
 * G_IO_ERROR_NOT_FOUND when there is none. */
char     *tl_python_find_interpreter  (const char  *preferred,
                                       GError     **error);
/* Runs @python once to ask its version; FALSE with a message saying what
 * was found when it is not Python 3.11 or newer. */
gboolean  tl_python_check_version     (const char  *python,
                                       char       **version,
                                       GError     **error);
/* The probe's start script: TASKLANES_PROBE_DIR, else the installed copy,
 * else the source tree's (a build run before installation). */
char     *tl_python_find_probe        (GError     **error);
/* The gallery's program for the built-in preset @name ("gather" →
 * gather.py): TASKLANES_PROGRAMS_DIR, else the installed programs, else the
 * source tree's. NULL when there is none. */
char     *tl_python_find_gallery_program (const char *name);
/* TRUE when @path names a Python program by its extension. */
gboolean  tl_python_is_program_path   (const char  *path);

G_END_DECLS
