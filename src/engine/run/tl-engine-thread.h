/* tl-engine-thread.h — a TlRunner on a thread of its own
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the preset's event loop here, so a preset that blocks
 * its own loop stalls this thread and never the user interface.
 */
#pragma once

#include "run/tl-runner.h"

G_BEGIN_DECLS

/* Creates the thread with its own GMainContext, creates a runner for
 * @preset there and starts it. @finished is invoked on the caller's
 * thread-default context when the run has ended. */
TlEngineThread *tl_engine_thread_start    (TlPreset              *preset,
                                           const TlRunnerOptions *options,
                                           GSourceFunc            finished,
                                           gpointer               user_data);
TlRunner       *tl_engine_thread_get_runner (TlEngineThread *self);
TlTrace        *tl_engine_thread_get_trace  (TlEngineThread *self);
/* Stops the run if it is still going and joins the thread. */
void            tl_engine_thread_free     (TlEngineThread *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlEngineThread, tl_engine_thread_free)

G_END_DECLS
