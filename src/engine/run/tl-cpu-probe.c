/* tl-cpu-probe.c — how much processor the machine gives this run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-cpu-probe"
/* sched_getaffinity() and the CPU_* macros are GNU extensions. */
#define _GNU_SOURCE

#include "config.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "run/tl-cpu-probe.h"

guint
tl_cpu_probe_count_cores (void)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  if (sched_getaffinity (0, sizeof set, &set) == 0 && CPU_COUNT (&set) > 0)
    return CPU_COUNT (&set);

  return MAX (g_get_num_processors (), 1);
}

gint64
tl_cpu_probe_parse_pressure (const char *text)
{
  const char *line, *total;
  char *end;
  gint64 value;

  if (text == NULL)
    return -1;

  /* "some avg10=1.23 avg60=0.50 avg300=0.10 total=123456" */
  line = g_str_has_prefix (text, "some ") ? text : strstr (text, "\nsome ");
  if (line == NULL)
    return -1;
  total = strstr (line, "total=");
  if (total == NULL || (strchr (line + 1, '\n') != NULL && total > strchr (line + 1, '\n')))
    return -1;

  value = g_ascii_strtoll (total + strlen ("total="), &end, 10);
  if (end == total + strlen ("total=") || value < 0)
    return -1;

  return value;
}

static gint64
read_pressure_us (void)
{
  g_autofree char *text = NULL;

  /* Absent on kernels without PSI (or with psi=0): then there is nothing
   * to add to the other figures. */
  if (!g_file_get_contents ("/proc/pressure/cpu", &text, NULL, NULL))
    return -1;

  return tl_cpu_probe_parse_pressure (text);
}

void
tl_cpu_probe_sample (TlCpuSample *out)
{
  struct rusage usage;

  g_return_if_fail (out != NULL);

  out->cores = tl_cpu_probe_count_cores ();
  out->process_cpu_us = -1;
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    out->process_cpu_us = (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec
                          + (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
  out->pressure_us = read_pressure_us ();
}
