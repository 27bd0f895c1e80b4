/* tl-test-util.h — helpers shared by the test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Path of a file in tests/ (the source tree). */
char *tl_test_dup_srcdir_path (const char *first_element, ...) G_GNUC_NULL_TERMINATED;

/* Iterates the thread-default context until *flag is TRUE or @timeout_ms
 * passes; returns *flag. */
gboolean tl_test_wait_for_flag (gboolean *flag,
                                guint     timeout_ms);

G_END_DECLS
