/* tl-worker-protocol.h — the line protocol between the process pool and
 * tasklanes-worker
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request, one answer, each a line of plain ASCII:
 *
 *   worker, once at start:  "hello tasklanes-worker 1 PID"
 *   pool:                   "cpu MICROSECONDS" | "sleep MICROSECONDS"
 *   worker:                 "done CPU_US WALL_US" | "error MESSAGE"
 *
 * Only a kind and a duration ever travel: a preset can never make the
 * worker run anything but its own two loops.
 */
#pragma once

#include <glib.h>

#include "pools/tl-pool-job.h"

G_BEGIN_DECLS

#define TL_WORKER_PROTOCOL_VERSION 1
#define TL_WORKER_PROGRAM_NAME     "tasklanes-worker"
/* Longer lines are not ours: the worker answers with an error. */
#define TL_WORKER_MAX_LINE         256
/* A request for more than this is refused (the preset format caps
 * durations at one hour). */
#define TL_WORKER_MAX_DURATION_US  (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef enum {
  TL_WORKER_REPLY_HELLO,
  TL_WORKER_REPLY_DONE,
  TL_WORKER_REPLY_ERROR,
} TlWorkerReplyType;

typedef struct {
  TlWorkerReplyType  type;
  guint              version;    /* HELLO */
  gint64             pid;        /* HELLO */
  gint64             cpu_us;     /* DONE */
  gint64             wall_us;    /* DONE */
  char              *message;    /* ERROR, owned */
} TlWorkerReply;

/* Lines without the trailing newline. */
char     *tl_worker_format_hello    (gint64          pid);
char     *tl_worker_format_request  (TlJobKind       kind,
                                     gint64          duration_us);
char     *tl_worker_format_done     (gint64          cpu_us,
                                     gint64          wall_us);
char     *tl_worker_format_error    (const char     *message);

gboolean  tl_worker_parse_request   (const char     *line,
                                     TlJobKind      *kind,
                                     gint64         *duration_us,
                                     GError        **error);
gboolean  tl_worker_parse_reply     (const char     *line,
                                     TlWorkerReply  *reply,
                                     GError        **error);
void      tl_worker_reply_clear     (TlWorkerReply  *reply);

G_END_DECLS
