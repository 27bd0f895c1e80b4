/* tl-preset-parse.c — reading a version-1 preset: scanning, messages, the entry point
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "preset/tl-preset-parser.h"

/* GKeyFile reads the values, unescapes them and picks translations, but
 * it forgets where things were, merges repeated groups and keeps only the
 * last of repeated keys. So the text is also scanned here, line by line,
 * with GKeyFile's own rules: the scan gives every group and key in file
 * order with its line, which is what lets each message point at a line and
 * makes "the first error in the file" well defined. */

static void
scan_key_clear (gpointer data)
{
  ScanKey *key = data;

  g_free (key->base);
}

static void
scan_group_clear (gpointer data)
{
  ScanGroup *group = data;

  g_free (group->name);
}

/* Shortens a value for quoting in a message so a long line stays readable. */
char *
_tl_parser_quote (const char *value)
{
  if (g_utf8_strlen (value, -1) <= MAX_QUOTED_CHARS)
    return g_strdup (value);

  g_autofree char *head = g_utf8_substring (value, 0, MAX_QUOTED_CHARS);
  return g_strconcat (head, "…", NULL);
}

gboolean
_tl_parser_fail (Parser       *p,
                 TlPresetError code,
                 guint         line,
                 const char   *group,
                 const char   *key,
                 const char   *format,
                 ...)
{
  g_autoptr(GString) message = g_string_new (p->display);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_string_append_printf (message, ":%u", line);
  g_string_append (message, ": ");
  if (group != NULL)
    g_string_append_printf (message, "[%s] ", group);
  if (key != NULL)
    g_string_append_printf (message, "%s: ", key);
  g_string_append (message, detail);

  g_set_error_literal (p->error, TL_PRESET_ERROR, code, message->str);
  return FALSE;
}

guint
_tl_preset_edit_distance (const char *a,
                          const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guint d[MAX_NAME_CHARS + 2][MAX_NAME_CHARS + 2];

  /* Names longer than any valid key or task name are no typo of one. */
  if (la > MAX_NAME_CHARS || lb > MAX_NAME_CHARS)
    return G_MAXUINT;

  for (gsize i = 0; i <= la; i++)
    d[i][0] = i;
  for (gsize j = 0; j <= lb; j++)
    d[0][j] = j;

  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
        guint best = MIN (d[i - 1][j] + 1, d[i][j - 1] + 1);

        best = MIN (best, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 &&
            g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2]) &&
            g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
          best = MIN (best, d[i - 2][j - 2] + 1);
        d[i][j] = best;
      }

  return d[la][lb];
}

const char *
_tl_preset_suggest (const char         *word,
                    const char * const *candidates,
                    gsize               n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  gsize word_len = strlen (word);

  if (word_len == 0)
    return NULL;

  for (gsize i = 0; i < n_candidates; i++)
    {
      gsize cand_len = strlen (candidates[i]);
      /* Allow about one edit per two letters of the shorter word: "Kidn"
       * is "Kind", "Childs" is "Children", but "Id" is not "On". */
      guint allowed = MAX (1, MIN (word_len, cand_len) / 2);
      guint distance = _tl_preset_edit_distance (word, candidates[i]);

      if (distance <= allowed && distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }

  return best;
}

/* Scanning ---------------------------------------------------------------- */

static char *
next_line (char  **cursor,
           guint  *line_no)
{
  char *line = *cursor;
  char *end;

  if (line == NULL)
    return NULL;

  end = strchr (line, '\n');
  if (end != NULL)
    {
      *end = '\0';
      *cursor = end + 1;
    }
  else
    *cursor = NULL;

  /* GKeyFile drops the '\r' of Windows line ends too. */
  gsize len = strlen (line);
  if (len > 0 && line[len - 1] == '\r')
    line[len - 1] = '\0';

  (*line_no)++;
  return line;
}

static gboolean
key_name_is_valid (const char *key)
{
  const char *q = key;

  /* The rules of g_key_file_is_key_name(), so the line it rejects is the
   * line this finds. */
  while (*q != '\0' && *q != '=' && *q != '[' && *q != ']')
    q = g_utf8_next_char (q);
  if (q == key || key[0] == ' ' || q[-1] == ' ')
    return FALSE;
  if (*q == '[')
    {
      q++;
      while (*q != '\0' && (g_unichar_isalnum (g_utf8_get_char (q)) ||
                            *q == '-' || *q == '_' || *q == '.' || *q == '@'))
        q = g_utf8_next_char (q);
      if (*q != ']')
        return FALSE;
      q++;
    }
  return *q == '\0';
}

/* Line @line_no (1-based) of @data without its end and surrounding
 * blanks; NULL when there is no such line. */
static char *
dup_line (const char *data,
          guint       line_no)
{
  const char *start = data;
  const char *end;

  if (line_no == 0)
    return NULL;
  for (guint i = 1; i < line_no; i++)
    {
      start = strchr (start, '\n');
      if (start == NULL)
        return NULL;
      start++;
    }
  end = strchr (start, '\n');
  return g_strstrip (end != NULL ? g_strndup (start, end - start) : g_strdup (start));
}

/* The line GKeyFile refused, found with its rules; 0 if none stands out. */
static guint
find_syntax_error_line (const char *data)
{
  g_autofree char *copy = g_strdup (data);
  char *cursor = copy;
  guint line_no = 0;
  gboolean in_group = FALSE;
  char *line;

  while ((line = next_line (&cursor, &line_no)) != NULL)
    {
      while (g_ascii_isspace (*line))
        line++;
      if (*line == '#' || *line == '\0')
        continue;

      if (*line == '[')
        {
          char *close = strchr (line, ']');

          if (close == NULL || close == line + 1)
            return line_no;
          for (char *q = line + 1; q < close; q++)
            if (*q == '[' || g_ascii_iscntrl (*q))
              return line_no;
          for (char *q = close + 1; *q != '\0'; q++)
            if (!g_ascii_isspace (*q))
              return line_no;
          in_group = TRUE;
          continue;
        }

      char *eq = strchr (line, '=');
      if (eq == NULL || eq == line || !in_group)
        return line_no;

      g_autofree char *key = g_strndup (line, eq - line);
      g_strchomp (key);
      if (!key_name_is_valid (key))
        return line_no;
    }

  return 0;
}

static void
scan (Parser     *p,
      const char *data)
{
  char *cursor;
  guint line_no = 0;
  char *line;

  p->scan_text = g_strdup (data);
  cursor = p->scan_text;

  while ((line = next_line (&cursor, &line_no)) != NULL)
    {
      while (g_ascii_isspace (*line))
        line++;
      if (*line == '#' || *line == '\0')
        continue;

      if (*line == '[')
        {
          ScanGroup group = { 0 };
          char *close = strchr (line, ']');

          /* GKeyFile accepted the text, so the header is well formed. */
          g_assert (close != NULL);
          group.name = g_strndup (line + 1, close - line - 1);
          group.line = line_no;
          group.first_key = p->keys->len;
          group.task = -1;
          g_array_append_val (p->groups, group);
          continue;
        }

      char *eq = strchr (line, '=');
      g_assert (eq != NULL && p->groups->len > 0);

      /* Keys point into scan_text: cut the line at the end of the key. */
      char *key_end = eq;
      while (key_end > line && g_ascii_isspace (key_end[-1]))
        key_end--;
      *key_end = '\0';

      ScanKey key = { 0 };
      char *bracket = strchr (line, '[');
      key.key = line;
      key.line = line_no;
      if (bracket != NULL)
        {
          key.base = g_strndup (line, bracket - line);
          /* "Name[ko]" → "ko": the bracket ends the key (GKeyFile checked). */
          key_end[-1] = '\0';
          key.locale = bracket + 1;
        }
      else
        key.base = g_strdup (line);
      g_array_append_val (p->keys, key);
      group_at (p, p->groups->len - 1)->n_keys++;
    }
}

/* The scanned key of a locale key cuts "Name[ko]" to "Name[ko" in place;
 * this gives the name GKeyFile knows it by. */
char *
_tl_parser_full_key (const ScanKey *key)
{
  if (key->locale == NULL)
    return g_strdup (key->key);
  return g_strdup_printf ("%s[%s]", key->base, key->locale);
}

/* Names and the format version ------------------------------------------ */

static gboolean
task_name_is_valid (const char *name)
{
  glong n_chars = 0;

  for (const char *q = name; *q != '\0'; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (!g_unichar_isalnum (c) && c != '_' && c != '-')
        return FALSE;
      n_chars++;
    }

  return n_chars >= 1 && n_chars <= MAX_NAME_CHARS;
}

static gboolean
check_format (Parser *p)
{
  ScanGroup *group = group_at (p, p->preset_group);
  g_autofree char *value = g_key_file_get_value (p->key_file, "Preset", "Format", NULL);
  guint line = group->line;
  guint64 format = 0;
  gboolean digits_only;

  for (guint k = 0; k < group->n_keys; k++)
    {
      ScanKey *key = key_at (p, group->first_key + k);
      if (key->locale == NULL && strcmp (key->base, "Format") == 0)
        line = key->line;
    }

  if (value == NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Format",
                            _("missing; the first key of every preset is “Format=1”"));

  g_strstrip (value);
  digits_only = value[0] != '\0';
  for (const char *q = value; *q != '\0'; q++)
    digits_only = digits_only && g_ascii_isdigit (*q);

  /* Any number too big to read is still a newer format. */
  if (digits_only && !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &format, NULL))
    format = G_MAXUINT64;

  if (!digits_only || format == 0)
    {
      g_autofree char *quoted = _tl_parser_quote (value);
      return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, "Preset", "Format",
                              _("expected the format version “1”, found “%s”"), quoted);
    }

  if (format > 1)
    return _tl_parser_fail (p, TL_PRESET_ERROR_VERSION, line, "Preset", "Format",
                            _("this preset was made for a newer Tasklanes (format %s); this version reads format 1. Update Tasklanes to open it"),
                            value);

  return TRUE;
}

/* Groups in file order ---------------------------------------------------- */

static gboolean
check_group_header (Parser    *p,
                    ScanGroup *group)
{
  if (strcmp (group->name, "Preset") == 0)
    return TRUE;

  if (g_str_has_prefix (group->name, "Task "))
    {
      const char *name = group->name + strlen ("Task ");
      g_autofree char *quoted = _tl_parser_quote (name);

      if (!task_name_is_valid (name))
        {
          if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                                    _("a task name has at most 64 characters, found %ld"),
                                    g_utf8_strlen (name, -1));
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                                  _("a task name is 1 to 64 letters, digits, “_” or “-”, found “%s”"),
                                  quoted);
        }
      return TRUE;
    }

  if (strcmp (group->name, "Task") == 0)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                            _("a task group needs a name: write [Task NAME], e.g. [Task main]"));

  /* "[task main]", "[Tsak main]", "[Tasks]"… */
  g_autofree char *first_word = g_strdup (group->name);
  char *space = strchr (first_word, ' ');
  if (space != NULL)
    *space = '\0';

  static const char * const group_words[] = { "Preset", "Task" };
  const char *suggestion = _tl_preset_suggest (first_word, group_words, G_N_ELEMENTS (group_words));

  if (suggestion != NULL && strcmp (suggestion, "Task") == 0 && space != NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                            _("unknown group; did you mean “[Task %s]”?"), space + 1);
  if (suggestion != NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                            _("unknown group; did you mean “[%s]”?"),
                            strcmp (suggestion, "Task") == 0 ? "Task NAME" : suggestion);
  return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                          _("unknown group; a preset has one [Preset] group, [Task NAME] groups and [Question NAME] groups"));
}

/* Entry point ------------------------------------------------------------- */

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->key_file, g_key_file_unref);
  g_clear_pointer (&p->scan_text, g_free);
  g_clear_pointer (&p->groups, g_array_unref);
  g_clear_pointer (&p->keys, g_array_unref);
  g_clear_pointer (&p->task_by_name, g_hash_table_unref);
  g_clear_pointer (&p->task_names, g_free);
  g_clear_pointer (&p->seen_gen, g_free);
  g_clear_pointer (&p->spawned_gen, g_free);
  g_clear_pointer (&p->on_path, g_free);
  g_clear_pointer (&p->first_parent, g_free);
}

static gboolean
find_duplicates (Parser *p)
{
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_task_groups = 0;

  for (guint g = 0; g < p->groups->len; g++)
    {
      ScanGroup *group = group_at (p, g);
      gpointer first;

      if (g_str_has_prefix (group->name, "Task "))
        {
          if (++n_task_groups > TL_PRESET_MAX_TASK_GROUPS)
            return _tl_parser_fail (p, TL_PRESET_ERROR_LIMIT, group->line, NULL, NULL,
                                    _("too many tasks: a preset has at most 10,000 [Task] groups, and this is one more"));
        }

      if (g_hash_table_lookup_extended (groups, group->name, NULL, &first))
        {
          ScanGroup *first_group = group_at (p, GPOINTER_TO_UINT (first));
          if (first_group->dup_line == 0)
            first_group->dup_line = group->line;
        }
      else
        g_hash_table_insert (groups, group->name, GUINT_TO_POINTER (g));

      g_hash_table_remove_all (keys);
      for (guint k = 0; k < group->n_keys; k++)
        {
          ScanKey *key = key_at (p, group->first_key + k);
          g_autofree char *full_key = _tl_parser_full_key (key);

          if (g_hash_table_lookup_extended (keys, full_key, NULL, &first))
            {
              ScanKey *first_key = key_at (p, GPOINTER_TO_UINT (first));
              if (first_key->dup_line == 0)
                first_key->dup_line = key->line;
            }
          else
            g_hash_table_insert (keys, g_steal_pointer (&full_key),
                                 GUINT_TO_POINTER (group->first_key + k));
        }
    }

  return TRUE;
}

TlPreset *
_tl_preset_parse (const char  *data,
                  gsize        length,
                  const char  *display,
                  const char  *file,
                  const char  *builtin_name,
                  GError     **error)
{
  Parser p = { 0 };
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = g_strndup (data, length);
  const char *body = text;
  const char *bad;

  p.display = display;
  p.error = error;
  p.preset_group = -1;

  if (!g_utf8_validate (text, length, &bad))
    {
      guint line = 1;
      const char *line_start = text;

      for (const char *q = text; q < bad; q++)
        if (*q == '\n')
          {
            line++;
            line_start = q + 1;
          }
      if (*bad == '\0')
        _tl_parser_fail (&p, TL_PRESET_ERROR_IO, line, NULL, NULL,
                         _("the file is not text: it contains a zero byte (column %u); save it as UTF-8 text"),
                         (guint) (bad - line_start) + 1);
      else
        _tl_parser_fail (&p, TL_PRESET_ERROR_IO, line, NULL, NULL,
                         _("the file is not UTF-8 text (byte 0x%02X in column %u); save it with the UTF-8 encoding"),
                         (guint) (guchar) *bad, (guint) (bad - line_start) + 1);
      return NULL;
    }

  /* Editors on some systems start UTF-8 files with a byte-order mark,
   * which GKeyFile would take for part of the first line. */
  if (g_str_has_prefix (body, "\xEF\xBB\xBF"))
    body += 3;

  p.key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (p.key_file, body, -1, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      guint bad_line = find_syntax_error_line (body);
      g_autofree char *bad_text = dup_line (body, bad_line);

      /* GLib's own "Invalid group name: " says neither what was found
       * nor what is expected. */
      if (bad_text != NULL && bad_text[0] == '[')
        _tl_parser_fail (&p, TL_PRESET_ERROR_SYNTAX, bad_line, NULL, NULL,
                         _("“%s” is not a valid group header; write [Preset] or [Task NAME]"), bad_text);
      else
        _tl_parser_fail (&p, TL_PRESET_ERROR_SYNTAX, bad_line, NULL, NULL,
                         "%s", local_error->message);
      parser_clear (&p);
      return NULL;
    }

  p.groups = g_array_new (FALSE, TRUE, sizeof (ScanGroup));
  g_array_set_clear_func (p.groups, scan_group_clear);
  p.keys = g_array_new (FALSE, TRUE, sizeof (ScanKey));
  g_array_set_clear_func (p.keys, scan_key_clear);
  scan (&p, body);

  if (!find_duplicates (&p))
    goto out;

  /* The [Preset] group and its Format come first whatever their place in
   * the file: a file for a newer format should say so, not fail on
   * whatever is new in it. */
  for (guint g = 0; g < p.groups->len; g++)
    if (strcmp (group_at (&p, g)->name, "Preset") == 0)
      {
        p.preset_group = (int) g;
        break;
      }
  if (p.preset_group < 0)
    {
      if (p.groups->len == 0)
        _tl_parser_fail (&p, TL_PRESET_ERROR_INVALID, 0, NULL, NULL,
                         _("the file is empty; a preset starts with a [Preset] group"));
      else
        _tl_parser_fail (&p, TL_PRESET_ERROR_INVALID, 0, NULL, NULL,
                         _("no [Preset] group; a preset starts with [Preset] and the keys Format, Name and Run"));
      goto out;
    }
  if (!check_format (&p))
    goto out;

  preset = g_new0 (TlPreset, 1);
  g_atomic_ref_count_init (&preset->ref_count);
  preset->file = g_strdup (file);
  preset->builtin_name = g_strdup (builtin_name);
  preset->text = g_steal_pointer (&text);
  preset->connections = 100;
  p.preset = preset;

  /* Number the tasks in file order before reading any group, so that
   * Children, Target and Run can name tasks defined further down. */
  p.task_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint g = 0; g < p.groups->len; g++)
    {
      ScanGroup *group = group_at (&p, g);
      const char *name = group->name + strlen ("Task ");

      if (!g_str_has_prefix (group->name, "Task ") ||
          g_hash_table_contains (p.task_by_name, name))
        continue;
      group->task = (int) g_hash_table_size (p.task_by_name);
      g_hash_table_insert (p.task_by_name, (gpointer) name,
                           GUINT_TO_POINTER (group->task + 1));
    }

  preset->n_tasks = g_hash_table_size (p.task_by_name);
  preset->tasks = g_new0 (TlTaskSpec, preset->n_tasks);
  p.task_names = g_new0 (const char *, preset->n_tasks + 1);
  for (guint g = 0; g < p.groups->len; g++)
    {
      ScanGroup *group = group_at (&p, g);
      TlTaskSpec *spec;

      if (group->task < 0)
        continue;
      spec = &preset->tasks[group->task];
      spec->name = g_strdup (group->name + strlen ("Task "));
      spec->line = group->line;
      spec->timeout_us = -1;
      spec->awaited = TRUE;
      spec->repeat = 1;
      spec->method = g_strdup ("GET");
      spec->max_bytes = TL_PRESET_DEFAULT_MAX_BYTES;
      spec->max_wait_us = -1;
      spec->return_when = TL_RETURN_ALL_COMPLETED;
      p.task_names[group->task] = spec->name;
    }

  /* Headers before keys: a misspelt "[task main]" explains the "no task
   * named main" that Run would report otherwise. */
  for (guint g = 0; g < p.groups->len; g++)
    {
      ScanGroup *group = group_at (&p, g);

      if (!check_group_header (&p, group))
        goto out;

      if (group->dup_line != 0)
        {
          _tl_parser_fail (&p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                           _("this group appears twice, on lines %u and %u; every group must be unique, so rename or merge one"),
                           group->line, group->dup_line);
          goto out;
        }
    }

  for (guint g = 0; g < p.groups->len; g++)
    {
      ScanGroup *group = group_at (&p, g);

      if ((int) g == p.preset_group)
        {
          if (!_tl_parser_read_preset_group (&p, group))
            goto out;
        }
      else if (!_tl_parser_read_task_group (&p, group))
        goto out;
    }

  if (!_tl_parser_check_sections (&p))
    goto out;

  parser_clear (&p);
  return g_steal_pointer (&preset);

out:
  parser_clear (&p);
  return NULL;
}
