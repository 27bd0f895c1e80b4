/* tl-to-python.h — tasklanes --to-python
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* tasklanes --to-python FILE.tasklanes|builtin:NAME [-o OUT.py]: prints
 * the preset's asyncio program, or writes it to OUT.py. Returns the exit
 * status (TL_EXIT_*). */
int tl_to_python_main (int    argc,
                       char **argv);

G_END_DECLS
