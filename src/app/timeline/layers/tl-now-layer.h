/* tl-now-layer.h — while a run goes on: the "now" line and a stall of the
 * event loop growing across every lane
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_NOW_LAYER (tl_now_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlNowLayer, tl_now_layer, TL, NOW_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_now_layer_new (void);

G_END_DECLS
