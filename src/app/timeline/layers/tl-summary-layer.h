/* tl-summary-layer.h — the pinned summary lanes: the event loop, the pools,
 * HTTP and how many tasks were in flight
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_SUMMARY_LAYER (tl_summary_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlSummaryLayer, tl_summary_layer, TL, SUMMARY_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_summary_layer_new (void);

G_END_DECLS
