/* tl-headless.c — the command line without a display
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here touches GTK, GSettings or D-Bus, so these modes work on a
 * server, in CI and in tests with no display and no session bus.
 */
#define G_LOG_DOMAIN "tl-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "core/tl-text.h"
#include "export/tl-export.h"
#include "headless/tl-headless.h"
#include "headless/tl-headless-private.h"
#include "headless/tl-headless-signals.h"
#include "preset/tl-preset.h"
#include "python/tl-python.h"
#include "record/tl-run-file.h"
#include "run/tl-runner.h"
#include "trace/tl-summary.h"


typedef struct {
  TlRunner *runner;
  guint     wait_source;
} SignalData;

static void
usage_hint (void)
{
  fprintf (stderr, "%s\n", _("Try “tasklanes --help” for more information."));
}

/* "--report F" or "--report=F"; returns the number of arguments used, 0
 * when argv[*i] is not @name, -1 (message printed) on a usage error. */
static int
take_value (int          argc,
            char       **argv,
            int          i,
            const char  *name,
            const char **value)
{
  const char *arg = argv[i];
  gsize len = strlen (name);
  const char *found;
  int used;

  if (strncmp (arg, name, len) != 0 || (arg[len] != '\0' && arg[len] != '='))
    return 0;

  if (arg[len] == '=')
    {
      found = arg + len + 1;
      used = 1;
    }
  else if (i + 1 < argc)
    {
      found = argv[i + 1];
      used = 2;
    }
  else
    {
      fprintf (stderr, _("tasklanes: %s needs a file name (or “-” for standard output)\n"), name);
      return -1;
    }

  if (*found == '\0')
    {
      fprintf (stderr, _("tasklanes: %s needs a file name (or “-” for standard output)\n"), name);
      return -1;
    }
  if (*value != NULL)
    {
      fprintf (stderr, _("tasklanes: %s is given twice\n"), name);
      return -1;
    }

  *value = found;
  return used;
}

static gboolean
parse_options (int              argc,
               char           **argv,
               TlHeadlessOptions *options)
{
  gboolean only_files = FALSE;
  guint to_stdout = 0;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      int used;

      if (!only_files && strcmp (arg, "--") == 0)
        {
          only_files = TRUE;
          continue;
        }

      /* After a Python program, what is not ours is the program's. */
      if (options->file != NULL && tl_python_is_program_path (options->file) &&
          (only_files || arg[0] != '-' || strcmp (arg, "-") == 0 ||
           (strcmp (arg, "--quiet") != 0 && strcmp (arg, "-q") != 0 &&
            !g_str_has_prefix (arg, "--report") && !g_str_has_prefix (arg, "--trace") &&
            !g_str_has_prefix (arg, "--csv") && !g_str_has_prefix (arg, "--record"))))
        {
          g_ptr_array_add (options->program_args, (char *) arg);
          continue;
        }

      if (only_files || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          if (options->file != NULL)
            {
              g_autofree char *first = tl_text_echo (options->file);
              g_autofree char *second = tl_text_echo (arg);

              fprintf (stderr, _("tasklanes: --headless runs one preset, but both “%s” and “%s” were given\n"),
                       first, second);
              return FALSE;
            }
          options->file = arg;
          continue;
        }

      if (strcmp (arg, "--headless") == 0)
        continue;
      if (strcmp (arg, "--quiet") == 0 || strcmp (arg, "-q") == 0)
        {
          options->quiet = TRUE;
          continue;
        }
      if (strcmp (arg, "--virtual-time") == 0 && !(options->file != NULL && tl_python_is_program_path (options->file)))
        {
          options->virtual_time = TRUE;
          continue;
        }

      if ((used = take_value (argc, argv, i, "--report", &options->report)) == 0 &&
          (used = take_value (argc, argv, i, "--trace", &options->trace)) == 0 &&
          (used = take_value (argc, argv, i, "--csv", &options->csv)) == 0 &&
          (used = take_value (argc, argv, i, "--record", &options->record)) == 0)
        {
          g_autofree char *shown = tl_text_echo (arg);

          fprintf (stderr, _("tasklanes: unknown option “%s” for --headless\n"), shown);
          return FALSE;
        }
      if (used < 0)
        return FALSE;
      i += used - 1;
    }

  if (options->file == NULL)
    {
      fprintf (stderr, "%s\n", _("tasklanes: --headless needs a preset or a recording: a FILE.tasklanes, builtin:NAME or RUN.tasklanes-run"));
      return FALSE;
    }

  to_stdout = (g_strcmp0 (options->report, "-") == 0) +
              (g_strcmp0 (options->trace, "-") == 0) +
              (g_strcmp0 (options->csv, "-") == 0) +
              (g_strcmp0 (options->record, "-") == 0);
  if (to_stdout > 1)
    {
      fprintf (stderr, "%s\n", _("tasklanes: only one of --report, --trace, --csv and --record can write to standard output"));
      return FALSE;
    }

  return TRUE;
}

/* Whether two paths name one file: by identity when both exist (hard
 * links, symbolic links, "./x" and "x"), otherwise by resolved name. */
static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *ra = NULL;
  g_autofree char *rb = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;
  GStatBuf sa, sb;

  if (g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;

  ra = tl_export_resolve_path (a);
  rb = tl_export_resolve_path (b);
  ca = g_canonicalize_filename (ra, NULL);
  cb = g_canonicalize_filename (rb, NULL);
  return strcmp (ca, cb) == 0;
}

/* Catches an unwritable output, or one that would overwrite the preset
 * or another output, before a long run rather than after. */
static gboolean
check_output (const TlHeadlessOptions *options,
              const char            *option,
              const char            *path)
{
  static const char * const names[] = { "--report", "--trace", "--csv", "--record" };
  const char *paths[] = { options->report, options->trace, options->csv, options->record };
  g_autoptr(GError) error = NULL;

  if (path == NULL || strcmp (path, "-") == 0)
    return TRUE;

  if (strcmp (options->file, "-") != 0 &&
      !g_str_has_prefix (options->file, "builtin:") &&
      same_file (path, options->file))
    {
      fprintf (stderr, _("tasklanes: %s: “%s” is the preset being run\n"), option, path);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strcmp (names[i], option) == 0)
        break;
      if (paths[i] != NULL && strcmp (paths[i], "-") != 0 && same_file (path, paths[i]))
        {
          fprintf (stderr, _("tasklanes: %s: “%s” is also the file for %s\n"), option, path, names[i]);
          return FALSE;
        }
    }

  if (!tl_export_check_path (path, &error))
    {
      fprintf (stderr, "tasklanes: %s: %s\n", option, error->message);
      return FALSE;
    }

  return TRUE;
}

/* Said once, if the run has not wound down a second after a stop: a call
 * already running on a thread cannot be interrupted, only waited for. */
static gboolean
still_stopping_cb (gpointer user_data)
{
  SignalData *data = user_data;

  data->wait_source = 0;
  if (!tl_runner_is_finished (data->runner))
    fprintf (stderr, "%s\n", _("tasklanes: waiting for calls already running on threads or in worker processes to return; "
                               "interrupt again to quit at once"));
  return G_SOURCE_REMOVE;
}

/* The first Ctrl+C or SIGTERM of a run, in the run's context (a second
 * one ends the program: tl-headless-signals.c). */
static void
stop_run (gpointer user_data)
{
  SignalData *data = user_data;

  fprintf (stderr, "%s\n", _("tasklanes: interrupted, stopping the run and writing what it did…"));
  tl_runner_stop (data->runner);

  {
    GSource *source = g_timeout_source_new (1000);

    g_source_set_callback (source, still_stopping_cb, data, NULL);
    data->wait_source = g_source_attach (source, g_main_context_get_thread_default ());
    g_source_unref (source);
  }
}

static gboolean
write_export (TlTrace    *trace,
              const char *option,
              const char *path,
              gboolean  (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **))
{
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return TRUE;

  if (!tl_export_to_path (trace, exporter, path, &error))
    {
      fprintf (stderr, "tasklanes: %s: %s\n", option, error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
record_cb (TlTrace        *trace,
           GOutputStream  *stream,
           gpointer        user_data,
           GCancellable   *cancellable,
           GError        **error)
{
  return tl_run_file_write (trace, user_data, stream, cancellable, error);
}

/* The summary and every file asked for, from a live run or a recording. */
gboolean
_tl_headless_write_outputs (const TlHeadlessOptions *options,
                            TlTrace                 *trace,
                            const TlRunInfo         *info)
{
  gboolean ok = TRUE;

  if (!options->quiet)
    {
      /* Standard output may be carrying an export: keep it clean. */
      FILE *summary_out = (g_strcmp0 (options->report, "-") == 0 ||
                           g_strcmp0 (options->trace, "-") == 0 ||
                           g_strcmp0 (options->csv, "-") == 0 ||
                           g_strcmp0 (options->record, "-") == 0) ? stderr : stdout;

      tl_summary_print (trace, summary_out);
      fflush (summary_out);
    }

  ok &= write_export (trace, "--report", options->report, tl_export_report);
  ok &= write_export (trace, "--trace", options->trace, tl_export_trace);
  ok &= write_export (trace, "--csv", options->csv, tl_export_csv);

  if (options->record != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!tl_export_to_path_full (trace, record_cb, (gpointer) info, options->record, &error))
        {
          fprintf (stderr, "tasklanes: --record: %s\n", error->message);
          ok = FALSE;
        }
    }

  return ok;
}

/* While the files are written, Ctrl+C or SIGTERM removes the hidden
 * files in progress and ends the program by that signal (the thread of
 * tl-headless-signals.c sees it, whatever this one is doing). */
gboolean
_tl_headless_write_outputs_interruptibly (const TlHeadlessOptions *options,
                                          TlTrace                 *trace,
                                          const TlRunInfo         *info)
{
  _tl_headless_signals_set_phase (TL_HEADLESS_PHASE_WRITING);
  return _tl_headless_write_outputs (options, trace, info);
}

/* --headless RUN.tasklanes-run: the exports of a recorded run, nothing run. */
static int
replay_recording (const TlHeadlessOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlRunInfo) info = NULL;
  g_autoptr(TlTrace) trace = NULL;

  if (options->virtual_time)
    {
      fprintf (stderr, _("tasklanes: --virtual-time: “%s” is a recording, which is shown as it ran, not run again\n"),
               options->file);
      return TL_EXIT_USAGE;
    }

  trace = tl_run_file_load (options->file, &info, &error);
  if (trace == NULL)
    {
      fprintf (stderr, "tasklanes: %s\n", error->message);
      return TL_EXIT_INVALID;
    }

  return _tl_headless_write_outputs_interruptibly (options, trace, info) ? TL_EXIT_OK : TL_EXIT_INVALID;
}

int
tl_headless_main (int    argc,
                  char **argv)
{
  TlHeadlessOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlRunner) runner = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(TlRunInfo) info = NULL;
  TlRunnerOptions runner_options = { 0 };
  SignalData signal_data = { 0 };
  TlTrace *trace;
  gboolean ok = TRUE;

  /* Before anything that could leave a file behind: from here on a
   * signal never ends the program without cleaning up. */
  _tl_headless_signals_start ();

  options.program_args = g_ptr_array_new ();
  if (!parse_options (argc, argv, &options))
    {
      g_ptr_array_unref (options.program_args);
      usage_hint ();
      return TL_EXIT_USAGE;
    }

  if (tl_python_is_program_path (options.file))
    {
      int status = TL_EXIT_USAGE;

      if (options.virtual_time)
        fprintf (stderr, "%s\n", _("tasklanes: --virtual-time only works with presets: a Python program runs in real time"));
      else if (check_output (&options, "--report", options.report) &&
               check_output (&options, "--trace", options.trace) &&
               check_output (&options, "--csv", options.csv) &&
               check_output (&options, "--record", options.record))
        status = tl_headless_run_program (&options);
      g_ptr_array_unref (options.program_args);
      return status;
    }
  g_ptr_array_unref (options.program_args);

  if (!check_output (&options, "--report", options.report) ||
      !check_output (&options, "--trace", options.trace) ||
      !check_output (&options, "--csv", options.csv) ||
      !check_output (&options, "--record", options.record))
    return TL_EXIT_USAGE;

  if (strcmp (options.file, "-") != 0 &&
      !g_str_has_prefix (options.file, "builtin:") &&
      tl_run_file_is_run_file (options.file))
    return replay_recording (&options);

  preset = tl_preset_new_for_argument (options.file, &error);
  if (preset == NULL)
    {
      fprintf (stderr, "tasklanes: %s\n", error->message);
      return TL_EXIT_INVALID;
    }

  runner_options.clock = options.virtual_time ? TL_CLOCK_VIRTUAL : TL_CLOCK_REAL;

  /* The preset is fine, but not with these options (fetch tasks on the
   * virtual clock): the command line has to change. */
  if (!tl_runner_check (preset, &runner_options, &error))
    {
      fprintf (stderr, "tasklanes: %s\n", error->message);
      /* A missing worker program means the run cannot start at all; the
       * other checks reject the command line. */
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? TL_EXIT_INVALID : TL_EXIT_USAGE;
    }

  /* The window asks before a file contacts other hosts; a script cannot
   * be asked, but its log can say so before any request leaves. */
  {
    g_auto(GStrv) hosts = tl_preset_dup_remote_hosts (preset);

    if (hosts != NULL && hosts[0] != NULL)
      {
        g_autofree char *joined = g_strjoinv (", ", hosts);

        fprintf (stderr, _("tasklanes: this run sends HTTP requests to these hosts on the network: %s\n"), joined);
      }
  }

  /* The run gets a context of its own, so the signal sources and the
   * runner's sources are exactly what tl_runner_run() iterates. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  runner = tl_runner_new (preset, &runner_options);
  signal_data.runner = runner;

  _tl_headless_signals_watch_run (context, stop_run, &signal_data);

  info = tl_run_info_new_now (options.virtual_time);
  tl_runner_run (runner);

  _tl_headless_signals_unwatch_run ();
  if (signal_data.wait_source != 0)
    g_source_destroy (g_main_context_find_source_by_id (context, signal_data.wait_source));

  trace = tl_runner_get_trace (runner);
  if (tl_runner_get_error (runner) != NULL)
    {
      fprintf (stderr, "tasklanes: %s\n", tl_runner_get_error (runner)->message);
      ok = FALSE;
    }

  ok &= _tl_headless_write_outputs_interruptibly (&options, trace, info);

  /* Let the runner release its sources while their context is current. */
  g_clear_object (&runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return ok ? TL_EXIT_OK : TL_EXIT_INVALID;
}

int
tl_headless_list (int    argc,
                  char **argv)
{
  g_auto(GStrv) names = NULL;
  gboolean ok = TRUE;

  if (argc > 2)
    {
      g_autofree char *shown = tl_text_echo (argv[2]);

      fprintf (stderr, _("tasklanes: --list-presets takes no arguments, but “%s” was given\n"), shown);
      usage_hint ();
      return TL_EXIT_USAGE;
    }

  names = tl_preset_list_builtin ();
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[i], &error);

      if (preset == NULL)
        {
          fprintf (stderr, "tasklanes: %s: %s\n", names[i], error->message);
          ok = FALSE;
          continue;
        }

      printf ("%-28s %-12s %s\n", names[i],
              preset->category != NULL ? preset->category : "-",
              preset->name);
    }

  return ok ? TL_EXIT_OK : TL_EXIT_INVALID;
}

int
tl_headless_print (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  const char *name;

  if (argc != 3)
    {
      fprintf (stderr, "%s\n", argc < 3 ? _("tasklanes: --print-preset needs the NAME of a built-in preset (see --list-presets)")
                                        : _("tasklanes: --print-preset takes exactly one NAME"));
      usage_hint ();
      return TL_EXIT_USAGE;
    }

  name = argv[2];
  if (g_str_has_prefix (name, "builtin:"))
    name += strlen ("builtin:");

  preset = tl_preset_new_from_builtin (name, &error);
  if (preset == NULL)
    {
      fprintf (stderr, "tasklanes: %s\n", error->message);
      return TL_EXIT_INVALID;
    }

  fputs (preset->text != NULL ? preset->text : "", stdout);
  if (preset->text != NULL && *preset->text != '\0' && !g_str_has_suffix (preset->text, "\n"))
    fputc ('\n', stdout);
  fflush (stdout);

  return TL_EXIT_OK;
}
