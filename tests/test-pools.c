/* test-pools.c — the thread pool, the process pool and the CPU burn
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These tests run real threads and real processes against the wall
 * clock, so they assert orderings, ratios and generous bounds rather than
 * exact times: the machine may be busy with other work.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "pools/tl-gil.h"
#include "preset/tl-preset.h"
#include "pools/tl-process-pool.h"
#include "pools/tl-thread-pool.h"
#include "trace/tl-trace.h"
#include "pools/tl-worker-protocol.h"

/* --- a private engine context per test --- */

typedef struct {
  GMainContext *context;
  TlTrace      *trace;
  gint64        t0;
} Fixture;

static gint64
fixture_now_us (gpointer clock)
{
  Fixture *fixture = clock;

  return g_get_monotonic_time () - fixture->t0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char preset_text[] =
    "[Preset]\n"
    "Format=1\n"
    "Name=pools\n"
    "Run=main\n"
    "\n"
    "[Task main]\n"
    "Kind=sleep\n"
    "Duration=0\n";
  g_autoptr(GError) error = NULL;
  TlPreset *preset;

  fixture->context = g_main_context_new ();
  g_main_context_push_thread_default (fixture->context);
  fixture->t0 = g_get_monotonic_time ();

  preset = tl_preset_new_from_data (preset_text, -1, "pools.tasklanes", &error);
  g_assert_no_error (error);
  fixture->trace = tl_trace_new (preset);
  tl_preset_unref (preset);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Nothing the pools attached may outlive them. */
  while (g_main_context_iteration (fixture->context, FALSE))
    ;
  g_clear_pointer (&fixture->trace, tl_trace_unref);
  g_main_context_pop_thread_default (fixture->context);
  g_main_context_unref (fixture->context);
}

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the fixture's context until @done returns TRUE or @timeout_ms
 * passes; returns @done's last answer. */
static gboolean
iterate_until (Fixture   *fixture,
               gboolean (*done) (gpointer data),
               gpointer   data,
               guint      timeout_ms)
{
  gboolean expired = FALSE;
  GSource *timeout = g_timeout_source_new (timeout_ms);
  gboolean result;

  g_source_set_callback (timeout, deadline_cb, &expired, NULL);
  g_source_attach (timeout, fixture->context);

  while (!(result = done (data)) && !expired)
    g_main_context_iteration (fixture->context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);

  return result;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
iterate_for (Fixture *fixture,
             guint    ms)
{
  gboolean never = FALSE;

  iterate_until (fixture, flag_is_set, &never, ms);
}

/* Counter values in the order the trace recorded them. */
static GArray *
counter_values (TlTrace   *trace,
                TlCounter  counter)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = tl_trace_get_n_events (trace);

  for (guint i = 0; i < n; i++)
    {
      const TlEvent *event = tl_trace_get_event (trace, i);

      if (event->type == TL_EVENT_COUNTER && event->a == counter)
        g_array_append_val (values, event->value);
    }

  return values;
}

static gint64
array_max (GArray *values)
{
  gint64 max = G_MININT64;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, gint64, i));

  return max;
}

/* --- recording what happens to jobs --- */

typedef struct {
  Fixture  *fixture;
  guint     index;
  guint    *start_order;      /* shared counter */
  guint     started_rank;     /* 1-based; 0: never started */
  gint64    started_us;
  gint64    finished_us;
  gboolean  finished;
  guint     n_finished;
  GError   *error;
} JobRecord;

static void
record_started_cb (TlPoolJob *job,
                   gpointer   user_data)
{
  JobRecord *record = user_data;

  g_assert_cmpuint (record->started_rank, ==, 0);
  record->started_rank = ++*record->start_order;
  record->started_us = fixture_now_us (record->fixture);
}

static void
record_finished_cb (TlPoolJob    *job,
                    const GError *error,
                    gpointer      user_data)
{
  JobRecord *record = user_data;

  record->n_finished++;
  record->finished = TRUE;
  record->finished_us = fixture_now_us (record->fixture);
  g_clear_error (&record->error);
  record->error = error != NULL ? g_error_copy (error) : NULL;
}

static gboolean
all_finished (gpointer data)
{
  GArray *records = data;

  for (guint i = 0; i < records->len; i++)
    if (!g_array_index (records, JobRecord, i).finished)
      return FALSE;

  return TRUE;
}

static gboolean
record_started (gpointer data)
{
  return ((JobRecord *) data)->started_rank > 0;
}

static gboolean
record_finished (gpointer data)
{
  return ((JobRecord *) data)->finished;
}

static void
clear_record (gpointer data)
{
  JobRecord *record = data;

  g_clear_error (&record->error);
}

static GArray *
new_records (Fixture *fixture,
             guint    n,
             guint   *start_order)
{
  GArray *records = g_array_sized_new (FALSE, TRUE, sizeof (JobRecord), n);

  g_array_set_clear_func (records, clear_record);
  g_array_set_size (records, n);
  for (guint i = 0; i < n; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);

      record->fixture = fixture;
      record->index = i;
      record->start_order = start_order;
    }

  return records;
}

static TlPoolJob
make_job (TlJobKind     kind,
          gint64        duration_us,
          GCancellable *cancellable,
          JobRecord    *record)
{
  TlPoolJob job = {
    .kind = kind,
    .duration_us = duration_us,
    .instance = record->index,
    .cancellable = cancellable,
    .started = record_started_cb,
    .finished = record_finished_cb,
    .user_data = record,
  };

  return job;
}

static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* CPU time a live process has used so far, from /proc/PID/schedstat. */
static gint64
worker_cpu_us (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/schedstat", (int) pid);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  return g_ascii_strtoll (contents, NULL, 10) / 1000;
}

/* --- rivals: what plain busy threads get at the same moment --- */

/* Two threads that only spin, run beside the jobs being measured. The
 * scheduler shares the cores the machine has left between all runnable
 * threads alike, so comparing the CPU time the jobs got with what the
 * rivals got in the same window tells how many of the jobs really ran at
 * once, however busy the machine is: two jobs in parallel get as much
 * as the two rivals (a ratio near 1), one at a time half as much (0.5). */
typedef struct {
  GThread   *threads[2];
  clockid_t  clocks[2];
  gint       n_started;   /* atomic */
  gint       stop;        /* atomic */
} Rivals;

typedef struct {
  Rivals *rivals;
  guint   index;
} RivalStart;

static gpointer
rival_thread (gpointer data)
{
  RivalStart *start = data;
  Rivals *rivals = start->rivals;
  volatile guint64 spins = 0;

  g_assert_cmpint (pthread_getcpuclockid (pthread_self (), &rivals->clocks[start->index]), ==, 0);
  g_free (start);
  g_atomic_int_inc (&rivals->n_started);
  while (!g_atomic_int_get (&rivals->stop))
    spins++;
  return NULL;
}

static void
rivals_start (Rivals *rivals)
{
  memset (rivals, 0, sizeof *rivals);
  for (guint i = 0; i < G_N_ELEMENTS (rivals->threads); i++)
    {
      RivalStart *start = g_new (RivalStart, 1);

      start->rivals = rivals;
      start->index = i;
      rivals->threads[i] = g_thread_new ("rival", rival_thread, start);
    }
  while (g_atomic_int_get (&rivals->n_started) < (gint) G_N_ELEMENTS (rivals->threads))
    g_usleep (1000);
}

static gint64
rivals_cpu_us (Rivals *rivals)
{
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (rivals->clocks); i++)
    {
      struct timespec ts;

      g_assert_cmpint (clock_gettime (rivals->clocks[i], &ts), ==, 0);
      total += (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
    }
  return total;
}

static void
rivals_stop (Rivals *rivals)
{
  g_atomic_int_set (&rivals->stop, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (rivals->threads); i++)
    g_thread_join (rivals->threads[i]);
}

static gboolean
pid_is_gone (GPid pid)
{
  return kill (pid, 0) == -1 && errno == ESRCH;
}

static gboolean
pids_contain (GArray *pids,
              GPid    pid)
{
  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, GPid, i) == pid)
      return TRUE;

  return FALSE;
}

/* --- CPU burn --- */

static void
test_cpu_burn_accuracy (void)
{
  gint64 before = thread_cpu_us ();
  gint64 used;

  g_assert_true (tl_cpu_burn (100000, NULL));
  used = thread_cpu_us () - before;
  g_test_message ("tl_cpu_burn(100 ms) used %" G_GINT64_FORMAT " µs of thread CPU time", used);

  g_assert_cmpint (used, >=, 85000);
  g_assert_cmpint (used, <=, 115000);
}

static gpointer
cancel_later_thread (gpointer data)
{
  g_usleep (50000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cpu_burn_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GThread *thread;
  gint64 before;

  g_cancellable_cancel (cancelled);
  g_assert_false (tl_cpu_burn (1000000, cancelled));

  /* Cancelled from another thread 50 ms in: it stops within a few ms of
   * work instead of burning the whole second. */
  thread = g_thread_new ("canceller", cancel_later_thread, cancellable);
  before = thread_cpu_us ();
  g_assert_false (tl_cpu_burn (2 * G_USEC_PER_SEC, cancellable));
  g_thread_join (thread);
  g_assert_cmpint (thread_cpu_us () - before, <, 1000000);

  g_assert_true (tl_cpu_burn (0, NULL));
}

/* --- GIL --- */

typedef struct {
  TlGil   *gil;
  GString *order;
} GilRace;

static gpointer
gil_waiter_thread (gpointer data)
{
  GilRace *race = data;

  tl_gil_acquire (race->gil);
  g_string_append_c (race->order, 'B');
  tl_gil_release (race->gil);

  return NULL;
}

static void
test_gil_fair_hand_over (void)
{
  GilRace race = { tl_gil_new (), g_string_new (NULL) };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GThread *waiter;

  tl_gil_acquire (race.gil);
  waiter = g_thread_new ("gil-waiter", gil_waiter_thread, &race);
  while (tl_gil_get_n_waiting (race.gil) < 1 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpuint (tl_gil_get_n_waiting (race.gil), ==, 1);

  /* Releasing and asking again at once must not win against a thread
   * that was already waiting, however the scheduler runs them: a plain
   * mutex usually lets the releasing thread take it straight back. */
  tl_gil_release (race.gil);
  tl_gil_acquire (race.gil);
  g_string_append_c (race.order, 'A');
  tl_gil_release (race.gil);
  g_thread_join (waiter);

  g_assert_cmpstr (race.order->str, ==, "BA");
  g_assert_cmpuint (tl_gil_get_n_switches (race.gil), ==, 2);
  g_assert_cmpuint (tl_gil_get_n_waiting (race.gil), ==, 0);

  tl_gil_free (race.gil);
  g_string_free (race.order, TRUE);
}

/* --- thread pool --- */

static void
test_thread_fifo_queue (Fixture       *fixture,
                        gconstpointer  data)
{
  static const double expected_s[] = { 0.5, 0.5, 1.0, 1.0, 1.5 };
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 5, &start_order);
  g_autoptr(GArray) queued = NULL;
  g_autoptr(GArray) busy = NULL;
  TlThreadPool *pool;
  gint64 pushed_us;

  pool = tl_thread_pool_new (2, FALSE, fixture->trace, fixture_now_us, fixture);
  pushed_us = fixture_now_us (fixture);
  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (TL_JOB_BLOCKING, 500000, NULL, &g_array_index (records, JobRecord, i));

      tl_thread_pool_push (pool, &job);
    }
  g_assert_cmpuint (tl_thread_pool_get_queued (pool), ==, 5);
  g_assert_cmpuint (tl_thread_pool_get_busy (pool), ==, 0);

  g_assert_true (iterate_until (fixture, all_finished, records, 10000));

  for (guint i = 0; i < records->len; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);
      double took_s = (record->finished_us - pushed_us) / (double) G_USEC_PER_SEC;

      g_test_message ("job %u: started #%u, finished after %.3f s", i, record->started_rank, took_s);
      g_assert_no_error (record->error);
      g_assert_cmpuint (record->n_finished, ==, 1);
      /* FIFO: jobs leave the queue in the order they were pushed. */
      g_assert_cmpuint (record->started_rank, ==, i + 1);
      g_assert_cmpfloat (took_s, >=, expected_s[i] * 0.6);
      g_assert_cmpfloat (took_s, <=, expected_s[i] * 1.4);
    }

  g_assert_cmpuint (tl_thread_pool_get_queued (pool), ==, 0);
  g_assert_cmpuint (tl_thread_pool_get_busy (pool), ==, 0);

  /* The trace saw the queue grow to 5 and drain one job at a time. */
  queued = counter_values (fixture->trace, TL_COUNTER_THREADS_QUEUED);
  busy = counter_values (fixture->trace, TL_COUNTER_THREADS_BUSY);
  {
    static const gint64 expected_queued[] = { 1, 2, 3, 4, 5, 4, 3, 2, 1, 0 };

    g_assert_cmpmem (queued->data, queued->len * sizeof (gint64),
                     expected_queued, sizeof expected_queued);
  }
  g_assert_cmpint (array_max (busy), ==, 2);
  g_assert_cmpint (g_array_index (busy, gint64, busy->len - 1), ==, 0);

  tl_thread_pool_free (pool);
}

static void
test_thread_cancel_queued (Fixture       *fixture,
                           gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 3, &start_order);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled_before = g_cancellable_new ();
  JobRecord *running = &g_array_index (records, JobRecord, 0);
  JobRecord *queued = &g_array_index (records, JobRecord, 1);
  JobRecord *dead_on_arrival = &g_array_index (records, JobRecord, 2);
  TlThreadPool *pool;
  TlPoolJob job;
  gint64 cancelled_us;

  pool = tl_thread_pool_new (1, FALSE, fixture->trace, fixture_now_us, fixture);

  job = make_job (TL_JOB_BLOCKING, 400000, NULL, running);
  tl_thread_pool_push (pool, &job);
  job = make_job (TL_JOB_BLOCKING, 400000, cancellable, queued);
  tl_thread_pool_push (pool, &job);
  g_cancellable_cancel (cancelled_before);
  job = make_job (TL_JOB_CPU, 400000, cancelled_before, dead_on_arrival);
  tl_thread_pool_push (pool, &job);

  g_assert_true (iterate_until (fixture, record_started, running, 5000));

  /* The queued job leaves the queue at once, without a thread. */
  cancelled_us = fixture_now_us (fixture);
  g_cancellable_cancel (cancellable);
  g_assert_true (iterate_until (fixture, record_finished, queued, 5000));
  g_assert_true (iterate_until (fixture, record_finished, dead_on_arrival, 5000));
  g_assert_false (running->finished);
  g_assert_cmpint (queued->finished_us - cancelled_us, <, 200000);
  g_assert_cmpuint (tl_thread_pool_get_queued (pool), ==, 0);
  g_assert_cmpuint (tl_thread_pool_get_busy (pool), ==, 1);

  g_assert_true (iterate_until (fixture, all_finished, records, 5000));

  g_assert_no_error (running->error);
  g_assert_cmpuint (queued->started_rank, ==, 0);
  g_assert_error (queued->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dead_on_arrival->started_rank, ==, 0);
  g_assert_error (dead_on_arrival->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  tl_thread_pool_free (pool);
}

static void
test_thread_cancel_running_blocking (Fixture       *fixture,
                                     gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 1, &start_order);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  JobRecord *record = &g_array_index (records, JobRecord, 0);
  TlThreadPool *pool;
  TlPoolJob job;

  pool = tl_thread_pool_new (2, FALSE, fixture->trace, fixture_now_us, fixture);
  job = make_job (TL_JOB_BLOCKING, 500000, cancellable, record);
  tl_thread_pool_push (pool, &job);
  g_assert_true (iterate_until (fixture, record_started, record, 5000));

  g_cancellable_cancel (cancellable);
  iterate_for (fixture, 100);
  /* A blocking call cannot be interrupted: the thread stays busy. */
  g_assert_false (record->finished);
  g_assert_cmpuint (tl_thread_pool_get_busy (pool), ==, 1);

  g_assert_true (iterate_until (fixture, record_finished, record, 5000));
  g_assert_cmpint (record->finished_us - record->started_us, >=, 450000);
  /* It ran to its end; the runner knows it was cancelled. */
  g_assert_no_error (record->error);
  g_assert_cmpuint (tl_thread_pool_get_busy (pool), ==, 0);

  tl_thread_pool_free (pool);
}

static void
test_thread_cancel_running_cpu (Fixture       *fixture,
                                gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 1, &start_order);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  JobRecord *record = &g_array_index (records, JobRecord, 0);
  TlThreadPool *pool;
  TlPoolJob job;
  gint64 cancelled_us;

  pool = tl_thread_pool_new (1, TRUE, fixture->trace, fixture_now_us, fixture);
  job = make_job (TL_JOB_CPU, 5 * G_USEC_PER_SEC, cancellable, record);
  tl_thread_pool_push (pool, &job);
  g_assert_true (iterate_until (fixture, record_started, record, 5000));
  iterate_for (fixture, 50);

  /* CPU work checks its cancellable between slices and frees the thread. */
  cancelled_us = fixture_now_us (fixture);
  g_cancellable_cancel (cancellable);
  g_assert_true (iterate_until (fixture, record_finished, record, 5000));
  g_assert_cmpint (record->finished_us - cancelled_us, <, 1000000);
  g_assert_error (record->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  tl_thread_pool_free (pool);
}

static void
test_thread_free_drops_queued (Fixture       *fixture,
                               gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 3, &start_order);
  TlThreadPool *pool;
  gint64 before;

  pool = tl_thread_pool_new (1, FALSE, fixture->trace, fixture_now_us, fixture);
  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (TL_JOB_BLOCKING, 300000, NULL, &g_array_index (records, JobRecord, i));

      tl_thread_pool_push (pool, &job);
    }
  g_assert_true (iterate_until (fixture, record_started, &g_array_index (records, JobRecord, 0), 5000));

  /* The running job is waited for; the queued ones are dropped. */
  before = g_get_monotonic_time ();
  tl_thread_pool_free (pool);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 1000000);

  iterate_for (fixture, 50);
  for (guint i = 0; i < records->len; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);

      g_assert_false (record->finished);
      g_assert_cmpuint (record->started_rank, ==, i == 0 ? 1 : 0);
    }
}

static gpointer
cancel_all_thread (gpointer data)
{
  GPtrArray *cancellables = data;

  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));

  return NULL;
}

/* Cancellables cancelled on another thread than the pool's, while the
 * pool finishes jobs on its own: every queued job leaves the queue once,
 * and nothing leaks (the sanitizer build checks that). */
static void
test_thread_cancel_from_other_thread (Fixture       *fixture,
                                      gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 41, &start_order);
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  TlThreadPool *pool = tl_thread_pool_new (1, FALSE, fixture->trace, fixture_now_us, fixture);
  TlPoolJob job;
  GThread *thread;

  job = make_job (TL_JOB_BLOCKING, 200000, NULL, &g_array_index (records, JobRecord, 0));
  tl_thread_pool_push (pool, &job);
  for (guint i = 1; i < records->len; i++)
    {
      GCancellable *cancellable = g_cancellable_new ();

      g_ptr_array_add (cancellables, cancellable);
      job = make_job (TL_JOB_BLOCKING, 200000, cancellable, &g_array_index (records, JobRecord, i));
      tl_thread_pool_push (pool, &job);
    }

  thread = g_thread_new ("canceller", cancel_all_thread, cancellables);
  g_assert_true (iterate_until (fixture, all_finished, records, 10000));
  g_thread_join (thread);

  g_assert_no_error (g_array_index (records, JobRecord, 0).error);
  for (guint i = 1; i < records->len; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);

      g_assert_error (record->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (record->started_rank, ==, 0);
      g_assert_cmpuint (record->n_finished, ==, 1);
    }
  g_assert_cmpuint (tl_thread_pool_get_queued (pool), ==, 0);

  tl_thread_pool_free (pool);
}

typedef struct {
  TlThreadPool *pool;
  gboolean      done;
} FreeInCallback;

static void
free_pool_finished_cb (TlPoolJob    *job,
                       const GError *error,
                       gpointer      user_data)
{
  FreeInCallback *state = user_data;

  g_assert_no_error (error);
  g_clear_pointer (&state->pool, tl_thread_pool_free);
  state->done = TRUE;
}

static void
test_thread_free_in_callback (Fixture       *fixture,
                              gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 1, &start_order);
  JobRecord *record = &g_array_index (records, JobRecord, 0);
  FreeInCallback state = { NULL, FALSE };
  TlPoolJob job = {
    .kind = TL_JOB_CPU,
    .duration_us = 10000,
    .finished = free_pool_finished_cb,
    .user_data = &state,
  };
  TlPoolJob queued = make_job (TL_JOB_CPU, 1000000, NULL, record);

  /* The runner may end everything from a finished callback: the pool must
   * not touch itself afterwards, and jobs still queued are dropped. */
  state.pool = tl_thread_pool_new (1, TRUE, fixture->trace, fixture_now_us, fixture);
  tl_thread_pool_push (state.pool, &job);
  tl_thread_pool_push (state.pool, &queued);
  g_assert_true (iterate_until (fixture, flag_is_set, &state.done, 5000));
  g_assert_null (state.pool);
  iterate_for (fixture, 50);
  g_assert_false (record->finished);
  g_assert_cmpuint (record->started_rank, ==, 0);
}

/* Runs 4 jobs of @job_us CPU work on 2 threads; returns the wall time and
 * the process CPU time it took. */
static void
run_cpu_jobs (Fixture  *fixture,
              gboolean  gil,
              gint64    job_us,
              gint64   *wall_us,
              gint64   *cpu_us)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 4, &start_order);
  TlThreadPool *pool = tl_thread_pool_new (2, gil, NULL, fixture_now_us, fixture);
  gint64 wall_start = g_get_monotonic_time ();
  gint64 cpu_start = process_cpu_us ();

  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (TL_JOB_CPU, job_us, NULL, &g_array_index (records, JobRecord, i));

      tl_thread_pool_push (pool, &job);
    }
  /* Beside the rivals, on a busy machine, 1 s of CPU can take a while. */
  g_assert_true (iterate_until (fixture, all_finished, records, 120000));

  *wall_us = g_get_monotonic_time () - wall_start;
  *cpu_us = process_cpu_us () - cpu_start;

  for (guint i = 0; i < records->len; i++)
    g_assert_no_error (g_array_index (records, JobRecord, i).error);

  tl_thread_pool_free (pool);
}

/* The CPU time the pool's threads got while running the jobs, divided by
 * what two rival threads got in the same window (see Rivals). */
static double
share_against_rivals (Fixture  *fixture,
                      gboolean  gil)
{
  Rivals rivals;
  gint64 wall, cpu, main_cpu, rival_cpu;
  double share;

  rivals_start (&rivals);
  main_cpu = thread_cpu_us ();
  rival_cpu = rivals_cpu_us (&rivals);
  run_cpu_jobs (fixture, gil, 150000, &wall, &cpu);
  rival_cpu = rivals_cpu_us (&rivals) - rival_cpu;
  main_cpu = thread_cpu_us () - main_cpu;
  rivals_stop (&rivals);

  /* The process clock counts the rivals and this thread too. */
  share = (double) (cpu - rival_cpu - main_cpu) / MAX (rival_cpu, 1);
  g_test_message ("%s GIL beside two rivals: %" G_GINT64_FORMAT " µs wall, jobs %" G_GINT64_FORMAT
                  " µs CPU, rivals %" G_GINT64_FORMAT " µs CPU: share %.2f",
                  gil ? "with" : "without", wall, cpu - rival_cpu - main_cpu, rival_cpu, share);
  return share;
}

static void
test_thread_gil (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 gil_wall, gil_cpu;
  double gil_share, free_share;

  run_cpu_jobs (fixture, TRUE, 250000, &gil_wall, &gil_cpu);
  g_test_message ("with GIL: %" G_GINT64_FORMAT " µs wall, %" G_GINT64_FORMAT " µs CPU",
                  gil_wall, gil_cpu);

  /* Under the GIL only one thread computes at a time, whatever the load:
   * 1 s of work takes at least 1 s, using at most one core. */
  g_assert_cmpint (gil_wall, >=, 950000);
  g_assert_cmpint (gil_cpu, <=, gil_wall * 1.15);

  /* Whether the threads without a GIL run at once is measured against
   * two plain busy threads running beside them, so it holds on a loaded
   * machine and on one core as well: the pool's two threads get as much
   * CPU as the two rivals without the GIL, half as much with it. Beside
   * the window tests of the sanitizer build, the shares spread (0.31 to
   * 0.54 with the GIL, 0.72 to 1.01 without, in twelve runs), so the
   * pair is measured up to three times; a pool that broke either way
   * would be on the wrong side every time. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      gil_share = share_against_rivals (fixture, TRUE);
      free_share = share_against_rivals (fixture, FALSE);
      if (gil_share < 0.75 && free_share > 0.75 && free_share > gil_share * 1.3)
        break;
    }
  g_assert_cmpfloat (gil_share, <, 0.75);
  g_assert_cmpfloat (free_share, >, 0.75);
  g_assert_cmpfloat (free_share, >, gil_share * 1.3);
}

/* --- the worker program --- */

static void
test_worker_find_path (void)
{
  g_autofree char *expected = g_build_filename (WORKER_BUILDDIR, TL_WORKER_PROGRAM_NAME, NULL);
  g_autofree char *saved = g_strdup (g_getenv ("TASKLANES_WORKER"));

  g_setenv ("TASKLANES_WORKER", "/opt/elsewhere/worker", TRUE);
  g_assert_cmpstr (tl_worker_find_path (), ==, "/opt/elsewhere/worker");

  /* This test runs from the build tree: the worker built beside it. */
  g_unsetenv ("TASKLANES_WORKER");
  g_assert_cmpstr (tl_worker_find_path (), ==, expected);

  if (saved != NULL)
    g_setenv ("TASKLANES_WORKER", saved, TRUE);
}

static void
test_worker_protocol_parsing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hello = tl_worker_format_hello (1234);
  g_autofree char *request = tl_worker_format_request (TL_JOB_CPU, 250000);
  g_autofree char *done = tl_worker_format_done (250100, 250900);
  g_autofree char *failure = tl_worker_format_error ("bad\nline");
  TlWorkerReply reply;
  TlJobKind kind;
  gint64 duration;

  g_assert_cmpstr (request, ==, "cpu 250000");
  g_assert_true (tl_worker_parse_request (request, &kind, &duration, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, TL_JOB_CPU);
  g_assert_cmpint (duration, ==, 250000);
  g_assert_true (tl_worker_parse_request ("sleep 0", &kind, &duration, NULL));
  g_assert_cmpint (kind, ==, TL_JOB_BLOCKING);

  g_assert_false (tl_worker_parse_request ("rm -rf /", &kind, &duration, NULL));
  g_assert_false (tl_worker_parse_request ("cpu -5", &kind, &duration, NULL));
  g_assert_false (tl_worker_parse_request ("cpu 12 34", &kind, &duration, NULL));
  g_assert_false (tl_worker_parse_request ("cpu  12", &kind, &duration, NULL));
  g_assert_false (tl_worker_parse_request ("cpu 99999999999999", &kind, &duration, NULL));
  g_assert_false (tl_worker_parse_request ("", &kind, &duration, NULL));

  g_assert_true (tl_worker_parse_reply (hello, &reply, NULL));
  g_assert_cmpint (reply.type, ==, TL_WORKER_REPLY_HELLO);
  g_assert_cmpuint (reply.version, ==, TL_WORKER_PROTOCOL_VERSION);
  g_assert_cmpint (reply.pid, ==, 1234);
  tl_worker_reply_clear (&reply);

  g_assert_true (tl_worker_parse_reply (done, &reply, NULL));
  g_assert_cmpint (reply.type, ==, TL_WORKER_REPLY_DONE);
  g_assert_cmpint (reply.cpu_us, ==, 250100);
  g_assert_cmpint (reply.wall_us, ==, 250900);
  tl_worker_reply_clear (&reply);

  g_assert_cmpstr (failure, ==, "error bad?line");
  g_assert_true (tl_worker_parse_reply (failure, &reply, NULL));
  g_assert_cmpint (reply.type, ==, TL_WORKER_REPLY_ERROR);
  g_assert_cmpstr (reply.message, ==, "bad?line");
  tl_worker_reply_clear (&reply);

  g_assert_false (tl_worker_parse_reply ("cpu 250000", &reply, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  tl_worker_reply_clear (&reply);
  g_assert_false (tl_worker_parse_reply ("hello bash 1 3", &reply, NULL));
  tl_worker_reply_clear (&reply);
}

static char *
read_reply (GDataInputStream *lines)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
send_line (GOutputStream *in,
           const char    *line)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (in, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_worker_program (void)
{
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = NULL;
  GOutputStream *in;
  char *reply;
  TlWorkerReply parsed;

  worker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, tl_worker_find_path (), NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (worker);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker));

  reply = read_reply (lines);
  g_assert_true (tl_worker_parse_reply (reply, &parsed, NULL));
  g_assert_cmpint (parsed.type, ==, TL_WORKER_REPLY_HELLO);
  g_assert_cmpint (parsed.pid, ==, g_ascii_strtoll (g_subprocess_get_identifier (worker), NULL, 10));
  g_free (reply);

  /* Garbage gets an error line, and the worker carries on. */
  send_line (in, "garbage\n");
  reply = read_reply (lines);
  g_assert_true (g_str_has_prefix (reply, "error "));
  g_free (reply);

  long_line = g_strnfill (5000, 'x');
  send_line (in, long_line);
  send_line (in, "\n");
  reply = read_reply (lines);
  g_assert_cmpstr (reply, ==, "error line too long");
  g_free (reply);

  send_line (in, "sleep 99999999999999\n");
  reply = read_reply (lines);
  g_assert_true (g_str_has_prefix (reply, "error "));
  g_free (reply);

  /* Ctrl+C is the parent's business. */
  g_subprocess_send_signal (worker, SIGINT);

  send_line (in, "cpu 20000\n");
  reply = read_reply (lines);
  g_assert_true (tl_worker_parse_reply (reply, &parsed, NULL));
  g_assert_cmpint (parsed.type, ==, TL_WORKER_REPLY_DONE);
  g_assert_cmpint (parsed.cpu_us, >=, 17000);
  g_free (reply);

  send_line (in, "sleep 20000\n");
  reply = read_reply (lines);
  g_assert_true (tl_worker_parse_reply (reply, &parsed, NULL));
  g_assert_cmpint (parsed.type, ==, TL_WORKER_REPLY_DONE);
  g_assert_cmpint (parsed.wall_us, >=, 19000);
  g_assert_cmpint (parsed.cpu_us, <, 10000);
  g_free (reply);

  /* End of input: it exits cleanly. */
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (worker, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (worker));
  g_assert_cmpint (g_subprocess_get_exit_status (worker), ==, 0);
}

/* --- process pool --- */

static TlProcessPool *
new_process_pool (Fixture *fixture,
                  guint    n)
{
  g_autoptr(GError) error = NULL;
  TlProcessPool *pool = tl_process_pool_new (n, tl_worker_find_path (), fixture->trace,
                                             fixture_now_us, fixture, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pool);
  return pool;
}

static void
test_process_parallel (Fixture       *fixture,
                       gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 4, &start_order);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) queued = NULL;
  g_autoptr(GArray) busy = NULL;
  TlProcessPool *pool = new_process_pool (fixture, 2);
  gint64 wall_start, wall, cpu_start, cpu, rival_cpu, worker_cpu;
  Rivals rivals;
  double share;

  /* Started on demand: nothing runs before the first job. */
  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 0);
  g_clear_pointer (&pids, g_array_unref);

  /* Two plain busy threads run beside the workers (see Rivals). */
  rivals_start (&rivals);
  wall_start = g_get_monotonic_time ();
  cpu_start = process_cpu_us ();
  rival_cpu = rivals_cpu_us (&rivals);
  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (TL_JOB_CPU, 250000, NULL, &g_array_index (records, JobRecord, i));

      tl_process_pool_push (pool, &job);
    }
  g_assert_cmpuint (tl_process_pool_get_queued (pool), ==, 4);
  g_assert_true (iterate_until (fixture, all_finished, records, 120000));
  wall = g_get_monotonic_time () - wall_start;
  rival_cpu = rivals_cpu_us (&rivals) - rival_cpu;
  cpu = process_cpu_us () - cpu_start - rival_cpu;
  rivals_stop (&rivals);
  g_test_message ("4 × 250 ms on 2 processes: %" G_GINT64_FORMAT " µs wall, "
                  "%" G_GINT64_FORMAT " µs CPU in this process, %" G_GINT64_FORMAT " µs in the rivals",
                  wall, cpu, rival_cpu);

  for (guint i = 0; i < records->len; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);

      g_assert_no_error (record->error);
      g_assert_cmpuint (record->started_rank, ==, i + 1);
    }

  /* The work ran elsewhere: this process stayed nearly idle. */
  g_assert_cmpint (cpu, <, 200000);

  /* Two at a time, whatever the load: the first two both started before
   * either finished, and the third waited for one of them. */
  {
    JobRecord *r = (JobRecord *) (gpointer) records->data;
    gint64 first_finish = MIN (r[0].finished_us, r[1].finished_us);

    g_assert_cmpint (r[0].started_us, <, first_finish);
    g_assert_cmpint (r[1].started_us, <, first_finish);
    g_assert_cmpint (r[2].started_us, >=, first_finish);
  }

  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 2);

  /* Each worker computed 0.5 s, so at least that long on any machine. */
  g_assert_cmpint (wall, >=, 450000);

  /* Both workers computed at once: together they got as much CPU as the
   * two rivals in the same window (one at a time would get half), however
   * busy the machine was. Their clocks started with them, in the window. */
  worker_cpu = worker_cpu_us (g_array_index (pids, GPid, 0)) + worker_cpu_us (g_array_index (pids, GPid, 1));
  share = (double) worker_cpu / MAX (rival_cpu, 1);
  g_test_message ("the workers got %" G_GINT64_FORMAT " µs CPU: share %.2f", worker_cpu, share);
  g_assert_cmpint (worker_cpu, >=, 950000);
  g_assert_cmpfloat (share, >, 0.75);
  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);

      g_assert_cmpint (pid, !=, getpid ());
      g_assert_false (pid_is_gone (pid));
    }

  g_assert_cmpuint (tl_process_pool_get_busy (pool), ==, 0);
  g_assert_cmpuint (tl_process_pool_get_queued (pool), ==, 0);
  queued = counter_values (fixture->trace, TL_COUNTER_PROCESSES_QUEUED);
  busy = counter_values (fixture->trace, TL_COUNTER_PROCESSES_BUSY);
  g_assert_cmpint (array_max (queued), ==, 4);
  g_assert_cmpint (g_array_index (queued, gint64, queued->len - 1), ==, 0);
  g_assert_cmpint (array_max (busy), ==, 2);
  g_assert_cmpint (g_array_index (busy, gint64, busy->len - 1), ==, 0);

  tl_process_pool_free (pool);

  for (guint i = 0; i < pids->len; i++)
    g_assert_true (pid_is_gone (g_array_index (pids, GPid, i)));
}

static void
test_process_crash (Fixture       *fixture,
                    gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 3, &start_order);
  g_autoptr(GArray) pids = NULL;
  JobRecord *victim = &g_array_index (records, JobRecord, 0);
  TlProcessPool *pool = new_process_pool (fixture, 1);
  GPid pid;

  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (TL_JOB_CPU, i == 0 ? 5 * G_USEC_PER_SEC : 50000, NULL,
                                &g_array_index (records, JobRecord, i));

      tl_process_pool_push (pool, &job);
    }
  g_assert_true (iterate_until (fixture, record_started, victim, 5000));

  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 1);
  pid = g_array_index (pids, GPid, 0);
  g_clear_pointer (&pids, g_array_unref);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);

  g_assert_true (iterate_until (fixture, record_finished, victim, 5000));
  g_assert_error (victim->error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (victim->error->message, "was killed (SIGKILL, signal 9)"));
  g_assert_nonnull (strstr (victim->error->message, "a new one was started"));

  /* Reaped, replaced, and the queue goes on. */
  g_assert_true (pid_is_gone (pid));
  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 1);
  g_assert_false (pids_contain (pids, pid));

  g_assert_true (iterate_until (fixture, all_finished, records, 10000));
  g_assert_no_error (g_array_index (records, JobRecord, 1).error);
  g_assert_no_error (g_array_index (records, JobRecord, 2).error);

  tl_process_pool_free (pool);
  g_assert_true (pid_is_gone (g_array_index (pids, GPid, 0)));
}

static void
test_process_cancel (Fixture       *fixture,
                     gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 3, &start_order);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GCancellable) cancel_running = g_cancellable_new ();
  g_autoptr(GCancellable) cancel_queued = g_cancellable_new ();
  JobRecord *running = &g_array_index (records, JobRecord, 0);
  JobRecord *queued = &g_array_index (records, JobRecord, 1);
  JobRecord *after = &g_array_index (records, JobRecord, 2);
  TlProcessPool *pool = new_process_pool (fixture, 1);
  TlPoolJob job;
  GPid pid;

  job = make_job (TL_JOB_CPU, 5 * G_USEC_PER_SEC, cancel_running, running);
  tl_process_pool_push (pool, &job);
  job = make_job (TL_JOB_CPU, 5 * G_USEC_PER_SEC, cancel_queued, queued);
  tl_process_pool_push (pool, &job);
  job = make_job (TL_JOB_CPU, 50000, NULL, after);
  tl_process_pool_push (pool, &job);

  g_assert_true (iterate_until (fixture, record_started, running, 5000));
  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 1);
  pid = g_array_index (pids, GPid, 0);
  g_clear_pointer (&pids, g_array_unref);

  /* A cancelled queued job leaves the queue without a worker. */
  g_cancellable_cancel (cancel_queued);
  g_assert_true (iterate_until (fixture, record_finished, queued, 5000));
  g_assert_error (queued->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (queued->started_rank, ==, 0);
  g_assert_false (running->finished);
  g_assert_cmpuint (tl_process_pool_get_queued (pool), ==, 1);

  /* A running one ends its worker, which is replaced. */
  g_cancellable_cancel (cancel_running);
  g_assert_true (iterate_until (fixture, record_finished, running, 2000));
  g_assert_error (running->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (pid_is_gone (pid));

  g_assert_true (iterate_until (fixture, record_finished, after, 5000));
  g_assert_no_error (after->error);
  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 1);
  g_assert_false (pids_contain (pids, pid));

  tl_process_pool_free (pool);
}

static void
test_process_cancel_from_other_thread (Fixture       *fixture,
                                       gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 21, &start_order);
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  TlProcessPool *pool = new_process_pool (fixture, 1);
  TlPoolJob job;
  GThread *thread;

  job = make_job (TL_JOB_BLOCKING, 200000, NULL, &g_array_index (records, JobRecord, 0));
  tl_process_pool_push (pool, &job);
  for (guint i = 1; i < records->len; i++)
    {
      GCancellable *cancellable = g_cancellable_new ();

      g_ptr_array_add (cancellables, cancellable);
      job = make_job (TL_JOB_BLOCKING, 200000, cancellable, &g_array_index (records, JobRecord, i));
      tl_process_pool_push (pool, &job);
    }

  thread = g_thread_new ("canceller", cancel_all_thread, cancellables);
  g_assert_true (iterate_until (fixture, all_finished, records, 10000));
  g_thread_join (thread);

  g_assert_no_error (g_array_index (records, JobRecord, 0).error);
  for (guint i = 1; i < records->len; i++)
    {
      JobRecord *record = &g_array_index (records, JobRecord, i);

      /* Some may have reached the worker before the cancellation did. */
      g_assert_error (record->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (record->n_finished, ==, 1);
    }
  g_assert_cmpuint (tl_process_pool_get_queued (pool), ==, 0);
  g_assert_cmpuint (tl_process_pool_get_busy (pool), ==, 0);

  tl_process_pool_free (pool);
}

static void
test_process_free_reaps (Fixture       *fixture,
                         gconstpointer  data)
{
  guint start_order = 0;
  g_autoptr(GArray) records = new_records (fixture, 3, &start_order);
  g_autoptr(GArray) pids = NULL;
  TlProcessPool *pool = new_process_pool (fixture, 2);
  gint64 before;

  for (guint i = 0; i < records->len; i++)
    {
      TlPoolJob job = make_job (i == 0 ? TL_JOB_CPU : TL_JOB_BLOCKING, 10 * G_USEC_PER_SEC, NULL,
                                &g_array_index (records, JobRecord, i));

      tl_process_pool_push (pool, &job);
    }
  g_assert_true (iterate_until (fixture, record_started, &g_array_index (records, JobRecord, 1), 5000));
  pids = tl_process_pool_dup_pids (pool);
  g_assert_cmpuint (pids->len, ==, 2);

  /* Every worker ends now, busy or not; nothing calls back any more. */
  before = g_get_monotonic_time ();
  tl_process_pool_free (pool);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 2 * G_USEC_PER_SEC);

  for (guint i = 0; i < pids->len; i++)
    g_assert_true (pid_is_gone (g_array_index (pids, GPid, i)));

  iterate_for (fixture, 50);
  for (guint i = 0; i < records->len; i++)
    g_assert_false (g_array_index (records, JobRecord, i).finished);
}

static void
test_process_missing_worker (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TlProcessPool *pool;

  pool = tl_process_pool_new (2, "/nonexistent/tasklanes-worker", NULL, NULL, NULL, &error);
  g_assert_null (pool);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/tasklanes-worker"));
}

/* A program standing in for the worker, to see how the pool copes with
 * one that exits or speaks another language. */
static char *
write_fake_worker (const char *dir,
                   const char *name,
                   const char *script)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);

  return path;
}

static void
test_process_bad_workers (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-pools-XXXXXX", &error);
  struct {
    const char *name;
    const char *script;
    const char *expected;
  } cases[] = {
    { "exits", "#!/bin/sh\necho \"hello tasklanes-worker 1 $$\"\nread line\nexit 3\n",
      "worker process running this job exited unexpectedly (status 3)" },
    { "echoes", "#!/bin/sh\nexec cat\n", "is not a Tasklanes worker" },
    { "quits", "#!/bin/sh\nexit 0\n", "worker process running this job exited unexpectedly (status 0)" },
  };

  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint start_order = 0;
      g_autoptr(GArray) records = new_records (fixture, 1, &start_order);
      g_autofree char *path = write_fake_worker (dir, cases[c].name, cases[c].script);
      JobRecord *record = &g_array_index (records, JobRecord, 0);
      TlPoolJob job = make_job (TL_JOB_CPU, 10000, NULL, record);
      TlProcessPool *pool;

      if (c == 1)
        g_test_expect_message ("tl-process-pool", G_LOG_LEVEL_WARNING, "*is not a Tasklanes worker*");

      pool = tl_process_pool_new (1, path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      tl_process_pool_push (pool, &job);
      g_assert_true (iterate_until (fixture, record_finished, record, 5000));
      g_test_message ("%s: %s", cases[c].name, record->error != NULL ? record->error->message : "(no error)");
      g_assert_error (record->error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (record->error->message, cases[c].expected));

      /* Its replacement dies idle too, and is not started again and again. */
      iterate_for (fixture, 300);
      if (c == 2)
        {
          g_autoptr(GArray) pids = tl_process_pool_dup_pids (pool);

          g_assert_cmpuint (pids->len, ==, 0);
        }

      tl_process_pool_free (pool);
      g_test_assert_expected_messages ();
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  /* First: it changes the environment, which is only safe before any
   * thread exists. */
  g_test_add_func ("/engine/pools/worker/find-path", test_worker_find_path);
  g_test_add_func ("/engine/pools/cpu-burn/accuracy", test_cpu_burn_accuracy);
  g_test_add_func ("/engine/pools/cpu-burn/cancel", test_cpu_burn_cancel);
  g_test_add_func ("/engine/pools/gil/fair-hand-over", test_gil_fair_hand_over);
  ADD ("/engine/pools/thread/fifo-queue", test_thread_fifo_queue);
  ADD ("/engine/pools/thread/cancel-queued", test_thread_cancel_queued);
  ADD ("/engine/pools/thread/cancel-running-blocking", test_thread_cancel_running_blocking);
  ADD ("/engine/pools/thread/cancel-running-cpu", test_thread_cancel_running_cpu);
  ADD ("/engine/pools/thread/free-drops-queued", test_thread_free_drops_queued);
  ADD ("/engine/pools/thread/cancel-from-other-thread", test_thread_cancel_from_other_thread);
  ADD ("/engine/pools/thread/free-in-callback", test_thread_free_in_callback);
  ADD ("/engine/pools/thread/gil", test_thread_gil);
  g_test_add_func ("/engine/pools/worker/protocol", test_worker_protocol_parsing);
  g_test_add_func ("/engine/pools/worker/program", test_worker_program);
  ADD ("/engine/pools/process/parallel", test_process_parallel);
  ADD ("/engine/pools/process/crash", test_process_crash);
  ADD ("/engine/pools/process/cancel", test_process_cancel);
  ADD ("/engine/pools/process/cancel-from-other-thread", test_process_cancel_from_other_thread);
  ADD ("/engine/pools/process/free-reaps", test_process_free_reaps);
  ADD ("/engine/pools/process/missing-worker", test_process_missing_worker);
  ADD ("/engine/pools/process/bad-workers", test_process_bad_workers);

#undef ADD

  return g_test_run ();
}
