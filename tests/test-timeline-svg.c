/* test-timeline-svg.c — an exported SVG keeps its words as text
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture is parsed back as XML: every name on the timeline must be
 * the content of a <text> element (selectable, searchable), and no glyph
 * outlines (<symbol>) may stand in for any word.
 */
#define G_LOG_DOMAIN "test-timeline-svg"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "run/tl-runner.h"
#include "timeline/tl-timeline.h"
#include "tl-test-timeline.h"

typedef struct {
  GPtrArray *texts;        /* the content of each <text> */
  GString   *current;      /* inside a <text>, else NULL */
  guint      n_symbols;
  guint      n_glyph_uses;
  guint      n_unstyled;   /* <text> without a font or a colour */
} SvgContent;

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  SvgContent *svg = user_data;

  if (g_str_equal (element, "symbol"))
    svg->n_symbols++;
  if (g_str_equal (element, "use"))
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "xlink:href") && g_str_has_prefix (values[i], "#glyph"))
        svg->n_glyph_uses++;
  if (g_str_equal (element, "text"))
    {
      gboolean fill = FALSE;

      for (guint i = 0; names[i] != NULL; i++)
        fill |= g_str_equal (names[i], "fill") && values[i][0] == '#';
      /* The font is set on the group around all text. */
      if (!fill || !g_str_equal (g_markup_parse_context_get_element_stack (context)->next->data, "g"))
        svg->n_unstyled++;
      svg->current = g_string_new (NULL);
    }
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  SvgContent *svg = user_data;

  if (g_str_equal (element, "text") && svg->current != NULL)
    g_ptr_array_add (svg->texts, g_string_free (g_steal_pointer (&svg->current), FALSE));
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              user_data,
         GError              **error)
{
  SvgContent *svg = user_data;

  if (svg->current != NULL)
    g_string_append_len (svg->current, text, len);
}

static void
parse_svg (const char *path,
           SvgContent *svg)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  svg->texts = g_ptr_array_new_with_free_func (g_free);
  context = g_markup_parse_context_new (&parser, 0, svg, NULL);
  g_assert_true (g_markup_parse_context_parse (context, contents, length, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

static void
svg_content_clear (SvgContent *svg)
{
  g_clear_pointer (&svg->texts, g_ptr_array_unref);
}

/* Whether a <text> holds @name whole, or (cut to fit its column) at
 * least its first few characters and an ellipsis. */
static gboolean
has_text (SvgContent *svg,
          const char *name)
{
  for (guint i = 0; i < svg->texts->len; i++)
    {
      const char *text = g_ptr_array_index (svg->texts, i);

      if (g_str_equal (text, name))
        return TRUE;
      if (g_str_has_suffix (text, "…") && strlen (text) > strlen ("…") + 4 &&
          strncmp (text, name, strlen (text) - strlen ("…")) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Exports @preset's run whole and as a view, and checks that every task's
 * name is SVG text. */
static void
export_and_check (TlPreset   *preset,
                  const char *must_have)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-svg-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.svg", NULL);
  TlTestTimeline tl = { 0, };
  TlTrace *trace;
  TlTimelineModel *model;
  GtkWidget *timeline;

  g_assert_no_error (error);
  tl_test_timeline_run (&tl, preset, NULL);
  trace = tl.trace;
  model = tl.model;
  timeline = tl.timeline;

  for (int whole = 1; whole >= 0; whole--)
    {
      SvgContent svg = { 0, };
      guint n_names = 0;

      g_assert_true (tl_timeline_export_image (TL_TIMELINE (timeline), path, TRUE, 1200, whole, &error));
      g_assert_no_error (error);
      parse_svg (path, &svg);
      g_test_message ("%s, %s: %u text elements, %u glyph symbols", preset->name,
                      whole ? "whole run" : "view", svg.texts->len, svg.n_symbols);

      g_assert_cmpuint (svg.n_symbols, ==, 0);
      g_assert_cmpuint (svg.n_glyph_uses, ==, 0);
      g_assert_cmpuint (svg.n_unstyled, ==, 0);
      g_assert_cmpuint (svg.texts->len, >, 0);

      for (guint lane = tl_timeline_model_get_n_summary_lanes (model);
           lane < tl_timeline_model_get_n_lanes (model) && whole;
           lane++)
        {
          guint32 instance = tl_timeline_model_get_lane_instance (model, lane);
          g_autofree char *label = NULL;

          if (tl_timeline_model_get_lane_kind (model, lane) != TL_LANE_TASK || instance == TL_NO_INSTANCE)
            continue;
          label = tl_trace_dup_label (trace, instance);
          if (!has_text (&svg, label))
            g_error ("“%s” is not text in the SVG of %s", label, preset->name);
          n_names++;
        }
      if (whole)
        {
          g_assert_cmpuint (n_names, >=, 3);
          /* The title band: the preset's own name. */
          g_assert_true (has_text (&svg, preset->name));
        }
      if (must_have != NULL)
        g_assert_true (has_text (&svg, must_have));
      svg_content_clear (&svg);
    }

  g_unlink (path);
  g_rmdir (dir);
  tl_test_timeline_clear (&tl);
}

static void
test_gallery_svg_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin ("gather-error", &error);

  g_assert_no_error (error);
  export_and_check (preset, "fetch_user(1)");
}

/* Korean names stay Korean text, and what XML reserves is escaped: a
 * name with < & > " ' comes back from the parser as it was written. */
static const char korean_preset[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=사용자 불러오기\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Label=모두_기다리기()\n"
  "Children=fetch;odd\n"
  "\n"
  "[Task fetch]\n"
  "Kind=sleep\n"
  "Label=사용자_가져오기({i})\n"
  "Duration=1s\n"
  "Repeat=2\n"
  "\n"
  "[Task odd]\n"
  "Kind=sleep\n"
  "Label=a<b && \"c\" > 'd'\n"
  "Duration=500ms\n";

static void
test_korean_svg_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (korean_preset, -1, "korean-svg", &error);
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  g_assert_no_error (error);
  g_setenv ("LANGUAGE", "ko", TRUE);
  export_and_check (preset, "사용자_가져오기(2)");
  export_and_check (preset, "a<b && \"c\" > 'd'");

  /* A gallery preset in Korean: its translated lane names are text. */
  {
    g_autoptr(TlPreset) gallery = tl_preset_new_from_builtin ("sync-vs-async", &error);

    g_assert_no_error (error);
    export_and_check (gallery, "하나씩 await");
  }
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/* A file that cannot be written is an error naming it. */
static void
test_svg_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  TlTestTimeline tl = { 0, };

  tl_test_timeline_run_builtin (&tl, "gather", NULL);
  g_assert_false (tl_timeline_export_image (TL_TIMELINE (tl.timeline), "/nonexistent/dir/run.svg", TRUE, 800, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/run.svg"));
  tl_test_timeline_clear (&tl);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/svg/gallery-text", test_gallery_svg_text);
  g_test_add_func ("/timeline/svg/korean-and-escaping", test_korean_svg_text);
  g_test_add_func ("/timeline/svg/unwritable", test_svg_unwritable);

  return g_test_run ();
}
