/* tl-window-code.c — the code pane in the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The open preset's asyncio program beside or below the timeline, or
 * hidden (the "code-pane" setting, and the window's "code-pane" property
 * behind the win.code-pane action); a narrow window may show it below or
 * hide it for a while (tl-window-fold.c). Selections go both ways: a lane's
 * line is highlighted, a clicked line selects its lane.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <string.h>

#include "codegen/tl-python-program.h"
#include "window/tl-code-pane.h"
#include "window/tl-window-private.h"

/* Share of the timeline area the timeline keeps when the code opens. */
#define TIMELINE_SHARE 0.58

static const char * const placements[] = { "hidden", "beside", "below", NULL };

static void
place_divider (TlWindow *self)
{
  GtkWidget *paned = GTK_WIDGET (self->code_paned);
  gboolean beside = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_HORIZONTAL;
  int size = beside ? gtk_widget_get_width (paned) : gtk_widget_get_height (paned);

  if (size > 0)
    gtk_paned_set_position (self->code_paned, (int) (size * TIMELINE_SHARE));
}

/* GtkPaned scales its position when its size changes, and after a turn
 * it scales by the old width over the new height: place the divider once
 * the frame after the change has been laid out. */
static gboolean
place_divider_tick_cb (GtkWidget     *paned,
                       GdkFrameClock *clock,
                       gpointer       user_data)
{
  TlWindow *self = TL_WINDOW (user_data);

  if (self->code_divider_frames-- > 0 || gtk_widget_get_width (paned) <= 0)
    return G_SOURCE_CONTINUE;
  place_divider (self);
  self->code_divider_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
place_divider_soon (TlWindow *self)
{
  self->code_divider_frames = 1;
  if (self->code_divider_tick == 0)
    self->code_divider_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->code_paned),
                                                            place_divider_tick_cb, self, NULL);
}

/* Sizes are known once the first frame is laid out. */
static void
code_paned_mapped_cb (TlWindow *self)
{
  place_divider_soon (self);
}

/* Arranges the code as @shown ("hidden", "beside" or "below"): what the
 * user chose, unless a narrow window folds it (tl-window-fold.c). */
void
_tl_window_apply_code_placement (TlWindow   *self,
                                 const char *shown)
{
  gboolean hidden = g_strcmp0 (shown, "hidden") == 0;
  GtkOrientation orientation = g_strcmp0 (shown, "beside") == 0 ? GTK_ORIENTATION_HORIZONTAL
                                                                : GTK_ORIENTATION_VERTICAL;
  gboolean turned = gtk_orientable_get_orientation (GTK_ORIENTABLE (self->code_paned)) != orientation;
  gboolean appears = !hidden && !gtk_widget_get_visible (GTK_WIDGET (self->code_pane));

  self->shown_code_placement = g_intern_string (shown);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->code_paned), orientation);
  /* Beside the lanes the code keeps its width as the window grows or
   * shrinks, like a sidebar: the lanes take the difference. Below them
   * both share the height. */
  gtk_paned_set_resize_end_child (self->code_paned, orientation == GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_visible (GTK_WIDGET (self->code_pane), !hidden);
  if (!hidden && (turned || appears))
    {
      place_divider (self);
      place_divider_soon (self);
    }
}

/* Asked for by the template's menus before the pane is set up. */
const char *
_tl_window_get_code_placement (TlWindow *self)
{
  return self->code_placement != NULL ? self->code_placement : "beside";
}

void
_tl_window_set_code_placement (TlWindow   *self,
                               const char *placement)
{
  GSettings *settings;

  if (placement == NULL || !g_strv_contains (placements, placement))
    {
      g_warning ("unknown code pane placement “%s”", placement != NULL ? placement : "(null)");
      return;
    }
  if (g_strcmp0 (self->code_placement, placement) == 0)
    return;

  g_free (self->code_placement);
  self->code_placement = g_strdup (placement);
  _tl_window_update_fold (self);

  settings = _tl_window_get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "code-pane", placement);
  g_object_notify (G_OBJECT (self), "code-pane");
}

void
_tl_window_restore_code_pane (TlWindow *self)
{
  GSettings *settings = _tl_window_get_settings (self);
  g_autofree char *placement = settings != NULL ? g_settings_get_string (settings, "code-pane")
                                                : g_strdup ("beside");

  _tl_window_set_code_placement (self, placement);
}

/* The open preset changed: show its program. */
void
_tl_window_update_code (TlWindow *self)
{
  g_autoptr(TlPythonProgram) program = NULL;

  if (_tl_window_is_program (self))
    {
      g_autofree char *title = g_path_get_basename (self->preset->file);

      tl_code_pane_set_source (self->code_pane, self->preset->text != NULL ? self->preset->text : "", title);
    }
  else
    {
      if (self->preset != NULL)
        program = tl_python_program_new (self->preset);
      tl_code_pane_set_program (self->code_pane, program);
    }
  tl_code_pane_set_trace (self->code_pane, self->trace);
}

TlPythonProgram *
_tl_window_get_program (TlWindow *self)
{
  return self->code_pane != NULL ? tl_code_pane_get_program (self->code_pane) : NULL;
}

static void
code_instance_activated_cb (TlWindow   *self,
                            guint       instance,
                            TlCodePane *pane)
{
  _tl_window_select_instance (self, instance);
}

void
_tl_window_class_init_code (GtkWidgetClass *widget_class)
{
  /* The "code-pane" property itself is installed with the window's
   * others in tl-window.c. */
  g_type_ensure (TL_TYPE_CODE_PANE);
  gtk_widget_class_install_property_action (widget_class, "win.code-pane", "code-pane");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, code_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, code_pane);
  gtk_widget_class_bind_template_callback (widget_class, code_instance_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_paned_mapped_cb);
}

void
_tl_window_init_code (TlWindow *self)
{
  self->code_placement = g_strdup ("beside");
  _tl_window_apply_code_placement (self, "beside");
}

void
_tl_window_finalize_code (TlWindow *self)
{
  g_clear_pointer (&self->code_placement, g_free);
}
