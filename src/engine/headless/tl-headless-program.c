/* tl-headless-program.c — tasklanes --headless PROGRAM.py [ARGS…]
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands in for `python3 PROGRAM.py ARGS…`: the program's output goes to
 * the terminal, its exit status is ours, and the run is summarised and
 * exported as a preset's would be.
 */
#define G_LOG_DOMAIN "tl-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "export/tl-export.h"
#include "headless/tl-headless.h"
#include "headless/tl-headless-private.h"
#include "headless/tl-headless-signals.h"
#include "python/tl-program-run.h"
#include "trace/tl-summary.h"

/* The first Ctrl+C or SIGTERM, in the program's context (a second one
 * ends the program: tl-headless-signals.c). */
static void
stop_program (gpointer user_data)
{
  fprintf (stderr, "%s\n", _("tasklanes: interrupted, stopping the program and writing what it did…"));
  tl_program_run_stop (user_data);
}

int
tl_headless_run_program (const TlHeadlessOptions *options)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(TlProgramRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(TlRunInfo) info = NULL;
  TlProgramOptions program_options = { 0 };
  gboolean to_stdout;
  const char *file, *message;
  guint line;
  TlTrace *trace;
  gboolean ok = TRUE;
  int status;

  to_stdout = g_strcmp0 (options->report, "-") == 0 ||
              g_strcmp0 (options->trace, "-") == 0 ||
              g_strcmp0 (options->csv, "-") == 0 ||
              g_strcmp0 (options->record, "-") == 0;
  /* An export on standard output must stay clean of the program's. */
  program_options.output = to_stdout ? TL_PROGRAM_OUTPUT_INHERIT_STDERR : TL_PROGRAM_OUTPUT_INHERIT;
  /* A run file keeps what the program printed. */
  program_options.keep_output = options->record != NULL;

  g_ptr_array_add (options->program_args, NULL);
  run = tl_program_run_new (options->file, (const char * const *) options->program_args->pdata, &program_options);
  g_ptr_array_remove_index (options->program_args, options->program_args->len - 1);

  /* Where it ran, dated when it starts. */
  info = tl_run_info_new_now (FALSE);
  g_main_context_push_thread_default (context);
  /* Watched before the program starts, so that no signal can leave it
   * running behind a Tasklanes that ended. */
  _tl_headless_signals_watch_run (context, stop_program, run);
  if (!tl_program_run_start (run, &error))
    {
      _tl_headless_signals_unwatch_run ();
      g_main_context_pop_thread_default (context);
      fprintf (stderr, "tasklanes: %s\n", error->message);
      return TL_EXIT_INVALID;
    }

  while (!tl_program_run_is_finished (run))
    g_main_context_iteration (context, TRUE);
  _tl_headless_signals_unwatch_run ();

  status = tl_program_run_get_exit_status (run);
  trace = tl_program_run_get_trace (run);

  if (tl_probe_reader_get_startup_error (tl_program_run_get_reader (run), &file, &line, &message))
    {
      /* Nothing ran: no summary and no exports that would look as if it had. */
      if (line > 0)
        fprintf (stderr, "tasklanes: %s:%u: %s\n", file, line, message);
      else
        fprintf (stderr, "tasklanes: %s: %s\n", file, message);
      g_clear_object (&run);
      while (g_main_context_iteration (context, FALSE))
        ;
      g_main_context_pop_thread_default (context);
      return TL_EXIT_INVALID;
    }

  problem = tl_program_run_dup_problem (run);
  if (problem != NULL)
    fprintf (stderr, "tasklanes: %s\n", problem);

  g_free (info->kind);
  info->kind = g_strdup (TL_RUN_KIND_PROGRAM);
  info->python = g_strdup (tl_program_run_get_python_version (run));
  if (options->record != NULL)
    info->output = tl_program_run_dup_output (run, NULL);
  /* A signal from here on is not a stop of the program (it has ended)
   * but of the writing: no hidden half-written file may stay behind. */
  ok = _tl_headless_write_outputs_interruptibly (options, trace, info);

  g_clear_object (&run);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  /* The program's own status, as python3 would give it; a failed export
   * must still not pass for success. */
  if (!ok && status == 0)
    return TL_EXIT_INVALID;
  return status;
}
