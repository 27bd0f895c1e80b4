/* tl-brackets-layer.h — the brackets around a parent's children and the
 * deadlines (Timeout, MaxWait) across its subtree
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_BRACKETS_LAYER (tl_brackets_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlBracketsLayer, tl_brackets_layer, TL, BRACKETS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_brackets_layer_new (void);

G_END_DECLS
