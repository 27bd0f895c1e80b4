/* tl-window-replay.c — replay and step: the time cursor's controls, and the
 * status line, details and guesses that follow it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "window/tl-window-private.h"

void
_tl_window_show_cursor (TlWindow *self)
{
  gint64 cursor = tl_timeline_get_cursor (self->timeline);

  tl_details_pane_set_cursor (self->details_pane, cursor);
  if (self->model == NULL)
    return;
  if (cursor >= 0)
    tl_summary_bar_show_at (self->summary_bar, self->model, cursor);
  else if (self->engine == NULL && self->trace != NULL && tl_trace_is_complete (self->trace))
    tl_summary_bar_show_trace (self->summary_bar, self->trace);
  _tl_window_refresh_details (self);
}

static void
update_play_button (TlWindow *self)
{
  gboolean playing = tl_timeline_get_playback_speed (self->timeline) > 0;

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
}

static void
cursor_changed_cb (TlWindow   *self,
                   TlTimeline *timeline)
{
  _tl_window_show_cursor (self);
  /* Playback stops by itself at the end of the run. */
  update_play_button (self);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.play", NULL);
  update_play_button (self);
}

static void
speed_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  double speed = g_variant_get_double (param);
  g_autofree char *label = NULL;

  gtk_widget_activate_action_variant (GTK_WIDGET (self->timeline), "timeline.playback-speed", param);
  /* "0.25×": the speed the next replay uses. */
  label = g_strdup_printf ("%g×", speed);
  gtk_menu_button_set_label (self->speed_button, label);
  update_play_button (self);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  tl_timeline_step_event (self->timeline, g_str_equal (action_name, "win.next-event"));
  update_play_button (self);
}

static char *
guess_text (TlPrediction *prediction,
            guint         index)
{
  g_autofree char *guess = tl_prediction_describe (prediction, index);

  return g_strdup_printf (_("Your guess: %s"), guess);
}

/* The guessed task's instance in the run, or TL_NO_INSTANCE. */
static guint32
find_guessed_instance (TlTrace         *trace,
                       guint            section,
                       const TlTaskRef *ref)
{
  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, id);

      if (instance->section == section && instance->spec == ref->spec && instance->copy == ref->copy)
        return id;
    }
  return TL_NO_INSTANCE;
}

void
_tl_window_show_guesses (TlWindow *self)
{
  TlPrediction *prediction = self->prediction;
  g_autoptr(GArray) marks = g_array_new (FALSE, TRUE, sizeof (TlTimelineGuess));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gboolean ended = self->trace != NULL && tl_trace_is_complete (self->trace);

  if (prediction == NULL || self->preset != prediction->preset)
    {
      tl_timeline_set_guesses (self->timeline, NULL, 0);
      return;
    }

  for (guint i = 0; i < prediction->n_guesses; i++)
    {
      const TlQuestion *q = &prediction->preset->questions[i];
      const TlGuess *guess = &prediction->guesses[i];
      TlTimelineGuess mark = { -1, TL_NO_INSTANCE, NULL };
      char *text;

      switch (q->kind)
        {
        case TL_QUESTION_WALL_TIME:
          /* A guessed length is drawn where the run (or the section)
           * would end by it: a later section's start is known once the
           * run has ended. */
          mark.time_us = q->n_durations > 0 ? q->durations[guess->choice] : guess->wall_us;
          if (!q->whole_run && q->section > 0)
            {
              if (!ended || q->section >= tl_trace_get_n_sections (self->trace))
                continue;
              mark.time_us += tl_trace_get_section (self->trace, q->section)->start_us;
            }
          break;
        case TL_QUESTION_FIRST_FINISHED:
          if (!ended)
            continue;
          mark.instance = find_guessed_instance (self->trace, q->section, &q->choices[guess->choice]);
          break;
        case TL_QUESTION_FINAL_STATE:
          if (!ended)
            continue;
          mark.instance = find_guessed_instance (self->trace, q->section, &q->task);
          break;
        case TL_QUESTION_RESULT_ORDER:
        default:
          continue;
        }
      if (mark.time_us < 0 && mark.instance == TL_NO_INSTANCE)
        continue;
      text = guess_text (prediction, i);
      g_ptr_array_add (texts, text);
      mark.text = text;
      g_array_append_val (marks, mark);
    }

  tl_timeline_set_guesses (self->timeline, (TlTimelineGuess *) (void *) marks->data, marks->len);
}

void
_tl_window_class_init_replay (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.playback-speed", "d", speed_action);
  gtk_widget_class_install_action (widget_class, "win.previous-event", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next-event", NULL, step_action);
}

void
_tl_window_init_replay (TlWindow *self)
{
  g_signal_connect_object (self->timeline, "cursor-changed",
                           G_CALLBACK (cursor_changed_cb), self, G_CONNECT_SWAPPED);
}
