/* tl-predict-dialog.c — "Predict first": the preset's questions, asked
 * before the run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "trace/tl-summary.h"
#include "window/tl-predict-dialog.h"

/* The widgets that hold one question's answer. */
typedef struct {
  GPtrArray     *checks;     /* GtkCheckButton, one per choice */
  GtkSpinButton *seconds;    /* wall-time without choices */
  GPtrArray     *positions;  /* AdwComboRow per result; item 0 is "not chosen" */
} Answer;

struct _TlPredictDialog
{
  AdwWindow  parent_instance;

  TlPreset  *preset;
  Answer    *answers;
  GtkWidget *run_button;
};

G_DEFINE_FINAL_TYPE (TlPredictDialog, tl_predict_dialog, ADW_TYPE_WINDOW)

enum {
  PREDICTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
tl_prediction_free (TlPrediction *prediction)
{
  if (prediction == NULL)
    return;
  for (guint i = 0; i < prediction->n_guesses; i++)
    g_free ((guint *) prediction->guesses[i].order);
  g_free (prediction->guesses);
  g_clear_pointer (&prediction->preset, tl_preset_unref);
  g_free (prediction);
}

char *
tl_prediction_describe (TlPrediction *prediction,
                        guint         question)
{
  const TlQuestion *q;
  const TlGuess *guess;

  g_return_val_if_fail (prediction != NULL, NULL);
  g_return_val_if_fail (question < prediction->n_guesses, NULL);

  q = &prediction->preset->questions[question];
  guess = &prediction->guesses[question];
  switch (q->kind)
    {
    case TL_QUESTION_FIRST_FINISHED:
      return g_strdup (q->choices[guess->choice].label);
    case TL_QUESTION_FINAL_STATE:
      return g_strdup (tl_state_describe (q->states[guess->choice]));
    case TL_QUESTION_WALL_TIME:
      return tl_format_duration (q->n_durations > 0 ? q->durations[guess->choice] : guess->wall_us);
    case TL_QUESTION_RESULT_ORDER:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        for (guint i = 0; i < q->n_choices; i++)
          {
            if (i > 0)
              g_string_append (text, _(", "));
            g_string_append (text, q->choices[guess->order[i]].label);
          }
        return g_string_free (g_steal_pointer (&text), FALSE);
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
answer_is_complete (const TlQuestion *q,
                    const Answer     *answer)
{
  if (answer->checks != NULL)
    {
      for (guint i = 0; i < answer->checks->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (answer->checks, i)))
          return TRUE;
      return FALSE;
    }
  if (answer->seconds != NULL)
    return TRUE;

  /* An order: every place filled, each result once. */
  for (guint i = 0; i < answer->positions->len; i++)
    {
      guint chosen = adw_combo_row_get_selected (g_ptr_array_index (answer->positions, i));

      if (chosen == 0 || chosen == GTK_INVALID_LIST_POSITION)
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (adw_combo_row_get_selected (g_ptr_array_index (answer->positions, j)) == chosen)
          return FALSE;
    }
  return TRUE;
}

gboolean
tl_predict_dialog_is_complete (TlPredictDialog *self)
{
  g_return_val_if_fail (TL_IS_PREDICT_DIALOG (self), FALSE);

  for (guint i = 0; i < self->preset->n_questions; i++)
    if (!answer_is_complete (&self->preset->questions[i], &self->answers[i]))
      return FALSE;
  return TRUE;
}

static void
update_run_button (TlPredictDialog *self)
{
  gtk_widget_set_sensitive (self->run_button, tl_predict_dialog_is_complete (self));
}

static TlPrediction *
collect (TlPredictDialog *self)
{
  TlPrediction *prediction = g_new0 (TlPrediction, 1);

  prediction->preset = tl_preset_ref (self->preset);
  prediction->n_guesses = self->preset->n_questions;
  prediction->guesses = g_new0 (TlGuess, prediction->n_guesses);
  for (guint i = 0; i < prediction->n_guesses; i++)
    {
      const Answer *answer = &self->answers[i];
      TlGuess *guess = &prediction->guesses[i];

      if (answer->checks != NULL)
        {
          for (guint c = 0; c < answer->checks->len; c++)
            if (gtk_check_button_get_active (g_ptr_array_index (answer->checks, c)))
              guess->choice = c;
        }
      else if (answer->seconds != NULL)
        guess->wall_us = (gint64) (gtk_spin_button_get_value (answer->seconds) * G_USEC_PER_SEC + 0.5);
      else
        {
          guint *order = g_new0 (guint, answer->positions->len);

          for (guint p = 0; p < answer->positions->len; p++)
            order[p] = adw_combo_row_get_selected (g_ptr_array_index (answer->positions, p)) - 1;
          guess->order = order;
        }
    }
  return prediction;
}

gboolean
tl_predict_dialog_submit (TlPredictDialog *self)
{
  g_return_val_if_fail (TL_IS_PREDICT_DIALOG (self), FALSE);

  if (!tl_predict_dialog_is_complete (self))
    return FALSE;

  /* Keep the dialog alive through the handler, which may close it. */
  g_object_ref (self);
  g_signal_emit (self, signals[PREDICTED], 0, collect (self));
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
  return TRUE;
}

void
tl_predict_dialog_choose (TlPredictDialog *self,
                          guint            question,
                          guint            choice)
{
  g_return_if_fail (TL_IS_PREDICT_DIALOG (self));
  g_return_if_fail (question < self->preset->n_questions);
  g_return_if_fail (self->answers[question].checks != NULL);
  g_return_if_fail (choice < self->answers[question].checks->len);

  gtk_check_button_set_active (g_ptr_array_index (self->answers[question].checks, choice), TRUE);
}

void
tl_predict_dialog_set_time (TlPredictDialog *self,
                            guint            question,
                            gint64           wall_us)
{
  g_return_if_fail (TL_IS_PREDICT_DIALOG (self));
  g_return_if_fail (question < self->preset->n_questions);
  g_return_if_fail (self->answers[question].seconds != NULL);

  gtk_spin_button_set_value (self->answers[question].seconds, (double) wall_us / G_USEC_PER_SEC);
}

void
tl_predict_dialog_set_order (TlPredictDialog *self,
                             guint            question,
                             const guint     *order)
{
  GPtrArray *positions;

  g_return_if_fail (TL_IS_PREDICT_DIALOG (self));
  g_return_if_fail (question < self->preset->n_questions);
  g_return_if_fail (self->answers[question].positions != NULL);

  positions = self->answers[question].positions;
  for (guint p = 0; p < positions->len; p++)
    adw_combo_row_set_selected (g_ptr_array_index (positions, p), order[p] + 1);
}

static void
run_clicked_cb (TlPredictDialog *self)
{
  tl_predict_dialog_submit (self);
}

static GtkWidget *
choice_row (const char *title,
            GtkWidget **check_out,
            GtkWidget  *group_leader)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group_leader != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (group_leader));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  *check_out = check;
  return row;
}

static GtkWidget *
build_question (TlPredictDialog  *self,
                const TlQuestion *q,
                guint             index,
                Answer           *answer)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *title = g_strdup_printf (_("Question %u of %u"), index + 1, self->preset->n_questions);
  guint n_choices = 0;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), q->prompt);

  switch (q->kind)
    {
    case TL_QUESTION_FIRST_FINISHED:
      n_choices = q->n_choices;
      break;
    case TL_QUESTION_FINAL_STATE:
      n_choices = q->n_states;
      break;
    case TL_QUESTION_WALL_TIME:
      n_choices = q->n_durations;
      break;
    case TL_QUESTION_RESULT_ORDER:
    default:
      break;
    }

  if (n_choices > 0)
    {
      answer->checks = g_ptr_array_new ();
      for (guint c = 0; c < n_choices; c++)
        {
          g_autofree char *duration = NULL;
          const char *text;
          GtkWidget *check;
          GtkWidget *row;

          if (q->kind == TL_QUESTION_FIRST_FINISHED)
            text = q->choices[c].label;
          else if (q->kind == TL_QUESTION_FINAL_STATE)
            text = tl_state_describe (q->states[c]);
          else
            text = duration = tl_format_duration (q->durations[c]);

          row = choice_row (text, &check,
                            answer->checks->len > 0 ? g_ptr_array_index (answer->checks, 0) : NULL);
          g_ptr_array_add (answer->checks, check);
          g_signal_connect_object (check, "toggled", G_CALLBACK (update_run_button), self, G_CONNECT_SWAPPED);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
    }
  else if (q->kind == TL_QUESTION_WALL_TIME)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 3600, 0.1);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Your guess, in seconds"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      answer->seconds = GTK_SPIN_BUTTON (spin);
    }
  else
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      /* TRANSLATORS: the empty entry of "Result 1: [which task?]" */
      gtk_string_list_append (labels, _("Choose…"));
      for (guint c = 0; c < q->n_choices; c++)
        gtk_string_list_append (labels, q->choices[c].label);

      answer->positions = g_ptr_array_new ();
      for (guint p = 0; p < q->n_choices; p++)
        {
          GtkWidget *row = adw_combo_row_new ();
          g_autofree char *place = g_strdup_printf (_("Result %u"), p + 1);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), place);
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
          g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_run_button), self, G_CONNECT_SWAPPED);
          g_ptr_array_add (answer->positions, row);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
    }

  return group;
}

static void
tl_predict_dialog_dispose (GObject *object)
{
  TlPredictDialog *self = TL_PREDICT_DIALOG (object);

  if (self->answers != NULL)
    {
      for (guint i = 0; i < self->preset->n_questions; i++)
        {
          g_clear_pointer (&self->answers[i].checks, g_ptr_array_unref);
          g_clear_pointer (&self->answers[i].positions, g_ptr_array_unref);
          self->answers[i].seconds = NULL;
        }
    }

  G_OBJECT_CLASS (tl_predict_dialog_parent_class)->dispose (object);
}

static void
tl_predict_dialog_finalize (GObject *object)
{
  TlPredictDialog *self = TL_PREDICT_DIALOG (object);

  g_free (self->answers);
  g_clear_pointer (&self->preset, tl_preset_unref);

  G_OBJECT_CLASS (tl_predict_dialog_parent_class)->finalize (object);
}

static void
tl_predict_dialog_class_init (TlPredictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_predict_dialog_dispose;
  object_class->finalize = tl_predict_dialog_finalize;

  /* The TlPrediction passes to the handler, which frees it. */
  signals[PREDICTED] = g_signal_new ("predicted",
                                     G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tl_predict_dialog_init (TlPredictDialog *self)
{
}

GtkWidget *
tl_predict_dialog_new (GtkWindow *parent,
                       TlPreset  *preset)
{
  TlPredictDialog *self;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *cancel;
  GtkWidget *page;

  g_return_val_if_fail (preset != NULL, NULL);
  g_return_val_if_fail (preset->n_questions > 0, NULL);

  self = g_object_new (TL_TYPE_PREDICT_DIALOG,
                       "modal", TRUE,
                       "transient-for", parent,
                       "default-width", 560,
                       "default-height", 640,
                       "title", _("Predict First"),
                       NULL);
  self->preset = tl_preset_ref (preset);
  self->answers = g_new0 (Answer, preset->n_questions);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Predict First"), preset->name));
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->run_button = gtk_button_new_with_mnemonic (_("_Run"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->run_button, _("Run the preset, then compare your answers with what happens"));
  g_signal_connect_object (self->run_button, "clicked", G_CALLBACK (run_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->run_button);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  for (guint i = 0; i < preset->n_questions; i++)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                              ADW_PREFERENCES_GROUP (build_question (self, &preset->questions[i], i,
                                                                     &self->answers[i])));
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);

  update_run_button (self);
  return GTK_WIDGET (self);
}
