/* tl-engine-thread.c — a TlRunner on a thread with its own main context
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-engine-thread"

#include "config.h"

#include "python/tl-python.h"
#include "run/tl-engine-thread.h"

struct _TlEngineThread
{
  GThread      *thread;
  GMainContext *context;          /* the engine's */
  GMainContext *caller_context;
  TlRunner     *runner;            /* a preset's run, or */
  TlProgramRun *program;           /* a program's */
  gboolean      program_done;      /* engine thread only */
  TlTrace      *trace;

  GSourceFunc   finished;
  gpointer      user_data;

  GMutex        lock;
  GSource      *finished_source;  /* pending on the caller's context */
};

static gboolean
finished_dispatch_cb (gpointer data)
{
  TlEngineThread *self = data;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->finished_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  if (self->finished != NULL)
    self->finished (self->user_data);

  return G_SOURCE_REMOVE;
}

static void
runner_finished_cb (TlRunner       *runner,
                    TlEngineThread *self)
{
  GSource *source = g_idle_source_new ();

  /* Not idle priority: a window that redraws every frame while a run is
   * live would never be idle, and the end of the run would never arrive. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_name (source, "[tasklanes] engine finished");
  g_source_set_callback (source, finished_dispatch_cb, self, NULL);

  g_mutex_lock (&self->lock);
  self->finished_source = source;
  g_source_attach (source, self->caller_context);
  g_mutex_unlock (&self->lock);
}

static void
program_finished_cb (TlProgramRun   *program,
                     TlEngineThread *self)
{
  self->program_done = TRUE;
  runner_finished_cb (NULL, self);
}

static gpointer
engine_thread_func (gpointer data)
{
  TlEngineThread *self = data;

  g_main_context_push_thread_default (self->context);

  if (self->program != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_signal_connect (self->program, "finished", G_CALLBACK (program_finished_cb), self);
      if (!tl_program_run_start (self->program, &error))
        {
          /* Checked before the thread started; what is left (a failed
           * fork) ends the run at once, with nothing in it. */
          g_message ("Could not start the program: %s", error->message);
          tl_trace_complete (self->trace, 0);
          program_finished_cb (self->program, self);
        }
      while (!self->program_done)
        g_main_context_iteration (self->context, TRUE);
      g_signal_handlers_disconnect_by_func (self->program, program_finished_cb, self);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }

  g_signal_connect (self->runner, "finished", G_CALLBACK (runner_finished_cb), self);
  tl_runner_start (self->runner);
  while (!tl_runner_is_finished (self->runner))
    g_main_context_iteration (self->context, TRUE);
  g_signal_handlers_disconnect_by_func (self->runner, runner_finished_cb, self);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TlEngineThread *
tl_engine_thread_start (TlPreset              *preset,
                        const TlRunnerOptions *options,
                        GSourceFunc            finished,
                        gpointer               user_data)
{
  TlEngineThread *self;

  g_return_val_if_fail (preset != NULL, NULL);

  self = g_new0 (TlEngineThread, 1);
  g_mutex_init (&self->lock);
  self->context = g_main_context_new ();
  self->caller_context = g_main_context_ref_thread_default ();
  self->finished = finished;
  self->user_data = user_data;
  /* Created here so the caller can read the trace at once; it binds to
   * the engine context when the thread starts it. */
  self->runner = tl_runner_new (preset, options);
  self->trace = tl_trace_ref (tl_runner_get_trace (self->runner));
  self->thread = g_thread_new ("tl-engine", engine_thread_func, self);

  return self;
}

TlEngineThread *
tl_engine_thread_start_program (const char             *path,
                                const char * const     *args,
                                const TlProgramOptions *options,
                                GSourceFunc             finished,
                                gpointer                user_data,
                                GError                **error)
{
  TlProgramOptions checked = { 0 };
  g_autofree char *python = NULL;
  g_autofree char *probe = NULL;
  TlEngineThread *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (options != NULL)
    checked = *options;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", path);
      return NULL;
    }
  python = checked.python != NULL ? g_strdup (checked.python)
                                  : tl_python_find_interpreter (checked.preferred_python, error);
  if (python == NULL || !tl_python_check_version (python, NULL, error) ||
      (probe = tl_python_find_probe (error)) == NULL)
    return NULL;
  checked.python = python;

  self = g_new0 (TlEngineThread, 1);
  g_mutex_init (&self->lock);
  self->context = g_main_context_new ();
  self->caller_context = g_main_context_ref_thread_default ();
  self->finished = finished;
  self->user_data = user_data;
  self->program = tl_program_run_new (path, args, &checked);
  self->trace = tl_trace_ref (tl_program_run_get_trace (self->program));
  self->thread = g_thread_new ("tl-engine", engine_thread_func, self);

  return self;
}

TlProgramRun *
tl_engine_thread_get_program (TlEngineThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->program;
}

static gboolean
stop_program_cb (gpointer data)
{
  tl_program_run_stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
kill_program_cb (gpointer data)
{
  tl_program_run_kill (data);
  return G_SOURCE_REMOVE;
}

void
tl_engine_thread_stop (TlEngineThread *self)
{
  g_return_if_fail (self != NULL);

  if (self->runner != NULL)
    tl_runner_stop (self->runner);
  else
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, stop_program_cb,
                                g_object_ref (self->program), g_object_unref);
}

gint64
tl_engine_thread_get_current_stall_us (TlEngineThread *self,
                                       guint32        *culprit)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->runner != NULL)
    return tl_runner_get_current_stall_us (self->runner, culprit);
  if (culprit != NULL)
    *culprit = TL_NO_INSTANCE;
  return 0;
}

TlRunner *
tl_engine_thread_get_runner (TlEngineThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->runner;
}

TlTrace *
tl_engine_thread_get_trace (TlEngineThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trace;
}

void
tl_engine_thread_free (TlEngineThread *self)
{
  if (self == NULL)
    return;

  if (self->runner != NULL)
    tl_runner_stop (self->runner);
  else
    /* Closing the window ends the program now: no grace period. */
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, kill_program_cb,
                                g_object_ref (self->program), g_object_unref);
  g_thread_join (self->thread);

  /* The caller no longer wants to hear about the end. */
  g_mutex_lock (&self->lock);
  if (self->finished_source != NULL)
    {
      g_source_destroy (self->finished_source);
      g_clear_pointer (&self->finished_source, g_source_unref);
    }
  g_mutex_unlock (&self->lock);

  g_clear_object (&self->runner);
  g_clear_object (&self->program);
  g_clear_pointer (&self->trace, tl_trace_unref);
  /* Requests posted after the end still hold the runner; dropping the
   * context destroys them. */
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->caller_context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}
