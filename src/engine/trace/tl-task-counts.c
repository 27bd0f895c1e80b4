/* tl-task-counts.c — how many tasks run and how many wait, as states change
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-trace"

#include "config.h"

#include "trace/tl-task-counts.h"

static void
count (TlTaskCounts *counts,
       TlState       state,
       int           delta)
{
  if (state == TL_STATE_RUNNING)
    counts->running += delta;
  else if (state == TL_STATE_WAITING)
    counts->waiting += delta;
}

/* A task went from @before to @after (a final state counts as neither). */
void
tl_task_counts_change (TlTaskCounts *counts,
                       TlState       before,
                       TlState       after)
{
  if (before == after)
    return;
  count (counts, before, -1);
  count (counts, after, +1);
}

/* The counts as they stand, into @trace's counters at @time_us. The trace
 * keeps only values that differ from the previous ones, so this is cheap. */
void
tl_task_counts_record (const TlTaskCounts *counts,
                       TlTrace            *trace,
                       gint64              time_us)
{
  tl_trace_set_counter (trace, TL_COUNTER_TASKS_RUNNING, counts->running, time_us);
  tl_trace_set_counter (trace, TL_COUNTER_TASKS_WAITING, counts->waiting, time_us);
}
