/* test-runner.c — the runner's semantics on the virtual clock, exact times
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-runner"

#include "config.h"

#include <string.h>

#include "run/tl-runner.h"
#include "trace/tl-summary.h"
#include "tl-test-util.h"

#define S(x) ((gint64) ((x) * G_USEC_PER_SEC + 0.5))

static TlTrace *
run_virtual (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "test.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL, .default_threads = 2, .default_processes = 2 };
  TlRunner *runner;
  TlTrace *trace;

  g_assert_no_error (error);
  g_assert_nonnull (preset);

  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_null (tl_runner_get_error (runner));
  trace = tl_trace_ref (tl_runner_get_trace (runner));
  g_assert_finalize_object (runner);

  g_assert_true (tl_trace_is_complete (trace));
  g_assert_false (tl_trace_was_stopped (trace));
  g_assert_true (tl_trace_ran_to_end (trace));
  /* Every instance of every run ends in exactly one final state. */
  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    g_assert_true (TL_STATE_IS_FINAL (tl_trace_get_outcome (trace, i)->state));
  tl_test_assert_event_order (trace);

  return trace;
}

static void
assert_ended (TlTrace    *trace,
              const char *name,
              guint       copy,
              TlState     state,
              gint64      finished_us)
{
  const TlOutcome *o = tl_test_outcome (trace, name, copy);

  if (o->state != state || o->finished_us != finished_us)
    g_error ("%s#%u: expected %s at %" G_GINT64_FORMAT " µs, got %s at %" G_GINT64_FORMAT " µs",
             name, copy, tl_state_to_string (state), finished_us,
             tl_state_to_string (o->state), o->finished_us);
}

static guint
count_warnings (TlTrace       *trace,
                TlWarningCode  code,
                guint32        instance)
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    {
      const TlWarning *w = tl_trace_get_warning (trace, i);

      if (w->code == code && (instance == TL_NO_INSTANCE || w->instance == instance))
        n++;
    }
  return n;
}

static const TlWarning *
first_warning (TlTrace       *trace,
               TlWarningCode  code)
{
  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    if (tl_trace_get_warning (trace, i)->code == code)
      return tl_trace_get_warning (trace, i);
  return NULL;
}

/* Time of @instance's first state event for @state, or -1. */
static gint64
state_time (TlTrace *trace,
            guint32  instance,
            TlState  state)
{
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->instance == instance && e->type == TL_EVENT_STATE && e->a == state)
        return e->time_us;
    }
  return -1;
}

static void
test_sync_vs_async (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=sync vs async\nRun=one-by-one;gathered\n"
    "[Task one-by-one]\nKind=sequence\nChildren=user\n"
    "[Task gathered]\nKind=gather\nChildren=user\n"
    "[Task user]\nKind=sleep\nLabel=fetch_user({i})\nDuration=1s\nResult=User {i}\nRepeat=3\n");
  const TlSection *second = tl_trace_get_section (trace, 1);
  guint32 gathered;

  g_assert_cmpuint (tl_trace_get_n_sections (trace), ==, 2);
  g_assert_cmpint (tl_test_section_wall (trace, 0), ==, S (3));
  g_assert_cmpint (tl_test_section_wall (trace, 1), ==, S (1));
  g_assert_cmpint (second->start_us, ==, S (3));
  /* 1 sequence + 3 + 1 gather + 3 */
  g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 8);

  assert_ended (trace, "one-by-one", 1, TL_STATE_OK, S (3));
  g_assert_cmpint (tl_trace_get_outcome (trace, 3)->started_us, ==, S (2));
  gathered = tl_test_get_instance (trace, "gathered", 1);
  g_assert_cmpint (tl_trace_get_outcome (trace, gathered)->finished_us, ==, S (4));
  g_assert_cmpstr (tl_trace_get_result (trace, gathered), ==, "[User 1, User 2, User 3]");
  for (guint copy = 1; copy <= 3; copy++)
    {
      guint32 id = 4 + copy;

      g_assert_cmpuint (tl_trace_get_instance (trace, id)->copy, ==, copy);
      g_assert_cmpuint (tl_trace_get_instance (trace, id)->parent, ==, gathered);
      g_assert_cmpint (tl_trace_get_outcome (trace, id)->started_us, ==, S (3));
      g_assert_cmpint (tl_trace_get_outcome (trace, id)->finished_us, ==, S (4));
    }
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 0);
}

#define FIVE_USERS \
  "[Task u1]\nKind=sleep\nDuration=500ms\nResult=User 1\n" \
  "[Task u2]\nKind=sleep\nDuration=1s\n" \
  "[Task u3]\nKind=sleep\nDuration=1.5s\n" \
  "[Task u4]\nKind=sleep\nDuration=2s\n" \
  "[Task u5]\nKind=sleep\nDuration=2.5s\n"

static void
test_wait_first_completed (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=w\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=w\n"
    "[Task w]\nKind=wait\nReturnWhen=first-completed\nChildren=u1;u2;u3;u4;u5\n"
    FIVE_USERS);
  guint32 w = tl_test_get_instance (trace, "w", 1);

  assert_ended (trace, "w", 1, TL_STATE_OK, S (0.5));
  g_assert_cmpstr (tl_trace_get_result (trace, w), ==, "1 done, 4 pending");
  assert_ended (trace, "u1", 1, TL_STATE_OK, S (0.5));
  /* main returns at 0.5 s: asyncio.run() cancels the four pending ones. */
  g_assert_cmpint (tl_test_section_wall (trace, 0), ==, S (0.5));
  for (guint i = 2; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("u%u", i);
      const TlOutcome *o = tl_test_outcome (trace, name, 1);

      assert_ended (trace, name, 1, TL_STATE_CANCELLED, S (0.5));
      g_assert_cmpint (o->cause, ==, TL_CAUSE_SECTION_END);
      g_assert_cmpuint (o->cause_instance, ==, tl_test_get_instance (trace, "main", 1));
      g_assert_cmpuint (count_warnings (trace, TL_WARNING_PENDING_AT_EXIT, tl_test_get_instance (trace, name, 1)), ==, 1);
    }
  g_assert_cmpuint (count_warnings (trace, TL_WARNING_PENDING_AT_EXIT, TL_NO_INSTANCE), ==, 4);
}

static void
test_wait_timeout (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=w\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=w;after\n"
    "[Task w]\nKind=wait\nMaxWait=1.2s\nChildren=u1;u2;u3;u4;u5\n"
    "[Task after]\nKind=sleep\nDuration=1.5s\n"
    FIVE_USERS);
  guint32 w = tl_test_get_instance (trace, "w", 1);
  gboolean fired = FALSE;

  assert_ended (trace, "w", 1, TL_STATE_OK, S (1.2));
  g_assert_cmpstr (tl_trace_get_result (trace, w), ==, "2 done, 3 pending");
  g_assert_cmpint (tl_trace_get_outcome (trace, w)->deadline_us, ==, S (1.2));
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_TIMEOUT_FIRED && e->instance == w)
        {
          g_assert_cmpint (e->time_us, ==, S (1.2));
          g_assert_cmpuint (e->b, ==, 1);
          fired = TRUE;
        }
    }
  g_assert_true (fired);
  /* Pending is not cancelled: they run on to their own ends. */
  assert_ended (trace, "u3", 1, TL_STATE_OK, S (1.5));
  assert_ended (trace, "u4", 1, TL_STATE_OK, S (2));
  assert_ended (trace, "u5", 1, TL_STATE_OK, S (2.5));
  assert_ended (trace, "main", 1, TL_STATE_OK, S (2.7));
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 0);
}

static void
test_wait_cancel_pending (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=w\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=w;after\n"
    "[Task w]\nKind=wait\nMaxWait=1.2s\nCancelPending=true\nChildren=u1;u2;u3;u4;u5\n"
    "[Task after]\nKind=sleep\nDuration=1s\n"
    FIVE_USERS);
  guint32 w = tl_test_get_instance (trace, "w", 1);

  assert_ended (trace, "w", 1, TL_STATE_OK, S (1.2));
  for (guint i = 3; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("u%u", i);

      assert_ended (trace, name, 1, TL_STATE_CANCELLED, S (1.2));
      g_assert_cmpint (tl_test_outcome (trace, name, 1)->cause, ==, TL_CAUSE_WAIT_PENDING);
      g_assert_cmpuint (tl_test_outcome (trace, name, 1)->cause_instance, ==, w);
    }
  assert_ended (trace, "main", 1, TL_STATE_OK, S (2.2));
}

#define GATHER_ERROR_TASKS \
  "[Task user-1]\nKind=sleep\nDuration=1s\nResult=User 1\n" \
  "[Task risky-2]\nKind=sleep\nDuration=300ms\nFail=ValueError: {i} is not allowed\n" \
  "[Task slow-report]\nKind=sleep\nDuration=3s\n"

static void
test_gather_error (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=g\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=together;handle\n"
    "[Task together]\nKind=gather\nCatch=true\nChildren=user-1;risky-2;slow-report\n"
    "[Task handle]\nKind=sleep\nDuration=1s\n"
    GATHER_ERROR_TASKS);
  guint32 slow = tl_test_get_instance (trace, "slow-report", 1);

  /* The error surfaces when the failing child fails… */
  assert_ended (trace, "risky-2", 1, TL_STATE_FAILED, S (0.3));
  assert_ended (trace, "together", 1, TL_STATE_FAILED, S (0.3));
  g_assert_cmpstr (tl_trace_get_error (trace, tl_test_get_instance (trace, "together", 1)), ==, "ValueError: 1 is not allowed");
  /* …and the 1 s sibling still completes at 1.0 s. */
  assert_ended (trace, "user-1", 1, TL_STATE_OK, S (1));
  g_assert_cmpint (tl_test_outcome (trace, "handle", 1)->started_us, ==, S (0.3));
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1.3));
  /* The orphan still running when main returns is cancelled then. */
  assert_ended (trace, "slow-report", 1, TL_STATE_CANCELLED, S (1.3));
  g_assert_cmpint (tl_test_outcome (trace, "slow-report", 1)->cause, ==, TL_CAUSE_SECTION_END);
  g_assert_cmpuint (count_warnings (trace, TL_WARNING_PENDING_AT_EXIT, slow), ==, 1);
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 1);
  g_assert_nonnull (strstr (first_warning (trace, TL_WARNING_PENDING_AT_EXIT)->message, "slow-report"));
}

static void
test_gather_error_leftovers (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=g\nRun=together\n"
    "[Task together]\nKind=gather\nChildren=user-1;risky-2;slow-report\n"
    GATHER_ERROR_TASKS);

  assert_ended (trace, "together", 1, TL_STATE_FAILED, S (0.3));
  g_assert_cmpint (tl_trace_get_section (trace, 0)->state, ==, TL_STATE_FAILED);
  assert_ended (trace, "user-1", 1, TL_STATE_CANCELLED, S (0.3));
  assert_ended (trace, "slow-report", 1, TL_STATE_CANCELLED, S (0.3));
  g_assert_cmpuint (count_warnings (trace, TL_WARNING_PENDING_AT_EXIT, TL_NO_INSTANCE), ==, 2);
}

static void
test_gather_cancel_on_error (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=g\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=together;handle\n"
    "[Task together]\nKind=gather\nCancelOnError=true\nCatch=true\nChildren=user-1;risky-2;slow-report\n"
    "[Task handle]\nKind=sleep\nDuration=1s\n"
    GATHER_ERROR_TASKS);
  guint32 risky = tl_test_get_instance (trace, "risky-2", 1);

  assert_ended (trace, "together", 1, TL_STATE_FAILED, S (0.3));
  assert_ended (trace, "user-1", 1, TL_STATE_CANCELLED, S (0.3));
  assert_ended (trace, "slow-report", 1, TL_STATE_CANCELLED, S (0.3));
  g_assert_cmpint (tl_test_outcome (trace, "user-1", 1)->cause, ==, TL_CAUSE_SIBLING_FAILED);
  g_assert_cmpuint (tl_test_outcome (trace, "user-1", 1)->cause_instance, ==, risky);
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1.3));
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 0);
}

static void
test_gather_return_exceptions (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=g\nRun=together\n"
    "[Task together]\nKind=gather\nReturnExceptions=true\nChildren=user-1;risky-2\n"
    GATHER_ERROR_TASKS);
  guint32 together = tl_test_get_instance (trace, "together", 1);

  assert_ended (trace, "risky-2", 1, TL_STATE_FAILED, S (0.3));
  assert_ended (trace, "together", 1, TL_STATE_OK, S (1));
  g_assert_cmpstr (tl_trace_get_result (trace, together), ==, "[User 1, ValueError: 1 is not allowed]");
}

static void
test_timeout (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=t\nRun=outer;wait-for\n"
    "[Task outer]\nKind=sequence\nTimeout=1s\nChildren=slow\n"
    "[Task slow]\nKind=sleep\nDuration=3s\n"
    "[Task wait-for]\nKind=sleep\nDuration=3s\nTimeout=1s\n");
  guint32 outer = tl_test_get_instance (trace, "outer", 1);
  guint32 wf = tl_test_get_instance (trace, "wait-for", 1);

  assert_ended (trace, "outer", 1, TL_STATE_TIMED_OUT, S (1));
  assert_ended (trace, "slow", 1, TL_STATE_CANCELLED, S (1));
  g_assert_cmpint (tl_test_outcome (trace, "slow", 1)->cause, ==, TL_CAUSE_TIMEOUT);
  g_assert_cmpuint (tl_test_outcome (trace, "slow", 1)->cause_instance, ==, outer);
  g_assert_cmpint (tl_trace_get_outcome (trace, outer)->deadline_us, ==, S (1));
  g_assert_nonnull (strstr (tl_trace_get_error (trace, outer), "TimeoutError"));
  g_assert_cmpint (tl_test_section_wall (trace, 0), ==, S (1));

  g_assert_cmpint (tl_trace_get_outcome (trace, wf)->state, ==, TL_STATE_TIMED_OUT);
  g_assert_cmpint (tl_trace_get_outcome (trace, wf)->finished_us, ==, S (2));
  g_assert_cmpint (tl_trace_get_outcome (trace, wf)->cause, ==, TL_CAUSE_TIMEOUT);
  g_assert_cmpuint (tl_trace_get_outcome (trace, wf)->cause_instance, ==, wf);
}

static void
test_executor_threads (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=e\nRun=all\nThreads=2\n"
    "[Task all]\nKind=gather\nChildren=job\n"
    "[Task job]\nKind=blocking\nOn=thread\nDuration=500ms\nRepeat=5\n");
  const gint64 starts[] = { 0, 0, S (0.5), S (0.5), S (1) };

  assert_ended (trace, "all", 1, TL_STATE_OK, S (1.5));
  for (guint copy = 1; copy <= 5; copy++)
    {
      const TlOutcome *o = tl_test_outcome (trace, "job", copy);

      g_assert_cmpint (o->queued_us, ==, 0);
      g_assert_cmpint (o->started_us, ==, starts[copy - 1]);
      g_assert_cmpint (o->finished_us, ==, starts[copy - 1] + S (0.5));
    }
  /* No loop stall: the loop stayed free. */
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), ==, 0);
}

static void
test_create_task (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=start-a;start-b;other;await-a;await-b\n"
    "[Task start-a]\nKind=spawn\nTarget=a\n"
    "[Task start-b]\nKind=spawn\nTarget=b\n"
    "[Task other]\nKind=sleep\nDuration=500ms\n"
    "[Task await-a]\nKind=await\nTarget=a\n"
    "[Task await-b]\nKind=await\nTarget=b\n"
    "[Task a]\nKind=sleep\nDuration=1s\nResult=A\n"
    "[Task b]\nKind=sleep\nDuration=300ms\nResult=B\n");
  guint32 a = tl_test_get_instance (trace, "a", 1);
  guint32 spawn_a = tl_test_get_instance (trace, "start-a", 1);
  guint32 await_b = tl_test_get_instance (trace, "await-b", 1);
  gboolean spawned = FALSE;

  /* The task starts at creation, before anyone awaits it. */
  g_assert_cmpuint (tl_trace_get_instance (trace, a)->parent, ==, spawn_a);
  g_assert_cmpint (tl_test_outcome (trace, "a", 1)->started_us, ==, 0);
  g_assert_cmpint (tl_test_outcome (trace, "b", 1)->started_us, ==, 0);
  assert_ended (trace, "start-a", 1, TL_STATE_OK, 0);
  assert_ended (trace, "a", 1, TL_STATE_OK, S (1));
  assert_ended (trace, "b", 1, TL_STATE_OK, S (0.3));
  assert_ended (trace, "await-a", 1, TL_STATE_OK, S (1));
  /* b had already finished: its await takes the result at once. */
  assert_ended (trace, "await-b", 1, TL_STATE_OK, S (1));
  g_assert_cmpint (tl_test_outcome (trace, "await-b", 1)->started_us, ==, S (1));
  g_assert_cmpstr (tl_trace_get_result (trace, await_b), ==, "B");
  g_assert_cmpstr (tl_trace_get_result (trace, tl_test_get_instance (trace, "await-a", 1)), ==, "A");
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1));
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_SPAWNED && e->instance == spawn_a)
        spawned = e->value == a;
    }
  g_assert_true (spawned);
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 0);
}

static void
test_create_task_then_block (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=start;heavy;get\n"
    "[Task start]\nKind=spawn\nTarget=nap\n"
    "[Task heavy]\nKind=cpu\nWork=500ms\n"
    "[Task get]\nKind=await\nTarget=nap\n"
    "[Task nap]\nKind=sleep\nDuration=1s\n");

  /* t = create_task(nap()); heavy(); await t — the task's first step
   * waits until main yields, after the CPU work. */
  g_assert_cmpint (tl_test_outcome (trace, "heavy", 1)->started_us, ==, 0);
  g_assert_cmpint (tl_test_outcome (trace, "nap", 1)->started_us, ==, S (0.5));
  assert_ended (trace, "nap", 1, TL_STATE_OK, S (1.5));
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1.5));
}

static void
test_task_exception (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=c\nRun=main;forgotten\n"
    "[Task main]\nKind=sequence\nChildren=start;await-it\n"
    "[Task start]\nKind=spawn\nTarget=risky\n"
    "[Task await-it]\nKind=await\nTarget=risky\nCatch=true\n"
    "[Task risky]\nKind=sleep\nDuration=200ms\nFail=ValueError: bad user\n"
    "[Task forgotten]\nKind=sequence\nChildren=start-2;pause\n"
    "[Task start-2]\nKind=spawn\nTarget=risky-2\n"
    "[Task risky-2]\nKind=sleep\nDuration=100ms\nFail=KeyError: nope\n"
    "[Task pause]\nKind=sleep\nDuration=1s\n");
  guint32 await_it = tl_test_get_instance (trace, "await-it", 1);
  guint32 risky = tl_test_get_instance (trace, "risky", 1);
  gboolean taken = FALSE;
  const TlWarning *w;

  /* The error travels from the spawned task to the await. */
  assert_ended (trace, "risky", 1, TL_STATE_FAILED, S (0.2));
  assert_ended (trace, "await-it", 1, TL_STATE_FAILED, S (0.2));
  g_assert_cmpstr (tl_trace_get_error (trace, await_it), ==, "ValueError: bad user");
  assert_ended (trace, "main", 1, TL_STATE_OK, S (0.2));
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_RESULT_TAKEN && e->instance == risky && e->value == await_it)
        taken = TRUE;
    }
  g_assert_true (taken);

  /* Nobody awaits the second one: its error is never retrieved. */
  assert_ended (trace, "risky-2", 1, TL_STATE_FAILED, S (0.3));
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 1);
  w = first_warning (trace, TL_WARNING_EXCEPTION_NEVER_RETRIEVED);
  g_assert_nonnull (w);
  g_assert_cmpuint (w->instance, ==, tl_test_get_instance (trace, "risky-2", 1));
  g_assert_nonnull (strstr (w->message, "KeyError: nope"));
}

static void
test_never_awaited (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=n\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=fetch-data;work\n"
    "[Task fetch-data]\nKind=sleep\nLabel=fetch_data()\nDuration=1s\nAwaited=false\n"
    "[Task work]\nKind=sleep\nDuration=500ms\n");
  guint32 fd = tl_test_get_instance (trace, "fetch-data", 1);
  const TlWarning *w = first_warning (trace, TL_WARNING_NEVER_AWAITED);

  g_assert_cmpint (tl_trace_get_outcome (trace, fd)->state, ==, TL_STATE_NEVER_STARTED);
  g_assert_cmpint (tl_trace_get_outcome (trace, fd)->started_us, ==, -1);
  assert_ended (trace, "main", 1, TL_STATE_OK, S (0.5));
  g_assert_nonnull (w);
  g_assert_cmpuint (w->instance, ==, fd);
  g_assert_cmpstr (w->message, ==,
                   "fetch_data() was created but never awaited, so it never ran. "
                   "Await it, or start it with spawn.");
}

static void
test_catch_and_fail (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=c\nRun=caught;uncaught\n"
    "[Task caught]\nKind=sequence\nChildren=risky;after\n"
    "[Task uncaught]\nKind=sequence\nChildren=risky-2;after-2\n"
    "[Task risky]\nKind=sleep\nDuration=300ms\nCatch=true\nFail=ValueError: {i}\n"
    "[Task risky-2]\nKind=blocking\nOn=thread\nDuration=300ms\nFail=OSError: disk\n"
    "[Task after]\nKind=sleep\nDuration=1s\n"
    "[Task after-2]\nKind=sleep\nDuration=1s\nRepeat=2\n");
  guint32 uncaught = tl_test_get_instance (trace, "uncaught", 1);

  /* Fail: the work is done, then the error is raised. */
  assert_ended (trace, "risky", 1, TL_STATE_FAILED, S (0.3));
  g_assert_cmpstr (tl_trace_get_error (trace, tl_test_get_instance (trace, "risky", 1)), ==, "ValueError: 1");
  /* Catch: the parent carries on as though it had returned. */
  assert_ended (trace, "after", 1, TL_STATE_OK, S (1.3));
  assert_ended (trace, "caught", 1, TL_STATE_OK, S (1.3));

  assert_ended (trace, "risky-2", 1, TL_STATE_FAILED, S (1.6));
  assert_ended (trace, "uncaught", 1, TL_STATE_FAILED, S (1.6));
  g_assert_cmpstr (tl_trace_get_error (trace, uncaught), ==, "OSError: disk");
  /* The steps after a failed step never start. */
  for (guint copy = 1; copy <= 2; copy++)
    {
      const TlOutcome *o = tl_test_outcome (trace, "after-2", copy);

      g_assert_cmpint (o->state, ==, TL_STATE_NEVER_STARTED);
      g_assert_cmpint (o->started_us, ==, -1);
    }
}

static void
test_repeat (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=r\nRun=all\n"
    "[Task all]\nKind=gather\nChildren=first;user;last\n"
    "[Task first]\nKind=sleep\nDuration=100ms\n"
    "[Task user]\nKind=sleep\nLabel=user {i}\nDuration=200ms\nResult=User {i}\nRepeat=4\n"
    "[Task last]\nKind=sleep\nDuration=1ms\n");
  guint32 all = tl_test_get_instance (trace, "all", 1);
  guint n = 0;
  const guint32 *children = tl_trace_get_children (trace, all, &n);

  g_assert_cmpuint (n, ==, 6);
  for (guint copy = 1; copy <= 4; copy++)
    {
      guint32 id = tl_test_get_instance (trace, "user", copy);
      g_autofree char *label = tl_trace_dup_label (trace, id);
      g_autofree char *expected = g_strdup_printf ("user %u", copy);
      g_autofree char *result = g_strdup_printf ("User %u", copy);

      g_assert_cmpuint (children[copy], ==, id);
      g_assert_cmpstr (label, ==, expected);
      g_assert_cmpstr (tl_trace_get_result (trace, id), ==, result);
    }
  g_assert_cmpstr (tl_trace_get_result (trace, all), ==,
                   "[slept 100 ms, User 1, User 2, User 3, User 4, slept 1 ms]");
  assert_ended (trace, "all", 1, TL_STATE_OK, S (0.2));
}

static void
test_cpu_compare (void)
{
  g_autoptr(TlTrace) gil = run_virtual (
    "[Preset]\nFormat=1\nName=cpu\nRun=on-loop;on-threads\nThreads=2\nGIL=true\n"
    "[Task on-loop]\nKind=gather\nChildren=loop-work\n"
    "[Task on-threads]\nKind=gather\nChildren=thread-work\n"
    "[Task loop-work]\nKind=cpu\nOn=loop\nWork=250ms\nRepeat=4\n"
    "[Task thread-work]\nKind=cpu\nOn=thread\nWork=250ms\nRepeat=4\n");
  g_autoptr(TlTrace) nogil = run_virtual (
    "[Preset]\nFormat=1\nName=cpu\nRun=on-processes;on-threads\nThreads=2\nProcesses=2\n"
    "[Task on-processes]\nKind=gather\nChildren=process-work\n"
    "[Task on-threads]\nKind=gather\nChildren=thread-work\n"
    "[Task process-work]\nKind=cpu\nOn=process\nWork=250ms\nRepeat=4\n"
    "[Task thread-work]\nKind=cpu\nOn=thread\nWork=250ms\nRepeat=4\n");

  g_assert_cmpint (tl_test_section_wall (gil, 0), ==, S (1));
  g_assert_cmpint (tl_test_section_wall (gil, 1), ==, S (1));
  g_assert_cmpint (tl_test_section_wall (nogil, 0), ==, S (0.5));
  g_assert_cmpint (tl_test_section_wall (nogil, 1), ==, S (0.5));

  /* On the loop each one holds it in turn: four stalls, four warnings. */
  g_assert_cmpint (tl_test_outcome (gil, "loop-work", 4)->started_us, ==, S (0.75));
  g_assert_cmpuint (count_warnings (gil, TL_WARNING_LOOP_BLOCKED, TL_NO_INSTANCE), ==, 4);
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (gil), ==, S (0.25));
  /* Under the GIL two threads share one core: both end at 0.5 s. */
  assert_ended (gil, "thread-work", 1, TL_STATE_OK, S (1.5));
  assert_ended (gil, "thread-work", 2, TL_STATE_OK, S (1.5));
  g_assert_cmpint (tl_test_outcome (gil, "thread-work", 3)->started_us, ==, S (1.5));
  assert_ended (gil, "thread-work", 4, TL_STATE_OK, S (2));

  assert_ended (nogil, "process-work", 1, TL_STATE_OK, S (0.25));
  assert_ended (nogil, "process-work", 4, TL_STATE_OK, S (0.5));
  g_assert_cmpuint (tl_trace_get_n_warnings (nogil), ==, 0);
}

static void
test_loop_blocked_ticker (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=b\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=ticker;mistake\n"
    "[Task ticker]\nKind=sequence\nChildren=tick\n"
    "[Task tick]\nKind=sleep\nDuration=100ms\nRepeat=5\n"
    "[Task mistake]\nKind=sequence\nChildren=pause;time-sleep\n"
    "[Task pause]\nKind=sleep\nDuration=50ms\n"
    "[Task time-sleep]\nKind=blocking\nLabel=time.sleep(0.5)\nOn=loop\nDuration=500ms\n");
  guint32 tick1 = tl_test_get_instance (trace, "tick", 1);
  guint32 culprit = tl_test_get_instance (trace, "time-sleep", 1);
  const TlWarning *w = first_warning (trace, TL_WARNING_LOOP_BLOCKED);
  gboolean stall = FALSE;

  /* The first tick, due at 0.1 s, runs at 0.55 s: BLOCKED in between. */
  g_assert_cmpint (state_time (trace, tick1, TL_STATE_BLOCKED), ==, S (0.1));
  assert_ended (trace, "tick", 1, TL_STATE_OK, S (0.55));
  g_assert_cmpint (tl_test_outcome (trace, "tick", 2)->started_us, ==, S (0.55));
  g_assert_cmpint (tl_test_outcome (trace, "tick", 2)->finished_us - 0, ==, S (0.65));
  assert_ended (trace, "tick", 5, TL_STATE_OK, S (0.95));
  assert_ended (trace, "time-sleep", 1, TL_STATE_OK, S (0.55));
  g_assert_cmpint (state_time (trace, culprit, TL_STATE_RUNNING), ==, S (0.05));

  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_LOOP_STALL)
        {
          g_assert_cmpuint (e->instance, ==, culprit);
          g_assert_cmpint (e->time_us, ==, S (0.05));
          g_assert_cmpint (e->value, ==, S (0.5));
          stall = TRUE;
        }
    }
  g_assert_true (stall);
  g_assert_nonnull (w);
  g_assert_cmpuint (w->instance, ==, culprit);
  g_assert_nonnull (strstr (w->message, "time.sleep(0.5)"));
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), ==, S (0.5));
}

static void
test_nested_timeout_inside_gather (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=t\nRun=main\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=guarded;fine\n"
    "[Task guarded]\nKind=gather\nTimeout=700ms\nChildren=inner\n"
    "[Task inner]\nKind=sleep\nDuration=2s\nRepeat=2\n"
    "[Task fine]\nKind=cpu\nOn=process\nWork=1s\n");
  guint32 guarded = tl_test_get_instance (trace, "guarded", 1);

  assert_ended (trace, "guarded", 1, TL_STATE_TIMED_OUT, S (0.7));
  assert_ended (trace, "inner", 2, TL_STATE_CANCELLED, S (0.7));
  g_assert_cmpuint (tl_test_outcome (trace, "inner", 1)->cause_instance, ==, guarded);
  assert_ended (trace, "fine", 1, TL_STATE_OK, S (1));
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1));
}

static void
test_timeout_on_pool_jobs (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=t\nRun=threads;processes;after\nThreads=1\nProcesses=1\n"
    "[Task threads]\nKind=gather\nReturnExceptions=true\nChildren=call;next-call\n"
    "[Task call]\nKind=blocking\nDuration=2s\nTimeout=500ms\n"
    "[Task next-call]\nKind=blocking\nDuration=500ms\n"
    "[Task processes]\nKind=gather\nReturnExceptions=true\nChildren=crunch;next-crunch\n"
    "[Task crunch]\nKind=cpu\nOn=process\nWork=2s\nTimeout=500ms\n"
    "[Task next-crunch]\nKind=cpu\nOn=process\nWork=500ms\n"
    "[Task after]\nKind=sleep\nDuration=100ms\n");

  /* A call running on a thread is reported timed out at the deadline… */
  assert_ended (trace, "call", 1, TL_STATE_TIMED_OUT, S (0.5));
  /* …but keeps its thread until it returns at 2 s: the queued call waits. */
  g_assert_cmpint (tl_test_outcome (trace, "next-call", 1)->started_us, ==, S (2));
  assert_ended (trace, "next-call", 1, TL_STATE_OK, S (2.5));
  assert_ended (trace, "threads", 1, TL_STATE_OK, S (2.5));

  /* A process job's worker is ended: the slot frees at once. */
  g_assert_cmpint (tl_trace_get_section (trace, 1)->start_us, ==, S (2.5));
  assert_ended (trace, "crunch", 1, TL_STATE_TIMED_OUT, S (3));
  g_assert_cmpint (tl_test_outcome (trace, "next-crunch", 1)->started_us, ==, S (3));
  assert_ended (trace, "next-crunch", 1, TL_STATE_OK, S (3.5));
}

static void
test_executor_outlives_section (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=t\nRun=main;next\nThreads=1\n"
    "[Task main]\nKind=sequence\nTimeout=500ms\nChildren=call\n"
    "[Task call]\nKind=blocking\nDuration=2s\n"
    "[Task next]\nKind=sleep\nDuration=100ms\n");

  assert_ended (trace, "main", 1, TL_STATE_TIMED_OUT, S (0.5));
  assert_ended (trace, "call", 1, TL_STATE_CANCELLED, S (0.5));
  g_assert_cmpint (tl_trace_get_section (trace, 0)->end_us, ==, S (0.5));
  /* Like asyncio.run() shutting down its executor, the next section
   * starts only when the running call has returned. */
  g_assert_cmpint (tl_trace_get_section (trace, 1)->start_us, ==, S (2));
}

static void
test_wait_first_exception (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=w\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=w;after\n"
    "[Task w]\nKind=wait\nReturnWhen=first-exception\nCancelPending=true\nChildren=ok;bad;slow\n"
    "[Task ok]\nKind=sleep\nDuration=100ms\n"
    "[Task bad]\nKind=sleep\nDuration=400ms\nFail=RuntimeError: boom\n"
    "[Task slow]\nKind=sleep\nDuration=2s\n"
    "[Task after]\nKind=sleep\nDuration=100ms\n");

  /* It returns at the first error, and never fails by itself. */
  assert_ended (trace, "w", 1, TL_STATE_OK, S (0.4));
  g_assert_cmpstr (tl_trace_get_result (trace, tl_test_get_instance (trace, "w", 1)), ==, "2 done, 1 pending");
  assert_ended (trace, "slow", 1, TL_STATE_CANCELLED, S (0.4));
  g_assert_cmpint (tl_test_outcome (trace, "slow", 1)->cause, ==, TL_CAUSE_WAIT_PENDING);
  assert_ended (trace, "main", 1, TL_STATE_OK, S (0.5));
}

static void
test_timeout_around_await (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=t\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=start;get\n"
    "[Task start]\nKind=spawn\nTarget=job\n"
    "[Task get]\nKind=await\nTarget=job\nTimeout=1s\nCatch=true\n"
    "[Task job]\nKind=sleep\nDuration=3s\n");
  guint32 get = tl_test_get_instance (trace, "get", 1);

  /* wait_for(task, 1): at the deadline the awaited task is cancelled too. */
  assert_ended (trace, "get", 1, TL_STATE_TIMED_OUT, S (1));
  assert_ended (trace, "job", 1, TL_STATE_CANCELLED, S (1));
  g_assert_cmpint (tl_test_outcome (trace, "job", 1)->cause, ==, TL_CAUSE_TIMEOUT);
  g_assert_cmpuint (tl_test_outcome (trace, "job", 1)->cause_instance, ==, get);
  assert_ended (trace, "main", 1, TL_STATE_OK, S (1));
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 0);
}

static void
count_cb (TlRunner *runner,
          guint    *count)
{
  (*count)++;
}

/* A job's own Timeout firing while it still waits for a thread is a
 * TimeoutError (timed-out), not "never started". */
static void
test_timeout_while_queued (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=q\nRun=main\nThreads=1\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=first;queued\n"
    "[Task first]\nKind=blocking\nDuration=1s\n"
    "[Task queued]\nKind=blocking\nDuration=100ms\nTimeout=300ms\n");

  assert_ended (trace, "queued", 1, TL_STATE_TIMED_OUT, S (0.3));
  /* It waited from the moment its job was queued: it started. */
  g_assert_cmpint (tl_test_outcome (trace, "queued", 1)->started_us, ==, tl_test_outcome (trace, "queued", 1)->queued_us);
  g_assert_true (g_str_has_prefix (tl_trace_get_error (trace, tl_test_get_instance (trace, "queued", 1)), "TimeoutError: "));
  assert_ended (trace, "first", 1, TL_STATE_OK, S (1.0));
}

/* What a job left in the thread pool's queue at the end of its section
 * is told apart from one that was running. */
static void
test_pending_at_exit_queued (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=q\nRun=main\nThreads=1\n"
    "[Task main]\nKind=gather\nChildren=t1;t2;after\n"
    "[Task t1]\nKind=blocking\nDuration=1s\nTimeout=300ms\n"
    "[Task t2]\nKind=blocking\nDuration=200ms\n"
    "[Task after]\nKind=sleep\nDuration=100ms\n");
  guint32 t2 = tl_test_get_instance (trace, "t2", 1);
  guint n = 0;

  assert_ended (trace, "t2", 1, TL_STATE_NEVER_STARTED, S (0.3));
  for (guint i = 0; i < tl_trace_get_n_warnings (trace); i++)
    {
      const TlWarning *w = tl_trace_get_warning (trace, i);

      if (w->instance != t2 || w->code != TL_WARNING_PENDING_AT_EXIT)
        continue;
      g_assert_nonnull (strstr (w->message, "thread pool's queue"));
      g_assert_null (strstr (w->message, "still running"));
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

/* A child a FIRST_COMPLETED wait left pending fails later: nobody ever
 * sees that error, as asyncio warns. */
static void
test_wait_pending_never_retrieved (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=w\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=w;after\n"
    "[Task w]\nKind=wait\nReturnWhen=first-completed\nChildren=a;b\n"
    "[Task a]\nKind=sleep\nDuration=100ms\n"
    "[Task b]\nKind=sleep\nDuration=200ms\nFail=Lost error\n"
    "[Task after]\nKind=sleep\nDuration=500ms\n");

  assert_ended (trace, "b", 1, TL_STATE_FAILED, S (0.2));
  g_assert_cmpuint (count_warnings (trace, TL_WARNING_EXCEPTION_NEVER_RETRIEVED, tl_test_get_instance (trace, "b", 1)), ==, 1);
  g_assert_cmpuint (count_warnings (trace, TL_WARNING_EXCEPTION_NEVER_RETRIEVED, tl_test_get_instance (trace, "a", 1)), ==, 0);
}

/* A cancelled task says why, as a CancelledError naming the cause. */
static void
test_cancelled_error_text (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=bad;slow\nCancelOnError=true\nReturnExceptions=false\n"
    "[Task bad]\nKind=sleep\nDuration=100ms\nFail=boom\n"
    "[Task slow]\nKind=sleep\nDuration=1s\n");
  const char *error = tl_trace_get_error (trace, tl_test_get_instance (trace, "slow", 1));

  assert_ended (trace, "slow", 1, TL_STATE_CANCELLED, S (0.1));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "CancelledError: "));
  g_assert_nonnull (strstr (error, "bad"));
}

static void
test_stop_before_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=s\nRun=main\n"
    "[Task main]\nKind=sleep\nDuration=1s\n", -1, "s.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL };
  TlRunner *runner;
  guint finished = 0;

  g_assert_no_error (error);
  runner = tl_runner_new (preset, &options);
  g_signal_connect (runner, "finished", G_CALLBACK (count_cb), &finished);
  tl_runner_stop (runner);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_cmpuint (finished, ==, 1);
  g_assert_true (tl_trace_is_complete (tl_runner_get_trace (runner)));
  g_assert_cmpuint (tl_trace_get_n_sections (tl_runner_get_trace (runner)), ==, 0);
  /* Finished, but not run to the end: the report says "complete": false. */
  g_assert_true (tl_runner_was_stopped (runner));
  g_assert_false (tl_trace_ran_to_end (tl_runner_get_trace (runner)));
  g_assert_finalize_object (runner);
}

static void
test_fetch_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=f\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=get\n"
    "[Task get]\nKind=fetch\nUrl=/hello\n", -1, "f.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL };
  TlRunner *runner;

  g_assert_no_error (error);
  g_assert_false (tl_runner_check (preset, &options, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_nonnull (tl_runner_get_error (runner));
  g_assert_cmpuint (tl_trace_get_n_instances (tl_runner_get_trace (runner)), ==, 0);
  g_assert_finalize_object (runner);
}

static void
test_many_sleeps (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=m\nRun=all\n"
    "[Task all]\nKind=gather\nChildren=nap\n"
    "[Task nap]\nKind=sleep\nDuration=1s\nRepeat=20000\n");

  g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 20001);
  assert_ended (trace, "all", 1, TL_STATE_OK, S (1));
  assert_ended (trace, "nap", 20000, TL_STATE_OK, S (1));
}

/* Timeout=0 is a deadline that has already passed: asyncio.wait_for(…,
 * 0) times out at once, before the task runs at all. MaxWait=0 alike. */
static void
test_timeout_zero (void)
{
  g_autoptr(TlTrace) trace = run_virtual (
    "[Preset]\nFormat=1\nName=z\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=nap;waiter\nReturnExceptions=true\n\n"
    "[Task nap]\nKind=sleep\nDuration=1s\nTimeout=0\n\n"
    "[Task waiter]\nKind=wait\nChildren=inner\nMaxWait=0\n\n"
    "[Task inner]\nKind=sleep\nDuration=1s\n");
  const TlOutcome *nap = tl_test_outcome (trace, "nap", 1);
  const TlOutcome *waiter = tl_test_outcome (trace, "waiter", 1);

  g_assert_cmpint (nap->state, ==, TL_STATE_TIMED_OUT);
  g_assert_cmpint (nap->finished_us - nap->started_us, ==, 0);
  g_assert_cmpint (waiter->state, ==, TL_STATE_OK);
  g_assert_cmpint (waiter->finished_us - waiter->started_us, ==, 0);
  g_assert_cmpint (tl_test_section_wall (trace, 0), <, G_USEC_PER_SEC);
}

/* Messages about a task repeat its label cut to a readable length, as
 * every other echo of input is: a 20,000-character label (the format
 * allows it) gives warnings and errors of a few hundred bytes, each kind
 * of warning and error alike, and the summary's lines stay as short. */
static void
test_huge_label_messages (void)
{
  g_autofree char *label = g_strnfill (20000, 'x');
  g_autofree char *fail = g_strnfill (20000, 'e');
  g_autofree char *text = g_strdup_printf (
    "[Preset]\nFormat=1\nName=h\nRun=main\n\n"
    "[Task main]\nKind=sequence\nChildren=lost;start;start2;late;block;slow\n"
    "[Task lost]\nKind=sleep\nLabel=lost_%s\nDuration=1s\nAwaited=false\n"
    "[Task start]\nKind=spawn\nTarget=bad\n"
    "[Task start2]\nKind=spawn\nTarget=pending\n"
    "[Task bad]\nKind=sleep\nLabel=bad_%s\nDuration=10ms\nFail=ValueError: %s\n"
    "[Task pending]\nKind=sleep\nLabel=pending_%s\nDuration=60m\n"
    "[Task late]\nKind=sleep\nLabel=late_%s\nDuration=2s\nTimeout=1s\nCatch=true\n"
    "[Task block]\nKind=cpu\nLabel=block_%s\nWork=500ms\n"
    "[Task slow]\nKind=sleep\nDuration=100ms\n",
    label, label, fail, label, label, label);
  g_autoptr(TlTrace) trace = run_virtual (text);
  g_autofree char *summary = tl_summary_format_text (trace);
  g_auto(GStrv) lines = g_strsplit (summary, "\n", -1);
  const TlWarningCode codes[] = {
    TL_WARNING_NEVER_AWAITED, TL_WARNING_EXCEPTION_NEVER_RETRIEVED,
    TL_WARNING_PENDING_AT_EXIT, TL_WARNING_LOOP_BLOCKED,
  };
  const char *error;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const TlWarning *w = first_warning (trace, codes[i]);

      g_assert_nonnull (w);
      g_assert_cmpuint (strlen (w->message), <, 1000);
      g_assert_nonnull (strstr (w->message, "xxx…"));
    }
  g_assert_cmpuint (strlen (first_warning (trace, TL_WARNING_EXCEPTION_NEVER_RETRIEVED)->message), <, 1000);
  g_assert_nonnull (strstr (first_warning (trace, TL_WARNING_EXCEPTION_NEVER_RETRIEVED)->message, "eee…"));

  error = tl_trace_get_error (trace, tl_test_get_instance (trace, "late", 1));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error, "TimeoutError: late_xxx"));
  g_assert_cmpuint (strlen (error), <, 1000);
  error = tl_trace_get_error (trace, tl_test_get_instance (trace, "pending", 1));
  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error), <, 1000);

  /* The task's own label is kept whole where it is data, not a message. */
  {
    g_autofree char *whole = tl_trace_dup_label (trace, tl_test_get_instance (trace, "lost", 1));
    g_assert_cmpuint (strlen (whole), ==, 20005);
  }

  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <, 1200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/runner/sync-vs-async", test_sync_vs_async);
  g_test_add_func ("/engine/wait/first-completed", test_wait_first_completed);
  g_test_add_func ("/engine/wait/timeout", test_wait_timeout);
  g_test_add_func ("/engine/runner/timeout-zero", test_timeout_zero);
  g_test_add_func ("/engine/wait/cancel-pending", test_wait_cancel_pending);
  g_test_add_func ("/engine/wait/first-exception", test_wait_first_exception);
  g_test_add_func ("/engine/timeout/around-await", test_timeout_around_await);
  g_test_add_func ("/engine/runner/stop-before-start", test_stop_before_start);
  g_test_add_func ("/engine/timeout/while-queued", test_timeout_while_queued);
  g_test_add_func ("/engine/mistakes/pending-at-exit-queued", test_pending_at_exit_queued);
  g_test_add_func ("/engine/mistakes/wait-pending-never-retrieved", test_wait_pending_never_retrieved);
  g_test_add_func ("/engine/cancel/error-text", test_cancelled_error_text);
  g_test_add_func ("/engine/gather/error", test_gather_error);
  g_test_add_func ("/engine/gather/error-leftovers", test_gather_error_leftovers);
  g_test_add_func ("/engine/gather/cancel-on-error", test_gather_cancel_on_error);
  g_test_add_func ("/engine/gather/return-exceptions", test_gather_return_exceptions);
  g_test_add_func ("/engine/timeout/wait-for", test_timeout);
  g_test_add_func ("/engine/timeout/inside-gather", test_nested_timeout_inside_gather);
  g_test_add_func ("/engine/executor/threads", test_executor_threads);
  g_test_add_func ("/engine/executor/timeout-on-pool-jobs", test_timeout_on_pool_jobs);
  g_test_add_func ("/engine/executor/outlives-section", test_executor_outlives_section);
  g_test_add_func ("/engine/spawn/create-task", test_create_task);
  g_test_add_func ("/engine/spawn/task-exception", test_task_exception);
  g_test_add_func ("/engine/spawn/caller-runs-first", test_create_task_then_block);
  g_test_add_func ("/engine/mistakes/never-awaited", test_never_awaited);
  g_test_add_func ("/engine/errors/catch-and-fail", test_catch_and_fail);
  g_test_add_func ("/engine/runner/repeat", test_repeat);
  g_test_add_func ("/engine/cpu/compare", test_cpu_compare);
  g_test_add_func ("/engine/loop/blocked-ticker", test_loop_blocked_ticker);
  g_test_add_func ("/engine/runner/fetch-rejected-on-virtual", test_fetch_rejected);
  g_test_add_func ("/engine/runner/many-sleeps", test_many_sleeps);
  g_test_add_func ("/engine/mistakes/huge-label-messages", test_huge_label_messages);

  return g_test_run ();
}
