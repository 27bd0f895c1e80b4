/* test-window-korean.c — the window under a real Korean locale, in the
 * light and the dark style
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not LANGUAGE=ko over the C locale: the C library's ko_KR.UTF-8, as a
 * Korean system has it (build-aux/test compiles it on Debian 12), so
 * counts are grouped by that locale's own rules. The summary's and the
 * details' text is then measured against its background in Adwaita's
 * light and dark styles.
 */
#define G_LOG_DOMAIN "test-window-korean"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "core/tl-number.h"
#include "tl-application.h"
#include "tl-test-ui.h"
#include "window/tl-details-pane.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window.h"

#define KOREAN_LOCALE "ko_KR.UTF-8"

static TlApplication *app;

static const char many_tasks[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=Many\n"
  "Run=all\n"
  "\n"
  "[Task all]\n"
  "Kind=gather\n"
  "Children=job\n"
  "\n"
  "[Task job]\n"
  "Kind=sleep\n"
  "Duration=20ms\n"
  "Repeat=1200\n";

static gboolean
has_hangul (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xAC00 && c <= 0xD7A3)
        return TRUE;
    }
  return FALSE;
}

static void
collect_labels (GtkWidget *root,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      gtk_label_get_text (GTK_LABEL (root))[0] != '\0')
    g_ptr_array_add (labels, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static double
channel (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (double r,
           double g,
           double b)
{
  return 0.2126 * channel (r) + 0.7152 * channel (g) + 0.0722 * channel (b);
}

/* WCAG's contrast between the background and the label's strongest
 * pixel: the label drawn as the window draws it (its colour, weight and
 * opacity) over the window's background. */
static double
label_contrast (GtkWidget     *label,
                const GdkRGBA *background)
{
  int width = gtk_widget_get_width (label);
  int height = gtk_widget_get_height (label);
  GdkPaintable *paintable = gtk_widget_paintable_new (label);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;
  double bg = luminance (background->red, background->green, background->blue);
  double best = 1;
  guchar *data;
  int stride;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (width, 1), MAX (height, 1));
  cr = cairo_create (surface);
  gdk_cairo_set_source_rgba (cr, background);
  cairo_paint (cr);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(guint32 *) (gpointer) (data + y * stride + x * 4);
        double l = luminance (((pixel >> 16) & 0xff) / 255.0, ((pixel >> 8) & 0xff) / 255.0, (pixel & 0xff) / 255.0);
        double ratio = (MAX (l, bg) + 0.05) / (MIN (l, bg) + 0.05);

        best = MAX (best, ratio);
      }

  cairo_surface_destroy (surface);
  g_clear_pointer (&node, gsk_render_node_unref);
  g_object_unref (paintable);
  return best;
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
named_color (GtkWidget  *widget,
             const char *name,
             GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    g_error ("no %s in the style", name);
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* Every label of @area reads against its background (the style's colour
 * @background_name): at least 4.5:1, WCAG's AA for body text; labels
 * dimmed in GNOME's way (.dim-label, secondary text) at least 3:1. */
static void
assert_readable (GtkWidget  *area,
                 const char *background_name,
                 const char *what,
                 GString    *texts)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GdkRGBA background;

  named_color (area, background_name, &background);
  collect_labels (area, labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (GTK_LABEL (label));
      double contrast = label_contrast (label, &background);
      gboolean dimmed = gtk_widget_has_css_class (label, "dim-label") ||
                        gtk_widget_has_css_class (label, "subtitle");
      double needed = dimmed ? 3.0 : 4.5;

      /* A new style reaches every widget within a few frames; a slow
       * build draws them late, never wrong for long. */
      for (guint waited_ms = 0; contrast < needed && waited_ms < 5000; waited_ms += 100)
        {
          tl_test_spin (100);
          named_color (area, background_name, &background);
          contrast = label_contrast (label, &background);
        }
      g_test_message ("%s: “%s”%s: contrast %.1f:1", what, text, dimmed ? " (dimmed)" : "", contrast);
      if (texts != NULL)
        g_string_append_printf (texts, "%s\n", text);
      if (contrast < needed)
        g_error ("%s: “%s” is hard to read: contrast %.1f:1 against %s", what, text, contrast, background_name);
    }
}

static void
test_korean_locale_counts (void)
{
  g_autofree char *count = tl_format_count (200000);
  struct lconv *conv = localeconv ();

  /* The real locale: its own separator, which is also what the window
   * shows. */
  g_assert_cmpstr (setlocale (LC_NUMERIC, NULL), ==, KOREAN_LOCALE);
  g_assert_cmpstr (conv->thousands_sep, ==, ",");
  g_assert_cmpstr (count, ==, "200,000");
}

static void
test_summary_and_details (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-korean-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "many.tasklanes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window;
  GtkWidget *root, *bar, *pane;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, many_tasks, -1, &error));
  window = tl_test_new_window (app);
  root = GTK_WIDGET (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (root, "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_true (tl_window_show_task (window, "job"));
  tl_test_spin (500);

  bar = tl_test_find_widget (root, TL_TYPE_SUMMARY_BAR, NULL);
  pane = tl_test_find_widget (root, TL_TYPE_DETAILS_PANE, NULL);
  g_assert_true (gtk_widget_get_visible (pane));

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autoptr(GString) summary = g_string_new (NULL);
      g_autoptr(GString) details = g_string_new (NULL);

      adw_style_manager_set_color_scheme (style, schemes[i]);
      tl_test_spin (400);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, schemes[i] == ADW_COLOR_SCHEME_FORCE_DARK);

      /* The summary lies on the window; the details pane has the
       * background of a view (style.css). */
      assert_readable (bar, "window_bg_color", "summary", summary);
      assert_readable (pane, "view_bg_color", "details", details);
      g_test_message ("summary (%s):\n%s", adw_style_manager_get_dark (style) ? "dark" : "light", summary->str);
      /* Korean words, and the count (1,200 jobs and their gather)
       * grouped as the locale groups it. */
      g_assert_true (has_hangul (summary->str));
      g_assert_nonnull (strstr (summary->str, "1,201"));
      g_assert_true (has_hangul (details->str));
    }

  /* The summary takes the height its lines need at its width, not the
   * height of its headings broken a syllable a line. */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (bar, GTK_TYPE_SCROLLED_WINDOW);
    int needed;

    gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (bar), NULL, &needed, NULL, NULL);
    g_test_message ("summary: %d px high, needs %d", gtk_widget_get_height (scroller), needed);
    g_assert_cmpint (gtk_widget_get_height (scroller), <=, needed + 2);
  }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  tl_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Korean by the locale alone, as a Korean system starts the app. */
  g_setenv ("LC_ALL", KOREAN_LOCALE, TRUE);
  g_unsetenv ("LANGUAGE");
  if (setlocale (LC_ALL, KOREAN_LOCALE) == NULL)
    g_error ("The %s locale is not installed: build-aux/test compiles it "
             "(localedef -i ko_KR -f UTF-8 %s, from Debian's locales package)",
             KOREAN_LOCALE, KOREAN_LOCALE);

  g_test_init (&argc, &argv, NULL);
  /* As main() does; tl_application_new() binds the build tree's
   * translations. */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;
  adw_init ();

  g_test_add_func ("/ui/korean/locale-counts", test_korean_locale_counts);
  g_test_add_func ("/ui/korean/summary-and-details", test_summary_and_details);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
