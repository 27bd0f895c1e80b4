/* tl-preset-parse.c — reading and validating a version-1 preset
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

/* GKeyFile reads the values, unescapes them and picks translations, but
 * it forgets where things were, merges repeated groups and keeps only the
 * last of repeated keys. So the text is also scanned here, line by line,
 * with GKeyFile's own rules: the scan gives every group and key in file
 * order with its line, which is what lets each message point at a line and
 * makes "the first error in the file" well defined. */

#define MAX_NAME_CHARS   64
#define MAX_QUOTED_CHARS 60

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

typedef struct {
  const char *key;      /* as written: "Name[ko]" */
  char       *base;     /* "Name" */
  const char *locale;   /* "ko", or NULL; points into key */
  guint       line;
  guint       dup_line; /* line of a later copy of the same key, or 0 */
} ScanKey;

typedef struct {
  char  *name;          /* between the brackets */
  guint  line;
  guint  first_key;     /* index into Parser.keys */
  guint  n_keys;
  guint  dup_line;      /* line of a later group with the same name, or 0 */
  int    task;          /* index into preset->tasks, or -1 */
} ScanGroup;

typedef struct {
  const char  *display;
  GKeyFile    *key_file;
  char        *scan_text;    /* the scanner's own copy, cut into lines */
  GArray      *groups;       /* ScanGroup */
  GArray      *keys;         /* ScanKey */
  GHashTable  *task_by_name; /* name → task index + 1 */
  const char **task_names;   /* for suggestions, in file order */
  TlPreset    *preset;
  GError     **error;
  int          preset_group; /* index into groups, or -1 */

  /* Per-section walk state, reused across sections with a generation
   * number instead of clearing, so many sections stay cheap. */
  guint       *seen_gen;
  guint       *spawned_gen;
  guint       *on_path;
  guint       *first_parent; /* task index + 1, or 0 for the root */
  guint        gen;
  guint        root;
  guint        path[TL_PRESET_MAX_DEPTH + 2];
  guint        path_len;
  guint64      instances;        /* leaves in the current section */
  guint64      composites;       /* composite tasks in it */
  guint        bad_await;    /* first await without an earlier spawn */
} Parser;

static inline ScanGroup *
group_at (Parser *p,
          guint   i)
{
  return &g_array_index (p->groups, ScanGroup, i);
}

static inline ScanKey *
key_at (Parser *p,
        guint   i)
{
  return &g_array_index (p->keys, ScanKey, i);
}

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
static char *
quote_value (const char *value)
{
  if (g_utf8_strlen (value, -1) <= MAX_QUOTED_CHARS)
    return g_strdup (value);

  g_autofree char *head = g_utf8_substring (value, 0, MAX_QUOTED_CHARS);
  return g_strconcat (head, "…", NULL);
}

/* Every message has one shape: "FILE:LINE: [GROUP] KEY: what is wrong",
 * with LINE, GROUP and KEY left out where they do not apply. */
static gboolean parser_fail (Parser      *p,
                             TlPresetError code,
                             guint        line,
                             const char  *group,
                             const char  *key,
                             const char  *format,
                             ...) G_GNUC_PRINTF (6, 7);

static gboolean
parser_fail (Parser       *p,
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
static char *
dup_full_key (const ScanKey *key)
{
  if (key->locale == NULL)
    return g_strdup (key->key);
  return g_strdup_printf ("%s[%s]", key->base, key->locale);
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

/* The message for a name that is not a task; suggests the nearest one. */
static gboolean
fail_unknown_task (Parser     *p,
                   guint       line,
                   const char *group,
                   const char *key,
                   const char *name)
{
  g_autofree char *quoted = quote_value (name);
  const char *suggestion = _tl_preset_suggest (name, p->task_names,
                                               g_hash_table_size (p->task_by_name));

  if (suggestion != NULL)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                        _("no task named “%s”; did you mean “%s”?"),
                        quoted, suggestion);
  return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
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
  g_autofree char *full_key = dup_full_key (key);
  char *value;

  /* GLib 2.74 returns the raw text and sets the error for a bad escape. */
  value = g_key_file_get_string (p->key_file, group->name, full_key, &local_error);
  if (local_error != NULL || value == NULL)
    {
      g_free (value);
      g_autofree char *raw = g_key_file_get_value (p->key_file, group->name, full_key, NULL);
      g_autofree char *quoted = quote_value (raw != NULL ? raw : "");

      parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display_group, full_key,
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
  g_autofree char *quoted = quote_value (value);
  gint64 us;

  if (!tl_duration_parse (value, &us))
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                        _("%s, found “%s”"), _(DURATION_EXPECTED), quoted);
  if (us > TL_PRESET_MAX_DURATION_US)
    return parser_fail (p, TL_PRESET_ERROR_LIMIT, line, group, key,
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
  g_autofree char *quoted = quote_value (value);

  if (!parse_boolean (value, out))
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
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
      g_autofree char *quoted = quote_value (value);
      g_autofree char *max = format_grouped (info->max);
      gint64 ignored;
      /* A well-formed number above the maximum is over a documented limit;
       * anything else is simply not a valid value. */
      TlPresetError code = parse_integer (value, info->max, G_MAXINT64, &ignored)
                           ? TL_PRESET_ERROR_LIMIT : TL_PRESET_ERROR_INVALID;

      return parser_fail (p, code, line, group, key,
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
  g_autofree char *quoted = quote_value (value);
  g_autofree char *expanded = tl_preset_expand (value, 1);
  g_autoptr(GUri) uri = NULL;

  /* GUri lets a space through with these flags, and the request would
   * then fail at run time with a puzzling "unknown host". */
  for (const char *c = expanded; *c != '\0'; c++)
    if ((guchar) *c <= 0x20 || (guchar) *c == 0x7f)
      return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                          _("the URL “%s” holds a space or a control character; write it as %%XX (a space is %%20)"),
                          quoted);

  if (expanded[0] == '/' && expanded[1] != '/')
    {
      /* A demo server path: it must make a valid URL with any host. */
      g_autofree char *absolute = g_strconcat ("http://127.0.0.1", expanded, NULL);

      if (!g_uri_is_valid (absolute, G_URI_FLAGS_NONE, NULL))
        return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                            _("“%s” is not a valid path for the demo server (spaces and some characters must be written as %%XX)"),
                            quoted);
      return TRUE;
    }

  uri = g_uri_parse (expanded, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                        _("expected an http:// or https:// URL, or a path starting with “/” for the built-in demo server, found “%s”"),
                        quoted);

  const char *scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                        _("only http:// and https:// URLs can be fetched, found a “%s:” URL “%s”"),
                        scheme, quoted);

  const char *host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
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
  g_autofree char *quoted = quote_value (value);
  gboolean has_empty;
  g_auto(GStrv) items = split_list (value, &has_empty);
  guint n = g_strv_length (items);

  if (n == 0 || has_empty)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
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
          g_autofree char *item = quote_value (items[i]);
          return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
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
  g_autofree char *quoted = quote_value (value);
  const char *suggestion = suggest_value (value, choices, n_choices);

  if (suggestion != NULL)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                        _("expected %s, found “%s”; did you mean “%s”?"),
                        expected, quoted, suggestion);
  return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, key,
                      _("expected %s, found “%s”"), expected, quoted);
}

/* The [Preset] group ------------------------------------------------------ */

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
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Format",
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
      g_autofree char *quoted = quote_value (value);
      return parser_fail (p, TL_PRESET_ERROR_INVALID, line, "Preset", "Format",
                          _("expected the format version “1”, found “%s”"), quoted);
    }

  if (format > 1)
    return parser_fail (p, TL_PRESET_ERROR_VERSION, line, "Preset", "Format",
                        _("this preset was made for a newer Tasklanes (format %s); this version reads format 1. Update Tasklanes to open it"),
                        value);

  return TRUE;
}

static gboolean
check_translation (Parser        *p,
                   const ScanKey *key,
                   const KeyInfo *info,
                   const char    *group,
                   const char    *translatable_list)
{
  g_autofree char *full_key = dup_full_key (key);

  if (!info->translatable)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, full_key,
                        _("%s cannot be translated; only %s can have a [language] suffix"),
                        key->base, translatable_list);
  return TRUE;
}

static gboolean
parse_preset_group (Parser    *p,
                    ScanGroup *group)
{
  TlPreset *preset = p->preset;
  gboolean seen[N_PRESET_KEYS] = { FALSE, };

  for (guint k = 0; k < group->n_keys; k++)
    {
      ScanKey *key = key_at (p, group->first_key + k);
      int id = find_key (preset_keys, N_PRESET_KEYS, key->base);
      g_autofree char *full_key = dup_full_key (key);
      g_autofree char *value = NULL;

      if (key->dup_line != 0)
        return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                            _("given twice, on lines %u and %u; keep one"),
                            key->line, key->dup_line);

      if (id < 0)
        {
          const char *suggestion;

          if (find_key (task_keys, N_TASK_KEYS, key->base) >= 0)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                _("this key belongs in a [Task NAME] group, not in [Preset]"));

          suggestion = suggest_key (key->base, preset_keys, N_PRESET_KEYS);
          if (suggestion != NULL)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
                                _("unknown key; did you mean “%s”?"), suggestion);
          return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
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
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", full_key,
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
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", "Name",
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
                g_autofree char *quoted = quote_value (value);
                return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, "Preset", "Run",
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
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Name",
                        _("missing; every preset needs a title, e.g. “Name=Three requests at once”"));
  if (!seen[PK_RUN])
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, "Preset", "Run",
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
    return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, key->base,
                        _("only leaf tasks (sleep, fetch, blocking, cpu) accept %s, and this is a %s task; %s accepts %s and the keys every task accepts (Kind, Label, Timeout, Catch, Awaited)"),
                        key->base, kind_name, kind_name, accepted);

  return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, group, key->base,
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
  g_autofree char *quoted = quote_value (value);

  switch (kind)
    {
    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
      /* Timers and HTTP replies only ever wait on the event loop. */
      if (on == TL_ON_LOOP)
        break;
      return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, "On",
                          _("a %s task always waits on the event loop, so the only value is “loop”, found “%s”"),
                          tl_kind_to_string (kind), quoted);

    case TL_KIND_BLOCKING:
      if (on == TL_ON_LOOP || on == TL_ON_THREAD)
        break;
      if (on == TL_ON_PROCESS)
        return parser_fail (p, TL_PRESET_ERROR_INVALID, line, group, "On",
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

static gboolean
parse_task_group (Parser    *p,
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
      g_autofree char *full_key = dup_full_key (key);
      g_autofree char *value = NULL;
      g_autofree char *quoted = NULL;

      if (key->dup_line != 0)
        return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                            _("given twice, on lines %u and %u; keep one"),
                            key->line, key->dup_line);

      if (id < 0)
        {
          const char *suggestion;

          if (find_key (preset_keys, N_PRESET_KEYS, key->base) >= 0 &&
              strcmp (key->base, "Name") != 0)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                _("this key belongs in the [Preset] group, not in a task"));

          suggestion = suggest_key (key->base, task_keys, N_TASK_KEYS);
          if (suggestion != NULL)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                _("unknown key; did you mean “%s”?"), suggestion);
          if (strcmp (key->base, "Name") == 0)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                _("unknown key; a task’s name is in its group header, and “Label” sets the name shown"));
          if (kind >= 0)
            {
              g_autofree char *accepted = describe_kind_keys ((TlKind) kind);
              return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
                                  _("unknown key; a %s task accepts %s and the keys every task accepts (Kind, Label, Timeout, Catch, Awaited)"),
                                  tl_kind_to_string (kind), accepted);
            }
          return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
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
      quoted = quote_value (value);

      if (key->locale != NULL)
        {
          if (value[0] == '\0')
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, full_key,
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
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Label",
                                _("expected the name to show, found an empty value; remove the line to show the task’s name"));
          break;

        case TK_FAIL:
          if (value[0] == '\0')
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Fail",
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
            return parser_fail (p,
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
              return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Children",
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
            return parser_fail (p, TL_PRESET_ERROR_INVALID, key->line, display, "Target",
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
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, display, "Kind",
                        _("missing; every task needs a Kind: sleep, fetch, blocking, cpu, sequence, gather, wait, spawn or await"));

  spec->kind = (TlKind) kind;

  TaskKey required = required_keys[kind].key;
  if (!seen[required])
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, display, task_keys[required].name,
                        _("missing; a %s task needs one, e.g. “%s”"),
                        kind_value, required_keys[kind].example);

  if (body_line != 0 && g_strcmp0 (spec->method, "POST") != 0)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, body_line, display, "Body",
                        _("only a POST request sends a body, and this request is a %s; add “Method=POST” or remove the Body"),
                        spec->method);

  /* With ReturnExceptions an error is a result, so no sibling ever fails
   * and CancelOnError could never act: say so rather than pick one. */
  if (spec->return_exceptions && spec->cancel_on_error)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, cancel_on_error_line, display, "CancelOnError",
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
      g_autofree char *quoted = quote_value (name);

      if (!task_name_is_valid (name))
        {
          if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                                _("a task name has at most 64 characters, found %ld"),
                                g_utf8_strlen (name, -1));
          return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                              _("a task name is 1 to 64 letters, digits, “_” or “-”, found “%s”"),
                              quoted);
        }
      return TRUE;
    }

  if (strcmp (group->name, "Task") == 0)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                        _("a task group needs a name: write [Task NAME], e.g. [Task main]"));

  /* "[task main]", "[Tsak main]", "[Tasks]"… */
  g_autofree char *first_word = g_strdup (group->name);
  char *space = strchr (first_word, ' ');
  if (space != NULL)
    *space = '\0';

  static const char * const group_words[] = { "Preset", "Task" };
  const char *suggestion = _tl_preset_suggest (first_word, group_words, G_N_ELEMENTS (group_words));

  if (suggestion != NULL && strcmp (suggestion, "Task") == 0 && space != NULL)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                        _("unknown group; did you mean “[Task %s]”?"), space + 1);
  if (suggestion != NULL)
    return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                        _("unknown group; did you mean “[%s]”?"),
                        strcmp (suggestion, "Task") == 0 ? "Task NAME" : suggestion);
  return parser_fail (p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
                      _("unknown group; a preset has one [Preset] group and [Task NAME] groups"));
}

/* Sections: the tree under each name in Run -------------------------------- */

static gboolean walk_task (Parser *p, guint task, guint depth, guint parent, const char *parent_key);

static char *
describe_cycle (Parser *p,
                guint   task)
{
  g_autoptr(GString) path = g_string_new (NULL);
  gboolean started = FALSE;

  for (guint i = 0; i < p->path_len; i++)
    {
      if (p->path[i] == task)
        started = TRUE;
      if (started)
        g_string_append_printf (path, "%s → ", p->preset->tasks[p->path[i]].name);
    }
  g_string_append (path, p->preset->tasks[task].name);

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static guint
line_of_key (Parser     *p,
             guint       task,
             const char *key_name)
{
  for (guint g = 0; g < p->groups->len; g++)
    {
      ScanGroup *group = group_at (p, g);

      if (group->task != (int) task)
        continue;
      for (guint k = 0; k < group->n_keys; k++)
        {
          ScanKey *key = key_at (p, group->first_key + k);
          if (key->locale == NULL && strcmp (key->base, key_name) == 0)
            return key->line;
        }
      return group->line;
    }
  return 0;
}

static guint
line_of_run (Parser *p)
{
  ScanGroup *group = group_at (p, p->preset_group);

  for (guint k = 0; k < group->n_keys; k++)
    {
      ScanKey *key = key_at (p, group->first_key + k);
      if (key->locale == NULL && strcmp (key->base, "Run") == 0)
        return key->line;
    }
  return group->line;
}

/* Fails at the key that led to @task: its parent's Children or Target, or
 * Run for a section's root. */
static gboolean parser_fail_at_edge (Parser     *p,
                                     TlPresetError code,
                                     guint       parent,
                                     const char *parent_key,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (5, 6);

static gboolean
parser_fail_at_edge (Parser       *p,
                     TlPresetError code,
                     guint         parent,
                     const char   *parent_key,
                     const char   *format,
                     ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (parent == G_MAXUINT)
    return parser_fail (p, code, line_of_run (p), "Preset", "Run", "%s", detail);

  g_autofree char *display = g_strdup_printf ("Task %s", p->preset->tasks[parent].name);
  return parser_fail (p, code, line_of_key (p, parent, parent_key), display, parent_key, "%s", detail);
}

static gboolean
walk_task (Parser     *p,
           guint       task,
           guint       depth,
           guint       parent,
           const char *parent_key)
{
  TlTaskSpec *spec = &p->preset->tasks[task];
  const char *root = p->preset->tasks[p->root].name;

  if (p->on_path[task] == p->gen)
    {
      g_autofree char *cycle = describe_cycle (p, task);
      return parser_fail_at_edge (p, TL_PRESET_ERROR_INVALID, parent, parent_key,
                                  _("“%s” contains itself: %s; a task cannot be its own descendant"),
                                  spec->name, cycle);
    }

  if (p->seen_gen[task] == p->gen)
    {
      guint first = p->first_parent[task];

      if (first == 0)
        return parser_fail_at_edge (p, TL_PRESET_ERROR_INVALID, parent, parent_key,
                                    _("“%s” is the root of section “%s” and cannot also be part of it"),
                                    spec->name, root);
      return parser_fail_at_edge (p, TL_PRESET_ERROR_INVALID, parent, parent_key,
                                  _("“%s” is already used in section “%s” by [Task %s]; a task appears at most once in a section, so give the second use its own [Task] group"),
                                  spec->name, root, p->preset->tasks[first - 1].name);
    }

  if (depth > TL_PRESET_MAX_DEPTH)
    return parser_fail_at_edge (p, TL_PRESET_ERROR_LIMIT, parent, parent_key,
                                _("section “%s” nests tasks more than 64 levels deep here (at “%s”); flatten the tree"),
                                root, spec->name);

  p->seen_gen[task] = p->gen;
  p->first_parent[task] = parent == G_MAXUINT ? 0 : parent + 1;

  /* Saturating: the count only has to tell whether the limit is passed.
   * Only the work (leaves) counts: the documented Repeat=1000000 under
   * its gather is 1,000,000 sleeps plus one gather. Composites, which
   * also take memory, are bounded by the same figure on their own. */
  if (spec->kind == TL_KIND_SLEEP || spec->kind == TL_KIND_FETCH ||
      spec->kind == TL_KIND_BLOCKING || spec->kind == TL_KIND_CPU)
    p->instances += spec->repeat;
  else
    p->composites = MIN (p->composites + spec->repeat, (guint64) TL_PRESET_MAX_INSTANCES + 1);
  if (p->instances > TL_PRESET_MAX_INSTANCES)
    p->instances = TL_PRESET_MAX_INSTANCES + 1;

  p->on_path[task] = p->gen;
  p->path[p->path_len++] = task;

  switch (spec->kind)
    {
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
      for (guint i = 0; i < spec->n_children; i++)
        if (!walk_task (p, spec->children[i], depth + 1, task, "Children"))
          return FALSE;
      break;

    case TL_KIND_SPAWN:
      {
        TlTaskSpec *target = &p->preset->tasks[spec->target];

        if (!target->awaited)
          return parser_fail_at_edge (p, TL_PRESET_ERROR_INVALID, task, "Target",
                                      _("“%s” has Awaited=false, which means nothing for a spawned task: spawn never awaits; to leave it unawaited, have no await task for it"),
                                      target->name);
        p->spawned_gen[spec->target] = p->gen;
        if (!walk_task (p, spec->target, depth + 1, task, "Target"))
          return FALSE;
      }
      break;

    case TL_KIND_AWAIT:
      {
        TlTaskSpec *target = &p->preset->tasks[spec->target];
        g_autofree char *display = g_strdup_printf ("Task %s", spec->name);

        if (p->on_path[spec->target] == p->gen)
          return parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_key (p, task, "Target"), display, "Target",
                              _("this await is inside “%s” itself, so it would wait for its own end forever"),
                              target->name);
        /* A spawn further on in the section changes the advice, so the
         * verdict waits for the end of the walk. */
        if (p->spawned_gen[spec->target] != p->gen && p->bad_await == G_MAXUINT)
          p->bad_await = task;
      }
      break;

    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_N_KINDS:
    default:
      break;
    }

  p->path_len--;
  p->on_path[task] = 0;
  return TRUE;
}

static gboolean
check_sections (Parser *p)
{
  TlPreset *preset = p->preset;
  g_autofree gboolean *root_checked = NULL;

  p->seen_gen = g_new0 (guint, preset->n_tasks);
  p->spawned_gen = g_new0 (guint, preset->n_tasks);
  p->on_path = g_new0 (guint, preset->n_tasks);
  p->first_parent = g_new0 (guint, preset->n_tasks);
  root_checked = g_new0 (gboolean, preset->n_tasks);

  for (guint s = 0; s < preset->n_sections; s++)
    {
      TlTaskSpec *root = &preset->tasks[preset->sections[s]];

      /* A section's checks depend on its root alone: a root named again
       * in Run ("Run=main;main;…") was already checked, and skipping it
       * keeps a long Run from multiplying the work. */
      if (root_checked[preset->sections[s]])
        continue;
      root_checked[preset->sections[s]] = TRUE;

      p->gen = s + 1;
      p->root = preset->sections[s];
      p->path_len = 0;
      p->instances = 0;
      p->composites = 0;

      if (root->repeat > 1)
        return parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_run (p), "Preset", "Run",
                            _("“%s” has Repeat=%u, but a task named in Run runs once per section; put it in a gather or sequence"),
                            root->name, root->repeat);
      if (!root->awaited)
        return parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_run (p), "Preset", "Run",
                            _("“%s” has Awaited=false, so the section would never run it; remove Awaited or run another task"),
                            root->name);
      if (root->catch_error)
        {
          g_autofree char *display = g_strdup_printf ("Task %s", root->name);

          return parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_key (p, preset->sections[s], "Catch"),
                              display, "Catch",
                              _("“%s” is the root of a section, which has no parent to catch its error; remove Catch, or put the task in a gather or sequence with Catch"),
                              root->name);
        }

      p->bad_await = G_MAXUINT;

      if (!walk_task (p, p->root, 1, G_MAXUINT, NULL))
        return FALSE;

      if (p->bad_await != G_MAXUINT)
        {
          TlTaskSpec *await = &preset->tasks[p->bad_await];
          const char *target = preset->tasks[await->target].name;
          g_autofree char *display = g_strdup_printf ("Task %s", await->name);
          guint line = line_of_key (p, p->bad_await, "Target");

          if (p->spawned_gen[await->target] == p->gen)
            return parser_fail (p, TL_PRESET_ERROR_INVALID, line, display, "Target",
                                _("“%s” is awaited before the spawn that starts it; in section “%s” move the spawn task before this await"),
                                target, root->name);
          return parser_fail (p, TL_PRESET_ERROR_INVALID, line, display, "Target",
                              _("nothing in section “%s” spawns “%s” before this await; an await can only wait for a task that a spawn task (asyncio.create_task) started earlier in the same section"),
                              root->name, target);
        }

      if (p->instances > TL_PRESET_MAX_INSTANCES)
        return parser_fail (p, TL_PRESET_ERROR_LIMIT, line_of_run (p), "Preset", "Run",
                            _("section “%s” creates more than 1,000,000 task instances once Repeat is counted; lower a Repeat"),
                            root->name);
      if (p->composites > TL_PRESET_MAX_INSTANCES)
        return parser_fail (p, TL_PRESET_ERROR_LIMIT, line_of_run (p), "Preset", "Run",
                            _("section “%s” creates more than 1,000,000 gather, sequence, wait, spawn and await instances once Repeat is counted; lower a Repeat"),
                            root->name);
    }

  return TRUE;
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
            return parser_fail (p, TL_PRESET_ERROR_LIMIT, group->line, NULL, NULL,
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
          g_autofree char *full_key = dup_full_key (key);

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
        parser_fail (&p, TL_PRESET_ERROR_IO, line, NULL, NULL,
                     _("the file is not text: it contains a zero byte (column %u); save it as UTF-8 text"),
                     (guint) (bad - line_start) + 1);
      else
        parser_fail (&p, TL_PRESET_ERROR_IO, line, NULL, NULL,
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
        parser_fail (&p, TL_PRESET_ERROR_SYNTAX, bad_line, NULL, NULL,
                     _("“%s” is not a valid group header; write [Preset] or [Task NAME]"), bad_text);
      else
        parser_fail (&p, TL_PRESET_ERROR_SYNTAX, bad_line, NULL, NULL,
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
        parser_fail (&p, TL_PRESET_ERROR_INVALID, 0, NULL, NULL,
                     _("the file is empty; a preset starts with a [Preset] group"));
      else
        parser_fail (&p, TL_PRESET_ERROR_INVALID, 0, NULL, NULL,
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
          parser_fail (&p, TL_PRESET_ERROR_INVALID, group->line, group->name, NULL,
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
          if (!parse_preset_group (&p, group))
            goto out;
        }
      else if (!parse_task_group (&p, group))
        goto out;
    }

  if (!check_sections (&p))
    goto out;

  parser_clear (&p);
  return g_steal_pointer (&preset);

out:
  parser_clear (&p);
  return NULL;
}
