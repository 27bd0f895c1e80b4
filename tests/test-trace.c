/* test-trace.c — the trace store and the summaries
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-trace"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "trace/tl-summary.h"
#include "trace/tl-trace.h"
#include "tl-test-util.h"

#define S(x) ((gint64) ((x) * G_USEC_PER_SEC))

static const char gather_preset[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=gather: three requests at once\n"
  "Run=one-by-one;gathered\n"
  "\n"
  "[Task one-by-one]\n"
  "Kind=sequence\n"
  "Children=user\n"
  "\n"
  "[Task gathered]\n"
  "Kind=gather\n"
  "Children=user\n"
  "\n"
  "[Task user]\n"
  "Kind=sleep\n"
  "Label=fetch_user({i})\n"
  "Duration=1s\n"
  "Result=User {i}\n"
  "Repeat=3\n";

static TlPreset *
load_gather_preset (void)
{
  g_autoptr(GError) error = NULL;
  TlPreset *preset = tl_preset_new_from_data (gather_preset, -1, "gather.tasklanes", &error);

  g_assert_no_error (error);
  g_assert_nonnull (preset);
  return preset;
}

static guint
spec_index (TlPreset   *preset,
            const char *name)
{
  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
}

static guint
count_events (TlTrace     *trace,
              TlEventType  type)
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    if (tl_trace_get_event (trace, i)->type == type)
      n++;
  return n;
}

/* The gather example as the runner would record it: 3 × 1 s one by one,
 * then 3 × 1 s gathered. */
static TlTrace *
record_gather_run (TlPreset *preset)
{
  TlTrace *trace = tl_trace_new (preset);
  guint seq = spec_index (preset, "one-by-one");
  guint gat = spec_index (preset, "gathered");
  guint user = spec_index (preset, "user");
  guint32 root;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, seq, 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, root, 0);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 0);
  for (guint i = 1; i <= 3; i++)
    {
      gint64 t0 = S (i - 1);
      guint32 u = tl_trace_add_instance (trace, root, user, i, 0, TL_ON_LOOP, t0);
      g_autofree char *result = g_strdup_printf ("User %u", i);

      tl_trace_set_state (trace, u, TL_STATE_WAITING, t0);
      tl_trace_set_result (trace, u, result);
      tl_trace_set_state (trace, u, TL_STATE_OK, t0 + S (1));
      tl_trace_add_event (trace, t0 + S (1), TL_EVENT_RESULT_TAKEN, u, 0, 0, root);
    }
  tl_trace_set_result (trace, root, "User 3");
  tl_trace_set_state (trace, root, TL_STATE_OK, S (3));
  tl_trace_end_section (trace, 0, S (3));

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, gat, 1, 1, TL_ON_LOOP, S (3));
  tl_trace_begin_section (trace, 1, root, S (3));
  tl_trace_set_state (trace, root, TL_STATE_WAITING, S (3));
  for (guint i = 1; i <= 3; i++)
    {
      guint32 u = tl_trace_add_instance (trace, root, user, i, 1, TL_ON_LOOP, S (3));

      tl_trace_set_state (trace, u, TL_STATE_WAITING, S (3));
      tl_trace_set_counter (trace, TL_COUNTER_TASKS_WAITING, i, S (3));
    }
  for (guint i = 1; i <= 3; i++)
    {
      guint32 u = root + i;

      tl_trace_set_state (trace, u, TL_STATE_OK, S (4));
      tl_trace_set_counter (trace, TL_COUNTER_TASKS_WAITING, 3 - i, S (4));
    }
  tl_trace_set_state (trace, root, TL_STATE_OK, S (4));
  tl_trace_end_section (trace, 1, S (4));
  tl_trace_complete (trace, S (4));

  return trace;
}

static void
test_outcome_bookkeeping (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  guint user = spec_index (preset, "user");
  const TlOutcome *outcome;
  const TlInstance *instance;
  guint32 root, a, b;
  guint n_events;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "gathered"), 1, 0, TL_ON_LOOP, 10);
  a = tl_trace_add_instance (trace, root, user, 2, 0, TL_ON_THREAD, 20);
  b = tl_trace_add_instance (trace, root, user, 3, 0, TL_ON_LOOP, 20);
  g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 3);

  instance = tl_trace_get_instance (trace, a);
  g_assert_cmpuint (instance->parent, ==, root);
  g_assert_cmpuint (instance->copy, ==, 2);
  g_assert_cmpuint (instance->depth, ==, 1);
  g_assert_cmpuint (instance->kind, ==, TL_KIND_SLEEP);
  g_assert_cmpuint (instance->on, ==, TL_ON_THREAD);
  g_assert_cmpuint (instance->created_seq, ==, a);
  g_assert_cmpuint (tl_trace_get_instance (trace, root)->depth, ==, 0);

  /* Creation is in the log for readers. */
  g_assert_cmpuint (count_events (trace, TL_EVENT_STATE), ==, 3);

  outcome = tl_trace_get_outcome (trace, a);
  g_assert_cmpint (outcome->created_us, ==, 20);
  g_assert_cmpint (outcome->queued_us, ==, -1);
  g_assert_cmpint (outcome->started_us, ==, -1);
  g_assert_cmpint (outcome->finished_us, ==, -1);
  g_assert_cmpint (outcome->deadline_us, ==, -1);
  g_assert_cmpuint (outcome->state, ==, TL_STATE_CREATED);

  tl_trace_set_state (trace, a, TL_STATE_QUEUED, 30);
  tl_trace_set_state (trace, a, TL_STATE_QUEUED, 35);  /* no change: no event */
  tl_trace_set_state (trace, a, TL_STATE_RUNNING, 40);
  tl_trace_set_state (trace, a, TL_STATE_QUEUED, 45);
  tl_trace_set_state (trace, a, TL_STATE_WAITING, 50);
  tl_trace_add_event (trace, 50, TL_EVENT_DEADLINE, a, 0, 0, 1000);
  tl_trace_add_event (trace, 50, TL_EVENT_DEADLINE, a, 0, 1, 2000);  /* MaxWait after Timeout: ignored */
  tl_trace_set_result (trace, a, "fine");
  tl_trace_set_state (trace, a, TL_STATE_OK, 60);
  tl_trace_set_state (trace, a, TL_STATE_FAILED, 70);  /* final is final */

  g_assert_cmpint (outcome->queued_us, ==, 30);
  g_assert_cmpint (outcome->started_us, ==, 40);
  g_assert_cmpint (outcome->finished_us, ==, 60);
  g_assert_cmpint (outcome->deadline_us, ==, 1000);
  g_assert_cmpuint (outcome->state, ==, TL_STATE_OK);
  g_assert_cmpstr (tl_trace_get_result (trace, a), ==, "fine");
  g_assert_null (tl_trace_get_error (trace, a));

  /* created + queued + running + queued + waiting + ok, plus the others' creation */
  g_assert_cmpuint (count_events (trace, TL_EVENT_STATE), ==, 3 + 5);

  tl_trace_set_state (trace, b, TL_STATE_WAITING, 25);
  tl_trace_set_cancelled (trace, b, TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, a, 55);
  outcome = tl_trace_get_outcome (trace, b);
  g_assert_cmpuint (outcome->state, ==, TL_STATE_CANCELLED);
  g_assert_cmpuint (outcome->cause, ==, TL_CAUSE_SIBLING_FAILED);
  g_assert_cmpuint (outcome->cause_instance, ==, a);
  g_assert_cmpint (outcome->started_us, ==, 25);
  g_assert_cmpint (outcome->finished_us, ==, 55);

  {
    const TlEvent *last = tl_trace_get_event (trace, tl_trace_get_n_events (trace) - 1);
    g_assert_cmpuint (last->type, ==, TL_EVENT_STATE);
    g_assert_cmpuint (last->a, ==, TL_STATE_CANCELLED);
    g_assert_cmpuint (last->b, ==, TL_CAUSE_SIBLING_FAILED);
    g_assert_cmpint (last->value, ==, a);
    g_assert_cmpuint (last->instance, ==, b);
  }

  /* A never-started instance keeps its start unset. */
  tl_trace_set_cancelled (trace, root, TL_STATE_NEVER_STARTED, TL_CAUSE_USER, TL_NO_INSTANCE, 80);
  g_assert_cmpint (tl_trace_get_outcome (trace, root)->started_us, ==, -1);
  g_assert_cmpint (tl_trace_get_outcome (trace, root)->finished_us, ==, 80);

  n_events = tl_trace_get_n_events (trace);
  g_assert_false (tl_trace_is_complete (trace));
  tl_trace_complete (trace, 90);
  g_assert_true (tl_trace_is_complete (trace));
  g_assert_cmpint (tl_trace_get_end_us (trace), ==, 90);
  g_assert_cmpuint (tl_trace_get_n_events (trace), ==, n_events);
}

static void
test_counters_dedupe (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);

  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 0, 1);  /* starts at 0: nothing */
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 2, 2);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 2, 3);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, 2, 3);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 1, 4);
  tl_trace_set_counter (trace, TL_COUNTER_LOOP_LAG_US, 1500, 5);
  tl_trace_set_counter (trace, TL_COUNTER_LOOP_LAG_US, 200, 6);
  tl_trace_note_loop_lag (trace, 900);

  g_assert_cmpuint (tl_trace_get_n_events (trace), ==, 5);
  g_assert_cmpuint (tl_trace_get_event (trace, 0)->a, ==, TL_COUNTER_THREADS_BUSY);
  g_assert_cmpint (tl_trace_get_event (trace, 0)->value, ==, 2);
  g_assert_cmpint (tl_trace_get_event (trace, 2)->value, ==, 1);
  g_assert_cmpuint (tl_trace_get_event (trace, 0)->instance, ==, TL_NO_INSTANCE);
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), ==, 1500);
  tl_trace_note_loop_lag (trace, 2500);
  g_assert_cmpint (tl_trace_get_max_loop_lag_us (trace), ==, 2500);
}

static void
test_children_and_sections (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = record_gather_run (preset);
  const guint32 *children;
  guint n_children = 99;

  g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 8);
  children = tl_trace_get_children (trace, 0, &n_children);
  g_assert_cmpuint (n_children, ==, 3);
  g_assert_cmpuint (children[0], ==, 1);
  g_assert_cmpuint (children[1], ==, 2);
  g_assert_cmpuint (children[2], ==, 3);
  children = tl_trace_get_children (trace, 4, &n_children);
  g_assert_cmpuint (n_children, ==, 3);
  g_assert_cmpuint (children[0], ==, 5);
  g_assert_cmpuint (children[2], ==, 7);
  children = tl_trace_get_children (trace, 5, &n_children);
  g_assert_null (children);
  g_assert_cmpuint (n_children, ==, 0);

  g_assert_cmpuint (tl_trace_get_n_sections (trace), ==, 2);
  g_assert_cmpint (tl_trace_get_section (trace, 0)->start_us, ==, 0);
  g_assert_cmpint (tl_trace_get_section (trace, 0)->end_us, ==, S (3));
  g_assert_cmpuint (tl_trace_get_section (trace, 0)->root, ==, 0);
  g_assert_cmpuint (tl_trace_get_section (trace, 0)->state, ==, TL_STATE_OK);
  g_assert_cmpint (tl_trace_get_section (trace, 1)->start_us, ==, S (3));
  g_assert_cmpuint (tl_trace_get_section (trace, 1)->root, ==, 4);
  g_assert_cmpuint (count_events (trace, TL_EVENT_SECTION_START), ==, 2);
  g_assert_cmpuint (count_events (trace, TL_EVENT_SECTION_END), ==, 2);
  g_assert_cmpuint (count_events (trace, TL_EVENT_RESULT_TAKEN), ==, 3);
}

static void
test_labels (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = record_gather_run (preset);
  g_autofree char *root = tl_trace_dup_label (trace, 0);
  g_autofree char *second = tl_trace_dup_label (trace, 2);
  g_autofree char *third = tl_trace_dup_label (trace, 7);

  g_assert_cmpstr (root, ==, "one-by-one");
  g_assert_cmpstr (second, ==, "fetch_user(2)");
  g_assert_cmpstr (third, ==, "fetch_user(3)");
  g_assert_cmpstr (tl_trace_get_result (trace, 2), ==, "User 2");
  g_assert_null (tl_trace_get_result (trace, 6));
}

static void
test_warnings_and_http (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  guint32 id = tl_trace_add_instance (trace, TL_NO_INSTANCE, 0, 1, 0, TL_ON_LOOP, 0);
  TlHttpDetails *http;
  const TlEvent *event;
  guint index;

  g_assert_null (tl_trace_get_http (trace, id));
  http = tl_trace_ensure_http (trace, id);
  g_assert_nonnull (http);
  g_assert_true (http == tl_trace_ensure_http (trace, id));
  g_assert_cmpint (http->dns_start_us, ==, -1);
  g_assert_cmpint (http->first_byte_us, ==, -1);
  http->status = 200;
  http->url = g_strdup ("http://127.0.0.1/x");
  http->reason = g_strdup ("OK");
  g_assert_cmpuint (tl_trace_get_http (trace, id)->status, ==, 200);

  index = tl_trace_add_warning (trace, id, TL_WARNING_NEVER_AWAITED, "never awaited", 5);
  g_assert_cmpuint (index, ==, 0);
  index = tl_trace_add_warning (trace, id, TL_WARNING_PENDING_AT_EXIT, "pending", 6);
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpuint (tl_trace_get_n_warnings (trace), ==, 2);
  g_assert_cmpstr (tl_trace_get_warning (trace, 1)->message, ==, "pending");
  g_assert_cmpuint (tl_trace_get_warning (trace, 1)->code, ==, TL_WARNING_PENDING_AT_EXIT);

  event = tl_trace_get_event (trace, tl_trace_get_n_events (trace) - 1);
  g_assert_cmpuint (event->type, ==, TL_EVENT_WARNING);
  g_assert_cmpuint (event->a, ==, TL_WARNING_PENDING_AT_EXIT);
  g_assert_cmpint (event->value, ==, 1);
}

/* 100,000 identical errors share one copy; distinct ones are kept apart. */
static void
test_interned_errors (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  guint user = spec_index (preset, "user");
  const char *first = NULL;

  for (guint i = 0; i < 100000; i++)
    {
      guint32 id = tl_trace_add_instance (trace, TL_NO_INSTANCE, user, i + 1, 0, TL_ON_LOOP, i);
      g_autofree char *message = g_strdup ("ValueError: bad user");

      tl_trace_set_error (trace, id, message);
      if (first == NULL)
        first = tl_trace_get_error (trace, id);
      g_assert_true (tl_trace_get_error (trace, id) == first);
    }

  tl_trace_set_error (trace, 5, "another");
  g_assert_cmpstr (tl_trace_get_error (trace, 5), ==, "another");
  g_assert_cmpstr (tl_trace_get_error (trace, 6), ==, "ValueError: bad user");
}

/* Strings cross the store's internal blocks, and one is larger than a
 * block; every one reads back as written. */
static void
test_many_strings (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  guint user = spec_index (preset, "user");
  const guint n = 300000;
  g_autofree char *huge = g_malloc (3 * 1024 * 1024 + 1);

  memset (huge, 'x', 3 * 1024 * 1024);
  huge[3 * 1024 * 1024] = '\0';

  for (guint i = 0; i < n; i++)
    {
      guint32 id = tl_trace_add_instance (trace, TL_NO_INSTANCE, user, i + 1, 0, TL_ON_LOOP, i);
      g_autofree char *result = g_strdup_printf ("result number %u", i);

      if (i == n / 2)
        tl_trace_set_result (trace, id, huge);
      else
        tl_trace_set_result (trace, id, result);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *result = g_strdup_printf ("result number %u", i);

      if (i == n / 2)
        g_assert_true (strcmp (tl_trace_get_result (trace, i), huge) == 0);
      else
        g_assert_cmpstr (tl_trace_get_result (trace, i), ==, result);
      g_assert_null (tl_trace_get_error (trace, i));
      g_assert_null (tl_trace_get_http (trace, i));
    }
}

/* --- one writer, one reader on another thread --- */

#define N_CONCURRENT_EVENTS 1000000

typedef struct {
  TlTrace *trace;
  guint    user;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  guint32 last_instance = TL_NO_INSTANCE;

  for (guint i = 0; i < N_CONCURRENT_EVENTS; i++)
    {
      if (i % 10 == 0)
        {
          /* Adds its own creation event. */
          last_instance = tl_trace_add_instance (data->trace, last_instance, data->user,
                                                 i / 10 + 1, 0, TL_ON_LOOP, i);
          continue;
        }
      tl_trace_add_event (data->trace, i, TL_EVENT_CANCEL_REQUEST, last_instance,
                          (guint8) (i & 0xff), (guint16) (i & 0xffff), (gint64) i * 3);
    }
  tl_trace_complete (data->trace, N_CONCURRENT_EVENTS);
  return NULL;
}

static void
test_concurrent_reader (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  WriterData data = { trace, spec_index (preset, "user") };
  GThread *thread;
  guint seen_events = 0;
  guint seen_instances = 0;
  guint polls = 0;
  gboolean complete = FALSE;

  thread = g_thread_new ("trace-writer", writer_thread, &data);

  while (!complete || seen_events < tl_trace_get_n_events (trace))
    {
      guint n_events, n_instances;

      /* Read "complete" first: everything written before it is visible
       * in the counts read after it. */
      complete = tl_trace_is_complete (trace);
      n_events = tl_trace_get_n_events (trace);
      n_instances = tl_trace_get_n_instances (trace);
      g_assert_cmpuint (n_events, >=, seen_events);
      polls++;

      for (; seen_events < n_events; seen_events++)
        {
          const TlEvent *event = tl_trace_get_event (trace, seen_events);

          g_assert_cmpint (event->time_us, ==, seen_events);
          if (seen_events % 10 == 0)
            {
              g_assert_cmpuint (event->type, ==, TL_EVENT_STATE);
              g_assert_cmpuint (event->a, ==, TL_STATE_CREATED);
              g_assert_cmpuint (event->instance, ==, seen_events / 10);
              /* The instance is published before its creation event. */
              g_assert_cmpuint (event->instance, <, tl_trace_get_n_instances (trace));
            }
          else
            {
              g_assert_cmpuint (event->type, ==, TL_EVENT_CANCEL_REQUEST);
              g_assert_cmpint (event->value, ==, (gint64) seen_events * 3);
              g_assert_cmpuint (event->a, ==, seen_events & 0xff);
              g_assert_cmpuint (event->b, ==, seen_events & 0xffff);
              g_assert_cmpuint (event->instance, ==, seen_events / 10);
            }
        }

      for (; seen_instances < n_instances; seen_instances++)
        {
          const TlInstance *instance = tl_trace_get_instance (trace, seen_instances);

          g_assert_cmpuint (instance->copy, ==, seen_instances + 1);
          g_assert_cmpuint (instance->created_seq, ==, seen_instances);
          g_assert_cmpuint (instance->parent, ==, seen_instances == 0 ? TL_NO_INSTANCE : seen_instances - 1);
          g_assert_cmpuint (instance->kind, ==, TL_KIND_SLEEP);
        }
    }

  g_thread_join (thread);
  g_assert_cmpuint (seen_events, ==, N_CONCURRENT_EVENTS);
  g_assert_cmpuint (seen_instances, ==, N_CONCURRENT_EVENTS / 10);
  g_test_message ("reader caught up %u times", polls);
}

/* Results, errors, HTTP details and outcomes of an instance may be read
 * on another thread as soon as its final state event is visible. */
#define N_SIDE_INSTANCES 200000

static gpointer
side_writer_thread (gpointer user_data)
{
  WriterData *data = user_data;

  for (guint i = 0; i < N_SIDE_INSTANCES; i++)
    {
      guint32 id = tl_trace_add_instance (data->trace, TL_NO_INSTANCE, data->user, i + 1, 0, TL_ON_LOOP, i);
      g_autofree char *text = g_strdup_printf ("result %u", i);

      tl_trace_set_state (data->trace, id, TL_STATE_RUNNING, i);
      if (i % 3 == 0)
        {
          TlHttpDetails *http = tl_trace_ensure_http (data->trace, id);
          http->status = 200 + i % 100;
          http->bytes = i;
        }
      if (i % 2 == 0)
        {
          tl_trace_set_result (data->trace, id, text);
          tl_trace_set_state (data->trace, id, TL_STATE_OK, i + 1);
        }
      else
        {
          tl_trace_set_error (data->trace, id, "ValueError: odd");
          tl_trace_set_state (data->trace, id, TL_STATE_FAILED, i + 1);
        }
    }
  tl_trace_complete (data->trace, N_SIDE_INSTANCES + 1);
  return NULL;
}

static void
test_concurrent_side_tables (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  WriterData data = { trace, spec_index (preset, "user") };
  GThread *thread;
  guint seen = 0, finals = 0;
  gboolean complete = FALSE;

  thread = g_thread_new ("trace-writer", side_writer_thread, &data);

  while (!complete || seen < tl_trace_get_n_events (trace))
    {
      guint n;

      complete = tl_trace_is_complete (trace);
      n = tl_trace_get_n_events (trace);
      for (; seen < n; seen++)
        {
          const TlEvent *event = tl_trace_get_event (trace, seen);
          const TlOutcome *outcome;
          const TlHttpDetails *http;
          guint i = event->instance;

          if (event->type != TL_EVENT_STATE || !TL_STATE_IS_FINAL (event->a))
            continue;

          finals++;
          outcome = tl_trace_get_outcome (trace, i);
          g_assert_cmpuint (outcome->state, ==, event->a);
          g_assert_cmpint (outcome->started_us, ==, i);
          g_assert_cmpint (outcome->finished_us, ==, i + 1);
          if (i % 2 == 0)
            {
              g_autofree char *text = g_strdup_printf ("result %u", i);
              g_assert_cmpstr (tl_trace_get_result (trace, i), ==, text);
              g_assert_null (tl_trace_get_error (trace, i));
            }
          else
            {
              g_assert_null (tl_trace_get_result (trace, i));
              g_assert_cmpstr (tl_trace_get_error (trace, i), ==, "ValueError: odd");
            }
          http = tl_trace_get_http (trace, i);
          if (i % 3 == 0)
            {
              g_assert_nonnull (http);
              g_assert_cmpuint (http->status, ==, 200 + i % 100);
              g_assert_cmpint (http->bytes, ==, i);
            }
          else
            {
              g_assert_null (http);
            }
        }
    }

  g_thread_join (thread);
  g_assert_cmpuint (finals, ==, N_SIDE_INSTANCES);
}

/* --- summaries --- */

static void
test_format_duration (void)
{
  static const struct { gint64 us; const char *text; } cases[] = {
    { 0, "0 µs" },
    { 12, "12 µs" },
    { 999, "999 µs" },
    { 1000, "1.00 ms" },
    { 1234, "1.23 ms" },
    { 9996, "10.0 ms" },
    { 12345, "12.3 ms" },
    { 99960, "100 ms" },
    { 850000, "850 ms" },
    { 999499, "999 ms" },
    { 999500, "1.00 s" },
    { 1250000, "1.25 s" },
    { 12500000, "12.5 s" },
    { 59949999, "59.9 s" },
    { 59950000, "1 m 00 s" },
    { 125000000, "2 m 05 s" },
    { G_GINT64_CONSTANT (3725) * G_USEC_PER_SEC, "1 h 02 m" },
    { -1500, "-1.50 ms" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tl_format_duration (cases[i].us);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_duration_pair (void)
{
  static const struct { gint64 a, b; const char *a_text, *b_text; } cases[] = {
    /* Within a factor of ten: the larger one's unit and decimals. */
    { 1000000, 500000, "1.00 s", "0.50 s" },
    { 1500000, 501000, "1.50 s", "0.50 s" },
    { 250000, 1250000, "0.25 s", "1.25 s" },
    { 12500000, 1300000, "12.5 s", "1.3 s" },
    { 850000, 100000, "850 ms", "100 ms" },
    { 12345, 2000, "12.3 ms", "2.0 ms" },
    { 9000, 1000, "9.00 ms", "1.00 ms" },
    { 1000000, 1000000, "1.00 s", "1.00 s" },
    /* Further apart, under a millisecond, past a minute: each its own. */
    { 5000000, 300000, "5.00 s", "300 ms" },
    { 900, 500, "900 µs", "500 µs" },
    { 125000000, 30000000, "2 m 05 s", "30.0 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a_text = NULL;
      g_autofree char *b_text = NULL;

      tl_format_duration_pair (cases[i].a, cases[i].b, &a_text, &b_text);
      g_assert_cmpstr (a_text, ==, cases[i].a_text);
      g_assert_cmpstr (b_text, ==, cases[i].b_text);
    }
}

static void
test_summary (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = record_gather_run (preset);
  g_autofree char *text = NULL;
  TlSectionSummary summary;

  tl_summary_compute_section (trace, 0, &summary);
  g_assert_cmpint (summary.wall_us, ==, S (3));
  g_assert_cmpint (summary.task_time_us, ==, S (3));
  g_assert_cmpfloat_with_epsilon (summary.overlap, 1.0, 1e-9);
  g_assert_cmpuint (summary.counts[TL_STATE_OK], ==, 4);
  g_assert_cmpuint (summary.n_warnings, ==, 0);

  tl_summary_compute_section (trace, 1, &summary);
  g_assert_cmpint (summary.wall_us, ==, S (1));
  g_assert_cmpint (summary.task_time_us, ==, S (3));
  g_assert_cmpfloat_with_epsilon (summary.overlap, 3.0, 1e-9);
  g_assert_cmpuint (summary.counts[TL_STATE_OK], ==, 4);
  g_assert_cmpuint (summary.counts[TL_STATE_FAILED], ==, 0);

  text = tl_summary_format_text (trace);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "one-by-one  3.00 s wall · 3.00 s of task time · 1.0× overlap · 4 ok\n"));
  g_assert_nonnull (strstr (text, "gathered    1.00 s wall · 3.00 s of task time · 3.0× overlap · 4 ok\n"));
  g_assert_nonnull (strstr (text, "one-by-one 3.00 s · gathered 1.00 s — gathered: 3.0× faster than one-by-one\n"));
  g_assert_null (strstr (text, "failed"));
}

static void
test_summary_failures_and_warnings (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  guint user = spec_index (preset, "user");
  g_autofree char *text = NULL;
  guint32 root, a, b, c;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "one-by-one"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, root, 0);
  a = tl_trace_add_instance (trace, root, user, 1, 0, TL_ON_LOOP, 0);
  b = tl_trace_add_instance (trace, root, user, 2, 0, TL_ON_LOOP, 0);
  c = tl_trace_add_instance (trace, root, user, 3, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, a, TL_STATE_WAITING, 0);
  tl_trace_set_error (trace, a, "ValueError: bad user");
  tl_trace_set_state (trace, a, TL_STATE_FAILED, 500000);
  tl_trace_set_cancelled (trace, b, TL_STATE_NEVER_STARTED, TL_CAUSE_NONE, TL_NO_INSTANCE, 500000);
  tl_trace_set_cancelled (trace, c, TL_STATE_NEVER_STARTED, TL_CAUSE_NONE, TL_NO_INSTANCE, 500000);
  tl_trace_add_warning (trace, c, TL_WARNING_NEVER_AWAITED, "fetch_user(3) was never awaited", 500000);
  tl_trace_set_error (trace, root, "ValueError: bad user");
  tl_trace_set_state (trace, root, TL_STATE_FAILED, 500000);
  tl_trace_end_section (trace, 0, 500000);
  tl_trace_complete (trace, 500000);

  text = tl_summary_format_text (trace);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "one-by-one  500 ms wall · 500 ms of task time · 1.0× overlap · 0 ok · 2 failed · 2 never started\n"));
  g_assert_nonnull (strstr (text, "never-awaited  fetch_user(3): fetch_user(3) was never awaited\n"));
}

static void
test_summary_stopped (void)
{
  g_autoptr(TlPreset) preset = load_gather_preset ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  g_autofree char *text = NULL;
  guint32 root, child;

  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "one-by-one"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, root, 0);
  child = tl_trace_add_instance (trace, root, spec_index (preset, "user"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, child, TL_STATE_WAITING, 0);
  tl_trace_set_cancelled (trace, child, TL_STATE_CANCELLED, TL_CAUSE_USER, TL_NO_INSTANCE, 250000);
  tl_trace_set_cancelled (trace, root, TL_STATE_CANCELLED, TL_CAUSE_USER, TL_NO_INSTANCE, 250000);
  tl_trace_end_section (trace, 0, 250000);
  tl_trace_complete (trace, 250000);

  text = tl_summary_format_text (trace);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==,
                   "one-by-one  250 ms wall · 250 ms of task time · 1.0× overlap · 0 ok · 2 cancelled (stopped)\n"
                   "Not run: gathered\n");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/trace/outcome", test_outcome_bookkeeping);
  g_test_add_func ("/engine/trace/counters-dedupe", test_counters_dedupe);
  g_test_add_func ("/engine/trace/children-and-sections", test_children_and_sections);
  g_test_add_func ("/engine/trace/labels", test_labels);
  g_test_add_func ("/engine/trace/warnings-and-http", test_warnings_and_http);
  g_test_add_func ("/engine/trace/interned-errors", test_interned_errors);
  g_test_add_func ("/engine/trace/many-strings", test_many_strings);
  g_test_add_func ("/engine/trace/concurrent-reader", test_concurrent_reader);
  g_test_add_func ("/engine/trace/concurrent-side-tables", test_concurrent_side_tables);
  g_test_add_func ("/engine/summary/format-duration", test_format_duration);
  g_test_add_func ("/engine/summary/format-duration-pair", test_format_duration_pair);
  g_test_add_func ("/engine/summary/gather", test_summary);
  g_test_add_func ("/engine/summary/failures-and-warnings", test_summary_failures_and_warnings);
  g_test_add_func ("/engine/summary/stopped", test_summary_stopped);

  return g_test_run ();
}
