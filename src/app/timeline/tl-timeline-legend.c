/* tl-timeline-legend.c — the legend widget, and the legend and title bands
 * of an exported image
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/layers/tl-timeline-layer.h"
#include "timeline/tl-timeline-private.h"

#define LEGEND_ROW_H 22
#define LEGEND_SWATCH_W 22
#define LEGEND_GAP 16
#define LEGEND_BREAK TL_TIMELINE_N_MARKS

/* The legend in reading order, group by group (a break starts a row). */
static const TlTimelineMark legend_order[] = {
  TL_TIMELINE_MARK_CREATED, TL_TIMELINE_MARK_QUEUED, TL_TIMELINE_MARK_WAITING,
  TL_TIMELINE_MARK_HTTP_CONNECT, TL_TIMELINE_MARK_READING_BODY, TL_TIMELINE_MARK_RUNNING,
  TL_TIMELINE_MARK_BLOCKED, TL_TIMELINE_MARK_NEVER_STARTED, TL_TIMELINE_MARK_WOULD_HAVE_RUN,
  TL_TIMELINE_MARK_PENDING, TL_TIMELINE_MARK_REUSED_CONNECTION, TL_TIMELINE_MARK_SECTION,
  LEGEND_BREAK,
  TL_TIMELINE_MARK_OK, TL_TIMELINE_MARK_FAILED, TL_TIMELINE_MARK_FAILED_END,
  TL_TIMELINE_MARK_TIMED_OUT, TL_TIMELINE_MARK_CANCELLED,
  LEGEND_BREAK,
  TL_TIMELINE_MARK_DEADLINE, TL_TIMELINE_MARK_BRACKET, TL_TIMELINE_MARK_CAUSE_ARROW,
  TL_TIMELINE_MARK_ERROR_ARROW, TL_TIMELINE_MARK_AWAIT_ARROW, TL_TIMELINE_MARK_NOW, TL_TIMELINE_MARK_CURSOR, TL_TIMELINE_MARK_GUESS,
  LEGEND_BREAK,
  TL_TIMELINE_MARK_LOOP_BUSY, TL_TIMELINE_MARK_LOOP_LAG, TL_TIMELINE_MARK_CHART_ACTIVE,
  TL_TIMELINE_MARK_CHART_WAITING,
};

static const char *
legend_group_heading (guint group)
{
  switch (group)
    {
    case 0:
      return _("Tasks:");
    case 1:
      return _("Ends:");
    case 2:
      return _("Lines:");
    default:
      return _("Summary lanes:");
    }
}

TlTimelineMark
_tl_timeline_legend_entry_of_mark (TlTimelineMark mark)
{
  switch (mark)
    {
    /* The same red stripes wherever the loop was held. */
    case TL_TIMELINE_MARK_OVERDUE:
    case TL_TIMELINE_MARK_LIVE_STALL:
    case TL_TIMELINE_MARK_LOOP_STALL:
      return TL_TIMELINE_MARK_BLOCKED;
    case TL_TIMELINE_N_MARKS:
      return TL_TIMELINE_N_MARKS;
    default:
      for (guint i = 0; i < G_N_ELEMENTS (legend_order); i++)
        if (legend_order[i] == mark)
          return mark;
      return TL_TIMELINE_N_MARKS;
    }
}

const char *
_tl_timeline_legend_entry_text (TlTimelineMark entry)
{
  switch (entry)
    {
    case TL_TIMELINE_MARK_CREATED:
      return _("created, not started yet");
    case TL_TIMELINE_MARK_QUEUED:
      return _("queued");
    case TL_TIMELINE_MARK_WAITING:
      return _("waiting");
    case TL_TIMELINE_MARK_HTTP_CONNECT:
      return _("connecting (DNS, TCP, TLS)");
    case TL_TIMELINE_MARK_READING_BODY:
      return _("reading a response (waiting on I/O)");
    case TL_TIMELINE_MARK_RUNNING:
      return _("running");
    case TL_TIMELINE_MARK_BLOCKED:
      return _("blocked (loop held)");
    case TL_TIMELINE_MARK_NEVER_STARTED:
      return _("never started");
    case TL_TIMELINE_MARK_WOULD_HAVE_RUN:
      return _("would have run on (cut short)");
    case TL_TIMELINE_MARK_PENDING:
      return _("pending at return");
    case TL_TIMELINE_MARK_REUSED_CONNECTION:
      return _("reused connection");
    case TL_TIMELINE_MARK_SECTION:
      return _("section, with its wall time");
    case TL_TIMELINE_MARK_OK:
      return _("done");
    case TL_TIMELINE_MARK_FAILED:
      return _("failed");
    case TL_TIMELINE_MARK_FAILED_END:
      return _("where it failed");
    case TL_TIMELINE_MARK_TIMED_OUT:
      return _("timed out");
    case TL_TIMELINE_MARK_CANCELLED:
      return _("cancelled");
    case TL_TIMELINE_MARK_DEADLINE:
      return _("deadline");
    case TL_TIMELINE_MARK_BRACKET:
      return _("children of a gather or wait");
    case TL_TIMELINE_MARK_CAUSE_ARROW:
      return _("what cancelled it");
    case TL_TIMELINE_MARK_ERROR_ARROW:
      return _("where an error came from");
    case TL_TIMELINE_MARK_AWAIT_ARROW:
      /* TRANSLATORS: the legend of the dashed arrow from a task's end to the task that awaited it */
      return _("await: resumes when the task ends");
    case TL_TIMELINE_MARK_NOW:
      return _("now, while running");
    case TL_TIMELINE_MARK_CURSOR:
      return _("replay cursor");
    case TL_TIMELINE_MARK_GUESS:
      return _("your guess");
    case TL_TIMELINE_MARK_LOOP_BUSY:
      return _("event loop busy (empty: free)");
    case TL_TIMELINE_MARK_LOOP_LAG:
      return _("timer ran late (lag)");
    case TL_TIMELINE_MARK_CHART_ACTIVE:
      return _("busy · running · in flight");
    case TL_TIMELINE_MARK_CHART_WAITING:
      return _("queued · waiting");
    case TL_TIMELINE_MARK_OVERDUE:
    case TL_TIMELINE_MARK_LIVE_STALL:
    case TL_TIMELINE_MARK_LOOP_STALL:
    case TL_TIMELINE_N_MARKS:
    default:
      return NULL;
    }
}

static void
append_dashes_v (GtkSnapshot   *snapshot,
                 const GdkRGBA *color,
                 double         x,
                 double         y0,
                 double         y1,
                 double         dash,
                 double         gap)
{
  for (double y = y0; y < y1; y += dash + gap)
    _tl_timeline_append_rect (snapshot, color, x, y, 2, MIN (dash, y1 - y));
}

/* A swatch drawn as the layers draw the mark, at a smaller scale. */
static void
draw_legend_swatch (TlTimeline     *self,
                    GtkSnapshot    *snapshot,
                    TlTimelineMark  entry,
                    double          x,
                    double          y)
{
  const TlTimelinePalette *p = &self->palette;
  double w = LEGEND_SWATCH_W, h = 12;
  TlMarker marker = TL_MARKER_NONE;
  GdkRGBA faint = p->fg_dim, ghost = p->fg, error = p->failed;

  faint.alpha *= 0.8f;
  ghost.alpha = 0.55f;
  error.alpha *= 0.75f;
  switch (entry)
    {
    case TL_TIMELINE_MARK_CREATED:
      _tl_timeline_append_rect (snapshot, &p->created, x, y + h / 2 - 1, w, 2);
      break;
    case TL_TIMELINE_MARK_QUEUED:
      _tl_timeline_append_pattern (self, snapshot, FALSE, &p->queued_bg, x, y, w, h);
      break;
    case TL_TIMELINE_MARK_WAITING:
      _tl_timeline_append_rect (snapshot, &p->waiting, x, y + h * 0.25, w, h * 0.5);
      break;
    case TL_TIMELINE_MARK_HTTP_CONNECT:
      _tl_timeline_append_rect (snapshot, &p->chart_b, x, y + 1, w, h - 2);
      break;
    case TL_TIMELINE_MARK_READING_BODY:
      _tl_timeline_append_rect (snapshot, &p->reading, x, y + h * 0.25, w, h * 0.5);
      break;
    case TL_TIMELINE_MARK_RUNNING:
      _tl_timeline_append_rect (snapshot, &p->running, x, y, w, h);
      break;
    case TL_TIMELINE_MARK_BLOCKED:
      _tl_timeline_append_pattern (self, snapshot, TRUE, &p->blocked_bg, x, y, w, h);
      break;
    case TL_TIMELINE_MARK_NEVER_STARTED:
      _tl_timeline_append_dashed_box (snapshot, &faint, x, x + w, y, h);
      break;
    case TL_TIMELINE_MARK_WOULD_HAVE_RUN:
      _tl_timeline_append_rect (snapshot, &p->running, x, y, 6, h);
      _tl_timeline_append_would_have_run (self, snapshot, x + 6, x + w, y - 2, h + 4);
      break;
    case TL_TIMELINE_MARK_PENDING:
      _tl_timeline_append_dashed_box (snapshot, &p->deadline, x, x + w, y, h);
      break;
    case TL_TIMELINE_MARK_REUSED_CONNECTION:
      _tl_timeline_append_text (self, snapshot, "⇄", &p->fg_dim, x + 5, y + h / 2, -1, FALSE);
      break;
    case TL_TIMELINE_MARK_SECTION:
      _tl_timeline_append_rect (snapshot, &p->section, x, y, w, h);
      break;
    case TL_TIMELINE_MARK_OK:
      marker = TL_MARKER_OK;
      break;
    case TL_TIMELINE_MARK_FAILED:
      marker = TL_MARKER_FAILED;
      break;
    case TL_TIMELINE_MARK_FAILED_END:
      _tl_timeline_append_rect (snapshot, &p->running, x, y, w - 8, h);
      _tl_timeline_append_rect (snapshot, &p->failed, x + w - 8, y, 8, h);
      break;
    case TL_TIMELINE_MARK_TIMED_OUT:
      marker = TL_MARKER_TIMED_OUT;
      break;
    case TL_TIMELINE_MARK_CANCELLED:
      marker = TL_MARKER_CANCELLED;
      break;
    case TL_TIMELINE_MARK_DEADLINE:
      for (double yy = y - 2; yy < y + h + 2; yy += 7)
        _tl_timeline_append_rect (snapshot, &p->deadline, x + w / 2 - 1, yy, 3, 4);
      break;
    case TL_TIMELINE_MARK_BRACKET:
      _tl_timeline_append_rect (snapshot, &p->bracket, x + 3, y - 2, 1, h + 4);
      _tl_timeline_append_rect (snapshot, &p->bracket, x + 3, y + h + 1, 4, 1);
      _tl_timeline_append_rect (snapshot, &p->bracket, x + w - 4, y - 2, 1, h + 4);
      _tl_timeline_append_rect (snapshot, &p->bracket, x + w - 7, y + h + 1, 4, 1);
      break;
    case TL_TIMELINE_MARK_CAUSE_ARROW:
      _tl_timeline_append_rect (snapshot, &p->cause, x, y + h / 2, w - 4, 1);
      _tl_timeline_append_triangle (snapshot, &p->cause, x + w, y + h / 2 + 0.5, 5, 0);
      break;
    case TL_TIMELINE_MARK_ERROR_ARROW:
      _tl_timeline_append_rect (snapshot, &error, x, y + h / 2 - 1, w - 5, 2);
      _tl_timeline_append_triangle (snapshot, &error, x + w, y + h / 2, 5, 0);
      break;
    case TL_TIMELINE_MARK_AWAIT_ARROW:
      {
        GdkRGBA quiet = p->fg_dim;

        /* As tl-awaits-layer.c draws it: down from an end, along, a head. */
        quiet.alpha *= 0.8f;
        for (double yy = y; yy < y + h / 2; yy += 5)
          _tl_timeline_append_rect (snapshot, &quiet, x + 2, yy, 1, MIN (3, y + h / 2 - yy));
        for (double xx = x + 2; xx < x + w - 5; xx += 5)
          _tl_timeline_append_rect (snapshot, &quiet, xx, round (y + h / 2), MIN (3, x + w - 5 - xx), 1);
        _tl_timeline_append_triangle (snapshot, &quiet, x + w, round (y + h / 2) + 0.5, 5, 0);
      }
      break;
    case TL_TIMELINE_MARK_NOW:
      _tl_timeline_append_rect (snapshot, &p->now, x + w / 2 - 1, y - 3, 2, h + 6);
      break;
    case TL_TIMELINE_MARK_CURSOR:
      _tl_timeline_append_rect (snapshot, &p->fg, x + w / 2 - 4, y - 3, 8, 4);
      _tl_timeline_append_rect (snapshot, &p->fg, x + w / 2 - 1, y - 3, 2, h + 6);
      break;
    case TL_TIMELINE_MARK_GUESS:
      append_dashes_v (snapshot, &ghost, x + w / 2 - 1, y - 3, y + h + 3, 4, 3);
      break;
    case TL_TIMELINE_MARK_LOOP_BUSY:
      _tl_timeline_append_rect (snapshot, &p->loop_busy, x, y + 4, 4, h - 4);
      _tl_timeline_append_rect (snapshot, &p->loop_busy, x + 4, y, 6, h);
      _tl_timeline_append_rect (snapshot, &p->loop_busy, x + 10, y + h - 3, 2, 3);
      break;
    case TL_TIMELINE_MARK_LOOP_LAG:
      _tl_timeline_append_rect (snapshot, &p->timed_out, x, y + h - 2, w, 2);
      _tl_timeline_append_rect (snapshot, &p->timed_out, x + w - 2, y + h - 9, 2, 9);
      break;
    case TL_TIMELINE_MARK_CHART_ACTIVE:
      _tl_timeline_append_rect (snapshot, &p->chart_a, x, y + 4, w, h - 4);
      break;
    case TL_TIMELINE_MARK_CHART_WAITING:
      _tl_timeline_append_rect (snapshot, &p->chart_b, x, y + 4, w, h - 4);
      break;
    case TL_TIMELINE_MARK_OVERDUE:
    case TL_TIMELINE_MARK_LIVE_STALL:
    case TL_TIMELINE_MARK_LOOP_STALL:
    case TL_TIMELINE_N_MARKS:
    default:
      break;
    }
  if (marker != TL_MARKER_NONE)
    _tl_timeline_append_node_at (snapshot, self->markers[marker], round (x + w / 2 - 7), round (y + h / 2 - 7));
}

/* Lays the key out in rows that fit @width, each group starting a row
 * with its heading, drawing it when @snapshot is not NULL; returns the
 * height used and the width of the widest group on one row. */
static double
draw_legend (TlTimeline  *self,
             GtkSnapshot *snapshot,
             double       x0,
             double       y0,
             double       width,
             double      *single_row_w)
{
  double x = x0, y = y0, row_w = 0, widest = 0;
  guint group = 0;

  _tl_timeline_ensure_style_caches (self);
  for (guint i = 0; i <= G_N_ELEMENTS (legend_order); i++)
    {
      TlTimelineMark entry = i < G_N_ELEMENTS (legend_order) ? legend_order[i] : LEGEND_BREAK;
      const char *text;
      double item_w;

      if (i == 0 || entry == LEGEND_BREAK)
        {
          const char *heading;

          widest = MAX (widest, row_w);
          if (i == G_N_ELEMENTS (legend_order))
            break;
          if (i > 0)
            {
              group++;
              y += LEGEND_ROW_H;
            }
          heading = legend_group_heading (group);
          x = x0;
          if (snapshot != NULL)
            _tl_timeline_append_text (self, snapshot, heading, &self->palette.fg, x, y + LEGEND_ROW_H / 2.0, -1, TRUE);
          x += ceil (_tl_timeline_measure_text (self, heading) * 1.1) + 12;
          row_w = x - x0;
          if (entry == LEGEND_BREAK)
            continue;
        }

      text = _tl_timeline_legend_entry_text (entry);
      item_w = LEGEND_SWATCH_W + 6 + _tl_timeline_measure_text (self, text);
      row_w += item_w + LEGEND_GAP;
      if (x > x0 && x + item_w > x0 + width)
        {
          /* A group's continued rows are indented under its heading. */
          x = x0 + 12;
          y += LEGEND_ROW_H;
        }
      if (snapshot != NULL)
        {
          draw_legend_swatch (self, snapshot, entry, x, y + (LEGEND_ROW_H - 12) / 2.0);
          _tl_timeline_append_text (self, snapshot, text, &self->palette.fg_dim, x + LEGEND_SWATCH_W + 6,
                                    y + LEGEND_ROW_H / 2.0, -1, FALSE);
        }
      x += item_w + LEGEND_GAP;
    }
  if (single_row_w != NULL)
    *single_row_w = widest;
  return y + LEGEND_ROW_H - y0;
}

GskRenderNode *
_tl_timeline_render_legend (TlTimeline *self,
                            int         width,
                            double     *height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double h;

  self->vector_tiles = TRUE;
  h = draw_legend (self, NULL, 8, 4, width - 16, NULL) + 8;
  _tl_timeline_append_rect (snapshot, &self->palette.ruler_bg, 0, 0, width, h);
  _tl_timeline_append_rect (snapshot, &self->palette.separator, 0, 0, width, 1);
  draw_legend (self, snapshot, 8, 4, width - 16, NULL);
  self->vector_tiles = FALSE;
  if (height != NULL)
    *height = h;
  return gtk_snapshot_free_to_node (snapshot);
}

/* An exported picture's title: the preset's name and what the run did
 * ("Timeline of 3 tasks over 1.00 s: 3 ok"), so a slide explains itself. */
GskRenderNode *
_tl_timeline_render_title (TlTimeline *self,
                           int         width,
                           double     *height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  TlPreset *preset = self->model != NULL ? tl_trace_get_preset (tl_timeline_model_get_trace (self->model)) : NULL;
  g_autofree char *summary = tl_timeline_dup_summary (self);
  const double h = 30;
  int w = 0;

  _tl_timeline_ensure_style_caches (self);
  _tl_timeline_append_rect (snapshot, &self->palette.bg, 0, 0, width, h);
  _tl_timeline_append_rect (snapshot, &self->palette.separator, 0, h - 1, width, 1);
  if (preset != NULL && preset->name != NULL)
    w = _tl_timeline_append_text (self, snapshot, preset->name, &self->palette.fg, 8, h / 2, width / 2.0, TRUE);
  _tl_timeline_append_text (self, snapshot, summary, &self->palette.fg_dim, 8 + w + (w > 0 ? 16 : 0), h / 2,
                            MAX (0, width - 8 - w - 24), FALSE);
  if (height != NULL)
    *height = h;
  return gtk_snapshot_free_to_node (snapshot);
}

/* A widget the window can place (in a popover, under the timeline): the
 * same key, in the same colours and shapes, as the timeline draws. */
struct _TlTimelineLegend
{
  GtkWidget   parent_instance;
  TlTimeline *painter;   /* never shown: its palette, tiles and layout */
};

G_DEFINE_FINAL_TYPE (TlTimelineLegend, tl_timeline_legend, GTK_TYPE_WIDGET)

static void
legend_sync_style (TlTimelineLegend *self)
{
  GdkRGBA fg;
  gboolean dark;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dark = tl_timeline_palette_is_dark_fg (&fg);
  if (self->painter->palette.dark != dark)
    {
      _tl_timeline_clear_style_caches (self->painter);
      tl_timeline_palette_init (&self->painter->palette, dark);
      self->painter->forced_dark = dark;
    }
}

static void
tl_timeline_legend_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TlTimelineLegend *self = TL_TIMELINE_LEGEND (widget);

  legend_sync_style (self);
  draw_legend (self->painter, snapshot, 0, 0, gtk_widget_get_width (widget), NULL);
}

static void
tl_timeline_legend_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TlTimelineLegend *self = TL_TIMELINE_LEGEND (widget);
  double single = 0;

  legend_sync_style (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      draw_legend (self->painter, NULL, 0, 0, G_MAXINT, &single);
      *minimum = 160;
      *natural = (int) ceil (single);
    }
  else
    {
      double h = draw_legend (self->painter, NULL, 0, 0, for_size > 0 ? for_size : 480, NULL);

      *minimum = *natural = (int) ceil (h);
    }
}

static GtkSizeRequestMode
tl_timeline_legend_get_request_mode (GtkWidget *widget)
{
  /* It wraps: the narrower, the taller. */
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tl_timeline_legend_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  TlTimelineLegend *self = TL_TIMELINE_LEGEND (widget);

  GTK_WIDGET_CLASS (tl_timeline_legend_parent_class)->css_changed (widget, change);
  _tl_timeline_clear_style_caches (self->painter);
  g_clear_object (&self->painter->layout);
  gtk_widget_queue_resize (widget);
}

static void
tl_timeline_legend_dispose (GObject *object)
{
  TlTimelineLegend *self = TL_TIMELINE_LEGEND (object);

  g_clear_object (&self->painter);
  G_OBJECT_CLASS (tl_timeline_legend_parent_class)->dispose (object);
}

static void
tl_timeline_legend_class_init (TlTimelineLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_timeline_legend_dispose;
  widget_class->snapshot = tl_timeline_legend_snapshot;
  widget_class->measure = tl_timeline_legend_measure;
  widget_class->get_request_mode = tl_timeline_legend_get_request_mode;
  widget_class->css_changed = tl_timeline_legend_css_changed;
  gtk_widget_class_set_css_name (widget_class, "timeline-legend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tl_timeline_legend_init (TlTimelineLegend *self)
{
  GString *label = g_string_new (_("Legend"));

  self->painter = g_object_ref_sink (TL_TIMELINE (tl_timeline_new ()));
  for (guint i = 0; i < G_N_ELEMENTS (legend_order); i++)
    if (legend_order[i] != LEGEND_BREAK)
      g_string_append_printf (label, "%s%s", i == 0 ? ": " : ", ", _tl_timeline_legend_entry_text (legend_order[i]));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  g_string_free (label, TRUE);
}

GtkWidget *
tl_timeline_legend_new (void)
{
  return g_object_new (TL_TYPE_TIMELINE_LEGEND, NULL);
}
