/* tl-window-unrealize.h — every window lets go of its surface on unrealize
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Installs, once for the process, what makes a GtkWindow that is
 * unrealized disconnect the "compute-size" handler GTK 4.8 leaves on its
 * GdkSurface (see tl-window-unrealize.c for the fault it avoids). */
void tl_window_unrealize_guard_install (void);

/* How many unrealized windows the guard has disconnected from their
 * surface's "compute-size" (for the tests: 0 once GTK does it itself). */
guint tl_window_unrealize_guard_get_count (void);

G_END_DECLS
