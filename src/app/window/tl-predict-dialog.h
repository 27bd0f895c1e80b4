/* tl-predict-dialog.h — "Predict first": the preset's questions, asked
 * before the run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "preset/tl-preset.h"
#include "trace/tl-question-grade.h"

G_BEGIN_DECLS

/* A learner's guesses at every question of a preset, in question order. */
typedef struct {
  TlPreset *preset;
  TlGuess  *guesses;
  guint     n_guesses;
} TlPrediction;

void          tl_prediction_free        (TlPrediction *prediction);
/* The guess in words: "fetch_user(2)", "1.50 s", "times out"… */
char         *tl_prediction_describe    (TlPrediction *prediction,
                                         guint         question);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlPrediction, tl_prediction_free)

#define TL_TYPE_PREDICT_DIALOG (tl_predict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TlPredictDialog, tl_predict_dialog, TL, PREDICT_DIALOG, AdwWindow)

/* Asks every question of @preset; emits "predicted" with a TlPrediction
 * (owned by the handler) when the learner presses Run, and closes. */
GtkWidget    *tl_predict_dialog_new      (GtkWindow       *parent,
                                          TlPreset        *preset);
/* Whether every question has an answer (Run is enabled). */
gboolean      tl_predict_dialog_is_complete (TlPredictDialog *self);
/* What the learner does, one question at a time: pick a choice (tasks,
 * states or durations), type a time, or set the order of results. */
void          tl_predict_dialog_choose   (TlPredictDialog *self,
                                          guint            question,
                                          guint            choice);
void          tl_predict_dialog_set_time (TlPredictDialog *self,
                                          guint            question,
                                          gint64           wall_us);
void          tl_predict_dialog_set_order (TlPredictDialog *self,
                                          guint            question,
                                          const guint     *order);
/* Presses Run; FALSE when not every question has an answer. */
gboolean      tl_predict_dialog_submit   (TlPredictDialog *self);

G_END_DECLS
