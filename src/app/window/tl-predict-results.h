/* tl-predict-results.h — the learner's guesses against what happened
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "window/tl-predict-dialog.h"

G_BEGIN_DECLS

#define TL_TYPE_PREDICT_RESULTS (tl_predict_results_get_type ())
G_DECLARE_FINAL_TYPE (TlPredictResults, tl_predict_results, TL, PREDICT_RESULTS, AdwWindow)

/* Grades @prediction against the complete @trace and shows, question by
 * question, the guess, the outcome and the preset's explanation. */
GtkWidget *tl_predict_results_new         (GtkWindow    *parent,
                                           TlPrediction *prediction,
                                           TlTrace      *trace);
/* How many guesses were right, and how many could be graded at all. */
guint      tl_predict_results_get_n_right (TlPredictResults *self);
guint      tl_predict_results_get_n_graded (TlPredictResults *self);
/* Everything shown, one line per label (tests, accessibility). */
char      *tl_predict_results_dup_text    (TlPredictResults *self);

G_END_DECLS
