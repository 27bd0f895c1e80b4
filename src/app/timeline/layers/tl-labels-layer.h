/* tl-labels-layer.h — the names column: section and task names with their
 * disclosure triangles, and the summary lanes' titles and figures
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_LABELS_LAYER (tl_labels_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlLabelsLayer, tl_labels_layer, TL, LABELS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_labels_layer_new (void);

G_END_DECLS
