/* tl-window-fold.c — the window on narrow screens
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline always keeps a usable width. As the window narrows, first
 * the gallery folds away (the leaflet shows it as a page of its own), then
 * code chosen to stand beside the timeline moves below it, or hides when
 * the window is too low for that too. Nothing the user chose is changed:
 * a wider window brings the code back beside the timeline.
 *
 * The decisions follow the window's width alone, never the panes' own
 * allocations (which they change): the leaflet is kept folded
 * (can-unfold) while the gallery would leave the content too little, and
 * the code pane is turned or hidden. Minimum sizes stay small, so a
 * window can always be made narrower.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include "window/tl-window-private.h"

/* The timeline beside the code or the details: room for names and for
 * a time axis. Alone it may be narrower. */
#define LANES_USABLE_WIDTH  480
#define LANES_MIN_WIDTH     300
#define LANES_MIN_WIDTH_WITH_DETAILS 440
/* Code beside the timeline: about 40 columns of the program; with the
 * timeline taking 58 % of the two (tl-window-code.c), the lanes keep
 * their usable width. */
#define CODE_BESIDE_WIDTH   350
/* The gallery and its separator. */
#define GALLERY_WIDTH       301
/* The details pane as the rule counts it: what it first opens at; wider
 * if dragged, it gives way to the lanes before the code does. */
#define DETAILS_WIDTH       320
/* Below this window height the code below the timeline would leave the
 * lanes too little: the code hides instead. */
#define CODE_BELOW_MIN_HEIGHT 720

const char *
_tl_window_fold_placement (const char *chosen,
                           int         width,
                           int         height,
                           int         details_width)
{
  if (g_strcmp0 (chosen, "beside") != 0)
    return g_strcmp0 (chosen, "below") == 0 ? "below" : "hidden";
  /* Not laid out yet: as chosen. */
  if (width <= 0 || height <= 0)
    return "beside";
  if (width >= LANES_USABLE_WIDTH + CODE_BESIDE_WIDTH + details_width)
    return "beside";
  return height >= CODE_BELOW_MIN_HEIGHT ? "below" : "hidden";
}

/* The rule counts the details at their first width, whatever they have
 * now: counting what they were squeezed to would let the window's
 * minimum width keep the code beside for ever. */
static int
details_width (TlWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->details_pane)) ? DETAILS_WIDTH : 0;
}

static void
get_window_size (TlWindow *self,
                 int      *width,
                 int      *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self));
  *height = gtk_widget_get_height (GTK_WIDGET (self));
  /* A window not yet shown will be as large as it is asked to be. */
  if (*width <= 0 || *height <= 0)
    gtk_window_get_default_size (GTK_WINDOW (self), width, height);
}

const char *
_tl_window_get_shown_code_placement (TlWindow *self)
{
  int width, height;

  get_window_size (self, &width, &height);
  return _tl_window_fold_placement (_tl_window_get_code_placement (self), width, height, details_width (self));
}

gboolean
_tl_window_fold_gallery_fits (const char *chosen,
                              int         width,
                              int         details_width)
{
  int content = LANES_USABLE_WIDTH + details_width +
                (g_strcmp0 (chosen, "beside") == 0 ? CODE_BESIDE_WIDTH : 0);

  return width <= 0 || width >= GALLERY_WIDTH + content;
}

/* The width the details and the lanes share once the window has folded
 * as the rule says: the details pane opens at its width there, so the
 * code beside the lanes is never squeezed on the way. */
int
_tl_window_fold_content_width (TlWindow *self)
{
  int width, height;

  get_window_size (self, &width, &height);
  if (_tl_window_fold_gallery_fits (_tl_window_get_code_placement (self), width, DETAILS_WIDTH))
    width -= GALLERY_WIDTH;
  return width;
}

static gboolean
gallery_fits (TlWindow *self)
{
  int width, height;

  get_window_size (self, &width, &height);
  return _tl_window_fold_gallery_fits (_tl_window_get_code_placement (self), width, details_width (self));
}

/* A details pane dragged (or first opened) wider than it needs, on a
 * window that has since narrowed or turned its code: the lanes come
 * first, the pane goes back to its first width. */
static gboolean
details_crowd_lanes (TlWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->details_pane)) &&
         gtk_widget_get_width (GTK_WIDGET (self->details_pane)) > DETAILS_WIDTH &&
         gtk_widget_get_width (GTK_WIDGET (self->timeline_scroller)) < LANES_USABLE_WIDTH &&
         gtk_widget_get_width (GTK_WIDGET (self->details_paned)) > 2 * DETAILS_WIDTH;
}

void
_tl_window_update_fold (TlWindow *self)
{
  const char *shown = _tl_window_get_shown_code_placement (self);
  gboolean details = gtk_widget_get_visible (GTK_WIDGET (self->details_pane));
  gboolean fits = gallery_fits (self);
  int lanes = details ? LANES_MIN_WIDTH_WITH_DETAILS : LANES_MIN_WIDTH;
  int w;

  gtk_widget_get_size_request (GTK_WIDGET (self->timeline_scroller), &w, NULL);
  if (w != lanes)
    gtk_widget_set_size_request (GTK_WIDGET (self->timeline_scroller), lanes, -1);
  if (adw_leaflet_get_can_unfold (self->leaflet) != fits)
    adw_leaflet_set_can_unfold (self->leaflet, fits);
  _tl_window_apply_code_placement (self, shown);
  if (details_crowd_lanes (self))
    gtk_paned_set_position (self->details_paned,
                            gtk_widget_get_width (GTK_WIDGET (self->details_paned)) - DETAILS_WIDTH);
}

static gboolean
update_fold_cb (gpointer user_data)
{
  TlWindow *self = user_data;

  self->fold_source = 0;
  _tl_window_update_fold (self);
  return G_SOURCE_REMOVE;
}

/* After each allocation: a new size may call for another arrangement,
 * applied after this layout pass (changing requests inside one would
 * lay the window out twice in one frame). */
void
_tl_window_fold_allocated (TlWindow *self)
{
  const char *shown = _tl_window_get_shown_code_placement (self);

  if ((g_strcmp0 (shown, self->shown_code_placement) == 0 &&
       adw_leaflet_get_can_unfold (self->leaflet) == gallery_fits (self) &&
       !details_crowd_lanes (self)) ||
      self->fold_source != 0)
    return;
  self->fold_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_fold_cb, self, NULL);
}

void
_tl_window_dispose_fold (TlWindow *self)
{
  g_clear_handle_id (&self->fold_source, g_source_remove);
}
