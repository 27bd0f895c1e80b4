/* tl-timeline-palette.h — the timeline's colours, light and dark
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One palette, derived from libadwaita's named colours, adapted to the
 * light or dark style. Colour never carries meaning alone: the timeline
 * also tells states apart by height, pattern and marker.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  gboolean dark;
  GdkRGBA  fg;            /* text */
  GdkRGBA  fg_dim;        /* secondary text, ruler labels */
  GdkRGBA  bg;            /* plot background */
  GdkRGBA  label_bg;      /* the names column */
  GdkRGBA  ruler_bg;
  GdkRGBA  grid;          /* tick lines */
  GdkRGBA  lane_alt;      /* every other lane */
  GdkRGBA  separator;
  GdkRGBA  selection;     /* selected lane background */
  GdkRGBA  hover;
  GdkRGBA  match;         /* a lane the task search found */

  GdkRGBA  created;       /* exists, not started: a thin dotted line */
  GdkRGBA  queued;        /* hatched grey */
  GdkRGBA  queued_bg;
  GdkRGBA  waiting;       /* light blue, half height */
  GdkRGBA  reading;       /* an HTTP body arriving: teal, half height */
  GdkRGBA  running;       /* solid blue, full height */
  GdkRGBA  blocked;       /* red stripes */
  GdkRGBA  blocked_bg;

  GdkRGBA  ok;            /* ✓ */
  GdkRGBA  failed;        /* ✗ */
  GdkRGBA  timed_out;     /* ⏱ */
  GdkRGBA  cancelled;     /* ⊘ */
  GdkRGBA  would_have;    /* a cut-short task's rest: a dotted centre line */
  GdkRGBA  would_have_bg; /* … over a faint fill */

  GdkRGBA  section;       /* section header span */
  GdkRGBA  bracket;       /* composite brackets */
  GdkRGBA  deadline;      /* Timeout / MaxWait lines */
  GdkRGBA  now;           /* the "now" line */
  GdkRGBA  cause;         /* cause arrows */
  GdkRGBA  loop_busy;
  GdkRGBA  chart_a;       /* busy / in flight / running */
  GdkRGBA  chart_b;       /* queued / waiting */
} TlTimelinePalette;

void     tl_timeline_palette_init      (TlTimelinePalette *palette,
                                        gboolean           dark);
/* The contrast ratio (1 to 21, as WCAG defines it) of @color as it shows
 * over the opaque @bg. */
double   tl_timeline_palette_contrast   (const GdkRGBA    *color,
                                        const GdkRGBA    *bg);
/* TRUE when the foreground colour is light, i.e. the style is dark. */
gboolean tl_timeline_palette_is_dark_fg (const GdkRGBA    *fg);

G_END_DECLS
