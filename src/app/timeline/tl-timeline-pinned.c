/* tl-timeline-pinned.c — sticky headers: the section and the parent task
 * of the lanes at the top stay named while their own lanes scroll away
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scrolled into the middle of a long run, a lane called "fetch_user(17)"
 * no longer says which section or which gather it belongs to. As in
 * Perfetto and Chrome's DevTools, the names of the section and of the
 * parent whose header lanes scrolled above the view are pinned at the top
 * of the lanes area, section first; the lanes scrolled under them are
 * covered, names and marks, and each pinned row shows its own lane's
 * marks (drawn in tl-timeline-render.c).
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <math.h>

#include "timeline/tl-timeline-private.h"

/* The lane whose row holds @y px below the top of the task lanes. */
static int
lane_below_top (TlTimeline           *self,
                const TlTimelineView *view,
                double                y)
{
  guint n_lanes = tl_timeline_model_get_n_lanes (self->model);
  double row = floor ((view->v + y) / self->lane_h);
  guint lane;

  if (row < 0)
    return -1;
  lane = n_summary_lanes (self) + (guint) row;
  return lane < n_lanes ? (int) lane : -1;
}

/* The header lanes above @lane to pin for it: its section's, then its
 * parent's (unless the parent is what the section header names). */
static guint
hidden_headers_of (TlTimeline *self,
                   int         lane,
                   guint      *headers)
{
  guint n = 0;
  int section;

  if (lane < 0 || tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
    return 0;
  section = tl_timeline_model_get_section_lane (self->model, lane);
  if (section >= 0 && section < lane)
    headers[n++] = (guint) section;

  if (tl_timeline_model_get_lane_depth (self->model, lane) >= 2)
    {
      guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
      int parent = tl_timeline_model_find_lane (self->model,
                                                tl_timeline_model_get_parent (self->model, instance));

      if (parent >= 0 && parent < lane)
        headers[n++] = (guint) parent;
    }
  return n;
}

guint
_tl_timeline_get_pinned (TlTimeline           *self,
                         const TlTimelineView *view,
                         guint                *lanes)
{
  guint first[TL_TIMELINE_MAX_PINNED], n_first, n;
  int top_lane;

  if (self->model == NULL || view->v <= 0)
    return 0;

  /* A section's own header, scrolled part of the way under the summary
   * lanes, would show a sliver of its name cut across: it is pinned
   * whole, as it will be once its first task reaches the top. */
  top_lane = lane_below_top (self, view, 0);
  if (top_lane >= 0 && tl_timeline_model_get_lane_kind (self->model, top_lane) == TL_LANE_SECTION &&
      fmod (view->v, self->lane_h) >= 1)
    {
      lanes[0] = (guint) top_lane;
      return 1;
    }

  /* What the top lane needs pinned covers the lanes under it: the names
   * are those of the first lane below the pinned rows. */
  n_first = hidden_headers_of (self, top_lane, first);
  if (n_first == 0)
    return 0;
  n = hidden_headers_of (self, lane_below_top (self, view, n_first * self->lane_h), lanes);
  if (n > n_first)
    n = hidden_headers_of (self, lane_below_top (self, view, n * self->lane_h), lanes);
  return n;
}

GskRenderNode *
_tl_timeline_render_pinned (TlTimeline           *self,
                            const TlTimelineView *view,
                            const guint          *lanes,
                            guint                 n_pinned)
{
  const TlTimelinePalette *p = &self->palette;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double top = task_area_top (self);
  GdkRGBA shadow = p->separator;

  for (guint i = 0; i < n_pinned; i++)
    {
      guint lane = lanes[i];
      double y = top + i * self->lane_h;
      double x = 8;
      g_autofree char *label = tl_timeline_model_dup_lane_label (self->model, lane);

      _tl_timeline_append_rect (snapshot, &p->label_bg, 0, y, view->label_w - 1, self->lane_h);
      if (tl_timeline_model_get_lane_kind (self->model, lane) == TL_LANE_TASK)
        x += INDENT * tl_timeline_model_get_lane_depth (self->model, lane) + 14;
      _tl_timeline_append_text (self, snapshot, label, &p->fg, x, y + self->lane_h / 2.0, view->label_w - x - 6, TRUE);
    }
  /* An edge under the pinned rows, across the lanes too (the rows are
   * drawn whole there, tl-timeline-render.c), so they read as lifted
   * above the lanes. */
  _tl_timeline_append_rect (snapshot, &p->separator, 0, top + n_pinned * self->lane_h - 1, view->width, 1);
  shadow.alpha *= 0.5f;
  _tl_timeline_append_rect (snapshot, &shadow, 0, top + n_pinned * self->lane_h, view->width, 2);
  return gtk_snapshot_free_to_node (snapshot);
}
