/* tl-runner-outcomes.c — what a task's ending reads as: default results,
 * error texts, result lists and why a task was cancelled
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "run/tl-runner-private.h"

/* A gather's result list names this many results, then counts the rest. */
#define RESULT_LIST_MAX 10

char *
_tl_runner_format_duration (gint64 us)
{
  if (us % G_USEC_PER_SEC == 0)
    return g_strdup_printf (_("%d s"), (int) (us / G_USEC_PER_SEC));
  if (us >= G_USEC_PER_SEC)
    return g_strdup_printf (_("%.3g s"), us / 1e6);
  if (us % 1000 == 0)
    return g_strdup_printf (_("%d ms"), (int) (us / 1000));
  return g_strdup_printf (_("%.3g ms"), us / 1e3);
}

const char *
_tl_runner_default_result (TlRunner *self,
                           TlInst   *inst)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, inst);
  g_autofree char *duration = NULL;

  if (self->default_results[inst->spec] != NULL)
    return self->default_results[inst->spec];

  switch (spec->kind)
    {
    case TL_KIND_SLEEP:
      duration = _tl_runner_format_duration (spec->duration_us);
      self->default_results[inst->spec] = g_strdup_printf (_("slept %s"), duration);
      break;
    case TL_KIND_BLOCKING:
      duration = _tl_runner_format_duration (spec->duration_us);
      self->default_results[inst->spec] = g_strdup_printf (_("blocked for %s"), duration);
      break;
    case TL_KIND_CPU:
      duration = _tl_runner_format_duration (spec->work_us);
      self->default_results[inst->spec] = g_strdup_printf (_("computed for %s"), duration);
      break;
    case TL_KIND_FETCH:
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      self->default_results[inst->spec] = g_strdup (_("done"));
      break;
    }

  return self->default_results[inst->spec];
}

char *
_tl_runner_dup_error_of (TlRunner *self,
                         TlInst   *child)
{
  const char *error = tl_trace_get_error (self->trace, child->id);
  g_autofree char *label = NULL;

  if (error != NULL)
    return g_strdup (error);

  label = tl_trace_dup_label_for_message (self->trace, child->id);
  return g_strdup_printf (_("CancelledError: %s was cancelled"), label);
}

/* What a child hands to its parent: its result, or for an error that was
 * caught or collected (ReturnExceptions), the error's text. */
const char *
_tl_runner_outcome_text (TlRunner *self,
                         TlInst   *child,
                         char    **to_free)
{
  const char *text;

  *to_free = NULL;
  if (child->state == TL_STATE_OK)
    {
      text = tl_trace_get_result (self->trace, child->id);
      return text != NULL ? text : "None";
    }
  if (child->flags & TL_INST_UNAWAITED)
    return "<coroutine>";
  *to_free = _tl_runner_dup_error_of (self, child);
  return *to_free;
}

char *
_tl_runner_format_result_list (TlRunner *self,
                               TlInst  **children,
                               guint     n_children)
{
  GString *str = g_string_new ("[");
  guint shown = 0;

  for (guint i = 0; i < n_children && shown < RESULT_LIST_MAX; i++, shown++)
    {
      g_autofree char *to_free = NULL;
      const char *text = _tl_runner_outcome_text (self, children[i], &to_free);

      if (shown > 0)
        g_string_append (str, ", ");
      g_string_append (str, text);
    }
  if (n_children > shown)
    g_string_append_printf (str, _(", … %u more"), n_children - shown);
  g_string_append_c (str, ']');

  return g_string_free (str, FALSE);
}

/* Why a task was cancelled, in words, for its CancelledError. */
char *
_tl_runner_dup_cancel_reason (TlRunner *self,
                              TlCause   cause,
                              guint32   cause_instance)
{
  g_autofree char *label = NULL;

  if (cause_instance != TL_NO_INSTANCE && cause_instance < self->n_insts)
    label = tl_trace_dup_label_for_message (self->trace, cause_instance);

  switch (cause)
    {
    case TL_CAUSE_TIMEOUT:
      {
        TlInst *source = label != NULL ? _tl_runner_inst_lookup (self, cause_instance) : NULL;
        g_autofree char *limit = source != NULL ? _tl_runner_format_duration (_tl_runner_inst_spec (self, source)->timeout_us) : NULL;

        if (limit != NULL)
          return g_strdup_printf (_("the timeout of %s (%s) passed"), label, limit);
        return g_strdup (_("a timeout passed"));
      }
    case TL_CAUSE_SIBLING_FAILED:
      if (label != NULL)
        return g_strdup_printf (_("its sibling %s failed (CancelOnError)"), label);
      return g_strdup (_("a sibling failed (CancelOnError)"));
    case TL_CAUSE_WAIT_PENDING:
      if (label != NULL)
        return g_strdup_printf (_("%s returned and cancelled what was still pending"), label);
      return g_strdup (_("a wait cancelled what was still pending"));
    case TL_CAUSE_PARENT:
      if (label != NULL)
        return g_strdup_printf (_("%s, which was awaiting it, was cancelled"), label);
      return g_strdup (_("what was awaiting it was cancelled"));
    case TL_CAUSE_SECTION_END:
      return g_strdup (_("it was still pending when its section ended"));
    case TL_CAUSE_USER:
      if (cause_instance == TL_NO_INSTANCE && self->stopping)
        return g_strdup (_("stopped by the user"));
      return g_strdup (_("cancelled by the user"));
    case TL_CAUSE_NONE:
    default:
      return g_strdup (_("cancelled"));
    }
}
