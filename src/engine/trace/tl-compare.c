/* tl-compare.c — what changed between two runs, in words
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-compare"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "trace/tl-compare.h"
#include "trace/tl-summary.h"

/* A finishing time counts as changed when it moved by more than this
 * much and by more than 5 % — real clocks jitter by a few milliseconds. */
#define TIME_TOLERANCE_US 10000

GPtrArray *
tl_compare_dup_instance_keys (TlTrace *trace)
{
  g_autoptr(GHashTable) seen = NULL;
  guint n;
  GPtrArray *keys;

  g_return_val_if_fail (trace != NULL, NULL);

  n = tl_trace_get_n_instances (trace);
  keys = g_ptr_array_new_full (n, g_free);
  /* A key's first text (owned by @keys) → how many instances had it. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint32 id = 0; id < n; id++)
    {
      const TlInstance *i = tl_trace_get_instance (trace, id);
      const char *name = tl_trace_get_task_name (trace, id);
      char *key;
      gpointer first, count;

      /* Parents come before their children, so their keys exist. */
      if (i->parent == TL_NO_INSTANCE || i->parent >= id)
        key = g_strdup_printf ("%u/%s#%u", i->section, name, i->copy);
      else
        key = g_strdup_printf ("%s/%s#%u", (const char *) g_ptr_array_index (keys, i->parent), name, i->copy);

      /* A preset's copies differ in their Repeat number; a program's
       * tasks of one coroutine under one parent do not, and are told
       * apart by the order they were created in: "…/fetch#1~2". */
      if (g_hash_table_lookup_extended (seen, key, &first, &count))
        {
          guint nth = GPOINTER_TO_UINT (count) + 1;

          g_hash_table_insert (seen, first, GUINT_TO_POINTER (nth));
          g_free (key);
          key = g_strdup_printf ("%s~%u", (const char *) first, nth);
        }
      else
        g_hash_table_insert (seen, key, GUINT_TO_POINTER (1));
      g_ptr_array_add (keys, key);
    }
  return keys;
}

guint32 *
tl_compare_match_instances (TlTrace *before,
                            TlTrace *after)
{
  g_autoptr(GPtrArray) before_keys = NULL;
  g_autoptr(GPtrArray) after_keys = NULL;
  g_autoptr(GHashTable) index = NULL;
  guint n_after;
  guint32 *match;

  g_return_val_if_fail (before != NULL && after != NULL, NULL);
  g_return_val_if_fail (tl_trace_is_complete (before) && tl_trace_is_complete (after), NULL);

  before_keys = tl_compare_dup_instance_keys (before);
  after_keys = tl_compare_dup_instance_keys (after);
  index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < before_keys->len; i++)
    g_hash_table_insert (index, g_ptr_array_index (before_keys, i), GUINT_TO_POINTER (i + 1));

  n_after = after_keys->len;
  match = g_new (guint32, MAX (n_after, 1));
  for (guint i = 0; i < n_after; i++)
    {
      guint found = GPOINTER_TO_UINT (g_hash_table_lookup (index, g_ptr_array_index (after_keys, i)));

      match[i] = found > 0 ? found - 1 : TL_NO_INSTANCE;
    }
  return match;
}

static char *
pool_setting (guint value)
{
  return value > 0 ? g_strdup_printf ("%u", value) : g_strdup (_("default"));
}

static void
describe_settings (GPtrArray *lines,
                   TlPreset  *a,
                   TlPreset  *b)
{
  const struct { const char *name; guint before, after; } settings[] = {
    { N_("Threads"), a->threads, b->threads },
    { N_("Processes"), a->processes, b->processes },
    { N_("Connections"), a->connections, b->connections },
  };

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].before != settings[i].after)
      {
        g_autofree char *x = pool_setting (settings[i].before);
        g_autofree char *y = pool_setting (settings[i].after);

        /* Translators: "Threads: 2 → 5" */
        g_ptr_array_add (lines, g_strdup_printf (_("%s: %s → %s"), _(settings[i].name), x, y));
      }
}

static void
describe_sections (GPtrArray *lines,
                   TlTrace   *before,
                   TlTrace   *after)
{
  TlPreset *preset = tl_trace_get_preset (after);
  guint n = MIN (tl_trace_get_n_sections (before), tl_trace_get_n_sections (after));

  for (guint s = 0; s < n; s++)
    {
      TlSectionSummary x, y;
      g_autofree char *wx = NULL;
      g_autofree char *wy = NULL;
      const char *name = s < preset->n_sections ? preset->tasks[preset->sections[s]].name
                         : tl_trace_get_task_name (after, tl_trace_get_section (after, s)->root);

      tl_summary_compute_section (before, s, &x);
      tl_summary_compute_section (after, s, &y);
      tl_format_duration_pair (x.wall_us, y.wall_us, &wx, &wy);

      if (x.wall_us > 0 && y.wall_us > 0 &&
          ABS (x.wall_us - y.wall_us) > MAX (TIME_TOLERANCE_US, MAX (x.wall_us, y.wall_us) / 20))
        {
          g_autofree char *factor = g_strdup_printf ("%.1f", y.wall_us < x.wall_us
                                                             ? (double) x.wall_us / y.wall_us
                                                             : (double) y.wall_us / x.wall_us);

          g_ptr_array_add (lines, g_strdup_printf (y.wall_us < x.wall_us
                                                   /* Translators: "main: wall time 1.50 s → 1.25 s, 1.2× faster" */
                                                   ? _("%s: wall time %s → %s, %s× faster")
                                                   : _("%s: wall time %s → %s, %s× slower"),
                                                   name, wx, wy, factor));
        }
      else
        g_ptr_array_add (lines, g_strdup_printf (_("%s: wall time %s → %s, about the same"), name, wx, wy));

      if (ABS (x.overlap - y.overlap) >= 0.05)
        {
          g_autofree char *ox = g_strdup_printf ("%.1f", x.overlap);
          g_autofree char *oy = g_strdup_printf ("%.1f", y.overlap);

          /* Translators: "main: overlap 1.7× → 2.0×" */
          g_ptr_array_add (lines, g_strdup_printf (_("%s: overlap %s× → %s×"), name, ox, oy));
        }
    }
}

static void
describe_tasks (GPtrArray *lines,
                TlTrace   *before,
                TlTrace   *after)
{
  g_autofree guint32 *match = tl_compare_match_instances (before, after);
  g_autofree gboolean *matched = NULL;
  guint n_after = tl_trace_get_n_instances (after);
  guint n_before = tl_trace_get_n_instances (before);
  guint only_before = 0, only_after = 0, changed = 0;

  matched = g_new0 (gboolean, MAX (n_before, 1));
  for (guint32 id = 0; id < n_after; id++)
    {
      const TlOutcome *y = tl_trace_get_outcome (after, id);
      const TlOutcome *x;
      g_autofree char *line = NULL;

      if (match[id] == TL_NO_INSTANCE)
        {
          only_after++;
          continue;
        }
      matched[match[id]] = TRUE;
      x = tl_trace_get_outcome (before, match[id]);

      if (x->state != y->state)
        {
          g_autofree char *label = tl_trace_dup_label_for_message (after, id);

          /* Translators: "fetch(2): ok → timed-out" */
          line = g_strdup_printf (_("%s: %s → %s"), label,
                                  tl_state_to_string (x->state), tl_state_to_string (y->state));
        }
      else if (x->finished_us >= 0 && y->finished_us >= 0 &&
               ABS (x->finished_us - y->finished_us) > MAX (TIME_TOLERANCE_US, MAX (x->finished_us, y->finished_us) / 20))
        {
          g_autofree char *label = tl_trace_dup_label_for_message (after, id);
          g_autofree char *tx = NULL;
          g_autofree char *ty = NULL;

          tl_format_duration_pair (x->finished_us, y->finished_us, &tx, &ty);
          /* Translators: "blocking_io(3): finished at 1.00 s → 0.50 s" */
          line = g_strdup_printf (_("%s: finished at %s → %s"), label, tx, ty);
        }

      if (line == NULL)
        continue;
      if (changed < TL_COMPARE_MAX_TASK_LINES)
        g_ptr_array_add (lines, g_steal_pointer (&line));
      changed++;
    }

  if (changed > TL_COMPARE_MAX_TASK_LINES)
    g_ptr_array_add (lines, g_strdup_printf (ngettext ("… and %u more task changed",
                                                       "… and %u more tasks changed",
                                                       changed - TL_COMPARE_MAX_TASK_LINES),
                                             changed - TL_COMPARE_MAX_TASK_LINES));

  for (guint32 id = 0; id < n_before; id++)
    if (!matched[id])
      only_before++;
  if (only_before > 0)
    g_ptr_array_add (lines, g_strdup_printf (ngettext ("%u task ran only in the first run",
                                                       "%u tasks ran only in the first run", only_before),
                                             only_before));
  if (only_after > 0)
    g_ptr_array_add (lines, g_strdup_printf (ngettext ("%u task ran only in the second run",
                                                       "%u tasks ran only in the second run", only_after),
                                             only_after));
}

static void
describe_warnings (GPtrArray *lines,
                   TlTrace   *before,
                   TlTrace   *after)
{
  guint x[TL_N_WARNINGS] = { 0 };
  guint y[TL_N_WARNINGS] = { 0 };

  for (guint i = 0; i < tl_trace_get_n_warnings (before); i++)
    x[tl_trace_get_warning (before, i)->code]++;
  for (guint i = 0; i < tl_trace_get_n_warnings (after); i++)
    y[tl_trace_get_warning (after, i)->code]++;

  for (guint code = 0; code < TL_N_WARNINGS; code++)
    if (x[code] != y[code])
      /* Translators: "warnings “never-awaited”: 1 → 0" */
      g_ptr_array_add (lines, g_strdup_printf (_("warnings “%s”: %u → %u"),
                                               tl_warning_code_to_string (code), x[code], y[code]));
}

char *
tl_compare_describe (TlTrace *before,
                     TlTrace *after)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint n_sections;

  g_return_val_if_fail (before != NULL && after != NULL, NULL);
  g_return_val_if_fail (tl_trace_is_complete (before) && tl_trace_is_complete (after), NULL);

  describe_settings (lines, tl_trace_get_preset (before), tl_trace_get_preset (after));
  n_sections = lines->len;
  describe_sections (lines, before, after);
  n_sections = lines->len - n_sections;
  describe_tasks (lines, before, after);
  describe_warnings (lines, before, after);

  /* Only the "about the same" wall lines: say it in one sentence more. */
  if (lines->len == n_sections)
    g_ptr_array_add (lines, g_strdup (_("No task changed its final state or finishing time, and the warnings are the same.")));

  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}
