/* test-timeline-text.c — text on the timeline never overprints, and the
 * keys people bring from other timelines work
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-text"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "run/tl-runner.h"
#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-private.h"
#include "tl-test-timeline.h"

/* Every text box the layers placed in the last frame, against every other
 * and against every line, arrow and ghost outline drawn across the task
 * lanes: two that share more than a pixel each way would print over each
 * other. A line may pass along the top or bottom of a text's box, where
 * there are no letters, not through its middle half. */
static void
assert_no_overprint (TlTimeline *timeline,
                     const char *what,
                     gboolean    some_text)
{
  const graphene_rect_t *boxes, *strokes;
  guint n, n_strokes;

  strokes = _tl_timeline_get_stroke_boxes (timeline, &n_strokes);
  boxes = _tl_timeline_get_text_boxes (timeline, &n);
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t band;

      _tl_timeline_text_ink_band (&boxes[i], &band);
      for (guint j = 0; j < n_strokes; j++)
        {
          graphene_rect_t overlap;

          if (graphene_rect_intersection (&band, &strokes[j], &overlap) &&
              overlap.size.width > 1 && overlap.size.height > 1)
            g_error ("%s: a line at (%.0f, %.0f, %.0f × %.0f) strikes text at (%.0f, %.0f, %.0f × %.0f)",
                     what, strokes[j].origin.x, strokes[j].origin.y, strokes[j].size.width, strokes[j].size.height,
                     boxes[i].origin.x, boxes[i].origin.y, boxes[i].size.width, boxes[i].size.height);
        }
    }

  boxes = _tl_timeline_get_text_boxes (timeline, &n);
  if (some_text)
    g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        graphene_rect_t overlap;

        if (graphene_rect_intersection (&boxes[i], &boxes[j], &overlap) &&
            overlap.size.width > 1 && overlap.size.height > 1)
          g_error ("%s: text at (%.0f, %.0f, %.0f × %.0f) overprints text at (%.0f, %.0f, %.0f × %.0f)",
                   what, boxes[i].origin.x, boxes[i].origin.y, boxes[i].size.width, boxes[i].size.height,
                   boxes[j].origin.x, boxes[j].origin.y, boxes[j].size.width, boxes[j].size.height);
      }
}

static void
render_to (TlTimeline *timeline,
           const char *dir,
           int         width,
           gboolean    whole_run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "view.png", NULL);

  g_assert_true (tl_timeline_export_image (timeline, path, FALSE, width, whole_run, &error));
  g_assert_no_error (error);
  g_unlink (path);
}

typedef struct {
  char *name;
  char *language;   /* LANGUAGE while the test runs */
} GalleryCase;

/* gettext keeps the translations it found until told the language
 * changed; setting the text domain again tells it. */
static void
set_language_changed (void)
{
  textdomain (GETTEXT_PACKAGE);
}

static void
gallery_case_free (gpointer data)
{
  GalleryCase *c = data;

  g_free (c->name);
  g_free (c->language);
  g_free (c);
}

/* The first task something else cancelled: selected, it shows its cause
 * arrow. */
static guint32
find_caused (TlTimelineModel *model)
{
  for (guint32 i = 0; i < tl_timeline_model_get_n_instances (model); i++)
    if (tl_timeline_model_get_cause (model, i, NULL) != TL_NO_INSTANCE)
      return i;
  return TL_NO_INSTANCE;
}

/* Every gallery preset, run on the virtual clock, drawn whole at two
 * widths and as the window shows it at two window widths, in English and
 * in Korean, and once more with a cancelled task selected (its cause
 * arrow drawn). */
static void
test_gallery_no_overprint (gconstpointer data)
{
  const GalleryCase *c = data;
  const char *name = c->name;
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlRunner) runner = NULL;
  guint32 caused;
  g_autofree char *dir = g_dir_make_tmp ("tl-text-XXXXXX", &error);
  TlRunnerOptions options = { 0, };
  TlTestTimeline tl = { 0, };
  TlTimelineModel *model;
  GtkWidget *timeline;
  static const int widths[] = { 1024, 1600 };

  g_setenv ("LANGUAGE", c->language, TRUE);
  set_language_changed ();
  preset = tl_preset_new_from_builtin (name, &error);
  g_assert_no_error (error);
  options.clock = TL_CLOCK_VIRTUAL;
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  /* HTTP needs real time: the demo server answers on its own clock. */
  if (tl_runner_get_error (runner) != NULL)
    {
      g_clear_object (&runner);
      options.clock = TL_CLOCK_REAL;
      runner = tl_runner_new (preset, &options);
      tl_runner_run (runner);
      g_assert_true (tl_runner_is_finished (runner));
    }
  g_assert_null (tl_runner_get_error (runner));

  tl_test_timeline_show_run (&tl, g_steal_pointer (&runner));
  model = tl.model;
  timeline = tl.timeline;

  TL_TIMELINE (timeline)->marks_drawn = 0;
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree char *what = g_strdup_printf ("%s at %d px (LANGUAGE=%s)", name, widths[w], c->language);

      tl_timeline_set_selected_task (TL_TIMELINE (timeline), TL_NO_INSTANCE);
      render_to (TL_TIMELINE (timeline), dir, widths[w], TRUE);
      assert_no_overprint (TL_TIMELINE (timeline), what, TRUE);
      render_to (TL_TIMELINE (timeline), dir, widths[w], FALSE);
      assert_no_overprint (TL_TIMELINE (timeline), what, FALSE);
      caused = find_caused (model);
      if (caused != TL_NO_INSTANCE)
        {
          tl_timeline_set_selected_task (TL_TIMELINE (timeline), caused);
          render_to (TL_TIMELINE (timeline), dir, widths[w], TRUE);
          assert_no_overprint (TL_TIMELINE (timeline), what, TRUE);
        }
    }
  /* Whatever the layers drew for this preset, the legend explains. */
  for (TlTimelineMark mark = 0; mark < TL_TIMELINE_N_MARKS; mark++)
    if (TL_TIMELINE (timeline)->marks_drawn & (G_GUINT64_CONSTANT (1) << mark))
      {
        g_test_message ("%s draws mark %d: legend entry %d", name, mark, _tl_timeline_legend_entry_of_mark (mark));
        g_assert_cmpint (_tl_timeline_legend_entry_of_mark (mark), <, TL_TIMELINE_N_MARKS);
      }

  g_rmdir (dir);
  tl_test_timeline_clear (&tl);
  /* Back to the language the suite started in; gettext keeps what it
   * found for Korean unless LANGUAGE names another language. */
  g_setenv ("LANGUAGE", saved != NULL && *saved != '\0' ? saved : "C", TRUE);
  set_language_changed ();
}

/* The placing itself: the second of two texts in the same place is
 * dropped, whichever layer drew the first. */
static void
test_second_text_dropped (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-text-XXXXXX", &error);
  TlTestTimeline tl = { 0, };
  GtkWidget *timeline;
  GtkSnapshot *snapshot;
  const graphene_rect_t *boxes;
  guint n;
  int w1, w2;

  g_assert_no_error (error);
  tl_test_timeline_run_builtin (&tl, "wait-first-completed", NULL);
  timeline = tl.timeline;
  render_to (TL_TIMELINE (timeline), dir, 1200, TRUE);
  g_rmdir (dir);

  TL_TIMELINE (timeline)->placing_text = TRUE;
  TL_TIMELINE (timeline)->text_clip = GRAPHENE_RECT_INIT (0, 0, 2000, 2000);
  g_array_set_size (TL_TIMELINE (timeline)->text_boxes, 0);
  snapshot = gtk_snapshot_new ();
  w1 = _tl_timeline_append_text (TL_TIMELINE (timeline), snapshot, "waiting on a timer",
                                 &TL_TIMELINE (timeline)->palette.fg, 300, 100, -1, FALSE);
  w2 = _tl_timeline_append_text (TL_TIMELINE (timeline), snapshot, "pending",
                                 &TL_TIMELINE (timeline)->palette.fg, 320, 102, -1, FALSE);
  g_assert_cmpint (w1, >, 0);
  g_assert_cmpint (w2, ==, 0);
  boxes = _tl_timeline_get_text_boxes (TL_TIMELINE (timeline), &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (boxes[0].origin.x, ==, 300);
  TL_TIMELINE (timeline)->placing_text = FALSE;
  g_clear_pointer (&snapshot, gtk_snapshot_free_to_node);

  tl_test_timeline_clear (&tl);
}

/* The action a key without modifiers triggers on the timeline, from the
 * shortcuts its class installed; NULL for none. GTK keeps letters in
 * lower case and matches either. */
static char *
dup_action_for_key (GtkWidget *widget,
                    guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == gdk_keyval_to_lower (keyval) &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0 &&
              GTK_IS_NAMED_ACTION (action))
            return g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
        }
    }
  return NULL;
}

/* W and S zoom, A and D pan, as in Perfetto and DevTools. */
static void
test_wasd (void)
{
  TlTestTimeline tl = { 0, };
  GtkWidget *timeline;
  static const struct { guint keyval; const char *action; } keys[] = {
    { GDK_KEY_w, "timeline.zoom-in" }, { GDK_KEY_s, "timeline.zoom-out" },
    { GDK_KEY_a, "timeline.pan-left" }, { GDK_KEY_d, "timeline.pan-right" },
    { GDK_KEY_W, "timeline.zoom-in" }, { GDK_KEY_D, "timeline.pan-right" },
  };
  gint64 t0, t1, u0, u1;

  tl_test_timeline_run_builtin (&tl, "gather", NULL);
  timeline = tl.timeline;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *action = dup_action_for_key (timeline, keys[i].keyval);

      g_assert_cmpstr (action, ==, keys[i].action);
    }

  tl_timeline_set_visible_range (TL_TIMELINE (timeline), 1000000, 3000000);
  tl_timeline_get_visible_range (TL_TIMELINE (timeline), &t0, &t1);

  g_assert_true (gtk_widget_activate_action (timeline, "timeline.pan-right", NULL));
  tl_timeline_get_visible_range (TL_TIMELINE (timeline), &u0, &u1);
  g_assert_cmpint (ABS ((u0 - t0) - (t1 - t0) / 4), <=, 1000);
  g_assert_cmpint (ABS ((u1 - u0) - (t1 - t0)), <=, 1000);
  g_assert_false (tl_timeline_get_follow (TL_TIMELINE (timeline)));

  g_assert_true (gtk_widget_activate_action (timeline, "timeline.pan-left", NULL));
  tl_timeline_get_visible_range (TL_TIMELINE (timeline), &u0, &u1);
  g_assert_cmpint (ABS (u0 - t0), <=, 1000);

  g_assert_true (gtk_widget_activate_action (timeline, "timeline.zoom-in", NULL));
  tl_timeline_get_visible_range (TL_TIMELINE (timeline), &u0, &u1);
  g_assert_cmpint (u1 - u0, <, t1 - t0);

  tl_test_timeline_clear (&tl);
}

static const char long_names_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=long names\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Label=results = await asyncio.gather(fetch_user(1), fetch_user(2), fetch_user(3), fetch_user(4))\n"
  "Children=one\n"
  "\n"
  "[Task one]\n"
  "Kind=sleep\n"
  "Label=task1 = asyncio.create_task(fetch_user(1))\n"
  "Duration=1s\n";

static void
count_cb (guint *count)
{
  (*count)++;
}

/* The names column fits its names up to a share of the width, keeps a
 * width the user dragged (the window stores it in GSettings), and a name
 * that does not fit shows whole in the tooltip. */
static void
test_names_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (long_names_text, -1, "long-names", &error);
  g_autofree char *tooltip = NULL;
  g_autoptr(GSettings) settings = NULL;
  TlTestTimeline tl = { 0, };
  TlTimelineModel *model;
  GtkWidget *timeline;
  guint n_notify = 0;
  double narrow, wide, fitted;
  int lane;

  g_assert_no_error (error);
  tl_test_timeline_run (&tl, preset, NULL);
  model = tl.model;
  timeline = tl.timeline;

  /* Long names take room, up to 40 % of a wide window, and never less
   * than a narrow one needs to tell lanes apart. */
  wide = _tl_timeline_label_width (TL_TIMELINE (timeline), 1920);
  narrow = _tl_timeline_label_width (TL_TIMELINE (timeline), 1024);
  g_test_message ("names column: %.0f px at 1920, %.0f px at 1024", wide, narrow);
  g_assert_cmpfloat (wide, >, 300);
  g_assert_cmpfloat (wide, <=, 1920 * 0.4);
  g_assert_cmpfloat (narrow, >=, 160);
  g_assert_cmpfloat (narrow, <=, 1024 * 0.4);

  /* A dragged width holds, and is announced once. */
  g_signal_connect_swapped (timeline, "notify::names-width", G_CALLBACK (count_cb), &n_notify);
  tl_timeline_set_names_width (TL_TIMELINE (timeline), 240);
  tl_timeline_set_names_width (TL_TIMELINE (timeline), 240);
  g_assert_cmpuint (n_notify, ==, 1);
  fitted = _tl_timeline_label_width (TL_TIMELINE (timeline), 1920);
  g_assert_cmpfloat (fitted, ==, 240);

  /* Kept in GSettings when bound, as the window binds it. */
  settings = g_settings_new ("io.github.tasklanes.Tasklanes");
  g_settings_bind (settings, "names-width", timeline, "names-width", G_SETTINGS_BIND_DEFAULT);
  tl_timeline_set_names_width (TL_TIMELINE (timeline), 280);
  g_assert_cmpint (g_settings_get_int (settings, "names-width"), ==, 280);
  g_settings_set_int (settings, "names-width", 0);
  g_assert_cmpint (tl_timeline_get_names_width (TL_TIMELINE (timeline)), ==, 0);
  g_settings_unbind (timeline, "names-width");

  /* The names column's tooltip shows the whole name. */
  gtk_widget_set_size_request (timeline, 1024, 600);
  lane = tl_timeline_model_find_lane (model, 0);
  tooltip = _tl_timeline_dup_tooltip_markup (TL_TIMELINE (timeline), 10,
                                             tl_timeline_lane_to_y (TL_TIMELINE (timeline), lane) + 12, FALSE);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "fetch_user(3), fetch_user(4))"));

  tl_test_timeline_clear (&tl);
}

/* The figures under a chart lane's name are the run's peaks and say so:
 * after a run, "2 busy · 3 queued" read as the state at the end. */
static void
test_lane_peaks (void)
{
  TlTestTimeline tl = { 0, };
  TlTimelineModel *model;
  GtkWidget *timeline;
  guint n_charts = 0;

  tl_test_timeline_run_builtin (&tl, "executor-threads", NULL);
  model = tl.model;
  timeline = tl.timeline;

  for (guint lane = 0; lane < tl_timeline_model_get_n_summary_lanes (model); lane++)
    {
      TlLaneKind kind = tl_timeline_model_get_lane_kind (model, lane);
      g_autofree char *peaks = NULL;

      if (kind != TL_LANE_THREADS && kind != TL_LANE_CONCURRENCY)
        continue;
      peaks = _tl_timeline_dup_lane_peaks (TL_TIMELINE (timeline), lane);
      g_test_message ("lane %u: %s", lane, peaks);
      g_assert_true (g_str_has_prefix (peaks, "peaks: "));
      n_charts++;
    }
  g_assert_cmpuint (n_charts, >=, 1);

  tl_test_timeline_clear (&tl);
}

/* The peaks are drawn under each chart lane's name in both languages:
 * Hangul's taller lines once overlapped the name at fixed offsets, and
 * the Korean figures were left out of every window; stacked by their
 * heights, they then pushed the next lane's name out. The SVG export
 * holds what was drawn as text. */
static void
test_lane_peaks_drawn (gconstpointer data)
{
  const char *language = data;
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-peaks-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "view.svg", NULL);
  g_autofree char *svg = NULL;
  TlTestTimeline tl = { 0, };
  guint n_charts = 0;

  g_assert_no_error (error);
  g_setenv ("LANGUAGE", language, TRUE);
  set_language_changed ();
  tl_test_timeline_run_builtin (&tl, "executor-threads", NULL);
  g_assert_true (tl_timeline_export_image (TL_TIMELINE (tl.timeline), path, TRUE, 1024, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));

  for (guint lane = 0; lane < tl_timeline_model_get_n_summary_lanes (tl.model); lane++)
    {
      TlLaneKind kind = tl_timeline_model_get_lane_kind (tl.model, lane);
      g_autofree char *peaks = NULL;
      g_autofree char *name = NULL;

      if (kind != TL_LANE_THREADS && kind != TL_LANE_CONCURRENCY)
        continue;
      peaks = _tl_timeline_dup_lane_peaks (TL_TIMELINE (tl.timeline), lane);
      name = tl_timeline_model_dup_lane_label (tl.model, lane);
      g_test_message ("lane %u (LANGUAGE=%s): %s, %s", lane, language, name, peaks);
      g_assert_nonnull (strstr (svg, peaks));
      /* Nor does a lane's block push out the next lane's name. */
      g_assert_nonnull (strstr (svg, name));
      n_charts++;
    }
  g_assert_cmpuint (n_charts, ==, 2);

  g_unlink (path);
  g_rmdir (dir);
  tl_test_timeline_clear (&tl);
  g_setenv ("LANGUAGE", saved != NULL && *saved != '\0' ? saved : "C", TRUE);
  set_language_changed ();
}

static void
assert_format (gint64      us,
               const char *expected)
{
  g_autofree char *text = tl_time_format (us);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_time_units (void)
{
  TlRulerTicks ticks;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  /* The English units (the gallery cases switch languages). */
  g_setenv ("LANGUAGE", "C", TRUE);
  /* Every number with its unit, in the unit that reads best. */
  assert_format (0, "0 µs");
  assert_format (850, "850 µs");
  assert_format (1250, "1.25 ms");
  assert_format (12500, "12.5 ms");
  assert_format (850000, "850 ms");
  assert_format (1250000, "1.25 s");
  assert_format (125000000, "2 m 05 s");
  assert_format (120000000, "2 m");

  /* 2 ms a pixel, labels ≥ 96 px apart: a 200 ms step, in seconds. */
  tl_time_ruler_choose (0, 2000000, 2000, 96, &ticks);
  g_assert_cmpint (ticks.step_us, ==, 200000);
  a = tl_time_ruler_format_tick (&ticks, 1200000);
  b = tl_time_ruler_format_tick (&ticks, 0);
  g_assert_cmpstr (a, ==, "1.2 s");
  g_assert_cmpstr (b, ==, "0 s");

  /* Zoomed in to microseconds. */
  tl_time_ruler_choose (0, 2000, 0.5, 96, &ticks);
  g_assert_cmpint (ticks.step_us, ==, 50);
  c = tl_time_ruler_format_tick (&ticks, 150);
  g_assert_cmpstr (c, ==, "150 µs");

  /* Milliseconds with decimals when the step needs them. */
  tl_time_ruler_choose (1000, 6000, 5, 96, &ticks);
  g_assert_cmpint (ticks.step_us, ==, 500);
  g_assert_cmpint (ticks.first_us, ==, 1000);
  d = tl_time_ruler_format_tick (&ticks, 1500);
  g_assert_cmpstr (d, ==, "1.5 ms");

  /* Minutes. */
  tl_time_ruler_choose (0, 600e6, 1e6, 96, &ticks);
  g_assert_cmpint (ticks.step_us, ==, 120 * G_USEC_PER_SEC);
  e = tl_time_ruler_format_tick (&ticks, 150 * G_USEC_PER_SEC);
  g_assert_cmpstr (e, ==, "2 m 30 s");
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) names = NULL;

  /* Korean through LANGUAGE, which gettext honours in C.UTF-8 but not in
   * C, with the catalogue the build compiled. */
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);
  {
    g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

    bindtextdomain (GETTEXT_PACKAGE, localedir);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }

  g_test_add_func ("/timeline/ruler/units", test_time_units);
  names = tl_preset_list_builtin ();
  for (guint i = 0; names[i] != NULL; i++)
    for (guint l = 0; l < 2; l++)
      {
        GalleryCase *c = g_new0 (GalleryCase, 1);
        g_autofree char *path = NULL;

        c->name = g_strdup (names[i]);
        c->language = g_strdup (l == 0 ? "C" : "ko");
        path = g_strdup_printf ("/timeline/text/no-overprint/%s/%s", l == 0 ? "en" : "ko", names[i]);
        g_test_add_data_func_full (path, c, test_gallery_no_overprint, gallery_case_free);
      }
  g_test_add_func ("/timeline/text/second-text-dropped", test_second_text_dropped);
  g_test_add_func ("/timeline/keys/wasd", test_wasd);
  g_test_add_func ("/timeline/names/column", test_names_column);
  g_test_add_func ("/timeline/names/lane-peaks", test_lane_peaks);
  g_test_add_data_func ("/timeline/names/lane-peaks-drawn/en", "C", test_lane_peaks_drawn);
  g_test_add_data_func ("/timeline/names/lane-peaks-drawn/ko", "ko", test_lane_peaks_drawn);

  return g_test_run ();
}
