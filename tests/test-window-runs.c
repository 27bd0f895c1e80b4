/* test-window-runs.c — the window's run files, history, comparison and
 * what-if, driven as a user would through the window's actions
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <gtk/gtk.h>
#include <string.h>

#include "tl-application.h"
#include "record/tl-run-file.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-model.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"
#include "tl-test-util.h"

static TlApplication *app;

/* Runs the open preset in the window, to its end. */
static void
run_once (TlWindow *window)
{
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  g_assert_true (tl_trace_is_complete (tl_window_get_trace (window)));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static const char quick_preset[] =
  "# two short sleeps\n"
  "[Preset]\nFormat=1\nName=quick\nRun=main\n\n"
  "[Task main]\nKind=gather\nChildren=nap\n\n"
  "[Task nap]\nKind=sleep\nDuration=30ms\nRepeat=2\n";

/* Save Run writes the run on screen; opening the file shows the same run
 * without running anything, and its exports are the live run's. */
static void
test_save_and_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-runs-XXXXXX", &error);
  g_autofree char *run_path = g_build_filename (dir, "gather.tasklanes-run", NULL);
  g_autofree char *live_report = g_build_filename (dir, "live.json", NULL);
  g_autofree char *opened_report = g_build_filename (dir, "opened.json", NULL);
  g_autofree char *damaged = tl_test_dup_srcdir_path ("data", "runs", "truncated.tasklanes-run", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) damaged_file = g_file_new_for_path (damaged);
  g_autofree char *live_text = NULL;
  g_autofree char *opened_text = NULL;
  TlWindow *window;
  TlWindow *viewer;

  g_assert_no_error (error);
  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.save-run"));
  g_assert_false (tl_window_save_run (window, run_path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  run_once (window);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.save-run"));
  g_assert_true (tl_window_save_run (window, run_path, &error));
  g_assert_no_error (error);
  g_assert_true (tl_run_file_is_run_file (run_path));
  g_assert_true (tl_window_export_to_path (window, "report", live_report, &error));
  g_assert_no_error (error);

  viewer = tl_test_new_window (app);
  file = g_file_new_for_path (run_path);
  g_assert_true (tl_window_open_file (viewer, file));
  g_assert_false (tl_window_is_running (viewer));
  g_assert_nonnull (tl_window_get_trace (viewer));
  g_assert_true (tl_trace_is_complete (tl_window_get_trace (viewer)));
  g_assert_cmpuint (tl_trace_get_n_instances (tl_window_get_trace (viewer)), ==,
                    tl_trace_get_n_instances (tl_window_get_trace (window)));
  g_assert_cmpstr (tl_window_get_preset (viewer)->builtin_name, ==, "gather");
  g_assert_cmpuint (tl_window_get_n_runs (viewer), ==, 1);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (viewer), "win.export-report"));
  g_assert_true (tl_window_export_to_path (viewer, "report", opened_report, &error));
  g_assert_no_error (error);
  live_text = read_text (live_report);
  opened_text = read_text (opened_report);
  g_assert_cmpstr (opened_text, ==, live_text);

  /* A damaged file: refused with a message, the run on screen stays. */
  g_assert_false (tl_window_open_file (viewer, damaged_file));
  g_assert_nonnull (tl_window_get_trace (viewer));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (w))
          {
            g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (w)), "cut short"));
            gtk_window_destroy (w);
          }
      }
  }

  tl_test_close_window (viewer);

  /* "tasklanes RUN.tasklanes-run": the application opens it in a window. */
  {
    GFile *files[1] = { file };
    GtkWindow *active;

    g_application_open (G_APPLICATION (app), files, 1, "");
    active = gtk_application_get_active_window (GTK_APPLICATION (app));
    g_assert_true (TL_IS_WINDOW (active));
    g_assert_false (tl_window_is_running (TL_WINDOW (active)));
    g_assert_nonnull (tl_window_get_trace (TL_WINDOW (active)));
    g_assert_cmpuint (tl_trace_get_n_instances (tl_window_get_trace (TL_WINDOW (active))), ==,
                      tl_trace_get_n_instances (tl_window_get_trace (window)));
    if (active != GTK_WINDOW (window))
      tl_test_close_window (TL_WINDOW (active));
  }

  tl_test_close_window (window);
  remove_dir (dir);
}

/* The list of the popover that is open now. */
static gboolean
is_open_popover_list (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_LIST_BOX (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) != NULL;
}

static gboolean
history_list_laid_out (gpointer data)
{
  GtkWidget *list = tl_test_find_widget_matching (GTK_WIDGET (data), is_open_popover_list, NULL);

  return list != NULL && gtk_widget_get_height (list) > 0;
}

/* The history popover shows three runs whole, none cut off at its bottom
 * (its rows once wrapped after it had been sized for one-line rows, and
 * the second run was half hidden). */
static void
test_history_popover (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-runs-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "quick.tasklanes", NULL);
  GtkWidget *list, *scroller, *content;
  TlWindow *window;
  guint n_rows = 0;

  g_assert_no_error (error);
  g_file_set_contents (path, quick_preset, -1, &error);
  g_assert_no_error (error);

  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_argument (window, path));
  for (guint i = 0; i < 3; i++)
    run_once (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
  g_assert_true (tl_test_wait_until (history_list_laid_out, window, 10000));
  tl_test_spin (200);
  list = tl_test_find_widget_matching (GTK_WIDGET (window), is_open_popover_list, NULL);
  scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  content = gtk_popover_get_child (GTK_POPOVER (gtk_widget_get_ancestor (list, GTK_TYPE_POPOVER)));
  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      n_rows++;
      /* Inside the scrolled list and inside the popover's content, which
       * clips what its allocation does not reach. */
      g_assert_true (gtk_widget_compute_bounds (row, scroller, &bounds));
      g_test_message ("row %u: y %.0f to %.0f in a scroller %d px tall", n_rows,
                      bounds.origin.y, bounds.origin.y + bounds.size.height,
                      gtk_widget_get_height (scroller));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller) + 0.5);
      g_assert_true (gtk_widget_compute_bounds (row, content, &bounds));
      g_test_message ("row %u: y %.0f to %.0f in the popover's content, %d px tall", n_rows,
                      bounds.origin.y, bounds.origin.y + bounds.size.height,
                      gtk_widget_get_height (content));
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (content) + 0.5);
    }
  g_assert_cmpuint (n_rows, ==, 3);

  tl_test_close_window (window);
  remove_dir (dir);
}

/* Three runs are kept and can be shown again; the eleventh pushes the
 * first out. */
static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-runs-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "quick.tasklanes", NULL);
  TlTrace *traces[3];
  TlWindow *window;

  g_assert_no_error (error);
  g_file_set_contents (path, quick_preset, -1, &error);
  g_assert_no_error (error);

  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_argument (window, path));
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      run_once (window);
      traces[i] = tl_window_get_trace (window);
      g_assert_cmpuint (tl_window_get_n_runs (window), ==, i + 1);
    }

  g_assert_true (tl_window_show_run (window, 0));
  g_assert_true (tl_window_get_trace (window) == traces[0]);
  g_assert_true (tl_window_show_run (window, 2));
  g_assert_true (tl_window_get_trace (window) == traces[2]);
  g_assert_false (tl_window_show_run (window, 3));

  for (guint i = 3; i < 11; i++)
    run_once (window);
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 10);

  /* Another preset starts a history of its own. */
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 0);

  tl_test_close_window (window);
  remove_dir (dir);
}

static gint64
first_wall (TlWindow *window)
{
  const TlSection *section = tl_trace_get_section (tl_window_get_trace (window), 0);

  return section->end_us - section->start_us;
}

/* Threads 2 → 5 on executor-threads, on the real clock: the five calls
 * no longer queue, the wall time drops from 1.5 s to the heartbeat's
 * 1.25 s, and the comparison says so. */
static void
test_what_if_threads (void)
{
  g_autofree char *words = NULL;
  TlWindow *window = tl_test_new_window (app);
  gint64 before, after;

  g_assert_true (tl_window_open_argument (window, "builtin:executor-threads"));
  run_once (window);
  before = first_wall (window);

  g_assert_true (tl_window_set_what_if (window, "Threads", 5));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run-with-changes"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-with-changes", NULL);
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  after = first_wall (window);
  g_test_message ("wall with 2 threads: %" G_GINT64_FORMAT " µs, with 5: %" G_GINT64_FORMAT " µs", before, after);

  g_assert_cmpuint (tl_window_get_preset (window)->threads, ==, 5);
  g_assert_cmpint (before, >=, 1500000);
  g_assert_cmpint (before, <, 2500000);
  g_assert_cmpint (after, >=, 1250000);
  g_assert_cmpint (after, <, before - 150000);

  /* Compared with the previous run at once, in words. */
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 2);
  g_assert_nonnull (tl_window_get_comparison (window));
  words = g_strdup (tl_window_get_comparison (window));
  g_test_message ("%s", words);
  g_assert_nonnull (strstr (words, "Threads: 2 → 5\n"));
  g_assert_nonnull (strstr (words, "main: wall time "));
  g_assert_nonnull (strstr (words, "× faster"));
  g_assert_nonnull (strstr (words, "blocking_io(5): finished at "));

  /* Any two can be compared: the same two the other way round. */
  g_assert_true (tl_window_compare_runs (window, 1, 0));
  g_assert_nonnull (strstr (tl_window_get_comparison (window), "Threads: 5 → 2\n"));
  g_assert_nonnull (strstr (tl_window_get_comparison (window), "× slower"));
  g_assert_false (tl_window_compare_runs (window, 0, 0));

  tl_test_close_window (window);
}

/* A selected task's times, and Save Changes keeping the file's comments. */
static void
test_what_if_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-runs-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "quick.tasklanes", NULL);
  g_autofree char *saved = NULL;
  TlWindow *window;
  TlTrace *trace;
  guint32 nap = TL_NO_INSTANCE;

  g_assert_no_error (error);
  g_file_set_contents (path, quick_preset, -1, &error);
  g_assert_no_error (error);

  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_argument (window, path));
  run_once (window);

  /* Nothing selected: a task's times cannot be set. */
  g_assert_false (tl_window_set_what_if (window, "Duration", 60));

  trace = tl_window_get_trace (window);
  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    if (strcmp (tl_trace_get_preset (trace)->tasks[tl_trace_get_instance (trace, id)->spec].name, "nap") == 0)
      nap = id;
  g_assert_cmpuint (nap, !=, TL_NO_INSTANCE);
  tl_timeline_set_selected_task (TL_TIMELINE (tl_window_get_timeline (window)), nap);

  g_assert_false (tl_window_set_what_if (window, "Work", 60));   /* a sleep has no Work */
  g_assert_true (tl_window_set_what_if (window, "Duration", 60));
  g_assert_true (tl_window_set_what_if (window, "Timeout", 500));
  g_assert_true (tl_window_set_what_if (window, "Threads", 3));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-changes", NULL);

  saved = read_text (path);
  g_assert_true (g_str_has_prefix (saved, "# two short sleeps\n"));
  g_assert_nonnull (strstr (saved, "Run=main\nThreads=3\n"));
  g_assert_nonnull (strstr (saved, "Duration=60ms\nRepeat=2\nTimeout=500ms"));

  tl_test_close_window (window);
  remove_dir (dir);
}

/* The first timeline under @root that is not @skip. */
static TlTimeline *
find_other_timeline (GtkWidget  *root,
                     TlTimeline *skip)
{
  if (TL_IS_TIMELINE (root) && TL_TIMELINE (root) != skip)
    return TL_TIMELINE (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      TlTimeline *found = find_other_timeline (child, skip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Two runs whose tasks differ (the preset changed Repeat and gained a
 * task between them): compared, the same task sits on the same row of
 * both timelines and the earlier run has empty rows for what it lacks. */
static void
test_compare_differing (void)
{
  static const char more[] =
    "[Preset]\nFormat=1\nName=quick\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=nap;extra\n\n"
    "[Task nap]\nKind=sleep\nDuration=30ms\nRepeat=3\n\n"
    "[Task extra]\nKind=sleep\nDuration=10ms\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-runs-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "quick.tasklanes", NULL);
  TlWindow *window;
  TlTimeline *shown, *earlier;
  TlTimelineModel *after, *before;
  guint n, gaps = 0;

  g_assert_no_error (error);
  g_file_set_contents (path, quick_preset, -1, &error);
  g_assert_no_error (error);
  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_argument (window, path));
  run_once (window);
  g_file_set_contents (path, more, -1, &error);
  g_assert_no_error (error);
  g_assert_true (tl_window_open_argument (window, path));
  run_once (window);
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 2);

  g_assert_true (tl_window_compare_runs (window, 0, 1));
  shown = TL_TIMELINE (tl_window_get_timeline (window));
  earlier = find_other_timeline (GTK_WIDGET (window), shown);
  g_assert_nonnull (earlier);
  after = tl_timeline_get_model (shown);
  before = tl_timeline_get_model (earlier);
  g_assert_nonnull (before);
  g_assert_true (tl_timeline_model_is_aligned (after));
  g_assert_true (tl_timeline_model_is_aligned (before));

  n = tl_timeline_model_get_n_lanes (after);
  g_assert_cmpuint (tl_timeline_model_get_n_lanes (before), ==, n);
  for (guint lane = 0; lane < n; lane++)
    {
      TlLaneKind a = tl_timeline_model_get_lane_kind (after, lane);
      TlLaneKind b = tl_timeline_model_get_lane_kind (before, lane);

      /* The later run has every task of the earlier one. */
      g_assert_cmpint (a, !=, TL_LANE_GAP);
      if (b == TL_LANE_GAP)
        {
          gaps++;
          continue;
        }
      g_assert_cmpint (a, ==, b);
      if (a == TL_LANE_TASK)
        {
          g_autofree char *la = tl_timeline_model_dup_lane_label (after, lane);
          g_autofree char *lb = tl_timeline_model_dup_lane_label (before, lane);

          g_assert_cmpstr (la, ==, lb);
        }
    }
  /* The third nap and the extra task. */
  g_assert_cmpuint (gaps, ==, 2);

  /* Shown alone again, the run has no empty rows. */
  g_assert_true (tl_window_show_run (window, 1));
  after = tl_timeline_get_model (shown);
  g_assert_false (tl_timeline_model_is_aligned (after));

  tl_test_close_window (window);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/runs/save-and-open", test_save_and_open);
  g_test_add_func ("/ui/runs/history", test_history);
  g_test_add_func ("/ui/runs/history-popover", test_history_popover);
  g_test_add_func ("/ui/runs/what-if-threads", test_what_if_threads);
  g_test_add_func ("/ui/runs/what-if-save", test_what_if_save);
  g_test_add_func ("/ui/runs/compare-differing", test_compare_differing);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
