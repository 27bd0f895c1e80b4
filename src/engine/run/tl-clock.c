/* tl-clock.c — one timer heap and one GSource per run, real or virtual time
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-clock"

#include "config.h"

#include "core/tl-types.h"
#include "run/tl-clock.h"

typedef struct {
  GSource  source;
  TlClock *clock;
} ClockSource;

struct _TlClock
{
  gboolean         virtual_time;
  gint64           start_mono_us;
  gint64           virtual_now_us;

  TlTimer        **heap;
  guint            heap_len;
  guint            heap_alloc;

  GSource         *source;
  gint64           ready_time;      /* the value last given to the source */
  gboolean         work_pending;
  gboolean         dispatching;
  gboolean         stopped;

  TlClockWorkFunc  work;
  gpointer         user_data;
};

static void
heap_set (TlClock *self,
          guint    index,
          TlTimer *timer)
{
  self->heap[index] = timer;
  timer->heap_index = index;
}

static void
heap_sift_up (TlClock *self,
              guint    index)
{
  TlTimer *timer = self->heap[index];

  while (index > 0)
    {
      guint parent = (index - 1) / 2;

      if (self->heap[parent]->deadline_us <= timer->deadline_us)
        break;
      heap_set (self, index, self->heap[parent]);
      index = parent;
    }
  heap_set (self, index, timer);
}

static void
heap_sift_down (TlClock *self,
                guint    index)
{
  TlTimer *timer = self->heap[index];

  for (;;)
    {
      guint child = 2 * index + 1;

      if (child >= self->heap_len)
        break;
      if (child + 1 < self->heap_len &&
          self->heap[child + 1]->deadline_us < self->heap[child]->deadline_us)
        child++;
      if (timer->deadline_us <= self->heap[child]->deadline_us)
        break;
      heap_set (self, index, self->heap[child]);
      index = child;
    }
  heap_set (self, index, timer);
}

static void
heap_remove_at (TlClock *self,
                guint    index)
{
  TlTimer *removed = self->heap[index];
  TlTimer *last;

  removed->heap_index = G_MAXUINT;
  self->heap_len--;
  if (index == self->heap_len)
    return;

  last = self->heap[self->heap_len];
  heap_set (self, index, last);
  if (index > 0 && self->heap[(index - 1) / 2]->deadline_us > last->deadline_us)
    heap_sift_up (self, index);
  else
    heap_sift_down (self, index);
}

static void
update_ready_time (TlClock *self)
{
  gint64 ready_time;

  if (self->source == NULL || self->dispatching)
    return;

  if (self->work_pending)
    ready_time = 0;
  else if (self->heap_len == 0)
    ready_time = -1;
  else if (self->virtual_time)
    ready_time = 0;
  else
    ready_time = self->start_mono_us + self->heap[0]->deadline_us;

  /* Setting the ready time takes the context's lock; with thousands of
   * timers armed in a row it rarely changes, so skip the call then. */
  if (ready_time != self->ready_time)
    {
      self->ready_time = ready_time;
      g_source_set_ready_time (self->source, ready_time);
    }
}

static gboolean
clock_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  TlClock *self = ((ClockSource *) source)->clock;
  gint64 now;

  self->dispatching = TRUE;
  /* The source's ready time is stale as soon as it dispatches. */
  self->ready_time = G_MININT64;

  if (self->virtual_time && !self->work_pending && self->heap_len > 0 &&
      self->heap[0]->deadline_us > self->virtual_now_us)
    self->virtual_now_us = self->heap[0]->deadline_us;

  now = tl_clock_now_us (self);
  while (!self->stopped && self->heap_len > 0 && self->heap[0]->deadline_us <= now)
    {
      TlTimer *timer = self->heap[0];

      heap_remove_at (self, 0);
      timer->func (timer, now, self->user_data);
    }

  if (!self->stopped)
    {
      self->work_pending = FALSE;
      self->work (self->user_data);
    }

  self->dispatching = FALSE;
  update_ready_time (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs clock_source_funcs = {
  .dispatch = clock_source_dispatch,
};

TlClock *
tl_clock_new (gboolean         virtual_time,
              GMainContext    *context,
              TlClockWorkFunc  work,
              gpointer         user_data)
{
  TlClock *self = g_new0 (TlClock, 1);

  self->virtual_time = virtual_time;
  self->start_mono_us = g_get_monotonic_time ();
  self->work = work;
  self->user_data = user_data;
  self->ready_time = -1;

  self->source = g_source_new (&clock_source_funcs, sizeof (ClockSource));
  ((ClockSource *) self->source)->clock = self;
  g_source_set_name (self->source, "[tasklanes] clock");
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, context);

  return self;
}

void
tl_clock_stop (TlClock *self)
{
  g_return_if_fail (self != NULL);

  self->stopped = TRUE;
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
}

void
tl_clock_free (TlClock *self)
{
  if (self == NULL)
    return;

  tl_clock_stop (self);
  for (guint i = 0; i < self->heap_len; i++)
    self->heap[i]->heap_index = G_MAXUINT;
  g_free (self->heap);
  g_free (self);
}

gboolean
tl_clock_is_virtual (TlClock *self)
{
  return self->virtual_time;
}

gint64
tl_clock_now_us (TlClock *self)
{
  if (self->virtual_time)
    return self->virtual_now_us;
  return g_get_monotonic_time () - self->start_mono_us;
}

gint64
tl_clock_now_us_func (gpointer clock)
{
  return tl_clock_now_us (clock);
}

void
tl_clock_advance (TlClock *self,
                  gint64   us)
{
  g_return_if_fail (self->virtual_time);

  if (us > 0)
    self->virtual_now_us += us;
}

void
tl_timer_init (TlTimer     *timer,
               TlTimerFunc  func)
{
  timer->deadline_us = 0;
  timer->func = func;
  timer->heap_index = G_MAXUINT;
}

gboolean
tl_timer_is_armed (const TlTimer *timer)
{
  return timer->heap_index != G_MAXUINT;
}

void
tl_clock_arm (TlClock *self,
              TlTimer *timer,
              gint64   deadline_us)
{
  g_return_if_fail (timer->func != NULL);

  if (tl_timer_is_armed (timer))
    heap_remove_at (self, timer->heap_index);

  if (self->heap_len == self->heap_alloc)
    {
      self->heap_alloc = MAX (64, self->heap_alloc * 2);
      self->heap = g_renew (TlTimer *, self->heap, self->heap_alloc);
    }

  timer->deadline_us = deadline_us;
  self->heap[self->heap_len] = timer;
  timer->heap_index = self->heap_len;
  self->heap_len++;
  heap_sift_up (self, timer->heap_index);

  update_ready_time (self);
}

void
tl_clock_disarm (TlClock *self,
                 TlTimer *timer)
{
  if (!tl_timer_is_armed (timer))
    return;

  heap_remove_at (self, timer->heap_index);
  update_ready_time (self);
}

guint
tl_clock_get_n_timers (TlClock *self)
{
  return self->heap_len;
}

void
tl_clock_wake (TlClock *self)
{
  if (self->work_pending)
    return;
  self->work_pending = TRUE;
  update_ready_time (self);
}
