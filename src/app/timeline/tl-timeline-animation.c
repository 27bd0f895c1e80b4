/* tl-timeline-animation.c — a run replayed into an animated PNG for slides
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each frame is the whole-run picture with the time cursor a little
 * further on, exactly what replay shows in the window. The file is an
 * APNG (PNG with acTL/fcTL/fdAT chunks): browsers and presentation
 * programs play it, and anything that only knows PNG shows its first
 * frame. Written by hand with GLib's zlib compressor, so it needs no
 * library beyond what the timeline already uses.
 */
#define G_LOG_DOMAIN "tl-timeline-export"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-timeline-private.h"

#define MAX_FRAMES 600

static guint32 crc_table[256];

static void
init_crc_table (void)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
put_u16 (GByteArray *out,
         guint16     v)
{
  guint8 b[2] = { v >> 8, v };

  g_byte_array_append (out, b, 2);
}

/* One chunk: length, type, data, CRC of type and data. */
static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 crc = 0xffffffffu;

  put_u32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);
  crc = crc_update (crc, (const guint8 *) type, 4);
  crc = crc_update (crc, data, len);
  put_u32 (out, crc ^ 0xffffffffu);
}

/* The surface's pixels as PNG scanlines (filter 0, straight RGBA),
 * zlib-compressed. */
static GBytes *
compress_frame (cairo_surface_t  *surface,
                GError          **error)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels = cairo_image_surface_get_data (surface);
  gsize row_len = 1 + (gsize) width * 4;
  g_autofree guint8 *raw = g_malloc (row_len * height);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[65536];
  gsize read_total = 0;
  GConverterResult result;

  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (const void *) (pixels + (gsize) y * stride);
      guint8 *dst = raw + (gsize) y * row_len;

      dst[0] = 0;
      for (int x = 0; x < width; x++)
        {
          guint32 p = src[x];
          guint a = p >> 24;
          guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

          /* Cairo keeps colours multiplied by alpha; PNG does not. */
          if (a != 0 && a != 255)
            {
              r = (r * 255 + a / 2) / a;
              g = (g * 255 + a / 2) / a;
              b = (b * 255 + a / 2) / a;
            }
          dst[1 + x * 4] = r;
          dst[2 + x * 4] = g;
          dst[3 + x * 4] = b;
          dst[4 + x * 4] = a;
        }
    }

  do
    {
      gsize bytes_read = 0, bytes_written = 0;

      result = g_converter_convert (G_CONVERTER (compressor),
                                    raw + read_total, row_len * height - read_total,
                                    buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                    &bytes_read, &bytes_written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      read_total += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
    }
  while (result != G_CONVERTER_FINISHED);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The whole-run picture with the cursor at @cursor_us (-1: none). */
static cairo_surface_t *
render_frame (TlTimeline           *self,
              const TlTimelineView *view,
              gint64                cursor_us)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view->width, view->height);
  cairo_t *cr = cairo_create (surface);
  GskRenderNode *node;

  self->cursor_us = cursor_us;
  node = _tl_timeline_render (self, view);
  gsk_render_node_draw (node, cr);
  gsk_render_node_unref (node);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

gboolean
tl_timeline_export_animation (TlTimeline  *self,
                              const char  *path,
                              int          width,
                              double       fps,
                              double       speed,
                              guint       *n_frames_out,
                              GError     **error)
{
  TlTimelineModel *model;
  TlTimelineView view;
  g_autoptr(GByteArray) png = NULL;
  gint64 end_us;
  gint64 saved_cursor;
  guint n_frames;
  guint16 delay_num, delay_den = 1000;
  guint32 seq = 0;
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = tl_timeline_get_model (self);
  if (model == NULL || !tl_timeline_model_is_complete (model))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Only a finished run can be exported as an animation"));
      return FALSE;
    }

  {
    static gsize crc_ready = 0;

    if (g_once_init_enter (&crc_ready))
      {
        init_crc_table ();
        g_once_init_leave (&crc_ready, 1);
      }
  }

  fps = CLAMP (fps, 1, 30);
  speed = CLAMP (speed, 0.1, 2.0);
  end_us = tl_timeline_model_get_end_us (model);
  /* One frame per 1/fps of playback, the last one held; a long run gets
   * fewer frames a second rather than a huge file. */
  n_frames = (guint) CLAMP (ceil ((double) end_us / G_USEC_PER_SEC / speed * fps) + 1, 2, MAX_FRAMES);
  delay_num = (guint16) CLAMP (round ((double) end_us / speed / 1000.0 / (n_frames - 1)), 1, 65535);

  width = CLAMP (width, 320, 4096);
  _tl_timeline_get_view (self, &view);
  view.use_cache = FALSE;
  {
    guint n_lanes = tl_timeline_model_get_n_lanes (model);
    guint n_summary = tl_timeline_model_get_n_summary_lanes (model);
    double height = TL_TIMELINE_RULER_H + n_summary * TL_TIMELINE_SUMMARY_H +
                    (n_lanes - n_summary) * self->lane_h;

    view.width = width;
    view.height = (int) MIN (height, 4096);
    view.t0 = 0;
    view.v = 0;
    view.label_w = MAX (_tl_timeline_label_width (self, width), CLAMP (width * 0.3, 160, 360));
    view.us_per_px = _tl_timeline_fit_span (end_us, width - view.label_w,
                                            _tl_timeline_end_text_width (self, end_us)) /
                     MAX (1.0, width - view.label_w);
  }

  png = g_byte_array_new ();
  g_byte_array_append (png, signature, sizeof signature);
  {
    guint8 ihdr[13];

    ihdr[0] = view.width >> 24; ihdr[1] = view.width >> 16; ihdr[2] = view.width >> 8; ihdr[3] = view.width;
    ihdr[4] = view.height >> 24; ihdr[5] = view.height >> 16; ihdr[6] = view.height >> 8; ihdr[7] = view.height;
    ihdr[8] = 8;      /* bits per channel */
    ihdr[9] = 6;      /* RGBA */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    put_chunk (png, "IHDR", ihdr, sizeof ihdr);
  }
  {
    g_autoptr(GByteArray) actl = g_byte_array_new ();

    put_u32 (actl, n_frames);
    put_u32 (actl, 0);      /* loop forever */
    put_chunk (png, "acTL", actl->data, actl->len);
  }

  saved_cursor = self->cursor_us;
  for (guint i = 0; i < n_frames; i++)
    {
      gboolean last = i == n_frames - 1;
      gint64 t = last ? -1 : (gint64) ((double) end_us * i / (n_frames - 1));
      cairo_surface_t *surface = render_frame (self, &view, t);
      g_autoptr(GBytes) data = compress_frame (surface, error);
      g_autoptr(GByteArray) fctl = g_byte_array_new ();

      cairo_surface_destroy (surface);
      if (data == NULL)
        {
          self->cursor_us = saved_cursor;
          return FALSE;
        }

      put_u32 (fctl, seq++);
      put_u32 (fctl, view.width);
      put_u32 (fctl, view.height);
      put_u32 (fctl, 0);
      put_u32 (fctl, 0);
      /* The finished picture stays three seconds before the loop starts
       * again. */
      put_u16 (fctl, last ? 3000 : delay_num);
      put_u16 (fctl, delay_den);
      g_byte_array_append (fctl, (const guint8 *) "\0\0", 2);   /* dispose none, blend source */
      put_chunk (png, "fcTL", fctl->data, fctl->len);

      if (i == 0)
        put_chunk (png, "IDAT", g_bytes_get_data (data, NULL), g_bytes_get_size (data));
      else
        {
          g_autoptr(GByteArray) fdat = g_byte_array_new ();

          put_u32 (fdat, seq++);
          g_byte_array_append (fdat, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
          put_chunk (png, "fdAT", fdat->data, fdat->len);
        }
    }
  self->cursor_us = saved_cursor;
  put_chunk (png, "IEND", NULL, 0);

  if (!g_file_set_contents (path, (const char *) png->data, png->len, error))
    return FALSE;
  if (n_frames_out != NULL)
    *n_frames_out = n_frames;
  return TRUE;
}
