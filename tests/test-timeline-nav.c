/* test-timeline-nav.c — finding one's way in a long run: pinned section
 * and parent names, await arrows, and summary headers that read at the
 * instant being looked at
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-nav"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "run/tl-runner.h"
#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-private.h"
#include "timeline/layers/tl-awaits-layer.h"
#include "timeline/layers/tl-timeline-layer.h"
#include "tl-test-timeline.h"
#include "tl-test-util.h"

/* Two sections, each a gather of three groups of twenty sleeps: about
 * 130 lanes, three levels deep. */
static const char tall_preset[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=tall\n"
  "Run=first;second\n"
  "\n"
  "[Task first]\n"
  "Kind=gather\n"
  "Label=first()\n"
  "Children=group-a;group-b;group-c\n"
  "\n"
  "[Task second]\n"
  "Kind=gather\n"
  "Label=second()\n"
  "Children=group-a;group-b;group-c\n"
  "\n"
  "[Task group-a]\n"
  "Kind=gather\n"
  "Label=group_a()\n"
  "Children=nap-a\n"
  "\n"
  "[Task group-b]\n"
  "Kind=gather\n"
  "Label=group_b()\n"
  "Children=nap-b\n"
  "\n"
  "[Task group-c]\n"
  "Kind=gather\n"
  "Label=group_c()\n"
  "Children=nap-c\n"
  "\n"
  "[Task nap-a]\n"
  "Kind=sleep\n"
  "Label=nap_a({i})\n"
  "Duration=100ms\n"
  "Repeat=20\n"
  "\n"
  "[Task nap-b]\n"
  "Kind=sleep\n"
  "Label=nap_b({i})\n"
  "Duration=200ms\n"
  "Repeat=20\n"
  "\n"
  "[Task nap-c]\n"
  "Kind=sleep\n"
  "Label=nap_c({i})\n"
  "Duration=300ms\n"
  "Repeat=20\n";

/* Draws @view the way the screen does, so the frame's text boxes are
 * those of that picture. */
static void
draw_view (TlTimeline           *timeline,
           const TlTimelineView *view)
{
  GskRenderNode *node = _tl_timeline_render (timeline, view);

  g_assert_nonnull (node);
  gsk_render_node_unref (node);
}

/* --- pinned names --- */

/* The instance of task @name, copy @copy, in section @section. */
static guint32
instance_in_section (TlTrace    *trace,
                     const char *name,
                     guint       copy,
                     guint       section)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    {
      const TlInstance *inst = tl_trace_get_instance (trace, i);

      if (g_str_equal (preset->tasks[inst->spec].name, name) && inst->copy == copy && inst->section == section)
        return i;
    }
  g_error ("no instance %s#%u in section %u", name, copy, section);
  return TL_NO_INSTANCE;
}

/* The header lane of @lane's section, looked for by walking up the lanes. */
static int
section_lane_above (TlTimelineModel *model,
                    guint            lane)
{
  for (int l = (int) lane; l >= (int) tl_timeline_model_get_n_summary_lanes (model); l--)
    if (tl_timeline_model_get_lane_kind (model, l) == TL_LANE_SECTION)
      return l;
  return -1;
}

static void
test_pinned_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (tall_preset, -1, "tall", &error);
  TlTestTimeline run = { 0, };
  TlTimelineView view;
  guint n_lanes, n_summary, pinned[TL_TIMELINE_MAX_PINNED], n_pinned;
  guint middle, below;
  double top, pinned_bottom;
  const graphene_rect_t *boxes;
  guint n_boxes, in_pinned = 0;
  g_autofree char *section_label = NULL, *parent_label = NULL;
  guint32 below_inst;
  int section;

  g_assert_no_error (error);
  tl_test_timeline_run (&run, preset, NULL);
  n_lanes = tl_timeline_model_get_n_lanes (run.model);
  n_summary = tl_timeline_model_get_n_summary_lanes (run.model);
  g_assert_cmpuint (n_lanes - n_summary, >, 120);

  _tl_timeline_get_view (TL_TIMELINE (run.timeline), &view);
  view.height = 480;
  top = task_area_top (TL_TIMELINE (run.timeline));

  /* At the top nothing is pinned. */
  view.v = 0;
  g_assert_cmpuint (_tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned), ==, 0);

  /* Scrolled to the middle of the first section's second group, a few
   * px into a lane. */
  middle = (guint) tl_timeline_model_find_lane (run.model, tl_test_get_instance (run.trace, "nap-b", 10));
  view.v = (middle - n_summary) * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT + 7;
  n_pinned = _tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned);
  g_assert_cmpuint (n_pinned, ==, 2);
  pinned_bottom = top + n_pinned * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT;

  /* The names are those of the lane just below the pinned rows: its
   * section, then its parent. */
  below = n_summary + (guint) ((view.v + n_pinned * TL_TIMELINE_DEFAULT_LANE_HEIGHT) / TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  below_inst = tl_timeline_model_get_lane_instance (run.model, below);
  section = section_lane_above (run.model, below);
  g_assert_cmpint (section, >=, 0);
  g_assert_cmpuint (pinned[0], ==, (guint) section);
  g_assert_cmpuint (pinned[1], ==, (guint) tl_timeline_model_find_lane (run.model, tl_timeline_model_get_parent (run.model, below_inst)));
  section_label = tl_timeline_model_dup_lane_label (run.model, pinned[0]);
  parent_label = tl_timeline_model_dup_lane_label (run.model, pinned[1]);
  g_test_message ("pinned: %s / %s", section_label, parent_label);
  g_assert_cmpstr (section_label, ==, "Section 1: first()");
  g_assert_cmpstr (parent_label, ==, "group_b()");

  /* Drawn: in the names column, the pinned rows hold exactly their two
   * names, each in its row, and no lane's name reaches under them. */
  draw_view (TL_TIMELINE (run.timeline), &view);
  boxes = _tl_timeline_get_text_boxes (TL_TIMELINE (run.timeline), &n_boxes);
  for (guint i = 0; i < n_boxes; i++)
    {
      const graphene_rect_t *r = &boxes[i];

      /* A name below may reach a few px up into the shadow's edge, where
       * nothing is drawn (the clip); more would collide. */
      if (r->origin.x >= view.label_w || r->origin.y + r->size.height <= top + 1 || r->origin.y >= pinned_bottom - 4)
        continue;
      g_assert_cmpfloat (r->origin.y, >=, top + in_pinned * TL_TIMELINE_DEFAULT_LANE_HEIGHT - 1);
      g_assert_cmpfloat (r->origin.y + r->size.height, <=, top + (in_pinned + 1) * TL_TIMELINE_DEFAULT_LANE_HEIGHT + 1);
      in_pinned++;
    }
  g_assert_cmpuint (in_pinned, ==, n_pinned);

  /* The lane 7 px under the pinned rows is named in the part of it still
   * in view, below them. */
  {
    guint named = 0;

    for (guint i = 0; i < n_boxes; i++)
      if (boxes[i].origin.x < view.label_w && boxes[i].origin.y >= pinned_bottom - 1 &&
          boxes[i].origin.y + boxes[i].size.height <= pinned_bottom + TL_TIMELINE_DEFAULT_LANE_HEIGHT - 7 + 1)
        named++;
    g_assert_cmpuint (named, ==, 1);
  }

  /* The second section's own header, scrolled a few px under the summary
   * lanes, is pinned whole rather than shown as a cut sliver; at its top
   * edge exactly, nothing is. */
  section = section_lane_above (run.model, (guint) tl_timeline_model_find_lane (run.model,
                                instance_in_section (run.trace, "nap-c", 1, 1)));
  g_assert_cmpint (section, >=, 0);
  view.v = (section - (int) n_summary) * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT + 7;
  n_pinned = _tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned);
  g_assert_cmpuint (n_pinned, ==, 1);
  g_assert_cmpuint (pinned[0], ==, (guint) section);
  view.v = (section - (int) n_summary) * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT;
  g_assert_cmpuint (_tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned), ==, 0);

  /* In the second section the section row says so. */
  middle = (guint) tl_timeline_model_find_lane (run.model, instance_in_section (run.trace, "nap-c", 15, 1));
  view.v = (middle - n_summary) * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT;
  n_pinned = _tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned);
  g_assert_cmpuint (n_pinned, ==, 2);
  g_clear_pointer (&section_label, g_free);
  g_clear_pointer (&parent_label, g_free);
  section_label = tl_timeline_model_dup_lane_label (run.model, pinned[0]);
  parent_label = tl_timeline_model_dup_lane_label (run.model, pinned[1]);
  g_assert_cmpstr (section_label, ==, "Section 2: second()");
  g_assert_cmpstr (parent_label, ==, "group_c()");

  /* Just under a section's header only the section is pinned: the
   * root's lane is what the section row names. */
  view.v = (section_lane_above (run.model, middle) + 1 - n_summary) * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT;
  n_pinned = _tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned);
  g_assert_cmpuint (n_pinned, ==, 1);
  g_assert_cmpuint (tl_timeline_model_get_lane_kind (run.model, pinned[0]), ==, TL_LANE_SECTION);

  tl_test_timeline_clear (&run);
}

/* @view drawn into an image, as the screen would show it. */
static cairo_surface_t *
draw_view_image (TlTimeline           *timeline,
                 const TlTimelineView *view)
{
  GskRenderNode *node = _tl_timeline_render (timeline, view);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view->width, view->height);
  cairo_t *cr = cairo_create (surface);

  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  cairo_surface_flush (surface);
  return surface;
}

/* Of the plot's columns, how many have the same colour in row @y_a of
 * @a as in row @y_b of @b. */
static int
same_columns (cairo_surface_t *a,
              int              y_a,
              cairo_surface_t *b,
              int              y_b,
              int              x0,
              int              x1)
{
  const guint8 *da = cairo_image_surface_get_data (a) + y_a * cairo_image_surface_get_stride (a);
  const guint8 *db = cairo_image_surface_get_data (b) + y_b * cairo_image_surface_get_stride (b);
  int same = 0;

  for (int x = x0; x < x1; x++)
    if (memcmp (da + x * 4, db + x * 4, 4) == 0)
      same++;
  return same;
}

/* A pinned name's row shows its own lane's marks across the plot, not
 * those of the lane scrolled under it, and the pointer there finds it. */
static void
test_pinned_rows_show_their_lane (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (tall_preset, -1, "tall", &error);
  TlTestTimeline run = { 0, };
  TlTimeline *timeline;
  TlTimelineView pinned_view, plain_view;
  guint n_summary, pinned[TL_TIMELINE_MAX_PINNED];
  int group, covered, row_y, plain_y, x0, same, same_covered;
  double top, lane_h = TL_TIMELINE_DEFAULT_LANE_HEIGHT;
  cairo_surface_t *pinned_image, *plain_image, *covered_image;

  g_assert_no_error (error);
  tl_test_timeline_run (&run, preset, NULL);
  timeline = TL_TIMELINE (run.timeline);
  n_summary = tl_timeline_model_get_n_summary_lanes (run.model);
  top = task_area_top (timeline);
  group = tl_timeline_model_find_lane (run.model, tl_timeline_model_get_parent (run.model,
                                       tl_test_get_instance (run.trace, "nap-b", 10)));

  /* Scrolled into group_b's children: its name is pinned in the second
   * row, over nap_b(9) or so. */
  _tl_timeline_get_view (timeline, &pinned_view);
  pinned_view.height = 480;
  pinned_view.v = (group + 10 - (int) n_summary) * lane_h;
  g_assert_cmpuint (_tl_timeline_get_pinned (timeline, &pinned_view, pinned), ==, 2);
  g_assert_cmpuint (pinned[1], ==, (guint) group);
  row_y = (int) (top + 1.5 * lane_h);
  covered = (int) n_summary + (int) ((pinned_view.v + 1.5 * lane_h) / lane_h);
  g_assert_cmpint (tl_timeline_model_get_lane_kind (run.model, covered), ==, TL_LANE_TASK);
  g_assert_cmpuint (tl_timeline_model_get_parent (run.model, tl_timeline_model_get_lane_instance (run.model, covered)),
                    ==, tl_timeline_model_get_lane_instance (run.model, group));

  /* The pointer over the pinned row finds group_b, across the plot too. */
  g_assert_cmpint (_tl_timeline_layer_task_lane_at (timeline, &pinned_view, row_y), ==, group);
  g_assert_cmpint (_tl_timeline_layer_task_lane_at (timeline, &pinned_view, top + 2.5 * lane_h), ==, covered + 1);

  /* Its row looks as group_b's own lane does where nothing is pinned
   * over it (three lanes below the top), and not as the covered lane. */
  plain_view = pinned_view;
  plain_view.v = (group - 3 - (int) n_summary) * lane_h;
  plain_y = (int) (top + 3.5 * lane_h);
  g_assert_cmpint (_tl_timeline_layer_task_lane_at (timeline, &plain_view, plain_y), ==, group);
  pinned_image = draw_view_image (timeline, &pinned_view);
  plain_image = draw_view_image (timeline, &plain_view);
  x0 = (int) pinned_view.label_w + 1;
  same = same_columns (pinned_image, row_y, plain_image, plain_y, x0, pinned_view.width);
  plain_view.v = (covered - 3 - (int) n_summary) * lane_h;
  covered_image = draw_view_image (timeline, &plain_view);
  same_covered = same_columns (pinned_image, row_y, covered_image, plain_y, x0, pinned_view.width);
  g_test_message ("pinned row: %d of %d columns as group_b's lane, %d as the covered lane's",
                  same, pinned_view.width - x0, same_covered);
  g_assert_cmpint (same, >=, (pinned_view.width - x0) * 95 / 100);
  g_assert_cmpint (same_covered, <, same);

  cairo_surface_destroy (pinned_image);
  cairo_surface_destroy (plain_image);
  cairo_surface_destroy (covered_image);
  tl_test_timeline_clear (&run);
}

/* Selecting a lane above the view scrolls it to just under the pinned
 * rows, not under them. */
static void
test_pinned_selection_in_view (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (tall_preset, -1, "tall", &error);
  TlTestTimeline run = { 0, };
  TlTrace *trace;
  TlTimelineView view;
  guint pinned[TL_TIMELINE_MAX_PINNED], n_pinned;
  guint32 target;
  double y;

  g_assert_no_error (error);
  tl_test_timeline_run (&run, preset, NULL);
  trace = run.trace;

  tl_timeline_set_selected_task (TL_TIMELINE (run.timeline), tl_test_get_instance (trace, "nap-c", 15));
  target = tl_test_get_instance (trace, "nap-b", 5);
  tl_timeline_set_selected_task (TL_TIMELINE (run.timeline), target);
  _tl_timeline_get_view (TL_TIMELINE (run.timeline), &view);
  n_pinned = _tl_timeline_get_pinned (TL_TIMELINE (run.timeline), &view, pinned);
  y = tl_timeline_lane_to_y (TL_TIMELINE (run.timeline), tl_timeline_model_find_lane (run.model, target));
  g_test_message ("v %.0f, %u pinned, lane at %.0f", view.v, n_pinned, y);
  g_assert_cmpuint (n_pinned, >, 0);
  g_assert_cmpfloat (y, >=, task_area_top (TL_TIMELINE (run.timeline)) + n_pinned * (double) TL_TIMELINE_DEFAULT_LANE_HEIGHT - 0.5);

  tl_test_timeline_clear (&run);
}

/* --- await arrows --- */

static gboolean
is_background (const guint8 *px)
{
  return px[0] >= 215 && px[1] >= 215 && px[2] >= 215;
}

static void
test_await_arrows (void)
{
  TlTestTimeline run = { 0, };
  TlTrace *trace;
  TlTimelineView view;
  TlAwaitArrow arrows[8];
  const TlAwait *awaits;
  guint n_awaits, n_arrows, found = 0;
  struct { const char *awaited, *awaiter; } expected[] = {
    { "user-1", "await-1" },
    { "user-2", "await-2" },
  };

  tl_test_timeline_run_builtin (&run, "create-task", NULL);
  trace = run.trace;
  awaits = tl_timeline_model_get_awaits (run.model, &n_awaits);
  g_assert_cmpuint (n_awaits, ==, 2);

  tl_timeline_set_visible_range (TL_TIMELINE (run.timeline), 0, 1200000);
  _tl_timeline_get_view (TL_TIMELINE (run.timeline), &view);
  n_arrows = _tl_awaits_layer_collect (TL_TIMELINE (run.timeline), &view, arrows, G_N_ELEMENTS (arrows));
  g_assert_cmpuint (n_arrows, ==, 2);

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      guint32 awaited = tl_test_get_instance (trace, expected[e].awaited, 1);
      guint32 awaiter = tl_test_get_instance (trace, expected[e].awaiter, 1);

      for (guint i = 0; i < n_arrows; i++)
        {
          const TlAwaitArrow *a = &arrows[i];
          int lf, lt;
          gint64 resumed = -1;

          if (a->awaited != awaited)
            continue;
          g_assert_cmpuint (a->awaiter, ==, awaiter);
          for (guint k = 0; k < n_awaits; k++)
            if (awaits[k].awaited == awaited)
              resumed = awaits[k].time_us;
          /* From the awaited task's end on its lane to the instant the
           * awaiter resumed on its own. */
          lf = tl_timeline_model_find_lane (run.model, awaited);
          lt = tl_timeline_model_find_lane (run.model, awaiter);
          g_assert_cmpfloat_with_epsilon (a->y1, tl_timeline_lane_to_y (TL_TIMELINE (run.timeline), lf) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0, 0.01);
          g_assert_cmpfloat_with_epsilon (a->y2, tl_timeline_lane_to_y (TL_TIMELINE (run.timeline), lt) + TL_TIMELINE_DEFAULT_LANE_HEIGHT / 2.0, 0.01);
          g_assert_cmpfloat_with_epsilon (a->x1, tl_timeline_time_to_x (TL_TIMELINE (run.timeline), tl_timeline_model_get_finished_us (run.model, awaited)), 0.5);
          g_assert_cmpfloat_with_epsilon (a->x2, tl_timeline_time_to_x (TL_TIMELINE (run.timeline), resumed), 0.5);
          g_assert_cmpint (resumed, >=, tl_timeline_model_get_finished_us (run.model, awaited));
          g_assert_cmpint (resumed, ==, tl_timeline_model_get_finished_us (run.model, awaiter));
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 2);

  /* Drawn: task2 ended at 800 ms, its await resumed at 1 s; the arrow
   * runs along await-2's lane between them, where nothing else is. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("tl-nav-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "view.png", NULL);
    cairo_surface_t *surface;
    const TlAwaitArrow *a = arrows[0].awaited == tl_test_get_instance (trace, "user-2", 1) ? &arrows[0] : &arrows[1];
    int y = (int) a->y2, marked = 0, columns = 0;
    const guint8 *data;
    int stride;

    g_assert_true (tl_timeline_export_image (TL_TIMELINE (run.timeline), path, FALSE, view.width, FALSE, &error));
    g_assert_no_error (error);
    surface = cairo_image_surface_create_from_png (path);
    data = cairo_image_surface_get_data (surface);
    stride = cairo_image_surface_get_stride (surface);
    g_assert_cmpfloat (a->x2 - a->x1, >, 20);
    for (int x = (int) a->x1 + 2; x < (int) a->x2 - 6; x++)
      {
        columns++;
        if (!is_background (data + y * stride + x * 4))
          marked++;
      }
    g_test_message ("%d of %d columns marked along await-2's lane", marked, columns);
    g_assert_cmpint (marked, >=, columns / 2);
    cairo_surface_destroy (surface);
    g_unlink (path);
    g_rmdir (dir);
  }

  tl_test_timeline_clear (&run);

  /* A failed task's error reaching its await is the red error path's:
   * the model knows the await, no dashed arrow doubles the path. */
  tl_test_timeline_run_builtin (&run, "task-exception", NULL);
  tl_timeline_model_get_awaits (run.model, &n_awaits);
  g_assert_cmpuint (n_awaits, ==, 1);
  _tl_timeline_get_view (TL_TIMELINE (run.timeline), &view);
  g_assert_cmpuint (_tl_awaits_layer_collect (TL_TIMELINE (run.timeline), &view, arrows, G_N_ELEMENTS (arrows)), ==, 0);
  tl_test_timeline_clear (&run);

  /* A gather awaits its own children: the bracket says so, no arrow. */
  tl_test_timeline_run_builtin (&run, "await-basics", NULL);
  tl_timeline_model_get_awaits (run.model, &n_awaits);
  g_assert_cmpuint (n_awaits, ==, 0);
  _tl_timeline_get_view (TL_TIMELINE (run.timeline), &view);
  g_assert_cmpuint (_tl_awaits_layer_collect (TL_TIMELINE (run.timeline), &view, arrows, G_N_ELEMENTS (arrows)), ==, 0);
  tl_test_timeline_clear (&run);
}

/* In a Python program the task main() made with create_task is main()'s
 * child: awaiting it still draws the arrow, while the children a gather
 * awaits do not. */
static void
test_await_arrows_program (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (tall_preset, -1, "program", &error);
  TlTrace *t;
  TlTimelineModel *model;
  const TlAwait *awaits;
  guint32 main_task, worker, group, child;
  guint n_awaits;

  g_assert_no_error (error);
  t = tl_trace_new_open (preset);
  tl_trace_begin_section (t, 0, 0, 0);
  main_task = tl_trace_add_open_instance (t, TL_NO_INSTANCE, 0, TL_KIND_SEQUENCE, TL_ON_LOOP, "main", "main()", 10, 0);
  tl_trace_set_state (t, main_task, TL_STATE_RUNNING, 0);
  worker = tl_trace_add_open_instance (t, main_task, 0, TL_KIND_SEQUENCE, TL_ON_LOOP, "work", "work()", 3, 0);
  tl_trace_add_event (t, 0, TL_EVENT_SPAWNED, main_task, 0, 0, worker);
  group = tl_trace_add_open_instance (t, main_task, 0, TL_KIND_GATHER, TL_ON_LOOP, "gather", "gather()", 11, 0);
  child = tl_trace_add_open_instance (t, group, 0, TL_KIND_SLEEP, TL_ON_LOOP, "nap", "nap()", 5, 0);
  tl_trace_set_state (t, worker, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, child, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, main_task, TL_STATE_WAITING, 1000);
  tl_trace_set_state (t, child, TL_STATE_OK, 200000);
  tl_trace_add_event (t, 200000, TL_EVENT_RESULT_TAKEN, child, 0, 0, group);
  tl_trace_set_state (t, group, TL_STATE_OK, 200000);
  tl_trace_add_event (t, 200000, TL_EVENT_RESULT_TAKEN, group, 0, 0, main_task);
  tl_trace_set_state (t, worker, TL_STATE_OK, 300000);
  tl_trace_add_event (t, 300000, TL_EVENT_RESULT_TAKEN, worker, 0, 0, main_task);
  tl_trace_set_state (t, main_task, TL_STATE_OK, 300000);
  tl_trace_end_section (t, 0, 300000);
  tl_trace_complete (t, 300000);

  model = tl_timeline_model_new (t);
  tl_timeline_model_update (model);
  awaits = tl_timeline_model_get_awaits (model, &n_awaits);
  g_assert_cmpuint (n_awaits, ==, 1);
  g_assert_cmpuint (awaits[0].awaited, ==, worker);
  g_assert_cmpuint (awaits[0].awaiter, ==, main_task);
  g_assert_cmpint (awaits[0].time_us, ==, 300000);

  g_assert_finalize_object (model);
  tl_trace_unref (t);
}

/* --- search --- */

/* Ten thousand sleeps: matches come in lane order, every group searched;
 * stepping selects, wraps and opens a collapsed group. */
static void
test_search_model (void)
{
  TlTestTimeline run = { 0, };
  TlTrace *trace;
  guint32 root;
  gint64 start;
  double ms;

  tl_test_timeline_run_builtin (&run, "many-sleeps", NULL);
  trace = run.trace;
  root = tl_test_get_instance (trace, "main", 1);

  start = g_get_monotonic_time ();
  tl_timeline_set_search (TL_TIMELINE (run.timeline), "SLEEP(99");
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("searched %u tasks in %.1f ms", tl_timeline_model_get_n_instances (run.model), ms);
  /* sleep(99), sleep(990)…sleep(999), sleep(9900)…sleep(9999); and the
   * root's label, "…asyncio.sleep(1)…", does not hold "sleep(99". */
  g_assert_cmpuint (tl_timeline_get_n_matches (TL_TIMELINE (run.timeline)), ==, 1 + 10 + 100);
  g_assert_cmpint (tl_timeline_get_current_match (TL_TIMELINE (run.timeline)), ==, -1);

  /* Collapsed, its children are still found, and stepping opens it. */
  tl_timeline_model_set_collapsed (run.model, root, TRUE);
  g_assert_cmpint (tl_timeline_model_find_lane (run.model, tl_test_get_instance (trace, "nap", 99)), ==, -1);
  g_assert_true (tl_timeline_step_match (TL_TIMELINE (run.timeline), TRUE));
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (run.timeline)), ==, tl_test_get_instance (trace, "nap", 99));
  g_assert_false (tl_timeline_model_get_collapsed (run.model, root));
  g_assert_true (tl_timeline_step_match (TL_TIMELINE (run.timeline), TRUE));
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (run.timeline)), ==, tl_test_get_instance (trace, "nap", 990));
  /* Back past the first: the last. */
  g_assert_true (tl_timeline_step_match (TL_TIMELINE (run.timeline), FALSE));
  g_assert_true (tl_timeline_step_match (TL_TIMELINE (run.timeline), FALSE));
  g_assert_cmpint (tl_timeline_get_current_match (TL_TIMELINE (run.timeline)), ==, 110);
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (run.timeline)), ==, tl_test_get_instance (trace, "nap", 9999));

  /* The label matches whatever the case; the task's name too. */
  tl_timeline_set_search (TL_TIMELINE (run.timeline), "ASYNCIO.gather");
  g_assert_cmpuint (tl_timeline_get_n_matches (TL_TIMELINE (run.timeline)), ==, 1);
  tl_timeline_set_search (TL_TIMELINE (run.timeline), "nap");
  g_assert_cmpuint (tl_timeline_get_n_matches (TL_TIMELINE (run.timeline)), ==, 10000);

  /* Nothing: no step. */
  tl_timeline_set_search (TL_TIMELINE (run.timeline), "");
  g_assert_cmpuint (tl_timeline_get_n_matches (TL_TIMELINE (run.timeline)), ==, 0);
  g_assert_false (tl_timeline_step_match (TL_TIMELINE (run.timeline), TRUE));

  tl_test_timeline_clear (&run);
}

/* --- summary headers --- */

static void
test_lane_figures (void)
{
  TlTestTimeline run = { 0, };
  guint n_summary, checked = 0;
  gint64 end_us;

  tl_test_timeline_run_builtin (&run, "executor-threads", NULL);
  n_summary = tl_timeline_model_get_n_summary_lanes (run.model);
  end_us = tl_timeline_model_get_end_us (run.model);

  /* After a run, nothing looked at: the peaks, said to be peaks. */
  for (guint lane = 0; lane < n_summary; lane++)
    {
      TlLaneKind kind = tl_timeline_model_get_lane_kind (run.model, lane);
      g_autofree char *figures = _tl_timeline_dup_lane_figures (TL_TIMELINE (run.timeline), lane, -1, TRUE);

      if (kind == TL_LANE_THREADS || kind == TL_LANE_CONCURRENCY)
        g_assert_true (g_str_has_prefix (figures, "peaks: "));
    }

  /* At the replay cursor, then at the pointer (which wins while it is
   * over the plot): the values the model gives at that instant. */
  for (guint pass = 0; pass < 2; pass++)
    {
      gint64 t = pass == 0 ? end_us / 4 : end_us / 2;

      if (pass == 0)
        tl_timeline_set_cursor (TL_TIMELINE (run.timeline), t);
      else
        _tl_timeline_set_hover_time (TL_TIMELINE (run.timeline), t);
      g_assert_cmpint (_tl_timeline_figures_time (TL_TIMELINE (run.timeline), TRUE), ==, t);

      for (guint lane = 0; lane < n_summary; lane++)
        {
          TlLaneKind kind = tl_timeline_model_get_lane_kind (run.model, lane);
          g_autofree char *figures = _tl_timeline_dup_lane_figures (TL_TIMELINE (run.timeline), lane, -1, TRUE);
          g_autofree char *at = tl_time_format (t);
          g_autofree char *expected = NULL;
          gint32 a = 0, b = 0;

          if (kind == TL_LANE_CONCURRENCY)
            {
              /* The same instant, counted from the tasks' own states. */
              a = (gint32) tl_timeline_model_count_state_at (run.model, TL_STATE_RUNNING, t);
              b = (gint32) (tl_timeline_model_count_state_at (run.model, TL_STATE_WAITING, t) +
                            tl_timeline_model_count_state_at (run.model, TL_STATE_QUEUED, t) +
                            tl_timeline_model_count_state_at (run.model, TL_STATE_BLOCKED, t));
              expected = g_strdup_printf ("at %s: %d running · %d waiting", at, a, b);
            }
          else if (kind == TL_LANE_THREADS)
            {
              g_assert_true (tl_timeline_model_get_steps_at (run.model, lane, t, &a, &b));
              expected = g_strdup_printf ("at %s: %d busy · %d queued", at, a, b);
            }
          else
            continue;
          g_test_message ("lane %u at %" G_GINT64_FORMAT " µs: %s", lane, t, figures);
          g_assert_cmpstr (figures, ==, expected);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >=, 4);

  /* An export never shows the pointer: it holds the cursor's instant. */
  g_assert_cmpint (_tl_timeline_figures_time (TL_TIMELINE (run.timeline), FALSE), ==, end_us / 4);

  /* Narrow, the time goes and the values stay. */
  for (guint lane = 0; lane < n_summary; lane++)
    if (tl_timeline_model_get_lane_kind (run.model, lane) == TL_LANE_CONCURRENCY)
      {
        g_autofree char *figures = _tl_timeline_dup_lane_figures (TL_TIMELINE (run.timeline), lane, 60, TRUE);

        g_assert_false (g_str_has_prefix (figures, "at "));
        g_assert_nonnull (strstr (figures, " running · "));
      }

  /* The pointer leaves and the cursor goes: peaks again. */
  _tl_timeline_set_hover_time (TL_TIMELINE (run.timeline), -1);
  tl_timeline_set_cursor (TL_TIMELINE (run.timeline), -1);
  g_assert_cmpint (_tl_timeline_figures_time (TL_TIMELINE (run.timeline), TRUE), ==, -1);

  tl_test_timeline_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/nav/pinned-names", test_pinned_names);
  g_test_add_func ("/timeline/nav/pinned-selection-in-view", test_pinned_selection_in_view);
  g_test_add_func ("/timeline/nav/pinned-rows-show-their-lane", test_pinned_rows_show_their_lane);
  g_test_add_func ("/timeline/nav/await-arrows", test_await_arrows);
  g_test_add_func ("/timeline/nav/await-arrows-program", test_await_arrows_program);
  g_test_add_func ("/timeline/nav/search", test_search_model);
  g_test_add_func ("/timeline/nav/lane-figures", test_lane_figures);

  return g_test_run ();
}
