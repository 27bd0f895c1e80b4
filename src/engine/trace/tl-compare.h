/* tl-compare.h — what changed between two runs, in words
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Instances of the two runs are matched by task: the same chain of
 * [Task] names and Repeat numbers from the section's root, so a task
 * keeps its match when the runs differ in timing, in settings or in the
 * tasks created around it.
 */
#pragma once

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* Most task lines a comparison lists before it counts the rest. */
#define TL_COMPARE_MAX_TASK_LINES 12

/* Each instance's identity across runs, in id order: its section and
 * the chain of task names and Repeat numbers from the section's root
 * ("0/main#1/calls#1/blocking-io#3"). Siblings that would share a key (a
 * program's tasks of one coroutine) take their place among them:
 * "0/main#1/gather#1/fetch#1~2" is the second. Free with
 * g_ptr_array_unref(). */
GPtrArray *tl_compare_dup_instance_keys (TlTrace *trace);

/* For each instance of @after, its match in @before or TL_NO_INSTANCE;
 * free with g_free(). Both traces must be complete. */
guint32 *tl_compare_match_instances (TlTrace *before,
                                     TlTrace *after);

/* One line per change: wall time and overlap of each section, the pool
 * settings, tasks whose final state or finishing time changed, tasks in
 * only one run, warnings. Never empty: says so when nothing changed. */
char    *tl_compare_describe        (TlTrace *before,
                                     TlTrace *after);

G_END_DECLS
