/* tl-paths-layer.c — cause arrows (a timeout or a failed sibling to what it
 * cancelled) and error paths (where a failure came from)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/layers/tl-paths-layer.h"

struct _TlPathsLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlPathsLayer, tl_paths_layer, TL_TYPE_TIMELINE_LAYER)

/* An elbow arrow: out to the right of both ends, down (or up), and back
 * in with a head; straight pieces stay crisp at any scale. */
static void
draw_arrow (GtkSnapshot   *snapshot,
            const GdkRGBA *color,
            double         x1,
            double         y1,
            double         x2,
            double         y2)
{
  double xr = round (MAX (x1, x2) + 8);

  x1 = round (x1);
  x2 = round (x2);
  y1 = round (y1);
  y2 = round (y2);
  _tl_timeline_append_rect (snapshot, color, x1, y1, xr - x1 + 1, 1);
  _tl_timeline_append_rect (snapshot, color, xr, MIN (y1, y2), 1, fabs (y2 - y1) + 1);
  _tl_timeline_append_rect (snapshot, color, x2 + 4, y2, xr - x2 - 4, 1);
  _tl_timeline_append_triangle (snapshot, color, x2, y2 + 0.5, 5, 180);
}


/* The lines of draw_arrow and draw_arrow_left, noted so that text keeps
 * clear of them. */
static void
note_arrow (TlTimeline *self,
            double      x1,
            double      y1,
            double      x2,
            double      y2)
{
  double xr = round (MAX (x1, x2) + 8);

  x1 = round (x1), x2 = round (x2), y1 = round (y1), y2 = round (y2);
  _tl_timeline_note_stroke (self, x1, y1, xr - x1 + 1, 1);
  _tl_timeline_note_stroke (self, xr, MIN (y1, y2), 1, fabs (y2 - y1) + 1);
  _tl_timeline_note_stroke (self, x2, y2 - 5, xr - x2, 11);
}

static void
note_arrow_left (TlTimeline *self,
                 double      x1,
                 double      y1,
                 double      x2,
                 double      y2)
{
  double xl = round (MIN (x1, x2) - 10);

  x1 = round (x1), x2 = round (x2), y1 = round (y1), y2 = round (y2);
  _tl_timeline_note_stroke (self, xl, y1, x1 - 3 - xl, 2);
  _tl_timeline_note_stroke (self, xl, MIN (y1, y2), 2, fabs (y2 - y1) + 2);
  _tl_timeline_note_stroke (self, xl, y2 - 4, x2 - 3 - xl, 10);
}

/* An elbow on the left of two end caps: back from the first, along, and
 * into the second with a head, so it never crosses the text after the
 * markers. */
static void
draw_arrow_left (GtkSnapshot   *snapshot,
                 const GdkRGBA *color,
                 double         x1,
                 double         y1,
                 double         x2,
                 double         y2)
{
  double xl = round (MIN (x1, x2) - 10);

  x1 = round (x1);
  x2 = round (x2);
  y1 = round (y1);
  y2 = round (y2);
  _tl_timeline_append_rect (snapshot, color, xl, y1, x1 - 3 - xl, 2);
  _tl_timeline_append_rect (snapshot, color, xl, MIN (y1, y2), 2, fabs (y2 - y1) + 2);
  _tl_timeline_append_rect (snapshot, color, xl, y2, x2 - 8 - xl, 2);
  _tl_timeline_append_triangle (snapshot, color, x2 - 3, y2 + 1, 5, 0);
}

/* Where the error a failed task raised came from: the failed task with
 * the same error that ended last before it (a child of a gather, the task
 * an await waited on), never one of its ancestors. */
static guint32
error_source (TlTimeline *self,
              guint32     x,
              guint       n_instances)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  const char *err = tl_trace_get_error (trace, x);
  gint64 fx = tl_timeline_model_get_finished_us (self->model, x);
  guint32 best = TL_NO_INSTANCE;
  gint64 best_t = -1;
  g_autofree guint32 *children = NULL;
  guint n_candidates = n_instances;

  if (err == NULL || fx < 0)
    return TL_NO_INSTANCE;
  /* A large run looks among the task's own children only: a frame must
   * not scan a million instances. */
  if (n_instances > MAX_ERROR_PATH_INSTANCES)
    children = tl_timeline_model_dup_children (self->model, x, MAX_ERROR_PATH_INSTANCES, &n_candidates);
  for (guint k = 0; k < n_candidates; k++)
    {
      guint32 y = children != NULL ? children[k] : k;
      gint64 fy;
      gboolean ancestor = FALSE;

      if (y == x || tl_timeline_model_get_state (self->model, y) != TL_STATE_FAILED)
        continue;
      fy = tl_timeline_model_get_finished_us (self->model, y);
      if (fy < 0 || fy > fx || fy < best_t || g_strcmp0 (tl_trace_get_error (trace, y), err) != 0)
        continue;
      for (guint32 a = tl_timeline_model_get_parent (self->model, x); a != TL_NO_INSTANCE;
           a = tl_timeline_model_get_parent (self->model, a))
        if (a == y)
          ancestor = TRUE;
      if (ancestor)
        continue;
      /* At the same time, the deeper one is where it started. */
      if (fy == best_t && best != TL_NO_INSTANCE &&
          tl_timeline_model_get_parent (self->model, y) != best)
        continue;
      best = y;
      best_t = fy;
    }
  return best;
}

/* Red arrows from a failed task's ✗ to the ✗ of the task its error
 * travelled to: always for small runs, else for the focused task. */
static void
draw_error_paths (TlTimeline           *self,
                  GtkSnapshot          *snapshot,
                  const TlTimelineView *view)
{
  guint n = tl_timeline_model_get_n_instances (self->model);
  guint32 focus[2] = { self->selected, self->hovered };
  GdkRGBA color = self->palette.failed;

  color.alpha *= 0.75f;
  for (guint32 i = 0; i < (n <= MAX_ERROR_PATH_INSTANCES ? n : 2); i++)
    {
      guint32 x = n <= MAX_ERROR_PATH_INSTANCES ? i : focus[i];
      guint32 from;
      int lf, lt;

      if (x == TL_NO_INSTANCE || x >= n || tl_timeline_model_get_state (self->model, x) != TL_STATE_FAILED)
        continue;
      from = error_source (self, x, n);
      if (from == TL_NO_INSTANCE)
        continue;
      lf = tl_timeline_model_find_lane (self->model, from);
      lt = tl_timeline_model_find_lane (self->model, x);
      if (lf < 0 || lt < 0)
        continue;
      {
        double x1 = view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, from));
        double y1 = lane_top (self, view, lf) + self->lane_h / 2.0;
        double x2 = view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, x));
        double y2 = lane_top (self, view, lt) + self->lane_h / 2.0;

        _tl_timeline_note_mark (self, TL_TIMELINE_MARK_ERROR_ARROW);
        note_arrow_left (self, x1, y1, x2, y2);
        draw_arrow_left (snapshot, &color, x1, y1, x2, y2);
      }
    }
}

/* Thin arrows from a timeout or a failed sibling to what it cancelled,
 * for the selected and the hovered task. */
static void
draw_causes (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view)
{
  guint32 focus[2] = { self->selected, self->hovered };

  for (guint f = 0; f < G_N_ELEMENTS (focus); f++)
    {
      guint32 x = focus[f];
      guint32 cause;
      g_autofree guint32 *caused = NULL;
      guint n_caused = 0;
      GArray *pairs;

      if (x == TL_NO_INSTANCE || (f == 1 && x == self->selected))
        continue;

      pairs = g_array_new (FALSE, FALSE, sizeof (guint32));
      cause = tl_timeline_model_get_cause (self->model, x, NULL);
      if (cause != TL_NO_INSTANCE)
        {
          g_array_append_val (pairs, cause);
          g_array_append_val (pairs, x);
        }
      caused = tl_timeline_model_dup_caused (self->model, x, MAX_ARROWS, &n_caused);
      for (guint i = 0; i < n_caused; i++)
        {
          g_array_append_val (pairs, x);
          g_array_append_val (pairs, caused[i]);
        }

      for (guint i = 0; i + 1 < pairs->len; i += 2)
        {
          guint32 from = g_array_index (pairs, guint32, i);
          guint32 to = g_array_index (pairs, guint32, i + 1);
          int lf = tl_timeline_model_find_lane (self->model, from);
          int lt = tl_timeline_model_find_lane (self->model, to);
          gint64 tf = tl_timeline_model_get_finished_us (self->model, from);
          gint64 tt = tl_timeline_model_get_finished_us (self->model, to);
          double y1, y2;

          if (lf < 0 || lt < 0 || tt < 0)
            continue;
          if (tf < 0 || tf > tt)
            tf = tt;

          /* Along the foot of the lanes, under the text after the
           * markers, from just after the cause's marker to just after
           * the cancelled task's marker. */
          y1 = lane_top (self, view, lf) + self->lane_h - 3;
          y2 = lane_top (self, view, lt) + self->lane_h - 3;
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_CAUSE_ARROW);
          note_arrow (self, view_time_to_x (view, (double) tf) + 19, y1, view_time_to_x (view, (double) tt) + 19, y2);
          draw_arrow (snapshot, &self->palette.cause,
                      view_time_to_x (view, (double) tf) + 19, y1,
                      view_time_to_x (view, (double) tt) + 19, y2);
        }
      g_array_unref (pairs);
    }

}

static void
tl_paths_layer_draw (TlTimelineLayer       *layer,
                     const TlTimelineFrame *frame)
{
  if (frame->pinned_row)
    return;
  draw_causes (frame->timeline, frame->snapshot, frame->view);
  draw_error_paths (frame->timeline, frame->snapshot, frame->view);
}

static gboolean
tl_paths_layer_lookup_item (TlTimelineLayer      *layer,
                            TlTimeline           *self,
                            const TlTimelineView *view,
                            double                x,
                            double                y,
                            guint32              *instance)
{
  int lane = _tl_timeline_layer_task_lane_at (self, view, y);
  guint n = self->model != NULL ? tl_timeline_model_get_n_instances (self->model) : 0;
  guint32 found, from;
  double center, xf, xt;

  if (lane < 0)
    return FALSE;
  found = tl_timeline_model_get_lane_instance (self->model, lane);
  center = lane_top (self, view, lane) + self->lane_h / 2.0;
  if (fabs (y - center) > 3)
    return FALSE;

  /* The arrow's head comes in from the left along the failed task's
   * lane, from its source's end (see draw_arrow_left). */
  if (tl_timeline_model_get_state (self->model, found) != TL_STATE_FAILED ||
      (n > MAX_ERROR_PATH_INSTANCES && found != self->selected && found != self->hovered))
    return FALSE;
  from = error_source (self, found, n);
  if (from == TL_NO_INSTANCE)
    return FALSE;
  xf = view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, from));
  xt = view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, found));
  if (x < MIN (xf, xt) - 11 || x > xt)
    return FALSE;
  *instance = found;
  return TRUE;
}

static void
tl_paths_layer_class_init (TlPathsLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Cause and error paths";
  layer_class->regions = TL_TIMELINE_REGION_TASKS;
  layer_class->reserves_room = TRUE;
  layer_class->draw = tl_paths_layer_draw;
  layer_class->lookup_item = tl_paths_layer_lookup_item;
}

static void
tl_paths_layer_init (TlPathsLayer *self)
{
}

TlTimelineLayer *
tl_paths_layer_new (void)
{
  return g_object_new (TL_TYPE_PATHS_LAYER, NULL);
}
