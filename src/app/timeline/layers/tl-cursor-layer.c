/* tl-cursor-layer.c — the time cursor, and the run veiled after it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What lies right of the cursor had not happened yet at that instant: a
 * veil in the plot's own background colour fades it, so every lane and
 * summary lane reads as it stood then, and the picture of a replay looks
 * like the live run did.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <math.h>

#include "trace/tl-summary.h"
#include "timeline/layers/tl-cursor-layer.h"

#define VEIL_ALPHA 0.72f

struct _TlCursorLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlCursorLayer, tl_cursor_layer, TL_TYPE_TIMELINE_LAYER)

static void
tl_cursor_layer_draw (TlTimelineLayer       *layer,
                      const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;
  const TlTimelinePalette *p = &self->palette;
  const TlTimelineView *view = frame->view;
  GdkRGBA veil = p->bg;
  double x;

  if (self->cursor_us < 0 || self->model == NULL)
    return;

  x = round (view_time_to_x (view, (double) self->cursor_us));
  veil.alpha = VEIL_ALPHA;

  switch (frame->region)
    {
    case TL_TIMELINE_REGION_SUMMARY:
    case TL_TIMELINE_REGION_TASKS:
      if (x < view->width)
        {
          double x0 = MAX (x + 1, view->label_w);
          double y0 = frame->region == TL_TIMELINE_REGION_TASKS ? frame->top : RULER_H;
          double y1 = frame->region == TL_TIMELINE_REGION_TASKS ? view->height : frame->top;

          _tl_timeline_append_rect (frame->snapshot, &veil, x0, y0, view->width - x0, y1 - y0);
        }
      break;

    case TL_TIMELINE_REGION_PLOT:
      if (x >= view->label_w && x < view->width)
        {
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_CURSOR);
          _tl_timeline_append_rect (frame->snapshot, &p->fg, x - 1, RULER_H, 2, view->height - RULER_H);
        }
      break;

    case TL_TIMELINE_REGION_OVERLAY:
      if (x >= view->label_w && x < view->width)
        {
          g_autofree char *at = tl_format_duration (self->cursor_us);
          GdkRGBA plate = p->ruler_bg;
          int w;

          /* A handle on the ruler, and the time it stands at. */
          _tl_timeline_append_rect (frame->snapshot, &p->fg, x - 5, RULER_H - 8, 10, 8);
          w = (int) _tl_timeline_measure_text (self, at) + 8;
          plate.alpha = 1;
          _tl_timeline_append_rect (frame->snapshot, &plate, x + 6, 2, w, RULER_H - 12);
          _tl_timeline_append_text (self, frame->snapshot, at, &p->fg, x + 10, (RULER_H - 8) / 2.0, -1, TRUE);
        }
      break;

    default:
      break;
    }
}

static gboolean
tl_cursor_layer_lookup_item (TlTimelineLayer      *layer,
                             TlTimeline           *timeline,
                             const TlTimelineView *view,
                             double                x,
                             double                y,
                             guint32              *instance)
{
  /* The cursor marks a time, not a task. */
  return FALSE;
}

static void
tl_cursor_layer_class_init (TlCursorLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Time cursor";
  layer_class->regions = TL_TIMELINE_REGION_SUMMARY | TL_TIMELINE_REGION_TASKS |
                         TL_TIMELINE_REGION_PLOT | TL_TIMELINE_REGION_OVERLAY;
  layer_class->draw = tl_cursor_layer_draw;
  layer_class->lookup_item = tl_cursor_layer_lookup_item;
}

static void
tl_cursor_layer_init (TlCursorLayer *self)
{
}

TlTimelineLayer *
tl_cursor_layer_new (void)
{
  return g_object_new (TL_TYPE_CURSOR_LAYER, NULL);
}
