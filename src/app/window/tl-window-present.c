/* tl-window-present.c — presentation mode: the timeline for a class, in
 * large type, with the controls out of the way
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include "window/tl-window-private.h"

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
