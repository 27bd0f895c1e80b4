/* test-timeline-model.c — lanes, intervals and summaries from an event log
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-model"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "python/tl-probe-reader.h"
#include "run/tl-runner.h"
#include "timeline/tl-timeline-model.h"
#include "trace/tl-compare.h"
#include "tl-test-timeline.h"
#include "tl-test-util.h"

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=timeline model test\n"
  "Run=main;second\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Children=first;group;job\n"
  "\n"
  "[Task second]\n"
  "Kind=sequence\n"
  "Children=late\n"
  "\n"
  "[Task first]\n"
  "Kind=sleep\n"
  "Label=first_sleep\n"
  "Duration=1s\n"
  "\n"
  "[Task group]\n"
  "Kind=sequence\n"
  "Children=inner\n"
  "\n"
  "[Task inner]\n"
  "Kind=sleep\n"
  "Label=inner({i})\n"
  "Duration=1s\n"
  "Repeat=3\n"
  "\n"
  "[Task job]\n"
  "Kind=blocking\n"
  "Duration=1s\n"
  "\n"
  "[Task late]\n"
  "Kind=sleep\n"
  "Duration=1s\n";

static TlPreset *
load_preset (void)
{
  g_autoptr(GError) error = NULL;
  TlPreset *preset = tl_preset_new_from_data (preset_text, -1, "timeline-model-test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (preset);
  return preset;
}

static TlTrace *
new_trace (void)
{
  g_autoptr(TlPreset) preset = load_preset ();

  return tl_trace_new (preset);
}

/* Visible task lanes, in order, as instance ids. */
static GArray *
task_order (TlTimelineModel *model)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint n = tl_timeline_model_get_n_lanes (model);

  for (guint lane = 0; lane < n; lane++)
    if (tl_timeline_model_get_lane_kind (model, lane) == TL_LANE_TASK)
      {
        guint32 inst = tl_timeline_model_get_lane_instance (model, lane);
        g_array_append_val (order, inst);
      }
  return order;
}

static void
assert_order (TlTimelineModel *model,
              const guint32   *expected,
              guint            n_expected)
{
  g_autoptr(GArray) order = task_order (model);

  g_assert_cmpuint (order->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpuint (g_array_index (order, guint32, i), ==, expected[i]);
}

/* Children of different parents created interleaved still end up right
 * under their parent, in creation order. */
static void
test_tree_order (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint main_spec = tl_test_spec_of (trace, "main"), group = tl_test_spec_of (trace, "group"), inner = tl_test_spec_of (trace, "inner");
  guint32 g, s1, s2, x1, y1, x2, y2;

  tl_trace_begin_section (trace, 0, 0, 0);
  g = tl_trace_add_instance (trace, TL_NO_INSTANCE, main_spec, 1, 0, TL_ON_LOOP, 0);
  s1 = tl_trace_add_instance (trace, g, group, 1, 0, TL_ON_LOOP, 10);
  s2 = tl_trace_add_instance (trace, g, group, 2, 0, TL_ON_LOOP, 20);
  tl_timeline_model_update (model);
  {
    const guint32 expected[] = { g, s1, s2 };
    assert_order (model, expected, G_N_ELEMENTS (expected));
  }

  x1 = tl_trace_add_instance (trace, s1, inner, 1, 0, TL_ON_LOOP, 30);
  y1 = tl_trace_add_instance (trace, s2, inner, 1, 0, TL_ON_LOOP, 40);
  tl_timeline_model_update (model);
  x2 = tl_trace_add_instance (trace, s1, inner, 2, 0, TL_ON_LOOP, 50);
  y2 = tl_trace_add_instance (trace, s2, inner, 2, 0, TL_ON_LOOP, 60);
  tl_timeline_model_update (model);
  {
    const guint32 expected[] = { g, s1, x1, x2, s2, y1, y2 };
    assert_order (model, expected, G_N_ELEMENTS (expected));
  }

  /* Lanes know their nesting and where their subtree ends. */
  {
    int lane_s1 = tl_timeline_model_find_lane (model, s1);
    int lane_x2 = tl_timeline_model_find_lane (model, x2);
    int lane_g = tl_timeline_model_find_lane (model, g);
    int lane_y2 = tl_timeline_model_find_lane (model, y2);

    g_assert_cmpint (tl_timeline_model_get_subtree_end_lane (model, lane_s1), ==, lane_x2);
    g_assert_cmpint (tl_timeline_model_get_subtree_end_lane (model, lane_g), ==, lane_y2);
    g_assert_cmpuint (tl_timeline_model_get_lane_depth (model, lane_x2), ==, 2);
    g_assert_cmpuint (tl_timeline_model_get_lane_depth (model, lane_g), ==, 0);
    /* A section header right above the root. */
    g_assert_cmpint (tl_timeline_model_get_lane_kind (model, lane_g - 1), ==, TL_LANE_SECTION);
  }

  /* Summary lanes: the preset has a thread job, no fetch. */
  {
    guint n_summary = tl_timeline_model_get_n_summary_lanes (model);

    g_assert_cmpuint (n_summary, ==, 3);
    g_assert_cmpint (tl_timeline_model_get_lane_kind (model, 0), ==, TL_LANE_LOOP);
    g_assert_cmpint (tl_timeline_model_get_lane_kind (model, 1), ==, TL_LANE_THREADS);
    g_assert_cmpint (tl_timeline_model_get_lane_kind (model, 2), ==, TL_LANE_CONCURRENCY);
  }
}

static void
test_intervals_and_markers (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint32 root, a, b, c;
  const TlInterval *v;
  guint n;
  int lane;
  gint64 t;
  TlCause cause;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  a = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 100);
  b = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "job"), 1, 0, TL_ON_THREAD, 100);
  c = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 100);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 100);
  tl_trace_set_state (trace, a, TL_STATE_RUNNING, 200);
  tl_trace_set_state (trace, a, TL_STATE_WAITING, 250);
  tl_trace_set_state (trace, b, TL_STATE_QUEUED, 200);
  tl_trace_set_state (trace, b, TL_STATE_RUNNING, 400);
  tl_trace_add_event (trace, 300, TL_EVENT_DEADLINE, c, 0, 0, 900);
  tl_timeline_model_update (model);
  tl_timeline_model_set_now (model, 500);

  lane = tl_timeline_model_find_lane (model, a);
  v = tl_timeline_model_get_intervals (model, lane, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (v[0].start_us, ==, 100);
  g_assert_cmpint (v[0].end_us, ==, 200);
  g_assert_cmpuint (v[0].state, ==, TL_STATE_CREATED);
  g_assert_cmpuint (v[1].state, ==, TL_STATE_RUNNING);
  g_assert_cmpint (v[1].end_us, ==, 250);
  g_assert_cmpuint (v[2].state, ==, TL_STATE_WAITING);
  g_assert_cmpint (v[2].end_us, ==, G_MAXINT64);   /* open while live */
  g_assert_cmpint (tl_timeline_model_get_end_us (model), ==, 500);
  g_assert_cmpuint (tl_timeline_model_find_interval (model, lane, 50), ==, 0);
  g_assert_cmpuint (tl_timeline_model_find_interval (model, lane, 220), ==, 1);
  g_assert_cmpuint (tl_timeline_model_find_interval (model, lane, 100000), ==, 2);

  g_assert_cmpint (tl_timeline_model_get_deadline (model, c, 0), ==, 900);
  g_assert_cmpint (tl_timeline_model_get_deadline (model, c, 1), ==, -1);

  /* Final states: markers, and causes of cancellations. */
  tl_trace_set_error (trace, a, "ValueError: bad");
  tl_trace_set_state (trace, a, TL_STATE_FAILED, 600);
  tl_trace_set_cancelled (trace, b, TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, a, 600);
  tl_trace_set_cancelled (trace, c, TL_STATE_TIMED_OUT, TL_CAUSE_TIMEOUT, c, 900);
  tl_trace_set_state (trace, root, TL_STATE_FAILED, 600);
  tl_trace_complete (trace, 900);
  g_assert_true (tl_timeline_model_update (model));
  g_assert_false (tl_timeline_model_update (model));

  v = tl_timeline_model_get_intervals (model, lane, &n);
  g_assert_cmpint (v[n - 1].end_us, ==, 600);
  g_assert_cmpint (tl_timeline_model_get_marker (model, a, &t), ==, TL_MARKER_FAILED);
  g_assert_cmpint (t, ==, 600);
  g_assert_cmpint (tl_timeline_model_get_marker (model, b, NULL), ==, TL_MARKER_CANCELLED);
  g_assert_cmpint (tl_timeline_model_get_marker (model, c, NULL), ==, TL_MARKER_TIMED_OUT);
  g_assert_cmpuint (tl_timeline_model_get_cause (model, b, &cause), ==, a);
  g_assert_cmpint (cause, ==, TL_CAUSE_SIBLING_FAILED);
  /* Its own timeout is no arrow from someone else. */
  g_assert_cmpuint (tl_timeline_model_get_cause (model, c, &cause), ==, TL_NO_INSTANCE);
  g_assert_cmpint (cause, ==, TL_CAUSE_TIMEOUT);
  {
    guint n_caused;
    g_autofree guint32 *caused = tl_timeline_model_dup_caused (model, a, 10, &n_caused);

    g_assert_cmpuint (n_caused, ==, 1);
    g_assert_cmpuint (caused[0], ==, b);
  }

  g_assert_true (tl_timeline_model_is_complete (model));
  g_assert_cmpint (tl_timeline_model_get_end_us (model), ==, 900);
  g_assert_cmpuint (tl_timeline_model_get_n_tasks (model), ==, 3);
  g_assert_cmpuint (tl_timeline_model_count_state (model, TL_STATE_FAILED), ==, 1);
  g_assert_cmpuint (tl_timeline_model_count_state (model, TL_STATE_CANCELLED), ==, 1);
  g_assert_cmpuint (tl_timeline_model_count_state (model, TL_STATE_TIMED_OUT), ==, 1);
  g_assert_cmpuint (tl_timeline_model_count_state (model, TL_STATE_RUNNING), ==, 0);
}

/* The loop is busy while a loop task runs; a stall reported late, with
 * the BLOCKED states it caused carrying earlier times, lands where it
 * happened. */
static void
test_loop_and_stalls (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint32 root, hog, victim;
  const TlInterval *v;
  guint n;
  int lane;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  hog = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "job"), 1, 0, TL_ON_LOOP, 0);
  victim = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, victim, TL_STATE_WAITING, 10);
  tl_trace_set_state (trace, hog, TL_STATE_RUNNING, 50);
  tl_timeline_model_update (model);

  /* The hog held the loop from 50 to 500; the victim's timer fired at 100. */
  tl_trace_set_state (trace, hog, TL_STATE_OK, 500);
  tl_trace_add_event (trace, 50, TL_EVENT_LOOP_STALL, hog, 0, 0, 450);
  tl_trace_add_event (trace, 100, TL_EVENT_STATE, victim, TL_STATE_BLOCKED, 0, 0);
  tl_trace_set_state (trace, victim, TL_STATE_RUNNING, 500);
  tl_trace_set_state (trace, victim, TL_STATE_OK, 520);
  tl_trace_complete (trace, 520);
  tl_timeline_model_update (model);

  v = tl_timeline_model_get_intervals (model, 0, &n);
  g_assert_cmpint (tl_timeline_model_get_lane_kind (model, 0), ==, TL_LANE_LOOP);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (v[0].start_us, ==, 50);
  g_assert_cmpint (v[0].end_us, ==, 520);

  v = tl_timeline_model_get_stalls (model, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (v[0].start_us, ==, 50);
  g_assert_cmpint (v[0].end_us, ==, 500);
  g_assert_cmpuint (v[0].extra, ==, hog);
  g_assert_cmpint (tl_timeline_model_get_max_stall_us (model), ==, 450);
  g_assert_cmpuint (tl_timeline_model_find_stall (model, 200), ==, 0);
  g_assert_cmpuint (tl_timeline_model_find_stall (model, 600), ==, 1);

  lane = tl_timeline_model_find_lane (model, victim);
  v = tl_timeline_model_get_intervals (model, lane, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (v[1].state, ==, TL_STATE_WAITING);
  g_assert_cmpint (v[1].end_us, ==, 100);
  g_assert_cmpuint (v[2].state, ==, TL_STATE_BLOCKED);
  g_assert_cmpint (v[2].start_us, ==, 100);
  g_assert_cmpint (v[2].end_us, ==, 500);
  g_assert_cmpuint (v[3].state, ==, TL_STATE_RUNNING);
}

/* The loop lane's load per pixel comes from a running sum of busy time. */
static void
test_loop_busy_sum (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint32 root, a, b;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  a = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 0);
  b = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 2, 0, TL_ON_LOOP, 0);
  /* Busy 100–200 (a), 300–350 (a), 350–400 (b: back to back, one span),
   * 1000–open (b). */
  tl_trace_set_state (trace, a, TL_STATE_RUNNING, 100);
  tl_trace_set_state (trace, a, TL_STATE_WAITING, 200);
  tl_trace_set_state (trace, a, TL_STATE_RUNNING, 300);
  tl_trace_set_state (trace, b, TL_STATE_RUNNING, 350);
  tl_trace_set_state (trace, a, TL_STATE_OK, 350);
  tl_trace_set_state (trace, b, TL_STATE_WAITING, 400);
  tl_trace_set_state (trace, b, TL_STATE_RUNNING, 1000);
  tl_timeline_model_update (model);
  tl_timeline_model_set_now (model, 1500);

  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 0, NULL), ==, 0);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 100, NULL), ==, 0);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 150, NULL), ==, 50);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 250, NULL), ==, 100);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 375, NULL), ==, 175);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 999, NULL), ==, 200);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 1200, NULL), ==, 400);
  /* The open span counts up to "now". */
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 5000, NULL), ==, 700);

  /* More spans later: the settled prefix is extended, not recomputed wrong. */
  tl_trace_set_state (trace, b, TL_STATE_OK, 1600);
  tl_trace_set_state (trace, root, TL_STATE_RUNNING, 2000);
  tl_trace_set_state (trace, root, TL_STATE_OK, 2100);
  tl_trace_complete (trace, 2100);
  tl_timeline_model_update (model);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 1600, NULL), ==, 800);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 2050, NULL), ==, 850);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 9999, NULL), ==, 900);
  g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, 375, NULL), ==, 175);

  /* Walking forwards with a cursor gives the same sums. */
  {
    guint cursor = 0;

    for (gint64 t = 0; t < 2500; t += 25)
      g_assert_cmpint (tl_timeline_model_get_loop_busy_us (model, t, &cursor), ==,
                       tl_timeline_model_get_loop_busy_us (model, t, NULL));
  }
}

/* A Python program's tasks are all "sequence": the Concurrency chart
 * counts the ones that made no task of their own, as the section summary
 * does, so three tasks gathered show as three waiting together (main()
 * and the gather only wait for them). */
static void
test_program_concurrency (void)
{
  g_autoptr(TlTrace) trace = tl_test_read_program (tl_test_gather_report, 2050);
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint lane = G_MAXUINT;
  gint32 running, waiting;

  tl_timeline_model_update (model);

  for (guint i = 0; i < tl_timeline_model_get_n_lanes (model); i++)
    if (tl_timeline_model_get_lane_kind (model, i) == TL_LANE_CONCURRENCY)
      lane = i;
  g_assert_cmpuint (lane, !=, G_MAXUINT);
  tl_timeline_model_get_chart_peaks (model, lane, &running, &waiting);
  g_assert_cmpint (running, ==, 1);
  g_assert_cmpint (waiting, ==, 3);
  g_assert_cmpuint (tl_timeline_model_get_n_tasks (model), ==, 3);
}

static void
test_charts (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  const TlStep *steps;
  guint32 root, a;
  guint n;
  gint32 max;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  a = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "job"), 1, 0, TL_ON_THREAD, 0);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, 3, 10);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 2, 20);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, 1, 20);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 0, 40);
  tl_trace_set_state (trace, a, TL_STATE_QUEUED, 10);
  tl_trace_set_state (trace, a, TL_STATE_RUNNING, 20);
  tl_timeline_model_update (model);

  /* Thread pool lane is lane 1 for this preset. */
  steps = tl_timeline_model_get_steps (model, 1, &n, &max);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (steps[0].time_us, ==, 10);
  g_assert_cmpint (steps[0].a, ==, 0);
  g_assert_cmpint (steps[0].b, ==, 3);
  g_assert_cmpint (steps[1].time_us, ==, 20);
  g_assert_cmpint (steps[1].a, ==, 2);
  g_assert_cmpint (steps[1].b, ==, 1);
  g_assert_cmpint (steps[2].a, ==, 0);
  g_assert_cmpint (max, ==, 3);
  {
    gint32 peak_a, peak_sum;

    tl_timeline_model_get_steps_peak (model, 1, 0, 2, &peak_a, &peak_sum);
    g_assert_cmpint (peak_a, ==, 2);
    g_assert_cmpint (peak_sum, ==, 3);
    tl_timeline_model_get_steps_peak (model, 1, 2, 2, &peak_a, &peak_sum);
    g_assert_cmpint (peak_a, ==, 0);
    g_assert_cmpint (peak_sum, ==, 1);
  }

  /* The lane's label gives the two peaks alone: 2 busy (at 20 µs) and 3
   * queued (at 10 µs), never their sum at one moment. */
  {
    gint32 busy, queued;

    tl_timeline_model_get_chart_peaks (model, 1, &busy, &queued);
    g_assert_cmpint (busy, ==, 2);
    g_assert_cmpint (queued, ==, 3);
  }
  g_assert_cmpint (tl_timeline_model_get_started_us (model, a), ==, 20);

  /* Loop lags: 5 ms is the machine and is dropped; 50 ms is kept as the
   * span from when the timer was due to when it ran. */
  tl_trace_set_counter (trace, TL_COUNTER_LOOP_LAG_US, 5000, 100000);
  tl_trace_set_counter (trace, TL_COUNTER_LOOP_LAG_US, 50000, 300000);
  tl_timeline_model_update (model);
  {
    guint n_lags = 0;
    const TlInterval *lags = tl_timeline_model_get_lags (model, &n_lags);

    g_assert_cmpuint (n_lags, ==, 1);
    g_assert_cmpint (lags[0].start_us, ==, 250000);
    g_assert_cmpint (lags[0].end_us, ==, 300000);
    g_assert_cmpint (tl_timeline_model_get_max_lag_us (model), ==, 50000);
  }
  g_assert_cmpint (tl_timeline_model_get_kind (model, a), ==, TL_KIND_BLOCKING);
  {
    guint n_children = 0;
    g_autofree guint32 *children = tl_timeline_model_dup_children (model, root, 10, &n_children);

    g_assert_cmpuint (n_children, ==, 1);
    g_assert_cmpuint (children[0], ==, a);
  }

  /* Concurrency counts leaf tasks: one queued, then one running. */
  steps = tl_timeline_model_get_steps (model, 2, &n, &max);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (steps[0].a, ==, 0);
  g_assert_cmpint (steps[0].b, ==, 1);
  g_assert_cmpint (steps[1].a, ==, 1);
  g_assert_cmpint (steps[1].b, ==, 0);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

/* Peaks over ranges that span whole blocks and partial ones agree with
 * a plain scan. */
static void
test_steps_peak_blocks (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const TlStep *steps;
  guint n;

  for (guint i = 0; i < 1000; i++)
    {
      tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, g_rand_int_range (rand, 0, 50), 10 * i);
      /* Same time: rewrites the last step (a block maximum may drop). */
      if (i % 5 == 0)
        tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, g_rand_int_range (rand, 0, 50), 10 * i);
    }
  tl_timeline_model_update (model);
  steps = tl_timeline_model_get_steps (model, 1, &n, NULL);
  g_assert_cmpuint (n, >, 500);

  for (guint k = 0; k < 300; k++)
    {
      guint first = g_rand_int_range (rand, 0, n);
      guint last = g_rand_int_range (rand, first, n);
      gint32 a = 0, sum = 0, peak_a, peak_sum;

      for (guint i = first; i <= last; i++)
        {
          a = MAX (a, steps[i].a);
          sum = MAX (sum, steps[i].a + steps[i].b);
        }
      tl_timeline_model_get_steps_peak (model, 1, first, last, &peak_a, &peak_sum);
      g_assert_cmpint (peak_a, ==, a);
      g_assert_cmpint (peak_sum, ==, sum);
    }
}

static void
test_collapse (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  guint32 root, s, x1, x2, later;
  guint n_changed = 0;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  s = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "group"), 1, 0, TL_ON_LOOP, 0);
  x1 = tl_trace_add_instance (trace, s, tl_test_spec_of (trace, "inner"), 1, 0, TL_ON_LOOP, 0);
  tl_timeline_model_update (model);
  g_signal_connect_swapped (model, "changed", G_CALLBACK (count_cb), &n_changed);

  tl_timeline_model_set_collapsed (model, s, TRUE);
  g_assert_cmpuint (n_changed, ==, 1);
  tl_timeline_model_set_collapsed (model, s, TRUE);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_true (tl_timeline_model_get_collapsed (model, s));
  g_assert_cmpint (tl_timeline_model_find_lane (model, x1), ==, -1);

  /* Children arriving while collapsed stay hidden. */
  x2 = tl_trace_add_instance (trace, s, tl_test_spec_of (trace, "inner"), 2, 0, TL_ON_LOOP, 5);
  later = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 6);
  tl_timeline_model_update (model);
  {
    const guint32 expected[] = { root, s, later };
    assert_order (model, expected, G_N_ELEMENTS (expected));
  }

  tl_timeline_model_set_collapsed (model, s, FALSE);
  {
    const guint32 expected[] = { root, s, x1, x2, later };
    assert_order (model, expected, G_N_ELEMENTS (expected));
  }

  /* Collapsing the root hides everything below it. */
  tl_timeline_model_set_collapsed (model, root, TRUE);
  {
    const guint32 expected[] = { root };
    assert_order (model, expected, G_N_ELEMENTS (expected));
  }
}

/* --- incremental = all at once --- */

typedef struct {
  TlTrace *trace;
  GRand   *rand;
  gint64   now;
  GArray  *live;      /* instances not final yet */
  guint    n_created;
  guint    composite_spec;
  guint    leaf_spec;
  guint    thread_spec;
  guint    n_retroactive;
} Script;

static void
script_step (Script *s)
{
  guint op = g_rand_int_range (s->rand, 0, 100);

  s->now += g_rand_int_range (s->rand, 0, 50);

  if (op < 30 || s->live->len == 0)
    {
      guint32 parent = TL_NO_INSTANCE;
      guint spec = s->composite_spec;
      guint32 id;

      if (s->n_created > 0)
        {
          /* Any earlier instance may be a parent: children of different
           * parents interleave in creation order. */
          parent = g_rand_int_range (s->rand, 0, s->n_created);
          spec = g_rand_boolean (s->rand) ? s->leaf_spec : (g_rand_boolean (s->rand) ? s->thread_spec : s->composite_spec);
        }
      id = tl_trace_add_instance (s->trace, parent, spec, 1, 0,
                                  spec == s->thread_spec ? TL_ON_THREAD : TL_ON_LOOP, s->now);
      g_array_append_val (s->live, id);
      s->n_created++;
    }
  else if (op < 80)
    {
      guint idx = g_rand_int_range (s->rand, 0, s->live->len);
      guint32 id = g_array_index (s->live, guint32, idx);
      static const TlState states[] = { TL_STATE_QUEUED, TL_STATE_WAITING, TL_STATE_RUNNING, TL_STATE_BLOCKED };

      tl_trace_set_state (s->trace, id, states[g_rand_int_range (s->rand, 0, G_N_ELEMENTS (states))], s->now);
    }
  else if (op < 90)
    {
      guint idx = g_rand_int_range (s->rand, 0, s->live->len);
      guint32 id = g_array_index (s->live, guint32, idx);
      guint kind = g_rand_int_range (s->rand, 0, 4);

      if (kind == 0)
        tl_trace_set_state (s->trace, id, TL_STATE_OK, s->now);
      else if (kind == 1)
        tl_trace_set_state (s->trace, id, TL_STATE_FAILED, s->now);
      else
        tl_trace_set_cancelled (s->trace, id, kind == 2 ? TL_STATE_CANCELLED : TL_STATE_TIMED_OUT,
                                kind == 2 ? TL_CAUSE_SIBLING_FAILED : TL_CAUSE_TIMEOUT,
                                g_rand_int_range (s->rand, 0, s->n_created), s->now);
      g_array_remove_index_fast (s->live, idx);
    }
  else if (op < 94)
    {
      guint32 id = g_array_index (s->live, guint32, g_rand_int_range (s->rand, 0, s->live->len));

      tl_trace_add_event (s->trace, s->now, TL_EVENT_DEADLINE, id, 0, g_rand_int_range (s->rand, 0, 2),
                          s->now + g_rand_int_range (s->rand, 1, 1000));
    }
  else if (op < 97)
    {
      tl_trace_set_counter (s->trace, g_rand_int_range (s->rand, TL_COUNTER_THREADS_BUSY, TL_COUNTER_HTTP_QUEUED + 1),
                            g_rand_int_range (s->rand, 0, 8), s->now);
    }
  else
    {
      /* A stall reported late, with a retroactive BLOCKED for a task whose
       * own events all came before the stall began (each instance's
       * events stay in time order, as the trace promises). */
      guint32 id = g_array_index (s->live, guint32, g_rand_int_range (s->rand, 0, s->live->len));
      gint64 start = MAX (0, s->now - 40);

      tl_trace_add_event (s->trace, start, TL_EVENT_LOOP_STALL, id, 0, 0, s->now - start);
      for (guint k = 0; k < s->live->len; k++)
        {
          guint32 other = g_array_index (s->live, guint32, k);
          const TlOutcome *outcome = tl_trace_get_outcome (s->trace, other);

          if (MAX (outcome->created_us, MAX (outcome->queued_us, outcome->started_us)) < start &&
              outcome->state == TL_STATE_WAITING)
            {
              tl_trace_add_event (s->trace, start + 1, TL_EVENT_STATE, other, TL_STATE_BLOCKED, 0, 0);
              s->n_retroactive++;
              break;
            }
        }
    }
}

static void
test_incremental_equals_all_at_once (void)
{
  for (guint seed = 1; seed <= 6; seed++)
    {
      g_autoptr(TlTrace) trace = new_trace ();
      g_autoptr(TlTimelineModel) incremental = tl_timeline_model_new (trace);
      g_autoptr(TlTimelineModel) at_once = NULL;
      g_autofree char *dump_a = NULL;
      g_autofree char *dump_b = NULL;
      Script s = { trace, g_rand_new_with_seed (seed), 0, g_array_new (FALSE, FALSE, sizeof (guint32)), 0 };
      guint32 collapsed = TL_NO_INSTANCE;

      s.composite_spec = tl_test_spec_of (trace, "group");
      s.leaf_spec = tl_test_spec_of (trace, "first");
      s.thread_spec = tl_test_spec_of (trace, "job");
      tl_trace_begin_section (trace, 0, 0, 0);

      for (guint i = 0; i < 3000; i++)
        {
          script_step (&s);
          /* Pieces of random size, sometimes a single event. */
          if (g_rand_int_range (s.rand, 0, 7) == 0)
            tl_timeline_model_update (incremental);
          /* Collapse something for a while: the order must come back. */
          if (i == 1000 && s.n_created > 3)
            {
              collapsed = 1;
              tl_timeline_model_set_collapsed (incremental, collapsed, TRUE);
            }
          if (i == 2000 && collapsed != TL_NO_INSTANCE)
            tl_timeline_model_set_collapsed (incremental, collapsed, FALSE);
        }
      tl_trace_end_section (trace, 0, s.now);
      tl_trace_complete (trace, s.now);
      tl_timeline_model_update (incremental);

      at_once = tl_timeline_model_new (trace);
      tl_timeline_model_update (at_once);

      dump_a = tl_timeline_model_dump (incremental);
      dump_b = tl_timeline_model_dump (at_once);
      g_assert_cmpstr (dump_a, ==, dump_b);
      g_assert_cmpuint (tl_timeline_model_get_n_lanes (at_once), >, 500);
      g_assert_cmpuint (s.n_retroactive, >, 0);

      g_array_unref (s.live);
      g_rand_free (s.rand);
    }
}

/* The order matches a plain depth-first walk of the tree, for a random
 * tree built in random creation order. */
static void
test_random_tree_order (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) order = NULL;
  guint n = 5000;
  g_autofree guint32 *parents = g_new (guint32, n);
  GArray *expected = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < n; i++)
    {
      /* Mostly recent parents, sometimes old ones. */
      guint32 parent = i == 0 ? TL_NO_INSTANCE
                     : g_rand_boolean (rand) ? (guint32) g_rand_int_range (rand, MAX (0, (int) i - 5), i)
                     : (guint32) g_rand_int_range (rand, 0, i);

      parents[i] = parent;
      tl_trace_add_instance (trace, parent, tl_test_spec_of (trace, "group"), 1, 0, TL_ON_LOOP, i);
      if (g_rand_int_range (rand, 0, 10) == 0)
        tl_timeline_model_update (model);
    }
  tl_timeline_model_update (model);

  /* Depth-first, children in creation order. */
  {
    g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (children, g_array_new (FALSE, FALSE, sizeof (guint32)));
    for (guint i = 1; i < n; i++)
      g_array_append_val (g_ptr_array_index (children, parents[i]), i);
    {
      guint32 root = 0;
      g_array_append_val (stack, root);
    }
    while (stack->len > 0)
      {
        guint32 x = g_array_index (stack, guint32, stack->len - 1);
        GArray *kids = g_ptr_array_index (children, x);

        g_array_set_size (stack, stack->len - 1);
        g_array_append_val (expected, x);
        for (guint k = kids->len; k > 0; k--)
          g_array_append_val (stack, g_array_index (kids, guint32, k - 1));
      }
  }

  order = task_order (model);
  g_assert_cmpuint (order->len, ==, expected->len);
  g_assert_cmpmem (order->data, order->len * sizeof (guint32), expected->data, expected->len * sizeof (guint32));

  g_array_unref (expected);
  g_array_unref (stack);
}

/* Ingesting many instances stays linear: 200,000 in well under a second
 * even on a busy machine (the benchmark measures a million). */
static void
test_ingest_many (void)
{
  g_autoptr(TlTrace) trace = new_trace ();
  g_autoptr(TlTimelineModel) model = NULL;
  guint n = 200000;
  guint32 root;
  gint64 start;
  double elapsed;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  for (guint i = 0; i < n; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "inner"), i + 1, 0, TL_ON_LOOP, i);

      tl_trace_set_state (trace, id, TL_STATE_RUNNING, i);
      tl_trace_set_state (trace, id, TL_STATE_WAITING, i + 1);
    }
  for (guint i = 0; i < n; i++)
    tl_trace_set_state (trace, i + 1, TL_STATE_OK, n + i);
  tl_trace_complete (trace, 2 * n);

  model = tl_timeline_model_new (trace);
  start = g_get_monotonic_time ();
  tl_timeline_model_update (model);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("ingested %u instances in %.3f s", n + 1, elapsed);

  g_assert_cmpuint (tl_timeline_model_get_n_instances (model), ==, n + 1);
  g_assert_cmpuint (tl_timeline_model_count_state (model, TL_STATE_OK), ==, n);
  /* Not the speed goal (bench/timeline measures that): only a guard
   * against ingestion that turned quadratic, which would take minutes. */
  g_assert_cmpfloat (elapsed, <, 30.0);
}

/* The run at one instant, as a time cursor shows it: task states, the
 * loop and whose code it runs, chart values, and the events to step to. */
static void
test_state_at (void)
{
  static const char text[] =
    "[Preset]\nFormat=1\nName=instant\nRun=main\nThreads=1\n"
    "[Task main]\nKind=gather\nChildren=nap;worker;job\n"
    "[Task nap]\nKind=sleep\nDuration=1s\n"
    "[Task worker]\nKind=sequence\nChildren=warm;hog\n"
    "[Task warm]\nKind=sleep\nDuration=250ms\n"
    "[Task hog]\nKind=blocking\nOn=loop\nDuration=500ms\n"
    "[Task job]\nKind=blocking\nOn=thread\nDuration=1s\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "instant", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL, .default_threads = 1, .default_processes = 1 };
  g_autoptr(TlRunner) runner = NULL;
  g_autoptr(TlTimelineModel) model = NULL;
  TlTrace *trace;
  guint32 nap = TL_NO_INSTANCE, hog = TL_NO_INSTANCE, job = TL_NO_INSTANCE;
  guint32 culprit;
  gint32 a, b;
  gint64 t;
  int threads_lane = -1;

  g_assert_no_error (error);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  trace = tl_runner_get_trace (runner);
  g_assert_true (tl_trace_is_complete (trace));
  model = tl_timeline_model_new (trace);
  tl_timeline_model_update (model);

  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    {
      const char *name = preset->tasks[tl_trace_get_instance (trace, id)->spec].name;

      if (strcmp (name, "nap") == 0)
        nap = id;
      else if (strcmp (name, "hog") == 0)
        hog = id;
      else if (strcmp (name, "job") == 0)
        job = id;
    }

  /* Before it exists, while it waits, after it ended. */
  g_assert_cmpint (tl_timeline_model_get_state_at (model, nap, -1), ==, TL_N_STATES);
  g_assert_cmpint (tl_timeline_model_get_state_at (model, nap, 100000), ==, TL_STATE_WAITING);
  g_assert_cmpint (tl_timeline_model_get_state_at (model, nap, 1500000), ==, TL_STATE_OK);
  /* The sequence creates hog only when warm has ended. */
  g_assert_cmpint (tl_timeline_model_get_state_at (model, hog, 100000), ==, TL_N_STATES);
  g_assert_cmpint (tl_timeline_model_get_state_at (model, hog, 500000), ==, TL_STATE_RUNNING);
  g_assert_cmpint (tl_timeline_model_get_state_at (model, job, 500000), ==, TL_STATE_RUNNING);

  /* hog holds the loop from 250 to 750 ms; then it is free. */
  g_assert_cmpint (tl_timeline_model_get_loop_at (model, 500000, &culprit), !=, TL_LOOP_FREE);
  g_assert_cmpuint (culprit, ==, hog);
  g_assert_cmpint (tl_timeline_model_get_loop_at (model, 900000, &culprit), ==, TL_LOOP_FREE);
  g_assert_cmpuint (culprit, ==, TL_NO_INSTANCE);

  g_assert_cmpuint (tl_timeline_model_count_state_at (model, TL_STATE_RUNNING, 500000), ==, 2);
  g_assert_cmpuint (tl_timeline_model_count_state_at (model, TL_STATE_WAITING, 500000), ==, 1);
  g_assert_cmpuint (tl_timeline_model_count_state_at (model, TL_STATE_OK, 2000000), ==, 4);

  for (guint lane = 0; lane < tl_timeline_model_get_n_lanes (model); lane++)
    if (tl_timeline_model_get_lane_kind (model, lane) == TL_LANE_THREADS)
      threads_lane = (int) lane;
  g_assert_cmpint (threads_lane, >=, 0);
  g_assert_true (tl_timeline_model_get_steps_at (model, threads_lane, 500000, &a, &b));
  g_assert_cmpint (a, ==, 1);
  g_assert_cmpint (b, ==, 0);
  g_assert_true (tl_timeline_model_get_steps_at (model, threads_lane, -5, &a, &b));
  g_assert_cmpint (a, ==, 0);
  g_assert_false (tl_timeline_model_get_steps_at (model, tl_timeline_model_find_lane (model, nap), 0, &a, &b));

  /* Stepping: warm ends and hog starts at 250 ms, hog ends at 750 ms. */
  t = tl_timeline_model_find_event (model, 300000, TRUE);
  g_assert_cmpint (t, >=, 750000);
  g_assert_cmpint (t, <=, 752000);
  t = tl_timeline_model_find_event (model, 300000, FALSE);
  g_assert_cmpint (t, >=, 250000);
  g_assert_cmpint (t, <=, 252000);
  g_assert_cmpint (tl_timeline_model_find_event (model, G_MAXINT64 / 2, TRUE), ==, -1);
}

/* Two runs whose tasks differ: a Repeat of 2 against 3, and a task each
 * that the other lacks. */
static const char align_before[] =
  "[Preset]\nFormat=1\nName=align\nRun=main\n\n"
  "[Task main]\nKind=gather\nChildren=fetch;slow\n\n"
  "[Task fetch]\nKind=sleep\nDuration=100ms\nRepeat=2\n\n"
  "[Task slow]\nKind=sleep\nDuration=200ms\n";
static const char align_after[] =
  "[Preset]\nFormat=1\nName=align\nRun=main\n\n"
  "[Task main]\nKind=gather\nChildren=fetch;extra\n\n"
  "[Task fetch]\nKind=sleep\nDuration=100ms\nRepeat=3\n\n"
  "[Task extra]\nKind=sleep\nDuration=50ms\n";

static TlTimelineModel *
run_to_model (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "align", &error);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(TlRunner) runner = NULL;
  TlRunnerOptions options = { 0 };
  TlTimelineModel *model;

  g_assert_no_error (error);
  options.clock = TL_CLOCK_VIRTUAL;
  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  model = tl_timeline_model_new (tl_runner_get_trace (runner));
  tl_timeline_model_set_now (model, tl_trace_get_end_us (tl_runner_get_trace (runner)));
  tl_timeline_model_update (model);
  g_clear_object (&runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return model;
}

/* The task identity of a lane ("0/main#1/fetch#2"), NULL for a gap. */
static const char *
lane_key (TlTimelineModel *model,
          GPtrArray       *keys,
          guint            lane)
{
  switch (tl_timeline_model_get_lane_kind (model, lane))
    {
    case TL_LANE_TASK:
      return g_ptr_array_index (keys, tl_timeline_model_get_lane_instance (model, lane));
    case TL_LANE_SECTION:
      return "section";
    case TL_LANE_GAP:
      return NULL;
    default:
      return "summary";
    }
}

/* Lined up by task: the same task on the same row of both, an empty row
 * where one run lacks a task, as many rows in both. */
static void
test_align (void)
{
  g_autoptr(TlTimelineModel) before = run_to_model (align_before);
  g_autoptr(TlTimelineModel) after = run_to_model (align_after);
  g_autoptr(GPtrArray) before_keys = tl_compare_dup_instance_keys (tl_timeline_model_get_trace (before));
  g_autoptr(GPtrArray) after_keys = tl_compare_dup_instance_keys (tl_timeline_model_get_trace (after));
  guint before_lanes = tl_timeline_model_get_n_lanes (before);
  guint after_lanes = tl_timeline_model_get_n_lanes (after);
  guint n, matched = 0;
  g_autoptr(GString) only_before = g_string_new (NULL);
  g_autoptr(GString) only_after = g_string_new (NULL);
  guint changed = 0;

  /* Listed in task order, the two differ from the third lane on. */
  g_assert_cmpuint (before_lanes, !=, after_lanes);
  g_assert_false (tl_timeline_model_is_aligned (after));

  g_signal_connect_swapped (after, "changed", G_CALLBACK (count_cb), &changed);
  tl_timeline_model_align (after, before);
  g_assert_true (tl_timeline_model_is_aligned (after));
  g_assert_true (tl_timeline_model_is_aligned (before));
  g_assert_cmpuint (changed, >=, 1);

  n = tl_timeline_model_get_n_lanes (after);
  g_assert_cmpuint (tl_timeline_model_get_n_lanes (before), ==, n);
  for (guint lane = 0; lane < n; lane++)
    {
      const char *a = lane_key (after, after_keys, lane);
      const char *b = lane_key (before, before_keys, lane);
      g_autofree char *gap_label = NULL;

      g_assert_true (a != NULL || b != NULL);
      if (a != NULL && b != NULL)
        {
          g_assert_cmpstr (a, ==, b);
          matched++;
        }
      else if (a == NULL)
        {
          g_string_append_printf (only_before, "%s ", b);
          gap_label = tl_timeline_model_dup_lane_label (after, lane);
          g_assert_cmpstr (gap_label, ==, "not in this run");
        }
      else
        g_string_append_printf (only_after, "%s ", a);
    }
  g_assert_cmpstr (only_before->str, ==, "0/main#1/slow#1 ");
  g_assert_cmpstr (only_after->str, ==, "0/main#1/fetch#3 0/main#1/extra#1 ");
  /* Summary lanes, the section, main and fetch 1 and 2. */
  g_assert_cmpuint (matched, ==, n - 3);

  /* Every task both runs have is found on its row, in both. */
  for (guint32 id = 0; id < after_keys->len; id++)
    {
      int lane = tl_timeline_model_find_lane (after, id);
      const char *b = lane_key (before, before_keys, (guint) lane);

      g_assert_cmpint (lane, >=, 0);
      if (b != NULL)
        g_assert_cmpstr (b, ==, g_ptr_array_index (after_keys, id));
    }

  /* Cleared, each is its own run again. */
  tl_timeline_model_clear_alignment (after);
  tl_timeline_model_clear_alignment (before);
  g_assert_cmpuint (tl_timeline_model_get_n_lanes (after), ==, after_lanes);
  g_assert_cmpuint (tl_timeline_model_get_n_lanes (before), ==, before_lanes);
  for (guint lane = 0; lane < after_lanes; lane++)
    g_assert_cmpint (tl_timeline_model_get_lane_kind (after, lane), !=, TL_LANE_GAP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/model/tree-order", test_tree_order);
  g_test_add_func ("/timeline/model/intervals-and-markers", test_intervals_and_markers);
  g_test_add_func ("/timeline/model/loop-and-stalls", test_loop_and_stalls);
  g_test_add_func ("/timeline/model/loop-busy-sum", test_loop_busy_sum);
  g_test_add_func ("/timeline/model/charts", test_charts);
  g_test_add_func ("/timeline/model/program-concurrency", test_program_concurrency);
  g_test_add_func ("/timeline/model/steps-peak-blocks", test_steps_peak_blocks);
  g_test_add_func ("/timeline/model/collapse", test_collapse);
  g_test_add_func ("/timeline/model/incremental-equals-all-at-once", test_incremental_equals_all_at_once);
  g_test_add_func ("/timeline/model/random-tree-order", test_random_tree_order);
  g_test_add_func ("/timeline/model/ingest-many", test_ingest_many);
  g_test_add_func ("/timeline/model/state-at", test_state_at);
  g_test_add_func ("/timeline/model/align", test_align);

  return g_test_run ();
}
