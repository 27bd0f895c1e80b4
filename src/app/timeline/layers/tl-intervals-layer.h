/* tl-intervals-layer.h — what each task and section did, as coloured intervals and
 * states, with the words, ghosts and lines a lane shows beyond them
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_INTERVALS_LAYER (tl_intervals_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlIntervalsLayer, tl_intervals_layer, TL, INTERVALS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_intervals_layer_new (void);

G_END_DECLS
