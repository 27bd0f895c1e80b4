/* tl-window-present.c — showing a run to a class: presentation mode
 * (large type, the controls out of the way) and the run as an animation
 * for slides
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "window/tl-window-private.h"

/* Slides are about this wide; 10 frames a second replays smoothly and
 * keeps a few seconds of run under a few megabytes. */
#define ANIMATION_WIDTH 1280
#define ANIMATION_FPS   10
/* Task lanes in presentation mode: tall enough to read from the back of
 * a room next to the larger type. */
#define PRESENTATION_LANE_HEIGHT 40

void
_tl_window_set_presentation (TlWindow *self,
                             gboolean  presentation)
{
  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;

  /* The gallery, the timeline's tool row and the file buttons go; the
   * run and stop buttons stay, and F11 or the menu brings everything
   * back. */
  gtk_widget_set_visible (self->sidebar_box, !presentation);
  gtk_widget_set_visible (self->timeline_toolbar, !presentation);
  gtk_widget_set_visible (self->open_button, !presentation);
  tl_timeline_set_lane_height (self->timeline, presentation ? PRESENTATION_LANE_HEIGHT
                                                            : TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  tl_timeline_set_lane_height (self->compare_timeline, presentation ? PRESENTATION_LANE_HEIGHT
                                                                    : TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      _tl_window_reveal_details (self, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }

  g_object_notify (G_OBJECT (self), "presentation");
}

gboolean
tl_window_export_animation (TlWindow    *self,
                            const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->trace == NULL || self->engine != NULL || !tl_trace_is_complete (self->trace))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("There is no finished run to export yet"));
      return FALSE;
    }
  return tl_timeline_export_animation (self->timeline, path, ANIMATION_WIDTH, ANIMATION_FPS,
                                       1.0, NULL, error);
}

static void
animation_response_cb (TlWindow             *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    return;

  if (!tl_window_export_animation (self, path, &error))
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), base);

      _tl_window_show_error (self, heading, error->message);
      return;
    }
  _tl_window_show_toast (self, _("Animation exported"));
}

static void
export_animation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = g_strdup_printf ("%s.png", self->preset != NULL && self->preset->builtin_name != NULL
                                                     ? self->preset->builtin_name : "run");

  chooser = gtk_file_chooser_native_new (_("Export Animation"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("Animated PNG images"));
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_filter_add_mime_type (filter, "image/apng");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (animation_response_cb), self, G_CONNECT_SWAPPED);
  /* Held by the window and released after its answer, never unreffed in
   * the middle of its own "response" (GTK still uses it then). */
  _tl_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_tl_window_class_init_present (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.presentation", NULL);
  gtk_widget_class_install_action (widget_class, "win.export-animation", NULL, export_animation_action);
}
