/* tl-timeline-export.c — the timeline as a PNG or SVG image
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An export builds its own picture at the size asked for, with the same
 * drawing code as the screen, and draws the render node with cairo: it
 * needs no mapped widget and no GPU. An SVG is written by
 * tl-timeline-svg.c, with its words as text.
 */
#define G_LOG_DOMAIN "tl-timeline-export"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "timeline/tl-timeline-private.h"

/* Cairo image surfaces stop at 32767 pixels a side; a whole run of many
 * thousand lanes is cut at 16,384 pixels (about 680 lanes, 80 MB of
 * pixels at 1200 wide) rather than allocating hundreds of megabytes. */
#define MAX_IMAGE_WIDTH  16384
#define MAX_IMAGE_HEIGHT 16384

gboolean
tl_timeline_export_image (TlTimeline  *self,
                          const char  *path,
                          gboolean     svg,
                          int          width,
                          gboolean     whole_run,
                          GError     **error)
{
  TlTimelineModel *model;
  TlTimelineView view;
  GskRenderNode *node, *legend, *title;
  double legend_h = 0, title_h = 0;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint marks[4] = { 0, 0, 0, 0 };

  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = tl_timeline_get_model (self);
  if (model == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no run to export yet"));
      return FALSE;
    }

  width = CLAMP (width, 320, MAX_IMAGE_WIDTH);
  _tl_timeline_get_view (self, &view);
  view.use_cache = FALSE;

  if (whole_run)
    {
      guint n_lanes = tl_timeline_model_get_n_lanes (model);
      guint n_summary = tl_timeline_model_get_n_summary_lanes (model);
      double height = TL_TIMELINE_RULER_H + n_summary * TL_TIMELINE_SUMMARY_H +
                      (n_lanes - n_summary) * self->lane_h;
      view.width = width;
      view.height = (int) MIN (height, MAX_IMAGE_HEIGHT);
      view.t0 = 0;
      view.v = 0;
      /* A picture for a slide: names get more room than on screen. */
      view.label_w = MAX (_tl_timeline_label_width (self, width), CLAMP (width * 0.3, 160, 360));
      view.us_per_px = _tl_timeline_fit_span (tl_timeline_model_get_end_us (model), width - view.label_w,
                                              _tl_timeline_end_text_width (self, tl_timeline_model_get_end_us (model))) /
                       MAX (1.0, width - view.label_w);
    }
  else
    {
      /* The same time window and scroll position, at the asked width. */
      double span = view.us_per_px * (view.width - view.label_w);

      view.width = width;
      view.label_w = _tl_timeline_label_width (self, width);
      view.us_per_px = span / MAX (1.0, width - view.label_w);
    }

  /* An image travels without the window: it carries its own key, and
   * a picture of the whole run its title. An SVG keeps its words as
   * text: what the layers place is recorded while they draw (see
   * tl-timeline-svg.c), part by part. */
  if (svg)
    _tl_timeline_svg_begin (self);
  title = whole_run ? _tl_timeline_render_title (self, view.width, &title_h) : NULL;
  marks[1] = _tl_timeline_svg_n_texts (self);
  node = _tl_timeline_render (self, &view);
  marks[2] = _tl_timeline_svg_n_texts (self);
  legend = _tl_timeline_render_legend (self, view.width, &legend_h);
  marks[3] = _tl_timeline_svg_n_texts (self);

  if (svg)
    {
      GskRenderNode *parts[3] = { title, node, legend };
      double heights[3] = { ceil (title_h), view.height, legend_h };
      gboolean written;

      written = _tl_timeline_svg_write (self, path, view.width, parts, heights, marks, 3, error);
      g_clear_pointer (&title, gsk_render_node_unref);
      gsk_render_node_unref (node);
      gsk_render_node_unref (legend);
      return written;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view.width,
                                        (int) ceil (title_h) + view.height + (int) ceil (legend_h));
  cr = cairo_create (surface);
  if (title != NULL)
    gsk_render_node_draw (title, cr);
  cairo_translate (cr, 0, ceil (title_h));
  gsk_render_node_draw (node, cr);
  cairo_translate (cr, 0, view.height);
  gsk_render_node_draw (legend, cr);
  cairo_destroy (cr);
  g_clear_pointer (&title, gsk_render_node_unref);
  gsk_render_node_unref (node);
  gsk_render_node_unref (legend);

  cairo_surface_flush (surface);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the image “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
