/* tl-timeline-render.c — one picture of the timeline: the cached ruler
 * and grid, the lane backgrounds, then each layer in its region
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The layers, in drawing order, read like the legend: the summary lanes;
 * intervals and states; end markers and results; brackets and deadlines;
 * cause and error paths; await arrows; now and the live stall; the names. A new kind of
 * mark is a new layer added to _tl_timeline_new_layers().
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/layers/tl-awaits-layer.h"
#include "timeline/layers/tl-brackets-layer.h"
#include "timeline/layers/tl-intervals-layer.h"
#include "timeline/layers/tl-labels-layer.h"
#include "timeline/layers/tl-markers-layer.h"
#include "timeline/layers/tl-now-layer.h"
#include "timeline/layers/tl-paths-layer.h"
#include "timeline/layers/tl-guess-layer.h"
#include "timeline/layers/tl-cursor-layer.h"
#include "timeline/layers/tl-summary-layer.h"

GPtrArray *
_tl_timeline_new_layers (void)
{
  GPtrArray *layers = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (layers, tl_summary_layer_new ());
  g_ptr_array_add (layers, tl_intervals_layer_new ());
  g_ptr_array_add (layers, tl_markers_layer_new ());
  g_ptr_array_add (layers, tl_brackets_layer_new ());
  g_ptr_array_add (layers, tl_paths_layer_new ());
  g_ptr_array_add (layers, tl_awaits_layer_new ());
  g_ptr_array_add (layers, tl_now_layer_new ());
  g_ptr_array_add (layers, tl_labels_layer_new ());
  /* The cursor veils what came later; guesses stay readable above it. */
  g_ptr_array_add (layers, tl_cursor_layer_new ());
  g_ptr_array_add (layers, tl_guess_layer_new ());
  return layers;
}

static void
draw_region (TlTimeline       *self,
             TlTimelineFrame  *frame,
             TlTimelineRegion  region)
{
  const TlTimelineView *view = frame->view;

  /* What each region is clipped to, for placing text. */
  if (region == TL_TIMELINE_REGION_TASKS)
    self->text_clip = GRAPHENE_RECT_INIT (view->label_w, frame->top, view->width - view->label_w, view->height - frame->top);
  else if (region == TL_TIMELINE_REGION_OVERLAY)
    self->text_clip = GRAPHENE_RECT_INIT (0, 0, view->width, view->height);
  else
    self->text_clip = GRAPHENE_RECT_INIT (view->label_w, RULER_H, view->width - view->label_w, view->height - RULER_H);

  frame->region = region;
  for (guint i = 0; i < self->layers->len; i++)
    {
      TlTimelineLayer *layer = g_ptr_array_index (self->layers, i);

      /* Its lines were noted before any text was placed. */
      self->strokes_noted = region == TL_TIMELINE_REGION_TASKS && tl_timeline_layer_reserves_room (layer);
      tl_timeline_layer_draw (layer, frame);
      self->strokes_noted = FALSE;
    }
}

/* The lines drawn across the task lanes, noted before anything is drawn
 * there: drawn into a snapshot that is thrown away, with no text placed. */
static void
reserve_room (TlTimeline      *self,
              TlTimelineFrame *frame)
{
  TlTimelineFrame scratch = *frame;
  GskRenderNode *node;

  scratch.snapshot = gtk_snapshot_new ();
  scratch.region = TL_TIMELINE_REGION_TASKS;
  self->reserving = TRUE;
  for (guint i = 0; i < self->layers->len; i++)
    {
      TlTimelineLayer *layer = g_ptr_array_index (self->layers, i);

      if (tl_timeline_layer_reserves_room (layer))
        tl_timeline_layer_draw (layer, &scratch);
    }
  self->reserving = FALSE;
  node = gtk_snapshot_free_to_node (scratch.snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
}

static GskRenderNode *
build_static_layer (TlTimeline           *self,
                    const TlTimelineView *view)
{
  const TlTimelinePalette *p = &self->palette;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  TlRulerTicks ticks;
  double t_end = view_x_to_time (view, view->width);

  _tl_timeline_append_rect (snapshot, &p->ruler_bg, 0, 0, view->width, RULER_H);
  _tl_timeline_append_rect (snapshot, &p->separator, 0, RULER_H - 1, view->width, 1);

  tl_time_ruler_choose (view->t0, t_end, view->us_per_px, TICK_SPACING_PX, &ticks);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, 0,
                                                         view->width - view->label_w, view->height));
  /* Minor ticks at a fifth of the step, when they are far enough apart. */
  if (ticks.step_us / view->us_per_px >= 40)
    {
      gint64 minor = MAX (ticks.step_us / 5, 1);
      gint64 first = ticks.first_us - ticks.step_us;

      for (gint64 t = MAX (first, 0); t < t_end; t += minor)
        {
          double x = round (view_time_to_x (view, (double) t));

          if (x >= view->label_w)
            _tl_timeline_append_rect (snapshot, &p->fg_dim, x, RULER_H - 5, 1, 4);
        }
    }
  for (gint64 t = ticks.first_us; t <= t_end + ticks.step_us; t += ticks.step_us)
    {
      double x = round (view_time_to_x (view, (double) t));
      g_autofree char *label = tl_time_ruler_format_tick (&ticks, t);

      _tl_timeline_append_rect (snapshot, &p->grid, x, RULER_H, 1, view->height - RULER_H);
      _tl_timeline_append_rect (snapshot, &p->fg_dim, x, RULER_H - 10, 1, 9);
      /* A label cut by the edge would misread ("1.8" for "1.8 s"): at
       * the right edge it goes left of its tick instead. */
      {
        int w = _tl_timeline_measure_text (self, label);

        if (x + 4 + w <= view->width)
          _tl_timeline_append_text (self, snapshot, label, &p->fg_dim, x + 4, RULER_H / 2.0 - 3, -1, FALSE);
        else if (x - 4 - w >= view->label_w && x < view->width)
          _tl_timeline_append_text (self, snapshot, label, &p->fg_dim, x - 4 - w, RULER_H / 2.0 - 3, -1, FALSE);
      }
    }
  gtk_snapshot_pop (snapshot);

  return gtk_snapshot_free_to_node (snapshot);
}

/* A lane's row behind its marks: selected, under the pointer, a search
 * match, or every other one shaded; a section starts with a line. */
static void
append_lane_background (TlTimeline            *self,
                        const TlTimelineFrame *frame,
                        guint                  lane,
                        double                 y)
{
  const TlTimelinePalette *p = &self->palette;
  const TlTimelineView *view = frame->view;
  guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);

  if (kind == TL_LANE_TASK && instance == self->selected)
    _tl_timeline_append_rect (frame->snapshot, &p->selection, 0, y, view->width, self->lane_h);
  else if (kind == TL_LANE_TASK && instance == self->hovered)
    _tl_timeline_append_rect (frame->snapshot, &p->hover, 0, y, view->width, self->lane_h);
  else if (kind == TL_LANE_TASK && is_search_match (self, instance))
    {
      _tl_timeline_note_mark (self, TL_TIMELINE_MARK_SEARCH_MATCH);
      _tl_timeline_append_rect (frame->snapshot, &p->match, 0, y, view->width, self->lane_h);
    }
  else if (lane % 2 == 1)
    _tl_timeline_append_rect (frame->snapshot, &p->lane_alt, 0, y, view->width, self->lane_h);
  if (kind == TL_LANE_SECTION && lane > frame->n_summary)
    _tl_timeline_append_rect (frame->snapshot, &p->separator, 0, y, view->width, 1);
}

/* The header lanes whose names are pinned at the top (tl-timeline-pinned.c)
 * are drawn whole in their pinned rows, over the lanes scrolled under
 * them: beside "gather(…)" its own bar and result, not those of the task
 * that happens to be under it. Each row is its lane drawn where it would
 * be, moved into place; layers that draw across lanes leave it out. */
static void
draw_pinned_rows (TlTimeline            *self,
                  const TlTimelineFrame *frame,
                  GskRenderNode         *static_node)
{
  const TlTimelineView *view = frame->view;
  GtkSnapshot *snapshot = frame->snapshot;
  guint pinned[TL_TIMELINE_MAX_PINNED];
  guint n_pinned = _tl_timeline_get_pinned (self, view, pinned);

  for (guint i = 0; i < n_pinned; i++)
    {
      TlTimelineFrame row = *frame;
      double y = frame->top + i * self->lane_h;
      double natural_y = lane_top (self, view, pinned[i]);

      row.first = pinned[i];
      row.last = pinned[i] + 1;
      row.pinned_row = TRUE;
      /* Where its lanes start, for the fills that reach across them. */
      row.top = natural_y;
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, y, view->width - view->label_w, self->lane_h));
      _tl_timeline_append_rect (snapshot, &self->palette.bg, view->label_w, y, view->width - view->label_w, self->lane_h);
      gtk_snapshot_append_node (snapshot, static_node);
      append_lane_background (self, frame, pinned[i], y);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, y - natural_y));
      draw_region (self, &row, TL_TIMELINE_REGION_TASKS);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }
}

static gboolean
same_view (const TlTimelineView *a,
           const TlTimelineView *b)
{
  return a->width == b->width && a->height == b->height &&
         a->t0 == b->t0 && a->us_per_px == b->us_per_px && a->label_w == b->label_w;
}

static GskRenderNode *
render_view (TlTimeline           *self,
             const TlTimelineView *view)
{
  const TlTimelinePalette *p;
  TlTimelineFrame frame = { 0 };
  g_autoptr(GskRenderNode) static_node = NULL;
  GtkSnapshot *snapshot;
  guint n_lanes;

  _tl_timeline_ensure_style_caches (self);
  p = &self->palette;
  snapshot = gtk_snapshot_new ();

  _tl_timeline_append_rect (snapshot, &p->bg, 0, 0, view->width, view->height);

  /* Before the first run there is nothing to measure: a hint, not a
   * ruler of made-up times. */
  if (self->model == NULL || tl_timeline_model_get_n_instances (self->model) == 0)
    {
      TlTrace *trace = self->model != NULL ? tl_timeline_model_get_trace (self->model) : NULL;
      const char *hint;
      int w;

      if (trace == NULL)
        hint = _("Press Run to start");
      else if (!tl_trace_is_complete (trace))
        hint = _("Waiting for the first task…");
      else if (tl_trace_is_open (trace))
        /* A plain script, or one that stopped before its asyncio.run(). */
        hint = _("The program made no asyncio tasks to draw");
      else
        hint = _("The run made no tasks to draw");
      w = _tl_timeline_measure_text (self, hint);

      _tl_timeline_append_text (self, snapshot, hint, &p->fg_dim, round ((view->width - w) / 2.0),
                                round (MIN (view->height / 2.0, 160)), -1, TRUE);
      return gtk_snapshot_free_to_node (snapshot);
    }

  /* Ruler and grid: cached unless this is an export. */
  if (view->use_cache)
    {
      if (self->static_node == NULL || !same_view (&self->static_view, view))
        {
          g_clear_pointer (&self->static_node, gsk_render_node_unref);
          self->static_node = build_static_layer (self, view);
          self->static_view = *view;
        }
      static_node = gsk_render_node_ref (self->static_node);
    }
  else
    static_node = build_static_layer (self, view);
  gtk_snapshot_append_node (snapshot, static_node);

  if (self->text_boxes == NULL)
    self->text_boxes = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_array_set_size (self->text_boxes, 0);
  if (self->stroke_boxes == NULL)
    self->stroke_boxes = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_array_set_size (self->stroke_boxes, 0);
  self->placing_text = TRUE;

  n_lanes = tl_timeline_model_get_n_lanes (self->model);
  frame.timeline = self;
  frame.snapshot = snapshot;
  frame.view = view;
  frame.now = current_now (self);
  frame.n_summary = n_summary_lanes (self);
  frame.top = task_area_top (self);
  /* Visible task lanes only. */
  frame.first = frame.n_summary + (guint) MAX (0, floor (view->v / self->lane_h));
  frame.last = MIN (n_lanes, frame.n_summary + (guint) ceil ((view->v + view->height - frame.top) / self->lane_h) + 1);

  reserve_room (self, &frame);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, RULER_H,
                                                         view->width - view->label_w, view->height - RULER_H));

  /* Summary lanes, pinned. */
  for (guint lane = 1; lane < frame.n_summary; lane += 2)
    _tl_timeline_append_rect (snapshot, &p->lane_alt, view->label_w, lane_top (self, view, lane),
                              view->width - view->label_w, SUMMARY_H);
  draw_region (self, &frame, TL_TIMELINE_REGION_SUMMARY);
  _tl_timeline_append_rect (snapshot, &p->separator, 0, frame.top - 1, view->width, 1);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, frame.top,
                                                         view->width - view->label_w, view->height - frame.top));
  for (guint lane = frame.first; lane < frame.last; lane++)
    append_lane_background (self, &frame, lane, lane_top (self, view, lane));
  draw_region (self, &frame, TL_TIMELINE_REGION_TASKS);
  draw_pinned_rows (self, &frame, static_node);
  gtk_snapshot_pop (snapshot);

  draw_region (self, &frame, TL_TIMELINE_REGION_PLOT);
  gtk_snapshot_pop (snapshot);

  draw_region (self, &frame, TL_TIMELINE_REGION_OVERLAY);
  self->placing_text = FALSE;

  /* Where the keyboard is: a bar beside the selected task while the
   * timeline has the keyboard focus. */
  if (view->use_cache && gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    {
      int lane = self->selected != TL_NO_INSTANCE ? tl_timeline_model_find_lane (self->model, self->selected) : -1;

      if (lane >= (int) frame.n_summary && lane >= (int) frame.first && lane < (int) frame.last)
        {
          gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, frame.top, view->width, view->height - frame.top));
          _tl_timeline_append_rect (snapshot, &p->running, 0, lane_top (self, view, lane), 3, self->lane_h);
          gtk_snapshot_pop (snapshot);
        }
      else
        _tl_timeline_append_rect (snapshot, &p->running, 0, RULER_H, 3, view->height - RULER_H);
    }

  return gtk_snapshot_free_to_node (snapshot);
}

GskRenderNode *
_tl_timeline_render (TlTimeline           *self,
                     const TlTimelineView *view)
{
  GskRenderNode *node;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  self->vector_tiles = !view->use_cache;
  node = render_view (self, view);
  self->vector_tiles = FALSE;
  return node;
}

TlTimelineLayer *
_tl_timeline_lookup_item (TlTimeline *self,
                          double      x,
                          double      y,
                          guint32    *instance)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  _tl_timeline_get_view (self, &view);
  /* The topmost layer first: it is what the pointer sees. */
  for (guint i = self->layers->len; i > 0; i--)
    {
      TlTimelineLayer *layer = g_ptr_array_index (self->layers, i - 1);

      if (tl_timeline_layer_lookup_item (layer, self, &view, x, y, instance))
        return layer;
    }
  return NULL;
}
