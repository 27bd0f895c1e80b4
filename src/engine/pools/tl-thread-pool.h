/* tl-thread-pool.h — N worker threads, a FIFO queue, an optional GIL
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pools/tl-pool-job.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* Create and use on the engine context (the thread-default one when
 * created). Counters TL_COUNTER_THREADS_BUSY / _QUEUED go to @trace
 * (may be NULL) with times from @now_us. With @gil, CPU jobs take one
 * global lock while they compute and hand it over every 5 ms. */
TlThreadPool *tl_thread_pool_new        (guint          n_threads,
                                         gboolean       gil,
                                         TlTrace       *trace,
                                         gint64       (*now_us) (gpointer clock),
                                         gpointer       clock);
/* Waits for running jobs to return (they cannot be interrupted), drops
 * queued ones without calling back. */
void          tl_thread_pool_free       (TlThreadPool  *self);
/* Takes a copy of *job (its cancellable is referenced). */
void          tl_thread_pool_push       (TlThreadPool  *self,
                                         const TlPoolJob *job);
guint         tl_thread_pool_get_busy   (TlThreadPool  *self);
guint         tl_thread_pool_get_queued (TlThreadPool  *self);

/* Burns @work_us of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
 * giving up early when @cancellable is cancelled. Returns FALSE if
 * cancelled. Used on the loop, on threads and in worker processes. */
gboolean      tl_cpu_burn               (gint64         work_us,
                                         GCancellable  *cancellable);

G_END_DECLS
