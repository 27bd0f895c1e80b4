/* tl-timeline-model.h — lanes and state intervals built from a TlTrace
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model lives on the UI thread. It reads the trace incrementally (see
 * the threading contract in tl-trace.h): each tl_timeline_model_update()
 * consumes the events and instances the engine published since the last
 * call and turns them into lanes in tree order, each holding sorted state
 * intervals, plus summary lanes (event loop, thread pool, processes, HTTP
 * connections, concurrency).
 */
#pragma once

#include <glib-object.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_TIMELINE_MODEL (tl_timeline_model_get_type ())
G_DECLARE_FINAL_TYPE (TlTimelineModel, tl_timeline_model, TL, TIMELINE_MODEL, GObject)

/* What a lane shows. */
typedef enum {
  TL_LANE_SECTION,          /* header of a section: its span */
  TL_LANE_TASK,             /* one task instance */
  TL_LANE_LOOP,             /* event loop: free / busy / blocked */
  TL_LANE_THREADS,          /* thread pool: busy + queued step chart */
  TL_LANE_PROCESSES,        /* process pool: busy + queued step chart */
  TL_LANE_HTTP,             /* HTTP: in flight + queued step chart */
  TL_LANE_CONCURRENCY,      /* tasks running vs waiting step chart */
  TL_LANE_GAP,              /* an empty row: a task of the run compared
                               with that this run lacks (see _align) */
} TlLaneKind;

/* What one interval of a lane shows. Task lanes use the TlState values
 * (QUEUED, WAITING, RUNNING, BLOCKED; CREATED when it exists but has not
 * started). The event-loop lane uses TL_LOOP_*. */
typedef enum {
  TL_LOOP_FREE,
  TL_LOOP_BUSY,
  TL_LOOP_BLOCKED,
} TlLoopState;

typedef struct {
  gint64   start_us;
  gint64   end_us;      /* G_MAXINT64 while open: drawn up to "now" */
  guint32  state;       /* TlState for task lanes, TlLoopState for the loop */
  guint32  extra;       /* loop: culprit instance of a stall; else 0 */
} TlInterval;

/* One step of a step chart: from time_us on, the values are a and b
 * (busy/queued, in flight/queued, running/waiting). */
typedef struct {
  gint64   time_us;
  gint32   a;
  gint32   b;
} TlStep;

/* Final marker drawn at the end of a task lane. */
typedef enum {
  TL_MARKER_NONE,
  TL_MARKER_OK,             /* ✓ */
  TL_MARKER_FAILED,         /* ✗ */
  TL_MARKER_TIMED_OUT,      /* ⏱ */
  TL_MARKER_CANCELLED,      /* ⊘ (cancelled or never started) */
} TlMarker;

TlTimelineModel *tl_timeline_model_new            (TlTrace         *trace);
TlTrace         *tl_timeline_model_get_trace      (TlTimelineModel *self);

/* Consume what the engine published since the last call. Returns TRUE and
 * emits "changed" if anything changed. */
gboolean         tl_timeline_model_update         (TlTimelineModel *self);
/* Open intervals are drawn up to here while the run goes on. */
void             tl_timeline_model_set_now        (TlTimelineModel *self,
                                                   gint64           now_us);
gint64           tl_timeline_model_get_now        (TlTimelineModel *self);
/* Last time anything happened (or "now" while live): the run's extent. */
gint64           tl_timeline_model_get_end_us     (TlTimelineModel *self);
gboolean         tl_timeline_model_is_complete    (TlTimelineModel *self);

/* --- visible lanes, top to bottom (summary lanes first, then sections
 * with their instances in tree order, collapsed subtrees hidden) --- */
guint            tl_timeline_model_get_n_lanes    (TlTimelineModel *self);
TlLaneKind       tl_timeline_model_get_lane_kind  (TlTimelineModel *self,
                                                   guint            lane);
/* The instance of a task lane, the root of a section lane, else TL_NO_INSTANCE. */
guint32          tl_timeline_model_get_lane_instance (TlTimelineModel *self,
                                                   guint            lane);
/* Visible lane of an instance, or -1 when hidden or unknown. */
int              tl_timeline_model_find_lane      (TlTimelineModel *self,
                                                   guint32          instance);
/* Nesting depth used for indenting names (0 for summary/section lanes). */
guint            tl_timeline_model_get_lane_depth (TlTimelineModel *self,
                                                   guint            lane);
/* Name of the lane; free with g_free(). */
char            *tl_timeline_model_dup_lane_label (TlTimelineModel *self,
                                                   guint            lane);
/* Intervals of a task, section or loop lane, sorted by start; the
 * returned array stays valid until the next update. */
const TlInterval *tl_timeline_model_get_intervals (TlTimelineModel *self,
                                                   guint            lane,
                                                   guint           *n_intervals);
/* Index of the first interval whose end is after time_us (binary search). */
guint            tl_timeline_model_find_interval  (TlTimelineModel *self,
                                                   guint            lane,
                                                   gint64           time_us);
/* How long the event loop was busy between the start of the run and
 * time_us: busy(a, b) = f(b) - f(a) gives a pixel column's load. @cursor
 * (may be NULL; start it at 0) speeds up calls with growing times. */
gint64           tl_timeline_model_get_loop_busy_us (TlTimelineModel *self,
                                                   gint64           time_us,
                                                   guint           *cursor);
/* Loop stalls (TL_LOOP_BLOCKED intervals, extra = culprit), sorted; they
 * are drawn over the loop lane's busy intervals. */
const TlInterval *tl_timeline_model_get_stalls    (TlTimelineModel *self,
                                                   guint           *n_stalls);
guint            tl_timeline_model_find_stall     (TlTimelineModel *self,
                                                   gint64           time_us);
/* Steps of a chart lane (threads, processes, HTTP, concurrency). */
const TlStep    *tl_timeline_model_get_steps      (TlTimelineModel *self,
                                                   guint            lane,
                                                   guint           *n_steps,
                                                   gint32          *max_value);

/* --- per instance facts --- */
TlMarker         tl_timeline_model_get_marker     (TlTimelineModel *self,
                                                   guint32          instance,
                                                   gint64          *time_us);
TlState          tl_timeline_model_get_state      (TlTimelineModel *self,
                                                   guint32          instance);
gint64           tl_timeline_model_get_created_us (TlTimelineModel *self,
                                                   guint32          instance);
/* End of the instance's activity (final time, or -1 while live). */
gint64           tl_timeline_model_get_finished_us(TlTimelineModel *self,
                                                   guint32          instance);
/* Deadline (absolute µs) or -1; kind 0 = Timeout, 1 = MaxWait. */
gint64           tl_timeline_model_get_deadline   (TlTimelineModel *self,
                                                   guint32          instance,
                                                   guint            kind);
/* Instance that caused the cancellation, TL_NO_INSTANCE when none. */
guint32          tl_timeline_model_get_cause      (TlTimelineModel *self,
                                                   guint32          instance,
                                                   TlCause         *cause);
/* Instances whose cancellation this instance caused (timeout, failure,
 * wait), in the order they were cancelled. Free with g_free(); at most
 * max_results. */
guint32         *tl_timeline_model_dup_caused     (TlTimelineModel *self,
                                                   guint32          cause,
                                                   guint            max_results,
                                                   guint           *n_results);
guint            tl_timeline_model_get_n_instances (TlTimelineModel *self);
guint            tl_timeline_model_get_n_summary_lanes (TlTimelineModel *self);
/* Largest stall seen so far (µs), for the loop lane's label. */
gint64           tl_timeline_model_get_max_stall_us (TlTimelineModel *self);
/* Loop lags of at least TL_TIMELINE_MIN_LAG_US: [due, reported] of the
 * late timer, sorted by end. Smaller lags are the machine's, not the
 * program's: neither kept nor counted in the largest lag. */
#define TL_TIMELINE_MIN_LAG_US 20000
const TlInterval *tl_timeline_model_get_lags      (TlTimelineModel *self,
                                                   guint           *n_lags);
/* Largest loop lag reported (TL_COUNTER_LOOP_LAG_US, at least
 * TL_TIMELINE_MIN_LAG_US) or stall (µs). */
gint64           tl_timeline_model_get_max_lag_us (TlTimelineModel *self);
/* TRUE when the instance has children (its lane gets a disclosure
 * triangle and a bracket). */
gboolean         tl_timeline_model_is_composite   (TlTimelineModel *self,
                                                   guint32          instance);
guint32          tl_timeline_model_get_parent     (TlTimelineModel *self,
                                                   guint32          instance);
/* The largest a and a + b among steps first..last of a chart lane (what a
 * pixel column covering them shows), in O(64 + (last - first) / 64). */
void             tl_timeline_model_get_steps_peak (TlTimelineModel *self,
                                                   guint            lane,
                                                   guint            first,
                                                   guint            last,
                                                   gint32          *max_a,
                                                   gint32          *max_sum);
/* For a composite: the last visible lane of its subtree (for brackets). */
int              tl_timeline_model_get_subtree_end_lane (TlTimelineModel *self,
                                                   guint            lane);

/* The header lane of the section a section or task lane belongs to, or
 * -1 (summary lanes). */
int              tl_timeline_model_get_section_lane (TlTimelineModel *self,
                                                   guint            lane);

/* The peaks of a chart's two values taken alone (busy and queued, in
 * flight and queued, running and waiting): a learner reads "2 busy · 3
 * queued", never their sum. */
void             tl_timeline_model_get_chart_peaks (TlTimelineModel *self,
                                                   guint            lane,
                                                   gint32          *peak_a,
                                                   gint32          *peak_b);
/* The span of the section an instance belongs to; end -1 while open.
 * FALSE when unknown. */
gboolean         tl_timeline_model_get_section_span (TlTimelineModel *self,
                                                   guint32          instance,
                                                   gint64          *start_us,
                                                   gint64          *end_us);
/* Children in creation order, at most max_results; free with g_free(). */
guint32         *tl_timeline_model_dup_children   (TlTimelineModel *self,
                                                   guint32          instance,
                                                   guint            max_results,
                                                   guint           *n_results);
/* When the instance first ran or waited (left CREATED and QUEUED), or -1. */
gint64           tl_timeline_model_get_started_us (TlTimelineModel *self,
                                                   guint32          instance);
TlKind           tl_timeline_model_get_kind       (TlTimelineModel *self,
                                                   guint32          instance);

/* One task taking the result of another that is not its child: a plain
 * `await task` on a task that create_task (spawn) started. The awaiter
 * resumes at time_us, when the awaited task has ended. */
typedef struct {
  guint32  awaited;
  guint32  awaiter;
  gint64   time_us;
} TlAwait;

/* Every such await so far, in the order they happened; valid until the
 * next update. */
const TlAwait   *tl_timeline_model_get_awaits     (TlTimelineModel *self,
                                                   guint           *n_awaits);

/* The instances whose label or task name holds @text (compared
 * casefolded), in the order of their lanes with every group open; NULL
 * and 0 for an empty text. Free with g_free(). */
guint32         *tl_timeline_model_dup_matches    (TlTimelineModel *self,
                                                   const char      *text,
                                                   guint           *n_matches);

/* --- collapsing composites --- */
gboolean         tl_timeline_model_get_collapsed  (TlTimelineModel *self,
                                                   guint32          instance);
void             tl_timeline_model_set_collapsed  (TlTimelineModel *self,
                                                   guint32          instance,
                                                   gboolean         collapsed);

/* --- counts for summaries ("Timeline of 3 tasks over 1.00 s: 3 ok"):
 * leaf task instances only (sleep, fetch, blocking, cpu), by their
 * current state --- */
guint            tl_timeline_model_get_n_tasks    (TlTimelineModel *self);
guint            tl_timeline_model_count_state    (TlTimelineModel *self,
                                                   TlState          state);

/* A canonical text dump of everything the model holds (lanes, intervals,
 * steps, markers, deadlines, causes). Two models built from the same
 * events produce identical dumps; used by tests. Free with g_free(). */
char            *tl_timeline_model_dump           (TlTimelineModel *self);

/* --- the run at one instant (tl-timeline-model-at.c): what a time cursor
 * shows. Times are from the start of the run. --- */

/* What @instance was doing at @time_us: CREATED, QUEUED, WAITING, RUNNING
 * or BLOCKED while it lived, its final state from the moment it ended;
 * TL_N_STATES when it did not exist yet. */
TlState          tl_timeline_model_get_state_at   (TlTimelineModel *self,
                                                   guint32          instance,
                                                   gint64           time_us);
/* Leaf tasks in @state at @time_us. */
guint            tl_timeline_model_count_state_at (TlTimelineModel *self,
                                                   TlState          state,
                                                   gint64           time_us);
/* The event loop at @time_us: blocked (with the culprit in *@instance),
 * busy running a task's code (the deepest task running on the loop, or
 * changing state on it at exactly @time_us, in *@instance) or free
 * (*@instance = TL_NO_INSTANCE). */
TlLoopState      tl_timeline_model_get_loop_at    (TlTimelineModel *self,
                                                   gint64           time_us,
                                                   guint32         *instance);
/* The values of a chart lane at @time_us (0 and 0 before its first step);
 * FALSE when @lane is not a chart lane. */
gboolean         tl_timeline_model_get_steps_at   (TlTimelineModel *self,
                                                   guint            lane,
                                                   gint64           time_us,
                                                   gint32          *a,
                                                   gint32          *b);
/* The first time after (or, @forward FALSE, before) @time_us at which a
 * task starts, awaits, resumes or finishes; -1 when there is none. */
gint64           tl_timeline_model_find_event     (TlTimelineModel *self,
                                                   gint64           time_us,
                                                   gboolean         forward);

/* --- two runs compared (tl-timeline-model-align.c) ---
 *
 * Lines up the lanes of two finished runs by task identity (the chain of
 * task names and Repeat numbers, tl_compare_dup_instance_keys()): both
 * models get TL_LANE_GAP rows where the other run has a task this one
 * lacks, so the same task sits on the same row of both timelines and
 * both have as many rows. The alignment holds for the lanes as they are
 * now (collapsed subtrees included) and lasts until cleared. */
void             tl_timeline_model_align          (TlTimelineModel *self,
                                                   TlTimelineModel *other);
void             tl_timeline_model_clear_alignment (TlTimelineModel *self);
gboolean         tl_timeline_model_is_aligned     (TlTimelineModel *self);

G_END_DECLS
