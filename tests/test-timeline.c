/* test-timeline.c — the timeline widget over a hand-made run: pixels,
 * geometry, keyboard, live drawing, export
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures are rendered through the widget's own export path (the same
 * drawing code as the screen, drawn with cairo) and probed pixel by pixel.
 * Drawing on gallery runs and large traces: test-timeline-drawing.c.
 */
#define G_LOG_DOMAIN "test-timeline"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "run/tl-runner.h"
#include "trace/tl-summary.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-private.h"
#include "timeline/layers/tl-timeline-layer.h"
#include "tl-test-timeline.h"

typedef struct {
  TlTestTimeline tl;
  guint32        root, ok, bad, group, inner;
} Fixture;

/* main (gather) created at 0:
 *   ok:    created 0, running 0–400 ms, ok at 400 ms
 *   bad:   created 200 ms, running 200–600 ms, failed at 600 ms
 *   group: created 0, waiting; deadline (Timeout) at 800 ms; timed out at 800 ms
 *     inner: created 0, waiting 0–800 ms, cancelled at 800 ms by group's timeout
 * complete at 1 s. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TlPreset) preset = tl_test_timeline_load_preset ();
  gboolean complete = GPOINTER_TO_INT (data) == 0;
  TlTrace *t = tl_trace_new (preset);

  tl_trace_begin_section (t, 0, 0, 0);
  f->root = tl_trace_add_instance (t, TL_NO_INSTANCE, tl_test_spec_of (t, "main"), 1, 0, TL_ON_LOOP, 0);
  f->ok = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "first"), 1, 0, TL_ON_LOOP, 0);
  f->group = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "group"), 1, 0, TL_ON_LOOP, 0);
  f->inner = tl_trace_add_instance (t, f->group, tl_test_spec_of (t, "inner"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (t, f->root, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, f->ok, TL_STATE_RUNNING, 0);
  tl_trace_set_state (t, f->group, TL_STATE_WAITING, 0);
  tl_trace_add_event (t, 0, TL_EVENT_DEADLINE, f->group, 0, 0, 800000);
  tl_trace_set_state (t, f->inner, TL_STATE_WAITING, 0);
  f->bad = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "first"), 2, 0, TL_ON_LOOP, 200000);
  tl_trace_set_state (t, f->bad, TL_STATE_RUNNING, 200000);
  tl_trace_set_result (t, f->ok, "User 1");
  tl_trace_set_state (t, f->ok, TL_STATE_OK, 400000);
  if (complete)
    {
      tl_trace_set_error (t, f->bad, "ValueError: bad user");
      tl_trace_set_state (t, f->bad, TL_STATE_FAILED, 600000);
      tl_trace_set_cancelled (t, f->inner, TL_STATE_CANCELLED, TL_CAUSE_TIMEOUT, f->group, 800000);
      tl_trace_set_cancelled (t, f->group, TL_STATE_TIMED_OUT, TL_CAUSE_TIMEOUT, f->group, 800000);
      tl_trace_set_state (t, f->root, TL_STATE_OK, 1000000);
      tl_trace_end_section (t, 0, 1000000);
      tl_trace_complete (t, 1000000);
    }

  tl_test_timeline_show_trace (&f->tl, t);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tl_test_timeline_clear (&f->tl);
}

/* --- pixels --- */

static double
lane_center (Fixture *f,
             guint32  instance)
{
  int lane = tl_timeline_model_find_lane (f->tl.model, instance);

  g_assert_cmpint (lane, >=, 0);
  return tl_timeline_lane_to_y (TL_TIMELINE (f->tl.timeline), lane) +
         tl_timeline_get_lane_height (TL_TIMELINE (f->tl.timeline)) / 2.0;
}

static void
test_failed_task_pixels (Fixture       *f,
                         gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  double y = lane_center (f, f->bad);
  double x_fail;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);

  /* Nothing before the task was created (200 ms). */
  for (gint64 t = 10000; t < 190000; t += 20000)
    g_assert_true (tl_test_rgb_is_background (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y)));

  /* Running between 200 and 600 ms: solid blue (after the words
   * "running on the loop" written at its start). */
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 420000), y), TL_TEST_RUNNING_BLUE, 10));
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 450000), y), TL_TEST_RUNNING_BLUE, 10));

  /* The bar ends in the failure colour: the last quarter of its last
   * segment (500–600 ms), and the end cap where it failed; not before. */
  x_fail = tl_timeline_time_to_x (timeline, 600000);
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, x_fail - 1, y), TL_TEST_FAILED_RED, 10));
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 550000), y), TL_TEST_FAILED_RED, 10));
  g_assert_false (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 480000), y), TL_TEST_FAILED_RED, 60));

  /* After the end, no more bar (the ✗ shape and the error text follow
   * the cap, in the failure colour). */
  for (gint64 t = 640000; t < 1000000; t += 20000)
    g_assert_false (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y), TL_TEST_RUNNING_BLUE, 40));

  /* The task that ended ok never shows the failure colour. */
  y = lane_center (f, f->ok);
  for (gint64 t = 10000; t < 400000; t += 30000)
    g_assert_false (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y), TL_TEST_FAILED_RED, 60));

  cairo_surface_destroy (surface);
}

static void
test_deadline_line (Fixture       *f,
                    gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  int lane = tl_timeline_model_find_lane (f->tl.model, f->group);
  double top = tl_timeline_lane_to_y (timeline, lane);
  double x;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  x = tl_timeline_time_to_x (timeline, 800000);

  /* A dashed line at 800 ms through the group and its child. */
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, x, top + 1), TL_TEST_DEADLINE, 12));
  {
    guint n_orange = 0;

    for (int dy = 0; dy < TL_TIMELINE_DEFAULT_LANE_HEIGHT; dy++)
      n_orange += tl_test_rgb_near (tl_test_pixel (surface, x - 1, top + TL_TIMELINE_DEFAULT_LANE_HEIGHT + dy), TL_TEST_DEADLINE, 12);
    g_assert_cmpuint (n_orange, >=, 6);
  }
  /* Not somewhere else. */
  g_assert_false (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 500000), top + 1), TL_TEST_DEADLINE, 60));

  cairo_surface_destroy (surface);
}

static void
test_time_mapping (Fixture       *f,
                   gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  GtkAdjustment *hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (timeline));
  gint64 start, end;
  double x_half, x_full;

  tl_timeline_set_visible_range (timeline, 0, 2000000);
  x_half = tl_timeline_time_to_x (timeline, 1000000);
  x_full = tl_timeline_time_to_x (timeline, 2000000);
  /* Linear: the middle of the window is half way. */
  g_assert_cmpfloat_with_epsilon (x_half - tl_timeline_time_to_x (timeline, 0),
                                  x_full - x_half, 0.01);
  g_assert_cmpint (ABS (tl_timeline_x_to_time (timeline, x_half) - 1000000), <=, 1);

  /* Zooming in keeps the centre and shrinks the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-in", NULL));
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (ABS ((start + end) / 2 - 1000000), <=, 2);
  g_assert_cmpint (ABS ((end - start) - 2000000 * 2 / 3), <=, 2);
  g_assert_cmpfloat_with_epsilon (tl_timeline_time_to_x (timeline, 1000000), x_half, 0.01);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-out", NULL));
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (ABS ((end - start) - 2000000), <=, 2);

  /* Panning through the horizontal adjustment moves the mapping. */
  g_assert_cmpfloat (gtk_adjustment_get_page_size (hadj), ==, 2000000);
  tl_timeline_set_visible_range (timeline, 0, 500000);
  x_half = tl_timeline_time_to_x (timeline, 250000);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (hadj), ==, 500000);
  gtk_adjustment_set_value (hadj, 300000);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, ==, 300000);
  g_assert_cmpint (end, ==, 800000);
  g_assert_cmpfloat_with_epsilon (tl_timeline_time_to_x (timeline, 550000), x_half, 0.01);
  for (gint64 t = 300000; t < 800000; t += 12345)
    g_assert_cmpint (ABS (tl_timeline_x_to_time (timeline, tl_timeline_time_to_x (timeline, t)) - t), <=, 1);
  /* The adjustment never lets the view leave the run. */
  gtk_adjustment_set_value (hadj, 5000000);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (end, <=, 1020000);

  /* Fit shows the whole run (1 s) and a bit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-fit", NULL));
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, >=, 1000000);
  g_assert_cmpint (end, <=, 1100000);
}

/* Each layer finds its own marks: the topmost layer with a mark under
 * the point answers, and says which task it belongs to. */
static void
test_layers_lookup (Fixture       *f,
                    gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  static const char * const order[] = {
    "Summary lanes", "Intervals and states", "End markers and results",
    "Brackets and deadlines", "Cause and error paths", "Await arrows", "Now and live stall", "Names",
    "Time cursor", "Guesses",
  };
  TlTimelineLayer *layer;
  guint32 instance = TL_NO_INSTANCE;

  g_assert_cmpuint (timeline->layers->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (tl_timeline_layer_get_title (g_ptr_array_index (timeline->layers, i)), ==, order[i]);

  tl_timeline_set_visible_range (timeline, 0, 1000000);

  layer = _tl_timeline_lookup_item (timeline, tl_timeline_time_to_x (timeline, 300000), lane_center (f, f->bad), &instance);
  g_assert_nonnull (layer);
  g_assert_cmpstr (tl_timeline_layer_get_title (layer), ==, "Intervals and states");
  g_assert_cmpuint (instance, ==, f->bad);

  layer = _tl_timeline_lookup_item (timeline, tl_timeline_time_to_x (timeline, 600000) + 6, lane_center (f, f->bad), &instance);
  g_assert_nonnull (layer);
  g_assert_cmpstr (tl_timeline_layer_get_title (layer), ==, "End markers and results");
  g_assert_cmpuint (instance, ==, f->bad);

  /* The group's Timeout line crosses its child's lane. */
  layer = _tl_timeline_lookup_item (timeline, round (tl_timeline_time_to_x (timeline, 800000)), lane_center (f, f->inner), &instance);
  g_assert_nonnull (layer);
  g_assert_cmpstr (tl_timeline_layer_get_title (layer), ==, "Brackets and deadlines");
  g_assert_cmpuint (instance, ==, f->group);

  layer = _tl_timeline_lookup_item (timeline, 10, lane_center (f, f->ok), &instance);
  g_assert_nonnull (layer);
  g_assert_cmpstr (tl_timeline_layer_get_title (layer), ==, "Names");
  g_assert_cmpuint (instance, ==, f->ok);

  /* After the end of a task its lane is empty; the ruler holds nothing. */
  g_assert_null (_tl_timeline_lookup_item (timeline, tl_timeline_time_to_x (timeline, 950000), lane_center (f, f->ok), NULL));
  g_assert_null (_tl_timeline_lookup_item (timeline, tl_timeline_time_to_x (timeline, 300000), 5, NULL));
}

static void
test_hit_testing (Fixture       *f,
                  gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  gint64 t;
  double x;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  x = tl_timeline_time_to_x (timeline, 300000);

  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, lane_center (f, f->bad), &t), ==, f->bad);
  g_assert_cmpint (ABS (t - 300000), <=, 2000);
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, lane_center (f, f->inner), NULL), ==, f->inner);
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, lane_center (f, f->inner)), ==,
                   tl_timeline_model_find_lane (f->tl.model, f->inner));
  /* The ruler and the summary lanes hold no task. */
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, 5, NULL), ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, 5), ==, -1);
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, 40, NULL), ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_timeline_model_get_lane_kind (f->tl.model, tl_timeline_lane_at_y (timeline, 40)), ==, TL_LANE_LOOP);
  /* Below the last lane. */
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, 690, NULL), ==, TL_NO_INSTANCE);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

/* A taller lane (presentation mode): every lane grows by the same amount,
 * the bars fill it, the scroll range follows, and a point still finds
 * the task whose lane it is in. */
static void
test_lane_height (Fixture       *f,
                  gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  int inner = tl_timeline_model_find_lane (f->tl.model, f->inner);
  int bad = tl_timeline_model_find_lane (f->tl.model, f->bad);
  double small_gap, big_top;
  double x;
  guint notified = 0;
  int natural;
  cairo_surface_t *surface;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  x = tl_timeline_time_to_x (timeline, 300000);
  g_assert_cmpint (tl_timeline_get_lane_height (timeline), ==, TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  small_gap = tl_timeline_lane_to_y (timeline, inner) - tl_timeline_lane_to_y (timeline, bad);
  gtk_widget_measure (f->tl.timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);

  g_signal_connect_swapped (timeline, "notify::lane-height", G_CALLBACK (count_cb), &notified);
  g_object_set (timeline, "lane-height", 48, NULL);
  tl_timeline_set_lane_height (timeline, 48);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (tl_timeline_get_lane_height (timeline), ==, 48);

  /* Lanes twice as far apart, the first one where it was. */
  g_assert_cmpfloat_with_epsilon (tl_timeline_lane_to_y (timeline, inner) - tl_timeline_lane_to_y (timeline, bad),
                                  small_gap * 2, 0.001);
  big_top = tl_timeline_lane_to_y (timeline, bad);
  {
    int natural_big;

    gtk_widget_measure (f->tl.timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural_big, NULL, NULL);
    g_assert_cmpint (natural_big, >, natural);
  }

  /* Hit-testing at the top, the middle and the bottom of the tall lane. */
  for (double dy = 2; dy < 48; dy += 15)
    {
      g_assert_cmpint (tl_timeline_lane_at_y (timeline, big_top + dy), ==, bad);
      g_assert_cmpuint (tl_timeline_instance_at (timeline, x, big_top + dy, NULL), ==, f->bad);
    }
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, lane_center (f, f->inner), NULL), ==, f->inner);
  /* 30 px below the failed task's top was the next lane at 24 px; not now. */
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, big_top + 30), ==, bad);

  /* The failed task's bar fills the tall lane: red 40 px below its top
   * (inside the next lane at 24 px). */
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 550000), big_top + 40), TL_TEST_FAILED_RED, 10));
  g_assert_true (tl_test_rgb_near (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 550000), big_top + 8), TL_TEST_FAILED_RED, 10));
  cairo_surface_destroy (surface);

  /* Selecting by keyboard walks the same lanes. */
  tl_timeline_set_selected_task (timeline, f->bad);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->bad);
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, lane_center (f, tl_timeline_get_selected_task (timeline))), ==, bad);

  /* Back to the default: the old geometry exactly. */
  tl_timeline_set_lane_height (timeline, TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpfloat_with_epsilon (tl_timeline_lane_to_y (timeline, inner) - tl_timeline_lane_to_y (timeline, bad),
                                  small_gap, 0.001);
}

static void
record_instance_cb (GtkWidget *widget,
                    guint      instance,
                    guint32   *out)
{
  *out = instance;
}

static void
test_keyboard_and_actions (Fixture       *f,
                           gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  GtkWidget *widget = f->tl.timeline;
  guint n_notify = 0;
  guint32 activated = TL_NO_INSTANCE;
  guint32 cancelled = TL_NO_INSTANCE;

  g_signal_connect_swapped (timeline, "notify::selected-task", G_CALLBACK (count_cb), &n_notify);
  g_signal_connect (timeline, "task-activated", G_CALLBACK (record_instance_cb), &activated);
  g_signal_connect (timeline, "cancel-requested", G_CALLBACK (record_instance_cb), &cancelled);

  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, TL_NO_INSTANCE);

  /* Down from nothing: the first task. Lanes: root, ok, group, inner, bad. */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.select-next", NULL));
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->root);
  g_assert_cmpuint (n_notify, ==, 1);
  gtk_widget_activate_action (widget, "timeline.select-next", NULL);
  gtk_widget_activate_action (widget, "timeline.select-next", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->group);
  g_assert_cmpuint (n_notify, ==, 3);
  gtk_widget_activate_action (widget, "timeline.select-previous", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->ok);
  g_assert_cmpuint (n_notify, ==, 4);

  /* Setting the same selection again does not notify. */
  tl_timeline_set_selected_task (timeline, f->ok);
  g_assert_cmpuint (n_notify, ==, 4);

  /* The last lane stays selected at the end. */
  tl_timeline_set_selected_task (timeline, f->bad);
  g_assert_cmpuint (n_notify, ==, 5);
  gtk_widget_activate_action (widget, "timeline.select-next", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->bad);
  g_assert_cmpuint (n_notify, ==, 5);

  /* Enter: details. */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.activate", NULL));
  g_assert_cmpuint (activated, ==, f->bad);

  /* Delete only asks to cancel a task that still runs. */
  gtk_widget_activate_action (widget, "timeline.cancel-selected", NULL);
  g_assert_cmpuint (cancelled, ==, TL_NO_INSTANCE);
}

static void
test_cancel_running (Fixture       *f,
                     gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  guint32 cancelled = TL_NO_INSTANCE;

  g_signal_connect (timeline, "cancel-requested", G_CALLBACK (record_instance_cb), &cancelled);
  tl_timeline_set_selected_task (timeline, f->bad);
  g_assert_true (gtk_widget_activate_action (f->tl.timeline, "timeline.cancel-selected", NULL));
  g_assert_cmpuint (cancelled, ==, f->bad);
}

static void
test_collapse_expand (Fixture       *f,
                      gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);

  tl_timeline_set_selected_task (timeline, f->group);
  g_assert_cmpint (tl_timeline_model_find_lane (f->tl.model, f->inner), >=, 0);

  gtk_widget_activate_action (f->tl.timeline, "timeline.collapse", NULL);
  g_assert_true (tl_timeline_model_get_collapsed (f->tl.model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->tl.model, f->inner), ==, -1);
  /* The lane below moved up into the hidden child's place. */
  g_assert_cmpint (tl_timeline_model_find_lane (f->tl.model, f->bad), ==,
                   tl_timeline_model_find_lane (f->tl.model, f->group) + 1);

  /* Left on a collapsed task goes to its parent. */
  gtk_widget_activate_action (f->tl.timeline, "timeline.collapse", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->root);

  tl_timeline_set_selected_task (timeline, f->group);
  gtk_widget_activate_action (f->tl.timeline, "timeline.expand", NULL);
  g_assert_false (tl_timeline_model_get_collapsed (f->tl.model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->tl.model, f->inner), ==,
                   tl_timeline_model_find_lane (f->tl.model, f->group) + 1);

  /* Selecting a hidden task opens its ancestors. */
  tl_timeline_model_set_collapsed (f->tl.model, f->group, TRUE);
  tl_timeline_set_selected_task (timeline, f->inner);
  g_assert_false (tl_timeline_model_get_collapsed (f->tl.model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->tl.model, f->inner), >=, 0);
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  GtkAdjustment *hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (timeline));
  guint n_notify = 0;
  gint64 start, end, now;

  /* A run still going on, 5 s in. */
  tl_trace_set_state (f->tl.trace, f->bad, TL_STATE_WAITING, 5000000);
  tl_timeline_model_update (f->tl.model);
  now = tl_timeline_model_get_now (f->tl.model);
  g_assert_cmpint (now, ==, 5000000);

  g_signal_connect_swapped (timeline, "notify::follow", G_CALLBACK (count_cb), &n_notify);
  g_assert_true (tl_timeline_get_follow (timeline));
  tl_timeline_set_visible_range (timeline, 0, 1000000);
  tl_timeline_set_follow (timeline, FALSE);
  tl_timeline_set_follow (timeline, TRUE);
  g_assert_cmpuint (n_notify, ==, 2);

  /* Following: "now" is in view. */
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, <=, now);
  g_assert_cmpint (end, >=, now);

  /* The user pans away: following stops, once. */
  gtk_adjustment_set_value (hadj, 100000);
  g_assert_false (tl_timeline_get_follow (timeline));
  g_assert_cmpuint (n_notify, ==, 3);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, ==, 100000);

  /* Time goes on; the view stays where the user put it. */
  tl_trace_set_state (f->tl.trace, f->bad, TL_STATE_RUNNING, 7000000);
  tl_timeline_model_update (f->tl.model);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, ==, 100000);

  /* The toggle (an action bound to the property) brings it back. */
  g_assert_true (gtk_widget_activate_action (f->tl.timeline, "timeline.follow", NULL));
  g_assert_true (tl_timeline_get_follow (timeline));
  g_assert_cmpuint (n_notify, ==, 4);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, <=, 7000000);
  g_assert_cmpint (end, >=, 7000000);
}

/* In a window, while live, the tick callback reads the trace and "now"
 * moves on by itself. */
static void
test_live_tick (Fixture       *f,
                gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  GtkWidget *window = gtk_window_new ();
  gint64 deadline, now_before;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_set_child (GTK_WINDOW (window), f->tl.timeline);
  gtk_window_present (GTK_WINDOW (window));

  tl_timeline_set_live (timeline, TRUE);
  g_assert_true (tl_timeline_get_live (timeline));
  now_before = tl_timeline_model_get_now (f->tl.model);

  /* The engine writes while the UI ticks. */
  tl_trace_set_state (f->tl.trace, f->bad, TL_STATE_WAITING, 700000);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline &&
         (tl_timeline_model_get_state (f->tl.model, f->bad) != TL_STATE_WAITING ||
          tl_timeline_model_get_now (f->tl.model) < 750000))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpint (tl_timeline_model_get_state (f->tl.model, f->bad), ==, TL_STATE_WAITING);
  g_assert_cmpint (tl_timeline_model_get_now (f->tl.model), >, now_before);
  g_assert_cmpint (tl_timeline_model_get_now (f->tl.model), >=, 750000);

  /* A stall right now is drawn from now minus its length. */
  tl_timeline_set_stall (timeline, 300000, f->bad);
  tl_timeline_set_stall (timeline, 0, TL_NO_INSTANCE);

  tl_timeline_set_live (timeline, FALSE);
  g_assert_false (tl_timeline_get_live (timeline));

  g_object_ref (f->tl.timeline);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (f->tl.timeline);
}

static gboolean
is_blocked_style (TlTestRgb c)
{
  /* The red stripes or the pale red between them. */
  return tl_test_rgb_near (c, TL_TEST_FAILED_RED, 30) || tl_test_rgb_near (c, 0xf8d7d8, 12);
}

/* The engine loop is held right now: the loop lane shows the stall
 * growing up to "now", before the engine can report anything. */
static void
test_live_stall_pixels (Fixture       *f,
                        gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  /* Below the text plate, inside the lane's bar. */
  double y = tl_timeline_lane_to_y (timeline, 0) + 36 - 6;
  guint n_blocked = 0;

  g_assert_cmpint (tl_timeline_model_get_lane_kind (f->tl.model, 0), ==, TL_LANE_LOOP);
  tl_timeline_set_live (timeline, TRUE);
  tl_timeline_set_visible_range (timeline, 0, 1000000);
  g_assert_cmpint (tl_timeline_model_get_now (f->tl.model), ==, 400000);

  tl_timeline_set_stall (timeline, 300000, f->bad);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  for (gint64 t = 110000; t < 390000; t += 10000)
    n_blocked += is_blocked_style (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y));
  g_assert_cmpuint (n_blocked, >=, 20);
  g_assert_false (is_blocked_style (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 60000), y)));
  g_assert_false (is_blocked_style (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 550000), y)));
  cairo_surface_destroy (surface);

  /* 200 ms later the same stall has grown; "now" moved with it. */
  tl_timeline_set_stall (timeline, 500000, f->bad);
  g_assert_cmpint (tl_timeline_model_get_now (f->tl.model), ==, 600000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  n_blocked = 0;
  for (gint64 t = 410000; t < 590000; t += 10000)
    n_blocked += is_blocked_style (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y));
  g_assert_cmpuint (n_blocked, >=, 12);
  cairo_surface_destroy (surface);

  /* Over: nothing more is drawn from it. */
  tl_timeline_set_stall (timeline, 0, TL_NO_INSTANCE);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  g_assert_false (is_blocked_style (tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 500000), y)));
  cairo_surface_destroy (surface);
  tl_timeline_set_live (timeline, FALSE);
}

/* Hovering tells the label, the state at that time and the times, each
 * in the unit that reads best. */
static void
test_tooltip (Fixture       *f,
              gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  g_autofree char *running = NULL;
  g_autofree char *before = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *keyboard = NULL;
  g_autofree char *loop = NULL;

  tl_timeline_set_visible_range (timeline, 0, 1000000);

  running = _tl_timeline_dup_tooltip_markup (timeline, tl_timeline_time_to_x (timeline, 300000),
                                             lane_center (f, f->bad), FALSE);
  g_assert_nonnull (running);
  g_assert_true (g_str_has_prefix (running, "<b>fetch_user(2)</b>"));
  g_assert_nonnull (strstr (running, "running at 30"));   /* "running at 300 ms" ± a pixel */
  g_assert_nonnull (strstr (running, " ms"));
  g_assert_nonnull (strstr (running, "created at 200 ms"));
  g_assert_nonnull (strstr (running, "failed at 600 ms (took 400 ms)"));
  g_assert_nonnull (strstr (running, "ValueError: bad user"));

  /* Over the (maybe ellipsized) name: the full name first. */
  {
    g_autofree char *name = _tl_timeline_dup_tooltip_markup (timeline, 20, lane_center (f, f->bad), FALSE);

    g_assert_true (g_str_has_prefix (name, "<b>fetch_user(2)</b>\ncreated at 200 ms"));
  }

  before = _tl_timeline_dup_tooltip_markup (timeline, tl_timeline_time_to_x (timeline, 100000),
                                            lane_center (f, f->bad), FALSE);
  g_assert_nonnull (strstr (before, "not created yet"));

  cancelled = _tl_timeline_dup_tooltip_markup (timeline, tl_timeline_time_to_x (timeline, 500000),
                                               lane_center (f, f->inner), FALSE);
  g_assert_nonnull (strstr (cancelled, "cancelled at 800 ms"));
  g_assert_nonnull (strstr (cancelled, "cancelled by group: its timeout passed"));

  /* From the keyboard: the selected task. */
  g_assert_null (_tl_timeline_dup_tooltip_markup (timeline, 0, 0, TRUE));
  tl_timeline_set_selected_task (timeline, f->ok);
  keyboard = _tl_timeline_dup_tooltip_markup (timeline, 0, 0, TRUE);
  g_assert_true (g_str_has_prefix (keyboard, "<b>fetch_user(1)</b>"));
  g_assert_nonnull (strstr (keyboard, "User 1"));

  /* The ruler says nothing; the loop lane says busy or free. */
  g_assert_null (_tl_timeline_dup_tooltip_markup (timeline, 500, 5, FALSE));
  loop = _tl_timeline_dup_tooltip_markup (timeline, tl_timeline_time_to_x (timeline, 700000),
                                          tl_timeline_lane_to_y (timeline, 0) + 10, FALSE);
  g_assert_nonnull (strstr (loop, "free at 700 ms"));
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *summary = tl_timeline_dup_summary (TL_TIMELINE (f->tl.timeline));
  TlTrace *trace = tl_timeline_model_get_trace (f->tl.model);
  guint totals[TL_N_STATES] = { 0 };
  guint n = 0;
  g_autofree char *prefix = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *cancelled = NULL;

  /* The header of an exported picture counts as the summary under the
   * timeline does (every task, groups included); every number has its
   * unit. */
  g_test_message ("%s", summary);
  for (guint s = 0; s < tl_trace_get_n_sections (trace); s++)
    {
      TlSectionSummary section;

      tl_summary_compute_section (trace, s, &section);
      for (guint st = 0; st < TL_N_STATES; st++)
        {
          totals[st] += section.counts[st];
          n += section.counts[st];
        }
    }
  g_assert_cmpuint (n, >, 3);
  prefix = g_strdup_printf ("Timeline of %u tasks over 1.00 s: ", n);
  ok = g_strdup_printf ("%u ok", totals[TL_STATE_OK]);
  failed = g_strdup_printf ("%u failed", totals[TL_STATE_FAILED]);
  cancelled = g_strdup_printf ("%u cancelled", totals[TL_STATE_CANCELLED]);
  g_assert_true (g_str_has_prefix (summary, prefix));
  g_assert_nonnull (strstr (summary, ok));
  g_assert_nonnull (strstr (summary, failed));
  g_assert_nonnull (strstr (summary, cancelled));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-timeline-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "run.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "run.svg", NULL);
  g_autofree char *contents = NULL;
  cairo_surface_t *surface;
  guint n_lanes = tl_timeline_model_get_n_lanes (f->tl.model);
  guint n_summary = tl_timeline_model_get_n_summary_lanes (f->tl.model);

  g_assert_true (tl_timeline_export_image (TL_TIMELINE (f->tl.timeline), png, FALSE, 800, TRUE, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800);
  /* A title, every lane of the whole run: ruler, summary lanes, task lanes; then
   * the legend (its four groups in four to twelve rows of 22 px) with a
   * swatch of every kind of mark:
   * the running blue and the failure red are in it. */
  {
    /* A 30 px title band first (preset name and summary). */
    int lanes_h = 30 + 30 + n_summary * 36 + (n_lanes - n_summary) * TL_TIMELINE_DEFAULT_LANE_HEIGHT;
    int height = cairo_image_surface_get_height (surface);
    gboolean blue = FALSE, red = FALSE;

    g_assert_cmpint (height, >, lanes_h + 20);
    g_assert_cmpint (height, >=, lanes_h + 4 * 22);
    g_assert_cmpint (height, <=, lanes_h + 12 * 22 + 12);
    for (int y = lanes_h + 2; y < height; y++)
      for (int x = 0; x < 800; x++)
        {
          blue |= tl_test_rgb_near (tl_test_pixel (surface, x, y), TL_TEST_RUNNING_BLUE, 6);
          red |= tl_test_rgb_near (tl_test_pixel (surface, x, y), TL_TEST_FAILED_RED, 6);
        }
    g_assert_true (blue);
    g_assert_true (red);
    /* The title's text ("timeline widget test", the summary). */
    {
      guint dark = 0;

      for (int y = 4; y < 26; y++)
        for (int x = 0; x < 400; x++)
          dark += tl_test_pixel (surface, x, y).r < 120;
      g_assert_cmpuint (dark, >, 40);
    }
  }
  cairo_surface_destroy (surface);

  g_assert_true (tl_timeline_export_image (TL_TIMELINE (f->tl.timeline), svg, TRUE, 1200, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "<svg"));

  /* A path that cannot be written is an error, not a crash. */
  g_assert_false (tl_timeline_export_image (TL_TIMELINE (f->tl.timeline), "/nonexistent/dir/x.png", FALSE, 800, TRUE, &error));
  g_assert_nonnull (error);

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

/* A task cut off by its timeout shows the rest it was going to take as a
 * faint ghost with a dotted foot (not the never-started outline): the
 * fixture's inner sleep (1 s) cancelled at 800 ms. */
static void
test_cut_off_ghost (Fixture       *f,
                    gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  double top;

  tl_timeline_set_visible_range (timeline, 0, 1200000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  /* The dotted foot of the ghost: lane top + bar padding + bar height - 3. */
  top = tl_timeline_lane_to_y (timeline, tl_timeline_model_find_lane (f->tl.model, f->inner)) + 4 + 16 - 3;
  g_assert_cmpfloat (tl_test_ink_ratio (surface, f->tl.timeline, 840000, 990000, top), >, 0.3);
  /* Nothing after where it would have ended. */
  g_assert_cmpfloat (tl_test_ink_ratio (surface, f->tl.timeline, 1020000, 1190000, top), <, 0.05);
  cairo_surface_destroy (surface);
}

/* A bar wide enough says what the task is doing, in words: white text
 * on the running bar of the first task (0–400 ms). */
static void
test_state_words (Fixture       *f,
                  gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  double top = tl_timeline_lane_to_y (timeline, tl_timeline_model_find_lane (f->tl.model, f->ok));
  double x0 = tl_timeline_time_to_x (timeline, 0);
  guint white = 0, white_after = 0;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  for (double x = x0 + 4; x < x0 + 140; x++)
    for (double y = top + 6; y < top + 18; y++)
      white += tl_test_rgb_is_background (tl_test_pixel (surface, x, y));
  g_assert_cmpuint (white, >, 30);
  /* Not over the rest of the bar. */
  for (double x = tl_timeline_time_to_x (timeline, 300000); x < tl_timeline_time_to_x (timeline, 390000); x++)
    for (double y = top + 6; y < top + 18; y++)
      white_after += tl_test_rgb_is_background (tl_test_pixel (surface, x, y));
  g_assert_cmpuint (white_after, ==, 0);
  cairo_surface_destroy (surface);
}

/* Fit leaves room after the end (about 8 %) so the last labels and the
 * last ruler tick show. */
static void
test_fit_margin (Fixture       *f,
                 gconstpointer  data)
{
  gint64 start, end;

  tl_timeline_get_visible_range (TL_TIMELINE (f->tl.timeline), &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, >=, 1080000);
  g_assert_cmpint (end, <=, 1600000);
}

/* While the loop is held, a sleeping task whose timer is due is drawn
 * blocked live, and a band crosses every lane for the stall. */
static void
test_live_overdue (Fixture       *f,
                   gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  double y = lane_center (f, f->inner);
  guint n_blocked = 0;

  tl_timeline_set_live (timeline, TRUE);
  tl_timeline_model_set_now (f->tl.model, 1500000);
  tl_timeline_set_stall (timeline, 600000, f->bad);   /* held from 0.9 s to now, 1.5 s */
  g_assert_cmpint (tl_timeline_model_get_now (f->tl.model), ==, 1500000);
  tl_timeline_set_visible_range (timeline, 0, 2000000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  /* inner sleeps 1 s from 0: overdue from 1.0 s. */
  /* (Red stripes or the pale red between them, under the stall band's
   * red tint: reddish.) */
  for (gint64 t = 1050000; t < 1450000; t += 20000)
    {
      TlTestRgb c = tl_test_pixel (surface, tl_timeline_time_to_x (timeline, t), y);

      n_blocked += c.r > 180 && c.r - c.g > 25;
    }
  g_assert_cmpuint (n_blocked, >=, 16);
  {
    TlTestRgb c = tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 500000), y);

    g_assert_false (c.r - c.g > 25);
  }
  /* The stall band tints an empty lane (the first task's, over since
   * 400 ms) between 0.9 and 1.5 s, not before. */
  {
    TlTestRgb in = tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 1200000), lane_center (f, f->ok));
    TlTestRgb out = tl_test_pixel (surface, tl_timeline_time_to_x (timeline, 700000), lane_center (f, f->ok));

    g_assert_cmpint (in.r - in.g, >, 8);
    g_assert_cmpint (ABS (out.r - out.g), <, 4);
  }
  cairo_surface_destroy (surface);
  tl_timeline_set_live (timeline, FALSE);
}

/* A sleep overdue because CPU work holds the loop from the start (as in
 * cpu-on-loop): its "waiting on a timer" stays on the part still
 * waiting, never across the overdue part, whose stripes would run
 * through the words. Zoomed out until the waiting part is narrower than
 * the words, they are left out. */
static void
test_live_overdue_words (void)
{
  g_autoptr(TlPreset) preset = tl_test_timeline_load_preset ();
  TlTestTimeline tl = { 0, };
  TlTrace *t = tl_trace_new (preset);
  guint32 root, inner, hog;
  TlTimeline *timeline;
  double y;

  tl_trace_begin_section (t, 0, 0, 0);
  root = tl_trace_add_instance (t, TL_NO_INSTANCE, tl_test_spec_of (t, "main"), 1, 0, TL_ON_LOOP, 0);
  inner = tl_trace_add_instance (t, root, tl_test_spec_of (t, "inner"), 1, 0, TL_ON_LOOP, 0);
  hog = tl_trace_add_instance (t, root, tl_test_spec_of (t, "first"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (t, root, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, inner, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, hog, TL_STATE_RUNNING, 0);
  tl_test_timeline_show_trace (&tl, t);
  timeline = TL_TIMELINE (tl.timeline);

  tl_timeline_set_live (timeline, TRUE);
  tl_timeline_model_set_now (tl.model, 1500000);
  tl_timeline_set_stall (timeline, 1500000, hog);
  y = tl_timeline_lane_to_y (timeline, tl_timeline_model_find_lane (tl.model, inner)) +
      tl_timeline_get_lane_height (timeline) / 2.0;

  for (guint zoom = 0; zoom < 2; zoom++)
    {
      const graphene_rect_t *boxes;
      double due_x;
      guint n_boxes, in_lane = 0;

      tl_timeline_set_visible_range (timeline, 0, zoom == 0 ? 2000000 : 7500000);
      cairo_surface_destroy (tl_test_timeline_render (tl.timeline, 1000));
      /* "inner" sleeps a second: due at 1.0 s. */
      due_x = tl_timeline_time_to_x (timeline, 1000000);
      boxes = _tl_timeline_get_text_boxes (timeline, &n_boxes);
      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].origin.y < y && boxes[i].origin.y + boxes[i].size.height > y &&
            boxes[i].origin.x > tl_timeline_time_to_x (timeline, 0))
          {
            g_test_message ("zoom %u: text in the overdue lane from x %.0f to %.0f, due at x %.0f", zoom,
                            boxes[i].origin.x, boxes[i].origin.x + boxes[i].size.width, due_x);
            g_assert_cmpfloat (boxes[i].origin.x + boxes[i].size.width, <=, due_x);
            in_lane++;
          }
      g_assert_cmpuint (in_lane, ==, zoom == 0 ? 1 : 0);
    }

  tl_test_timeline_clear (&tl);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

#define ADD(path, func, incomplete) \
  g_test_add ("/timeline/widget/" path, Fixture, GINT_TO_POINTER (incomplete), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("failed-task-pixels", test_failed_task_pixels, 0);
  ADD ("deadline-line", test_deadline_line, 0);
  ADD ("time-mapping", test_time_mapping, 0);
  ADD ("hit-testing", test_hit_testing, 0);
  ADD ("lane-height", test_lane_height, 0);
  ADD ("layers-lookup", test_layers_lookup, 0);
  ADD ("keyboard-and-actions", test_keyboard_and_actions, 0);
  ADD ("cancel-running", test_cancel_running, 1);
  ADD ("collapse-expand", test_collapse_expand, 0);
  ADD ("follow", test_follow, 1);
  ADD ("live-tick", test_live_tick, 1);
  ADD ("live-stall-pixels", test_live_stall_pixels, 1);
  ADD ("summary", test_summary, 0);
  ADD ("tooltip", test_tooltip, 0);
  ADD ("export", test_export, 0);
  ADD ("cut-off-ghost", test_cut_off_ghost, 0);
  ADD ("state-words", test_state_words, 0);
  g_test_add_func ("/timeline/widget/live-overdue-words", test_live_overdue_words);
  ADD ("fit-margin", test_fit_margin, 0);
  ADD ("live-overdue", test_live_overdue, 1);
  return g_test_run ();
}
