/* tl-application.h — the Tasklanes GTK application
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TL_TYPE_APPLICATION (tl_application_get_type ())
G_DECLARE_FINAL_TYPE (TlApplication, tl_application, TL, APPLICATION, AdwApplication)

TlApplication *tl_application_new                   (void);

/* The application's GSettings, or NULL when the schema is not installed
 * (running from a build tree without GSETTINGS_SCHEMA_DIR): the app then
 * keeps its preferences in memory for the session. */
GSettings     *tl_application_get_settings          (TlApplication *self);

/* Preferences, backed by GSettings when available. */
const char    *tl_application_get_color_scheme      (TlApplication *self);
void           tl_application_set_color_scheme      (TlApplication *self,
                                                     const char    *scheme);
gboolean       tl_application_get_follow_live       (TlApplication *self);
guint          tl_application_get_default_threads   (TlApplication *self);
guint          tl_application_get_default_processes (TlApplication *self);
/* The arguments of the Python program named on the command line. */
void           tl_application_set_program_args (TlApplication      *self,
                                                const char * const *args);
/* The interpreter chosen in Preferences for Python programs ("": none). */
char          *tl_application_dup_python_interpreter (TlApplication *self);

/* TRUE when the program runs from its build directory, not installed. */
gboolean       tl_application_is_uninstalled        (void);

G_END_DECLS
