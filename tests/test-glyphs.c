/* test-glyphs.c — every character the window shows has a font to draw it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "⏱" once drew as a missing-glyph box: neither Cantarell nor Noto CJK,
 * the fonts the set-up installs, carries it. This test gathers the text
 * the window can show — the strings of src/app (drawn text included), the
 * Korean translation and the English it translates (every translatable
 * string of the app and the engine), the interface files and the presets
 * — and asks fontconfig whether one of those fonts covers each character.
 */
#include "config.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <string.h>

/* The families build-aux/setup-common.sh installs for the window. */
static const char *setup_families[] = { "Cantarell", "Noto Sans CJK", "Noto Sans Mono CJK" };

typedef struct {
  GHashTable *where;   /* gunichar → first place it was seen (char *) */
} Collected;

static void
note_text (Collected  *c,
           const char *text,
           gssize      length,
           const char *place)
{
  const char *end = length >= 0 ? text + length : text + strlen (text);

  if (!g_utf8_validate (text, end - text, NULL))
    return;
  for (const char *p = text; p < end && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      /* ASCII is in every font; controls and variation selectors draw
       * nothing. */
      if (ch < 0x80 || g_unichar_iscntrl (ch) || (ch >= 0xFE00 && ch <= 0xFE0F))
        continue;
      if (!g_hash_table_contains (c->where, GUINT_TO_POINTER (ch)))
        g_hash_table_insert (c->where, GUINT_TO_POINTER (ch), g_strdup (place));
    }
}

/* The string literals of a C file, comments left out. */
static void
collect_c_strings (Collected  *c,
                   const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *place = NULL;
  const char *p;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  place = g_path_get_basename (path);

  for (p = text; *p != '\0'; p++)
    {
      if (p[0] == '/' && p[1] == '*')
        {
          const char *close = strstr (p + 2, "*/");

          if (close == NULL)
            break;
          p = close + 1;
        }
      else if (p[0] == '/' && p[1] == '/')
        {
          while (*p != '\0' && *p != '\n')
            p++;
          if (*p == '\0')
            break;
        }
      else if (p[0] == '\'')
        {
          /* '"' must not open a string. */
          for (p++; *p != '\0' && *p != '\''; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            break;
        }
      else if (p[0] == '"')
        {
          const char *start = ++p;

          for (; *p != '\0' && *p != '"' && *p != '\n'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          note_text (c, start, p - start, place);
          if (*p == '\0')
            break;
        }
    }
}

static void
collect_file (Collected  *c,
              const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *place = g_path_get_basename (path);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  note_text (c, text, -1, place);
}

static void
collect_dir (Collected  *c,
             const char *dir,
             const char *suffix,
             gboolean    c_strings)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_dir (c, path, suffix, c_strings);
      else if (g_str_has_suffix (name, suffix))
        {
          if (c_strings)
            collect_c_strings (c, path);
          else
            collect_file (c, path);
        }
    }
}

static FcCharSet *
setup_fonts_charset (guint *n_fonts)
{
  FcPattern *pattern = FcPatternCreate ();
  FcObjectSet *objects = FcObjectSetBuild (FC_FAMILY, FC_CHARSET, NULL);
  FcFontSet *fonts = FcFontList (NULL, pattern, objects);
  FcCharSet *all = FcCharSetCreate ();

  *n_fonts = 0;
  for (int i = 0; fonts != NULL && i < fonts->nfont; i++)
    {
      FcChar8 *family = NULL;
      FcCharSet *charset = NULL;
      gboolean wanted = FALSE;

      if (FcPatternGetString (fonts->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch ||
          FcPatternGetCharSet (fonts->fonts[i], FC_CHARSET, 0, &charset) != FcResultMatch)
        continue;
      for (guint f = 0; f < G_N_ELEMENTS (setup_families); f++)
        if (g_str_has_prefix ((const char *) family, setup_families[f]))
          wanted = TRUE;
      if (!wanted)
        continue;
      FcCharSetMerge (all, charset, NULL);
      (*n_fonts)++;
    }

  if (fonts != NULL)
    FcFontSetDestroy (fonts);
  FcObjectSetDestroy (objects);
  FcPatternDestroy (pattern);

  return all;
}

static void
test_glyph_coverage (void)
{
  g_autofree char *root = g_path_get_dirname (g_test_get_dir (G_TEST_DIST));
  g_autofree char *app_dir = g_build_filename (root, "src", "app", NULL);
  g_autofree char *ui_dir = g_build_filename (root, "ui", NULL);
  g_autofree char *presets_dir = g_build_filename (root, "data", "presets", NULL);
  g_autofree char *po = g_build_filename (root, "po", "ko.po", NULL);
  Collected c = { g_hash_table_new_full (NULL, NULL, NULL, g_free) };
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  FcCharSet *fonts;
  guint n_fonts;

  fonts = setup_fonts_charset (&n_fonts);
  if (n_fonts == 0)
    {
      FcCharSetDestroy (fonts);
      g_hash_table_unref (c.where);
      g_test_skip ("Cantarell and Noto CJK are not installed (build-aux/setup-common.sh installs them)");
      return;
    }

  collect_dir (&c, app_dir, ".c", TRUE);
  collect_dir (&c, ui_dir, ".ui", FALSE);
  collect_dir (&c, presets_dir, ".tasklanes", FALSE);
  /* Every translatable string of the app and the engine, and its Korean
   * (the translators' comments are not shown). */
  {
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_file_get_contents (po, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (lines[i][0] != '#')
        note_text (&c, lines[i], -1, "ko.po");
  }

  g_test_message ("%u distinct characters beyond ASCII, %u fonts", g_hash_table_size (c.where), n_fonts);
  g_hash_table_iter_init (&iter, c.where);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!FcCharSetHasChar (fonts, GPOINTER_TO_UINT (key)))
      {
        char utf8[8] = { 0 };

        g_unichar_to_utf8 (GPOINTER_TO_UINT (key), utf8);
        g_string_append_printf (missing, " “%s” (U+%04X, in %s)", utf8, GPOINTER_TO_UINT (key),
                                (const char *) value);
      }

  FcCharSetDestroy (fonts);
  g_hash_table_unref (c.where);

  if (missing->len > 0)
    g_test_message ("no installed font draws:%s", missing->str);
  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/glyphs/coverage", test_glyph_coverage);
  status = g_test_run ();
  FcFini ();
  return status;
}
