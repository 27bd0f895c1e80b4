/* tl-runner.h — runs a preset's sections on one GMainContext
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"
#include "preset/tl-preset.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef enum {
  TL_CLOCK_REAL,
  TL_CLOCK_VIRTUAL,
} TlClockKind;

typedef struct {
  TlClockKind  clock;
  guint        default_threads;    /* for presets without Threads; 0: number of CPUs */
  guint        default_processes;  /* for presets without Processes; 0: number of CPUs */
  const char  *worker_path;        /* NULL: tl_worker_find_path() */
} TlRunnerOptions;

#define TL_TYPE_RUNNER (tl_runner_get_type ())
G_DECLARE_FINAL_TYPE (TlRunner, tl_runner, TL, RUNNER, GObject)

/* The runner belongs to the thread whose thread-default main context was
 * current when tl_runner_start() was called (the "engine context"). */
TlRunner   *tl_runner_new              (TlPreset              *preset,
                                        const TlRunnerOptions *options);

TlPreset   *tl_runner_get_preset       (TlRunner   *self);
TlTrace    *tl_runner_get_trace        (TlRunner   *self);

/* Starts the first section on the thread-default main context. Emits
 * "finished" on that context when every section has ended. */
void        tl_runner_start            (TlRunner   *self);

/* Runs all sections to the end, iterating the thread-default context
 * (headless and tests). */
void        tl_runner_run              (TlRunner   *self);

gboolean    tl_runner_is_finished      (TlRunner   *self);

/* FALSE (and @error set) when @preset cannot run with @options, e.g.
 * fetch tasks on the virtual clock. tl_runner_start() checks this too:
 * such a run finishes at once with tl_runner_get_error() set. */
gboolean      tl_runner_check          (TlPreset               *preset,
                                        const TlRunnerOptions  *options,
                                        GError                **error);
const GError *tl_runner_get_error      (TlRunner   *self);

/* Thread-safe: may be called from any thread; the work happens on the
 * engine context. Cancelling a finished or unknown instance does nothing. */
void        tl_runner_cancel_task      (TlRunner   *self,
                                        guint32     instance);
void        tl_runner_stop             (TlRunner   *self);
/* TRUE once a finished run was cut short by tl_runner_stop(). */
gboolean    tl_runner_was_stopped      (TlRunner   *self);

/* Thread-safe: how long the engine loop has been held without returning
 * to the main loop right now (0 when it is free), and by which instance. */
gint64      tl_runner_get_current_stall_us (TlRunner *self,
                                            guint32  *culprit);

G_END_DECLS
