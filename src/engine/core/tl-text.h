/* tl-text.h — repeating what the user wrote, within reason
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of a value, key, group or argument a message repeats. */
#define TL_TEXT_ECHO_CHARS      80
/* URLs are longer by nature; messages about a request repeat this much. */
#define TL_TEXT_ECHO_URL_CHARS  200

/* @text as a message may repeat it: valid UTF-8, at most @max_chars
 * characters, and "…" after it when it was cut. Every message that
 * echoes input goes through this, so no line grows with the input. */
char *tl_text_echo_n (const char *text,
                      gsize       max_chars);

/* tl_text_echo_n() with TL_TEXT_ECHO_CHARS. */
char *tl_text_echo   (const char *text);

G_END_DECLS
