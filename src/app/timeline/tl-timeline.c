/* tl-timeline.c — the timeline widget: the view, scrolling, zoom,
 * selection and hover; layers draw the marks (see layers/)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing costs O(what is visible): only visible rows are drawn; each row
 * binary-searches its first visible interval; intervals that fall into one
 * pixel are merged, and the search then jumps straight to the next pixel,
 * so a row holding a million intervals costs at most a few per pixel
 * column. Text goes through one reused PangoLayout; the ruler and grid
 * are cached as a render node and rebuilt only when the size, the time
 * window or the style changes.
 *
 * Summary lanes (event loop, pools, HTTP, concurrency) stay pinned under
 * the ruler; the vertical adjustment scrolls the section and task lanes.
 *
 * Input and the actions are in tl-timeline-input.c, the frame and its
 * layers in tl-timeline-render.c, the drawing primitives and style caches
 * in tl-timeline-paint.c, the tooltip in tl-timeline-tooltip.c.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/tl-number.h"
#include "trace/tl-summary.h"
#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline-palette.h"
#include "timeline/tl-timeline-private.h"

static void tl_timeline_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TlTimeline, tl_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      tl_timeline_scrollable_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_TASK,
  PROP_FOLLOW,
  PROP_LIVE,
  PROP_NAMES_WIDTH,
  PROP_LANE_HEIGHT,
  N_PROPS,

  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum {
  TASK_ACTIVATED,
  CANCEL_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_summary (TlTimeline *self);

/* The names column never takes more than this share of the width unless
 * the user drags it wider. */
#define NAMES_MAX_SHARE 0.4
/* Names measured to fit the column: the summary lanes and this many
 * lanes from the top. Copies of one task have names of one shape, so a
 * sample tells the width without measuring a million names. */
#define NAMES_SAMPLE 400

/* What the names need: the widest of the sampled lanes, with its indent
 * and disclosure triangle. Measured again while the run adds lanes, until
 * the sample is full. */
static double
names_fit_width (TlTimeline *self)
{
  guint n_lanes;

  if (self->model == NULL)
    return 0;
  n_lanes = tl_timeline_model_get_n_lanes (self->model);
  if (self->names_fit_w >= 0 &&
      (self->names_fit_lanes == n_lanes || self->names_fit_lanes >= NAMES_SAMPLE))
    return self->names_fit_w;

  _tl_timeline_ensure_style_caches (self);
  self->names_fit_w = 0;
  for (guint lane = 0; lane < MIN (n_lanes, NAMES_SAMPLE); lane++)
    {
      g_autofree char *label = tl_timeline_model_dup_lane_label (self->model, lane);
      double w = 8 + 14 + tl_timeline_model_get_lane_depth (self->model, lane) * INDENT +
                 _tl_timeline_measure_text (self, label) * 1.1 + 6;

      self->names_fit_w = MAX (self->names_fit_w, w);
    }
  self->names_fit_lanes = MIN (n_lanes, NAMES_SAMPLE);
  return self->names_fit_w;
}

double
_tl_timeline_label_width (TlTimeline *self,
                          int         width)
{
  if (self->label_w_user > 0)
    return CLAMP (self->label_w_user, MIN (80, width * 0.3), MAX (80, width * 0.6));
  /* Names tell lanes apart: at least about 160 px however narrow the
   * widget (the time axis shrinks instead), as much as they need up to
   * a share of the width. */
  return floor (CLAMP (names_fit_width (self), MIN (160, width * 0.45), MAX (160, width * NAMES_MAX_SHARE)));
}

int
tl_timeline_get_names_width (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  return (int) round (self->label_w_user);
}

void
tl_timeline_set_names_width (TlTimeline *self,
                             int         width)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  width = MAX (width, 0);
  if ((int) round (self->label_w_user) == width)
    return;
  self->label_w_user = width;
  g_clear_pointer (&self->static_node, gsk_render_node_unref);
  _tl_timeline_configure_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAMES_WIDTH]);
}

int
tl_timeline_get_lane_height (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), TL_TIMELINE_DEFAULT_LANE_HEIGHT);

  return (int) self->lane_h;
}

void
tl_timeline_set_lane_height (TlTimeline *self,
                             int         height)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  height = CLAMP (height, TL_TIMELINE_MIN_LANE_HEIGHT, TL_TIMELINE_MAX_LANE_HEIGHT);
  if ((int) self->lane_h == height)
    return;

  /* The same lane stays at the top of the view. */
  self->v = self->v * height / self->lane_h;
  self->lane_h = height;
  g_clear_pointer (&self->static_node, gsk_render_node_unref);
  _tl_timeline_configure_adjustments (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANE_HEIGHT]);
}

void
_tl_timeline_notify_names_width (TlTimeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAMES_WIDTH]);
}

void
_tl_timeline_get_view (TlTimeline     *self,
                       TlTimelineView *view)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  /* An unallocated widget (an export before the window is shown, a test)
   * still has a well-defined view. */
  if (width <= 0)
    width = FALLBACK_WIDTH;
  if (height <= 0)
    height = FALLBACK_HEIGHT;

  view->width = width;
  view->height = height;
  view->label_w = _tl_timeline_label_width (self, width);
  view->t0 = self->t0;
  view->us_per_px = self->span / MAX (1.0, width - view->label_w);
  view->v = self->v;
  view->use_cache = TRUE;
}

static void
tl_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;
  GskRenderNode *node;

  _tl_timeline_get_view (self, &view);
  node = _tl_timeline_render (self, &view);
  gtk_snapshot_append_node (snapshot, node);
  gsk_render_node_unref (node);
}

double
_tl_timeline_max_span (TlTimeline *self)
{
  return MAX (4.0 * run_end (self), 10.0 * G_USEC_PER_SEC);
}

/* A window showing [0, end_us] with room on the right for the final
 * markers drawn after each task's end. */
double
_tl_timeline_fit_span (double end_us,
                       double plot_w,
                       double end_text_px)
{
  double margin;

  plot_w = MAX (plot_w, 4 * MARKER_ROOM);
  /* About 8 % after the end, or room for the widest label drawn after a
   * marker at the very end (results, errors), up to 22 % of the plot. */
  margin = MAX (MAX (MARKER_ROOM, plot_w * 0.08), MIN (end_text_px > 0 ? end_text_px + 32 : 0, plot_w * 0.22));
  return MAX (1000.0, end_us) * plot_w / (plot_w - margin);
}

/* The widest text drawn after a marker near the end of the run (a
 * result, an error, a wait's split): what a fitted view must leave room
 * for. Only small runs are measured; a large one gets the 8 %. */
double
_tl_timeline_end_text_width (TlTimeline *self,
                             double      end_us)
{
  TlTrace *trace;
  guint n;
  double widest = 0;

  if (self->model == NULL)
    return 0;
  n = tl_timeline_model_get_n_instances (self->model);
  if (n > MAX_ERROR_PATH_INSTANCES)
    return 0;
  _tl_timeline_ensure_style_caches (self);
  trace = tl_timeline_model_get_trace (self->model);
  for (guint32 i = 0; i < n; i++)
    {
      gint64 fin = tl_timeline_model_get_finished_us (self->model, i);
      TlState state = tl_timeline_model_get_state (self->model, i);
      g_autofree char *owned = NULL;
      const char *text = NULL;

      if (fin < 0 || fin < end_us * 0.9)
        continue;
      if (state == TL_STATE_FAILED)
        text = owned = _tl_timeline_shorten_error (tl_trace_get_error (trace, i));
      else if (state == TL_STATE_OK && _tl_timeline_shows_result (self, i))
        text = tl_trace_get_result (trace, i);
      else if (tl_timeline_model_get_kind (self->model, i) == TL_KIND_WAIT)
        text = owned = _tl_timeline_dup_wait_split (self, i, fin);
      else if ((state == TL_STATE_CANCELLED || state == TL_STATE_TIMED_OUT) &&
               _tl_timeline_planned_duration (self, i) > 0 && tl_timeline_model_get_started_us (self->model, i) >= 0)
        {
          g_autofree char *until = tl_time_format (tl_timeline_model_get_started_us (self->model, i) +
                                                   _tl_timeline_planned_duration (self, i));

          text = owned = g_strdup_printf (_("would have ended at %s"), until);
        }
      if (text != NULL)
        widest = MAX (widest, MIN (320, _tl_timeline_measure_text (self, text)));
    }
  return widest;
}

double
_tl_timeline_zoom_to_fit (TlTimeline *self)
{
  TlTimelineView view;
  gint64 end = run_end (self);

  _tl_timeline_get_view (self, &view);
  /* While live, leave room ahead so the run grows into the view. */
  if (self->live)
    return MAX (2.0 * G_USEC_PER_SEC, end * 1.25);
  return _tl_timeline_fit_span (end, view.width - view.label_w, _tl_timeline_end_text_width (self, end));
}

void
_tl_timeline_set_view (TlTimeline *self,
                       double      t0,
                       double      span)
{
  span = CLAMP (span, MIN_SPAN_US, _tl_timeline_max_span (self));
  t0 = MAX (t0, 0);
  if (t0 == self->t0 && span == self->span)
    return;
  self->t0 = t0;
  self->span = span;
  _tl_timeline_configure_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_tl_timeline_set_v (TlTimeline *self,
                    double      v)
{
  TlTimelineView view;
  double page;

  _tl_timeline_get_view (self, &view);
  page = view.height - task_area_top (self);
  v = CLAMP (v, 0, MAX (0, task_lanes_height (self) - page));
  if (v == self->v)
    return;
  self->v = v;
  _tl_timeline_configure_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The user moved the view in time: stop following. */
void
_tl_timeline_user_panned (TlTimeline *self)
{
  self->auto_fit = FALSE;
  if (self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
}

void
_tl_timeline_zoom_around (TlTimeline *self,
                          double      x,
                          double      factor)
{
  TlTimelineView view;
  double t, span;

  _tl_timeline_get_view (self, &view);
  x = CLAMP (x, view.label_w, view.width);
  t = view_x_to_time (&view, x);
  span = CLAMP (self->span / factor, MIN_SPAN_US, _tl_timeline_max_span (self));
  self->auto_fit = FALSE;
  _tl_timeline_set_view (self, t - (x - view.label_w) * span / MAX (1.0, view.width - view.label_w), span);
}

static void
apply_follow (TlTimeline *self)
{
  gint64 now = current_now (self);

  if (self->auto_fit)
    {
      _tl_timeline_set_view (self, 0, MAX (self->span, _tl_timeline_zoom_to_fit (self)));
      return;
    }
  if (!self->follow)
    return;

  /* Keep "now" at 90 % of the plot once the run outgrows the view. */
  if (now > self->t0 + self->span * 0.9 || now < self->t0)
    _tl_timeline_set_view (self, MAX (0, now - self->span * 0.9), self->span);
}

void
_tl_timeline_configure_adjustments (TlTimeline *self)
{
  TlTimelineView view;
  double upper, page;

  _tl_timeline_get_view (self, &view);
  self->in_configure = TRUE;
  if (self->hadj != NULL)
    {
      upper = MAX ((double) run_end (self) * 1.02, self->t0 + self->span);
      gtk_adjustment_configure (self->hadj, self->t0, 0, upper,
                                self->span / 10, self->span * 0.9, self->span);
    }
  if (self->vadj != NULL)
    {
      page = MAX (1, view.height - task_area_top (self));
      upper = MAX (task_lanes_height (self), page);
      self->v = CLAMP (self->v, 0, upper - page);
      gtk_adjustment_configure (self->vadj, self->v, 0, upper, self->lane_h, page * 0.9, page);
    }
  self->in_configure = FALSE;
}

static void
hadj_value_changed_cb (TlTimeline    *self,
                       GtkAdjustment *adj)
{
  double value = gtk_adjustment_get_value (adj);

  if (self->in_configure || value == self->t0)
    return;
  _tl_timeline_user_panned (self);
  self->t0 = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
vadj_value_changed_cb (TlTimeline    *self,
                       GtkAdjustment *adj)
{
  if (self->in_configure)
    return;
  self->v = gtk_adjustment_get_value (adj);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (TlTimeline     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adj,
                GCallback       callback)
{
  if (adj != NULL && *slot == adj)
    return;
  if (adj == NULL)
    adj = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (*slot, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adj);
  g_signal_connect_swapped (adj, "value-changed", callback, self);
  _tl_timeline_configure_adjustments (self);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  TlTimeline *self = TL_TIMELINE (widget);
  gint64 frame = gdk_frame_clock_get_frame_time (clock);
  gint64 trace_end, estimate;

  gboolean changed;
  TlTimelineView view;
  double now_px;

  if (self->model == NULL)
    return G_SOURCE_CONTINUE;

  changed = tl_timeline_model_update (self->model);

  /* The engine's clock is not ours: extrapolate from the last event we
   * saw, and re-anchor whenever the log moves ahead of the estimate. */
  trace_end = tl_trace_get_end_us (tl_timeline_model_get_trace (self->model));
  if (self->anchor_frame_us == 0)
    {
      self->anchor_frame_us = frame;
      self->anchor_trace_us = trace_end;
    }
  estimate = self->anchor_trace_us + (frame - self->anchor_frame_us);
  if (trace_end > estimate)
    {
      self->anchor_trace_us = trace_end;
      self->anchor_frame_us = frame;
      estimate = trace_end;
    }
  /* When the window drives "now" (it sets the model's time each frame
   * from its own clock), that is the one clock: every live number, the
   * status line's and ours, reads the same "now". */
  if (self->last_set_now >= 0 && tl_timeline_model_get_now (self->model) != self->last_set_now)
    self->external_now = TRUE;
  if (!self->external_now && !tl_timeline_model_is_complete (self->model))
    {
      tl_timeline_model_set_now (self->model, estimate);
      self->last_set_now = estimate;
    }

  /* Redraw only when something visible moved (new events, "now" moved
   * by a pixel, a stall), and at most LIVE_FPS times a second; the view
   * follows and the scrollbar grows at the same pace. Under software GL
   * any redraw repaints the whole window, about 10 ms whatever it shows,
   * and doing it at the display's rate left the main loop no time for
   * anything else. */
  self->pending_change |= changed;
  if (frame - self->last_draw_us < G_USEC_PER_SEC / LIVE_FPS)
    return G_SOURCE_CONTINUE;
  _tl_timeline_get_view (self, &view);
  now_px = (double) current_now (self) / view.us_per_px - self->t0 / view.us_per_px;
  if (!self->pending_change && self->stall_us == 0 && fabs (now_px - self->last_now_px) < 1)
    return G_SOURCE_CONTINUE;

  apply_follow (self);
  _tl_timeline_configure_adjustments (self);
  update_summary (self);
  _tl_timeline_get_view (self, &view);
  now_px = (double) current_now (self) / view.us_per_px - self->t0 / view.us_per_px;
    {
      /* New lanes may have moved the one under the pointer. */
      if (self->pending_change)
        gtk_widget_trigger_tooltip_query (widget);
      self->pending_change = FALSE;
      self->last_draw_us = frame;
      self->last_now_px = now_px;
      gtk_widget_queue_draw (widget);
    }

  return G_SOURCE_CONTINUE;
}

static void
model_changed_cb (TlTimeline      *self,
                  TlTimelineModel *model)
{
  _tl_timeline_search_model_changed (self);
  if (self->live)
    return;   /* the tick callback redraws */
  apply_follow (self);
  _tl_timeline_configure_adjustments (self);
  update_summary (self);
  _tl_timeline_update_actions (self);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_tl_timeline_emit_task_activated (TlTimeline *self,
                                  guint32     instance)
{
  g_signal_emit (self, signals[TASK_ACTIVATED], 0, instance);
}

void
_tl_timeline_emit_cancel_requested (TlTimeline *self,
                                    guint32     instance)
{
  g_signal_emit (self, signals[CANCEL_REQUESTED], 0, instance);
}

GtkWidget *
tl_timeline_new (void)
{
  return g_object_new (TL_TYPE_TIMELINE, NULL);
}

void
tl_timeline_set_model (TlTimeline      *self,
                       TlTimelineModel *model)
{
  g_return_if_fail (TL_IS_TIMELINE (self));
  g_return_if_fail (model == NULL || TL_IS_TIMELINE_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_handler, self->model);
  g_set_object (&self->model, model);
  self->names_fit_w = -1;
  self->hover_us = -1;

  if (self->selected != TL_NO_INSTANCE)
    {
      self->selected = TL_NO_INSTANCE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TASK]);
    }
  self->hovered = TL_NO_INSTANCE;
  self->stall_us = 0;
  self->anchor_frame_us = 0;
  /* A cursor, playback and guesses belong to the run they were set on. */
  tl_timeline_play (self, 0);
  tl_timeline_set_cursor (self, -1);
  tl_timeline_set_guesses (self, NULL, 0);
  self->v = 0;
  self->auto_fit = TRUE;

  if (model != NULL)
    {
      self->changed_handler = g_signal_connect_object (model, "changed",
                                                       G_CALLBACK (model_changed_cb), self,
                                                       G_CONNECT_SWAPPED);
      tl_timeline_model_update (model);
    }
  _tl_timeline_search_model_changed (self);

  self->t0 = 0;
  self->span = _tl_timeline_zoom_to_fit (self);
  _tl_timeline_configure_adjustments (self);
  update_summary (self);
  _tl_timeline_update_actions (self);
  /* A tooltip still showing a task of the previous run must go. */
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TlTimelineModel *
tl_timeline_get_model (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  return self->model;
}

guint32
tl_timeline_get_selected_task (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), TL_NO_INSTANCE);

  return self->selected;
}

static void
scroll_to_lane (TlTimeline *self,
                int         lane)
{
  TlTimelineView view;
  double top, y, page;

  if (lane < 0 || (guint) lane < n_summary_lanes (self))
    return;
  _tl_timeline_get_view (self, &view);
  top = task_area_top (self);
  page = view.height - top;
  y = (lane - n_summary_lanes (self)) * self->lane_h;
  /* The pinned names at the top cover lanes: a lane under them is not
   * in view, and one scrolled up to stops below them. */
  {
    guint pinned[TL_TIMELINE_MAX_PINNED];
    guint n_pinned = _tl_timeline_get_pinned (self, &view, pinned);

    if (y < self->v + n_pinned * self->lane_h)
      {
        view.v = y;
        n_pinned = _tl_timeline_get_pinned (self, &view, pinned);
        view.v = MAX (0, y - n_pinned * self->lane_h);
        n_pinned = _tl_timeline_get_pinned (self, &view, pinned);
        _tl_timeline_set_v (self, MAX (0, y - n_pinned * self->lane_h));
        return;
      }
  }
  if (y < self->v)
    _tl_timeline_set_v (self, y);
  else if (y + self->lane_h > self->v + page)
    _tl_timeline_set_v (self, y + self->lane_h - page);
}

void
tl_timeline_set_selected_task (TlTimeline *self,
                               guint32     instance)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (self->model == NULL || instance >= tl_timeline_model_get_n_instances (self->model))
    instance = TL_NO_INSTANCE;
  if (self->selected == instance)
    return;

  /* Selecting a task inside a collapsed composite opens the way to it. */
  if (instance != TL_NO_INSTANCE)
    for (guint32 a = tl_timeline_model_get_parent (self->model, instance); a != TL_NO_INSTANCE;
         a = tl_timeline_model_get_parent (self->model, a))
      tl_timeline_model_set_collapsed (self->model, a, FALSE);

  self->selected = instance;
  if (instance != TL_NO_INSTANCE)
    scroll_to_lane (self, tl_timeline_model_find_lane (self->model, instance));
  _tl_timeline_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TASK]);
}

gboolean
tl_timeline_get_follow (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  return self->follow;
}

void
tl_timeline_set_follow (TlTimeline *self,
                        gboolean    follow)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  if (follow)
    apply_follow (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

gboolean
tl_timeline_get_live (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  return self->live;
}

void
tl_timeline_set_live (TlTimeline *self,
                      gboolean    live)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  live = !!live;
  if (self->live == live)
    return;
  self->live = live;

  if (live)
    {
      self->anchor_frame_us = 0;
      self->last_set_now = -1;
      self->external_now = FALSE;
      /* A fitted view of a run that just began leaves room to grow. */
      if (self->auto_fit)
        _tl_timeline_set_view (self, 0, _tl_timeline_zoom_to_fit (self));
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
    }
  else
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      self->stall_us = 0;
      if (self->model != NULL)
        tl_timeline_model_update (self->model);
      /* The run is over: show all of it unless the user chose a view. */
      if (self->auto_fit)
        _tl_timeline_set_view (self, 0, _tl_timeline_zoom_to_fit (self));
      model_changed_cb (self, self->model);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
tl_timeline_set_stall (TlTimeline *self,
                       gint64      stall_us,
                       guint32     culprit)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  /* Called every frame while live: no stall then and none now changes
   * nothing, and must not cost a redraw. */
  if (stall_us <= 0 && self->stall_us == 0)
    return;
  if (stall_us <= 0)
    {
      self->stall_us = 0;
    }
  else
    {
      gint64 now = current_now (self);

      if (self->model != NULL)
        {
          /* A stall this long means at least that much time has passed.
           * A shorter one than last time is a new stall. */
          gint64 start = self->stall_us > 0 && stall_us >= self->stall_us
            ? self->stall_start_us : now - stall_us;

          tl_timeline_model_set_now (self->model, start + stall_us);
          self->stall_start_us = start;
        }
      self->stall_us = stall_us;
      self->stall_culprit = culprit;
    }
  /* While live the tick callback redraws at its own pace. */
  if (!self->live || self->tick_id == 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tl_timeline_set_visible_range (TlTimeline *self,
                               gint64      start_us,
                               gint64      end_us)
{
  g_return_if_fail (TL_IS_TIMELINE (self));
  g_return_if_fail (end_us > start_us);

  self->auto_fit = FALSE;
  _tl_timeline_set_view (self, (double) start_us, (double) (end_us - start_us));
}

void
tl_timeline_get_visible_range (TlTimeline *self,
                               gint64     *start_us,
                               gint64     *end_us)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (start_us != NULL)
    *start_us = (gint64) round (self->t0);
  if (end_us != NULL)
    *end_us = (gint64) round (self->t0 + self->span);
}

double
tl_timeline_time_to_x (TlTimeline *self,
                       gint64      time_us)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return view_time_to_x (&view, (double) time_us);
}

gint64
tl_timeline_x_to_time (TlTimeline *self,
                       double      x)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return (gint64) round (view_x_to_time (&view, x));
}

double
tl_timeline_lane_to_y (TlTimeline *self,
                       guint       lane)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return lane_top (self, &view, lane);
}

int
tl_timeline_lane_at_y (TlTimeline *self,
                       double      y)
{
  guint n_summary;
  double top;
  int lane;

  g_return_val_if_fail (TL_IS_TIMELINE (self), -1);

  if (self->model == NULL || y < RULER_H)
    return -1;
  n_summary = n_summary_lanes (self);
  top = task_area_top (self);
  if (y < top)
    return (int) ((y - RULER_H) / SUMMARY_H);
  lane = (int) n_summary + (int) floor ((y - top + self->v) / self->lane_h);
  return lane < (int) tl_timeline_model_get_n_lanes (self->model) ? lane : -1;
}

guint32
tl_timeline_instance_at (TlTimeline *self,
                         double      x,
                         double      y,
                         gint64     *time_us)
{
  int lane;

  g_return_val_if_fail (TL_IS_TIMELINE (self), TL_NO_INSTANCE);

  if (time_us != NULL)
    *time_us = tl_timeline_x_to_time (self, x);
  lane = tl_timeline_lane_at_y (self, y);
  if (lane < 0 || tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
    return TL_NO_INSTANCE;
  return tl_timeline_model_get_lane_instance (self->model, lane);
}

static gboolean
query_tooltip_cb (TlTimeline *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  g_autofree char *markup = _tl_timeline_dup_tooltip_markup (self, x, y, keyboard);

  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

char *
tl_timeline_dup_summary (TlTimeline *self)
{
  static const TlState shown[] = {
    TL_STATE_OK, TL_STATE_FAILED, TL_STATE_TIMED_OUT, TL_STATE_CANCELLED,
    TL_STATE_NEVER_STARTED, TL_STATE_RUNNING, TL_STATE_WAITING, TL_STATE_QUEUED,
    TL_STATE_BLOCKED, TL_STATE_CREATED,
  };
  GString *str;
  g_autofree char *dur = NULL;
  guint totals[TL_N_STATES] = { 0 };
  TlTrace *trace;
  guint n;
  gboolean first = TRUE;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  if (self->model == NULL)
    return g_strdup (_("Timeline, no run"));

  n = tl_timeline_model_get_n_tasks (self->model);
  /* A finished run counts as the summary under the timeline does (every
   * task of every section, groups included), so an exported picture's
   * header and the summary agree. */
  trace = tl_timeline_model_get_trace (self->model);
  if (tl_trace_is_complete (trace))
    {
      n = 0;
      for (guint s = 0; s < tl_trace_get_n_sections (trace); s++)
        {
          TlSectionSummary summary;

          tl_summary_compute_section (trace, s, &summary);
          for (guint st = 0; st < TL_N_STATES; st++)
            {
              totals[st] += summary.counts[st];
              n += summary.counts[st];
            }
        }
    }
  dur = tl_time_format (run_end (self));
  str = g_string_new (NULL);
  /* TRANSLATORS: "Timeline of 3 tasks over 1.00 s", then counts by state */
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "Timeline of %u task over %s",
                                            "Timeline of %u tasks over %s", n), n, dur);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      guint count = tl_trace_is_complete (trace) ? totals[shown[i]]
                                                 : tl_timeline_model_count_state (self->model, shown[i]);

      if (count == 0)
        continue;
      {
        g_autofree char *number = tl_format_count (count);

        g_string_append_printf (str, "%s%s %s", first ? ": " : ", ", number, _tl_timeline_state_label (shown[i]));
      }
      first = FALSE;
    }
  return g_string_free (str, FALSE);
}

static void
update_summary (TlTimeline *self)
{
  g_autofree char *summary = tl_timeline_dup_summary (self);

  if (g_strcmp0 (summary, self->summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                  -1);
}

static void
tl_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  TlTimeline *self = TL_TIMELINE (widget);

  _tl_timeline_configure_adjustments (self);
  _tl_timeline_set_v (self, self->v);
}

static void
tl_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 900;
    }
  else
    {
      *minimum = (int) task_area_top (self) + 3 * self->lane_h;
      *natural = MAX (*minimum, (int) (task_area_top (self) + MIN (task_lanes_height (self), 20 * self->lane_h)));
    }
}

static void
tl_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  TlTimeline *self = TL_TIMELINE (widget);

  GTK_WIDGET_CLASS (tl_timeline_parent_class)->css_changed (widget, change);

  /* Fonts or colours may have changed: rebuild everything styled. */
  _tl_timeline_clear_style_caches (self);
  self->names_fit_w = -1;
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (widget);
}

static void
tl_timeline_dispose (GObject *object)
{
  TlTimeline *self = TL_TIMELINE (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_handler, self->model);
  g_clear_object (&self->model);
  if (self->hadj != NULL)
    g_signal_handlers_disconnect_by_data (self->hadj, self);
  if (self->vadj != NULL)
    g_signal_handlers_disconnect_by_data (self->vadj, self);
  g_clear_object (&self->hadj);
  g_clear_object (&self->vadj);
  _tl_timeline_clear_style_caches (self);
  g_clear_object (&self->layout);
  _tl_timeline_dispose_cursor (self);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->text_boxes, g_array_unref);
  g_clear_pointer (&self->svg_texts, g_array_unref);
  g_clear_pointer (&self->stroke_boxes, g_array_unref);

  G_OBJECT_CLASS (tl_timeline_parent_class)->dispose (object);
}

static void
tl_timeline_finalize (GObject *object)
{
  TlTimeline *self = TL_TIMELINE (object);

  g_free (self->summary);
  g_free (self->figures_key);
  _tl_timeline_search_clear (self);

  G_OBJECT_CLASS (tl_timeline_parent_class)->finalize (object);
}

static void
tl_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TlTimeline *self = TL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SELECTED_TASK:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_NAMES_WIDTH:
      g_value_set_int (value, tl_timeline_get_names_width (self));
      break;
    case PROP_LANE_HEIGHT:
      g_value_set_int (value, tl_timeline_get_lane_height (self));
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadj);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadj);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TlTimeline *self = TL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      tl_timeline_set_model (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_TASK:
      tl_timeline_set_selected_task (self, g_value_get_uint (value));
      break;
    case PROP_FOLLOW:
      tl_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_LIVE:
      tl_timeline_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_NAMES_WIDTH:
      tl_timeline_set_names_width (self, g_value_get_int (value));
      break;
    case PROP_LANE_HEIGHT:
      tl_timeline_set_lane_height (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadj, g_value_get_object (value), G_CALLBACK (hadj_value_changed_cb));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadj, g_value_get_object (value), G_CALLBACK (vadj_value_changed_cb));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_timeline_scrollable_init (GtkScrollableInterface *iface)
{
}

static void
tl_timeline_class_init (TlTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_timeline_dispose;
  object_class->finalize = tl_timeline_finalize;
  object_class->get_property = tl_timeline_get_property;
  object_class->set_property = tl_timeline_set_property;

  widget_class->snapshot = tl_timeline_snapshot;
  widget_class->size_allocate = tl_timeline_size_allocate;
  widget_class->measure = tl_timeline_measure;
  widget_class->css_changed = tl_timeline_css_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         TL_TYPE_TIMELINE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_TASK] =
    g_param_spec_uint ("selected-task", NULL, NULL,
                       0, G_MAXUINT32, TL_NO_INSTANCE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The names column as the user dragged it; 0: fit the names. */
  properties[PROP_NAMES_WIDTH] =
    g_param_spec_int ("names-width", NULL, NULL,
                      0, 4000, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Task lanes' height (px): larger to show a run to a room. */
  properties[PROP_LANE_HEIGHT] =
    g_param_spec_int ("lane-height", NULL, NULL,
                      TL_TIMELINE_MIN_LANE_HEIGHT, TL_TIMELINE_MAX_LANE_HEIGHT,
                      TL_TIMELINE_DEFAULT_LANE_HEIGHT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * TlTimeline::task-activated:
   * @instance: the task instance
   *
   * Enter or a double click on a task: show its details.
   */
  signals[TASK_ACTIVATED] = g_signal_new ("task-activated",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * TlTimeline::cancel-requested:
   * @instance: the task instance
   *
   * Delete on a running task: the user wants it cancelled.
   */
  signals[CANCEL_REQUESTED] = g_signal_new ("cancel-requested",
                                            G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_UINT);

  _tl_timeline_class_init_input (widget_class);
  _tl_timeline_class_init_cursor (widget_class);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tl_timeline_init (TlTimeline *self)
{
  self->selected = TL_NO_INSTANCE;
  self->hovered = TL_NO_INSTANCE;
  self->follow = TRUE;
  self->auto_fit = TRUE;
  self->span = 2.0 * G_USEC_PER_SEC;
  self->palette.dark = -1;
  self->forced_dark = -1;
  self->last_set_now = -1;
  self->names_fit_w = -1;
  self->lane_h = TL_TIMELINE_DEFAULT_LANE_HEIGHT;
  self->hover_us = -1;
  self->current_match = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  set_adjustment (self, &self->hadj, NULL, G_CALLBACK (hadj_value_changed_cb));
  set_adjustment (self, &self->vadj, NULL, G_CALLBACK (vadj_value_changed_cb));

  _tl_timeline_init_input (self);
  _tl_timeline_init_cursor (self);
  self->layers = _tl_timeline_new_layers ();

  _tl_timeline_update_actions (self);
  update_summary (self);
}
