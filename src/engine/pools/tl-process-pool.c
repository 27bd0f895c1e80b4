/* tl-process-pool.c — persistent tasklanes-worker processes
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pool keeps up to N worker processes of our own program and hands
 * each one job at a time over a line protocol (tl-worker-protocol.h).
 *
 * All process handling (spawning, the pipes, waiting for exits, the FIFO
 * queue) happens on one manager thread with its own GMainContext, the
 * role of ProcessPoolExecutor's management thread: a worker that finishes
 * gets its next job at once even while the engine loop is blocked, and
 * freeing the pool can wait for every exit without re-entering the
 * engine's loop. The engine thread keeps the counters, the trace and the
 * callbacks; the two sides talk only through TlPoolMailbox messages, and
 * a job belongs to exactly one side at a time.
 *
 * Workers start on demand, up to N, and stay. One that dies is reaped
 * (g_subprocess_wait_async), the job it ran fails with the reason, and a
 * fresh worker takes its place so the queue goes on.
 */
#define G_LOG_DOMAIN "tl-process-pool"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pools/tl-pool-mailbox.h"
#include "pools/tl-process-pool.h"
#include "pools/tl-worker-protocol.h"

typedef struct _Worker Worker;

typedef enum {
  JOB_QUEUED,
  JOB_RUNNING,
} JobState;

typedef struct {
  TlPoolJob      job;
  guint64        id;
  /* Manager side. */
  JobState       state;
  GList          link;            /* in pool->queue while queued */
  gulong         cancel_handler;
  Worker        *worker;          /* while running */
} ProcessJob;

struct _Worker
{
  int                 ref_count;  /* the workers array, the read, the wait */
  TlProcessPool      *pool;
  GSubprocess        *process;
  GDataInputStream   *stdout_lines;
  GOutputStream      *stdin_pipe;
  GCancellable       *io_cancellable;
  GPid                pid;
  gboolean            hello_seen;
  gboolean            ending;      /* we ended it: no crash report */
  gboolean            exited;
  guint               n_jobs_done;
  ProcessJob         *job;
  char               *failure;     /* why we ended it, for its job */
};

/* Engine → manager. */
typedef enum {
  COMMAND_PUSH,
  COMMAND_CANCEL,                 /* a job's cancellable was cancelled */
  COMMAND_QUIT,
} CommandType;

typedef struct {
  CommandType  type;
  ProcessJob  *job;               /* PUSH: owned */
  guint64      id;                /* CANCEL */
} Command;

/* Manager → engine. */
typedef enum {
  REPORT_STARTED,
  REPORT_FINISHED,
} ReportType;

typedef struct {
  ReportType   type;
  ProcessJob  *job;               /* FINISHED: owned */
  gboolean     was_started;       /* FINISHED */
  GError      *error;             /* FINISHED */
} Report;

struct _TlProcessPool
{
  /* Engine side. */
  GMainContext   *context;
  TlTrace        *trace;
  gint64        (*now_us) (gpointer clock);
  gpointer        clock;
  TlPoolMailbox  *reports;
  guint           busy;
  guint           queued;
  gint64          last_busy;
  gint64          last_queued;
  guint64         next_id;

  /* Manager thread. */
  GThread        *thread;
  GMainContext   *manager_context;
  GMainLoop      *manager_loop;
  TlPoolMailbox  *commands;
  char           *worker_path;
  guint           max_workers;
  GPtrArray      *workers;        /* Worker, alive and not yet reaped */
  guint           n_worker_structs;
  GQueue          queue;          /* ProcessJob, through job->link */
  GHashTable     *jobs;           /* id → ProcessJob, while the manager has it */
  gboolean        quitting;

  /* Read by tests on any thread. */
  GMutex          pids_mutex;
  GArray         *pids;           /* GPid */
};

static void dispatch_queue (TlProcessPool *self);

/* --- jobs and messages --- */

static void
process_job_free (ProcessJob *pjob)
{
  tl_pool_mailbox_unwatch_cancellable (pjob->job.cancellable, pjob->cancel_handler);
  g_clear_object (&pjob->job.cancellable);
  g_free (pjob);
}

static gpointer
cancel_command (guint64 id)
{
  Command *command = g_new0 (Command, 1);

  command->type = COMMAND_CANCEL;
  command->id = id;

  return command;
}

static void
command_free (gpointer data)
{
  Command *command = data;

  g_clear_pointer (&command->job, process_job_free);
  g_free (command);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  if (report->type == REPORT_FINISHED)
    g_clear_pointer (&report->job, process_job_free);
  g_clear_error (&report->error);
  g_free (report);
}

/* --- engine side --- */

static gint64
pool_now (TlProcessPool *self)
{
  return self->now_us != NULL ? self->now_us (self->clock) : g_get_monotonic_time ();
}

/* Engine thread only: the trace has one writer. */
static void
publish_counters (TlProcessPool *self)
{
  gint64 now;

  if (self->trace == NULL
      || (self->last_queued == self->queued && self->last_busy == self->busy))
    return;

  now = pool_now (self);
  if (self->last_queued != self->queued)
    {
      tl_trace_set_counter (self->trace, TL_COUNTER_PROCESSES_QUEUED, self->queued, now);
      self->last_queued = self->queued;
    }
  if (self->last_busy != self->busy)
    {
      tl_trace_set_counter (self->trace, TL_COUNTER_PROCESSES_BUSY, self->busy, now);
      self->last_busy = self->busy;
    }
}

static void
handle_report (gpointer data,
               gpointer user_data)
{
  TlProcessPool *self = user_data;
  Report *report = data;
  ProcessJob *pjob = report->job;

  if (report->type == REPORT_STARTED)
    {
      self->queued--;
      self->busy++;
      publish_counters (self);
      g_free (report);
      /* Last: the callback may free the pool. */
      if (pjob->job.started != NULL)
        pjob->job.started (&pjob->job, pjob->job.user_data);
      return;
    }

  if (report->was_started)
    self->busy--;
  else
    self->queued--;
  publish_counters (self);

  /* The job no longer belongs to the pool: the callback may free it. */
  if (pjob->job.finished != NULL)
    pjob->job.finished (&pjob->job, report->error, pjob->job.user_data);
  report_free (report);
}

/* --- manager thread --- */

static void
report (TlProcessPool *self,
        ReportType     type,
        ProcessJob    *pjob,
        gboolean       was_started,
        GError        *error)
{
  Report *r = g_new0 (Report, 1);

  r->type = type;
  r->job = pjob;
  r->was_started = was_started;
  r->error = error;
  tl_pool_mailbox_post (self->reports, r);
}

/* Hands a job back to the engine for good. */
static void
finish_job (TlProcessPool *self,
            ProcessJob    *pjob,
            GError        *error)
{
  gboolean was_started = pjob->state == JOB_RUNNING;

  /* From here the engine owns it; no more cancel commands for it. */
  tl_pool_mailbox_unwatch_cancellable (pjob->job.cancellable, pjob->cancel_handler);
  pjob->cancel_handler = 0;
  g_hash_table_remove (self->jobs, &pjob->id);
  pjob->worker = NULL;
  report (self, REPORT_FINISHED, pjob, was_started, error);
}

static void
update_pids (TlProcessPool *self)
{
  g_mutex_lock (&self->pids_mutex);
  g_array_set_size (self->pids, 0);
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (!worker->exited)
        g_array_append_val (self->pids, worker->pid);
    }
  g_mutex_unlock (&self->pids_mutex);
}

static Worker *
worker_ref (Worker *worker)
{
  worker->ref_count++;
  return worker;
}

static void
worker_unref (Worker *worker)
{
  TlProcessPool *self = worker->pool;

  if (--worker->ref_count > 0)
    return;

  g_assert (worker->job == NULL);
  g_clear_object (&worker->stdout_lines);
  g_clear_object (&worker->stdin_pipe);
  g_clear_object (&worker->io_cancellable);
  g_clear_object (&worker->process);
  g_free (worker->failure);
  g_free (worker);

  self->n_worker_structs--;
  if (self->quitting && self->n_worker_structs == 0)
    g_main_loop_quit (self->manager_loop);
}

/* Ends a worker we no longer trust or need; its exit is still reaped by
 * worker_exited_cb(). @failure becomes its job's error, if it has one. */
static void
end_worker (Worker     *worker,
            const char *failure)
{
  if (failure != NULL && worker->failure == NULL)
    worker->failure = g_strdup (failure);

  if (worker->ending)
    return;

  worker->ending = TRUE;
  /* SIGKILL: a CPU loop cannot be asked politely, and nothing it does
   * needs cleaning up. */
  g_subprocess_force_exit (worker->process);
}

static void read_next_line (Worker *worker);

static void
handle_line (Worker     *worker,
             const char *line)
{
  TlProcessPool *self = worker->pool;
  g_autoptr(GError) error = NULL;
  TlWorkerReply reply;

  if (!tl_worker_parse_reply (line, &reply, &error))
    {
      g_autofree char *failure =
        g_strdup_printf (_("the worker program “%s” is not a Tasklanes worker or does not match this version: %s"),
                         self->worker_path, error->message);
      g_warning ("%s", failure);
      end_worker (worker, failure);
      return;
    }

  switch (reply.type)
    {
    case TL_WORKER_REPLY_HELLO:
      if (worker->hello_seen || reply.version != TL_WORKER_PROTOCOL_VERSION)
        {
          g_autofree char *failure =
            g_strdup_printf (_("the worker program “%s” speaks protocol version %u; this Tasklanes needs version %d"),
                             self->worker_path, reply.version, TL_WORKER_PROTOCOL_VERSION);
          g_warning ("%s", failure);
          end_worker (worker, failure);
        }
      worker->hello_seen = TRUE;
      break;

    case TL_WORKER_REPLY_DONE:
    case TL_WORKER_REPLY_ERROR:
      if (!worker->hello_seen || worker->job == NULL)
        {
          g_autofree char *failure =
            g_strdup_printf (_("the worker program “%s” answered out of turn: “%.64s”"),
                             self->worker_path, line);
          g_warning ("%s", failure);
          end_worker (worker, failure);
        }
      else if (!worker->ending)
        {
          ProcessJob *pjob = g_steal_pointer (&worker->job);
          GError *job_error = NULL;

          worker->n_jobs_done++;

          if (reply.type == TL_WORKER_REPLY_ERROR)
            job_error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     _("The worker process refused the job: %s"), reply.message);
          else
            g_debug ("worker %d: job of %" G_GINT64_FORMAT " µs done, %" G_GINT64_FORMAT " µs CPU, %" G_GINT64_FORMAT " µs wall",
                     (int) worker->pid, pjob->job.duration_us, reply.cpu_us, reply.wall_us);

          finish_job (self, pjob, job_error);
          dispatch_queue (self);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  tl_worker_reply_clear (&reply);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Worker *worker = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, &error);

  /* End of file or an error: the process is going; its exit is handled
   * by worker_exited_cb(), which knows the status. */
  if (line != NULL && !worker->exited)
    {
      if (length > TL_WORKER_MAX_LINE || strlen (line) != length)
        end_worker (worker, _("The worker process sent an invalid line"));
      else
        handle_line (worker, line);

      if (!worker->ending)
        read_next_line (worker);
    }

  worker_unref (worker);
}

static void
read_next_line (Worker *worker)
{
  g_data_input_stream_read_line_async (worker->stdout_lines, G_PRIORITY_DEFAULT,
                                       worker->io_cancellable, read_line_cb,
                                       worker_ref (worker));
}

/* "SIGKILL" for 9: the name is what people look up. */
static const char *
signal_name (int signum)
{
  static const struct { int number; const char *name; } names[] = {
    { SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
    { SIGILL, "SIGILL" }, { SIGABRT, "SIGABRT" }, { SIGBUS, "SIGBUS" },
    { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" }, { SIGSEGV, "SIGSEGV" },
    { SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
    { SIGXCPU, "SIGXCPU" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].number == signum)
      return names[i].name;
  return NULL;
}

static GError *
exit_error (Worker   *worker,
            gboolean  replaced)
{
  if (worker->failure != NULL)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, worker->failure);

  if (g_subprocess_get_if_signaled (worker->process))
    {
      int signum = g_subprocess_get_term_sig (worker->process);
      const char *name = signal_name (signum);
      g_autofree char *what = name != NULL ? g_strdup_printf ("%s, signal %d", name, signum)
                                           : g_strdup_printf ("signal %d", signum);

      if (replaced)
        return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                            _("the worker process running this job was killed (%s); a new one was started"),
                            what);
      return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                          _("the worker process running this job was killed (%s)"), what);
    }

  return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                      replaced ? _("the worker process running this job exited unexpectedly (status %d); a new one was started")
                               : _("the worker process running this job exited unexpectedly (status %d)"),
                      g_subprocess_get_exit_status (worker->process));
}

static Worker *spawn_worker (TlProcessPool *self, GError **error);

static void
worker_exited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Worker *worker = user_data;
  TlProcessPool *self = worker->pool;
  ProcessJob *pjob;
  gboolean replaced = FALSE;

  /* No cancellable: this always completes, once the child is reaped. */
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);

  worker->exited = TRUE;
  g_cancellable_cancel (worker->io_cancellable);
  g_ptr_array_remove (self->workers, worker);

  pjob = g_steal_pointer (&worker->job);

  /* Replace a worker that was doing its job at once, before its job's
   * failure is reported, so the pool is whole again when the runner
   * hears of it. One that died idle and never did a job (a program that
   * is not really a worker) is only replaced on demand by the next job:
   * otherwise a worker that exits at once would be restarted forever. */
  if (!self->quitting && (pjob != NULL || worker->n_jobs_done > 0))
    {
      g_autoptr(GError) spawn_error = NULL;

      g_debug ("worker %d is gone, starting another", (int) worker->pid);
      /* The next job that needs a worker tries again and reports it. */
      if (spawn_worker (self, &spawn_error) == NULL)
        g_debug ("%s", spawn_error->message);
      else
        replaced = TRUE;
    }

  update_pids (self);

  if (pjob != NULL)
    {
      GError *error;

      if (g_cancellable_is_cancelled (pjob->job.cancellable) && worker->failure == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _("The job was cancelled; its worker process was ended"));
      else
        error = exit_error (worker, replaced);

      finish_job (self, pjob, error);
    }

  if (!self->quitting)
    dispatch_queue (self);

  worker_unref (worker);   /* the array's reference */
  worker_unref (worker);   /* the wait's reference */
}

static Worker *
spawn_worker (TlProcessPool  *self,
              GError        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *identifier;
  Worker *worker;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &local_error, self->worker_path, NULL);
  if (process == NULL)
    {
      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("could not start the worker program “%s”: %s"),
                   self->worker_path, local_error->message);
      return NULL;
    }

  worker = g_new0 (Worker, 1);
  worker->ref_count = 1;   /* the workers array */
  worker->pool = self;
  worker->process = g_steal_pointer (&process);
  worker->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (worker->process));
  worker->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker->process));
  g_data_input_stream_set_newline_type (worker->stdout_lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  worker->io_cancellable = g_cancellable_new ();
  identifier = g_subprocess_get_identifier (worker->process);
  worker->pid = identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;

  self->n_worker_structs++;
  g_ptr_array_add (self->workers, worker);
  update_pids (self);

  g_subprocess_wait_async (worker->process, NULL, worker_exited_cb, worker_ref (worker));
  read_next_line (worker);

  g_debug ("started worker %d", (int) worker->pid);

  return worker;
}

static Worker *
find_idle_worker (TlProcessPool *self)
{
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (worker->job == NULL && !worker->ending && !worker->exited)
        return worker;
    }

  return NULL;
}

static void
start_job (TlProcessPool *self,
           Worker        *worker,
           ProcessJob    *pjob)
{
  g_autofree char *request = tl_worker_format_request (pjob->job.kind, pjob->job.duration_us);
  g_autofree char *line = g_strconcat (request, "\n", NULL);
  g_autoptr(GError) error = NULL;

  pjob->state = JOB_RUNNING;
  pjob->worker = worker;
  worker->job = pjob;
  report (self, REPORT_STARTED, pjob, TRUE, NULL);

  /* A few bytes into an idle worker's pipe never block. If the write
   * fails the worker is dying, and its exit reports the job. */
  if (!g_output_stream_write_all (worker->stdin_pipe, line, strlen (line), NULL, NULL, &error)
      || !g_output_stream_flush (worker->stdin_pipe, NULL, &error))
    g_debug ("could not write to worker %d: %s", (int) worker->pid, error->message);
}

static void
dispatch_queue (TlProcessPool *self)
{
  while (!self->quitting && self->queue.length > 0)
    {
      ProcessJob *pjob = g_queue_peek_head (&self->queue);
      Worker *worker = find_idle_worker (self);
      g_autoptr(GError) error = NULL;

      if (worker == NULL && self->workers->len < self->max_workers)
        worker = spawn_worker (self, &error);

      if (worker == NULL && error == NULL)
        return;   /* every worker is busy: the job waits its turn */

      g_queue_unlink (&self->queue, &pjob->link);

      if (worker == NULL)
        finish_job (self, pjob, g_steal_pointer (&error));
      else
        start_job (self, worker, pjob);
    }
}

static void
cancel_job (TlProcessPool *self,
            ProcessJob    *pjob)
{
  if (pjob == NULL)
    return;   /* already finished */

  if (pjob->state == JOB_QUEUED)
    {
      /* It leaves the queue at once instead of waiting for a worker. */
      g_queue_unlink (&self->queue, &pjob->link);
      finish_job (self, pjob, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The job was cancelled while it waited for a worker process")));
    }
  else if (pjob->worker != NULL)
    {
      /* A process can be stopped, unlike a thread: end the worker; its
       * exit reports the job and a new worker replaces it. */
      g_debug ("job cancelled: ending worker %d", (int) pjob->worker->pid);
      end_worker (pjob->worker, NULL);
    }
}

static void
handle_command (gpointer data,
                gpointer user_data)
{
  TlProcessPool *self = user_data;
  Command *command = data;

  switch (command->type)
    {
    case COMMAND_PUSH:
      {
        ProcessJob *pjob = g_steal_pointer (&command->job);

        if (g_cancellable_is_cancelled (pjob->job.cancellable))
          {
            finish_job (self, pjob, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The job was cancelled before it started")));
            break;
          }

        pjob->state = JOB_QUEUED;
        pjob->link.data = pjob;
        g_queue_push_tail_link (&self->queue, &pjob->link);
        g_hash_table_insert (self->jobs, &pjob->id, pjob);
        /* Whatever thread cancels it, this thread hears of it. */
        pjob->cancel_handler = tl_pool_mailbox_watch_cancellable (self->commands, pjob->job.cancellable,
                                                                  cancel_command, pjob->id);
        dispatch_queue (self);
      }
      break;

    case COMMAND_CANCEL:
      cancel_job (self, g_hash_table_lookup (self->jobs, &command->id));
      break;

    case COMMAND_QUIT:
      {
        GList *link;

        self->quitting = TRUE;
        g_hash_table_remove_all (self->jobs);

        /* Queued jobs are dropped without a call back. */
        while ((link = g_queue_pop_head_link (&self->queue)) != NULL)
          process_job_free (link->data);

        for (guint i = 0; i < self->workers->len; i++)
          {
            Worker *worker = g_ptr_array_index (self->workers, i);

            g_clear_pointer (&worker->job, process_job_free);
            end_worker (worker, NULL);
          }

        if (self->n_worker_structs == 0)
          g_main_loop_quit (self->manager_loop);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  command_free (command);
}

static gpointer
manager_thread (gpointer data)
{
  TlProcessPool *self = data;

  g_main_context_push_thread_default (self->manager_context);
  g_main_loop_run (self->manager_loop);
  g_main_context_pop_thread_default (self->manager_context);

  return NULL;
}

/* --- public --- */

const char *
tl_worker_find_path (void)
{
  static char *path;
  const char *env = g_getenv ("TASKLANES_WORKER");

  if (env != NULL && env[0] != '\0')
    return env;

  if (g_once_init_enter (&path))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *src_dir = g_path_get_dirname (WORKER_BUILDDIR);
      g_autofree char *build_root = g_path_get_dirname (src_dir);
      g_autofree char *build_worker = g_build_filename (WORKER_BUILDDIR, TL_WORKER_PROGRAM_NAME, NULL);
      char *found;

      /* WORKER_BUILDDIR is <build root>/src/worker. A program that runs
       * from inside the build root is uninstalled: it must use the worker
       * built beside it, never an older installed one. */
      if (exe != NULL
          && g_str_has_prefix (exe, build_root)
          && exe[strlen (build_root)] == G_DIR_SEPARATOR
          && g_file_test (build_worker, G_FILE_TEST_IS_EXECUTABLE))
        found = g_steal_pointer (&build_worker);
      else
        found = g_build_filename (PKGLIBEXECDIR, TL_WORKER_PROGRAM_NAME, NULL);

      g_once_init_leave (&path, found);
    }

  return path;
}

TlProcessPool *
tl_process_pool_new (guint        n_processes,
                     const char  *worker_path,
                     TlTrace     *trace,
                     gint64     (*now_us) (gpointer clock),
                     gpointer     clock,
                     GError     **error)
{
  TlProcessPool *self;
  struct sigaction sigpipe_action;

  g_return_val_if_fail (n_processes > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (worker_path == NULL)
    worker_path = tl_worker_find_path ();

  if (!g_file_test (worker_path, G_FILE_TEST_IS_REGULAR)
      || !g_file_test (worker_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("the worker program “%s” is missing or not executable; process jobs cannot run"),
                   worker_path);
      return NULL;
    }

  /* Writing to a worker that just died must fail with EPIPE, not kill the
   * whole application. Only the default action is replaced: a handler
   * the program installed itself stays. */
  if (sigaction (SIGPIPE, NULL, &sigpipe_action) == 0
      && sigpipe_action.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);

  self = g_new0 (TlProcessPool, 1);
  self->context = g_main_context_ref_thread_default ();
  self->trace = trace != NULL ? tl_trace_ref (trace) : NULL;
  self->now_us = now_us;
  self->clock = clock;
  self->reports = tl_pool_mailbox_new (self->context, "[tl] process pool results",
                                       handle_report, report_free, self);
  self->last_busy = -1;
  self->last_queued = -1;

  self->manager_context = g_main_context_new ();
  self->manager_loop = g_main_loop_new (self->manager_context, FALSE);
  self->commands = tl_pool_mailbox_new (self->manager_context, "[tl] process pool commands",
                                        handle_command, command_free, self);
  self->worker_path = g_strdup (worker_path);
  self->max_workers = n_processes;
  self->workers = g_ptr_array_new ();
  g_queue_init (&self->queue);
  self->jobs = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_mutex_init (&self->pids_mutex);
  self->pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  publish_counters (self);

  self->thread = g_thread_new ("tl-processes", manager_thread, self);

  return self;
}

void
tl_process_pool_free (TlProcessPool *self)
{
  Command *command;

  if (self == NULL)
    return;

  command = g_new0 (Command, 1);
  command->type = COMMAND_QUIT;
  tl_pool_mailbox_post (self->commands, command);

  /* The manager returns once every worker has been ended and reaped. */
  g_thread_join (self->thread);

  tl_pool_mailbox_free (self->commands);
  tl_pool_mailbox_free (self->reports);
  g_main_loop_unref (self->manager_loop);
  g_main_context_unref (self->manager_context);

  g_assert (self->workers->len == 0);
  g_ptr_array_unref (self->workers);
  g_hash_table_unref (self->jobs);
  g_array_unref (self->pids);
  g_mutex_clear (&self->pids_mutex);
  g_free (self->worker_path);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_main_context_unref (self->context);
  g_free (self);
}

void
tl_process_pool_push (TlProcessPool   *self,
                      const TlPoolJob *job)
{
  Command *command;
  ProcessJob *pjob;

  g_return_if_fail (self != NULL);
  g_return_if_fail (job != NULL);
  g_return_if_fail (job->cancellable == NULL || G_IS_CANCELLABLE (job->cancellable));

  pjob = g_new0 (ProcessJob, 1);
  pjob->job = *job;
  if (pjob->job.cancellable != NULL)
    g_object_ref (pjob->job.cancellable);
  pjob->id = ++self->next_id;
  pjob->state = JOB_QUEUED;

  self->queued++;
  publish_counters (self);

  command = g_new0 (Command, 1);
  command->type = COMMAND_PUSH;
  command->job = pjob;
  tl_pool_mailbox_post (self->commands, command);
}

guint
tl_process_pool_get_busy (TlProcessPool *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->busy;
}

guint
tl_process_pool_get_queued (TlProcessPool *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->queued;
}

GArray *
tl_process_pool_dup_pids (TlProcessPool *self)
{
  GArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->pids_mutex);
  copy = g_array_sized_new (FALSE, FALSE, sizeof (GPid), self->pids->len);
  g_array_append_vals (copy, self->pids->data, self->pids->len);
  g_mutex_unlock (&self->pids_mutex);

  return copy;
}
