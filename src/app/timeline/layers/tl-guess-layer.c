/* tl-guess-layer.c — a learner's guesses as ghost marks: a dashed line at
 * a guessed time, an outline around the lane of a guessed task
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <math.h>

#include "timeline/layers/tl-guess-layer.h"

#define DASH 6

struct _TlGuessLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlGuessLayer, tl_guess_layer, TL_TYPE_TIMELINE_LAYER)

static GdkRGBA
ghost_colour (const TlTimelinePalette *p)
{
  GdkRGBA ghost = p->fg;

  ghost.alpha = 0.55f;
  return ghost;
}

static void
draw_outline (GtkSnapshot   *snapshot,
              const GdkRGBA *colour,
              double         x,
              double         y,
              double         w,
              double         h)
{
  _tl_timeline_append_rect (snapshot, colour, x, y, w, 2);
  _tl_timeline_append_rect (snapshot, colour, x, y + h - 2, w, 2);
  _tl_timeline_append_rect (snapshot, colour, x, y, 2, h);
  _tl_timeline_append_rect (snapshot, colour, x + w - 2, y, 2, h);
}

static void
tl_guess_layer_draw (TlTimelineLayer       *layer,
                     const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;
  const TlTimelineView *view = frame->view;
  GdkRGBA ghost = ghost_colour (&self->palette);

  if (self->guesses == NULL || self->guesses->len == 0)
    return;

  for (guint i = 0; i < self->guesses->len; i++)
    {
      const TlTimelineGuess *guess = &g_array_index (self->guesses, TlTimelineGuess, i);

      if (guess->time_us >= 0)
        {
          double x = round (view_time_to_x (view, (double) guess->time_us));

          if (x < view->label_w || x >= view->width)
            continue;
          if (frame->region == TL_TIMELINE_REGION_PLOT)
            _tl_timeline_note_mark (self, TL_TIMELINE_MARK_GUESS);
          if (frame->region == TL_TIMELINE_REGION_PLOT)
            for (double y = RULER_H; y < view->height; y += 2 * DASH)
              _tl_timeline_append_rect (frame->snapshot, &ghost, x - 1, y, 2, MIN (DASH, view->height - y));
          else if (frame->region == TL_TIMELINE_REGION_OVERLAY && guess->text != NULL)
            _tl_timeline_append_text (self, frame->snapshot, guess->text, &ghost,
                                      x + 4, RULER_H + 10, -1, TRUE);
        }

      if (guess->instance != TL_NO_INSTANCE && self->model != NULL &&
          frame->region == TL_TIMELINE_REGION_TASKS)
        {
          int lane = tl_timeline_model_find_lane (self->model, guess->instance);
          double y;
          double text_w;

          if (lane < 0 || (guint) lane < frame->first || (guint) lane >= frame->last)
            continue;
          y = lane_top (self, view, lane);
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_GUESS);
          draw_outline (frame->snapshot, &ghost, view->label_w + 1, y + 1,
                        view->width - view->label_w - 2, self->lane_h - 2);
          if (guess->text != NULL)
            {
              text_w = _tl_timeline_measure_text (self, guess->text);
              _tl_timeline_append_text (self, frame->snapshot, guess->text, &ghost,
                                        view->width - text_w - 12, y + self->lane_h / 2.0, -1, TRUE);
            }
        }
    }
}

static gboolean
tl_guess_layer_lookup_item (TlTimelineLayer      *layer,
                            TlTimeline           *timeline,
                            const TlTimelineView *view,
                            double                x,
                            double                y,
                            guint32              *instance)
{
  /* Guesses mark lanes and times that other layers already answer for. */
  return FALSE;
}

static void
tl_guess_layer_class_init (TlGuessLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Guesses";
  layer_class->regions = TL_TIMELINE_REGION_TASKS | TL_TIMELINE_REGION_PLOT | TL_TIMELINE_REGION_OVERLAY;
  layer_class->draw = tl_guess_layer_draw;
  layer_class->lookup_item = tl_guess_layer_lookup_item;
}

static void
tl_guess_layer_init (TlGuessLayer *self)
{
}

TlTimelineLayer *
tl_guess_layer_new (void)
{
  return g_object_new (TL_TYPE_GUESS_LAYER, NULL);
}
