/* tl-duration.c — the duration values of the preset format
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-duration"

#include "config.h"

#include <string.h>

#include "core/tl-duration.h"

/* Durations are parsed by hand rather than with strtod(): strtod also
 * accepts "inf", "nan", hexadecimal and exponents, and depends on the
 * locale's decimal point. Digits are accumulated as an exact integer
 * numerator with a power-of-ten denominator, so "0.1s" is exactly
 * 100000 µs. A part of a microsecond left over counts as a whole one, so
 * that a value just above a limit ("3600.0000001s") is above it. The unit
 * follows the number directly: "1 s" is refused. */
gboolean
tl_duration_parse (const char *text,
                   gint64     *out_us)
{
  const char *p = text;
  guint64 whole = 0;
  guint64 frac = 0;
  guint64 frac_scale = 1;
  guint64 unit_us;
  guint n_digits = 0;
  guint n_frac_digits = 0;
  gboolean dropped = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  while (g_ascii_isspace (*p))
    p++;

  for (; g_ascii_isdigit (*p); p++)
    {
      /* 13 digits of seconds are far beyond any allowed value already;
       * stopping there keeps the arithmetic below from overflowing. */
      if (++n_digits > 13)
        return FALSE;
      whole = whole * 10 + (guint64) (*p - '0');
    }

  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++)
        {
          /* Digits below a nanosecond change nothing after rounding. */
          if (n_frac_digits < 9)
            {
              frac = frac * 10 + (guint64) (*p - '0');
              frac_scale *= 10;
            }
          else if (*p != '0')
            dropped = TRUE;
          n_frac_digits++;
        }
      if (n_frac_digits == 0 && n_digits == 0)
        return FALSE;
    }
  else if (n_digits == 0)
    return FALSE;

  if (strncmp (p, "ms", 2) == 0)
    {
      unit_us = 1000;
      p += 2;
    }
  else if (*p == 's')
    {
      unit_us = G_USEC_PER_SEC;
      p++;
    }
  else if (*p == 'm')
    {
      unit_us = 60 * G_USEC_PER_SEC;
      p++;
    }
  else
    unit_us = G_USEC_PER_SEC;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  if (out_us != NULL)
    *out_us = (gint64) (whole * unit_us + frac * unit_us / frac_scale +
                        ((frac * unit_us) % frac_scale != 0 || dropped ? 1 : 0));

  return TRUE;
}

char *
tl_duration_format (gint64 us)
{
  if (us % (60 * G_USEC_PER_SEC) == 0 && us != 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", us / (60 * G_USEC_PER_SEC));
  if (us % 1000 != 0 || (us < G_USEC_PER_SEC && us != 0))
    {
      if (us % 1000 == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "ms", us / 1000);
      /* Below a millisecond the format has no unit; write seconds. */
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (buf, sizeof buf, "%.6g", (double) us / G_USEC_PER_SEC);
      return g_strdup_printf ("%ss", buf);
    }
  if (us % G_USEC_PER_SEC == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", us / G_USEC_PER_SEC);

  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.3f", (double) us / G_USEC_PER_SEC);
  /* Trim the zeros "1.500" would show. */
  for (char *end = buf + strlen (buf) - 1; end > buf && *end == '0'; end--)
    *end = '\0';
  return g_strdup_printf ("%ss", buf);
}
