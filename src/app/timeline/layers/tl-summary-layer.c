/* tl-summary-layer.c — the pinned summary lanes: the event loop, the pools,
 * HTTP and how many tasks were in flight
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/layers/tl-summary-layer.h"

struct _TlSummaryLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlSummaryLayer, tl_summary_layer, TL_TYPE_TIMELINE_LAYER)

static void
draw_summary_lane (TlTimeline           *self,
                   GtkSnapshot          *snapshot,
                   const TlTimelineView *view,
                   guint                 lane,
                   double                y)
{
  const TlTimelinePalette *p = &self->palette;
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
  gint64 now = current_now (self);
  double t_start = view_x_to_time (view, view->label_w);
  double t_end = view_x_to_time (view, view->width);

  if (kind == TL_LANE_LOOP)
    {
      const TlInterval *v;
      guint n;
      double chart_h = SUMMARY_H - 2 * BAR_PAD;
      double bottom = y + SUMMARY_H - BAR_PAD;
      double x_now = MIN (view->width, ceil (view_time_to_x (view, (double) now)));
      double run_x0 = view->label_w, run_h = 0;
      guint cursor = 0;
      gint64 busy_prev;

      /* How busy the loop was in each pixel column, from the bottom: a
       * microsecond of work in a 3 ms pixel is a sliver, not a full bar,
       * and zoomed in the bars are the exact busy spans. */
      busy_prev = tl_timeline_model_get_loop_busy_us (self->model, (gint64) floor (t_start), &cursor);
      for (double x = view->label_w; x < x_now; x++)
        {
          double t1 = view_x_to_time (view, x + 1);
          gint64 busy_next = tl_timeline_model_get_loop_busy_us (self->model, (gint64) floor (t1), &cursor);
          double load = (busy_next - busy_prev) / view->us_per_px;
          double h = load > 0 ? MAX (1, round (chart_h * MIN (load, 1.0))) : 0;

          busy_prev = busy_next;
          if (h > 0)
            _tl_timeline_note_mark (self, TL_TIMELINE_MARK_LOOP_BUSY);
          if (h != run_h)
            {
              _tl_timeline_append_rect (snapshot, &p->loop_busy, run_x0, bottom - run_h, x - run_x0, run_h);
              run_x0 = x;
              run_h = h;
            }
        }
      _tl_timeline_append_rect (snapshot, &p->loop_busy, run_x0, bottom - run_h, x_now - run_x0, run_h);

      /* Lags: where a timer fired late, a line from when it was due to
       * when it ran and a tick there; one per pixel column at most. */
      v = tl_timeline_model_get_lags (self->model, &n);
      {
        guint i = _tl_timeline_intervals_gallop (v, 0, n, now, t_start);

        while (i < n && v[i].start_us < t_end)
          {
            double xs = MAX (view_time_to_x (view, (double) v[i].start_us), view->label_w);
            double xe = round (view_time_to_x (view, (double) v[i].end_us));

            _tl_timeline_note_mark (self, TL_TIMELINE_MARK_LOOP_LAG);
            _tl_timeline_append_rect (snapshot, &p->timed_out, xs, bottom - 2, MAX (xe - xs, 1), 2);
            if (xe >= view->label_w)
              _tl_timeline_append_rect (snapshot, &p->timed_out, xe - 1, bottom - 9, 2, 9);
            i = _tl_timeline_intervals_gallop (v, i + 1, n, now, view_x_to_time (view, xe + 1));
          }
      }

      /* Stalls over the busy bars: red stripes with what held the loop. */
      v = tl_timeline_model_get_stalls (self->model, &n);
      for (guint i = tl_timeline_model_find_stall (self->model, (gint64) t_start);
           i < n && v[i].start_us < t_end; i++)
        {
          double x0 = view_time_to_x (view, MAX (v[i].start_us, t_start));
          double x1 = view_time_to_x (view, MIN (v[i].end_us, t_end));

          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_LOOP_STALL);
          _tl_timeline_append_pattern (self, snapshot, TRUE, &p->blocked_bg,
                                       x0, y + BAR_PAD, MAX (x1 - x0, 1), SUMMARY_H - 2 * BAR_PAD);
          if (x1 - x0 > 40)
            {
              g_autofree char *dur = tl_time_format (v[i].end_us - v[i].start_us);
              g_autofree char *culprit = v[i].extra != TL_NO_INSTANCE && v[i].extra < tl_timeline_model_get_n_instances (self->model)
                ? tl_trace_dup_label (tl_timeline_model_get_trace (self->model), v[i].extra) : NULL;
              g_autofree char *longer = culprit ? g_strdup_printf (_("blocked %s by %s"), dur, culprit) : NULL;
              g_autofree char *shorter = g_strdup_printf (_("blocked %s"), dur);
              const char *texts[] = { longer, shorter, dur };

              _tl_timeline_append_fitting_plate (self, snapshot, texts, G_N_ELEMENTS (texts), x0 + 4, y + SUMMARY_H / 2.0, x1 - x0 - 8);
            }
        }

      /* A stall going on right now grows live. */
      if (self->live && self->stall_us > 0)
        {
          double x0 = view_time_to_x (view, MAX ((double) self->stall_start_us, t_start));
          double x1 = view_time_to_x (view, MIN ((double) now, t_end));

          if (x1 > x0)
            {
              g_autofree char *dur = tl_time_format (now - self->stall_start_us);
              g_autofree char *culprit = self->stall_culprit < tl_timeline_model_get_n_instances (self->model)
                ? tl_trace_dup_label (tl_timeline_model_get_trace (self->model), self->stall_culprit) : NULL;
              g_autofree char *longest = culprit ? g_strdup_printf (_("event loop blocked for %s by %s"), dur, culprit) : NULL;
              g_autofree char *longer = culprit ? g_strdup_printf (_("blocked %s by %s"), dur, culprit) : NULL;
              g_autofree char *shorter = g_strdup_printf (_("blocked %s"), dur);
              const char *texts[] = { longest, longer, shorter, dur };

              _tl_timeline_note_mark (self, TL_TIMELINE_MARK_LOOP_STALL);
              _tl_timeline_append_pattern (self, snapshot, TRUE, &p->blocked_bg,
                                           x0, y + BAR_PAD, x1 - x0, SUMMARY_H - 2 * BAR_PAD);
              _tl_timeline_append_fitting_plate (self, snapshot, texts, G_N_ELEMENTS (texts), x0 + 4, y + SUMMARY_H / 2.0, x1 - x0 - 8);
            }
        }
      return;
    }

  /* Step charts: the first value as a solid area from the bottom, the
   * second stacked on it, lighter. One sample per pixel column (a binary
   * search), heights rounded to whole pixels, and runs of equal columns
   * drawn as one rectangle: a million steps cost what a hundred do. */
  {
    const TlStep *steps;
    guint n;
    gint32 max;
    double chart_h = SUMMARY_H - 2 * BAR_PAD;
    double bottom = y + SUMMARY_H - BAR_PAD;
    double x = view->label_w, run_x0 = x;
    double run_ha = -1, run_hb = -1;
    guint cursor = 0;
    double x_now = MIN (view->width, ceil (view_time_to_x (view, (double) now)));

    steps = tl_timeline_model_get_steps (self->model, lane, &n, &max);
    if (n == 0 || max <= 0)
      return;

    x = MAX (x, floor (view_time_to_x (view, (double) steps[0].time_us)));
    run_x0 = x;
    while (x < x_now)
      {
        double t = view_x_to_time (view, x);
        guint lo;
        double ha, hb, x_next;

        /* Just after the last step at or before t. */
        lo = _tl_timeline_steps_gallop (steps, cursor, n, t, TRUE);
        cursor = lo;
        if (lo == 0)
          {
            ha = hb = 0;
            x_next = ceil (view_time_to_x (view, (double) steps[0].time_us));
          }
        else
          {
            double t_next = view_x_to_time (view, x + 1);
            guint first = lo - 1, last = first;
            gint32 peak_a, peak_sum;

            /* The steps that start inside this pixel: show their peak, so
             * a short burst stays visible and nothing flickers while
             * panning. */
            lo = _tl_timeline_steps_gallop (steps, lo, n, t_next, FALSE);
            last = lo - 1;
            cursor = lo;
            tl_timeline_model_get_steps_peak (self->model, lane, first, last, &peak_a, &peak_sum);

            ha = round (chart_h * peak_a / max);
            hb = round (chart_h * peak_sum / max) - ha;
            if (peak_a > 0 && ha < 1)
              ha = 1;
            if (peak_sum > peak_a && hb < 1)
              hb = 1;
            if (ha > 0)
              _tl_timeline_note_mark (self, TL_TIMELINE_MARK_CHART_ACTIVE);
            if (hb > 0)
              _tl_timeline_note_mark (self, TL_TIMELINE_MARK_CHART_WAITING);
            x_next = last == first && last + 1 < n
              ? ceil (view_time_to_x (view, (double) steps[last + 1].time_us))
              : last + 1 < n ? x + 1 : x_now;
          }
        x_next = MIN (MAX (x_next, x + 1), x_now);

        if (ha != run_ha || hb != run_hb)
          {
            _tl_timeline_append_rect (snapshot, &p->chart_a, run_x0, bottom - run_ha, x - run_x0, run_ha);
            _tl_timeline_append_rect (snapshot, &p->chart_b, run_x0, bottom - run_ha - run_hb, x - run_x0, run_hb);
            run_x0 = x;
            run_ha = ha;
            run_hb = hb;
          }
        x = x_next;
      }
    _tl_timeline_append_rect (snapshot, &p->chart_a, run_x0, bottom - run_ha, x - run_x0, run_ha);
    _tl_timeline_append_rect (snapshot, &p->chart_b, run_x0, bottom - run_ha - run_hb, x - run_x0, run_hb);
  }
}

static void
tl_summary_layer_draw (TlTimelineLayer       *layer,
                       const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;

  for (guint lane = 0; lane < frame->n_summary; lane++)
    draw_summary_lane (self, frame->snapshot, frame->view, lane, lane_top (self, frame->view, lane));
}

static gboolean
tl_summary_layer_lookup_item (TlTimelineLayer      *layer,
                              TlTimeline           *self,
                              const TlTimelineView *view,
                              double                x,
                              double                y,
                              guint32              *instance)
{
  /* Summary lanes show no single task. */
  return FALSE;
}

static void
tl_summary_layer_class_init (TlSummaryLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Summary lanes";
  layer_class->regions = TL_TIMELINE_REGION_SUMMARY;
  layer_class->draw = tl_summary_layer_draw;
  layer_class->lookup_item = tl_summary_layer_lookup_item;
}

static void
tl_summary_layer_init (TlSummaryLayer *self)
{
}

TlTimelineLayer *
tl_summary_layer_new (void)
{
  return g_object_new (TL_TYPE_SUMMARY_LAYER, NULL);
}
