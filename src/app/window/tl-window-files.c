/* tl-window-files.c — the window's file handling: open, reload on change,
 * save as, exports, recent files, drag and drop, and the consent to
 * contact other hosts before a file's first run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "export/tl-export.h"
#include "window/tl-gallery.h"
#include "window/tl-summary-bar.h"
#include "python/tl-python.h"
#include "window/tl-window-private.h"

#define DEFAULT_PRESET     "builtin:sync-vs-async"
#define RELOAD_DELAY_MS    150
#define EXPORT_IMAGE_WIDTH 1600

typedef enum {
  EXPORT_TRACE,
  EXPORT_REPORT,
  EXPORT_CSV,
  EXPORT_IMAGE,
  SAVE_AS,
  SAVE_PYTHON,
} ExportKind;

/* "Exported gather-trace.json" with an Open button: the next thing one
 * does with an export is look at it. */
static void
show_export_toast (TlWindow   *self,
                   const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  /* Translators: a toast; %s is a file name */
  g_autofree char *title = g_strdup_printf (_("Exported %s"), base);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  if (uri != NULL)
    {
      adw_toast_set_button_label (toast, _("_Open"));
      adw_toast_set_action_name (toast, "win.open-export");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
open_export_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GtkWindow *window = GTK_WINDOW (widget);

  gtk_show_uri (window, g_variant_get_string (param, NULL), GDK_CURRENT_TIME);
}

static char *
dup_preset_stem (TlWindow *self)
{
  if (self->preset == NULL)
    return g_strdup ("tasklanes");

  if (self->preset->builtin_name != NULL)
    return g_strdup (self->preset->builtin_name);

  if (self->file != NULL)
    {
      g_autofree char *base = g_file_get_basename (self->file);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      return g_steal_pointer (&base);
    }

  return g_strdup ("tasklanes");
}

static void
confirm_hosts_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           TlWindow         *self)
{
  if (g_strcmp0 (response, "run") != 0 || self->preset == NULL)
    return;

  g_free (self->confirmed_hosts);
  self->confirmed_hosts = g_object_steal_data (G_OBJECT (dialog), "hosts");
  _tl_window_start_run (self);
}

gboolean
_tl_window_hosts_consented (TlWindow *self)
{
  g_auto(GStrv) hosts = NULL;
  g_autofree char *joined = NULL;

  /* A file from elsewhere may contact real hosts: ask once, listing them,
   * before its first run. Built-in presets only talk to our own server. */
  hosts = self->file != NULL ? tl_preset_dup_remote_hosts (self->preset) : NULL;
  if (hosts != NULL && hosts[0] != NULL)
    joined = g_strjoinv ("\n", hosts);

  if (joined != NULL && g_strcmp0 (joined, self->confirmed_hosts) != 0)
    {
      GtkWidget *dialog;
      g_autofree char *body = NULL;

      body = g_strdup_printf (_("This preset sends HTTP requests to these hosts on the network:\n\n%s\n\nRun it only if you trust the file."),
                              joined);
      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Contact Other Hosts?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "run", _("_Run"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "hosts", g_steal_pointer (&joined), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_hosts_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return FALSE;
    }

  return TRUE;
}

/* --- presets and files -------------------------------------------------- */

void
_tl_window_update_title (TlWindow *self)
{
  if (self->preset == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Tasklanes"));
      adw_window_title_set_title (self->window_title, _("Tasklanes"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), self->preset->name);
  adw_window_title_set_title (self->window_title, self->preset->name);

  if (self->file != NULL)
    {
      g_autofree char *base = g_file_get_basename (self->file);
      adw_window_title_set_subtitle (self->window_title, base);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, _("Built-in preset"));
    }
}

static void file_changed_cb (TlWindow          *self,
                             GFile             *file,
                             GFile             *other_file,
                             GFileMonitorEvent  event,
                             GFileMonitor      *monitor);

static void
watch_file (TlWindow *self,
            GFile    *file)
{
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (file == NULL)
    return;

  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", g_file_peek_path (file), error->message);
      return;
    }

  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (file_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* @keep_run: a reload of the open file keeps the latest run on screen
 * (its trace holds the preset it ran) until the next Run replaces it. */
static void
set_preset (TlWindow   *self,
            TlPreset   *preset,
            const char *argument,
            GFile      *file,
            gboolean    keep_run)
{
  gboolean same_file = file != NULL && self->file != NULL && g_file_equal (file, self->file);
  GSettings *settings;

  keep_run = keep_run && same_file && self->trace != NULL && self->engine == NULL;
  if (!keep_run)
    _tl_window_clear_run (self);
  tl_reload_banner_hide (self->reload_banner);
  _tl_window_history_preset_changed (self, self->argument, argument);

  g_clear_pointer (&self->preset, tl_preset_unref);
  self->preset = tl_preset_ref (preset);
  g_free (self->argument);
  self->argument = g_strdup (argument);

  if (!same_file)
    {
      g_clear_pointer (&self->confirmed_hosts, g_free);
      g_clear_pointer (&self->program_args, g_strfreev);
      g_set_object (&self->file, file);
      watch_file (self, file);
    }

  _tl_window_update_title (self);
  _tl_window_update_code (self);
  gtk_label_set_text (self->explanation_label,
                      preset->description != NULL && preset->description[0] != '\0'
                      ? preset->description
                      : tl_python_is_program_path (argument)
                      ? _("A Python program: press Run to watch its tasks. It runs in a process of its own, "
                          "and Tasklanes asks before its first run.")
                      : _("This preset has no description."));

  tl_gallery_set_current (self->gallery, argument, preset->name,
                          file != NULL ? g_file_peek_path (file) : NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "preset");
  if (!keep_run)
    {
      _tl_window_reveal_details (self, FALSE);
      tl_summary_bar_show_preset (self->summary_bar, preset);
      _tl_window_show_warnings (self);
    }

  settings = _tl_window_get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "last-preset", argument);

  _tl_window_what_if_sync (self);
  self->action_state_valid = FALSE;
  tl_window_update_actions (self);
}

void
_tl_window_set_preset (TlWindow   *self,
                       TlPreset   *preset,
                       const char *argument,
                       GFile      *file)
{
  set_preset (self, preset, argument, file, FALSE);
}

gboolean
_tl_window_load_argument (TlWindow   *self,
                          const char *argument,
                          GFile      *file,
                          gboolean    quiet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;

  if (tl_python_is_program_path (argument) && !g_str_has_prefix (argument, "builtin:"))
    {
      g_autofree char *text = NULL;
      gsize length = 0;

      /* A program is shown by name; its text travels with the run. */
      if (!g_file_get_contents (argument, &text, &length, &error))
        preset = NULL;
      else
        preset = tl_preset_new_for_program (argument, g_utf8_validate (text, (gssize) length, NULL) ? text : NULL);
    }
  else
    preset = tl_preset_new_for_argument (argument, &error);
  if (preset == NULL)
    {
      if (!quiet)
        {
          g_autofree char *heading = NULL;
          g_autofree char *display = file != NULL ? g_file_get_basename (file) : g_strdup (argument);

          heading = g_strdup_printf (_("Could Not Open “%s”"), display);
          _tl_window_show_error (self, heading, error->message);
        }
      else
        g_debug ("Cannot open %s: %s", argument, error->message);
      return FALSE;
    }

  _tl_window_set_preset (self, preset, argument, file);
  return TRUE;
}

void
tl_window_set_program_args (TlWindow           *self,
                            const char * const *args)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  g_strfreev (self->program_args);
  self->program_args = g_strdupv ((char **) args);
}

gboolean
tl_window_open_file (TlWindow *self,
                     GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);

      _tl_window_show_error (self, heading, _("Only files on this computer can be opened."));
      return FALSE;
    }

  /* A run file, by its name or its first bytes: shown, not run. */
  if (tl_run_file_is_run_file (path))
    {
      if (!_tl_window_open_recording (self, file))
        return FALSE;
    }
  else if (!_tl_window_load_argument (self, path, file, FALSE))
    return FALSE;

  uri = g_file_get_uri (file);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);

  /* On a narrow window, show the opened preset rather than the gallery. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  return TRUE;
}

gboolean
tl_window_open_argument (TlWindow   *self,
                         const char *argument)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (argument != NULL, FALSE);

  if (g_str_has_prefix (argument, "builtin:"))
    {
      if (!_tl_window_load_argument (self, argument, NULL, FALSE))
        return FALSE;
      adw_leaflet_set_visible_child_name (self->leaflet, "content");
      return TRUE;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argument);

      return tl_window_open_file (self, file);
    }
}

static void
reload (TlWindow *self,
        gboolean  explicit_request)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(GError) error = NULL;

  if (self->file == NULL)
    return;

  /* A file being written may be gone for a moment (rename-into-place);
   * only a reload the user asked for reports that. */
  if (!explicit_request && !g_file_query_exists (self->file, NULL))
    return;

  file = g_object_ref (self->file);
  path = g_file_get_path (file);
  preset = tl_preset_new_for_argument (path, &error);
  if (preset == NULL)
    {
      /* In place, not in a dialog: the next save may well fix it. */
      tl_reload_banner_show_error (self->reload_banner, path, error->message);
      return;
    }
  set_preset (self, preset, path, file, TRUE);

  base = g_file_get_basename (file);
  /* Translators: a toast; %s is a file name */
  message = g_strdup_printf (_("Reloaded %s"), base);
  _tl_window_show_toast (self, message);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  TlWindow *self = user_data;

  self->reload_source = 0;
  reload (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
file_changed_cb (TlWindow          *self,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 GFileMonitor      *monitor)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_CHANGED:
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      if (other_file == NULL || self->file == NULL || !g_file_equal (other_file, self->file))
        return;
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      return;
    }

  /* Editors write in several steps; wait until they are done. */
  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  reload (TL_WINDOW (widget), TRUE);
}

/* --- file choosers: open, save as, exports -------------------------------- */

static gboolean
release_chooser_cb (gpointer data)
{
  TlWindow *self = data;

  self->chooser_release_source = 0;
  _tl_window_set_chooser (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Connected after the dialog's own handler: what the answer asked for
 * has been done (an error dialog may be up, parented to the window), and
 * the file dialog goes once GTK has finished emitting the answer, never
 * from inside it. */
static void
chooser_answered_cb (TlWindow        *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  if (chooser == self->chooser && self->chooser_release_source == 0)
    self->chooser_release_source = g_idle_add (release_chooser_cb, self);
}

/* The window holds the one file dialog it shows (@chooser, owned) until
 * its answer has been handled, another one replaces it or the window goes. */
void
_tl_window_set_chooser (TlWindow        *self,
                        GtkNativeDialog *chooser)
{
  g_clear_handle_id (&self->chooser_release_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  if (chooser != NULL)
    g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_answered_cb),
                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static GtkFileFilter *
new_filter (const char *name,
            const char *pattern,
            const char *mime_type)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);

  return filter;
}

static void
open_response_cb (TlWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        tl_window_open_file (self, file);
    }
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) presets = NULL;
  g_autoptr(GtkFileFilter) programs = NULL;
  g_autoptr(GtkFileFilter) runs = NULL;
  g_autoptr(GtkFileFilter) both = NULL;
  g_autoptr(GtkFileFilter) all = NULL;

  chooser = gtk_file_chooser_native_new (_("Open Preset or Run"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  both = new_filter (_("Tasklanes presets and runs"), "*.tasklanes", "application/x-tasklanes");
  gtk_file_filter_add_pattern (both, "*" TL_RUN_FILE_SUFFIX);
  gtk_file_filter_add_mime_type (both, TL_RUN_FILE_MIME);
  presets = new_filter (_("Tasklanes presets"), "*.tasklanes", "application/x-tasklanes");
  programs = new_filter (_("Python programs"), "*.py", "text/x-python");
  runs = new_filter (_("Tasklanes runs"), "*" TL_RUN_FILE_SUFFIX, TL_RUN_FILE_MIME);
  gtk_file_filter_add_pattern (both, "*.py");
  gtk_file_filter_add_mime_type (both, "text/x-python");
  all = new_filter (_("All files"), "*", NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), both);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), presets);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), programs);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), runs);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), both);

  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb),
                           self, G_CONNECT_SWAPPED);
  _tl_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct {
  TlTrace    *trace;
  char       *path;
  ExportKind  kind;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_pointer (&job->trace, tl_trace_unref);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **) = NULL;

  switch (job->kind)
    {
    case EXPORT_TRACE:  exporter = tl_export_trace;  break;
    case EXPORT_REPORT: exporter = tl_export_report; break;
    case EXPORT_CSV:    exporter = tl_export_csv;    break;
    case EXPORT_IMAGE:
    case SAVE_AS:
    default:
      g_assert_not_reached ();
    }

  /* The trace is complete and read-only, so another thread may stream it. */
  if (tl_export_to_path (job->trace, exporter, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TlWindow *self = TL_WINDOW (object);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (job->path);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
      return;
    }
  else
    {
      show_export_toast (self, job->path);
    }
}

gboolean
tl_window_save_preset_as (TlWindow    *self,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->preset == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No preset is open"));
      return FALSE;
    }

  if (!tl_preset_save_to_file (self->preset, path, error))
    return FALSE;

  /* Continue with the saved copy: it is watched, so edits in a text
   * editor show up here. */
  file = g_file_new_for_path (path);
  if (tl_window_open_file (self, file))
    {
      base = g_path_get_basename (path);
      /* Translators: a toast; %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Saved %s"), base);
      _tl_window_show_toast (self, message);
    }

  return TRUE;
}

static void
save_as_done (TlWindow   *self,
              const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!tl_window_save_preset_as (self, path, &error))
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
    }
}

static void
save_python_done (TlWindow   *self,
                  const char *path)
{
  TlPythonProgram *program = _tl_window_get_program (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);

  if (program == NULL)
    return;
  if (!tl_python_program_save (program, path, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
    }
  else
    {
      /* Translators: a toast; %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Saved %s"), base);
      _tl_window_show_toast (self, message);
    }
}

static void
export_image (TlWindow   *self,
              const char *path,
              gboolean    svg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);

  if (!tl_timeline_export_image (self->timeline, path, svg, EXPORT_IMAGE_WIDTH, TRUE, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
      return;
    }
  else
    {
      show_export_toast (self, path);
    }
}

static void
save_response_cb (TlWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  ExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "export-kind"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    return;

  g_free (self->last_save_folder);
  self->last_save_folder = g_path_get_dirname (path);

  if (kind == SAVE_AS)
    {
      if (self->preset != NULL)
        save_as_done (self, path);
    }
  else if (kind == SAVE_PYTHON)
    {
      save_python_done (self, path);
    }
  else if (kind == EXPORT_IMAGE)
    {
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
      gboolean svg = g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG");

      if (!svg && !g_str_has_suffix (path, ".png") && !g_str_has_suffix (path, ".PNG") &&
          filter != NULL && filter == g_object_get_data (G_OBJECT (chooser), "svg-filter"))
        svg = TRUE;
      export_image (self, path, svg);
    }
  else if (self->trace != NULL)
    {
      g_autoptr(GTask) task = NULL;
      ExportJob *job = g_new0 (ExportJob, 1);

      job->trace = tl_trace_ref (self->trace);
      job->path = g_steal_pointer (&path);
      job->kind = kind;

      task = g_task_new (self, NULL, export_done_cb, NULL);
      g_task_set_source_tag (task, save_response_cb);
      g_task_set_task_data (task, job, export_job_free);
      g_task_run_in_thread (task, export_thread);
    }
}

static void
show_save_chooser (TlWindow   *self,
                   ExportKind  kind)
{
  GtkFileChooserNative *chooser;
  g_autofree char *stem = dup_preset_stem (self);
  g_autofree char *name = NULL;
  const char *title = NULL;

  switch (kind)
    {
    case EXPORT_TRACE:
      title = _("Export Trace");
      name = g_strdup_printf ("%s-trace.json", stem);
      break;
    case EXPORT_REPORT:
      title = _("Export Report");
      name = g_strdup_printf ("%s-report.json", stem);
      break;
    case EXPORT_CSV:
      title = _("Export CSV");
      name = g_strdup_printf ("%s.csv", stem);
      break;
    case EXPORT_IMAGE:
      title = _("Export Image");
      name = g_strdup_printf ("%s.png", stem);
      break;
    case SAVE_PYTHON:
      title = _("Save as Python");
      name = _tl_window_get_program (self) != NULL
             ? tl_python_program_dup_default_name (_tl_window_get_program (self))
             : g_strdup_printf ("%s.py", stem);
      break;
    case SAVE_AS:
    default:
      if (_tl_window_is_program (self))
        {
          /* A program is saved as what it is, under its own name. */
          title = _("Save Program As");
          name = g_path_get_basename (self->preset->file);
        }
      else
        {
          title = _("Save Preset As");
          name = g_strdup_printf ("%s.tasklanes", stem);
        }
      break;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         kind == SAVE_AS || kind == SAVE_PYTHON ? _("_Save") : _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "export-kind", GINT_TO_POINTER (kind));

  /* Not the process's working directory: the last folder used, else
   * Pictures for images and Documents for the rest, else home. */
  {
    const char *folder = self->last_save_folder;

    if (folder == NULL)
      folder = g_get_user_special_dir (kind == EXPORT_IMAGE ? G_USER_DIRECTORY_PICTURES
                                                            : G_USER_DIRECTORY_DOCUMENTS);
    if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
      folder = g_get_home_dir ();
    if (folder != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR))
      {
        g_autoptr(GFile) dir = g_file_new_for_path (folder);

        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
      }
  }

  if (kind == EXPORT_IMAGE)
    {
      g_autoptr(GtkFileFilter) png = new_filter (_("PNG image"), "*.png", "image/png");
      g_autoptr(GtkFileFilter) svg = new_filter (_("SVG image"), "*.svg", "image/svg+xml");

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), png);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), svg);
      gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), png);
      g_object_set_data (G_OBJECT (chooser), "svg-filter", svg);
    }
  else if (kind == SAVE_AS && _tl_window_is_program (self))
    {
      g_autoptr(GtkFileFilter) python = new_filter (_("Python programs"), "*.py", "text/x-python");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), python);
    }
  else if (kind == SAVE_AS)
    {
      g_autoptr(GtkFileFilter) presets = new_filter (_("Tasklanes presets"), "*.tasklanes",
                                                     "application/x-tasklanes");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), presets);
    }
  else if (kind == SAVE_PYTHON)
    {
      g_autoptr(GtkFileFilter) python = new_filter (_("Python programs"), "*.py", "text/x-python");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), python);
    }
  else if (kind == EXPORT_CSV)
    {
      g_autoptr(GtkFileFilter) csv = new_filter (_("CSV files"), "*.csv", "text/csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
    }
  else
    {
      g_autoptr(GtkFileFilter) json = new_filter (_("JSON files"), "*.json", "application/json");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
    }

  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb),
                           self, G_CONNECT_SWAPPED);
  _tl_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  ExportKind kind;

  if (g_str_equal (action_name, "win.export-trace"))
    kind = EXPORT_TRACE;
  else if (g_str_equal (action_name, "win.export-report"))
    kind = EXPORT_REPORT;
  else if (g_str_equal (action_name, "win.export-csv"))
    kind = EXPORT_CSV;
  else if (g_str_equal (action_name, "win.export-image"))
    kind = EXPORT_IMAGE;
  else if (g_str_equal (action_name, "win.save-python"))
    kind = SAVE_PYTHON;
  else
    kind = SAVE_AS;

  show_save_chooser (self, kind);
}

/* --- drag and drop ------------------------------------------------------ */

static gboolean
drop_cb (TlWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files != NULL)
        file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      file = g_value_get_object (value);
    }

  if (file == NULL)
    return FALSE;

  return tl_window_open_file (self, file);
}

void
_tl_window_open_initial_preset (TlWindow *self)
{
  GSettings *settings = _tl_window_get_settings (self);
  g_autofree char *last = settings != NULL ? g_settings_get_string (settings, "last-preset") : NULL;

  /* No empty window: the last preset, else the gallery's first lesson. */
  if (last != NULL && last[0] != '\0')
    {
      if (g_str_has_prefix (last, "builtin:"))
        {
          if (_tl_window_load_argument (self, last, NULL, TRUE))
            return;
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_path (last);

          if (_tl_window_load_argument (self, last, file, TRUE))
            return;
        }
    }

  if (!_tl_window_load_argument (self, DEFAULT_PRESET, NULL, TRUE))
    {
      g_auto(GStrv) names = tl_preset_list_builtin ();

      if (names == NULL || names[0] == NULL)
        return;

      {
        g_autofree char *argument = g_strconcat ("builtin:", names[0], NULL);
        _tl_window_load_argument (self, argument, NULL, TRUE);
      }
    }
}

gboolean
tl_window_export_to_path (TlWindow    *self,
                          const char  *format,
                          const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->trace == NULL || self->engine != NULL || !tl_trace_is_complete (self->trace))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("There is no finished run to export yet"));
      return FALSE;
    }

  if (g_str_equal (format, "trace"))
    return tl_export_to_path (self->trace, tl_export_trace, path, error);
  if (g_str_equal (format, "report"))
    return tl_export_to_path (self->trace, tl_export_report, path, error);
  if (g_str_equal (format, "csv"))
    return tl_export_to_path (self->trace, tl_export_csv, path, error);
  if (g_str_equal (format, "png") || g_str_equal (format, "svg"))
    return tl_timeline_export_image (self->timeline, path, g_str_equal (format, "svg"),
                                     EXPORT_IMAGE_WIDTH, TRUE, error);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Unknown export format “%s”", format);
  return FALSE;
}
void
_tl_window_class_init_files (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.export-trace", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.save-python", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", "s", open_export_action);

  /* Ctrl+O belongs to app.open, which reaches win.open of the active
   * window; the others are the window's own. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL);
}

/* Files dropped on the window open as presets. */
void
_tl_window_init_files (TlWindow *self)
{
  GtkDropTarget *drop;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

void
_tl_window_dispose_files (TlWindow *self)
{
  _tl_window_set_chooser (self, NULL);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_handle_id (&self->reload_source, g_source_remove);
}
