/* tl-task-counts.h — how many tasks run and how many wait, as states change
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Concurrency lane draws the trace's TASKS_RUNNING and TASKS_WAITING
 * counters. Both writers of states keep them the same way: the runner for
 * a preset, the probe reader for a Python program.
 */
#pragma once

#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef struct {
  gint64 running;
  gint64 waiting;
} TlTaskCounts;

void tl_task_counts_change (TlTaskCounts *counts,
                            TlState       before,
                            TlState       after);
void tl_task_counts_record (const TlTaskCounts *counts,
                            TlTrace            *trace,
                            gint64              time_us);

G_END_DECLS
