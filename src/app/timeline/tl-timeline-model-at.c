/* tl-timeline-model-at.c — the run at one instant, for a time cursor
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model keeps every instance's state intervals from its creation on,
 * so "what was happening at t" is a search in what is already there: no
 * second copy of the run, and the answers hold for the part of a live run
 * already read as well as for a finished one.
 */
#define G_LOG_DOMAIN "tl-timeline-model"

#include "config.h"

#include "timeline/tl-timeline-model-private.h"

/* An instance's intervals from its creation on (contiguous, the last one
 * open while it lives), when it ended (-1: not yet) and where it runs. */
static const TlInterval *
task_intervals (TlTimelineModel *self,
                guint32          instance,
                guint           *n_intervals,
                gint64          *final_us,
                TlOn            *on)
{
  const Node *node = instance < self->n_nodes ? &self->nodes[instance] : NULL;

  *n_intervals = node != NULL ? node->iv.n : 0;
  *final_us = node != NULL ? node->final_us : -1;
  *on = node != NULL ? node->on : TL_ON_LOOP;
  return node != NULL ? node->iv.v : NULL;
}

/* The last interval that starts at or before @time_us, or NULL. */
static const TlInterval *
interval_at (const TlInterval *v,
             guint             n,
             gint64            time_us)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (v[mid].start_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo > 0 ? &v[lo - 1] : NULL;
}

TlState
tl_timeline_model_get_state_at (TlTimelineModel *self,
                                guint32          instance,
                                gint64           time_us)
{
  const TlInterval *v;
  const TlInterval *at;
  guint n;
  gint64 final_us;
  TlOn on;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_N_STATES);

  v = task_intervals (self, instance, &n, &final_us, &on);
  if (v == NULL || n == 0 || time_us < v[0].start_us)
    return TL_N_STATES;
  if (final_us >= 0 && time_us >= final_us)
    return tl_timeline_model_get_state (self, instance);

  at = interval_at (v, n, time_us);
  return at != NULL ? (TlState) at->state : TL_STATE_CREATED;
}

guint
tl_timeline_model_count_state_at (TlTimelineModel *self,
                                  TlState          state,
                                  gint64           time_us)
{
  guint n = 0;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  for (guint32 id = 0; id < tl_timeline_model_get_n_instances (self); id++)
    if (!tl_timeline_model_is_composite (self, id) &&
        tl_timeline_model_get_state_at (self, id, time_us) == state)
      n++;
  return n;
}

TlLoopState
tl_timeline_model_get_loop_at (TlTimelineModel *self,
                               gint64           time_us,
                               guint32         *instance)
{
  TlTrace *trace;
  const TlInterval *stalls;
  guint n_stalls;
  guint i;
  guint32 best = TL_NO_INSTANCE;
  guint best_depth = 0;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_LOOP_FREE);

  *instance = TL_NO_INSTANCE;
  stalls = tl_timeline_model_get_stalls (self, &n_stalls);
  i = tl_timeline_model_find_stall (self, time_us);
  if (i < n_stalls && stalls[i].start_us <= time_us && time_us < stalls[i].end_us)
    {
      *instance = stalls[i].extra;
      return TL_LOOP_BLOCKED;
    }

  /* The code the loop runs is that of the innermost task running on it:
   * a gather runs only to start its children, then they run. */
  trace = tl_timeline_model_get_trace (self);
  for (guint32 id = 0; id < tl_timeline_model_get_n_instances (self); id++)
    {
      const TlInterval *v;
      guint n;
      gint64 final_us;
      TlOn on;
      guint depth;

      v = task_intervals (self, id, &n, &final_us, &on);
      if (on != TL_ON_LOOP || v == NULL || time_us < v[0].start_us ||
          (final_us >= 0 && time_us >= final_us))
        continue;
      if (tl_timeline_model_get_state_at (self, id, time_us) != TL_STATE_RUNNING)
        continue;
      depth = tl_trace_get_instance (trace, id)->depth;
      if (best == TL_NO_INSTANCE || depth > best_depth)
        {
          best = id;
          best_depth = depth;
        }
    }

  /* Code between two awaits takes no time on the virtual clock and next
   * to none on the real one, so a step lands on it exactly: the task that
   * changes state at this instant is the one the loop runs. */
  if (best == TL_NO_INSTANCE)
    for (guint32 id = 0; id < tl_timeline_model_get_n_instances (self); id++)
      {
        const TlInterval *v;
        guint n;
        gint64 final_us;
        TlOn on;
        gboolean here = FALSE;
        guint depth;

        v = task_intervals (self, id, &n, &final_us, &on);
        if (on != TL_ON_LOOP || v == NULL)
          continue;
        here = final_us == time_us;
        for (guint k = 0; k < n && !here; k++)
          here = v[k].start_us == time_us;
        if (!here)
          continue;
        depth = tl_trace_get_instance (trace, id)->depth;
        if (best == TL_NO_INSTANCE || depth > best_depth)
          {
            best = id;
            best_depth = depth;
          }
      }

  *instance = best;
  return best != TL_NO_INSTANCE ? TL_LOOP_BUSY : TL_LOOP_FREE;
}

gboolean
tl_timeline_model_get_steps_at (TlTimelineModel *self,
                                guint            lane,
                                gint64           time_us,
                                gint32          *a,
                                gint32          *b)
{
  const TlStep *steps;
  guint n = 0;
  guint lo = 0, hi;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  *a = 0;
  *b = 0;
  steps = tl_timeline_model_get_steps (self, lane, &n, NULL);
  if (steps == NULL)
    {
      switch (lane < tl_timeline_model_get_n_lanes (self)
              ? tl_timeline_model_get_lane_kind (self, lane) : TL_LANE_TASK)
        {
        case TL_LANE_THREADS:
        case TL_LANE_PROCESSES:
        case TL_LANE_HTTP:
        case TL_LANE_CONCURRENCY:
          return TRUE;
        case TL_LANE_SECTION:
        case TL_LANE_TASK:
        case TL_LANE_LOOP:
        default:
          return FALSE;
        }
    }

  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (steps[mid].time_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0)
    {
      *a = steps[lo - 1].a;
      *b = steps[lo - 1].b;
    }
  return TRUE;
}

gint64
tl_timeline_model_find_event (TlTimelineModel *self,
                              gint64           time_us,
                              gboolean         forward)
{
  gint64 best = -1;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  for (guint32 id = 0; id < tl_timeline_model_get_n_instances (self); id++)
    {
      const TlInterval *v;
      guint n;
      gint64 final_us;
      TlOn on;

      v = task_intervals (self, id, &n, &final_us, &on);
      /* Every change after the creation: starting, awaiting, resuming;
       * then the end. */
      for (guint i = 0; i <= n; i++)
        {
          gint64 t = i < n ? v[i].start_us : final_us;

          if (i == 0 || t < 0)
            continue;
          if (forward ? (t > time_us && (best < 0 || t < best))
                      : (t < time_us && (best < 0 || t > best)))
            best = t;
        }
    }
  return best;
}
