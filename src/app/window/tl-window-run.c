/* tl-window-run.c — run control: start and stop, the live update timer,
 * the status it keeps (summary, warnings, details)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "window/tl-details-pane.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window-private.h"

/* Live figures change every frame, but nobody reads them that fast; a
 * slower period keeps a software renderer from spending the CPU on
 * relayouts of the summary text. */
#define SUMMARY_PERIOD_US  (200 * 1000)
/* The live timeline advances at about 30 frames a second: smooth enough
 * to watch, and a fraction of what a per-frame tick costs under software
 * GL. */
#define LIVE_PERIOD_MS     33
#define DETAILS_PERIOD_US  (200 * 1000)

static void
stop_live_updates (TlWindow *self)
{
  g_clear_handle_id (&self->live_source, g_source_remove);
}

void
_tl_window_refresh_details (TlWindow *self)
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

void
_tl_window_show_warnings (TlWindow *self)
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

/* Calls on worker threads cannot be interrupted (neither can Python's):
 * a stopped run waits until they return. */
static guint
count_uninterruptible (TlWindow *self)
{
  guint n = 0;
  guint n_instances;

  if (self->model == NULL)
    return 0;
  n_instances = MIN (tl_timeline_model_get_n_instances (self->model), tl_trace_get_n_instances (self->trace));
  for (guint32 i = 0; i < n_instances; i++)
    if (tl_trace_get_instance (self->trace, i)->on == TL_ON_THREAD &&
        !tl_kind_is_composite (tl_trace_get_instance (self->trace, i)->kind) &&
        tl_timeline_model_get_state (self->model, i) == TL_STATE_RUNNING)
      n++;

  return n;
}

static void
set_stopping (TlWindow *self,
              gboolean  stopping)
{
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (self->stop_button));

  self->stopping = stopping;
  if (ADW_IS_BUTTON_CONTENT (content))
    adw_button_content_set_label (ADW_BUTTON_CONTENT (content), stopping ? _("Stopping…") : _("Stop"));
  gtk_widget_set_tooltip_text (self->stop_button,
                               stopping ? _("Stopping: every task is being cancelled")
                                        : _("Stop the run, cancelling every task (Escape)"));
}

static void
show_live_status (TlWindow *self,
                  gint64    now,
                  gint64    stall,
                  guint32   culprit)
{
  tl_summary_bar_show_live (self->summary_bar, self->model, now, stall, culprit);
  if (self->stopping)
    tl_summary_bar_show_stopping (self->summary_bar, count_uninterruptible (self));
}

static void
finish_run (TlWindow *self)
{
  g_assert (self->engine != NULL);

  /* Nothing moves after the end: no timer may keep waking the process. */
  stop_live_updates (self);

  /* A program that could not start leaves nothing to draw. */
  if (tl_engine_thread_get_program (self->engine) != NULL && !_tl_window_program_finished (self))
    {
      _tl_window_clear_run (self);
      tl_window_update_actions (self);
      return;
    }

  /* The runner has ended; joining its thread returns at once. */
  g_clear_pointer (&self->engine, tl_engine_thread_free);
  set_stopping (self, FALSE);

  tl_timeline_model_set_now (self->model, tl_trace_get_end_us (self->trace));
  tl_timeline_model_update (self->model);
  tl_timeline_set_stall (self->timeline, 0, TL_NO_INSTANCE);
  tl_timeline_set_live (self->timeline, FALSE);

  /* A followed run ends showing all of itself. */
  if (tl_timeline_get_follow (self->timeline))
    gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-fit", NULL);

  tl_code_pane_update_live (self->code_pane);
  tl_summary_bar_show_trace (self->summary_bar, self->trace);
  _tl_window_show_warnings (self);
  _tl_window_refresh_find (self);
  /* The lane of the task the lesson is about, kept in view while the
   * warnings slide in and the layout settles (tl-window-key-lane.c). */
  _tl_window_show_key_lane (self);
  _tl_window_refresh_details (self);
  _tl_window_history_run_finished (self);
  tl_window_update_actions (self);
  _tl_window_show_prediction_results (self);
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
  tl_code_pane_update_live (self->code_pane);
  /* Tasks appear as the run goes: the search's count follows. */
  _tl_window_refresh_find (self);

  /* A preset that blocks its own loop cannot publish anything until it
   * lets go; ask the runner how long it has been held so the timeline can
   * draw the stall growing. */
  stall = tl_engine_thread_get_current_stall_us (self->engine, &culprit);
  _tl_window_update_output (self);
  tl_timeline_set_stall (self->timeline, stall, culprit);

  if (now - self->last_summary_us >= SUMMARY_PERIOD_US)
    {
      self->last_summary_us = now;
      /* A cursor on the part already drawn keeps its own status line. */
      if (tl_timeline_get_cursor (self->timeline) >= 0)
        _tl_window_show_cursor (self);
      else
        show_live_status (self, now, stall, culprit);
    }

  if (_tl_window_details_revealed (self) &&
      now - self->last_details_us >= DETAILS_PERIOD_US)
    {
      self->last_details_us = now;
      _tl_window_refresh_details (self);
    }

  tl_window_update_actions (self);

  return G_SOURCE_CONTINUE;
}

void
_tl_window_clear_run (TlWindow *self)
{
  stop_live_updates (self);
  _tl_window_forget_key_lane (self);

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
  if (self->code_pane != NULL)
    tl_code_pane_set_trace (self->code_pane, NULL);

  g_clear_object (&self->model);
  g_clear_pointer (&self->trace, tl_trace_unref);
}

void
_tl_window_start_run (TlWindow *self)
{
  TlApplication *app = _tl_window_get_app (self);
  TlRunnerOptions options = { 0 };
  g_return_if_fail (self->preset != NULL);

  _tl_window_clear_run (self);
  _tl_window_history_run_started (self);

  options.clock = TL_CLOCK_REAL;
  options.default_threads = app != NULL ? tl_application_get_default_threads (app) : 0;
  options.default_processes = app != NULL ? tl_application_get_default_processes (app) : 0;
  options.worker_path = g_getenv ("TASKLANES_WORKER");

  set_stopping (self, FALSE);
  self->run_start_us = g_get_monotonic_time ();
  self->last_summary_us = G_MININT64 / 2;
  self->last_details_us = G_MININT64 / 2;
  if (_tl_window_is_program (self))
    {
      g_autoptr(GError) error = NULL;

      self->engine = _tl_window_start_program (self, run_finished_cb, &error);
      if (self->engine == NULL)
        {
          g_autofree char *heading = g_strdup_printf (_("Could Not Run “%s”"), self->preset->name);

          _tl_window_show_error (self, heading, error->message);
          tl_window_update_actions (self);
          return;
        }
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->output_expander), FALSE);
      self->engine = tl_engine_thread_start (self->preset, &options, run_finished_cb, self);
    }
  self->trace = tl_trace_ref (tl_engine_thread_get_trace (self->engine));
  self->model = tl_timeline_model_new (self->trace);

  tl_timeline_set_model (self->timeline, self->model);
  tl_timeline_set_follow (self->timeline,
                          app != NULL ? tl_application_get_follow_live (app) : TRUE);
  tl_timeline_set_live (self->timeline, TRUE);
  tl_timeline_set_selected_task (self->timeline, TL_NO_INSTANCE);
  tl_details_pane_set_run (self->details_pane, self->trace, self->model);
  tl_code_pane_set_trace (self->code_pane, self->trace);
  _tl_window_reveal_details (self, FALSE);

  gtk_revealer_set_reveal_child (self->warnings_revealer, FALSE);
  tl_summary_bar_show_live (self->summary_bar, self->model, 0, 0, TL_NO_INSTANCE);

  self->live_source = g_timeout_add_full (G_PRIORITY_DEFAULT, LIVE_PERIOD_MS,
                                          live_update_cb, self, NULL);

  _tl_window_show_guesses (self);
  tl_window_update_actions (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (self->preset == NULL || self->engine != NULL)
    return;

  /* A program asks for consent (and has no questions to predict). */
  if (_tl_window_is_program (self))
    {
      if (_tl_window_program_consented (self))
        _tl_window_start_run (self);
      return;
    }
  if (_tl_window_predict_before_run (self))
    return;
  if (_tl_window_hosts_consented (self))
    _tl_window_start_run (self);
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
   * ends; "finished" then arrives as for any run. Say so at once: calls
   * on threads may keep it going a while. */
  tl_engine_thread_stop (self->engine);
  set_stopping (self, TRUE);
  show_live_status (self, g_get_monotonic_time () - self->run_start_us, 0, TL_NO_INSTANCE);
}

void
_tl_window_cancel_instance (TlWindow *self,
                            guint32   instance)
{
  /* A program's tasks are cancelled by the program, not from outside. */
  if (!_tl_window_instance_is_live (self, instance) || tl_engine_thread_get_runner (self->engine) == NULL)
    return;

  tl_runner_cancel_task (tl_engine_thread_get_runner (self->engine), instance);
}

static void
cancel_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  _tl_window_cancel_instance (self, _tl_window_get_selected_task (self));
}
void
_tl_window_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-task", NULL, cancel_task_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
}
