/* test-window-search.c — Find tasks (Ctrl+F): typing, the count, stepping
 * with Enter and Shift+Enter, the selection and scrolling, Escape
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
#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-private.h"
#include "window/tl-gallery.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"
#include "tl-test-util.h"

static TlApplication *app;

/* Three groups of twelve short sleeps; the look-ups come last, so the
 * later ones start below the view. */
static const char lookups_preset[] =
  "[Preset]\nFormat=1\nName=lookups\nRun=main\n\n"
  "[Task main]\nKind=gather\nLabel=main()\nChildren=saves;pings;users\n\n"
  "[Task saves]\nKind=gather\nLabel=save_all()\nChildren=save\n\n"
  "[Task pings]\nKind=gather\nLabel=ping_all()\nChildren=ping\n\n"
  "[Task users]\nKind=gather\nLabel=get_users()\nChildren=fetch-user\n\n"
  "[Task save]\nKind=sleep\nLabel=save({i})\nDuration=20ms\nRepeat=12\n\n"
  "[Task ping]\nKind=sleep\nLabel=ping({i})\nDuration=20ms\nRepeat=12\n\n"
  "[Task fetch-user]\nKind=sleep\nLabel=fetch_user({i})\nDuration=20ms\nRepeat=12\n";

typedef struct {
  GtkLabel   *label;
  const char *text;
} LabelWait;

static gboolean
label_says (gpointer data)
{
  LabelWait *w = data;

  return g_strcmp0 (gtk_label_get_text (w->label), w->text) == 0;
}

static void
assert_label (GtkLabel   *label,
              const char *text)
{
  LabelWait w = { label, text };

  /* GtkSearchEntry reports typing after a short delay. */
  if (!tl_test_wait_until (label_says, &w, 5000))
    g_error ("the match count says “%s”, not “%s”", gtk_label_get_text (label), text);
}

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

/* The selected task is the match named, and its lane is in view below
 * any pinned names. */
static void
assert_selected_in_view (TlTimeline *timeline,
                         TlTrace    *trace,
                         guint       copy)
{
  guint32 expected = tl_test_get_instance (trace, "fetch-user", copy);
  TlTimelineModel *model = tl_timeline_get_model (timeline);
  TlTimelineView view;
  guint pinned[TL_TIMELINE_MAX_PINNED];
  guint n_pinned;
  int lane;
  double y;

  g_assert_cmpuint (tl_timeline_get_selected_task (timeline), ==, expected);
  lane = tl_timeline_model_find_lane (model, expected);
  g_assert_cmpint (lane, >=, 0);
  _tl_timeline_get_view (timeline, &view);
  n_pinned = _tl_timeline_get_pinned (timeline, &view, pinned);
  y = tl_timeline_lane_to_y (timeline, lane);
  g_test_message ("fetch_user(%u): lane %d at y %.0f of %d (scrolled %.0f px, %u pinned)",
                  copy, lane, y, view.height, view.v, n_pinned);
  g_assert_cmpfloat (y, >=, task_area_top (timeline) + n_pinned * (double) tl_timeline_get_lane_height (timeline) - 0.5);
  g_assert_cmpfloat (y + TL_TIMELINE_DEFAULT_LANE_HEIGHT, <=, view.height + 0.5);
}

/* Whether the shortcuts window under @widget lists @accelerator as
 * @title. */
static gboolean
overlay_lists (GtkWidget  *widget,
               const char *title,
               const char *accelerator)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *t = NULL, *a = NULL;

      g_object_get (widget, "title", &t, "accelerator", &a, NULL);
      if (g_strcmp0 (t, title) == 0 && g_strcmp0 (a, accelerator) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (overlay_lists (child, title, accelerator))
      return TRUE;
  return FALSE;
}

static void
test_find_tasks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-find-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "lookups.tasklanes", NULL);
  TlWindow *window;
  TlTimeline *timeline;
  GtkWidget *bar, *entry, *gallery;
  GtkLabel *label;
  TlTrace *trace;
  double v_before;

  g_assert_no_error (error);
  g_file_set_contents (path, lookups_preset, -1, &error);
  g_assert_no_error (error);

  window = tl_test_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  g_assert_true (tl_window_open_argument (window, path));
  timeline = TL_TIMELINE (tl_window_get_timeline (window));
  bar = tl_test_find_widget (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR, NULL);
  g_assert_nonnull (bar);
  entry = tl_test_find_widget (bar, GTK_TYPE_SEARCH_ENTRY, NULL);
  /* The count ends the row the entry starts. */
  label = GTK_LABEL (gtk_widget_get_last_child (gtk_widget_get_parent (entry)));
  g_assert_nonnull (entry);
  g_assert_true (GTK_IS_LABEL (label));

  /* Keys: Ctrl+F opens, Ctrl+G and Ctrl+Shift+G step anywhere in the
   * window, Shift+Enter in the entry steps back. */
  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Control>f", "win.search"));
  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Control>g", "win.find-next"));
  g_assert_true (has_shortcut (GTK_WIDGET (window), "<Shift><Control>g", "win.find-previous"));
  g_assert_true (has_shortcut (entry, "<Shift>Return", "win.find-previous"));
  {
    GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

    g_assert_true (overlay_lists (overlay, "Find tasks in the timeline by name", "<Control>f"));
    g_assert_true (overlay_lists (overlay, "Next match", "Return <Control>g"));
    g_assert_true (overlay_lists (overlay, "Previous match", "<Shift>Return <Shift><Control>g"));
  }

  /* Before a run Ctrl+F searches the gallery: nothing to find yet. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  trace = tl_window_get_trace (window);
  g_assert_true (tl_test_wait_until (tl_test_widget_mapped, timeline, 5000));
  tl_test_spin (200);

  /* With a run, Ctrl+F opens the bar with the keyboard in it (the
   * gallery's search still had the keyboard: back on the lanes first). */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == entry);
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.find-next"));
  v_before = gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline)));

  /* Typing: every look-up matches, whatever the case; the first is shown. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "FETCH_user");
  assert_label (label, "1 of 12");
  g_assert_cmpuint (tl_timeline_get_n_matches (timeline), ==, 12);
  assert_selected_in_view (timeline, trace, 1);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.find-next"));

  /* Ctrl+F again, the bar open: the keyboard goes back to the entry and
   * the match stays. */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == entry);
  assert_label (label, "1 of 12");

  /* Enter: the next match. */
  g_signal_emit_by_name (entry, "activate");
  assert_label (label, "2 of 12");
  assert_selected_in_view (timeline, trace, 2);

  /* Shift+Enter (and Ctrl+Shift+G): back, then round to the last. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-previous", NULL);
  assert_label (label, "1 of 12");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-previous", NULL);
  assert_label (label, "12 of 12");
  assert_selected_in_view (timeline, trace, 12);
  /* The last look-up lies below a 700 px window: the lanes scrolled. */
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (timeline))), >, v_before);

  /* Ctrl+G: round to the first again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-next", NULL);
  assert_label (label, "1 of 12");
  assert_selected_in_view (timeline, trace, 1);

  /* A group's name matches as well as a task's. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "_all()");
  assert_label (label, "1 of 2");

  /* Nothing matches: said so, and no step to take. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such task");
  assert_label (label, "No matching tasks");
  g_assert_cmpuint (tl_timeline_get_n_matches (timeline), ==, 0);
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.find-next"));

  /* Escape closes the bar; the highlighting goes and the keyboard is back
   * on the lanes. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ping");
  assert_label (label, "1 of 13");
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.close-find"));
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_cmpuint (tl_timeline_get_n_matches (timeline), ==, 0);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (timeline));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.find-next"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.close-find"));

  /* Escape with the keyboard on the lanes closes it as well. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  /* A new search starts empty. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "save(");
  assert_label (label, "1 of 12");
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  g_assert_true (has_shortcut (GTK_WIDGET (window), "Escape", "win.close-find"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-find", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));

  /* From the gallery, Ctrl+F is the gallery's search. */
  gallery = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_GALLERY, NULL);
  g_assert_nonnull (gallery);
  g_assert_true (gtk_widget_grab_focus (tl_test_find_widget (gallery, GTK_TYPE_LIST_BOX_ROW, NULL)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) != NULL &&
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), gallery));

  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
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

  g_test_add_func ("/ui/find/tasks", test_find_tasks);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
