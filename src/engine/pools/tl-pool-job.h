/* tl-pool-job.h — a unit of blocking or CPU work handed to a pool
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

typedef struct _TlPoolJob TlPoolJob;

typedef enum {
  TL_JOB_BLOCKING,   /* sleep for duration_us without using CPU */
  TL_JOB_CPU,        /* burn duration_us of CPU time on one core */
} TlJobKind;

/* Both callbacks run on the engine context the job was pushed from.
 * @started: the job left the queue and a worker began it.
 * @finished: error is NULL on success; G_IO_ERROR_CANCELLED when it was
 * cancelled while queued (then @started is never called); a message like
 * "the worker process running this job was killed (SIGKILL, signal 9); a new
 * one was started" when a process died. The job's
 * cancellable being cancelled while it runs on a thread does not
 * interrupt it: @finished comes when the call really returns (the runner
 * has long reported the task cancelled by then). */
typedef void (*TlPoolJobStarted)  (TlPoolJob *job, gpointer user_data);
typedef void (*TlPoolJobFinished) (TlPoolJob *job, const GError *error, gpointer user_data);

struct _TlPoolJob
{
  TlJobKind          kind;
  gint64             duration_us;
  guint32            instance;       /* for the trace and messages */
  GCancellable      *cancellable;    /* owned reference, may be NULL */
  TlPoolJobStarted   started;
  TlPoolJobFinished  finished;
  gpointer           user_data;
};

G_END_DECLS
