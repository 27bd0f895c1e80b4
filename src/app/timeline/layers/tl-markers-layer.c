/* tl-markers-layer.c — the end of each task: a cap and a shape in its final
 * state's colour, and what it returned or raised
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/layers/tl-markers-layer.h"

struct _TlMarkersLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlMarkersLayer, tl_markers_layer, TL_TYPE_TIMELINE_LAYER)

static void
draw_marker (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view,
             guint32               instance,
             double                y,
             double                h)
{
  const TlTimelinePalette *p = &self->palette;
  gint64 final_us;
  TlMarker marker = tl_timeline_model_get_marker (self->model, instance, &final_us);
  const GdkRGBA *color;
  double x;

  if (marker == TL_MARKER_NONE)
    return;
  /* A task that never started has its ghost instead (draw_ghosts). */
  if (tl_timeline_model_get_state (self->model, instance) == TL_STATE_NEVER_STARTED)
    return;

  x = view_time_to_x (view, (double) final_us);
  if (x < view->label_w - 16 || x > view->width + 2)
    return;

  switch (marker)
    {
    case TL_MARKER_OK:
      color = &p->ok;
      break;
    case TL_MARKER_FAILED:
      color = &p->failed;
      break;
    case TL_MARKER_TIMED_OUT:
      color = &p->timed_out;
      break;
    case TL_MARKER_CANCELLED:
    case TL_MARKER_NONE:
    default:
      color = &p->cancelled;
      break;
    }

  _tl_timeline_note_mark (self, marker == TL_MARKER_OK ? TL_TIMELINE_MARK_OK
                               : marker == TL_MARKER_FAILED ? TL_TIMELINE_MARK_FAILED
                               : marker == TL_MARKER_TIMED_OUT ? TL_TIMELINE_MARK_TIMED_OUT
                               : TL_TIMELINE_MARK_CANCELLED);

  /* An end cap in the final state's colour exactly where it ended, and
   * its shape just after it: the shape, not the colour, tells the state. */
  _tl_timeline_append_rect (snapshot, color, round (x) - 2, y, 3, h);
  _tl_timeline_append_node_at (snapshot, self->markers[marker], round (x) + 3, round (y + h / 2 - 7));

  /* After the end nothing else is drawn on the lane: room for what the
   * task returned or raised, so results and errors read at a glance. */
  if (x + 22 < view->width - 40)
    {
      TlTrace *trace = tl_timeline_model_get_trace (self->model);
      g_autofree char *owned = NULL;
      const char *text = NULL;
      const GdkRGBA *text_color = &p->fg_dim;

      if (marker == TL_MARKER_FAILED)
        {
          text = owned = _tl_timeline_shorten_error (tl_trace_get_error (trace, instance));
          text_color = color;
        }
      else if (marker == TL_MARKER_OK && _tl_timeline_shows_result (self, instance))
        text = tl_trace_get_result (trace, instance);
      else if (tl_timeline_model_get_kind (self->model, instance) == TL_KIND_WAIT)
        text = owned = _tl_timeline_dup_wait_split (self, instance, final_us);

      if (text != NULL && *text != '\0')
        {
          g_autofree char *line = g_strdelimit (g_strdup (text), "\n\r\t", ' ');
          /* Up to the first line across the lane (a bracket, a
           * deadline, an arrow): text never crosses one. */
          double room = _tl_timeline_room_before_stroke (self, round (x) + 20, y + h / 2,
                                                         MIN (320, view->width - (x + 20) - 4));
          char *where;

          /* An error's reason matters more than where it happened: drop
           * the " · /path" before cutting the reason. */
          if (marker == TL_MARKER_FAILED && _tl_timeline_measure_text (self, line) > room &&
              (where = g_strrstr (line, " · ")) != NULL)
            *where = '\0';
          /* Cut to a few letters and an ellipsis it says nothing: the
           * tooltip has it. */
          if (room >= MIN (48, _tl_timeline_measure_text (self, line)))
            _tl_timeline_append_text (self, snapshot, line, text_color, round (x) + 20, y + h / 2, room, FALSE);
        }
    }
}

static void
tl_markers_layer_draw (TlTimelineLayer       *layer,
                       const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;

  for (guint lane = frame->first; lane < frame->last; lane++)
    {
      if (tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
        continue;
      draw_marker (self, frame->snapshot, frame->view,
                   tl_timeline_model_get_lane_instance (self->model, lane),
                   lane_top (self, frame->view, lane) + BAR_PAD, self->lane_h - 2 * BAR_PAD);
    }
}

static gboolean
tl_markers_layer_lookup_item (TlTimelineLayer      *layer,
                              TlTimeline           *self,
                              const TlTimelineView *view,
                              double                x,
                              double                y,
                              guint32              *instance)
{
  int lane = _tl_timeline_layer_task_lane_at (self, view, y);
  guint32 found;
  gint64 final_us;
  double mx;

  if (lane < 0)
    return FALSE;
  found = tl_timeline_model_get_lane_instance (self->model, lane);
  if (tl_timeline_model_get_marker (self->model, found, &final_us) == TL_MARKER_NONE ||
      tl_timeline_model_get_state (self->model, found) == TL_STATE_NEVER_STARTED)
    return FALSE;
  /* The cap and the shape after it. */
  mx = round (view_time_to_x (view, (double) final_us));
  if (x < mx - 3 || x > mx + 18)
    return FALSE;
  *instance = found;
  return TRUE;
}

static void
tl_markers_layer_class_init (TlMarkersLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "End markers and results";
  layer_class->regions = TL_TIMELINE_REGION_TASKS;
  layer_class->draw = tl_markers_layer_draw;
  layer_class->lookup_item = tl_markers_layer_lookup_item;
}

static void
tl_markers_layer_init (TlMarkersLayer *self)
{
}

TlTimelineLayer *
tl_markers_layer_new (void)
{
  return g_object_new (TL_TYPE_MARKERS_LAYER, NULL);
}
