/* tl-window.c — the main window: gallery, timeline, summary, details
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "window/tl-details-pane.h"
#include "run/tl-engine-thread.h"
#include "export/tl-export.h"
#include "window/tl-gallery.h"
#include "window/tl-summary-bar.h"
#include "trace/tl-summary.h"
#include "timeline/tl-timeline.h"
#include "window/tl-window.h"

#define DEFAULT_PRESET     "builtin:sync-vs-async"
#define RELOAD_DELAY_MS    150
/* Live figures change every frame, but nobody reads them that fast; a
 * slower period keeps a software renderer from spending the CPU on
 * relayouts of the summary text. */
#define SUMMARY_PERIOD_US  (200 * 1000)
/* The live timeline advances at about 30 frames a second: smooth enough
 * to watch, and a fraction of what a per-frame tick costs under software
 * GL. */
#define LIVE_PERIOD_MS     33
/* The details pane's width the first time it opens. */
#define DETAILS_WIDTH      320
#define DETAILS_PERIOD_US  (200 * 1000)
#define EXPORT_IMAGE_WIDTH 1600

typedef enum {
  EXPORT_TRACE,
  EXPORT_REPORT,
  EXPORT_CSV,
  EXPORT_IMAGE,
  SAVE_AS,
} ExportKind;

struct _TlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  TlGallery            *gallery;
  AdwWindowTitle       *window_title;
  GtkWidget            *run_button;
  GtkWidget            *stop_button;
  GtkStack             *main_stack;
  GtkPaned             *details_paned;
  GtkBox               *legend_box;
  GtkLabel             *explanation_label;
  GtkScrolledWindow    *timeline_scroller;
  GtkToggleButton      *follow_button;
  TlSummaryBar         *summary_bar;
  GtkRevealer          *warnings_revealer;
  GtkListBox           *warnings_list;
  TlDetailsPane        *details_pane;

  TlTimeline           *timeline;

  /* The open preset */
  TlPreset             *preset;
  char                 *argument;
  GFile                *file;
  GFileMonitor         *monitor;
  guint                 reload_source;
  /* Remote hosts the user agreed to contact for this file ("a;b"). */
  char                 *confirmed_hosts;

  /* The current or latest run */
  TlEngineThread       *engine;
  TlTrace              *trace;
  TlTimelineModel      *model;
  gint64                run_start_us;
  guint                 live_source;
  gint64                last_summary_us;
  gint64                last_details_us;

  GtkNativeDialog      *chooser;
  /* Where the last save or export went: the next one starts there. */
  char                 *last_save_folder;

  /* What tl_window_update_actions() last decided, to skip no-op updates
   * from the live updates. */
  guint                 action_state;
  gboolean              action_state_valid;
};

G_DEFINE_FINAL_TYPE (TlWindow, tl_window, ADW_TYPE_APPLICATION_WINDOW)

static void tl_window_update_actions (TlWindow *self);
static void start_run                (TlWindow *self);

/* --- small helpers ------------------------------------------------------ */

static TlApplication *
get_app (TlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TL_IS_APPLICATION (app) ? TL_APPLICATION (app) : NULL;
}

static GSettings *
get_settings (TlWindow *self)
{
  TlApplication *app = get_app (self);

  return app != NULL ? tl_application_get_settings (app) : NULL;
}

static void
show_toast (TlWindow   *self,
            const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

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

static void
show_error_dialog (TlWindow   *self,
                   const char *heading,
                   const char *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_widget_add_css_class (dialog, "error-dialog");
  gtk_window_present (GTK_WINDOW (dialog));
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

static guint32
get_selected_task (TlWindow *self)
{
  return tl_timeline_get_selected_task (self->timeline);
}

static gboolean
instance_is_live (TlWindow *self,
                  guint32   instance)
{
  if (self->engine == NULL || self->model == NULL || instance == TL_NO_INSTANCE)
    return FALSE;
  if (instance >= tl_trace_get_n_instances (self->trace))
    return FALSE;

  return !TL_STATE_IS_FINAL (tl_timeline_model_get_state (self->model, instance));
}

/* --- actions ------------------------------------------------------------ */

enum {
  ACTION_RUN         = 1 << 0,
  ACTION_STOP        = 1 << 1,
  ACTION_EXPORT      = 1 << 2,
  ACTION_SAVE_AS     = 1 << 3,
  ACTION_RELOAD      = 1 << 4,
  ACTION_CANCEL_TASK = 1 << 5,
};

/* The one place that decides which actions can be used right now. */
static void
tl_window_update_actions (TlWindow *self)
{
  gboolean running = self->engine != NULL;
  gboolean have_preset = self->preset != NULL;
  gboolean have_result = self->trace != NULL && !running && tl_trace_is_complete (self->trace);
  guint state = 0;

  if (have_preset && !running)
    state |= ACTION_RUN;
  if (running)
    state |= ACTION_STOP;
  if (have_result)
    state |= ACTION_EXPORT;
  if (have_preset)
    state |= ACTION_SAVE_AS;
  if (self->file != NULL)
    state |= ACTION_RELOAD;
  if (running && instance_is_live (self, get_selected_task (self)))
    state |= ACTION_CANCEL_TASK;

  if (self->action_state_valid && state == self->action_state)
    return;
  self->action_state = state;
  self->action_state_valid = TRUE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", (state & ACTION_RUN) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", (state & ACTION_STOP) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-trace", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-csv", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-image", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", (state & ACTION_SAVE_AS) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", (state & ACTION_RELOAD) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-task", (state & ACTION_CANCEL_TASK) != 0);

  /* Run and Stop share the place in the header bar. */
  gtk_widget_set_visible (self->run_button, !running);
  gtk_widget_set_visible (self->stop_button, running);
}

/* --- runs --------------------------------------------------------------- */

static gboolean
details_revealed (TlWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->details_pane));
}

/* The pane sits beside the timeline in a GtkPaned; showing and hiding it
 * keeps the divider where the user last left it. */
static void
reveal_details (TlWindow *self,
                gboolean  reveal)
{
  gboolean position_set = FALSE;

  /* The first time, give the pane a comfortable width; afterwards the
   * divider stays where the user dragged it. */
  g_object_get (self->details_paned, "position-set", &position_set, NULL);
  if (reveal && !position_set)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->details_paned));

      if (width > DETAILS_WIDTH * 2)
        gtk_paned_set_position (self->details_paned, width - DETAILS_WIDTH);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->details_pane), reveal);
}

static void
stop_live_updates (TlWindow *self)
{
  g_clear_handle_id (&self->live_source, g_source_remove);
}

static void
refresh_details (TlWindow *self)
{
  gint64 now = self->engine != NULL ? g_get_monotonic_time () - self->run_start_us : -1;

  tl_details_pane_refresh (self->details_pane, now);
}

/* Window-side wording of the engine's warnings, in asyncio's words and
 * grouped by kind: a learner reads one sentence for four crunch() tasks,
 * not the same paragraph four times. */
static char *
warning_group_title (TlWarningCode code,
                     guint         n,
                     const char   *names)
{
  switch (code)
    {
    case TL_WARNING_LOOP_BLOCKED:
      return n == 1
        ? g_strdup_printf (_("%s held the event loop, so no other task could run meanwhile"), names)
        : g_strdup_printf (ngettext ("%u task held the event loop, so no other task could run meanwhile: %s",
                                     "%u tasks held the event loop, so no other task could run meanwhile: %s", n),
                           n, names);
    case TL_WARNING_NEVER_AWAITED:
      return n == 1
        ? g_strdup_printf (_("%s was created but never awaited, so it never ran"), names)
        : g_strdup_printf (ngettext ("%u task was created but never awaited, so they never ran: %s",
                                     "%u tasks were created but never awaited, so they never ran: %s", n),
                           n, names);
    case TL_WARNING_EXCEPTION_NEVER_RETRIEVED:
      return n == 1
        ? g_strdup_printf (_("%s failed, but nothing awaited it, so its error was never seen"), names)
        : g_strdup_printf (ngettext ("%u task failed, but nothing awaited them, so their errors were never seen: %s",
                                     "%u tasks failed, but nothing awaited them, so their errors were never seen: %s", n),
                           n, names);
    case TL_WARNING_CONNECTIONS_LIMITED:
      return g_strdup (_("Fewer HTTP connections were opened than Connections asked for, "
                         "to stay within the open files limit"));
    case TL_WARNING_PENDING_AT_EXIT:
    case TL_N_WARNINGS:
    default:
      return n == 1
        ? g_strdup_printf (_("%s was still pending when its section ended, so it was cancelled"), names)
        : g_strdup_printf (ngettext ("%u task was still pending when their section ended, so they were cancelled: %s",
                                     "%u tasks were still pending when their section ended, so they were cancelled: %s", n),
                           n, names);
    }
}

static const char *
warning_advice (TlWarningCode code)
{
  switch (code)
    {
    case TL_WARNING_LOOP_BLOCKED:
      return _("Run blocking calls with asyncio.to_thread() or loop.run_in_executor(), and heavy computing in a ProcessPoolExecutor.");
    case TL_WARNING_NEVER_AWAITED:
      return _("Await it, or start it with asyncio.create_task().");
    case TL_WARNING_EXCEPTION_NEVER_RETRIEVED:
      return _("Await the task to see and handle its error.");
    case TL_WARNING_CONNECTIONS_LIMITED:
      return _("Raise the open files limit (ulimit -n) before starting Tasklanes to open more connections at once.");
    case TL_WARNING_PENDING_AT_EXIT:
    case TL_N_WARNINGS:
    default:
      return _("Await it before the end, or cancel it yourself.");
    }
}

/* At most this many names in a grouped warning; the rest are counted. */
#define MAX_WARNING_NAMES 6

static void
show_warnings (TlWindow *self)
{
  GtkWidget *child;
  guint n;
  guint n_rows = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  n = self->trace != NULL && tl_trace_is_complete (self->trace)
      ? tl_trace_get_n_warnings (self->trace) : 0;

  for (int code = 0; code < TL_N_WARNINGS; code++)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      /* One task may trip the same warning twice (it blocks the loop
       * twice): name and count it once. */
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      g_autofree char *title = NULL;
      guint32 first = TL_NO_INSTANCE;
      guint count = 0;
      GtkWidget *row;
      GtkWidget *icon;

      for (guint i = 0; i < n; i++)
        {
          const TlWarning *warning = tl_trace_get_warning (self->trace, i);

          if ((int) warning->code != code)
            continue;
          if (warning->instance != TL_NO_INSTANCE &&
              !g_hash_table_add (seen, GUINT_TO_POINTER (warning->instance + 1)))
            continue;
          if (count < MAX_WARNING_NAMES)
            {
              g_autofree char *label = warning->instance != TL_NO_INSTANCE
                ? tl_trace_dup_label (self->trace, warning->instance) : NULL;

              if (names->len > 0)
                g_string_append (names, _(", "));
              g_string_append (names, label != NULL ? label : "?");
            }
          if (first == TL_NO_INSTANCE)
            first = warning->instance;
          count++;
        }

      if (count == 0)
        continue;
      if (count > MAX_WARNING_NAMES)
        g_string_append (names, _(", …"));

      title = warning_group_title (code, count, names->str);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), warning_advice (code));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (first != TL_NO_INSTANCE)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, _("Select this task in the timeline"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
        }
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "instance", GUINT_TO_POINTER (first));
      g_object_set_data (G_OBJECT (row), "count", GUINT_TO_POINTER (count));
      gtk_list_box_append (self->warnings_list, row);
      n_rows++;
    }

  gtk_revealer_set_reveal_child (self->warnings_revealer, n_rows > 0);
}

static void
finish_run (TlWindow *self)
{
  g_assert (self->engine != NULL);

  /* Nothing moves after the end: no timer may keep waking the process. */
  stop_live_updates (self);

  /* The runner has ended; joining its thread returns at once. */
  g_clear_pointer (&self->engine, tl_engine_thread_free);

  tl_timeline_model_set_now (self->model, tl_trace_get_end_us (self->trace));
  tl_timeline_model_update (self->model);
  tl_timeline_set_stall (self->timeline, 0, TL_NO_INSTANCE);
  tl_timeline_set_live (self->timeline, FALSE);

  /* A followed run ends showing all of itself. */
  if (tl_timeline_get_follow (self->timeline))
    gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-fit", NULL);

  tl_summary_bar_show_trace (self->summary_bar, self->trace);
  show_warnings (self);
  refresh_details (self);
  tl_window_update_actions (self);
}

static gboolean
run_finished_cb (gpointer user_data)
{
  TlWindow *self = user_data;

  /* tl_engine_thread_free() drops this callback if it has not run yet,
   * and the window frees its engine before it goes away, so self is
   * alive here. */
  if (self->engine != NULL)
    finish_run (self);

  return G_SOURCE_REMOVE;
}

static gboolean
live_update_cb (gpointer user_data)
{
  TlWindow *self = TL_WINDOW (user_data);
  gint64 now;
  gint64 stall;
  guint32 culprit = TL_NO_INSTANCE;

  if (self->engine == NULL)
    {
      self->live_source = 0;
      return G_SOURCE_REMOVE;
    }

  /* The engine's "finished" idle can be starved by a busy main loop; the
   * trace says so first, so end the run from here too. */
  if (tl_trace_is_complete (self->trace))
    {
      self->live_source = 0;
      finish_run (self);
      return G_SOURCE_REMOVE;
    }

  now = g_get_monotonic_time () - self->run_start_us;
  tl_timeline_model_set_now (self->model, now);
  tl_timeline_model_update (self->model);

  /* A preset that blocks its own loop cannot publish anything until it
   * lets go; ask the runner how long it has been held so the timeline can
   * draw the stall growing. */
  stall = tl_runner_get_current_stall_us (tl_engine_thread_get_runner (self->engine), &culprit);
  tl_timeline_set_stall (self->timeline, stall, culprit);

  if (now - self->last_summary_us >= SUMMARY_PERIOD_US)
    {
      self->last_summary_us = now;
      tl_summary_bar_show_live (self->summary_bar, self->model, now, stall, culprit);
    }

  if (details_revealed (self) &&
      now - self->last_details_us >= DETAILS_PERIOD_US)
    {
      self->last_details_us = now;
      refresh_details (self);
    }

  tl_window_update_actions (self);

  return G_SOURCE_CONTINUE;
}

static void
clear_run (TlWindow *self)
{
  stop_live_updates (self);

  /* Stops the run if it still goes and joins the engine thread. */
  g_clear_pointer (&self->engine, tl_engine_thread_free);

  if (self->timeline != NULL)
    {
      tl_timeline_set_live (self->timeline, FALSE);
      tl_timeline_set_stall (self->timeline, 0, TL_NO_INSTANCE);
      tl_timeline_set_model (self->timeline, NULL);
    }
  if (self->details_pane != NULL)
    tl_details_pane_set_run (self->details_pane, NULL, NULL);

  g_clear_object (&self->model);
  g_clear_pointer (&self->trace, tl_trace_unref);
}

static void
start_run (TlWindow *self)
{
  TlApplication *app = get_app (self);
  TlRunnerOptions options = { 0 };
  g_return_if_fail (self->preset != NULL);

  clear_run (self);

  options.clock = TL_CLOCK_REAL;
  options.default_threads = app != NULL ? tl_application_get_default_threads (app) : 0;
  options.default_processes = app != NULL ? tl_application_get_default_processes (app) : 0;
  options.worker_path = g_getenv ("TASKLANES_WORKER");

  self->run_start_us = g_get_monotonic_time ();
  self->last_summary_us = G_MININT64 / 2;
  self->last_details_us = G_MININT64 / 2;
  self->engine = tl_engine_thread_start (self->preset, &options, run_finished_cb, self);
  self->trace = tl_trace_ref (tl_engine_thread_get_trace (self->engine));
  self->model = tl_timeline_model_new (self->trace);

  tl_timeline_set_model (self->timeline, self->model);
  tl_timeline_set_follow (self->timeline,
                          app != NULL ? tl_application_get_follow_live (app) : TRUE);
  tl_timeline_set_live (self->timeline, TRUE);
  tl_timeline_set_selected_task (self->timeline, TL_NO_INSTANCE);
  tl_details_pane_set_run (self->details_pane, self->trace, self->model);
  reveal_details (self, FALSE);

  gtk_revealer_set_reveal_child (self->warnings_revealer, FALSE);
  tl_summary_bar_show_live (self->summary_bar, self->model, 0, 0, TL_NO_INSTANCE);

  self->live_source = g_timeout_add_full (G_PRIORITY_DEFAULT, LIVE_PERIOD_MS,
                                          live_update_cb, self, NULL);

  tl_window_update_actions (self);
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
  start_run (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  g_auto(GStrv) hosts = NULL;
  g_autofree char *joined = NULL;

  if (self->preset == NULL || self->engine != NULL)
    return;

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
      return;
    }

  start_run (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (self->engine == NULL)
    return;

  /* The engine may have ended already while its "finished" message waits
   * in a busy loop: end the run here, so Stop works at any moment. */
  if (tl_trace_is_complete (self->trace))
    {
      finish_run (self);
      return;
    }

  /* Like Ctrl+C on asyncio.run(): every task is cancelled and the run
   * ends; "finished" then arrives as for any run. */
  tl_runner_stop (tl_engine_thread_get_runner (self->engine));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  /* On a narrow window the gallery is a page of its own. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  tl_gallery_focus_search (self->gallery);
}

static void
cancel_instance (TlWindow *self,
                 guint32   instance)
{
  if (!instance_is_live (self, instance))
    return;

  tl_runner_cancel_task (tl_engine_thread_get_runner (self->engine), instance);
}

static void
cancel_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  cancel_instance (self, get_selected_task (self));
}

/* --- presets and files -------------------------------------------------- */

static void
update_title (TlWindow *self)
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

static void
set_preset (TlWindow   *self,
            TlPreset   *preset,
            const char *argument,
            GFile      *file)
{
  gboolean same_file = file != NULL && self->file != NULL && g_file_equal (file, self->file);
  GSettings *settings;

  clear_run (self);

  g_clear_pointer (&self->preset, tl_preset_unref);
  self->preset = tl_preset_ref (preset);
  g_free (self->argument);
  self->argument = g_strdup (argument);

  if (!same_file)
    {
      g_clear_pointer (&self->confirmed_hosts, g_free);
      g_set_object (&self->file, file);
      watch_file (self, file);
    }

  update_title (self);
  gtk_label_set_text (self->explanation_label,
                      preset->description != NULL && preset->description[0] != '\0'
                      ? preset->description
                      : _("This preset has no description."));

  tl_gallery_set_current (self->gallery, argument, preset->name,
                          file != NULL ? g_file_peek_path (file) : NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "preset");
  reveal_details (self, FALSE);
  tl_summary_bar_show_preset (self->summary_bar, preset);
  show_warnings (self);

  settings = get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "last-preset", argument);

  self->action_state_valid = FALSE;
  tl_window_update_actions (self);
}

static gboolean
load_argument (TlWindow   *self,
               const char *argument,
               GFile      *file,
               gboolean    quiet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;

  preset = tl_preset_new_for_argument (argument, &error);
  if (preset == NULL)
    {
      if (!quiet)
        {
          g_autofree char *heading = NULL;
          g_autofree char *display = file != NULL ? g_file_get_basename (file) : g_strdup (argument);

          heading = g_strdup_printf (_("Could Not Open “%s”"), display);
          show_error_dialog (self, heading, error->message);
        }
      else
        g_debug ("Cannot open %s: %s", argument, error->message);
      return FALSE;
    }

  set_preset (self, preset, argument, file);
  return TRUE;
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

      show_error_dialog (self, heading, _("Only files on this computer can be opened."));
      return FALSE;
    }

  if (!load_argument (self, path, file, FALSE))
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
      if (!load_argument (self, argument, NULL, FALSE))
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

  if (self->file == NULL)
    return;

  /* A file being written may be gone for a moment (rename-into-place);
   * only a reload the user asked for reports that. */
  if (!explicit_request && !g_file_query_exists (self->file, NULL))
    return;

  file = g_object_ref (self->file);
  path = g_file_get_path (file);
  if (!load_argument (self, path, file, FALSE))
    return;

  base = g_file_get_basename (file);
  /* Translators: a toast; %s is a file name */
  message = g_strdup_printf (_("Reloaded %s"), base);
  show_toast (self, message);
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

static void
set_chooser (TlWindow        *self,
             GtkNativeDialog *chooser)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
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
  g_autoptr(GtkFileFilter) all = NULL;

  chooser = gtk_file_chooser_native_new (_("Open Preset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  presets = new_filter (_("Tasklanes presets"), "*.tasklanes", "application/x-tasklanes");
  all = new_filter (_("All files"), "*", NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), presets);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), presets);

  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb),
                           self, G_CONNECT_SWAPPED);
  set_chooser (self, GTK_NATIVE_DIALOG (chooser));
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
      show_error_dialog (self, heading, error->message);
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
      show_toast (self, message);
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
      show_error_dialog (self, heading, error->message);
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
      show_error_dialog (self, heading, error->message);
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
    case SAVE_AS:
    default:
      title = _("Save Preset As");
      name = g_strdup_printf ("%s.tasklanes", stem);
      break;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         kind == SAVE_AS ? _("_Save") : _("_Export"),
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
  else if (kind == SAVE_AS)
    {
      g_autoptr(GtkFileFilter) presets = new_filter (_("Tasklanes presets"), "*.tasklanes",
                                                     "application/x-tasklanes");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), presets);
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
  set_chooser (self, GTK_NATIVE_DIALOG (chooser));
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

/* --- template callbacks -------------------------------------------------- */

static void
gallery_preset_activated_cb (TlWindow   *self,
                             const char *argument,
                             TlGallery  *gallery)
{
  if (g_strcmp0 (argument, self->argument) == 0 && self->preset != NULL)
    {
      adw_leaflet_set_visible_child_name (self->leaflet, "content");
      return;
    }

  tl_window_open_argument (self, argument);
}

static void
back_clicked_cb (TlWindow  *self,
                 GtkButton *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
zoom_in_clicked_cb (TlWindow  *self,
                    GtkButton *button)
{
  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-in", NULL);
}

static void
zoom_out_clicked_cb (TlWindow  *self,
                     GtkButton *button)
{
  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-out", NULL);
}

static void
zoom_fit_clicked_cb (TlWindow  *self,
                     GtkButton *button)
{
  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-fit", NULL);
}

static void
select_instance (TlWindow *self,
                 guint32   instance)
{
  tl_timeline_set_selected_task (self->timeline, instance);
  if (instance != TL_NO_INSTANCE)
    reveal_details (self, TRUE);
}

static void
warning_row_activated_cb (TlWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  guint32 instance = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "instance"));

  if (instance != TL_NO_INSTANCE)
    {
      select_instance (self, instance);
      gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
    }
}

static void
details_instance_activated_cb (TlWindow      *self,
                               guint          instance,
                               TlDetailsPane *pane)
{
  select_instance (self, instance);
}

static void
details_cancel_requested_cb (TlWindow      *self,
                             guint          instance,
                             TlDetailsPane *pane)
{
  cancel_instance (self, instance);
  refresh_details (self);
}

static void
details_close_requested_cb (TlWindow      *self,
                            TlDetailsPane *pane)
{
  reveal_details (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
timeline_selection_changed_cb (TlWindow   *self,
                               GParamSpec *pspec,
                               TlTimeline *timeline)
{
  guint32 instance = tl_timeline_get_selected_task (timeline);

  tl_details_pane_set_instance (self->details_pane, instance);
  if (instance == TL_NO_INSTANCE)
    reveal_details (self, FALSE);
  else
    reveal_details (self, TRUE);
  refresh_details (self);
  tl_window_update_actions (self);
}

static void
timeline_task_activated_cb (TlWindow   *self,
                            guint       instance,
                            TlTimeline *timeline)
{
  select_instance (self, instance);
}

static void
timeline_cancel_requested_cb (TlWindow   *self,
                              guint       instance,
                              TlTimeline *timeline)
{
  cancel_instance (self, instance);
}

/* --- window state -------------------------------------------------------- */

static int
get_int_setting (GSettings  *settings,
                 const char *key,
                 int         fallback)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return (int) MIN (g_variant_get_uint32 (value), (guint) G_MAXINT);
  return fallback;
}

static void
set_int_setting (GSettings  *settings,
                 const char *key,
                 int         v)
{
  g_autoptr(GVariant) current = g_settings_get_value (settings, key);

  if (g_variant_is_of_type (current, G_VARIANT_TYPE_UINT32))
    g_settings_set_uint (settings, key, (guint) MAX (v, 0));
  else
    g_settings_set_int (settings, key, v);
}

static void
restore_window_state (TlWindow *self)
{
  GSettings *settings = get_settings (self);
  int width, height;

  if (settings == NULL)
    return;

  width = get_int_setting (settings, "window-width", 1200);
  height = get_int_setting (settings, "window-height", 760);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
tl_window_close_request (GtkWindow *window)
{
  TlWindow *self = TL_WINDOW (window);
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    {
      int width, height;

      /* GTK 4 keeps the default size in step with the unmaximized size. */
      gtk_window_get_default_size (window, &width, &height);
      set_int_setting (settings, "window-width", width);
      set_int_setting (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }

  clear_run (self);

  return GTK_WINDOW_CLASS (tl_window_parent_class)->close_request (window);
}

static void
open_initial_preset (TlWindow *self)
{
  GSettings *settings = get_settings (self);
  g_autofree char *last = settings != NULL ? g_settings_get_string (settings, "last-preset") : NULL;

  /* No empty window: the last preset, else the gallery's first lesson. */
  if (last != NULL && last[0] != '\0')
    {
      if (g_str_has_prefix (last, "builtin:"))
        {
          if (load_argument (self, last, NULL, TRUE))
            return;
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_path (last);

          if (load_argument (self, last, file, TRUE))
            return;
        }
    }

  if (!load_argument (self, DEFAULT_PRESET, NULL, TRUE))
    {
      g_auto(GStrv) names = tl_preset_list_builtin ();

      if (names == NULL || names[0] == NULL)
        return;

      {
        g_autofree char *argument = g_strconcat ("builtin:", names[0], NULL);
        load_argument (self, argument, NULL, TRUE);
      }
    }
}

static void
tl_window_dispose (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  clear_run (self);
  set_chooser (self, NULL);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_handle_id (&self->reload_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_WINDOW);
  /* It lived inside the template's scrolled window. */
  self->timeline = NULL;

  g_clear_pointer (&self->preset, tl_preset_unref);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (tl_window_parent_class)->dispose (object);
}

static void
tl_window_finalize (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  g_clear_pointer (&self->argument, g_free);
  g_clear_pointer (&self->confirmed_hosts, g_free);
  g_clear_pointer (&self->last_save_folder, g_free);

  G_OBJECT_CLASS (tl_window_parent_class)->finalize (object);
}

static void
tl_window_class_init (TlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tl_window_dispose;
  object_class->finalize = tl_window_finalize;
  window_class->close_request = tl_window_close_request;

  g_type_ensure (TL_TYPE_GALLERY);
  g_type_ensure (TL_TYPE_SUMMARY_BAR);
  g_type_ensure (TL_TYPE_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, gallery);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, details_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, follow_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, summary_bar);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, warnings_revealer);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, details_pane);
  gtk_widget_class_bind_template_callback (widget_class, gallery_preset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_fit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, warning_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_instance_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_cancel_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_close_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.export-trace", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-task", NULL, cancel_task_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", "s", open_export_action);

  /* Ctrl+O belongs to app.open, which reaches win.open of the active
   * window; the others are the window's own. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-trace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
tl_window_init (TlWindow *self)
{
  GtkDropTarget *drop;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->timeline = TL_TIMELINE (tl_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_scrolled_window_set_child (self->timeline_scroller, GTK_WIDGET (self->timeline));
  g_signal_connect_object (self->timeline, "notify::selected-task",
                           G_CALLBACK (timeline_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "task-activated",
                           G_CALLBACK (timeline_task_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "cancel-requested",
                           G_CALLBACK (timeline_cancel_requested_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->timeline, "follow", self->follow_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (self->legend_box, tl_timeline_legend_new ());

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_title (self);
}

TlWindow *
tl_window_new (TlApplication *application)
{
  TlWindow *self;

  self = g_object_new (TL_TYPE_WINDOW,
                       "application", application,
                       NULL);

  /* Settings come from the application, which is only set once the
   * object is constructed. */
  restore_window_state (self);
  open_initial_preset (self);
  tl_window_update_actions (self);

  /* Folded (narrow window): show the preset, ready to run; the gallery
   * is one tap away. */
  if (self->preset != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "content");

  /* Keys go to the timeline first (+, -, 0, arrows), not to the search. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->timeline));

  return self;
}

TlPreset *
tl_window_get_preset (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);

  return self->preset;
}

GFile *
tl_window_get_file (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);

  return self->file;
}

TlTrace *
tl_window_get_trace (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);

  return self->trace;
}

gboolean
tl_window_is_running (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  return self->engine != NULL;
}

GtkWidget *
tl_window_get_timeline (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->timeline);
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

gboolean
tl_window_show_task (TlWindow   *self,
                     const char *task_name)
{
  TlPreset *preset;
  guint n;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (task_name != NULL, FALSE);

  if (self->trace == NULL)
    return FALSE;

  preset = tl_trace_get_preset (self->trace);
  n = tl_trace_get_n_instances (self->trace);
  for (guint32 id = 0; id < n; id++)
    {
      const TlInstance *inst = tl_trace_get_instance (self->trace, id);

      if (g_strcmp0 (preset->tasks[inst->spec].name, task_name) == 0)
        {
          tl_timeline_set_selected_task (self->timeline, id);
          reveal_details (self, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}
