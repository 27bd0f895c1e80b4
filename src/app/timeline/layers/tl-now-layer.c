/* tl-now-layer.c — while a run goes on: the "now" line and a stall of the
 * event loop growing across every lane
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/layers/tl-now-layer.h"

struct _TlNowLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlNowLayer, tl_now_layer, TL_TYPE_TIMELINE_LAYER)



static void
tl_now_layer_draw (TlTimelineLayer       *layer,
                   const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;
  const TlTimelinePalette *p = &self->palette;
  const TlTimelineView *view = frame->view;
  double x = round (view_time_to_x (view, (double) frame->now));

  if (!self->live)
    return;

  switch (frame->region)
    {
    case TL_TIMELINE_REGION_TASKS:
      /* A stall going on right now reaches across every lane: nothing on
       * the loop can move while it lasts. */
      if (self->stall_us > 0)
        {
          double x0, x1;

          if (_tl_timeline_clip_span (view, (double) self->stall_start_us, (double) frame->now, &x0, &x1))
            {
              GdkRGBA band = p->blocked;

              band.alpha = 0.12f;
              _tl_timeline_note_mark (self, TL_TIMELINE_MARK_LIVE_STALL);
              _tl_timeline_append_rect (frame->snapshot, &band, x0, frame->top, x1 - x0, view->height - frame->top);
            }
        }
      break;

    case TL_TIMELINE_REGION_PLOT:
      if (x >= view->label_w && x < view->width)
        {
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_NOW);
          _tl_timeline_append_rect (frame->snapshot, &p->now, x, RULER_H, 2, view->height - RULER_H);
        }
      break;

    case TL_TIMELINE_REGION_OVERLAY:
      /* Its tick on the ruler. */
      if (x >= view->label_w && x < view->width)
        _tl_timeline_append_rect (frame->snapshot, &p->now, x - 3, RULER_H - 6, 8, 6);
      break;

    case TL_TIMELINE_REGION_SUMMARY:
    default:
      break;
    }
}

static gboolean
tl_now_layer_lookup_item (TlTimelineLayer      *layer,
                          TlTimeline           *self,
                          const TlTimelineView *view,
                          double                x,
                          double                y,
                          guint32              *instance)
{
  /* The line marks a time, not a task. */
  return FALSE;
}

static void
tl_now_layer_class_init (TlNowLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Now and live stall";
  layer_class->regions = TL_TIMELINE_REGION_TASKS | TL_TIMELINE_REGION_PLOT | TL_TIMELINE_REGION_OVERLAY;
  layer_class->draw = tl_now_layer_draw;
  layer_class->lookup_item = tl_now_layer_lookup_item;
}

static void
tl_now_layer_init (TlNowLayer *self)
{
}

TlTimelineLayer *
tl_now_layer_new (void)
{
  return g_object_new (TL_TYPE_NOW_LAYER, NULL);
}
