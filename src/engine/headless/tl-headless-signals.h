/* tl-headless-signals.h — Ctrl+C and SIGTERM for the whole of --headless
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From _tl_headless_signals_start() on, SIGINT and SIGTERM never end the
 * program by their default action: a thread of its own sees them, so a
 * signal is answered at once whatever the main thread is doing (reading a
 * preset from a pipe, checking the outputs, running, writing):
 *
 *   - while a run or a program is going (_tl_headless_signals_watch_run()),
 *     the first signal calls its stop function in the run's main context;
 *   - any other signal (before the run, a second one, while the files are
 *     written, after them) removes the hidden files of exports in progress
 *     (tl_export_remove_temporaries()), says so, and ends the program by
 *     that same signal (status 130 for SIGINT, 143 for SIGTERM in a shell).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TL_HEADLESS_PHASE_STARTING,   /* before anything ran */
  TL_HEADLESS_PHASE_RUNNING,    /* a run or a program is going */
  TL_HEADLESS_PHASE_WRITING,    /* the summary and the files */
} TlHeadlessPhase;

typedef void (*TlHeadlessStopFunc) (gpointer user_data);

/* Installs the handling; later calls do nothing. */
void _tl_headless_signals_start     (void);

/* What a signal now ends (its message). */
void _tl_headless_signals_set_phase (TlHeadlessPhase phase);

/* Phase RUNNING: the first signal calls @stop in @context, the run's;
 * the second ends the program. _tl_headless_signals_unwatch_run() must
 * come before @user_data goes, in the thread that iterates @context;
 * it leaves the phase at WRITING. */
void _tl_headless_signals_watch_run   (GMainContext       *context,
                                       TlHeadlessStopFunc  stop,
                                       gpointer            user_data);
void _tl_headless_signals_unwatch_run (void);

G_END_DECLS
