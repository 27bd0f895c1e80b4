/* tl-loop-monitor.h — how late the event loop is, and who holds it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "core/tl-types.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef struct _TlLoopMonitor TlLoopMonitor;

/* With @probe, a 10 ms probe source on @context measures how late it is
 * dispatched (the loop's lag) and writes TL_COUNTER_LOOP_LAG_US. */
TlLoopMonitor *tl_loop_monitor_new        (TlClock       *clock,
                                           TlTrace       *trace,
                                           GMainContext  *context,
                                           gboolean       probe);
void           tl_loop_monitor_free       (TlLoopMonitor *self);
/* Removes the probe source; stall bookkeeping keeps working. */
void           tl_loop_monitor_stop_probe (TlLoopMonitor *self);

/* The engine is about to hold the loop for @culprit's work. */
void           tl_loop_monitor_begin_stall (TlLoopMonitor *self,
                                            guint32        culprit,
                                            gint64         start_us);
/* Records TL_EVENT_LOOP_STALL and returns the stall's duration. */
gint64         tl_loop_monitor_end_stall   (TlLoopMonitor *self,
                                            gint64         end_us);

/* Thread-safe: how long the current stall has lasted (0 when none). */
gint64         tl_loop_monitor_get_current_stall_us (TlLoopMonitor *self,
                                                     guint32       *culprit);

G_END_DECLS
