/* tl-timeline-private.h — what the timeline's own files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/tl-timeline.h"

G_BEGIN_DECLS

/* The geometry of one picture of the timeline: the widget's current view,
 * or a view built for an image export. */
typedef struct {
  int      width;
  int      height;
  double   label_w;     /* the names column */
  double   t0;          /* time (µs) at x = label_w */
  double   us_per_px;
  double   v;           /* vertical scroll of the task lanes (px) */
  gboolean use_cache;   /* FALSE for exports: never touch the widget's caches */
} TlTimelineView;

#define TL_TIMELINE_RULER_H    30
#define TL_TIMELINE_LANE_H     24
#define TL_TIMELINE_SUMMARY_H  36

void           _tl_timeline_get_view   (TlTimeline           *self,
                                        TlTimelineView       *view);
/* Builds the render node of a view. */
GskRenderNode *_tl_timeline_render     (TlTimeline           *self,
                                        const TlTimelineView *view);
/* The span that shows a run ending at end_us in a plot plot_w wide,
 * markers and a right margin (at least end_text_px after the end)
 * included. */
double         _tl_timeline_fit_span   (double                end_us,
                                        double                plot_w,
                                        double                end_text_px);
/* The widest result or error label drawn after the run's last markers. */
double         _tl_timeline_end_text_width (TlTimeline        *self,
                                        double                end_us);
/* The names column of a picture width wide. */
double         _tl_timeline_label_width (TlTimeline          *self,
                                        int                   width);
/* An error as drawn on a lane: the reason first, the URL shortened. */
char          *_tl_timeline_shorten_error (const char        *error);

/* What the tooltip at (x, y) says, as Pango markup; NULL for nothing.
 * keyboard: about the selected task instead. */
char          *_tl_timeline_dup_tooltip_markup (TlTimeline *self,
                                                double      x,
                                                double      y,
                                                gboolean    keyboard);

/* The title band of an export (preset name and run summary). */
GskRenderNode *_tl_timeline_render_title (TlTimeline        *self,
                                        int                   width,
                                        double               *height);
/* The legend as a band width wide (for exports); its height in *height. */
GskRenderNode *_tl_timeline_render_legend (TlTimeline        *self,
                                        int                   width,
                                        double               *height);

G_END_DECLS
