/* tl-timeline-paint.c — the timeline's style caches and drawing primitives:
 * rectangles, patterns, markers, text through one reused layout
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/tl-number.h"
#include "timeline/tl-timeline-private.h"

void
_tl_timeline_clear_style_caches (TlTimeline *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->markers); i++)
    g_clear_pointer (&self->markers[i], gsk_render_node_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->disclosure); i++)
    g_clear_pointer (&self->disclosure[i], gsk_render_node_unref);
  g_clear_pointer (&self->hatch_tile, gsk_render_node_unref);
  g_clear_pointer (&self->stripe_tile, gsk_render_node_unref);
  g_clear_pointer (&self->hatch_tex, gsk_render_node_unref);
  g_clear_pointer (&self->stripe_tex, gsk_render_node_unref);
  g_clear_pointer (&self->static_node, gsk_render_node_unref);
  memset (self->word_text, 0, sizeof self->word_text);
}

static void
update_palette (TlTimeline *self)
{
  GdkRGBA fg;
  gboolean dark;

  /* In a window, the widget's own foreground tells light from dark, so
   * the palette follows AdwStyleManager, a theme or a parent's style. A
   * widget outside any window (an export, a test) has no styled colour
   * yet: ask the style manager, else draw light. */
  if (self->forced_dark >= 0)
    dark = self->forced_dark;
  else if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
      G_GNUC_END_IGNORE_DEPRECATIONS
      dark = tl_timeline_palette_is_dark_fg (&fg);
    }
  else if (adw_is_initialized ())
    dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  else
    dark = FALSE;
  if (dark != self->palette.dark || self->hatch_tile == NULL)
    {
      _tl_timeline_clear_style_caches (self);
      tl_timeline_palette_init (&self->palette, dark);
    }
}

/* Shapes are built from GSK nodes only (rotated rectangles, circles
 * as rounded borders), never cairo: they stay vectors in an SVG export,
 * and the GL renderer draws them without uploading cairo surfaces. */

/* A stroke from (x1, y1) to (x2, y2), width w, as a rotated rectangle. */
static void
append_stroke (GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         x1,
               double         y1,
               double         x2,
               double         y2,
               double         w)
{
  double length = hypot (x2 - x1, y2 - y1);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x1, y1));
  gtk_snapshot_rotate (snapshot, atan2 (y2 - y1, x2 - x1) * 180 / G_PI);
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (-w / 2, -w / 2, length + w, w));
  gtk_snapshot_restore (snapshot);
}

static void
append_circle (GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         cx,
               double         cy,
               double         r,
               double         w)
{
  GskRoundedRect outline;
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  const float widths[4] = { w, w, w, w };

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r), r);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

/* A triangle: half of a square turned by 45°, pointing along angle
 * (0 = right, 90 = down), with its tip at (x, y). */
void
_tl_timeline_append_triangle (GtkSnapshot   *snapshot,
                              const GdkRGBA *color,
                              double         x,
                              double         y,
                              double         depth,
                              double         angle)
{
  double side = depth * G_SQRT2;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_rotate (snapshot, angle);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (-depth, -depth, depth, 2 * depth));
  gtk_snapshot_rotate (snapshot, 45);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (-side, 0, side, side));
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_restore (snapshot);
}

static GskRenderNode *
make_tile (const GdkRGBA *line,
           double         size,
           double         width)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  /* Diagonals that continue across tile edges: x + y = 0, size, 2 size. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, size, size));
  for (int k = 0; k <= 2; k++)
    append_stroke (snapshot, line, k * size + 1, -1, -1, k * size + 1, width);
  gtk_snapshot_pop (snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* The tile drawn once into a texture, at twice its size so it stays
 * sharp on a HiDPI screen. A repeat node whose child is a texture node
 * with exactly the child bounds is one textured quad for the GL
 * renderer; any other child (the vector tile, or a translated one) makes
 * it render the child offscreen, or draw the whole repeat with cairo and
 * upload it, for every hatched bar of every frame — enough to starve
 * the main loop under software GL. */
static GskRenderNode *
make_tile_texture (GskRenderNode *tile,
                   double         size)
{
  const int scale = 2;
  int px = (int) ceil (size * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderNode *node;

  cairo_scale (cr, scale, scale);
  gsk_render_node_draw (tile, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * px);
  /* Cairo's ARGB32 is premultiplied B8G8R8A8 in memory on little endian
   * and A8R8G8B8 on big endian: GDK_MEMORY_DEFAULT is exactly that. */
  texture = gdk_memory_texture_new (px, px, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  node = gsk_texture_node_new (texture, &GRAPHENE_RECT_INIT (0, 0, size, size));
  return node;
}

static GskRenderNode *
make_marker (TlMarker       marker,
             const GdkRGBA *color)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  /* Shapes rather than glyphs: ⏱ is missing from common fonts, and
   * shapes read the same in every locale. */
  switch (marker)
    {
    case TL_MARKER_OK:
      append_stroke (snapshot, color, 2.5, 7.5, 5.5, 10.5, 2.2);
      append_stroke (snapshot, color, 5.5, 10.5, 11.5, 3.5, 2.2);
      break;
    case TL_MARKER_FAILED:
      append_stroke (snapshot, color, 3, 3, 11, 11, 2.2);
      append_stroke (snapshot, color, 11, 3, 3, 11, 2.2);
      break;
    case TL_MARKER_TIMED_OUT:
      append_circle (snapshot, color, 7, 8, 5.5, 1.6);
      append_stroke (snapshot, color, 7, 8, 7, 5, 1.5);
      append_stroke (snapshot, color, 7, 8, 9.2, 9.2, 1.5);
      append_stroke (snapshot, color, 5.5, 1.2, 8.5, 1.2, 1.5);
      break;
    case TL_MARKER_CANCELLED:
      append_circle (snapshot, color, 7, 7, 5.8, 1.6);
      append_stroke (snapshot, color, 3.4, 10.6, 10.6, 3.4, 1.6);
      break;
    case TL_MARKER_NONE:
    default:
      break;
    }
  return gtk_snapshot_free_to_node (snapshot);
}

static GskRenderNode *
make_disclosure (gboolean       collapsed,
                 const GdkRGBA *color)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  if (collapsed)
    _tl_timeline_append_triangle (snapshot, color, 8, 5, 4.5, 0);    /* ▸ */
  else
    _tl_timeline_append_triangle (snapshot, color, 5, 7.5, 4.5, 90); /* ▾ */
  return gtk_snapshot_free_to_node (snapshot);
}

void
_tl_timeline_ensure_style_caches (TlTimeline *self)
{
  const TlTimelinePalette *p;

  update_palette (self);
  p = &self->palette;
  if (self->hatch_tile == NULL)
    {
      self->hatch_tile = make_tile (&p->queued, HATCH_SIZE, HATCH_WIDTH);
      self->stripe_tile = make_tile (&p->blocked, STRIPE_SIZE, STRIPE_WIDTH);
      self->hatch_tex = make_tile_texture (self->hatch_tile, HATCH_SIZE);
      self->stripe_tex = make_tile_texture (self->stripe_tile, STRIPE_SIZE);
      self->markers[TL_MARKER_NONE] = NULL;
      self->markers[TL_MARKER_OK] = make_marker (TL_MARKER_OK, &p->ok);
      self->markers[TL_MARKER_FAILED] = make_marker (TL_MARKER_FAILED, &p->failed);
      self->markers[TL_MARKER_TIMED_OUT] = make_marker (TL_MARKER_TIMED_OUT, &p->timed_out);
      self->markers[TL_MARKER_CANCELLED] = make_marker (TL_MARKER_CANCELLED, &p->cancelled);
      self->disclosure[0] = make_disclosure (FALSE, &p->fg_dim);
      self->disclosure[1] = make_disclosure (TRUE, &p->fg_dim);
    }
  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
}

void
_tl_timeline_append_rect (GtkSnapshot   *snapshot,
                          const GdkRGBA *color,
                          double         x,
                          double         y,
                          double         w,
                          double         h)
{
  if (w <= 0 || h <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

/* A pattern fill: the tile repeats from a fixed origin, so neighbouring
 * rectangles continue the same stripes. */
/* A hatched (queued) or striped (blocked) fill. On screen: one cached
 * texture tile, repeated from the origin with its own bounds as the
 * child bounds, so there is no geometry per bar and neighbouring bars
 * continue the same stripes. In an export: the diagonals themselves,
 * clipped, so an SVG stays vectors (cairo's SVG surface also leaks the
 * recording pattern of a repeat). */
void
_tl_timeline_append_pattern (TlTimeline    *self,
                             GtkSnapshot   *snapshot,
                             gboolean       stripes,
                             const GdkRGBA *background,
                             double         x,
                             double         y,
                             double         w,
                             double         h)
{
  GskRenderNode *tile = stripes ? self->stripe_tex : self->hatch_tex;
  graphene_rect_t tile_bounds;

  if (w <= 0 || h <= 0)
    return;
  _tl_timeline_append_rect (snapshot, background, x, y, w, h);
  if (w < 2)
    return;
  if (self->vector_tiles)
    {
      double size = stripes ? STRIPE_SIZE : HATCH_SIZE;
      const GdkRGBA *line = stripes ? &self->palette.blocked : &self->palette.queued;

      /* The diagonals x + y = k·size that cross the rectangle. */
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x, y, w, h));
      for (double c = floor ((x + y) / size) * size; c <= x + w + y + h + size; c += size)
        append_stroke (snapshot, line, c - y + 1, y - 1, c - y - h - 1, y + h + 1,
                       stripes ? STRIPE_WIDTH : HATCH_WIDTH);
      gtk_snapshot_pop (snapshot);
      return;
    }
  gsk_render_node_get_bounds (tile, &tile_bounds);
  gtk_snapshot_push_repeat (snapshot, &GRAPHENE_RECT_INIT (x, y, w, h), &tile_bounds);
  gtk_snapshot_append_node (snapshot, tile);
  gtk_snapshot_pop (snapshot);
}

void
_tl_timeline_append_node_at (GtkSnapshot   *snapshot,
                             GskRenderNode *node,
                             double         x,
                             double         y)
{
  if (node == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_node (snapshot, node);
  gtk_snapshot_restore (snapshot);
}

/* The one layout's text with its top left corner at (x, y); in an SVG
 * being drawn, recorded to be written as text. */
static void
append_layout_at (TlTimeline    *self,
                  GtkSnapshot   *snapshot,
                  double         x,
                  double         y,
                  const GdkRGBA *color,
                  gboolean       bold)
{
  if (self->svg_texts != NULL)
    {
      _tl_timeline_svg_record_text (self, x, y, color, bold);
      return;
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, self->layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The one layout set to @text, bold or not, ellipsized to @width (< 0:
 * not at all), and its logical box. */
static void
set_layout (TlTimeline     *self,
            const char     *text,
            double          width,
            gboolean        bold,
            PangoRectangle *logical)
{
  PangoAttrList *attrs = NULL;

  pango_layout_set_text (self->layout, text, -1);
  pango_layout_set_width (self->layout, width < 0 ? -1 : (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (self->layout, width < 0 ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  if (bold)
    {
      attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  pango_layout_set_attributes (self->layout, attrs);
  g_clear_pointer (&attrs, pango_attr_list_unref);
  pango_layout_get_pixel_extents (self->layout, NULL, logical);
}

/* Whether text with this box may be drawn: it must not overprint text
 * already placed in this frame. A box outside the region being drawn is
 * clipped away anyway and takes no room. */
static gboolean
place_text (TlTimeline *self,
            double      x,
            double      y,
            double      w,
            double      h)
{
  graphene_rect_t box = GRAPHENE_RECT_INIT (x, y, w, h);
  graphene_rect_t band;

  /* Noting lines only: no text yet. */
  if (self->reserving)
    return FALSE;
  if (!self->placing_text)
    return TRUE;
  if (!graphene_rect_intersection (&box, &self->text_clip, &box) ||
      box.size.width < 1 || box.size.height < 1)
    return TRUE;

  for (guint i = 0; i < self->text_boxes->len; i++)
    {
      graphene_rect_t overlap;

      /* Boxes that only touch (a pixel of shared edge) do not overprint. */
      if (graphene_rect_intersection (&g_array_index (self->text_boxes, graphene_rect_t, i), &box, &overlap) &&
          overlap.size.width > 1 && overlap.size.height > 1)
        return FALSE;
    }
  /* Nor does a line struck through it. */
  _tl_timeline_text_ink_band (&box, &band);
  for (guint i = 0; self->stroke_boxes != NULL && i < self->stroke_boxes->len; i++)
    {
      graphene_rect_t overlap;

      if (graphene_rect_intersection (&g_array_index (self->stroke_boxes, graphene_rect_t, i), &band, &overlap) &&
          overlap.size.width > 1 && overlap.size.height > 1)
        return FALSE;
    }
  g_array_append_val (self->text_boxes, box);
  return TRUE;
}

void
_tl_timeline_text_ink_band (const graphene_rect_t *text_box,
                            graphene_rect_t       *band)
{
  *band = GRAPHENE_RECT_INIT (text_box->origin.x, text_box->origin.y + text_box->size.height * 0.25f,
                              text_box->size.width, text_box->size.height * 0.5f);
}

void
_tl_timeline_note_stroke (TlTimeline *self,
                          double      x,
                          double      y,
                          double      w,
                          double      h)
{
  graphene_rect_t box = GRAPHENE_RECT_INIT (x, y, MAX (w, 1), MAX (h, 1));

  if (!self->placing_text || self->strokes_noted || self->stroke_boxes == NULL)
    return;
  g_array_append_val (self->stroke_boxes, box);
}

const graphene_rect_t *
_tl_timeline_get_stroke_boxes (TlTimeline *self,
                               guint      *n_boxes)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  *n_boxes = self->stroke_boxes != NULL ? self->stroke_boxes->len : 0;
  return self->stroke_boxes != NULL ? (const graphene_rect_t *) (gpointer) self->stroke_boxes->data : NULL;
}

double
_tl_timeline_room_before_stroke (TlTimeline *self,
                                 double      x,
                                 double      y_center,
                                 double      room)
{
  /* The band of a line of text centred there, as place_text sees it. */
  double top = y_center - 4, bottom = y_center + 4;

  for (guint i = 0; self->stroke_boxes != NULL && i < self->stroke_boxes->len; i++)
    {
      const graphene_rect_t *s = &g_array_index (self->stroke_boxes, graphene_rect_t, i);

      if (s->origin.y >= bottom || s->origin.y + s->size.height <= top ||
          s->origin.x + s->size.width <= x + 1 || s->origin.x >= x + room)
        continue;
      room = MAX (0, s->origin.x - x - 3);
    }
  return room;
}

const graphene_rect_t *
_tl_timeline_get_text_boxes (TlTimeline *self,
                             guint      *n_boxes)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  *n_boxes = self->text_boxes != NULL ? self->text_boxes->len : 0;
  return self->text_boxes != NULL ? (const graphene_rect_t *) (gpointer) self->text_boxes->data : NULL;
}

/* Text through the one layout; width < 0: no ellipsis. Returns the
 * logical width drawn. */
int
_tl_timeline_append_text (TlTimeline    *self,
                          GtkSnapshot   *snapshot,
                          const char    *text,
                          const GdkRGBA *color,
                          double         x,
                          double         y_center,
                          double         width,
                          gboolean       bold)
{
  PangoRectangle logical;

  if (width >= 0 && width < 8)
    return 0;

  set_layout (self, text, width, bold, &logical);
  if (!place_text (self, round (x), round (y_center - logical.height / 2.0), logical.width, logical.height))
    return 0;

  append_layout_at (self, snapshot, round (x), round (y_center - logical.height / 2.0), color, bold);

  return logical.width;
}

void
_tl_timeline_append_text_lines (TlTimeline    *self,
                                GtkSnapshot   *snapshot,
                                const char    *first,
                                const GdkRGBA *first_color,
                                const char    *second,
                                const GdkRGBA *second_color,
                                double         x,
                                double         y,
                                double         height,
                                double         width)
{
  PangoRectangle one, two;
  double block_h, top;

  set_layout (self, second, -1, FALSE, &two);
  if (width < 8 || two.width > width)
    {
      _tl_timeline_append_text (self, snapshot, first, first_color, x, y + height / 2, width, TRUE);
      return;
    }
  set_layout (self, first, width, TRUE, &one);
  /* Centred, and never taller than the lane: the second line's box may
   * then overlap the first's spacing, which is not ink. */
  block_h = MIN (one.height + two.height, height);
  top = round (y + (height - block_h) / 2);
  if (!place_text (self, round (x), top, MAX (one.width, two.width), block_h))
    return;
  append_layout_at (self, snapshot, round (x), top, first_color, TRUE);
  set_layout (self, second, -1, FALSE, &two);
  append_layout_at (self, snapshot, round (x), top + block_h - two.height, second_color, FALSE);
}

/* Text over a busy pattern: on a plate of the background colour, so it
 * stays readable over stripes. */
void
_tl_timeline_append_label_plate (TlTimeline    *self,
                                 GtkSnapshot   *snapshot,
                                 const char    *text,
                                 double         x,
                                 double         y_center,
                                 double         width)
{
  PangoRectangle logical;
  GdkRGBA plate = self->palette.bg;
  GskRoundedRect rect;

  if (width < 24)
    return;
  pango_layout_set_text (self->layout, text, -1);
  pango_layout_set_width (self->layout, (int) ((width - 8) * PANGO_SCALE));
  pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_attributes (self->layout, NULL);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);

  if (!place_text (self, round (x), round (y_center - logical.height / 2.0 - 1), logical.width + 8, logical.height + 2))
    return;

  plate.alpha = 0.88f;
  gsk_rounded_rect_init_from_rect (&rect,
                                   &GRAPHENE_RECT_INIT (round (x), round (y_center - logical.height / 2.0 - 1),
                                                        logical.width + 8, logical.height + 2),
                                   4);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  _tl_timeline_append_rect (snapshot, &plate, rect.bounds.origin.x, rect.bounds.origin.y,
                            rect.bounds.size.width, rect.bounds.size.height);
  gtk_snapshot_pop (snapshot);

  append_layout_at (self, snapshot, round (x) + 4, round (y_center - logical.height / 2.0), &self->palette.fg, FALSE);
}

/* The longest of several wordings that fits whole, or none. */
void
_tl_timeline_append_fitting_plate (TlTimeline    *self,
                                   GtkSnapshot   *snapshot,
                                   const char   **texts,
                                   guint          n_texts,
                                   double         x,
                                   double         y_center,
                                   double         width)
{
  /* A number is never cut ("25…" reads as 25 ms): when even the
   * shortest wording does not fit whole, nothing is drawn, and the
   * tooltip has it. */
  for (guint i = 0; i < n_texts; i++)
    {
      if (texts[i] == NULL)
        continue;
      if (_tl_timeline_measure_text (self, texts[i]) + 8 <= width)
        {
          _tl_timeline_append_label_plate (self, snapshot, texts[i], x, y_center, width);
          return;
        }
    }
}

int
_tl_timeline_measure_text (TlTimeline *self,
                           const char *text)
{
  PangoRectangle logical;

  set_layout (self, text, -1, FALSE, &logical);
  return logical.width;
}

/* Text drawn only when it fits whole: numbers are never cut. */
void
_tl_timeline_append_text_whole (TlTimeline    *self,
                                GtkSnapshot   *snapshot,
                                const char    *text,
                                const GdkRGBA *color,
                                double         x,
                                double         y_center,
                                double         width,
                                gboolean       bold)
{
  if (_tl_timeline_measure_text (self, text) * (bold ? 1.1 : 1.0) <= width)
    _tl_timeline_append_text (self, snapshot, text, color, x, y_center, -1, bold);
}

/* A dashed horizontal line (dash and gap in px). */
static void
append_dashes (GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         x0,
               double         x1,
               double         y,
               double         dash)
{
  for (double x = x0; x < x1; x += 2 * dash)
    _tl_timeline_append_rect (snapshot, color, x, y, MIN (dash, x1 - x), 1);
}

/* A dashed outline of a box: what did not happen, but could have. */
void
_tl_timeline_append_dashed_box (GtkSnapshot   *snapshot,
                                const GdkRGBA *color,
                                double         x0,
                                double         x1,
                                double         y,
                                double         h)
{
  append_dashes (snapshot, color, x0, x1, y, 4);
  append_dashes (snapshot, color, x0, x1, y + h - 1, 4);
  _tl_timeline_append_rect (snapshot, color, x0, y, 1, h);
  _tl_timeline_append_rect (snapshot, color, x1 - 1, y, 1, h);
}

/* The four edges of a dashed box, as lines text keeps clear of. */
void
_tl_timeline_note_box_outline (TlTimeline *self,
                               double      x0,
                               double      x1,
                               double      y,
                               double      h)
{
  _tl_timeline_note_stroke (self, x0, y, x1 - x0, 1);
  _tl_timeline_note_stroke (self, x0, y + h - 1, x1 - x0, 1);
  _tl_timeline_note_stroke (self, x0, y, 1, h);
  _tl_timeline_note_stroke (self, x1 - 1, y, 1, h);
}

/* The rest of a task cut short: a faint fill carrying its bar on, a
 * dotted line along its foot and a tick where it would have ended. Unlike
 * the never-started outline it has no start edge: it continues a bar. */
void
_tl_timeline_append_would_have_run (TlTimeline  *self,
                                    GtkSnapshot *snapshot,
                                    double       x0,
                                    double       x1,
                                    double       y,
                                    double       h)
{
  const TlTimelinePalette *p = &self->palette;

  if (x1 <= x0)
    return;
  _tl_timeline_append_rect (snapshot, &p->would_have_bg, x0, y + 2, x1 - x0, h - 4);
  for (double x = x0 + 1; x < x1 - 2; x += 4)
    _tl_timeline_append_rect (snapshot, &p->would_have, x, y + h - 3, MIN (2, x1 - 2 - x), 2);
  _tl_timeline_append_rect (snapshot, &p->would_have, x1 - 2, y, 2, h);
  _tl_timeline_note_stroke (self, x0, y + h - 3, x1 - x0, 2);
  _tl_timeline_note_stroke (self, x1 - 2, y, 2, h);
}

/* "200,000" in the user's locale, grouped in the C locale too. */
char *
_tl_timeline_format_count (gint64 n)
{
  return tl_format_count (n);
}

/* Error text leads with the reason: "http://127.0.0.1:36025/status/500:
 * HTTP 500 Internal Server Error" becomes "HTTP 500 Internal Server Error
 * · /status/500"; the demo server's scheme and host say nothing. */
char *
_tl_timeline_shorten_error (const char *error)
{
  const char *scheme_end, *host, *path, *sep;
  g_autofree char *where = NULL;

  if (error == NULL)
    return NULL;
  if (!g_str_has_prefix (error, "http://") && !g_str_has_prefix (error, "https://"))
    return g_strdup (error);
  scheme_end = strstr (error, "://");
  host = scheme_end + 3;
  sep = strstr (host, ": ");
  if (sep == NULL)
    return g_strdup (error);
  path = memchr (host, '/', sep - host);
  if (path == NULL)
    path = sep;
  if (g_str_has_prefix (host, "127.0.0.1") || g_str_has_prefix (host, "localhost") ||
      g_str_has_prefix (host, "[::1]"))
    where = path < sep ? g_strndup (path, sep - path) : g_strdup ("/");
  else
    where = g_strndup (host, sep - host);
  return g_strdup_printf ("%s · %s", sep + 2, where);
}

/* The duration a leaf's spec asked for (sleep, blocking, cpu), or -1. */
gint64
_tl_timeline_planned_duration (TlTimeline *self,
                               guint32     instance)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  TlPreset *preset = tl_trace_get_preset (trace);
  const TlInstance *inst;
  const TlTaskSpec *spec;

  if (preset == NULL || instance >= tl_trace_get_n_instances (trace))
    return -1;
  inst = tl_trace_get_instance (trace, instance);
  if (inst == NULL || inst->spec >= preset->n_tasks)
    return -1;
  spec = &preset->tasks[inst->spec];
  switch (spec->kind)
    {
    case TL_KIND_SLEEP:
    case TL_KIND_BLOCKING:
      return spec->duration_us;
    case TL_KIND_CPU:
      return spec->work_us;
    case TL_KIND_FETCH:
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    default:
      return -1;
    }
}

const TlTaskSpec *
_tl_timeline_spec_of_instance (TlTimeline *self,
                               guint32     instance)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  TlPreset *preset = tl_trace_get_preset (trace);
  const TlInstance *inst;

  if (preset == NULL || instance >= tl_trace_get_n_instances (trace))
    return NULL;
  inst = tl_trace_get_instance (trace, instance);
  return inst != NULL && inst->spec < preset->n_tasks ? &preset->tasks[inst->spec] : NULL;
}

/* Draw priority when several states fall into one pixel: the rarer and
 * more important one wins, so a short block is never hidden. */
int
_tl_timeline_state_priority (guint32 state)
{
  switch (state)
    {
    case TL_STATE_BLOCKED:
      return 5;
    case TL_STATE_RUNNING:
      return 4;
    case TL_STATE_QUEUED:
      return 3;
    case TL_STATE_WAITING:
      return 2;
    case TL_STATE_CREATED:
    default:
      return 1;
    }
}

/* The x range [t0, t1] covers in the plot, clipped; FALSE when outside. */
gboolean
_tl_timeline_clip_span (const TlTimelineView *view,
                        double                t0,
                        double                t1,
                        double               *x0,
                        double               *x1)
{
  *x0 = MAX (view_time_to_x (view, t0), view->label_w - 1);
  *x1 = MIN (view_time_to_x (view, t1), view->width + 1);
  return *x1 > *x0;
}
