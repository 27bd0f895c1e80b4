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

/* [Question NAME] groups (tl-preset-questions.c) -------------------------- */

typedef struct _TlQuestionScan TlQuestionScan;

/* Finds the [Question NAME] groups in @data and returns a copy of it with
 * their lines emptied, line numbers unchanged, for the task parser; NULL
 * with @error for a question header that is misspelt or has no valid name.
 * *@out_scan is NULL when the file has no question groups. Text that is
 * not UTF-8 comes back unchanged, for the task parser to report. */
char     *_tl_preset_mask_questions  (const char      *data,
                                      gsize            length,
                                      const char      *display,
                                      TlQuestionScan **out_scan,
                                      GError         **error);

/* Reads and validates the scanned question groups against @preset, which
 * the task parser has already accepted, and stores them in it. */
gboolean  _tl_preset_parse_questions (TlPreset        *preset,
                                      TlQuestionScan  *scan,
                                      const char      *display,
                                      GError         **error);

void      _tl_question_scan_free     (TlQuestionScan  *scan);
void      _tl_question_clear         (TlQuestion      *question);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlQuestionScan, _tl_question_scan_free)

G_END_DECLS
