/* tl-predict-results.c — the learner's guesses against what happened
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "window/tl-predict-results.h"

struct _TlPredictResults
{
  AdwWindow  parent_instance;

  GPtrArray *lines;      /* char *, what the labels say, in order */
  guint      n_right;
  guint      n_graded;
};

G_DEFINE_FINAL_TYPE (TlPredictResults, tl_predict_results, ADW_TYPE_WINDOW)

static GtkWidget *
text_label (TlPredictResults *self,
            const char       *text,
            const char       *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  g_ptr_array_add (self->lines, g_strdup (text));
  return label;
}

static GtkWidget *
build_question (TlPredictResults *self,
                TlPrediction     *prediction,
                guint             index,
                TlTrace          *trace)
{
  const TlQuestion *q = &prediction->preset->questions[index];
  g_autoptr(TlGrade) grade = tl_question_grade (q, trace, &prediction->guesses[index]);
  g_autofree char *guess = tl_prediction_describe (prediction, index);
  g_autofree char *guessed = g_strdup_printf (_("Your guess: %s"), guess);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon;
  const char *verdict;
  const char *icon_name;
  const char *css_class;

  switch (grade->verdict)
    {
    case TL_VERDICT_RIGHT:
      verdict = _("Right");
      icon_name = "emblem-ok-symbolic";
      css_class = "success";
      self->n_right++;
      self->n_graded++;
      break;
    case TL_VERDICT_WRONG:
      verdict = _("Not this time");
      icon_name = "window-close-symbolic";
      css_class = "error";
      self->n_graded++;
      break;
    case TL_VERDICT_UNANSWERED:
    default:
      verdict = _("The run cannot tell");
      icon_name = "dialog-question-symbolic";
      css_class = "dim-label";
      break;
    }

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css_class);
  gtk_box_append (GTK_BOX (heading), icon);
  gtk_box_append (GTK_BOX (heading), text_label (self, verdict, "heading"));
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text_label (self, q->prompt, NULL));
  gtk_box_append (GTK_BOX (box), text_label (self, guessed, "dim-label"));
  gtk_box_append (GTK_BOX (box), text_label (self, grade->outcome, css_class));
  gtk_box_append (GTK_BOX (box), text_label (self, q->explanation, NULL));
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_bottom (box, 12);
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 12);
      gtk_widget_set_margin_end (child, 12);
    }
  gtk_widget_set_margin_top (heading, 12);
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (box), 12);
  return box;
}

guint
tl_predict_results_get_n_right (TlPredictResults *self)
{
  g_return_val_if_fail (TL_IS_PREDICT_RESULTS (self), 0);
  return self->n_right;
}

guint
tl_predict_results_get_n_graded (TlPredictResults *self)
{
  g_return_val_if_fail (TL_IS_PREDICT_RESULTS (self), 0);
  return self->n_graded;
}

char *
tl_predict_results_dup_text (TlPredictResults *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (TL_IS_PREDICT_RESULTS (self), NULL);

  for (guint i = 0; i < self->lines->len; i++)
    {
      g_string_append (text, g_ptr_array_index (self->lines, i));
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
tl_predict_results_finalize (GObject *object)
{
  TlPredictResults *self = TL_PREDICT_RESULTS (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (tl_predict_results_parent_class)->finalize (object);
}

static void
tl_predict_results_class_init (TlPredictResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tl_predict_results_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tl_predict_results_init (TlPredictResults *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
tl_predict_results_new (GtkWindow    *parent,
                        TlPrediction *prediction,
                        TlTrace      *trace)
{
  TlPredictResults *self;
  GtkWidget *box;
  GtkWidget *list;
  GtkWidget *scroller;
  GtkWidget *clamp;
  g_autofree char *score = NULL;

  g_return_val_if_fail (prediction != NULL, NULL);
  g_return_val_if_fail (trace != NULL && tl_trace_is_complete (trace), NULL);

  self = g_object_new (TL_TYPE_PREDICT_RESULTS,
                       "transient-for", parent,
                       "default-width", 560,
                       "default-height", 640,
                       "title", _("Predictions"),
                       NULL);

  list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  for (guint i = 0; i < prediction->n_guesses; i++)
    gtk_box_append (GTK_BOX (list), build_question (self, prediction, i, trace));

  /* TRANSLATORS: "2 of 3 guesses right" */
  score = g_strdup_printf (ngettext ("%u of %u guess right", "%u of %u guesses right", self->n_graded),
                           self->n_right, self->n_graded);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  {
    GtkWidget *header = adw_header_bar_new ();

    adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                     adw_window_title_new (_("Predictions"), score));
    gtk_box_append (GTK_BOX (box), header);
  }
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), list);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);
  g_ptr_array_insert (self->lines, 0, g_strdup (score));

  return GTK_WIDGET (self);
}
