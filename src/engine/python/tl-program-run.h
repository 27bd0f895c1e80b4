/* tl-program-run.h — one run of a real asyncio program under the probe
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program runs in a child process of its own process group, started
 * through the probe (data/python/tasklanes-probe.py); nothing of it runs
 * in this process. What the probe reports is appended to an open TlTrace
 * on the thread-default main context that was current at
 * tl_program_run_start(), so the trace reads exactly as a preset run's.
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"
#include "python/tl-probe-reader.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* The program's standard output and error kept for the window: the last
 * this many bytes of each. */
#define TL_PROGRAM_MAX_OUTPUT (1024 * 1024)
/* The program's source travels with its trace (the code pane, run
 * files) up to this size. */
#define TL_PROGRAM_MAX_SOURCE (4 * 1024 * 1024)
/* Stop: SIGTERM to the process group, then SIGKILL after this long. */
#define TL_PROGRAM_KILL_DELAY_MS 2000

typedef enum {
  TL_PROGRAM_OUTPUT_INHERIT,        /* the terminal's, as python3 PROGRAM.py (headless) */
  TL_PROGRAM_OUTPUT_INHERIT_STDERR, /* both to our standard error (an export goes to stdout) */
  TL_PROGRAM_OUTPUT_CAPTURE,        /* kept, bounded, and announced by "output" (window) */
} TlProgramOutput;

typedef struct {
  const char      *python;          /* NULL: tl_python_find_interpreter (preferred_python) */
  const char      *preferred_python;
  TlProgramOutput  output;
  /* With an INHERIT output: keep what the program prints as CAPTURE
   * does (for a run file), passing it on as it comes. The program then
   * writes to pipes rather than to the terminal. */
  gboolean         keep_output;
} TlProgramOptions;

#define TL_TYPE_PROGRAM_RUN (tl_program_run_get_type ())
G_DECLARE_FINAL_TYPE (TlProgramRun, tl_program_run, TL, PROGRAM_RUN, GObject)

/* @args: the program's own arguments (NULL-terminated, may be NULL). */
TlProgramRun  *tl_program_run_new             (const char              *path,
                                               const char * const      *args,
                                               const TlProgramOptions  *options);

/* Finds the interpreter and the probe, checks the version and starts the
 * program; FALSE with @error when it cannot start at all. "finished" is
 * emitted on the context current here once the program has exited and
 * its report has been read to the end. */
gboolean       tl_program_run_start           (TlProgramRun  *self,
                                               GError       **error);
/* Ends the whole process group: SIGTERM, SIGKILL after 2 s. Call on the
 * run's context. */
void           tl_program_run_stop            (TlProgramRun  *self);
/* Ends the whole process group at once (SIGKILL), as a stopped run. */
void           tl_program_run_kill            (TlProgramRun  *self);

/* The interpreter's version ("3.11.2"), once started; NULL before. */
const char    *tl_program_run_get_python_version (TlProgramRun *self);
gboolean       tl_program_run_is_finished     (TlProgramRun  *self);
gboolean       tl_program_run_was_stopped     (TlProgramRun  *self);
TlTrace       *tl_program_run_get_trace       (TlProgramRun  *self);
TlProbeReader *tl_program_run_get_reader      (TlProgramRun  *self);
/* As a shell reports it: the exit code, or 128 + the signal number. */
int            tl_program_run_get_exit_status (TlProgramRun  *self);
/* The captured output (TL_PROGRAM_OUTPUT_CAPTURE): standard output and
 * error through one pipe, in the order the program wrote them (kept
 * output, read from two pipes, is interleaved as it arrived), at most 2 × TL_PROGRAM_MAX_OUTPUT
 * bytes, with a note where older output was dropped. Thread-safe;
 * @serial (may be NULL) changes whenever output arrives. */
char          *tl_program_run_dup_output      (TlProgramRun  *self,
                                               guint         *serial);
guint          tl_program_run_get_output_serial (TlProgramRun *self);
/* A message for the user when something went wrong on our side (bad
 * lines from the probe, the recording limit); NULL otherwise. */
char          *tl_program_run_dup_problem     (TlProgramRun  *self);

G_END_DECLS
