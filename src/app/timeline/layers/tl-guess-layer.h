/* tl-guess-layer.h — a learner's guesses as ghost marks
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/layers/tl-timeline-layer.h"

G_BEGIN_DECLS

#define TL_TYPE_GUESS_LAYER (tl_guess_layer_get_type ())
G_DECLARE_FINAL_TYPE (TlGuessLayer, tl_guess_layer, TL, GUESS_LAYER, TlTimelineLayer)

TlTimelineLayer *tl_guess_layer_new (void);

G_END_DECLS
