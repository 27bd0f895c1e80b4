/* tl-timeline-palette.c — the timeline's colours, light and dark
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline-palette"

#include "config.h"

#include <math.h>

#include "timeline/tl-timeline-palette.h"

static void
rgba (GdkRGBA *c,
      guint32  hex,
      float    alpha)
{
  c->red = ((hex >> 16) & 0xff) / 255.f;
  c->green = ((hex >> 8) & 0xff) / 255.f;
  c->blue = (hex & 0xff) / 255.f;
  c->alpha = alpha;
}

void
tl_timeline_palette_init (TlTimelinePalette *p,
                          gboolean           dark)
{
  g_return_if_fail (p != NULL);

  p->dark = dark;

  /* libadwaita 1.2's palette: blue_3 #3584e4, blue_1 #99c1f1, green_4
   * #2ec27e / green_5 #26a269, red_3 #e01b24, orange_3 #ff7800, the
   * light/dark greys, and window/view colours of each style. */
  if (!dark)
    {
      rgba (&p->fg, 0x000000, 0.80f);
      rgba (&p->fg_dim, 0x000000, 0.55f);
      rgba (&p->bg, 0xffffff, 1.f);
      rgba (&p->label_bg, 0xfafafa, 1.f);
      rgba (&p->ruler_bg, 0xf6f5f4, 1.f);
      rgba (&p->grid, 0x000000, 0.08f);
      rgba (&p->lane_alt, 0x000000, 0.025f);
      rgba (&p->separator, 0x000000, 0.12f);
      rgba (&p->selection, 0x3584e4, 0.16f);
      rgba (&p->hover, 0x000000, 0.04f);
      rgba (&p->match, 0xf6d32d, 0.35f);

      rgba (&p->created, 0x77767b, 0.70f);
      rgba (&p->queued, 0x77767b, 0.75f);
      rgba (&p->queued_bg, 0xdeddda, 1.f);
      rgba (&p->waiting, 0x99c1f1, 1.f);
      rgba (&p->reading, 0x1c7f8e, 1.f);
      rgba (&p->running, 0x3584e4, 1.f);
      rgba (&p->blocked, 0xe01b24, 1.f);
      rgba (&p->blocked_bg, 0xf8d7d8, 1.f);

      rgba (&p->ok, 0x26a269, 1.f);
      rgba (&p->failed, 0xe01b24, 1.f);
      rgba (&p->timed_out, 0xe66100, 1.f);
      rgba (&p->cancelled, 0x77767b, 1.f);
      rgba (&p->would_have, 0x5e5c64, 1.f);
      rgba (&p->would_have_bg, 0x77767b, 0.14f);

      rgba (&p->section, 0x9a9996, 0.35f);
      rgba (&p->bracket, 0x5e5c64, 0.85f);
      rgba (&p->deadline, 0xe66100, 1.f);
      rgba (&p->now, 0xc01c28, 0.9f);
      rgba (&p->cause, 0x813d9c, 0.95f);
      rgba (&p->loop_busy, 0x1c71d8, 1.f);
      rgba (&p->chart_a, 0x3584e4, 0.85f);
      rgba (&p->chart_b, 0x9a9996, 0.55f);
    }
  else
    {
      rgba (&p->fg, 0xffffff, 0.90f);
      rgba (&p->fg_dim, 0xffffff, 0.60f);
      rgba (&p->bg, 0x1e1e1e, 1.f);
      rgba (&p->label_bg, 0x242424, 1.f);
      rgba (&p->ruler_bg, 0x303030, 1.f);
      rgba (&p->grid, 0xffffff, 0.08f);
      rgba (&p->lane_alt, 0xffffff, 0.025f);
      rgba (&p->separator, 0xffffff, 0.12f);
      rgba (&p->selection, 0x78aeed, 0.20f);
      rgba (&p->hover, 0xffffff, 0.05f);
      rgba (&p->match, 0xe5a50a, 0.30f);

      rgba (&p->created, 0x9a9996, 0.70f);
      rgba (&p->queued, 0xc0bfbc, 0.55f);
      rgba (&p->queued_bg, 0x3d3846, 1.f);
      rgba (&p->waiting, 0x1a5fb4, 0.85f);
      rgba (&p->reading, 0x4fc1cf, 1.f);
      rgba (&p->running, 0x62a0ea, 1.f);
      rgba (&p->blocked, 0xff7b63, 1.f);
      rgba (&p->blocked_bg, 0x5c1b1f, 1.f);

      rgba (&p->ok, 0x57e389, 1.f);
      rgba (&p->failed, 0xff7b63, 1.f);
      rgba (&p->timed_out, 0xffa348, 1.f);
      rgba (&p->cancelled, 0xc0bfbc, 1.f);
      rgba (&p->would_have, 0xc0bfbc, 1.f);
      rgba (&p->would_have_bg, 0xc0bfbc, 0.16f);

      rgba (&p->section, 0x9a9996, 0.30f);
      rgba (&p->bracket, 0xdeddda, 0.75f);
      rgba (&p->deadline, 0xffa348, 1.f);
      rgba (&p->now, 0xff7b63, 0.9f);
      rgba (&p->cause, 0xdc8add, 0.95f);
      rgba (&p->loop_busy, 0x62a0ea, 1.f);
      rgba (&p->chart_a, 0x62a0ea, 0.85f);
      rgba (&p->chart_b, 0xc0bfbc, 0.45f);
    }
}

/* WCAG 2's relative luminance and contrast ratio; a translucent colour
 * is taken as it shows over @bg. */
static double
channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *c,
           const GdkRGBA *bg)
{
  double r = c->red * c->alpha + bg->red * (1 - c->alpha);
  double g = c->green * c->alpha + bg->green * (1 - c->alpha);
  double b = c->blue * c->alpha + bg->blue * (1 - c->alpha);

  return 0.2126 * channel (r) + 0.7152 * channel (g) + 0.0722 * channel (b);
}

double
tl_timeline_palette_contrast (const GdkRGBA *color,
                              const GdkRGBA *bg)
{
  double a, b;

  g_return_val_if_fail (color != NULL && bg != NULL, 1.0);

  a = luminance (color, bg);
  b = luminance (bg, bg);
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

gboolean
tl_timeline_palette_is_dark_fg (const GdkRGBA *fg)
{
  g_return_val_if_fail (fg != NULL, FALSE);

  /* A light foreground means a dark style. */
  return 0.2126f * fg->red + 0.7152f * fg->green + 0.0722f * fg->blue > 0.5f;
}
