/* tl-window-what-if.c — "what if there were five threads?": the pool
 * sizes and the selected task's durations changed from the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The spin buttons show the open preset's values. Run with Changes runs a
 * copy of the preset with the values that differ written into its text
 * (tl_preset_copy_with_overrides()) and compares the new run with the one
 * on screen; Save Changes writes that text to the preset's file, so its
 * comments and translations stay.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "preset/tl-preset-overrides.h"
#include "window/tl-window-private.h"

/* Durations are edited in milliseconds, up to the preset format's hour. */
#define MAX_MS (3600.0 * 1000.0)

static const char * const pool_labels[TL_N_POOL_OVERRIDES] = {
  N_("Threads"), N_("Processes"), N_("Connections"),
};
static const char * const task_labels[TL_N_TASK_OVERRIDES] = {
  N_("Duration (ms)"), N_("Work (ms)"), N_("Timeout (ms, 0: none)"), N_("MaxWait (ms, 0: none)"),
};

/* The pool sizes a run of the preset uses: its own, else the defaults
 * the window runs with. */
static guint
effective_pool (TlWindow       *self,
                TlPoolOverride  key)
{
  TlApplication *app = _tl_window_get_app (self);
  guint value = 0;

  switch (key)
    {
    case TL_OVERRIDE_THREADS:
      value = self->preset->threads;
      if (value == 0 && app != NULL)
        value = tl_application_get_default_threads (app);
      break;
    case TL_OVERRIDE_PROCESSES:
      value = self->preset->processes;
      if (value == 0 && app != NULL)
        value = tl_application_get_default_processes (app);
      break;
    case TL_OVERRIDE_CONNECTIONS:
    case TL_N_POOL_OVERRIDES:
    default:
      value = self->preset->connections;
      break;
    }
  return value > 0 ? value : g_get_num_processors ();
}

static const TlTaskSpec *
find_spec (TlPreset   *preset,
           const char *name)
{
  for (guint i = 0; name != NULL && i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return &preset->tasks[i];
  return NULL;
}

static double
task_value_ms (const TlTaskSpec *spec,
               TlTaskOverride    key)
{
  gint64 us;

  switch (key)
    {
    case TL_OVERRIDE_DURATION: us = spec->duration_us; break;
    case TL_OVERRIDE_WORK:     us = spec->work_us; break;
    case TL_OVERRIDE_TIMEOUT:  us = spec->timeout_us; break;
    case TL_OVERRIDE_MAX_WAIT:
    case TL_N_TASK_OVERRIDES:
    default:                   us = spec->max_wait_us; break;
    }
  return us > 0 ? (double) us / 1000.0 : 0.0;
}

static gboolean
task_key_applies (const TlTaskSpec *spec,
                  TlTaskOverride    key)
{
  switch (key)
    {
    case TL_OVERRIDE_DURATION: return spec->kind == TL_KIND_SLEEP || spec->kind == TL_KIND_BLOCKING;
    case TL_OVERRIDE_WORK:     return spec->kind == TL_KIND_CPU;
    case TL_OVERRIDE_TIMEOUT:  return TRUE;
    case TL_OVERRIDE_MAX_WAIT: return spec->kind == TL_KIND_WAIT;
    case TL_N_TASK_OVERRIDES:
    default:                   return FALSE;
    }
}

void
_tl_window_what_if_sync (TlWindow *self)
{
  guint32 selected;
  const TlTaskSpec *spec = NULL;

  if (self->what_if_button == NULL || self->preset == NULL)
    return;

  for (guint k = 0; k < TL_N_POOL_OVERRIDES; k++)
    gtk_spin_button_set_value (self->what_if_pool[k], effective_pool (self, k));

  selected = _tl_window_get_selected_task (self);
  g_clear_pointer (&self->what_if_task_name, g_free);
  if (selected != TL_NO_INSTANCE && self->trace != NULL &&
      selected < tl_trace_get_n_instances (self->trace))
    {
      /* A program's tasks have no spec to change. */
      if (!tl_trace_is_open (self->trace))
        spec = find_spec (self->preset, tl_trace_get_task_name (self->trace, selected));
    }

  if (spec != NULL)
    {
      /* Translators: the what-if popover; %s is a [Task] name */
      g_autofree char *text = g_strdup_printf (_("Task “%s” (all its copies)"), spec->name);

      self->what_if_task_name = g_strdup (spec->name);
      gtk_label_set_text (self->what_if_task_label, text);
    }
  else
    gtk_label_set_text (self->what_if_task_label, _("Select a task in the timeline to change its times."));

  for (guint k = 0; k < TL_N_TASK_OVERRIDES; k++)
    {
      gboolean applies = spec != NULL && task_key_applies (spec, k);

      gtk_spin_button_set_value (self->what_if_task[k], applies ? task_value_ms (spec, k) : 0);
      gtk_widget_set_sensitive (GTK_WIDGET (self->what_if_task[k]), applies);
    }
}

/* The values in the spin buttons that differ from the open preset. */
static TlPresetOverrides *
collect_overrides (TlWindow *self)
{
  TlPresetOverrides *overrides = tl_preset_overrides_new ();
  const TlTaskSpec *spec = find_spec (self->preset, self->what_if_task_name);

  for (guint k = 0; k < TL_N_POOL_OVERRIDES; k++)
    {
      guint value = (guint) gtk_spin_button_get_value_as_int (self->what_if_pool[k]);

      if (value != effective_pool (self, k))
        tl_preset_overrides_set_pool (overrides, k, value);
    }

  for (guint k = 0; spec != NULL && k < TL_N_TASK_OVERRIDES; k++)
    {
      double ms = gtk_spin_button_get_value (self->what_if_task[k]);
      gint64 us = (gint64) (ms * 1000.0 + 0.5);

      if (!task_key_applies (spec, k) || ms == task_value_ms (spec, k))
        continue;
      /* 0 means "none" for the deadlines. */
      if (us == 0 && (k == TL_OVERRIDE_TIMEOUT || k == TL_OVERRIDE_MAX_WAIT))
        us = -1;
      tl_preset_overrides_set_task (overrides, spec->name, k, us);
    }

  return overrides;
}

/* Makes the open preset the copy with the changes; FALSE (and a message)
 * when a value is refused. */
static gboolean
apply_changes (TlWindow *self)
{
  g_autoptr(TlPresetOverrides) overrides = collect_overrides (self);
  g_autoptr(GError) error = NULL;
  TlPreset *copy;

  if (tl_preset_overrides_is_empty (overrides))
    return TRUE;

  copy = tl_preset_copy_with_overrides (self->preset, overrides, &error);
  if (copy == NULL)
    {
      _tl_window_show_error (self, _("These Values Cannot Run"), error->message);
      return FALSE;
    }

  tl_preset_unref (self->preset);
  self->preset = copy;
  _tl_window_update_title (self);
  return TRUE;
}

static void
run_with_changes_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (self->preset == NULL || self->engine != NULL)
    return;

  gtk_menu_button_popdown (self->what_if_button);
  if (!apply_changes (self))
    return;

  /* Compared with the run on screen as soon as the new one ends. */
  self->compare_after_run = self->shown_run;
  if (_tl_window_hosts_consented (self))
    _tl_window_start_run (self);
}

static void
save_changes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *message = NULL;

  if (self->preset == NULL)
    return;

  gtk_menu_button_popdown (self->what_if_button);
  if (!apply_changes (self))
    return;

  /* A gallery preset has no file of its own: ask where to keep it. */
  if (self->file == NULL)
    {
      gtk_widget_activate_action (widget, "win.save-as", NULL);
      return;
    }

  path = g_file_get_path (self->file);
  base = g_file_get_basename (self->file);
  if (!tl_preset_save_to_file (self->preset, path, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
      return;
    }

  /* Translators: a toast; %s is a file name */
  message = g_strdup_printf (_("Saved %s"), base);
  _tl_window_show_toast (self, message);
}

gboolean
tl_window_set_what_if (TlWindow   *self,
                       const char *key,
                       double      value)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  for (guint k = 0; k < TL_N_POOL_OVERRIDES; k++)
    if (strcmp (key, tl_pool_override_get_key (k)) == 0)
      {
        gtk_spin_button_set_value (self->what_if_pool[k], value);
        return TRUE;
      }
  for (guint k = 0; k < TL_N_TASK_OVERRIDES; k++)
    if (strcmp (key, tl_task_override_get_key (k)) == 0)
      {
        if (!gtk_widget_get_sensitive (GTK_WIDGET (self->what_if_task[k])))
          return FALSE;
        gtk_spin_button_set_value (self->what_if_task[k], value);
        return TRUE;
      }
  return FALSE;
}

/* The What If popover, opened as a click does (for scripts, through the
 * application's window-action). */
static void
show_what_if_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (self->what_if_button != NULL)
    gtk_menu_button_popup (self->what_if_button);
}

void
_tl_window_class_init_what_if (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-what-if", NULL, show_what_if_action);
  gtk_widget_class_install_action (widget_class, "win.run-with-changes", NULL, run_with_changes_action);
  gtk_widget_class_install_action (widget_class, "win.save-changes", NULL, save_changes_action);
}

static GtkSpinButton *
add_spin_row (GtkGrid    *grid,
              int         row,
              const char *label,
              double      min,
              double      max)
{
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

void
_tl_window_init_what_if (TlWindow *self)
{
  GtkWidget *header_bar = gtk_widget_get_ancestor (self->run_button, ADW_TYPE_HEADER_BAR);
  static const double pool_max[TL_N_POOL_OVERRIDES] = { 256, 64, 10000 };
  GtkWidget *popover = gtk_popover_new ();
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *heading = gtk_label_new (_("What If…"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *run = gtk_button_new_with_mnemonic (_("_Run with Changes"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Changes"));
  int row = 0;

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_grid_attach (grid, heading, 0, row++, 2, 1);

  for (guint k = 0; k < TL_N_POOL_OVERRIDES; k++)
    self->what_if_pool[k] = add_spin_row (grid, row++, _(pool_labels[k]), 1, pool_max[k]);

  self->what_if_task_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->what_if_task_label, 0);
  gtk_label_set_wrap (self->what_if_task_label, TRUE);
  gtk_label_set_max_width_chars (self->what_if_task_label, 36);
  gtk_widget_set_margin_top (GTK_WIDGET (self->what_if_task_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->what_if_task_label), "dim-label");
  gtk_grid_attach (grid, GTK_WIDGET (self->what_if_task_label), 0, row++, 2, 1);

  for (guint k = 0; k < TL_N_TASK_OVERRIDES; k++)
    self->what_if_task[k] = add_spin_row (grid, row++, _(task_labels[k]), 0, MAX_MS);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (run), "win.run-with-changes");
  gtk_widget_add_css_class (run, "suggested-action");
  gtk_widget_set_tooltip_text (run, _("Run a copy of the preset with these values and compare it with the run on screen"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "win.save-changes");
  gtk_widget_set_tooltip_text (save, _("Write these values into the preset file"));
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (buttons), run);
  gtk_grid_attach (grid, buttons, 0, row++, 2, 1);

  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (grid));

  self->what_if_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_label (self->what_if_button, _("What If…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->what_if_button),
                               _("Change threads, processes, connections or a task’s times, run again and compare"));
  gtk_menu_button_set_popover (self->what_if_button, popover);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), GTK_WIDGET (self->what_if_button));
}

void
_tl_window_dispose_what_if (TlWindow *self)
{
  g_clear_pointer (&self->what_if_task_name, g_free);
}
