/* tl-gil.h — a global interpreter lock with a fair hand-over
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CPython hands its GIL over every 5 ms (sys.getswitchinterval()). */
#define TL_GIL_SWITCH_INTERVAL_US 5000

typedef struct _TlGil TlGil;

TlGil *tl_gil_new     (void);
void   tl_gil_free    (TlGil *self);
/* Blocks until every thread that asked earlier has had its turn. */
void   tl_gil_acquire (TlGil *self);
void   tl_gil_release (TlGil *self);
/* Number of hand-overs so far, and of threads waiting for their turn
 * (for tests and debugging). */
guint64 tl_gil_get_n_switches (TlGil *self);
guint   tl_gil_get_n_waiting  (TlGil *self);

G_END_DECLS
