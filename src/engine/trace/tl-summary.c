/* tl-summary.c — per-section figures shared by the CLI and the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-summary"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/tl-number.h"
#include "trace/tl-summary.h"

/* Per instance of @section, how long it spent in the "blocked" state
 * (due while the loop was held); NULL when the loop never was, which
 * spares the walk over every event. */
static gint64 *
blocked_times (TlTrace *trace,
               guint    section)
{
  guint n_instances = tl_trace_get_n_instances (trace);
  guint n_events = tl_trace_get_n_events (trace);
  g_autofree gint64 *since = NULL;
  gint64 *blocked;

  if (tl_trace_get_max_loop_lag_us (trace) <= 0 || n_instances == 0)
    return NULL;

  blocked = g_new0 (gint64, n_instances);
  since = g_new (gint64, n_instances);
  for (guint i = 0; i < n_instances; i++)
    since[i] = -1;

  /* One instance's events are in time order, retro BLOCKED states
   * included (see tl-trace.h). */
  for (guint e = 0; e < n_events; e++)
    {
      const TlEvent *event = tl_trace_get_event (trace, e);

      if (event->type != TL_EVENT_STATE || event->instance >= n_instances ||
          tl_trace_get_instance (trace, event->instance)->section != section)
        continue;
      if (since[event->instance] >= 0)
        blocked[event->instance] += MAX (event->time_us - since[event->instance], 0);
      since[event->instance] = event->a == TL_STATE_BLOCKED ? event->time_us : -1;
    }

  return blocked;
}


typedef struct {
  gint64 time_us;
  int    delta;    /* +1 starts computing, -1 stops */
  guint8 on;       /* TlOn */
} CpuEdge;

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const CpuEdge *ea = a, *eb = b;

  if (ea->time_us != eb->time_us)
    return ea->time_us < eb->time_us ? -1 : 1;
  /* Stops before starts at one instant: a hand-over is not overlap. */
  return ea->delta - eb->delta;
}

/* How much of the processor the section's CPU work got, against what it
 * could have used: Work is CPU time measured on the worker's own CPU
 * clock, so the work ÷ the core-time its tasks held a place to compute
 * is the share of those cores the machine really gave. */
static void
compute_cpu (TlTrace          *trace,
             guint             section,
             TlSectionSummary *out)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  const TlSection *s = tl_trace_get_section (trace, section);
  guint n_instances = tl_trace_get_n_instances (trace);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (CpuEdge));
  guint running[3] = { 0, 0, 0 };
  gint64 last_us = 0;
  gint64 wall_us;

  out->cpu_cores = s->cpu_measured && s->cpu_cores > 0 ? s->cpu_cores : MAX (g_get_num_processors (), 1);
  out->cpu_share = 1.0;
  out->cpu_pressure = -1;

  for (guint32 i = 0; i < n_instances; i++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, i);
      const TlOutcome *outcome;
      const TlTaskSpec *spec;

      if (instance->section != section || instance->kind != TL_KIND_CPU || instance->on > TL_ON_PROCESS)
        continue;
      outcome = tl_trace_get_outcome (trace, i);
      /* A program's tasks have no spec: what they asked of the CPU is not
       * known, only how long they took. */
      spec = tl_trace_get_spec (trace, i);
      /* Only work known to be done in full: a cancelled computation says
       * nothing about how much of it ran. */
      if (spec == NULL || outcome->state != TL_STATE_OK || outcome->started_us < 0 ||
          outcome->finished_us <= outcome->started_us || spec->work_us <= 0)
        continue;

      out->cpu_work_us += spec->work_us;
      g_array_append_val (edges, ((CpuEdge) { outcome->started_us, +1, instance->on }));
      g_array_append_val (edges, ((CpuEdge) { outcome->finished_us, -1, instance->on }));
    }

  g_array_sort (edges, compare_edges);
  for (guint e = 0; e < edges->len; e++)
    {
      const CpuEdge *edge = &g_array_index (edges, CpuEdge, e);
      /* One loop computes one thing at a time, and so do threads sharing
       * a GIL; threads without it and processes each take a core. */
      guint wanted = MIN (running[TL_ON_LOOP], 1)
                     + (preset->gil ? MIN (running[TL_ON_THREAD], 1) : running[TL_ON_THREAD])
                     + running[TL_ON_PROCESS];

      if (e > 0)
        out->cpu_demand_us += (edge->time_us - last_us) * MIN (wanted, out->cpu_cores);
      last_us = edge->time_us;
      if (edge->delta > 0)
        running[edge->on]++;
      else if (running[edge->on] > 0)
        running[edge->on]--;
    }

  if (out->cpu_demand_us > 0)
    out->cpu_share = MIN ((double) out->cpu_work_us / (double) out->cpu_demand_us, 1.0);

  wall_us = out->wall_us;
  if (s->cpu_measured && s->cpu_pressure_us >= 0 && wall_us > 0)
    out->cpu_pressure = MIN ((double) s->cpu_pressure_us / (double) wall_us, 1.0);

  /* Judged on the real clock only, and on enough work that a scheduler
   * tick does not decide it. */
  out->cpu_contended = s->cpu_measured && out->cpu_work_us >= 100 * 1000 &&
                       out->cpu_share < TL_SUMMARY_CONTENDED_SHARE;
}

void
tl_summary_compute_section (TlTrace          *trace,
                            guint             section,
                            TlSectionSummary *out)
{
  const TlSection *s;
  guint n_instances;
  guint n_warnings;
  gint64 end_us;

  g_return_if_fail (trace != NULL);
  g_return_if_fail (out != NULL);

  g_autofree gint64 *blocked = NULL;
  g_autofree guint8 *parents = NULL;
  memset (out, 0, sizeof *out);
  g_return_if_fail (section < tl_trace_get_n_sections (trace));

  s = tl_trace_get_section (trace, section);
  /* A section cut short by a stop has no end yet: measure up to the end
   * of the trace so the figures still add up. */
  end_us = s->end_us >= 0 ? s->end_us : tl_trace_get_end_us (trace);
  out->wall_us = MAX (end_us - s->start_us, 0);

  n_instances = tl_trace_get_n_instances (trace);
  blocked = blocked_times (trace, section);
  /* A program's coroutine tasks are all "sequence": the ones that made no
   * task of their own are its leaves, whose time is the task time. */
  if (tl_trace_is_open (trace))
    {
      parents = g_new0 (guint8, MAX (n_instances, 1));
      for (guint32 i = 0; i < n_instances; i++)
        {
          guint32 parent = tl_trace_get_instance (trace, i)->parent;

          if (parent < n_instances)
            parents[parent] = 1;
        }
    }
  for (guint32 i = 0; i < n_instances; i++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, i);
      const TlOutcome *outcome;
      gboolean leaf;

      if (instance->section != section)
        continue;

      outcome = tl_trace_get_outcome (trace, i);
      if (outcome->state < TL_N_STATES)
        out->counts[outcome->state]++;

      leaf = !tl_kind_is_composite (instance->kind) ||
             (parents != NULL && instance->kind == TL_KIND_SEQUENCE && !parents[i]);
      if (leaf &&
          outcome->started_us >= 0 && outcome->finished_us >= outcome->started_us)
        {
          const TlTaskSpec *spec = tl_trace_get_spec (trace, i);
          gint64 own = outcome->finished_us - outcome->started_us;

          /* A task's own time is what it spent running or waiting on its
           * own account. Time stuck behind a held loop is the loop's, not
           * overlap; and a CPU task under the GIL (or on a busy machine)
           * does at most its Work, however long it took to get it done. */
          if (blocked != NULL)
            own -= MIN (blocked[i], own);
          if (instance->kind == TL_KIND_CPU && spec != NULL && spec->work_us > 0)
            own = MIN (own, spec->work_us);
          out->task_time_us += own;
        }
    }

  n_warnings = tl_trace_get_n_warnings (trace);
  for (guint w = 0; w < n_warnings; w++)
    {
      const TlWarning *warning = tl_trace_get_warning (trace, w);

      if (warning->instance < n_instances &&
          tl_trace_get_instance (trace, warning->instance)->section == section)
        out->n_warnings++;
    }

  out->overlap = out->wall_us > 0 ? (double) out->task_time_us / (double) out->wall_us : 0.0;
  compute_cpu (trace, section, out);
}

/* value / 10^decimals as text, rounded half away from zero. */
static char *
format_fixed (gint64      value,
              gint64      unit,
              guint       decimals,
              const char *suffix)
{
  gint64 scale = 1;
  gint64 scaled;

  for (guint i = 0; i < decimals; i++)
    scale *= 10;

  scaled = (value * scale + unit / 2) / unit;
  if (decimals == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", scaled, suffix);

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT " %s",
                          scaled / scale, (int) decimals, scaled % scale, suffix);
}

/* The unit, decimals and suffix a duration of @us (≥ 0) is written in
 * between a millisecond and a minute; FALSE outside that range. The
 * thresholds sit where rounding would otherwise print "1000 ms" or
 * "60.0 s" instead of moving to the next unit. */
static gboolean
fixed_unit_for (gint64       us,
                gint64      *unit,
                guint       *decimals,
                const char **suffix)
{
  if (us < 1000 || us >= 59950000)
    return FALSE;
  if (us < 9995)
    *unit = 1000, *decimals = 2, *suffix = "ms";
  else if (us < 99950)
    *unit = 1000, *decimals = 1, *suffix = "ms";
  else if (us < 999500)
    *unit = 1000, *decimals = 0, *suffix = "ms";
  else if (us < 9995000)
    *unit = G_USEC_PER_SEC, *decimals = 2, *suffix = "s";
  else
    *unit = G_USEC_PER_SEC, *decimals = 1, *suffix = "s";
  return TRUE;
}

char *
tl_format_duration (gint64 us)
{
  g_autofree char *text = NULL;
  gint64 unit;
  guint decimals;
  const char *suffix;

  if (us < 0)
    {
      text = tl_format_duration (us == G_MININT64 ? G_MAXINT64 : -us);
      return g_strconcat ("-", text, NULL);
    }

  if (us < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " µs", us);
  if (fixed_unit_for (us, &unit, &decimals, &suffix))
    return format_fixed (us, unit, decimals, suffix);

  {
    gint64 total_s = (us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;

    if (total_s < 3600)
      return g_strdup_printf ("%" G_GINT64_FORMAT " m %02d s", total_s / 60, (int) (total_s % 60));

    {
      gint64 total_m = (total_s + 30) / 60;
      return g_strdup_printf ("%" G_GINT64_FORMAT " h %02d m", total_m / 60, (int) (total_m % 60));
    }
  }
}

/* Two durations side by side ("1.00 s → 0.50 s"): within a factor of ten
 * of each other they share the unit and decimals the larger one gets, so
 * a change reads at a glance instead of "1.00 s → 501 ms"; further apart,
 * or outside a millisecond to a minute, each is written on its own. */
void
tl_format_duration_pair (gint64   a_us,
                         gint64   b_us,
                         char   **a_text,
                         char   **b_text)
{
  gint64 larger = MAX (a_us, b_us);
  gint64 smaller = MIN (a_us, b_us);
  gint64 unit;
  guint decimals;
  const char *suffix;

  if (smaller < 0 || smaller * 10 < larger || !fixed_unit_for (larger, &unit, &decimals, &suffix))
    {
      *a_text = tl_format_duration (a_us);
      *b_text = tl_format_duration (b_us);
      return;
    }
  *a_text = format_fixed (a_us, unit, decimals, suffix);
  *b_text = format_fixed (b_us, unit, decimals, suffix);
}

static const char *
section_name (TlTrace *trace,
              guint    section)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  const TlSection *s = tl_trace_get_section (trace, section);

  if (s->root < tl_trace_get_n_instances (trace))
    return tl_trace_get_task_name (trace, s->root);
  if (section < preset->n_sections)
    return preset->tasks[preset->sections[section]].name;
  return "?";
}

/* Cut short by a stop rather than ended by its own root. */
static gboolean
section_was_stopped (TlTrace *trace,
                     guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);
  const TlOutcome *outcome;

  if (s->end_us < 0)
    return TRUE;
  if (s->root >= tl_trace_get_n_instances (trace))
    return FALSE;
  outcome = tl_trace_get_outcome (trace, s->root);
  return outcome->state == TL_STATE_CANCELLED && outcome->cause == TL_CAUSE_USER;
}

/* Cut off by a Python program's process ending before its root did. */
static gboolean
section_was_cut_off (TlTrace *trace,
                     guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);
  const TlOutcome *outcome;

  if (s->root >= tl_trace_get_n_instances (trace))
    return FALSE;
  outcome = tl_trace_get_outcome (trace, s->root);
  return outcome->state == TL_STATE_CANCELLED && outcome->cause == TL_CAUSE_PROGRAM_ENDED;
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

static void
append_ratio (GString *out,
              double   ratio)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, ratio >= 9.95 ? "%.0f" : "%.1f", ratio));
  g_string_append (out, "×");
}

/* One count of the summary, its number grouped ("200,000 ok");
 * TL_STATE_CREATED stands for the unfinished ones. */
static void
append_count (GString *out,
              TlState  state,
              guint    n)
{
  g_autofree char *number = tl_format_count (n);

  switch (state)
    {
    case TL_STATE_OK:            g_string_append_printf (out, _("%s ok"), number); break;
    case TL_STATE_FAILED:        g_string_append_printf (out, _("%s failed"), number); break;
    case TL_STATE_CANCELLED:     g_string_append_printf (out, _("%s cancelled"), number); break;
    case TL_STATE_TIMED_OUT:     g_string_append_printf (out, _("%s timed out"), number); break;
    case TL_STATE_NEVER_STARTED: g_string_append_printf (out, _("%s never started"), number); break;
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_N_STATES:
    default:                     g_string_append_printf (out, _("%s unfinished"), number); break;
    }
}

static void
append_counts (GString                *out,
               const TlSectionSummary *summary)
{
  guint unfinished = 0;

  for (guint s = 0; s < TL_STATE_OK; s++)
    unfinished += summary->counts[s];

  append_count (out, TL_STATE_OK, summary->counts[TL_STATE_OK]);
  if (summary->counts[TL_STATE_FAILED] > 0)
    {
      g_string_append (out, " · ");
      append_count (out, TL_STATE_FAILED, summary->counts[TL_STATE_FAILED]);
    }
  if (summary->counts[TL_STATE_CANCELLED] > 0)
    {
      g_string_append (out, " · ");
      append_count (out, TL_STATE_CANCELLED, summary->counts[TL_STATE_CANCELLED]);
    }
  if (summary->counts[TL_STATE_TIMED_OUT] > 0)
    {
      g_string_append (out, " · ");
      append_count (out, TL_STATE_TIMED_OUT, summary->counts[TL_STATE_TIMED_OUT]);
    }
  if (summary->counts[TL_STATE_NEVER_STARTED] > 0)
    {
      g_string_append (out, " · ");
      append_count (out, TL_STATE_NEVER_STARTED, summary->counts[TL_STATE_NEVER_STARTED]);
    }
  if (unfinished > 0)
    {
      g_string_append (out, " · ");
      append_count (out, TL_STATE_CREATED, unfinished);
    }
}

static void
append_warning_group (GString         *out,
                      TlTrace         *trace,
                      const TlWarning *first,
                      guint            count)
{
  g_autofree char *label = tl_trace_dup_label_for_message (trace, first->instance);

  g_string_append_printf (out, "  ⚠ %s  %s: %s\n",
                          tl_warning_code_to_string (first->code),
                          label, first->message);
  if (count > 1)
    {
      const char *task = tl_trace_get_task_name (trace, first->instance);

      g_string_append (out, "    ");
      g_string_append_printf (out, ngettext ("… and %u more copy of %s with the same warning",
                                             "… and %u more copies of %s with the same warning", count - 1),
                              count - 1, task);
      g_string_append_c (out, '\n');
    }
}

/* Warnings of one kind about copies of one task (Repeat) come one after
 * another: one line for them all, so a million copies make two lines. */
static void
append_warnings (GString *out,
                 TlTrace *trace,
                 guint    section)
{
  guint n_instances = tl_trace_get_n_instances (trace);
  guint n_warnings = tl_trace_get_n_warnings (trace);
  const TlWarning *first = NULL;
  guint count = 0;

  for (guint w = 0; w < n_warnings; w++)
    {
      const TlWarning *warning = tl_trace_get_warning (trace, w);

      if (warning->instance >= n_instances ||
          tl_trace_get_instance (trace, warning->instance)->section != section)
        continue;

      if (first != NULL && warning->code == first->code &&
          tl_trace_same_task (trace, warning->instance, first->instance))
        {
          count++;
          continue;
        }
      if (first != NULL)
        append_warning_group (out, trace, first, count);
      first = warning;
      count = 1;
    }
  if (first != NULL)
    append_warning_group (out, trace, first, count);
}

/* Counts alone do not say why "1 failed": a section that failed or
 * timed out gets its error on a line of its own. */
static void
append_section_error (GString *out,
                      TlTrace *trace,
                      guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);
  const char *error;

  if (s->root >= tl_trace_get_n_instances (trace) ||
      (s->state != TL_STATE_FAILED && s->state != TL_STATE_TIMED_OUT))
    return;
  error = tl_trace_get_error (trace, s->root);
  if (error == NULL)
    return;
  g_string_append (out, "  ✗ ");
  if (s->state == TL_STATE_FAILED)
    g_string_append_printf (out, _("%s failed: %s"), section_name (trace, section), error);
  else
    g_string_append_printf (out, _("%s timed out: %s"), section_name (trace, section), error);
  g_string_append_c (out, '\n');
}


static char *
dup_section_label (TlTrace *trace,
                   guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);

  if (s->root < tl_trace_get_n_instances (trace))
    return tl_trace_dup_label_for_message (trace, s->root);
  return g_strdup (section_name (trace, section));
}

char *
tl_summary_dup_contention_note (TlTrace                *trace,
                                const TlSectionSummary *summary)
{
  g_autoptr(GString) out = NULL;
  int percent;

  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (summary != NULL, NULL);

  if (!summary->cpu_contended)
    return NULL;

  percent = (int) (summary->cpu_share * 100 + 0.5);
  out = g_string_new (NULL);
  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Other programs were using the processors: the CPU work here got only "
                                       "%d%% of the processor time it could use on %u core, so these times "
                                       "are stretched.",
                                       "Other programs were using the processors: the CPU work here got only "
                                       "%d%% of the processor time it could use on %u cores, so these times "
                                       "are stretched.",
                                       summary->cpu_cores),
                          percent, summary->cpu_cores);
  if (summary->cpu_pressure >= 0)
    {
      g_string_append_c (out, ' ');
      g_string_append_printf (out, _("Programs waited for a free processor %d%% of the time."),
                              (int) (summary->cpu_pressure * 100 + 0.5));
    }
  g_string_append_c (out, ' ');
  g_string_append (out, _("Run it again on a quieter machine to see the lesson."));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tl_summary_dup_comparison (TlTrace                *trace,
                           const TlSectionSummary *summaries,
                           guint                   n_sections)
{
  guint fastest = 0, slowest = 0;
  g_autofree char *fast = NULL;
  g_autofree char *slow = NULL;
  double ratio;

  g_return_val_if_fail (trace != NULL, NULL);

  if (n_sections < 2 || summaries == NULL)
    return NULL;

  for (guint s = 0; s < n_sections; s++)
    if (summaries[s].cpu_contended)
      {
        g_autofree char *label = dup_section_label (trace, s);

        /* A verdict measured on stolen cores could teach the opposite of
         * the lesson: say what happened instead. */
        return g_strdup_printf (_("No verdict: other programs took the processors during “%s”, "
                                  "so these times cannot be compared."), label);
      }

  for (guint s = 1; s < n_sections; s++)
    {
      if (summaries[s].wall_us < summaries[fastest].wall_us)
        fastest = s;
      if (summaries[s].wall_us > summaries[slowest].wall_us)
        slowest = s;
    }

  if (summaries[fastest].wall_us <= 0 ||
      (double) summaries[slowest].wall_us / (double) summaries[fastest].wall_us < 1.05)
    return g_strdup (_("about the same"));

  ratio = (double) summaries[slowest].wall_us / (double) summaries[fastest].wall_us;
  fast = dup_section_label (trace, fastest);
  slow = dup_section_label (trace, slowest);
  if (ratio >= 100)
    /* Translators: "gather: 120× faster than sequence" */
    return g_strdup_printf (_("%s: %.0f× faster than %s"), fast, ratio, slow);
  /* Translators: "gather: 3.0× faster than sequence" */
  return g_strdup_printf (_("%s: %.1f× faster than %s"), fast, ratio, slow);
}

/* With @stream, each section is written as soon as it is formatted and
 * NULL is returned; without, the whole text is. */
static char *
format_summary (TlTrace *trace,
                FILE    *stream)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree TlSectionSummary *summaries = NULL;
  guint n_sections;
  guint width = 0;


  n_sections = tl_trace_get_n_sections (trace);
  if (n_sections == 0)
    {
      g_string_append (out, _("No section ran."));
      g_string_append_c (out, '\n');
      if (stream != NULL)
        {
          fputs (out->str, stream);
          return NULL;
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  summaries = g_new0 (TlSectionSummary, n_sections);
  for (guint s = 0; s < n_sections; s++)
    {
      tl_summary_compute_section (trace, s, &summaries[s]);
      width = MAX (width, (guint) g_utf8_strlen (section_name (trace, s), -1));
    }

  for (guint s = 0; s < n_sections; s++)
    {
      const TlSectionSummary *summary = &summaries[s];
      g_autofree char *wall = tl_format_duration (summary->wall_us);
      g_autofree char *task_time = tl_format_duration (summary->task_time_us);

      append_padded (out, section_name (trace, s), width + 2);
      g_string_append_printf (out, _("%s wall"), wall);
      g_string_append (out, " · ");
      g_string_append_printf (out, _("%s of task time"), task_time);
      g_string_append (out, " · ");
      append_ratio (out, summary->overlap);
      g_string_append_printf (out, " %s", _("overlap"));
      g_string_append (out, " · ");
      append_counts (out, summary);
      if (section_was_stopped (trace, s))
        g_string_append_printf (out, " (%s)", _("stopped"));
      else if (section_was_cut_off (trace, s))
        g_string_append_printf (out, " (%s)", _("the program ended first"));
      g_string_append_c (out, '\n');
      append_section_error (out, trace, s);
      append_warnings (out, trace, s);
      {
        g_autofree char *note = tl_summary_dup_contention_note (trace, summary);

        if (note != NULL)
          g_string_append_printf (out, "  %s\n", note);
      }
      if (stream != NULL)
        {
          fputs (out->str, stream);
          g_string_truncate (out, 0);
        }
    }

  {
    TlPreset *preset = tl_trace_get_preset (trace);

    /* A stopped run leaves later sections out: say so rather than let
     * the comparison below pretend they never existed. */
    if (!tl_trace_is_open (trace) && n_sections < preset->n_sections)
      {
        g_string_append (out, _("Not run:"));
        for (guint s = n_sections; s < preset->n_sections; s++)
          g_string_append_printf (out, "%s %s", s > n_sections ? "," : "",
                                  preset->tasks[preset->sections[s]].name);
        g_string_append_c (out, '\n');
      }
  }

  if (n_sections > 1)
    {
      g_autofree char *verdict = tl_summary_dup_comparison (trace, summaries, n_sections);

      for (guint s = 0; s < n_sections; s++)
        {
          g_autofree char *wall = tl_format_duration (summaries[s].wall_us);
          g_autofree char *label = dup_section_label (trace, s);

          if (s > 0)
            g_string_append (out, " · ");
          g_string_append_printf (out, "%s %s", label, wall);
        }
      g_string_append_printf (out, " — %s\n", verdict);
    }

  if (stream != NULL)
    {
      fputs (out->str, stream);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tl_summary_format_text (TlTrace *trace)
{
  g_return_val_if_fail (trace != NULL, NULL);

  return format_summary (trace, NULL);
}

void
tl_summary_print (TlTrace *trace,
                  FILE    *stream)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (stream != NULL);

  format_summary (trace, stream);
}

