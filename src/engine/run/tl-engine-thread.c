/* tl-engine-thread.c — a TlRunner on a thread with its own main context
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-engine-thread"

#include "config.h"

#include "run/tl-engine-thread.h"

struct _TlEngineThread
{
  GThread      *thread;
  GMainContext *context;          /* the engine's */
  GMainContext *caller_context;
  TlRunner     *runner;
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

static gpointer
engine_thread_func (gpointer data)
{
  TlEngineThread *self = data;

  g_main_context_push_thread_default (self->context);

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

  tl_runner_stop (self->runner);
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
  g_clear_pointer (&self->trace, tl_trace_unref);
  /* Requests posted after the end still hold the runner; dropping the
   * context destroys them. */
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->caller_context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}
