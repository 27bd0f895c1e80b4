/* tl-timeline-marks.h — every kind of mark the timeline draws, as one list
 * the layers and the legend share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A layer notes each kind it draws (_tl_timeline_note_mark); the legend
 * has an entry for each kind (_tl_timeline_legend_entry_of_mark). A new
 * kind of mark added here without an entry fails the legend's test.
 */
#pragma once

#include <glib.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef enum {
  /* A task's lane, from creation to its end. */
  TL_TIMELINE_MARK_CREATED,          /* exists, not started: a thin line */
  TL_TIMELINE_MARK_QUEUED,
  TL_TIMELINE_MARK_WAITING,
  TL_TIMELINE_MARK_HTTP_CONNECT,     /* DNS, TCP connect, TLS */
  TL_TIMELINE_MARK_READING_BODY,     /* an HTTP body arriving: I/O wait */
  TL_TIMELINE_MARK_RUNNING,
  TL_TIMELINE_MARK_BLOCKED,
  TL_TIMELINE_MARK_OVERDUE,          /* a timer due while the loop is held */
  TL_TIMELINE_MARK_NEVER_STARTED,
  TL_TIMELINE_MARK_WOULD_HAVE_RUN,   /* a cancelled task's "would have ended" ghost */
  TL_TIMELINE_MARK_PENDING,          /* pending when its wait returned */
  TL_TIMELINE_MARK_REUSED_CONNECTION,/* ⇄ */
  TL_TIMELINE_MARK_SECTION,
  /* Where it ended. */
  TL_TIMELINE_MARK_OK,
  TL_TIMELINE_MARK_FAILED,
  TL_TIMELINE_MARK_FAILED_END,       /* the red end of a failed task's bar */
  TL_TIMELINE_MARK_TIMED_OUT,
  TL_TIMELINE_MARK_CANCELLED,
  /* Lines and arrows across lanes. */
  TL_TIMELINE_MARK_DEADLINE,
  TL_TIMELINE_MARK_BRACKET,
  TL_TIMELINE_MARK_CAUSE_ARROW,
  TL_TIMELINE_MARK_ERROR_ARROW,
  TL_TIMELINE_MARK_AWAIT_ARROW,      /* a task's end to the task awaiting it */
  TL_TIMELINE_MARK_NOW,
  TL_TIMELINE_MARK_LIVE_STALL,       /* a stall going on, across every lane */
  TL_TIMELINE_MARK_CURSOR,
  TL_TIMELINE_MARK_GUESS,
  /* The summary lanes. */
  TL_TIMELINE_MARK_LOOP_BUSY,        /* busy bars; empty is free */
  TL_TIMELINE_MARK_LOOP_LAG,
  TL_TIMELINE_MARK_LOOP_STALL,
  TL_TIMELINE_MARK_CHART_ACTIVE,     /* busy, in flight, running */
  TL_TIMELINE_MARK_CHART_WAITING,    /* queued, waiting */
  TL_TIMELINE_N_MARKS
} TlTimelineMark;

G_STATIC_ASSERT (TL_TIMELINE_N_MARKS <= 64);

/* The phases of an HTTP request, as the details pane lists them. */
typedef enum {
  TL_HTTP_PHASE_DNS,
  TL_HTTP_PHASE_CONNECT,
  TL_HTTP_PHASE_TLS,
  TL_HTTP_PHASE_REQUEST,
  TL_HTTP_PHASE_FIRST_BYTE,
  TL_HTTP_PHASE_BODY,
  TL_N_HTTP_PHASES
} TlHttpPhase;

/* The mark a lane paints for an HTTP phase. */
TlTimelineMark tl_timeline_mark_of_http_phase (TlHttpPhase phase);
/* The task state a mark shows (TL_N_STATES for marks that are not a
 * state, such as arrows): what the details pane must say meanwhile. */
TlState        tl_timeline_mark_get_state     (TlTimelineMark mark);
/* The phase's span in @http; FALSE when the request had no such phase. */
gboolean       tl_http_phase_get_span         (const TlHttpDetails *http,
                                               TlHttpPhase          phase,
                                               gint64              *start_us,
                                               gint64              *end_us);

G_END_DECLS
