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

typedef enum {
  KEY_QUEUED,
  KEY_WAITING,
  KEY_RUNNING,
  KEY_BLOCKED,
  KEY_OK,
  KEY_FAILED,
  KEY_TIMED_OUT,
  KEY_CANCELLED,
  KEY_NEVER_STARTED,
  KEY_PENDING,
  KEY_DEADLINE,
  KEY_AWAIT,
  N_KEYS
} LegendKey;

#define LEGEND_ROW_H 22
#define LEGEND_SWATCH_W 22
#define LEGEND_GAP 16

static const char *
legend_text (LegendKey key)
{
  switch (key)
    {
    case KEY_QUEUED:
      return _("queued");
    case KEY_WAITING:
      return _("waiting");
    case KEY_RUNNING:
      return _("running");
    case KEY_BLOCKED:
      return _("blocked (loop held)");
    case KEY_OK:
      return _("done");
    case KEY_FAILED:
      return _("failed");
    case KEY_TIMED_OUT:
      return _("timed out");
    case KEY_CANCELLED:
      return _("cancelled");
    case KEY_NEVER_STARTED:
      return _("never started");
    case KEY_PENDING:
      return _("pending at return");
    case KEY_DEADLINE:
      return _("deadline");
    case KEY_AWAIT:
      /* TRANSLATORS: the legend of the dashed arrow from a task's end to the task that awaited it */
      return _("await: resumes when the task ends");
    case N_KEYS:
    default:
      return "";
    }
}

static void
draw_legend_swatch (TlTimeline  *self,
                    GtkSnapshot *snapshot,
                    LegendKey    key,
                    double       x,
                    double       y)
{
  const TlTimelinePalette *p = &self->palette;
  double w = LEGEND_SWATCH_W, h = 12;
  TlMarker marker = TL_MARKER_NONE;

  switch (key)
    {
    case KEY_QUEUED:
      _tl_timeline_append_pattern (self, snapshot, FALSE, &p->queued_bg, x, y, w, h);
      break;
    case KEY_WAITING:
      _tl_timeline_append_rect (snapshot, &p->waiting, x, y + h * 0.25, w, h * 0.5);
      break;
    case KEY_RUNNING:
      _tl_timeline_append_rect (snapshot, &p->running, x, y, w, h);
      break;
    case KEY_BLOCKED:
      _tl_timeline_append_pattern (self, snapshot, TRUE, &p->blocked_bg, x, y, w, h);
      break;
    case KEY_OK:
      marker = TL_MARKER_OK;
      break;
    case KEY_FAILED:
      marker = TL_MARKER_FAILED;
      break;
    case KEY_TIMED_OUT:
      marker = TL_MARKER_TIMED_OUT;
      break;
    case KEY_CANCELLED:
      marker = TL_MARKER_CANCELLED;
      break;
    case KEY_NEVER_STARTED:
      _tl_timeline_append_dashed_box (snapshot, &p->fg_dim, x, x + w, y, h);
      break;
    case KEY_PENDING:
      _tl_timeline_append_dashed_box (snapshot, &p->deadline, x, x + w, y, h);
      break;
    case KEY_DEADLINE:
      for (double yy = y - 2; yy < y + h + 2; yy += 7)
        _tl_timeline_append_rect (snapshot, &p->deadline, x + w / 2 - 1, yy, 3, 4);
      break;
    case KEY_AWAIT:
      {
        GdkRGBA color = p->fg_dim;

        /* As tl-awaits-layer.c draws it: down from an end, along, a head. */
        color.alpha *= 0.8f;
        for (double yy = y; yy < y + h / 2; yy += 5)
          _tl_timeline_append_rect (snapshot, &color, x + 2, yy, 1, MIN (3, y + h / 2 - yy));
        for (double xx = x + 2; xx < x + w - 5; xx += 5)
          _tl_timeline_append_rect (snapshot, &color, xx, round (y + h / 2), MIN (3, x + w - 5 - xx), 1);
        _tl_timeline_append_triangle (snapshot, &color, x + w, round (y + h / 2) + 0.5, 5, 0);
      }
      break;
    case N_KEYS:
    default:
      break;
    }
  if (marker != TL_MARKER_NONE)
    _tl_timeline_append_node_at (snapshot, self->markers[marker], round (x + w / 2 - 7), round (y + h / 2 - 7));
}

/* Lays the key out in rows that fit @width, drawing it when @snapshot is
 * not NULL; returns the height used and the width of a single row. */
static double
draw_legend (TlTimeline  *self,
             GtkSnapshot *snapshot,
             double       x0,
             double       y0,
             double       width,
             double      *single_row_w)
{
  double x = x0, y = y0, total = 0;

  _tl_timeline_ensure_style_caches (self);
  for (LegendKey key = 0; key < N_KEYS; key++)
    {
      const char *text = legend_text (key);
      double item_w = LEGEND_SWATCH_W + 6 + _tl_timeline_measure_text (self, text);

      total += item_w + (key > 0 ? LEGEND_GAP : 0);
      if (x > x0 && x + item_w > x0 + width)
        {
          x = x0;
          y += LEGEND_ROW_H;
        }
      if (snapshot != NULL)
        {
          draw_legend_swatch (self, snapshot, key, x, y + (LEGEND_ROW_H - 12) / 2.0);
          _tl_timeline_append_text (self, snapshot, text, &self->palette.fg_dim, x + LEGEND_SWATCH_W + 6,
                                    y + LEGEND_ROW_H / 2.0, -1, FALSE);
        }
      x += item_w + LEGEND_GAP;
    }
  if (single_row_w != NULL)
    *single_row_w = total;
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
  for (LegendKey key = 0; key < N_KEYS; key++)
    g_string_append_printf (label, "%s%s", key == 0 ? ": " : ", ", legend_text (key));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  g_string_free (label, TRUE);
}

GtkWidget *
tl_timeline_legend_new (void)
{
  return g_object_new (TL_TYPE_TIMELINE_LEGEND, NULL);
}
