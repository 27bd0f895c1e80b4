/* tl-gil.c — a global interpreter lock with a fair hand-over
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain GMutex is no model of the GIL: a thread that unlocks and locks
 * again at once nearly always wins against a thread that has to wake up
 * first, so one CPU job would run to its end while the others starve.
 * CPython forces the hand-over (the holder waits until the requester has
 * really taken the lock). A ticket lock gives the same guarantee: a
 * thread that releases and asks again draws a new ticket behind everyone
 * already waiting.
 */
#define G_LOG_DOMAIN "tl-gil"

#include "config.h"

#include "pools/tl-gil.h"

struct _TlGil
{
  GMutex  mutex;
  GCond   cond;
  guint64 next_ticket;    /* the ticket the next caller draws */
  guint64 now_serving;    /* the ticket that may hold the lock */
  guint64 n_switches;
  GThread *holder;
  GThread *last_holder;
};

TlGil *
tl_gil_new (void)
{
  TlGil *self = g_new0 (TlGil, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  return self;
}

void
tl_gil_free (TlGil *self)
{
  if (self == NULL)
    return;

  g_assert (self->holder == NULL);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

void
tl_gil_acquire (TlGil *self)
{
  guint64 ticket;

  g_mutex_lock (&self->mutex);

  ticket = self->next_ticket++;
  while (self->now_serving != ticket)
    g_cond_wait (&self->cond, &self->mutex);

  self->holder = g_thread_self ();
  if (self->last_holder != NULL && self->last_holder != self->holder)
    self->n_switches++;
  self->last_holder = self->holder;

  g_mutex_unlock (&self->mutex);
}

void
tl_gil_release (TlGil *self)
{
  g_mutex_lock (&self->mutex);

  g_assert (self->holder == g_thread_self ());
  self->holder = NULL;
  self->now_serving++;
  /* Every waiter checks its own ticket; only the next one proceeds. */
  g_cond_broadcast (&self->cond);

  g_mutex_unlock (&self->mutex);
}

guint64
tl_gil_get_n_switches (TlGil *self)
{
  guint64 n;

  g_mutex_lock (&self->mutex);
  n = self->n_switches;
  g_mutex_unlock (&self->mutex);

  return n;
}

guint
tl_gil_get_n_waiting (TlGil *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = (guint) (self->next_ticket - self->now_serving) - (self->holder != NULL ? 1 : 0);
  g_mutex_unlock (&self->mutex);

  return n;
}
