/* tl-cursor-layer.h — the time cursor, and the run veiled after it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_CURSOR_LAYER (tl_cursor_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlCursorLayer, tl_cursor_layer, TL, CURSOR_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_cursor_layer_new (void);

G_END_DECLS
