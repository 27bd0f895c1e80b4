/* tl-summary-bar.h — per-section figures under the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "preset/tl-preset.h"
#include "timeline/tl-timeline-model.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_SUMMARY_BAR (tl_summary_bar_get_type ())
G_DECLARE_FINAL_TYPE (TlSummaryBar, tl_summary_bar, TL, SUMMARY_BAR, GtkWidget)

GtkWidget *tl_summary_bar_new          (void);

/* Before a run: what the preset will run. */
void       tl_summary_bar_show_preset  (TlSummaryBar    *self,
                                        TlPreset        *preset);
/* During a run: elapsed time and live counts; a stall of the engine loop
 * (stall_us > 0) is spelled out with its culprit. */
void       tl_summary_bar_show_live    (TlSummaryBar    *self,
                                        TlTimelineModel *model,
                                        gint64           now_us,
                                        gint64           stall_us,
                                        guint32          culprit);
/* At the time cursor: how many tasks were running, waiting and done then,
 * and which task's code the event loop was running. */
void       tl_summary_bar_show_at      (TlSummaryBar    *self,
                                        TlTimelineModel *model,
                                        gint64           time_us);
/* After a run (complete trace): per section wall time, the tasks' own
 * time, the overlap factor and counts by final state, plus a comparison
 * of the sections' wall times when there are several. */
void       tl_summary_bar_show_trace   (TlSummaryBar    *self,
                                        TlTrace         *trace);

/* Everything the bar shows, one label per line (tests, accessibility). */
char      *tl_summary_bar_dup_text     (TlSummaryBar    *self);

/* "3 ok, 1 failed"; NULL-safe formatting of final-state counts. */
char      *tl_summary_bar_format_counts (const guint   *counts);

/* Adds the "Stopping…" line under the live status, saying why the run
 * still goes: calls on threads cannot be interrupted. */
void        tl_summary_bar_show_stopping (TlSummaryBar *self,
                                          guint         n_uninterruptible);

G_END_DECLS
