/* tl-time-ruler.h — tick spacing and time labels of the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every number on screen carries its unit, in the unit that reads best.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TL_TIME_UNIT_US,
  TL_TIME_UNIT_MS,
  TL_TIME_UNIT_S,
  TL_TIME_UNIT_MIN,
} TlTimeUnit;

typedef struct {
  gint64     step_us;     /* distance between major ticks */
  gint64     first_us;    /* first tick at or after the start */
  TlTimeUnit unit;        /* unit of the labels */
  int        decimals;    /* decimals of the labels in that unit */
} TlRulerTicks;

/* Chooses ticks so that labels are at least min_spacing_px apart. */
void  tl_time_ruler_choose       (double        start_us,
                                  double        end_us,
                                  double        us_per_px,
                                  double        min_spacing_px,
                                  TlRulerTicks *ticks);
/* "250 ms", "1.5 s", "2 m 05 s". */
char *tl_time_ruler_format_tick  (const TlRulerTicks *ticks,
                                  gint64              time_us);
/* A duration or a point in time in the unit that reads best: "850 µs",
 * "12.5 ms", "850 ms", "1.25 s", "2 m 05 s". */
char *tl_time_format             (gint64        us);

G_END_DECLS
