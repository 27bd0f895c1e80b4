/* test-application.c — the application starts, shows its window, quits
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "tl-application.h"
#include "preset/tl-preset.h"
#include "window/tl-gallery.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"

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


/* --- recent files across starts ------------------------------------------ */

/* A recent list as another session left it: five .tasklanes files, two of
 * them since deleted, and a file of another program. */
#define N_SEEDED 5

typedef struct {
  TlApplication *app;
  TlWindow      *window;
  char          *dir;
  char          *opened[2];
  gboolean       first_session;
  gboolean       done;
  gboolean       timed_out;
  guint          poll_id;
  int            phase;
} RecentState;

static char *
seeded_path (const char *dir,
             guint       i)
{
  g_autofree char *name = g_strdup_printf ("seed-%u.tasklanes", i);

  return g_build_filename (dir, name, NULL);
}

static gboolean
seeded_exists (guint i)
{
  /* seed-1 and seed-3 were deleted after they were opened. */
  return i != 1 && i != 3;
}

static gboolean
recent_file_lists (const char *uri)
{
  g_autofree char *xbel = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autofree char *text = NULL;

  return g_file_get_contents (xbel, &text, NULL, NULL) && strstr (text, uri) != NULL;
}

static void
assert_recent_rows (RecentState        *state,
                    const char * const *expected)
{
  TlGallery *gallery = TL_GALLERY (tl_test_find_widget (GTK_WIDGET (state->window), TL_TYPE_GALLERY, NULL));
  g_auto(GStrv) rows = NULL;

  g_assert_nonnull (gallery);
  rows = tl_gallery_dup_recent_paths (gallery);
  g_assert_cmpstrv (rows, expected);
}

static gboolean
recent_poll_cb (gpointer data)
{
  RecentState *state = data;

  if (state->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (state->window)))
    return G_SOURCE_CONTINUE;

  if (state->first_session)
    {
      g_autofree char *seed0 = seeded_path (state->dir, 0);
      g_autofree char *seed2 = seeded_path (state->dir, 2);
      g_autofree char *seed4 = seeded_path (state->dir, 4);

      switch (state->phase)
        {
        case 0:
          {
            /* Newest first; the deleted files and the other program's are
             * not listed. */
            const char *expected[] = { seed4, seed2, seed0, NULL };

            assert_recent_rows (state, expected);
            for (guint i = 0; i < 2; i++)
              {
                g_autoptr(GFile) file = g_file_new_for_path (state->opened[i]);

                g_assert_true (tl_window_open_file (state->window, file));
              }
            state->phase = 1;
          }
          return G_SOURCE_CONTINUE;

        case 1:
          {
            g_autofree char *uri0 = g_filename_to_uri (state->opened[0], NULL, NULL);
            g_autofree char *uri1 = g_filename_to_uri (state->opened[1], NULL, NULL);

            /* GTK adds to the recent list asynchronously, then saves it. */
            if (!recent_file_lists (uri0) || !recent_file_lists (uri1))
              return G_SOURCE_CONTINUE;
            state->phase = 2;
          }
          return G_SOURCE_CONTINUE;

        default:
          {
            /* The open file is at the top under Open File, not here. */
            const char *expected[] = { state->opened[0], seed4, seed2, seed0, NULL };

            assert_recent_rows (state, expected);
          }
          break;
        }
    }
  else
    {
      g_autofree char *seed0 = seeded_path (state->dir, 0);
      g_autofree char *seed2 = seeded_path (state->dir, 2);
      /* Five at most: the two opened last, then the newest others. */
      const char *expected[] = { state->opened[1], state->opened[0], NULL, seed2, seed0, NULL };
      g_autofree char *seed4 = seeded_path (state->dir, 4);

      expected[2] = seed4;
      assert_recent_rows (state, expected);
    }

  state->poll_id = 0;
  state->done = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (state->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
recent_activate_after_cb (GApplication *app,
                          RecentState  *state)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TL_IS_WINDOW (window));
  state->window = TL_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &state->window);
  state->poll_id = g_timeout_add (20, recent_poll_cb, state);
}

static gboolean
recent_give_up_cb (gpointer data)
{
  RecentState *state = data;

  state->timed_out = TRUE;
  g_application_quit (G_APPLICATION (state->app));
  return G_SOURCE_REMOVE;
}

static void
run_recent_session (gboolean first_session)
{
  RecentState state = { 0 };
  guint give_up;
  int status;

  /* The parent made the folder; this process only reads it. */
  state.dir = g_strdup (g_getenv ("TASKLANES_TEST_RECENT_DIR"));
  g_assert_nonnull (state.dir);
  state.opened[0] = g_build_filename (state.dir, "first.tasklanes", NULL);
  state.opened[1] = g_build_filename (state.dir, "second.tasklanes", NULL);
  state.first_session = first_session;

  state.app = tl_application_new ();
  g_application_set_flags (G_APPLICATION (state.app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (state.app, "activate", G_CALLBACK (recent_activate_after_cb), &state);
  give_up = g_timeout_add_seconds (60, recent_give_up_cb, &state);

  status = g_application_run (G_APPLICATION (state.app), 0, NULL);

  g_assert_false (state.timed_out);
  g_source_remove (give_up);
  g_clear_handle_id (&state.poll_id, g_source_remove);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (state.done);
  g_assert_finalize_object (state.app);
  g_free (state.opened[0]);
  g_free (state.opened[1]);
  g_free (state.dir);
}

static void
test_recent_first_session (void)
{
  if (g_test_subprocess ())
    run_recent_session (TRUE);
}

static void
test_recent_second_session (void)
{
  if (g_test_subprocess ())
    run_recent_session (FALSE);
}

static void
write_seeded_recent_list (const char *dir,
                          const char *data_home)
{
  g_autoptr(GString) xbel = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                          "<xbel version=\"1.0\"\n"
                                          " xmlns:bookmark=\"http://www.freedesktop.org/standards/desktop-bookmarks\"\n"
                                          " xmlns:mime=\"http://www.freedesktop.org/standards/shared-mime-info\">\n");
  g_autofree char *xbel_path = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= N_SEEDED; i++)
    {
      /* The last entry is another program's text file. */
      g_autofree char *path = i < N_SEEDED ? seeded_path (dir, i) : g_build_filename (dir, "notes.txt", NULL);
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
      /* Recent enough that GTK's maximum age keeps them: i hours ago. */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) when = g_date_time_add_hours (now, -(int) (N_SEEDED + 1 - i));
      g_autofree char *stamp = g_date_time_format_iso8601 (when);

      if (i == N_SEEDED || seeded_exists (i))
        {
          g_file_set_contents (path,
                               "[Preset]\nFormat=1\nName=Seeded\nRun=t\n\n"
                               "[Task t]\nKind=sleep\nDuration=10ms\n", -1, &error);
          g_assert_no_error (error);
        }
      g_string_append_printf (xbel,
                              "  <bookmark href=\"%s\" added=\"%s\" modified=\"%s\" visited=\"%s\">\n"
                              "    <info><metadata owner=\"http://freedesktop.org\">\n"
                              "      <mime:mime-type type=\"%s\"/>\n"
                              "      <bookmark:applications>\n"
                              "        <bookmark:application name=\"tasklanes\" exec=\"&apos;tasklanes %%u&apos;\""
                              " modified=\"%s\" count=\"1\"/>\n"
                              "      </bookmark:applications>\n"
                              "    </metadata></info>\n"
                              "  </bookmark>\n",
                              uri, stamp, stamp, stamp,
                              i < N_SEEDED ? "application/x-tasklanes" : "text/plain", stamp);
    }
  g_string_append (xbel, "</xbel>\n");
  g_file_set_contents (xbel_path, xbel->str, -1, &error);
  g_assert_no_error (error);
}

/* Opening two files in one session, quitting and starting again: GTK's
 * recent list once handed the gallery dates it then freed, which printed
 * a critical on the second file and crashed every later start. */
static void
test_recent_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-recent-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (dir, "data", NULL);
  const char *names[] = { "first.tasklanes", "second.tasklanes" };

  g_assert_cmpint (g_mkdir (data_home, 0700), ==, 0);
  write_seeded_recent_list (dir, data_home);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *text = g_strdup_printf ("[Preset]\nFormat=1\nName=Opened %u\nRun=t\n\n"
                                               "[Task t]\nKind=sleep\nDuration=10ms\n", i + 1);

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
    }

  g_setenv ("TASKLANES_TEST_RECENT_DIR", dir, TRUE);
  g_setenv ("TASKLANES_TEST_DATA_HOME", data_home, TRUE);

  g_test_trap_subprocess ("/ui/application/recent-files/first-session", 90 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_subprocess ("/ui/application/recent-files/second-session", 90 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_unsetenv ("TASKLANES_TEST_RECENT_DIR");
  g_unsetenv ("TASKLANES_TEST_DATA_HOME");
  {
    g_autoptr(GDir) listing = g_dir_open (data_home, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (data_home, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (data_home);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autofree char *recent = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Opened files go to the recent list: keep it out of the user's. A
   * session of the recent-files test uses the folder its parent made. */
  if (g_getenv ("TASKLANES_TEST_DATA_HOME") != NULL)
    data_home = g_strdup (g_getenv ("TASKLANES_TEST_DATA_HOME"));
  else
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
  g_test_add_func ("/ui/application/recent-files", test_recent_files);
  g_test_add_func ("/ui/application/recent-files/first-session", test_recent_first_session);
  g_test_add_func ("/ui/application/recent-files/second-session", test_recent_second_session);

  status = g_test_run ();

  if (g_getenv ("TASKLANES_TEST_DATA_HOME") == NULL)
    {
      recent = g_build_filename (data_home, "recently-used.xbel", NULL);
      g_unlink (recent);
      g_rmdir (data_home);
    }

  return status;
}
