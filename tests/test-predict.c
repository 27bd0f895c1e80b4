/* test-predict.c — Predict first and presentation mode in the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <string.h>

#include "tl-application.h"
#include "window/tl-predict-dialog.h"
#include "window/tl-predict-results.h"
#include "window/tl-window.h"

static TlApplication *app;

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
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
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
run_ended (gpointer data)
{
  return !tl_window_is_running (data);
}

/* The first toplevel of @type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
results_shown (gpointer data)
{
  return find_toplevel (TL_TYPE_PREDICT_RESULTS) != NULL;
}

static gboolean
widget_gone (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

static TlWindow *
new_window (const char *argument)
{
  TlWindow *window = tl_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (window_mapped, window, 10000));
  g_assert_true (tl_window_open_argument (window, argument));
  return window;
}

static void
close_window (TlWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_gone, &window, 5000));
}

static gboolean
get_boolean_property (gpointer    object,
                      const char *name)
{
  gboolean value;

  g_object_get (object, name, &value, NULL);
  return value;
}

/* The gallery's gather: guess, run, and see the guesses graded. */
static void
test_predict_then_run (void)
{
  TlWindow *window = new_window ("builtin:gather");
  GtkWidget *dialog;
  GtkWidget *results;
  g_autofree char *text = NULL;
  static const guint passed_order[] = { 0, 1, 2 };

  g_assert_false (get_boolean_property (window, "predict-first"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.predict-first", NULL);
  g_assert_true (get_boolean_property (window, "predict-first"));

  /* Run asks first and does not run yet. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (tl_window_is_running (window));
  g_assert_false (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  g_assert_false (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));

  /* fetch_user(2) first (right); the results in the order passed (right). */
  tl_predict_dialog_choose (TL_PREDICT_DIALOG (dialog), 0, 1);
  g_assert_false (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  tl_predict_dialog_set_order (TL_PREDICT_DIALOG (dialog), 1, passed_order);
  g_assert_true (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));
  g_assert_true (wait_until (widget_gone, &dialog, 5000));

  g_assert_true (tl_window_is_running (window));
  g_assert_true (wait_until (run_ended, window, 20000));
  g_assert_true (wait_until (results_shown, NULL, 5000));

  results = find_toplevel (TL_TYPE_PREDICT_RESULTS);
  g_assert_cmpuint (tl_predict_results_get_n_graded (TL_PREDICT_RESULTS (results)), ==, 2);
  g_assert_cmpuint (tl_predict_results_get_n_right (TL_PREDICT_RESULTS (results)), ==, 2);
  text = tl_predict_results_dup_text (TL_PREDICT_RESULTS (results));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "2 of 2 guesses right\n"));
  g_assert_nonnull (strstr (text, "Your guess: fetch_user(2)\n"));
  g_assert_nonnull (strstr (text, "fetch_user(2) finished first, at "));
  g_assert_nonnull (strstr (text, "Your guess: fetch_user(1), fetch_user(2), fetch_user(3)\n"));
  g_assert_nonnull (strstr (text, "asyncio.as_completed"));

  /* The results close with the window. */
  g_object_add_weak_pointer (G_OBJECT (results), (gpointer *) &results);
  close_window (window);
  g_assert_true (wait_until (widget_gone, &results, 5000));
}

/* A wrong guess is called wrong; Cancel runs nothing; with the mode off,
 * or for a preset without questions, Run runs at once. */
static void
test_wrong_cancel_and_off (void)
{
  TlWindow *window = new_window ("builtin:never-awaited");
  GtkWidget *dialog;
  GtkWidget *results;
  g_autofree char *text = NULL;

  g_object_set (window, "predict-first", TRUE, NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_until (widget_gone, &dialog, 5000));
  g_assert_false (tl_window_is_running (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  /* "ok" for save_log(), which never starts. */
  tl_predict_dialog_choose (TL_PREDICT_DIALOG (dialog), 0, 0);
  g_assert_true (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));
  g_assert_true (wait_until (run_ended, window, 20000));
  g_assert_true (wait_until (results_shown, NULL, 5000));
  results = find_toplevel (TL_TYPE_PREDICT_RESULTS);
  g_assert_cmpuint (tl_predict_results_get_n_right (TL_PREDICT_RESULTS (results)), ==, 0);
  text = tl_predict_results_dup_text (TL_PREDICT_RESULTS (results));
  g_assert_nonnull (strstr (text, "Not this time\n"));
  g_assert_nonnull (strstr (text, "save_log() never starts.\n"));
  gtk_window_destroy (GTK_WINDOW (results));

  g_object_set (window, "predict-first", FALSE, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_DIALOG));
  g_assert_true (tl_window_is_running (window));
  g_assert_true (wait_until (run_ended, window, 20000));
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_RESULTS));

  /* many-sleeps asks nothing: it runs at once even in the mode. */
  g_object_set (window, "predict-first", TRUE, NULL);
  g_assert_true (tl_window_open_argument (window, "builtin:many-sleeps"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_DIALOG));
  g_assert_true (tl_window_is_running (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (wait_until (run_ended, window, 20000));

  close_window (window);
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (data);
}

static void
test_presentation (void)
{
  TlWindow *window = new_window ("builtin:gather");

  g_assert_false (get_boolean_property (window, "presentation"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_true (get_boolean_property (window, "presentation"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  wait_until (is_fullscreen, window, 2000);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (get_boolean_property (window, "presentation"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_true (wait_until (is_not_fullscreen, window, 2000));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autofree char *recent = NULL;
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  data_home = g_dir_make_tmp ("tasklanes-test-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  if (g_getenv ("GDK_DEBUG") == NULL || g_getenv ("GDK_DEBUG")[0] == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  if (!gtk_init_check ())
    {
      g_rmdir (data_home);
      g_print ("1..0 # SKIP no display available\n");
      return 0;
    }

  app = tl_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/ui/predict/predict-then-run", test_predict_then_run);
  g_test_add_func ("/ui/predict/wrong-cancel-and-off", test_wrong_cancel_and_off);
  g_test_add_func ("/ui/predict/presentation", test_presentation);

  status = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);

  return status;
}
