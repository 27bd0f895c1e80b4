/* tl-test-timeline.c — a timeline widget over a run, for the timeline
 * test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tl-test-timeline.h"

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=timeline widget test\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Children=first;group\n"
  "\n"
  "[Task first]\n"
  "Kind=sleep\n"
  "Label=fetch_user({i})\n"
  "Duration=1s\n"
  "Repeat=2\n"
  "\n"
  "[Task group]\n"
  "Kind=sequence\n"
  "Children=inner\n"
  "\n"
  "[Task inner]\n"
  "Kind=sleep\n"
  "Duration=1s\n";

TlPreset *
tl_test_timeline_load_preset (void)
{
  g_autoptr(GError) error = NULL;
  TlPreset *preset = tl_preset_new_from_data (preset_text, -1, "timeline-test", &error);

  g_assert_no_error (error);
  return preset;
}

guint
tl_test_spec_of (TlTrace    *trace,
                 const char *name)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return i;
  g_error ("no task “%s” in the preset", name);
  return 0;
}

guint32
tl_test_find_label (TlTrace    *trace,
                    const char *label)
{
  for (guint32 i = 0; i < tl_trace_get_n_instances (trace); i++)
    {
      g_autofree char *l = tl_trace_dup_label (trace, i);

      if (strcmp (l, label) == 0)
        return i;
    }
  g_error ("no instance labelled “%s” in the run", label);
  return TL_NO_INSTANCE;
}

void
tl_test_timeline_show_trace (TlTestTimeline *tl,
                             TlTrace        *trace)
{
  tl->trace = trace;
  tl->model = tl_timeline_model_new (trace);
  tl->timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (tl->timeline), tl->model);
}

void
tl_test_timeline_show_run (TlTestTimeline *tl,
                           TlRunner       *runner)
{
  tl->runner = runner;
  tl_test_timeline_show_trace (tl, tl_trace_ref (tl_runner_get_trace (runner)));
}

void
tl_test_timeline_run (TlTestTimeline        *tl,
                      TlPreset              *preset,
                      const TlRunnerOptions *options)
{
  TlRunnerOptions virtual_clock = { TL_CLOCK_VIRTUAL, 0, 0, NULL };

  TlRunner *runner = tl_runner_new (preset, options != NULL ? options : &virtual_clock);

  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_no_error (tl_runner_get_error (runner));
  tl_test_timeline_show_run (tl, runner);
}

void
tl_test_timeline_run_builtin (TlTestTimeline        *tl,
                              const char            *name,
                              const TlRunnerOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (name, &error);

  g_assert_no_error (error);
  tl_test_timeline_run (tl, preset, options);
}

void
tl_test_timeline_clear (TlTestTimeline *tl)
{
  g_assert_finalize_object (tl->timeline);
  g_assert_finalize_object (tl->model);
  g_clear_pointer (&tl->trace, tl_trace_unref);
  if (tl->runner != NULL)
    g_assert_finalize_object (g_steal_pointer (&tl->runner));
  tl->timeline = NULL;
  tl->model = NULL;
}

cairo_surface_t *
tl_test_timeline_render (GtkWidget *timeline,
                         int        width)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-timeline-XXXXXX", &error);
  g_autofree char *path = NULL;
  cairo_surface_t *surface;

  g_assert_no_error (error);
  path = g_build_filename (dir, "view.png", NULL);
  g_assert_true (tl_timeline_export_image (TL_TIMELINE (timeline), path, FALSE, width, FALSE, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_unlink (path);
  g_rmdir (dir);
  return surface;
}

TlTestRgb
tl_test_pixel (cairo_surface_t *surface,
               double           x,
               double           y)
{
  int ix = (int) x, iy = (int) y;
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 argb;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (surface));
  argb = *(const guint32 *) (const void *) (data + iy * stride + ix * 4);
  return (TlTestRgb) { (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff };
}

gboolean
tl_test_rgb_near (TlTestRgb c,
                  guint32   hex,
                  int       tolerance)
{
  return ABS (c.r - (int) ((hex >> 16) & 0xff)) <= tolerance &&
         ABS (c.g - (int) ((hex >> 8) & 0xff)) <= tolerance &&
         ABS (c.b - (int) (hex & 0xff)) <= tolerance;
}

gboolean
tl_test_rgb_is_background (TlTestRgb c)
{
  return c.r >= 220 && c.g >= 220 && c.b >= 220;
}

double
tl_test_ink_ratio (cairo_surface_t *surface,
                   GtkWidget       *timeline,
                   gint64           t0,
                   gint64           t1,
                   double           y)
{
  double x0 = tl_timeline_time_to_x (TL_TIMELINE (timeline), t0);
  double x1 = tl_timeline_time_to_x (TL_TIMELINE (timeline), t1);
  guint n = 0, ink = 0;

  for (double x = x0; x < x1; x++, n++)
    ink += !tl_test_rgb_is_background (tl_test_pixel (surface, x, y));
  return n > 0 ? (double) ink / n : 0;
}

gboolean
tl_test_rgb_near_rgba (TlTestRgb      c,
                       const GdkRGBA *color,
                       int            tolerance)
{
  return ABS (c.r - (int) (color->red * 255)) <= tolerance &&
         ABS (c.g - (int) (color->green * 255)) <= tolerance &&
         ABS (c.b - (int) (color->blue * 255)) <= tolerance;
}
