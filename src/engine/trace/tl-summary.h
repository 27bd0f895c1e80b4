/* tl-summary.h — per-section figures shared by the CLI and the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

typedef struct {
  gint64  wall_us;          /* section end - start */
  gint64  task_time_us;     /* sum of leaf tasks' started→finished */
  double  overlap;          /* task_time / wall */
  guint   counts[TL_N_STATES];  /* final states of all instances */
  guint   n_warnings;
} TlSectionSummary;

void   tl_summary_compute_section (TlTrace          *trace,
                                   guint             section,
                                   TlSectionSummary *out);

/* "850 ms", "1.25 s", "2 m 05 s", "12 µs" */
char  *tl_format_duration         (gint64            us);

/* The human summary that --headless prints: one line per section. */
char  *tl_summary_format_text     (TlTrace          *trace);
/* The same, written to @stream section by section as it is formatted. */
void   tl_summary_print           (TlTrace          *trace,
                                   FILE             *stream);

G_END_DECLS
