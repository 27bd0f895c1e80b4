/* tl-text.c — repeating what the user wrote, within reason
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-text"

#include "config.h"

#include <string.h>

#include "core/tl-text.h"

char *
tl_text_echo_n (const char *text,
                gsize       max_chars)
{
  g_autofree char *valid = NULL;
  const char *end;
  gsize n = 0;

  if (text == NULL)
    return g_strdup ("");

  /* Only the part that may be shown is validated: a 500 KB value costs
   * no more than a short one. */
  valid = g_utf8_make_valid (text, MIN (strlen (text), max_chars * 4 + 4));
  for (end = valid; *end != '\0' && n < max_chars; end = g_utf8_next_char (end))
    n++;
  if (*end == '\0' && strlen (text) <= max_chars * 4 + 4)
    return g_steal_pointer (&valid);
  {
    g_autofree char *head = g_strndup (valid, end - valid);

    return g_strconcat (head, "…", NULL);
  }
}

char *
tl_text_echo (const char *text)
{
  return tl_text_echo_n (text, TL_TEXT_ECHO_CHARS);
}
