/* test-soak.c — many runs in one process leave nothing behind
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A long window session runs preset after preset. Each run here uses
 * the thread pool, the process pool and the HTTP client against the
 * built-in server; after a warm-up, memory, open files and threads must
 * stay where they were.
 */
#define G_LOG_DOMAIN "test-soak"

#include "config.h"

#include "preset/tl-preset.h"
#include "run/tl-runner.h"
#include "tl-test-util.h"

static const char preset_text[] =
  "[Preset]\nFormat=1\nName=soak\nRun=main\nThreads=2\nProcesses=1\nConnections=8\n\n"
  "[Task main]\nKind=gather\nChildren=nap;call;crunch;get\nReturnExceptions=true\n\n"
  "[Task nap]\nKind=sleep\nDuration=1ms\nRepeat=20\n\n"
  "[Task call]\nKind=blocking\nDuration=1ms\nRepeat=4\n\n"
  "[Task crunch]\nKind=cpu\nWork=1ms\nOn=process\n\n"
  "[Task get]\nKind=fetch\nUrl=/users/{i}\nRepeat=20\n";

static void
run_once (TlPreset *preset)
{
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL, .default_threads = 2, .default_processes = 1 };
  GMainContext *context = g_main_context_new ();
  TlRunner *runner;
  TlTrace *trace;

  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  trace = tl_runner_get_trace (runner);
  g_assert_cmpint (tl_test_outcome (trace, "main", 1)->state, ==, TL_STATE_OK);
  g_assert_cmpint (tl_test_outcome (trace, "get", 20)->state, ==, TL_STATE_OK);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_finalize_object (runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

static void
test_many_runs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "soak.tasklanes", &error);
  const guint warmup = 30, runs = 200;
  gsize rss_before = 0, heap_before = 0;
  guint fds_before = 0, threads_before = 0;

  g_assert_no_error (error);

  for (guint i = 0; i < warmup + runs; i++)
    {
      run_once (preset);
      if (i + 1 == warmup)
        {
          rss_before = tl_test_resident_kib ();
          heap_before = tl_test_heap_kib ();
          fds_before = tl_test_count_fds ();
          threads_before = tl_test_count_threads ();
        }
    }

  /* What the last run closes on other threads and in other processes (a
   * worker's pipes, the server's side of a connection) may still be on its
   * way out: give it a few seconds to settle before counting. A leak per
   * run never settles. */
  for (guint waited_ms = 0; waited_ms < 5000; waited_ms += 50)
    {
      if (tl_test_count_fds () <= fds_before + 2 && tl_test_count_threads () <= threads_before + 2)
        break;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (50 * 1000);
    }

  g_test_message ("after %u runs: resident %zu → %zu KiB, heap in use %zu → %zu KiB, "
                  "fds %u → %u, threads %u → %u",
                  runs, rss_before, tl_test_resident_kib (), heap_before, tl_test_heap_kib (),
                  fds_before, tl_test_count_fds (), threads_before, tl_test_count_threads ());
  /* Generous margins: malloc keeps what it likes; a leak of a few KB a
   * run (a connection, a pool) would pass them over 200 runs. */
  g_assert_cmpuint (tl_test_heap_kib (), <, heap_before + 4 * 1024);
  if (tl_test_resident_is_meaningful ())
    g_assert_cmpuint (tl_test_resident_kib (), <, rss_before + 8 * 1024);
  g_assert_cmpuint (tl_test_count_fds (), <=, fds_before + 2);
  g_assert_cmpuint (tl_test_count_threads (), <=, threads_before + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/soak/many-runs", test_many_runs);

  return g_test_run ();
}
