/* test-runner-realtime.c — the runner on the real clock (tolerant timings)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The machine running these may be busy: assert lower bounds that physics
 * guarantees (a 0.3 s sleep never ends early), orderings and ratios, and
 * only loose upper bounds.
 */
#define G_LOG_DOMAIN "test-runner-realtime"

#include "config.h"

#include <string.h>

#include "run/tl-engine-thread.h"
#include "run/tl-runner.h"
#include "run/tl-cpu-probe.h"
#include "trace/tl-summary.h"
#include "tl-test-util.h"

#define S(x) ((gint64) ((x) * G_USEC_PER_SEC + 0.5))

static TlTrace *
run_real (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "test.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL, .default_threads = 2, .default_processes = 2 };
  TlRunner *runner;
  TlTrace *trace;

  g_assert_no_error (error);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_null (tl_runner_get_error (runner));
  trace = tl_trace_ref (tl_runner_get_trace (runner));
  g_assert_finalize_object (runner);

  g_assert_true (tl_trace_is_complete (trace));
  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    g_assert_true (TL_STATE_IS_FINAL (tl_trace_get_outcome (trace, i)->state));
  tl_test_assert_event_order (trace);
  return trace;
}

static void
test_sync_vs_async (void)
{
  g_autoptr(TlTrace) trace = run_real (
    "[Preset]\nFormat=1\nName=s\nRun=one-by-one;gathered\n"
    "[Task one-by-one]\nKind=sequence\nChildren=user\n"
    "[Task gathered]\nKind=gather\nChildren=user\n"
    "[Task user]\nKind=sleep\nDuration=300ms\nRepeat=3\n");
  gint64 sequential = tl_test_section_wall (trace, 0);
  gint64 gathered = tl_test_section_wall (trace, 1);

  g_test_message ("sequential %" G_GINT64_FORMAT " µs, gathered %" G_GINT64_FORMAT " µs", sequential, gathered);
  g_assert_cmpint (sequential, >=, S (0.9));
  g_assert_cmpint (sequential, <, S (1.5));
  g_assert_cmpint (gathered, >=, S (0.3));
  g_assert_cmpint (gathered, <, S (0.6));
  g_assert_cmpint (sequential, >, 2 * gathered);
}

static void
test_executor_queueing (void)
{
  g_autoptr(TlTrace) trace = run_real (
    "[Preset]\nFormat=1\nName=e\nRun=all\nThreads=2\n"
    "[Task all]\nKind=gather\nChildren=job\n"
    "[Task job]\nKind=blocking\nOn=thread\nDuration=200ms\nRepeat=5\n");
  gint64 wall = tl_test_section_wall (trace, 0);
  const TlOutcome *last = tl_test_outcome (trace, "job", 5);

  g_test_message ("5 × 0.2 s through 2 threads: %" G_GINT64_FORMAT " µs", wall);
  g_assert_cmpint (wall, >=, S (0.6));
  g_assert_cmpint (wall, <, S (1.0));
  /* The fifth waited in the queue for two rounds. */
  g_assert_cmpint (last->queued_us, >=, 0);
  g_assert_cmpint (last->started_us - last->queued_us, >=, S (0.38));
  for (guint copy = 1; copy <= 5; copy++)
    g_assert_cmpint (tl_test_outcome (trace, "job", copy)->state, ==, TL_STATE_OK);
  /* The loop stayed free. */
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), <, S (0.1));
}

static void
test_cpu_compare (void)
{
  g_autoptr(TlTrace) trace = run_real (
    "[Preset]\nFormat=1\nName=cpu\nRun=on-loop;on-processes\nThreads=2\nProcesses=2\n"
    "[Task on-loop]\nKind=gather\nChildren=loop-work\n"
    "[Task on-processes]\nKind=gather\nChildren=process-work\n"
    "[Task loop-work]\nKind=cpu\nOn=loop\nWork=150ms\nRepeat=4\n"
    "[Task process-work]\nKind=cpu\nOn=process\nWork=150ms\nRepeat=4\n");
  g_autoptr(TlTrace) gil = run_real (
    "[Preset]\nFormat=1\nName=cpu\nRun=on-threads\nThreads=2\nGIL=true\n"
    "[Task on-threads]\nKind=gather\nChildren=thread-work\n"
    "[Task thread-work]\nKind=cpu\nOn=thread\nWork=150ms\nRepeat=4\n");
  gint64 loop = tl_test_section_wall (trace, 0);
  gint64 processes = tl_test_section_wall (trace, 1);
  gint64 threads_gil = tl_test_section_wall (gil, 0);
  guint blocked = 0;
  const TlSection *process_section = tl_trace_get_section (trace, 1);

  g_test_message ("cpu 4 × 0.15 s: loop %" G_GINT64_FORMAT ", processes %" G_GINT64_FORMAT
                  ", threads+GIL %" G_GINT64_FORMAT " µs", loop, processes, threads_gil);
  /* One core's worth of CPU time, one after another. */
  g_assert_cmpint (loop, >=, S (0.6));
  g_assert_cmpint (threads_gil, >=, S (0.6));
  /* With processes the loop stays free: no stall during that section.
   * (Their wall time depends on how busy the machine's cores are.) */
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_LOOP_STALL)
        g_assert_cmpint (e->time_us, <, process_section->start_us);
    }
  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    if (tl_trace_get_warning (trace, i)->code == TL_WARNING_LOOP_BLOCKED)
      blocked++;
  g_assert_cmpuint (blocked, ==, 4);
  for (guint copy = 1; copy <= 4; copy++)
    g_assert_cmpint (tl_test_outcome (trace, "process-work", copy)->state, ==, TL_STATE_OK);
}

static void
test_loop_blocked_ticker (void)
{
  g_autoptr(TlTrace) trace = run_real (
    "[Preset]\nFormat=1\nName=b\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=ticker;mistake\n"
    "[Task ticker]\nKind=sequence\nChildren=tick\n"
    "[Task tick]\nKind=sleep\nDuration=100ms\nRepeat=5\n"
    "[Task mistake]\nKind=sequence\nChildren=pause;time-sleep\n"
    "[Task pause]\nKind=sleep\nDuration=50ms\n"
    "[Task time-sleep]\nKind=blocking\nOn=loop\nDuration=500ms\n");
  guint32 tick1 = tl_test_get_instance (trace, "tick", 1);
  guint32 culprit = tl_test_get_instance (trace, "time-sleep", 1);
  gint64 blocked_at = -1;
  gint64 probe_lag = 0;
  gboolean warned = FALSE;

  /* Due at 0.1 s, run when the 0.5 s call returned (about 0.55 s). */
  g_assert_cmpint (tl_test_outcome (trace, "tick", 1)->finished_us, >=, S (0.54));
  g_assert_cmpint (tl_test_outcome (trace, "tick", 1)->finished_us, <, S (0.9));
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->instance == tick1 && e->type == TL_EVENT_STATE && e->a == TL_STATE_BLOCKED)
        blocked_at = e->time_us;
    }
  g_assert_cmpint (blocked_at, >=, S (0.1));
  g_assert_cmpint (blocked_at, <, S (0.2));
  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    {
      const TlWarning *w = tl_trace_get_warning (trace, i);

      if (w->code == TL_WARNING_LOOP_BLOCKED && w->instance == culprit)
        warned = TRUE;
    }
  g_assert_true (warned);
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), >=, S (0.45));

  /* The lag probe saw it too, as a counter. */
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_COUNTER && e->a == TL_COUNTER_LOOP_LAG_US)
        probe_lag = MAX (probe_lag, e->value);
    }
  g_assert_cmpint (probe_lag, >=, S (0.4));
}

typedef struct {
  gboolean finished;
  GThread *thread;
} FinishedData;

static gboolean
finished_cb (gpointer user_data)
{
  FinishedData *data = user_data;

  data->finished = TRUE;
  data->thread = g_thread_self ();
  return G_SOURCE_REMOVE;
}

static void
test_stall_from_other_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=s\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=pause;crunch\n"
    "[Task pause]\nKind=sleep\nDuration=100ms\n"
    "[Task crunch]\nKind=blocking\nOn=loop\nDuration=800ms\n", -1, "s.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL };
  FinishedData data = { FALSE, NULL };
  TlEngineThread *engine;
  TlRunner *runner;
  gint64 seen = 0;
  guint32 culprit = TL_NO_INSTANCE;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  TlTrace *trace;

  g_assert_no_error (error);
  engine = tl_engine_thread_start (preset, &options, finished_cb, &data);
  runner = tl_engine_thread_get_runner (engine);
  trace = tl_engine_thread_get_trace (engine);

  /* While the engine thread is stuck in the call, this thread watches
   * the stall grow. */
  while (seen < S (0.3) && g_get_monotonic_time () < deadline)
    {
      seen = tl_runner_get_current_stall_us (runner, &culprit);
      g_usleep (5000);
    }
  g_assert_cmpint (seen, >=, S (0.3));
  g_assert_cmpuint (culprit, <, tl_trace_get_n_instances (trace));
  g_assert_cmpstr (tl_trace_get_preset (trace)->tasks[tl_trace_get_instance (trace, culprit)->spec].name, ==, "crunch");

  g_assert_true (tl_test_wait_for_flag (&data.finished, 10000));
  g_assert_true (data.thread == g_thread_self ());
  g_assert_true (tl_trace_is_complete (trace));
  g_assert_cmpint (tl_runner_get_current_stall_us (runner, &culprit), ==, 0);
  g_assert_cmpuint (culprit, ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_trace_get_outcome (trace, culprit == TL_NO_INSTANCE ? 2 : culprit)->state, ==, TL_STATE_OK);
  tl_engine_thread_free (engine);
}

static void
test_engine_thread_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=s\nRun=main;never\n"
    "[Task main]\nKind=gather\nChildren=nap;job\n"
    "[Task nap]\nKind=sleep\nDuration=30s\nRepeat=100\n"
    "[Task job]\nKind=blocking\nDuration=100ms\n"
    "[Task never]\nKind=sleep\nDuration=1s\n", -1, "s.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL, .default_threads = 1 };
  FinishedData data = { FALSE, NULL };
  TlEngineThread *engine;
  TlTrace *trace;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  engine = tl_engine_thread_start (preset, &options, finished_cb, &data);
  trace = tl_trace_ref (tl_engine_thread_get_trace (engine));
  g_usleep (200 * 1000);
  /* Stops, waits for the thread job, joins: well before 30 s. */
  tl_engine_thread_free (engine);
  g_assert_cmpint (g_get_monotonic_time () - start, <, S (5));

  g_assert_true (tl_trace_is_complete (trace));
  g_assert_cmpuint (tl_trace_get_n_sections (trace), ==, 1);
  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    g_assert_true (TL_STATE_IS_FINAL (tl_trace_get_outcome (trace, i)->state));
  g_assert_cmpint (tl_trace_get_outcome (trace, 1)->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (tl_trace_get_outcome (trace, 1)->cause, ==, TL_CAUSE_USER);
  /* The caller freed the thread before its notification ran: none comes. */
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (data.finished);
  tl_trace_unref (trace);
}


/* --- a busy machine ------------------------------------------------------ */

static volatile gint burners_stop;
static volatile guint64 burners_sink;

static gpointer
burner_thread (gpointer data)
{
  guint64 x = GPOINTER_TO_UINT (data) | 1;

  while (!g_atomic_int_get (&burners_stop))
    for (guint i = 0; i < 100000; i++)
      x = x * G_GUINT64_CONSTANT (6364136223846793005) + 1;
  burners_sink = x;
  return NULL;
}

#define CONTENDED_PRESET \
  "[Preset]\nFormat=1\nName=c\nRun=on-loop;on-threads\nThreads=2\nGIL=false\n" \
  "[Task on-loop]\nKind=gather\nLabel=on the event loop\nChildren=crunch-loop\n" \
  "[Task crunch-loop]\nKind=cpu\nOn=loop\nWork=150ms\nRepeat=2\n" \
  "[Task on-threads]\nKind=gather\nLabel=ThreadPoolExecutor(max_workers=2)\nChildren=crunch-thread\n" \
  "[Task crunch-thread]\nKind=cpu\nOn=thread\nWork=150ms\nRepeat=2\n"

/* Other programs taking the cores: the summary says so instead of a
 * speed-up verdict that could reverse the lesson. */
static void
test_cpu_contended (void)
{
  guint cores = tl_cpu_probe_count_cores ();
  g_autoptr(GPtrArray) burners = g_ptr_array_new ();
  g_autoptr(TlTrace) trace = NULL;
  g_autofree char *text = NULL;
  TlSectionSummary summary[2];

  /* Two busy threads per core: each of ours gets a third of one at best. */
  g_atomic_int_set (&burners_stop, 0);
  for (guint i = 0; i < 2 * cores; i++)
    g_ptr_array_add (burners, g_thread_new ("burner", burner_thread, GUINT_TO_POINTER (i)));

  trace = run_real (CONTENDED_PRESET);

  g_atomic_int_set (&burners_stop, 1);
  for (guint i = 0; i < burners->len; i++)
    g_thread_join (g_ptr_array_index (burners, i));

  for (guint s = 0; s < 2; s++)
    {
      const TlSection *section = tl_trace_get_section (trace, s);

      g_assert_true (section->cpu_measured);
      g_assert_cmpuint (section->cpu_cores, ==, cores);
      g_assert_cmpint (section->cpu_process_us, >, 0);
      tl_summary_compute_section (trace, s, &summary[s]);
      g_test_message ("section %u: work %" G_GINT64_FORMAT " µs, demand %" G_GINT64_FORMAT
                      " µs, share %.2f, pressure %.2f", s, summary[s].cpu_work_us,
                      summary[s].cpu_demand_us, summary[s].cpu_share, summary[s].cpu_pressure);
      g_assert_cmpint (summary[s].cpu_work_us, ==, S (0.3));
      g_assert_true (summary[s].cpu_contended);
    }

  text = tl_summary_format_text (trace);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Other programs were using the processors"));
  g_assert_nonnull (strstr (text, "No verdict: other programs took the processors"));
  g_assert_null (strstr (text, "faster"));
}

/* On the virtual clock nothing is measured, and nothing is judged. */
static void
test_cpu_virtual_not_judged (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (CONTENDED_PRESET, -1, "test.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL, .default_threads = 2, .default_processes = 2 };
  TlRunner *runner;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_null (tl_runner_get_error (runner));

  for (guint s = 0; s < 2; s++)
    {
      TlSectionSummary summary;

      g_assert_false (tl_trace_get_section (tl_runner_get_trace (runner), s)->cpu_measured);
      tl_summary_compute_section (tl_runner_get_trace (runner), s, &summary);
      g_assert_false (summary.cpu_contended);
      g_assert_cmpfloat (summary.cpu_share, >=, 0.99);
    }
  text = tl_summary_format_text (tl_runner_get_trace (runner));
  /* The labels name the sections in the verdict. */
  g_assert_nonnull (strstr (text, " — ThreadPoolExecutor(max_workers=2): 2.0× faster than on the event loop\n"));
  g_assert_finalize_object (runner);
}

static void
test_cpu_pressure_parse (void)
{
  g_assert_cmpint (tl_cpu_probe_parse_pressure ("some avg10=99.03 avg60=98.50 avg300=65.68 total=325243054\n"
                                                "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"),
                   ==, G_GINT64_CONSTANT (325243054));
  g_assert_cmpint (tl_cpu_probe_parse_pressure ("full avg10=0.00 total=7\nsome avg10=1.00 total=12\n"), ==, 12);
  g_assert_cmpint (tl_cpu_probe_parse_pressure ("some avg10=1.00\nfull total=5\n"), ==, -1);
  g_assert_cmpint (tl_cpu_probe_parse_pressure (""), ==, -1);
  g_assert_cmpint (tl_cpu_probe_parse_pressure (NULL), ==, -1);
  g_assert_cmpuint (tl_cpu_probe_count_cores (), >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/realtime/sync-vs-async", test_sync_vs_async);
  g_test_add_func ("/engine/realtime/executor-queueing", test_executor_queueing);
  g_test_add_func ("/engine/realtime/cpu-compare", test_cpu_compare);
  g_test_add_func ("/engine/realtime/loop-blocked-ticker", test_loop_blocked_ticker);
  g_test_add_func ("/engine/realtime/stall-from-other-thread", test_stall_from_other_thread);
  g_test_add_func ("/engine/realtime/engine-thread-stop", test_engine_thread_stop);
  g_test_add_func ("/engine/realtime/cpu-contended", test_cpu_contended);
  g_test_add_func ("/engine/realtime/cpu-virtual-not-judged", test_cpu_virtual_not_judged);
  g_test_add_func ("/engine/realtime/cpu-pressure-parse", test_cpu_pressure_parse);

  return g_test_run ();
}
