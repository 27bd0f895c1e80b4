/* tl-timeline-svg.c — an SVG picture of the timeline whose words are text
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cairo's SVG surface writes every glyph as an outline: a picture of the
 * timeline would hold no word a reader can select, search or copy. While
 * an SVG is being drawn, the text the layers place is recorded here
 * instead of drawn (_tl_timeline_svg_record_text); cairo draws the rest,
 * and the runs are written on top as <text> elements in the same font,
 * size and colour.
 */
#define G_LOG_DOMAIN "tl-timeline-svg"

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "timeline/tl-timeline-private.h"

typedef struct {
  char    *text;
  double   x;
  double   baseline;
  GdkRGBA  color;
  gboolean bold;
} SvgText;

static void
svg_text_clear (gpointer data)
{
  SvgText *run = data;

  g_free (run->text);
}

/* The text an ellipsized layout shows: as many characters as fit with
 * the ellipsis where the layout puts it. */
static char *
elide (const char         *text,
       PangoEllipsizeMode  mode,
       glong               n_chars,
       glong               keep)
{
  const char *suffix_start;

  switch (mode)
    {
    case PANGO_ELLIPSIZE_START:
      return g_strconcat ("…", g_utf8_offset_to_pointer (text, n_chars - keep), NULL);
    case PANGO_ELLIPSIZE_MIDDLE:
      {
        g_autofree char *head = g_utf8_substring (text, 0, keep - keep / 2);

        suffix_start = g_utf8_offset_to_pointer (text, n_chars - keep / 2);
        return g_strconcat (head, "…", suffix_start, NULL);
      }
    case PANGO_ELLIPSIZE_END:
    case PANGO_ELLIPSIZE_NONE:
    default:
      {
        g_autofree char *head = g_utf8_substring (text, 0, keep);

        return g_strconcat (head, "…", NULL);
      }
    }
}

static char *
dup_shown_text (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  PangoEllipsizeMode mode = pango_layout_get_ellipsize (layout);
  int width = pango_layout_get_width (layout);
  g_autoptr(PangoLayout) probe = NULL;
  glong n_chars, lo, hi, best = 0;

  if (!pango_layout_is_ellipsized (layout) || width < 0)
    return g_strdup (text);

  probe = pango_layout_copy (layout);
  pango_layout_set_ellipsize (probe, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_width (probe, -1);
  n_chars = g_utf8_strlen (text, -1);
  lo = 0;
  hi = n_chars - 1;
  while (lo <= hi)
    {
      glong mid = (lo + hi) / 2;
      g_autofree char *candidate = elide (text, mode, n_chars, mid);
      PangoRectangle logical;

      pango_layout_set_text (probe, candidate, -1);
      pango_layout_get_extents (probe, NULL, &logical);
      if (logical.width <= width)
        {
          best = mid;
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }
  return elide (text, mode, n_chars, best);
}

void
_tl_timeline_svg_record_text (TlTimeline    *self,
                              double         x,
                              double         y,
                              const GdkRGBA *color,
                              gboolean       bold)
{
  SvgText run;

  g_assert (self->svg_texts != NULL);

  run.text = dup_shown_text (self->layout);
  run.x = x;
  run.baseline = y + pango_layout_get_baseline (self->layout) / (double) PANGO_SCALE;
  run.color = *color;
  run.bold = bold;
  g_array_append_val (self->svg_texts, run);
}

void
_tl_timeline_svg_begin (TlTimeline *self)
{
  g_clear_pointer (&self->svg_texts, g_array_unref);
  self->svg_texts = g_array_new (FALSE, FALSE, sizeof (SvgText));
  g_array_set_clear_func (self->svg_texts, svg_text_clear);
}

guint
_tl_timeline_svg_n_texts (TlTimeline *self)
{
  return self->svg_texts != NULL ? self->svg_texts->len : 0;
}

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

/* XML 1.0 allows no control characters but tab, newline and return, not
 * even as references: they are left out. */
static void
append_escaped (GString    *out,
                const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  for (const char *c = text; *c != '\0'; c++)
    if ((guchar) *c >= 0x20 || *c == '\t' || *c == '\n' || *c == '\r')
      g_string_append_c (clean, *c);
  escaped = g_markup_escape_text (clean->str, -1);
  g_string_append (out, escaped);
}

/* The layout's font as CSS: families quoted, then a generic fallback. */
static void
append_font (GString     *out,
             PangoLayout *layout)
{
  PangoContext *context = pango_layout_get_context (layout);
  const PangoFontDescription *desc = pango_layout_get_font_description (layout);
  const char *family_list;
  double size;

  if (desc == NULL)
    desc = pango_context_get_font_description (context);
  family_list = desc != NULL ? pango_font_description_get_family (desc) : NULL;
  size = desc != NULL ? pango_font_description_get_size (desc) / (double) PANGO_SCALE : 0;
  if (size <= 0)
    size = 10;
  if (desc == NULL || !pango_font_description_get_size_is_absolute (desc))
    {
      double dpi = pango_cairo_context_get_resolution (context);

      size *= (dpi > 0 ? dpi : 96.0) / 72.0;
    }

  g_string_append (out, " font-family=\"");
  if (family_list != NULL)
    {
      g_auto(GStrv) families = g_strsplit (family_list, ",", -1);

      for (guint i = 0; families[i] != NULL; i++)
        {
          g_autofree char *name = g_strdup (families[i]);

          g_strstrip (name);
          if (*name == '\0' || strchr (name, '\'') != NULL)
            continue;
          g_string_append_c (out, '\'');
          append_escaped (out, name);
          g_string_append (out, "', ");
        }
    }
  g_string_append (out, "sans-serif\" font-size=\"");
  append_number (out, size);
  g_string_append (out, "\"");
}

static void
append_colour (GString       *out,
               const GdkRGBA *color)
{
  g_string_append_printf (out, " fill=\"#%02x%02x%02x\"",
                          (guint) round (CLAMP (color->red, 0, 1) * 255),
                          (guint) round (CLAMP (color->green, 0, 1) * 255),
                          (guint) round (CLAMP (color->blue, 0, 1) * 255));
  if (color->alpha < 1)
    {
      g_string_append (out, " fill-opacity=\"");
      append_number (out, CLAMP (color->alpha, 0, 1));
      g_string_append_c (out, '"');
    }
}

/* The recorded runs from @first up to @last, moved down by @dy. */
static void
append_texts (TlTimeline *self,
              GString    *out,
              guint       first,
              guint       last,
              double      dy)
{
  for (guint i = first; i < last && i < self->svg_texts->len; i++)
    {
      const SvgText *run = &g_array_index (self->svg_texts, SvgText, i);

      if (run->text[0] == '\0')
        continue;
      g_string_append (out, "<text xml:space=\"preserve\" x=\"");
      append_number (out, run->x);
      g_string_append (out, "\" y=\"");
      append_number (out, run->baseline + dy);
      g_string_append_c (out, '"');
      append_colour (out, &run->color);
      if (run->bold)
        g_string_append (out, " font-weight=\"bold\"");
      g_string_append_c (out, '>');
      append_escaped (out, run->text);
      g_string_append (out, "</text>\n");
    }
}

static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws the parts (title, timeline, legend, one above the other) with
 * cairo, whose glyphs were never drawn, adds the recorded text and writes
 * the file. @marks[i] is the number of runs recorded before part i was
 * rendered, @marks[n_parts] the number after the last. */
gboolean
_tl_timeline_svg_write (TlTimeline          *self,
                        const char          *path,
                        int                  width,
                        GskRenderNode      **parts,
                        const double        *heights,
                        const guint         *marks,
                        guint                n_parts,
                        GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  double total_h = 0, y = 0;
  const char *end;
  cairo_t *cr;

  g_return_val_if_fail (self->svg_texts != NULL, FALSE);

  for (guint i = 0; i < n_parts; i++)
    total_h += ceil (heights[i]);

  surface = cairo_svg_surface_create_for_stream (append_bytes_cb, out, width, total_h);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  cr = cairo_create (surface);
  g_string_append (texts, "<g");
  append_font (texts, self->layout);
  g_string_append (texts, ">\n");
  for (guint i = 0; i < n_parts; i++)
    {
      if (parts[i] != NULL)
        {
          cairo_save (cr);
          cairo_translate (cr, 0, y);
          gsk_render_node_draw (parts[i], cr);
          cairo_restore (cr);
          append_texts (self, texts, marks[i], marks[i + 1], y);
        }
      y += ceil (heights[i]);
    }
  g_string_append (texts, "</g>\n");
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_clear_pointer (&self->svg_texts, g_array_unref);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the image “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }

  /* The text goes last, above every drawn mark, inside the document. */
  end = g_strrstr (out->str, "</svg>");
  if (end == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the image “%s”: %s"),
                   path, _("the drawing library made no SVG document"));
      return FALSE;
    }
  g_string_insert (out, end - out->str, texts->str);

  if (!g_file_set_contents (path, out->str, out->len, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the image “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
