/* tl-labels-layer.c — the names column: section and task names with their
 * disclosure triangles, and the summary lanes' titles and figures
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/layers/tl-labels-layer.h"

struct _TlLabelsLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlLabelsLayer, tl_labels_layer, TL_TYPE_TIMELINE_LAYER)

/* The figures under a chart lane's name: the highest each line of the
 * chart reached during the run, said to be peaks so that they do not
 * read as the state at the end ("peaks: 2 busy · 3 queued"). Two
 * numbers, never their sum: "peak 5" would read as five threads. */
char *
_tl_timeline_dup_lane_peaks (TlTimeline *self,
                             guint       lane)
{
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
  gint32 pa = 0, pb = 0;
  g_autofree char *sa = NULL, *sb = NULL;

  tl_timeline_model_get_chart_peaks (self->model, lane, &pa, &pb);
  sa = _tl_timeline_format_count (pa);
  sb = _tl_timeline_format_count (pb);
  if (kind == TL_LANE_CONCURRENCY)
    /* TRANSLATORS: the highest figures of the concurrency chart during the run */
    return g_strdup_printf (_("peaks: %s running · %s waiting"), sa, sb);
  if (kind == TL_LANE_HTTP)
    /* TRANSLATORS: the highest figures of the HTTP connections chart during the run */
    return g_strdup_printf (_("peaks: %s in flight · %s queued"), sa, sb);
  /* TRANSLATORS: the highest figures of a pool chart during the run: "peaks: 2 busy · 3 queued" */
  return g_strdup_printf (_("peaks: %s busy · %s queued"), sa, sb);
}

static void
draw_labels (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view,
             guint                 first,
             guint                 last)
{
  const TlTimelinePalette *p = &self->palette;
  guint n_summary = n_summary_lanes (self);
  guint pinned[TL_TIMELINE_MAX_PINNED];
  guint n_pinned = _tl_timeline_get_pinned (self, view, pinned);
  /* Under the pinned rows no lane's name is drawn, not even a part. */
  double pinned_bottom = task_area_top (self) + n_pinned * self->lane_h;
  g_autoptr(GskRenderNode) pinned_node = n_pinned > 0 ? _tl_timeline_render_pinned (self, view, pinned, n_pinned) : NULL;

  _tl_timeline_append_rect (snapshot, &p->label_bg, 0, RULER_H, view->label_w, view->height - RULER_H);

  for (guint pass = 0; pass < 2; pass++)
    {
      guint from = pass == 0 ? 0 : first;
      guint to = pass == 0 ? n_summary : last;
      double clip_top = pass == 0 ? RULER_H : pinned_bottom;

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, clip_top, view->label_w, view->height - clip_top));
      for (guint lane = from; lane < to; lane++)
        {
          TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
          guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
          double y = lane_top (self, view, lane);
          double h = lane_height (self, lane);
          double x = 8;
          double middle = y + h / 2;
          g_autofree char *label = NULL;

          /* A lane partly under the pinned rows is named in the middle of
           * the part still in view (as Follow leaves the view, scrolled by
           * less than a lane), if a third at most is covered; one more
           * covered than that loses its name. */
          if (pass == 1 && n_pinned > 0 && y < pinned_bottom)
            {
              if (y + h - pinned_bottom < h * 2 / 3)
                continue;
              middle = (pinned_bottom + y + h) / 2;
            }
          label = tl_timeline_model_dup_lane_label (self->model, lane);
          /* The task search's matches stand out in the names too. */
          if (kind == TL_LANE_TASK && is_search_match (self, instance))
            _tl_timeline_append_rect (snapshot, &p->match, 0, y, view->label_w - 1, h);
          if (kind == TL_LANE_TASK)
            {
              x += INDENT * tl_timeline_model_get_lane_depth (self->model, lane);
              if (tl_timeline_model_is_composite (self->model, instance))
                _tl_timeline_append_node_at (snapshot,
                                             self->disclosure[tl_timeline_model_get_collapsed (self->model, instance) ? 1 : 0],
                                             x, round (middle - 5));
              x += 14;
            }

          if (kind == TL_LANE_LOOP || kind == TL_LANE_THREADS || kind == TL_LANE_PROCESSES ||
              kind == TL_LANE_HTTP || kind == TL_LANE_CONCURRENCY)
            {
              double room = view->label_w - x - 6;
              g_autofree char *figures = _tl_timeline_dup_lane_figures (self, lane, room, view->use_cache);

              if (figures != NULL)
                _tl_timeline_append_text_lines (self, snapshot, label, &p->fg, figures, &p->fg_dim,
                                                x, y, h, room);
              else
                _tl_timeline_append_text (self, snapshot, label, &p->fg, x, y + h / 2, room, TRUE);
            }
          else
            {
              /* A task that never started, or a row of a comparison that
               * this run does not have, is named in the dim colour. */
              gboolean ghost = kind == TL_LANE_GAP ||
                (kind == TL_LANE_TASK && tl_timeline_model_get_state (self->model, instance) == TL_STATE_NEVER_STARTED);

              /* A name keeps its start: a cut in the middle breaks the
               * code it shows ("asyncio.gather(…), f(3))"). The tooltip
               * shows it whole. */
              _tl_timeline_append_text (self, snapshot, label, ghost ? &p->fg_dim : &p->fg, x, middle, view->label_w - x - 6,
                                        kind != TL_LANE_TASK || instance == self->selected);
            }
        }
      gtk_snapshot_pop (snapshot);
    }

  if (pinned_node != NULL)
    gtk_snapshot_append_node (snapshot, pinned_node);

  _tl_timeline_append_rect (snapshot, &p->separator, view->label_w - 1, RULER_H, 1, view->height - RULER_H);

  /* The column's edge can be dragged: a grip on the ruler says so. */
  for (guint i = 0; i < 3; i++)
    _tl_timeline_append_rect (snapshot, &p->fg_dim, view->label_w - 2, RULER_H / 2.0 - 6 + i * 5, 3, 3);
}

static void
tl_labels_layer_draw (TlTimelineLayer       *layer,
                      const TlTimelineFrame *frame)
{
  draw_labels (frame->timeline, frame->snapshot, frame->view, frame->first, frame->last);
}

static gboolean
tl_labels_layer_lookup_item (TlTimelineLayer      *layer,
                             TlTimeline           *self,
                             const TlTimelineView *view,
                             double                x,
                             double                y,
                             guint32              *instance)
{
  gboolean pinned;
  int lane = _tl_timeline_layer_lane_at (self, view, y, &pinned);

  /* A task's name, or any pinned row's. */
  if (lane >= 0 && !pinned && tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
    lane = -1;
  if (lane < 0 || x < 0 || x >= view->label_w)
    return FALSE;
  *instance = tl_timeline_model_get_lane_instance (self->model, lane);
  return TRUE;
}

static void
tl_labels_layer_class_init (TlLabelsLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Names";
  layer_class->regions = TL_TIMELINE_REGION_OVERLAY;
  layer_class->draw = tl_labels_layer_draw;
  layer_class->lookup_item = tl_labels_layer_lookup_item;
}

static void
tl_labels_layer_init (TlLabelsLayer *self)
{
}

TlTimelineLayer *
tl_labels_layer_new (void)
{
  return g_object_new (TL_TYPE_LABELS_LAYER, NULL);
}
