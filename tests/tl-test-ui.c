/* tl-test-ui.c — helpers shared by the window test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tl-test-ui.h"

static char *data_home;

TlApplication *
tl_test_ui_init (void)
{
  TlApplication *app;

  /* Opened files go to the recent list: keep it out of the user's. */
  data_home = g_dir_make_tmp ("tasklanes-test-data-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* The tests draw with cairo (GSK_RENDERER=cairo); leaving OpenGL out
   * also keeps the GL driver's own allocations out of leak checking. */
  if (g_getenv ("GDK_DEBUG") == NULL || g_getenv ("GDK_DEBUG")[0] == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  /* As main() does before the window exists: tl_application_new() may
   * settle the locale for the language asked for. */
  setlocale (LC_ALL, "");
  app = tl_application_new ();

  if (!gtk_init_check ())
    {
      g_clear_object (&app);
      tl_test_ui_shutdown (NULL);
      /* UI tests run under Xvfb; without a display there is nothing to
       * test. */
      g_print ("1..0 # SKIP no display available\n");
      return NULL;
    }

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  return app;
}

const char *
tl_test_ui_get_data_home (void)
{
  g_assert_nonnull (data_home);
  return data_home;
}

void
tl_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tl_test_remove_tree (child);
      else if (g_remove (child) != 0)
        g_message ("Could not remove %s: %s", child, g_strerror (errno));
    }
  if (g_rmdir (path) != 0)
    g_message ("Could not remove %s: %s", path, g_strerror (errno));
}

void
tl_test_ui_shutdown (TlApplication *app)
{
  if (app != NULL)
    {
      g_application_release (G_APPLICATION (app));
      g_object_unref (app);
    }
  if (data_home != NULL)
    tl_test_remove_tree (data_home);
  g_clear_pointer (&data_home, g_free);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
tl_test_wait_until (TlTestCondition condition,
                    gpointer        data,
                    guint           timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &expired);
  gboolean ok;

  while (!(ok = condition (data)) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);

  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
tl_test_spin (guint ms)
{
  tl_test_wait_until (never, NULL, ms);
}

gboolean
tl_test_widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

gboolean
tl_test_run_ended (gpointer data)
{
  return !tl_window_is_running (data);
}

TlWindow *
tl_test_new_window (TlApplication *app)
{
  TlWindow *window = tl_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tl_test_wait_until (tl_test_widget_mapped, window, 10000));

  return window;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
tl_test_close_window (TlWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  /* Destruction may wait for idle work (a pending reveal, a run's last
   * events); give it a moment before judging. */
  g_assert_true (tl_test_wait_until (pointer_cleared, &window, 5000));
}

gboolean
tl_test_action_enabled (GtkWidget  *widget,
                        const char *action)
{
  /* An actionable child resolves @action exactly as a button in @widget
   * would, through the muxer chain, and mirrors its enabled state. */
  GtkWidget *probe = gtk_button_new ();
  gboolean sensitive;

  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, widget);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  sensitive = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);

  return sensitive;
}

GtkWidget *
tl_test_find_widget_matching (GtkWidget         *root,
                              TlTestWidgetMatch  matches,
                              gconstpointer      data)
{
  if (matches (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tl_test_find_widget_matching (child, matches, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GType       type;
  const char *label;
} TypeAndLabel;

static gboolean
has_type_and_label (GtkWidget     *widget,
                    gconstpointer  data)
{
  const TypeAndLabel *wanted = data;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (widget, wanted->type))
    return FALSE;
  if (wanted->label == NULL)
    return TRUE;
  if (GTK_IS_BUTTON (widget))
    return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), wanted->label) == 0;
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      return strstr (text, wanted->label) != NULL;
    }
  return FALSE;
}

GtkWidget *
tl_test_find_widget (GtkWidget  *root,
                     GType       type,
                     const char *label)
{
  TypeAndLabel wanted = { type, label };

  return tl_test_find_widget_matching (root, has_type_and_label, &wanted);
}

/* Depth first, so the text reads in the order the widgets are laid out. */
void
tl_test_collect_text (GtkWidget *widget,
                      GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append_printf (out, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tl_test_collect_text (child, out);
}
