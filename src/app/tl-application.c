/* tl-application.c — the Tasklanes GTK application
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "tl-application.h"
#include "tl-preferences-window.h"
#include "tl-window-unrealize.h"
#include "export/tl-export.h"
#include "window/tl-window.h"
#include "tasklanes-resources.h"

struct _TlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *color_scheme;
  gboolean        follow_live;
  guint           default_threads;
  guint           default_processes;
  char           *python_interpreter;
  GStrv           program_args;
  guint           sigint_id;
  guint           sigterm_id;
};

G_DEFINE_FINAL_TYPE (TlApplication, tl_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_COLOR_SCHEME,
  PROP_FOLLOW_LIVE,
  PROP_DEFAULT_THREADS,
  PROP_DEFAULT_PROCESSES,
  PROP_PYTHON_INTERPRETER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
tl_application_is_uninstalled (void)
{
  static gsize initialized = 0;
  static gboolean uninstalled = FALSE;

  /* The build tree holds compiled translations and schemas the installed
   * paths do not have yet; an executable that lives under the build root
   * (the app itself, the tests) uses them. */
  if (g_once_init_enter (&initialized))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *root = g_strconcat (TL_BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);

      uninstalled = exe != NULL && g_str_has_prefix (exe, root);
      g_once_init_leave (&initialized, 1);
    }

  return uninstalled;
}

static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL && tl_application_is_uninstalled ())
    {
      g_autofree char *dir = g_build_filename (TL_BUILD_ROOT, "data", NULL);
      g_autoptr(GSettingsSchemaSource) build_source = NULL;

      build_source = g_settings_schema_source_new_from_directory (dir, source, FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APP_ID, FALSE);
    }

  return schema;
}

static gboolean
get_uint_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  /* Integer keys may be stored as i or u; the property is unsigned. */
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    g_value_set_uint (value, g_variant_get_uint32 (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
    g_value_set_uint (value, (guint) MAX (0, g_variant_get_int32 (variant)));
  else
    return FALSE;
  return TRUE;
}

static GVariant *
set_uint_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint v = g_value_get_uint (value);

  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 ((gint32) MIN (v, (guint) G_MAXINT32));
  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_UINT32))
    return g_variant_new_uint32 (v);
  return NULL;
}

static void
bind_setting (TlApplication   *self,
              GSettingsSchema *schema,
              const char      *key)
{
  g_autoptr(GSettingsSchemaKey) skey = NULL;
  const GVariantType *type;

  if (!g_settings_schema_has_key (schema, key))
    {
      g_warning ("Settings schema %s has no key “%s”", APP_ID, key);
      return;
    }

  skey = g_settings_schema_get_key (schema, key);
  type = g_settings_schema_key_get_value_type (skey);

  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32) ||
      g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
    g_settings_bind_with_mapping (self->settings, key, self, key,
                                  G_SETTINGS_BIND_DEFAULT,
                                  get_uint_mapping, set_uint_mapping,
                                  NULL, NULL);
  else
    g_settings_bind (self->settings, key, self, key, G_SETTINGS_BIND_DEFAULT);
}

static void
apply_color_scheme (TlApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (self->color_scheme, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (self->color_scheme, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (manager, scheme);
}

static TlWindow *
get_or_create_window (TlApplication *self)
{
  /* The list is ordered by focus: the first main window is the one the
   * user worked in last, even when Preferences has the focus now. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (TL_IS_WINDOW (l->data))
      return TL_WINDOW (l->data);

  return tl_window_new (self);
}

static void
tl_application_activate (GApplication *app)
{
  TlApplication *self = TL_APPLICATION (app);
  TlWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
tl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TlApplication *self = TL_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      /* The first file goes to the current window, more files each get a
       * window of their own so none replaces another. */
      TlWindow *window = i == 0 ? get_or_create_window (self) : tl_window_new (self);

      /* Present first, so an error dialog has a visible parent. */
      gtk_window_present (GTK_WINDOW (window));

      /* "tasklanes builtin:gather" names a gallery preset, as in headless
       * mode; GIO hands it over as a URI with an unknown scheme. */
      if (g_file_has_uri_scheme (files[i], "builtin"))
        {
          g_autofree char *uri = g_file_get_uri (files[i]);

          tl_window_open_argument (window, uri);
        }
      else if (tl_window_open_file (window, files[i]) && i == 0 && self->program_args != NULL)
        {
          /* The command line's arguments belong to the program it named. */
          tl_window_set_program_args (window, (const char * const *) self->program_args);
          g_clear_pointer (&self->program_args, g_strfreev);
        }
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlApplication *self = user_data;
  GList *windows;

  /* Closing the windows saves their size, stops their runs and joins the
   * engine threads before the process exits. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  TlApplication *self = user_data;
  static const char *developers[] = { "The Tasklanes authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Tasklanes"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Tasklanes authors"),
                        "developers", developers,
                        "comments", _("Watch concurrent tasks run, wait, block and cancel, live on a timeline."),
                        "website", "https://github.com/tasklanes/tasklanes",
                        "issue-url", "https://github.com/tasklanes/tasklanes/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Tasklanes authors"),
                        /* Translators: your name(s), one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TlPreferencesWindow *prefs = tl_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);

  /* GtkApplicationWindow loads gtk/help-overlay.ui from our resources and
   * provides win.show-help-overlay; the app-level action reaches it from
   * anywhere, including when the gallery has the focus. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL);
}

static void
run_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);

  /* Reachable over D-Bus (org.gtk.Actions), unlike the window's own
   * actions: scripts such as build-aux/screenshots start runs this way. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
}

static void
open_preset_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  tl_window_open_argument (window, g_variant_get_string (param, NULL));
}

static void
show_task_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  tl_window_show_task (window, g_variant_get_string (param, NULL));
}

/* A window action by name ("win.run-with-changes", "win.show-history"):
 * scripts such as build-aux/screenshots reach the window's own actions
 * over D-Bus this way. */
static void
window_action_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);
  const char *name = g_variant_get_string (param, NULL);

  gtk_window_present (GTK_WINDOW (window));
  if (!gtk_widget_activate_action (GTK_WIDGET (window), name, NULL))
    g_message ("window-action: no enabled action “%s”", name);
}

/* What-if from a script: ("Threads", 5) as tl_window_set_what_if(). */
static void
what_if_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TlApplication *self = user_data;
  TlWindow *window = get_or_create_window (self);
  const char *key;
  double value;

  g_variant_get (param, "(&sd)", &key, &value);
  if (!tl_window_set_what_if (window, key, value))
    g_message ("what-if: “%s” cannot be changed now", key);
}

static const GActionEntry app_actions[] = {
  { "show-task", show_task_action, "s" },
  { "window-action", window_action_action, "s" },
  { "what-if", what_if_action, "(sd)" },
  { "run", run_action },
  { "open-preset", open_preset_action, "s" },
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "open", open_action },
};

/* SIGTERM (a session ending) or Ctrl+C in the terminal that started the
 * window: remove the hidden files exports are writing, then quit as the
 * Quit action would. */
static gboolean
quit_on_signal_cb (gpointer user_data)
{
  tl_export_remove_temporaries ();
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
tl_application_startup (GApplication *app)
{
  TlApplication *self = TL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *no_accels[] = { NULL };
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Pull the resource object into the link: GtkApplication looks for
   * style.css and gtk/help-overlay.ui under our resource base path. */
  (void) tl_app_get_resource ();

  G_APPLICATION_CLASS (tl_application_parent_class)->startup (app);

  /* Before the first window: GTK 4.8 leaves a handler of each unrealized
   * window on its surface (tl-window-unrealize.c). */
  tl_window_unrealize_guard_install ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  self->sigint_id = g_unix_signal_add (SIGINT, quit_on_signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_on_signal_cb, self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open", open_accels);
  /* One shortcut, one action: Ctrl+? belongs to app.shortcuts. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", no_accels);

  schema = lookup_schema ();
  if (schema != NULL)
    {
      static const char *keys[] = { "color-scheme", "follow-live",
                                    "default-threads", "default-processes",
                                    "python-interpreter" };

      self->settings = g_settings_new_full (schema, NULL, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        bind_setting (self, schema, keys[i]);
    }
  else
    {
      g_message ("Settings schema %s is not installed; preferences last for this session only", APP_ID);
    }

  apply_color_scheme (self);
}

static void
tl_application_shutdown (GApplication *app)
{
  TlApplication *self = TL_APPLICATION (app);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);

  if (self->settings != NULL)
    {
      g_settings_unbind (self, "color-scheme");
      g_settings_unbind (self, "follow-live");
      g_settings_unbind (self, "default-threads");
      g_settings_unbind (self, "default-processes");
      g_settings_unbind (self, "python-interpreter");
    }

  G_APPLICATION_CLASS (tl_application_parent_class)->shutdown (app);
}

static void
tl_application_dispose (GObject *object)
{
  TlApplication *self = TL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tl_application_parent_class)->dispose (object);
}

static void
tl_application_finalize (GObject *object)
{
  TlApplication *self = TL_APPLICATION (object);

  g_clear_pointer (&self->color_scheme, g_free);
  g_clear_pointer (&self->python_interpreter, g_free);
  g_clear_pointer (&self->program_args, g_strfreev);

  G_OBJECT_CLASS (tl_application_parent_class)->finalize (object);
}

static void
tl_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TlApplication *self = TL_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      g_value_set_string (value, self->color_scheme);
      break;
    case PROP_FOLLOW_LIVE:
      g_value_set_boolean (value, self->follow_live);
      break;
    case PROP_DEFAULT_THREADS:
      g_value_set_uint (value, self->default_threads);
      break;
    case PROP_DEFAULT_PROCESSES:
      g_value_set_uint (value, self->default_processes);
      break;
    case PROP_PYTHON_INTERPRETER:
      g_value_set_string (value, self->python_interpreter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TlApplication *self = TL_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      tl_application_set_color_scheme (self, g_value_get_string (value));
      break;
    case PROP_FOLLOW_LIVE:
      if (self->follow_live != g_value_get_boolean (value))
        {
          self->follow_live = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_DEFAULT_THREADS:
      if (self->default_threads != g_value_get_uint (value))
        {
          self->default_threads = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_DEFAULT_PROCESSES:
      if (self->default_processes != g_value_get_uint (value))
        {
          self->default_processes = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PYTHON_INTERPRETER:
      if (g_strcmp0 (self->python_interpreter, g_value_get_string (value)) != 0)
        {
          g_free (self->python_interpreter);
          self->python_interpreter = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_application_class_init (TlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tl_application_dispose;
  object_class->finalize = tl_application_finalize;
  object_class->get_property = tl_application_get_property;
  object_class->set_property = tl_application_set_property;

  app_class->startup = tl_application_startup;
  app_class->shutdown = tl_application_shutdown;
  app_class->activate = tl_application_activate;
  app_class->open = tl_application_open;

  properties[PROP_COLOR_SCHEME] =
    g_param_spec_string ("color-scheme", NULL, NULL, "default",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FOLLOW_LIVE] =
    g_param_spec_boolean ("follow-live", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEFAULT_THREADS] =
    g_param_spec_uint ("default-threads", NULL, NULL, 0, 256, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEFAULT_PROCESSES] =
    g_param_spec_uint ("default-processes", NULL, NULL, 0, 64, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The interpreter for Python programs; "" means python3 on PATH. */
  properties[PROP_PYTHON_INTERPRETER] =
    g_param_spec_string ("python-interpreter", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tl_application_init (TlApplication *self)
{
  self->color_scheme = g_strdup ("default");
  self->follow_live = TRUE;
  self->python_interpreter = g_strdup ("");
}

void
tl_application_set_program_args (TlApplication      *self,
                                 const char * const *args)
{
  g_return_if_fail (TL_IS_APPLICATION (self));

  g_strfreev (self->program_args);
  self->program_args = g_strdupv ((char **) args);
}

char *
tl_application_dup_python_interpreter (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), NULL);

  return g_strdup (self->python_interpreter);
}

static gboolean
names_a_language (const char *value)
{
  return value != NULL && value[0] != '\0' &&
         !g_str_equal (value, "C") && !g_str_equal (value, "POSIX") &&
         !g_str_has_prefix (value, "C.") && !g_str_has_prefix (value, "en");
}

/* When the requested locale is not installed (LANG=ko_KR.UTF-8 on a
 * system without it), setlocale() leaves "C", where gettext ignores
 * LANGUAGE, while the presets pick their [ko] texts from the environment:
 * Korean descriptions in an English window. Fall back to C.UTF-8, where
 * gettext honours LANGUAGE, and name the wanted language there, so the
 * window and the presets speak the same language. */
static void
ensure_language_locale (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char *wanted = NULL;

  if (messages == NULL || !(g_str_equal (messages, "C") || g_str_equal (messages, "POSIX")))
    return;

  if (names_a_language (g_getenv ("LANGUAGE")))
    wanted = g_getenv ("LANGUAGE");
  else if (names_a_language (g_getenv ("LC_ALL")))
    wanted = g_getenv ("LC_ALL");
  else if (names_a_language (g_getenv ("LC_MESSAGES")))
    wanted = g_getenv ("LC_MESSAGES");
  else if (names_a_language (g_getenv ("LANG")))
    wanted = g_getenv ("LANG");
  if (wanted == NULL)
    return;

  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_printerr ("tasklanes: the locale for “%s” is not installed, and neither is C.UTF-8; "
                  "the window stays in English.\n", wanted);
      return;
    }
  /* gtk_init() would call setlocale (LC_ALL, "") again, fail the same
   * way and warn; the locale is settled here. */
  gtk_disable_setlocale ();

  if (!names_a_language (g_getenv ("LANGUAGE")))
    {
      g_autofree char *language = g_strdup (wanted);
      char *cut = strpbrk (language, ".@");

      if (cut != NULL)
        *cut = '\0';
      g_setenv ("LANGUAGE", language, TRUE);
    }
}

TlApplication *
tl_application_new (void)
{
  ensure_language_locale ();

  if (tl_application_is_uninstalled ())
    {
      g_autofree char *localedir = g_build_filename (TL_BUILD_ROOT, "po", NULL);

      /* meson's i18n module compiles po/LANG/LC_MESSAGES/tasklanes.mo in
       * the build tree: use it so LANGUAGE=ko works before installing. */
      if (g_getenv ("TASKLANES_LOCALEDIR") == NULL)
        bindtextdomain (GETTEXT_PACKAGE, localedir);
    }
  if (g_getenv ("TASKLANES_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TASKLANES_LOCALEDIR"));

  return g_object_new (TL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

GSettings *
tl_application_get_settings (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), NULL);

  return self->settings;
}

const char *
tl_application_get_color_scheme (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), NULL);

  return self->color_scheme;
}

void
tl_application_set_color_scheme (TlApplication *self,
                                 const char    *scheme)
{
  g_return_if_fail (TL_IS_APPLICATION (self));

  if (scheme == NULL)
    scheme = "default";

  if (g_strcmp0 (self->color_scheme, scheme) == 0)
    return;

  g_free (self->color_scheme);
  self->color_scheme = g_strdup (scheme);
  apply_color_scheme (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_SCHEME]);
}

gboolean
tl_application_get_follow_live (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), TRUE);

  return self->follow_live;
}

guint
tl_application_get_default_threads (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), 0);

  return self->default_threads;
}

guint
tl_application_get_default_processes (TlApplication *self)
{
  g_return_val_if_fail (TL_IS_APPLICATION (self), 0);

  return self->default_processes;
}
