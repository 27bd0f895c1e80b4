/* tl-loop-monitor.c — loop lag probe and the published "stalled since"
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-loop-monitor"

#include "config.h"

#include "run/tl-clock.h"
#include "run/tl-loop-monitor.h"

#define PROBE_INTERVAL_US 10000
/* Lag below this is noise of a busy machine; writing every microsecond of
 * difference would fill the trace with counter events. */
#define LAG_STEP_US 1000

struct _TlLoopMonitor
{
  TlClock  *clock;
  TlTrace  *trace;
  GSource  *probe;
  gint64    expected_mono_us;
  gint64    published_lag_us;

  /* Written by the engine thread, read by any: guarded by the mutex. */
  GMutex    lock;
  gint64    stall_start_us;   /* -1: not stalled */
  guint32   stall_culprit;
};

typedef struct {
  GSource        source;
  TlLoopMonitor *monitor;
} ProbeSource;

static gboolean
probe_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  TlLoopMonitor *self = ((ProbeSource *) source)->monitor;
  gint64 mono = g_get_monotonic_time ();
  gint64 lag = MAX (0, mono - self->expected_mono_us);

  if (ABS (lag - self->published_lag_us) >= LAG_STEP_US ||
      (lag < LAG_STEP_US && self->published_lag_us != 0))
    {
      gint64 value = lag < LAG_STEP_US ? 0 : lag;

      self->published_lag_us = value;
      tl_trace_set_counter (self->trace, TL_COUNTER_LOOP_LAG_US, value,
                            tl_clock_now_us (self->clock));
    }
  tl_trace_note_loop_lag (self->trace, lag);

  self->expected_mono_us = mono + PROBE_INTERVAL_US;
  g_source_set_ready_time (source, self->expected_mono_us);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs probe_funcs = {
  .dispatch = probe_dispatch,
};

TlLoopMonitor *
tl_loop_monitor_new (TlClock      *clock,
                     TlTrace      *trace,
                     GMainContext *context,
                     gboolean      probe)
{
  TlLoopMonitor *self = g_new0 (TlLoopMonitor, 1);

  self->clock = clock;
  self->trace = trace;
  self->stall_start_us = -1;
  self->stall_culprit = TL_NO_INSTANCE;
  g_mutex_init (&self->lock);

  if (probe)
    {
      self->probe = g_source_new (&probe_funcs, sizeof (ProbeSource));
      ((ProbeSource *) self->probe)->monitor = self;
      g_source_set_name (self->probe, "[tasklanes] loop lag probe");
      /* Same priority as the run's own work, so the lag it sees is the lag
       * a timer of the run would see. */
      g_source_set_priority (self->probe, G_PRIORITY_DEFAULT);
      self->expected_mono_us = g_get_monotonic_time () + PROBE_INTERVAL_US;
      g_source_set_ready_time (self->probe, self->expected_mono_us);
      g_source_attach (self->probe, context);
    }

  return self;
}

void
tl_loop_monitor_stop_probe (TlLoopMonitor *self)
{
  if (self->probe != NULL)
    {
      g_source_destroy (self->probe);
      g_clear_pointer (&self->probe, g_source_unref);
    }
}

void
tl_loop_monitor_free (TlLoopMonitor *self)
{
  if (self == NULL)
    return;

  tl_loop_monitor_stop_probe (self);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
tl_loop_monitor_begin_stall (TlLoopMonitor *self,
                             guint32        culprit,
                             gint64         start_us)
{
  g_mutex_lock (&self->lock);
  self->stall_start_us = start_us;
  self->stall_culprit = culprit;
  g_mutex_unlock (&self->lock);
}

gint64
tl_loop_monitor_end_stall (TlLoopMonitor *self,
                           gint64         end_us)
{
  gint64 start;
  guint32 culprit;
  gint64 duration;

  g_mutex_lock (&self->lock);
  start = self->stall_start_us;
  culprit = self->stall_culprit;
  self->stall_start_us = -1;
  self->stall_culprit = TL_NO_INSTANCE;
  g_mutex_unlock (&self->lock);

  if (start < 0)
    return 0;

  duration = MAX (0, end_us - start);
  tl_trace_add_event (self->trace, start, TL_EVENT_LOOP_STALL, culprit, 0, 0, duration);

  return duration;
}

gint64
tl_loop_monitor_get_current_stall_us (TlLoopMonitor *self,
                                      guint32       *culprit)
{
  gint64 start;
  guint32 who;

  g_mutex_lock (&self->lock);
  start = self->stall_start_us;
  who = self->stall_culprit;
  g_mutex_unlock (&self->lock);

  if (culprit != NULL)
    *culprit = start < 0 ? TL_NO_INSTANCE : who;
  if (start < 0 || tl_clock_is_virtual (self->clock))
    return 0;

  return MAX (0, tl_clock_now_us (self->clock) - start);
}
