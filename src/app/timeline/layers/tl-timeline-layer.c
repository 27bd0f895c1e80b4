/* tl-timeline-layer.c — the base of the timeline's layers
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <math.h>

#include "timeline/layers/tl-timeline-layer.h"

G_DEFINE_ABSTRACT_TYPE (TlTimelineLayer, tl_timeline_layer, G_TYPE_OBJECT)

static void
tl_timeline_layer_class_init (TlTimelineLayerClass *klass)
{
}

static void
tl_timeline_layer_init (TlTimelineLayer *self)
{
}

const char *
tl_timeline_layer_get_title (TlTimelineLayer *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_LAYER (self), NULL);

  return TL_TIMELINE_LAYER_GET_CLASS (self)->title;
}

TlTimelineRegion
tl_timeline_layer_get_regions (TlTimelineLayer *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_LAYER (self), 0);

  return TL_TIMELINE_LAYER_GET_CLASS (self)->regions;
}

gboolean
tl_timeline_layer_reserves_room (TlTimelineLayer *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_LAYER (self), FALSE);

  return TL_TIMELINE_LAYER_GET_CLASS (self)->reserves_room;
}

void
tl_timeline_layer_draw (TlTimelineLayer       *self,
                        const TlTimelineFrame *frame)
{
  TlTimelineLayerClass *klass;

  g_return_if_fail (TL_IS_TIMELINE_LAYER (self));
  g_return_if_fail (frame != NULL);

  klass = TL_TIMELINE_LAYER_GET_CLASS (self);
  if (klass->draw != NULL && (klass->regions & frame->region) != 0)
    klass->draw (self, frame);
}

gboolean
tl_timeline_layer_lookup_item (TlTimelineLayer      *self,
                               TlTimeline           *timeline,
                               const TlTimelineView *view,
                               double                x,
                               double                y,
                               guint32              *instance)
{
  TlTimelineLayerClass *klass;
  guint32 found = TL_NO_INSTANCE;

  g_return_val_if_fail (TL_IS_TIMELINE_LAYER (self), FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  klass = TL_TIMELINE_LAYER_GET_CLASS (self);
  if (klass->lookup_item == NULL || timeline->model == NULL ||
      !klass->lookup_item (self, timeline, view, x, y, &found))
    return FALSE;
  if (instance != NULL)
    *instance = found;
  return TRUE;
}

/* The lane whose row holds @y in the task lanes, -1 for none; @pinned,
 * whether that row is a pinned one (tl-timeline-pinned.c), which stands
 * for its header lane, shown there over the lanes it covers. */
int
_tl_timeline_layer_lane_at (TlTimeline           *timeline,
                            const TlTimelineView *view,
                            double                y,
                            gboolean             *pinned)
{
  double top = task_area_top (timeline);
  guint pinned_lanes[TL_TIMELINE_MAX_PINNED];
  guint n_pinned;
  int lane;

  *pinned = FALSE;
  if (timeline->model == NULL || y < top)
    return -1;
  n_pinned = _tl_timeline_get_pinned (timeline, view, pinned_lanes);
  if (y < top + n_pinned * timeline->lane_h)
    {
      *pinned = TRUE;
      return (int) pinned_lanes[(guint) ((y - top) / timeline->lane_h)];
    }
  lane = (int) n_summary_lanes (timeline) + (int) floor ((y - top + view->v) / timeline->lane_h);
  return lane < (int) tl_timeline_model_get_n_lanes (timeline->model) ? lane : -1;
}

int
_tl_timeline_layer_task_lane_at (TlTimeline           *timeline,
                                 const TlTimelineView *view,
                                 double                y)
{
  gboolean pinned;
  int lane = _tl_timeline_layer_lane_at (timeline, view, y, &pinned);

  if (lane < 0 || tl_timeline_model_get_lane_kind (timeline->model, lane) != TL_LANE_TASK)
    return -1;
  return lane;
}
