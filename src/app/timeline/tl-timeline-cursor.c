/* tl-timeline-cursor.c — replay: the time cursor, stepping from event to
 * event, playback at 0.1× to 2×, and the learner's guesses
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include "timeline/tl-timeline-private.h"

#define MIN_SPEED 0.1
#define MAX_SPEED 2.0

enum {
  CURSOR_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
guess_clear (gpointer data)
{
  TlTimelineGuess *guess = data;

  g_free ((char *) guess->text);
}

gint64
tl_timeline_get_cursor (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), -1);

  return self->cursor_us;
}

/* Keeps the cursor in the picture: a step or playback past the right edge
 * scrolls the view. */
static void
keep_in_view (TlTimeline *self)
{
  gint64 start, end;

  tl_timeline_get_visible_range (self, &start, &end);
  if (self->cursor_us < start || self->cursor_us > end)
    {
      gint64 span = MAX (end - start, 1);

      tl_timeline_set_visible_range (self, MAX (0, self->cursor_us - span / 4),
                                     MAX (0, self->cursor_us - span / 4) + span);
    }
}

void
tl_timeline_set_cursor (TlTimeline *self,
                        gint64      time_us)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (time_us < 0)
    time_us = -1;
  /* Only the part of the run already drawn can be shown. */
  else if (self->model != NULL)
    time_us = MIN (time_us, tl_timeline_model_get_end_us (self->model));
  else
    time_us = -1;

  if (self->cursor_us == time_us)
    return;
  self->cursor_us = time_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CURSOR_CHANGED], 0);
}

void
_tl_timeline_cursor_to_x (TlTimeline *self,
                          double      x)
{
  TlTimelineView view;

  _tl_timeline_get_view (self, &view);
  tl_timeline_set_cursor (self, MAX (0, (gint64) view_x_to_time (&view, MAX (x, view.label_w))));
}

gboolean
tl_timeline_step_event (TlTimeline *self,
                        gboolean    forward)
{
  gint64 t;

  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  if (self->model == NULL)
    return FALSE;

  tl_timeline_play (self, 0);
  if (self->cursor_us < 0)
    t = forward ? tl_timeline_model_find_event (self->model, -1, TRUE)
                : tl_timeline_model_find_event (self->model, tl_timeline_model_get_end_us (self->model) + 1, FALSE);
  else
    t = tl_timeline_model_find_event (self->model, self->cursor_us, forward);
  if (t < 0)
    return FALSE;

  tl_timeline_set_cursor (self, t);
  keep_in_view (self);
  return TRUE;
}

static gboolean
play_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  TlTimeline *self = TL_TIMELINE (widget);
  gint64 frame = gdk_frame_clock_get_frame_time (clock);
  gint64 end = self->model != NULL ? tl_timeline_model_get_end_us (self->model) : 0;
  gint64 next;

  if (self->play_last_frame_us == 0)
    self->play_last_frame_us = frame;
  next = self->cursor_us + (gint64) ((frame - self->play_last_frame_us) * self->play_speed);
  self->play_last_frame_us = frame;

  tl_timeline_set_cursor (self, MIN (next, end));
  keep_in_view (self);
  if (next >= end)
    {
      self->play_tick_id = 0;
      self->play_speed = 0;
      _tl_timeline_update_actions (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
tl_timeline_play (TlTimeline *self,
                  double      speed)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (self->play_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick_id);
      self->play_tick_id = 0;
    }
  self->play_speed = 0;

  /* Only a finished run replays; a live one is already playing. */
  if (speed > 0 && self->model != NULL && tl_timeline_model_is_complete (self->model))
    {
      gint64 end = tl_timeline_model_get_end_us (self->model);

      self->play_speed = CLAMP (speed, MIN_SPEED, MAX_SPEED);
      if (self->cursor_us < 0 || self->cursor_us >= end)
        tl_timeline_set_cursor (self, 0);
      self->play_last_frame_us = 0;
      self->play_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick_cb, NULL, NULL);
    }
  _tl_timeline_update_actions (self);
}

double
tl_timeline_get_playback_speed (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  return self->play_speed;
}

void
tl_timeline_set_guesses (TlTimeline            *self,
                         const TlTimelineGuess *guesses,
                         guint                  n_guesses)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  /* Nothing to draw on once the widget is disposed. */
  if (self->guesses == NULL)
    return;
  g_array_set_size (self->guesses, 0);
  for (guint i = 0; i < n_guesses; i++)
    {
      TlTimelineGuess copy = guesses[i];

      copy.text = g_strdup (guesses[i].text);
      g_array_append_val (self->guesses, copy);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tl_timeline_get_n_guesses (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  return self->guesses->len;
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  tl_timeline_step_event (TL_TIMELINE (widget), g_str_equal (action_name, "timeline.next-event"));
}

/* timeline.play toggles: play at the last speed (1× the first time) or
 * pause. timeline.playback-speed plays at the speed given. */
static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  tl_timeline_play (self, self->play_speed > 0 ? 0 : self->play_chosen_speed);
}

static void
speed_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  self->play_chosen_speed = CLAMP (g_variant_get_double (param), MIN_SPEED, MAX_SPEED);
  tl_timeline_play (self, self->play_chosen_speed);
}

static void
clear_cursor_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  tl_timeline_play (self, 0);
  tl_timeline_set_cursor (self, -1);
}

void
_tl_timeline_class_init_cursor (GtkWidgetClass *widget_class)
{
  /* The cursor moved (or went away: tl_timeline_get_cursor() says -1). */
  signals[CURSOR_CHANGED] = g_signal_new ("cursor-changed",
                                          G_TYPE_FROM_CLASS (widget_class),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "timeline.next-event", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-event", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "timeline.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "timeline.playback-speed", "d", speed_action);
  gtk_widget_class_install_action (widget_class, "timeline.clear-cursor", NULL, clear_cursor_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "timeline.next-event", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "timeline.previous-event", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "timeline.clear-cursor", NULL);
}

void
_tl_timeline_init_cursor (TlTimeline *self)
{
  self->cursor_us = -1;
  self->play_chosen_speed = 1.0;
  self->guesses = g_array_new (FALSE, TRUE, sizeof (TlTimelineGuess));
  g_array_set_clear_func (self->guesses, guess_clear);
}

void
_tl_timeline_dispose_cursor (TlTimeline *self)
{
  if (self->play_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick_id);
      self->play_tick_id = 0;
    }
  g_clear_pointer (&self->guesses, g_array_unref);
}
