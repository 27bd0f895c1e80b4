/* tl-time-ruler.c — tick spacing and time labels of the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-time-ruler"

#include "config.h"

#include <math.h>

#include "timeline/tl-time-ruler.h"

/* 1-2-5 steps while the decimal system reads well, then steps that match
 * how people count seconds and minutes. */
#define S(n) (G_GINT64_CONSTANT (n) * G_USEC_PER_SEC)

static const gint64 steps_us[] = {
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000,
  S (1), S (2), S (5), S (10), S (15), S (30),
  S (60), S (120), S (300), S (600), S (900), S (1800), S (3600), S (7200),
};

static int
decimals_for (gint64 step_us,
              gint64 unit_us)
{
  int decimals = 0;

  while (decimals < 3 && (step_us % unit_us) != 0)
    {
      unit_us /= 10;
      decimals++;
    }
  return decimals;
}

void
tl_time_ruler_choose (double        start_us,
                      double        end_us,
                      double        us_per_px,
                      double        min_spacing_px,
                      TlRulerTicks *ticks)
{
  gint64 step = steps_us[G_N_ELEMENTS (steps_us) - 1];

  g_return_if_fail (ticks != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (steps_us); i++)
    if (steps_us[i] / us_per_px >= min_spacing_px)
      {
        step = steps_us[i];
        break;
      }

  ticks->step_us = step;
  ticks->first_us = (gint64) ceil (MAX (start_us, 0) / (double) step) * step;

  /* One unit for the whole ruler, chosen by the step and by how far the
   * view reaches, so "1.5 s" is not followed by "1600 ms". */
  if (step >= 60 * G_USEC_PER_SEC)
    {
      ticks->unit = TL_TIME_UNIT_MIN;
      ticks->decimals = 0;
    }
  else if (step >= 100000 || end_us >= 10 * G_USEC_PER_SEC)
    {
      ticks->unit = TL_TIME_UNIT_S;
      ticks->decimals = decimals_for (step, G_USEC_PER_SEC);
    }
  else if (step >= 100 || end_us >= 10000)
    {
      ticks->unit = TL_TIME_UNIT_MS;
      ticks->decimals = decimals_for (step, 1000);
    }
  else
    {
      ticks->unit = TL_TIME_UNIT_US;
      ticks->decimals = 0;
    }
}

static char *
format_minutes (gint64 us)
{
  gint64 total_s = (us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;

  if (total_s % 60 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " m", total_s / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " m %02d s", total_s / 60, (int) (total_s % 60));
}

char *
tl_time_ruler_format_tick (const TlRulerTicks *ticks,
                           gint64              time_us)
{
  g_return_val_if_fail (ticks != NULL, NULL);

  /* The origin reads "0 s" in any unit, never "0.00 s". */
  if (time_us == 0)
    {
      switch (ticks->unit)
        {
        case TL_TIME_UNIT_US:
          return g_strdup ("0 µs");
        case TL_TIME_UNIT_MS:
          return g_strdup ("0 ms");
        case TL_TIME_UNIT_S:
        case TL_TIME_UNIT_MIN:
        default:
          return g_strdup ("0 s");
        }
    }

  switch (ticks->unit)
    {
    case TL_TIME_UNIT_US:
      return g_strdup_printf ("%" G_GINT64_FORMAT " µs", time_us);
    case TL_TIME_UNIT_MS:
      return g_strdup_printf ("%.*f ms", ticks->decimals, time_us / 1000.0);
    case TL_TIME_UNIT_S:
      return g_strdup_printf ("%.*f s", ticks->decimals, time_us / 1e6);
    case TL_TIME_UNIT_MIN:
    default:
      return format_minutes (time_us);
    }
}

char *
tl_time_format (gint64 us)
{
  gint64 abs_us = us < 0 ? -us : us;

  if (abs_us < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " µs", us);
  if (abs_us < 10000)
    return g_strdup_printf ("%.2f ms", us / 1000.0);
  if (abs_us < 100000)
    return g_strdup_printf ("%.1f ms", us / 1000.0);
  if (abs_us < 999500)
    return g_strdup_printf ("%.0f ms", us / 1000.0);
  if (abs_us < 59995000)
    return g_strdup_printf ("%.2f s", us / 1e6);
  return format_minutes (us);
}
