/* tl-thread-pool.c — N worker threads, a FIFO queue, an optional GIL
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Our own threads rather than g_task_run_in_thread(): GLib's shared pool
 * grows past any limit we would like to show, and a GThreadPool cannot
 * take a cancelled job back out of its queue. Here the queue is ours: the
 * workers pull jobs from it themselves (so the next queued job starts the
 * moment a thread frees up, even while the engine loop is blocked, as in
 * a ThreadPoolExecutor), and a job cancelled while queued leaves it at
 * once.
 *
 * Ownership: the engine thread owns the counters, the trace and the
 * callbacks; worker threads own nothing but the job they are running and
 * report back through a TlPoolMailbox. `queued` counts jobs pushed and
 * not yet reported started, `busy` jobs reported started and not yet
 * reported finished: both change only on the engine thread, in the same
 * order the callbacks run.
 */
#define G_LOG_DOMAIN "tl-thread-pool"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pools/tl-gil.h"
#include "pools/tl-pool-mailbox.h"
#include "pools/tl-thread-pool.h"

typedef struct {
  TlPoolJob     job;
  guint64       id;
  gulong        cancel_handler; /* engine side: takes it out of the queue */
  GList         link;           /* in pool->queue while queued */
  gboolean      queued;         /* protected by pool->mutex */
} ThreadJob;

typedef enum {
  MESSAGE_STARTED,
  MESSAGE_FINISHED,
  MESSAGE_CANCELLED_IN_QUEUE,  /* a worker dequeued a job already cancelled */
  MESSAGE_CANCEL_REQUESTED,    /* a job's cancellable was cancelled */
} MessageType;

typedef struct {
  MessageType  type;
  ThreadJob   *job;             /* owned by a FINISHED / CANCELLED_IN_QUEUE message */
  guint64      id;              /* CANCEL_REQUESTED */
  GError      *error;
} Message;

struct _TlThreadPool
{
  /* Engine side. */
  GMainContext   *context;
  TlTrace        *trace;
  gint64        (*now_us) (gpointer clock);
  gpointer        clock;
  TlPoolMailbox  *mailbox;
  guint           busy;
  guint           queued;
  gint64          last_busy;
  gint64          last_queued;
  guint64         next_id;
  GHashTable     *jobs;         /* id → ThreadJob, from push until finished */

  /* Shared with the workers, under mutex. */
  GMutex          mutex;
  GCond           cond;
  GCond           quit_cond;      /* wakes blocking calls when the pool is freed */
  GQueue          queue;        /* of ThreadJob, through job->link */
  GPtrArray      *threads;
  guint           max_threads;
  guint           n_idle;       /* threads waiting for a job */
  gboolean        quit;

  TlGil          *gil;          /* NULL without GIL */
};

static void
thread_job_free (ThreadJob *tjob)
{
  tl_pool_mailbox_unwatch_cancellable (tjob->job.cancellable, tjob->cancel_handler);
  g_clear_object (&tjob->job.cancellable);
  g_free (tjob);
}

static void
message_free (gpointer data)
{
  Message *message = data;

  /* A STARTED message does not own its job: the FINISHED one does. */
  if (message->type == MESSAGE_FINISHED || message->type == MESSAGE_CANCELLED_IN_QUEUE)
    thread_job_free (message->job);
  g_clear_error (&message->error);
  g_free (message);
}

static gpointer
cancel_requested_message (guint64 id)
{
  Message *message = g_new0 (Message, 1);

  message->type = MESSAGE_CANCEL_REQUESTED;
  message->id = id;

  return message;
}

static void
post (TlThreadPool *self,
      MessageType   type,
      ThreadJob    *tjob,
      GError       *error)
{
  Message *message = g_new0 (Message, 1);

  message->type = type;
  message->job = tjob;
  message->error = error;
  tl_pool_mailbox_post (self->mailbox, message);
}

static gint64
pool_now (TlThreadPool *self)
{
  return self->now_us != NULL ? self->now_us (self->clock) : g_get_monotonic_time ();
}

/* Engine thread only: the trace has one writer. */
static void
publish_counters (TlThreadPool *self)
{
  gint64 now = 0;
  gboolean have_now = FALSE;

  if (self->trace == NULL)
    return;

  if (self->last_queued != self->queued)
    {
      now = pool_now (self);
      have_now = TRUE;
      tl_trace_set_counter (self->trace, TL_COUNTER_THREADS_QUEUED, self->queued, now);
      self->last_queued = self->queued;
    }
  if (self->last_busy != self->busy)
    {
      if (!have_now)
        now = pool_now (self);
      tl_trace_set_counter (self->trace, TL_COUNTER_THREADS_BUSY, self->busy, now);
      self->last_busy = self->busy;
    }
}

/* --- worker threads --- */

static GError *
run_job (TlThreadPool *self,
         ThreadJob    *tjob)
{
  TlPoolJob *job = &tjob->job;
  gint64 remaining;
  gboolean completed = TRUE;

  switch (job->kind)
    {
    case TL_JOB_BLOCKING:
      /* Like time.sleep(): nothing in the run can interrupt it once it
       * runs, and it holds no GIL while it waits. Only freeing the pool
       * (the run is over, nobody is watching) cuts it short, so stopping
       * a run never waits out an hour-long call. */
      if (job->duration_us > 0)
        {
          gint64 end = g_get_monotonic_time () + job->duration_us;

          g_mutex_lock (&self->mutex);
          while (!self->quit && g_cond_wait_until (&self->quit_cond, &self->mutex, end))
            ;
          g_mutex_unlock (&self->mutex);
        }
      return NULL;

    case TL_JOB_CPU:
      if (self->gil == NULL)
        {
          completed = tl_cpu_burn (job->duration_us, job->cancellable);
        }
      else
        {
          /* Compute only while holding the GIL, and give it to the next
           * thread in line after each switch interval. */
          remaining = job->duration_us;
          while (completed && remaining > 0)
            {
              gint64 slice = MIN (remaining, TL_GIL_SWITCH_INTERVAL_US);

              tl_gil_acquire (self->gil);
              completed = tl_cpu_burn (slice, job->cancellable);
              tl_gil_release (self->gil);
              remaining -= slice;
            }
        }
      break;

    default:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                          _("Unknown kind of pool job (%d)"), (int) job->kind);
    }

  if (!completed)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The CPU job was cancelled"));

  return NULL;
}

static gpointer
worker_thread (gpointer data)
{
  TlThreadPool *self = data;

  g_mutex_lock (&self->mutex);

  while (!self->quit)
    {
      ThreadJob *tjob;
      GList *link = g_queue_pop_head_link (&self->queue);

      if (link == NULL)
        {
          self->n_idle++;
          g_cond_wait (&self->cond, &self->mutex);
          self->n_idle--;
          continue;
        }

      tjob = link->data;
      tjob->queued = FALSE;
      g_mutex_unlock (&self->mutex);

      if (g_cancellable_is_cancelled (tjob->job.cancellable))
        {
          post (self, MESSAGE_CANCELLED_IN_QUEUE, tjob, NULL);
        }
      else
        {
          GError *error;

          post (self, MESSAGE_STARTED, tjob, NULL);
          error = run_job (self, tjob);
          post (self, MESSAGE_FINISHED, tjob, error);
        }

      g_mutex_lock (&self->mutex);
    }

  g_mutex_unlock (&self->mutex);

  return NULL;
}

/* --- engine side --- */

/* The job has left the pool's hands: report it, then free it. The
 * callback may free the pool, so nothing here touches the pool after it. */
static void
call_finished_and_free (TlThreadPool *self,
                        ThreadJob    *tjob,
                        const GError *error)
{
  g_hash_table_remove (self->jobs, &tjob->id);
  if (tjob->job.finished != NULL)
    tjob->job.finished (&tjob->job, error, tjob->job.user_data);
  thread_job_free (tjob);
}

static void
finish_cancelled_in_queue (TlThreadPool *self,
                           ThreadJob    *tjob)
{
  g_autoptr(GError) error = NULL;

  self->queued--;
  publish_counters (self);

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The job was cancelled while it waited for a thread"));
  call_finished_and_free (self, tjob, error);
}

/* A job whose cancellable was cancelled leaves the queue at once if no
 * worker has taken it yet; a worker that has reports the outcome itself. */
static void
take_out_of_queue (TlThreadPool *self,
                   ThreadJob    *tjob)
{
  gboolean was_queued = FALSE;

  if (tjob == NULL)
    return;   /* already finished */

  g_mutex_lock (&self->mutex);
  if (tjob->queued)
    {
      g_queue_unlink (&self->queue, &tjob->link);
      tjob->queued = FALSE;
      was_queued = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  if (was_queued)
    finish_cancelled_in_queue (self, tjob);
}

static void
handle_message (gpointer data,
                gpointer user_data)
{
  TlThreadPool *self = user_data;
  g_autofree Message *message = data;
  g_autoptr(GError) error = g_steal_pointer (&message->error);
  ThreadJob *tjob = message->job;

  switch (message->type)
    {
    case MESSAGE_STARTED:
      self->queued--;
      self->busy++;
      publish_counters (self);
      if (tjob->job.started != NULL)
        tjob->job.started (&tjob->job, tjob->job.user_data);
      break;

    case MESSAGE_FINISHED:
      self->busy--;
      publish_counters (self);
      call_finished_and_free (self, tjob, error);
      break;

    case MESSAGE_CANCELLED_IN_QUEUE:
      finish_cancelled_in_queue (self, tjob);
      break;

    case MESSAGE_CANCEL_REQUESTED:
      take_out_of_queue (self, g_hash_table_lookup (self->jobs, &message->id));
      break;

    default:
      g_assert_not_reached ();
    }
}

TlThreadPool *
tl_thread_pool_new (guint      n_threads,
                    gboolean   gil,
                    TlTrace   *trace,
                    gint64   (*now_us) (gpointer clock),
                    gpointer   clock)
{
  TlThreadPool *self;

  g_return_val_if_fail (n_threads > 0, NULL);

  self = g_new0 (TlThreadPool, 1);
  self->context = g_main_context_ref_thread_default ();
  self->trace = trace != NULL ? tl_trace_ref (trace) : NULL;
  self->now_us = now_us;
  self->clock = clock;
  self->mailbox = tl_pool_mailbox_new (self->context, "[tl] thread pool results",
                                       handle_message, message_free, self);
  self->last_busy = -1;
  self->last_queued = -1;
  self->jobs = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_cond_init (&self->quit_cond);
  g_queue_init (&self->queue);
  self->threads = g_ptr_array_new ();
  self->max_threads = n_threads;
  self->gil = gil ? tl_gil_new () : NULL;

  /* Both counters start at 0 on the timeline. */
  publish_counters (self);

  return self;
}

void
tl_thread_pool_free (TlThreadPool *self)
{
  GList *link;

  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  /* Queued jobs are dropped without a call back. */
  while ((link = g_queue_pop_head_link (&self->queue)) != NULL)
    {
      ThreadJob *tjob = link->data;

      tjob->queued = FALSE;
      thread_job_free (tjob);
    }
  g_cond_broadcast (&self->cond);
  g_cond_broadcast (&self->quit_cond);
  g_mutex_unlock (&self->mutex);

  /* Running jobs have nobody left to report to: blocking calls wake at
   * once, and CPU jobs of cancelled tasks stop at their next check. */
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (g_ptr_array_index (self->threads, i));
  g_ptr_array_unref (self->threads);

  /* No thread posts any more: what they reported is dropped unseen. */
  tl_pool_mailbox_free (self->mailbox);
  g_hash_table_unref (self->jobs);

  tl_gil_free (self->gil);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_cond_clear (&self->quit_cond);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_main_context_unref (self->context);
  g_free (self);
}

void
tl_thread_pool_push (TlThreadPool    *self,
                     const TlPoolJob *job)
{
  ThreadJob *tjob;

  g_return_if_fail (self != NULL);
  g_return_if_fail (job != NULL);
  g_return_if_fail (job->cancellable == NULL || G_IS_CANCELLABLE (job->cancellable));

  tjob = g_new0 (ThreadJob, 1);
  tjob->job = *job;
  if (tjob->job.cancellable != NULL)
    g_object_ref (tjob->job.cancellable);
  tjob->id = ++self->next_id;
  tjob->link.data = tjob;
  tjob->queued = TRUE;
  g_hash_table_insert (self->jobs, &tjob->id, tjob);

  self->queued++;
  publish_counters (self);

  /* Whatever thread cancels it, the engine context hears of it. */
  tjob->cancel_handler = tl_pool_mailbox_watch_cancellable (self->mailbox, tjob->job.cancellable,
                                                            cancel_requested_message, tjob->id);

  g_mutex_lock (&self->mutex);
  g_queue_push_tail_link (&self->queue, &tjob->link);
  /* Threads start on demand: a run that never uses the pool never pays
   * for 256 idle threads. */
  if (self->queue.length > self->n_idle && self->threads->len < self->max_threads)
    {
      g_autofree char *name = g_strdup_printf ("tl-worker-%u", self->threads->len + 1);

      g_ptr_array_add (self->threads, g_thread_new (name, worker_thread, self));
    }
  else
    {
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
}

guint
tl_thread_pool_get_busy (TlThreadPool *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->busy;
}

guint
tl_thread_pool_get_queued (TlThreadPool *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->queued;
}
