/* tl-test-timeline.h — a timeline widget over a run, for the timeline
 * test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run (hand-made trace, or a preset run on the virtual clock) shown in
 * a timeline widget that is never put in a window; pictures come from the
 * widget's own export path (the screen's drawing code, drawn with cairo)
 * and are probed pixel by pixel.
 */
#pragma once

#include <gtk/gtk.h>

#include "preset/tl-preset.h"
#include "run/tl-runner.h"
#include "trace/tl-trace.h"
#include "timeline/tl-timeline.h"

G_BEGIN_DECLS

typedef struct {
  TlRunner        *runner;     /* NULL for a hand-made trace */
  TlTrace         *trace;
  TlTimelineModel *model;
  GtkWidget       *timeline;
} TlTestTimeline;

typedef struct { int r, g, b; } TlTestRgb;

/* Colours of the light palette the pictures are probed for. */
#define TL_TEST_RUNNING_BLUE 0x3584e4
#define TL_TEST_FAILED_RED   0xe01b24
#define TL_TEST_DEADLINE     0xe66100

/* The small preset the hand-made traces are made of: "main" gathers
 * "first" (twice) and "group", a sequence of "inner"; sleeps of 1 s. */
TlPreset        *tl_test_timeline_load_preset  (void);

/* The index of the task called @name in @trace's preset (fails the test
 * when there is none). */
guint            tl_test_spec_of               (TlTrace        *trace,
                                                const char     *name);

/* The first instance labelled @label in @trace (fails the test when there
 * is none). */
guint32          tl_test_find_label            (TlTrace        *trace,
                                                const char     *label);

/* Shows @trace (taking the reference) in a new model and timeline. */
void             tl_test_timeline_show_trace   (TlTestTimeline *tl,
                                                TlTrace        *trace);

/* Shows the run of @runner (taking the reference), which has ended. */
void             tl_test_timeline_show_run     (TlTestTimeline *tl,
                                                TlRunner       *runner);

/* Runs @preset to its end with @options (NULL: the virtual clock and
 * the defaults) and shows the run; the run must not fail to start. */
void             tl_test_timeline_run          (TlTestTimeline        *tl,
                                                TlPreset              *preset,
                                                const TlRunnerOptions *options);

/* The same for the gallery preset @name. */
void             tl_test_timeline_run_builtin  (TlTestTimeline        *tl,
                                                const char            *name,
                                                const TlRunnerOptions *options);

/* Drops all, failing the test if anything still holds the timeline, the
 * model or the runner. */
void             tl_test_timeline_clear        (TlTestTimeline *tl);

/* @timeline's current view, @width pixels wide, as the PNG export draws
 * it. */
cairo_surface_t *tl_test_timeline_render       (GtkWidget      *timeline,
                                                int             width);

/* The colour at (@x, @y), which must lie inside @surface. */
TlTestRgb        tl_test_pixel                 (cairo_surface_t *surface,
                                                double           x,
                                                double           y);

/* Whether @c is within @tolerance of 0xRRGGBB @hex on every channel. */
gboolean         tl_test_rgb_near              (TlTestRgb       c,
                                                guint32         hex,
                                                int             tolerance);

/* Whether @c is the background: white with at most the faint stripe of
 * every other lane and a grid line. */
gboolean         tl_test_rgb_is_background     (TlTestRgb       c);

/* The share of pixels that are not background along row @y of @surface,
 * drawn by @timeline, between the times @t0 and @t1. */
double           tl_test_ink_ratio             (cairo_surface_t *surface,
                                                GtkWidget       *timeline,
                                                gint64           t0,
                                                gint64           t1,
                                                double           y);

/* The same against @color. */
gboolean         tl_test_rgb_near_rgba         (TlTestRgb       c,
                                                const GdkRGBA  *color,
                                                int             tolerance);

G_END_DECLS
