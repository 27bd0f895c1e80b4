/* tl-python-names.h — Python identifiers and literals from preset text
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

/* Function names for every task of @preset, indexed like preset->tasks:
 * taken from the label's call ("fetch_user(1)" → fetch_user), unique,
 * never a keyword nor a name the generated program uses itself. */
GStrv     _tl_python_function_names  (TlPreset   *preset);

/* @text as a Python identifier (letters, digits, '_'), or NULL when
 * nothing of it is left. */
char     *_tl_python_identifier      (const char *text);

/* TRUE when @name is a keyword or a name the program defines itself. */
gboolean  _tl_python_is_reserved     (const char *name);

/* A string literal for @text. With @with_copy, "{i}" becomes the loop
 * variable of an f-string (other braces are doubled). */
char     *_tl_python_string          (const char *text,
                                      gboolean    with_copy);

/* "1", "0.25", "1.5": seconds from microseconds, shortest exact form. */
char     *_tl_python_seconds         (gint64      us);

/* "raise ValueError(\"msg\")" from a Fail text like "ValueError: msg". */
char     *_tl_python_raise           (const char *fail,
                                      gboolean    with_copy);

G_END_DECLS
