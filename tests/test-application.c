/* test-application.c — the application starts, shows its window, quits
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "tl-application.h"
#include "preset/tl-preset.h"
#include "window/tl-window.h"

typedef struct {
  TlApplication *app;
  TlWindow      *window;
  gboolean       checked;
  gboolean       timed_out;
  guint          poll_id;
} StartupState;

/* Sensitivity of a hidden button bound to an action reflects whether the
 * action is enabled, the same way the header bar's buttons do. */
static gboolean
action_enabled (GtkWidget  *window,
                const char *action)
{
  GtkWidget *probe = gtk_button_new ();
  gboolean sensitive;

  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, window);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  sensitive = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);

  return sensitive;
}

static gboolean
has_accel (TlApplication *app,
           const char    *action,
           const char    *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static void
check_window (StartupState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) expected = tl_preset_new_from_builtin ("sync-vs-async", &error);
  GtkWidget *window = GTK_WIDGET (state->window);
  int width, height;

  g_assert_no_error (error);

  /* First start: the gallery's first lesson, ready to run. */
  g_assert_nonnull (tl_window_get_preset (state->window));
  g_assert_cmpstr (tl_window_get_preset (state->window)->builtin_name, ==, "sync-vs-async");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, expected->name);
  g_assert_false (tl_window_is_running (state->window));
  g_assert_null (tl_window_get_trace (state->window));

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1200);
  g_assert_cmpint (height, ==, 760);

  /* Application actions exist, are enabled and have their shortcuts. */
  for (guint i = 0; i < 5; i++)
    {
      static const char *names[] = { "quit", "about", "preferences", "shortcuts", "open" };

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (state->app), names[i]));
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (state->app), names[i]));
    }
  g_assert_true (has_accel (state->app, "app.quit", "<Control>q"));
  g_assert_true (has_accel (state->app, "app.preferences", "<Control>comma"));
  g_assert_true (has_accel (state->app, "app.shortcuts", "<Control>question"));
  g_assert_true (has_accel (state->app, "app.open", "<Control>o"));

  /* Before any run: Run, Save As and Open can be used; Stop, the exports,
   * Reload (no file) and Cancel Task cannot. */
  g_assert_true (action_enabled (window, "win.run"));
  g_assert_true (action_enabled (window, "win.open"));
  g_assert_true (action_enabled (window, "win.save-as"));
  g_assert_false (action_enabled (window, "win.stop"));
  g_assert_false (action_enabled (window, "win.export-trace"));
  g_assert_false (action_enabled (window, "win.export-report"));
  g_assert_false (action_enabled (window, "win.export-csv"));
  g_assert_false (action_enabled (window, "win.export-image"));
  g_assert_false (action_enabled (window, "win.reload"));
  g_assert_false (action_enabled (window, "win.cancel-task"));

  /* Preferences: the style follows the setting, which GSettings keeps. */
  tl_application_set_color_scheme (state->app, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  if (tl_application_get_settings (state->app) != NULL)
    {
      g_autofree char *stored = g_settings_get_string (tl_application_get_settings (state->app),
                                                       "color-scheme");
      g_assert_cmpstr (stored, ==, "dark");
    }
  tl_application_set_color_scheme (state->app, "default");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  /* The Preferences window opens with the current values. */
  g_action_group_activate_action (G_ACTION_GROUP (state->app), "preferences", NULL);
  {
    GtkWindow *prefs = NULL;

    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (state->app)); l != NULL; l = l->next)
      if (ADW_IS_PREFERENCES_WINDOW (l->data))
        prefs = l->data;
    g_assert_nonnull (prefs);
    gtk_window_destroy (prefs);
  }

  state->checked = TRUE;
}

static gboolean
poll_cb (gpointer data)
{
  StartupState *state = data;

  if (state->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (state->window)))
    return G_SOURCE_CONTINUE;

  state->poll_id = 0;
  check_window (state);
  g_action_group_activate_action (G_ACTION_GROUP (state->app), "quit", NULL);

  return G_SOURCE_REMOVE;
}

static void
activate_after_cb (GApplication *app,
                   StartupState *state)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TL_IS_WINDOW (window));
  state->window = TL_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &state->window);
  state->poll_id = g_timeout_add (20, poll_cb, state);
}

static gboolean
give_up_cb (gpointer data)
{
  StartupState *state = data;

  state->timed_out = TRUE;
  g_application_quit (G_APPLICATION (state->app));

  return G_SOURCE_REMOVE;
}

static void
test_startup (void)
{
  StartupState state = { 0 };
  guint give_up;
  int status;

  state.app = tl_application_new ();
  /* No other instance may take over the test, with or without a bus. */
  g_application_set_flags (G_APPLICATION (state.app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (state.app, "activate", G_CALLBACK (activate_after_cb), &state);
  give_up = g_timeout_add_seconds (30, give_up_cb, &state);

  status = g_application_run (G_APPLICATION (state.app), 0, NULL);

  g_assert_false (state.timed_out);
  g_source_remove (give_up);
  g_clear_handle_id (&state.poll_id, g_source_remove);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (state.checked);
  /* Quitting destroyed the window. */
  g_assert_null (state.window);
  g_assert_finalize_object (state.app);
}

typedef struct {
  TlApplication *app;
  gboolean       opened;
  gboolean       timed_out;
  char          *name;
} OpenState;

static gboolean
quit_idle_cb (gpointer data)
{
  g_action_group_activate_action (G_ACTION_GROUP (data), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
open_after_cb (GApplication  *app,
               GFile        **files,
               int            n_files,
               const char    *hint,
               OpenState     *state)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_cmpint (n_files, ==, 1);
  g_assert_true (TL_IS_WINDOW (window));
  g_assert_nonnull (tl_window_get_file (TL_WINDOW (window)));
  g_assert_true (g_file_equal (tl_window_get_file (TL_WINDOW (window)), files[0]));
  state->name = g_strdup (tl_window_get_preset (TL_WINDOW (window))->name);
  state->opened = TRUE;
  g_idle_add (quit_idle_cb, app);
}

static gboolean
give_up_open_cb (gpointer data)
{
  OpenState *state = data;

  state->timed_out = TRUE;
  g_application_quit (G_APPLICATION (state->app));
  return G_SOURCE_REMOVE;
}

/* `tasklanes FILE` opens FILE in the window. */
static void
test_open_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.tasklanes", NULL);
  char *argv[] = { (char *) "tasklanes", path, NULL };
  OpenState state = { 0 };
  g_autoptr(GError) error = NULL;
  guint give_up;
  int status;

  g_file_set_contents (path,
                       "[Preset]\nFormat=1\nName=From the command line\nRun=t\n\n"
                       "[Task t]\nKind=sleep\nDuration=10ms\n", -1, &error);
  g_assert_no_error (error);

  state.app = tl_application_new ();
  g_application_set_flags (G_APPLICATION (state.app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (state.app, "open", G_CALLBACK (open_after_cb), &state);
  give_up = g_timeout_add_seconds (30, give_up_open_cb, &state);

  status = g_application_run (G_APPLICATION (state.app), 2, argv);

  g_assert_false (state.timed_out);
  g_source_remove (give_up);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (state.opened);
  g_assert_cmpstr (state.name, ==, "From the command line");
  g_free (state.name);
  g_assert_finalize_object (state.app);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_no_session_bus (void)
{
  if (g_test_subprocess ())
    {
      StartupState state = { 0 };
      int status;

      /* GTK warns that it has no session bus and no accessibility bus
       * (structured log messages, which a test fatal handler cannot
       * filter): that is expected here, so only criticals stay fatal. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

      state.app = tl_application_new ();
      g_signal_connect_after (state.app, "activate", G_CALLBACK (activate_after_cb), &state);
      g_timeout_add_seconds (30, give_up_cb, &state);
      status = g_application_run (G_APPLICATION (state.app), 0, NULL);
      g_assert_false (state.timed_out);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (state.checked);
      g_object_unref (state.app);
      return;
    }

  /* Without a session bus (and no way to start one) the app must still
   * start, neither crash nor hang. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tasklanes-test-bus", TRUE);
  /* GTK 4.8's accessibility layer may still find an AT-SPI bus through
   * the X display and then trips over the missing session bus itself;
   * the application is what is under test here. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autofree char *recent = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Opened files go to the recent list: keep it out of the user's. */
  data_home = g_dir_make_tmp ("tasklanes-test-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* The tests draw with cairo (GSK_RENDERER=cairo); leaving OpenGL out
   * also keeps the GL driver's own allocations out of leak checking. */
  if (g_getenv ("GDK_DEBUG") == NULL || g_getenv ("GDK_DEBUG")[0] == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  if (!gtk_init_check ())
    {
      g_rmdir (data_home);
      /* UI tests run under Xvfb (build-aux/test); without a display there
       * is nothing to test. */
      g_print ("1..0 # SKIP no display available\n");
      return 0;
    }

  g_test_add_func ("/ui/application/startup", test_startup);
  g_test_add_func ("/ui/application/open-file", test_open_file);
  g_test_add_func ("/ui/application/no-session-bus", test_no_session_bus);

  status = g_test_run ();

  recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);

  return status;
}
