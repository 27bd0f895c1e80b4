/* tl-runner-leaves.c — sleep, blocking, cpu and fetch; real and simulated pools
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "core/tl-fd-limit.h"
#include "run/tl-runner-private.h"

#define LOOP_BLOCKED_THRESHOLD_US (100 * 1000)

static inline const TlTaskSpec *
spec_of (TlRunner     *self,
         const TlInst *inst)
{
  return &self->preset->tasks[inst->spec];
}

static inline TlInst *
inst_of_timer (TlTimer *timer)
{
  return (TlInst *) (gpointer) ((char *) timer - G_STRUCT_OFFSET (TlInst, timer));
}

/* A timer or completion that came due while the loop was held is only
 * noticed when the hold ends: the task was BLOCKED from its due time. */
static gint64
blocked_since (TlRunner *self,
               gint64    due_us,
               gint64    now_us)
{
  if (due_us < now_us && due_us < self->last_hold_end_us)
    return due_us;
  return -1;
}

/* ---- sleep --------------------------------------------------------- */

static void
sleep_timer_cb (TlTimer  *timer,
                gint64    now_us,
                gpointer  user_data)
{
  TlRunner *self = user_data;
  TlInst *inst = inst_of_timer (timer);

  _tl_runner_leaf_done (self, inst, blocked_since (self, timer->deadline_us, now_us), NULL);
}

/* ---- work on the loop itself --------------------------------------- */

static void
hold_loop (TlRunner *self,
           TlInst   *inst,
           gint64    duration_us,
           gboolean  cpu)
{
  gint64 start = TL_RUNNER_NOW (self);
  gint64 end;
  gint64 stalled;

  _tl_runner_set_live_state (self, inst, TL_STATE_RUNNING, start);
  _tl_runner_flush_counters (self);

  /* Published before the hold, so another thread can watch it grow. */
  tl_loop_monitor_begin_stall (self->monitor, inst->id, start);
  if (tl_clock_is_virtual (self->clock))
    tl_clock_advance (self->clock, duration_us);
  else if (cpu)
    tl_cpu_burn (duration_us, NULL);
  else
    g_usleep ((gulong) duration_us);
  end = TL_RUNNER_NOW (self);
  stalled = tl_loop_monitor_end_stall (self->monitor, end);

  self->last_hold_start_us = start;
  self->last_hold_end_us = end;

  if (stalled > LOOP_BLOCKED_THRESHOLD_US)
    {
      g_autofree char *label = tl_trace_dup_label_for_message (self->trace, inst->id);
      g_autofree char *duration = _tl_runner_format_duration (stalled);
      g_autofree char *message = NULL;

      if (cpu)
        message = g_strdup_printf (_("%s held the event loop for %s, so no other task could run meanwhile. "
                                     "Move CPU-heavy work to a process (On=process)."),
                                   label, duration);
      else
        message = g_strdup_printf (_("%s held the event loop for %s with a blocking call, so no other task could run meanwhile. "
                                     "Run blocking calls in a thread (On=thread) or use an async version."),
                                   label, duration);
      tl_trace_add_warning (self->trace, inst->id, TL_WARNING_LOOP_BLOCKED, message, end);
    }

  _tl_runner_leaf_done (self, inst, -1, NULL);
}

/* ---- simulated pools (virtual clock) ------------------------------- */

static TlVirtualPool *
vpool_of (TlRunner *self,
          TlInst   *inst)
{
  return spec_of (self, inst)->on == TL_ON_PROCESS ? &self->vprocesses : &self->vthreads;
}

static void
vpool_publish (TlRunner      *self,
               TlVirtualPool *pool)
{
  gint64 now = TL_RUNNER_NOW (self);

  tl_trace_set_counter (self->trace,
                        pool->is_process ? TL_COUNTER_PROCESSES_BUSY : TL_COUNTER_THREADS_BUSY,
                        pool->busy, now);
  tl_trace_set_counter (self->trace,
                        pool->is_process ? TL_COUNTER_PROCESSES_QUEUED : TL_COUNTER_THREADS_QUEUED,
                        pool->queue.length, now);
}

static void vpool_run (TlRunner *self, TlVirtualPool *pool, TlInst *inst, gint64 start_us);

/* Every CPU job holding the simulated GIL advances at 1/k of full speed
 * when k of them share it (hand-over every 5 ms, averaged out). */
static void
gil_advance (TlVirtualPool *pool,
             gint64         to_us)
{
  guint k = pool->gil_jobs->len;

  if (k > 0 && to_us > pool->gil_updated_us)
    {
      gint64 share = (to_us - pool->gil_updated_us) / k;

      for (guint i = 0; i < k; i++)
        {
          TlInst *job = g_ptr_array_index (pool->gil_jobs, i);

          job->extra->work_left_us -= share;
        }
    }
  pool->gil_updated_us = MAX (pool->gil_updated_us, to_us);
}

static void
gil_reschedule (TlRunner      *self,
                TlVirtualPool *pool)
{
  gint64 least = G_MAXINT64;
  guint k = pool->gil_jobs->len;

  if (k == 0)
    {
      tl_clock_disarm (self->clock, &pool->gil_timer);
      return;
    }
  for (guint i = 0; i < k; i++)
    {
      TlInst *job = g_ptr_array_index (pool->gil_jobs, i);

      least = MIN (least, MAX (job->extra->work_left_us, 0));
    }
  tl_clock_arm (self->clock, &pool->gil_timer, pool->gil_updated_us + least * k);
}

static void
vjob_end (TlRunner      *self,
          TlVirtualPool *pool,
          TlInst        *inst,
          gint64         end_us)
{
  gint64 now = TL_RUNNER_NOW (self);

  inst->flags &= ~(TL_INST_VJOB_ACTIVE | TL_INST_GIL_JOB);
  pool->busy--;

  _tl_runner_leaf_done (self, inst, blocked_since (self, end_us, now), NULL);

  /* The worker takes the next job itself, without the loop's help. */
  while (pool->busy < pool->n_slots && pool->queue.length > 0)
    vpool_run (self, pool, g_queue_pop_head (&pool->queue), end_us);

  vpool_publish (self, pool);
}

static void
gil_timer_cb (TlTimer  *timer,
              gint64    now_us,
              gpointer  user_data)
{
  TlRunner *self = user_data;
  TlVirtualPool *pool = &self->vthreads;
  gint64 at = timer->deadline_us;
  g_autoptr(GPtrArray) done = g_ptr_array_new ();

  gil_advance (pool, at);
  for (guint i = 0; i < pool->gil_jobs->len;)
    {
      TlInst *job = g_ptr_array_index (pool->gil_jobs, i);

      if (job->extra->work_left_us <= 0)
        {
          g_ptr_array_add (done, job);
          g_ptr_array_remove_index (pool->gil_jobs, i);
        }
      else
        i++;
    }
  for (guint i = 0; i < done->len; i++)
    vjob_end (self, pool, g_ptr_array_index (done, i), at);
  gil_reschedule (self, pool);
}

static void
vjob_timer_cb (TlTimer  *timer,
               gint64    now_us,
               gpointer  user_data)
{
  TlRunner *self = user_data;
  TlInst *inst = inst_of_timer (timer);

  vjob_end (self, vpool_of (self, inst), inst, timer->deadline_us);
}

static void
vpool_run (TlRunner      *self,
           TlVirtualPool *pool,
           TlInst        *inst,
           gint64         start_us)
{
  const TlTaskSpec *spec = spec_of (self, inst);

  pool->busy++;
  inst->flags |= TL_INST_VJOB_ACTIVE;
  inst->extra->job_started_us = start_us;
  _tl_runner_set_live_state (self, inst, TL_STATE_RUNNING, TL_RUNNER_NOW (self));

  if (pool->gil && spec->kind == TL_KIND_CPU)
    {
      gil_advance (pool, start_us);
      inst->flags |= TL_INST_GIL_JOB;
      inst->extra->work_left_us = spec->work_us;
      g_ptr_array_add (pool->gil_jobs, inst);
      gil_reschedule (self, pool);
    }
  else
    {
      gint64 duration = spec->kind == TL_KIND_CPU ? spec->work_us : spec->duration_us;

      inst->timer.func = vjob_timer_cb;
      tl_clock_arm (self->clock, &inst->timer, start_us + duration);
    }
}

static void
vpool_push (TlRunner *self,
            TlInst   *inst)
{
  TlVirtualPool *pool = vpool_of (self, inst);
  gint64 now = TL_RUNNER_NOW (self);

  _tl_runner_ensure_extra (self, inst);
  _tl_runner_set_live_state (self, inst, TL_STATE_QUEUED, now);
  if (pool->busy < pool->n_slots)
    vpool_run (self, pool, inst, now);
  else
    g_queue_push_tail (&pool->queue, inst);
  vpool_publish (self, pool);
}

/* TRUE when the job was still queued. */
static gboolean
vpool_cancel (TlRunner *self,
              TlInst   *inst)
{
  TlVirtualPool *pool = vpool_of (self, inst);

  if (g_queue_remove (&pool->queue, inst))
    {
      vpool_publish (self, pool);
      return TRUE;
    }

  if ((inst->flags & TL_INST_VJOB_ACTIVE) && pool->is_process)
    {
      /* The worker process is ended: its slot frees at once. */
      gint64 now = TL_RUNNER_NOW (self);

      tl_clock_disarm (self->clock, &inst->timer);
      inst->flags &= ~TL_INST_VJOB_ACTIVE;
      pool->busy--;
      while (pool->busy < pool->n_slots && pool->queue.length > 0)
        vpool_run (self, pool, g_queue_pop_head (&pool->queue), now);
      vpool_publish (self, pool);
    }
  /* A call running on a thread cannot be interrupted: it keeps its slot
   * until it returns, and the finished task ignores the result. */
  return FALSE;
}

/* ---- real pools ---------------------------------------------------- */

static void
job_started_cb (TlPoolJob *job,
                gpointer   user_data)
{
  TlInstExtra *extra = user_data;
  TlRunner *self = extra->runner;
  gint64 now = TL_RUNNER_NOW (self);

  extra->job_started_us = now;
  _tl_runner_set_live_state (self, extra->owner, TL_STATE_RUNNING, now);
  _tl_runner_flush_counters (self);
}

static void
job_finished_cb (TlPoolJob    *job,
                 const GError *error,
                 gpointer      user_data)
{
  TlInstExtra *extra = user_data;
  TlRunner *self = extra->runner;
  TlInst *inst = extra->owner;
  const TlTaskSpec *spec = spec_of (self, inst);

  inst->flags &= ~TL_INST_JOB_PENDING;
  self->n_outstanding--;

  if (!TL_STATE_IS_FINAL (inst->state))
    {
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _tl_runner_finish (self, inst,
                           inst->state == TL_STATE_QUEUED ? TL_STATE_NEVER_STARTED : TL_STATE_CANCELLED,
                           TL_CAUSE_USER, TL_NO_INSTANCE);
      else if (error != NULL)
        _tl_runner_fail (self, inst, error->message);
      else
        {
          gint64 now = TL_RUNNER_NOW (self);
          gint64 work = spec->kind == TL_KIND_CPU ? spec->work_us : spec->duration_us;
          gint64 due = extra->job_started_us >= 0 ? extra->job_started_us + work : now;

          /* When the loop was held, the worker's completion waited for it. */
          if (self->last_hold_end_us > due && self->last_hold_start_us >= 0)
            due = MAX (due, self->last_hold_start_us);
          else
            due = now;
          _tl_runner_leaf_done (self, inst, blocked_since (self, due, now), NULL);
        }
    }

  /* Wakes the clock so a draining section can move on. */
  tl_clock_wake (self->clock);
}

static void
real_job_push (TlRunner  *self,
               TlInst    *inst,
               TlJobKind  kind,
               gint64     duration_us)
{
  const TlTaskSpec *spec = spec_of (self, inst);
  TlInstExtra *extra = _tl_runner_ensure_extra (self, inst);
  TlPoolJob job = { 0 };

  if (spec->on == TL_ON_PROCESS && self->process_pool == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->process_pool = tl_process_pool_new (self->n_processes, self->worker_path,
                                                self->trace, tl_clock_now_us_func,
                                                self->clock, &error);
      if (self->process_pool == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("could not start the worker processes: %s"), error->message);

          _tl_runner_set_live_state (self, inst, TL_STATE_RUNNING, TL_RUNNER_NOW (self));
          _tl_runner_fail (self, inst, message);
          return;
        }
    }
  else if (spec->on != TL_ON_PROCESS && self->thread_pool == NULL)
    self->thread_pool = tl_thread_pool_new (self->n_threads, self->preset->gil, self->trace,
                                            tl_clock_now_us_func, self->clock);

  if (extra->cancellable == NULL)
    extra->cancellable = g_cancellable_new ();

  _tl_runner_set_live_state (self, inst, TL_STATE_QUEUED, TL_RUNNER_NOW (self));

  job.kind = kind;
  job.duration_us = duration_us;
  job.instance = inst->id;
  job.cancellable = extra->cancellable;
  job.started = job_started_cb;
  job.finished = job_finished_cb;
  job.user_data = extra;

  inst->flags |= TL_INST_JOB_PENDING;
  self->n_outstanding++;
  if (spec->on == TL_ON_PROCESS)
    tl_process_pool_push (self->process_pool, &job);
  else
    tl_thread_pool_push (self->thread_pool, &job);
}

/* ---- fetch --------------------------------------------------------- */

static void
fetch_started_cb (gpointer user_data)
{
  TlInstExtra *extra = user_data;
  TlRunner *self = extra->runner;

  _tl_runner_set_live_state (self, extra->owner, TL_STATE_WAITING, TL_RUNNER_NOW (self));
  _tl_runner_flush_counters (self);
}

static void
fetch_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TlInstExtra *extra = user_data;
  TlRunner *self = extra->runner;
  TlInst *inst = extra->owner;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = tl_http_client_fetch_finish (self->http, result, &error);
  inst->flags &= ~TL_INST_JOB_PENDING;
  self->n_outstanding--;

  if (!TL_STATE_IS_FINAL (inst->state))
    {
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _tl_runner_finish (self, inst, TL_STATE_CANCELLED, TL_CAUSE_USER, TL_NO_INSTANCE);
      else if (error != NULL)
        _tl_runner_fail (self, inst, error->message);
      else
        _tl_runner_leaf_done (self, inst, -1, text);
    }

  tl_clock_wake (self->clock);
}

static void
fetch_start (TlRunner *self,
             TlInst   *inst)
{
  const TlTaskSpec *spec = spec_of (self, inst);
  TlInstExtra *extra = _tl_runner_ensure_extra (self, inst);
  g_autofree char *url = tl_preset_expand (spec->url, inst->copy);
  TlFetchRequest request = {
    .url = url,
    .method = spec->method,
    .body = spec->body,
    .expect_status = spec->expect_status,
    .n_expect_status = spec->n_expect_status,
    .max_bytes = spec->max_bytes,
  };

  if (self->http == NULL)
    {
      /* A connection to the built-in server takes a descriptor on each
       * side, both in this process. */
      gboolean local = spec->url != NULL && spec->url[0] == '/';
      guint fit = tl_fd_limit_connections_that_fit (local ? 2 : 1);
      guint connections = self->connections;

      if (connections > fit)
        {
          g_autofree char *message = NULL;

          message = local
            ? g_strdup_printf (_("Connections=%u lowered to %u: this process may open only %u files, "
                                 "and each connection to the built-in server takes two"),
                               connections, fit, tl_fd_limit_get ())
            : g_strdup_printf (_("Connections=%u lowered to %u: this process may open only %u files"),
                               connections, fit, tl_fd_limit_get ());
          tl_trace_add_warning (self->trace, inst->id, TL_WARNING_CONNECTIONS_LIMITED,
                                message, TL_RUNNER_NOW (self));
          connections = fit;
        }
      self->http = tl_http_client_new (connections, self->trace,
                                       tl_clock_now_us_func, self->clock);
    }
  if (extra->cancellable == NULL)
    extra->cancellable = g_cancellable_new ();

  _tl_runner_set_live_state (self, inst, TL_STATE_QUEUED, TL_RUNNER_NOW (self));
  inst->flags |= TL_INST_JOB_PENDING;
  self->n_outstanding++;
  tl_http_client_fetch_async (self->http, inst->id, &request, extra->cancellable,
                              fetch_started_cb, fetch_done_cb, extra);
}

/* ---- entry points -------------------------------------------------- */

void
_tl_runner_leaf_start (TlRunner *self,
                       TlInst   *inst)
{
  const TlTaskSpec *spec = spec_of (self, inst);
  gboolean virtual_time = tl_clock_is_virtual (self->clock);
  gint64 now = TL_RUNNER_NOW (self);

  switch (spec->kind)
    {
    case TL_KIND_SLEEP:
      _tl_runner_set_live_state (self, inst, TL_STATE_WAITING, now);
      inst->timer.func = sleep_timer_cb;
      tl_clock_arm (self->clock, &inst->timer, now + spec->duration_us);
      break;

    case TL_KIND_BLOCKING:
      if (spec->on == TL_ON_LOOP)
        hold_loop (self, inst, spec->duration_us, FALSE);
      else if (virtual_time)
        vpool_push (self, inst);
      else
        real_job_push (self, inst, TL_JOB_BLOCKING, spec->duration_us);
      break;

    case TL_KIND_CPU:
      if (spec->on == TL_ON_LOOP)
        hold_loop (self, inst, spec->work_us, TRUE);
      else if (virtual_time)
        vpool_push (self, inst);
      else
        real_job_push (self, inst, TL_JOB_CPU, spec->work_us);
      break;

    case TL_KIND_FETCH:
      /* tl_runner_check() keeps fetch away from the virtual clock. */
      g_assert (!virtual_time);
      fetch_start (self, inst);
      break;

    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
_tl_runner_leaf_stop (TlRunner *self,
                      TlInst   *inst)
{
  const TlTaskSpec *spec = spec_of (self, inst);
  gboolean queued = inst->state == TL_STATE_QUEUED;

  switch (spec->kind)
    {
    case TL_KIND_SLEEP:
      tl_clock_disarm (self->clock, &inst->timer);
      return FALSE;

    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
      if (spec->on == TL_ON_LOOP)
        return FALSE;
      if (tl_clock_is_virtual (self->clock))
        return vpool_cancel (self, inst);
      /* The pool drops a queued job; a process job's worker is ended; a
       * thread job runs on to its end and its result is ignored. */
      if (inst->extra != NULL && inst->extra->cancellable != NULL)
        g_cancellable_cancel (inst->extra->cancellable);
      return queued;

    case TL_KIND_FETCH:
      if (inst->extra != NULL && inst->extra->cancellable != NULL)
        g_cancellable_cancel (inst->extra->cancellable);
      return queued;

    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      return FALSE;
    }
}

static void
vpool_init (TlVirtualPool *pool,
            guint          n_slots,
            gboolean       gil,
            gboolean       is_process)
{
  pool->n_slots = MAX (n_slots, 1);
  pool->busy = 0;
  g_queue_init (&pool->queue);
  pool->gil = gil;
  pool->is_process = is_process;
  if (pool->gil_jobs == NULL)
    pool->gil_jobs = g_ptr_array_new ();
  pool->gil_updated_us = 0;
  tl_timer_init (&pool->gil_timer, gil_timer_cb);
}

void
_tl_runner_init_pools (TlRunner *self)
{
  vpool_init (&self->vthreads, self->n_threads, self->preset->gil, FALSE);
  vpool_init (&self->vprocesses, self->n_processes, FALSE, TRUE);
}

gboolean
_tl_runner_pools_idle (TlRunner *self)
{
  return self->n_outstanding == 0 &&
         self->vthreads.busy == 0 && self->vthreads.queue.length == 0 &&
         self->vprocesses.busy == 0 && self->vprocesses.queue.length == 0;
}

void
_tl_runner_free_pools (TlRunner *self)
{
  /* Called between sections (nothing outstanding) and on dispose, where
   * the pools wait for running calls and drop queued ones. */
  g_clear_pointer (&self->thread_pool, tl_thread_pool_free);
  g_clear_pointer (&self->process_pool, tl_process_pool_free);
  g_clear_pointer (&self->http, tl_http_client_free);
}

void
_tl_runner_clear_pools (TlRunner *self)
{
  g_queue_clear (&self->vthreads.queue);
  g_queue_clear (&self->vprocesses.queue);
  g_clear_pointer (&self->vthreads.gil_jobs, g_ptr_array_unref);
  g_clear_pointer (&self->vprocesses.gil_jobs, g_ptr_array_unref);
}
