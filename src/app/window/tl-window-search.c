/* tl-window-search.c — Find tasks: the search bar over the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ctrl+F (win.search) opens it once a run is on screen, as in Perfetto and
 * Chrome's DevTools; before a run, or from the gallery, the same key
 * searches the gallery. Typing highlights every matching lane and selects
 * the first; Enter and Shift+Enter (Ctrl+G and Ctrl+Shift+G anywhere in
 * the window) step through them; Escape closes the bar and the
 * highlighting goes with it.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "window/tl-window-private.h"

static void
update_match_label (TlWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
  guint n = tl_timeline_get_n_matches (self->timeline);
  int current = tl_timeline_get_current_match (self->timeline);
  g_autofree char *label = NULL;

  if (text == NULL || text[0] == '\0')
    label = g_strdup ("");
  else if (n == 0)
    label = g_strdup (_("No matching tasks"));
  else if (current >= 0)
    /* TRANSLATORS: the task search's position: "3 of 12" */
    label = g_strdup_printf (_("%d of %u"), current + 1, n);
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  gtk_label_set_text (self->find_label, label);
  tl_window_update_actions (self);
}

gboolean
_tl_window_find_can_step (TlWindow *self)
{
  return _tl_window_find_is_open (self) && tl_timeline_get_n_matches (self->timeline) > 0;
}

static void
step (TlWindow *self,
      gboolean  forward)
{
  tl_timeline_step_match (self->timeline, forward);
  update_match_label (self);
}

static void
find_entry_changed_cb (TlWindow       *self,
                       GtkSearchEntry *entry)
{
  tl_timeline_set_search (self->timeline, gtk_editable_get_text (GTK_EDITABLE (entry)));
  /* The first match is shown at once, as a browser's find does. */
  if (tl_timeline_get_n_matches (self->timeline) > 0)
    tl_timeline_step_match (self->timeline, TRUE);
  update_match_label (self);
}

static void
find_next_cb (TlWindow *self)
{
  step (self, TRUE);
}

static void
find_previous_cb (TlWindow *self)
{
  step (self, FALSE);
}

static void
search_mode_changed_cb (TlWindow     *self,
                        GParamSpec   *pspec,
                        GtkSearchBar *bar)
{
  if (gtk_search_bar_get_search_mode (bar))
    {
      tl_window_update_actions (self);
      return;
    }
  /* Closed: the highlighting goes, the keyboard returns to the lanes. */
  tl_timeline_set_search (self->timeline, NULL);
  update_match_label (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  if (_tl_window_find_can_step (self))
    step (self, g_strcmp0 (action_name, "win.find-next") == 0);
}

static void
close_find_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TlWindow *self = TL_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->find_bar, FALSE);
}

gboolean
_tl_window_find_is_open (TlWindow *self)
{
  return self->find_bar != NULL && gtk_search_bar_get_search_mode (self->find_bar);
}

void
_tl_window_open_find (TlWindow *self)
{
  gboolean was_open = gtk_search_bar_get_search_mode (self->find_bar);

  gtk_search_bar_set_search_mode (self->find_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
  /* The bar empties its entry as it closes; whatever it holds now is
   * searched. */
  if (!was_open)
    find_entry_changed_cb (self, self->find_entry);
}

void
_tl_window_refresh_find (TlWindow *self)
{
  if (self->find_bar != NULL && gtk_search_bar_get_search_mode (self->find_bar))
    update_match_label (self);
}

static GtkWidget *
step_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

void
_tl_window_class_init_search (GtkWidgetClass *widget_class)
{
  /* Escape closes the search from anywhere in the window, unless a run
   * is going: then it stops the run (win.stop), as it always has. */
  gtk_widget_class_install_action (widget_class, "win.close-find", NULL, close_find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.close-find", NULL);
  gtk_widget_class_install_action (widget_class, "win.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.find-previous", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-previous", NULL);
}

void
_tl_window_init_search (TlWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *lanes = GTK_WIDGET (self->details_paned);
  GtkEventController *keys;
  GtkWidget *linked;

  self->find_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->find_entry, "placeholder-text", _("Find tasks by name"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->find_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Find tasks by name"), -1);
  gtk_widget_set_size_request (GTK_WIDGET (self->find_entry), 280, -1);
  self->find_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->find_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->find_label), "numeric");
  gtk_label_set_width_chars (self->find_label, 9);
  gtk_label_set_xalign (self->find_label, 0);

  linked = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (linked, "linked");
  gtk_box_append (GTK_BOX (linked), step_button ("go-up-symbolic", _("Previous match (Shift+Enter)"), "win.find-previous"));
  gtk_box_append (GTK_BOX (linked), step_button ("go-down-symbolic", _("Next match (Enter)"), "win.find-next"));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->find_entry));
  gtk_box_append (GTK_BOX (box), linked);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->find_label));

  self->find_bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_child (self->find_bar, box);
  gtk_search_bar_set_show_close_button (self->find_bar, TRUE);
  gtk_search_bar_connect_entry (self->find_bar, GTK_EDITABLE (self->find_entry));
  /* Over the lanes, under the bar of timeline buttons. */
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (lanes)), GTK_WIDGET (self->find_bar),
                              gtk_widget_get_prev_sibling (lanes));

  g_signal_connect_object (self->find_entry, "search-changed", G_CALLBACK (find_entry_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_entry, "activate", G_CALLBACK (find_next_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_entry, "next-match", G_CALLBACK (find_next_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_entry, "previous-match", G_CALLBACK (find_previous_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::search-mode-enabled", G_CALLBACK (search_mode_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::model", G_CALLBACK (_tl_window_refresh_find),
                           self, G_CONNECT_SWAPPED);

  /* Shift+Enter steps back; the entry's text would take it as Enter. */
  keys = GTK_EVENT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("win.find-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("win.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->find_entry), keys);
}
