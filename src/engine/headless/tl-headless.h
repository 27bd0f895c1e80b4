/* tl-headless.h — the command line without a display
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of every non-GUI mode (headless-and-exports.md). */
#define TL_EXIT_OK       0
#define TL_EXIT_INVALID  1
#define TL_EXIT_USAGE    2

/* tasklanes --headless FILE|builtin:NAME|RUN.tasklanes-run [--report F] [--trace F] [--csv F]
 *                     [--record F] [--quiet] [--virtual-time] */
int tl_headless_main      (int argc, char **argv);
/* tasklanes --list-presets */
int tl_headless_list      (int argc, char **argv);
/* tasklanes --print-preset NAME */
int tl_headless_print     (int argc, char **argv);

G_END_DECLS
