/* tl-engine-thread.h — a TlRunner on a thread of its own
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the preset's event loop here, so a preset that blocks
 * its own loop stalls this thread and never the user interface.
 */
#pragma once

#include "python/tl-program-run.h"
#include "run/tl-runner.h"

G_BEGIN_DECLS

/* Creates the thread with its own GMainContext, creates a runner for
 * @preset there and starts it. @finished is invoked on the caller's
 * thread-default context when the run has ended. */
TlEngineThread *tl_engine_thread_start    (TlPreset              *preset,
                                           const TlRunnerOptions *options,
                                           GSourceFunc            finished,
                                           gpointer               user_data);
/* The same for a real asyncio program: the thread's context reads its
 * report (see tl-program-run.h). The interpreter and the probe are
 * checked here first: NULL with @error when the program cannot start. */
TlEngineThread *tl_engine_thread_start_program (const char             *path,
                                                const char * const     *args,
                                                const TlProgramOptions *options,
                                                GSourceFunc             finished,
                                                gpointer                user_data,
                                                GError                **error);
/* NULL for a program run. */
TlRunner       *tl_engine_thread_get_runner (TlEngineThread *self);
/* NULL for a preset run. */
TlProgramRun   *tl_engine_thread_get_program (TlEngineThread *self);
/* Thread-safe: stop the run (a preset's, or the program's process
 * group); "finished" follows as for any run. */
void            tl_engine_thread_stop      (TlEngineThread *self);
/* Thread-safe: how long the loop has been held right now (presets only;
 * a program's stalls are known when they end). */
gint64          tl_engine_thread_get_current_stall_us (TlEngineThread *self,
                                                       guint32        *culprit);
TlTrace        *tl_engine_thread_get_trace  (TlEngineThread *self);
/* Stops the run if it is still going and joins the thread. */
void            tl_engine_thread_free     (TlEngineThread *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlEngineThread, tl_engine_thread_free)

G_END_DECLS
