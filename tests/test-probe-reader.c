/* test-probe-reader.c — the probe's line protocol read into a trace
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "preset/tl-preset.h"
#include "python/tl-probe-reader.h"
#include "trace/tl-compare.h"
#include "trace/tl-summary.h"
#include "trace/tl-trace.h"
#include "tl-test-util.h"

typedef struct {
  TlTrace       *trace;
  TlProbeReader *reader;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TlPreset) preset = tl_preset_new_for_program ("/tmp/prog.py", NULL);

  f->trace = tl_trace_new_open (preset);
  f->reader = tl_probe_reader_new (f->trace);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tl_probe_reader_free (f->reader);
  tl_trace_unref (f->trace);
}

static void
feed (Fixture    *f,
      const char *text)
{
  tl_probe_reader_feed (f->reader, text, strlen (text));
}

static const char *good =
  "tasklanes-probe\t1\t3.11.2\t42\n"
  "task\t10\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n"
  "section-start\t11\t0\t1\n"
  "task\t20\t2\t1\t0\tsequence\tloop\t9\tfetch\tfetch(1)\n"
  "step\t30\t2\t40\n"
  "running\t1000\t2\n"
  "ok\t1010\t2\t'done'\n"
  "task\t1020\t3\t1\t0\tblocking\tthread\t12\tblock\tblock\\t(\\n)\n"
  "queued\t1020\t3\n"
  "failed\t1500\t3\tOSError: disk full\n"
  "stall\t1600\t1\t200000\ttime.sleep(0.2) (prog.py:14)\n"
  "ok\t201700\t1\tNone\n"
  "section-end\t201800\t0\n"
  "exit\t201900\t0\n";

/* A run reads into the same trace a preset fills: sections, instances
 * with their own names, labels and lines, states and warnings. */
static void
test_good_run (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *label = NULL;

  /* In pieces that cut lines anywhere. */
  for (const char *p = good; *p != '\0'; p += MIN (strlen (p), 7))
    tl_probe_reader_feed (f->reader, p, MIN (strlen (p), 7));
  tl_probe_reader_finish (f->reader, 202000, TL_CAUSE_SECTION_END);

  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 0);
  g_assert_true (tl_probe_reader_saw_exit (f->reader));
  g_assert_cmpuint (tl_trace_get_n_sections (f->trace), ==, 1);
  g_assert_cmpuint (tl_trace_get_n_instances (f->trace), ==, 3);
  g_assert_cmpstr (tl_trace_get_task_name (f->trace, 1), ==, "fetch");
  g_assert_cmpuint (tl_trace_instance_get_source_line (f->trace, 1), ==, 9);
  label = tl_trace_dup_label (f->trace, 2);
  g_assert_cmpstr (label, ==, "block\t(\n)");
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->started_us, ==, 30);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->state, ==, TL_STATE_OK);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 2)->state, ==, TL_STATE_FAILED);
  g_assert_cmpstr (tl_trace_get_error (f->trace, 2), ==, "OSError: disk full");
  g_assert_cmpint (tl_trace_get_instance (f->trace, 2)->on, ==, TL_ON_THREAD);
  g_assert_cmpuint (tl_trace_get_n_warnings (f->trace), ==, 1);
  g_assert_cmpint (tl_trace_get_warning (f->trace, 0)->code, ==, TL_WARNING_LOOP_BLOCKED);
  g_assert_nonnull (strstr (tl_trace_get_warning (f->trace, 0)->message, "time.sleep(0.2)"));
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (f->trace), ==, 200000);
  g_assert_cmpint (tl_trace_get_section (f->trace, 0)->state, ==, TL_STATE_OK);
}

/* Garbage is counted and described once; nothing of it reaches the trace. */
static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *longline = g_strnfill (TL_PROBE_MAX_LINE * 3, 'x');

  feed (f, "tasklanes-probe\t1\t3.11\t1\n");
  feed (f, "no such event\n");
  feed (f, "task\t1\t1\t99\t0\tsequence\tloop\t0\tx\tx\n");          /* unknown parent */
  feed (f, "task\t1\t1\t-\t5\tsequence\tloop\t0\tx\tx\n");          /* section out of order */
  feed (f, "task\t1\t1\t-\t0\tnot-a-kind\tloop\t0\tx\tx\n");
  feed (f, "running\tsoon\t1\n");
  feed (f, "\xff\xfe\n");
  feed (f, longline);
  feed (f, "\n");
  feed (f, "a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm\tn\n");
  tl_probe_reader_finish (f->reader, 0, TL_CAUSE_SECTION_END);

  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 8);
  g_assert_nonnull (strstr (tl_probe_reader_get_bad_line_message (f->reader), "no such event"));
  g_assert_cmpuint (tl_trace_get_n_instances (f->trace), ==, 0);
}

/* Without the probe's first line, or with another version, nothing is
 * read; version 2 must name its time origin. */
static void
test_header (Fixture       *f,
             gconstpointer  data)
{
  feed (f, "task\t10\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n");
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 1);
  feed (f, "tasklanes-probe\t2\t3.13\t1\n");
  g_assert_false (tl_probe_reader_saw_header (f->reader));
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 2);
  feed (f, "tasklanes-probe\t3\t3.14\t1\t0\n");
  g_assert_false (tl_probe_reader_saw_header (f->reader));
  g_assert_nonnull (strstr (tl_probe_reader_get_bad_line_message (f->reader), "version 3"));
  g_assert_cmpuint (tl_trace_get_n_instances (f->trace), ==, 0);
}

/* Version 2: times are the monotonic clock's nanoseconds from the origin
 * the first line names, read as microseconds since then, in every field
 * that holds a time or a length of time. */
static void
test_nanoseconds (Fixture       *f,
                  gconstpointer  data)
{
  const TlHttpDetails *http;
  gboolean saw_deadline = FALSE;

  feed (f, "tasklanes-probe\t2\t3.11.2\t42\t7000000000000\n"
           "task\t7000000010000\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n"
           "section-start\t7000000011000\t0\t1\n"
           "task\t7000000020000\t2\t1\t0\tsequence\tloop\t9\tfetch\tfetch(1)\n"
           "step\t7000000030999\t2\t7000000040000\n"
           "deadline\t7000000040000\t2\t7000000540000\t0\n"
           "http\t7000000041000\t2\tfirst_byte\t7000000045500\n"
           "http\t7000000041000\t2\tbytes\t7000000045500\n"
           "running\t7000001000000\t2\n"
           "ok\t7000001010000\t2\t'done'\n"
           "stall\t7000001600000\t1\t200000000\ttime.sleep(0.2) (prog.py:14)\n");
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 0);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->started_us, ==, 30);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->finished_us, ==, 1010);
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (f->trace), ==, 200000);
  http = tl_trace_get_http (f->trace, 1);
  g_assert_nonnull (http);
  g_assert_cmpint (http->first_byte_us, ==, 45);
  g_assert_cmpint (http->bytes, ==, 7000000045500);
  for (guint i = 0; i < tl_trace_get_n_events (f->trace); i++)
    {
      const TlEvent *event = tl_trace_get_event (f->trace, i);

      if (event->type == TL_EVENT_DEADLINE)
        {
          g_assert_cmpint (event->time_us, ==, 40);
          g_assert_cmpint (event->value, ==, 540);
          saw_deadline = TRUE;
        }
    }
  g_assert_true (saw_deadline);

  /* Before the origin: no time of this run. */
  feed (f, "ok\t6999999999999\t1\tNone\n");
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 1);
  g_assert_false (TL_STATE_IS_FINAL (tl_trace_get_outcome (f->trace, 0)->state));
}

/* A program that ends mid-run: what still ran is cancelled, sections end. */
static void
test_finish_mid_run (Fixture       *f,
                     gconstpointer  data)
{
  feed (f, "tasklanes-probe\t1\t3.11\t1\n"
           "task\t10\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n"
           "section-start\t11\t0\t1\n"
           "task\t20\t2\t1\t0\tsequence\tloop\t9\tfetch\tfetch(1)\n"
           "running\t30\t2\n");
  tl_probe_reader_finish (f->reader, 500, TL_CAUSE_USER);

  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 1)->cause, ==, TL_CAUSE_USER);
  g_assert_cmpint (tl_trace_get_outcome (f->trace, 0)->state, ==, TL_STATE_NEVER_STARTED);
  g_assert_cmpint (tl_trace_get_section (f->trace, 0)->end_us, ==, 500);
}

/* The Concurrency lane's counters, as a preset's run keeps them: every
 * instance running or waiting, combinators included, in time order. */
static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  gint64 peak[TL_N_COUNTERS] = { 0 }, last[TL_N_COUNTERS] = { 0 }, previous_us = 0;
  guint n_counter_events = 0;

  feed (f, tl_test_gather_report);
  tl_probe_reader_finish (f->reader, 2050, TL_CAUSE_SECTION_END);
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 0);

  for (guint i = 0; i < tl_trace_get_n_events (f->trace); i++)
    {
      const TlEvent *event = tl_trace_get_event (f->trace, i);

      if (event->type != TL_EVENT_COUNTER)
        continue;
      n_counter_events++;
      g_assert_cmpint (event->time_us, >=, previous_us);
      previous_us = event->time_us;
      last[event->a] = event->value;
      peak[event->a] = MAX (peak[event->a], event->value);
    }
  g_assert_cmpuint (n_counter_events, >, 0);
  /* main, the gather and its three children wait together. */
  g_assert_cmpint (peak[TL_COUNTER_TASKS_WAITING], ==, 5);
  g_assert_cmpint (peak[TL_COUNTER_TASKS_RUNNING], ==, 1);
  g_assert_cmpint (last[TL_COUNTER_TASKS_WAITING], ==, 0);
  g_assert_cmpint (last[TL_COUNTER_TASKS_RUNNING], ==, 0);
}

/* A program's tasks have no spec: its summary must not look one up,
 * whatever kind the probe gave a task, and its warnings group only
 * copies of one coroutine. */
static void
test_summary_without_specs (Fixture       *f,
                            gconstpointer  data)
{
  TlSectionSummary summary = { 0 };
  g_autofree char *text = NULL;

  feed (f,
        "tasklanes-probe\t1\t3.11.2\t42\n"
        "task\t10\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n"
        "section-start\t11\t0\t1\n"
        "task\t20\t2\t1\t0\tcpu\tloop\t9\tcrunch\tcrunch(1)\n"
        "running\t30\t2\n"
        "ok\t5030\t2\t1\n"
        "task\t40\t3\t1\t0\tsequence\tloop\t10\tfetch\tfetch(1)\n"
        "task\t41\t4\t1\t0\tsequence\tloop\t10\tfetch\tfetch(2)\n"
        "task\t42\t5\t1\t0\tsequence\tloop\t11\tparse\tparse()\n"
        "failed\t50\t3\tValueError: a\n"
        "failed\t51\t4\tValueError: b\n"
        "failed\t52\t5\tValueError: c\n"
        "warning\t60\t3\texception-never-retrieved\tValueError: a\n"
        "warning\t61\t4\texception-never-retrieved\tValueError: b\n"
        "warning\t62\t5\texception-never-retrieved\tValueError: c\n"
        "ok\t6000\t1\tNone\n"
        "section-end\t6001\t0\n"
        "exit\t6002\t0\n");
  tl_probe_reader_finish (f->reader, 6003, TL_CAUSE_SECTION_END);
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (f->reader), ==, 0);

  tl_summary_compute_section (f->trace, 0, &summary);
  /* How much CPU a program's task asked for is not known. */
  g_assert_cmpint (summary.cpu_work_us, ==, 0);

  g_assert_true (tl_trace_same_task (f->trace, 2, 3));
  g_assert_false (tl_trace_same_task (f->trace, 3, 4));
  text = tl_summary_format_text (f->trace);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "fetch(1): ValueError: a"));
  g_assert_nonnull (strstr (text, "… and 1 more copy of fetch with the same warning"));
  g_assert_null (strstr (text, "ValueError: b"));
  g_assert_nonnull (strstr (text, "parse(): ValueError: c"));
}

/* Two runs of one program match task for task, though the three fetch()
 * tasks under the gather share their name and copy number: each is
 * matched with the one created in its place. */
static void
test_compare_runs (void)
{
  g_autoptr(TlTrace) before = tl_test_read_program (tl_test_gather_report, 2050);
  g_autoptr(TlTrace) after = tl_test_read_program (tl_test_gather_report, 2050);
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree guint32 *match = NULL;
  g_autofree char *words = NULL;

  tl_trace_complete (before, 2050);
  tl_trace_complete (after, 2050);
  keys = tl_compare_dup_instance_keys (after);
  match = tl_compare_match_instances (before, after);
  words = tl_compare_describe (before, after);

  g_assert_cmpstr (g_ptr_array_index (keys, 2), ==, "0/main#1/gather#1/fetch#1");
  g_assert_cmpstr (g_ptr_array_index (keys, 3), ==, "0/main#1/gather#1/fetch#1~2");
  g_assert_cmpstr (g_ptr_array_index (keys, 4), ==, "0/main#1/gather#1/fetch#1~3");
  for (guint32 id = 0; id < tl_trace_get_n_instances (after); id++)
    g_assert_cmpuint (match[id], ==, id);
  g_test_message ("%s", words);
  g_assert_nonnull (strstr (words, "No task changed its final state or finishing time"));
}

/* A startup error is kept for the message. */
static void
test_startup_error (Fixture       *f,
                    gconstpointer  data)
{
  const char *file, *message;
  guint line;

  feed (f, "tasklanes-probe\t1\t3.11\t1\nstartup-error\t5\t/tmp/prog.py\t3\tSyntaxError: invalid syntax\n");
  g_assert_true (tl_probe_reader_get_startup_error (f->reader, &file, &line, &message));
  g_assert_cmpstr (file, ==, "/tmp/prog.py");
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpstr (message, ==, "SyntaxError: invalid syntax");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/probe-reader/good-run", test_good_run);
  ADD ("/engine/probe-reader/summary-without-specs", test_summary_without_specs);
  g_test_add_func ("/engine/probe-reader/compare-runs", test_compare_runs);
  ADD ("/engine/probe-reader/garbage", test_garbage);
  ADD ("/engine/probe-reader/header", test_header);
  ADD ("/engine/probe-reader/nanoseconds", test_nanoseconds);
  ADD ("/engine/probe-reader/counters", test_counters);
  ADD ("/engine/probe-reader/finish-mid-run", test_finish_mid_run);
  ADD ("/engine/probe-reader/startup-error", test_startup_error);
#undef ADD

  return g_test_run ();
}
