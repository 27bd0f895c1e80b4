/* tl-fd-limit.h — how many files the process may open, and what fits
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Raises the soft limit on open files to the hard limit (at most
 * 1,048,576). Called once at start-up: a desktop session often grants
 * 1,024 of a hard limit many times larger. */
void  tl_fd_limit_raise             (void);

/* The soft limit on open files now. */
guint tl_fd_limit_get               (void);

/* How many HTTP connections fit in the descriptors still free, keeping a
 * reserve for everything else; @fds_each is what one connection takes (2
 * when the server is the built-in one, in the same process). */
guint tl_fd_limit_connections_that_fit (guint fds_each);

G_END_DECLS
