/* tl-number.c — counts and seconds as people read them
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-number"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "core/tl-number.h"

char *
tl_format_count (gint64 n)
{
  struct lconv *conv = localeconv ();
  const char *sep = conv != NULL && conv->thousands_sep != NULL && conv->thousands_sep[0] != '\0'
                    ? conv->thousands_sep : ",";
  char digits[32];
  GString *out = g_string_new (NULL);
  guint64 magnitude = n < 0 ? (guint64) -(n + 1) + 1 : (guint64) n;
  int len;

  len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);
  if (n < 0)
    g_string_append_c (out, '-');
  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

char *
tl_format_python_seconds (gint64 us)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* %g drops trailing zeros as Python's repr does for these values. */
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", (double) us / G_USEC_PER_SEC));
}
