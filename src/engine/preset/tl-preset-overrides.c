/* tl-preset-overrides.c — a preset with a few values changed ("what if")
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <string.h>

#include "core/tl-duration.h"
#include "preset/tl-preset-overrides.h"

typedef struct {
  char           *group;   /* "Preset" or "Task NAME" */
  const char     *key;
  char           *value;   /* NULL: remove the key */
} Change;

struct _TlPresetOverrides
{
  GArray *changes;         /* Change, later ones replace earlier ones */
};

static const char * const pool_keys[TL_N_POOL_OVERRIDES] = { "Threads", "Processes", "Connections" };
static const char * const task_keys[TL_N_TASK_OVERRIDES] = { "Duration", "Work", "Timeout", "MaxWait" };

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_free (change->group);
  g_free (change->value);
}

TlPresetOverrides *
tl_preset_overrides_new (void)
{
  TlPresetOverrides *self = g_new0 (TlPresetOverrides, 1);

  self->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_array_set_clear_func (self->changes, change_clear);
  return self;
}

void
tl_preset_overrides_free (TlPresetOverrides *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->changes);
  g_free (self);
}

gboolean
tl_preset_overrides_is_empty (const TlPresetOverrides *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->changes->len == 0;
}

const char *
tl_pool_override_get_key (TlPoolOverride key)
{
  g_return_val_if_fail (key < TL_N_POOL_OVERRIDES, NULL);

  return pool_keys[key];
}

const char *
tl_task_override_get_key (TlTaskOverride key)
{
  g_return_val_if_fail (key < TL_N_TASK_OVERRIDES, NULL);

  return task_keys[key];
}

static void
add_change (TlPresetOverrides *self,
            char              *group,
            const char        *key,
            char              *value)
{
  Change change = { group, key, value };

  for (guint i = 0; i < self->changes->len; i++)
    {
      Change *old = &g_array_index (self->changes, Change, i);

      if (strcmp (old->group, group) == 0 && strcmp (old->key, key) == 0)
        {
          g_array_remove_index (self->changes, i);
          break;
        }
    }
  g_array_append_val (self->changes, change);
}

void
tl_preset_overrides_set_pool (TlPresetOverrides *self,
                              TlPoolOverride     key,
                              guint              value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key < TL_N_POOL_OVERRIDES);

  add_change (self, g_strdup ("Preset"), pool_keys[key], g_strdup_printf ("%u", value));
}

void
tl_preset_overrides_set_task (TlPresetOverrides *self,
                              const char        *task,
                              TlTaskOverride     key,
                              gint64             us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (task != NULL);
  g_return_if_fail (key < TL_N_TASK_OVERRIDES);

  add_change (self, g_strconcat ("Task ", task, NULL), task_keys[key],
              us >= 0 ? tl_duration_format (us) : NULL);
}

/* "[Task main]" → "Task main"; NULL when the line is not a group header. */
static char *
line_group (const char *line)
{
  const char *start = line;
  const char *end;

  while (*start == ' ' || *start == '\t')
    start++;
  if (*start != '[')
    return NULL;
  end = strrchr (start, ']');
  if (end == NULL)
    return NULL;
  return g_strndup (start + 1, end - start - 1);
}

/* Whether the line sets @key itself (not Key[ko], not a comment). */
static gboolean
line_sets_key (const char *line,
               const char *key)
{
  gsize len = strlen (key);

  while (*line == ' ' || *line == '\t')
    line++;
  if (strncmp (line, key, len) != 0)
    return FALSE;
  line += len;
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '=';
}

static gboolean
line_is_key (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return *line != '\0' && *line != '#' && *line != '[' && strchr (line, '=') != NULL;
}

static void
apply_change (GPtrArray    *lines,
              const Change *change)
{
  g_autofree char *wanted = NULL;
  gboolean in_group = FALSE;
  gint last_key = -1;
  gint header = -1;
  gint found = -1;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *group = line_group (line);

      if (group != NULL)
        {
          if (in_group)
            break;
          in_group = strcmp (group, change->group) == 0;
          if (in_group)
            header = (gint) i;
          continue;
        }
      if (!in_group)
        continue;
      if (line_is_key (line))
        last_key = (gint) i;
      if (line_sets_key (line, change->key))
        found = (gint) i;
    }

  if (header < 0)
    return;

  if (change->value == NULL)
    {
      if (found >= 0)
        g_ptr_array_remove_index (lines, found);
      return;
    }

  wanted = g_strdup_printf ("%s=%s", change->key, change->value);
  if (found >= 0)
    {
      g_free (g_ptr_array_index (lines, found));
      g_ptr_array_index (lines, found) = g_steal_pointer (&wanted);
    }
  else
    g_ptr_array_insert (lines, (last_key >= 0 ? last_key : header) + 1, g_steal_pointer (&wanted));
}

char *
tl_preset_dup_text_with_overrides (TlPreset                *preset,
                                   const TlPresetOverrides *overrides)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) split = NULL;

  g_return_val_if_fail (preset != NULL, NULL);
  g_return_val_if_fail (overrides != NULL, NULL);

  split = g_strsplit (preset->text != NULL ? preset->text : "", "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    g_ptr_array_add (lines, g_strdup (split[i]));

  for (guint i = 0; i < overrides->changes->len; i++)
    apply_change (lines, &g_array_index (overrides->changes, Change, i));

  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

TlPreset *
tl_preset_copy_with_overrides (TlPreset                *preset,
                               const TlPresetOverrides *overrides,
                               GError                 **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (preset != NULL, NULL);
  g_return_val_if_fail (overrides != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = tl_preset_dup_text_with_overrides (preset, overrides);
  /* Loaded as a recording is: under the original's names, questions and
   * all. */
  return tl_preset_new_from_recording (text, strlen (text), preset->file, preset->file,
                                       preset->builtin_name, error);
}
