/* tl-preset-private.h — what the preset loader's files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "preset/tl-preset.h"

G_BEGIN_DECLS

/* Parses and validates @data (already known to be at most
 * TL_PRESET_MAX_FILE_SIZE bytes). @display names the file in messages;
 * @file and @builtin_name are stored in the preset as they are. */
TlPreset *_tl_preset_parse (const char  *data,
                            gsize        length,
                            const char  *display,
                            const char  *file,
                            const char  *builtin_name,
                            GError     **error);

/* Damerau–Levenshtein distance (optimal string alignment), ignoring ASCII
 * case; G_MAXUINT when either string is too long to be worth comparing. */
guint     _tl_preset_edit_distance (const char *a,
                                    const char *b);

/* The candidate closest to @word, or NULL when none is close enough to be
 * a plausible typo. Ties go to the earliest candidate. */
const char *_tl_preset_suggest (const char         *word,
                                const char * const *candidates,
                                gsize               n_candidates);

G_END_DECLS
