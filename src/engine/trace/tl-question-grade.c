/* tl-question-grade.c — a learner's guess against what the run did
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-trace"

#include "config.h"

#include <glib/gi18n.h>

#include "preset/tl-preset.h"
#include "trace/tl-question-grade.h"
#include "trace/tl-summary.h"

#define MIN_TOLERANCE_US (50 * 1000)

const char *
tl_state_describe (TlState state)
{
  switch (state)
    {
    case TL_STATE_OK:            return _("finishes normally");
    case TL_STATE_FAILED:        return _("fails with an error");
    case TL_STATE_CANCELLED:     return _("is cancelled");
    case TL_STATE_TIMED_OUT:     return _("times out");
    case TL_STATE_NEVER_STARTED: return _("never starts");
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_N_STATES:
    default:
      return _("is still unfinished");
    }
}

gint64
tl_question_tolerance_us (const TlQuestion *question,
                          gint64            wall_us)
{
  g_return_val_if_fail (question != NULL, 0);

  if (question->tolerance_us >= 0)
    return question->tolerance_us;
  return MAX (MIN_TOLERANCE_US, wall_us / 10);
}

void
tl_grade_free (TlGrade *grade)
{
  if (grade == NULL)
    return;
  g_free (grade->result_order);
  g_free (grade->finish_order);
  g_free (grade->outcome);
  g_free (grade);
}

/* The instance of @ref in @section, or TL_NO_INSTANCE when the run never
 * created it (it stopped first). */
static guint32
find_instance (TlTrace         *trace,
               guint            section,
               const TlTaskRef *ref)
{
  guint n = tl_trace_get_n_instances (trace);

  for (guint32 id = 0; id < n; id++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, id);

      if (instance->section == section && instance->spec == ref->spec &&
          instance->copy == ref->copy)
        return id;
    }
  return TL_NO_INSTANCE;
}

static gint64
section_start (TlTrace *trace,
               guint    section)
{
  if (section < tl_trace_get_n_sections (trace))
    return tl_trace_get_section (trace, section)->start_us;
  return 0;
}

static gboolean
has_finished (const TlOutcome *outcome)
{
  return outcome->finished_us >= 0 && outcome->state != TL_STATE_NEVER_STARTED &&
         TL_STATE_IS_FINAL (outcome->state);
}

static void
grade_first_finished (const TlQuestion *q,
                      TlTrace          *trace,
                      const TlGuess    *guess,
                      TlGrade          *grade)
{
  gint64 best = -1;
  guint32 guessed = TL_NO_INSTANCE;

  for (guint i = 0; i < q->n_choices; i++)
    {
      guint32 id = find_instance (trace, q->section, &q->choices[i]);
      const TlOutcome *outcome;

      if (id == TL_NO_INSTANCE)
        continue;
      outcome = tl_trace_get_outcome (trace, id);
      if (i == guess->choice)
        guessed = id;
      if (has_finished (outcome) && (best < 0 || outcome->finished_us < best))
        {
          best = outcome->finished_us;
          grade->first = i;
        }
    }

  if (best < 0)
    {
      grade->verdict = TL_VERDICT_UNANSWERED;
      grade->outcome = g_strdup (_("None of the tasks finished before the run ended."));
      return;
    }

  grade->first_finished_us = best - section_start (trace, q->section);
  /* A tie is a tie: any of the tasks that finished at that instant counts. */
  grade->verdict = TL_VERDICT_WRONG;
  if (guessed != TL_NO_INSTANCE)
    {
      const TlOutcome *outcome = tl_trace_get_outcome (trace, guessed);
      if (has_finished (outcome) && outcome->finished_us == best)
        grade->verdict = TL_VERDICT_RIGHT;
    }

  g_autofree char *at = tl_format_duration (grade->first_finished_us);
  grade->outcome = g_strdup_printf (_("%s finished first, at %s."),
                                    q->choices[grade->first].label, at);
}

static void
grade_wall_time (const TlQuestion *q,
                 TlTrace          *trace,
                 const TlGuess    *guess,
                 TlGrade          *grade)
{
  guint n_sections = tl_trace_get_n_sections (trace);
  guint wanted = q->whole_run ? tl_trace_get_preset (trace)->n_sections : q->section + 1;
  g_autofree char *took = NULL;

  if (!tl_trace_ran_to_end (trace) || n_sections < wanted)
    {
      grade->verdict = TL_VERDICT_UNANSWERED;
      grade->outcome = g_strdup (_("The run was stopped before the end, so its wall time is unknown."));
      return;
    }

  if (q->whole_run)
    {
      grade->wall_us = 0;
      for (guint s = 0; s < n_sections; s++)
        {
          TlSectionSummary summary;

          tl_summary_compute_section (trace, s, &summary);
          grade->wall_us += summary.wall_us;
        }
    }
  else
    {
      TlSectionSummary summary;

      tl_summary_compute_section (trace, q->section, &summary);
      grade->wall_us = summary.wall_us;
    }

  if (q->n_durations > 0)
    {
      gint64 best = G_MAXINT64;

      for (guint i = 0; i < q->n_durations; i++)
        {
          gint64 distance = ABS (q->durations[i] - grade->wall_us);
          if (distance < best)
            {
              best = distance;
              grade->nearest = i;
            }
        }
      grade->verdict = guess->choice == grade->nearest ? TL_VERDICT_RIGHT : TL_VERDICT_WRONG;
    }
  else
    {
      grade->tolerance_us = tl_question_tolerance_us (q, grade->wall_us);
      grade->verdict = ABS (guess->wall_us - grade->wall_us) <= grade->tolerance_us
                       ? TL_VERDICT_RIGHT : TL_VERDICT_WRONG;
    }

  took = tl_format_duration (grade->wall_us);
  if (q->whole_run)
    grade->outcome = g_strdup_printf (_("The run took %s."), took);
  else
    grade->outcome = g_strdup_printf (_("Section “%s” took %s."),
                                      tl_trace_get_preset (trace)->tasks[tl_trace_get_preset (trace)->sections[q->section]].name,
                                      took);
}

static void
grade_final_state (const TlQuestion *q,
                   TlTrace          *trace,
                   const TlGuess    *guess,
                   TlGrade          *grade)
{
  guint32 id = find_instance (trace, q->section, &q->task);
  const TlOutcome *outcome = id != TL_NO_INSTANCE ? tl_trace_get_outcome (trace, id) : NULL;

  if (outcome == NULL || !TL_STATE_IS_FINAL (outcome->state) || tl_trace_was_stopped (trace))
    {
      grade->verdict = TL_VERDICT_UNANSWERED;
      grade->outcome = g_strdup (_("The run was stopped before the task could end on its own."));
      return;
    }

  grade->state = outcome->state;
  grade->verdict = guess->choice < q->n_states && q->states[guess->choice] == outcome->state
                   ? TL_VERDICT_RIGHT : TL_VERDICT_WRONG;
  if (outcome->finished_us >= 0 && outcome->state != TL_STATE_NEVER_STARTED)
    {
      g_autofree char *at = tl_format_duration (outcome->finished_us - section_start (trace, q->section));
      /* TRANSLATORS: "fetch_user(1) times out, at 1.00 s." */
      grade->outcome = g_strdup_printf (_("%s %s, at %s."), q->task.label,
                                        tl_state_describe (outcome->state), at);
    }
  else
    grade->outcome = g_strdup_printf (_("%s %s."), q->task.label,
                                      tl_state_describe (outcome->state));
}

static int
compare_finish (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const gint64 *finished = user_data;
  guint i = *(const guint *) a;
  guint j = *(const guint *) b;

  /* Unfinished tasks go last; ties keep the order of the choices. */
  gint64 fi = finished[i] < 0 ? G_MAXINT64 : finished[i];
  gint64 fj = finished[j] < 0 ? G_MAXINT64 : finished[j];
  if (fi != fj)
    return fi < fj ? -1 : 1;
  return i < j ? -1 : (i > j ? 1 : 0);
}

static char *
join_labels (const TlQuestion *q,
             const guint      *order)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < q->n_choices; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, q->choices[order[i]].label);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
grade_result_order (const TlQuestion *q,
                    TlTrace          *trace,
                    const TlGuess    *guess,
                    TlGrade          *grade)
{
  guint32 gather = find_instance (trace, q->section, &q->task);
  g_autofree gint64 *finished = g_new (gint64, q->n_choices);
  const guint32 *children;
  guint n_children = 0;
  guint n = 0;

  if (gather == TL_NO_INSTANCE || tl_trace_was_stopped (trace))
    {
      grade->verdict = TL_VERDICT_UNANSWERED;
      grade->outcome = g_strdup (_("The run was stopped before the gather could return."));
      return;
    }

  /* The gather's children in the trace are in the order it created them,
   * which is the order of its result list. */
  grade->n_order = q->n_choices;
  grade->result_order = g_new0 (guint, q->n_choices);
  grade->finish_order = g_new0 (guint, q->n_choices);
  children = tl_trace_get_children (trace, gather, &n_children);
  for (guint c = 0; c < n_children && n < q->n_choices; c++)
    {
      const TlInstance *child = tl_trace_get_instance (trace, children[c]);

      for (guint i = 0; i < q->n_choices; i++)
        if (q->choices[i].spec == child->spec && q->choices[i].copy == child->copy)
          {
            const TlOutcome *outcome = tl_trace_get_outcome (trace, children[c]);

            grade->result_order[n++] = i;
            finished[i] = has_finished (outcome) ? outcome->finished_us : -1;
          }
    }
  if (n != q->n_choices)
    {
      grade->verdict = TL_VERDICT_UNANSWERED;
      grade->outcome = g_strdup (_("The run was stopped before the gather could return."));
      return;
    }

  for (guint i = 0; i < n; i++)
    grade->finish_order[i] = i;
  g_qsort_with_data (grade->finish_order, n, sizeof (guint), compare_finish, finished);

  grade->verdict = TL_VERDICT_RIGHT;
  for (guint i = 0; i < n; i++)
    if (guess->order == NULL || guess->order[i] != grade->result_order[i])
      grade->verdict = TL_VERDICT_WRONG;

  g_autofree char *results = join_labels (q, grade->result_order);
  g_autofree char *finishes = join_labels (q, grade->finish_order);
  grade->outcome = g_strdup_printf (_("The results came back as %s; the tasks finished in the order %s."),
                                    results, finishes);
}

TlGrade *
tl_question_grade (const TlQuestion *question,
                   TlTrace          *trace,
                   const TlGuess    *guess)
{
  TlGrade *grade;

  g_return_val_if_fail (question != NULL, NULL);
  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (tl_trace_is_complete (trace), NULL);
  g_return_val_if_fail (guess != NULL, NULL);

  grade = g_new0 (TlGrade, 1);
  switch (question->kind)
    {
    case TL_QUESTION_FIRST_FINISHED:
      grade_first_finished (question, trace, guess, grade);
      break;
    case TL_QUESTION_WALL_TIME:
      grade_wall_time (question, trace, guess, grade);
      break;
    case TL_QUESTION_FINAL_STATE:
      grade_final_state (question, trace, guess, grade);
      break;
    case TL_QUESTION_RESULT_ORDER:
      grade_result_order (question, trace, guess, grade);
      break;
    default:
      g_return_val_if_reached (grade);
    }
  return grade;
}
