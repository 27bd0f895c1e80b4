/* tl-process-pool.h — persistent tasklanes-worker processes
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only our own worker program is ever started; jobs are described by a
 * kind and a duration on a line protocol, never by a command.
 */
#pragma once

#include "pools/tl-pool-job.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* The worker program: $TASKLANES_WORKER if set, else the build-tree copy
 * when running uninstalled, else PKGLIBEXECDIR/tasklanes-worker. */
const char    *tl_worker_find_path        (void);

TlProcessPool *tl_process_pool_new        (guint          n_processes,
                                           const char    *worker_path,
                                           TlTrace       *trace,
                                           gint64       (*now_us) (gpointer clock),
                                           gpointer       clock,
                                           GError       **error);
/* Ends every worker process and waits for them. */
void           tl_process_pool_free       (TlProcessPool *self);
void           tl_process_pool_push       (TlProcessPool *self,
                                           const TlPoolJob *job);
guint          tl_process_pool_get_busy   (TlProcessPool *self);
guint          tl_process_pool_get_queued (TlProcessPool *self);
/* The pids of the live workers (tests kill one to check crash handling).
 * A GArray of GPid; free with g_array_unref(). */
GArray        *tl_process_pool_dup_pids   (TlProcessPool *self);

G_END_DECLS
