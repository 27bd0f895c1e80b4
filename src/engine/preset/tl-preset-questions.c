/* tl-preset-questions.c — [Question NAME] groups: predict, then run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "core/tl-duration.h"
#include "preset/tl-preset-private.h"

/* Questions are an extension of format 1 that the task parser does not
 * know: it reads the file with the question groups' lines emptied (so its
 * line numbers stay true), and this file reads those groups afterwards,
 * when the tasks they name are known. The scan follows GKeyFile's rules
 * for lines, as the task parser's does. */

#define MAX_NAME_CHARS   64
#define MAX_QUOTED_CHARS 60
#define BOM              "\xEF\xBB\xBF"

typedef struct {
  char  *full;          /* "Prompt[ko]" */
  char  *base;          /* "Prompt" */
  char  *locale;        /* "ko" or NULL */
  guint  line;
  guint  dup_line;      /* line of a later copy of the same key, or 0 */
} QKey;

typedef struct {
  char   *name;         /* after "Question " */
  guint   line;
  guint   dup_line;     /* line of a later group with the same name, or 0 */
  guint   bad_line;     /* first line that is not "Key=Value", or 0 */
  GArray *keys;         /* QKey */
} QGroup;

struct _TlQuestionScan
{
  GArray *groups;       /* QGroup */
};

typedef enum {
  QK_KIND,
  QK_PROMPT,
  QK_EXPLANATION,
  QK_SECTION,
  QK_CHOICES,
  QK_TASK,
  QK_TOLERANCE,
  N_QUESTION_KEYS
} QuestionKey;

static const char * const question_keys[N_QUESTION_KEYS] = {
  "Kind", "Prompt", "Explanation", "Section", "Choices", "Task", "Tolerance",
};

static const char * const question_kinds[] = {
  "first-finished", "wall-time", "final-state", "result-order",
};

static const TlState final_states[] = {
  TL_STATE_OK, TL_STATE_FAILED, TL_STATE_CANCELLED, TL_STATE_TIMED_OUT,
  TL_STATE_NEVER_STARTED,
};

static void
qkey_clear (gpointer data)
{
  QKey *key = data;

  g_free (key->full);
  g_free (key->base);
  g_free (key->locale);
}

static void
qgroup_clear (gpointer data)
{
  QGroup *group = data;

  g_free (group->name);
  g_clear_pointer (&group->keys, g_array_unref);
}

void
_tl_question_scan_free (TlQuestionScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->groups, g_array_unref);
  g_free (scan);
}

void
_tl_question_clear (TlQuestion *question)
{
  g_free (question->name);
  g_free (question->prompt);
  g_free (question->explanation);
  for (guint i = 0; i < question->n_choices; i++)
    g_free (question->choices[i].label);
  g_free (question->choices);
  g_free (question->task.label);
  g_free (question->states);
  g_free (question->durations);
}

static char *
quote_value (const char *value)
{
  if (g_utf8_strlen (value, -1) <= MAX_QUOTED_CHARS)
    return g_strdup (value);

  g_autofree char *head = g_utf8_substring (value, 0, MAX_QUOTED_CHARS);
  return g_strconcat (head, "…", NULL);
}

/* The task parser's message shape: "FILE:LINE: [GROUP] KEY: detail". */
static gboolean question_fail (GError     **error,
                               const char  *display,
                               guint        line,
                               const char  *group,
                               const char  *key,
                               const char  *format,
                               ...) G_GNUC_PRINTF (6, 7);

static gboolean
question_fail (GError     **error,
               const char  *display,
               guint        line,
               const char  *group,
               const char  *key,
               const char  *format,
               ...)
{
  g_autoptr(GString) message = g_string_new (display);
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

  g_set_error_literal (error, TL_PRESET_ERROR, TL_PRESET_ERROR_INVALID, message->str);
  return FALSE;
}

static gboolean
name_is_valid (const char *name)
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

/* Scanning and masking ----------------------------------------------------- */

/* "[Question x]" is ours; "[question x]", "[Questions x]" and "[Qestion x]"
 * are ours misspelt, and said so here: the task parser would only call
 * them unknown. */
static gboolean
check_header (const char  *header,
              guint        line,
              const char  *display,
              gboolean    *is_question,
              GError     **error)
{
  g_autofree char *first_word = g_strdup (header);
  char *space = strchr (first_word, ' ');
  static const char * const words[] = { "Question" };

  *is_question = FALSE;
  if (space != NULL)
    *space = '\0';

  if (strcmp (first_word, "Question") == 0)
    {
      const char *name = space != NULL ? header + (space - first_word) + 1 : "";

      if (space == NULL)
        return question_fail (error, display, line, header, NULL,
                              _("a question group needs a name: write [Question NAME], e.g. [Question first]"));
      if (!name_is_valid (name))
        {
          g_autofree char *quoted = quote_value (name);
          return question_fail (error, display, line, header, NULL,
                                _("a question name is 1 to 64 letters, digits, “_” or “-”, found “%s”"),
                                quoted);
        }
      *is_question = TRUE;
      return TRUE;
    }

  /* Only a near miss of "Question" itself: "Preset" and "Task" typos are
   * the task parser's to explain. */
  if (strcmp (first_word, "Preset") != 0 && strcmp (first_word, "Task") != 0 &&
      _tl_preset_suggest (first_word, words, 1) != NULL &&
      _tl_preset_edit_distance (first_word, "Task") > 1 &&
      _tl_preset_edit_distance (first_word, "Preset") > 1)
    {
      if (space != NULL)
        return question_fail (error, display, line, header, NULL,
                              _("unknown group; did you mean “[Question %s]”?"),
                              header + (space - first_word) + 1);
      return question_fail (error, display, line, header, NULL,
                            _("unknown group; did you mean “[Question NAME]”?"));
    }

  return TRUE;
}

static void
add_key (QGroup *group,
         char   *line,
         char   *eq,
         guint   line_no)
{
  QKey key = { 0 };
  char *key_end = eq;
  char *bracket;

  while (key_end > line && g_ascii_isspace (key_end[-1]))
    key_end--;
  key.full = g_strndup (line, key_end - line);
  key.line = line_no;
  bracket = strchr (key.full, '[');
  if (bracket != NULL)
    {
      gsize len = strlen (key.full);

      key.base = g_strndup (key.full, bracket - key.full);
      if (len > 0 && key.full[len - 1] == ']')
        key.locale = g_strndup (bracket + 1, key.full + len - 1 - (bracket + 1));
      else
        key.locale = g_strdup (bracket + 1);
    }
  else
    key.base = g_strdup (key.full);

  for (guint k = 0; k < group->keys->len; k++)
    {
      QKey *earlier = &g_array_index (group->keys, QKey, k);
      if (earlier->dup_line == 0 && strcmp (earlier->full, key.full) == 0)
        earlier->dup_line = line_no;
    }
  g_array_append_val (group->keys, key);
}

char *
_tl_preset_mask_questions (const char      *data,
                           gsize            length,
                           const char      *display,
                           TlQuestionScan **out_scan,
                           GError         **error)
{
  g_autoptr(TlQuestionScan) scan = NULL;
  g_autoptr(GString) masked = NULL;
  g_autofree char *copy = NULL;
  gboolean in_question = FALSE;
  char *cursor;
  guint line_no = 0;

  *out_scan = NULL;

  /* Text that is not UTF-8 (or holds a zero byte) is the task parser's
   * to refuse, with its own message. */
  if (!g_utf8_validate (data, length, NULL))
    {
      char *unchanged = g_malloc (length + 1);

      memcpy (unchanged, data, length);
      unchanged[length] = '\0';
      return unchanged;
    }

  copy = g_strndup (data, length);
  masked = g_string_sized_new (length + 1);
  cursor = copy;
  if (g_str_has_prefix (cursor, BOM))
    {
      g_string_append (masked, BOM);
      cursor += strlen (BOM);
    }

  while (cursor != NULL)
    {
      char *end = strchr (cursor, '\n');
      char *line = cursor;
      gsize len;

      if (end != NULL)
        {
          *end = '\0';
          cursor = end + 1;
        }
      else
        cursor = NULL;
      line_no++;

      g_autofree char *original = g_strdup (line);
      len = strlen (line);
      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      while (g_ascii_isspace (*line))
        line++;

      if (*line == '[')
        {
          char *close = strchr (line, ']');
          gboolean is_question = FALSE;

          if (close != NULL)
            {
              g_autofree char *header = g_strndup (line + 1, close - line - 1);

              if (!check_header (header, line_no, display, &is_question, error))
                return NULL;
              if (is_question)
                {
                  QGroup group = { 0 };

                  if (scan == NULL)
                    {
                      scan = g_new0 (TlQuestionScan, 1);
                      scan->groups = g_array_new (FALSE, TRUE, sizeof (QGroup));
                      g_array_set_clear_func (scan->groups, qgroup_clear);
                    }
                  group.name = g_strdup (header + strlen ("Question "));
                  group.line = line_no;
                  group.keys = g_array_new (FALSE, TRUE, sizeof (QKey));
                  g_array_set_clear_func (group.keys, qkey_clear);
                  for (guint g = 0; g < scan->groups->len; g++)
                    {
                      QGroup *earlier = &g_array_index (scan->groups, QGroup, g);
                      if (earlier->dup_line == 0 && strcmp (earlier->name, group.name) == 0)
                        earlier->dup_line = line_no;
                    }
                  g_array_append_val (scan->groups, group);
                }
            }
          in_question = is_question;
        }
      else if (in_question && *line != '#' && *line != '\0')
        {
          QGroup *group = &g_array_index (scan->groups, QGroup, scan->groups->len - 1);
          char *eq = strchr (line, '=');

          if (eq == NULL || eq == line)
            {
              if (group->bad_line == 0)
                group->bad_line = line_no;
            }
          else
            add_key (group, line, eq, line_no);
        }

      if (!in_question)
        g_string_append (masked, original);
      if (cursor != NULL)
        g_string_append_c (masked, '\n');
    }

  *out_scan = g_steal_pointer (&scan);
  return g_string_free (g_steal_pointer (&masked), FALSE);
}

/* Reading ------------------------------------------------------------------ */

typedef struct {
  TlPreset     *preset;
  GKeyFile     *key_file;
  const char   *display;
  GError      **error;
  GHashTable   *task_by_name;   /* name → index + 1 */
  const char  **task_names;
  gboolean    **in_section;     /* [section][task]: the task runs in it */
} Reader;

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->key_file, g_key_file_unref);
  g_clear_pointer (&r->task_by_name, g_hash_table_unref);
  g_clear_pointer (&r->task_names, g_free);
  if (r->in_section != NULL)
    for (guint s = 0; s < r->preset->n_sections; s++)
      g_free (r->in_section[s]);
  g_clear_pointer (&r->in_section, g_free);
}

/* Which tasks each section runs: its tree of children, spawned targets
 * included. */
static void
mark_sections (Reader *r)
{
  TlPreset *preset = r->preset;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  r->in_section = g_new0 (gboolean *, preset->n_sections);
  for (guint s = 0; s < preset->n_sections; s++)
    {
      gboolean *seen = g_new0 (gboolean, preset->n_tasks);

      r->in_section[s] = seen;
      g_array_set_size (stack, 0);
      g_array_append_val (stack, preset->sections[s]);
      while (stack->len > 0)
        {
          guint task = g_array_index (stack, guint, stack->len - 1);
          const TlTaskSpec *spec = &preset->tasks[task];

          g_array_set_size (stack, stack->len - 1);
          if (seen[task])
            continue;
          seen[task] = TRUE;
          for (guint c = 0; c < spec->n_children; c++)
            g_array_append_val (stack, spec->children[c]);
          if (spec->kind == TL_KIND_SPAWN || spec->kind == TL_KIND_AWAIT)
            g_array_append_val (stack, spec->target);
        }
    }
}

static const QKey *
find_qkey (const QGroup *group,
           const char   *base)
{
  for (guint k = 0; k < group->keys->len; k++)
    {
      const QKey *key = &g_array_index (group->keys, QKey, k);
      if (key->locale == NULL && strcmp (key->base, base) == 0)
        return key;
    }
  return NULL;
}

static char *
read_qvalue (Reader       *r,
             const QGroup *group,
             const QKey   *key,
             const char   *display_group)
{
  g_autofree char *group_name = g_strconcat ("Question ", group->name, NULL);
  g_autoptr(GError) local_error = NULL;
  char *value = g_key_file_get_string (r->key_file, group_name, key->full, &local_error);

  if (local_error != NULL || value == NULL)
    {
      g_autofree char *raw = g_key_file_get_value (r->key_file, group_name, key->full, NULL);
      g_autofree char *quoted = quote_value (raw != NULL ? raw : "");

      g_free (value);
      question_fail (r->error, r->display, key->line, display_group, key->full,
                     _("the value has a “\\” that does not start an escape (\\s, \\n, \\t, \\r or \\\\), found “%s”"),
                     quoted);
      return NULL;
    }
  return value;
}

/* Items of a ";" list, trimmed; FALSE when one is empty (a trailing ";"
 * is how GKeyFile writes lists and is allowed). */
static GStrv
split_items (const char *value,
             gboolean   *has_empty)
{
  g_auto(GStrv) raw = g_strsplit (value, ";", -1);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length (raw);

  *has_empty = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_strstrip (raw[i]);
      if (raw[i][0] == '\0')
        {
          if (!(i == n - 1 && i > 0))
            *has_empty = TRUE;
          continue;
        }
      g_ptr_array_add (items, g_strdup (raw[i]));
    }
  g_ptr_array_add (items, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&items), FALSE);
}

/* "NAME" or "NAME#COPY" → a task instance that runs in some section. */
static gboolean
resolve_task_ref (Reader     *r,
                  guint       line,
                  const char *group,
                  const char *key,
                  const char *text,
                  TlTaskRef  *out)
{
  g_autofree char *name = g_strdup (text);
  g_autofree char *quoted = quote_value (text);
  char *hash = strchr (name, '#');
  guint64 copy = 0;
  gpointer value;
  const TlTaskSpec *spec;

  if (hash != NULL)
    {
      *hash = '\0';
      if (!g_ascii_isdigit (hash[1]) ||
          !g_ascii_string_to_unsigned (hash + 1, 10, 1, G_MAXUINT, &copy, NULL))
        return question_fail (r->error, r->display, line, group, key,
                              _("expected a task name, or NAME#N for copy N of a repeated task, found “%s”"),
                              quoted);
    }

  if (!g_hash_table_lookup_extended (r->task_by_name, name, NULL, &value))
    {
      g_autofree char *quoted_name = quote_value (name);
      const char *suggestion = _tl_preset_suggest (name, r->task_names, r->preset->n_tasks);

      if (suggestion != NULL)
        return question_fail (r->error, r->display, line, group, key,
                              _("no task named “%s”; did you mean “%s”?"),
                              quoted_name, suggestion);
      return question_fail (r->error, r->display, line, group, key,
                            _("no task named “%s”; name one of the preset’s [Task NAME] groups"),
                            quoted_name);
    }

  out->spec = GPOINTER_TO_UINT (value) - 1;
  spec = &r->preset->tasks[out->spec];
  if (copy == 0 && spec->repeat > 1)
    return question_fail (r->error, r->display, line, group, key,
                          _("task “%s” is repeated %u times; name one copy, “%s#1” to “%s#%u”"),
                          spec->name, spec->repeat, spec->name, spec->name, spec->repeat);
  if (copy > spec->repeat)
    {
      if (spec->repeat == 1)
        return question_fail (r->error, r->display, line, group, key,
                              _("task “%s” is not repeated; write “%s” without “#”"),
                              spec->name, spec->name);
      return question_fail (r->error, r->display, line, group, key,
                            _("task “%s” has copies #1 to #%u, found “%s”"),
                            spec->name, spec->repeat, quoted);
    }
  out->copy = copy == 0 ? 1 : (guint) copy;
  return TRUE;
}

static gboolean
fail_not_for_kind (Reader     *r,
                   const QKey *key,
                   const char *group,
                   const char *kind)
{
  return question_fail (r->error, r->display, key->line, group, key->full,
                        _("a %s question does not use this key; see the table of question kinds in the preset format"),
                        kind);
}

static gboolean
parse_section (Reader       *r,
               const QGroup *group,
               const char   *display_group,
               TlQuestion   *q,
               gboolean     *given)
{
  const QKey *key = find_qkey (group, "Section");
  g_autofree char *value = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  *given = FALSE;
  if (key == NULL)
    return TRUE;
  value = read_qvalue (r, group, key, display_group);
  if (value == NULL)
    return FALSE;
  g_strstrip (value);

  for (guint s = 0; s < r->preset->n_sections; s++)
    {
      const char *name = r->preset->tasks[r->preset->sections[s]].name;

      if (strcmp (name, value) == 0)
        {
          q->section = s;
          *given = TRUE;
          return TRUE;
        }
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }

  g_autofree char *quoted = quote_value (value);
  return question_fail (r->error, r->display, key->line, display_group, key->full,
                        _("expected one of the sections in [Preset] Run (%s), found “%s”"),
                        names->str, quoted);
}

/* Puts the question in the section given, or in the first that runs all
 * the tasks it names. */
static gboolean
place_in_section (Reader       *r,
                  const QGroup *group,
                  const char   *display_group,
                  TlQuestion   *q,
                  gboolean      section_given,
                  const QKey   *refs_key)
{
  guint n_refs = q->n_choices + (q->task.label != NULL ? 1 : 0);

  for (guint s = 0; s < r->preset->n_sections; s++)
    {
      gboolean all = TRUE;

      if (section_given && s != q->section)
        continue;
      for (guint i = 0; i < q->n_choices && all; i++)
        all = r->in_section[s][q->choices[i].spec];
      if (q->task.label != NULL)
        all = all && r->in_section[s][q->task.spec];
      if (all)
        {
          q->section = s;
          return TRUE;
        }
    }

  for (guint i = 0; i < n_refs; i++)
    {
      const TlTaskRef *ref = i < q->n_choices ? &q->choices[i] : &q->task;
      gboolean anywhere = FALSE;

      for (guint s = 0; s < r->preset->n_sections; s++)
        if ((!section_given || s == q->section) && r->in_section[s][ref->spec])
          anywhere = TRUE;
      if (!anywhere && section_given)
        return question_fail (r->error, r->display, refs_key->line, display_group, refs_key->full,
                              _("task “%s” does not run in section “%s”"),
                              r->preset->tasks[ref->spec].name,
                              r->preset->tasks[r->preset->sections[q->section]].name);
      if (!anywhere)
        return question_fail (r->error, r->display, refs_key->line, display_group, refs_key->full,
                              _("task “%s” is not under any task in [Preset] Run, so it never runs"),
                              r->preset->tasks[ref->spec].name);
    }

  return question_fail (r->error, r->display, refs_key->line, display_group, refs_key->full,
                        _("these tasks never run in the same section; ask about tasks of one section"));
}

static gboolean
parse_choices_tasks (Reader       *r,
                     const QGroup *group,
                     const char   *display_group,
                     const QKey   *key,
                     const char   *value,
                     TlQuestion   *q)
{
  gboolean has_empty;
  g_auto(GStrv) items = split_items (value, &has_empty);
  guint n = g_strv_length (items);
  g_autofree char *quoted = quote_value (value);

  if (has_empty || n < 2 || n > TL_PRESET_MAX_CHOICES)
    return question_fail (r->error, r->display, key->line, display_group, key->full,
                          _("expected 2 to 20 task names separated by “;”, found “%s”"),
                          quoted);

  q->choices = g_new0 (TlTaskRef, n);
  for (guint i = 0; i < n; i++)
    {
      if (!resolve_task_ref (r, key->line, display_group, key->full, items[i], &q->choices[i]))
        return FALSE;
      q->n_choices = i + 1;
      q->choices[i].label = tl_preset_expand (r->preset->tasks[q->choices[i].spec].label,
                                              q->choices[i].copy);
      for (guint j = 0; j < i; j++)
        if (q->choices[j].spec == q->choices[i].spec && q->choices[j].copy == q->choices[i].copy)
          {
            g_autofree char *item = quote_value (items[i]);
            return question_fail (r->error, r->display, key->line, display_group, key->full,
                                  _("“%s” is given twice; each choice names a different task"),
                                  item);
          }
    }
  return TRUE;
}

static gboolean
parse_choices_durations (Reader     *r,
                         const char *display_group,
                         const QKey *key,
                         const char *value,
                         TlQuestion *q)
{
  gboolean has_empty;
  g_auto(GStrv) items = split_items (value, &has_empty);
  guint n = g_strv_length (items);
  g_autofree char *quoted = quote_value (value);

  if (has_empty || n < 2 || n > TL_PRESET_MAX_CHOICES)
    return question_fail (r->error, r->display, key->line, display_group, key->full,
                          _("expected 2 to 20 durations separated by “;”, like “1s;2s;3s”, found “%s”"),
                          quoted);

  q->durations = g_new0 (gint64, n);
  q->n_durations = n;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item = quote_value (items[i]);

      if (!tl_duration_parse (items[i], &q->durations[i]) ||
          q->durations[i] > TL_PRESET_MAX_DURATION_US)
        return question_fail (r->error, r->display, key->line, display_group, key->full,
                              _("expected durations like “250ms”, “1.5s” or “2m” (0 to 1 hour), found “%s”"),
                              item);
      for (guint j = 0; j < i; j++)
        if (q->durations[j] == q->durations[i])
          return question_fail (r->error, r->display, key->line, display_group, key->full,
                                _("“%s” is given twice; each choice is a different duration"),
                                item);
    }
  return TRUE;
}

static gboolean
parse_choices_states (Reader     *r,
                      const char *display_group,
                      const QKey *key,
                      const char *value,
                      TlQuestion *q)
{
  gboolean has_empty;
  g_auto(GStrv) items = split_items (value, &has_empty);
  guint n = g_strv_length (items);
  g_autofree char *quoted = quote_value (value);

  if (has_empty || n < 2 || n > G_N_ELEMENTS (final_states))
    return question_fail (r->error, r->display, key->line, display_group, key->full,
                          _("expected 2 to 5 final states separated by “;”, like “ok;timed-out”, found “%s”"),
                          quoted);

  q->states = g_new0 (TlState, n);
  q->n_states = n;
  for (guint i = 0; i < n; i++)
    {
      int state = tl_state_from_string (items[i]);
      g_autofree char *item = quote_value (items[i]);

      if (state < 0 || !TL_STATE_IS_FINAL (state))
        return question_fail (r->error, r->display, key->line, display_group, key->full,
                              _("expected ok, failed, cancelled, timed-out or never-started, found “%s”"),
                              item);
      q->states[i] = state;
      for (guint j = 0; j < i; j++)
        if (q->states[j] == q->states[i])
          return question_fail (r->error, r->display, key->line, display_group, key->full,
                                _("“%s” is given twice; each choice is a different state"),
                                item);
    }
  return TRUE;
}

/* result-order: the choices are the gather's children, as it passes them. */
static void
add_gather_children (Reader     *r,
                     TlQuestion *q)
{
  const TlTaskSpec *gather = &r->preset->tasks[q->task.spec];
  g_autoptr(GArray) refs = g_array_new (FALSE, TRUE, sizeof (TlTaskRef));

  for (guint c = 0; c < gather->n_children; c++)
    {
      const TlTaskSpec *child = &r->preset->tasks[gather->children[c]];

      for (guint copy = 1; copy <= child->repeat && refs->len < TL_PRESET_MAX_CHOICES; copy++)
        {
          TlTaskRef ref = { gather->children[c], copy, tl_preset_expand (child->label, copy) };
          g_array_append_val (refs, ref);
        }
    }
  q->n_choices = refs->len;
  /* g_array_free () returns the element block, allocated for TlTaskRef. */
  q->choices = (TlTaskRef *) (void *) g_array_free (g_steal_pointer (&refs), FALSE);
}

static guint
count_children (const TlPreset   *preset,
                const TlTaskSpec *gather)
{
  guint n = 0;

  for (guint c = 0; c < gather->n_children; c++)
    n += preset->tasks[gather->children[c]].repeat;
  return n;
}

static gboolean
parse_group (Reader       *r,
             const QGroup *group,
             TlQuestion   *q)
{
  g_autofree char *display_group = g_strconcat ("Question ", group->name, NULL);
  g_autofree char *kind_value = NULL;
  const QKey *kind_key = find_qkey (group, "Kind");
  const QKey *choices_key = find_qkey (group, "Choices");
  const QKey *task_key = find_qkey (group, "Task");
  const QKey *tolerance_key = find_qkey (group, "Tolerance");
  gboolean section_given;
  int kind = -1;

  q->name = g_strdup (group->name);
  q->line = group->line;
  q->tolerance_us = -1;

  if (group->dup_line != 0)
    return question_fail (r->error, r->display, group->line, display_group, NULL,
                          _("this group appears twice, on lines %u and %u; every group must be unique, so rename or merge one"),
                          group->line, group->dup_line);
  if (group->bad_line != 0)
    return question_fail (r->error, r->display, group->bad_line, display_group, NULL,
                          _("expected a “Key=Value” line"));

  for (guint k = 0; k < group->keys->len; k++)
    {
      const QKey *key = &g_array_index (group->keys, QKey, k);
      g_autofree char *value = NULL;
      gboolean known = FALSE;

      if (key->dup_line != 0)
        return question_fail (r->error, r->display, key->line, display_group, key->full,
                              _("given twice, on lines %u and %u; keep one"),
                              key->line, key->dup_line);
      for (guint i = 0; i < N_QUESTION_KEYS; i++)
        known = known || strcmp (key->base, question_keys[i]) == 0;
      if (!known)
        {
          const char *suggestion = _tl_preset_suggest (key->base, question_keys, N_QUESTION_KEYS);

          if (suggestion != NULL)
            return question_fail (r->error, r->display, key->line, display_group, key->full,
                                  _("unknown key; did you mean “%s”?"), suggestion);
          return question_fail (r->error, r->display, key->line, display_group, key->full,
                                _("unknown key; [Question NAME] accepts Kind, Prompt, Explanation, Section, Choices, Task and Tolerance"));
        }
      if (key->locale != NULL && strcmp (key->base, "Prompt") != 0 &&
          strcmp (key->base, "Explanation") != 0)
        return question_fail (r->error, r->display, key->line, display_group, key->full,
                              _("%s cannot be translated; only Prompt and Explanation can have a [language] suffix"),
                              key->base);

      value = read_qvalue (r, group, key, display_group);
      if (value == NULL)
        return FALSE;
      g_strstrip (value);
      if (value[0] == '\0')
        return question_fail (r->error, r->display, key->line, display_group, key->full,
                              key->locale != NULL
                              ? _("the translation is empty; give the text or remove the line")
                              : _("the value is empty; give one or remove the line"));
    }

  if (kind_key == NULL)
    return question_fail (r->error, r->display, group->line, display_group, "Kind",
                          _("missing; a question needs Kind=first-finished, wall-time, final-state or result-order"));
  kind_value = read_qvalue (r, group, kind_key, display_group);
  g_strstrip (kind_value);
  for (guint i = 0; i < G_N_ELEMENTS (question_kinds); i++)
    if (strcmp (kind_value, question_kinds[i]) == 0)
      kind = (int) i;
  if (kind < 0)
    {
      g_autofree char *quoted = quote_value (kind_value);
      g_autofree char *normal = g_ascii_strdown (kind_value, -1);
      const char *suggestion;

      g_strdelimit (normal, "_ ", '-');
      suggestion = _tl_preset_suggest (normal, question_kinds, G_N_ELEMENTS (question_kinds));
      if (suggestion != NULL)
        return question_fail (r->error, r->display, kind_key->line, display_group, "Kind",
                              _("expected first-finished, wall-time, final-state or result-order, found “%s”; did you mean “%s”?"),
                              quoted, suggestion);
      return question_fail (r->error, r->display, kind_key->line, display_group, "Kind",
                            _("expected first-finished, wall-time, final-state or result-order, found “%s”"),
                            quoted);
    }
  q->kind = kind;

  if (find_qkey (group, "Prompt") == NULL)
    return question_fail (r->error, r->display, group->line, display_group, "Prompt",
                          _("missing; give the question put to the learner before the run"));
  if (find_qkey (group, "Explanation") == NULL)
    return question_fail (r->error, r->display, group->line, display_group, "Explanation",
                          _("missing; give the explanation shown beside the outcome after the run"));

  {
    g_autofree char *group_name = g_strconcat ("Question ", group->name, NULL);
    q->prompt = g_key_file_get_locale_string (r->key_file, group_name, "Prompt", NULL, NULL);
    q->explanation = g_key_file_get_locale_string (r->key_file, group_name, "Explanation", NULL, NULL);
  }

  if (!parse_section (r, group, display_group, q, &section_given))
    return FALSE;

  switch (q->kind)
    {
    case TL_QUESTION_FIRST_FINISHED:
      {
        g_autofree char *value = NULL;

        if (task_key != NULL)
          return fail_not_for_kind (r, task_key, display_group, "first-finished");
        if (tolerance_key != NULL)
          return fail_not_for_kind (r, tolerance_key, display_group, "first-finished");
        if (choices_key == NULL)
          return question_fail (r->error, r->display, group->line, display_group, "Choices",
                                _("missing; list the tasks that race, e.g. “Choices=fast;slow”"));
        value = read_qvalue (r, group, choices_key, display_group);
        if (!parse_choices_tasks (r, group, display_group, choices_key, value, q))
          return FALSE;
        return place_in_section (r, group, display_group, q, section_given, choices_key);
      }

    case TL_QUESTION_WALL_TIME:
      if (task_key != NULL)
        return fail_not_for_kind (r, task_key, display_group, "wall-time");
      q->whole_run = !section_given;
      if (choices_key != NULL)
        {
          g_autofree char *value = read_qvalue (r, group, choices_key, display_group);
          if (!parse_choices_durations (r, display_group, choices_key, value, q))
            return FALSE;
        }
      if (tolerance_key != NULL)
        {
          g_autofree char *value = read_qvalue (r, group, tolerance_key, display_group);
          g_autofree char *quoted = NULL;

          g_strstrip (value);
          quoted = quote_value (value);
          if (choices_key != NULL)
            return question_fail (r->error, r->display, tolerance_key->line, display_group, "Tolerance",
                                  _("a question with Choices is graded by the nearest choice; remove Tolerance or Choices"));
          if (!tl_duration_parse (value, &q->tolerance_us) ||
              q->tolerance_us > TL_PRESET_MAX_DURATION_US)
            return question_fail (r->error, r->display, tolerance_key->line, display_group, "Tolerance",
                                  _("expected a duration like “250ms”, “1.5s” or “2m” (0 to 1 hour), found “%s”"),
                                  quoted);
        }
      return TRUE;

    case TL_QUESTION_FINAL_STATE:
    case TL_QUESTION_RESULT_ORDER:
      {
        const char *kind_name = question_kinds[q->kind];
        g_autofree char *value = NULL;

        if (tolerance_key != NULL)
          return fail_not_for_kind (r, tolerance_key, display_group, kind_name);
        if (q->kind == TL_QUESTION_RESULT_ORDER && choices_key != NULL)
          return question_fail (r->error, r->display, choices_key->line, display_group, "Choices",
                                _("a result-order question takes its choices from the children of its Task; remove Choices"));
        if (task_key == NULL)
          return question_fail (r->error, r->display, group->line, display_group, "Task",
                                q->kind == TL_QUESTION_FINAL_STATE
                                ? _("missing; name the task whose final state is asked, e.g. “Task=slow”")
                                : _("missing; name the gather whose results are ordered, e.g. “Task=main”"));
        value = read_qvalue (r, group, task_key, display_group);
        g_strstrip (value);
        if (!resolve_task_ref (r, task_key->line, display_group, "Task", value, &q->task))
          return FALSE;
        q->task.label = tl_preset_expand (r->preset->tasks[q->task.spec].label, q->task.copy);

        if (q->kind == TL_QUESTION_RESULT_ORDER)
          {
            const TlTaskSpec *gather = &r->preset->tasks[q->task.spec];
            guint n = gather->kind == TL_KIND_GATHER ? count_children (r->preset, gather) : 0;

            if (gather->kind != TL_KIND_GATHER)
              return question_fail (r->error, r->display, task_key->line, display_group, "Task",
                                    _("task “%s” is a %s; a result-order question asks about a gather’s list of results"),
                                    gather->name, tl_kind_to_string (gather->kind));
            if (n < 2 || n > TL_PRESET_MAX_CHOICES)
              return question_fail (r->error, r->display, task_key->line, display_group, "Task",
                                    _("the gather “%s” has %u children; a result-order question needs 2 to 20"),
                                    gather->name, n);
          }
        else if (choices_key != NULL)
          {
            g_autofree char *choices = read_qvalue (r, group, choices_key, display_group);
            if (!parse_choices_states (r, display_group, choices_key, choices, q))
              return FALSE;
          }
        if (q->kind == TL_QUESTION_FINAL_STATE && q->n_states == 0)
          {
            q->n_states = G_N_ELEMENTS (final_states);
            q->states = g_memdup2 (final_states, sizeof final_states);
          }

        if (!place_in_section (r, group, display_group, q, section_given, task_key))
          return FALSE;
        if (q->kind == TL_QUESTION_RESULT_ORDER)
          add_gather_children (r, q);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gboolean
_tl_preset_parse_questions (TlPreset        *preset,
                            TlQuestionScan  *scan,
                            const char      *display,
                            GError         **error)
{
  Reader r = { 0 };
  g_autoptr(GError) local_error = NULL;
  const char *text = preset->text;
  guint n = scan->groups->len;

  r.preset = preset;
  r.display = display;
  r.error = error;

  if (n > TL_PRESET_MAX_QUESTIONS)
    {
      QGroup *group = &g_array_index (scan->groups, QGroup, TL_PRESET_MAX_QUESTIONS);
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_LIMIT,
                   _("%s:%u: too many questions: a preset has at most 100 [Question] groups, and this is one more"),
                   display, group->line);
      return FALSE;
    }

  if (g_str_has_prefix (text, BOM))
    text += strlen (BOM);
  r.key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (r.key_file, text, -1, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      /* The task parser read the rest, so the fault is in a question
       * group; the scan knows the first line that is not Key=Value. */
      for (guint g = 0; g < n; g++)
        {
          QGroup *group = &g_array_index (scan->groups, QGroup, g);
          g_autofree char *display_group = g_strconcat ("Question ", group->name, NULL);

          if (group->bad_line != 0)
            return question_fail (error, display, group->bad_line, display_group, NULL,
                                  _("expected a “Key=Value” line"));
        }
      question_fail (error, display, 0, NULL, NULL, "%s", local_error->message);
      reader_clear (&r);
      return FALSE;
    }

  r.task_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  r.task_names = g_new0 (const char *, preset->n_tasks + 1);
  for (guint i = 0; i < preset->n_tasks; i++)
    {
      g_hash_table_insert (r.task_by_name, preset->tasks[i].name, GUINT_TO_POINTER (i + 1));
      r.task_names[i] = preset->tasks[i].name;
    }
  mark_sections (&r);

  preset->questions = g_new0 (TlQuestion, n);
  for (guint g = 0; g < n; g++)
    {
      preset->n_questions = g + 1;
      if (!parse_group (&r, &g_array_index (scan->groups, QGroup, g), &preset->questions[g]))
        {
          reader_clear (&r);
          return FALSE;
        }
    }

  reader_clear (&r);
  return TRUE;
}
