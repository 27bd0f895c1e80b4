/* tl-runner.c — sections, task instances, combinators and cancellation
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runner mirrors asyncio: each section is one asyncio.run(); a task's
 * end is announced through a ready queue (call_soon), so composites react
 * on the next turn of the loop and deep chains never recurse; timers sit
 * in one heap served by the clock's single GSource.
 */
#define G_LOG_DOMAIN "tl-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "core/tl-text.h"
#include "run/tl-runner-private.h"


enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TlRunner, tl_runner, G_TYPE_OBJECT)

static void inst_start     (TlRunner *self, TlInst *inst);
static void inst_cancel    (TlRunner *self, TlInst *inst, TlCause cause, guint32 cause_instance);
static void section_begin  (TlRunner *self, guint section);
static void run_finish     (TlRunner *self);

static inline gboolean
inst_is_final (const TlInst *inst)
{
  return TL_STATE_IS_FINAL (inst->state);
}

/* ---- counters and states ------------------------------------------- */

void
_tl_runner_flush_counters (TlRunner *self)
{
  tl_task_counts_record (&self->counts, self->trace, TL_RUNNER_NOW (self));
}

void
_tl_runner_set_live_state (TlRunner *self,
                           TlInst   *inst,
                           TlState   state,
                           gint64    time_us)
{
  g_assert (!TL_STATE_IS_FINAL (state));

  if (inst_is_final (inst) || inst->state == state)
    return;

  tl_task_counts_change (&self->counts, inst->state, state);
  inst->state = state;
  tl_trace_set_state (self->trace, inst->id, state, time_us);
}

/* ---- the ready queue ----------------------------------------------- */

static void
push_ready (TlRunner *self,
            TlInst   *inst,
            TlAction  action)
{
  inst->action = action;
  if (inst->flags & TL_INST_IN_READY)
    return;

  inst->flags |= TL_INST_IN_READY;
  inst->ready_next = NULL;
  if (self->ready_tail != NULL)
    self->ready_tail->ready_next = inst;
  else
    self->ready_head = inst;
  self->ready_tail = inst;
  self->n_ready++;

  if (self->clock != NULL)
    tl_clock_wake (self->clock);
}

static TlInst *
pop_ready (TlRunner *self)
{
  TlInst *inst = self->ready_head;

  if (inst == NULL)
    return NULL;

  self->ready_head = inst->ready_next;
  if (self->ready_head == NULL)
    self->ready_tail = NULL;
  inst->ready_next = NULL;
  inst->flags &= ~TL_INST_IN_READY;
  self->n_ready--;

  return inst;
}

/* ---- instances ----------------------------------------------------- */

static void timeout_timer_cb  (TlTimer *timer, gint64 now_us, gpointer user_data);
static void max_wait_timer_cb (TlTimer *timer, gint64 now_us, gpointer user_data);

TlInstExtra *
_tl_runner_ensure_extra (TlRunner *self,
                         TlInst   *inst)
{
  if (inst->extra == NULL)
    {
      inst->extra = g_new0 (TlInstExtra, 1);
      inst->extra->owner = inst;
      inst->extra->runner = self;
      inst->extra->job_started_us = -1;
      tl_timer_init (&inst->extra->timeout_timer, timeout_timer_cb);
      tl_timer_init (&inst->extra->max_wait_timer, max_wait_timer_cb);
    }
  return inst->extra;
}


static TlInst *
inst_new (TlRunner *self,
          TlInst   *parent,
          guint     spec_index,
          guint     copy)
{
  const TlTaskSpec *spec = &self->preset->tasks[spec_index];
  guint32 id;
  TlInst *inst;

  id = tl_trace_add_instance (self->trace,
                              parent != NULL ? parent->id : TL_NO_INSTANCE,
                              spec_index, copy, self->section,
                              tl_kind_is_composite (spec->kind) ? TL_ON_LOOP : spec->on,
                              TL_RUNNER_NOW (self));
  /* The runner is the trace's only writer, so ids are dense and ours. */
  g_assert (id == self->n_insts);

  if ((id >> TL_RUNNER_INST_CHUNK_BITS) >= self->n_chunks)
    {
      self->n_chunks++;
      self->chunks = g_renew (TlInst *, self->chunks, self->n_chunks);
      self->chunks[self->n_chunks - 1] = g_new0 (TlInst, TL_RUNNER_INST_CHUNK_SIZE);
    }
  self->n_insts++;

  inst = _tl_runner_inst_lookup (self, id);
  tl_timer_init (&inst->timer, NULL);
  inst->parent = parent;
  inst->id = id;
  inst->spec = spec_index;
  inst->copy = MAX (copy, 1);
  inst->state = TL_STATE_CREATED;

  if (spec->timeout_us >= 0 || spec->kind == TL_KIND_WAIT)
    _tl_runner_ensure_extra (self, inst);

  return inst;
}

static guint
count_children (TlRunner         *self,
                const TlTaskSpec *spec)
{
  guint64 n = 0;

  for (guint i = 0; i < spec->n_children; i++)
    n += MAX (self->preset->tasks[spec->children[i]].repeat, 1);

  return (guint) MIN (n, G_MAXUINT32);
}

static TlInst *
create_next_child (TlRunner *self,
                   TlInst   *parent)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, parent);
  guint child_spec;
  TlInst *child;

  /* Children are created in order, so a cursor replaces a search through
   * the Repeat counts (a gather may list thousands of specs). */
  g_assert (parent->next_child < spec->n_children);
  child_spec = spec->children[parent->next_child];
  child = inst_new (self, parent, child_spec, ++parent->next_copy);
  if (parent->next_copy >= MAX (self->preset->tasks[child_spec].repeat, 1))
    {
      parent->next_child++;
      parent->next_copy = 0;
    }

  parent->children[parent->n_created++] = child;
  return child;
}

/* ---- endings ------------------------------------------------------- */

void
_tl_runner_finish (TlRunner *self,
                   TlInst   *inst,
                   TlState   final_state,
                   TlCause   cause,
                   guint32   cause_instance)
{
  gint64 now = TL_RUNNER_NOW (self);

  g_assert (TL_STATE_IS_FINAL (final_state));

  if (inst_is_final (inst))
    return;

  tl_task_counts_change (&self->counts, inst->state, final_state);

  /* A simulated thread job keeps its slot (and its timer) until the call
   * would really return; everything else stops now. */
  if (!(inst->flags & TL_INST_VJOB_ACTIVE))
    tl_clock_disarm (self->clock, &inst->timer);
  if (inst->extra != NULL)
    {
      tl_clock_disarm (self->clock, &inst->extra->timeout_timer);
      tl_clock_disarm (self->clock, &inst->extra->max_wait_timer);
    }

  if (final_state == TL_STATE_OK || final_state == TL_STATE_FAILED)
    tl_trace_set_state (self->trace, inst->id, final_state, now);
  else
    tl_trace_set_cancelled (self->trace, inst->id, final_state, cause, cause_instance, now);

  inst->state = final_state;
  push_ready (self, inst, TL_ACTION_NOTIFY);
}

void
_tl_runner_fail (TlRunner   *self,
                 TlInst     *inst,
                 const char *message)
{
  if (inst_is_final (inst))
    return;

  tl_trace_set_error (self->trace, inst->id, message);
  tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_ERROR_RAISED,
                      inst->id, 0, 0, 0);
  _tl_runner_finish (self, inst, TL_STATE_FAILED, TL_CAUSE_NONE, TL_NO_INSTANCE);
}

static void
finish_ok (TlRunner   *self,
           TlInst     *inst,
           const char *result)
{
  if (inst_is_final (inst))
    return;
  if (result != NULL)
    tl_trace_set_result (self->trace, inst->id, result);
  _tl_runner_finish (self, inst, TL_STATE_OK, TL_CAUSE_NONE, TL_NO_INSTANCE);
}

void
_tl_runner_leaf_done (TlRunner   *self,
                      TlInst     *inst,
                      gint64      blocked_from_us,
                      const char *result)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, inst);
  gint64 now = TL_RUNNER_NOW (self);

  if (inst_is_final (inst))
    return;

  /* Ready since @blocked_from_us, but the loop was held: the state is
   * written now, at the earlier time (the trace allows this one case). */
  if (blocked_from_us >= 0 && blocked_from_us < now)
    {
      tl_task_counts_change (&self->counts, inst->state, TL_STATE_BLOCKED);
      inst->state = TL_STATE_BLOCKED;
      tl_trace_set_state (self->trace, inst->id, TL_STATE_BLOCKED, blocked_from_us);
    }

  if (spec->fail != NULL)
    {
      g_autofree char *message = tl_preset_expand (spec->fail, inst->copy);

      _tl_runner_fail (self, inst, message);
      return;
    }

  if (spec->result != NULL)
    {
      if (strstr (spec->result, "{i}") != NULL)
        tl_trace_take_result (self->trace, inst->id, tl_preset_expand (spec->result, inst->copy));
      else
        tl_trace_set_result (self->trace, inst->id, spec->result);
      finish_ok (self, inst, NULL);
    }
  else
    finish_ok (self, inst, result != NULL ? result : _tl_runner_default_result (self, inst));
}

/* An error that reaches the parent; FALSE when the child ended well, was
 * never meant to run, or its error was caught. */
static gboolean
child_failed (TlRunner *self,
              TlInst   *child)
{
  if (_tl_runner_inst_spec (self, child)->catch_error)
    return FALSE;

  switch ((TlState) child->state)
    {
    case TL_STATE_FAILED:
    case TL_STATE_TIMED_OUT:
    case TL_STATE_CANCELLED:
      return TRUE;
    case TL_STATE_NEVER_STARTED:
      return !(child->flags & TL_INST_UNAWAITED);
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_STATE_OK:
    case TL_N_STATES:
    default:
      return FALSE;
    }
}

/* ---- composites ---------------------------------------------------- */

static void
start_child (TlRunner *self,
             TlInst   *parent,
             TlInst   *child)
{
  if (!_tl_runner_inst_spec (self, child)->awaited)
    {
      /* The coroutine object exists but nobody awaits it: it never runs. */
      child->flags |= TL_INST_UNAWAITED;
      _tl_runner_finish (self, child, TL_STATE_NEVER_STARTED, TL_CAUSE_NONE, TL_NO_INSTANCE);
      parent->n_done++;
      parent->n_skipped++;
      return;
    }
  inst_start (self, child);
}

static void
sequence_advance (TlRunner *self,
                  TlInst   *seq)
{
  while (!inst_is_final (seq))
    {
      TlInst *child;

      if (seq->n_done >= seq->n_children)
        {
          const char *result = NULL;
          g_autofree char *to_free = NULL;

          if (seq->n_children > 0)
            result = _tl_runner_outcome_text (self, seq->children[seq->n_children - 1], &to_free);
          finish_ok (self, seq, result != NULL ? result : "None");
          return;
        }

      /* A coroutine is created when the code reaches it. */
      child = create_next_child (self, seq);
      if (!_tl_runner_inst_spec (self, child)->awaited)
        {
          start_child (self, seq, child);
          continue;
        }
      inst_start (self, child);
      return;
    }
}

/* Children a stopped sequence never reached still get their lanes. */
static void
sequence_create_rest (TlRunner *self,
                      TlInst   *seq,
                      TlCause   cause,
                      guint32   cause_instance)
{
  while (seq->n_created < seq->n_children)
    {
      TlInst *child = create_next_child (self, seq);

      _tl_runner_finish (self, child, TL_STATE_NEVER_STARTED, cause, cause_instance);
    }
}

static void
wait_return (TlRunner *self,
             TlInst   *wait)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, wait);
  guint done = wait->n_done - wait->n_skipped;
  guint pending = wait->n_children - wait->n_skipped - done;
  g_autofree char *result = NULL;

  if (inst_is_final (wait))
    return;

  result = g_strdup_printf (_("%u done, %u pending"), done, pending);
  finish_ok (self, wait, result);

  for (guint i = 0; i < wait->n_created; i++)
    if (!inst_is_final (wait->children[i]))
      {
        /* Like the pending set asyncio.wait() hands back: an error
         * raised there later is never retrieved. */
        wait->children[i]->left_pending = TRUE;
        if (spec->cancel_pending)
          inst_cancel (self, wait->children[i], TL_CAUSE_WAIT_PENDING, wait->id);
      }
}

static void
wait_check (TlRunner *self,
            TlInst   *wait)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, wait);
  gboolean all = wait->n_done >= wait->n_children;
  guint done = wait->n_done - wait->n_skipped;

  switch (spec->return_when)
    {
    case TL_RETURN_FIRST_COMPLETED:
      if (done > 0 || all)
        wait_return (self, wait);
      break;
    case TL_RETURN_FIRST_EXCEPTION:
      if (wait->failed_early || all)
        wait_return (self, wait);
      break;
    case TL_RETURN_ALL_COMPLETED:
    default:
      if (all)
        wait_return (self, wait);
      break;
    }
}

static void
start_children_at_once (TlRunner *self,
                        TlInst   *inst)
{
  /* gather/wait wrap every coroutine into a task, and the tasks take
   * their first steps on the loop's next turn, in order. */
  while (inst->n_created < inst->n_children)
    {
      TlInst *child = create_next_child (self, inst);

      if (_tl_runner_inst_spec (self, child)->awaited)
        push_ready (self, child, TL_ACTION_START);
      else
        start_child (self, inst, child);
    }
}

static GPtrArray *
spawned_list (TlRunner *self,
              guint     spec)
{
  return g_hash_table_lookup (self->spawned, GUINT_TO_POINTER (spec));
}

static void
await_check (TlRunner *self,
             TlInst   *await)
{
  TlInst *failed = NULL;
  gint64 now = TL_RUNNER_NOW (self);

  if (inst_is_final (await))
    return;

  for (guint i = 0; i < await->n_children; i++)
    if (!inst_is_final (await->children[i]))
      return;

  for (guint i = 0; i < await->n_children; i++)
    {
      TlInst *target = await->children[i];

      target->flags |= TL_INST_RETRIEVED;
      tl_trace_add_event (self->trace, now, TL_EVENT_RESULT_TAKEN, target->id, 0, 0, await->id);
      if (failed == NULL && child_failed (self, target))
        failed = target;
    }

  if (failed != NULL)
    {
      g_autofree char *message = _tl_runner_dup_error_of (self, failed);

      _tl_runner_fail (self, await, message);
    }
  else if (await->n_children == 1)
    {
      g_autofree char *to_free = NULL;

      finish_ok (self, await, _tl_runner_outcome_text (self, await->children[0], &to_free));
    }
  else
    {
      g_autofree char *list = _tl_runner_format_result_list (self, await->children, await->n_children);

      finish_ok (self, await, list);
    }
}

static void
start_spawn (TlRunner *self,
             TlInst   *spawn)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, spawn);
  const TlTaskSpec *target_spec = &self->preset->tasks[spec->target];
  guint repeat = MAX (target_spec->repeat, 1);
  GPtrArray *list = spawned_list (self, spec->target);
  guint first;
  g_autofree char *label = NULL;
  g_autofree char *result = NULL;

  _tl_runner_set_live_state (self, spawn, TL_STATE_RUNNING, TL_RUNNER_NOW (self));

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (self->spawned, GUINT_TO_POINTER (spec->target), list);
    }

  first = list->len;
  for (guint copy = 1; copy <= repeat; copy++)
    {
      TlInst *target = inst_new (self, spawn, spec->target, copy);

      target->flags |= TL_INST_SPAWNED;
      _tl_runner_ensure_extra (self, target);
      g_ptr_array_add (list, target);
      tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_SPAWNED,
                          spawn->id, 0, 0, target->id);
      if (copy == 1)
        label = tl_trace_dup_label_for_message (self->trace, target->id);
    }

  result = g_strdup_printf (_("started %s"), label);
  finish_ok (self, spawn, result);

  /* create_task() does not yield: the caller carries on first, and the
   * new task takes its first step on the loop's next turn after that.
   * Queued behind the spawn's own end, the targets start once the
   * parent's next step has run. */
  for (guint i = first; i < list->len; i++)
    push_ready (self, g_ptr_array_index (list, i), TL_ACTION_START);
}

static void
start_await (TlRunner *self,
             TlInst   *await)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, await);
  GPtrArray *list = spawned_list (self, spec->target);

  _tl_runner_set_live_state (self, await, TL_STATE_WAITING, TL_RUNNER_NOW (self));

  if (list == NULL || list->len == 0)
    {
      const char *name = self->preset->tasks[spec->target].name;
      g_autofree char *message =
        g_strdup_printf (_("RuntimeError: nothing started %s before this await"), name);

      _tl_runner_fail (self, await, message);
      return;
    }

  await->n_children = list->len;
  await->n_created = list->len;
  await->children = g_new (TlInst *, list->len);
  for (guint i = 0; i < list->len; i++)
    {
      TlInst *target = g_ptr_array_index (list, i);

      await->children[i] = target;
      if (!inst_is_final (target))
        target->extra->awaiters = g_slist_prepend (target->extra->awaiters, await);
    }

  await_check (self, await);
}

static void
inst_start (TlRunner *self,
            TlInst   *inst)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, inst);
  gint64 now = TL_RUNNER_NOW (self);

  if (inst_is_final (inst) || (inst->flags & TL_INST_STARTED))
    return;
  inst->flags |= TL_INST_STARTED;

  if (spec->timeout_us >= 0)
    {
      gint64 deadline = now + spec->timeout_us;

      tl_trace_add_event (self->trace, now, TL_EVENT_DEADLINE, inst->id, 0, 0, deadline);
      tl_clock_arm (self->clock, &inst->extra->timeout_timer, deadline);
    }

  switch (spec->kind)
    {
    case TL_KIND_SEQUENCE:
      _tl_runner_set_live_state (self, inst, TL_STATE_WAITING, now);
      inst->n_children = count_children (self, spec);
      inst->children = g_new0 (TlInst *, MAX (inst->n_children, 1));
      sequence_advance (self, inst);
      break;

    case TL_KIND_GATHER:
      _tl_runner_set_live_state (self, inst, TL_STATE_WAITING, now);
      inst->n_children = count_children (self, spec);
      inst->children = g_new0 (TlInst *, MAX (inst->n_children, 1));
      start_children_at_once (self, inst);
      if (!inst_is_final (inst) && inst->n_done >= inst->n_children)
        {
          g_autofree char *list = _tl_runner_format_result_list (self, inst->children, inst->n_children);

          finish_ok (self, inst, list);
        }
      break;

    case TL_KIND_WAIT:
      _tl_runner_set_live_state (self, inst, TL_STATE_WAITING, now);
      if (spec->max_wait_us >= 0)
        {
          gint64 deadline = now + spec->max_wait_us;

          tl_trace_add_event (self->trace, now, TL_EVENT_DEADLINE, inst->id, 0, 1, deadline);
          tl_clock_arm (self->clock, &inst->extra->max_wait_timer, deadline);
        }
      inst->n_children = count_children (self, spec);
      inst->children = g_new0 (TlInst *, MAX (inst->n_children, 1));
      start_children_at_once (self, inst);
      if (!inst_is_final (inst))
        wait_check (self, inst);
      break;

    case TL_KIND_SPAWN:
      start_spawn (self, inst);
      break;

    case TL_KIND_AWAIT:
      start_await (self, inst);
      break;

    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_N_KINDS:
    default:
      _tl_runner_leaf_start (self, inst);
      break;
    }
}

/* ---- cancellation -------------------------------------------------- */

static void
inst_cancel (TlRunner *self,
             TlInst   *inst,
             TlCause   cause,
             guint32   cause_instance)
{
  const TlTaskSpec *spec = _tl_runner_inst_spec (self, inst);
  gboolean timed_out = cause == TL_CAUSE_TIMEOUT && cause_instance == inst->id;
  TlCause child_cause;
  guint32 child_cause_instance;
  TlState final_state;
  g_autofree char *http_timeout_message = NULL;

  if (inst_is_final (inst))
    return;

  tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_CANCEL_REQUEST,
                      inst->id, 0, cause, cause_instance);

  /* A deadline, the end of a section or a stop reaches every task below
   * with its own cause; anything else reaches them as "parent cancelled". */
  if (cause == TL_CAUSE_TIMEOUT || cause == TL_CAUSE_SECTION_END ||
      (cause == TL_CAUSE_USER && cause_instance == TL_NO_INSTANCE && self->stopping))
    {
      child_cause = cause;
      child_cause_instance = cause_instance;
    }
  else
    {
      child_cause = TL_CAUSE_PARENT;
      child_cause_instance = inst->id;
    }

  if (!(inst->flags & TL_INST_STARTED))
    {
      _tl_runner_finish (self, inst, TL_STATE_NEVER_STARTED, cause, cause_instance);
      return;
    }

  final_state = timed_out ? TL_STATE_TIMED_OUT : TL_STATE_CANCELLED;

  /* Which phase a request timed out in is only known before it is
   * aborted: "timed out while waiting for the first byte". */
  if (timed_out && spec->kind == TL_KIND_FETCH && self->http != NULL)
    http_timeout_message = tl_http_client_dup_timeout_message (self->http, inst->id);

  switch (spec->kind)
    {
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
      for (guint i = 0; i < inst->n_created; i++)
        inst_cancel (self, inst->children[i], child_cause, child_cause_instance);
      if (spec->kind == TL_KIND_SEQUENCE)
        sequence_create_rest (self, inst, child_cause, child_cause_instance);
      break;

    case TL_KIND_AWAIT:
      /* Cancelling a coroutine that awaits a task cancels that task. */
      for (guint i = 0; i < inst->n_children; i++)
        inst_cancel (self, inst->children[i], child_cause, child_cause_instance);
      break;

    case TL_KIND_SPAWN:
      break;

    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_N_KINDS:
    default:
      /* A job still queued never ran; but when its own Timeout fired,
       * wait_for() raised TimeoutError all the same. */
      if (_tl_runner_leaf_stop (self, inst) && !timed_out)
        final_state = TL_STATE_NEVER_STARTED;
      break;
    }

  if (final_state == TL_STATE_CANCELLED)
    {
      g_autofree char *why = _tl_runner_dup_cancel_reason (self, cause, cause_instance);
      g_autofree char *message = g_strdup_printf (_("CancelledError: %s"), why);

      tl_trace_set_error (self->trace, inst->id, message);
    }

  if (timed_out)
    {
      g_autofree char *label = tl_trace_dup_label_for_message (self->trace, inst->id);
      g_autofree char *limit = _tl_runner_format_duration (spec->timeout_us);
      g_autofree char *message = NULL;

      if (http_timeout_message != NULL)
        message = g_strdup_printf (_("TimeoutError: %s did not finish within %s (%s)"),
                                   label, limit, http_timeout_message);
      else
        message = g_strdup_printf (_("TimeoutError: %s did not finish within %s"), label, limit);

      tl_trace_set_error (self->trace, inst->id, message);
      tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_ERROR_RAISED,
                          inst->id, 0, 0, 0);
    }

  _tl_runner_finish (self, inst, final_state, cause, cause_instance);
}

static void
timeout_timer_cb (TlTimer  *timer,
                  gint64    now_us,
                  gpointer  user_data)
{
  TlRunner *self = user_data;
  TlInstExtra *extra = (TlInstExtra *) (gpointer) ((char *) timer - G_STRUCT_OFFSET (TlInstExtra, timeout_timer));
  TlInst *inst = extra->owner;

  if (inst_is_final (inst))
    return;

  tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_TIMEOUT_FIRED, inst->id, 0, 0, timer->deadline_us);
  inst_cancel (self, inst, TL_CAUSE_TIMEOUT, inst->id);
}

static void
max_wait_timer_cb (TlTimer  *timer,
                   gint64    now_us,
                   gpointer  user_data)
{
  TlRunner *self = user_data;
  TlInstExtra *extra = (TlInstExtra *) (gpointer) ((char *) timer - G_STRUCT_OFFSET (TlInstExtra, max_wait_timer));
  TlInst *inst = extra->owner;

  if (inst_is_final (inst))
    return;

  tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_TIMEOUT_FIRED, inst->id, 0, 1, timer->deadline_us);
  wait_return (self, inst);
}

/* ---- a child's end reaches its parent ------------------------------ */

static void
section_end (TlRunner *self);

static void
notify_parent (TlRunner *self,
               TlInst   *child)
{
  TlInst *parent = child->parent;

  if (child->flags & TL_INST_SPAWNED)
    {
      /* Its creator is the spawn, long finished; whoever awaits it cares. */
      g_autoptr(GSList) awaiters = g_steal_pointer (&child->extra->awaiters);

      for (GSList *l = awaiters; l != NULL; l = l->next)
        await_check (self, l->data);
      return;
    }

  /* Its parent counted it when it skipped it. */
  if (child->flags & TL_INST_UNAWAITED)
    return;

  if (parent == NULL)
    {
      if (child == self->root && self->section_active)
        section_end (self);
      return;
    }

  /* An orphan of a failed gather or a pending task of a wait that
   * returned: nobody waits for it any more. */
  if (inst_is_final (parent))
    return;

  /* await a / gather(...) takes the child's result or error right now. */
  if (_tl_runner_inst_spec (self, parent)->kind != TL_KIND_WAIT)
    tl_trace_add_event (self->trace, TL_RUNNER_NOW (self), TL_EVENT_RESULT_TAKEN,
                        child->id, 0, 0, parent->id);

  switch ((TlKind) _tl_runner_inst_spec (self, parent)->kind)
    {
    case TL_KIND_SEQUENCE:
      if (child_failed (self, child))
        {
          g_autofree char *message = _tl_runner_dup_error_of (self, child);

          _tl_runner_fail (self, parent, message);
          /* The code after the failing await never runs. */
          sequence_create_rest (self, parent, TL_CAUSE_NONE, TL_NO_INSTANCE);
          return;
        }
      parent->n_done++;
      sequence_advance (self, parent);
      break;

    case TL_KIND_GATHER:
      parent->n_done++;
      if (child_failed (self, child) && !_tl_runner_inst_spec (self, parent)->return_exceptions)
        {
          g_autofree char *message = _tl_runner_dup_error_of (self, child);

          if (_tl_runner_inst_spec (self, parent)->cancel_on_error)
            for (guint i = 0; i < parent->n_created; i++)
              if (parent->children[i] != child)
                inst_cancel (self, parent->children[i], TL_CAUSE_SIBLING_FAILED, child->id);
          /* Without CancelOnError the siblings keep running: asyncio's
           * gather raises the first error at once and leaves them be. */
          _tl_runner_fail (self, parent, message);
          return;
        }
      if (parent->n_done >= parent->n_children)
        {
          g_autofree char *list = _tl_runner_format_result_list (self, parent->children, parent->n_children);

          finish_ok (self, parent, list);
        }
      break;

    case TL_KIND_WAIT:
      parent->n_done++;
      /* As asyncio.wait's FIRST_EXCEPTION: a child that raised (its own
       * timeout raises TimeoutError) ends the wait; a cancelled one does
       * not, since a cancelled future has no exception to report. */
      if (child->state == TL_STATE_FAILED || child->state == TL_STATE_TIMED_OUT)
        parent->failed_early = TRUE;
      wait_check (self, parent);
      break;

    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      break;
    }
}

/* ---- sections ------------------------------------------------------ */

static void
add_warning (TlRunner      *self,
             TlInst        *inst,
             TlWarningCode  code,
             const char    *message)
{
  tl_trace_add_warning (self->trace, inst->id, code, message, TL_RUNNER_NOW (self));
}

static void
section_end (TlRunner *self)
{
  gboolean stopped = self->stopping;
  TlCause cause = stopped ? TL_CAUSE_USER : TL_CAUSE_SECTION_END;
  guint32 cause_instance = stopped ? TL_NO_INSTANCE : self->root->id;
  guint end = self->n_insts;

  /* asyncio.run() cancels every task still pending when main returns.
   * Creation order visits a leftover before anything it created. */
  for (guint id = self->section_first_inst; id < end; id++)
    {
      TlInst *inst = _tl_runner_inst_lookup (self, id);

      if (inst_is_final (inst))
        continue;
      if (inst->parent != NULL && !inst_is_final (inst->parent))
        continue;

      if (!stopped)
        {
          g_autofree char *label = tl_trace_dup_label_for_message (self->trace, inst->id);
          g_autofree char *message = NULL;

          /* A job still in a pool's queue was not running: it never will. */
          if (inst->state == TL_STATE_QUEUED && _tl_runner_inst_spec (self, inst)->kind == TL_KIND_FETCH)
            message = g_strdup_printf (_("%s was still waiting for a connection when its section ended, so it was never sent. "
                                         "Await it before the end, or cancel it yourself."), label);
          else if (inst->state == TL_STATE_QUEUED && _tl_runner_inst_spec (self, inst)->on == TL_ON_PROCESS)
            message = g_strdup_printf (_("%s was still waiting in the process pool's queue when its section ended, so it never ran. "
                                         "Await it before the end, or cancel it yourself."), label);
          else if (inst->state == TL_STATE_QUEUED)
            message = g_strdup_printf (_("%s was still waiting in the thread pool's queue when its section ended, so it never ran. "
                                         "Await it before the end, or cancel it yourself."), label);
          else
            message = g_strdup_printf (_("%s was still running when its section ended, so it was cancelled. "
                                         "Await it before the end, or cancel it yourself."), label);

          add_warning (self, inst, TL_WARNING_PENDING_AT_EXIT, message);
        }
      inst_cancel (self, inst, cause, cause_instance);
    }

  for (guint id = self->section_first_inst; id < self->n_insts; id++)
    {
      TlInst *inst = _tl_runner_inst_lookup (self, id);

      if (inst->flags & TL_INST_UNAWAITED)
        {
          g_autofree char *label = tl_trace_dup_label_for_message (self->trace, inst->id);
          g_autofree char *message =
            g_strdup_printf (_("%s was created but never awaited, so it never ran. "
                               "Await it, or start it with spawn."), label);

          add_warning (self, inst, TL_WARNING_NEVER_AWAITED, message);
        }
      else if (((inst->flags & TL_INST_SPAWNED) || inst->left_pending) && !(inst->flags & TL_INST_RETRIEVED) &&
               (inst->state == TL_STATE_FAILED || inst->state == TL_STATE_TIMED_OUT))
        {
          g_autofree char *label = tl_trace_dup_label_for_message (self->trace, inst->id);
          g_autofree char *full_error = _tl_runner_dup_error_of (self, inst);
          g_autofree char *error = tl_text_echo (full_error);
          g_autofree char *message =
            g_strdup_printf (_("%s failed with “%s”, but nothing awaited it, so the error was never seen. "
                               "Await the task to handle its error."), label, error);

          add_warning (self, inst, TL_WARNING_EXCEPTION_NEVER_RETRIEVED, message);
        }
    }

  if (!tl_clock_is_virtual (self->clock))
    {
      TlCpuSample now;

      tl_cpu_probe_sample (&now);
      tl_trace_set_section_cpu (self->trace, self->section, self->section_cpu.cores,
                                now.process_cpu_us >= 0 && self->section_cpu.process_cpu_us >= 0
                                  ? now.process_cpu_us - self->section_cpu.process_cpu_us : -1,
                                now.pressure_us >= 0 && self->section_cpu.pressure_us >= 0
                                  ? MAX (now.pressure_us - self->section_cpu.pressure_us, 0) : -1);
    }
  tl_trace_end_section (self->trace, self->section, TL_RUNNER_NOW (self));
  self->section_active = FALSE;
  /* Like asyncio.run() shutting down its executor, the next section waits
   * until calls already running on threads have returned. */
  self->section_draining = TRUE;
}

static void
section_advance (TlRunner *self)
{
  guint next = self->section + 1;

  self->section_draining = FALSE;
  _tl_runner_free_pools (self);
  g_hash_table_remove_all (self->spawned);

  if (self->stopping || next >= self->preset->n_sections)
    run_finish (self);
  else
    section_begin (self, next);
}

static void
section_begin (TlRunner *self,
               guint     section)
{
  guint spec = self->preset->sections[section];

  self->section = section;
  self->section_first_inst = self->n_insts;
  self->section_active = TRUE;
  _tl_runner_init_pools (self);

  self->root = inst_new (self, NULL, spec, 1);
  if (!tl_clock_is_virtual (self->clock))
    tl_cpu_probe_sample (&self->section_cpu);
  tl_trace_begin_section (self->trace, section, self->root->id, TL_RUNNER_NOW (self));
  push_ready (self, self->root, TL_ACTION_START);
}

static void
run_finish (TlRunner *self)
{
  if (self->finished)
    return;

  _tl_runner_flush_counters (self);
  if (self->stopping || g_atomic_int_get (&self->stop_requested))
    tl_trace_mark_stopped (self->trace);
  tl_trace_complete (self->trace, TL_RUNNER_NOW (self));
  if (self->monitor != NULL)
    tl_loop_monitor_stop_probe (self->monitor);
  if (self->clock != NULL)
    tl_clock_stop (self->clock);
  self->finished = TRUE;

  g_signal_emit (self, signals[FINISHED], 0);
}

static void
runner_work (gpointer user_data)
{
  TlRunner *self = g_object_ref (user_data);
  guint budget = self->n_ready;

  /* Like one turn of asyncio's loop: what became ready during this turn
   * runs on the next one, so other sources get their say in between. */
  while (budget-- > 0 && !self->finished)
    {
      TlInst *inst = pop_ready (self);

      if (inst == NULL)
        break;
      switch ((TlAction) inst->action)
        {
        case TL_ACTION_START:
          inst_start (self, inst);
          break;
        case TL_ACTION_NOTIFY:
          notify_parent (self, inst);
          break;
        case TL_ACTION_NONE:
        default:
          break;
        }
    }

  if (!self->finished && self->ready_head != NULL)
    tl_clock_wake (self->clock);

  if (!self->finished && self->section_draining &&
      self->ready_head == NULL && _tl_runner_pools_idle (self))
    section_advance (self);

  if (!self->finished)
    _tl_runner_flush_counters (self);

  g_object_unref (self);
}

/* ---- public API ---------------------------------------------------- */

static gboolean
uses_fetch (TlPreset *preset,
            guint     task,
            guint     depth)
{
  const TlTaskSpec *spec = &preset->tasks[task];

  if (depth > TL_PRESET_MAX_DEPTH + 1)
    return FALSE;
  if (spec->kind == TL_KIND_FETCH)
    return TRUE;
  if (spec->kind == TL_KIND_SPAWN)
    return uses_fetch (preset, spec->target, depth + 1);
  for (guint i = 0; i < spec->n_children; i++)
    if (uses_fetch (preset, spec->children[i], depth + 1))
      return TRUE;
  return FALSE;
}

gboolean
tl_runner_check (TlPreset               *preset,
                 const TlRunnerOptions  *options,
                 GError                **error)
{
  g_return_val_if_fail (preset != NULL, FALSE);

  /* On the real clock, process jobs need the worker program: a missing
   * one is found now, not as failed tasks in the middle of the run. */
  if (options == NULL || options->clock == TL_CLOCK_REAL)
    {
      gboolean processes = FALSE;

      for (guint t = 0; t < preset->n_tasks && !processes; t++)
        processes = (preset->tasks[t].kind == TL_KIND_CPU || preset->tasks[t].kind == TL_KIND_BLOCKING) &&
                    preset->tasks[t].on == TL_ON_PROCESS;
      if (processes)
        {
          const char *worker = options != NULL && options->worker_path != NULL ? options->worker_path : tl_worker_find_path ();

          if (!g_file_test (worker, G_FILE_TEST_IS_REGULAR) ||
              !g_file_test (worker, G_FILE_TEST_IS_EXECUTABLE))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("%s: the worker program “%s” is missing or not executable, so tasks with On=process cannot run. "
                             "Set TASKLANES_WORKER to the tasklanes-worker program."),
                           preset->file != NULL ? preset->file : preset->name, worker);
              return FALSE;
            }
        }
    }

  if (options != NULL && options->clock == TL_CLOCK_VIRTUAL)
    for (guint s = 0; s < preset->n_sections; s++)
      if (uses_fetch (preset, preset->sections[s], 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("%s: fetch tasks need real time and a network; "
                         "they cannot run on the virtual clock. Run the preset in real time."),
                       preset->file != NULL ? preset->file : preset->name);
          return FALSE;
        }

  return TRUE;
}

static void
tl_runner_dispose (GObject *object)
{
  TlRunner *self = TL_RUNNER (object);

  /* Pools call back into instances: they go first. */
  _tl_runner_free_pools (self);
  if (self->monitor != NULL)
    tl_loop_monitor_stop_probe (self->monitor);
  if (self->clock != NULL)
    tl_clock_stop (self->clock);

  G_OBJECT_CLASS (tl_runner_parent_class)->dispose (object);
}

static void
tl_runner_finalize (GObject *object)
{
  TlRunner *self = TL_RUNNER (object);

  for (guint id = 0; id < self->n_insts; id++)
    {
      TlInst *inst = _tl_runner_inst_lookup (self, id);

      g_free (inst->children);
      if (inst->extra != NULL)
        {
          g_clear_object (&inst->extra->cancellable);
          g_slist_free (inst->extra->awaiters);
          g_free (inst->extra);
        }
    }
  for (guint c = 0; c < self->n_chunks; c++)
    g_free (self->chunks[c]);
  g_free (self->chunks);

  _tl_runner_clear_pools (self);
  tl_loop_monitor_free (self->monitor);
  tl_clock_free (self->clock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->spawned, g_hash_table_unref);
  if (self->default_results != NULL)
    for (guint i = 0; i < self->preset->n_tasks; i++)
      g_free (self->default_results[i]);
  g_free (self->default_results);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_pointer (&self->preset, tl_preset_unref);
  g_free (self->worker_path);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tl_runner_parent_class)->finalize (object);
}

static void
tl_runner_class_init (TlRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tl_runner_dispose;
  object_class->finalize = tl_runner_finalize;

  /**
   * TlRunner::finished:
   *
   * Emitted once, on the engine context, when every section has ended or
   * the run was stopped. The trace is complete by then.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tl_runner_init (TlRunner *self)
{
  self->spawned = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->last_hold_start_us = -1;
  self->last_hold_end_us = -1;
}

TlRunner *
tl_runner_new (TlPreset              *preset,
               const TlRunnerOptions *options)
{
  TlRunner *self;
  guint ncpu = MAX (1, g_get_num_processors ());
  guint default_threads = options != NULL ? options->default_threads : 0;
  guint default_processes = options != NULL ? options->default_processes : 0;

  g_return_val_if_fail (preset != NULL, NULL);

  self = g_object_new (TL_TYPE_RUNNER, NULL);
  self->preset = tl_preset_ref (preset);
  self->trace = tl_trace_new (preset);
  self->clock_kind = options != NULL ? options->clock : TL_CLOCK_REAL;
  self->worker_path = g_strdup (options != NULL ? options->worker_path : NULL);
  self->n_threads = preset->threads > 0 ? preset->threads
                    : default_threads > 0 ? default_threads : ncpu;
  self->n_processes = preset->processes > 0 ? preset->processes
                      : default_processes > 0 ? default_processes : ncpu;
  self->connections = preset->connections > 0 ? preset->connections : 100;
  self->default_results = g_new0 (char *, MAX (preset->n_tasks, 1));

  return self;
}

TlPreset *
tl_runner_get_preset (TlRunner *self)
{
  g_return_val_if_fail (TL_IS_RUNNER (self), NULL);
  return self->preset;
}

TlTrace *
tl_runner_get_trace (TlRunner *self)
{
  g_return_val_if_fail (TL_IS_RUNNER (self), NULL);
  return self->trace;
}

const GError *
tl_runner_get_error (TlRunner *self)
{
  g_return_val_if_fail (TL_IS_RUNNER (self), NULL);
  return self->error;
}

void
tl_runner_start (TlRunner *self)
{
  TlRunnerOptions options = { .clock = self->clock_kind };
  GMainContext *context;

  g_return_if_fail (TL_IS_RUNNER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  context = g_main_context_ref_thread_default ();
  self->clock = tl_clock_new (self->clock_kind == TL_CLOCK_VIRTUAL, context,
                              runner_work, self);
  /* Other threads read these two without a lock (cancel, stop, stall). */
  g_atomic_pointer_set (&self->monitor,
                        tl_loop_monitor_new (self->clock, self->trace, context,
                                             self->clock_kind == TL_CLOCK_REAL));
  g_atomic_pointer_set (&self->context, context);

  if (!tl_runner_check (self->preset, &options, &self->error) ||
      g_atomic_int_get (&self->stop_requested) ||
      self->preset->n_sections == 0)
    {
      run_finish (self);
      return;
    }

  section_begin (self, 0);
}

void
tl_runner_run (TlRunner *self)
{
  g_return_if_fail (TL_IS_RUNNER (self));

  g_object_ref (self);
  if (!self->started)
    tl_runner_start (self);
  while (!self->finished)
    g_main_context_iteration (self->context, TRUE);
  g_object_unref (self);
}

gboolean
tl_runner_is_finished (TlRunner *self)
{
  g_return_val_if_fail (TL_IS_RUNNER (self), FALSE);
  return self->finished;
}

typedef struct {
  TlRunner *runner;
  guint32   instance;
  gboolean  stop;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_object_unref (request->runner);
  g_free (request);
}

static gboolean
request_cb (gpointer data)
{
  Request *request = data;
  TlRunner *self = request->runner;

  if (self->finished)
    return G_SOURCE_REMOVE;

  if (request->stop)
    {
      if (!self->stopping)
        {
          self->stopping = TRUE;
          if (self->section_active && self->root != NULL)
            inst_cancel (self, self->root, TL_CAUSE_USER, TL_NO_INSTANCE);
        }
    }
  else
    {
      TlInst *inst = _tl_runner_inst_lookup (self, request->instance);

      if (inst != NULL && !inst_is_final (inst))
        inst_cancel (self, inst, TL_CAUSE_USER, TL_NO_INSTANCE);
    }

  _tl_runner_flush_counters (self);
  return G_SOURCE_REMOVE;
}

static void
post_request (TlRunner *self,
              guint32   instance,
              gboolean  stop)
{
  Request *request = g_new0 (Request, 1);

  request->runner = g_object_ref (self);
  request->instance = instance;
  request->stop = stop;
  /* Above the run's own work, so a stop is not stuck behind a long queue
   * of ready tasks. */
  g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, request_cb, request, request_free);
}

void
tl_runner_cancel_task (TlRunner *self,
                       guint32   instance)
{
  g_return_if_fail (TL_IS_RUNNER (self));

  /* The context is set once by tl_runner_start(); before that there is
   * nothing to cancel. */
  if (g_atomic_pointer_get (&self->context) == NULL)
    return;
  post_request (self, instance, FALSE);
}

void
tl_runner_stop (TlRunner *self)
{
  g_return_if_fail (TL_IS_RUNNER (self));

  g_atomic_int_set (&self->stop_requested, 1);
  if (g_atomic_pointer_get (&self->context) == NULL)
    return;
  post_request (self, TL_NO_INSTANCE, TRUE);
}

gboolean
tl_runner_was_stopped (TlRunner *self)
{
  g_return_val_if_fail (TL_IS_RUNNER (self), FALSE);

  return tl_trace_was_stopped (self->trace);
}

gint64
tl_runner_get_current_stall_us (TlRunner *self,
                                guint32  *culprit)
{
  TlLoopMonitor *monitor;

  g_return_val_if_fail (TL_IS_RUNNER (self), 0);

  monitor = g_atomic_pointer_get (&self->monitor);
  if (monitor == NULL)
    {
      if (culprit != NULL)
        *culprit = TL_NO_INSTANCE;
      return 0;
    }
  return tl_loop_monitor_get_current_stall_us (monitor, culprit);
}
