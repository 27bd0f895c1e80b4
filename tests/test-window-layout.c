/* test-window-layout.c — the window at the sizes people use: the timeline
 * keeps a usable width, the gallery folds first, then the code moves
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window-layout"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "tl-application.h"
#include "tl-test-ui.h"
#include "window/tl-code-pane.h"
#include "window/tl-details-pane.h"
#include "window/tl-window-private.h"

static TlApplication *app;

/* The lanes keep at least this width beside the code or the details. */
#define USABLE_LANES 480
/* Code beside the lanes shows about 40 columns. */
#define USABLE_CODE  330

typedef struct {
  int         width;
  int         height;
  gboolean    details;
  gboolean    gallery;     /* the gallery beside the content */
  const char *code;        /* "beside", "below" or "hidden" */
} Expected;

/* Widths that stopped changing: the leaflet's and the panes' animations
 * are over (slowly, in a sanitizer build on a busy machine). */
static void
wait_for_layout (TlWindow *window)
{
  int last[4] = { -1, -1, -1, -1 };
  guint stable = 0;

  for (guint waited_ms = 0; stable < 6; waited_ms += 60)
    {
      int now[4] = {
        gtk_widget_get_width (GTK_WIDGET (window->timeline_scroller)),
        gtk_widget_get_width (GTK_WIDGET (window->code_pane)),
        gtk_widget_get_width (GTK_WIDGET (window->details_pane)),
        gtk_widget_get_width (window->sidebar_box),
      };

      g_assert_cmpuint (waited_ms, <, 20000);
      stable = memcmp (now, last, sizeof now) == 0 && window->fold_source == 0 ? stable + 1 : 0;
      memcpy (last, now, sizeof now);
      tl_test_spin (60);
    }
}

static gboolean
gallery_beside (TlWindow *window)
{
  return !adw_leaflet_get_folded (window->leaflet);
}

static void
check_layout (TlWindow       *window,
              const Expected *expected)
{
  int lanes = gtk_widget_get_width (GTK_WIDGET (window->timeline_scroller));
  int code = gtk_widget_get_width (GTK_WIDGET (window->code_pane));
  int details = gtk_widget_get_width (GTK_WIDGET (window->details_pane));
  const char *shown = window->shown_code_placement;

  g_test_message ("%d×%d, details %s: window %d×%d, gallery %s, lanes %d px, code %s %d×%d px, details %d px",
                  expected->width, expected->height, expected->details ? "open" : "closed",
                  gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)),
                  gallery_beside (window) ? "beside" : "folded", lanes, shown, code,
                  gtk_widget_get_height (GTK_WIDGET (window->code_pane)), details);

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, expected->width);
  g_assert_cmpint (lanes, >=, USABLE_LANES);
  g_assert_cmpint (gallery_beside (window), ==, expected->gallery);
  g_assert_cmpstr (shown, ==, expected->code);
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (window->code_pane)), ==, !g_str_equal (expected->code, "hidden"));
  if (g_str_equal (expected->code, "beside"))
    g_assert_cmpint (code, >=, USABLE_CODE);
  if (g_str_equal (expected->code, "below"))
    {
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->code_pane)), >=, 100);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->timeline_scroller)), >=, 200);
    }
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (window->details_pane)), ==, expected->details);
  if (expected->details)
    g_assert_cmpint (details, >=, 280);
  /* Folding never changes what the user chose. */
  g_assert_cmpstr (_tl_window_get_code_placement (window), ==, "beside");
}

static gboolean
screen_holds (int width,
              int height)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle area;

  g_assert_nonnull (monitor);
  gdk_monitor_get_geometry (monitor, &area);
  if (width <= area.width && height <= area.height)
    return TRUE;
  g_test_message ("%d×%d: not checked, the screen is %d×%d", width, height, area.width, area.height);
  return FALSE;
}

/* The three sizes of the issue with the details and the code open, and
 * the usual size with the details closed. */
static void
test_fold_order (void)
{
  static const Expected sizes[] = {
    { 1920, 1080, TRUE,  TRUE,  "beside" },
    { 1200,  760, TRUE,  FALSE, "beside" },
    { 1200,  760, FALSE, TRUE,  "beside" },
    { 1024,  700, TRUE,  FALSE, "hidden" },
    { 1024,  768, TRUE,  FALSE, "below" },
  };
  GSettings *settings = tl_application_get_settings (app);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      TlWindow *window;

      /* A window is never larger than the screen: sizes beyond the
       * virtual display's are measured under a larger one. */
      if (!screen_holds (sizes[i].width, sizes[i].height))
        continue;
      /* The window starts at the size it had last time. */
      g_settings_set_int (settings, "window-width", sizes[i].width);
      g_settings_set_int (settings, "window-height", sizes[i].height);
      window = tl_test_new_window (app);
      _tl_window_set_code_placement (window, "beside");
      g_assert_true (tl_window_open_argument (window, "builtin:gather"));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
      g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
      if (sizes[i].details)
        g_assert_true (tl_window_show_task (window, "user-1"));
      wait_for_layout (window);
      check_layout (window, &sizes[i]);
      tl_test_close_window (window);
    }
}

/* Folding follows the window as it is resized, both ways: the code goes
 * below the lanes and comes back beside them when there is room again. */
static void
test_fold_follows_resizing (void)
{
  static const Expected sizes[] = {
    { 1200,  760, TRUE, FALSE, "beside" },
    { 1024,  768, TRUE, FALSE, "below" },
    { 1200,  760, TRUE, FALSE, "beside" },
  };
  GSettings *settings = tl_application_get_settings (app);
  TlWindow *window;

  g_settings_set_int (settings, "window-width", 1200);
  g_settings_set_int (settings, "window-height", 760);
  window = tl_test_new_window (app);
  _tl_window_set_code_placement (window, "beside");
  g_assert_true (tl_window_open_argument (window, "builtin:gather"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  g_assert_true (tl_window_show_task (window, "user-1"));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, sizes[i].height);
      wait_for_layout (window);
      check_layout (window, &sizes[i]);
    }
  tl_test_close_window (window);
}

/* The rule itself: what is shown for a chosen place at a size. */
static void
test_fold_rule (void)
{
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 1920, 1080, 320), ==, "beside");
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 1200, 760, 320), ==, "beside");
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 1024, 768, 320), ==, "below");
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 1024, 700, 320), ==, "hidden");
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 1024, 700, 0), ==, "beside");
  g_assert_cmpstr (_tl_window_fold_placement ("below", 800, 600, 320), ==, "below");
  g_assert_cmpstr (_tl_window_fold_placement ("hidden", 1920, 1080, 0), ==, "hidden");
  /* Not laid out yet: as chosen. */
  g_assert_cmpstr (_tl_window_fold_placement ("beside", 0, 0, 0), ==, "beside");

  /* The gallery goes first: it stays only while the code can stay
   * beside the lanes with it. */
  g_assert_true (_tl_window_fold_gallery_fits ("beside", 1920, 320));
  g_assert_false (_tl_window_fold_gallery_fits ("beside", 1200, 320));
  g_assert_true (_tl_window_fold_gallery_fits ("beside", 1200, 0));
  g_assert_false (_tl_window_fold_gallery_fits ("beside", 1024, 0));
  g_assert_true (_tl_window_fold_gallery_fits ("hidden", 1024, 0));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/layout/fold-rule", test_fold_rule);
  g_test_add_func ("/ui/layout/fold-order", test_fold_order);
  g_test_add_func ("/ui/layout/fold-follows-resizing", test_fold_follows_resizing);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
