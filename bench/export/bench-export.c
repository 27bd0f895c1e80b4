/* bench-export.c — how fast the three exports of a large run are written
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-export PRESET OUT_DIR [RUNS]
 *
 * Runs PRESET on the virtual clock, then writes the report, the trace and
 * the CSV into OUT_DIR (report.json, trace.json, tasks.csv) through
 * tl_export_to_path(), as `tasklanes --headless` does, RUNS times each
 * (default 3). Prints one line per export: its path and size, the
 * fastest wall time and the least CPU time (user + system) of the runs,
 * and the peak RSS of the process before and after (an export that
 * streams leaves the peak where the run put it).
 */
#define G_LOG_DOMAIN "bench-export"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/resource.h>

#include "export/tl-export.h"
#include "run/tl-runner.h"

/* User and system CPU time of the process so far, in seconds. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtod (line + 6, NULL) / 1024.0 : 0;
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    const char *file;
    gboolean  (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **);
  } exports[] = {
    { "csv", "tasks.csv", tl_export_csv },
    { "report", "report.json", tl_export_report },
    { "trace", "trace.json", tl_export_trace },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlRunner) runner = NULL;
  g_autoptr(GMainContext) context = NULL;
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL };
  TlTrace *trace;
  guint runs = 3;
  gint64 t0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-export PRESET OUT_DIR [RUNS]\n");
      return 2;
    }
  if (argc > 3)
    runs = MAX (1, (guint) atoi (argv[3]));

  preset = tl_preset_new_for_argument (argv[1], &error);
  if (preset == NULL)
    {
      fprintf (stderr, "bench-export: %s\n", error->message);
      return 1;
    }
  if (!tl_runner_check (preset, &options, &error))
    {
      fprintf (stderr, "bench-export: %s\n", error->message);
      return 1;
    }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  t0 = g_get_monotonic_time ();
  tl_runner_run (runner);
  trace = tl_runner_get_trace (runner);
  printf ("run: %u task instances, %u events, %.2f s on the virtual clock, peak RSS %.1f MB\n",
          tl_trace_get_n_instances (trace), tl_trace_get_n_events (trace),
          (g_get_monotonic_time () - t0) / 1e6, peak_rss_mb ());

  for (guint x = 0; x < G_N_ELEMENTS (exports); x++)
    {
      g_autofree char *path = g_build_filename (argv[2], exports[x].file, NULL);
      double before = peak_rss_mb ();
      double best = -1;
      double best_cpu = -1;
      GStatBuf st;

      for (guint r = 0; r < runs; r++)
        {
          double seconds, cpu;

          g_unlink (path);
          cpu = cpu_seconds ();
          t0 = g_get_monotonic_time ();
          if (!tl_export_to_path (trace, exports[x].exporter, path, &error))
            {
              fprintf (stderr, "bench-export: %s\n", error->message);
              return 1;
            }
          seconds = (g_get_monotonic_time () - t0) / 1e6;
          cpu = cpu_seconds () - cpu;
          if (best < 0 || seconds < best)
            best = seconds;
          if (best_cpu < 0 || cpu < best_cpu)
            best_cpu = cpu;
        }
      if (g_stat (path, &st) != 0)
        {
          fprintf (stderr, "bench-export: %s is missing\n", path);
          return 1;
        }
      /* One line per export, read by bench/export/run. */
      printf ("export %s %s %" G_GINT64_FORMAT " %.4f %.4f %.1f %.1f\n", exports[x].name, path,
              (gint64) st.st_size, best, best_cpu, before, peak_rss_mb ());
    }

  g_main_context_pop_thread_default (context);
  return 0;
}
