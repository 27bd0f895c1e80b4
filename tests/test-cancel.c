/* test-cancel.c — cancellation in every state, and storms of it
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every run: each instance has a final state, nothing of the run is
 * left attached to its context, pool threads are joined and worker
 * processes are gone.
 */
#define G_LOG_DOMAIN "test-cancel"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/tl-runner.h"
#include "tl-test-util.h"

#define S(x) ((gint64) ((x) * G_USEC_PER_SEC + 0.5))

typedef enum {
  ACTION_CANCEL_NAME,
  ACTION_CANCEL_ID,
  ACTION_STOP,
} ActionKind;

typedef struct {
  guint       at_ms;
  ActionKind  kind;
  const char *name;
  guint       copy;
  guint32     id;
  gboolean    from_thread;   /* posted from another thread, while the loop may be held */
} Action;

typedef struct {
  TlRunner *runner;
  Action    action;
  GSource  *source;
} Pending;

static guint
count_sources (GMainContext *context)
{
  GSource *probe = g_idle_source_new ();
  guint last = g_source_attach (probe, context);
  guint n = 0;

  g_source_destroy (probe);
  g_source_unref (probe);
  for (guint id = 1; id < last; id++)
    if (g_main_context_find_source_by_id (context, id) != NULL)
      n++;
  return n;
}

/* Children of this process that are alive or not yet reaped. */
static guint
count_child_processes (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren;
      char state;
      int ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 1, " %c %d", &state, &ppid) != 2)
        continue;
      if (ppid == getpid ())
        n++;
    }
  return n;
}

static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
perform (TlRunner     *runner,
         const Action *action)
{
  switch (action->kind)
    {
    case ACTION_CANCEL_NAME:
      {
        guint32 id = tl_test_find_instance (tl_runner_get_trace (runner), action->name, action->copy);

        if (id != TL_NO_INSTANCE)
          tl_runner_cancel_task (runner, id);
      }
      break;
    case ACTION_CANCEL_ID:
      tl_runner_cancel_task (runner, action->id);
      break;
    case ACTION_STOP:
    default:
      tl_runner_stop (runner);
      break;
    }
}

static gboolean
pending_cb (gpointer data)
{
  Pending *pending = data;

  perform (pending->runner, &pending->action);
  return G_SOURCE_REMOVE;
}

static gpointer
pending_thread (gpointer data)
{
  Pending *pending = data;

  g_usleep (pending->action.at_ms * 1000);
  perform (pending->runner, &pending->action);
  return NULL;
}

/* Runs @text on a fresh thread-default context in real time, performing
 * @actions at their times; checks that the run leaves nothing behind. */
static TlTrace *
run_with_actions (const char   *text,
                  const Action *actions,
                  guint         n_actions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "cancel.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL, .default_threads = 2, .default_processes = 2 };
  GMainContext *context = g_main_context_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Pending *pendings = g_new0 (Pending, MAX (n_actions, 1));
  TlRunner *runner;
  TlTrace *trace;

  g_assert_no_error (error);
  g_main_context_push_thread_default (context);

  runner = tl_runner_new (preset, &options);
  tl_runner_start (runner);
  for (guint i = 0; i < n_actions; i++)
    {
      pendings[i].runner = runner;
      pendings[i].action = actions[i];
      if (actions[i].from_thread)
        g_ptr_array_add (threads, g_thread_new ("canceller", pending_thread, &pendings[i]));
      else
        {
          pendings[i].source = g_timeout_source_new (actions[i].at_ms);
          g_source_set_callback (pendings[i].source, pending_cb, &pendings[i], NULL);
          g_source_attach (pendings[i].source, context);
        }
    }

  tl_runner_run (runner);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  for (guint i = 0; i < n_actions; i++)
    if (pendings[i].source != NULL)
      {
        g_source_destroy (pendings[i].source);
        g_source_unref (pendings[i].source);
      }

  trace = tl_trace_ref (tl_runner_get_trace (runner));
  /* Requests posted after the end hold a reference until dispatched. */
  while (g_main_context_iteration (context, FALSE));
  g_assert_finalize_object (runner);

  g_assert_true (tl_trace_is_complete (trace));
  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    if (!TL_STATE_IS_FINAL (tl_trace_get_outcome (trace, i)->state))
      g_error ("instance %u is still %s", i, tl_state_to_string (tl_trace_get_outcome (trace, i)->state));
  tl_test_assert_event_order (trace);
  g_assert_cmpuint (count_sources (context), ==, 0);
  g_assert_cmpuint (count_child_processes (), ==, 0);

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  g_free (pendings);
  return trace;
}

static void
test_cancel_created (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=sleep\nDuration=1s\n", -1, "c.tasklanes", &error);
  TlRunnerOptions options = { .clock = TL_CLOCK_REAL };
  GMainContext *context = g_main_context_new ();
  TlRunner *runner;
  TlTrace *trace;

  g_assert_no_error (error);
  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  tl_runner_start (runner);
  /* The root exists but has not taken its first step. */
  g_assert_cmpint (tl_trace_get_outcome (tl_runner_get_trace (runner), 0)->state, ==, TL_STATE_CREATED);
  tl_runner_cancel_task (runner, 0);
  tl_runner_run (runner);
  trace = tl_runner_get_trace (runner);
  g_assert_cmpint (tl_trace_get_outcome (trace, 0)->state, ==, TL_STATE_NEVER_STARTED);
  g_assert_cmpint (tl_trace_get_outcome (trace, 0)->cause, ==, TL_CAUSE_USER);
  g_assert_cmpint (tl_trace_get_section (trace, 0)->end_us, >=, 0);
  g_assert_finalize_object (runner);
  g_assert_cmpuint (count_sources (context), ==, 0);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

static void
test_cancel_queued (void)
{
  const Action actions[] = { { 50, ACTION_CANCEL_NAME, "second", 1 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\nThreads=1\n"
    "[Task main]\nKind=gather\nChildren=first;second\n"
    "[Task first]\nKind=blocking\nDuration=300ms\n"
    "[Task second]\nKind=blocking\nDuration=300ms\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *second = tl_test_outcome (trace, "second", 1);
  const TlOutcome *first = tl_test_outcome (trace, "first", 1);

  /* It left the queue without ever running. */
  g_assert_cmpint (second->state, ==, TL_STATE_NEVER_STARTED);
  g_assert_cmpint (second->cause, ==, TL_CAUSE_USER);
  g_assert_cmpint (second->started_us, ==, -1);
  g_assert_cmpint (second->queued_us, >=, 0);
  /* The gather fails with it; the running call cannot be interrupted, so
   * the run ends only when it has returned. */
  g_assert_cmpint (tl_test_outcome (trace, "main", 1)->state, ==, TL_STATE_FAILED);
  g_assert_cmpint (first->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (first->cause, ==, TL_CAUSE_SECTION_END);
  g_assert_cmpint (tl_trace_get_end_us (trace), >=, S (0.29));
}

static void
test_cancel_waiting (void)
{
  const Action actions[] = { { 100, ACTION_CANCEL_NAME, "nap", 2 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=nap\n"
    "[Task nap]\nKind=sleep\nDuration=400ms\nRepeat=3\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *nap = tl_test_outcome (trace, "nap", 2);

  g_assert_cmpint (nap->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (nap->finished_us, >=, S (0.1));
  g_assert_cmpint (nap->finished_us, <, S (0.35));
  g_assert_cmpint (tl_test_outcome (trace, "nap", 1)->state, ==, TL_STATE_OK);
  g_assert_cmpint (tl_test_outcome (trace, "main", 1)->state, ==, TL_STATE_OK);
  g_assert_nonnull (strstr (tl_trace_get_result (trace, 0), "CancelledError"));
}

/* asyncio.wait(…, return_when=FIRST_EXCEPTION) returns at a child's
 * exception, a TimeoutError included, but not when a child is cancelled:
 * CPython's _on_completion skips cancelled futures. */
static void
test_wait_first_exception_ignores_cancelled (void)
{
  const Action actions[] = { { 100, ACTION_CANCEL_NAME, "long", 1 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=wait\nReturnWhen=first-exception\nChildren=slow;long\n"
    "[Task slow]\nKind=sleep\nDuration=400ms\n"
    "[Task long]\nKind=sleep\nDuration=10s\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *main_task = tl_test_outcome (trace, "main", 1);

  g_assert_cmpint (tl_test_outcome (trace, "long", 1)->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (tl_test_outcome (trace, "slow", 1)->state, ==, TL_STATE_OK);
  g_assert_cmpint (main_task->state, ==, TL_STATE_OK);
  g_assert_cmpint (main_task->finished_us, >=, S (0.39));
}

static void
test_wait_first_exception_timed_out (void)
{
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=wait\nReturnWhen=first-exception\nChildren=slow;late\n"
    "[Task slow]\nKind=sleep\nDuration=400ms\n"
    "[Task late]\nKind=sleep\nDuration=10s\nTimeout=100ms\n",
    NULL, 0);
  const TlOutcome *main_task = tl_test_outcome (trace, "main", 1);

  g_assert_cmpint (tl_test_outcome (trace, "late", 1)->state, ==, TL_STATE_TIMED_OUT);
  g_assert_cmpint (main_task->finished_us, >=, S (0.1));
  g_assert_cmpint (main_task->finished_us, <, S (0.35));
}

static void
test_cancel_running_on_loop (void)
{
  const Action actions[] = { { 150, ACTION_CANCEL_NAME, "hold", 1, 0, TRUE } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=sequence\nChildren=pause;hold;after\n"
    "[Task pause]\nKind=sleep\nDuration=50ms\n"
    "[Task hold]\nKind=blocking\nOn=loop\nDuration=400ms\n"
    "[Task after]\nKind=sleep\nDuration=50ms\n",
    actions, G_N_ELEMENTS (actions));

  /* Nothing runs while the loop is held, not even the cancellation: the
   * call returns, and by then the task has finished. */
  g_assert_cmpint (tl_test_outcome (trace, "hold", 1)->state, ==, TL_STATE_OK);
  g_assert_cmpint (tl_test_outcome (trace, "main", 1)->state, ==, TL_STATE_OK);
}

static void
test_cancel_running_on_thread (void)
{
  const Action actions[] = { { 100, ACTION_CANCEL_NAME, "call", 1 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=call\n"
    "[Task call]\nKind=blocking\nDuration=500ms\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *call = tl_test_outcome (trace, "call", 1);
  gint64 idle_at = -1;

  /* Reported cancelled at once… */
  g_assert_cmpint (call->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (call->finished_us, <, S (0.4));
  /* …while the thread stays busy until the call returns. */
  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type == TL_EVENT_COUNTER && e->a == TL_COUNTER_THREADS_BUSY && e->value == 0)
        idle_at = e->time_us;
    }
  g_assert_cmpint (idle_at, >=, S (0.49));
  g_assert_cmpint (tl_trace_get_end_us (trace), >=, S (0.49));
}

static void
test_cancel_in_process (void)
{
  const Action actions[] = { { 300, ACTION_CANCEL_NAME, "crunch", 1 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\nProcesses=1\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=crunch\n"
    "[Task crunch]\nKind=cpu\nOn=process\nWork=5s\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *crunch = tl_test_outcome (trace, "crunch", 1);

  g_assert_cmpint (crunch->state, ==, TL_STATE_CANCELLED);
  /* Its worker was ended: nobody waited for 5 s of work. */
  g_assert_cmpint (tl_trace_get_end_us (trace), <, S (4));
}

static void
test_cancel_fetch (void)
{
  const Action actions[] = { { 300, ACTION_CANCEL_NAME, "get", 1 } };
  g_autoptr(TlTrace) trace = run_with_actions (
    "[Preset]\nFormat=1\nName=c\nRun=main\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=get\n"
    "[Task get]\nKind=fetch\nUrl=/delay/5\n",
    actions, G_N_ELEMENTS (actions));
  const TlOutcome *get = tl_test_outcome (trace, "get", 1);

  g_assert_cmpint (get->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpint (get->finished_us, <, S (1));
  g_assert_cmpint (tl_trace_get_end_us (trace), <, S (4));
}

static const char storm_preset[] =
  "[Preset]\nFormat=1\nName=storm\nRun=main;second\nThreads=2\nProcesses=2\n"
  "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=naps;jobs;cpus;waiter;timed;spawner\n"
  "[Task naps]\nKind=sleep\nDuration=300ms\nRepeat=20\n"
  "[Task jobs]\nKind=blocking\nDuration=100ms\nRepeat=6\n"
  "[Task cpus]\nKind=cpu\nOn=process\nWork=100ms\nRepeat=3\n"
  "[Task waiter]\nKind=wait\nReturnWhen=first-completed\nChildren=w1\n"
  "[Task w1]\nKind=sleep\nDuration=200ms\nRepeat=3\n"
  "[Task timed]\nKind=sequence\nTimeout=250ms\nChildren=t1\n"
  "[Task t1]\nKind=sleep\nDuration=100ms\nRepeat=4\n"
  "[Task spawner]\nKind=sequence\nChildren=sp;aw\n"
  "[Task sp]\nKind=spawn\nTarget=tg\n"
  "[Task aw]\nKind=await\nTarget=tg\n"
  "[Task tg]\nKind=cpu\nOn=loop\nWork=30ms\n"
  "[Task second]\nKind=gather\nChildren=naps2;jobs2\n"
  "[Task naps2]\nKind=sleep\nDuration=200ms\nRepeat=5\n"
  "[Task jobs2]\nKind=cpu\nOn=thread\nWork=50ms\nRepeat=3\n";

static void
test_storm (void)
{
  /* TL_STORM_SEED / TL_STORM_ROUNDS let a developer shake it harder. */
  const char *seed_env = g_getenv ("TL_STORM_SEED");
  const char *rounds_env = g_getenv ("TL_STORM_ROUNDS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : 20261125;
  guint rounds = rounds_env != NULL ? (guint) g_ascii_strtoull (rounds_env, NULL, 10) : 8;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint baseline_threads;

  /* A first calm run starts whatever GLib keeps for the whole process
   * (its worker thread, the resolver…): the baseline. */
  tl_trace_unref (run_with_actions (storm_preset, NULL, 0));
  baseline_threads = count_threads ();

  g_test_message ("storm seed %u, %u rounds", seed, rounds);
  for (guint round = 0; round < rounds; round++)
    {
      Action actions[12];
      guint n = 0;
      g_autoptr(TlTrace) trace = NULL;

      for (; n < 10; n++)
        {
          actions[n] = (Action) {
            .at_ms = g_rand_int_range (rand, 0, 700),
            .kind = ACTION_CANCEL_ID,
            .id = g_rand_int_range (rand, 0, 60),
            .from_thread = g_rand_boolean (rand),
          };
        }
      if (round % 2 == 0)
        actions[n++] = (Action) { .at_ms = g_rand_int_range (rand, 0, 900), .kind = ACTION_STOP,
                                  .from_thread = g_rand_boolean (rand) };

      trace = run_with_actions (storm_preset, actions, n);
      g_test_message ("round %u: %u instances, ended at %" G_GINT64_FORMAT " µs",
                      round, tl_trace_get_n_instances (trace), tl_trace_get_end_us (trace));
      g_assert_cmpuint (count_threads (), ==, baseline_threads);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The demo server is on 127.0.0.1: no proxy lookup is needed, and the
   * libproxy module throws C++ exceptions a sanitizer build cannot take. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/cancel/created", test_cancel_created);
  g_test_add_func ("/engine/cancel/queued", test_cancel_queued);
  g_test_add_func ("/engine/cancel/waiting", test_cancel_waiting);
  g_test_add_func ("/engine/cancel/wait-first-exception-ignores-cancelled", test_wait_first_exception_ignores_cancelled);
  g_test_add_func ("/engine/cancel/wait-first-exception-timed-out", test_wait_first_exception_timed_out);
  g_test_add_func ("/engine/cancel/running-on-loop", test_cancel_running_on_loop);
  g_test_add_func ("/engine/cancel/running-on-thread", test_cancel_running_on_thread);
  g_test_add_func ("/engine/cancel/in-process", test_cancel_in_process);
  g_test_add_func ("/engine/cancel/fetch", test_cancel_fetch);
  g_test_add_func ("/engine/cancel/storm", test_storm);

  return g_test_run ();
}
