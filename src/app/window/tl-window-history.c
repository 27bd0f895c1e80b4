/* tl-window-history.c — run files in the window, the session's runs of
 * the open preset, and two of them compared
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every finished run of the open preset is kept (the last ten), with
 * where it ran, so a past run can be shown again, saved as a run file or
 * compared with another: the two timelines stacked on the same time
 * scale, lanes lined up by task (an empty row where one run lacks a
 * task), and what changed in words.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "timeline/tl-timeline-model.h"
#include "trace/tl-compare.h"
#include "trace/tl-summary.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window-private.h"

#define MAX_RUNS 10
/* The history list scrolls past this height (about seven runs). */
#define HISTORY_MAX_HEIGHT 420

typedef struct {
  guint      number;     /* 1, 2, … in this session */
  TlTrace   *trace;
  TlRunInfo *info;
} HistoryEntry;

static void
history_entry_free (gpointer data)
{
  HistoryEntry *entry = data;

  g_clear_pointer (&entry->trace, tl_trace_unref);
  g_clear_pointer (&entry->info, tl_run_info_free);
  g_free (entry);
}

static HistoryEntry *
find_entry (TlWindow *self,
            guint     number)
{
  for (guint i = 0; i < self->history->len; i++)
    {
      HistoryEntry *entry = g_ptr_array_index (self->history, i);

      if (entry->number == number)
        return entry;
    }
  return NULL;
}

/* "14:02:11", local time, from the recorded UTC date. */
static char *
format_started (const TlRunInfo *info)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (info == NULL || info->date == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (info->date, NULL);
  if (utc == NULL)
    return g_strdup (info->date);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%X");
}

static char *
format_walls (TlTrace *trace)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint s = 0; s < tl_trace_get_n_sections (trace); s++)
    {
      const TlSection *section = tl_trace_get_section (trace, s);
      g_autofree char *wall = NULL;

      if (section->end_us < 0)
        continue;
      wall = tl_format_duration (section->end_us - section->start_us);
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, wall);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void compare_clicked_cb (GtkButton *button,
                                TlWindow  *self);

static void
rebuild_history_list (TlWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  for (guint i = self->history->len; i > 0; i--)
    {
      HistoryEntry *entry = g_ptr_array_index (self->history, i - 1);
      g_autofree char *title = NULL;
      g_autofree char *started = format_started (entry->info);
      g_autofree char *walls = format_walls (entry->trace);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *compare;

      title = entry->number == self->shown_run
        /* Translators: a run in the history list; %u is its number */
        ? g_strdup_printf (_("Run %u (on screen)"), entry->number)
        : g_strdup_printf (_("Run %u"), entry->number);
      /* Translators: when a run started · its wall times */
      subtitle = g_strdup_printf (_("started %s · wall %s"), started, walls);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Show this run again"));
      g_object_set_data (G_OBJECT (row), "run", GUINT_TO_POINTER (entry->number));

      compare = gtk_button_new_with_label (_("Compare"));
      gtk_widget_set_valign (compare, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (compare, _("Compare this run with the run on screen"));
      gtk_widget_set_sensitive (compare, self->shown_run != 0 && entry->number != self->shown_run);
      g_object_set_data (G_OBJECT (compare), "run", GUINT_TO_POINTER (entry->number));
      g_signal_connect_object (compare, "clicked", G_CALLBACK (compare_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), compare);

      gtk_list_box_append (self->history_list, row);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button),
                            self->history->len > 0 && self->engine == NULL);
}

static void
hide_comparison (TlWindow *self)
{
  gtk_revealer_set_reveal_child (self->compare_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_revealer), FALSE);
  if (self->model != NULL)
    tl_timeline_model_clear_alignment (self->model);
  tl_timeline_set_model (self->compare_timeline, NULL);
  g_clear_object (&self->compare_model);
  g_clear_pointer (&self->compare_text, g_free);
}

/* Shows a finished trace on the main timeline, as a run that just ended. */
static void
display_trace (TlWindow        *self,
               TlTrace         *trace,
               const TlRunInfo *info,
               guint            number)
{
  _tl_window_clear_run (self);

  self->trace = tl_trace_ref (trace);
  self->model = tl_timeline_model_new (trace);
  tl_timeline_model_set_now (self->model, tl_trace_get_end_us (trace));
  tl_timeline_model_update (self->model);

  g_clear_pointer (&self->run_info, tl_run_info_free);
  self->run_info = info != NULL ? tl_run_info_copy (info) : NULL;
  self->shown_run = number;

  tl_timeline_set_model (self->timeline, self->model);
  tl_timeline_set_live (self->timeline, FALSE);
  tl_timeline_set_selected_task (self->timeline, TL_NO_INSTANCE);
  tl_details_pane_set_run (self->details_pane, self->trace, self->model);
  gtk_stack_set_visible_child_name (self->main_stack, "preset");
  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.zoom-fit", NULL);

  /* A program's run shows what the program printed. */
  gtk_widget_set_visible (GTK_WIDGET (self->output_expander), info != NULL && info->output != NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view),
                            info != NULL && info->output != NULL ? info->output : "", -1);
  if (info != NULL && info->output != NULL && *info->output != '\0')
    gtk_expander_set_expanded (self->output_expander, TRUE);

  tl_summary_bar_show_trace (self->summary_bar, self->trace);
  _tl_window_show_warnings (self);
  _tl_window_refresh_details (self);
  rebuild_history_list (self);
  self->action_state_valid = FALSE;
  tl_window_update_actions (self);
}

static guint
add_entry (TlWindow        *self,
           TlTrace         *trace,
           const TlRunInfo *info)
{
  HistoryEntry *entry = g_new0 (HistoryEntry, 1);

  entry->number = ++self->history_serial;
  entry->trace = tl_trace_ref (trace);
  entry->info = info != NULL ? tl_run_info_copy (info) : tl_run_info_new_now (FALSE);
  g_ptr_array_add (self->history, entry);
  while (self->history->len > MAX_RUNS)
    g_ptr_array_remove_index (self->history, 0);
  return entry->number;
}

void
_tl_window_history_preset_changed (TlWindow   *self,
                                   const char *old_argument,
                                   const char *new_argument)
{
  if (g_strcmp0 (old_argument, new_argument) == 0)
    return;

  /* Another preset: its runs are not comparable with these. */
  hide_comparison (self);
  g_ptr_array_set_size (self->history, 0);
  self->shown_run = 0;
  self->compare_after_run = 0;
  rebuild_history_list (self);
}

void
_tl_window_history_run_started (TlWindow *self)
{
  g_clear_pointer (&self->run_info, tl_run_info_free);
  self->run_info = tl_run_info_new_now (FALSE);
  self->shown_run = 0;
  hide_comparison (self);
  rebuild_history_list (self);
}

static gboolean
compare_entries (TlWindow *self,
                 guint     before_number,
                 guint     after_number);

void
_tl_window_history_run_finished (TlWindow *self)
{
  guint previous = self->compare_after_run;

  self->shown_run = add_entry (self, self->trace, self->run_info);
  rebuild_history_list (self);

  /* Run with Changes: show at once what the changes did. */
  self->compare_after_run = 0;
  if (previous != 0 && find_entry (self, previous) != NULL)
    compare_entries (self, previous, self->shown_run);
}

static gboolean
compare_entries (TlWindow *self,
                 guint     before_number,
                 guint     after_number)
{
  HistoryEntry *before = find_entry (self, before_number);
  HistoryEntry *after = find_entry (self, after_number);
  g_autofree char *heading = NULL;
  gint64 end_us;

  if (before == NULL || after == NULL || before == after || self->engine != NULL)
    return FALSE;

  if (self->shown_run != after_number)
    display_trace (self, after->trace, after->info, after->number);

  hide_comparison (self);
  self->compare_model = tl_timeline_model_new (before->trace);
  tl_timeline_model_set_now (self->compare_model, tl_trace_get_end_us (before->trace));
  tl_timeline_model_update (self->compare_model);
  /* The same task on the same row of both, whatever tasks only one of
   * them has. */
  tl_timeline_model_align (self->model, self->compare_model);
  tl_timeline_set_model (self->compare_timeline, self->compare_model);
  tl_timeline_set_live (self->compare_timeline, FALSE);

  /* One time scale for both, so a shorter run looks shorter. */
  end_us = MAX (tl_trace_get_end_us (before->trace), tl_trace_get_end_us (after->trace));
  end_us = MAX (end_us, 1000) + end_us / 20;
  tl_timeline_set_visible_range (self->timeline, 0, end_us);
  tl_timeline_set_visible_range (self->compare_timeline, 0, end_us);

  self->compare_text = tl_compare_describe (before->trace, after->trace);
  /* Translators: the heading of a comparison; %u are run numbers */
  heading = g_strdup_printf (_("Run %u (above) compared with run %u (below)"), after->number, before->number);
  gtk_label_set_text (self->compare_heading, heading);
  gtk_label_set_text (self->compare_label, self->compare_text);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->compare_revealer, TRUE);
  return TRUE;
}

static void
compare_clicked_cb (GtkButton *button,
                    TlWindow  *self)
{
  guint number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "run"));

  gtk_menu_button_popdown (self->history_button);
  compare_entries (self, number, self->shown_run);
}

static void
history_row_activated_cb (GtkListBox    *list,
                          GtkListBoxRow *row,
                          TlWindow      *self)
{
  guint number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "run"));
  HistoryEntry *entry = find_entry (self, number);

  gtk_menu_button_popdown (self->history_button);
  if (entry != NULL && self->engine == NULL)
    {
      hide_comparison (self);
      display_trace (self, entry->trace, entry->info, entry->number);
    }
}

static void
close_comparison_clicked_cb (GtkButton *button,
                             TlWindow  *self)
{
  hide_comparison (self);
}

/* --- run files ------------------------------------------------------------ */

gboolean
_tl_window_open_recording (TlWindow *self,
                           GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlRunInfo) info = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *started = NULL;
  TlPreset *preset;

  trace = tl_run_file_load (path, &info, &error);
  if (trace == NULL)
    {
      g_autofree char *base = g_file_get_basename (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), base);

      _tl_window_show_error (self, heading, error->message);
      return FALSE;
    }

  /* The recorded preset becomes the open one (Run runs it again), but
   * nothing runs now: the recording is shown as it ran. */
  preset = tl_trace_get_preset (trace);
  _tl_window_set_preset (self, preset, preset->file, NULL);
  display_trace (self, trace, info, add_entry (self, trace, info));

  started = format_started (info);
  /* Translators: the window's subtitle for a run file: when it started,
   * the program that recorded it and the machine's processors */
  subtitle = g_strdup_printf (ngettext ("Recorded run · started %s · %s · %u core",
                                        "Recorded run · started %s · %s · %u cores", info->cores),
                              started, info->generator != NULL ? info->generator : "", info->cores);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  return TRUE;
}

gboolean
tl_window_save_run (TlWindow    *self,
                    const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->trace == NULL || self->engine != NULL || !tl_trace_is_complete (self->trace))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("There is no finished run to save yet"));
      return FALSE;
    }

  return tl_run_file_save (self->trace, self->run_info, path, error);
}

static void
save_run_response_cb (TlWindow             *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    return;

  g_free (self->last_save_folder);
  self->last_save_folder = g_path_get_dirname (path);
  base = g_path_get_basename (path);

  if (!tl_window_save_run (self, path, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), base);
      _tl_window_show_error (self, heading, error->message);
      return;
    }

  {
    /* Translators: a toast; %s is a file name */
    g_autofree char *message = g_strdup_printf (_("Saved %s"), base);
    _tl_window_show_toast (self, message);
  }
}

static void
save_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) runs = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  const char *stem;

  if (self->trace == NULL || self->engine != NULL)
    return;

  stem = self->preset != NULL && self->preset->builtin_name != NULL ? self->preset->builtin_name : "run";
  name = g_strdup_printf ("%s%s", stem, TL_RUN_FILE_SUFFIX);

  chooser = gtk_file_chooser_native_new (_("Save Run"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (runs, _("Tasklanes runs"));
  gtk_file_filter_add_pattern (runs, "*" TL_RUN_FILE_SUFFIX);
  gtk_file_filter_add_mime_type (runs, TL_RUN_FILE_MIME);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), runs);
  if (self->last_save_folder != NULL && g_file_test (self->last_save_folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (self->last_save_folder);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
    }

  g_signal_connect_object (chooser, "response", G_CALLBACK (save_run_response_cb),
                           self, G_CONNECT_SWAPPED);
  _tl_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- public API ----------------------------------------------------------- */

guint
tl_window_get_n_runs (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), 0);

  return self->history->len;
}

gboolean
tl_window_show_run (TlWindow *self,
                    guint     index)
{
  HistoryEntry *entry;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  if (index >= self->history->len || self->engine != NULL)
    return FALSE;
  entry = g_ptr_array_index (self->history, index);
  hide_comparison (self);
  display_trace (self, entry->trace, entry->info, entry->number);
  return TRUE;
}

gboolean
tl_window_compare_runs (TlWindow *self,
                        guint     before,
                        guint     after)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  if (before >= self->history->len || after >= self->history->len)
    return FALSE;
  return compare_entries (self,
                          ((HistoryEntry *) g_ptr_array_index (self->history, before))->number,
                          ((HistoryEntry *) g_ptr_array_index (self->history, after))->number);
}

const char *
tl_window_get_comparison (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);

  return self->compare_text;
}

/* --- set-up ---------------------------------------------------------------- */

/* The history button's list, opened as a click does (for scripts, through
 * the application's window-action). */
static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (self->history_button != NULL)
    gtk_menu_button_popup (self->history_button);
}

void
_tl_window_class_init_history (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "win.save-run", NULL, save_run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-run", NULL);
}

/* GTK 4.8 sizes a popover to its content's minimum height, and a box
 * measured without a width counts the wrapped hint as one line: the list
 * below it lost that difference and the last run was cut off. The content
 * asks for its natural height at its natural width, measured each time the
 * popover opens (the rows change with every run). */
static void
history_popover_show_cb (GtkWidget *popover)
{
  GtkWidget *box = gtk_popover_get_child (GTK_POPOVER (popover));
  int width = 0, height = 0;

  gtk_widget_set_size_request (box, -1, -1);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  gtk_widget_set_size_request (box, -1, height);
}

static GtkWidget *
build_history_popover (TlWindow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Runs of This Preset"));
  GtkWidget *hint = gtk_label_new (_("The last ten runs of this session. Click one to show it again, or compare it with the run on screen."));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");

  self->history_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->history_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->history_list), "boxed-list");
  g_signal_connect_object (self->history_list, "row-activated",
                           G_CALLBACK (history_row_activated_cb), self, 0);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  /* Natural width too: with only the list's minimum width, each row's
   * "started … · wall …" wraps onto a second line. */
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), HISTORY_MAX_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->history_list));

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect (popover, "show", G_CALLBACK (history_popover_show_cb), NULL);
  return popover;
}

static GtkWidget *
build_comparison (TlWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");
  GtkWidget *words = gtk_scrolled_window_new ();
  GtkWidget *lanes = gtk_scrolled_window_new ();

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);

  self->compare_heading = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->compare_heading), "heading");
  gtk_label_set_xalign (self->compare_heading, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->compare_heading), TRUE);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_tooltip_text (close, _("Close the comparison"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Close the comparison"), -1);
  g_signal_connect_object (close, "clicked", G_CALLBACK (close_comparison_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->compare_heading));
  gtk_box_append (GTK_BOX (top), close);

  self->compare_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->compare_label, 0);
  gtk_label_set_yalign (self->compare_label, 0);
  gtk_label_set_wrap (self->compare_label, TRUE);
  gtk_label_set_selectable (self->compare_label, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (words), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (words), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (words), 140);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (words), GTK_WIDGET (self->compare_label));

  /* The earlier run's lanes, in the same task order as the ones above. */
  self->compare_timeline = TL_TIMELINE (tl_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->compare_timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->compare_timeline), TRUE);
  tl_timeline_set_follow (self->compare_timeline, FALSE);
  gtk_widget_set_size_request (lanes, 300, 160);
  gtk_widget_set_vexpand (lanes, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (lanes), GTK_WIDGET (self->compare_timeline));

  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), words);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), lanes);
  return box;
}

void
_tl_window_init_history (TlWindow *self)
{
  GtkWidget *header_bar = gtk_widget_get_ancestor (self->run_button, ADW_TYPE_HEADER_BAR);
  GtkWidget *paned_parent = gtk_widget_get_parent (GTK_WIDGET (self->details_paned));

  self->history = g_ptr_array_new_with_free_func (history_entry_free);

  self->history_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->history_button, "document-open-recent-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->history_button), _("Runs of this preset: show one again or compare two"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->history_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Runs of This Preset"), -1);
  gtk_menu_button_set_popover (self->history_button, build_history_popover (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), GTK_WIDGET (self->history_button));

  self->compare_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->compare_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (self->compare_revealer, build_comparison (self));
  gtk_widget_set_vexpand (GTK_WIDGET (self->compare_revealer), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_revealer), FALSE);
  gtk_box_insert_child_after (GTK_BOX (paned_parent), GTK_WIDGET (self->compare_revealer),
                              GTK_WIDGET (self->details_paned));
}

void
_tl_window_dispose_history (TlWindow *self)
{
  if (self->compare_timeline != NULL)
    tl_timeline_set_model (self->compare_timeline, NULL);
  g_clear_object (&self->compare_model);
  g_clear_pointer (&self->compare_text, g_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->run_info, tl_run_info_free);
  self->compare_timeline = NULL;
}
