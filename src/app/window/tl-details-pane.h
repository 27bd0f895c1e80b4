/* tl-details-pane.h — everything about the selected task instance
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "timeline/tl-timeline-model.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_DETAILS_PANE (tl_details_pane_get_type ())
G_DECLARE_FINAL_TYPE (TlDetailsPane, tl_details_pane, TL, DETAILS_PANE, GtkWidget)

GtkWidget *tl_details_pane_new          (void);

/* The run to describe; NULLs clear the pane. */
void       tl_details_pane_set_run      (TlDetailsPane   *self,
                                         TlTrace         *trace,
                                         TlTimelineModel *model);
void       tl_details_pane_set_instance (TlDetailsPane   *self,
                                         guint32          instance);
guint32    tl_details_pane_get_instance (TlDetailsPane   *self);
/* The scroll position of the details (for tests). */
double     tl_details_pane_get_scroll   (TlDetailsPane   *self);
void       tl_details_pane_set_scroll   (TlDetailsPane   *self,
                                         double           value);
/* Re-reads the instance; now_us is the run's present time while it
 * runs, -1 once it has ended. */
void       tl_details_pane_refresh      (TlDetailsPane   *self,
                                         gint64           now_us);

/* Human names shared with other views. */
const char *tl_details_state_name       (TlState          state);
/* The symbolic icon shown beside a final state, or NULL. */
const char *tl_details_state_icon_name  (TlState          state);
const char *tl_details_kind_name        (TlKind           kind);
const char *tl_details_on_name          (TlOn             on);

/* Shows the task's state at @time_us (the timeline's cursor); -1 shows it
 * as it is now. */
void       tl_details_pane_set_cursor  (TlDetailsPane   *self,
                                        gint64           time_us);

G_END_DECLS
