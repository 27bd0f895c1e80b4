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
  /* CPU work: what the section's finished cpu tasks needed (their Work),
   * the core-time they could have used while they ran (as many cores as
   * tasks computing at once, at most the cores in the affinity mask; one
   * on the loop or under the GIL), and work ÷ that. */
  gint64  cpu_work_us;
  gint64  cpu_demand_us;
  double  cpu_share;        /* 1 when there is no CPU work to judge */
  guint   cpu_cores;
  double  cpu_pressure;     /* share of the wall time something waited for a CPU; -1 unknown */
  gboolean cpu_contended;   /* other programs took the cores: no verdict */
} TlSectionSummary;

/* Below this share of the cores it could use, CPU work was slowed by
 * other programs rather than by the way the preset runs it. */
#define TL_SUMMARY_CONTENDED_SHARE 0.75

void   tl_summary_compute_section (TlTrace          *trace,
                                   guint             section,
                                   TlSectionSummary *out);

/* "850 ms", "1.25 s", "2 m 05 s", "12 µs" */
char  *tl_format_duration         (gint64            us);

/* Both in one unit when they are within a factor of ten: "1.00 s", "0.50 s" */
void   tl_format_duration_pair    (gint64            a_us,
                                   gint64            b_us,
                                   char            **a_text,
                                   char            **b_text);

/* "Other programs were using the processors: …", or NULL when the
 * section's CPU work got the cores it could use. */
char  *tl_summary_dup_contention_note (TlTrace                *trace,
                                       const TlSectionSummary *summary);

/* The speed-up sentence comparing the sections by their labels, or a
 * plain "no verdict" when other programs took the cores; NULL with one
 * section. */
char  *tl_summary_dup_comparison  (TlTrace                *trace,
                                   const TlSectionSummary *summaries,
                                   guint                   n_sections);

/* The human summary that --headless prints: one line per section. */
char  *tl_summary_format_text     (TlTrace          *trace);
/* The same, written to @stream section by section as it is formatted. */
void   tl_summary_print           (TlTrace          *trace,
                                   FILE             *stream);

G_END_DECLS
