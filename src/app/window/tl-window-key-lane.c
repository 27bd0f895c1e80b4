/* tl-window-key-lane.c — the lesson stays in view after a run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After a run the lane of the task its first warning names (the call
 * that blocked the loop, say) is scrolled into the timeline. The layout
 * is not final when the run ends: the warnings slide in and take height
 * from the lanes, and a slow build (a sanitizer's, a busy machine) lays
 * the window out later still. A single scroll at a guessed moment left
 * the lane below a view that shrank after it. So the window keeps the
 * lane in view each time the scroll range changes (the adjustment's
 * "changed": a new upper bound or page size), scrolling only once the
 * range can hold it, until the user scrolls for themselves or a new run
 * starts. The first warning is the lesson: a loop blocked, else the
 * first warning's task.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <math.h>

#include "window/tl-window-private.h"

static guint32
key_instance (TlTrace *trace)
{
  guint n = tl_trace_get_n_warnings (trace);

  for (guint w = 0; w < n; w++)
    if (tl_trace_get_warning (trace, w)->code == TL_WARNING_LOOP_BLOCKED)
      return tl_trace_get_warning (trace, w)->instance;
  return n > 0 ? tl_trace_get_warning (trace, 0)->instance : TL_NO_INSTANCE;
}

static void
reveal_key_lane (TlWindow *self)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->timeline));
  double y, lane_h, height, page, top, value, max, target;
  int lane;

  if (self->key_lane == TL_NO_INSTANCE || self->model == NULL || self->engine != NULL || adj == NULL)
    return;
  lane = tl_timeline_model_find_lane (self->model, self->key_lane);
  if (lane < 0)
    return;

  y = tl_timeline_lane_to_y (self->timeline, lane);
  lane_h = tl_timeline_lane_to_y (self->timeline, lane + 1) - y;
  height = gtk_widget_get_height (GTK_WIDGET (self->timeline));
  page = gtk_adjustment_get_page_size (adj);
  if (height <= 0 || page <= 1)
    return;
  /* The task lanes scroll below the ruler and the summary lanes. */
  top = height - page;
  if (y >= top && y + lane_h <= height)
    return;

  value = gtk_adjustment_get_value (adj);
  max = gtk_adjustment_get_upper (adj) - page;

  /* The range cannot reach the lane yet (its upper bound is still that
   * of a shorter run): the next "changed" comes back here. */
  if (value + (y + lane_h - height) > max + 0.5)
    return;

  /* In the middle of the task lanes, as far as the range allows. */
  target = CLAMP (value + y - (top + (page - lane_h) / 2), 0, max);
  self->key_lane_value = target;
  self->key_lane_scrolling = TRUE;
  gtk_adjustment_set_value (adj, target);
  self->key_lane_scrolling = FALSE;
}

static gboolean
reveal_key_lane_cb (gpointer user_data)
{
  TlWindow *self = user_data;

  self->key_lane_source = 0;
  reveal_key_lane (self);
  return G_SOURCE_REMOVE;
}

/* "changed" is emitted while the timeline configures its adjustment, and
 * a value set from inside that is overwritten by the timeline's own: the
 * scroll waits until the configuring is over. */
static void
range_changed_cb (TlWindow      *self,
                  GtkAdjustment *adj)
{
  if (self->key_lane == TL_NO_INSTANCE || self->key_lane_source != 0)
    return;
  self->key_lane_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reveal_key_lane_cb, self, NULL);
}

/* The user scrolled: where they look is theirs from now on. */
static void
value_changed_cb (TlWindow      *self,
                  GtkAdjustment *adj)
{
  if (self->key_lane_scrolling || self->key_lane == TL_NO_INSTANCE || self->key_lane_value < 0)
    return;
  if (fabs (gtk_adjustment_get_value (adj) - self->key_lane_value) > 0.5)
    self->key_lane = TL_NO_INSTANCE;
}

void
_tl_window_init_key_lane (TlWindow *self)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->timeline));

  self->key_lane = TL_NO_INSTANCE;
  self->key_lane_value = -1;
  g_return_if_fail (adj != NULL);
  g_signal_connect_object (adj, "changed", G_CALLBACK (range_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_tl_window_show_key_lane (TlWindow *self)
{
  self->key_lane = self->trace != NULL ? key_instance (self->trace) : TL_NO_INSTANCE;
  self->key_lane_value = -1;
  reveal_key_lane (self);
}

void
_tl_window_forget_key_lane (TlWindow *self)
{
  g_clear_handle_id (&self->key_lane_source, g_source_remove);
  self->key_lane = TL_NO_INSTANCE;
  self->key_lane_value = -1;
}
