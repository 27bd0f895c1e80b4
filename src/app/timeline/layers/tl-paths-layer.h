/* tl-paths-layer.h — cause arrows (a timeout or a failed sibling to what it
 * cancelled) and error paths (where a failure came from)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_PATHS_LAYER (tl_paths_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlPathsLayer, tl_paths_layer, TL, PATHS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_paths_layer_new (void);

G_END_DECLS
