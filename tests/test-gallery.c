/* test-gallery.c — every built-in preset runs and shows what it promises
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each preset's description tells the user what to watch on the timeline.
 * This suite runs every preset of the gallery and checks those promises
 * against the trace: section wall times, the final state and finishing
 * time of the tasks the description names, the errors they carry and the
 * warnings the run ends with. Presets without HTTP run on the virtual
 * clock, where the reference timings hold exactly; the HTTP ones run on
 * the real clock against the built-in demo server, with wide margins.
 */
#include "config.h"

#include <string.h>

#include "preset/tl-preset.h"
#include "run/tl-runner.h"
#include "trace/tl-trace.h"

#define MS(x) ((gint64) ((x) * 1000.0))
#define S(x)  ((gint64) ((x) * 1000000.0))

/* A closed window of times in µs; hi == 0 means "not checked". */
typedef struct {
  gint64 lo;
  gint64 hi;
} Window;

/* Virtual time is exact; the small slack only absorbs rounding. */
#define AT(s)          { S (s) - MS (2), S (s) + MS (2) }
/* Real clock on a shared machine: never early, possibly quite late. */
#define REAL(lo, hi)   { S (lo) - MS (20), S (hi) }

typedef struct {
  Window   wall;
  TlState  state;
} SectionCheck;

typedef struct {
  const char *task;            /* [Task NAME] */
  guint       copy;            /* Repeat number; 0: every copy */
  guint       section;
  TlState     state;
  Window      started;         /* relative to the section's start */
  Window      finished;        /* relative to the section's start */
  Window      queue_wait;      /* started - queued */
  TlCause     cause;           /* checked unless TL_CAUSE_NONE */
  const char *error_has;       /* substring of the error message */
  const char *result_has[4];   /* substrings of the result, in this order */
} TaskCheck;

typedef struct {
  TlWarningCode  code;
  const char    *task;
} WarningCheck;

typedef struct {
  const char   *preset;
  gboolean      real_clock;      /* fetch tasks cannot run on virtual time */
  SectionCheck  sections[4];     /* up to the first with wall.hi == 0 */
  TaskCheck     tasks[10];       /* up to the first with task == NULL */
  WarningCheck  warnings[4];     /* exactly these (code, task) pairs occur */
  gint64        max_threads_busy; /* 0: not checked */
  void        (*extra) (TlTrace *trace);
} PresetCheck;

static void check_sync_vs_async_speed_up (TlTrace *trace);
static void check_http_fetch_all_speed_up (TlTrace *trace);
static void check_many_sleeps_count (TlTrace *trace);

/* The table: one row per gallery preset, in gallery order. */
static const PresetCheck preset_checks[] = {
  {
    .preset = "sync-vs-async",
    .sections = { { AT (3.0), TL_STATE_OK }, { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "lookup", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "lookup", 3, 0, TL_STATE_OK, .started = AT (2.0), .finished = AT (3.0) },
      { "lookup", 0, 1, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.0) },
      { "together", 1, 1, TL_STATE_OK, .result_has = { "User 1", "User 2", "User 3" } },
    },
    .extra = check_sync_vs_async_speed_up,
  },
  {
    .preset = "await-basics",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "fetch-data", 1, 0, TL_STATE_OK, .finished = AT (1.0), .result_has = { "data" } },
      { "tick", 1, 0, TL_STATE_OK, .finished = AT (0.2) },
      { "tick", 3, 0, TL_STATE_OK, .finished = AT (0.6) },
      { "tick", 5, 0, TL_STATE_OK, .finished = AT (1.0) },
    },
  },
  {
    .preset = "gather",
    .sections = { { AT (1.5), TL_STATE_OK } },
    .tasks = {
      { "user-1", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.0) },
      { "user-2", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (0.5) },
      { "user-3", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.5) },
      { "main", 1, 0, TL_STATE_OK, .finished = AT (1.5),
        .result_has = { "User 1", "User 2", "User 3" } },
    },
  },
  {
    .preset = "create-task",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      /* Running from creation, long before anyone awaits them. */
      { "user-1", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.0) },
      { "user-2", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (0.8) },
      { "other-work", 1, 0, TL_STATE_OK, .finished = AT (0.5) },
      { "await-1", 1, 0, TL_STATE_OK, .started = AT (0.5), .finished = AT (1.0),
        .result_has = { "User 1" } },
      { "await-2", 1, 0, TL_STATE_OK, .started = AT (1.0), .finished = AT (1.0),
        .result_has = { "User 2" } },
    },
  },
  {
    .preset = "wait-first-completed",
    .sections = { { AT (2.7), TL_STATE_OK } },
    .tasks = {
      { "first-done", 1, 0, TL_STATE_OK, .finished = AT (0.5) },
      { "user-1", 1, 0, TL_STATE_OK, .finished = AT (0.5) },
      /* Pending is not cancelled: they all run to their own ends. */
      { "user-2", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "user-4", 1, 0, TL_STATE_OK, .finished = AT (2.0) },
      { "user-5", 1, 0, TL_STATE_OK, .finished = AT (2.5) },
    },
  },
  {
    .preset = "wait-timeout",
    .sections = { { AT (2.7), TL_STATE_OK } },
    .tasks = {
      { "wait-a-while", 1, 0, TL_STATE_OK, .finished = AT (1.2) },
      { "user-2", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "user-3", 1, 0, TL_STATE_OK, .finished = AT (1.5) },
      { "user-5", 1, 0, TL_STATE_OK, .finished = AT (2.5) },
    },
  },
  {
    .preset = "gather-return-exceptions",
    .sections = { { AT (0.6), TL_STATE_OK } },
    .tasks = {
      { "risky-2", 1, 0, TL_STATE_FAILED, .finished = AT (0.3),
        .error_has = "ValueError: 2 is not allowed" },
      { "risky-3", 1, 0, TL_STATE_OK, .finished = AT (0.6) },
      { "main", 1, 0, TL_STATE_OK, .finished = AT (0.6),
        .result_has = { "1", "2 is not allowed", "3" } },
    },
  },
  {
    .preset = "gather-error",
    .sections = { { AT (1.3), TL_STATE_OK } },
    .tasks = {
      { "together", 1, 0, TL_STATE_FAILED, .finished = AT (0.3),
        .error_has = "2 is not allowed" },
      { "risky-2", 1, 0, TL_STATE_FAILED, .finished = AT (0.3) },
      /* The sibling is not stopped by the gather's failure. */
      { "user-1", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "slow-report", 1, 0, TL_STATE_CANCELLED, .finished = AT (1.3),
        .cause = TL_CAUSE_SECTION_END },
      { "handle-error", 1, 0, TL_STATE_OK, .started = AT (0.3), .finished = AT (1.3) },
    },
    .warnings = { { TL_WARNING_PENDING_AT_EXIT, "slow-report" } },
  },
  {
    .preset = "task-exception",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "risky-2", 1, 0, TL_STATE_FAILED, .started = AT (0.0), .finished = AT (0.5),
        .error_has = "2 is not allowed" },
      { "await-task", 1, 0, TL_STATE_FAILED, .finished = AT (0.8),
        .error_has = "ValueError: 2 is not allowed" },
      { "recover", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "main", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
    },
  },
  {
    .preset = "timeout",
    .sections = { { AT (1.0), TL_STATE_TIMED_OUT } },
    .tasks = {
      { "connect", 1, 0, TL_STATE_OK, .finished = AT (0.4) },
      { "long-running", 1, 0, TL_STATE_CANCELLED, .started = AT (0.4), .finished = AT (1.0),
        .cause = TL_CAUSE_TIMEOUT },
      { "block", 1, 0, TL_STATE_TIMED_OUT, .finished = AT (1.0) },
    },
  },
  {
    .preset = "wait-for",
    .sections = { { AT (1.2), TL_STATE_OK } },
    .tasks = {
      { "long-running", 1, 0, TL_STATE_CANCELLED, .finished = AT (1.0),
        .cause = TL_CAUSE_TIMEOUT },
      { "limited", 1, 0, TL_STATE_TIMED_OUT, .finished = AT (1.0) },
      { "fallback", 1, 0, TL_STATE_OK, .started = AT (1.0), .finished = AT (1.2),
        .result_has = { "cached value" } },
    },
  },
  {
    .preset = "executor-threads",
    .sections = { { AT (1.5), TL_STATE_OK } },
    .tasks = {
      { "blocking-io", 1, 0, TL_STATE_OK, .finished = AT (0.5), .queue_wait = AT (0.0) },
      { "blocking-io", 2, 0, TL_STATE_OK, .finished = AT (0.5), .queue_wait = AT (0.0) },
      { "blocking-io", 3, 0, TL_STATE_OK, .finished = AT (1.0), .queue_wait = AT (0.5) },
      { "blocking-io", 4, 0, TL_STATE_OK, .finished = AT (1.0), .queue_wait = AT (0.5) },
      { "blocking-io", 5, 0, TL_STATE_OK, .finished = AT (1.5), .queue_wait = AT (1.0) },
      /* The loop stays free, so the heartbeat keeps time. */
      { "beat", 5, 0, TL_STATE_OK, .finished = AT (1.25) },
    },
    .max_threads_busy = 2,
  },
  {
    .preset = "blocking-on-loop",
    .sections = { { AT (1.45), TL_STATE_OK } },
    .tasks = {
      { "tick", 2, 0, TL_STATE_OK, .finished = AT (0.2) },
      /* Due at 0.3 s, but the loop is held from 0.25 s to 0.75 s. */
      { "tick", 3, 0, TL_STATE_OK, .finished = AT (0.75) },
      { "tick", 10, 0, TL_STATE_OK, .finished = AT (1.45) },
      { "blocking-sleep", 1, 0, TL_STATE_OK, .started = AT (0.25), .finished = AT (0.75) },
    },
    .warnings = { { TL_WARNING_LOOP_BLOCKED, "blocking-sleep" } },
  },
  {
    .preset = "http-fetch-all",
    .real_clock = TRUE,
    .sections = { { REAL (2.4, 6.0), TL_STATE_OK }, { REAL (0.3, 2.0), TL_STATE_OK } },
    .tasks = {
      { "fetch-in-turn", 0, 0, TL_STATE_OK },
      { "fetch-together", 0, 1, TL_STATE_OK, .started = REAL (0.0, 0.5) },
    },
    .extra = check_http_fetch_all_speed_up,
  },
  {
    .preset = "http-faults",
    .real_clock = TRUE,
    .sections = { { REAL (1.5, 5.0), TL_STATE_OK } },
    .tasks = {
      { "ok", 1, 0, TL_STATE_OK, .finished = REAL (0.0, 1.0), .result_has = { "200" } },
      { "server-error", 1, 0, TL_STATE_FAILED, .error_has = "500" },
      { "refused", 1, 0, TL_STATE_FAILED, .error_has = "refused" },
      { "stalled", 1, 0, TL_STATE_TIMED_OUT, .finished = REAL (1.0, 3.0) },
      { "slow-body", 1, 0, TL_STATE_TIMED_OUT, .finished = REAL (1.5, 3.5) },
      { "too-big", 1, 0, TL_STATE_FAILED, .error_has = "MaxBytes" },
      { "main", 1, 0, TL_STATE_OK },
    },
  },
  {
    .preset = "never-awaited",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "save-log", 1, 0, TL_STATE_NEVER_STARTED },
      { "fetch-data", 1, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.0) },
    },
    .warnings = { { TL_WARNING_NEVER_AWAITED, "save-log" } },
  },
  {
    .preset = "cpu-on-loop",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      /* 300 ms timers, overdue until the computation lets go. */
      { "user", 0, 0, TL_STATE_OK, .finished = AT (1.0) },
      { "heavy", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
    },
    .warnings = { { TL_WARNING_LOOP_BLOCKED, "heavy" } },
  },
  {
    .preset = "cpu-in-processes",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "user", 0, 0, TL_STATE_OK, .finished = AT (0.3) },
      { "heavy", 1, 0, TL_STATE_OK, .finished = AT (1.0) },
    },
  },
  {
    .preset = "io-bound-compare",
    .sections = {
      { AT (3.0), TL_STATE_OK },
      { AT (0.5), TL_STATE_OK },
      { AT (1.0), TL_STATE_OK },
    },
    .tasks = {
      { "wait-in-turn", 6, 0, TL_STATE_OK, .finished = AT (3.0) },
      { "wait-on-loop", 0, 1, TL_STATE_OK, .finished = AT (0.5) },
      { "wait-on-thread", 4, 2, TL_STATE_OK, .queue_wait = AT (0.5), .finished = AT (1.0) },
    },
    .max_threads_busy = 3,
  },
  {
    .preset = "cpu-bound-compare",
    .sections = {
      { AT (1.0), TL_STATE_OK },
      { AT (0.5), TL_STATE_OK },
      { AT (0.5), TL_STATE_OK },
    },
    .tasks = {
      { "crunch-on-loop", 0, 0, TL_STATE_OK },
      { "crunch-on-thread", 0, 1, TL_STATE_OK },
      { "crunch-in-process", 0, 2, TL_STATE_OK },
    },
    .warnings = { { TL_WARNING_LOOP_BLOCKED, "crunch-on-loop" } },
    .max_threads_busy = 2,
  },
  {
    .preset = "cpu-bound-gil",
    .sections = {
      { AT (1.0), TL_STATE_OK },
      /* Two threads sharing one lock are no faster than the loop. */
      { AT (1.0), TL_STATE_OK },
      { AT (0.5), TL_STATE_OK },
    },
    .tasks = {
      { "crunch-on-loop", 0, 0, TL_STATE_OK },
      { "crunch-on-thread", 0, 1, TL_STATE_OK },
      { "crunch-in-process", 0, 2, TL_STATE_OK },
    },
    .warnings = { { TL_WARNING_LOOP_BLOCKED, "crunch-on-loop" } },
  },
  {
    .preset = "many-sleeps",
    .sections = { { AT (1.0), TL_STATE_OK } },
    .tasks = {
      { "nap", 0, 0, TL_STATE_OK, .started = AT (0.0), .finished = AT (1.0) },
    },
    .extra = check_many_sleeps_count,
  },
};

static const char *
instance_task_name (TlTrace *trace,
                    guint32  id)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  const TlInstance *instance = tl_trace_get_instance (trace, id);

  return preset->tasks[instance->spec].name;
}

static void
assert_in_window (const char *preset,
                  const char *what,
                  gint64      value,
                  Window      window)
{
  if (window.hi == 0)
    return;

  if (value < window.lo || value > window.hi)
    g_error ("%s: %s at %" G_GINT64_FORMAT " µs, expected %" G_GINT64_FORMAT
             "…%" G_GINT64_FORMAT " µs",
             preset, what, value, window.lo, window.hi);
}

static gint64
section_wall_us (TlTrace *trace,
                 guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);

  return s->end_us - s->start_us;
}

static void
check_sections (TlTrace           *trace,
                const PresetCheck *check)
{
  guint n_expected = 0;

  while (n_expected < G_N_ELEMENTS (check->sections) &&
         check->sections[n_expected].wall.hi != 0)
    n_expected++;

  g_assert_cmpuint (tl_trace_get_n_sections (trace), ==, n_expected);

  for (guint i = 0; i < n_expected; i++)
    {
      const TlSection *section = tl_trace_get_section (trace, i);
      g_autofree char *what = g_strdup_printf ("section %u wall time", i);

      g_assert_cmpint (section->end_us, >=, section->start_us);
      assert_in_window (check->preset, what, section_wall_us (trace, i),
                        check->sections[i].wall);
      g_assert_cmpstr (tl_state_to_string (section->state), ==,
                       tl_state_to_string (check->sections[i].state));
    }
}

static void
check_one_instance (TlTrace         *trace,
                    const char      *preset,
                    guint32          id,
                    const TaskCheck *task)
{
  const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
  const TlInstance *instance = tl_trace_get_instance (trace, id);
  const TlSection *section = tl_trace_get_section (trace, instance->section);
  g_autofree char *label = tl_trace_dup_label (trace, id);
  g_autofree char *what = NULL;

  if (outcome->state != task->state)
    g_error ("%s: %s (%s copy %u) ended %s, expected %s (error: %s)",
             preset, label, task->task, instance->copy,
             tl_state_to_string (outcome->state),
             tl_state_to_string (task->state),
             tl_trace_get_error (trace, id));

  if (task->started.hi != 0)
    {
      g_assert_cmpint (outcome->started_us, >=, 0);
      what = g_strdup_printf ("%s started", label);
      assert_in_window (preset, what, outcome->started_us - section->start_us,
                        task->started);
      g_clear_pointer (&what, g_free);
    }

  if (task->finished.hi != 0)
    {
      g_assert_cmpint (outcome->finished_us, >=, 0);
      what = g_strdup_printf ("%s finished", label);
      assert_in_window (preset, what, outcome->finished_us - section->start_us,
                        task->finished);
      g_clear_pointer (&what, g_free);
    }

  if (task->queue_wait.hi != 0)
    {
      g_assert_cmpint (outcome->queued_us, >=, 0);
      g_assert_cmpint (outcome->started_us, >=, outcome->queued_us);
      what = g_strdup_printf ("%s waited in the queue until", label);
      assert_in_window (preset, what, outcome->started_us - outcome->queued_us,
                        task->queue_wait);
      g_clear_pointer (&what, g_free);
    }

  if (task->cause != TL_CAUSE_NONE)
    g_assert_cmpstr (tl_cause_to_string (outcome->cause), ==,
                     tl_cause_to_string (task->cause));

  if (task->error_has != NULL)
    {
      const char *error = tl_trace_get_error (trace, id);

      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error, task->error_has));
    }

  if (task->result_has[0] != NULL)
    {
      const char *result = tl_trace_get_result (trace, id);
      const char *from;

      g_assert_nonnull (result);
      from = result;
      for (guint i = 0; i < G_N_ELEMENTS (task->result_has) && task->result_has[i]; i++)
        {
          const char *found = strstr (from, task->result_has[i]);

          if (found == NULL)
            g_error ("%s: result of %s is “%s”; expected “%s” after “%.*s”",
                     preset, label, result, task->result_has[i],
                     (int) (from - result), result);
          from = found + strlen (task->result_has[i]);
        }
    }
}

static void
check_tasks (TlTrace           *trace,
             const PresetCheck *check)
{
  guint n_instances = tl_trace_get_n_instances (trace);

  for (guint t = 0; t < G_N_ELEMENTS (check->tasks) && check->tasks[t].task; t++)
    {
      const TaskCheck *task = &check->tasks[t];
      guint n_matched = 0;

      for (guint32 id = 0; id < n_instances; id++)
        {
          const TlInstance *instance = tl_trace_get_instance (trace, id);

          if (instance->section != task->section ||
              !g_str_equal (instance_task_name (trace, id), task->task) ||
              (task->copy != 0 && instance->copy != task->copy))
            continue;

          check_one_instance (trace, check->preset, id, task);
          n_matched++;
        }

      if (n_matched == 0)
        g_error ("%s: no instance of task %s (copy %u) in section %u",
                 check->preset, task->task, task->copy, task->section);
      if (task->copy != 0)
        g_assert_cmpuint (n_matched, ==, 1);
    }
}

/* Exactly the expected warnings: each expected one occurs at least once
 * (a task held the loop four times may be named four times), and nothing
 * else is reported. */
static void
check_warnings (TlTrace           *trace,
                const PresetCheck *check)
{
  guint n_warnings = tl_trace_get_n_warnings (trace);
  guint n_expected = 0;
  guint seen[G_N_ELEMENTS (check->warnings)] = { 0, };

  while (n_expected < G_N_ELEMENTS (check->warnings) &&
         check->warnings[n_expected].task != NULL)
    n_expected++;

  for (guint w = 0; w < n_warnings; w++)
    {
      const TlWarning *warning = tl_trace_get_warning (trace, w);
      const char *task = warning->instance == TL_NO_INSTANCE
        ? "(none)" : instance_task_name (trace, warning->instance);
      gboolean expected = FALSE;

      g_assert_nonnull (warning->message);
      g_assert_cmpstr (warning->message, !=, "");

      for (guint e = 0; e < n_expected; e++)
        if (warning->code == check->warnings[e].code &&
            g_str_equal (task, check->warnings[e].task))
          {
            seen[e]++;
            expected = TRUE;
          }

      if (!expected)
        g_error ("%s: unexpected %s warning about %s: %s", check->preset,
                 tl_warning_code_to_string (warning->code), task,
                 warning->message);
    }

  for (guint e = 0; e < n_expected; e++)
    if (seen[e] == 0)
      g_error ("%s: expected a %s warning about %s", check->preset,
               tl_warning_code_to_string (check->warnings[e].code),
               check->warnings[e].task);
}

static void
check_threads_busy (TlTrace           *trace,
                    const PresetCheck *check)
{
  guint n_events = tl_trace_get_n_events (trace);
  gint64 max_busy = 0;

  if (check->max_threads_busy == 0)
    return;

  for (guint i = 0; i < n_events; i++)
    {
      const TlEvent *event = tl_trace_get_event (trace, i);

      if (event->type == TL_EVENT_COUNTER && event->a == TL_COUNTER_THREADS_BUSY)
        max_busy = MAX (max_busy, event->value);
    }

  /* Never more than the pool has, and the pool is used to the full. */
  g_assert_cmpint (max_busy, ==, check->max_threads_busy);
}

static void
check_sync_vs_async_speed_up (TlTrace *trace)
{
  g_assert_cmpint (section_wall_us (trace, 0), >, 2.9 * section_wall_us (trace, 1));
}

static void
check_http_fetch_all_speed_up (TlTrace *trace)
{
  guint n_instances = tl_trace_get_n_instances (trace);
  guint reused = 0;

  /* Gathered requests overlap: far quicker than one after another. */
  g_assert_cmpint (section_wall_us (trace, 0), >, 2 * section_wall_us (trace, 1));

  /* One session: requests in turn reuse the connection of the one before. */
  for (guint32 id = 0; id < n_instances; id++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, id);
      const TlHttpDetails *http;

      if (instance->section != 0 || instance->kind != TL_KIND_FETCH)
        continue;

      http = tl_trace_get_http (trace, id);
      g_assert_nonnull (http);
      g_assert_cmpuint (http->status, ==, 200);
      g_assert_cmpint (http->bytes, >, 0);
      if (http->connection_reused)
        reused++;
    }
  g_assert_cmpuint (reused, >=, 6);
}

static void
check_many_sleeps_count (TlTrace *trace)
{
  /* The gather plus its ten thousand sleeps. */
  g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 10001);
}

static void
test_gallery_preset (gconstpointer data)
{
  const PresetCheck *check = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlRunner) runner = NULL;
  TlRunnerOptions options = { 0, };
  TlTrace *trace;

  preset = tl_preset_new_from_builtin (check->preset, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preset);

  options.clock = check->real_clock ? TL_CLOCK_REAL : TL_CLOCK_VIRTUAL;
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_null (tl_runner_get_error (runner));

  trace = tl_runner_get_trace (runner);
  g_assert_true (tl_trace_is_complete (trace));

  check_sections (trace, check);
  check_tasks (trace, check);
  check_warnings (trace, check);
  check_threads_busy (trace, check);
  if (check->extra != NULL)
    check->extra (trace);

  g_assert_finalize_object (g_steal_pointer (&runner));
}

/* The gallery and the table of expectations describe the same presets, in
 * the same order, and every preset has the fields the gallery shows. */
static void
test_gallery_list (void)
{
  static const char * const chapters[] = {
    "basics", "patterns", "errors", "timeouts", "blocking", "http",
    "mistakes", "comparison", NULL
  };
  g_auto(GStrv) names = tl_preset_list_builtin ();

  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (preset_checks));
  g_assert_cmpstr (names[0], ==, "sync-vs-async");

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[i], &error);
      g_auto(GStrv) remote = NULL;
      gboolean fetches = FALSE;

      g_assert_no_error (error);
      g_assert_cmpstr (names[i], ==, preset_checks[i].preset);
      g_assert_cmpstr (preset->builtin_name, ==, names[i]);
      g_assert_nonnull (preset->name);
      g_assert_nonnull (preset->description);
      g_assert_nonnull (preset->category);
      g_assert_true (g_strv_contains (chapters, preset->category));

      for (guint t = 0; t < preset->n_tasks; t++)
        fetches |= preset->tasks[t].kind == TL_KIND_FETCH;
      g_assert_cmpint (fetches, ==, preset_checks[i].real_clock);

      /* The gallery talks to the demo server only; the one exception is
       * the refused connection of http-faults, which goes nowhere. */
      remote = tl_preset_dup_remote_hosts (preset);
      g_assert_nonnull (remote);
      if (g_str_equal (names[i], "http-faults"))
        {
          g_assert_cmpuint (g_strv_length (remote), ==, 1);
          g_assert_nonnull (strstr (remote[0], "127.0.0.1"));
        }
      else
        g_assert_cmpuint (g_strv_length (remote), ==, 0);
    }
}

static gboolean
has_hangul (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xAC00 && c <= 0xD7A3)
        return TRUE;
    }
  return FALSE;
}

/* Every preset speaks Korean when the user does. */
static void
test_gallery_korean (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_auto(GStrv) names = tl_preset_list_builtin ();

  g_setenv ("LANGUAGE", "ko", TRUE);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[i], &error);

      g_assert_no_error (error);
      if (!has_hangul (preset->name) || !has_hangul (preset->description))
        g_error ("%s has no Korean name or description: %s / %s",
                 names[i], preset->name, preset->description);

      if (g_str_equal (names[i], "sync-vs-async"))
        {
          g_assert_cmpstr (preset->tasks[preset->sections[0]].label, ==, "하나씩 await");
          /* Code-like labels stay as they are. */
          for (guint t = 0; t < preset->n_tasks; t++)
            if (g_str_equal (preset->tasks[t].name, "lookup"))
              g_assert_cmpstr (preset->tasks[t].label, ==, "fetch_user({i})");
        }
    }

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  /* The HTTP presets only talk to 127.0.0.1. GIO's default proxy resolver
   * is libproxy, a C++ library whose exceptions abort a sanitizer build of
   * this C program, so ask GIO for its direct resolver before any thread
   * starts. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/gallery/list", test_gallery_list);
  g_test_add_func ("/engine/gallery/korean", test_gallery_korean);

  for (guint i = 0; i < G_N_ELEMENTS (preset_checks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/gallery/run/%s",
                                               preset_checks[i].preset);

      g_test_add_data_func (path, &preset_checks[i], test_gallery_preset);
    }

  return g_test_run ();
}
