/* tl-window-predict.c — "Predict first": ask the preset's questions before
 * Run, then show the guesses against what the run did
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "window/tl-predict-dialog.h"
#include "window/tl-predict-results.h"
#include "window/tl-window-private.h"

void
_tl_window_set_predict_first (TlWindow *self,
                              gboolean  predict_first)
{
  predict_first = !!predict_first;
  if (self->predict_first == predict_first)
    return;
  self->predict_first = predict_first;
  if (!predict_first)
    g_clear_pointer (&self->prediction, tl_prediction_free);
  g_object_notify (G_OBJECT (self), "predict-first");
}

static void
predicted_cb (TlWindow        *self,
              TlPrediction    *prediction,
              TlPredictDialog *dialog)
{
  g_clear_pointer (&self->prediction, tl_prediction_free);
  self->prediction = prediction;
  if (self->preset != prediction->preset || self->engine != NULL)
    {
      /* The preset changed or a run started while the dialog was open:
       * these guesses are about something else now. */
      g_clear_pointer (&self->prediction, tl_prediction_free);
      return;
    }

  if (_tl_window_hosts_consented (self))
    _tl_window_start_run (self);
}

gboolean
_tl_window_predict_before_run (TlWindow *self)
{
  GtkWidget *dialog;

  if (!self->predict_first || self->preset == NULL || self->preset->n_questions == 0)
    return FALSE;

  g_clear_pointer (&self->prediction, tl_prediction_free);
  if (self->predict_results != NULL)
    gtk_window_destroy (GTK_WINDOW (self->predict_results));

  dialog = tl_predict_dialog_new (GTK_WINDOW (self), self->preset);
  g_signal_connect_object (dialog, "predicted", G_CALLBACK (predicted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

void
_tl_window_show_prediction_results (TlWindow *self)
{
  g_autoptr(TlPrediction) prediction = NULL;

  /* The guesses stay drawn over the run they were about. */
  _tl_window_show_guesses (self);
  prediction = g_steal_pointer (&self->prediction);
  if (prediction == NULL || self->trace == NULL || !tl_trace_is_complete (self->trace) ||
      tl_trace_get_preset (self->trace) != prediction->preset)
    return;

  if (self->predict_results != NULL)
    gtk_window_destroy (GTK_WINDOW (self->predict_results));
  self->predict_results = tl_predict_results_new (GTK_WINDOW (self), prediction, self->trace);
  g_object_add_weak_pointer (G_OBJECT (self->predict_results), (gpointer *) &self->predict_results);
  gtk_window_present (GTK_WINDOW (self->predict_results));
}

void
_tl_window_dispose_predict (TlWindow *self)
{
  g_clear_pointer (&self->prediction, tl_prediction_free);
  if (self->predict_results != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->predict_results), (gpointer *) &self->predict_results);
      gtk_window_destroy (GTK_WINDOW (self->predict_results));
      self->predict_results = NULL;
    }
}
