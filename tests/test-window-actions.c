/* test-window-actions.c — what the window does when asked from outside or
 * through its dialogs: the application's actions as a remote activates
 * them over D-Bus, the Open and Save dialogs' answers, the search action,
 * the HTTP waterfall of the details pane, export errors, the Korean locale
 * and its fallbacks
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "tl-application.h"
#include "tl-window-unrealize.h"
#include "timeline/tl-timeline.h"
#include "window/tl-details-pane.h"
#include "window/tl-gallery.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"
#include "tl-test-util.h"

static TlApplication *app;

static const char fetch_preset[] =
  "[Preset]\nFormat=1\nName=One request\nRun=main\n\n"
  "[Task main]\nKind=sequence\nChildren=get\n\n"
  "[Task get]\nKind=fetch\nLabel=get_page()\nUrl=/delay/0.2\n";

static const char sleep_preset[] =
  "[Preset]\nFormat=1\nName=Two naps\nRun=main\n\n"
  "[Task main]\nKind=gather\nChildren=nap\n\n"
  "[Task nap]\nKind=sleep\nLabel=nap({i})\nDuration=50ms\nRepeat=2\n";

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
has_trace (gpointer data)
{
  return tl_window_get_trace (data) != NULL && !tl_window_is_running (data);
}

/* The toplevel of @type other than @except, or NULL. */
static GtkWindow *
find_toplevel (GType      type,
               GtkWindow *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      /* The list keeps the window alive after this reference goes. */
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && window != except &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

typedef struct {
  GType      type;
  GtkWindow *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *wait = data;

  wait->found = find_toplevel (wait->type, NULL);
  return wait->found != NULL;
}

static GtkWindow *
wait_for_toplevel (GType type)
{
  ToplevelWait wait = { type, NULL };

  g_assert_true (tl_test_wait_until (toplevel_shown, &wait, 10000));
  return wait.found;
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel (*(GType *) data, NULL) == NULL;
}

/* Whether no file dialog is left at all, shown or hidden: the window
 * releases each one after its answer. */
static gboolean
choosers_released (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  GtkWindow *dialog;
  GFile     *file;
} ChooserWait;

static gboolean
chooser_has_file (gpointer data)
{
  ChooserWait *wait = data;
  g_autoptr(GFile) file = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (wait->dialog));
  G_GNUC_END_IGNORE_DEPRECATIONS
  return file != NULL && g_file_equal (file, wait->file);
}

/* Answers the file dialog the window shows (GtkFileChooserNative falls
 * back to a GtkFileChooserDialog without a portal) as a user would: the
 * file is chosen, then confirmed. */
static void
answer_file_dialog (const char *path)
{
  GtkWindow *dialog = wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ChooserWait wait = { dialog, file };
  g_autoptr(GError) error = NULL;
  GType type = GTK_TYPE_FILE_CHOOSER_DIALOG;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  /* A file to save is typed, folder and all, as a user may. */
  if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
  else
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, &error);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_no_error (error);
  /* The choice lands once the folder has been read. */
  g_assert_true (tl_test_wait_until (chooser_has_file, &wait, 10000));
  /* Then a moment to settle, as a user's pace gives it: LeakSanitizer
   * once reported, from this suite, a sort key and a name that GTK 4.8's
   * file chooser built for its file list and never freed (stacks wholly
   * inside GTK), which points at the dialog going away while it was still
   * filling that list, e.g. for the name entry's completion of the folder
   * typed into it. */
  tl_test_spin (300);
  /* What Enter in the name entry or a double click does: the dialog
   * answers with its accept button. */
  g_assert_true (gtk_widget_activate_action (tl_test_find_widget (GTK_WIDGET (dialog),
                                                                  GTK_TYPE_FILE_CHOOSER_WIDGET, NULL),
                                             "response.activate", NULL));

  g_assert_true (tl_test_wait_until (toplevel_gone, &type, 10000));
}

/* Closes the error dialog the window shows as its Close button does and
 * returns its heading and body ("heading\nbody"). */
static char *
take_error_dialog (void)
{
  GtkWindow *dialog = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  char *text = g_strdup_printf ("%s\n%s",
                                adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                                adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  GtkWidget *close = tl_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "_Close");
  GType type = ADW_TYPE_MESSAGE_DIALOG;

  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
  g_assert_true (tl_test_wait_until (toplevel_gone, &type, 10000));
  return text;
}

/* --- the application's actions, as a remote activates them ------------ */

/* Activates app.NAME over D-Bus (org.gtk.Actions), as build-aux/screenshots
 * and gapplication(1) do, and lets the call arrive. */
static void
activate_remotely (const char *name,
                   GVariant   *param)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  const char *object_path = g_application_get_dbus_object_path (G_APPLICATION (app));
  g_autoptr(GDBusActionGroup) remote = NULL;

  g_assert_nonnull (bus);
  g_assert_nonnull (object_path);
  remote = g_dbus_action_group_get (bus, g_dbus_connection_get_unique_name (bus), object_path);
  g_action_group_activate_action (G_ACTION_GROUP (remote), name, param);
  g_dbus_connection_flush_sync (bus, NULL, NULL);
}

typedef struct {
  TlWindow   *window;
  const char *name;
} PresetWait;

static gboolean
preset_is (gpointer data)
{
  PresetWait *wait = data;
  TlPreset *preset = tl_window_get_preset (wait->window);

  return preset != NULL && g_strcmp0 (preset->name, wait->name) == 0;
}

static gboolean
run_started_and_ended (gpointer data)
{
  return tl_window_get_trace (data) != NULL && !tl_window_is_running (data) &&
         tl_trace_is_complete (tl_window_get_trace (data));
}

static gboolean
details_show (gpointer data)
{
  const gpointer *args = data;
  TlWindow *window = args[0];
  TlDetailsPane *pane = args[1];
  TlTrace *trace = tl_window_get_trace (window);
  guint32 instance = tl_details_pane_get_instance (pane);

  return trace != NULL && instance != TL_NO_INSTANCE &&
         g_strcmp0 (tl_trace_get_task_name (trace, instance), args[2]) == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (pane));
}

static gboolean
widget_has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

/* The pixels of @widget as it draws now. */
static cairo_surface_t *
render_widget (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* How many different colours @surface holds (up to 16). */
static guint
count_colours (cairo_surface_t *surface)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 seen[16];
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface) && n < G_N_ELEMENTS (seen); x++)
      {
        guint32 pixel = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);
        gboolean known = FALSE;

        for (guint i = 0; i < n && !known; i++)
          known = seen[i] == pixel;
        if (!known)
          seen[n++] = pixel;
      }
  return n;
}

/* app.open-preset, app.run and app.show-task, each arriving over D-Bus:
 * the preset opens, runs to its end, and the task named is selected with
 * its details, which for a request include the HTTP waterfall. */
static void
test_remote_actions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-actions-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "fetch.tasklanes", fetch_preset);
  TlWindow *window = tl_test_new_window (app);
  PresetWait opened = { window, "One request" };
  PresetWait builtin = { window, NULL };
  g_autoptr(TlPreset) gather = tl_preset_new_from_builtin ("gather", &error);
  TlDetailsPane *pane;
  GtkWidget *waterfall;
  gpointer shown[3];
  cairo_surface_t *pixels;

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));

  /* A built-in preset by name, then a file by path. */
  builtin.name = gather->name;
  activate_remotely ("open-preset", g_variant_new_string ("builtin:gather"));
  g_assert_true (tl_test_wait_until (preset_is, &builtin, 10000));
  g_assert_cmpstr (tl_window_get_preset (window)->builtin_name, ==, "gather");
  activate_remotely ("open-preset", g_variant_new_string (path));
  g_assert_true (tl_test_wait_until (preset_is, &opened, 10000));

  /* Run: the request goes to the built-in demo server. */
  activate_remotely ("run", NULL);
  g_assert_true (tl_test_wait_until (run_started_and_ended, window, 60000));
  g_assert_cmpint (tl_test_outcome (tl_window_get_trace (window), "get", 1)->state, ==, TL_STATE_OK);

  /* Show the request: selected, its details shown with the waterfall. */
  pane = TL_DETAILS_PANE (tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_DETAILS_PANE, NULL));
  g_assert_nonnull (pane);
  activate_remotely ("show-task", g_variant_new_string ("get"));
  shown[0] = window;
  shown[1] = pane;
  shown[2] = (gpointer) "get";
  g_assert_true (tl_test_wait_until (details_show, shown, 10000));
  g_assert_cmpuint (tl_timeline_get_selected_task (TL_TIMELINE (tl_window_get_timeline (window))), ==,
                    tl_details_pane_get_instance (pane));

  waterfall = tl_test_find_widget (GTK_WIDGET (pane), GTK_TYPE_DRAWING_AREA, NULL);
  g_assert_nonnull (waterfall);
  g_assert_true (tl_test_wait_until (tl_test_widget_mapped, waterfall, 10000));
  /* A slow build lays it out a while after mapping it. */
  g_assert_true (tl_test_wait_until (widget_has_size, waterfall, 10000));
  tl_test_spin (100);
  /* The phases are bars of their own colours on the pane's background. */
  pixels = render_widget (waterfall);
  g_assert_cmpuint (count_colours (pixels), >=, 3);
  cairo_surface_destroy (pixels);

  /* A task that is not there selects nothing and changes nothing. */
  activate_remotely ("show-task", g_variant_new_string ("no-such-task"));
  tl_test_spin (200);
  g_assert_true (details_show (shown));

  tl_test_close_window (window);
  tl_test_remove_tree (dir);
}

/* --- dialogs ------------------------------------------------------------ */

/* Open…: the dialog's answer opens the file chosen; Save As…: the
 * dialog's answer writes the preset there and continues with that copy. */
static void
test_open_and_save_dialogs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-dialogs-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "naps.tasklanes", sleep_preset);
  g_autofree char *copy = g_build_filename (dir, "copy.tasklanes", NULL);
  TlWindow *window = tl_test_new_window (app);
  PresetWait opened = { window, "Two naps" };
  g_autoptr(TlPreset) saved = NULL;
  GFile *file;

  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL);
  answer_file_dialog (path);
  g_assert_true (tl_test_wait_until (preset_is, &opened, 10000));
  file = tl_window_get_file (window);
  g_assert_nonnull (file);
  {
    g_autofree char *opened_path = g_file_get_path (file);
    g_assert_cmpstr (opened_path, ==, path);
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-as", NULL);
  answer_file_dialog (copy);
  g_assert_true (tl_test_wait_until (file_exists, copy, 10000));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
  saved = tl_preset_new_from_file (copy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->name, ==, "Two naps");
  {
    g_autofree char *now = g_file_get_path (tl_window_get_file (window));
    g_assert_cmpstr (now, ==, copy);
  }

  /* Cancelling the dialog changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL);
  {
    GtkWindow *dialog = wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
    GType type = GTK_TYPE_FILE_CHOOSER_DIALOG;

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
    G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_true (tl_test_wait_until (toplevel_gone, &type, 10000));
  }
  {
    g_autofree char *now = g_file_get_path (tl_window_get_file (window));
    g_assert_cmpstr (now, ==, copy);
  }

  tl_test_close_window (window);
  tl_test_remove_tree (dir);
}

/* Save As on a Python program offers to save the program, under its own
 * name, and writes its source, not a preset. */
static void
test_save_program_dialog (void)
{
  static const char program[] = "import asyncio\nasyncio.run(asyncio.sleep(0))\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-dialogs-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "nap.py", program);
  g_autofree char *copy = g_build_filename (dir, "nap-copy.py", NULL);
  g_autofree char *written = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);

  g_assert_no_error (error);
  g_assert_true (tl_window_open_file (window, file));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-as", NULL);
  {
    GtkWindow *dialog = wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
    g_autofree char *name = NULL;

    g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Save Program As");
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
    G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_cmpstr (name, ==, "nap.py");
  }
  answer_file_dialog (copy);
  g_assert_true (tl_test_wait_until (file_exists, copy, 10000));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
  g_assert_true (g_file_get_contents (copy, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, program);
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "nap-copy.py");

  tl_test_close_window (window);
  tl_test_remove_tree (dir);
}

/* An export the dialog sends somewhere it cannot be written: a message
 * names the file, the run stays, and the next export, through the file
 * dialog again, succeeds. Several rounds of file dialog → error dialog →
 * file dialog, as a user who keeps picking wrong places would. */
static void
test_export_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", &error);
  g_autofree char *path = write_file (dir, "naps.tasklanes", sleep_preset);
  g_autofree char *blocker = write_file (dir, "not-a-folder", "a file, not a folder\n");
  g_autofree char *unwritable = g_build_filename (blocker, "report.json", NULL);
  g_autofree char *into_folder = g_build_filename (dir, "taken.csv", NULL);
  g_autofree char *good = g_build_filename (dir, "report.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  TlTrace *trace;
  g_autofree char *message = NULL;

  g_assert_no_error (error);
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (has_trace, window, 30000));
  trace = tl_window_get_trace (window);
  g_assert_cmpint (g_mkdir (into_folder, 0700), ==, 0);

  for (guint round = 0; round < 2; round++)
    {
      /* A target inside a file: the folder cannot exist. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.export-report", NULL);
      answer_file_dialog (unwritable);
      message = take_error_dialog ();
      /* The file dialog is released after its answer, not kept until the
       * next one opens. */
      g_assert_true (tl_test_wait_until (choosers_released, NULL, 10000));
      g_test_message ("%s", message);
      g_assert_true (g_str_has_prefix (message, "Could Not Export “report.json”\n"));
      g_assert_nonnull (strstr (message, "not-a-folder"));
      g_clear_pointer (&message, g_free);

      /* A target that is a folder: refused, the folder untouched. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.export-csv", NULL);
      answer_file_dialog (into_folder);
      message = take_error_dialog ();
      g_assert_true (tl_test_wait_until (choosers_released, NULL, 10000));
      g_test_message ("%s", message);
      g_assert_true (g_str_has_prefix (message, "Could Not Export “taken.csv”\n"));
      g_assert_true (g_file_test (into_folder, G_FILE_TEST_IS_DIR));
      g_clear_pointer (&message, g_free);
    }

  /* Nothing lost: the same run, still exportable through the dialog. */
  g_assert_true (tl_window_get_trace (window) == trace);
  g_assert_true (tl_test_action_enabled (GTK_WIDGET (window), "win.export-report"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-report", NULL);
  answer_file_dialog (good);
  g_assert_true (tl_test_wait_until (file_exists, good, 30000));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));

  tl_test_close_window (window);
  tl_test_remove_tree (dir);
}

/* GTK 4.8's gtk_window_unrealize() leaves the window's "compute-size"
 * handler on its surface; a surface that outlives its window (X11 keeps
 * one until the server confirms its end) then runs its layout into the
 * freed window: what a file dialog destroyed after an error dialog ran
 * into (tl-window-unrealize.c). Every window lets go of its surface. */
static void
test_unrealized_window_lets_go (void)
{
  guint compute_size = g_signal_lookup ("compute-size", GDK_TYPE_TOPLEVEL);
  guint before = tl_window_unrealize_guard_get_count ();
  GtkWidget *window = gtk_window_new ();
  GdkSurface *surface;

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tl_test_wait_until (tl_test_widget_mapped, window, 10000));
  surface = g_object_ref (gtk_native_get_surface (GTK_NATIVE (window)));
  g_assert_true (GDK_IS_TOPLEVEL (surface));
  g_assert_cmpuint (g_signal_handler_find (surface, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                           compute_size, 0, NULL, NULL, window), !=, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  /* @window is gone; its address is only compared with the handlers'. */
  g_assert_cmpuint (g_signal_handler_find (surface, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                           compute_size, 0, NULL, NULL, window), ==, 0);
  g_assert_cmpuint (tl_window_unrealize_guard_get_count (), >, before);
  g_object_unref (surface);
  tl_test_spin (50);
}

/* Ctrl+F (win.search) puts the keyboard in the gallery's search entry,
 * also when the timeline had it. */
static void
test_search_action (void)
{
  TlWindow *window = tl_test_new_window (app);
  TlGallery *gallery = TL_GALLERY (tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_GALLERY, NULL));
  GtkWidget *entry;
  GtkWidget *focus;

  g_assert_nonnull (gallery);
  entry = tl_test_find_widget (GTK_WIDGET (gallery), GTK_TYPE_SEARCH_ENTRY, NULL);
  g_assert_nonnull (entry);

  gtk_widget_grab_focus (tl_window_get_timeline (window));
  tl_test_spin (50);
  g_assert_false (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), entry));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  tl_test_spin (50);
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  tl_test_close_window (window);
}

/* --- SIGTERM while an export is being written ------------------------- */

typedef struct {
  int  inotify;   /* watching the export's folder for new names */
  gint sent;      /* atomic: SIGTERM went out */
} SigtermWatch;

/* On a thread of its own, SIGTERM goes out the moment the export's hidden
 * file is created. A timeout source on the main loop could miss the file
 * altogether: drawing a hundred thousand lanes in a sanitizer build can
 * hold the loop for longer than the whole export takes. */
static gpointer
sigterm_on_hidden_file_thread (gpointer data)
{
  SigtermWatch *watch = data;
  struct pollfd ready = { watch->inotify, POLLIN, 0 };
  char buffer[4096];

  while (poll (&ready, 1, 120000) > 0)
    {
      ssize_t n = read (watch->inotify, buffer, sizeof buffer);
      ssize_t at = 0;

      while (n > 0 && at + (ssize_t) sizeof (struct inotify_event) <= n)
        {
          struct inotify_event event;

          /* Copied out: the buffer holds the events unaligned for a cast. */
          memcpy (&event, buffer + at, sizeof event);
          if (event.len > 0 && buffer[at + (ssize_t) sizeof event] == '.')
            {
              kill (getpid (), SIGTERM);
              g_atomic_int_set (&watch->sent, TRUE);
              return NULL;
            }
          at += (ssize_t) (sizeof event + event.len);
        }
    }
  return NULL;
}

static gboolean
sigterm_sent (gpointer data)
{
  return g_atomic_int_get (&((SigtermWatch *) data)->sent);
}

/* A trace export that got to its end: the traceEvents array and the
 * object around it are closed. */
static gboolean
is_whole_trace (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  g_strchomp (contents);
  return g_str_has_prefix (contents, "{") && g_str_has_suffix (contents, "]}");
}

/* In a child of its own, as the signal quits the application: a
 * recording of 100,000 tasks is exported from the window, and SIGTERM
 * arrives while the hidden file is being written. */
static void
test_sigterm_during_export_child (void)
{
  const char *dir = g_getenv ("TL_TEST_EXPORT_DIR");
  g_autofree char *recording = NULL;
  g_autofree char *out = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GFile) file = NULL;
  TlWindow *window;
  SigtermWatch watch = { -1, FALSE };
  GThread *watcher;
  gboolean seen;

  if (dir == NULL)
    return;   /* only as the child of /ui/actions/sigterm-during-export */

  recording = g_build_filename (dir, "big.tasklanes-run", NULL);
  out = g_build_filename (dir, "out", NULL);
  target = g_build_filename (out, "trace.json", NULL);
  file = g_file_new_for_path (recording);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);

  window = tl_test_new_window (app);
  g_assert_true (tl_window_open_file (window, file));
  g_assert_true (tl_test_wait_until (has_trace, window, 120000));

  watch.inotify = inotify_init1 (IN_CLOEXEC);
  g_assert_cmpint (watch.inotify, >=, 0);
  g_assert_cmpint (inotify_add_watch (watch.inotify, out, IN_CREATE), >=, 0);
  watcher = g_thread_new ("sigterm-on-hidden-file", sigterm_on_hidden_file_thread, &watch);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-trace", NULL);
  answer_file_dialog (target);
  seen = tl_test_wait_until (sigterm_sent, &watch, 120000);
  g_thread_join (watcher);
  close (watch.inotify);
  g_assert_true (seen);

  /* The application's own handler: removes the hidden file, then quits. */
  g_assert_true (tl_test_wait_until (tl_test_no_hidden_file, out, 10000));
  tl_test_spin (500);
  g_assert_false (tl_test_has_hidden_file (out));
  /* The export in progress fails rather than write its file after all;
   * only on a loop too busy to take the signal before the export ended
   * is the file there, and then it is whole. */
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_test_message ("the export ended before the signal was handled");
      g_assert_true (is_whole_trace (target));
    }
}

static void
test_sigterm_during_export (void)
{
  static const char big[] =
    "[Preset]\nFormat=1\nName=Many naps\nRun=all\n\n"
    "[Task all]\nKind=gather\nChildren=nap\n\n"
    "[Task nap]\nKind=sleep\nDuration=1s\nRepeat=100000\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-sigterm-XXXXXX", &error);
  g_autofree char *preset = write_file (dir, "big.tasklanes", big);
  g_autofree char *recording = g_build_filename (dir, "big.tasklanes-run", NULL);
  const char *argv[] = { g_getenv ("TASKLANES_BINARY"), "--headless", preset, "--virtual-time",
                         "--quiet", "--record", recording, NULL };
  int status = -1;

  g_assert_no_error (error);
  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_setenv ("TL_TEST_EXPORT_DIR", dir, TRUE);
  g_test_trap_subprocess ("/ui/actions/sigterm-during-export/child", 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("TL_TEST_EXPORT_DIR");
  g_test_trap_assert_passed ();

  tl_test_remove_tree (dir);
}

/* --- languages ---------------------------------------------------------- */

/* Runs in a child started with the language under test: the window's
 * words come from the Korean catalogue (or not), and the presets' texts
 * follow the same language. */
static void
check_language (gboolean korean)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin ("gather", &error);
  TlWindow *window = tl_test_new_window (app);
  const char *run_label = g_dgettext (GETTEXT_PACKAGE, "_Run");

  g_assert_no_error (error);
  g_test_message ("LANGUAGE=%s: “_Run” reads “%s”, the preset “%s”",
                  g_getenv ("LANGUAGE"), run_label, preset->name);
  if (korean)
    {
      g_assert_cmpstr (run_label, ==, "실행(_R)");
      g_assert_cmpstr (preset->name, ==, "gather: 함께 실행하고 결과는 순서대로");
    }
  else
    {
      g_assert_cmpstr (run_label, ==, "_Run");
      g_assert_true (g_str_is_ascii (preset->name));
    }

  tl_test_close_window (window);
}

static void
test_language_child (void)
{
  const char *mode = g_getenv ("TL_TEST_LANGUAGE_KOREAN");

  check_language (g_strcmp0 (mode, "1") == 0);
}

static void
run_language_child (const char *language,
                    const char *lang,
                    gboolean    korean)
{
  g_autofree char *saved_language = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *saved_lang = g_strdup (g_getenv ("LANG"));

  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LANG", lang, TRUE);
  g_setenv ("TL_TEST_LANGUAGE_KOREAN", korean ? "1" : "0", TRUE);
  g_test_trap_subprocess ("/ui/actions/language/child", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("TL_TEST_LANGUAGE_KOREAN");
  if (saved_language != NULL)
    g_setenv ("LANGUAGE", saved_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  if (saved_lang != NULL)
    g_setenv ("LANG", saved_lang, TRUE);
  else
    g_unsetenv ("LANG");
  g_test_trap_assert_passed ();
}

/* LANGUAGE=ko_KR has no catalogue of its own: gettext falls back to ko. */
static void
test_language_ko_kr (void)
{
  run_language_child ("ko_KR", "ko_KR.UTF-8", TRUE);
}

/* Only LANG names Korean, a locale this system may not have installed:
 * the window still speaks Korean, as the presets do. */
static void
test_language_lang_only (void)
{
  run_language_child ("", "ko_KR.UTF-8", TRUE);
}

/* A language with no catalogue: English, and English preset texts. */
static void
test_language_unknown (void)
{
  run_language_child ("xx_YY", "xx_YY.UTF-8", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Only a language child keeps the language it was started with. */
  if (!g_test_subprocess ())
    {
      g_setenv ("LANGUAGE", "C", TRUE);
      g_unsetenv ("LANG");
      g_unsetenv ("LC_ALL");
      g_unsetenv ("LC_MESSAGES");
    }

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/actions/remote", test_remote_actions);
  g_test_add_func ("/ui/actions/open-and-save-dialogs", test_open_and_save_dialogs);
  g_test_add_func ("/ui/actions/save-program-dialog", test_save_program_dialog);
  g_test_add_func ("/ui/actions/export-errors", test_export_errors);
  g_test_add_func ("/ui/actions/unrealized-window-lets-go", test_unrealized_window_lets_go);
  g_test_add_func ("/ui/actions/search", test_search_action);
  g_test_add_func ("/ui/actions/sigterm-during-export", test_sigterm_during_export);
  g_test_add_func ("/ui/actions/sigterm-during-export/child", test_sigterm_during_export_child);
  g_test_add_func ("/ui/actions/language/ko-kr", test_language_ko_kr);
  g_test_add_func ("/ui/actions/language/lang-only", test_language_lang_only);
  g_test_add_func ("/ui/actions/language/unknown", test_language_unknown);
  g_test_add_func ("/ui/actions/language/child", test_language_child);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
