/* tl-clock.h — the runner's sense of time: real or virtual
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every timer of a run lives in one heap ordered by deadline and is
 * served by ONE GSource, so a preset with 100 000 sleeps costs 100 000
 * small heap entries, not 100 000 GSources. The same source also runs the
 * runner's "ready" work (asyncio's call_soon queue).
 *
 * The real clock counts g_get_monotonic_time() from the run's start and
 * wakes the context with a µs ready time. The virtual clock jumps straight
 * to the next deadline whenever no ready work is pending, so a run that
 * only waits is instant and its times are exact.
 */
#pragma once

#include <glib.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

typedef struct _TlTimer TlTimer;

/* @user_data is the one given to tl_clock_new(). */
typedef void (*TlTimerFunc) (TlTimer  *timer,
                             gint64    now_us,
                             gpointer  user_data);
/* Runs queued ready work; called after due timers on every dispatch. */
typedef void (*TlClockWorkFunc) (gpointer user_data);

/* Embedded in its owner's memory: arming a timer allocates nothing. */
struct _TlTimer
{
  gint64       deadline_us;
  TlTimerFunc  func;
  guint        heap_index;    /* G_MAXUINT when not armed */
};

TlClock  *tl_clock_new            (gboolean         virtual_time,
                                   GMainContext    *context,
                                   TlClockWorkFunc  work,
                                   gpointer         user_data);
void      tl_clock_free           (TlClock         *self);

gboolean  tl_clock_is_virtual     (TlClock         *self);
/* Microseconds since the clock was created. */
gint64    tl_clock_now_us         (TlClock         *self);
/* The same, in the shape the pools and the HTTP client take. Thread-safe
 * for the real clock. */
gint64    tl_clock_now_us_func    (gpointer         clock);

/* Virtual clock only: time passes while the caller holds the loop. */
void      tl_clock_advance        (TlClock         *self,
                                   gint64           us);

void      tl_timer_init           (TlTimer         *timer,
                                   TlTimerFunc      func);
gboolean  tl_timer_is_armed       (const TlTimer   *timer);
void      tl_clock_arm            (TlClock         *self,
                                   TlTimer         *timer,
                                   gint64           deadline_us);
void      tl_clock_disarm         (TlClock         *self,
                                   TlTimer         *timer);
guint     tl_clock_get_n_timers   (TlClock         *self);

/* Asks for the work function to run on the next dispatch. */
void      tl_clock_wake           (TlClock         *self);

/* Detaches the clock's source: nothing is dispatched any more. */
void      tl_clock_stop           (TlClock         *self);

G_END_DECLS
