/* tl-timeline.c — the timeline widget
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing costs O(what is visible): only visible rows are drawn; each row
 * binary-searches its first visible interval; intervals that fall into one
 * pixel are merged, and the search then jumps straight to the next pixel,
 * so a row holding a million intervals costs at most a few per pixel
 * column. Text goes through one reused PangoLayout; the ruler and grid
 * are cached as a render node and rebuilt only when the size, the time
 * window or the style changes.
 *
 * Summary lanes (event loop, pools, HTTP, concurrency) stay pinned under
 * the ruler; the vertical adjustment scrolls the section and task lanes.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline-palette.h"
#include "timeline/tl-timeline-private.h"

#define RULER_H    TL_TIMELINE_RULER_H
#define LANE_H     TL_TIMELINE_LANE_H
#define SUMMARY_H  TL_TIMELINE_SUMMARY_H
#define BAR_PAD    4
#define INDENT     14
#define MIN_SPAN_US 20.0
#define TICK_SPACING_PX 96
#define MAX_ARROWS 200
#define FALLBACK_WIDTH 1000
#define FALLBACK_HEIGHT 700
#define MARKER_ROOM 28
#define RESIZE_GRAB 5
#define LIVE_FPS 30
#define MAX_WAIT_SPLIT 2000
#define HATCH_SIZE 6
#define HATCH_WIDTH 1.2
#define STRIPE_SIZE 8
#define STRIPE_WIDTH 2.5

struct _TlTimeline
{
  GtkWidget          parent_instance;

  TlTimelineModel   *model;
  gulong             changed_handler;

  GtkAdjustment     *hadj;
  GtkAdjustment     *vadj;
  guint              hscroll_policy : 1;
  guint              vscroll_policy : 1;
  guint              in_configure : 1;

  /* The time window: t0 at the left edge of the plot, span across it. */
  double             t0;
  double             span;
  double             v;
  gboolean           auto_fit;     /* keep the whole run in view */
  gboolean           follow;
  gboolean           live;
  guint              tick_id;
  gint64             anchor_trace_us;
  gint64             anchor_frame_us;
  gint64             last_draw_us;  /* live redraws: see tick_cb */
  gint64             last_set_now;  /* what tick_cb set, -1: nothing yet */
  gboolean           external_now;  /* someone else sets the model's now */
  double             last_now_px;
  gboolean           pending_change;

  gint64             stall_us;
  gint64             stall_start_us;
  guint32            stall_culprit;

  guint32            selected;
  guint32            hovered;
  double             pointer_x;
  double             pointer_y;

  double             drag_t0;
  double             drag_v;
  gboolean           dragging;
  double             zoom_span;
  double             zoom_anchor_t;
  double             zoom_anchor_x;

  TlTimelinePalette  palette;
  PangoLayout       *layout;
  PangoEllipsizeMode ellipsize;    /* for the next append_text */
  /* Widths of the few fixed words drawn in bars, by string (translated
   * strings live as long as the process): measured once per style. */
  const char        *word_text[8];
  int                word_w[8];
  GskRenderNode     *markers[5];   /* by TlMarker */
  GskRenderNode     *disclosure[2];/* expanded, collapsed */
  GskRenderNode     *hatch_tile;
  GskRenderNode     *stripe_tile;
  /* The same tiles as textures: what the screen repeats (see
   * append_pattern). */
  GskRenderNode     *hatch_tex;
  GskRenderNode     *stripe_tex;
  gboolean           vector_tiles; /* drawing an export: hatch with vectors */

  int                forced_dark;  /* a legend's painter: its widget's style, -1: own */
  double             label_w_user; /* names column dragged by the user, 0: auto */
  gboolean           resizing;
  double             resize_w0;

  GskRenderNode     *static_node;
  TlTimelineView     static_view;
  gboolean           static_dark;

  char              *summary;
};

static void tl_timeline_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TlTimeline, tl_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      tl_timeline_scrollable_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_TASK,
  PROP_FOLLOW,
  PROP_LIVE,
  N_PROPS,

  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum {
  TASK_ACTIVATED,
  CANCEL_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void configure_adjustments (TlTimeline *self);
static void update_actions        (TlTimeline *self);
static void update_summary        (TlTimeline *self);

/* --- geometry --- */

/* Names are what tells lanes apart: the column keeps about 160 px
 * however narrow the widget gets (the time axis shrinks instead), unless
 * the widget itself is tiny. */
static double
label_width_for (int width)
{
  return CLAMP (width * 0.25, MIN (160, width * 0.45), 260);
}

double
_tl_timeline_label_width (TlTimeline *self,
                          int         width)
{
  if (self->label_w_user > 0)
    return CLAMP (self->label_w_user, MIN (80, width * 0.3), MAX (80, width * 0.6));
  return label_width_for (width);
}

static guint
n_summary_lanes (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_n_summary_lanes (self->model) : 0;
}

static double
task_area_top (TlTimeline *self)
{
  return RULER_H + n_summary_lanes (self) * SUMMARY_H;
}

static double
task_lanes_height (TlTimeline *self)
{
  if (self->model == NULL)
    return 0;
  return (tl_timeline_model_get_n_lanes (self->model) - n_summary_lanes (self)) * (double) LANE_H;
}

static double
lane_top (TlTimeline           *self,
          const TlTimelineView *view,
          guint                 lane)
{
  guint n_summary = n_summary_lanes (self);

  if (lane < n_summary)
    return RULER_H + lane * SUMMARY_H;
  return task_area_top (self) + (lane - n_summary) * (double) LANE_H - view->v;
}

static double
lane_height (TlTimeline *self,
             guint       lane)
{
  return lane < n_summary_lanes (self) ? SUMMARY_H : LANE_H;
}

static inline double
view_time_to_x (const TlTimelineView *view,
                double                time_us)
{
  return view->label_w + (time_us - view->t0) / view->us_per_px;
}

static inline double
view_x_to_time (const TlTimelineView *view,
                double                x)
{
  return view->t0 + (x - view->label_w) * view->us_per_px;
}

void
_tl_timeline_get_view (TlTimeline     *self,
                       TlTimelineView *view)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  /* An unallocated widget (an export before the window is shown, a test)
   * still has a well-defined view. */
  if (width <= 0)
    width = FALLBACK_WIDTH;
  if (height <= 0)
    height = FALLBACK_HEIGHT;

  view->width = width;
  view->height = height;
  view->label_w = _tl_timeline_label_width (self, width);
  view->t0 = self->t0;
  view->us_per_px = self->span / MAX (1.0, width - view->label_w);
  view->v = self->v;
  view->use_cache = TRUE;
}

static gint64
current_now (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_now (self->model) : 0;
}

static gint64
run_end (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_end_us (self->model) : 0;
}

/* --- palette and cached pieces --- */

static void
clear_style_caches (TlTimeline *self)
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
      clear_style_caches (self);
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
static void
append_triangle (GtkSnapshot   *snapshot,
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
    append_triangle (snapshot, color, 8, 5, 4.5, 0);    /* ▸ */
  else
    append_triangle (snapshot, color, 5, 7.5, 4.5, 90); /* ▾ */
  return gtk_snapshot_free_to_node (snapshot);
}

static void
ensure_style_caches (TlTimeline *self)
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

/* --- drawing helpers --- */

static void
append_rect (GtkSnapshot   *snapshot,
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
static void
append_pattern (TlTimeline    *self,
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
  append_rect (snapshot, background, x, y, w, h);
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

static void
append_node_at (GtkSnapshot   *snapshot,
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

/* Text through the one layout; width < 0: no ellipsis. Returns the
 * logical width drawn. */
static int
append_text (TlTimeline    *self,
             GtkSnapshot   *snapshot,
             const char    *text,
             const GdkRGBA *color,
             double         x,
             double         y_center,
             double         width,
             gboolean       bold)
{
  PangoRectangle logical;
  PangoAttrList *attrs = NULL;

  if (width >= 0 && width < 8)
    return 0;

  pango_layout_set_text (self->layout, text, -1);
  pango_layout_set_width (self->layout, width < 0 ? -1 : (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (self->layout, width < 0 ? PANGO_ELLIPSIZE_NONE : self->ellipsize);
  self->ellipsize = PANGO_ELLIPSIZE_END;
  if (bold)
    {
      attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  pango_layout_set_attributes (self->layout, attrs);
  g_clear_pointer (&attrs, pango_attr_list_unref);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y_center - logical.height / 2.0)));
  gtk_snapshot_append_layout (snapshot, self->layout, color);
  gtk_snapshot_restore (snapshot);

  return logical.width;
}

/* Text over a busy pattern: on a plate of the background colour, so it
 * stays readable over stripes. */
static void
append_label_plate (TlTimeline    *self,
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

  plate.alpha = 0.88f;
  gsk_rounded_rect_init_from_rect (&rect,
                                   &GRAPHENE_RECT_INIT (round (x), round (y_center - logical.height / 2.0 - 1),
                                                        logical.width + 8, logical.height + 2),
                                   4);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  append_rect (snapshot, &plate, rect.bounds.origin.x, rect.bounds.origin.y,
               rect.bounds.size.width, rect.bounds.size.height);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x) + 4, round (y_center - logical.height / 2.0)));
  gtk_snapshot_append_layout (snapshot, self->layout, &self->palette.fg);
  gtk_snapshot_restore (snapshot);
}

static int measure_text (TlTimeline *self,
                         const char *text);

/* The longest of several wordings that fits whole, or none. */
static void
append_fitting_plate (TlTimeline    *self,
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
      if (measure_text (self, texts[i]) + 8 <= width)
        {
          append_label_plate (self, snapshot, texts[i], x, y_center, width);
          return;
        }
    }
}

static int
measure_text (TlTimeline *self,
              const char *text)
{
  PangoRectangle logical;

  pango_layout_set_text (self->layout, text, -1);
  pango_layout_set_width (self->layout, -1);
  pango_layout_set_attributes (self->layout, NULL);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  return logical.width;
}

/* Text drawn only when it fits whole: numbers are never cut. */
static void
append_text_whole (TlTimeline    *self,
                   GtkSnapshot   *snapshot,
                   const char    *text,
                   const GdkRGBA *color,
                   double         x,
                   double         y_center,
                   double         width,
                   gboolean       bold)
{
  if (measure_text (self, text) * (bold ? 1.1 : 1.0) <= width)
    append_text (self, snapshot, text, color, x, y_center, -1, bold);
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
    append_rect (snapshot, color, x, y, MIN (dash, x1 - x), 1);
}

/* A dashed outline of a box: what did not happen, but could have. */
static void
append_dashed_box (GtkSnapshot   *snapshot,
                   const GdkRGBA *color,
                   double         x0,
                   double         x1,
                   double         y,
                   double         h)
{
  append_dashes (snapshot, color, x0, x1, y, 4);
  append_dashes (snapshot, color, x0, x1, y + h - 1, 4);
  append_rect (snapshot, color, x0, y, 1, h);
  append_rect (snapshot, color, x1 - 1, y, 1, h);
}

/* "1,234" in the user's locale. */
static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
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
static gint64
planned_duration (TlTimeline *self,
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

static const TlTaskSpec *
spec_of_instance (TlTimeline *self,
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
static int
state_priority (guint32 state)
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

typedef struct {
  TlTimeline  *self;
  GtkSnapshot *snapshot;
  double       y;        /* top of the bar area */
  double       h;        /* height of the bar area */
  TlLaneKind   kind;
  gboolean     composite;
  /* the pending rectangle */
  gboolean     pending;
  double       x0;
  double       x1;
  guint32      state;
} RowPainter;

static void
draw_state_rect (RowPainter *row,
                 guint32     state,
                 double      x0,
                 double      x1)
{
  const TlTimelinePalette *p = &row->self->palette;
  double y = row->y, h = row->h, w = x1 - x0;

  if (row->kind == TL_LANE_SECTION)
    {
      append_rect (row->snapshot, &p->section, x0, y, w, h);
      return;
    }

  /* Composites are drawn slimmer: their children carry the detail. */
  if (row->composite)
    {
      y += h * 0.3;
      h *= 0.4;
    }

  switch (state)
    {
    case TL_STATE_CREATED:
      /* Exists but has not started: a thin line, like a ghost. */
      append_rect (row->snapshot, &p->created, x0, y + h / 2 - 1, w, 2);
      break;
    case TL_STATE_QUEUED:
      append_pattern (row->self, row->snapshot, FALSE, &p->queued_bg, x0, y, w, h);
      break;
    case TL_STATE_WAITING:
      append_rect (row->snapshot, &p->waiting, x0, y + h * 0.25, w, h * 0.5);
      break;
    case TL_STATE_RUNNING:
      append_rect (row->snapshot, &p->running, x0, y, w, h);
      break;
    case TL_STATE_BLOCKED:
      append_pattern (row->self, row->snapshot, TRUE, &p->blocked_bg, x0, y, w, h);
      break;
    default:
      break;
    }
}

static void
row_flush (RowPainter *row)
{
  if (row->pending)
    draw_state_rect (row, row->state, row->x0, row->x1);
  row->pending = FALSE;
}

static void
row_add (RowPainter *row,
         double      x0,
         double      x1,
         guint32     state)
{
  if (row->pending)
    {
      if (state == row->state && x0 <= row->x1 + 0.5)
        {
          row->x1 = MAX (row->x1, x1);
          return;
        }
      /* Entirely inside the pending rectangle's last pixel: merge. */
      if (x1 <= ceil (row->x1) && x0 >= floor (row->x1) - 0.001 && x1 - x0 < 1)
        {
          if (state_priority (state) > state_priority (row->state) && row->x1 - row->x0 <= 1)
            row->state = state;
          return;
        }
      row_flush (row);
    }
  row->pending = TRUE;
  row->x0 = x0;
  row->x1 = x1;
  row->state = state;
}

static inline gint64
interval_end (const TlInterval *iv,
              gint64            now)
{
  return iv->end_us == G_MAXINT64 ? MAX (now, iv->start_us) : iv->end_us;
}

/* Galloping searches: the answer is known to be at or after @from, and
 * usually close to it, so probe 1, 2, 4… ahead before bisecting. This
 * keeps the memory touched near where the last pixel ended. */
static guint
intervals_gallop (const TlInterval *v,
                  guint             from,
                  guint             n,
                  gint64            now,
                  double            t)
{
  guint lo = from, hi, stride = 1;

  /* First index whose end is after t. */
  if (lo >= n || interval_end (&v[lo], now) > t)
    return lo;
  hi = lo + 1;
  while (hi < n && interval_end (&v[hi], now) <= t)
    {
      lo = hi;
      stride *= 2;
      hi = lo + stride;
    }
  hi = MIN (hi, n);
  lo++;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (interval_end (&v[mid], now) <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* First index at or after @from whose time is after t (inclusive) or at
 * or after t (not inclusive). */
static guint
steps_gallop (const TlStep *steps,
              guint         from,
              guint         n,
              double        t,
              gboolean      inclusive)
{
  guint lo = from, hi, stride = 1;

#define BEFORE(i) (inclusive ? steps[i].time_us <= t : steps[i].time_us < t)
  if (lo >= n || !BEFORE (lo))
    return lo;
  hi = lo + 1;
  while (hi < n && BEFORE (hi))
    {
      lo = hi;
      stride *= 2;
      hi = lo + stride;
    }
  hi = MIN (hi, n);
  lo++;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (BEFORE (mid))
        lo = mid + 1;
      else
        hi = mid;
    }
#undef BEFORE
  return lo;
}

/* Draws intervals [start, end) clipped to the view, merging sub-pixel
 * ones; after a sub-pixel interval it jumps (binary search) to the first
 * interval that reaches the next pixel. */
static void
paint_intervals (RowPainter           *row,
                 const TlTimelineView *view,
                 const TlInterval     *v,
                 guint                 n,
                 gint64                now)
{
  double plot_x0 = view->label_w, plot_x1 = view->width;
  double t_start = view_x_to_time (view, plot_x0);
  double t_end = view_x_to_time (view, plot_x1);
  double done_x = -G_MAXDOUBLE;
  guint lo = 0, hi = n;

  if (n == 0)
    return;

  /* First interval whose end is after t_start. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 end = v[mid].end_us == G_MAXINT64 ? MAX (now, v[mid].start_us) : v[mid].end_us;

      if (end <= t_start)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < n && v[i].start_us < t_end;)
    {
      gint64 end = interval_end (&v[i], now);
      double x0 = view_time_to_x (view, MAX (v[i].start_us, t_start));
      double x1 = view_time_to_x (view, MIN ((double) end, t_end));

      /* A pixel column already drawn for sub-pixel intervals is not
       * drawn again by the one that straddles its right edge. */
      x0 = MAX (x0, done_x);
      if (x1 - x0 < 1)
        {
          double px = floor (x0);
          double t_next = view_x_to_time (view, px + 1);
          guint next = intervals_gallop (v, i + 1, n, now, t_next);
          guint32 state = v[i].state;

          /* Skip what else falls into this pixel, but let a neighbour
           * that matters more show: alternating states then read as the
           * more important one instead of flickering while panning. */
          if (i + 1 < next && state_priority (v[i + 1].state) > state_priority (state))
            state = v[i + 1].state;
          if (next < n && v[next].start_us < t_next && state_priority (v[next].state) > state_priority (state))
            state = v[next].state;
          row_add (row, px, MIN (px + 1, plot_x1), state);
          done_x = px + 1;
          i = next;
          continue;
        }

      row_add (row, x0, x1, v[i].state);
      i++;
    }
  row_flush (row);
}

/* --- the static layer: ruler and grid --- */

static GskRenderNode *
build_static_layer (TlTimeline           *self,
                    const TlTimelineView *view)
{
  const TlTimelinePalette *p = &self->palette;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  TlRulerTicks ticks;
  double t_end = view_x_to_time (view, view->width);

  append_rect (snapshot, &p->ruler_bg, 0, 0, view->width, RULER_H);
  append_rect (snapshot, &p->separator, 0, RULER_H - 1, view->width, 1);

  tl_time_ruler_choose (view->t0, t_end, view->us_per_px, TICK_SPACING_PX, &ticks);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, 0,
                                                         view->width - view->label_w, view->height));
  /* Minor ticks at a fifth of the step, when they are far enough apart. */
  if (ticks.step_us / view->us_per_px >= 40)
    {
      gint64 minor = MAX (ticks.step_us / 5, 1);
      gint64 first = ticks.first_us - ticks.step_us;

      for (gint64 t = MAX (first, 0); t < t_end; t += minor)
        {
          double x = round (view_time_to_x (view, (double) t));

          if (x >= view->label_w)
            append_rect (snapshot, &p->fg_dim, x, RULER_H - 5, 1, 4);
        }
    }
  for (gint64 t = ticks.first_us; t <= t_end + ticks.step_us; t += ticks.step_us)
    {
      double x = round (view_time_to_x (view, (double) t));
      g_autofree char *label = tl_time_ruler_format_tick (&ticks, t);

      append_rect (snapshot, &p->grid, x, RULER_H, 1, view->height - RULER_H);
      append_rect (snapshot, &p->fg_dim, x, RULER_H - 10, 1, 9);
      /* A label cut by the edge would misread ("1.8" for "1.8 s"): at
       * the right edge it goes left of its tick instead. */
      {
        int w = measure_text (self, label);

        if (x + 4 + w <= view->width)
          append_text (self, snapshot, label, &p->fg_dim, x + 4, RULER_H / 2.0 - 3, -1, FALSE);
        else if (x - 4 - w >= view->label_w && x < view->width)
          append_text (self, snapshot, label, &p->fg_dim, x - 4 - w, RULER_H / 2.0 - 3, -1, FALSE);
      }
    }
  gtk_snapshot_pop (snapshot);

  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
same_view (const TlTimelineView *a,
           const TlTimelineView *b)
{
  return a->width == b->width && a->height == b->height &&
         a->t0 == b->t0 && a->us_per_px == b->us_per_px && a->label_w == b->label_w;
}

/* --- lanes --- */

/* Leaves show what they returned, and so does a gather: its result
 * list, in order, with any exceptions it returned. */
static gboolean
shows_result (TlTimeline *self,
              guint32     instance)
{
  return !tl_timeline_model_is_composite (self->model, instance) ||
         tl_timeline_model_get_kind (self->model, instance) == TL_KIND_GATHER;
}

/* Whether a child was still pending when its wait returned at ret_us. */
static gboolean
pending_at (TlTimeline *self,
            guint32     child,
            gint64      ret_us)
{
  gint64 fin = tl_timeline_model_get_finished_us (self->model, child);
  TlCause cause = TL_CAUSE_NONE;

  if (fin < 0 || fin > ret_us)
    return TRUE;
  /* Cancelled by the wait itself as it returned (CancelPending). */
  tl_timeline_model_get_cause (self->model, child, &cause);
  return cause == TL_CAUSE_WAIT_PENDING;
}

/* "wait returned: 1 done · 4 pending" */
static char *
dup_wait_split (TlTimeline *self,
                guint32     wait,
                gint64      ret_us)
{
  g_autofree guint32 *children = NULL;
  guint n = 0, n_pending = 0;

  /* Counting is per frame: a wait of more children than this says
   * nothing rather than cost O(children) while drawing. */
  children = tl_timeline_model_dup_children (self->model, wait, MAX_WAIT_SPLIT + 1, &n);
  if (n > MAX_WAIT_SPLIT)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (pending_at (self, children[i], ret_us))
      n_pending++;
  /* TRANSLATORS: what a wait returned with: "wait returned: 1 done · 4 pending" */
  return g_strdup_printf (_("wait returned: %u done · %u pending"), n - n_pending, n_pending);
}

static void
draw_marker (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view,
             guint32               instance,
             double                y,
             double                h)
{
  const TlTimelinePalette *p = &self->palette;
  gint64 final_us;
  TlMarker marker = tl_timeline_model_get_marker (self->model, instance, &final_us);
  const GdkRGBA *color;
  double x;

  if (marker == TL_MARKER_NONE)
    return;
  /* A task that never started has its ghost instead (draw_ghosts). */
  if (tl_timeline_model_get_state (self->model, instance) == TL_STATE_NEVER_STARTED)
    return;

  x = view_time_to_x (view, (double) final_us);
  if (x < view->label_w - 16 || x > view->width + 2)
    return;

  switch (marker)
    {
    case TL_MARKER_OK:
      color = &p->ok;
      break;
    case TL_MARKER_FAILED:
      color = &p->failed;
      break;
    case TL_MARKER_TIMED_OUT:
      color = &p->timed_out;
      break;
    case TL_MARKER_CANCELLED:
    case TL_MARKER_NONE:
    default:
      color = &p->cancelled;
      break;
    }

  /* An end cap in the final state's colour exactly where it ended, and
   * its shape just after it: the shape, not the colour, tells the state. */
  append_rect (snapshot, color, round (x) - 2, y, 3, h);
  append_node_at (snapshot, self->markers[marker], round (x) + 3, round (y + h / 2 - 7));

  /* After the end nothing else is drawn on the lane: room for what the
   * task returned or raised, so results and errors read at a glance. */
  if (x + 22 < view->width - 40)
    {
      TlTrace *trace = tl_timeline_model_get_trace (self->model);
      g_autofree char *owned = NULL;
      const char *text = NULL;
      const GdkRGBA *text_color = &p->fg_dim;

      if (marker == TL_MARKER_FAILED)
        {
          text = owned = _tl_timeline_shorten_error (tl_trace_get_error (trace, instance));
          text_color = color;
        }
      else if (marker == TL_MARKER_OK && shows_result (self, instance))
        text = tl_trace_get_result (trace, instance);
      else if (tl_timeline_model_get_kind (self->model, instance) == TL_KIND_WAIT)
        text = owned = dup_wait_split (self, instance, final_us);

      if (text != NULL && *text != '\0')
        {
          g_autofree char *line = g_strdelimit (g_strdup (text), "\n\r\t", ' ');
          double room = MIN (320, view->width - (x + 20) - 4);
          char *where;

          /* An error's reason matters more than where it happened: drop
           * the " · /path" before cutting the reason. */
          if (marker == TL_MARKER_FAILED && measure_text (self, line) > room &&
              (where = g_strrstr (line, " · ")) != NULL)
            *where = '\0';
          append_text (self, snapshot, line, text_color, round (x) + 20, y + h / 2, room, FALSE);
        }
    }
}

static void
draw_deadlines (TlTimeline           *self,
                GtkSnapshot          *snapshot,
                const TlTimelineView *view,
                guint32               instance,
                double                y0,
                double                y1)
{
  const TlTimelinePalette *p = &self->palette;

  for (guint kind = 0; kind <= 1; kind++)
    {
      gint64 deadline = tl_timeline_model_get_deadline (self->model, instance, kind);
      double x;

      if (deadline < 0)
        continue;
      x = round (view_time_to_x (view, (double) deadline));
      if (x < view->label_w || x >= view->width)
        continue;

      /* Dashed for Timeout, dotted for MaxWait, 3 px wide, with a flag
       * and what the deadline is, left of the line in the task's own
       * lane ("Timeout 1.00 s"). */
      for (double y = y0; y < y1; y += kind == 0 ? 7 : 5)
        append_rect (snapshot, &p->deadline, x - 1, y, 3, MIN (kind == 0 ? 4 : 3, y1 - y));
      append_rect (snapshot, &p->deadline, x - 1, y0, 7, 4);
      {
        const TlTaskSpec *spec = spec_of_instance (self, instance);
        gint64 value = spec == NULL ? -1 : kind == 0 ? spec->timeout_us : spec->max_wait_us;
        g_autofree char *dur = tl_time_format (value >= 0 ? value : deadline - tl_timeline_model_get_created_us (self->model, instance));
        /* TRANSLATORS: the label of a deadline line: "Timeout 1.00 s",
         * "MaxWait 1.20 s" (the preset keys) */
        g_autofree char *text = g_strdup_printf (kind == 0 ? _("Timeout %s") : _("MaxWait %s"), dur);
        int w = measure_text (self, text);

        if (x - w - 14 >= view->label_w)
          {
            GdkRGBA plate = p->bg;

            plate.alpha = 0.85f;
            append_rect (snapshot, &plate, x - w - 10, y0 + 3, w + 8, LANE_H - 6);
            append_text (self, snapshot, text, &p->deadline, x - w - 6, y0 + LANE_H / 2.0, -1, FALSE);
          }
      }
    }
}

static void
draw_bracket (TlTimeline           *self,
              GtkSnapshot          *snapshot,
              const TlTimelineView *view,
              guint                 lane,
              guint32               instance)
{
  const TlTimelinePalette *p = &self->palette;
  int end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
  double y0, y1, xs, xe;
  gint64 start = tl_timeline_model_get_created_us (self->model, instance);
  gint64 end = tl_timeline_model_get_finished_us (self->model, instance);

  if (end_lane <= (int) lane)
    return;
  if (end < 0)
    end = current_now (self);

  y0 = lane_top (self, view, lane) + LANE_H / 2.0;
  y1 = lane_top (self, view, end_lane) + LANE_H - 2;
  xs = round (view_time_to_x (view, (double) start));
  xe = round (view_time_to_x (view, (double) end));

  /* "[" at the start and "]" at the end, spanning the children. */
  if (xs >= view->label_w - 4 && xs < view->width)
    {
      append_rect (snapshot, &p->bracket, xs, y0, 1, y1 - y0);
      append_rect (snapshot, &p->bracket, xs, y1 - 1, 4, 1);
    }
  if (xe >= view->label_w && xe < view->width + 4 && tl_timeline_model_get_finished_us (self->model, instance) >= 0)
    {
      append_rect (snapshot, &p->bracket, xe - 1, y0, 1, y1 - y0);
      append_rect (snapshot, &p->bracket, xe - 4, y1 - 1, 4, 1);
    }
}

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
          if (h != run_h)
            {
              append_rect (snapshot, &p->loop_busy, run_x0, bottom - run_h, x - run_x0, run_h);
              run_x0 = x;
              run_h = h;
            }
        }
      append_rect (snapshot, &p->loop_busy, run_x0, bottom - run_h, x_now - run_x0, run_h);

      /* Lags: where a timer fired late, a line from when it was due to
       * when it ran and a tick there; one per pixel column at most. */
      v = tl_timeline_model_get_lags (self->model, &n);
      {
        guint i = intervals_gallop (v, 0, n, now, t_start);

        while (i < n && v[i].start_us < t_end)
          {
            double xs = MAX (view_time_to_x (view, (double) v[i].start_us), view->label_w);
            double xe = round (view_time_to_x (view, (double) v[i].end_us));

            append_rect (snapshot, &p->timed_out, xs, bottom - 2, MAX (xe - xs, 1), 2);
            if (xe >= view->label_w)
              append_rect (snapshot, &p->timed_out, xe - 1, bottom - 9, 2, 9);
            i = intervals_gallop (v, i + 1, n, now, view_x_to_time (view, xe + 1));
          }
      }

      /* Stalls over the busy bars: red stripes with what held the loop. */
      v = tl_timeline_model_get_stalls (self->model, &n);
      for (guint i = tl_timeline_model_find_stall (self->model, (gint64) t_start);
           i < n && v[i].start_us < t_end; i++)
        {
          double x0 = view_time_to_x (view, MAX (v[i].start_us, t_start));
          double x1 = view_time_to_x (view, MIN (v[i].end_us, t_end));

          append_pattern (self, snapshot, TRUE, &p->blocked_bg,
                          x0, y + BAR_PAD, MAX (x1 - x0, 1), SUMMARY_H - 2 * BAR_PAD);
          if (x1 - x0 > 40)
            {
              g_autofree char *dur = tl_time_format (v[i].end_us - v[i].start_us);
              g_autofree char *culprit = v[i].extra != TL_NO_INSTANCE && v[i].extra < tl_timeline_model_get_n_instances (self->model)
                ? tl_trace_dup_label (tl_timeline_model_get_trace (self->model), v[i].extra) : NULL;
              g_autofree char *longer = culprit ? g_strdup_printf (_("blocked %s by %s"), dur, culprit) : NULL;
              g_autofree char *shorter = g_strdup_printf (_("blocked %s"), dur);
              const char *texts[] = { longer, shorter, dur };

              append_fitting_plate (self, snapshot, texts, G_N_ELEMENTS (texts), x0 + 4, y + SUMMARY_H / 2.0, x1 - x0 - 8);
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

              append_pattern (self, snapshot, TRUE, &p->blocked_bg,
                              x0, y + BAR_PAD, x1 - x0, SUMMARY_H - 2 * BAR_PAD);
              append_fitting_plate (self, snapshot, texts, G_N_ELEMENTS (texts), x0 + 4, y + SUMMARY_H / 2.0, x1 - x0 - 8);
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
        lo = steps_gallop (steps, cursor, n, t, TRUE);
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
            lo = steps_gallop (steps, lo, n, t_next, FALSE);
            last = lo - 1;
            cursor = lo;
            tl_timeline_model_get_steps_peak (self->model, lane, first, last, &peak_a, &peak_sum);

            ha = round (chart_h * peak_a / max);
            hb = round (chart_h * peak_sum / max) - ha;
            if (peak_a > 0 && ha < 1)
              ha = 1;
            if (peak_sum > peak_a && hb < 1)
              hb = 1;
            x_next = last == first && last + 1 < n
              ? ceil (view_time_to_x (view, (double) steps[last + 1].time_us))
              : last + 1 < n ? x + 1 : x_now;
          }
        x_next = MIN (MAX (x_next, x + 1), x_now);

        if (ha != run_ha || hb != run_hb)
          {
            append_rect (snapshot, &p->chart_a, run_x0, bottom - run_ha, x - run_x0, run_ha);
            append_rect (snapshot, &p->chart_b, run_x0, bottom - run_ha - run_hb, x - run_x0, run_hb);
            run_x0 = x;
            run_ha = ha;
            run_hb = hb;
          }
        x = x_next;
      }
    append_rect (snapshot, &p->chart_a, run_x0, bottom - run_ha, x - run_x0, run_ha);
    append_rect (snapshot, &p->chart_b, run_x0, bottom - run_ha - run_hb, x - run_x0, run_hb);
  }
}

/* The x range [t0, t1] covers in the plot, clipped; FALSE when outside. */
static gboolean
clip_span (const TlTimelineView *view,
           double                t0,
           double                t1,
           double               *x0,
           double               *x1)
{
  *x0 = MAX (view_time_to_x (view, t0), view->label_w - 1);
  *x1 = MIN (view_time_to_x (view, t1), view->width + 1);
  return *x1 > *x0;
}

#define MAX_WORDED_INTERVALS 16

/* What a task is doing, in words a learner reads off the bar. */
static const char *
state_words (TlTimeline *self,
             guint32     instance,
             guint32     state)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  const TlInstance *inst = tl_trace_get_instance (trace, instance);
  TlKind kind = inst != NULL ? (TlKind) inst->kind : TL_KIND_SLEEP;
  TlOn on = inst != NULL ? (TlOn) inst->on : TL_ON_LOOP;

  switch (state)
    {
    case TL_STATE_QUEUED:
      return kind == TL_KIND_FETCH ? _("queued for a connection") : _("queued for a worker");
    case TL_STATE_WAITING:
      if (kind == TL_KIND_SLEEP)
        return _("waiting on a timer");
      if (kind == TL_KIND_FETCH)
        return _("waiting for the server");
      if (on != TL_ON_LOOP)
        return _("waiting for the result");
      return NULL;
    case TL_STATE_RUNNING:
      return on == TL_ON_THREAD ? _("running on a thread")
           : on == TL_ON_PROCESS ? _("running in a process")
           : _("running on the loop");
    case TL_STATE_BLOCKED:
      return _("ready, but the loop is held");
    default:
      return NULL;
    }
}

/* The state in words inside bars wide enough to hold them whole, for
 * leaf lanes of a few intervals (a constant per lane). */
static void
draw_state_words (TlTimeline           *self,
                  RowPainter           *row,
                  const TlTimelineView *view,
                  guint32               instance,
                  const TlInterval     *v,
                  guint                 n)
{
  const TlTimelinePalette *p = &self->palette;
  gint64 now = current_now (self);

  if (n > MAX_WORDED_INTERVALS || row->composite)
    return;
  for (guint i = 0; i < n; i++)
    {
      const char *words = state_words (self, instance, v[i].state);
      double x0, x1;
      int w;

      if (words == NULL || !clip_span (view, (double) v[i].start_us, (double) interval_end (&v[i], now), &x0, &x1))
        continue;
      if (x1 - x0 < 60)
        continue;
      w = -1;
      for (guint k = 0; k < G_N_ELEMENTS (self->word_text) && w < 0; k++)
        if (self->word_text[k] == words)
          w = self->word_w[k];
        else if (self->word_text[k] == NULL)
          {
            self->word_text[k] = words;
            w = self->word_w[k] = measure_text (self, words);
          }
      if (w < 0)
        w = measure_text (self, words);
      if (w + 12 > x1 - x0)
        continue;
      if (v[i].state == TL_STATE_RUNNING)
        {
          GdkRGBA on_bar = p->bg;

          append_text (self, row->snapshot, words, &on_bar, round (x0) + 6, row->y + row->h / 2, -1, FALSE);
        }
      else if (v[i].state == TL_STATE_WAITING)
        append_text (self, row->snapshot, words, &p->fg, round (x0) + 6, row->y + row->h / 2, -1, FALSE);
      else
        append_label_plate (self, row->snapshot, words, round (x0) + 3, row->y + row->h / 2, w + 9);
    }
}

/* What a task lane shows beyond its state intervals. Each costs a
 * constant per visible lane. */
static void
draw_extras (TlTimeline           *self,
             RowPainter           *row,
             const TlTimelineView *view,
             guint32               instance,
             const TlInterval     *v,
             guint                 n)
{
  const TlTimelinePalette *p = &self->palette;
  GtkSnapshot *snapshot = row->snapshot;
  TlState state = tl_timeline_model_get_state (self->model, instance);
  gint64 now = current_now (self);
  gint64 fin = tl_timeline_model_get_finished_us (self->model, instance);
  TlKind kind = tl_timeline_model_get_kind (self->model, instance);
  guint32 parent = tl_timeline_model_get_parent (self->model, instance);
  double x0, x1;
  GdkRGBA faint = p->fg_dim;

  faint.alpha *= 0.8f;

  /* Never started: a dashed, empty outline across the section, with
   * the reason written in it; nothing else. */
  if (state == TL_STATE_NEVER_STARTED)
    {
      gint64 s0 = tl_timeline_model_get_created_us (self->model, instance), s1 = -1;

      tl_timeline_model_get_section_span (self->model, instance, NULL, &s1);
      if (s1 < 0)
        s1 = MAX (now, fin);
      s1 = MAX (s1, s0);
      if (clip_span (view, (double) s0, (double) s1, &x0, &x1))
        {
          x1 = MAX (x1, x0 + 24);
          append_dashed_box (snapshot, &faint, round (x0), round (x1), row->y, row->h);
          append_text_whole (self, snapshot, _("never started"), &p->fg_dim,
                             round (x0) + 6, row->y + row->h / 2, x1 - x0 - 12, FALSE);
        }
      return;
    }

  /* A failed task's bar ends in the failure colour: the last quarter of
   * its last segment (at least 8 px), so the error reads as where the
   * work ended while what it was doing stays visible. */
  if (state == TL_STATE_FAILED && n > 0 && !row->composite)
    {
      const TlInterval *last = &v[n - 1];
      double xs = view_time_to_x (view, (double) last->start_us);
      double xe = view_time_to_x (view, (double) interval_end (last, now));
      double tail = MIN (xe - xs, MAX (8, (xe - xs) * 0.25));

      x0 = MAX (xe - tail, view->label_w);
      x1 = MIN (xe, view->width);
      if (x1 > x0)
        {
          double h = last->state == TL_STATE_WAITING || last->state == TL_STATE_CREATED ? row->h * 0.5 : row->h;

          append_rect (snapshot, &p->failed, x0, row->y + (row->h - h) / 2, x1 - x0, h);
        }
    }

  /* HTTP phases once the fetch has finished: connecting (and DNS, TLS)
   * lighter, the body solid; waiting for the first byte stays the
   * waiting bar. ⇄ (in the fonts GNOME ships, unlike ↺) marks a reused
   * connection. */
  if (kind == TL_KIND_FETCH && fin >= 0)
    {
      const TlHttpDetails *http = tl_trace_get_http (tl_timeline_model_get_trace (self->model), instance);

      if (http != NULL)
        {
          const gint64 spans[3][2] = {
            { http->dns_start_us, http->dns_end_us },
            { http->connect_start_us, http->connect_end_us },
            { http->tls_start_us, http->tls_end_us },
          };

          for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
            if (spans[i][0] >= 0 && spans[i][1] > spans[i][0] &&
                clip_span (view, (double) spans[i][0], (double) spans[i][1], &x0, &x1))
              append_rect (snapshot, &p->chart_b, x0, row->y + 1, MAX (x1 - x0, 1), row->h - 2);
          if (http->first_byte_us >= 0 && http->end_us > http->first_byte_us &&
              clip_span (view, (double) http->first_byte_us, (double) http->end_us, &x0, &x1))
            append_rect (snapshot, state == TL_STATE_FAILED ? &p->failed : &p->running,
                         x0, row->y, MAX (x1 - x0, 1), row->h);
          if (http->connection_reused)
            {
              double xs = view_time_to_x (view, (double) MAX (http->fetch_start_us, 0));

              if (xs - 14 >= view->label_w)
                append_text (self, snapshot, "⇄", &p->fg_dim, xs - 13, row->y + row->h / 2, -1, FALSE);
            }
        }
    }

  /* Cut off before its time: the rest of what it was going to take, as a
   * faint dashed ghost. */
  if ((state == TL_STATE_CANCELLED || state == TL_STATE_TIMED_OUT) && fin >= 0 && !row->composite)
    {
      gint64 planned = planned_duration (self, instance);
      gint64 started = tl_timeline_model_get_started_us (self->model, instance);

      if (planned > 0 && started >= 0 && started + planned > fin &&
          clip_span (view, (double) fin, (double) (started + planned), &x0, &x1))
        {
          g_autofree char *until = tl_time_format (started + planned);
          /* TRANSLATORS: the ghost of a cancelled task: "would have ended at 3.40 s" */
          g_autofree char *text = g_strdup_printf (_("would have ended at %s"), until);

          append_dashed_box (snapshot, &faint, round (x0), round (x1), row->y + 2, row->h - 4);
          append_text_whole (self, snapshot, text, &p->fg_dim, round (x0) + 22, row->y + row->h / 2,
                             x1 - x0 - 24, FALSE);
        }
    }

  /* Still pending when the wait it belongs to returned: outlined from
   * that moment, with a chip, so pending never reads as done. */
  if (parent != TL_NO_INSTANCE && tl_timeline_model_get_kind (self->model, parent) == TL_KIND_WAIT)
    {
      gint64 ret = tl_timeline_model_get_finished_us (self->model, parent);

      if (ret >= 0 && pending_at (self, instance, ret))
        {
          gint64 end = fin >= 0 ? fin : now;
          double xr = round (view_time_to_x (view, (double) ret));
          const char *chip = _("pending");
          int w = measure_text (self, chip);
          double xc;

          if (end > ret && clip_span (view, (double) ret, (double) end, &x0, &x1))
            append_dashed_box (snapshot, &p->deadline, round (x0), round (x1), row->y - 1, row->h + 2);
          /* Right of the line while it still runs; right of the ⊘ when
           * the wait cancelled it on return. */
          xc = end > ret ? xr + 4 : xr + 20;
          if (xc >= view->label_w && xc + w + 8 < view->width)
            append_label_plate (self, snapshot, chip, xc, row->y + row->h / 2, w + 9);
        }
    }

  /* Overdue while the loop is held: a sleeping task whose timer is due
   * but cannot run is blocked, live, not only after the run. */
  if (self->live && fin < 0 && n > 0 && v[n - 1].end_us == G_MAXINT64 &&
      v[n - 1].state == TL_STATE_WAITING && kind == TL_KIND_SLEEP)
    {
      gint64 planned = planned_duration (self, instance);
      gint64 due = planned >= 0 ? v[n - 1].start_us + planned : G_MAXINT64;

      if (due < now && (self->stall_us > 0 || now - due > 50000) &&
          clip_span (view, (double) due, (double) now, &x0, &x1))
        append_pattern (self, snapshot, TRUE, &p->blocked_bg, x0, row->y, x1 - x0, row->h);
    }
}

static void
draw_task_lane (TlTimeline           *self,
                GtkSnapshot          *snapshot,
                const TlTimelineView *view,
                guint                 lane,
                double                y)
{
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
  guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
  const TlInterval *v;
  guint n;
  RowPainter row = { self, snapshot, y + BAR_PAD, LANE_H - 2 * BAR_PAD, kind, FALSE };

  row.composite = kind == TL_LANE_TASK && tl_timeline_model_is_composite (self->model, instance);
  v = tl_timeline_model_get_intervals (self->model, lane, &n);
  paint_intervals (&row, view, v, n, current_now (self));

  if (kind == TL_LANE_SECTION)
    {
      if (n > 0)
        {
          gint64 end = v[0].end_us == G_MAXINT64 ? current_now (self) : v[0].end_us;
          double x0 = MAX (view_time_to_x (view, (double) v[0].start_us), view->label_w);
          double x1 = MIN (view_time_to_x (view, (double) end), view->width);
          g_autofree char *dur = tl_time_format (end - v[0].start_us);

          append_text_whole (self, snapshot, dur, &self->palette.fg, x0 + 5, y + LANE_H / 2.0, x1 - x0 - 8, TRUE);
        }
      return;
    }

  draw_extras (self, &row, view, instance, v, n);
  draw_state_words (self, &row, view, instance, v, n);
  draw_marker (self, snapshot, view, instance, y + BAR_PAD, LANE_H - 2 * BAR_PAD);
}

/* An elbow arrow: out to the right of both ends, down (or up), and back
 * in with a head; straight pieces stay crisp at any scale. */
static void
draw_arrow (GtkSnapshot   *snapshot,
            const GdkRGBA *color,
            double         x1,
            double         y1,
            double         x2,
            double         y2)
{
  double xr = round (MAX (x1, x2) + 8);

  x1 = round (x1);
  x2 = round (x2);
  y1 = round (y1);
  y2 = round (y2);
  append_rect (snapshot, color, x1, y1, xr - x1 + 1, 1);
  append_rect (snapshot, color, xr, MIN (y1, y2), 1, fabs (y2 - y1) + 1);
  append_rect (snapshot, color, x2 + 4, y2, xr - x2 - 4, 1);
  append_triangle (snapshot, color, x2, y2 + 0.5, 5, 180);
}

#define MAX_ERROR_PATH_INSTANCES 300

/* An elbow on the left of two end caps: back from the first, along, and
 * into the second with a head, so it never crosses the text after the
 * markers. */
static void
draw_arrow_left (GtkSnapshot   *snapshot,
                 const GdkRGBA *color,
                 double         x1,
                 double         y1,
                 double         x2,
                 double         y2)
{
  double xl = round (MIN (x1, x2) - 10);

  x1 = round (x1);
  x2 = round (x2);
  y1 = round (y1);
  y2 = round (y2);
  append_rect (snapshot, color, xl, y1, x1 - 3 - xl, 2);
  append_rect (snapshot, color, xl, MIN (y1, y2), 2, fabs (y2 - y1) + 2);
  append_rect (snapshot, color, xl, y2, x2 - 8 - xl, 2);
  append_triangle (snapshot, color, x2 - 3, y2 + 1, 5, 0);
}

/* Where the error a failed task raised came from: the failed task with
 * the same error that ended last before it (a child of a gather, the task
 * an await waited on), never one of its ancestors. */
static guint32
error_source (TlTimeline *self,
              guint32     x,
              guint       n_instances)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  const char *err = tl_trace_get_error (trace, x);
  gint64 fx = tl_timeline_model_get_finished_us (self->model, x);
  guint32 best = TL_NO_INSTANCE;
  gint64 best_t = -1;
  g_autofree guint32 *children = NULL;
  guint n_candidates = n_instances;

  if (err == NULL || fx < 0)
    return TL_NO_INSTANCE;
  /* A large run looks among the task's own children only: a frame must
   * not scan a million instances. */
  if (n_instances > MAX_ERROR_PATH_INSTANCES)
    children = tl_timeline_model_dup_children (self->model, x, MAX_ERROR_PATH_INSTANCES, &n_candidates);
  for (guint k = 0; k < n_candidates; k++)
    {
      guint32 y = children != NULL ? children[k] : k;
      gint64 fy;
      gboolean ancestor = FALSE;

      if (y == x || tl_timeline_model_get_state (self->model, y) != TL_STATE_FAILED)
        continue;
      fy = tl_timeline_model_get_finished_us (self->model, y);
      if (fy < 0 || fy > fx || fy < best_t || g_strcmp0 (tl_trace_get_error (trace, y), err) != 0)
        continue;
      for (guint32 a = tl_timeline_model_get_parent (self->model, x); a != TL_NO_INSTANCE;
           a = tl_timeline_model_get_parent (self->model, a))
        if (a == y)
          ancestor = TRUE;
      if (ancestor)
        continue;
      /* At the same time, the deeper one is where it started. */
      if (fy == best_t && best != TL_NO_INSTANCE &&
          tl_timeline_model_get_parent (self->model, y) != best)
        continue;
      best = y;
      best_t = fy;
    }
  return best;
}

/* Red arrows from a failed task's ✗ to the ✗ of the task its error
 * travelled to: always for small runs, else for the focused task. */
static void
draw_error_paths (TlTimeline           *self,
                  GtkSnapshot          *snapshot,
                  const TlTimelineView *view)
{
  guint n = tl_timeline_model_get_n_instances (self->model);
  guint32 focus[2] = { self->selected, self->hovered };
  GdkRGBA color = self->palette.failed;

  color.alpha *= 0.75f;
  for (guint32 i = 0; i < (n <= MAX_ERROR_PATH_INSTANCES ? n : 2); i++)
    {
      guint32 x = n <= MAX_ERROR_PATH_INSTANCES ? i : focus[i];
      guint32 from;
      int lf, lt;

      if (x == TL_NO_INSTANCE || x >= n || tl_timeline_model_get_state (self->model, x) != TL_STATE_FAILED)
        continue;
      from = error_source (self, x, n);
      if (from == TL_NO_INSTANCE)
        continue;
      lf = tl_timeline_model_find_lane (self->model, from);
      lt = tl_timeline_model_find_lane (self->model, x);
      if (lf < 0 || lt < 0)
        continue;
      draw_arrow_left (snapshot, &color,
                       view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, from)),
                       lane_top (self, view, lf) + LANE_H / 2.0,
                       view_time_to_x (view, (double) tl_timeline_model_get_finished_us (self->model, x)),
                       lane_top (self, view, lt) + LANE_H / 2.0);
    }
}

/* Thin arrows from a timeout or a failed sibling to what it cancelled,
 * for the selected and the hovered task. */
static void
draw_causes (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view)
{
  guint32 focus[2] = { self->selected, self->hovered };

  for (guint f = 0; f < G_N_ELEMENTS (focus); f++)
    {
      guint32 x = focus[f];
      guint32 cause;
      g_autofree guint32 *caused = NULL;
      guint n_caused = 0;
      GArray *pairs;

      if (x == TL_NO_INSTANCE || (f == 1 && x == self->selected))
        continue;

      pairs = g_array_new (FALSE, FALSE, sizeof (guint32));
      cause = tl_timeline_model_get_cause (self->model, x, NULL);
      if (cause != TL_NO_INSTANCE)
        {
          g_array_append_val (pairs, cause);
          g_array_append_val (pairs, x);
        }
      caused = tl_timeline_model_dup_caused (self->model, x, MAX_ARROWS, &n_caused);
      for (guint i = 0; i < n_caused; i++)
        {
          g_array_append_val (pairs, x);
          g_array_append_val (pairs, caused[i]);
        }

      for (guint i = 0; i + 1 < pairs->len; i += 2)
        {
          guint32 from = g_array_index (pairs, guint32, i);
          guint32 to = g_array_index (pairs, guint32, i + 1);
          int lf = tl_timeline_model_find_lane (self->model, from);
          int lt = tl_timeline_model_find_lane (self->model, to);
          gint64 tf = tl_timeline_model_get_finished_us (self->model, from);
          gint64 tt = tl_timeline_model_get_finished_us (self->model, to);
          double y1, y2;

          if (lf < 0 || lt < 0 || tt < 0)
            continue;
          if (tf < 0 || tf > tt)
            tf = tt;

          y1 = lane_top (self, view, lf) + LANE_H / 2.0;
          y2 = lane_top (self, view, lt) + LANE_H / 2.0;
          /* From just after the cause's marker to just after the
           * cancelled task's marker. */
          draw_arrow (snapshot, &self->palette.cause,
                      view_time_to_x (view, (double) tf) + 19, y1,
                      view_time_to_x (view, (double) tt) + 19, y2);
        }
      g_array_unref (pairs);
    }

}

static void
draw_labels (TlTimeline           *self,
             GtkSnapshot          *snapshot,
             const TlTimelineView *view,
             guint                 first,
             guint                 last)
{
  const TlTimelinePalette *p = &self->palette;
  guint n_summary = n_summary_lanes (self);

  append_rect (snapshot, &p->label_bg, 0, RULER_H, view->label_w, view->height - RULER_H);

  for (guint pass = 0; pass < 2; pass++)
    {
      guint from = pass == 0 ? 0 : first;
      guint to = pass == 0 ? n_summary : last;
      double clip_top = pass == 0 ? RULER_H : task_area_top (self);

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, clip_top, view->label_w, view->height - clip_top));
      for (guint lane = from; lane < to; lane++)
        {
          TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
          guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
          double y = lane_top (self, view, lane);
          double h = lane_height (self, lane);
          double x = 8;
          g_autofree char *label = tl_timeline_model_dup_lane_label (self->model, lane);

          if (kind == TL_LANE_TASK)
            {
              x += INDENT * tl_timeline_model_get_lane_depth (self->model, lane);
              if (tl_timeline_model_is_composite (self->model, instance))
                append_node_at (snapshot,
                                self->disclosure[tl_timeline_model_get_collapsed (self->model, instance) ? 1 : 0],
                                x, round (y + h / 2 - 5));
              x += 14;
            }

          if (kind == TL_LANE_LOOP)
            {
              gint64 lag_us = tl_timeline_model_get_max_lag_us (self->model);

              /* Under 20 ms a lag is the machine, not the program: the
               * lane shows nothing there either. */
              if (lag_us >= TL_TIMELINE_MIN_LAG_US)
                {
                  g_autofree char *lag_time = tl_time_format (lag_us);
                  /* TRANSLATORS: the event loop's worst lag, e.g. "max lag 1.40 s" */
                  g_autofree char *lag = g_strdup_printf (_("max lag %s"), lag_time);

                  append_text (self, snapshot, label, &p->fg, x, y + h / 2 - 7, view->label_w - x - 6, TRUE);
                  append_text_whole (self, snapshot, lag, &p->fg_dim, x, y + h / 2 + 8, view->label_w - x - 6, FALSE);
                }
              else
                append_text (self, snapshot, label, &p->fg, x, y + h / 2, view->label_w - x - 6, TRUE);
            }
          else if (kind == TL_LANE_THREADS || kind == TL_LANE_PROCESSES ||
                   kind == TL_LANE_HTTP || kind == TL_LANE_CONCURRENCY)
            {
              gint32 pa = 0, pb = 0;
              g_autofree char *sa = NULL, *sb = NULL, *peaks = NULL;

              /* Two numbers, never their sum: "2 busy · 3 queued" reads
               * right, "peak 5" reads as five threads. */
              tl_timeline_model_get_chart_peaks (self->model, lane, &pa, &pb);
              sa = format_count (pa);
              sb = format_count (pb);
              if (kind == TL_LANE_CONCURRENCY)
                /* TRANSLATORS: peaks of the concurrency chart */
                peaks = g_strdup_printf (_("%s running · %s waiting"), sa, sb);
              else if (kind == TL_LANE_HTTP)
                /* TRANSLATORS: peaks of the HTTP connections chart */
                peaks = g_strdup_printf (_("%s in flight · %s queued"), sa, sb);
              else
                /* TRANSLATORS: peaks of a pool chart: "2 busy · 3 queued" */
                peaks = g_strdup_printf (_("%s busy · %s queued"), sa, sb);
              append_text (self, snapshot, label, &p->fg, x, y + h / 2 - 7, view->label_w - x - 6, TRUE);
              append_text_whole (self, snapshot, peaks, &p->fg_dim, x, y + h / 2 + 8, view->label_w - x - 6, FALSE);
            }
          else
            {
              gboolean ghost = kind == TL_LANE_TASK &&
                tl_timeline_model_get_state (self->model, instance) == TL_STATE_NEVER_STARTED;

              /* The end of a name tells lanes apart ("…/users/6"):
               * ellipsize in the middle. */
              self->ellipsize = PANGO_ELLIPSIZE_MIDDLE;
              append_text (self, snapshot, label, ghost ? &p->fg_dim : &p->fg, x, y + h / 2, view->label_w - x - 6,
                           kind != TL_LANE_TASK || instance == self->selected);
            }
        }
      gtk_snapshot_pop (snapshot);
    }

  append_rect (snapshot, &p->separator, view->label_w - 1, RULER_H, 1, view->height - RULER_H);
}

static GskRenderNode *
render_view (TlTimeline           *self,
             const TlTimelineView *view)
{
  const TlTimelinePalette *p;
  GtkSnapshot *snapshot;
  guint n_lanes, n_summary, first, last;
  double top;
  gint64 now;

  ensure_style_caches (self);
  p = &self->palette;
  snapshot = gtk_snapshot_new ();

  append_rect (snapshot, &p->bg, 0, 0, view->width, view->height);

  /* Before the first run there is nothing to measure: a hint, not a
   * ruler of made-up times. */
  if (self->model == NULL || tl_timeline_model_get_n_instances (self->model) == 0)
    {
      const char *hint = _("Press Run to start");
      int w = measure_text (self, hint);

      append_text (self, snapshot, hint, &p->fg_dim, round ((view->width - w) / 2.0),
                   round (MIN (view->height / 2.0, 160)), -1, TRUE);
      return gtk_snapshot_free_to_node (snapshot);
    }

  /* Ruler and grid: cached unless this is an export. */
  if (view->use_cache)
    {
      if (self->static_node == NULL || !same_view (&self->static_view, view))
        {
          g_clear_pointer (&self->static_node, gsk_render_node_unref);
          self->static_node = build_static_layer (self, view);
          self->static_view = *view;
        }
      gtk_snapshot_append_node (snapshot, self->static_node);
    }
  else
    {
      GskRenderNode *node = build_static_layer (self, view);

      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }

  now = current_now (self);
  n_lanes = tl_timeline_model_get_n_lanes (self->model);
  n_summary = n_summary_lanes (self);
  top = task_area_top (self);

  /* Visible task lanes only. */
  first = n_summary + (guint) MAX (0, floor (view->v / LANE_H));
  last = MIN (n_lanes, n_summary + (guint) ceil ((view->v + view->height - top) / LANE_H) + 1);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, RULER_H,
                                                         view->width - view->label_w, view->height - RULER_H));

  /* Summary lanes, pinned. */
  for (guint lane = 0; lane < n_summary; lane++)
    {
      double y = lane_top (self, view, lane);

      if (lane % 2 == 1)
        append_rect (snapshot, &p->lane_alt, view->label_w, y, view->width - view->label_w, SUMMARY_H);
      draw_summary_lane (self, snapshot, view, lane, y);
    }
  append_rect (snapshot, &p->separator, 0, top - 1, view->width, 1);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (view->label_w, top,
                                                         view->width - view->label_w, view->height - top));
  for (guint lane = first; lane < last; lane++)
    {
      double y = lane_top (self, view, lane);
      guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
      TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);

      if (kind == TL_LANE_TASK && instance == self->selected)
        append_rect (snapshot, &p->selection, 0, y, view->width, LANE_H);
      else if (kind == TL_LANE_TASK && instance == self->hovered)
        append_rect (snapshot, &p->hover, 0, y, view->width, LANE_H);
      else if (lane % 2 == 1)
        append_rect (snapshot, &p->lane_alt, 0, y, view->width, LANE_H);
      if (kind == TL_LANE_SECTION && lane > n_summary)
        append_rect (snapshot, &p->separator, 0, y, view->width, 1);

      draw_task_lane (self, snapshot, view, lane, y);
    }

  /* Brackets and deadlines span subtrees: the ancestors of the first
   * visible lane reach into view from above. */
  if (first < last)
    {
      guint32 inst = tl_timeline_model_get_lane_instance (self->model, first);

      if (tl_timeline_model_get_lane_kind (self->model, first) == TL_LANE_TASK)
        for (guint32 a = tl_timeline_model_get_parent (self->model, inst); a != TL_NO_INSTANCE;
             a = tl_timeline_model_get_parent (self->model, a))
          {
            int lane = tl_timeline_model_find_lane (self->model, a);
            int end_lane;

            if (lane < 0)
              continue;
            end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
            draw_bracket (self, snapshot, view, lane, a);
            draw_deadlines (self, snapshot, view, a, lane_top (self, view, lane),
                            lane_top (self, view, end_lane) + LANE_H);
          }
    }
  for (guint lane = first; lane < last; lane++)
    {
      guint32 instance;
      int end_lane;

      if (tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
        continue;
      instance = tl_timeline_model_get_lane_instance (self->model, lane);
      end_lane = tl_timeline_model_get_subtree_end_lane (self->model, lane);
      if (end_lane > (int) lane)
        draw_bracket (self, snapshot, view, lane, instance);
      draw_deadlines (self, snapshot, view, instance, lane_top (self, view, lane),
                      lane_top (self, view, end_lane) + LANE_H);
    }

  draw_causes (self, snapshot, view);
  draw_error_paths (self, snapshot, view);

  /* A stall going on right now reaches across every lane: nothing on
   * the loop can move while it lasts. */
  if (self->live && self->stall_us > 0)
    {
      double x0, x1;

      if (clip_span (view, (double) self->stall_start_us, (double) now, &x0, &x1))
        {
          GdkRGBA band = p->blocked;

          band.alpha = 0.12f;
          append_rect (snapshot, &band, x0, top, x1 - x0, view->height - top);
        }
    }
  gtk_snapshot_pop (snapshot);

  /* "Now" while live. */
  if (self->live)
    {
      double x = round (view_time_to_x (view, (double) now));

      if (x >= view->label_w && x < view->width)
        append_rect (snapshot, &p->now, x, RULER_H, 2, view->height - RULER_H);
    }
  gtk_snapshot_pop (snapshot);

  draw_labels (self, snapshot, view, first, last);

  /* Where the keyboard is: a bar beside the selected task while the
   * timeline has the keyboard focus. */
  if (view->use_cache && gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    {
      int lane = self->selected != TL_NO_INSTANCE ? tl_timeline_model_find_lane (self->model, self->selected) : -1;

      if (lane >= (int) n_summary && lane >= (int) first && lane < (int) last)
        {
          gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, top, view->width, view->height - top));
          append_rect (snapshot, &p->running, 0, lane_top (self, view, lane), 3, LANE_H);
          gtk_snapshot_pop (snapshot);
        }
      else
        append_rect (snapshot, &p->running, 0, RULER_H, 3, view->height - RULER_H);
    }
  if (self->live)
    {
      double x = round (view_time_to_x (view, (double) now));

      if (x >= view->label_w && x < view->width)
        append_rect (snapshot, &p->now, x - 3, RULER_H - 6, 8, 6);
    }

  return gtk_snapshot_free_to_node (snapshot);
}

GskRenderNode *
_tl_timeline_render (TlTimeline           *self,
                     const TlTimelineView *view)
{
  GskRenderNode *node;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  self->vector_tiles = !view->use_cache;
  node = render_view (self, view);
  self->vector_tiles = FALSE;
  return node;
}

/* --- the legend --- */

#define LEGEND_ROW_H 22
#define LEGEND_SWATCH_W 22
#define LEGEND_GAP 16

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
  N_KEYS
} LegendKey;

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
      append_pattern (self, snapshot, FALSE, &p->queued_bg, x, y, w, h);
      break;
    case KEY_WAITING:
      append_rect (snapshot, &p->waiting, x, y + h * 0.25, w, h * 0.5);
      break;
    case KEY_RUNNING:
      append_rect (snapshot, &p->running, x, y, w, h);
      break;
    case KEY_BLOCKED:
      append_pattern (self, snapshot, TRUE, &p->blocked_bg, x, y, w, h);
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
      append_dashed_box (snapshot, &p->fg_dim, x, x + w, y, h);
      break;
    case KEY_PENDING:
      append_dashed_box (snapshot, &p->deadline, x, x + w, y, h);
      break;
    case KEY_DEADLINE:
      for (double yy = y - 2; yy < y + h + 2; yy += 7)
        append_rect (snapshot, &p->deadline, x + w / 2 - 1, yy, 3, 4);
      break;
    case N_KEYS:
    default:
      break;
    }
  if (marker != TL_MARKER_NONE)
    append_node_at (snapshot, self->markers[marker], round (x + w / 2 - 7), round (y + h / 2 - 7));
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

  ensure_style_caches (self);
  for (LegendKey key = 0; key < N_KEYS; key++)
    {
      const char *text = legend_text (key);
      double item_w = LEGEND_SWATCH_W + 6 + measure_text (self, text);

      total += item_w + (key > 0 ? LEGEND_GAP : 0);
      if (x > x0 && x + item_w > x0 + width)
        {
          x = x0;
          y += LEGEND_ROW_H;
        }
      if (snapshot != NULL)
        {
          draw_legend_swatch (self, snapshot, key, x, y + (LEGEND_ROW_H - 12) / 2.0);
          append_text (self, snapshot, text, &self->palette.fg_dim, x + LEGEND_SWATCH_W + 6,
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
  append_rect (snapshot, &self->palette.ruler_bg, 0, 0, width, h);
  append_rect (snapshot, &self->palette.separator, 0, 0, width, 1);
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

  ensure_style_caches (self);
  append_rect (snapshot, &self->palette.bg, 0, 0, width, h);
  append_rect (snapshot, &self->palette.separator, 0, h - 1, width, 1);
  if (preset != NULL && preset->name != NULL)
    w = append_text (self, snapshot, preset->name, &self->palette.fg, 8, h / 2, width / 2.0, TRUE);
  append_text (self, snapshot, summary, &self->palette.fg_dim, 8 + w + (w > 0 ? 16 : 0), h / 2,
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
      clear_style_caches (self->painter);
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
  clear_style_caches (self->painter);
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

static void
tl_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;
  GskRenderNode *node;

  _tl_timeline_get_view (self, &view);
  node = _tl_timeline_render (self, &view);
  gtk_snapshot_append_node (snapshot, node);
  gsk_render_node_unref (node);
}

/* --- view changes --- */

static double
max_span (TlTimeline *self)
{
  return MAX (4.0 * run_end (self), 10.0 * G_USEC_PER_SEC);
}

/* A window showing [0, end_us] with room on the right for the final
 * markers drawn after each task's end. */
double
_tl_timeline_fit_span (double end_us,
                       double plot_w,
                       double end_text_px)
{
  double margin;

  plot_w = MAX (plot_w, 4 * MARKER_ROOM);
  /* About 8 % after the end, or room for the widest label drawn after a
   * marker at the very end (results, errors), up to 22 % of the plot. */
  margin = MAX (MAX (MARKER_ROOM, plot_w * 0.08), MIN (end_text_px > 0 ? end_text_px + 32 : 0, plot_w * 0.22));
  return MAX (1000.0, end_us) * plot_w / (plot_w - margin);
}

/* The widest text drawn after a marker near the end of the run (a
 * result, an error, a wait's split): what a fitted view must leave room
 * for. Only small runs are measured; a large one gets the 8 %. */
double
_tl_timeline_end_text_width (TlTimeline *self,
                             double      end_us)
{
  TlTrace *trace;
  guint n;
  double widest = 0;

  if (self->model == NULL)
    return 0;
  n = tl_timeline_model_get_n_instances (self->model);
  if (n > MAX_ERROR_PATH_INSTANCES)
    return 0;
  ensure_style_caches (self);
  trace = tl_timeline_model_get_trace (self->model);
  for (guint32 i = 0; i < n; i++)
    {
      gint64 fin = tl_timeline_model_get_finished_us (self->model, i);
      TlState state = tl_timeline_model_get_state (self->model, i);
      g_autofree char *owned = NULL;
      const char *text = NULL;

      if (fin < 0 || fin < end_us * 0.9)
        continue;
      if (state == TL_STATE_FAILED)
        text = owned = _tl_timeline_shorten_error (tl_trace_get_error (trace, i));
      else if (state == TL_STATE_OK && shows_result (self, i))
        text = tl_trace_get_result (trace, i);
      else if (tl_timeline_model_get_kind (self->model, i) == TL_KIND_WAIT)
        text = owned = dup_wait_split (self, i, fin);
      else if ((state == TL_STATE_CANCELLED || state == TL_STATE_TIMED_OUT) &&
               planned_duration (self, i) > 0 && tl_timeline_model_get_started_us (self->model, i) >= 0)
        {
          g_autofree char *until = tl_time_format (tl_timeline_model_get_started_us (self->model, i) +
                                                   planned_duration (self, i));

          text = owned = g_strdup_printf (_("would have ended at %s"), until);
        }
      if (text != NULL)
        widest = MAX (widest, MIN (320, measure_text (self, text)));
    }
  return widest;
}

static double
fit_span (TlTimeline *self)
{
  TlTimelineView view;
  gint64 end = run_end (self);

  _tl_timeline_get_view (self, &view);
  /* While live, leave room ahead so the run grows into the view. */
  if (self->live)
    return MAX (2.0 * G_USEC_PER_SEC, end * 1.25);
  return _tl_timeline_fit_span (end, view.width - view.label_w, _tl_timeline_end_text_width (self, end));
}

static void
set_view (TlTimeline *self,
          double      t0,
          double      span)
{
  span = CLAMP (span, MIN_SPAN_US, max_span (self));
  t0 = MAX (t0, 0);
  if (t0 == self->t0 && span == self->span)
    return;
  self->t0 = t0;
  self->span = span;
  configure_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_v (TlTimeline *self,
       double      v)
{
  TlTimelineView view;
  double page;

  _tl_timeline_get_view (self, &view);
  page = view.height - task_area_top (self);
  v = CLAMP (v, 0, MAX (0, task_lanes_height (self) - page));
  if (v == self->v)
    return;
  self->v = v;
  configure_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The user moved the view in time: stop following. */
static void
user_panned (TlTimeline *self)
{
  self->auto_fit = FALSE;
  if (self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
}

static void
zoom_around (TlTimeline *self,
             double      x,
             double      factor)
{
  TlTimelineView view;
  double t, span;

  _tl_timeline_get_view (self, &view);
  x = CLAMP (x, view.label_w, view.width);
  t = view_x_to_time (&view, x);
  span = CLAMP (self->span / factor, MIN_SPAN_US, max_span (self));
  self->auto_fit = FALSE;
  set_view (self, t - (x - view.label_w) * span / MAX (1.0, view.width - view.label_w), span);
}

static void
apply_follow (TlTimeline *self)
{
  gint64 now = current_now (self);

  if (self->auto_fit)
    {
      set_view (self, 0, MAX (self->span, fit_span (self)));
      return;
    }
  if (!self->follow)
    return;

  /* Keep "now" at 90 % of the plot once the run outgrows the view. */
  if (now > self->t0 + self->span * 0.9 || now < self->t0)
    set_view (self, MAX (0, now - self->span * 0.9), self->span);
}

static void
configure_adjustments (TlTimeline *self)
{
  TlTimelineView view;
  double upper, page;

  _tl_timeline_get_view (self, &view);
  self->in_configure = TRUE;
  if (self->hadj != NULL)
    {
      upper = MAX ((double) run_end (self) * 1.02, self->t0 + self->span);
      gtk_adjustment_configure (self->hadj, self->t0, 0, upper,
                                self->span / 10, self->span * 0.9, self->span);
    }
  if (self->vadj != NULL)
    {
      page = MAX (1, view.height - task_area_top (self));
      upper = MAX (task_lanes_height (self), page);
      self->v = CLAMP (self->v, 0, upper - page);
      gtk_adjustment_configure (self->vadj, self->v, 0, upper, LANE_H, page * 0.9, page);
    }
  self->in_configure = FALSE;
}

static void
hadj_value_changed_cb (TlTimeline    *self,
                       GtkAdjustment *adj)
{
  double value = gtk_adjustment_get_value (adj);

  if (self->in_configure || value == self->t0)
    return;
  user_panned (self);
  self->t0 = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
vadj_value_changed_cb (TlTimeline    *self,
                       GtkAdjustment *adj)
{
  if (self->in_configure)
    return;
  self->v = gtk_adjustment_get_value (adj);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (TlTimeline     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adj,
                GCallback       callback)
{
  if (adj != NULL && *slot == adj)
    return;
  if (adj == NULL)
    adj = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (*slot, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adj);
  g_signal_connect_swapped (adj, "value-changed", callback, self);
  configure_adjustments (self);
}

/* --- live updates --- */

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  TlTimeline *self = TL_TIMELINE (widget);
  gint64 frame = gdk_frame_clock_get_frame_time (clock);
  gint64 trace_end, estimate;

  gboolean changed;
  TlTimelineView view;
  double now_px;

  if (self->model == NULL)
    return G_SOURCE_CONTINUE;

  changed = tl_timeline_model_update (self->model);

  /* The engine's clock is not ours: extrapolate from the last event we
   * saw, and re-anchor whenever the log moves ahead of the estimate. */
  trace_end = tl_trace_get_end_us (tl_timeline_model_get_trace (self->model));
  if (self->anchor_frame_us == 0)
    {
      self->anchor_frame_us = frame;
      self->anchor_trace_us = trace_end;
    }
  estimate = self->anchor_trace_us + (frame - self->anchor_frame_us);
  if (trace_end > estimate)
    {
      self->anchor_trace_us = trace_end;
      self->anchor_frame_us = frame;
      estimate = trace_end;
    }
  /* When the window drives "now" (it sets the model's time each frame
   * from its own clock), that is the one clock: every live number, the
   * status line's and ours, reads the same "now". */
  if (self->last_set_now >= 0 && tl_timeline_model_get_now (self->model) != self->last_set_now)
    self->external_now = TRUE;
  if (!self->external_now && !tl_timeline_model_is_complete (self->model))
    {
      tl_timeline_model_set_now (self->model, estimate);
      self->last_set_now = estimate;
    }

  /* Redraw only when something visible moved (new events, "now" moved
   * by a pixel, a stall), and at most LIVE_FPS times a second; the view
   * follows and the scrollbar grows at the same pace. Under software GL
   * any redraw repaints the whole window, about 10 ms whatever it shows,
   * and doing it at the display's rate left the main loop no time for
   * anything else. */
  self->pending_change |= changed;
  if (frame - self->last_draw_us < G_USEC_PER_SEC / LIVE_FPS)
    return G_SOURCE_CONTINUE;
  _tl_timeline_get_view (self, &view);
  now_px = (double) current_now (self) / view.us_per_px - self->t0 / view.us_per_px;
  if (!self->pending_change && self->stall_us == 0 && fabs (now_px - self->last_now_px) < 1)
    return G_SOURCE_CONTINUE;

  apply_follow (self);
  configure_adjustments (self);
  update_summary (self);
  _tl_timeline_get_view (self, &view);
  now_px = (double) current_now (self) / view.us_per_px - self->t0 / view.us_per_px;
    {
      /* New lanes may have moved the one under the pointer. */
      if (self->pending_change)
        gtk_widget_trigger_tooltip_query (widget);
      self->pending_change = FALSE;
      self->last_draw_us = frame;
      self->last_now_px = now_px;
      gtk_widget_queue_draw (widget);
    }

  return G_SOURCE_CONTINUE;
}

static void
model_changed_cb (TlTimeline      *self,
                  TlTimelineModel *model)
{
  if (self->live)
    return;   /* the tick callback redraws */
  apply_follow (self);
  configure_adjustments (self);
  update_summary (self);
  update_actions (self);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- public API --- */

GtkWidget *
tl_timeline_new (void)
{
  return g_object_new (TL_TYPE_TIMELINE, NULL);
}

void
tl_timeline_set_model (TlTimeline      *self,
                       TlTimelineModel *model)
{
  g_return_if_fail (TL_IS_TIMELINE (self));
  g_return_if_fail (model == NULL || TL_IS_TIMELINE_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_handler, self->model);
  g_set_object (&self->model, model);

  if (self->selected != TL_NO_INSTANCE)
    {
      self->selected = TL_NO_INSTANCE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TASK]);
    }
  self->hovered = TL_NO_INSTANCE;
  self->stall_us = 0;
  self->anchor_frame_us = 0;
  self->v = 0;
  self->auto_fit = TRUE;

  if (model != NULL)
    {
      self->changed_handler = g_signal_connect_object (model, "changed",
                                                       G_CALLBACK (model_changed_cb), self,
                                                       G_CONNECT_SWAPPED);
      tl_timeline_model_update (model);
    }

  self->t0 = 0;
  self->span = fit_span (self);
  configure_adjustments (self);
  update_summary (self);
  update_actions (self);
  /* A tooltip still showing a task of the previous run must go. */
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TlTimelineModel *
tl_timeline_get_model (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  return self->model;
}

guint32
tl_timeline_get_selected_task (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), TL_NO_INSTANCE);

  return self->selected;
}

static void
scroll_to_lane (TlTimeline *self,
                int         lane)
{
  TlTimelineView view;
  double top, y, page;

  if (lane < 0 || (guint) lane < n_summary_lanes (self))
    return;
  _tl_timeline_get_view (self, &view);
  top = task_area_top (self);
  page = view.height - top;
  y = (lane - n_summary_lanes (self)) * (double) LANE_H;
  if (y < self->v)
    set_v (self, y);
  else if (y + LANE_H > self->v + page)
    set_v (self, y + LANE_H - page);
}

void
tl_timeline_set_selected_task (TlTimeline *self,
                               guint32     instance)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (self->model == NULL || instance >= tl_timeline_model_get_n_instances (self->model))
    instance = TL_NO_INSTANCE;
  if (self->selected == instance)
    return;

  /* Selecting a task inside a collapsed composite opens the way to it. */
  if (instance != TL_NO_INSTANCE)
    for (guint32 a = tl_timeline_model_get_parent (self->model, instance); a != TL_NO_INSTANCE;
         a = tl_timeline_model_get_parent (self->model, a))
      tl_timeline_model_set_collapsed (self->model, a, FALSE);

  self->selected = instance;
  if (instance != TL_NO_INSTANCE)
    scroll_to_lane (self, tl_timeline_model_find_lane (self->model, instance));
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TASK]);
}

gboolean
tl_timeline_get_follow (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  return self->follow;
}

void
tl_timeline_set_follow (TlTimeline *self,
                        gboolean    follow)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  if (follow)
    apply_follow (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

gboolean
tl_timeline_get_live (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  return self->live;
}

void
tl_timeline_set_live (TlTimeline *self,
                      gboolean    live)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  live = !!live;
  if (self->live == live)
    return;
  self->live = live;

  if (live)
    {
      self->anchor_frame_us = 0;
      self->last_set_now = -1;
      self->external_now = FALSE;
      /* A fitted view of a run that just began leaves room to grow. */
      if (self->auto_fit)
        set_view (self, 0, fit_span (self));
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
    }
  else
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      self->stall_us = 0;
      if (self->model != NULL)
        tl_timeline_model_update (self->model);
      /* The run is over: show all of it unless the user chose a view. */
      if (self->auto_fit)
        set_view (self, 0, fit_span (self));
      model_changed_cb (self, self->model);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
tl_timeline_set_stall (TlTimeline *self,
                       gint64      stall_us,
                       guint32     culprit)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  /* Called every frame while live: no stall then and none now changes
   * nothing, and must not cost a redraw. */
  if (stall_us <= 0 && self->stall_us == 0)
    return;
  if (stall_us <= 0)
    {
      self->stall_us = 0;
    }
  else
    {
      gint64 now = current_now (self);

      if (self->model != NULL)
        {
          /* A stall this long means at least that much time has passed.
           * A shorter one than last time is a new stall. */
          gint64 start = self->stall_us > 0 && stall_us >= self->stall_us
            ? self->stall_start_us : now - stall_us;

          tl_timeline_model_set_now (self->model, start + stall_us);
          self->stall_start_us = start;
        }
      self->stall_us = stall_us;
      self->stall_culprit = culprit;
    }
  /* While live the tick callback redraws at its own pace. */
  if (!self->live || self->tick_id == 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tl_timeline_set_visible_range (TlTimeline *self,
                               gint64      start_us,
                               gint64      end_us)
{
  g_return_if_fail (TL_IS_TIMELINE (self));
  g_return_if_fail (end_us > start_us);

  self->auto_fit = FALSE;
  set_view (self, (double) start_us, (double) (end_us - start_us));
}

void
tl_timeline_get_visible_range (TlTimeline *self,
                               gint64     *start_us,
                               gint64     *end_us)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (start_us != NULL)
    *start_us = (gint64) round (self->t0);
  if (end_us != NULL)
    *end_us = (gint64) round (self->t0 + self->span);
}

double
tl_timeline_time_to_x (TlTimeline *self,
                       gint64      time_us)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return view_time_to_x (&view, (double) time_us);
}

gint64
tl_timeline_x_to_time (TlTimeline *self,
                       double      x)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return (gint64) round (view_x_to_time (&view, x));
}

double
tl_timeline_lane_to_y (TlTimeline *self,
                       guint       lane)
{
  TlTimelineView view;

  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  _tl_timeline_get_view (self, &view);
  return lane_top (self, &view, lane);
}

int
tl_timeline_lane_at_y (TlTimeline *self,
                       double      y)
{
  guint n_summary;
  double top;
  int lane;

  g_return_val_if_fail (TL_IS_TIMELINE (self), -1);

  if (self->model == NULL || y < RULER_H)
    return -1;
  n_summary = n_summary_lanes (self);
  top = task_area_top (self);
  if (y < top)
    return (int) ((y - RULER_H) / SUMMARY_H);
  lane = (int) n_summary + (int) floor ((y - top + self->v) / LANE_H);
  return lane < (int) tl_timeline_model_get_n_lanes (self->model) ? lane : -1;
}

guint32
tl_timeline_instance_at (TlTimeline *self,
                         double      x,
                         double      y,
                         gint64     *time_us)
{
  int lane;

  g_return_val_if_fail (TL_IS_TIMELINE (self), TL_NO_INSTANCE);

  if (time_us != NULL)
    *time_us = tl_timeline_x_to_time (self, x);
  lane = tl_timeline_lane_at_y (self, y);
  if (lane < 0 || tl_timeline_model_get_lane_kind (self->model, lane) != TL_LANE_TASK)
    return TL_NO_INSTANCE;
  return tl_timeline_model_get_lane_instance (self->model, lane);
}

static const char *
state_label (guint state)
{
  switch (state)
    {
    case TL_STATE_CREATED:
      return _("created, not started");
    case TL_STATE_QUEUED:
      return _("queued");
    case TL_STATE_WAITING:
      return _("waiting");
    case TL_STATE_RUNNING:
      return _("running");
    case TL_STATE_BLOCKED:
      return _("blocked");
    case TL_STATE_OK:
      return _("ok");
    case TL_STATE_FAILED:
      return _("failed");
    case TL_STATE_CANCELLED:
      return _("cancelled");
    case TL_STATE_TIMED_OUT:
      return _("timed out");
    case TL_STATE_NEVER_STARTED:
      return _("never started");
    default:
      return "";
    }
}

/* Why a task was cancelled, in words. */
static const char *
cause_phrase (TlCause cause)
{
  switch (cause)
    {
    case TL_CAUSE_TIMEOUT:
      return _("its timeout passed");
    case TL_CAUSE_SIBLING_FAILED:
      return _("a sibling failed");
    case TL_CAUSE_WAIT_PENDING:
      return _("still pending when the wait returned");
    case TL_CAUSE_PARENT:
      return _("its parent was cancelled");
    case TL_CAUSE_SECTION_END:
      return _("still running at the end of the run");
    case TL_CAUSE_USER:
      return _("cancelled by you");
    case TL_CAUSE_NONE:
    default:
      return "";
    }
}

char *
tl_timeline_dup_summary (TlTimeline *self)
{
  static const TlState shown[] = {
    TL_STATE_OK, TL_STATE_FAILED, TL_STATE_TIMED_OUT, TL_STATE_CANCELLED,
    TL_STATE_NEVER_STARTED, TL_STATE_RUNNING, TL_STATE_WAITING, TL_STATE_QUEUED,
    TL_STATE_BLOCKED, TL_STATE_CREATED,
  };
  GString *str;
  g_autofree char *dur = NULL;
  guint n;
  gboolean first = TRUE;

  g_return_val_if_fail (TL_IS_TIMELINE (self), NULL);

  if (self->model == NULL)
    return g_strdup (_("Timeline, no run"));

  n = tl_timeline_model_get_n_tasks (self->model);
  dur = tl_time_format (run_end (self));
  str = g_string_new (NULL);
  /* TRANSLATORS: "Timeline of 3 tasks over 1.00 s", then counts by state */
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "Timeline of %u task over %s",
                                            "Timeline of %u tasks over %s", n), n, dur);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      guint count = tl_timeline_model_count_state (self->model, shown[i]);

      if (count == 0)
        continue;
      g_string_append_printf (str, "%s%u %s", first ? ": " : ", ", count, state_label (shown[i]));
      first = FALSE;
    }
  return g_string_free (str, FALSE);
}

static void
update_summary (TlTimeline *self)
{
  g_autofree char *summary = tl_timeline_dup_summary (self);

  if (g_strcmp0 (summary, self->summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                  -1);
}

/* --- tooltip --- */

char *
_tl_timeline_dup_tooltip_markup (TlTimeline *self,
                                 double      x,
                                 double      y,
                                 gboolean    keyboard)
{
  TlTimelineView view;
  TlTrace *trace;
  GString *markup;
  gint64 t;
  int lane;
  TlLaneKind kind;

  if (self->model == NULL)
    return NULL;
  _tl_timeline_get_view (self, &view);

  if (keyboard)
    {
      if (self->selected == TL_NO_INSTANCE)
        return NULL;
      lane = tl_timeline_model_find_lane (self->model, self->selected);
      t = tl_timeline_model_get_finished_us (self->model, self->selected);
      if (t < 0)
        t = current_now (self);
    }
  else
    {
      if (x < view.label_w)
        {
          lane = tl_timeline_lane_at_y (self, y);
          if (lane < 0)
            return NULL;
          t = -1;
        }
      else
        {
          lane = tl_timeline_lane_at_y (self, y);
          t = (gint64) round (view_x_to_time (&view, x));
        }
    }
  if (lane < 0)
    return NULL;

  trace = tl_timeline_model_get_trace (self->model);
  kind = tl_timeline_model_get_lane_kind (self->model, lane);
  markup = g_string_new (NULL);

  if (kind == TL_LANE_TASK)
    {
      guint32 inst = tl_timeline_model_get_lane_instance (self->model, lane);
      g_autofree char *label = tl_trace_dup_label (trace, inst);
      g_autofree char *created = tl_time_format (tl_timeline_model_get_created_us (self->model, inst));
      gint64 finished = tl_timeline_model_get_finished_us (self->model, inst);
      TlState final = tl_timeline_model_get_state (self->model, inst);
      TlCause cause;
      guint32 cause_inst = tl_timeline_model_get_cause (self->model, inst, &cause);

      g_autofree char *escaped = g_markup_escape_text (label, -1);

      g_string_append_printf (markup, "<b>%s</b>", escaped);
      g_string_append_c (markup, '\n');
      g_string_append_printf (markup, _("created at %s"), created);
      if (finished >= 0)
        {
          g_autofree char *fin = tl_time_format (finished);
          g_autofree char *took = tl_time_format (finished - tl_timeline_model_get_created_us (self->model, inst));

          g_string_append_c (markup, '\n');
          /* TRANSLATORS: final state, when, and how long after creation:
           * "ok at 1.01 s (took 1.01 s)" */
          g_string_append_printf (markup, _("%s at %s (took %s)"), state_label (final), fin, took);
          if (final == TL_STATE_OK && tl_trace_get_result (trace, inst) != NULL)
            {
              g_autofree char *esc = g_markup_escape_text (tl_trace_get_result (trace, inst), -1);
              g_string_append_printf (markup, "\n%s", esc);
            }
          else if (tl_trace_get_error (trace, inst) != NULL)
            {
              g_autofree char *esc = g_markup_escape_text (tl_trace_get_error (trace, inst), -1);
              g_string_append_printf (markup, "\n%s", esc);
            }
          if (cause_inst != TL_NO_INSTANCE)
            {
              g_autofree char *by = tl_trace_dup_label (trace, cause_inst);
              g_autofree char *esc = g_markup_escape_text (by, -1);

              g_string_append_c (markup, '\n');
              /* TRANSLATORS: who cancelled a task and why:
               * "cancelled by asyncio.timeout(1): its timeout passed" */
              g_string_append_printf (markup, _("cancelled by %s: %s"), esc, cause_phrase (cause));
            }
          else if (cause != TL_CAUSE_NONE)
            {
              g_string_append_c (markup, '\n');
              g_string_append (markup, cause_phrase (cause));
            }
        }
      /* The task's own facts first; what it was doing under the
       * pointer last, so it does not read as a fact about the task. */
      if (t >= 0)
        {
          const TlInterval *v;
          guint n, i;
          g_autofree char *at = tl_time_format (t);
          const char *what = NULL;

          v = tl_timeline_model_get_intervals (self->model, lane, &n);
          i = tl_timeline_model_find_interval (self->model, lane, t);
          if (t < tl_timeline_model_get_created_us (self->model, inst))
            what = _("not created yet");
          else if (i < n && v[i].start_us <= t)
            what = state_label (v[i].state);
          else if (finished >= 0 && t >= finished)
            what = state_label (final);
          if (what != NULL)
            {
              g_string_append_c (markup, '\n');
              /* TRANSLATORS: a state at a time: "waiting at 176 ms" */
              g_string_append_printf (markup, _("%s at %s"), what, at);
            }
        }
    }
  else
    {
      g_autofree char *label = tl_timeline_model_dup_lane_label (self->model, lane);
      g_autofree char *escaped = g_markup_escape_text (label, -1);

      g_string_append_printf (markup, "<b>%s</b>", escaped);
      if (t >= 0 && (kind == TL_LANE_THREADS || kind == TL_LANE_PROCESSES ||
                     kind == TL_LANE_HTTP || kind == TL_LANE_CONCURRENCY))
        {
          const TlStep *steps;
          guint n, lo = 0, hi;
          gint32 max;
          g_autofree char *at = tl_time_format (t);

          steps = tl_timeline_model_get_steps (self->model, lane, &n, &max);
          hi = n;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (steps[mid].time_us <= t)
                lo = mid + 1;
              else
                hi = mid;
            }
          if (lo > 0)
            {
              const TlStep *s = &steps[lo - 1];
              g_string_append_c (markup, '\n');
              /* TRANSLATORS: chart values at a time, e.g. "2 busy, 3 queued at 1.20 s" */
              if (kind == TL_LANE_CONCURRENCY)
                g_string_append_printf (markup, _("%d running, %d waiting at %s"), s->a, s->b, at);
              else if (kind == TL_LANE_HTTP)
                g_string_append_printf (markup, _("%d in flight, %d queued at %s"), s->a, s->b, at);
              else
                g_string_append_printf (markup, _("%d busy, %d queued at %s"), s->a, s->b, at);
            }
        }
      else if (t >= 0 && kind == TL_LANE_LOOP)
        {
          const TlInterval *v;
          guint n, i;
          g_autofree char *at = tl_time_format (t);

          v = tl_timeline_model_get_stalls (self->model, &n);
          i = tl_timeline_model_find_stall (self->model, t);
          if (i < n && v[i].start_us <= t)
            {
              g_autofree char *dur = tl_time_format (v[i].end_us - v[i].start_us);
              g_autofree char *by = v[i].extra < tl_timeline_model_get_n_instances (self->model)
                ? tl_trace_dup_label (trace, v[i].extra) : g_strdup ("?");
              g_autofree char *esc = g_markup_escape_text (by, -1);

              g_string_append_printf (markup, "\n");
              g_string_append_printf (markup, _("blocked %s by %s"), dur, esc);
            }
          else
            {
              v = tl_timeline_model_get_intervals (self->model, lane, &n);
              i = tl_timeline_model_find_interval (self->model, lane, t);
              g_string_append_c (markup, '\n');
              g_string_append_printf (markup, _("%s at %s"),
                                      i < n && v[i].start_us <= t ? _("busy") : _("free"), at);
            }
        }
    }

  return g_string_free (markup, FALSE);
}

static gboolean
query_tooltip_cb (TlTimeline *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  g_autofree char *markup = _tl_timeline_dup_tooltip_markup (self, x, y, keyboard);

  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

/* --- input --- */

static gboolean
scroll_cb (TlTimeline               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  /* A wheel click is a step; a touchpad reports pixels. */
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  TlTimelineView view;

  if (self->model == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      zoom_around (self, self->pointer_x, pow (wheel ? 1.2 : 1.01, -dy));
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      dx = dx != 0 ? dx : dy;
      dy = 0;
    }
  _tl_timeline_get_view (self, &view);
  if (dx != 0)
    {
      user_panned (self);
      set_view (self, self->t0 + dx * (wheel ? self->span * 0.08 : view.us_per_px), self->span);
    }
  if (dy != 0)
    set_v (self, self->v + dy * (wheel ? LANE_H * 2 : 1));
  return TRUE;
}

static void
motion_cb (TlTimeline *self,
           double      x,
           double      y)
{
  guint32 hovered;

  TlTimelineView view;

  self->pointer_x = x;
  self->pointer_y = y;
  /* The names column's edge can be dragged. */
  _tl_timeline_get_view (self, &view);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   y >= RULER_H && fabs (x - view.label_w) <= RESIZE_GRAB ? "col-resize" : NULL);
  if (self->model == NULL)
    return;
  hovered = tl_timeline_instance_at (self, x, y, NULL);
  if (hovered != self->hovered)
    {
      self->hovered = hovered;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (TlTimeline *self)
{
  if (self->hovered != TL_NO_INSTANCE)
    {
      self->hovered = TL_NO_INSTANCE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
click_pressed_cb (TlTimeline      *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  guint32 instance;
  TlTimelineView view;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->model == NULL)
    return;

  _tl_timeline_get_view (self, &view);
  /* A press on the names column's edge starts resizing it, nothing else. */
  if (y >= RULER_H && fabs (x - view.label_w) <= RESIZE_GRAB)
    return;
  instance = tl_timeline_instance_at (self, x, y, NULL);

  /* The disclosure triangle toggles a composite. */
  if (instance != TL_NO_INSTANCE && x < view.label_w &&
      tl_timeline_model_is_composite (self->model, instance))
    {
      int lane = tl_timeline_model_find_lane (self->model, instance);
      double tx = 8 + INDENT * tl_timeline_model_get_lane_depth (self->model, lane);

      if (x >= tx - 4 && x < tx + 14)
        {
          tl_timeline_model_set_collapsed (self->model, instance,
                                           !tl_timeline_model_get_collapsed (self->model, instance));
          return;
        }
    }

  tl_timeline_set_selected_task (self, instance);
  if (n_press == 2 && instance != TL_NO_INSTANCE)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, instance);
}

static void
drag_begin_cb (TlTimeline     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  TlTimelineView view;

  self->drag_t0 = self->t0;
  self->drag_v = self->v;
  self->dragging = FALSE;
  _tl_timeline_get_view (self, &view);
  self->resizing = y >= RULER_H && fabs (x - view.label_w) <= RESIZE_GRAB;
  self->resize_w0 = view.label_w;
  if (self->resizing)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (TlTimeline     *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  TlTimelineView view;

  if (self->resizing)
    {
      self->label_w_user = MAX (1, self->resize_w0 + dx);
      g_clear_pointer (&self->static_node, gsk_render_node_unref);
      configure_adjustments (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (!self->dragging && hypot (dx, dy) < 4)
    return;
  if (!self->dragging)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging = TRUE;

  _tl_timeline_get_view (self, &view);
  if (dx != 0)
    user_panned (self);
  set_view (self, self->drag_t0 - dx * view.us_per_px, self->span);
  set_v (self, self->drag_v - dy);
}

static void
zoom_begin_cb (TlTimeline     *self,
               GdkEventSequence *sequence,
               GtkGestureZoom *gesture)
{
  TlTimelineView view;
  double cx = 0, cy = 0;

  _tl_timeline_get_view (self, &view);
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  self->zoom_span = self->span;
  self->zoom_anchor_x = CLAMP (cx, view.label_w, view.width);
  self->zoom_anchor_t = view_x_to_time (&view, self->zoom_anchor_x);
}

static void
zoom_scale_changed_cb (TlTimeline     *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  TlTimelineView view;
  double span;

  if (scale <= 0)
    return;
  _tl_timeline_get_view (self, &view);
  span = CLAMP (self->zoom_span / scale, MIN_SPAN_US, max_span (self));
  self->auto_fit = FALSE;
  set_view (self, self->zoom_anchor_t - (self->zoom_anchor_x - view.label_w) * span / MAX (1.0, view.width - view.label_w),
            span);
}

/* --- actions --- */

static void
zoom_in_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;

  _tl_timeline_get_view (self, &view);
  zoom_around (self, (view.label_w + view.width) / 2, 1.5);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  TlTimelineView view;

  _tl_timeline_get_view (self, &view);
  zoom_around (self, (view.label_w + view.width) / 2, 1 / 1.5);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  self->auto_fit = TRUE;
  set_view (self, 0, fit_span (self));
}

static void
select_step (TlTimeline *self,
             int         direction)
{
  int n_lanes, lane;

  if (self->model == NULL)
    return;
  n_lanes = (int) tl_timeline_model_get_n_lanes (self->model);
  lane = self->selected != TL_NO_INSTANCE ? tl_timeline_model_find_lane (self->model, self->selected) : -1;
  if (lane < 0)
    lane = direction > 0 ? -1 : n_lanes;

  for (lane += direction; lane >= 0 && lane < n_lanes; lane += direction)
    if (tl_timeline_model_get_lane_kind (self->model, lane) == TL_LANE_TASK)
      {
        tl_timeline_set_selected_task (self, tl_timeline_model_get_lane_instance (self->model, lane));
        return;
      }
}

static void
select_next_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  select_step (TL_TIMELINE (widget), 1);
}

static void
select_previous_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  select_step (TL_TIMELINE (widget), -1);
}

static void
collapse_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  guint32 sel = self->selected;

  if (self->model == NULL || sel == TL_NO_INSTANCE)
    return;
  if (tl_timeline_model_is_composite (self->model, sel) && !tl_timeline_model_get_collapsed (self->model, sel))
    tl_timeline_model_set_collapsed (self->model, sel, TRUE);
  else if (tl_timeline_model_get_parent (self->model, sel) != TL_NO_INSTANCE)
    tl_timeline_set_selected_task (self, tl_timeline_model_get_parent (self->model, sel));
}

static void
expand_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);
  guint32 sel = self->selected;

  if (self->model == NULL || sel == TL_NO_INSTANCE)
    return;
  if (tl_timeline_model_get_collapsed (self->model, sel))
    tl_timeline_model_set_collapsed (self->model, sel, FALSE);
  else if (tl_timeline_model_is_composite (self->model, sel))
    select_step (self, 1);
}

static void
activate_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (self->selected != TL_NO_INSTANCE)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, self->selected);
}

static gboolean
selected_is_running (TlTimeline *self)
{
  return self->model != NULL && self->selected != TL_NO_INSTANCE &&
         !TL_STATE_IS_FINAL (tl_timeline_model_get_state (self->model, self->selected)) &&
         !tl_timeline_model_is_complete (self->model);
}

static void
cancel_selected_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (selected_is_running (self))
    g_signal_emit (self, signals[CANCEL_REQUESTED], 0, self->selected);
}

static void
update_actions (TlTimeline *self)
{
  gboolean has_model = self->model != NULL;
  gboolean has_sel = has_model && self->selected != TL_NO_INSTANCE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-in", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-out", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-fit", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.select-next", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.select-previous", has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.collapse", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.expand", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.activate", has_sel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.cancel-selected", selected_is_running (self));
}

/* --- GObject --- */

static void
tl_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  TlTimeline *self = TL_TIMELINE (widget);

  configure_adjustments (self);
  set_v (self, self->v);
}

static void
tl_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  TlTimeline *self = TL_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 900;
    }
  else
    {
      *minimum = (int) task_area_top (self) + 3 * LANE_H;
      *natural = MAX (*minimum, (int) (task_area_top (self) + MIN (task_lanes_height (self), 20 * LANE_H)));
    }
}

static void
tl_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  TlTimeline *self = TL_TIMELINE (widget);

  GTK_WIDGET_CLASS (tl_timeline_parent_class)->css_changed (widget, change);

  /* Fonts or colours may have changed: rebuild everything styled. */
  clear_style_caches (self);
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (widget);
}

static void
tl_timeline_dispose (GObject *object)
{
  TlTimeline *self = TL_TIMELINE (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_handler, self->model);
  g_clear_object (&self->model);
  if (self->hadj != NULL)
    g_signal_handlers_disconnect_by_data (self->hadj, self);
  if (self->vadj != NULL)
    g_signal_handlers_disconnect_by_data (self->vadj, self);
  g_clear_object (&self->hadj);
  g_clear_object (&self->vadj);
  clear_style_caches (self);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (tl_timeline_parent_class)->dispose (object);
}

static void
tl_timeline_finalize (GObject *object)
{
  TlTimeline *self = TL_TIMELINE (object);

  g_free (self->summary);

  G_OBJECT_CLASS (tl_timeline_parent_class)->finalize (object);
}

static void
tl_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TlTimeline *self = TL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SELECTED_TASK:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadj);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadj);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TlTimeline *self = TL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      tl_timeline_set_model (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_TASK:
      tl_timeline_set_selected_task (self, g_value_get_uint (value));
      break;
    case PROP_FOLLOW:
      tl_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_LIVE:
      tl_timeline_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadj, g_value_get_object (value), G_CALLBACK (hadj_value_changed_cb));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadj, g_value_get_object (value), G_CALLBACK (vadj_value_changed_cb));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_timeline_scrollable_init (GtkScrollableInterface *iface)
{
}

static void
add_binding (GtkWidgetClass *widget_class,
             guint           keyval,
             const char     *action)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, action, NULL);
}

static void
tl_timeline_class_init (TlTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_timeline_dispose;
  object_class->finalize = tl_timeline_finalize;
  object_class->get_property = tl_timeline_get_property;
  object_class->set_property = tl_timeline_set_property;

  widget_class->snapshot = tl_timeline_snapshot;
  widget_class->size_allocate = tl_timeline_size_allocate;
  widget_class->measure = tl_timeline_measure;
  widget_class->css_changed = tl_timeline_css_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         TL_TYPE_TIMELINE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_TASK] =
    g_param_spec_uint ("selected-task", NULL, NULL,
                       0, G_MAXUINT32, TL_NO_INSTANCE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * TlTimeline::task-activated:
   * @instance: the task instance
   *
   * Enter or a double click on a task: show its details.
   */
  signals[TASK_ACTIVATED] = g_signal_new ("task-activated",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * TlTimeline::cancel-requested:
   * @instance: the task instance
   *
   * Delete on a running task: the user wants it cancelled.
   */
  signals[CANCEL_REQUESTED] = g_signal_new ("cancel-requested",
                                            G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "timeline.select-next", NULL, select_next_action);
  gtk_widget_class_install_action (widget_class, "timeline.select-previous", NULL, select_previous_action);
  gtk_widget_class_install_action (widget_class, "timeline.collapse", NULL, collapse_action);
  gtk_widget_class_install_action (widget_class, "timeline.expand", NULL, expand_action);
  gtk_widget_class_install_action (widget_class, "timeline.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "timeline.cancel-selected", NULL, cancel_selected_action);
  gtk_widget_class_install_property_action (widget_class, "timeline.follow", "follow");

  add_binding (widget_class, GDK_KEY_plus, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_equal, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_KP_Add, "timeline.zoom-in");
  add_binding (widget_class, GDK_KEY_minus, "timeline.zoom-out");
  add_binding (widget_class, GDK_KEY_KP_Subtract, "timeline.zoom-out");
  add_binding (widget_class, GDK_KEY_0, "timeline.zoom-fit");
  add_binding (widget_class, GDK_KEY_KP_0, "timeline.zoom-fit");
  add_binding (widget_class, GDK_KEY_Down, "timeline.select-next");
  add_binding (widget_class, GDK_KEY_KP_Down, "timeline.select-next");
  add_binding (widget_class, GDK_KEY_Up, "timeline.select-previous");
  add_binding (widget_class, GDK_KEY_KP_Up, "timeline.select-previous");
  add_binding (widget_class, GDK_KEY_Left, "timeline.collapse");
  add_binding (widget_class, GDK_KEY_KP_Left, "timeline.collapse");
  add_binding (widget_class, GDK_KEY_Right, "timeline.expand");
  add_binding (widget_class, GDK_KEY_KP_Right, "timeline.expand");
  add_binding (widget_class, GDK_KEY_Return, "timeline.activate");
  add_binding (widget_class, GDK_KEY_KP_Enter, "timeline.activate");
  add_binding (widget_class, GDK_KEY_ISO_Enter, "timeline.activate");
  add_binding (widget_class, GDK_KEY_Delete, "timeline.cancel-selected");
  add_binding (widget_class, GDK_KEY_KP_Delete, "timeline.cancel-selected");

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tl_timeline_init (TlTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->selected = TL_NO_INSTANCE;
  self->hovered = TL_NO_INSTANCE;
  self->follow = TRUE;
  self->auto_fit = TRUE;
  self->span = 2.0 * G_USEC_PER_SEC;
  self->palette.dark = -1;
  self->ellipsize = PANGO_ELLIPSIZE_END;
  self->forced_dark = -1;
  self->last_set_now = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  set_adjustment (self, &self->hadj, NULL, G_CALLBACK (hadj_value_changed_cb));
  set_adjustment (self, &self->vadj, NULL, G_CALLBACK (vadj_value_changed_cb));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  update_actions (self);
  update_summary (self);
}
