/* tl-number.h — counts and seconds as people read them
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "200,000": digits grouped by three with the locale's separator, or a
 * comma where the locale names none (C, POSIX), as English and Korean
 * both write counts. */
char *tl_format_count          (gint64 n);

/* Seconds as Python writes the argument: "1.2", "1", "0.25" (the
 * `timeout=1.2` of asyncio), always with a dot. */
char *tl_format_python_seconds (gint64 us);

G_END_DECLS
