/* tl-preset-check.c — the checks of each section's task tree
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "preset/tl-preset-parser.h"

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
    return _tl_parser_fail (p, code, line_of_run (p), "Preset", "Run", "%s", detail);

  g_autofree char *display = g_strdup_printf ("Task %s", p->preset->tasks[parent].name);
  return _tl_parser_fail (p, code, line_of_key (p, parent, parent_key), display, parent_key, "%s", detail);
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
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_key (p, task, "Target"), display, "Target",
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

gboolean
_tl_parser_check_sections (Parser *p)
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
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_run (p), "Preset", "Run",
                                _("“%s” has Repeat=%u, but a task named in Run runs once per section; put it in a gather or sequence"),
                                root->name, root->repeat);
      if (!root->awaited)
        return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_run (p), "Preset", "Run",
                                _("“%s” has Awaited=false, so the section would never run it; remove Awaited or run another task"),
                                root->name);
      if (root->catch_error)
        {
          g_autofree char *display = g_strdup_printf ("Task %s", root->name);

          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line_of_key (p, preset->sections[s], "Catch"),
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
            return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, display, "Target",
                                    _("“%s” is awaited before the spawn that starts it; in section “%s” move the spawn task before this await"),
                                    target, root->name);
          return _tl_parser_fail (p, TL_PRESET_ERROR_INVALID, line, display, "Target",
                                  _("nothing in section “%s” spawns “%s” before this await; an await can only wait for a task that a spawn task (asyncio.create_task) started earlier in the same section"),
                                  root->name, target);
        }

      if (p->instances > TL_PRESET_MAX_INSTANCES)
        return _tl_parser_fail (p, TL_PRESET_ERROR_LIMIT, line_of_run (p), "Preset", "Run",
                                _("section “%s” creates more than 1,000,000 task instances once Repeat is counted; lower a Repeat"),
                                root->name);
      if (p->composites > TL_PRESET_MAX_INSTANCES)
        return _tl_parser_fail (p, TL_PRESET_ERROR_LIMIT, line_of_run (p), "Preset", "Run",
                                _("section “%s” creates more than 1,000,000 gather, sequence, wait, spawn and await instances once Repeat is counted; lower a Repeat"),
                                root->name);
    }

  return TRUE;
}
