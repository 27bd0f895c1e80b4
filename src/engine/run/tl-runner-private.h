/* tl-runner-private.h — what the runner's source files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "run/tl-runner.h"
#include "run/tl-clock.h"
#include "run/tl-cpu-probe.h"
#include "run/tl-loop-monitor.h"
#include "pools/tl-thread-pool.h"
#include "pools/tl-process-pool.h"
#include "http/tl-http-client.h"
#include "trace/tl-task-counts.h"

G_BEGIN_DECLS

typedef struct _TlInst      TlInst;
typedef struct _TlInstExtra TlInstExtra;

enum {
  TL_INST_STARTED      = 1 << 0,
  TL_INST_SPAWNED      = 1 << 1,  /* started by a spawn: awaiters take its outcome */
  TL_INST_RETRIEVED    = 1 << 2,  /* an await took its result or error */
  TL_INST_UNAWAITED    = 1 << 3,  /* Awaited=false: created, never run */
  TL_INST_IN_READY     = 1 << 4,  /* linked into the ready queue */
  TL_INST_JOB_PENDING  = 1 << 5,  /* a pool or HTTP callback is still to come */
  TL_INST_VJOB_ACTIVE  = 1 << 6,  /* holds a simulated pool slot */
  TL_INST_GIL_JOB      = 1 << 7,  /* simulated CPU job sharing the GIL */
};

typedef enum {
  TL_ACTION_NONE,
  TL_ACTION_START,    /* run the instance's first step */
  TL_ACTION_NOTIFY,   /* it has ended: tell whoever awaits it */
} TlAction;

/* Only what few instances need lives here, so that a plain sleep among
 * 100 000 costs one TlInst and nothing more. */
struct _TlInstExtra
{
  TlInst       *owner;
  TlRunner     *runner;
  TlTimer       timeout_timer;
  TlTimer       max_wait_timer;
  GCancellable *cancellable;    /* created for work handed to a pool or to HTTP */
  GSList       *awaiters;       /* spawned targets: the awaits waiting for it */
  gint64        work_left_us;   /* simulated GIL job */
  gint64        job_started_us; /* when a worker took the job */
};

struct _TlInst
{
  TlTimer       timer;          /* sleep; simulated pool job */
  TlInst       *parent;         /* the creator; NULL for a section root */
  TlInst       *ready_next;
  TlInst      **children;       /* composites: created children; await: its targets */
  TlInstExtra  *extra;
  guint32       id;
  guint32       spec;
  guint32       copy;
  guint32       n_children;     /* children after Repeat */
  guint32       n_created;
  guint32       n_done;
  guint32       n_skipped;      /* Awaited=false children */
  guint32       next_child;     /* creation cursor: index into spec->children… */
  guint32       next_copy;      /* …and copies of it made so far */
  guint8        state;          /* TlState */
  guint8        action;         /* TlAction */
  guint8        flags;
  guint8        failed_early : 1; /* a gather or wait that already failed */
  guint8        left_pending : 1; /* a wait returned without it: nobody takes its outcome */
};

typedef struct {
  guint      n_slots;
  guint      busy;
  GQueue     queue;
  gboolean   gil;
  gboolean   is_process;
  GPtrArray *gil_jobs;
  gint64     gil_updated_us;
  TlTimer    gil_timer;
} TlVirtualPool;

struct _TlRunner
{
  GObject          parent_instance;

  TlPreset        *preset;
  TlTrace         *trace;
  TlClockKind      clock_kind;
  char            *worker_path;
  guint            n_threads;
  guint            n_processes;
  guint            connections;
  GError          *error;

  GMainContext    *context;
  TlClock         *clock;
  TlLoopMonitor   *monitor;

  /* Instances by id, in chunks that never move. */
  TlInst         **chunks;
  guint            n_chunks;
  guint            n_insts;
  guint            section_first_inst;

  TlInst          *ready_head;
  TlInst          *ready_tail;
  guint            n_ready;

  guint            section;
  TlInst          *root;
  GHashTable      *spawned;     /* spec index → GPtrArray of TlInst */
  char           **default_results;  /* per spec, computed once */
  gboolean         section_active;
  TlCpuSample      section_cpu;   /* sampled when the section began */
  gboolean         section_draining; /* ended; waiting for jobs to return */

  guint            n_outstanding;
  TlThreadPool    *thread_pool;
  TlProcessPool   *process_pool;
  TlHttpClient    *http;
  TlVirtualPool    vthreads;
  TlVirtualPool    vprocesses;

  gint64           last_hold_start_us;
  gint64           last_hold_end_us;
  TlTaskCounts     counts;          /* the Concurrency lane's counters */

  int              stop_requested;   /* atomic */
  gboolean         started;
  gboolean         stopping;
  gboolean         finished;
};

#define TL_RUNNER_NOW(self) (tl_clock_now_us ((self)->clock))

#define TL_RUNNER_INST_CHUNK_BITS 10
#define TL_RUNNER_INST_CHUNK_SIZE (1u << TL_RUNNER_INST_CHUNK_BITS)

static inline const TlTaskSpec *
_tl_runner_inst_spec (TlRunner     *self,
                      const TlInst *inst)
{
  return &self->preset->tasks[inst->spec];
}

/* The instance with trace id @id, or NULL past the last one created. */
static inline TlInst *
_tl_runner_inst_lookup (TlRunner *self,
                        guint32   id)
{
  if (id >= self->n_insts)
    return NULL;
  return &self->chunks[id >> TL_RUNNER_INST_CHUNK_BITS][id & (TL_RUNNER_INST_CHUNK_SIZE - 1)];
}

/* tl-runner.c */
void        _tl_runner_set_live_state (TlRunner   *self,
                                       TlInst     *inst,
                                       TlState     state,
                                       gint64      time_us);
void        _tl_runner_finish         (TlRunner   *self,
                                       TlInst     *inst,
                                       TlState     final_state,
                                       TlCause     cause,
                                       guint32     cause_instance);
void        _tl_runner_fail           (TlRunner   *self,
                                       TlInst     *inst,
                                       const char *message);
void        _tl_runner_leaf_done      (TlRunner   *self,
                                       TlInst     *inst,
                                       gint64      blocked_from_us,
                                       const char *default_result);
TlInstExtra *_tl_runner_ensure_extra  (TlRunner   *self,
                                       TlInst     *inst);
void        _tl_runner_flush_counters (TlRunner   *self);

/* tl-runner-outcomes.c */
char       *_tl_runner_format_duration (gint64     us);
const char *_tl_runner_default_result (TlRunner   *self,
                                       TlInst     *inst);
char       *_tl_runner_dup_error_of   (TlRunner   *self,
                                       TlInst     *child);
const char *_tl_runner_outcome_text   (TlRunner   *self,
                                       TlInst     *child,
                                       char      **to_free);
char       *_tl_runner_format_result_list (TlRunner *self,
                                       TlInst    **children,
                                       guint       n_children);
char       *_tl_runner_dup_cancel_reason (TlRunner *self,
                                       TlCause     cause,
                                       guint32     cause_instance);

/* tl-runner-leaves.c */
void        _tl_runner_leaf_start     (TlRunner   *self,
                                       TlInst     *inst);
/* Stops the leaf's work; TRUE when it never left a queue. */
gboolean    _tl_runner_leaf_stop      (TlRunner   *self,
                                       TlInst     *inst);
void        _tl_runner_init_pools     (TlRunner   *self);
gboolean    _tl_runner_pools_idle     (TlRunner   *self);
void        _tl_runner_free_pools     (TlRunner   *self);
void        _tl_runner_clear_pools    (TlRunner   *self);

G_END_DECLS
