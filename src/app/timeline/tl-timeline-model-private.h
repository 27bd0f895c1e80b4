/* tl-timeline-model-private.h — what the model's files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/tl-timeline-model.h"

G_BEGIN_DECLS

/* An instance's state intervals from its creation on (contiguous, the
 * last one open while it lives), when it ended (-1: not yet) and where its
 * code runs. */
const TlInterval *_tl_timeline_model_get_task_intervals (TlTimelineModel *self,
                                                         guint32          instance,
                                                         guint           *n_intervals,
                                                         gint64          *final_us,
                                                         TlOn            *on);

G_END_DECLS
