/* test-code-pane.c — the program beside the timeline, in the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pane shows a gallery preset's program; a selected lane highlights
 * the line that made it; a clicked line selects its lane; running tasks'
 * lines are marked while the run is live; the placement is remembered.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <gtk/gtk.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "tl-application.h"
#include "timeline/tl-timeline.h"
#include "window/tl-code-pane.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"

static TlApplication *app;

static TlCodePane *
code_pane_of (TlWindow *window)
{
  GtkWidget *pane = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_CODE_PANE, NULL);

  g_assert_nonnull (pane);
  return TL_CODE_PANE (pane);
}

static guint
spec_index (TlPreset   *preset,
            const char *name)
{
  for (guint i = 0; i < preset->n_tasks; i++)
    if (g_str_equal (preset->tasks[i].name, name))
      return i;
  g_error ("no task %s", name);
  return 0;
}

static guint32
find_instance (TlTrace    *trace,
               const char *task_name,
               guint       copy)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  for (guint32 id = 0; id < tl_trace_get_n_instances (trace); id++)
    {
      const TlInstance *inst = tl_trace_get_instance (trace, id);

      if (g_str_equal (preset->tasks[inst->spec].name, task_name) && inst->copy == copy)
        return id;
    }
  return TL_NO_INSTANCE;
}

static char *
line_text (TlCodePane *pane,
           guint       line)
{
  g_auto(GStrv) lines = g_strsplit (tl_code_pane_get_text (pane), "\n", -1);

  g_assert_cmpuint (line, >=, 1);
  g_assert_cmpuint (line, <=, g_strv_length (lines));
  return g_strstrip (g_strdup (lines[line - 1]));
}

static char *
write_preset (const char *dir,
              const char *text)
{
  char *path = g_build_filename (dir, "short.tasklanes", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* A gallery preset shows its program, the same as --to-python writes. */
static void
test_shows_gallery_program (void)
{
  TlWindow *window = tl_test_new_window (app);
  TlCodePane *pane = code_pane_of (window);
  g_autoptr(TlPythonProgram) expected = NULL;

  g_assert_true (tl_window_open_argument (window, "builtin:create-task"));
  expected = tl_python_program_new (tl_window_get_preset (window));
  g_assert_cmpstr (tl_code_pane_get_text (pane), ==, tl_python_program_get_text (expected));
  g_assert_nonnull (strstr (tl_code_pane_get_text (pane), "task1 = asyncio.create_task(fetch_user_1(), name=\"fetch_user(1)\")"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pane)));

  /* Another preset replaces it. */
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  g_assert_nonnull (strstr (tl_code_pane_get_text (pane), "async def fetch_user_3():"));
  g_assert_cmpuint (tl_code_pane_get_highlighted_line (pane), ==, 0);

  tl_test_close_window (window);
}

typedef struct {
  TlCodePane *pane;
  guint       line;
} LineWait;

static gboolean
line_running (gpointer data)
{
  LineWait *wait = data;

  return tl_code_pane_line_is_running (wait->pane, wait->line);
}

/* Both ways, and the live marks: a lane's line is highlighted; a click
 * on a line selects its lane, and the next click the next lane from it. */
static void
test_lanes_and_lines (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-code-pane-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir,
    "[Preset]\nFormat=1\nName=Short\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=quick;slow;many\n"
    "[Task quick]\nKind=sleep\nLabel=fetch_user(1)\nDuration=50ms\n"
    "[Task slow]\nKind=sleep\nLabel=slow_report()\nDuration=1500ms\n"
    "[Task many]\nKind=sleep\nLabel=tick({i})\nDuration=100ms\nRepeat=3\n");
  TlWindow *window = tl_test_new_window (app);
  TlCodePane *pane = code_pane_of (window);
  TlTimeline *timeline = TL_TIMELINE (tl_window_get_timeline (window));
  TlPythonProgram *program;
  TlPreset *preset;
  TlTrace *trace;
  LineWait wait;
  guint slow_line, many_line;
  guint32 slow, tick1, tick2;
  g_autofree char *text = NULL;

  g_assert_true (tl_window_open_argument (window, path));
  preset = tl_window_get_preset (window);
  program = tl_code_pane_get_program (pane);
  g_assert_nonnull (program);
  slow_line = tl_python_program_get_line (program, 0, spec_index (preset, "slow"));
  many_line = tl_python_program_get_line (program, 0, spec_index (preset, "many"));
  g_assert_cmpuint (slow_line, >, 0);
  g_assert_cmpuint (many_line, >, 0);

  /* Before a run a line has no lane to select. */
  g_assert_cmpuint (tl_code_pane_activate_line (pane, slow_line), ==, TL_NO_INSTANCE);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_window_is_running (window));

  /* While slow_report() waits, its line is marked running. */
  wait.pane = pane;
  wait.line = slow_line;
  g_assert_true (tl_test_wait_until (line_running, &wait, 10000));
  g_assert_true (tl_window_is_running (window));

  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_false (tl_code_pane_line_is_running (pane, slow_line));
  trace = tl_window_get_trace (window);

  /* Lane → line. */
  slow = find_instance (trace, "slow", 1);
  g_assert_cmpuint (slow, !=, TL_NO_INSTANCE);
  tl_timeline_set_selected_task (timeline, slow);
  g_assert_cmpuint (tl_code_pane_get_highlighted_line (pane), ==, slow_line);
  text = line_text (pane, slow_line);
  g_assert_cmpstr (text, ==, "asyncio.create_task(slow_report(), name=\"slow_report()\"),");
  /* …and scrolled into view. */
  {
    GtkTextView *view = GTK_TEXT_VIEW (tl_test_find_widget (GTK_WIDGET (pane), GTK_TYPE_TEXT_VIEW, NULL));
    GdkRectangle visible, where;
    GtkTextIter iter;

    tl_test_spin (300);
    gtk_text_view_get_visible_rect (view, &visible);
    gtk_text_buffer_get_iter_at_line (gtk_text_view_get_buffer (view), &iter, (int) slow_line - 1);
    gtk_text_view_get_iter_location (view, &iter, &where);
    g_assert_cmpint (where.y, >=, visible.y);
    g_assert_cmpint (where.y + where.height, <=, visible.y + visible.height);
  }

  /* Line → lane; the same line again moves on to its next lane. */
  tick1 = find_instance (trace, "many", 1);
  tick2 = find_instance (trace, "many", 2);
  g_assert_cmpuint (tl_code_pane_activate_line (pane, many_line), ==, tick1);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, tick1);
  g_assert_cmpuint (tl_code_pane_get_highlighted_line (pane), ==, many_line);
  g_assert_cmpuint (tl_code_pane_activate_line (pane, many_line), ==, tick2);
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, tick2);

  /* Clearing the selection clears the highlight. */
  tl_timeline_set_selected_task (timeline, TL_NO_INSTANCE);
  g_assert_cmpuint (tl_code_pane_get_highlighted_line (pane), ==, 0);

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* A real click on the view selects the line's lane. */
static void
test_click_selects_lane (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-code-pane-XXXXXX", NULL);
  g_autofree char *path = write_preset (dir,
    "[Preset]\nFormat=1\nName=Short\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=quick\n"
    "[Task quick]\nKind=sleep\nLabel=fetch_user(1)\nDuration=20ms\n");
  TlWindow *window = tl_test_new_window (app);
  TlCodePane *pane = code_pane_of (window);
  TlTimeline *timeline = TL_TIMELINE (tl_window_get_timeline (window));
  GtkWidget *view;
  GtkTextIter iter;
  GdkRectangle rect;
  int wx, wy;
  guint line;
  guint32 quick;

  g_assert_true (tl_window_open_argument (window, path));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  quick = find_instance (tl_window_get_trace (window), "quick", 1);
  line = tl_python_program_get_line (tl_code_pane_get_program (pane), 0,
                                     spec_index (tl_window_get_preset (window), "quick"));

  view = tl_test_find_widget (GTK_WIDGET (pane), GTK_TYPE_TEXT_VIEW, NULL);
  g_assert_nonnull (view);
  gtk_text_buffer_get_iter_at_line (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), &iter, (int) line - 1);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (view), &iter, 0.0, TRUE, 0.0, 0.5);
  tl_test_spin (200);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (view), &iter, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (view), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x + 40, rect.y + rect.height / 2, &wx, &wy);

  /* What the click gesture calls, at that point of the view. */
  {
    GList *controllers = NULL;
    g_autoptr(GListModel) list = gtk_widget_observe_controllers (view);

    for (guint k = 0; k < g_list_model_get_n_items (list); k++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (list, k);

        if (GTK_IS_GESTURE_CLICK (controller) &&
            gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) == GTK_PHASE_CAPTURE)
          controllers = g_list_prepend (controllers, g_object_ref (controller));
      }
    g_assert_nonnull (controllers);
    g_signal_emit_by_name (controllers->data, "pressed", 1, (double) wx, (double) wy);
    g_list_free_full (controllers, g_object_unref);
  }
  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, quick);
  g_assert_cmpuint (tl_code_pane_get_highlighted_line (pane), ==, line);

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
paned_placed (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_paned_get_position (data) > 0;
}

/* Beside, below or hidden, and the next window starts that way. */
/* Below the lanes, the timeline keeps the larger share of the height. */
static gboolean
timeline_has_larger_share (gpointer data)
{
  GtkWidget *paned = data;

  return gtk_widget_get_height (paned) > 0 &&
         gtk_paned_get_position (GTK_PANED (paned)) > gtk_widget_get_height (paned) / 2;
}

static void
test_placement_remembered (void)
{
  GSettings *settings = tl_application_get_settings (app);
  TlWindow *window;
  GtkWidget *pane;
  GtkWidget *paned;

  if (settings == NULL)
    {
      g_test_skip ("The settings schema is not available");
      return;
    }

  window = tl_test_new_window (app);
  pane = GTK_WIDGET (code_pane_of (window));
  paned = gtk_widget_get_parent (pane);
  g_assert_true (GTK_IS_PANED (paned));
  /* Laid out, and the divider placed (slow under the sanitizers). */
  g_assert_true (tl_test_wait_until (paned_placed, paned, 20000));
  /* Beside the timeline at first: the lanes keep the window's height. */
  {
    g_autofree char *saved = g_settings_get_string (settings, "code-pane");
    g_assert_cmpstr (saved, ==, "beside");
  }
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_HORIZONTAL);
  g_assert_true (gtk_widget_get_visible (pane));
  /* The timeline keeps the larger share. */
  g_assert_cmpint (gtk_paned_get_position (GTK_PANED (paned)), >, gtk_widget_get_width (paned) / 2);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.code-pane", "s", "below");
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_true (gtk_widget_get_visible (pane));
  {
    g_autofree char *saved = g_settings_get_string (settings, "code-pane");
    g_assert_cmpstr (saved, ==, "below");
  }
  g_test_message ("below: position %d of %d px right away", gtk_paned_get_position (GTK_PANED (paned)),
                  gtk_widget_get_height (paned));
  /* The divider moves once the new orientation is laid out: a frame, or
   * several seconds in a sanitizer build on a busy machine. */
  tl_test_wait_until (timeline_has_larger_share, paned, 10000);
  g_test_message ("below: position %d of %d px after layout; code pane %d px high", gtk_paned_get_position (GTK_PANED (paned)),
                  gtk_widget_get_height (paned), gtk_widget_get_height (pane));
  g_assert_cmpint (gtk_paned_get_position (GTK_PANED (paned)), >, gtk_widget_get_height (paned) / 2);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.code-pane", "s", "hidden");
  g_assert_false (gtk_widget_get_visible (pane));
  tl_test_close_window (window);

  window = tl_test_new_window (app);
  pane = GTK_WIDGET (code_pane_of (window));
  g_assert_false (gtk_widget_get_visible (pane));
  {
    g_autofree char *saved = g_settings_get_string (settings, "code-pane");
    g_assert_cmpstr (saved, ==, "hidden");
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.code-pane", "s", "below");
  g_assert_true (gtk_widget_get_visible (pane));
  tl_test_close_window (window);

  g_settings_reset (settings, "code-pane");
}

/* A real program shows its own source, not generated code. */
static void
test_program_shows_its_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tl-code-pane-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.py", NULL);
  const char *source = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(0.01)\n\n\nasyncio.run(main())\n";
  TlWindow *window;
  TlCodePane *pane;

  g_assert_true (g_file_set_contents (path, source, -1, NULL));
  window = tl_test_new_window (app);
  pane = code_pane_of (window);
  g_assert_true (tl_window_open_argument (window, path));
  g_assert_cmpstr (tl_code_pane_get_text (pane), ==, source);
  g_assert_null (tl_code_pane_get_program (pane));

  /* Back to a preset: its generated program again. */
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  g_assert_nonnull (tl_code_pane_get_program (pane));
  g_assert_nonnull (strstr (tl_code_pane_get_text (pane), "async def fetch_user_1():"));

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Save as Python… is there for a preset, and what it writes is the
 * program shown. */
static void
test_save_python_action (void)
{
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *probe = gtk_button_new ();

  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, GTK_WIDGET (window));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.save-python");
  g_assert_true (gtk_widget_get_sensitive (probe));
  gtk_widget_unparent (probe);

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

  g_test_add_func ("/ui/code-pane/shows-gallery-program", test_shows_gallery_program);
  g_test_add_func ("/ui/code-pane/lanes-and-lines", test_lanes_and_lines);
  g_test_add_func ("/ui/code-pane/click-selects-lane", test_click_selects_lane);
  g_test_add_func ("/ui/code-pane/placement-remembered", test_placement_remembered);
  g_test_add_func ("/ui/code-pane/save-python-action", test_save_python_action);
  g_test_add_func ("/ui/code-pane/program-shows-its-source", test_program_shows_its_source);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
