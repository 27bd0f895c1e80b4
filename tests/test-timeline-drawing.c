/* test-timeline-drawing.c — what the timeline draws on gallery runs and
 * on large traces: ghosts, outlines and arrows, drawing cost, the hint
 * before any run, the names column and the legend
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-drawing"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "run/tl-runner.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-private.h"
#include "tl-test-timeline.h"

/* Gallery presets run on the virtual clock, as a learner would see them
 * after the run. */
static const TlRunnerOptions gallery_options = { TL_CLOCK_VIRTUAL, 2, 2, NULL };

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
  g_autoptr(TlPreset) preset = tl_test_timeline_load_preset ();
  TlTrace *trace = tl_trace_new (preset);
  TlTestTimeline tl = { 0, };
  GskRenderNode *node;
  TlTimelineView view;
  guint32 root, busy;
  guint n_colors;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  busy = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), 1, 0, TL_ON_LOOP, 0);
  for (guint i = 0; i < 100000; i++)
    tl_trace_set_state (trace, busy, i % 2 ? TL_STATE_RUNNING : TL_STATE_WAITING, 10 + i * 10);
  for (guint i = 0; i < 20000; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), i + 2, 0, TL_ON_LOOP, i * 50);

      tl_trace_set_state (trace, id, TL_STATE_WAITING, i * 50 + 1);
      tl_trace_set_state (trace, id, TL_STATE_OK, i * 50 + 400000);
    }
  tl_trace_complete (trace, 1500000);

  tl_test_timeline_show_trace (&tl, trace);
  tl_timeline_set_visible_range (TL_TIMELINE (tl.timeline), 0, 1000000);

  _tl_timeline_get_view (TL_TIMELINE (tl.timeline), &view);
  view.use_cache = FALSE;
  node = _tl_timeline_render (TL_TIMELINE (tl.timeline), &view);
  n_colors = count_nodes (node, GSK_COLOR_NODE);
  g_test_message ("%u colour nodes for %u lanes", n_colors, tl_timeline_model_get_n_lanes (tl.model));
  g_assert_cmpuint (n_colors, <, 400);
  /* Only the visible labels are laid out. */
  g_assert_cmpuint (count_nodes (node, GSK_TEXT_NODE), <, 100);

  gsk_render_node_unref (node);
  tl_test_timeline_clear (&tl);
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
  g_autoptr(TlPreset) preset = tl_test_timeline_load_preset ();
  TlTrace *trace = tl_trace_new (preset);
  TlTestTimeline tl = { 0, };
  TlTimelineView view;
  GskRenderNode *node, *tile = NULL, *tile2 = NULL;
  guint n_repeats = 0, n_repeats2 = 0;
  guint32 root;

  tl_trace_begin_section (trace, 0, 0, 0);
  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, tl_test_spec_of (trace, "main"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 0);
  for (guint i = 0; i < 20; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, tl_test_spec_of (trace, "first"), i + 1, 0, TL_ON_THREAD, 0);

      tl_trace_set_state (trace, id, TL_STATE_QUEUED, 0);
      tl_trace_set_state (trace, id, TL_STATE_RUNNING, 100000 + i * 20000);
      tl_trace_set_state (trace, id, TL_STATE_OK, 600000 + i * 20000);
    }
  tl_trace_set_state (trace, root, TL_STATE_OK, 1000000);
  tl_trace_end_section (trace, 0, 1000000);
  tl_trace_complete (trace, 1000000);

  tl_test_timeline_show_trace (&tl, trace);
  tl_timeline_set_visible_range (TL_TIMELINE (tl.timeline), 0, 1000000);
  _tl_timeline_get_view (TL_TIMELINE (tl.timeline), &view);

  node = _tl_timeline_render (TL_TIMELINE (tl.timeline), &view);
  g_assert_true (repeats_are_textures (node, &n_repeats, &tile));
  /* One per hatched bar: the 20 queued spans. */
  g_assert_cmpuint (n_repeats, >=, 20);
  g_assert_cmpuint (n_repeats, <=, 21);
  gsk_render_node_unref (node);

  /* The next frame, panned, repeats the very same tile node. */
  view.t0 += view.us_per_px;
  node = _tl_timeline_render (TL_TIMELINE (tl.timeline), &view);
  g_assert_true (repeats_are_textures (node, &n_repeats2, &tile2));
  g_assert_true (tile == tile2);
  gsk_render_node_unref (node);

  tl_test_timeline_clear (&tl);
}

/* never-awaited: the task that never started has a dashed, empty ghost
 * across its section, not the cancelled mark. */
static void
test_never_started_ghost (void)
{
  TlTestTimeline r = { 0, };
  guint32 ghost, awaited;
  cairo_surface_t *surface;
  double top;
  gint64 s0 = -1, s1 = -1;

  tl_test_timeline_run_builtin (&r, "never-awaited", &gallery_options);
  ghost = tl_test_find_label (r.trace, "save_log()");
  awaited = tl_test_find_label (r.trace, "await fetch_data()");
  g_assert_cmpint (tl_timeline_model_get_state (r.model, ghost), ==, TL_STATE_NEVER_STARTED);
  g_assert_true (tl_timeline_model_get_section_span (r.model, ghost, &s0, &s1));
  g_assert_cmpint (s1, >, s0);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, s1 + s1 / 5);
  surface = tl_test_timeline_render (r.timeline, 1000);
  top = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, ghost)) + 4;
  /* The dashed top edge: about half the pixels inked, across the whole
   * section (beyond the "never started" text). */
  g_assert_cmpfloat (tl_test_ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), >, 0.3);
  g_assert_cmpfloat (tl_test_ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), <, 0.7);
  /* A task that ran has no such outline above its bar. */
  top = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, awaited)) + 4;
  g_assert_cmpfloat (tl_test_ink_ratio (surface, r.timeline, s0 + (s1 - s0) / 2, s1 - (s1 - s0) / 20, top), <, 0.05);
  cairo_surface_destroy (surface);
  tl_test_timeline_clear (&r);
}

/* wait-timeout: at the wait's return, the children still running are
 * outlined as pending; the done ones are not; the deadline is labelled. */
static void
test_wait_done_and_pending (void)
{
  TlTestTimeline r = { 0, };
  guint32 wait, done, pending;
  gint64 ret;
  cairo_surface_t *surface;
  double y_done, y_pending, x_ret;
  guint n_orange_pending = 0, n_orange_done = 0, n_label = 0;

  tl_test_timeline_run_builtin (&r, "wait-timeout", &gallery_options);
  wait = tl_test_find_label (r.trace, "asyncio.wait(tasks, timeout=1.2)");
  done = tl_test_find_label (r.trace, "fetch_user(1)");
  pending = tl_test_find_label (r.trace, "fetch_user(4)");
  ret = tl_timeline_model_get_finished_us (r.model, wait);
  g_assert_cmpint (ret, >, 0);
  g_assert_cmpint (tl_timeline_model_get_finished_us (r.model, pending), >, ret);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, tl_timeline_model_get_end_us (r.model));
  surface = tl_test_timeline_render (r.timeline, 1000);
  x_ret = tl_timeline_time_to_x (TL_TIMELINE (r.timeline), ret);
  y_done = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, done));
  y_pending = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, pending));
  /* The dashed orange outline after the return, along the lane's top. */
  for (double x = x_ret + 60; x < x_ret + 200; x++)
    {
      n_orange_pending += tl_test_rgb_near (tl_test_pixel (surface, x, y_pending + 3), TL_TEST_DEADLINE, 40);
      n_orange_done += tl_test_rgb_near (tl_test_pixel (surface, x, y_done + 3), TL_TEST_DEADLINE, 40);
    }
  g_assert_cmpuint (n_orange_pending, >, 40);
  g_assert_cmpuint (n_orange_done, ==, 0);
  /* "pending" is written on its waiting bar, which stays visible under
   * it (no plate hides the waiting it goes on doing). */
  {
    guint n_bar = 0, n = 0;

    for (double x = x_ret + 6; x < x_ret + 50; x++)
      for (double y = y_pending + 9; y < y_pending + 16; y++, n++)
        n_bar += tl_test_rgb_near (tl_test_pixel (surface, x, y), 0x99c1f1, 12);
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
        n_bar += tl_test_rgb_near (tl_test_pixel (surface, x, y_wait + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0), 0x99c1f1, 12);
        for (double y = y_wait + 6; y < y_wait + 18; y++)
          n_label += tl_test_rgb_near (tl_test_pixel (surface, x, y), TL_TEST_DEADLINE, 60);
      }
    g_assert_cmpuint (n_bar, ==, n_columns);
    g_assert_cmpuint (n_label, ==, 0);
  }
  cairo_surface_destroy (surface);
  tl_test_timeline_clear (&r);
}

/* Before the first run: a hint in the middle, no made-up ruler. */
static void
test_empty_hint (void)
{
  g_autoptr(TlPreset) preset = tl_test_timeline_load_preset ();
  TlTrace *trace = tl_trace_new (preset);
  TlTestTimeline tl = { 0, };
  cairo_surface_t *surface;
  guint dark = 0;

  tl_test_timeline_show_trace (&tl, trace);
  surface = tl_test_timeline_render (tl.timeline, 1000);
  /* No ruler: no tick marks or labels across the top. */
  for (int x = 0; x < 1000; x += 3)
    for (int y = 2; y < 28; y += 2)
      g_assert_true (tl_test_rgb_is_background (tl_test_pixel (surface, x, y)));
  /* The hint's text, centred. */
  for (int x = 350; x < 650; x++)
    for (int y = 140; y < 180; y++)
      dark += tl_test_pixel (surface, x, y).r < 150;
  g_assert_cmpuint (dark, >, 40);
  cairo_surface_destroy (surface);

  tl_test_timeline_clear (&tl);
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
  TlTestTimeline r = { 0, };
  guint32 child, gather;
  cairo_surface_t *surface;
  double x, y0, y1;
  guint n_red = 0;

  tl_test_timeline_run_builtin (&r, "gather-error", &gallery_options);
  child = tl_test_find_label (r.trace, "risky_task(2)");
  gather = tl_timeline_model_get_parent (r.model, child);
  g_assert_cmpint (tl_timeline_model_get_state (r.model, child), ==, TL_STATE_FAILED);
  g_assert_cmpint (tl_timeline_model_get_state (r.model, gather), ==, TL_STATE_FAILED);

  tl_timeline_set_visible_range (TL_TIMELINE (r.timeline), 0, tl_timeline_model_get_end_us (r.model) * 5 / 4);
  surface = tl_test_timeline_render (r.timeline, 1000);
  /* The vertical part, left of the two ✗ between the two lanes. */
  x = tl_timeline_time_to_x (TL_TIMELINE (r.timeline),
                             MIN (tl_timeline_model_get_finished_us (r.model, child),
                                  tl_timeline_model_get_finished_us (r.model, gather))) - 10;
  y0 = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, gather)) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0;
  y1 = tl_timeline_lane_to_y (TL_TIMELINE (r.timeline), tl_timeline_model_find_lane (r.model, child)) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0;
  for (double y = y0 + 2; y < y1 - 2; y++)
    for (double dx = -1; dx <= 2; dx++)
      if (tl_test_pixel (surface, x + dx, y).r > tl_test_pixel (surface, x + dx, y).b + 60)
        {
          n_red++;
          break;
        }
  g_assert_cmpuint (n_red, >=, (guint) ((y1 - y0 - 4) * 0.8));
  cairo_surface_destroy (surface);
  tl_test_timeline_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

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
