/* tl-test-ui.h — helpers shared by the window test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window tests drive GTK on their own main thread: they iterate the
 * default main context until a condition holds or a timeout passes.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-application.h"
#include "window/tl-window.h"

G_BEGIN_DECLS

typedef gboolean (*TlTestCondition) (gpointer data);

/* Prepares a window suite's process after g_test_init(), as the app's
 * main() does: the locale from the environment, then a TlApplication
 * (registered, not unique, held while test windows come and go), then
 * GTK. What the windows write (the recent list, consent files) goes to a
 * private XDG_DATA_HOME; OpenGL is left out. Returns NULL, having
 * printed the TAP plan that skips the suite, when there is no display. */
TlApplication *tl_test_ui_init          (void);

/* The private XDG_DATA_HOME tl_test_ui_init() made. */
const char    *tl_test_ui_get_data_home (void);

/* Undoes tl_test_ui_init(): drops @app and removes the data folder with
 * all the tests left in it. */
void           tl_test_ui_shutdown      (TlApplication *app);

/* Removes @path and everything below it (links are removed, not
 * followed). */
void           tl_test_remove_tree      (const char *path);

/* Iterates the default main context until @condition holds or @timeout_ms
 * passes; returns whether it held. */
gboolean   tl_test_wait_until     (TlTestCondition condition,
                                   gpointer        data,
                                   guint           timeout_ms);

/* Iterates the default main context for @ms milliseconds. */
void       tl_test_spin           (guint ms);

/* Conditions on a widget or window passed as @data. */
gboolean   tl_test_widget_mapped  (gpointer data);
gboolean   tl_test_run_ended      (gpointer data);

/* A new window of @app, presented and mapped (fails the test otherwise). */
TlWindow  *tl_test_new_window     (TlApplication *app);

/* Destroys @window and fails the test if anything still holds it. */
void       tl_test_close_window   (TlWindow *window);

/* Whether @action resolves and is enabled as seen from @widget. */
gboolean   tl_test_action_enabled (GtkWidget  *widget,
                                   const char *action);

/* The first widget under @root (depth first, @root included) for which
 * @matches returns TRUE. */
typedef gboolean (*TlTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);
GtkWidget *tl_test_find_widget_matching (GtkWidget         *root,
                                         TlTestWidgetMatch  matches,
                                         gconstpointer      data);

/* The first widget of @type under @root (depth first, @root included)
 * and, when @label is not NULL, a button with that label or a text view
 * whose text holds it. */
GtkWidget *tl_test_find_widget    (GtkWidget  *root,
                                   GType       type,
                                   const char *label);

/* The text of every visible label under @widget, and each action row's
 * title and subtitle ("Title: subtitle"), a line each. */
void       tl_test_collect_text   (GtkWidget  *widget,
                                   GString    *out);

G_END_DECLS
