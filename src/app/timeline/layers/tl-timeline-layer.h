/* tl-timeline-layer.h — one kind of mark drawn on the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/tl-timeline-private.h"

G_BEGIN_DECLS

/* Where in the picture a layer draws; the timeline clips each region and
 * draws the layers of one region in their order before the next. */
typedef enum {
  TL_TIMELINE_REGION_SUMMARY = 1 << 0, /* the pinned summary lanes, clipped to the plot */
  TL_TIMELINE_REGION_TASKS   = 1 << 1, /* the scrolled section and task lanes */
  TL_TIMELINE_REGION_PLOT    = 1 << 2, /* the whole plot under the ruler */
  TL_TIMELINE_REGION_OVERLAY = 1 << 3, /* unclipped: the names column, the ruler */
} TlTimelineRegion;

/* One picture being drawn: what every layer needs and nothing it may
 * keep. The visible task lanes are first ≤ lane < last. */
typedef struct {
  TlTimeline           *timeline;
  GtkSnapshot          *snapshot;
  const TlTimelineView *view;
  TlTimelineRegion      region;
  guint                 first;
  guint                 last;
  guint                 n_summary;
  double                top;       /* y where the task lanes start */
  gint64                now;
  /* Drawing the one lane @first into its pinned row at the top (the
   * snapshot translated there): layers that draw across lanes leave it. */
  gboolean              pinned_row;
} TlTimelineFrame;

#define TL_TYPE_TIMELINE_LAYER (tl_timeline_layer_get_type ())
G_DECLARE_DERIVABLE_TYPE (TlTimelineLayer, tl_timeline_layer, TL, TIMELINE_LAYER, GObject)

/* A layer is a plain object, not a widget: a million lanes are drawn into
 * the timeline's one snapshot with its view transform, and the timeline
 * alone handles input. Two duties, as in Sysprof's chart layers: draw what
 * is visible, and say which task lies under a point. */
struct _TlTimelineLayerClass
{
  GObjectClass parent_class;

  /* What the legend calls these marks, for documentation and tests. */
  const char       *title;
  TlTimelineRegion  regions;
  /* Draws lines across the task lanes that text must keep clear of: the
   * timeline runs its draw once more before any text is placed, drawing
   * nothing, only noting those lines (_tl_timeline_note_stroke). */
  gboolean          reserves_room;

  /* Called once per region of @regions; frame->region says which. */
  void     (*draw)        (TlTimelineLayer       *self,
                           const TlTimelineFrame *frame);
  /* The task whose mark of this layer lies under (x, y), in the
   * coordinates of @view; FALSE when none does. */
  gboolean (*lookup_item) (TlTimelineLayer       *self,
                           TlTimeline            *timeline,
                           const TlTimelineView  *view,
                           double                 x,
                           double                 y,
                           guint32               *instance);
};

const char      *tl_timeline_layer_get_title   (TlTimelineLayer       *self);
TlTimelineRegion tl_timeline_layer_get_regions (TlTimelineLayer       *self);
gboolean         tl_timeline_layer_reserves_room (TlTimelineLayer     *self);
void             tl_timeline_layer_draw        (TlTimelineLayer       *self,
                                                const TlTimelineFrame *frame);
gboolean         tl_timeline_layer_lookup_item (TlTimelineLayer       *self,
                                                TlTimeline            *timeline,
                                                const TlTimelineView  *view,
                                                double                 x,
                                                double                 y,
                                                guint32               *instance);

int              _tl_timeline_layer_lane_at      (TlTimeline           *timeline,
                                                  const TlTimelineView *view,
                                                  double                y,
                                                  gboolean             *pinned);
/* The task lane under y in @view, or -1 (summary lanes, the ruler, below
 * the last lane, a lane of another kind); a pinned row gives its lane. */
int              _tl_timeline_layer_task_lane_at (TlTimeline           *timeline,
                                                  const TlTimelineView *view,
                                                  double                y);

G_END_DECLS
