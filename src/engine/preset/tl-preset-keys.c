/* tl-preset-keys.c — the keys of [Preset] and [Task NAME] groups and their values
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "core/tl-duration.h"
#include "preset/tl-preset-parser.h"

#define KIND_BIT(k)   (1u << (k))
#define LEAVES        (KIND_BIT (TL_KIND_SLEEP) | KIND_BIT (TL_KIND_FETCH) | \
                       KIND_BIT (TL_KIND_BLOCKING) | KIND_BIT (TL_KIND_CPU))
#define PARENTS       (KIND_BIT (TL_KIND_SEQUENCE) | KIND_BIT (TL_KIND_GATHER) | \
                       KIND_BIT (TL_KIND_WAIT))
#define REFERRERS     (KIND_BIT (TL_KIND_SPAWN) | KIND_BIT (TL_KIND_AWAIT))
#define ALL_KINDS     (LEAVES | PARENTS | REFERRERS)

typedef enum {
  VALUE_STRING,
  VALUE_DURATION,
  VALUE_BOOLEAN,
  VALUE_INTEGER,
  VALUE_NAME_LIST,
  VALUE_NAME,
  VALUE_SPECIAL,       /* checked by its own code */
} ValueType;

typedef enum {
  TK_KIND,
  TK_LABEL,
  TK_TIMEOUT,
  TK_CATCH,
  TK_AWAITED,
  TK_FAIL,
  TK_RESULT,
  TK_REPEAT,
  TK_DURATION,
  TK_ON,
  TK_URL,
  TK_METHOD,
  TK_BODY,
  TK_EXPECT_STATUS,
  TK_MAX_BYTES,
  TK_WORK,
  TK_CHILDREN,
  TK_RETURN_EXCEPTIONS,
  TK_CANCEL_ON_ERROR,
  TK_RETURN_WHEN,
  TK_MAX_WAIT,
  TK_CANCEL_PENDING,
  TK_TARGET,
  N_TASK_KEYS
} TaskKey;

typedef struct {
  const char *name;
  guint       kinds;
  ValueType   type;
  gboolean    translatable;
  gint64      min;
  gint64      max;
} KeyInfo;

static const KeyInfo task_keys[N_TASK_KEYS] = {
  [TK_KIND]              = { "Kind",             ALL_KINDS,              VALUE_SPECIAL },
  [TK_LABEL]             = { "Label",            ALL_KINDS,              VALUE_STRING, TRUE },
  [TK_TIMEOUT]           = { "Timeout",          ALL_KINDS,              VALUE_DURATION },
  [TK_CATCH]             = { "Catch",            ALL_KINDS,              VALUE_BOOLEAN },
  [TK_AWAITED]           = { "Awaited",          ALL_KINDS,              VALUE_BOOLEAN },
  [TK_FAIL]              = { "Fail",             LEAVES,                 VALUE_STRING, TRUE },
  [TK_RESULT]            = { "Result",           LEAVES,                 VALUE_STRING, TRUE },
  [TK_REPEAT]            = { "Repeat",           LEAVES,                 VALUE_INTEGER, FALSE, 1, 1000000 },
  [TK_DURATION]          = { "Duration",         KIND_BIT (TL_KIND_SLEEP) | KIND_BIT (TL_KIND_BLOCKING), VALUE_DURATION },
  [TK_ON]                = { "On",               LEAVES,                 VALUE_SPECIAL },
  [TK_URL]               = { "Url",              KIND_BIT (TL_KIND_FETCH), VALUE_SPECIAL },
  [TK_METHOD]            = { "Method",           KIND_BIT (TL_KIND_FETCH), VALUE_SPECIAL },
  [TK_BODY]              = { "Body",             KIND_BIT (TL_KIND_FETCH), VALUE_STRING },
  [TK_EXPECT_STATUS]     = { "ExpectStatus",     KIND_BIT (TL_KIND_FETCH), VALUE_SPECIAL },
  [TK_MAX_BYTES]         = { "MaxBytes",         KIND_BIT (TL_KIND_FETCH), VALUE_SPECIAL },
  [TK_WORK]              = { "Work",             KIND_BIT (TL_KIND_CPU), VALUE_DURATION },
  [TK_CHILDREN]          = { "Children",         PARENTS,                VALUE_NAME_LIST },
  [TK_RETURN_EXCEPTIONS] = { "ReturnExceptions", KIND_BIT (TL_KIND_GATHER), VALUE_BOOLEAN },
  [TK_CANCEL_ON_ERROR]   = { "CancelOnError",    KIND_BIT (TL_KIND_GATHER), VALUE_BOOLEAN },
  [TK_RETURN_WHEN]       = { "ReturnWhen",       KIND_BIT (TL_KIND_WAIT), VALUE_SPECIAL },
  [TK_MAX_WAIT]          = { "MaxWait",          KIND_BIT (TL_KIND_WAIT), VALUE_DURATION },
  [TK_CANCEL_PENDING]    = { "CancelPending",    KIND_BIT (TL_KIND_WAIT), VALUE_BOOLEAN },
  [TK_TARGET]            = { "Target",           REFERRERS,              VALUE_NAME },
};

typedef enum {
  PK_FORMAT,
  PK_NAME,
  PK_DESCRIPTION,
  PK_RUN,
  PK_THREADS,
  PK_PROCESSES,
  PK_CONNECTIONS,
  PK_GIL,
  PK_CATEGORY,
  N_PRESET_KEYS
} PresetKey;

static const KeyInfo preset_keys[N_PRESET_KEYS] = {
  [PK_FORMAT]      = { "Format",      0, VALUE_SPECIAL },
  [PK_NAME]        = { "Name",        0, VALUE_STRING, TRUE },
  [PK_DESCRIPTION] = { "Description", 0, VALUE_STRING, TRUE },
  [PK_RUN]         = { "Run",         0, VALUE_NAME_LIST },
  [PK_THREADS]     = { "Threads",     0, VALUE_INTEGER, FALSE, 1, 256 },
  [PK_PROCESSES]   = { "Processes",   0, VALUE_INTEGER, FALSE, 1, 64 },
  [PK_CONNECTIONS] = { "Connections", 0, VALUE_INTEGER, FALSE, 1, 10000 },
  [PK_GIL]         = { "GIL",         0, VALUE_BOOLEAN },
  [PK_CATEGORY]    = { "Category",    0, VALUE_STRING },
};

/* Required key of each kind, shown with an example when it is missing. */
static const struct {
  TaskKey     key;
  const char *example;
} required_keys[TL_N_KINDS] = {
  [TL_KIND_SLEEP]    = { TK_DURATION, "Duration=1s" },
  [TL_KIND_FETCH]    = { TK_URL,      "Url=/delay/1" },
  [TL_KIND_BLOCKING] = { TK_DURATION, "Duration=500ms" },
  [TL_KIND_CPU]      = { TK_WORK,     "Work=250ms" },
  [TL_KIND_SEQUENCE] = { TK_CHILDREN, "Children=first;second" },
  [TL_KIND_GATHER]   = { TK_CHILDREN, "Children=first;second" },
  [TL_KIND_WAIT]     = { TK_CHILDREN, "Children=first;second" },
  [TL_KIND_SPAWN]    = { TK_TARGET,   "Target=background" },
  [TL_KIND_AWAIT]    = { TK_TARGET,   "Target=background" },
};

static const char *
suggest_key (const char    *word,
             const KeyInfo *table,
             guint          n_keys)
{
  const char *names[N_TASK_KEYS];

  g_assert (n_keys <= N_TASK_KEYS);
  for (guint i = 0; i < n_keys; i++)
    names[i] = table[i].name;
  return _tl_preset_suggest (word, names, n_keys);
}

static int
find_key (const KeyInfo *table,
          guint          n_keys,
          const char    *name)
{
  for (guint i = 0; i < n_keys; i++)
    if (strcmp (table[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* Values ------------------------------------------------------------------ */

static gboolean
parse_boolean (const char *text,
               gboolean   *out)
{
  if (strcmp (text, "true") == 0)
    *out = TRUE;
  else if (strcmp (text, "false") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_integer (const char *text,
               gint64      min,
               gint64      max,
               gint64     *out)
{
  guint64 value;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  if ((gint64) value < min || (gint64) value > max)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* MaxBytes: a byte count, optionally with KiB, MiB or GiB. */
static gboolean
parse_byte_size (const char *text,
                 gint64     *out)
{
  static const struct { const char *suffix; gint64 factor; } units[] = {
    { "KiB", 1024 }, { "MiB", 1024 * 1024 }, { "GiB", 1024 * 1024 * 1024 },
    { "B", 1 }, { "", 1 },
  };
  gsize len = strlen (text);

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gsize slen = strlen (units[i].suffix);
      guint64 value;

      if (len <= slen || strcmp (text + len - slen, units[i].suffix) != 0)
        continue;

      g_autofree char *number = g_strndup (text, len - slen);
      g_strchomp (number);
      if (!g_ascii_isdigit (number[0]) ||
          !g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64 / units[i].factor, &value, NULL))
        return FALSE;
      *out = (gint64) value * units[i].factor;
      return TRUE;
    }

  return FALSE;
}

/* Splits a list value: items are trimmed, empty ones reported. One pass
 * by hand rather than g_strsplit(), which searches from each item and
 * gets slow under sanitizers with a Run of many thousand names. */
static GStrv
split_list (const char *value,
            gboolean   *has_empty)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  const char *start = value;

  *has_empty = FALSE;
  for (const char *q = value;; q++)
    {
      if (*q != ';' && *q != '\0')
        continue;

      const char *end = q;
      const char *begin = start;
      while (begin < end && g_ascii_isspace (*begin))
        begin++;
      while (end > begin && g_ascii_isspace (end[-1]))
        end--;

      if (begin == end)
        {
          /* A trailing ";" is how GKeyFile writes lists: not an error. */
          if (!(*q == '\0' && items->len > 0 && start != value))
            *has_empty = TRUE;
        }
      else
        g_ptr_array_add (items, g_strndup (begin, end - begin));

      if (*q == '\0')
        break;
      start = q + 1;
    }

  g_ptr_array_add (items, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&items), FALSE);
}
/* The message for a name that is not a task; suggests the nearest one. */
static gboolean
fail_unknown_task (Parser     *p,
                   guint       line,
                   const char *group,
                   const char *key,
                   const char *name)
{
  g_autofree char *quoted = _tl_parser_quote (name);
  const char *suggestion = _tl_preset_suggest (name, p->task_names,
                                               g_hash_table_size (p->task_by_name));

  if (suggestion != NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("no task named “%s”; did you mean “%s”?"),
                            quoted, suggestion);
  return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                          _("no task named “%s”; add a [Task %s] group or use the name of an existing one"),
                          quoted, quoted);
}

static gboolean
resolve_name (Parser     *p,
              guint       line,
              const char *group,
              const char *key,
              const char *name,
              guint      *out_index)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (p->task_by_name, name, NULL, &value))
    return fail_unknown_task (p, line, group, key, name);

  *out_index = GPOINTER_TO_UINT (value) - 1;
  return TRUE;
}

/* Reads a value as GKeyFile unescapes it; a bad escape is the key's error. */
static char *
read_value (Parser        *p,
            const ScanGroup *group,
            const ScanKey *key,
            const char    *display_group)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *full_key = _tl_parser_full_key (key);
  char *value;

  /* GLib 2.74 returns the raw text and sets the error for a bad escape. */
  value = g_key_file_get_string (p->key_file, group->name, full_key, &local_error);
  if (local_error != NULL || value == NULL)
    {
      g_free (value);
      g_autofree char *raw = g_key_file_get_value (p->key_file, group->name, full_key, NULL);
      g_autofree char *quoted = _tl_parser_quote (raw != NULL ? raw : "");

      _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display_group, full_key,
                       _("the value has a “\\” that does not start an escape (\\s, \\n, \\t, \\r or \\\\), found “%s”"),
                       quoted);
      return NULL;
    }

  return value;
}

#define DURATION_EXPECTED N_("expected a duration like “250ms”, “1.5s” or “2m” (0 to 1 hour)")

static gboolean
check_duration (Parser     *p,
                guint       line,
                const char *group,
                const char *key,
                const char *value,
                gint64     *out_us)
{
  g_autofree char *quoted = _tl_parser_quote (value);
  gint64 us;

  if (!tl_duration_parse (value, &us))
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("%s, found “%s”"), _(DURATION_EXPECTED), quoted);
  if (us > TL_PRESET_MAX_DURATION_US)
    return _tl_parser_fail (p, TL_PRESET_ERROR_LIMIT, line, group, key,
                            _("durations are limited to 1 hour (“60m”), found “%s”"), quoted);
  *out_us = us;
  return TRUE;
}

static gboolean
check_boolean (Parser     *p,
               guint       line,
               const char *group,
               const char *key,
               const char *value,
               gboolean   *out)
{
  g_autofree char *quoted = _tl_parser_quote (value);

  if (!parse_boolean (value, out))
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("expected “true” or “false”, found “%s”"), quoted);
  return TRUE;
}

/* "1000000" → "1,000,000": limits read better grouped, whatever the locale. */
static char *
format_grouped (gint64 number)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  GString *grouped = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (grouped, ',');
      g_string_append_c (grouped, digits[i]);
    }

  return g_string_free (grouped, FALSE);
}

static gboolean
check_integer (Parser        *p,
               guint          line,
               const char    *group,
               const char    *key,
               const KeyInfo *info,
               const char    *value,
               gint64        *out)
{
  if (!parse_integer (value, info->min, info->max, out))
    {
      g_autofree char *quoted = _tl_parser_quote (value);
      g_autofree char *max = format_grouped (info->max);
      gint64 ignored;
      /* A well-formed number above the maximum is over a documented limit;
       * anything else is simply not a valid value. */
      TlPresetError code = parse_integer (value, info->max, G_MAXINT64, &ignored)
                           ? TL_PRESET_ERROR_LIMIT : TL_PRESET_ERROR_INVALID;

      return _tl_parser_fail (p, code, line, group, key,
                              _("expected a whole number from %u to %s, found “%s”"),
                              (guint) info->min, max, quoted);
    }
  return TRUE;
}

static gboolean
check_url (Parser     *p,
           guint       line,
           const char *group,
           const char *key,
           const char *value)
{
  g_autofree char *quoted = _tl_parser_quote (value);
  g_autofree char *expanded = tl_preset_expand (value, 1);
  g_autoptr(GUri) uri = NULL;

  /* GUri lets a space through with these flags, and the request would
   * then fail at run time with a puzzling "unknown host". */
  for (const char *c = expanded; *c != '\0'; c++)
    if ((guchar) *c <= 0x20 || (guchar) *c == 0x7f)
      return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                              _("the URL “%s” holds a space or a control character; write it as %%XX (a space is %%20)"),
                              quoted);

  if (expanded[0] == '/' && expanded[1] != '/')
    {
      /* A demo server path: it must make a valid URL with any host. */
      g_autofree char *absolute = g_strconcat ("http://127.0.0.1", expanded, NULL);

      if (!g_uri_is_valid (absolute, G_URI_FLAGS_NONE, NULL))
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                                _("“%s” is not a valid path for the demo server (spaces and some characters must be written as %%XX)"),
                                quoted);
      return TRUE;
    }

  uri = g_uri_parse (expanded, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("expected an http:// or https:// URL, or a path starting with “/” for the built-in demo server, found “%s”"),
                            quoted);

  const char *scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("only http:// and https:// URLs can be fetched, found a “%s:” URL “%s”"),
                            scheme, quoted);

  const char *host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("the URL “%s” has no host name"), quoted);

  return TRUE;
}

static gboolean
check_expect_status (Parser     *p,
                     guint       line,
                     const char *group,
                     const char *key,
                     const char *value,
                     TlTaskSpec *spec)
{
  g_autofree char *quoted = _tl_parser_quote (value);
  gboolean has_empty;
  g_auto(GStrv) items = split_list (value, &has_empty);
  guint n = g_strv_length (items);

  if (n == 0 || has_empty)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("expected HTTP status codes separated by “;”, like “200;404”, found “%s”"),
                            quoted);

  g_clear_pointer (&spec->expect_status, g_free);
  spec->expect_status = g_new (guint16, n);
  spec->n_expect_status = n;
  for (guint i = 0; i < n; i++)
    {
      guint64 code;

      if (!g_ascii_isdigit (items[i][0]) ||
          !g_ascii_string_to_unsigned (items[i], 10, 100, 599, &code, NULL))
        {
          g_autofree char *item = _tl_parser_quote (items[i]);
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                                  _("expected HTTP status codes from 100 to 599, found “%s”"),
                                  item);
        }
      spec->expect_status[i] = (guint16) code;
    }

  return TRUE;
}

/* Suggests a value from a fixed list, comparing as Python spells them too
 * ("FIRST_COMPLETED" → "first-completed"). */
static const char *
suggest_value (const char         *value,
               const char * const *choices,
               guint               n_choices)
{
  g_autofree char *normal = g_ascii_strdown (value, -1);

  g_strdelimit (normal, "_ ", '-');
  return _tl_preset_suggest (normal, choices, n_choices);
}

static gboolean
fail_choice (Parser             *p,
             guint               line,
             const char         *group,
             const char         *key,
             const char         *value,
             const char         *expected,
             const char * const *choices,
             guint               n_choices)
{
  g_autofree char *quoted = _tl_parser_quote (value);
  const char *suggestion = suggest_value (value, choices, n_choices);

  if (suggestion != NULL)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("expected %s, found “%s”; did you mean “%s”?"),
                            expected, quoted, suggestion);
  return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                          _("expected %s, found “%s”"), expected, quoted);
}

/* The [Preset] group ------------------------------------------------------ */

static gboolean
check_translation (Parser        *p,
                   const ScanKey *key,
                   const KeyInfo *info,
                   const char    *group,
                   const char    *translatable_list)
{
  g_autofree char *full_key = _tl_parser_full_key (key);

  if (!info->translatable)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, full_key,
                            _("%s cannot be translated; only %s can have a [language] suffix"),
                            key->base, translatable_list);
  return TRUE;
}

gboolean
_tl_parser_read_preset_group (Parser    *p,
                              ScanGroup *group)
{
  TlPreset *preset = p->preset;
  gboolean seen[N_PRESET_KEYS] = { FALSE, };

  for (guint k = 0; k < group->n_keys; k++)
    {
      ScanKey *key = key_at (p, group->first_key + k);
      int id = find_key (preset_keys, N_PRESET_KEYS, key->base);
      g_autofree char *full_key = _tl_parser_full_key (key);
      g_autofree char *value = NULL;

      if (key->dup_line != 0)
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                _("given twice, on lines %u and %u; keep one"),
                                key->line, key->dup_line);

      if (id < 0)
        {
          const char *suggestion;

          if (find_key (task_keys, N_TASK_KEYS, key->base) >= 0)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                    _("this key belongs in a [Task NAME] group, not in [Preset]"));

          suggestion = suggest_key (key->base, preset_keys, N_PRESET_KEYS);
          if (suggestion != NULL)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                    _("unknown key; did you mean “%s”?"), suggestion);
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                  _("unknown key; [Preset] accepts Format, Name, Description, Run, Threads, Processes, Connections, GIL and Category"));
        }

      if (key->locale != NULL &&
          !check_translation (p, key, &preset_keys[id], "Preset", "Name and Description"))
        return FALSE;

      value = read_value (p, group, key, "Preset");
      if (value == NULL)
        return FALSE;
      if (preset_keys[id].type != VALUE_STRING)
        g_strstrip (value);

      if (key->locale != NULL)
        {
          if (value[0] == '\0')
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                    _("the translation is empty; give the text or remove the line"));
          continue;
        }

      seen[id] = TRUE;
      switch ((PresetKey) id)
        {
        case PK_FORMAT:
          /* Checked before anything else, see check_format(). */
          break;

        case PK_NAME:
          if (value[0] == '\0')
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", "Name",
                                    _("expected a title for the preset, found an empty value"));
          break;

        case PK_DESCRIPTION:
        case PK_CATEGORY:
          break;

        case PK_RUN:
          {
            gboolean has_empty;
            g_auto(GStrv) names = split_list (value, &has_empty);
            guint n = g_strv_length (names);

            if (n == 0 || has_empty)
              {
                g_autofree char *quoted = _tl_parser_quote (value);
                return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", "Run",
                                        _("expected the names of the tasks to run, separated by “;”, found “%s”"),
                                        quoted);
              }

            g_clear_pointer (&preset->sections, g_free);
            preset->sections = g_new0 (guint, n);
            preset->n_sections = n;
            for (guint i = 0; i < n; i++)
              if (!resolve_name (p, key->line, "Preset", "Run", names[i], &preset->sections[i]))
                return FALSE;
          }
          break;

        case PK_THREADS:
        case PK_PROCESSES:
        case PK_CONNECTIONS:
          {
            gint64 number;

            if (!check_integer (p, key->line, "Preset", key->base, &preset_keys[id], value, &number))
              return FALSE;
            if (id == PK_THREADS)
              preset->threads = (guint) number;
            else if (id == PK_PROCESSES)
              preset->processes = (guint) number;
            else
              preset->connections = (guint) number;
          }
          break;

        case PK_GIL:
          if (!check_boolean (p, key->line, "Preset", "GIL", value, &preset->gil))
            return FALSE;
          break;

        case N_PRESET_KEYS:
        default:
          g_assert_not_reached ();
        }
    }

  if (!seen[PK_NAME])
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Name",
                            _("missing; every preset needs a title, e.g. “Name=Three requests at once”"));
  if (!seen[PK_RUN])
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Run",
                            _("missing; name the task to run, e.g. “Run=main”"));

  preset->name = g_key_file_get_locale_string (p->key_file, "Preset", "Name", NULL, NULL);
  preset->description = g_key_file_get_locale_string (p->key_file, "Preset", "Description", NULL, NULL);
  if (preset->description != NULL && preset->description[0] == '\0')
    g_clear_pointer (&preset->description, g_free);
  preset->category = g_key_file_get_string (p->key_file, "Preset", "Category", NULL);
  if (preset->category != NULL && preset->category[0] == '\0')
    g_clear_pointer (&preset->category, g_free);

  return TRUE;
}

/* [Task NAME] groups ------------------------------------------------------ */

static char *
describe_kind_keys (TlKind kind)
{
  g_autoptr(GString) list = g_string_new (NULL);

  /* Kind, Label, Timeout, Catch and Awaited are left out: every task has
   * them, and the message says so. */
  for (guint i = TK_FAIL; i < N_TASK_KEYS; i++)
    if (task_keys[i].kinds & KIND_BIT (kind))
      {
        if (list->len > 0)
          g_string_append (list, ", ");
        g_string_append (list, task_keys[i].name);
      }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static gboolean
fail_not_applicable (Parser        *p,
                     const ScanKey *key,
                     const char    *group,
                     TaskKey        id,
                     TlKind         kind)
{
  g_autofree char *accepted = describe_kind_keys (kind);
  const char *kind_name = tl_kind_to_string (kind);

  if (id == TK_REPEAT || id == TK_FAIL || id == TK_RESULT)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, key->base,
                            _("only leaf tasks (sleep, fetch, blocking, cpu) accept %s, and this is a %s task; %s accepts %s and the keys every task accepts (Kind, Label, Timeout, Catch, Awaited)"),
                            key->base, kind_name, kind_name, accepted);

  return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, key->base,
                          _("does not apply to a %s task; %s accepts %s and the keys every task accepts (Kind, Label, Timeout, Catch, Awaited)"),
                          kind_name, kind_name, accepted);
}

static gboolean
check_on (Parser     *p,
          guint       line,
          const char *group,
          int         kind,
          const char *value,
          TlOn       *out)
{
  static const char * const choices[] = { "loop", "thread", "process" };
  int on = tl_on_from_string (value);
  g_autofree char *quoted = _tl_parser_quote (value);

  switch (kind)
    {
    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
      /* Timers and HTTP replies only ever wait on the event loop. */
      if (on == TL_ON_LOOP)
        break;
      return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, "On",
                              _("a %s task always waits on the event loop, so the only value is “loop”, found “%s”"),
                              tl_kind_to_string (kind), quoted);

    case TL_KIND_BLOCKING:
      if (on == TL_ON_LOOP || on == TL_ON_THREAD)
        break;
      if (on == TL_ON_PROCESS)
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, "On",
                                _("a blocking task runs on “thread” or “loop”, found “process”; use a cpu task for work in a process"));
      return fail_choice (p, line, group, "On", value, _("“thread” or “loop”"), choices, 2);

    case TL_KIND_CPU:
    default:
      if (on >= 0)
        break;
      return fail_choice (p, line, group, "On", value, _("“loop”, “thread” or “process”"), choices, 3);
    }

  *out = (TlOn) on;
  return TRUE;
}

gboolean
_tl_parser_read_task_group (Parser    *p,
                            ScanGroup *group)
{
  TlTaskSpec *spec = &p->preset->tasks[group->task];
  g_autofree char *display = g_strdup_printf ("Task %s", spec->name);
  g_autofree char *kind_value = g_key_file_get_string (p->key_file, group->name, "Kind", NULL);
  int kind = kind_value != NULL ? tl_kind_from_string (kind_value) : -1;
  gboolean seen[N_TASK_KEYS] = { FALSE, };
  guint body_line = 0;
  guint cancel_on_error_line = 0;
  gboolean on_set = FALSE;

  for (guint k = 0; k < group->n_keys; k++)
    {
      ScanKey *key = key_at (p, group->first_key + k);
      int id = find_key (task_keys, N_TASK_KEYS, key->base);
      g_autofree char *full_key = _tl_parser_full_key (key);
      g_autofree char *value = NULL;
      g_autofree char *quoted = NULL;

      if (key->dup_line != 0)
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                _("given twice, on lines %u and %u; keep one"),
                                key->line, key->dup_line);

      if (id < 0)
        {
          const char *suggestion;

          if (find_key (preset_keys, N_PRESET_KEYS, key->base) >= 0 &&
              strcmp (key->base, "Name") != 0)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                    _("this key belongs in the [Preset] group, not in a task"));

          suggestion = suggest_key (key->base, task_keys, N_TASK_KEYS);
          if (suggestion != NULL)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                    _("unknown key; did you mean “%s”?"), suggestion);
          if (strcmp (key->base, "Name") == 0)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                    _("unknown key; a task’s name is in its group header, and “Label” sets the name shown"));
          if (kind >= 0)
            {
              g_autofree char *accepted = describe_kind_keys ((TlKind) kind);
              return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                      _("unknown key; a %s task accepts %s and the keys every task accepts (Kind, Label, Timeout, Catch, Awaited)"),
                                      tl_kind_to_string (kind), accepted);
            }
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                  _("unknown key; every task accepts Kind, Label, Timeout, Catch and Awaited, and each kind a few keys of its own"));
        }

      if (key->locale != NULL &&
          !check_translation (p, key, &task_keys[id], display, "Label, Result and Fail"))
        return FALSE;

      if (kind >= 0 && !(task_keys[id].kinds & KIND_BIT (kind)))
        return fail_not_applicable (p, key, display, (TaskKey) id, (TlKind) kind);

      value = read_value (p, group, key, display);
      if (value == NULL)
        return FALSE;
      if (task_keys[id].type != VALUE_STRING)
        g_strstrip (value);
      quoted = _tl_parser_quote (value);

      if (key->locale != NULL)
        {
          if (value[0] == '\0')
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                    _("the translation is empty; give the text or remove the line"));
          continue;
        }

      seen[id] = TRUE;
      switch ((TaskKey) id)
        {
        case TK_KIND:
          if (kind < 0)
            {
              static const char * const kinds[] = {
                "sleep", "fetch", "blocking", "cpu", "sequence", "gather", "wait", "spawn", "await",
              };
              return fail_choice (p, key->line, display, "Kind", value,
                                  _("one of sleep, fetch, blocking, cpu, sequence, gather, wait, spawn, await"),
                                  kinds, G_N_ELEMENTS (kinds));
            }
          break;

        case TK_LABEL:
          if (value[0] == '\0')
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Label",
                                    _("expected the name to show, found an empty value; remove the line to show the task’s name"));
          break;

        case TK_FAIL:
          if (value[0] == '\0')
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Fail",
                                    _("expected an error message like “ValueError: bad user”, found an empty value"));
          break;

        case TK_RESULT:
          break;

        case TK_BODY:
          /* Checked against Method once the whole group is read. */
          body_line = key->line;
          break;

        case TK_TIMEOUT:
          if (!check_duration (p, key->line, display, "Timeout", value, &spec->timeout_us))
            return FALSE;
          break;

        case TK_MAX_WAIT:
          if (!check_duration (p, key->line, display, "MaxWait", value, &spec->max_wait_us))
            return FALSE;
          break;

        case TK_DURATION:
          if (!check_duration (p, key->line, display, "Duration", value, &spec->duration_us))
            return FALSE;
          break;

        case TK_WORK:
          if (!check_duration (p, key->line, display, "Work", value, &spec->work_us))
            return FALSE;
          break;

        case TK_CATCH:
          if (!check_boolean (p, key->line, display, "Catch", value, &spec->catch_error))
            return FALSE;
          break;

        case TK_AWAITED:
          if (!check_boolean (p, key->line, display, "Awaited", value, &spec->awaited))
            return FALSE;
          break;

        case TK_RETURN_EXCEPTIONS:
          if (!check_boolean (p, key->line, display, "ReturnExceptions", value, &spec->return_exceptions))
            return FALSE;
          break;

        case TK_CANCEL_ON_ERROR:
          if (!check_boolean (p, key->line, display, "CancelOnError", value, &spec->cancel_on_error))
            return FALSE;
          cancel_on_error_line = key->line;
          break;

        case TK_CANCEL_PENDING:
          if (!check_boolean (p, key->line, display, "CancelPending", value, &spec->cancel_pending))
            return FALSE;
          break;

        case TK_REPEAT:
          {
            gint64 number;

            if (!check_integer (p, key->line, display, "Repeat", &task_keys[id], value, &number))
              return FALSE;
            spec->repeat = (guint) number;
          }
          break;

        case TK_ON:
          if (!check_on (p, key->line, display, kind, value, &spec->on))
            return FALSE;
          on_set = TRUE;
          break;

        case TK_URL:
          if (!check_url (p, key->line, display, "Url", value))
            return FALSE;
          spec->url = g_steal_pointer (&value);
          break;

        case TK_METHOD:
          if (strcmp (value, "GET") != 0 && strcmp (value, "HEAD") != 0 && strcmp (value, "POST") != 0)
            {
              static const char * const methods[] = { "GET", "HEAD", "POST" };
              return fail_choice (p, key->line, display, "Method", value,
                                  _("“GET”, “HEAD” or “POST”"), methods, G_N_ELEMENTS (methods));
            }
          g_free (spec->method);
          spec->method = g_steal_pointer (&value);
          break;

        case TK_EXPECT_STATUS:
          if (!check_expect_status (p, key->line, display, "ExpectStatus", value, spec))
            return FALSE;
          break;

        case TK_MAX_BYTES:
          if (!parse_byte_size (value, &spec->max_bytes) ||
              spec->max_bytes > G_GINT64_CONSTANT (1024) * 1024 * 1024)
            return _tl_parser_fail (p,
                                    parse_byte_size (value, &spec->max_bytes)
                                    ? TL_PRESET_ERROR_LIMIT : TL_PRESET_ERROR_INVALID,
                                    key->line, display, "MaxBytes",
                                    _("expected a size from 0 to 1 GiB, in bytes or with KiB, MiB or GiB (“65536”, “16MiB”), found “%s”"),
                                    quoted);
          break;

        case TK_CHILDREN:
          {
            gboolean has_empty;
            g_auto(GStrv) names = split_list (value, &has_empty);
            guint n = g_strv_length (names);

            if (n == 0 || has_empty)
              return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Children",
                                      _("expected task names separated by “;”, found “%s”"), quoted);

            spec->children = g_new0 (guint, n);
            spec->n_children = n;
            for (guint i = 0; i < n; i++)
              if (!resolve_name (p, key->line, display, "Children", names[i], &spec->children[i]))
                return FALSE;
          }
          break;

        case TK_TARGET:
          if (value[0] == '\0' || strchr (value, ';') != NULL)
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Target",
                                    _("expected the name of one task, found “%s”"), quoted);
          if (!resolve_name (p, key->line, display, "Target", g_strstrip (value), &spec->target))
            return FALSE;
          break;

        case TK_RETURN_WHEN:
          {
            static const char * const choices[] = { "all-completed", "first-completed", "first-exception" };
            int when = tl_return_when_from_string (value);

            if (when < 0)
              return fail_choice (p, key->line, display, "ReturnWhen", value,
                                  _("“all-completed”, “first-completed” or “first-exception”"),
                                  choices, G_N_ELEMENTS (choices));
            spec->return_when = (TlReturnWhen) when;
          }
          break;

        case N_TASK_KEYS:
        default:
          g_assert_not_reached ();
        }
    }

  if (kind < 0)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, display, "Kind",
                            _("missing; every task needs a Kind: sleep, fetch, blocking, cpu, sequence, gather, wait, spawn or await"));

  spec->kind = (TlKind) kind;

  TaskKey required = required_keys[kind].key;
  if (!seen[required])
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, display, task_keys[required].name,
                            _("missing; a %s task needs one, e.g. “%s”"),
                            kind_value, required_keys[kind].example);

  if (body_line != 0 && g_strcmp0 (spec->method, "POST") != 0)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, body_line, display, "Body",
                            _("only a POST request sends a body, and this request is a %s; add “Method=POST” or remove the Body"),
                            spec->method);

  /* With ReturnExceptions an error is a result, so no sibling ever fails
   * and CancelOnError could never act: say so rather than pick one. */
  if (spec->return_exceptions && spec->cancel_on_error)
    return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, cancel_on_error_line, display, "CancelOnError",
                            _("cannot be combined with ReturnExceptions=true: errors then become results, so nothing is ever cancelled; keep one of the two"));

  if (!on_set)
    spec->on = kind == TL_KIND_BLOCKING ? TL_ON_THREAD : TL_ON_LOOP;

  g_free (spec->label);
  spec->label = g_key_file_get_locale_string (p->key_file, group->name, "Label", NULL, NULL);
  if (spec->label == NULL)
    spec->label = g_strdup (spec->name);
  spec->fail = g_key_file_get_locale_string (p->key_file, group->name, "Fail", NULL, NULL);
  spec->result = g_key_file_get_locale_string (p->key_file, group->name, "Result", NULL, NULL);
  if (spec->kind == TL_KIND_FETCH)
    spec->body = g_key_file_get_string (p->key_file, group->name, "Body", NULL);

  return TRUE;
}
