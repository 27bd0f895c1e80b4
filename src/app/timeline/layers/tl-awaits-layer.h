/* tl-awaits-layer.h — await arrows: from the end of a task to the task
 * that awaited it and resumed then
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_AWAITS_LAYER (tl_awaits_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlAwaitsLayer, tl_awaits_layer, TL, AWAITS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_awaits_layer_new (void);

/* One arrow as drawn in a view: from (x1, y1), the end of the awaited
 * task on its lane's centre line, to (x2, y2), where the awaiter resumes
 * on its lane's centre line. */
typedef struct {
  guint32 awaited;
  guint32 awaiter;
  double  x1, y1;
  double  x2, y2;
} TlAwaitArrow;

/* The arrows of @view that can show (both lanes visible, not wholly out
 * of the picture), at most @max_arrows; returns how many it stored. */
guint _tl_awaits_layer_collect (TlTimeline           *timeline,
                                const TlTimelineView *view,
                                TlAwaitArrow         *arrows,
                                guint                 max_arrows);

G_END_DECLS
