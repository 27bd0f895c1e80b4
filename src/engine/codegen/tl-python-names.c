/* tl-python-names.c — Python identifiers and literals from preset text
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A preset's labels are written the way the program they stand for would
 * say it: "fetch_user(1)", "asyncio.gather(…)", "time.sleep(0.5)". The
 * generated program names its functions after the first call in the label
 * that is the task's own (not one of asyncio's), and falls back to the
 * [Task NAME] when the label names nothing of its own.
 */
#define G_LOG_DOMAIN "tl-python-names"

#include "config.h"

#include <string.h>

#include "codegen/tl-python-names.h"
#include "preset/tl-preset.h"

/* Keywords, builtins the program calls, and every name the generated
 * program defines or imports itself. */
static const char * const reserved_names[] = {
  "False", "None", "True", "and", "as", "assert", "async", "await", "break",
  "class", "continue", "def", "del", "elif", "else", "except", "finally",
  "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
  "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
  "match", "case", "type", "print", "range", "len", "repr", "list", "str",
  "int", "float", "bytes", "sum", "set", "dict", "object", "id", "input",
  "open", "iter", "next", "map", "filter", "min", "max", "abs", "round",
  "asyncio", "time", "os", "sys", "hashlib", "aiohttp", "concurrent",
  "ThreadPoolExecutor", "ProcessPoolExecutor", "session", "thread_pool",
  "process_pool", "loop", "compute", "read_body", "ignore_error", "run_job",
  "with_session", "DEMO_URL", "BLOCK", "result", "error", "started", "task",
  "tasks", "done", "pending", "group", "i", "response", "body", "sleep",
  "wait", "gather", "timeout", "run", "main_block",
  NULL
};

/* Calls in a label that belong to asyncio or the standard library, not
 * to the task: never a function name. */
static const char * const library_calls[] = {
  "gather", "wait", "wait_for", "create_task", "timeout", "run_in_executor",
  "sleep", "ThreadPoolExecutor", "ProcessPoolExecutor", "TaskGroup",
  "shield", "run", "to_thread", "ensure_future", "range", "print", "list",
  "len", "get_running_loop", "as_completed",
  NULL
};

gboolean
_tl_python_is_reserved (const char *name)
{
  return g_strv_contains (reserved_names, name);
}

char *
_tl_python_identifier (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean gap = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '_')
        {
          if (gap && out->len > 0)
            g_string_append_c (out, '_');
          g_string_append_c (out, *p);
          gap = FALSE;
        }
      else
        gap = TRUE;
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (g_ascii_isdigit (out->str[0]))
    g_string_prepend_c (out, '_');
  return g_string_free (out, FALSE);
}

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The text between the parentheses that start at @open, without them;
 * NULL when they are not closed. */
static char *
call_arguments (const char *open)
{
  int depth = 0;

  for (const char *p = open; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return g_strndup (open + 1, p - open - 1);
    }
  return NULL;
}

/* The second argument of "run_in_executor(pool, FUNCTION, …)". */
static char *
executor_function (const char *open)
{
  g_autofree char *args = call_arguments (open);
  g_auto(GStrv) parts = NULL;

  if (args == NULL)
    return NULL;
  parts = g_strsplit (args, ",", 3);
  if (g_strv_length (parts) < 2)
    return NULL;
  g_strstrip (parts[1]);
  for (const char *p = parts[1]; *p != '\0'; p++)
    if (!is_ident_char (*p))
      return NULL;
  if (parts[1][0] == '\0' || !is_ident_start (parts[1][0]))
    return NULL;
  return g_strdup (parts[1]);
}

/* The label's own call: its function name in @name and its arguments in
 * @args; FALSE when the label calls nothing of its own. */
static gboolean
label_call (const char  *label,
            char       **name,
            char       **args)
{
  const char *p = label;

  while (*p != '\0')
    {
      const char *last;
      const char *q;

      if (!is_ident_start (*p) || (p > label && (is_ident_char (p[-1]) || p[-1] == '.')))
        {
          p++;
          continue;
        }
      last = p;
      q = p;
      while (is_ident_char (*q) || (*q == '.' && is_ident_start (q[1])))
        {
          if (*q == '.')
            last = q + 1;
          q++;
        }
      {
        g_autofree char *word = g_strndup (last, q - last);
        const char *after = q;

        while (*after == ' ')
          after++;
        if (*after != '(')
          {
            p = q;
            continue;
          }
        if (strcmp (word, "run_in_executor") == 0)
          {
            char *function = executor_function (after);

            if (function != NULL && !_tl_python_is_reserved (function))
              {
                *name = function;
                *args = NULL;
                return TRUE;
              }
            g_free (function);
          }
        if (!g_strv_contains (library_calls, word) && !_tl_python_is_reserved (word))
          {
            *name = g_steal_pointer (&word);
            *args = call_arguments (after);
            return TRUE;
          }
        p = after + 1;
      }
    }
  return FALSE;
}

static char *
name_from_spec (const TlTaskSpec *spec)
{
  g_autofree char *id = _tl_python_identifier (spec->name);

  if (id == NULL)
    id = g_strdup ("task");
  if (_tl_python_is_reserved (id))
    return g_strconcat (id, "_task", NULL);
  return g_steal_pointer (&id);
}

static gboolean
is_leaf (const TlTaskSpec *spec)
{
  return !tl_kind_is_composite (spec->kind);
}

static char *
unique_name (GHashTable *taken,
             char       *wanted)
{
  char *name = wanted;

  for (guint n = 2; g_hash_table_contains (taken, name); n++)
    {
      if (name != wanted)
        g_free (name);
      name = g_strdup_printf ("%s_%u", wanted, n);
    }
  if (name != wanted)
    g_free (wanted);
  g_hash_table_add (taken, g_strdup (name));
  return name;
}

GStrv
_tl_python_function_names (TlPreset *preset)
{
  g_autoptr(GHashTable) wanted_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) leaf_bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char **bases = g_new0 (char *, preset->n_tasks);
  g_autofree char **argv = g_new0 (char *, preset->n_tasks);
  GStrv names = g_new0 (char *, preset->n_tasks + 1);

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      char *base = NULL;
      char *args = NULL;

      if (label_call (preset->tasks[i].label, &base, &args))
        {
          bases[i] = base;
          argv[i] = args;
        }
    }

  /* Leaves first: "fetch_user(1)" names the function that does the work;
   * a gather labelled "asyncio.gather(fetch_user(1), …)" must not take it. */
  for (guint i = 0; i < preset->n_tasks; i++)
    if (bases[i] != NULL && is_leaf (&preset->tasks[i]))
      {
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (wanted_by, bases[i]));
        g_hash_table_replace (wanted_by, g_strdup (bases[i]), GUINT_TO_POINTER (n + 1));
        g_hash_table_add (leaf_bases, g_strdup (bases[i]));
      }

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      const TlTaskSpec *spec = &preset->tasks[i];
      char *name = NULL;

      if (!is_leaf (spec) || bases[i] == NULL)
        continue;
      if (GPOINTER_TO_UINT (g_hash_table_lookup (wanted_by, bases[i])) == 1)
        name = g_strdup (bases[i]);
      else
        {
          /* Several leaves call the same function with other arguments:
           * fetch_user(1), fetch_user(2) → fetch_user_1, fetch_user_2. */
          g_autofree char *suffix = argv[i] != NULL && strstr (argv[i], "{i}") == NULL
                                    ? _tl_python_identifier (argv[i]) : NULL;

          if (suffix != NULL && strlen (suffix) <= 24)
            name = g_strdup_printf ("%s_%s", bases[i], suffix[0] == '_' ? suffix + 1 : suffix);
          else
            name = name_from_spec (spec);
        }
      if (g_hash_table_contains (taken, name))
        {
          g_free (name);
          name = name_from_spec (spec);
        }
      names[i] = unique_name (taken, name);
    }

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      const TlTaskSpec *spec = &preset->tasks[i];
      char *name;

      if (names[i] != NULL)
        continue;
      if (bases[i] != NULL && !is_leaf (spec) &&
          !g_hash_table_contains (leaf_bases, bases[i]) &&
          !g_hash_table_contains (taken, bases[i]))
        name = g_strdup (bases[i]);
      else
        name = name_from_spec (spec);
      names[i] = unique_name (taken, name);
    }

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      g_free (bases[i]);
      g_free (argv[i]);
    }
  return names;
}

char *
_tl_python_string (const char *text,
                   gboolean    with_copy)
{
  GString *out = g_string_new (NULL);
  gboolean f_string = with_copy && strstr (text, "{i}") != NULL;

  if (f_string)
    g_string_append_c (out, 'f');
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (f_string && strncmp (p, "{i}", 3) == 0)
        {
          g_string_append (out, "{i}");
          p += 2;
        }
      else if (f_string && (c == '{' || c == '}'))
        {
          g_string_append_c (out, c);
          g_string_append_c (out, c);
        }
      else if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
_tl_python_seconds (gint64 us)
{
  char *text;
  gsize len;

  if (us % G_USEC_PER_SEC == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, us / G_USEC_PER_SEC);
  text = g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                          us / G_USEC_PER_SEC, us % G_USEC_PER_SEC);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '0')
    text[--len] = '\0';
  return text;
}

/* Exceptions a Fail text may name; anything else is raised as a
 * RuntimeError carrying the whole text. */
static const char * const builtin_exceptions[] = {
  "Exception", "ValueError", "RuntimeError", "TypeError", "KeyError",
  "IndexError", "LookupError", "OSError", "ConnectionError",
  "ConnectionRefusedError", "ConnectionResetError", "PermissionError",
  "FileNotFoundError", "ZeroDivisionError", "ArithmeticError",
  "AssertionError", "NotImplementedError", "TimeoutError", "EOFError",
  "AttributeError", "UnicodeError", "MemoryError", "OverflowError",
  NULL
};

char *
_tl_python_raise (const char *fail,
                  gboolean    with_copy)
{
  const char *colon = strchr (fail, ':');

  if (colon != NULL)
    {
      g_autofree char *kind = g_strndup (fail, colon - fail);

      g_strstrip (kind);
      if (g_strv_contains (builtin_exceptions, kind))
        {
          g_autofree char *message = g_strdup (colon + 1);
          g_autofree char *literal = NULL;

          g_strstrip (message);
          literal = _tl_python_string (message, with_copy);
          return g_strdup_printf ("raise %s(%s)", kind, literal);
        }
    }
  {
    g_autofree char *literal = _tl_python_string (fail, with_copy);

    return g_strdup_printf ("raise RuntimeError(%s)", literal);
  }
}
