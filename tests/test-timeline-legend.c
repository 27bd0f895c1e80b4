/* test-timeline-legend.c — every mark the timeline draws is in the legend,
 * and a mark's paint says what the words say
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-legend"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "trace/tl-trace.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-marks.h"
#include "timeline/tl-timeline-private.h"
#include "window/tl-details-pane.h"
#include "tl-test-timeline.h"

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=legend test\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Children=get;again;nap\n"
  "\n"
  "[Task get]\n"
  "Kind=fetch\n"
  "Url=/users/1\n"
  "\n"
  "[Task again]\n"
  "Kind=fetch\n"
  "Url=/users/2\n"
  "\n"
  "[Task nap]\n"
  "Kind=sleep\n"
  "Duration=1s\n";

typedef struct {
  TlTestTimeline tl;
  guint32        root, get, again, nap;
} Fixture;

/* main (gather) from 0 to 1 s:
 *   get:   a request: DNS 0–50 ms, connect 50–150 ms, request 150–200 ms,
 *          first byte at 400 ms, body read until 900 ms, ok
 *   again: the same server on a reused connection, 100–600 ms, failed
 *   nap:   sleep 1 s, started at 0, cancelled at 400 ms: would have
 *          ended at 1 s */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "legend-test", &error);
  TlHttpDetails *http;
  TlTrace *t;

  g_assert_no_error (error);
  t = tl_trace_new (preset);
  tl_trace_begin_section (t, 0, 0, 0);
  f->root = tl_trace_add_instance (t, TL_NO_INSTANCE, tl_test_spec_of (t, "main"), 1, 0, TL_ON_LOOP, 0);
  f->get = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "get"), 1, 0, TL_ON_LOOP, 0);
  f->again = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "again"), 1, 0, TL_ON_LOOP, 0);
  f->nap = tl_trace_add_instance (t, f->root, tl_test_spec_of (t, "nap"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (t, f->root, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, f->get, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, f->nap, TL_STATE_WAITING, 0);
  tl_trace_set_state (t, f->again, TL_STATE_WAITING, 100000);

  http = tl_trace_ensure_http (t, f->get);
  http->status = 200;
  http->fetch_start_us = 0;
  http->dns_start_us = 0, http->dns_end_us = 50000;
  http->connect_start_us = 50000, http->connect_end_us = 150000;
  http->tls_start_us = http->tls_end_us = -1;
  http->request_start_us = 150000, http->request_end_us = 200000;
  http->first_byte_us = 400000;
  http->end_us = 900000;

  http = tl_trace_ensure_http (t, f->again);
  http->status = 500;
  http->connection_reused = TRUE;
  http->fetch_start_us = 100000;
  http->dns_start_us = http->dns_end_us = -1;
  http->connect_start_us = http->connect_end_us = -1;
  http->tls_start_us = http->tls_end_us = -1;
  http->request_start_us = 100000, http->request_end_us = 120000;
  http->first_byte_us = 300000;
  http->end_us = 600000;

  tl_trace_set_cancelled (t, f->nap, TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, f->again, 600000);
  tl_trace_set_error (t, f->again, "HTTP 500 Internal Server Error");
  tl_trace_set_state (t, f->again, TL_STATE_FAILED, 600000);
  tl_trace_set_result (t, f->get, "200 OK");
  tl_trace_set_state (t, f->get, TL_STATE_OK, 900000);
  tl_trace_set_state (t, f->root, TL_STATE_OK, 1000000);
  tl_trace_end_section (t, 0, 1000000);
  tl_trace_complete (t, 1000000);

  tl_test_timeline_show_trace (&f->tl, t);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tl_test_timeline_clear (&f->tl);
}

static double
lane_top_of (Fixture *f,
             guint32  instance)
{
  int lane = tl_timeline_model_find_lane (f->tl.model, instance);

  g_assert_cmpint (lane, >=, 0);
  return tl_timeline_lane_to_y (TL_TIMELINE (f->tl.timeline), lane);
}

/* Every kind of mark has a legend entry with words; the enum the layers
 * note their marks in is the legend's, so a new kind without an entry
 * fails here. */
static void
test_every_mark_has_entry (void)
{
  for (TlTimelineMark mark = 0; mark < TL_TIMELINE_N_MARKS; mark++)
    {
      TlTimelineMark entry = _tl_timeline_legend_entry_of_mark (mark);
      const char *text;

      g_assert_cmpint (entry, <, TL_TIMELINE_N_MARKS);
      g_assert_cmpint (_tl_timeline_legend_entry_of_mark (entry), ==, entry);
      text = _tl_timeline_legend_entry_text (entry);
      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 2);
    }
  /* The marks people asked about by name have entries of their own. */
  {
    static const TlTimelineMark own[] = {
      TL_TIMELINE_MARK_LOOP_BUSY, TL_TIMELINE_MARK_LOOP_LAG, TL_TIMELINE_MARK_FAILED_END,
      TL_TIMELINE_MARK_REUSED_CONNECTION, TL_TIMELINE_MARK_CREATED, TL_TIMELINE_MARK_READING_BODY,
      TL_TIMELINE_MARK_WOULD_HAVE_RUN, TL_TIMELINE_MARK_CAUSE_ARROW, TL_TIMELINE_MARK_ERROR_ARROW,
    };

    for (guint i = 0; i < G_N_ELEMENTS (own); i++)
      g_assert_cmpint (_tl_timeline_legend_entry_of_mark (own[i]), ==, own[i]);
  }
  g_assert_cmpstr (_tl_timeline_legend_entry_text (TL_TIMELINE_MARK_WOULD_HAVE_RUN), !=,
                   _tl_timeline_legend_entry_text (TL_TIMELINE_MARK_NEVER_STARTED));
}

/* What the layers drew for this run: each kind has its entry, and the
 * kinds this run must show were drawn. */
static void
test_drawn_marks_explained (Fixture       *f,
                            gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  static const TlTimelineMark expected[] = {
    TL_TIMELINE_MARK_HTTP_CONNECT, TL_TIMELINE_MARK_READING_BODY, TL_TIMELINE_MARK_WAITING,
    TL_TIMELINE_MARK_FAILED_END, TL_TIMELINE_MARK_REUSED_CONNECTION, TL_TIMELINE_MARK_WOULD_HAVE_RUN,
    TL_TIMELINE_MARK_OK, TL_TIMELINE_MARK_FAILED, TL_TIMELINE_MARK_CANCELLED, TL_TIMELINE_MARK_BRACKET,
    TL_TIMELINE_MARK_SECTION, TL_TIMELINE_MARK_COMPOSITE,
  };

  timeline->marks_drawn = 0;
  tl_timeline_set_visible_range (timeline, 0, 1200000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  cairo_surface_destroy (surface);

  for (TlTimelineMark mark = 0; mark < TL_TIMELINE_N_MARKS; mark++)
    if (timeline->marks_drawn & (G_GUINT64_CONSTANT (1) << mark))
      g_assert_cmpint (_tl_timeline_legend_entry_of_mark (mark), <, TL_TIMELINE_N_MARKS);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("mark %d drawn?", expected[i]);
      g_assert_true (timeline->marks_drawn & (G_GUINT64_CONSTANT (1) << expected[i]));
    }
}

/* An HTTP phase is painted as the state the details pane names while it
 * lasts: the body being read is waiting (on I/O), in its own colour, not
 * the running blue. */
static void
test_http_phases_agree (Fixture       *f,
                        gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  const TlHttpDetails *http = tl_trace_get_http (f->tl.trace, f->get);
  cairo_surface_t *surface;
  double top = lane_top_of (f, f->get);
  guint n_phases = 0;

  tl_timeline_set_visible_range (timeline, 0, 1000000);
  surface = tl_test_timeline_render (f->tl.timeline, 1000);

  for (TlHttpPhase phase = 0; phase < TL_N_HTTP_PHASES; phase++)
    {
      TlTimelineMark mark = tl_timeline_mark_of_http_phase (phase);
      TlState painted = tl_timeline_mark_get_state (mark);
      TlState at;
      gint64 s0, s1;

      if (!tl_http_phase_get_span (http, phase, &s0, &s1))
        continue;
      n_phases++;
      at = tl_timeline_model_get_state_at (f->tl.model, f->get, (s0 + s1) / 2);
      g_test_message ("phase %d: painted %s, details say %s", phase,
                      tl_details_state_name (painted), tl_details_state_name (at));
      g_assert_cmpint (painted, ==, at);
      g_assert_cmpstr (tl_details_state_name (painted), ==, tl_details_state_name (at));
      g_assert_cmpint (_tl_timeline_legend_entry_of_mark (mark), ==, mark);
    }
  g_assert_cmpuint (n_phases, ==, 5);

  /* The body (400–900 ms): half height in the reading colour; the upper
   * quarter of the bar stays clear, as for any waiting. Never the
   * running blue. In the light and in the dark palette. */
  for (int dark = 0; dark <= 1; dark++)
  for (gint64 t = 650000; t < 880000; t += 40000)
    {
      if (t == 650000 && dark)
        {
          cairo_surface_destroy (surface);
          timeline->forced_dark = TRUE;
          _tl_timeline_clear_style_caches (timeline);
          surface = tl_test_timeline_render (f->tl.timeline, 1000);
          g_assert_true (timeline->palette.dark);
        }
      double x = tl_timeline_time_to_x (timeline, t);

      /* The colour the details pane's waterfall paints the body in. */
      g_assert_true (tl_test_rgb_near_rgba (tl_test_pixel (surface, x, top + BAR_PAD + 10),
                                            tl_timeline_palette_get_mark_color (&timeline->palette,
                                                                                tl_timeline_mark_of_http_phase (TL_HTTP_PHASE_BODY)),
                                            12));
      g_assert_false (tl_test_rgb_near_rgba (tl_test_pixel (surface, x, top + BAR_PAD + 1), &timeline->palette.running, 60));
      g_assert_false (tl_test_rgb_near_rgba (tl_test_pixel (surface, x, top + BAR_PAD + 10), &timeline->palette.running, 40));
    }
  cairo_surface_destroy (surface);
}

/* A cancelled task's rest ("would have ended at 1.00 s") is not drawn
 * as the never-started outline: no dashed top edge, a dotted foot and a
 * tick where it would have ended. */
static void
test_would_have_run_style (Fixture       *f,
                           gconstpointer  data)
{
  TlTimeline *timeline = TL_TIMELINE (f->tl.timeline);
  cairo_surface_t *surface;
  double top = lane_top_of (f, f->nap) + BAR_PAD, h = tl_timeline_get_lane_height (TL_TIMELINE (f->tl.timeline)) - 2 * BAR_PAD;
  double x0, x1;
  guint dark_top = 0, foot = 0;

  tl_timeline_set_visible_range (timeline, 0, 2500000);
  timeline->marks_drawn = 0;
  surface = tl_test_timeline_render (f->tl.timeline, 1000);
  g_assert_true (timeline->marks_drawn & (G_GUINT64_CONSTANT (1) << TL_TIMELINE_MARK_WOULD_HAVE_RUN));
  g_assert_false (timeline->marks_drawn & (G_GUINT64_CONSTANT (1) << TL_TIMELINE_MARK_NEVER_STARTED));

  x0 = round (tl_timeline_time_to_x (timeline, 600000));
  x1 = round (tl_timeline_time_to_x (timeline, 1000000));
  g_assert_cmpfloat (x1 - x0, >, 60);
  /* After the ⊘ marker, before the end tick. */
  for (double x = x0 + 20; x < x1 - 4; x++)
    {
      TlTestRgb c = tl_test_pixel (surface, x, top);
      TlTestRgb d = tl_test_pixel (surface, x, top + 2);

      dark_top += c.r < 200 || d.r < 200;
      foot += tl_test_rgb_near_rgba (tl_test_pixel (surface, x, top + h - 2), &timeline->palette.would_have, 30);
    }
  g_assert_cmpuint (dark_top, ==, 0);
  g_assert_cmpuint (foot, >, 4);
  g_assert_true (tl_test_rgb_near_rgba (tl_test_pixel (surface, x1 - 1, top + h / 2), &timeline->palette.would_have, 30));
  cairo_surface_destroy (surface);
}

/* The colours this legend added read on both styles' backgrounds: lines
 * and bars at least 3:1 (WCAG's figure for graphics), the faint fill
 * visibly apart from the background, each in a variant of its own in
 * the dark palette. */
static void
test_new_colours_contrast (void)
{
  for (int dark = 0; dark <= 1; dark++)
    {
      TlTimelinePalette p, other;

      tl_timeline_palette_init (&p, dark);
      tl_timeline_palette_init (&other, !dark);
      g_test_message ("%s: reading %.2f, would-have %.2f, fill %.2f", dark ? "dark" : "light",
                      tl_timeline_palette_contrast (&p.reading, &p.bg),
                      tl_timeline_palette_contrast (&p.would_have, &p.bg),
                      tl_timeline_palette_contrast (&p.would_have_bg, &p.bg));
      g_assert_cmpfloat (tl_timeline_palette_contrast (&p.reading, &p.bg), >=, 3.0);
      g_assert_cmpfloat (tl_timeline_palette_contrast (&p.would_have, &p.bg), >=, 3.0);
      g_assert_cmpfloat (tl_timeline_palette_contrast (&p.would_have_bg, &p.bg), >=, 1.1);
      /* Told apart from the bars it sits among. */
      g_assert_cmpfloat (tl_timeline_palette_contrast (&p.reading, &p.waiting), >=, 1.5);
      /* Its hue is not the running blue's. */
      g_assert_cmpfloat (fabs (p.reading.blue - p.running.blue) + fabs (p.reading.red - p.running.red), >, 0.25);
      g_assert_false (gdk_rgba_equal (&p.reading, &other.reading));
      g_assert_false (gdk_rgba_equal (&p.would_have, &other.would_have));
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/legend/every-mark-has-entry", test_every_mark_has_entry);
  g_test_add ("/timeline/legend/drawn-marks-explained", Fixture, NULL,
              fixture_set_up, test_drawn_marks_explained, fixture_tear_down);
  g_test_add ("/timeline/legend/http-phases-agree", Fixture, NULL,
              fixture_set_up, test_http_phases_agree, fixture_tear_down);
  g_test_add ("/timeline/legend/would-have-run-style", Fixture, NULL,
              fixture_set_up, test_would_have_run_style, fixture_tear_down);
  g_test_add_func ("/timeline/legend/new-colours-contrast", test_new_colours_contrast);

  return g_test_run ();
}
