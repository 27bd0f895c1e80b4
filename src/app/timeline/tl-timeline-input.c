/* tl-timeline-input.c — the timeline's input: pointer, scroll, drag, pinch,
 * and the keyboard actions
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-timeline-private.h"

static gboolean
scroll_cb (TlTimeline               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  /* A wheel click is a step; a touchpad reports pixels. */
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  TlTimelineView view;

  if (self->model == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      _tl_timeline_zoom_around (self, self->pointer_x, pow (wheel ? 1.2 : 1.01, -dy));
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      dx = dx != 0 ? dx : dy;
      dy = 0;
    }
  _tl_timeline_get_view (self, &view);
  if (dx != 0)
    {
      _tl_timeline_user_panned (self);
      _tl_timeline_set_view (self, self->t0 + dx * (wheel ? self->span * 0.08 : view.us_per_px), self->span);
    }
  if (dy != 0)
    _tl_timeline_set_v (self, self->v + dy * (wheel ? self->lane_h * 2 : 1));
  return TRUE;
}

static void
motion_cb (TlTimeline *self,
           double      x,
           double      y)
{
  guint32 hovered;

  TlTimelineView view;

  self->pointer_x = x;
  self->pointer_y = y;
  /* The names column's edge can be dragged. */
  _tl_timeline_get_view (self, &view);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   fabs (x - view.label_w) <= RESIZE_GRAB ? "col-resize" : NULL);
  if (self->model == NULL)
    return;
  _tl_timeline_set_hover_time (self, x >= view.label_w && y >= RULER_H
                                     ? MAX ((gint64) 0, (gint64) view_x_to_time (&view, x)) : -1);
  hovered = tl_timeline_instance_at (self, x, y, NULL);
  if (hovered != self->hovered)
    {
      self->hovered = hovered;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (TlTimeline *self)
{
  _tl_timeline_set_hover_time (self, -1);
  if (self->hovered != TL_NO_INSTANCE)
    {
      self->hovered = TL_NO_INSTANCE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
click_pressed_cb (TlTimeline      *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  guint32 instance;
  TlTimelineView view;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->model == NULL)
    return;

  _tl_timeline_get_view (self, &view);
  /* A press on the names column's edge starts resizing it, nothing else. */
  if (fabs (x - view.label_w) <= RESIZE_GRAB)
    return;
  /* A press on the ruler puts the time cursor there. */
  if (y < RULER_H)
    {
      if (x >= view.label_w)
        _tl_timeline_cursor_to_x (self, x);
      return;
    }
  instance = tl_timeline_instance_at (self, x, y, NULL);

  /* The disclosure triangle toggles a composite. */
  if (instance != TL_NO_INSTANCE && x < view.label_w &&
      tl_timeline_model_is_composite (self->model, instance))
    {
      int lane = tl_timeline_model_find_lane (self->model, instance);
      double tx = 8 + INDENT * tl_timeline_model_get_lane_depth (self->model, lane);

      if (x >= tx - 4 && x < tx + 14)
        {
          tl_timeline_model_set_collapsed (self->model, instance,
                                           !tl_timeline_model_get_collapsed (self->model, instance));
          return;
        }
    }

  tl_timeline_set_selected_task (self, instance);
  if (n_press == 2 && instance != TL_NO_INSTANCE)
    _tl_timeline_emit_task_activated (self, instance);
}

static void
drag_begin_cb (TlTimeline     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  TlTimelineView view;

  self->drag_t0 = self->t0;
  self->drag_v = self->v;
  self->dragging = FALSE;
  _tl_timeline_get_view (self, &view);
  /* The edge, or its handle on the ruler. */
  self->resizing = fabs (x - view.label_w) <= RESIZE_GRAB;
  self->resize_w0 = view.label_w;
  self->cursor_dragging = y < RULER_H && x >= view.label_w && self->model != NULL;
  self->drag_start_x = x;
  if (self->resizing || self->cursor_dragging)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (TlTimeline     *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  TlTimelineView view;

  if (self->cursor_dragging)
    {
      _tl_timeline_cursor_to_x (self, self->drag_start_x + dx);
      return;
    }
  if (self->resizing)
    {
      self->label_w_user = round (MAX (1, self->resize_w0 + dx));
      g_clear_pointer (&self->static_node, gsk_render_node_unref);
      _tl_timeline_configure_adjustments (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (!self->dragging && hypot (dx, dy) < 4)
    return;
  if (!self->dragging)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging = TRUE;

  _tl_timeline_get_view (self, &view);
  if (dx != 0)
    _tl_timeline_user_panned (self);
  _tl_timeline_set_view (self, self->drag_t0 - dx * view.us_per_px, self->span);
  _tl_timeline_set_v (self, self->drag_v - dy);
}

static void
drag_end_cb (TlTimeline     *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  /* Once per drag: the window keeps the width in its settings. */
  if (self->resizing)
    _tl_timeline_notify_names_width (self);
  self->resizing = FALSE;
}

static void
zoom_begin_cb (TlTimeline     *self,
               GdkEventSequence *sequence,
               GtkGestureZoom *gesture)
{
  TlTimelineView view;
  double cx = 0, cy = 0;

  _tl_timeline_get_view (self, &view);
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  self->zoom_span = self->span;
  self->zoom_anchor_x = CLAMP (cx, view.label_w, view.width);
  self->zoom_anchor_t = view_x_to_time (&view, self->zoom_anchor_x);
}

static void
zoom_scale_changed_cb (TlTimeline     *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  TlTimelineView view;
  double span;

  if (scale <= 0)
    return;
  _tl_timeline_get_view (self, &view);
  span = CLAMP (self->zoom_span / scale, MIN_SPAN_US, _tl_timeline_max_span (self));
  self->auto_fit = FALSE;
  _tl_timeline_set_view (self, self->zoom_anchor_t - (self->zoom_anchor_x - view.label_w) * span / MAX (1.0, view.width - view.label_w),
                         span);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;

  _tl_timeline_get_view (self, &view);
  _tl_timeline_zoom_around (self, (view.label_w + view.width) / 2, 1.5);
}

/* A and D, as in Perfetto and DevTools: a quarter of the view. */
static void
pan_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  double direction = g_str_equal (name, "timeline.pan-left") ? -1 : 1;

  _tl_timeline_user_panned (self);
  _tl_timeline_set_view (self, self->t0 + direction * self->span / 4, self->span);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;

  _tl_timeline_get_view (self, &view);
  _tl_timeline_zoom_around (self, (view.label_w + view.width) / 2, 1 / 1.5);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  self->auto_fit = TRUE;
  _tl_timeline_set_view (self, 0, _tl_timeline_zoom_to_fit (self));
}

static void
select_step (TlTimeline *self,
             int         direction)
{
  int n_lanes, lane;

  if (self->model == NULL)
    return;
  n_lanes = (int) tl_timeline_model_get_n_lanes (self->model);
  lane = self->selected != TL_NO_INSTANCE ? tl_timeline_model_find_lane (self->model, self->selected) : -1;
  if (lane < 0)
    lane = direction > 0 ? -1 : n_lanes;

  for (lane += direction; lane >= 0 && lane < n_lanes; lane += direction)
    if (tl_timeline_model_get_lane_kind (self->model, lane) == TL_LANE_TASK)
      {
        tl_timeline_set_selected_task (self, tl_timeline_model_get_lane_instance (self->model, lane));
        return;
      }
}

static void
select_next_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  select_step (TL_TIMELINE (widget), 1);
}

static void
select_previous_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  select_step (TL_TIMELINE (widget), -1);
}

static void
collapse_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  guint32 sel = self->selected;

  if (self->model == NULL || sel == TL_NO_INSTANCE)
    return;
  if (tl_timeline_model_is_composite (self->model, sel) && !tl_timeline_model_get_collapsed (self->model, sel))
    tl_timeline_model_set_collapsed (self->model, sel, TRUE);
  else if (tl_timeline_model_get_parent (self->model, sel) != TL_NO_INSTANCE)
    tl_timeline_set_selected_task (self, tl_timeline_model_get_parent (self->model, sel));
}

static void
expand_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  guint32 sel = self->selected;

  if (self->model == NULL || sel == TL_NO_INSTANCE)
    return;
  if (tl_timeline_model_get_collapsed (self->model, sel))
    tl_timeline_model_set_collapsed (self->model, sel, FALSE);
  else if (tl_timeline_model_is_composite (self->model, sel))
    select_step (self, 1);
}

static void
activate_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (self->selected != TL_NO_INSTANCE)
    _tl_timeline_emit_task_activated (self, self->selected);
}

static gboolean
selected_is_running (TlTimeline *self)
{
  return self->model != NULL && self->selected != TL_NO_INSTANCE &&
         !TL_STATE_IS_FINAL (tl_timeline_model_get_state (self->model, self->selected)) &&
         !tl_timeline_model_is_complete (self->model);
}

static void
cancel_selected_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (selected_is_running (self))
    _tl_timeline_emit_cancel_requested (self, self->selected);
}

void
_tl_timeline_update_actions (TlTimeline *self)
{
  gboolean has_model = self->model != NULL;
  gboolean has_sel = has_model && self->selected != TL_NO_INSTANCE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-in", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-out", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-fit", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.pan-left", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.pan-right", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.select-next", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.select-previous", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.collapse", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.expand", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.activate", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.cancel-selected", selected_is_running (self));
}

static void
add_binding (GtkWidgetClass *widget_class,
             guint           keyval,
             const char     *action)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, action, NULL);
}

void
_tl_timeline_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "timeline.pan-left", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "timeline.pan-right", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "timeline.select-next", NULL, select_next_action);
  gtk_widget_class_install_action (widget_class, "timeline.select-previous", NULL, select_previous_action);
  gtk_widget_class_install_action (widget_class, "timeline.collapse", NULL, collapse_action);
  gtk_widget_class_install_action (widget_class, "timeline.expand", NULL, expand_action);
  gtk_widget_class_install_action (widget_class, "timeline.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "timeline.cancel-selected", NULL, cancel_selected_action);
  gtk_widget_class_install_property_action (widget_class, "timeline.follow", "follow");

  add_binding (widget_class, GDK_KEY_plus, "timeline.zoom-in");
  /* W, S, A, D as in Perfetto and Chrome's DevTools (either case). */
  add_binding (widget_class, GDK_KEY_w, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_s, "timeline.zoom-out");
  add_binding (widget_class, GDK_KEY_a, "timeline.pan-left");
  add_binding (widget_class, GDK_KEY_d, "timeline.pan-right");
  add_binding (widget_class, GDK_KEY_equal, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_KP_Add, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_minus, "timeline.zoom-out");
  add_binding (widget_class, GDK_KEY_KP_Subtract, "timeline.zoom-out");
  add_binding (widget_class, GDK_KEY_0, "timeline.zoom-fit");
  add_binding (widget_class, GDK_KEY_KP_0, "timeline.zoom-fit");
  add_binding (widget_class, GDK_KEY_Down, "timeline.select-next");
  add_binding (widget_class, GDK_KEY_KP_Down, "timeline.select-next");
  add_binding (widget_class, GDK_KEY_Up, "timeline.select-previous");
  add_binding (widget_class, GDK_KEY_KP_Up, "timeline.select-previous");
  add_binding (widget_class, GDK_KEY_Left, "timeline.collapse");
  add_binding (widget_class, GDK_KEY_KP_Left, "timeline.collapse");
  add_binding (widget_class, GDK_KEY_Right, "timeline.expand");
  add_binding (widget_class, GDK_KEY_KP_Right, "timeline.expand");
  add_binding (widget_class, GDK_KEY_Return, "timeline.activate");
  add_binding (widget_class, GDK_KEY_KP_Enter, "timeline.activate");
  add_binding (widget_class, GDK_KEY_ISO_Enter, "timeline.activate");
  add_binding (widget_class, GDK_KEY_Delete, "timeline.cancel-selected");
  add_binding (widget_class, GDK_KEY_KP_Delete, "timeline.cancel-selected");
}

void
_tl_timeline_init_input (TlTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}
