/* test-timeline.c — the timeline widget: pixels, geometry, keyboard, export
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures are rendered through the widget's own export path (the same
 * drawing code as the screen, drawn with cairo) and probed pixel by pixel.
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

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=timeline widget test\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Children=first;group\n"
  "\n"
  "[Task first]\n"
  "Kind=sleep\n"
  "Label=fetch_user({i})\n"
  "Duration=1s\n"
  "Repeat=2\n"
  "\n"
  "[Task group]\n"
  "Kind=sequence\n"
  "Children=inner\n"
  "\n"
  "[Task inner]\n"
  "Kind=sleep\n"
  "Duration=1s\n";

typedef struct {
  TlTrace         *trace;
  TlTimelineModel *model;
  GtkWidget       *timeline;
  guint32          root, ok, bad, group, inner;
} Fixture;

static guint
spec_of (TlTrace    *trace,
         const char *name)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

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
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "timeline-test", &error);
  gboolean complete = GPOINTER_TO_INT (data) == 0;
  TlTrace *t;

  g_assert_no_error (error);
  t = f->trace = tl_trace_new (preset);

  tl_trace_begin_section (t, 0, 0, 0);
  f->root = tl_trace_add_instance (t, TL_NO_INSTANCE, spec_of (t, "main"), 1, 0, TL_ON_LOOP, 0);
  f->ok = tl_trace_add_instance (t, f->root, spec_of (t, "first"), 1, 0, TL_ON_LOOP, 0);
  f->group = tl_trace_add_instance (t, f->root, spec_of (t, "group"), 1, 0, TL_ON_LOOP, 0);
  f->inner = tl_trace_add_instance (t, f->group, spec_of (t, "inner"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (t, f->root, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, f->ok, TL_STATE_RUNNING, 0);
  tl_trace_set_state (t, f->group, TL_STATE_WAITING, 0);
  tl_trace_add_event (t, 0, TL_EVENT_DEADLINE, f->group, 0, 0, 800000);
  tl_trace_set_state (t, f->inner, TL_STATE_WAITING, 0);
  f->bad = tl_trace_add_instance (t, f->root, spec_of (t, "first"), 2, 0, TL_ON_LOOP, 200000);
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

  f->model = tl_timeline_model_new (f->trace);
  f->timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (f->timeline), f->model);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->timeline);
  g_assert_finalize_object (f->model);
  tl_trace_unref (f->trace);
}

/* --- pixels --- */

static cairo_surface_t *
render (Fixture *f,
        int      width)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-timeline-XXXXXX", &error);
  g_autofree char *path = NULL;
  cairo_surface_t *surface;

  g_assert_no_error (error);
  path = g_build_filename (dir, "view.png", NULL);
  g_assert_true (tl_timeline_export_image (TL_TIMELINE (f->timeline), path, FALSE, width, FALSE, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_unlink (path);
  g_rmdir (dir);
  return surface;
}

typedef struct { int r, g, b; } Rgb;

static Rgb
pixel (cairo_surface_t *surface,
       double           x,
       double           y)
{
  int ix = (int) x, iy = (int) y;
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 argb;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (surface));
  argb = *(const guint32 *) (const void *) (data + iy * stride + ix * 4);
  return (Rgb) { (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff };
}

static gboolean
near (Rgb     c,
      guint32 hex,
      int     tolerance)
{
  return ABS (c.r - (int) ((hex >> 16) & 0xff)) <= tolerance &&
         ABS (c.g - (int) ((hex >> 8) & 0xff)) <= tolerance &&
         ABS (c.b - (int) (hex & 0xff)) <= tolerance;
}

static gboolean
is_background (Rgb c)
{
  /* White with at most the faint stripe of every other lane and a grid
   * line. */
  return c.r >= 220 && c.g >= 220 && c.b >= 220;
}

#define RUNNING_BLUE 0x3584e4
#define FAILED_RED   0xe01b24
#define DEADLINE     0xe66100

static double
lane_center (Fixture *f,
             guint32  instance)
{
  int lane = tl_timeline_model_find_lane (f->model, instance);

  g_assert_cmpint (lane, >=, 0);
  return tl_timeline_lane_to_y (TL_TIMELINE (f->timeline), lane) +
         tl_timeline_get_lane_height (TL_TIMELINE (f->timeline)) / 2.0;
}

static void
test_failed_task_pixels (Fixture       *f,
                         gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  double y = lane_center (f, f->bad);
  double x_fail;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = render (f, 1000);

  /* Nothing before the task was created (200 ms). */
  for (gint64 t = 10000; t < 190000; t += 20000)
    g_assert_true (is_background (pixel (surface, tl_timeline_time_to_x (timeline, t), y)));

  /* Running between 200 and 600 ms: solid blue (after the words
   * "running on the loop" written at its start). */
  g_assert_true (near (pixel (surface, tl_timeline_time_to_x (timeline, 420000), y), RUNNING_BLUE, 10));
  g_assert_true (near (pixel (surface, tl_timeline_time_to_x (timeline, 450000), y), RUNNING_BLUE, 10));

  /* The bar ends in the failure colour: the last quarter of its last
   * segment (500–600 ms), and the end cap where it failed; not before. */
  x_fail = tl_timeline_time_to_x (timeline, 600000);
  g_assert_true (near (pixel (surface, x_fail - 1, y), FAILED_RED, 10));
  g_assert_true (near (pixel (surface, tl_timeline_time_to_x (timeline, 550000), y), FAILED_RED, 10));
  g_assert_false (near (pixel (surface, tl_timeline_time_to_x (timeline, 480000), y), FAILED_RED, 60));

  /* After the end, no more bar (the ✗ shape and the error text follow
   * the cap, in the failure colour). */
  for (gint64 t = 640000; t < 1000000; t += 20000)
    g_assert_false (near (pixel (surface, tl_timeline_time_to_x (timeline, t), y), RUNNING_BLUE, 40));

  /* The task that ended ok never shows the failure colour. */
  y = lane_center (f, f->ok);
  for (gint64 t = 10000; t < 400000; t += 30000)
    g_assert_false (near (pixel (surface, tl_timeline_time_to_x (timeline, t), y), FAILED_RED, 60));

  cairo_surface_destroy (surface);
}

static void
test_deadline_line (Fixture       *f,
                    gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  int lane = tl_timeline_model_find_lane (f->model, f->group);
  double top = tl_timeline_lane_to_y (timeline, lane);
  double x;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = render (f, 1000);
  x = tl_timeline_time_to_x (timeline, 800000);

  /* A dashed line at 800 ms through the group and its child. */
  g_assert_true (near (pixel (surface, x, top + 1), DEADLINE, 12));
  {
    guint n_orange = 0;

    for (int dy = 0; dy < TL_TIMELINE_DEFAULT_LANE_HEIGHT; dy++)
      n_orange += near (pixel (surface, x - 1, top + TL_TIMELINE_DEFAULT_LANE_HEIGHT + dy), DEADLINE, 12);
    g_assert_cmpuint (n_orange, >=, 6);
  }
  /* Not somewhere else. */
  g_assert_false (near (pixel (surface, tl_timeline_time_to_x (timeline, 500000), top + 1), DEADLINE, 60));

  cairo_surface_destroy (surface);
}

static void
test_time_mapping (Fixture       *f,
                   gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  gint64 t;
  double x;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  x = tl_timeline_time_to_x (timeline, 300000);

  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, lane_center (f, f->bad), &t), ==, f->bad);
  g_assert_cmpint (ABS (t - 300000), <=, 2000);
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, lane_center (f, f->inner), NULL), ==, f->inner);
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, lane_center (f, f->inner)), ==,
                   tl_timeline_model_find_lane (f->model, f->inner));
  /* The ruler and the summary lanes hold no task. */
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, 5, NULL), ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_timeline_lane_at_y (timeline, 5), ==, -1);
  g_assert_cmpuint (tl_timeline_instance_at (timeline, x, 40, NULL), ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_timeline_model_get_lane_kind (f->model, tl_timeline_lane_at_y (timeline, 40)), ==, TL_LANE_LOOP);
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  int inner = tl_timeline_model_find_lane (f->model, f->inner);
  int bad = tl_timeline_model_find_lane (f->model, f->bad);
  double small_gap, big_top;
  double x;
  guint notified = 0;
  int natural;
  cairo_surface_t *surface;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  x = tl_timeline_time_to_x (timeline, 300000);
  g_assert_cmpint (tl_timeline_get_lane_height (timeline), ==, TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  small_gap = tl_timeline_lane_to_y (timeline, inner) - tl_timeline_lane_to_y (timeline, bad);
  gtk_widget_measure (f->timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);

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

    gtk_widget_measure (f->timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural_big, NULL, NULL);
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
  surface = render (f, 1000);
  g_assert_true (near (pixel (surface, tl_timeline_time_to_x (timeline, 550000), big_top + 40), FAILED_RED, 10));
  g_assert_true (near (pixel (surface, tl_timeline_time_to_x (timeline, 550000), big_top + 8), FAILED_RED, 10));
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  GtkWidget *widget = f->timeline;
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  guint32 cancelled = TL_NO_INSTANCE;

  g_signal_connect (timeline, "cancel-requested", G_CALLBACK (record_instance_cb), &cancelled);
  tl_timeline_set_selected_task (timeline, f->bad);
  g_assert_true (gtk_widget_activate_action (f->timeline, "timeline.cancel-selected", NULL));
  g_assert_cmpuint (cancelled, ==, f->bad);
}

static void
test_collapse_expand (Fixture       *f,
                      gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);

  tl_timeline_set_selected_task (timeline, f->group);
  g_assert_cmpint (tl_timeline_model_find_lane (f->model, f->inner), >=, 0);

  gtk_widget_activate_action (f->timeline, "timeline.collapse", NULL);
  g_assert_true (tl_timeline_model_get_collapsed (f->model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->model, f->inner), ==, -1);
  /* The lane below moved up into the hidden child's place. */
  g_assert_cmpint (tl_timeline_model_find_lane (f->model, f->bad), ==,
                   tl_timeline_model_find_lane (f->model, f->group) + 1);

  /* Left on a collapsed task goes to its parent. */
  gtk_widget_activate_action (f->timeline, "timeline.collapse", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, f->root);

  tl_timeline_set_selected_task (timeline, f->group);
  gtk_widget_activate_action (f->timeline, "timeline.expand", NULL);
  g_assert_false (tl_timeline_model_get_collapsed (f->model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->model, f->inner), ==,
                   tl_timeline_model_find_lane (f->model, f->group) + 1);

  /* Selecting a hidden task opens its ancestors. */
  tl_timeline_model_set_collapsed (f->model, f->group, TRUE);
  tl_timeline_set_selected_task (timeline, f->inner);
  g_assert_false (tl_timeline_model_get_collapsed (f->model, f->group));
  g_assert_cmpint (tl_timeline_model_find_lane (f->model, f->inner), >=, 0);
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  GtkAdjustment *hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (timeline));
  guint n_notify = 0;
  gint64 start, end, now;

  /* A run still going on, 5 s in. */
  tl_trace_set_state (f->trace, f->bad, TL_STATE_WAITING, 5000000);
  tl_timeline_model_update (f->model);
  now = tl_timeline_model_get_now (f->model);
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
  tl_trace_set_state (f->trace, f->bad, TL_STATE_RUNNING, 7000000);
  tl_timeline_model_update (f->model);
  tl_timeline_get_visible_range (timeline, &start, &end);
  g_assert_cmpint (start, ==, 100000);

  /* The toggle (an action bound to the property) brings it back. */
  g_assert_true (gtk_widget_activate_action (f->timeline, "timeline.follow", NULL));
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
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  GtkWidget *window = gtk_window_new ();
  gint64 deadline, now_before;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_set_child (GTK_WINDOW (window), f->timeline);
  gtk_window_present (GTK_WINDOW (window));

  tl_timeline_set_live (timeline, TRUE);
  g_assert_true (tl_timeline_get_live (timeline));
  now_before = tl_timeline_model_get_now (f->model);

  /* The engine writes while the UI ticks. */
  tl_trace_set_state (f->trace, f->bad, TL_STATE_WAITING, 700000);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline &&
         (tl_timeline_model_get_state (f->model, f->bad) != TL_STATE_WAITING ||
          tl_timeline_model_get_now (f->model) < 750000))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpint (tl_timeline_model_get_state (f->model, f->bad), ==, TL_STATE_WAITING);
  g_assert_cmpint (tl_timeline_model_get_now (f->model), >, now_before);
  g_assert_cmpint (tl_timeline_model_get_now (f->model), >=, 750000);

  /* A stall right now is drawn from now minus its length. */
  tl_timeline_set_stall (timeline, 300000, f->bad);
  tl_timeline_set_stall (timeline, 0, TL_NO_INSTANCE);

  tl_timeline_set_live (timeline, FALSE);
  g_assert_false (tl_timeline_get_live (timeline));

  g_object_ref (f->timeline);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (f->timeline);
}

static gboolean
is_blocked_style (Rgb c)
{
  /* The red stripes or the pale red between them. */
  return near (c, FAILED_RED, 30) || near (c, 0xf8d7d8, 12);
}

/* The engine loop is held right now: the loop lane shows the stall
 * growing up to "now", before the engine can report anything. */
static void
test_live_stall_pixels (Fixture       *f,
                        gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  /* Below the text plate, inside the lane's bar. */
  double y = tl_timeline_lane_to_y (timeline, 0) + 36 - 6;
  guint n_blocked = 0;

  g_assert_cmpint (tl_timeline_model_get_lane_kind (f->model, 0), ==, TL_LANE_LOOP);
  tl_timeline_set_live (timeline, TRUE);
  tl_timeline_set_visible_range (timeline, 0, 1000000);
  g_assert_cmpint (tl_timeline_model_get_now (f->model), ==, 400000);

  tl_timeline_set_stall (timeline, 300000, f->bad);
  surface = render (f, 1000);
  for (gint64 t = 110000; t < 390000; t += 10000)
    n_blocked += is_blocked_style (pixel (surface, tl_timeline_time_to_x (timeline, t), y));
  g_assert_cmpuint (n_blocked, >=, 20);
  g_assert_false (is_blocked_style (pixel (surface, tl_timeline_time_to_x (timeline, 60000), y)));
  g_assert_false (is_blocked_style (pixel (surface, tl_timeline_time_to_x (timeline, 550000), y)));
  cairo_surface_destroy (surface);

  /* 200 ms later the same stall has grown; "now" moved with it. */
  tl_timeline_set_stall (timeline, 500000, f->bad);
  g_assert_cmpint (tl_timeline_model_get_now (f->model), ==, 600000);
  surface = render (f, 1000);
  n_blocked = 0;
  for (gint64 t = 410000; t < 590000; t += 10000)
    n_blocked += is_blocked_style (pixel (surface, tl_timeline_time_to_x (timeline, t), y));
  g_assert_cmpuint (n_blocked, >=, 12);
  cairo_surface_destroy (surface);

  /* Over: nothing more is drawn from it. */
  tl_timeline_set_stall (timeline, 0, TL_NO_INSTANCE);
  surface = render (f, 1000);
  g_assert_false (is_blocked_style (pixel (surface, tl_timeline_time_to_x (timeline, 500000), y)));
  cairo_surface_destroy (surface);
  tl_timeline_set_live (timeline, FALSE);
}

/* Hovering tells the label, the state at that time and the times, each
 * in the unit that reads best. */
static void
test_tooltip (Fixture       *f,
              gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
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
  g_autofree char *summary = tl_timeline_dup_summary (TL_TIMELINE (f->timeline));
  TlTrace *trace = tl_timeline_model_get_trace (f->model);
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
  guint n_lanes = tl_timeline_model_get_n_lanes (f->model);
  guint n_summary = tl_timeline_model_get_n_summary_lanes (f->model);

  g_assert_true (tl_timeline_export_image (TL_TIMELINE (f->timeline), png, FALSE, 800, TRUE, &error));
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
          blue |= near (pixel (surface, x, y), RUNNING_BLUE, 6);
          red |= near (pixel (surface, x, y), FAILED_RED, 6);
        }
    g_assert_true (blue);
    g_assert_true (red);
    /* The title's text ("timeline widget test", the summary). */
    {
      guint dark = 0;

      for (int y = 4; y < 26; y++)
        for (int x = 0; x < 400; x++)
          dark += pixel (surface, x, y).r < 120;
      g_assert_cmpuint (dark, >, 40);
    }
  }
  cairo_surface_destroy (surface);

  g_assert_true (tl_timeline_export_image (TL_TIMELINE (f->timeline), svg, TRUE, 1200, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "<svg"));

  /* A path that cannot be written is an error, not a crash. */
  g_assert_false (tl_timeline_export_image (TL_TIMELINE (f->timeline), "/nonexistent/dir/x.png", FALSE, 800, TRUE, &error));
  g_assert_nonnull (error);

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

/* Counts the nodes of one type in a render node tree. */
static guint
count_nodes (GskRenderNode     *node,
             GskRenderNodeType  type)
{
  guint n = gsk_render_node_get_node_type (node) == type;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_nodes (gsk_container_node_get_child (node, i), type);
      break;
    case GSK_CLIP_NODE:
      n += count_nodes (gsk_clip_node_get_child (node), type);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      n += count_nodes (gsk_rounded_clip_node_get_child (node), type);
      break;
    case GSK_TRANSFORM_NODE:
      n += count_nodes (gsk_transform_node_get_child (node), type);
      break;
    case GSK_REPEAT_NODE:
      n += count_nodes (gsk_repeat_node_get_child (node), type);
      break;
    case GSK_OPACITY_NODE:
      n += count_nodes (gsk_opacity_node_get_child (node), type);
      break;
    default:
      break;
    }
  return n;
}

/* Drawing stays O(visible): 20,000 lanes, one of them with 100,000
 * intervals, and the frame still holds only a few hundred rectangles. */
static void
test_draw_cost_bounded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "timeline-test", &error);
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  g_autoptr(TlTimelineModel) model = NULL;
  GtkWidget *timeline;
  GskRenderNode *node;
  TlTimelineView view;
  guint32 root, busy;
  guint n_colors;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  busy = tl_trace_add_instance (trace, root, spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 0);
  for (guint i = 0; i < 100000; i++)
    tl_trace_set_state (trace, busy, i % 2 ? TL_STATE_RUNNING : TL_STATE_WAITING, 10 + i * 10);
  for (guint i = 0; i < 20000; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, spec_of (trace, "first"), i + 2, 0, TL_ON_LOOP, i * 50);

      tl_trace_set_state (trace, id, TL_STATE_WAITING, i * 50 + 1);
      tl_trace_set_state (trace, id, TL_STATE_OK, i * 50 + 400000);
    }
  tl_trace_complete (trace, 1500000);

  model = tl_timeline_model_new (trace);
  timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (timeline), model);
  tl_timeline_set_visible_range (TL_TIMELINE (timeline), 0, 1000000);

  _tl_timeline_get_view (TL_TIMELINE (timeline), &view);
  view.use_cache = FALSE;
  node = _tl_timeline_render (TL_TIMELINE (timeline), &view);
  n_colors = count_nodes (node, GSK_COLOR_NODE);
  g_test_message ("%u colour nodes for %u lanes", n_colors, tl_timeline_model_get_n_lanes (model));
  g_assert_cmpuint (n_colors, <, 400);
  /* Only the visible labels are laid out. */
  g_assert_cmpuint (count_nodes (node, GSK_TEXT_NODE), <, 100);

  gsk_render_node_unref (node);
  g_assert_finalize_object (timeline);
}


/* --- findings of the UI review --- */

/* Every repeat node (hatches, stripes) repeats one cached texture node
 * with exactly its bounds: one textured quad for the GL renderer, no
 * geometry per bar, no offscreen or cairo fallback per frame. */
static gboolean
repeats_are_textures (GskRenderNode *node,
                      guint         *n_repeats,
                      GskRenderNode **tile)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (!repeats_are_textures (gsk_container_node_get_child (node, i), n_repeats, tile))
          return FALSE;
      return TRUE;
    case GSK_CLIP_NODE:
      return repeats_are_textures (gsk_clip_node_get_child (node), n_repeats, tile);
    case GSK_ROUNDED_CLIP_NODE:
      return repeats_are_textures (gsk_rounded_clip_node_get_child (node), n_repeats, tile);
    case GSK_TRANSFORM_NODE:
      return repeats_are_textures (gsk_transform_node_get_child (node), n_repeats, tile);
    case GSK_OPACITY_NODE:
      return repeats_are_textures (gsk_opacity_node_get_child (node), n_repeats, tile);
    case GSK_REPEAT_NODE:
      {
        GskRenderNode *child = gsk_repeat_node_get_child (node);
        graphene_rect_t bounds;

        gsk_render_node_get_bounds (child, &bounds);
        (*n_repeats)++;
        if (gsk_render_node_get_node_type (child) != GSK_TEXTURE_NODE ||
            !graphene_rect_equal (&bounds, gsk_repeat_node_get_child_bounds (node)))
          return FALSE;
        /* The same cached tile in every frame and every bar. */
        if (*tile == NULL)
          *tile = child;
        return TRUE;
      }
    default:
      return TRUE;
    }
}

static void
test_hatch_is_one_texture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "timeline-test", &error);
  TlTrace *trace = tl_trace_new (preset);
  TlTimelineModel *model;
  GtkWidget *timeline;
  TlTimelineView view;
  GskRenderNode *node, *tile = NULL, *tile2 = NULL;
  guint n_repeats = 0, n_repeats2 = 0;
  guint32 root;

  tl_trace_begin_section (trace, 0, 0, 0);
  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 0);
  for (guint i = 0; i < 20; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, spec_of (trace, "first"), i + 1, 0, TL_ON_THREAD, 0);

      tl_trace_set_state (trace, id, TL_STATE_QUEUED, 0);
      tl_trace_set_state (trace, id, TL_STATE_RUNNING, 100000 + i * 20000);
      tl_trace_set_state (trace, id, TL_STATE_OK, 600000 + i * 20000);
    }
  tl_trace_set_state (trace, root, TL_STATE_OK, 1000000);
  tl_trace_end_section (trace, 0, 1000000);
  tl_trace_complete (trace, 1000000);

  model = tl_timeline_model_new (trace);
  timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (timeline), model);
  tl_timeline_set_visible_range (TL_TIMELINE (timeline), 0, 1000000);
  _tl_timeline_get_view (TL_TIMELINE (timeline), &view);

  node = _tl_timeline_render (TL_TIMELINE (timeline), &view);
  g_assert_true (repeats_are_textures (node, &n_repeats, &tile));
  /* One per hatched bar: the 20 queued spans. */
  g_assert_cmpuint (n_repeats, >=, 20);
  g_assert_cmpuint (n_repeats, <=, 21);
  gsk_render_node_unref (node);

  /* The next frame, panned, repeats the very same tile node. */
  view.t0 += view.us_per_px;
  node = _tl_timeline_render (TL_TIMELINE (timeline), &view);
  g_assert_true (repeats_are_textures (node, &n_repeats2, &tile2));
  g_assert_true (tile == tile2);
  gsk_render_node_unref (node);

  g_assert_finalize_object (timeline);
  g_assert_finalize_object (model);
  tl_trace_unref (trace);
}

typedef struct {
  TlRunner        *runner;
  TlTimelineModel *model;
  GtkWidget       *timeline;
} Run;

/* A gallery preset run on the virtual clock, as a learner would see it
 * after the run. */
static void
run_builtin (Run        *r,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (name, &error);
  TlRunnerOptions options = { TL_CLOCK_VIRTUAL, 2, 2, NULL };

  g_assert_no_error (error);
  r->runner = tl_runner_new (preset, &options);
  tl_runner_run (r->runner);
  r->model = tl_timeline_model_new (tl_runner_get_trace (r->runner));
  r->timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (r->timeline), r->model);
}

static void
run_clear (Run *r)
{
  g_assert_finalize_object (r->timeline);
  g_assert_finalize_object (r->model);
  g_assert_finalize_object (r->runner);
}

static guint32
find_label (Run        *r,
            const char *label)
{
  TlTrace *trace = tl_runner_get_trace (r->runner);

  for (guint32 i = 0; i < tl_trace_get_n_instances (trace); i++)
    {
      g_autofree char *l = tl_trace_dup_label (trace, i);

      if (strcmp (l, label) == 0)
        return i;
    }
  g_assert_not_reached ();
  return TL_NO_INSTANCE;
}

static cairo_surface_t *
render_widget (GtkWidget *timeline,
               int        width)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-timeline-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "view.png", NULL);
  cairo_surface_t *surface;

  g_assert_true (tl_timeline_export_image (TL_TIMELINE (timeline), path, FALSE, width, FALSE, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_unlink (path);
  g_rmdir (dir);
  return surface;
}

/* Non-background pixels along row y between two times. */
static double
ink_ratio (cairo_surface_t *surface,
           GtkWidget       *timeline,
           gint64           t0,
           gint64           t1,
           double           y)
{
  double x0 = tl_timeline_time_to_x (TL_TIMELINE (timeline), t0);
  double x1 = tl_timeline_time_to_x (TL_TIMELINE (timeline), t1);
  guint n = 0, ink = 0;

  for (double x = x0; x < x1; x++, n++)
    ink += !is_background (pixel (surface, x, y));
  return n > 0 ? (double) ink / n : 0;
}

/* never-awaited: the task that never started has a dashed, empty ghost
 * across its section, not the cancelled mark. */
static void
test_never_started_ghost (void)
{
  Run r;
  guint32 ghost, awaited;
  cairo_surface_t *surface;
  double top;
  gint64 s0 = -1, s1 = -1;

  run_builtin (&r, "never-awaited");
  ghost = find_label (&r, "save_log()");
  awaited = find_label (&r, "await fetch_data()");
  g_assert_cmpint (tl_timeline_model_get_state (r.model, ghost), ==, TL_STATE_NEVER_STARTED);
  g_assert_true (tl_timeline_model_get_section_span (r.model, ghost, &s0, &s1));
  g_assert_cmpint (s1, >, s0);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, s1 + s1 / 5);
  surface = render_widget (r.timeline, 1000);
  top = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, ghost)) + 4;
  /* The dashed top edge: about half the pixels inked, across the whole
   * section (beyond the "never started" text). */
  g_assert_cmpfloat (ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), >, 0.3);
  g_assert_cmpfloat (ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), <, 0.7);
  /* A task that ran has no such outline above its bar. */
  top = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, awaited)) + 4;
  g_assert_cmpfloat (ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), <, 0.05);
  cairo_surface_destroy (surface);
  run_clear (&r);
}

/* wait-timeout: at the wait's return, the children still running are
 * outlined as pending; the done ones are not; the deadline is labelled. */
static void
test_wait_done_and_pending (void)
{
  Run r;
  guint32 wait, done, pending;
  gint64 ret;
  cairo_surface_t *surface;
  double y_done, y_pending, x_ret;
  guint n_orange_pending = 0, n_orange_done = 0, n_label = 0;

  run_builtin (&r, "wait-timeout");
  wait = find_label (&r, "asyncio.wait(tasks, timeout=1.2)");
  done = find_label (&r, "fetch_user(1)");
  pending = find_label (&r, "fetch_user(4)");
  ret = tl_timeline_model_get_finished_us (r.model, wait);
  g_assert_cmpint (ret, >, 0);
  g_assert_cmpint (tl_timeline_model_get_finished_us (r.model, pending), >, ret);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, tl_timeline_model_get_end_us (r.model));
  surface = render_widget (r.timeline, 1000);
  x_ret = tl_timeline_time_to_x (TL_TIMELINE (r.timeline), ret);
  y_done = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, done));
  y_pending = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, pending));
  /* The dashed orange outline after the return, along the lane's top. */
  for (double x = x_ret + 60; x < x_ret + 200; x++)
    {
      n_orange_pending += near (pixel (surface, x, y_pending + 3), DEADLINE, 40);
      n_orange_done += near (pixel (surface, x, y_done + 3), DEADLINE, 40);
    }
  g_assert_cmpuint (n_orange_pending, >, 40);
  g_assert_cmpuint (n_orange_done, ==, 0);
  /* "pending" is written on its waiting bar, which stays visible under
   * it (no plate hides the waiting it goes on doing). */
  {
    guint n_bar = 0, n = 0;

    for (double x = x_ret + 6; x < x_ret + 50; x++)
      for (double y = y_pending + 9; y < y_pending + 16; y++, n++)
        n_bar += near (pixel (surface, x, y), 0x99c1f1, 12);
    g_assert_cmpuint (n_bar * 10, >, n * 4);
  }
  /* The deadline's label never covers the wait's own bar, which would
   * then look cut short: the bar runs up to the line, unbroken, and no
   * deadline-coloured text sits on it (the wait's name says timeout=1.2,
   * and the result after its ✓ takes the room right of the line). */
  {
    double y_wait = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, wait));
    guint n_bar = 0, n_columns = 0;

    for (double x = x_ret - 100; x < x_ret - 4; x++, n_columns++)
      {
        n_bar += near (pixel (surface, x, y_wait + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0), 0x99c1f1, 12);
        for (double y = y_wait + 6; y < y_wait + 18; y++)
          n_label += near (pixel (surface, x, y), DEADLINE, 60);
      }
    g_assert_cmpuint (n_bar, ==, n_columns);
    g_assert_cmpuint (n_label, ==, 0);
  }
  cairo_surface_destroy (surface);
  run_clear (&r);
}

/* A task cut off by its timeout shows the rest it was going to take as a
 * faint ghost with a dotted foot (not the never-started outline): the
 * fixture's inner sleep (1 s) cancelled at 800 ms. */
static void
test_cut_off_ghost (Fixture       *f,
                    gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  double top;

  tl_timeline_set_visible_range (timeline, 0, 1200000);
  surface = render (f, 1000);
  /* The dotted foot of the ghost: lane top + bar padding + bar height - 3. */
  top = tl_timeline_lane_to_y (timeline, tl_timeline_model_find_lane (f->model, f->inner)) + 4 + 16 - 3;
  g_assert_cmpfloat (ink_ratio (surface, f->timeline, 840000, 990000, top), >, 0.3);
  /* Nothing after where it would have ended. */
  g_assert_cmpfloat (ink_ratio (surface, f->timeline, 1020000, 1190000, top), <, 0.05);
  cairo_surface_destroy (surface);
}

/* A bar wide enough says what the task is doing, in words: white text
 * on the running bar of the first task (0–400 ms). */
static void
test_state_words (Fixture       *f,
                  gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  double top = tl_timeline_lane_to_y (timeline, tl_timeline_model_find_lane (f->model, f->ok));
  double x0 = tl_timeline_time_to_x (timeline, 0);
  guint white = 0, white_after = 0;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = render (f, 1000);
  for (double x = x0 + 4; x < x0 + 140; x++)
    for (double y = top + 6; y < top + 18; y++)
      white += is_background (pixel (surface, x, y));
  g_assert_cmpuint (white, >, 30);
  /* Not over the rest of the bar. */
  for (double x = tl_timeline_time_to_x (timeline, 300000); x < tl_timeline_time_to_x (timeline, 390000); x++)
    for (double y = top + 6; y < top + 18; y++)
      white_after += is_background (pixel (surface, x, y));
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

  tl_timeline_get_visible_range (TL_TIMELINE (f->timeline), &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, >=, 1080000);
  g_assert_cmpint (end, <=, 1600000);
}

/* Before the first run: a hint in the middle, no made-up ruler. */
static void
test_empty_hint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "timeline-test", &error);
  TlTrace *trace = tl_trace_new (preset);
  TlTimelineModel *model = tl_timeline_model_new (trace);
  GtkWidget *timeline = g_object_ref_sink (tl_timeline_new ());
  cairo_surface_t *surface;
  guint dark = 0;

  tl_timeline_set_model (TL_TIMELINE (timeline), model);
  surface = render_widget (timeline, 1000);
  /* No ruler: no tick marks or labels across the top. */
  for (int x = 0; x < 1000; x += 3)
    for (int y = 2; y < 28; y += 2)
      g_assert_true (is_background (pixel (surface, x, y)));
  /* The hint's text, centred. */
  for (int x = 350; x < 650; x++)
    for (int y = 140; y < 180; y++)
      dark += pixel (surface, x, y).r < 150;
  g_assert_cmpuint (dark, >, 40);
  cairo_surface_destroy (surface);

  g_assert_finalize_object (timeline);
  g_assert_finalize_object (model);
  tl_trace_unref (trace);
}

/* Errors on lanes lead with the reason; the demo server's address goes. */
static void
test_error_text (void)
{
  g_autofree char *a = _tl_timeline_shorten_error ("http://127.0.0.1:36025/status/500: HTTP 500 Internal Server Error");
  g_autofree char *b = _tl_timeline_shorten_error ("http://127.0.0.1:1/: connection refused");
  g_autofree char *c = _tl_timeline_shorten_error ("https://example.org/a/b: timed out");
  g_autofree char *d = _tl_timeline_shorten_error ("ValueError: 2 is not allowed");

  g_assert_cmpstr (a, ==, "HTTP 500 Internal Server Error · /status/500");
  g_assert_cmpstr (b, ==, "connection refused · /");
  g_assert_cmpstr (c, ==, "timed out · example.org/a/b");
  g_assert_cmpstr (d, ==, "ValueError: 2 is not allowed");
}

/* While the loop is held, a sleeping task whose timer is due is drawn
 * blocked live, and a band crosses every lane for the stall. */
static void
test_live_overdue (Fixture       *f,
                   gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->timeline);
  cairo_surface_t *surface;
  double y = lane_center (f, f->inner);
  guint n_blocked = 0;

  tl_timeline_set_live (timeline, TRUE);
  tl_timeline_model_set_now (f->model, 1500000);
  tl_timeline_set_stall (timeline, 600000, f->bad);   /* held from 0.9 s to now, 1.5 s */
  g_assert_cmpint (tl_timeline_model_get_now (f->model), ==, 1500000);
  tl_timeline_set_visible_range (timeline, 0, 2000000);
  surface = render (f, 1000);
  /* inner sleeps 1 s from 0: overdue from 1.0 s. */
  /* (Red stripes or the pale red between them, under the stall band's
   * red tint: reddish.) */
  for (gint64 t = 1050000; t < 1450000; t += 20000)
    {
      Rgb c = pixel (surface, tl_timeline_time_to_x (timeline, t), y);

      n_blocked += c.r > 180 && c.r - c.g > 25;
    }
  g_assert_cmpuint (n_blocked, >=, 16);
  {
    Rgb c = pixel (surface, tl_timeline_time_to_x (timeline, 500000), y);

    g_assert_false (c.r - c.g > 25);
  }
  /* The stall band tints an empty lane (the first task's, over since
   * 400 ms) between 0.9 and 1.5 s, not before. */
  {
    Rgb in = pixel (surface, tl_timeline_time_to_x (timeline, 1200000), lane_center (f, f->ok));
    Rgb out = pixel (surface, tl_timeline_time_to_x (timeline, 700000), lane_center (f, f->ok));

    g_assert_cmpint (in.r - in.g, >, 8);
    g_assert_cmpint (ABS (out.r - out.g), <, 4);
  }
  cairo_surface_destroy (surface);
  tl_timeline_set_live (timeline, FALSE);
}

/* The names column keeps room for names on a narrow widget and can be
 * widened by the user; the legend wraps to its width. */
static void
test_names_column_and_legend (void)
{
  GtkWidget *timeline = g_object_ref_sink (tl_timeline_new ());
  GtkWidget *legend = g_object_ref_sink (tl_timeline_legend_new ());
  int min_w, nat_w, h_wide, h_narrow, dummy;

  g_assert_cmpfloat (_tl_timeline_label_width (TL_TIMELINE (timeline), 500), >=, 160);
  g_assert_cmpfloat (_tl_timeline_label_width (TL_TIMELINE (timeline), 1200), <=, 300);

  gtk_widget_measure (legend, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, &dummy, &dummy);
  g_assert_cmpint (nat_w, >, 400);
  g_assert_cmpint (min_w, <, nat_w);
  gtk_widget_measure (legend, GTK_ORIENTATION_VERTICAL, nat_w + 10, &h_wide, &dummy, &dummy, &dummy);
  gtk_widget_measure (legend, GTK_ORIENTATION_VERTICAL, 300, &h_narrow, &dummy, &dummy, &dummy);
  g_assert_cmpint (h_wide, >, 10);
  g_assert_cmpint (h_narrow, >=, 2 * h_wide);

  g_assert_finalize_object (legend);
  g_assert_finalize_object (timeline);
}

/* A failed child's error travels to the task that raised it again: an
 * arrow joins their ends (gather-error). */
static void
test_error_path (void)
{
  Run r;
  guint32 child, gather;
  cairo_surface_t *surface;
  double x, y0, y1;
  guint n_red = 0;

  run_builtin (&r, "gather-error");
  child = find_label (&r, "risky_task(2)");
  gather = tl_timeline_model_get_parent (r.model, child);
  g_assert_cmpint (tl_timeline_model_get_state (r.model, child), ==, TL_STATE_FAILED);
  g_assert_cmpint (tl_timeline_model_get_state (r.model, gather), ==, TL_STATE_FAILED);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, tl_timeline_model_get_end_us (r.model) * 5 / 4);
  surface = render_widget (r.timeline, 1000);
  /* The vertical part, left of the two ✗ between the two lanes. */
  x = tl_timeline_time_to_x (TL_TIMELINE (r.timeline),
                             MIN (tl_timeline_model_get_finished_us (r.model, child),
                                  tl_timeline_model_get_finished_us (r.model, gather))) - 10;
  y0 = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, gather)) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0;
  y1 = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, child)) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0;
  for (double y = y0 + 2; y < y1 - 2; y++)
    for (double dx = -1; dx <= 2; dx++)
      if (pixel (surface, x + dx, y).r > pixel (surface, x + dx, y).b + 60)
        {
          n_red++;
          break;
        }
  g_assert_cmpuint (n_red, >=, (guint) ((y1 - y0 - 4) * 0.8));
  cairo_surface_destroy (surface);
  run_clear (&r);
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
  ADD ("fit-margin", test_fit_margin, 0);
  ADD ("live-overdue", test_live_overdue, 1);
  g_test_add_func ("/timeline/widget/hatch-is-one-texture", test_hatch_is_one_texture);
  g_test_add_func ("/timeline/widget/never-started-ghost", test_never_started_ghost);
  g_test_add_func ("/timeline/widget/wait-done-and-pending", test_wait_done_and_pending);
  g_test_add_func ("/timeline/widget/empty-hint", test_empty_hint);
  g_test_add_func ("/timeline/widget/error-text", test_error_text);
  g_test_add_func ("/timeline/widget/names-column-and-legend", test_names_column_and_legend);
  g_test_add_func ("/timeline/widget/error-path", test_error_path);
  g_test_add_func ("/timeline/widget/draw-cost-bounded", test_draw_cost_bounded);

  return g_test_run ();
}
