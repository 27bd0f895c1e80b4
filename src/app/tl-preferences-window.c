/* tl-preferences-window.c — the Preferences window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The controls are bound to TlApplication's properties, which are bound
 * to GSettings when the schema is installed, so the window works the same
 * either way.
 */
#define G_LOG_DOMAIN "tl-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tl-preferences-window.h"

struct _TlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *color_scheme_row;
  GtkSwitch            *follow_switch;
  AdwActionRow         *threads_row;
  GtkSpinButton        *threads_spin;
  AdwActionRow         *processes_row;
  GtkSpinButton        *processes_spin;
  AdwEntryRow          *python_row;
};

G_DEFINE_FINAL_TYPE (TlPreferencesWindow, tl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *schemes[] = { "default", "light", "dark" };

static gboolean
scheme_to_index (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  const char *scheme = g_value_get_string (from);

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_strcmp0 (scheme, schemes[i]) == 0)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }

  g_value_set_uint (to, 0);
  return TRUE;
}

static gboolean
index_to_scheme (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  guint index = g_value_get_uint (from);

  if (index >= G_N_ELEMENTS (schemes))
    return FALSE;

  g_value_set_string (to, schemes[index]);
  return TRUE;
}

static gboolean
uint_to_double (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_double (to, g_value_get_uint (from));
  return TRUE;
}

static gboolean
double_to_uint (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_uint (to, (guint) MAX (0.0, g_value_get_double (from)));
  return TRUE;
}

static void
tl_preferences_window_class_init (TlPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, follow_switch);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, threads_row);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, processes_row);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, processes_spin);
  gtk_widget_class_bind_template_child (widget_class, TlPreferencesWindow, python_row);
}

static void
tl_preferences_window_init (TlPreferencesWindow *self)
{
  g_autofree char *cpus = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: %u is the number of processors of this computer */
  cpus = g_strdup_printf (_("0: one per processor (%u here)"), g_get_num_processors ());
  adw_action_row_set_subtitle (self->threads_row, cpus);
  adw_action_row_set_subtitle (self->processes_row, cpus);
}

TlPreferencesWindow *
tl_preferences_window_new (TlApplication *application)
{
  TlPreferencesWindow *self;

  g_return_val_if_fail (TL_IS_APPLICATION (application), NULL);

  self = g_object_new (TL_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       NULL);

  g_object_bind_property_full (application, "color-scheme",
                               self->color_scheme_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               scheme_to_index, index_to_scheme, NULL, NULL);
  g_object_bind_property (application, "follow-live",
                          self->follow_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (application, "default-threads",
                               self->threads_spin, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               uint_to_double, double_to_uint, NULL, NULL);
  g_object_bind_property_full (application, "default-processes",
                               self->processes_spin, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               uint_to_double, double_to_uint, NULL, NULL);
  g_object_bind_property (application, "python-interpreter",
                          self->python_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  return self;
}
