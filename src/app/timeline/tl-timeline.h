/* tl-timeline.h — the timeline widget
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A custom GtkWidget implementing GtkScrollable: the horizontal
 * adjustment is time (µs), the vertical one is lanes (pixels). It draws a
 * TlTimelineModel: the time ruler, lane names, state intervals, markers,
 * brackets, deadlines, causes and the "now" line.
 *
 * Actions: timeline.zoom-in (+), timeline.zoom-out (-), timeline.zoom-fit
 * (0), timeline.select-next (Down), timeline.select-previous (Up),
 * timeline.collapse (Left), timeline.expand (Right), timeline.activate
 * (Enter), timeline.cancel-selected (Delete), timeline.follow.
 *
 * Signals: "task-activated" (guint instance; Enter or double-click),
 * "cancel-requested" (guint instance; Delete on a running task).
 */
#pragma once

#include <gtk/gtk.h>

#include "timeline/tl-timeline-model.h"

G_BEGIN_DECLS

#define TL_TYPE_TIMELINE (tl_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TlTimeline, tl_timeline, TL, TIMELINE, GtkWidget)

GtkWidget       *tl_timeline_new               (void);
void             tl_timeline_set_model         (TlTimeline      *self,
                                                TlTimelineModel *model);
TlTimelineModel *tl_timeline_get_model         (TlTimeline      *self);

/* TL_NO_INSTANCE when none; property "selected-task". */
guint32          tl_timeline_get_selected_task (TlTimeline      *self);
void             tl_timeline_set_selected_task (TlTimeline      *self,
                                                guint32          instance);

/* Property "follow": keep "now" in view while live, until the user pans. */
/* The names column's width in px as the user dragged it; 0: fit the
 * names, up to a share of the width. */
int              tl_timeline_get_names_width   (TlTimeline      *self);
void             tl_timeline_set_names_width   (TlTimeline      *self,
                                                int              width);
/* Property "lane-height": a task lane's height in px, which every mark,
 * the hit-testing and the scroll range follow. */
#define TL_TIMELINE_DEFAULT_LANE_HEIGHT 24
#define TL_TIMELINE_MIN_LANE_HEIGHT     16
#define TL_TIMELINE_MAX_LANE_HEIGHT     96
int              tl_timeline_get_lane_height   (TlTimeline      *self);
void             tl_timeline_set_lane_height   (TlTimeline      *self,
                                                int              height);
gboolean         tl_timeline_get_follow        (TlTimeline      *self);
void             tl_timeline_set_follow        (TlTimeline      *self,
                                                gboolean         follow);

/* A tick callback runs only while live. */
void             tl_timeline_set_live          (TlTimeline      *self,
                                                gboolean         live);
gboolean         tl_timeline_get_live          (TlTimeline      *self);

/* The engine loop is stalled right now (stall_us so far, by culprit):
 * draw the growing blocked span live. stall_us = 0 ends it. */
void             tl_timeline_set_stall         (TlTimeline      *self,
                                                gint64           stall_us,
                                                guint32          culprit);

/* Visible time window (µs). */
void             tl_timeline_set_visible_range (TlTimeline      *self,
                                                gint64           start_us,
                                                gint64           end_us);
void             tl_timeline_get_visible_range (TlTimeline      *self,
                                                gint64          *start_us,
                                                gint64          *end_us);

/* Geometry helpers (widget coordinates). */
double           tl_timeline_time_to_x         (TlTimeline      *self,
                                                gint64           time_us);
gint64           tl_timeline_x_to_time         (TlTimeline      *self,
                                                double           x);
/* Lane at y (visible lane index) or -1; instance at (x, y) or
 * TL_NO_INSTANCE. */
int              tl_timeline_lane_at_y         (TlTimeline      *self,
                                                double           y);
guint32          tl_timeline_instance_at       (TlTimeline      *self,
                                                double           x,
                                                double           y,
                                                gint64          *time_us);
/* Top of a lane's row in widget coordinates. */
double           tl_timeline_lane_to_y         (TlTimeline      *self,
                                                guint            lane);

/* Accessible summary ("Timeline of 3 tasks over 1.00 s: 3 ok"); free it. */
char            *tl_timeline_dup_summary       (TlTimeline      *self);

/* Render the timeline to a PNG (svg = FALSE) or SVG file at the given
 * width; whole_run = TRUE exports the whole run and all lanes under a
 * title band (the preset's name and the run's summary), FALSE the
 * current view. Both end with the legend. Works without the widget
 * being mapped. */
gboolean         tl_timeline_export_image      (TlTimeline      *self,
                                                const char      *path,
                                                gboolean         svg,
                                                int              width,
                                                gboolean         whole_run,
                                                GError         **error);

/* The key of the timeline's colours and shapes (queued, waiting, running,
 * blocked, ✓ ✗ ⏱ ⊘, never started, pending, deadline), drawn exactly as
 * the timeline draws them; wraps to the width it gets. Image exports
 * include it. */
/* --- replay (tl-timeline-cursor.c) ---
 * A time cursor on the ruler: dragged there, stepped from event to event
 * (timeline.previous-event / timeline.next-event) or moved by playback
 * (timeline.play). Lanes after it are veiled, so the picture shows the run
 * as it was at that instant; "cursor-changed" tells the window. */
void             tl_timeline_set_cursor        (TlTimeline      *self,
                                                gint64           time_us);
/* -1 when there is no cursor. */
gint64           tl_timeline_get_cursor        (TlTimeline      *self);
/* Plays the run from the cursor at @speed (0.1 to 2: 1 is real time); 0
 * pauses. Playing a run that is still going does nothing. */
void             tl_timeline_play              (TlTimeline      *self,
                                                double           speed);
/* 0 while paused. */
double           tl_timeline_get_playback_speed (TlTimeline     *self);
/* Moves the cursor to the next (or previous) time a task starts, awaits,
 * resumes or finishes; FALSE when there is none. */
gboolean         tl_timeline_step_event        (TlTimeline      *self,
                                                gboolean         forward);

/* The finished run replayed into an animated PNG (APNG) @width pixels
 * wide: @fps frames a second of playback at @speed (0.1 to 2), the
 * finished picture held at the end. Stores the number of frames. */
gboolean         tl_timeline_export_animation  (TlTimeline      *self,
                                                const char      *path,
                                                int              width,
                                                double           fps,
                                                double           speed,
                                                guint           *n_frames,
                                                GError         **error);

/* A learner's guess drawn as a ghost mark: a dashed line at @time_us
 * (when >= 0) and an outline around @instance's lane (when not
 * TL_NO_INSTANCE), with a short text. */
typedef struct {
  gint64      time_us;
  guint32     instance;
  const char *text;
} TlTimelineGuess;

void             tl_timeline_set_guesses       (TlTimeline            *self,
                                                const TlTimelineGuess *guesses,
                                                guint                  n_guesses);
guint            tl_timeline_get_n_guesses     (TlTimeline            *self);

/* --- task search (tl-timeline-search.c) ---
 * Lanes whose task label or name holds @text (casefolded) are
 * highlighted; stepping selects each match in lane order (opening a
 * collapsed group on the way) and scrolls it into view. NULL or "" ends
 * the search. A new model is searched for the same text. */
void             tl_timeline_set_search        (TlTimeline      *self,
                                                const char      *text);
guint            tl_timeline_get_n_matches     (TlTimeline      *self);
/* Index of the match last stepped to, -1 when none. */
int              tl_timeline_get_current_match (TlTimeline      *self);
/* Selects the next (or previous) match, wrapping; FALSE when none. */
gboolean         tl_timeline_step_match        (TlTimeline      *self,
                                                gboolean         forward);

#define TL_TYPE_TIMELINE_LEGEND (tl_timeline_legend_get_type ())
G_DECLARE_FINAL_TYPE (TlTimelineLegend, tl_timeline_legend, TL, TIMELINE_LEGEND, GtkWidget)

GtkWidget       *tl_timeline_legend_new        (void);

G_END_DECLS
