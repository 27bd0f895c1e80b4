/* tl-brackets-layer.c — the brackets around a parent's children and the
 * deadlines (Timeout, MaxWait) across its subtree
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/tl-number.h"
#include "timeline/tl-time-ruler.h"
#include "timeline/layers/tl-brackets-layer.h"

struct _TlBracketsLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlBracketsLayer, tl_brackets_layer, TL_TYPE_TIMELINE_LAYER)

/* Deadline-coloured text on a plate of the background, so it reads over
 * grid lines; nothing at all when the text cannot be placed there. */
static void
append_on_plate (TlTimeline  *self,
                 GtkSnapshot *snapshot,
                 const char  *text,
                 double       x,
                 double       y_center)
{
  GtkSnapshot *words = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkRGBA plate = self->palette.bg;
  int w = _tl_timeline_append_text (self, words, text, &self->palette.deadline, x, y_center, -1, FALSE);

  node = gtk_snapshot_free_to_node (words);
  if (w > 0 && node != NULL)
    {
      plate.alpha = 0.85f;
      _tl_timeline_append_rect (snapshot, &plate, round (x) - 4, round (y_center) - self->lane_h / 2.0 + 3, w + 8, self->lane_h - 6);
      gtk_snapshot_append_node (snapshot, node);
    }
  g_clear_pointer (&node, gsk_render_node_unref);
}

static void
draw_deadlines (TlTimeline           *self,
                GtkSnapshot          *snapshot,
                const TlTimelineView *view,
                guint32               instance,
                double                y0,
                double                y1)
{
  const TlTimelinePalette *p = &self->palette;

  for (guint kind = 0; kind <= 1; kind++)
    {
      gint64 deadline = tl_timeline_model_get_deadline (self->model, instance, kind);
      double x;

      if (deadline < 0)
        continue;
      x = round (view_time_to_x (view, (double) deadline));
      if (x < view->label_w || x >= view->width)
        continue;

      /* Dashed for Timeout, dotted for MaxWait, 3 px wide, with a flag
       * and what the deadline is, left of the line in the task's own
       * lane ("timeout=1.0"). */
      _tl_timeline_note_mark (self, TL_TIMELINE_MARK_DEADLINE);
      for (double y = y0; y < y1; y += kind == 0 ? 7 : 5)
        _tl_timeline_append_rect (snapshot, &p->deadline, x - 1, y, 3, MIN (kind == 0 ? 4 : 3, y1 - y));
      _tl_timeline_append_rect (snapshot, &p->deadline, x - 1, y0, 7, 4);
      _tl_timeline_note_stroke (self, x - 1, y0, 3, y1 - y0);
      _tl_timeline_note_stroke (self, x - 1, y0, 7, 4);
      {
        const TlTaskSpec *spec = _tl_timeline_spec_of_instance (self, instance);
        gint64 value = spec == NULL ? -1 : kind == 0 ? spec->timeout_us : spec->max_wait_us;
        g_autofree char *secs = tl_format_python_seconds (value >= 0 ? value : deadline - tl_timeline_model_get_created_us (self->model, instance));
        /* As asyncio writes the deadline, for Timeout (asyncio.timeout,
         * wait_for) and MaxWait (asyncio.wait) alike: "timeout=1.2".
         * TRANSLATORS: Python code; %s is seconds, written as Python
         * writes them ("1.2") */
        g_autofree char *text = g_strdup_printf (_("timeout=%s"), secs);
        int w = _tl_timeline_measure_text (self, text);
        gint64 fin = tl_timeline_model_get_finished_us (self->model, instance);
        double x_end = fin >= 0 ? view_time_to_x (view, (double) fin) : G_MAXDOUBLE;
        double lx = -1;

        /* Never over the task's own bar, which would then look cut short
         * at the label: left of the line where the bar and its end mark
         * are over, or right of the line after the mark of a task that
         * ended at its deadline. Else the tooltip says it. */
        if (x_end + MARKER_ROOM <= x - w - 10)
          lx = x - w - 6;
        else if (fabs (x_end - x) <= 2)
          lx = x + 22;
        if (lx >= view->label_w + 4 && lx + w + 4 <= view->width)
          append_on_plate (self, snapshot, text, lx, y0 + self->lane_h / 2.0);
      }
    }
}

static void
draw_bracket (TlTimeline           *self,
              GtkSnapshot          *snapshot,
              const TlTimelineView *view,
              guint                 lane,
              guint32               instance)
{
  const TlTimelinePalette *p = &self->palette;
  int end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
  double y0, y1, xs, xe;
  gint64 start = tl_timeline_model_get_created_us (self->model, instance);
  gint64 end = tl_timeline_model_get_finished_us (self->model, instance);

  if (end_lane <= (int) lane)
    return;
  if (end < 0)
    end = current_now (self);

  y0 = lane_top (self, view, lane) + self->lane_h / 2.0;
  y1 = lane_top (self, view, end_lane) + self->lane_h - 2;
  xs = round (view_time_to_x (view, (double) start));
  xe = round (view_time_to_x (view, (double) end));

  /* "[" at the start and "]" at the end, spanning the children. */
  _tl_timeline_note_mark (self, TL_TIMELINE_MARK_BRACKET);
  if (xs >= view->label_w - 4 && xs < view->width)
    {
      _tl_timeline_append_rect (snapshot, &p->bracket, xs, y0, 1, y1 - y0);
      _tl_timeline_append_rect (snapshot, &p->bracket, xs, y1 - 1, 4, 1);
      _tl_timeline_note_stroke (self, xs, y0, 1, y1 - y0);
      _tl_timeline_note_stroke (self, xs, y1 - 1, 4, 1);
    }
  if (xe >= view->label_w && xe < view->width + 4 && tl_timeline_model_get_finished_us (self->model, instance) >= 0)
    {
      _tl_timeline_append_rect (snapshot, &p->bracket, xe - 1, y0, 1, y1 - y0);
      _tl_timeline_append_rect (snapshot, &p->bracket, xe - 4, y1 - 1, 4, 1);
      _tl_timeline_note_stroke (self, xe - 1, y0, 1, y1 - y0);
      _tl_timeline_note_stroke (self, xe - 4, y1 - 1, 4, 1);
    }
}

static void
tl_brackets_layer_draw (TlTimelineLayer       *layer,
                        const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;
  const TlTimelineView *view = frame->view;
  GtkSnapshot *snapshot = frame->snapshot;
  guint first = frame->first, last = frame->last;

  if (frame->pinned_row)
    return;

  /* Brackets and deadlines span subtrees: the ancestors of the first
   * visible lane reach into view from above. */
  if (first < last)
    {
      guint32 inst = tl_timeline_model_get_lane_instance (self->model, first);

      if (tl_timeline_model_get_lane_kind (self->model, first) == TL_LANE_TASK)
        for (guint32 a = tl_timeline_model_get_parent (self->model, inst); a != TL_NO_INSTANCE;
             a = tl_timeline_model_get_parent (self->model, a))
          {
            int lane = tl_timeline_model_find_lane (self->model, a);
            int end_lane;

            if (lane < 0)
              continue;
            end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
            draw_bracket (self, snapshot, view, lane, a);
            draw_deadlines (self, snapshot, view, a, lane_top (self, view, lane),
                            lane_top (self, view, end_lane) + self->lane_h);
          }
    }
  for (guint lane = first; lane < last; lane++)
    {
      guint32 instance;
      int end_lane;

      if (tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
        continue;
      instance = tl_timeline_model_get_lane_instance (self->model, lane);
      end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
      if (end_lane > (int) lane)
        draw_bracket (self, snapshot, view, lane, instance);
      draw_deadlines (self, snapshot, view, instance, lane_top (self, view, lane),
                      lane_top (self, view, end_lane) + self->lane_h);
    }
}

static gboolean
tl_brackets_layer_lookup_item (TlTimelineLayer      *layer,
                               TlTimeline           *self,
                               const TlTimelineView *view,
                               double                x,
                               double                y,
                               guint32              *instance)
{
  int lane = _tl_timeline_layer_task_lane_at (self, view, y);

  if (lane < 0)
    return FALSE;

  /* The lane's own task and its ancestors: whose bracket or deadline
   * line passes within two pixels of x. */
  for (guint32 a = tl_timeline_model_get_lane_instance (self->model, lane); a != TL_NO_INSTANCE;
       a = tl_timeline_model_get_parent (self->model, a))
    {
      int a_lane = tl_timeline_model_find_lane (self->model, a);
      gint64 times[4];

      if (a_lane < 0 || tl_timeline_model_get_subtree_end_lane (self->model, a_lane) < lane)
        continue;
      times[0] = tl_timeline_model_get_deadline (self->model, a, 0);
      times[1] = tl_timeline_model_get_deadline (self->model, a, 1);
      times[2] = tl_timeline_model_get_subtree_end_lane (self->model, a_lane) > a_lane
                 ? tl_timeline_model_get_created_us (self->model, a) : -1;
      times[3] = times[2] >= 0 ? tl_timeline_model_get_finished_us (self->model, a) : -1;
      for (guint i = 0; i < G_N_ELEMENTS (times); i++)
        if (times[i] >= 0 && fabs (round (view_time_to_x (view, (double) times[i])) - x) <= 2)
          {
            *instance = a;
            return TRUE;
          }
    }
  return FALSE;
}

static void
tl_brackets_layer_class_init (TlBracketsLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Brackets and deadlines";
  layer_class->regions = TL_TIMELINE_REGION_TASKS;
  layer_class->reserves_room = TRUE;
  layer_class->draw = tl_brackets_layer_draw;
  layer_class->lookup_item = tl_brackets_layer_lookup_item;
}

static void
tl_brackets_layer_init (TlBracketsLayer *self)
{
}

TlTimelineLayer *
tl_brackets_layer_new (void)
{
  return g_object_new (TL_TYPE_BRACKETS_LAYER, NULL);
}
