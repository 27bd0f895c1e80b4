/* tl-headless-signals.c — Ctrl+C and SIGTERM for the whole of --headless
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib's signal sources stay installed from the first moment of --headless
 * to its exit, on a context that a thread of their own iterates: the
 * default action (the end of the program, with whatever hidden file an
 * export had begun) is never taken behind the program's back, and no
 * gap is left between the run's handling and the writing's. Nothing is
 * blocked, so the programs a run starts keep the usual signal mask.
 */
#define G_LOG_DOMAIN "tl-headless"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "export/tl-export.h"
#include "headless/tl-headless-signals.h"

static GMutex             lock;
static gboolean           started;
static TlHeadlessPhase    phase;
static GMainContext      *run_context;
static TlHeadlessStopFunc run_stop;
static gpointer           run_data;
static guint              run_generation;
static gboolean           stop_requested;

static void
quit_by_signal (int         signum,
                const char *message)
{
  /* No hidden half-written file may stay behind the program. */
  tl_export_remove_temporaries ();
  fprintf (stderr, "%s\n", message);
  fflush (stderr);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* In the run's context, so the stop function runs where the run does. */
static gboolean
stop_run_cb (gpointer user_data)
{
  guint generation = GPOINTER_TO_UINT (user_data);
  TlHeadlessStopFunc stop = NULL;
  gpointer data = NULL;

  g_mutex_lock (&lock);
  /* Unwatching happens in this same thread: once checked, it holds. */
  if (generation == run_generation && run_stop != NULL)
    {
      stop = run_stop;
      data = run_data;
    }
  g_mutex_unlock (&lock);

  if (stop != NULL)
    stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  int signum = GPOINTER_TO_INT (user_data);
  const char *message;

  g_mutex_lock (&lock);
  if (phase == TL_HEADLESS_PHASE_RUNNING && run_stop != NULL && !stop_requested)
    {
      GSource *source = g_idle_source_new ();

      stop_requested = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, stop_run_cb, GUINT_TO_POINTER (run_generation), NULL);
      g_source_attach (source, run_context);
      g_source_unref (source);
      g_mutex_unlock (&lock);
      return G_SOURCE_CONTINUE;
    }

  if (phase == TL_HEADLESS_PHASE_WRITING)
    message = _("tasklanes: interrupted while writing the files, quitting; no half-written file is left");
  else if (stop_requested)
    /* Asked twice: the user no longer wants the exports (a blocking call
     * on a thread may be holding the stop up). */
    message = _("tasklanes: interrupted again, quitting without writing anything");
  else
    message = _("tasklanes: interrupted before the run started, quitting; nothing was written");
  g_mutex_unlock (&lock);

  quit_by_signal (signum, message);
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer data)
{
  GMainContext *context = data;

  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

void
_tl_headless_signals_start (void)
{
  const int signals[] = { SIGINT, SIGTERM };
  GMainContext *context;

  g_mutex_lock (&lock);
  if (started)
    {
      g_mutex_unlock (&lock);
      return;
    }
  started = TRUE;
  phase = TL_HEADLESS_PHASE_STARTING;
  g_mutex_unlock (&lock);

  /* Kept for the life of the process, as the thread that iterates it. */
  context = g_main_context_new ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      /* Creating the source installs GLib's handler at once. */
      GSource *source = g_unix_signal_source_new (signals[i]);

      g_source_set_callback (source, signal_cb, GINT_TO_POINTER (signals[i]), NULL);
      g_source_attach (source, context);
      g_source_unref (source);
    }
  g_thread_unref (g_thread_new ("tl-signals", signal_thread, context));
}

void
_tl_headless_signals_set_phase (TlHeadlessPhase new_phase)
{
  g_mutex_lock (&lock);
  phase = new_phase;
  g_mutex_unlock (&lock);
}

void
_tl_headless_signals_watch_run (GMainContext       *context,
                                TlHeadlessStopFunc  stop,
                                gpointer            user_data)
{
  g_return_if_fail (context != NULL);
  g_return_if_fail (stop != NULL);

  g_mutex_lock (&lock);
  g_clear_pointer (&run_context, g_main_context_unref);
  run_context = g_main_context_ref (context);
  run_stop = stop;
  run_data = user_data;
  run_generation++;
  phase = TL_HEADLESS_PHASE_RUNNING;
  g_mutex_unlock (&lock);
}

void
_tl_headless_signals_unwatch_run (void)
{
  g_mutex_lock (&lock);
  run_stop = NULL;
  run_data = NULL;
  run_generation++;
  g_clear_pointer (&run_context, g_main_context_unref);
  /* What follows a run is the writing of what it did. */
  phase = TL_HEADLESS_PHASE_WRITING;
  g_mutex_unlock (&lock);
}
