/* test-what-if.c — presets with changed values, and two runs compared
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-what-if"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "preset/tl-preset.h"
#include "preset/tl-preset-overrides.h"
#include "run/tl-runner.h"
#include "trace/tl-compare.h"
#include "trace/tl-summary.h"
#include "tl-test-util.h"

static TlTrace *
run_virtual (TlPreset *preset)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(TlRunner) runner = NULL;
  TlRunnerOptions options = { 0 };
  TlTrace *trace;

  options.clock = TL_CLOCK_VIRTUAL;
  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  trace = tl_trace_ref (tl_runner_get_trace (runner));
  g_clear_object (&runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return trace;
}

static TlPreset *
builtin (const char *name)
{
  g_autoptr(GError) error = NULL;
  TlPreset *preset = tl_preset_new_from_builtin (name, &error);

  g_assert_no_error (error);
  return preset;
}

/* Values change in place; comments, translations and other keys stay. */
static void
test_overrides_text (void)
{
  g_autoptr(TlPreset) preset = builtin ("executor-threads");
  g_autoptr(TlPresetOverrides) overrides = tl_preset_overrides_new ();
  g_autoptr(TlPreset) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint beat = G_MAXUINT, io = G_MAXUINT;

  g_assert_true (tl_preset_overrides_is_empty (overrides));
  tl_preset_overrides_set_pool (overrides, TL_OVERRIDE_THREADS, 3);
  tl_preset_overrides_set_pool (overrides, TL_OVERRIDE_THREADS, 5);   /* the later one wins */
  tl_preset_overrides_set_task (overrides, "blocking-io", TL_OVERRIDE_DURATION, 750000);
  tl_preset_overrides_set_task (overrides, "beat", TL_OVERRIDE_TIMEOUT, 2 * G_USEC_PER_SEC);
  tl_preset_overrides_set_task (overrides, "no-such-task", TL_OVERRIDE_TIMEOUT, 1000);
  g_assert_false (tl_preset_overrides_is_empty (overrides));

  text = tl_preset_dup_text_with_overrides (preset, overrides);
  g_assert_true (g_str_has_prefix (text, "# run_in_executor hands blocking calls"));
  g_assert_nonnull (strstr (text, "\nThreads=5\n"));
  g_assert_null (strstr (text, "Threads=2"));
  g_assert_nonnull (strstr (text, "Name[ko]=run_in_executor"));
  g_assert_nonnull (strstr (text, "Duration=750ms\nOn=thread"));
  g_assert_nonnull (strstr (text, "Duration=250ms\nRepeat=5\nTimeout=2s"));
  g_assert_null (strstr (text, "no-such-task"));

  copy = tl_preset_copy_with_overrides (preset, overrides, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copy->threads, ==, 5);
  g_assert_cmpstr (copy->file, ==, preset->file);
  g_assert_cmpstr (copy->builtin_name, ==, "executor-threads");
  g_assert_cmpstr (copy->text, ==, text);
  for (guint i = 0; i < copy->n_tasks; i++)
    {
      if (strcmp (copy->tasks[i].name, "beat") == 0)
        beat = i;
      if (strcmp (copy->tasks[i].name, "blocking-io") == 0)
        io = i;
    }
  g_assert_cmpint (copy->tasks[beat].timeout_us, ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (copy->tasks[io].duration_us, ==, 750000);

  /* Removing a key: the Timeout goes again. */
  {
    g_autoptr(TlPresetOverrides) again = tl_preset_overrides_new ();
    g_autoptr(TlPreset) back = NULL;

    tl_preset_overrides_set_task (again, "beat", TL_OVERRIDE_TIMEOUT, -1);
    back = tl_preset_copy_with_overrides (copy, again, &error);
    g_assert_no_error (error);
    g_assert_cmpint (back->tasks[beat].timeout_us, ==, -1);
    g_assert_null (strstr (back->text, "Timeout="));
  }

  /* Out of range: the preset format's own message. */
  {
    g_autoptr(TlPresetOverrides) bad = tl_preset_overrides_new ();

    tl_preset_overrides_set_pool (bad, TL_OVERRIDE_THREADS, 1000);
    g_assert_null (tl_preset_copy_with_overrides (preset, bad, &error));
    g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "Threads"));
  }
}

/* Threads 2 → 5 on executor-threads: five half-second calls no longer
 * queue, so they all end at 0.5 s and the heartbeat (1.25 s) sets the
 * wall time. */
static void
test_threads_what_if (void)
{
  g_autoptr(TlPreset) preset = builtin ("executor-threads");
  g_autoptr(TlPresetOverrides) overrides = tl_preset_overrides_new ();
  g_autoptr(TlPreset) five = NULL;
  g_autoptr(TlTrace) before = NULL;
  g_autoptr(TlTrace) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *words = NULL;
  g_autofree guint32 *match = NULL;

  tl_preset_overrides_set_pool (overrides, TL_OVERRIDE_THREADS, 5);
  five = tl_preset_copy_with_overrides (preset, overrides, &error);
  g_assert_no_error (error);

  before = run_virtual (preset);
  after = run_virtual (five);
  g_assert_cmpint (tl_test_section_wall (before, 0), ==, 1500000);
  g_assert_cmpint (tl_test_section_wall (after, 0), ==, 1250000);

  match = tl_compare_match_instances (before, after);
  g_assert_cmpuint (tl_trace_get_n_instances (after), ==, tl_trace_get_n_instances (before));
  for (guint i = 0; i < tl_trace_get_n_instances (after); i++)
    g_assert_cmpuint (match[i], ==, i);

  words = tl_compare_describe (before, after);
  g_test_message ("%s", words);
  g_assert_nonnull (strstr (words, "Threads: 2 → 5\n"));
  g_assert_nonnull (strstr (words, "main: wall time 1.50 s → 1.25 s, 1.2× faster\n"));
  g_assert_nonnull (strstr (words, "blocking_io(3): finished at 1.00 s → 0.50 s\n"));
  g_assert_nonnull (strstr (words, "blocking_io(5): finished at 1.50 s → 0.50 s"));
  g_assert_null (strstr (words, "blocking_io(1)"));
  g_assert_null (strstr (words, "No task changed"));
}

static void
test_compare_same (void)
{
  g_autoptr(TlPreset) preset = builtin ("gather");
  g_autoptr(TlTrace) a = run_virtual (preset);
  g_autoptr(TlTrace) b = run_virtual (preset);
  g_autofree char *words = tl_compare_describe (a, b);

  g_assert_cmpstr (words, ==,
                   "main: wall time 1.50 s → 1.50 s, about the same\n"
                   "No task changed its final state or finishing time, and the warnings are the same.");
}

/* A Timeout added: states and warnings change. */
static void
test_compare_states (void)
{
  static const char before_text[] =
    "[Preset]\nFormat=1\nName=x\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=a;b\n\n"
    "[Task a]\nKind=sleep\nDuration=1s\n\n"
    "[Task b]\nKind=sleep\nDuration=1s\nRepeat=2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) first = tl_preset_new_from_data (before_text, -1, "x.tasklanes", &error);
  g_autoptr(TlPresetOverrides) overrides = tl_preset_overrides_new ();
  g_autoptr(TlPreset) second = NULL;
  g_autoptr(TlTrace) a = NULL;
  g_autoptr(TlTrace) b = NULL;
  g_autofree char *words = NULL;

  g_assert_no_error (error);
  tl_preset_overrides_set_task (overrides, "a", TL_OVERRIDE_TIMEOUT, 500000);
  second = tl_preset_copy_with_overrides (first, overrides, &error);
  g_assert_no_error (error);

  a = run_virtual (first);
  b = run_virtual (second);
  words = tl_compare_describe (a, b);
  g_test_message ("%s", words);
  g_assert_cmpstr (words, ==,
                   "main: wall time 1.00 s → 0.50 s, 2.0× faster\n"
                   "main: ok → failed\n"
                   "a: ok → timed-out\n"
                   "b: ok → cancelled\n"
                   "b: ok → cancelled\n"
                   "warnings “pending-at-exit”: 0 → 2");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/what-if/overrides-text", test_overrides_text);
  g_test_add_func ("/engine/what-if/threads", test_threads_what_if);
  g_test_add_func ("/engine/compare/same-run", test_compare_same);
  g_test_add_func ("/engine/compare/states", test_compare_states);

  return g_test_run ();
}
