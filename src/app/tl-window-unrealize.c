/* tl-window-unrealize.c — every window lets go of its surface on unrealize
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's gtk_window_unrealize() disconnects the handlers a window put
 * on its GdkSurface when it was realized ("notify::state",
 * "notify::mapped", "render", "event", the frame clock's "after-paint"),
 * but not the "compute-size" one. On X11 a destroyed surface can live on
 * for a while (until the X server confirms the destruction) and still
 * run the layout idle gdk_surface_request_layout() queued: it then emits
 * "compute-size" into the window GTK has freed in the meantime. A file
 * dialog (the GtkFileChooserDialog behind a GtkFileChooserNative without
 * a portal) destroyed when the next one opens, after an error dialog,
 * was the window that got read after being freed (the sanitizer build
 * sees it, with no frame of ours on the stack; tests/test-window-actions.c
 * drives that path).
 *
 * An emission hook on "unrealize" runs before GtkWindow's own unrealize,
 * while the window still has its surface: it disconnects the window's
 * "compute-size" handler there, the one GTK forgets (by signal and data,
 * not by function: the function is GTK's own). Other handlers are left
 * to GTK and to whoever connected them, who may disconnect them by id.
 */
#define G_LOG_DOMAIN "tl-window-unrealize"

#include "config.h"

#include "tl-window-unrealize.h"

static guint cut_loose;
static guint compute_size_id;

static gboolean
unrealize_hook (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               user_data)
{
  GObject *instance = g_value_get_object (&params[0]);
  GdkSurface *surface;

  if (!GTK_IS_WINDOW (instance))
    return TRUE;

  surface = gtk_native_get_surface (GTK_NATIVE (instance));
  if (GDK_IS_TOPLEVEL (surface) &&
      g_signal_handlers_disconnect_matched (surface, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                            compute_size_id, 0, NULL, NULL, instance) > 0)
    cut_loose++;

  return TRUE;   /* stay installed */
}

void
tl_window_unrealize_guard_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* A signal exists once its class or interface does. */
      GTypeClass *widget_class = g_type_class_ref (GTK_TYPE_WIDGET);
      gpointer toplevel_iface = g_type_default_interface_ref (GDK_TYPE_TOPLEVEL);
      guint signal_id = g_signal_lookup ("unrealize", GTK_TYPE_WIDGET);

      compute_size_id = g_signal_lookup ("compute-size", GDK_TYPE_TOPLEVEL);
      g_type_default_interface_unref (toplevel_iface);
      g_type_class_unref (widget_class);
      g_signal_add_emission_hook (signal_id, 0, unrealize_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

guint
tl_window_unrealize_guard_get_count (void)
{
  return cut_loose;
}
