/* tl-markers-layer.h — the end of each task: a cap and a shape in its final
 * state's colour, and what it returned or raised
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_MARKERS_LAYER (tl_markers_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlMarkersLayer, tl_markers_layer, TL, MARKERS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_markers_layer_new (void);

G_END_DECLS
