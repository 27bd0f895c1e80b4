/* tl-timeline-marks.c — what each kind of mark means: the state it shows,
 * and the mark of each HTTP phase
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include "timeline/tl-timeline-marks.h"

/* While a request connects, waits for its answer and reads the body, the
 * task is suspended at its await: the loop is free to run others. So
 * every phase is a kind of waiting, painted as such; the body is not
 * "running" (the details pane says "Waiting" meanwhile). */
TlTimelineMark
tl_timeline_mark_of_http_phase (TlHttpPhase phase)
{
  switch (phase)
    {
    case TL_HTTP_PHASE_DNS:
    case TL_HTTP_PHASE_CONNECT:
    case TL_HTTP_PHASE_TLS:
      return TL_TIMELINE_MARK_HTTP_CONNECT;
    case TL_HTTP_PHASE_REQUEST:
    case TL_HTTP_PHASE_FIRST_BYTE:
      return TL_TIMELINE_MARK_WAITING;
    case TL_HTTP_PHASE_BODY:
      return TL_TIMELINE_MARK_READING_BODY;
    case TL_N_HTTP_PHASES:
    default:
      g_return_val_if_reached (TL_TIMELINE_N_MARKS);
    }
}

TlState
tl_timeline_mark_get_state (TlTimelineMark mark)
{
  switch (mark)
    {
    case TL_TIMELINE_MARK_CREATED:
      return TL_STATE_CREATED;
    case TL_TIMELINE_MARK_QUEUED:
      return TL_STATE_QUEUED;
    case TL_TIMELINE_MARK_WAITING:
    case TL_TIMELINE_MARK_HTTP_CONNECT:
    case TL_TIMELINE_MARK_READING_BODY:
    case TL_TIMELINE_MARK_PENDING:
      return TL_STATE_WAITING;
    case TL_TIMELINE_MARK_RUNNING:
      return TL_STATE_RUNNING;
    case TL_TIMELINE_MARK_BLOCKED:
    case TL_TIMELINE_MARK_OVERDUE:
      return TL_STATE_BLOCKED;
    case TL_TIMELINE_MARK_NEVER_STARTED:
      return TL_STATE_NEVER_STARTED;
    case TL_TIMELINE_MARK_OK:
      return TL_STATE_OK;
    case TL_TIMELINE_MARK_FAILED:
    case TL_TIMELINE_MARK_FAILED_END:
      return TL_STATE_FAILED;
    case TL_TIMELINE_MARK_TIMED_OUT:
      return TL_STATE_TIMED_OUT;
    case TL_TIMELINE_MARK_CANCELLED:
    case TL_TIMELINE_MARK_WOULD_HAVE_RUN:
      return TL_STATE_CANCELLED;
    case TL_TIMELINE_MARK_REUSED_CONNECTION:
    case TL_TIMELINE_MARK_SECTION:
    case TL_TIMELINE_MARK_DEADLINE:
    case TL_TIMELINE_MARK_BRACKET:
    case TL_TIMELINE_MARK_CAUSE_ARROW:
    case TL_TIMELINE_MARK_ERROR_ARROW:
    case TL_TIMELINE_MARK_AWAIT_ARROW:
    case TL_TIMELINE_MARK_NOW:
    case TL_TIMELINE_MARK_LIVE_STALL:
    case TL_TIMELINE_MARK_CURSOR:
    case TL_TIMELINE_MARK_GUESS:
    case TL_TIMELINE_MARK_LOOP_BUSY:
    case TL_TIMELINE_MARK_LOOP_LAG:
    case TL_TIMELINE_MARK_LOOP_STALL:
    case TL_TIMELINE_MARK_CHART_ACTIVE:
    case TL_TIMELINE_MARK_CHART_WAITING:
    case TL_TIMELINE_N_MARKS:
    default:
      return TL_N_STATES;
    }
}

gboolean
tl_http_phase_get_span (const TlHttpDetails *http,
                        TlHttpPhase          phase,
                        gint64              *start_us,
                        gint64              *end_us)
{
  gint64 s = -1, e = -1;

  g_return_val_if_fail (http != NULL, FALSE);

  switch (phase)
    {
    case TL_HTTP_PHASE_DNS:
      s = http->dns_start_us, e = http->dns_end_us;
      break;
    case TL_HTTP_PHASE_CONNECT:
      s = http->connect_start_us, e = http->connect_end_us;
      break;
    case TL_HTTP_PHASE_TLS:
      s = http->tls_start_us, e = http->tls_end_us;
      break;
    case TL_HTTP_PHASE_REQUEST:
      s = http->request_start_us, e = http->request_end_us;
      break;
    case TL_HTTP_PHASE_FIRST_BYTE:
      s = http->request_end_us, e = http->first_byte_us;
      break;
    case TL_HTTP_PHASE_BODY:
      s = http->first_byte_us, e = http->end_us;
      break;
    case TL_N_HTTP_PHASES:
    default:
      g_return_val_if_reached (FALSE);
    }
  if (s < 0 || e <= s)
    return FALSE;
  if (start_us != NULL)
    *start_us = s;
  if (end_us != NULL)
    *end_us = e;
  return TRUE;
}
