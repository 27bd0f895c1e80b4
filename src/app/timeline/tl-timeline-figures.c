/* tl-timeline-figures.c — what the summary lanes' headers say: the values
 * at the instant being looked at, or the run's peaks said to be peaks
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After a run, figures without a time ("0 running · 3 waiting") read as
 * the state at the end, which is rarely what a learner looks at. While
 * the pointer is over the plot the headers follow it, as a chart's
 * crosshair does; a replay cursor holds them at its instant; a live run
 * shows "now". Otherwise they are the peaks, and say so.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline-private.h"

gint64
_tl_timeline_figures_time (TlTimeline *self,
                           gboolean    with_pointer)
{
  if (self->model == NULL)
    return -1;
  if (with_pointer && self->hover_us >= 0)
    return self->hover_us;
  if (self->cursor_us >= 0)
    return self->cursor_us;
  if (self->live)
    return current_now (self);
  return -1;
}

/* The values of a lane at @time_us, without the time. */
static char *
dup_values_at (TlTimeline *self,
               guint       lane,
               gint64      time_us)
{
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
  g_autofree char *sa = NULL, *sb = NULL;
  gint32 a = 0, b = 0;

  if (kind == TL_LANE_LOOP)
    {
      guint32 culprit = TL_NO_INSTANCE;

      switch (tl_timeline_model_get_loop_at (self->model, time_us, &culprit))
        {
        case TL_LOOP_BLOCKED:
          return g_strdup (_("blocked"));
        case TL_LOOP_BUSY:
          return g_strdup (_("busy"));
        case TL_LOOP_FREE:
        default:
          return g_strdup (_("free"));
        }
    }

  if (!tl_timeline_model_get_steps_at (self->model, lane, time_us, &a, &b))
    return NULL;
  sa = _tl_timeline_format_count (a);
  sb = _tl_timeline_format_count (b);
  if (kind == TL_LANE_CONCURRENCY)
    /* TRANSLATORS: the concurrency chart at one instant: "3 running · 2 waiting" */
    return g_strdup_printf (_("%s running · %s waiting"), sa, sb);
  if (kind == TL_LANE_HTTP)
    /* TRANSLATORS: the HTTP connections chart at one instant */
    return g_strdup_printf (_("%s in flight · %s queued"), sa, sb);
  /* TRANSLATORS: a pool chart at one instant: "2 busy · 3 queued" */
  return g_strdup_printf (_("%s busy · %s queued"), sa, sb);
}

char *
_tl_timeline_dup_lane_figures (TlTimeline *self,
                               guint       lane,
                               double      width,
                               gboolean    with_pointer)
{
  TlLaneKind kind;
  gint64 time_us;
  g_autofree char *values = NULL;
  g_autofree char *at = NULL;
  char *with_time;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  if (self->model == NULL || lane >= n_summary_lanes (self))
    return NULL;
  kind = tl_timeline_model_get_lane_kind (self->model, lane);
  time_us = _tl_timeline_figures_time (self, with_pointer);

  if (time_us < 0)
    {
      if (kind == TL_LANE_LOOP)
        {
          gint64 lag_us = tl_timeline_model_get_max_lag_us (self->model);
          g_autofree char *lag_time = NULL;

          /* Under 20 ms a lag is the machine, not the program: the
           * lane shows nothing there either. */
          if (lag_us < TL_TIMELINE_MIN_LAG_US)
            return NULL;
          lag_time = tl_time_format (lag_us);
          /* TRANSLATORS: the event loop's worst lag, e.g. "max lag 1.40 s" */
          return g_strdup_printf (_("max lag %s"), lag_time);
        }
      return _tl_timeline_dup_lane_peaks (self, lane);
    }

  values = dup_values_at (self, lane, time_us);
  if (values == NULL)
    return NULL;
  at = tl_time_format (time_us);
  /* TRANSLATORS: a summary lane's values at one instant: "at 1.20 s: 3 running · 2 waiting" */
  with_time = g_strdup_printf (_("at %s: %s"), at, values);
  if (width < 0 || _tl_timeline_measure_text (self, with_time) <= width)
    return with_time;
  g_free (with_time);
  return g_steal_pointer (&values);
}

void
_tl_timeline_set_hover_time (TlTimeline *self,
                             gint64      time_us)
{
  GString *key;

  if (self->hover_us == time_us)
    return;
  self->hover_us = time_us;
  if (self->model == NULL || n_summary_lanes (self) == 0)
    return;

  /* Redraw only when a header would read differently: the pointer's
   * time changes with every pixel, the words far less often. */
  key = g_string_new (NULL);
  for (guint lane = 0; lane < n_summary_lanes (self); lane++)
    {
      g_autofree char *figures = _tl_timeline_dup_lane_figures (self, lane, -1, TRUE);

      g_string_append (key, figures != NULL ? figures : "");
      g_string_append_c (key, '\n');
    }
  if (g_strcmp0 (key->str, self->figures_key) != 0)
    {
      g_free (self->figures_key);
      self->figures_key = g_string_free (key, FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    g_string_free (key, TRUE);
}
