/* tl-headless-private.h — shared by the preset and the program command lines
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "record/tl-run-file.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef struct {
  const char *file;
  const char *report;
  const char *trace;
  const char *csv;
  const char *record;
  gboolean    quiet;
  gboolean    virtual_time;
  GPtrArray  *program_args;   /* char *, not owned: a Python program's own arguments */
} TlHeadlessOptions;

/* The summary (unless --quiet) and every file asked for. */
gboolean _tl_headless_write_outputs (const TlHeadlessOptions *options,
                                     TlTrace                 *trace,
                                     const TlRunInfo         *info);

/* The same as the phase WRITING of tl-headless-signals.h: a SIGINT or
 * SIGTERM while the files are being written removes the hidden files in
 * progress, then ends the program by that signal. Every headless path
 * that exports goes through this. */
gboolean _tl_headless_write_outputs_interruptibly (const TlHeadlessOptions *options,
                                                   TlTrace                 *trace,
                                                   const TlRunInfo         *info);

/* tasklanes --headless PROGRAM.py [ARGS…]: the program's own exit status,
 * or TL_EXIT_INVALID when it could not start. */
int      tl_headless_run_program   (const TlHeadlessOptions *options);

G_END_DECLS
