/* tl-cpu-probe.h — how much processor the machine gives this run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lesson about CPU work ("threads finish in half the time") only holds
 * when the cores are free. The runner samples these figures when a section
 * begins and ends; the summary compares them with what the section's CPU
 * work needed, and says so when other programs took the cores.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint   cores;         /* CPUs in this thread's affinity mask */
  gint64  process_cpu_us;/* getrusage(RUSAGE_SELF): user + system, all threads */
  gint64  pressure_us;   /* /proc/pressure/cpu "some" total; -1 without PSI */
} TlCpuSample;

void   tl_cpu_probe_sample        (TlCpuSample *out);

/* CPUs this process may run on (sched_getaffinity), at least 1. */
guint  tl_cpu_probe_count_cores   (void);

/* The "some total=" figure of a /proc/pressure/cpu text, in µs; -1 when
 * the text has none. Apart for tests. */
gint64 tl_cpu_probe_parse_pressure (const char *text);

G_END_DECLS
