/* tl-awaits-layer.c — await arrows: from the end of a task to the task
 * that awaited it and resumed then
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `task = create_task(f())` then, later, `await task`: the awaiter's lane
 * waits and the awaited task's lane ends, but nothing said that one woke
 * the other. A thin dashed arrow does, quieter than the cause and error
 * arrows: it is the normal course of things, not something that went
 * wrong. It drops down (or up) from the awaited task's end and runs along
 * the awaiter's lane to the instant it resumed. Its lines are noted
 * before any text is placed, so text keeps clear of them. A failed task's
 * error reaching its awaiter has the red error path instead.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <math.h>

#include "timeline/layers/tl-awaits-layer.h"

#define DASH     3
#define GAP      2
/* At most this many arrows in one picture; more would be a grey blur. */
#define MAX_AWAIT_ARROWS (MAX_ARROWS * 5)

struct _TlAwaitsLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlAwaitsLayer, tl_awaits_layer, TL_TYPE_TIMELINE_LAYER)

guint
_tl_awaits_layer_collect (TlTimeline           *self,
                          const TlTimelineView *view,
                          TlAwaitArrow         *arrows,
                          guint                 max_arrows)
{
  const TlAwait *awaits;
  guint n, lo = 0, hi, n_arrows = 0;
  double t_end = view_x_to_time (view, view->width);
  double top = task_area_top (self);

  if (self->model == NULL)
    return 0;
  awaits = tl_timeline_model_get_awaits (self->model, &n);

  /* Sorted by the time the awaiter resumed, which is never before the
   * awaited task ended: those resuming left of the view are wholly
   * outside it. */
  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((double) awaits[mid].time_us < view->t0)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < n && n_arrows < max_arrows; i++)
    {
      const TlAwait *link = &awaits[i];
      gint64 end_us = tl_timeline_model_get_finished_us (self->model, link->awaited);
      int lf = tl_timeline_model_find_lane (self->model, link->awaited);
      int lt = tl_timeline_model_find_lane (self->model, link->awaiter);
      TlAwaitArrow *a;

      if (lf < (int) n_summary_lanes (self) || lt < (int) n_summary_lanes (self))
        continue;
      /* A failed task's error reaching its awaiter is the red error
       * path's to show (tl-paths-layer.c); two arrows would blur. */
      if (tl_timeline_model_get_state (self->model, link->awaited) == TL_STATE_FAILED)
        continue;
      if (end_us < 0 || end_us > link->time_us)
        end_us = link->time_us;
      if ((double) end_us > t_end)
        continue;

      a = &arrows[n_arrows];
      a->awaited = link->awaited;
      a->awaiter = link->awaiter;
      a->x1 = view_time_to_x (view, (double) end_us);
      a->x2 = view_time_to_x (view, (double) link->time_us);
      a->y1 = lane_top (self, view, lf) + self->lane_h / 2.0;
      a->y2 = lane_top (self, view, lt) + self->lane_h / 2.0;
      /* Both ends above or both below the task lanes: nothing shows. */
      if ((a->y1 < top && a->y2 < top) || (a->y1 > view->height && a->y2 > view->height))
        continue;
      n_arrows++;
    }
  return n_arrows;
}

/* A dashed line from a to b along one axis (at c on the other), noted
 * so that text keeps clear of it. */
static void
append_dashes (TlTimeline    *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               gboolean       vertical,
               double         c,
               double         a,
               double         b)
{
  if (a > b)
    {
      double t = a;

      a = b;
      b = t;
    }
  if (vertical)
    _tl_timeline_note_stroke (self, c, a, 1, b - a);
  else
    _tl_timeline_note_stroke (self, a, c, b - a, 1);
  for (double s = a; s < b; s += DASH + GAP)
    {
      double e = MIN (s + DASH, b);

      if (vertical)
        _tl_timeline_append_rect (snapshot, color, c, s, 1, e - s);
      else
        _tl_timeline_append_rect (snapshot, color, s, c, e - s, 1);
    }
}

static void
tl_awaits_layer_draw (TlTimelineLayer       *layer,
                      const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;
  g_autofree TlAwaitArrow *arrows = NULL;
  GdkRGBA color = self->palette.fg_dim;
  guint n_arrows;
  guint n_awaits = 0;

  if (frame->pinned_row || self->model == NULL)
    return;
  tl_timeline_model_get_awaits (self->model, &n_awaits);
  if (n_awaits == 0)
    return;

  arrows = g_new (TlAwaitArrow, MIN (n_awaits, MAX_AWAIT_ARROWS));
  n_arrows = _tl_awaits_layer_collect (self, frame->view, arrows, MIN (n_awaits, MAX_AWAIT_ARROWS));
  color.alpha *= 0.8f;
  if (n_arrows > 0)
    _tl_timeline_note_mark (self, TL_TIMELINE_MARK_AWAIT_ARROW);

  for (guint i = 0; i < n_arrows; i++)
    {
      const TlAwaitArrow *a = &arrows[i];
      double x1 = round (a->x1), x2 = round (a->x2);
      double y1 = round (a->y1), y2 = round (a->y2);
      double dir = y2 > y1 ? 1 : -1;
      /* Out of the awaited lane's edge, not through its end marker. */
      double y_from = y1 + dir * (self->lane_h / 2.0 - 3);

      if (x2 - x1 >= 8)
        {
          /* Down to the awaiter's lane, then along it to the instant it
           * resumed, the head pointing there. */
          append_dashes (self, frame->snapshot, &color, TRUE, x1, y_from, y2);
          append_dashes (self, frame->snapshot, &color, FALSE, y2, x1, x2 - 5);
          _tl_timeline_note_stroke (self, x2 - 5, y2 - 5, 5, 11);
          _tl_timeline_append_triangle (frame->snapshot, &color, x2, y2 + 0.5, 5, 0);
        }
      else
        {
          /* Resumed as the task ended: straight down into the awaiter's
           * lane, the head at its edge. */
          double y_to = y2 - dir * (self->lane_h / 2.0 - 3);

          append_dashes (self, frame->snapshot, &color, TRUE, x2, y_from, y_to - dir * 5);
          _tl_timeline_note_stroke (self, x2 - 5, dir > 0 ? y_to - 5 : y_to, 11, 5);
          _tl_timeline_append_triangle (frame->snapshot, &color, x2 + 0.5, y_to, 5, dir > 0 ? 90 : 270);
        }
    }
}

/* The awaited task, under the arrow's vertical run. */
static gboolean
tl_awaits_layer_lookup_item (TlTimelineLayer      *layer,
                             TlTimeline           *self,
                             const TlTimelineView *view,
                             double                x,
                             double                y,
                             guint32              *instance)
{
  g_autofree TlAwaitArrow *arrows = NULL;
  guint n_awaits = 0, n_arrows;

  if (self->model == NULL || y < task_area_top (self) || x < view->label_w)
    return FALSE;
  tl_timeline_model_get_awaits (self->model, &n_awaits);
  if (n_awaits == 0)
    return FALSE;
  arrows = g_new (TlAwaitArrow, MIN (n_awaits, MAX_AWAIT_ARROWS));
  n_arrows = _tl_awaits_layer_collect (self, view, arrows, MIN (n_awaits, MAX_AWAIT_ARROWS));
  for (guint i = 0; i < n_arrows; i++)
    {
      const TlAwaitArrow *a = &arrows[i];
      double vx = a->x2 - a->x1 >= 8 ? a->x1 : a->x2;

      /* Not on either end's own lane: there the lane's marks answer. */
      if (fabs (x - vx) <= 2 &&
          y > MIN (a->y1, a->y2) + self->lane_h / 2.0 && y < MAX (a->y1, a->y2) - self->lane_h / 2.0)
        {
          *instance = a->awaited;
          return TRUE;
        }
    }
  return FALSE;
}

static void
tl_awaits_layer_class_init (TlAwaitsLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Await arrows";
  layer_class->regions = TL_TIMELINE_REGION_TASKS;
  layer_class->reserves_room = TRUE;
  layer_class->draw = tl_awaits_layer_draw;
  layer_class->lookup_item = tl_awaits_layer_lookup_item;
}

static void
tl_awaits_layer_init (TlAwaitsLayer *self)
{
}

TlTimelineLayer *
tl_awaits_layer_new (void)
{
  return g_object_new (TL_TYPE_AWAITS_LAYER, NULL);
}
