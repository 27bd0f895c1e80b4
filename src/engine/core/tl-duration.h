/* tl-duration.h — the duration values of the preset format
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses "250ms", "1.5s", "2m" or a bare number of seconds ("0.5") into
 * microseconds, rounded to the nearest microsecond. Spaces around the text
 * and between number and unit are allowed. Returns FALSE for anything
 * else, including negative numbers and exponents; the range is not
 * checked here. */
gboolean tl_duration_parse  (const char *text,
                             gint64     *out_us);

/* Formats a duration the way the preset format writes it ("250ms", "1.5s",
 * "2m"), choosing the largest unit that keeps the value exact. */
char    *tl_duration_format (gint64      us);

G_END_DECLS
