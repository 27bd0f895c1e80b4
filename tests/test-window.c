/* test-window.c — the main window: runs, stop, cancel, files, shortcuts
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs on the test's main thread: GTK is driven by iterating
 * the default main context until a condition holds or a timeout passes.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tl-application.h"
#include "window/tl-details-pane.h"
#include "window/tl-reload-banner.h"
#include "window/tl-gallery.h"
#include "window/tl-summary-bar.h"
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-model.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"
#include "tl-test-util.h"

static TlApplication *app;

static char *
write_preset (const char *dir,
              const char *name,
              const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static guint32
find_instance (TlTrace    *trace,
               const char *task_name)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  guint n = tl_trace_get_n_instances (trace);

  for (guint32 id = 0; id < n; id++)
    if (g_str_equal (preset->tasks[tl_trace_get_instance (trace, id)->spec].name, task_name))
      return id;

  return TL_NO_INSTANCE;
}

/* --- a whole run ------------------------------------------------------- */

static void
test_run_to_end (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *bar;
  g_autofree char *text = NULL;
  TlTrace *trace;
  GtkWidget *timeline;

  g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "sync-vs-async");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.stop"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.export-trace"));

  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));

  trace = tl_window_get_trace (window);
  g_assert_nonnull (trace);
  g_assert_true (tl_trace_is_complete (trace));
  g_assert_cmpuint (tl_trace_get_n_sections (trace), ==, 2);
  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    g_assert_cmpint (tl_trace_get_outcome (trace, id)->state, ==, TL_STATE_OK);

  /* The summary shows both sections, their states and the speed-up. */
  bar = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_SUMMARY_BAR, NULL);
  g_assert_nonnull (bar);
  text = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("summary: %s", text);
  g_assert_nonnull (strstr (text, "4 ok"));
  g_assert_nonnull (strstr (text, "faster"));
  g_assert_nonnull (strstr (text, "3.0×"));
  g_assert_nonnull (strstr (text, "1.0×"));

  /* The timeline shows the finished run. */
  timeline = tl_window_get_timeline (window);
  g_assert_nonnull (tl_timeline_get_model (TL_TIMELINE (timeline)));
  g_assert_true (tl_timeline_model_is_complete (tl_timeline_get_model (TL_TIMELINE (timeline))));

  /* After the run: exports and Run again. */
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.stop"));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-trace"));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-report"));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-csv"));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-image"));

  /* Every export of the menu writes its file. */
  {
    g_autofree char *dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", NULL);
    static const char *formats[] = { "trace", "report", "csv", "png", "svg" };

    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autofree char *name = g_strdup_printf ("out.%s", formats[i]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (tl_window_export_to_path (window, formats[i], path, &error));
        g_assert_no_error (error);
        g_file_get_contents (path, &contents, &length, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (length, >, 100);

        if (g_str_equal (formats[i], "trace") || g_str_equal (formats[i], "report"))
          {
            g_autoptr(JsonParser) parser = json_parser_new ();

            json_parser_load_from_data (parser, contents, length, &error);
            g_assert_no_error (error);
          }
        else if (g_str_equal (formats[i], "png"))
          g_assert_true (memcmp (contents, "\x89PNG", 4) == 0);
        else if (g_str_equal (formats[i], "svg"))
          g_assert_nonnull (strstr (contents, "<svg"));
        else
          g_assert_nonnull (strstr (contents, "fetch_user(1)"));
        g_unlink (path);
      }
    g_rmdir (dir);
  }

  tl_test_close_window (window);
}

/* --- stop in the middle ------------------------------------------------ */

static gboolean
has_running_leaf (gpointer data)
{
  TlWindow *window = data;
  TlTrace *trace = tl_window_get_trace (window);

  return trace != NULL && tl_trace_get_n_instances (trace) >= 2;
}

static void
test_stop (void)
{
  TlWindow *window = tl_test_new_window (app);
  TlTrace *trace;
  gint64 start;
  guint cancelled = 0;

  /* Three one-second look-ups one by one: Stop after about 0.3 s. */
  g_assert_true (tl_window_open_argument (window, "builtin:sync-vs-async"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  start = g_get_monotonic_time ();
  g_assert_true (tl_test_wait_until (has_running_leaf, window, 5000));
  tl_test_spin (300);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 5000));

  /* Well before the 4 s the whole preset needs. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);

  trace = tl_window_get_trace (window);
  g_assert_true (tl_trace_is_complete (trace));
  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    {
      const TlOutcome *outcome = tl_trace_get_outcome (trace, id);

      g_assert_true (TL_STATE_IS_FINAL (outcome->state));
      if (outcome->state == TL_STATE_CANCELLED)
        cancelled++;
    }
  g_assert_cmpuint (cancelled, >, 0);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));

  tl_test_close_window (window);
}


static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Stop says at once that it is stopping, and why the run still goes. */
static gboolean
calls_on_threads (gpointer data)
{
  TlTrace *trace = tl_window_get_trace (data);
  TlTimelineModel *model = tl_timeline_get_model (TL_TIMELINE (tl_window_get_timeline (data)));

  if (trace == NULL || model == NULL)
    return FALSE;

  /* As the window counts them: running in the model the lanes draw. */
  for (guint copy = 1; copy <= 2; copy++)
    {
      guint32 id = tl_test_find_instance (trace, "call", copy);

      if (id == TL_NO_INSTANCE || id >= tl_timeline_model_get_n_instances (model) ||
          tl_timeline_model_get_state (model, id) != TL_STATE_RUNNING)
        return FALSE;
    }
  return TRUE;
}

static void
test_stop_explains (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-stop-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir, "threads.tasklanes",
                                        "[Preset]\nFormat=1\nName=Threads\nRun=all\nThreads=2\n"
                                        "[Task all]\nKind=gather\nChildren=call\n"
                                        "[Task call]\nKind=blocking\nOn=thread\nDuration=4s\nRepeat=2\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *bar = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_SUMMARY_BAR, NULL);
  GtkWidget *stop = find_action_button (GTK_WIDGET (window), "win.stop");
  g_autofree char *live = NULL;
  g_autofree char *after = NULL;

  g_assert_nonnull (stop);
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  /* Stop once both calls are on their threads. A fixed pause is not
   * enough: a sanitizer build on a busy machine can spend it drawing. The
   * calls last long enough that no slow frame lets them end first. */
  g_assert_true (tl_test_wait_until (calls_on_threads, window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);

  /* Before anything returns: the button and the status say it. */
  g_assert_true (tl_window_is_running (window));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (stop)))),
                   ==, "Stopping…");
  live = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("while stopping: %s", live);
  g_assert_nonnull (strstr (live, "2 calls on threads cannot be interrupted; they finish their current call"));

  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 10000));
  tl_test_spin (200);
  after = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("after: %s", after);
  g_assert_nonnull (strstr (after, "You stopped this run"));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (stop)))),
                   ==, "Stop");

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* --- cancel one task from the details pane ----------------------------- */

typedef struct {
  TlWindow   *window;
  const char *name;
  guint32     id;
} WaitTask;

static gboolean
task_is_waiting (gpointer data)
{
  WaitTask *wt = data;
  TlTimeline *timeline = TL_TIMELINE (tl_window_get_timeline (wt->window));
  TlTimelineModel *model = tl_timeline_get_model (timeline);
  TlTrace *trace = tl_window_get_trace (wt->window);

  if (trace == NULL || model == NULL)
    return FALSE;

  wt->id = find_instance (trace, wt->name);
  return wt->id != TL_NO_INSTANCE &&
         tl_timeline_model_get_state (model, wt->id) == TL_STATE_WAITING;
}

static gboolean
button_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_get_sensitive (data);
}

static void
test_cancel_task (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-window-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir, "cancel.tasklanes",
                                        "[Preset]\n"
                                        "Format=1\n"
                                        "Name=Cancel one\n"
                                        "Run=both\n"
                                        "\n"
                                        "[Task both]\n"
                                        "Kind=gather\n"
                                        "Children=slow;other\n"
                                        "ReturnExceptions=true\n"
                                        "\n"
                                        "[Task slow]\n"
                                        "Kind=sleep\n"
                                        "Duration=3s\n"
                                        "\n"
                                        "[Task other]\n"
                                        "Kind=sleep\n"
                                        "Duration=500ms\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  WaitTask wt = { window, "slow", TL_NO_INSTANCE };
  GtkWidget *pane, *cancel;
  TlTrace *trace;
  const TlOutcome *outcome;
  gint64 start;

  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  start = g_get_monotonic_time ();
  g_assert_true (tl_test_wait_until (task_is_waiting, &wt, 5000));

  tl_timeline_set_selected_task (TL_TIMELINE (tl_window_get_timeline (window)), wt.id);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.cancel-task"));

  pane = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_DETAILS_PANE, NULL);
  g_assert_nonnull (pane);
  g_assert_cmpuint (tl_details_pane_get_instance (TL_DETAILS_PANE (pane)), ==, wt.id);
  cancel = tl_test_find_widget (pane, GTK_TYPE_BUTTON, "_Cancel Task");
  g_assert_nonnull (cancel);
  g_assert_true (tl_test_wait_until (button_visible, cancel, 2000));
  g_signal_emit_by_name (cancel, "clicked");

  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 5000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);

  trace = tl_window_get_trace (window);
  outcome = tl_trace_get_outcome (trace, wt.id);
  g_assert_cmpint (outcome->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (outcome->cause, ==, TL_CAUSE_USER);
  outcome = tl_trace_get_outcome (trace, find_instance (trace, "other"));
  g_assert_cmpint (outcome->state, ==, TL_STATE_OK);

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* --- the details pane ---------------------------------------------------- */

static void
test_details (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *pane = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_DETAILS_PANE, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  TlTrace *trace;
  guint32 cut_off;

  /* asyncio.timeout(1) around a 3 s wait: the wait is cut off at 1 s. */
  g_assert_true (tl_window_open_argument (window, "builtin:timeout"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 10000));

  trace = tl_window_get_trace (window);
  cut_off = find_instance (trace, "long-running");
  g_assert_cmpuint (cut_off, !=, TL_NO_INSTANCE);
  g_assert_cmpint (tl_trace_get_outcome (trace, cut_off)->state, ==, TL_STATE_CANCELLED);

  g_assert_false (tl_window_show_task (window, "no-such-task"));
  g_assert_true (tl_window_show_task (window, "long-running"));
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (tl_window_get_timeline (window))),
                    ==, cut_off);
  g_assert_cmpuint (tl_details_pane_get_instance (TL_DETAILS_PANE (pane)), ==, cut_off);
  tl_test_collect_text (pane, text);
  g_test_message ("details: %s", text->str);

  /* Who cancelled it and why, where it ran, when, and its family. */
  g_assert_nonnull (strstr (text->str, "Cancelled because the timeout of"));
  g_assert_nonnull (strstr (text->str, "(1.00 s) fired"));
  g_assert_nonnull (strstr (text->str, "On the event loop"));
  g_assert_nonnull (strstr (text->str, "Created: at "));
  g_assert_nonnull (strstr (text->str, "Finished: at "));
  g_assert_nonnull (strstr (text->str, "Parent"));

  /* The parent row leads to the parent. */
  {
    guint32 parent = tl_trace_get_instance (trace, cut_off)->parent;

    g_signal_emit_by_name (pane, "instance-activated", parent);
    g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (tl_window_get_timeline (window))),
                      ==, parent);
    g_assert_cmpuint (tl_details_pane_get_instance (TL_DETAILS_PANE (pane)), ==, parent);
  }

  tl_test_close_window (window);
}


/* Asks the details pane to scroll to its end; TRUE once it could. */
static gboolean
pane_scrolls_down (gpointer data)
{
  TlDetailsPane *pane = data;

  tl_details_pane_set_scroll (pane, 100000);
  return tl_details_pane_get_scroll (pane) > 100;
}

static gboolean
widget_has_width (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* Up/Down move the selection only; Enter opens the details, which start
 * at their top for every new task. */
static void
test_details_keys (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-keys-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir, "many.tasklanes",
                                        "[Preset]\nFormat=1\nName=Many\nRun=all\n"
                                        "[Task all]\nKind=gather\nChildren=job\n"
                                        "[Task job]\nKind=sleep\nDuration=10ms\nRepeat=60\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *timeline = tl_window_get_timeline (window);
  TlDetailsPane *pane = TL_DETAILS_PANE (tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_DETAILS_PANE, NULL));
  guint32 first;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  tl_test_spin (200);
  gtk_widget_grab_focus (timeline);

  /* The keys are the timeline's own bindings to its actions. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pane)));
  gtk_widget_activate_action (timeline, "timeline.select-next", NULL);
  first = tl_timeline_get_selected_task (TL_TIMELINE (timeline));
  g_assert_cmpuint (first, !=, TL_NO_INSTANCE);
  tl_test_spin (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pane)));
  gtk_widget_activate_action (timeline, "timeline.select-next", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (timeline)), !=, first);
  gtk_widget_activate_action (timeline, "timeline.select-previous", NULL);
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (timeline)), ==, first);
  tl_test_spin (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pane)));

  /* Enter opens the details of the selected task: the gather, whose
   * sixty children make a pane taller than the window. */
  gtk_widget_activate_action (timeline, "timeline.activate", NULL);
  tl_test_spin (800);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pane)));
  g_assert_cmpuint (tl_details_pane_get_instance (pane), ==, first);

  /* The pane can only scroll once its content is laid out, which a
   * sanitizer build on a busy machine may take a while to do. */
  g_assert_true (tl_test_wait_until (pane_scrolls_down, pane, 10000));
  g_test_message ("scrolled to %.0f", tl_details_pane_get_scroll (pane));
  g_assert_cmpfloat (tl_details_pane_get_scroll (pane), >, 100);

  /* With the pane open, Down shows the next task, from its top. */
  gtk_widget_activate_action (timeline, "timeline.select-next", NULL);
  tl_test_spin (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pane)));
  g_assert_cmpuint (tl_details_pane_get_instance (pane), ==,
                    tl_timeline_get_selected_task (TL_TIMELINE (timeline)));
  g_assert_cmpfloat (tl_details_pane_get_scroll (pane), ==, 0);

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* --- files --------------------------------------------------------------- */

static GtkWindow *
find_dialog (TlWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      /* GTK's list keeps the window alive after our reference goes. */
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return w;
    }

  return NULL;
}

typedef struct {
  TlWindow   *window;
  const char *name;
} WaitName;

static gboolean
preset_named (gpointer data)
{
  WaitName *wn = data;
  TlPreset *preset = tl_window_get_preset (wn->window);

  return preset != NULL && g_strcmp0 (preset->name, wn->name) == 0;
}

static TlReloadBanner *
find_reload_banner (TlWindow *window)
{
  return TL_RELOAD_BANNER (tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_RELOAD_BANNER, NULL));
}

/* Editing loop: a broken save shows its error in place (file:line, the
 * line, the message), no dialog; a good save keeps the last run. */
static void
test_reload_banner (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-reload-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir, "edit.tasklanes",
                                        "[Preset]\nFormat=1\nName=Before\nRun=t\n\n"
                                        "[Task t]\nKind=sleep\nDuration=10ms\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  TlReloadBanner *banner = find_reload_banner (window);
  TlTrace *trace;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (banner);
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 10000));
  trace = tl_window_get_trace (window);
  g_assert_nonnull (trace);
  g_assert_false (tl_reload_banner_is_shown (banner));

  /* A save in the middle of an edit. */
  g_file_set_contents (path, "[Preset]\nFormat=1\nName=Broken\nRun=t\n\n"
                             "[Task t]\nKind=sleep\nDuration=abc\n", -1, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  tl_test_spin (100);
  g_assert_null (find_dialog (window));
  g_assert_true (tl_reload_banner_is_shown (banner));
  text = tl_reload_banner_dup_text (banner);
  g_test_message ("banner: %s", text);
  g_assert_true (g_str_has_prefix (text, "edit.tasklanes:8:  Duration=abc\n"));
  g_assert_nonnull (strstr (text, "Duration"));
  g_assert_nonnull (strstr (text, "“abc”"));
  /* The preset before the broken save, and its run, stay. */
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "Before");
  g_assert_true (tl_window_get_trace (window) == trace);

  /* The next good save: the banner goes, the last run stays until Run. */
  g_file_set_contents (path, "[Preset]\nFormat=1\nName=After\nRun=t\n\n"
                             "[Task t]\nKind=sleep\nDuration=20ms\n", -1, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  tl_test_spin (100);
  g_assert_false (tl_reload_banner_is_shown (banner));
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "After");
  g_assert_true (tl_window_get_trace (window) == trace);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-trace"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 10000));
  g_assert_true (tl_window_get_trace (window) != trace);

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-window-XXXXXX", NULL);
  g_autofree char *broken = write_preset (dir, "broken.tasklanes",
                                          "[Preset]\nFormat=1\nName=Broken\nRun=missing\n");
  g_autofree char *valid = write_preset (dir, "valid.tasklanes",
                                         "[Preset]\nFormat=1\nName=First version\nRun=t\n\n"
                                         "[Task t]\nKind=sleep\nDuration=10ms\n");
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autoptr(GFile) valid_file = g_file_new_for_path (valid);
  TlWindow *window = tl_test_new_window (app);
  TlPreset *before = tl_window_get_preset (window);
  GtkWindow *dialog;
  AdwMessageDialog *message;
  WaitName wn = { window, "Second version" };
  g_autoptr(GError) error = NULL;

  /* A broken file: the full error in a dialog, the previous preset stays. */
  g_assert_false (tl_window_open_file (window, broken_file));
  g_assert_true (tl_window_get_preset (window) == before);
  dialog = find_dialog (window);
  g_assert_nonnull (dialog);
  message = ADW_MESSAGE_DIALOG (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (message), "broken.tasklanes"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "missing"));
  gtk_window_destroy (dialog);

  /* A valid one replaces it; Reload becomes possible. */
  g_assert_true (tl_window_open_file (window, valid_file));
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "First version");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "First version");
  g_assert_true (g_file_equal (tl_window_get_file (window), valid_file));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.reload"));
  g_assert_null (find_dialog (window));

  /* It runs. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 5000));
  g_assert_cmpint (tl_trace_get_outcome (tl_window_get_trace (window), 0)->state, ==, TL_STATE_OK);

  /* Edited on disk: reloaded by itself. */
  tl_test_spin (200);
  g_file_set_contents (valid,
                       "[Preset]\nFormat=1\nName=Second version\nRun=t\n\n"
                       "[Task t]\nKind=sleep\nDuration=10ms\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (tl_test_wait_until (preset_named, &wn, 5000));
  g_assert_true (g_file_equal (tl_window_get_file (window), valid_file));

  /* Broken on disk: the error is shown in place (no dialog), the loaded
   * version stays. */
  tl_test_spin (200);
  g_file_set_contents (valid, "[Preset]\nFormat=1\n", -1, &error);
  g_assert_no_error (error);
  {
    TlReloadBanner *banner = find_reload_banner (window);
    gboolean shown = FALSE;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!shown && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        shown = tl_reload_banner_is_shown (banner);
        if (!shown)
          g_usleep (10000);
      }
    g_assert_true (shown);
    g_assert_null (find_dialog (window));
  }
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "Second version");

  /* Save As: a built-in becomes a file of one's own, and stays open. */
  {
    g_autofree char *copy = g_build_filename (dir, "copy.tasklanes", NULL);
    g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
    g_autoptr(TlPreset) reloaded = NULL;

    g_assert_true (tl_window_open_argument (window, "builtin:timeout"));
    g_assert_true (tl_window_save_preset_as (window, copy, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_equal (tl_window_get_file (window), copy_file));
    reloaded = tl_preset_new_from_file (copy, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reloaded->name, ==, tl_window_get_preset (window)->name);
    g_assert_cmpuint (reloaded->n_tasks, ==, tl_window_get_preset (window)->n_tasks);
    g_unlink (copy);
  }

  /* A file dropped on the window opens. */
  {
    g_autofree char *dropped = write_preset (dir, "dropped.tasklanes",
                                             "[Preset]\nFormat=1\nName=Dropped\nRun=t\n\n"
                                             "[Task t]\nKind=sleep\nDuration=10ms\n");
    g_autoptr(GFile) dropped_file = g_file_new_for_path (dropped);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    GtkDropTarget *target = NULL;
    g_auto(GValue) value = G_VALUE_INIT;
    GSList *files = g_slist_append (NULL, dropped_file);
    gboolean accepted = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          target = GTK_DROP_TARGET (controller);
      }
    g_assert_nonnull (target);

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
    g_slist_free (files);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
    g_assert_true (accepted);
    g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "Dropped");
    g_assert_true (g_file_equal (tl_window_get_file (window), dropped_file));
    g_unlink (dropped);
  }

  /* Back to the gallery. */
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "gather");
  g_assert_null (tl_window_get_file (window));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.reload"));

  tl_test_close_window (window);
  g_unlink (broken);
  g_unlink (valid);
  g_rmdir (dir);
}

/* A file that contacts other hosts asks before its first run. */
static void
test_remote_hosts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-window-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir, "remote.tasklanes",
                                        "[Preset]\nFormat=1\nName=Remote\nRun=get\n\n"
                                        "[Task get]\nKind=fetch\nUrl=http://tasklanes-test.invalid/data\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  GtkWindow *dialog;

  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);

  /* Nothing runs until the user agrees; the dialog names the host. */
  g_assert_false (tl_window_is_running (window));
  dialog = find_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "tasklanes-test.invalid"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (dialog);
  tl_test_spin (50);
  g_assert_false (tl_window_is_running (window));
  g_assert_null (tl_window_get_trace (window));

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* The gallery lists the built-ins by chapter, filters and opens them. */
static void
test_gallery (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *gallery = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_GALLERY, NULL);
  g_auto(GStrv) builtins = tl_preset_list_builtin ();
  guint all;

  g_assert_nonnull (gallery);
  all = tl_gallery_count_visible (TL_GALLERY (gallery));
  g_assert_cmpuint (all, >=, g_strv_length (builtins));

  /* Searching matches titles, descriptions and names. */
  tl_gallery_set_search (TL_GALLERY (gallery), "wait_for");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), >=, 1);
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), <, all);
  /* …in the chapter's name and in the other language too. */
  tl_gallery_set_search (TL_GALLERY (gallery), "TimeoutError");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), >=, 2);
  tl_gallery_set_search (TL_GALLERY (gallery), "1초 뒤에 포기하기");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), ==, 1);
  tl_gallery_set_search (TL_GALLERY (gallery), "common mistakes");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), >=, 2);
  tl_gallery_set_search (TL_GALLERY (gallery), "no preset is called like this");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), ==, 0);
  tl_gallery_set_search (TL_GALLERY (gallery), "");
  g_assert_cmpuint (tl_gallery_count_visible (TL_GALLERY (gallery)), ==, all);

  /* Picking a row opens it, ready to run. */
  g_assert_true (tl_gallery_activate (TL_GALLERY (gallery), "builtin:gather"));
  g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "gather");
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));

  /* Chapter titles are words, not the Category keys. */
  {
    g_autofree char *title = tl_gallery_dup_chapter_title ("blocking");
    g_assert_cmpstr (title, ==, "Blocking Code");
  }

  tl_test_close_window (window);
}

/* The size is remembered in GSettings when the window closes. */
static void
test_size_remembered (void)
{
  GSettings *settings = tl_application_get_settings (app);
  TlWindow *window;
  int width, height;

  if (settings == NULL)
    {
      g_test_skip ("The settings schema is not available");
      return;
    }

  window = tl_test_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  tl_test_spin (100);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  tl_test_spin (50);
  g_assert_null (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window starts at that size. */
  window = tl_test_new_window (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  tl_test_close_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* --- shortcuts ----------------------------------------------------------- */

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
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
          GtkShortcutAction *sa = gtk_shortcut_get_action (shortcut);
          g_autofree char *t = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (GTK_IS_NAMED_ACTION (sa) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (sa)), action) == 0 &&
              g_strcmp0 (t, trigger) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_shortcuts (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *w = GTK_WIDGET (window);
  static const struct { const char *action; const char *accel; } app_accels[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "app.shortcuts", "<Control>question" },
    { "app.open", "<Control>o" },
  };

  g_assert_true (has_shortcut (w, "<Control>r", "win.run"));
  g_assert_true (has_shortcut (w, "F5", "win.run"));
  g_assert_true (has_shortcut (w, "Escape", "win.stop"));
  g_assert_true (has_shortcut (w, "<Control>e", "win.export-trace"));
  g_assert_true (has_shortcut (w, "<Shift><Control>s", "win.save-as"));
  g_assert_true (has_shortcut (w, "<Control>f", "win.search"));

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    app_accels[i].action);
      g_assert_true (g_strv_contains ((const char * const *) accels, app_accels[i].accel));
    }

  /* Ctrl+? belongs to app.shortcuts alone. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.show-help-overlay");
    g_assert_true (accels == NULL || accels[0] == NULL);
  }

  /* The help overlay is loaded from our resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* The timeline's keys are its own actions. */
  {
    GtkWidget *timeline = tl_window_get_timeline (window);

    g_assert_true (has_shortcut (timeline, "plus", "timeline.zoom-in") ||
                   has_shortcut (timeline, "KP_Add", "timeline.zoom-in"));
    g_assert_true (has_shortcut (timeline, "Delete", "timeline.cancel-selected"));
  }

  tl_test_close_window (window);
}


/* --- quiet after the run, layout ------------------------------------------ */

static gboolean
count_iterations_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* How many main-loop wake-ups happen in @ms: a finished run must leave no
 * tick callback or timer behind that keeps the process busy. */
static guint
count_wakeups (guint ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (ms, count_iterations_cb, &expired);
  guint n = 0;

  while (!expired)
    {
      g_main_context_iteration (NULL, TRUE);
      n++;
    }
  (void) id;

  return n;
}

/* How many main-loop wake-ups happen while @window's run is live, counting
 * up to @enough. */
static guint
count_live_wakeups (TlWindow *window,
                    guint     enough)
{
  guint n = 0;

  while (n < enough && tl_window_is_running (window))
    {
      g_main_context_iteration (NULL, TRUE);
      n++;
    }

  return n;
}

static void
test_quiet_after_run (void)
{
  TlWindow *window = tl_test_new_window (app);
  guint live, after;

  /* A run of four seconds: long enough for several view updates even when
   * a sanitizer build on a busy machine takes a few hundred milliseconds a
   * frame, which a fixed 600 ms window could not hold. */
  g_assert_true (tl_window_open_argument (window, "builtin:sync-vs-async"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_window_is_running (window));

  /* While live, the view keeps being updated: the loop wakes again and
   * again before the run ends. */
  live = count_live_wakeups (window, 5);
  g_test_message ("wake-ups while live: %u", live);
  g_assert_cmpuint (live, >=, 5);

  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.run"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.stop"));

  /* Let the revealers' animations end, then nothing may wake us up. */
  tl_test_spin (800);
  after = count_wakeups (1000);
  g_test_message ("wake-ups in 1 s after the run: %u", after);
  g_assert_cmpuint (after, <=, 6);

  /* Stop after the end does nothing harmful, Run runs again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_window_is_running (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));

  tl_test_close_window (window);
}

static gboolean
rects_intersect (GtkWidget *a,
                 GtkWidget *b,
                 GtkWidget *root)
{
  graphene_rect_t ra, rb;

  g_assert_true (gtk_widget_compute_bounds (a, root, &ra));
  g_assert_true (gtk_widget_compute_bounds (b, root, &rb));
  return graphene_rect_intersection (&ra, &rb, NULL);
}

static gboolean
ancestor_is (GtkWidget *widget,
             GtkWidget *ancestor)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (w == ancestor)
      return TRUE;
  return FALSE;
}

/* The view controls and the details pane sit beside the lanes, never on
 * them; a selection (a click) opens the details. */
static void
test_layout (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *timeline = tl_window_get_timeline (window);
  GtkWidget *scroller = gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *follow = tl_test_find_widget (root, GTK_TYPE_TOGGLE_BUTTON, "Follow");
  GtkWidget *pane = tl_test_find_widget (root, TL_TYPE_DETAILS_PANE, NULL);
  GtkWidget *legend_button;
  GtkWidget *legend;
  TlTrace *trace;
  graphene_rect_t lanes;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  gtk_widget_activate_action (root, "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  tl_test_spin (300);

  /* No overlay on the timeline: the controls have their own row. */
  g_assert_nonnull (follow);
  g_assert_null (gtk_widget_get_ancestor (timeline, GTK_TYPE_OVERLAY));
  g_assert_false (ancestor_is (follow, scroller));
  g_assert_false (rects_intersect (follow, scroller, root));

  /* The legend is one click away, next to the zoom controls. */
  legend = tl_test_find_widget (root, TL_TYPE_TIMELINE_LEGEND, NULL);
  g_assert_nonnull (legend);
  legend_button = gtk_widget_get_ancestor (legend, GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (legend_button);
  g_assert_true (gtk_widget_get_parent (legend_button) == gtk_widget_get_parent (follow));

  /* Selecting a task and pressing Enter opens the pane beside the lanes. */
  trace = tl_window_get_trace (window);
  g_assert_false (gtk_widget_get_visible (pane));
  tl_timeline_set_selected_task (TL_TIMELINE (timeline), find_instance (trace, "user-1"));
  g_assert_false (gtk_widget_get_visible (pane));
  gtk_widget_activate_action (timeline, "timeline.activate", NULL);
  g_assert_true (gtk_widget_get_visible (pane));
  /* A sanitizer build on a busy machine may take longer than a frame or
   * two to lay the pane out: wait for it, then judge the sizes. */
  g_assert_true (tl_test_wait_until (widget_has_width, pane, 10000));
  tl_test_spin (100);
  g_assert_false (rects_intersect (pane, scroller, root));
  g_assert_true (gtk_widget_compute_bounds (scroller, root, &lanes));
  g_test_message ("lanes %.0f px wide beside a %d px pane", lanes.size.width,
                  gtk_widget_get_width (pane));
  g_assert_cmpfloat (lanes.size.width, >=, 300);
  g_assert_cmpint (gtk_widget_get_width (pane), >=, 300);

  /* Deselecting closes it again. */
  tl_timeline_set_selected_task (TL_TIMELINE (timeline), TL_NO_INSTANCE);
  g_assert_false (gtk_widget_get_visible (pane));

  tl_test_close_window (window);
}


static gboolean
warnings_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

/* At 1024×700 the summary and warnings never push the lesson out: the
 * call that blocked the loop stays in view, and with the details open
 * the lanes keep a usable width. */
static void
test_lesson_visible (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *timeline = tl_window_get_timeline (window);
  GtkWidget *scroller = gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *pane = tl_test_find_widget (root, TL_TYPE_DETAILS_PANE, NULL);
  GtkWidget *bar, *warnings;
  TlTimelineModel *model = NULL;
  TlTrace *trace;
  guint32 culprit = TL_NO_INSTANCE;
  int culprit_lane;
  double y;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  tl_test_spin (200);
  g_assert_true (tl_window_open_argument (window, "builtin:blocking-on-loop"));
  /* The warnings slide in after the run and take height from the lanes.
   * A slow build lays that out well after the run has ended; a slow
   * slide does the same here in every build: the culprit must still be
   * in view once the layout has settled. */
  bar = tl_test_find_widget (root, TL_TYPE_SUMMARY_BAR, NULL);
  warnings = gtk_widget_get_next_sibling (gtk_widget_get_ancestor (bar, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_true (GTK_IS_REVEALER (warnings));
  gtk_revealer_set_transition_duration (GTK_REVEALER (warnings), 1500);
  gtk_widget_activate_action (root, "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_true (tl_test_wait_until (warnings_shown, warnings, 20000));
  tl_test_spin (300);

  trace = tl_window_get_trace (window);
  for (guint w = 0; w < tl_trace_get_n_warnings (trace); w++)
    if (tl_trace_get_warning (trace, w)->code == TL_WARNING_LOOP_BLOCKED)
      culprit = tl_trace_get_warning (trace, w)->instance;
  g_assert_cmpuint (culprit, ==, find_instance (trace, "blocking-sleep"));

  g_object_get (timeline, "model", &model, NULL);
  g_assert_nonnull (model);
  culprit_lane = tl_timeline_model_find_lane (model, culprit);
  g_object_unref (model);
  g_assert_cmpint (culprit_lane, >=, 0);
  y = tl_timeline_lane_to_y (TL_TIMELINE (timeline), culprit_lane);
  g_test_message ("window %d×%d, lanes %d px high, culprit lane at y = %.0f",
                  gtk_widget_get_width (root), gtk_widget_get_height (root),
                  gtk_widget_get_height (timeline), y);
  g_assert_cmpint (gtk_widget_get_height (root), <=, 700);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (y + 24, <=, gtk_widget_get_height (timeline));
  g_assert_cmpint (gtk_widget_get_height (scroller), >=, 200);

  /* Details open: the lanes keep a usable width. */
  tl_timeline_set_selected_task (TL_TIMELINE (timeline), culprit);
  gtk_widget_activate_action (timeline, "timeline.activate", NULL);
  tl_test_spin (300);
  g_assert_true (gtk_widget_get_visible (pane));
  /* Folding the gallery away is animated: let it finish (slowly, in a
   * sanitizer build on a busy machine) before measuring. */
  for (guint waited_ms = 0; gtk_widget_get_width (scroller) < 420 && waited_ms < 10000; waited_ms += 100)
    tl_test_spin (100);
  g_test_message ("lanes %d px wide beside a %d px pane", gtk_widget_get_width (scroller),
                  gtk_widget_get_width (pane));
  g_assert_cmpint (gtk_widget_get_width (scroller), >=, 420);

  tl_test_close_window (window);
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* The legend's button tooltip never shows over the open legend. GTK looks
 * for a tooltip from the widget under the pointer up through its
 * ancestors, and the popover's parent is the button: so while the legend
 * is open, no widget from the legend up may offer one. The legend opens
 * below its button, where the tooltip would show; its heading says what
 * the tooltip said. */
static void
test_legend_unobstructed (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *legend = tl_test_find_widget (root, TL_TYPE_TIMELINE_LEGEND, NULL);
  GtkWidget *button = gtk_widget_get_ancestor (legend, GTK_TYPE_MENU_BUTTON);
  GtkWidget *popover = gtk_widget_get_ancestor (legend, GTK_TYPE_POPOVER);
  GtkWidget *heading;
  g_autofree char *tooltip = NULL;
  graphene_rect_t in_button, in_popover;
  double bx, by, px, py;
  int popup_x, popup_y;

  g_assert_nonnull (button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_has_tooltip (button));
  tooltip = g_strdup (gtk_widget_get_tooltip_text (button));
  g_assert_nonnull (tooltip);

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  g_assert_true (tl_test_wait_until (tl_test_widget_mapped, legend, 10000));
  tl_test_spin (200);

  for (GtkWidget *w = legend; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_get_has_tooltip (w))
      g_error ("%s offers a tooltip over the open legend", G_OBJECT_TYPE_NAME (w));

  /* Where things are, in the window's surface: the legend starts below
   * the button, in the band its tooltip would take. */
  g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (gtk_widget_get_native (button)), &in_button));
  gtk_native_get_surface_transform (gtk_widget_get_native (button), &bx, &by);
  g_assert_true (gtk_widget_compute_bounds (legend, popover, &in_popover));
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &px, &py);
  popup_x = gdk_popup_get_position_x (GDK_POPUP (gtk_native_get_surface (GTK_NATIVE (popover))));
  popup_y = gdk_popup_get_position_y (GDK_POPUP (gtk_native_get_surface (GTK_NATIVE (popover))));
  g_test_message ("button %.0f,%.0f %.0f×%.0f; legend %.0f,%.0f %.0f×%.0f",
                  in_button.origin.x + bx, in_button.origin.y + by, in_button.size.width, in_button.size.height,
                  popup_x + px + in_popover.origin.x, popup_y + py + in_popover.origin.y,
                  in_popover.size.width, in_popover.size.height);
  g_assert_cmpfloat (popup_y + py + in_popover.origin.y, >=, in_button.origin.y + by + in_button.size.height);
  g_assert_cmpfloat (popup_y + py + in_popover.origin.y, <, in_button.origin.y + by + in_button.size.height + 80);

  heading = tl_test_find_widget (popover, GTK_TYPE_LABEL, NULL);
  g_assert_nonnull (heading);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, tooltip);

  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  g_assert_true (tl_test_wait_until (widget_unmapped, legend, 10000));
  g_assert_true (gtk_widget_get_has_tooltip (button));

  tl_test_close_window (window);
}

static void
collect_row_titles (GtkWidget *root,
                    GString   *out)
{
  if (ADW_IS_ACTION_ROW (root))
    g_string_append_printf (out, "%s\n%s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (root)) != NULL
                              ? adw_action_row_get_subtitle (ADW_ACTION_ROW (root)) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_row_titles (child, out);
}

/* Warnings of one kind are one row, in asyncio's words, and never push
 * the lanes off the window. */
static void
test_warnings_grouped (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *timeline = tl_window_get_timeline (window);
  GtkWidget *scroller = gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *bar;
  GtkWidget *bottom;
  g_autoptr(GString) rows = g_string_new (NULL);
  TlTrace *trace;
  guint n_blocked = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_assert_true (tl_window_open_argument (window, "builtin:cpu-bound-compare"));
  gtk_widget_activate_action (root, "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  tl_test_spin (500);

  trace = tl_window_get_trace (window);
  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    if (tl_trace_get_warning (trace, i)->code == TL_WARNING_LOOP_BLOCKED)
      n_blocked++;
  g_assert_cmpuint (n_blocked, ==, 4);

  bar = tl_test_find_widget (root, TL_TYPE_SUMMARY_BAR, NULL);
  bottom = gtk_widget_get_parent (gtk_widget_get_ancestor (bar, GTK_TYPE_SCROLLED_WINDOW));
  collect_row_titles (bottom, rows);
  g_test_message ("warning rows:\n%s", rows->str);
  g_assert_nonnull (strstr (rows->str, "4 tasks held the event loop"));
  g_assert_nonnull (strstr (rows->str, "crunch(1), crunch(2), crunch(3), crunch(4)"));
  g_assert_nonnull (strstr (rows->str, "asyncio.to_thread()"));
  g_assert_null (strstr (rows->str, "On="));
  g_assert_null (strstr (rows->str, "(On"));

  /* The lanes keep most of the height. */
  g_test_message ("lanes %d px, summary and warnings %d px",
                  gtk_widget_get_height (scroller), gtk_widget_get_height (bottom));
  g_assert_cmpint (gtk_widget_get_height (bottom), <=, 300);
  g_assert_cmpint (gtk_widget_get_height (scroller), >=, gtk_widget_get_height (bottom));

  /* The comparison names the sections by their labels, or, when other
   * programs took the cores on this busy machine, gives no verdict. */
  {
    g_autofree char *text = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));

    g_test_message ("summary: %s", text);
    if (strstr (text, "No verdict") != NULL)
      g_assert_nonnull (strstr (text, "Other programs were using the processors"));
    else
      {
        g_assert_nonnull (strstr (text, "PoolExecutor(max_workers=2): "));
        g_assert_nonnull (strstr (text, "× faster than on the event loop"));
      }
  }

  tl_test_close_window (window);
}

/* "tasklanes builtin:NAME" opens the gallery preset in the window. */
static void
test_open_builtin_argument (void)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg ("builtin:wait-for");
  TlWindow *window = tl_test_new_window (app);

  g_application_open (G_APPLICATION (app), &file, 1, "");
  g_assert_nonnull (tl_window_get_preset (window));
  g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "wait-for");
  g_assert_null (find_dialog (window));

  /* A missing file says so in a dialog, and the preset stays. */
  {
    g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/nothing-here.tasklanes");
    GtkWindow *dialog;

    g_application_open (G_APPLICATION (app), &missing, 1, "");
    dialog = find_dialog (window);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "wait-for");
    gtk_window_destroy (dialog);
  }

  tl_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/window/run-to-end", test_run_to_end);
  g_test_add_func ("/ui/window/stop", test_stop);
  g_test_add_func ("/ui/window/stop-explains", test_stop_explains);
  g_test_add_func ("/ui/window/cancel-task", test_cancel_task);
  g_test_add_func ("/ui/window/details", test_details);
  g_test_add_func ("/ui/window/details-keys", test_details_keys);
  g_test_add_func ("/ui/window/files", test_files);
  g_test_add_func ("/ui/window/reload-banner", test_reload_banner);
  g_test_add_func ("/ui/window/remote-hosts", test_remote_hosts);
  g_test_add_func ("/ui/window/gallery", test_gallery);
  g_test_add_func ("/ui/window/size-remembered", test_size_remembered);
  g_test_add_func ("/ui/window/shortcuts", test_shortcuts);
  g_test_add_func ("/ui/window/quiet-after-run", test_quiet_after_run);
  g_test_add_func ("/ui/window/layout", test_layout);
  g_test_add_func ("/ui/window/legend-unobstructed", test_legend_unobstructed);
  g_test_add_func ("/ui/window/lesson-visible", test_lesson_visible);
  g_test_add_func ("/ui/window/warnings-grouped", test_warnings_grouped);
  g_test_add_func ("/ui/window/open-builtin-argument", test_open_builtin_argument);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
