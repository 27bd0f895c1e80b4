/* tl-window.c — the main window: its template, actions and layout
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File handling lives in tl-window-files.c, run control in
 * tl-window-run.c; what the three share is in tl-window-private.h.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "window/tl-details-pane.h"
#include "window/tl-gallery.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window-private.h"

/* The details pane's width the first time it opens. */
#define DETAILS_WIDTH      320

G_DEFINE_FINAL_TYPE (TlWindow, tl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PREDICT_FIRST,
  PROP_PRESENTATION,
  PROP_CODE_PANE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- small helpers ------------------------------------------------------ */

TlApplication *
_tl_window_get_app (TlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TL_IS_APPLICATION (app) ? TL_APPLICATION (app) : NULL;
}

GSettings *
_tl_window_get_settings (TlWindow *self)
{
  TlApplication *app = _tl_window_get_app (self);

  return app != NULL ? tl_application_get_settings (app) : NULL;
}

void
_tl_window_show_toast (TlWindow   *self,
                       const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_tl_window_show_error (TlWindow   *self,
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

guint32
_tl_window_get_selected_task (TlWindow *self)
{
  return tl_timeline_get_selected_task (self->timeline);
}

gboolean
_tl_window_instance_is_live (TlWindow *self,
                             guint32   instance)
{
  if (self->engine == NULL || self->model == NULL || instance == TL_NO_INSTANCE)
    return FALSE;
  /* Only a preset's tasks can be cancelled from the window. */
  if (tl_engine_thread_get_runner (self->engine) == NULL)
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
  ACTION_HISTORY     = 1 << 6,
  ACTION_REPLAY      = 1 << 7,
  ACTION_STEP        = 1 << 8,
  ACTION_SAVE_PYTHON = 1 << 9,
  ACTION_FIND_STEP   = 1 << 10,
  ACTION_CLOSE_FIND  = 1 << 11,
  ACTION_WHAT_IF     = 1 << 12,
};

/* The one place that decides which actions can be used right now. */
void
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
  /* What If changes a preset's keys; a program has none to change. */
  if (have_preset && !running && !_tl_window_is_program (self))
    state |= ACTION_WHAT_IF;
  if (self->file != NULL)
    state |= ACTION_RELOAD;
  if (_tl_window_get_program (self) != NULL)
    state |= ACTION_SAVE_PYTHON;
  if (running && _tl_window_instance_is_live (self, _tl_window_get_selected_task (self)))
    state |= ACTION_CANCEL_TASK;
  /* Playback needs a finished run; the cursor steps through what is drawn. */
  if (have_result)
    state |= ACTION_REPLAY;
  if (self->trace != NULL)
    state |= ACTION_STEP;
  if (self->history != NULL && self->history->len > 0 && !running)
    state |= ACTION_HISTORY;
  if (_tl_window_find_can_step (self))
    state |= ACTION_FIND_STEP;
  if (_tl_window_find_is_open (self) && !running)
    state |= ACTION_CLOSE_FIND;

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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-python", (state & ACTION_SAVE_PYTHON) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-task", (state & ACTION_CANCEL_TASK) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-animation", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play", (state & ACTION_REPLAY) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playback-speed", (state & ACTION_REPLAY) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-event", (state & ACTION_STEP) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-event", (state & ACTION_STEP) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-run", (state & ACTION_EXPORT) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-with-changes", (state & ACTION_WHAT_IF) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-changes", (state & ACTION_WHAT_IF) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-history", (state & ACTION_HISTORY) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-what-if", (state & ACTION_WHAT_IF) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find-next", (state & ACTION_FIND_STEP) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find-previous", (state & ACTION_FIND_STEP) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-find", (state & ACTION_CLOSE_FIND) != 0);
  if (self->history_button != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), (state & ACTION_HISTORY) != 0);
  if (self->what_if_button != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->what_if_button), (state & ACTION_WHAT_IF) != 0);
      /* A Python program sets its own pools and times in its code. */
      gtk_widget_set_visible (GTK_WIDGET (self->what_if_button), !_tl_window_is_program (self));
    }

  /* Run and Stop share the place in the header bar. */
  gtk_widget_set_visible (self->run_button, !running);
  gtk_widget_set_visible (self->stop_button, running);
}

gboolean
_tl_window_details_revealed (TlWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->details_pane));
}

/* The pane sits beside the timeline in a GtkPaned; showing and hiding it
 * keeps the divider where the user last left it. */

void
_tl_window_reveal_details (TlWindow *self,
                           gboolean  reveal)
{
  gboolean position_set = FALSE;

  /* The first time, give the pane a comfortable width; afterwards the
   * divider stays where the user dragged it. */
  g_object_get (self->details_paned, "position-set", &position_set, NULL);
  if (reveal && !position_set)
    {
      /* As wide as the panes will be once the window has folded for the
       * details (the gallery may go): never a squeeze on the way. */
      int width = gtk_widget_get_width (GTK_WIDGET (self->details_paned)) > 0
                  ? _tl_window_fold_content_width (self) : 0;

      if (width > DETAILS_WIDTH * 2)
        gtk_paned_set_position (self->details_paned, width - DETAILS_WIDTH);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->details_pane), reveal);
  /* With the details open the lanes still ask for a usable width: a
   * narrow window then folds the gallery away, as GNOME apps fold a
   * sidebar, and then moves the code below the lanes. */
  _tl_window_update_fold (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean in_gallery = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->gallery));
  gboolean gallery_shown = adw_leaflet_get_folded (self->leaflet) &&
    g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "content") != 0;

  /* With a run on screen, Ctrl+F finds tasks in it (as in Perfetto and
   * DevTools); before a run, or from the gallery, it searches the gallery. */
  if (self->model != NULL && tl_timeline_model_get_n_instances (self->model) > 0 &&
      !in_gallery && !gallery_shown)
    {
      _tl_window_open_find (self);
      return;
    }

  /* On a narrow window the gallery is a page of its own. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  tl_gallery_focus_search (self->gallery);
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

void
_tl_window_select_instance (TlWindow *self,
                            guint32   instance)
{
  tl_timeline_set_selected_task (self->timeline, instance);
  if (instance != TL_NO_INSTANCE)
    _tl_window_reveal_details (self, TRUE);
}

static void
warning_row_activated_cb (TlWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  guint32 instance = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "instance"));

  if (instance != TL_NO_INSTANCE)
    {
      _tl_window_select_instance (self, instance);
      gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
    }
}

static void
details_instance_activated_cb (TlWindow      *self,
                               guint          instance,
                               TlDetailsPane *pane)
{
  _tl_window_select_instance (self, instance);
}

static void
details_cancel_requested_cb (TlWindow      *self,
                             guint          instance,
                             TlDetailsPane *pane)
{
  _tl_window_cancel_instance (self, instance);
  _tl_window_refresh_details (self);
}

static void
details_close_requested_cb (TlWindow      *self,
                            TlDetailsPane *pane)
{
  _tl_window_reveal_details (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
timeline_selection_changed_cb (TlWindow   *self,
                               GParamSpec *pspec,
                               TlTimeline *timeline)
{
  guint32 instance = tl_timeline_get_selected_task (timeline);

  /* Up/Down only move the selection: an open pane follows it, a closed
   * one stays closed until Enter or a click (see the timeline's keys). */
  tl_details_pane_set_instance (self->details_pane, instance);
  tl_code_pane_select_instance (self->code_pane, instance);
  _tl_window_what_if_sync (self);
  if (instance == TL_NO_INSTANCE)
    _tl_window_reveal_details (self, FALSE);
  _tl_window_refresh_details (self);
  tl_window_update_actions (self);
}

static void
timeline_click_released_cb (TlWindow       *self,
                            int             n_press,
                            double          x,
                            double          y,
                            GtkGestureClick *gesture)
{
  /* The timeline selected what lies under the pointer on press; a click
   * (not a key) on a task opens its details, as in the user guide. */
  if (tl_timeline_get_selected_task (self->timeline) != TL_NO_INSTANCE)
    _tl_window_reveal_details (self, TRUE);
}

static void
timeline_task_activated_cb (TlWindow   *self,
                            guint       instance,
                            TlTimeline *timeline)
{
  _tl_window_select_instance (self, instance);
}

static void
timeline_cancel_requested_cb (TlWindow   *self,
                              guint       instance,
                              TlTimeline *timeline)
{
  _tl_window_cancel_instance (self, instance);
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
  GSettings *settings = _tl_window_get_settings (self);
  int width, height;

  if (settings == NULL)
    return;

  width = get_int_setting (settings, "window-width", 1200);
  height = get_int_setting (settings, "window-height", 760);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* The names column keeps the width the user dragged it to. */
  g_settings_bind (settings, "names-width", self->timeline, "names-width", G_SETTINGS_BIND_DEFAULT);
}

static gboolean
tl_window_close_request (GtkWindow *window)
{
  TlWindow *self = TL_WINDOW (window);
  GSettings *settings = _tl_window_get_settings (self);

  if (settings != NULL)
    {
      int width, height;

      /* GTK 4 keeps the default size in step with the unmaximized size. */
      gtk_window_get_default_size (window, &width, &height);
      set_int_setting (settings, "window-width", width);
      set_int_setting (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }

  _tl_window_clear_run (self);

  return GTK_WINDOW_CLASS (tl_window_parent_class)->close_request (window);
}

static void
tl_window_dispose (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  _tl_window_clear_run (self);
  _tl_window_dispose_files (self);
  _tl_window_dispose_history (self);
  _tl_window_dispose_what_if (self);
  _tl_window_dispose_predict (self);
  _tl_window_dispose_fold (self);

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
  g_clear_pointer (&self->program_args, g_strfreev);
  g_clear_pointer (&self->last_save_folder, g_free);
  _tl_window_finalize_code (self);

  G_OBJECT_CLASS (tl_window_parent_class)->finalize (object);
}

static void
tl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TlWindow *self = TL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PREDICT_FIRST:
      g_value_set_boolean (value, self->predict_first);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_CODE_PANE:
      g_value_set_string (value, _tl_window_get_code_placement (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TlWindow *self = TL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PREDICT_FIRST:
      _tl_window_set_predict_first (self, g_value_get_boolean (value));
      break;
    case PROP_PRESENTATION:
      _tl_window_set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_CODE_PANE:
      _tl_window_set_code_placement (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  GTK_WIDGET_CLASS (tl_window_parent_class)->size_allocate (widget, width, height, baseline);
  _tl_window_fold_allocated (TL_WINDOW (widget));
}

static void
tl_window_class_init (TlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tl_window_dispose;
  object_class->finalize = tl_window_finalize;
  object_class->get_property = tl_window_get_property;
  object_class->set_property = tl_window_set_property;
  window_class->close_request = tl_window_close_request;
  widget_class->size_allocate = tl_window_size_allocate;

  /* Ask the preset's questions before each run (win.predict-first). */
  properties[PROP_PREDICT_FIRST] =
    g_param_spec_boolean ("predict-first", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Large type, full screen, controls out of the way (win.presentation). */
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "beside" or "below" the timeline, or "hidden" (win.code-pane). */
  properties[PROP_CODE_PANE] =
    g_param_spec_string ("code-pane", NULL, NULL, "beside",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TL_TYPE_GALLERY);
  g_type_ensure (TL_TYPE_SUMMARY_BAR);
  g_type_ensure (TL_TYPE_RELOAD_BANNER);
  g_type_ensure (TL_TYPE_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, gallery);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, reload_banner);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, details_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, follow_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, summary_bar);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, warnings_revealer);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, output_expander);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, output_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, details_pane);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, timeline_toolbar);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, speed_button);
  gtk_widget_class_bind_template_callback (widget_class, gallery_preset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_fit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, warning_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_instance_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_cancel_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_close_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);

  gtk_widget_class_install_property_action (widget_class, "win.predict-first", "predict-first");

  _tl_window_class_init_run (widget_class);
  _tl_window_class_init_files (widget_class);
  _tl_window_class_init_code (widget_class);
  _tl_window_class_init_replay (widget_class);
  _tl_window_class_init_present (widget_class);
  _tl_window_class_init_history (widget_class);
  _tl_window_class_init_what_if (widget_class);
  _tl_window_class_init_search (widget_class);
}

/* While the legend is open its button keeps its tooltip to itself: GTK
 * looks for a tooltip up the widget tree, the popover's parent is the
 * button, so pointing at the legend showed the button's tooltip over the
 * entries. The popover's heading says what the tooltip said. */
static void
legend_popover_visible_cb (TlWindow   *self,
                           GParamSpec *pspec,
                           GtkWidget  *popover)
{
  GtkWidget *button = gtk_widget_get_ancestor (gtk_widget_get_parent (popover), GTK_TYPE_MENU_BUTTON);

  if (button != NULL)
    gtk_widget_set_has_tooltip (button, !gtk_widget_get_visible (popover));
}

static void
tl_window_init (TlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->timeline = TL_TIMELINE (tl_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_scrolled_window_set_child (self->timeline_scroller, GTK_WIDGET (self->timeline));
  _tl_window_init_key_lane (self);
  g_signal_connect_object (self->timeline, "notify::selected-task",
                           G_CALLBACK (timeline_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "task-activated",
                           G_CALLBACK (timeline_task_activated_cb), self, G_CONNECT_SWAPPED);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
    g_signal_connect_object (click, "released", G_CALLBACK (timeline_click_released_cb),
                             self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline), GTK_EVENT_CONTROLLER (click));
  }
  g_signal_connect_object (self->timeline, "cancel-requested",
                           G_CALLBACK (timeline_cancel_requested_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->timeline, "follow", self->follow_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (self->legend_box, tl_timeline_legend_new ());
  g_signal_connect_object (gtk_widget_get_ancestor (GTK_WIDGET (self->legend_box), GTK_TYPE_POPOVER),
                           "notify::visible", G_CALLBACK (legend_popover_visible_cb), self, G_CONNECT_SWAPPED);

  _tl_window_init_files (self);
  _tl_window_init_code (self);
  _tl_window_init_replay (self);
  _tl_window_init_history (self);
  _tl_window_init_what_if (self);
  _tl_window_init_search (self);

  _tl_window_update_title (self);
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
  _tl_window_restore_code_pane (self);
  _tl_window_open_initial_preset (self);
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
tl_window_show_task (TlWindow   *self,
                     const char *task_name)
{
  guint n;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (task_name != NULL, FALSE);

  if (self->trace == NULL)
    return FALSE;

  n = tl_trace_get_n_instances (self->trace);
  for (guint32 id = 0; id < n; id++)
    {
      if (g_strcmp0 (tl_trace_get_task_name (self->trace, id), task_name) == 0)
        {
          tl_timeline_set_selected_task (self->timeline, id);
          _tl_window_reveal_details (self, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}
