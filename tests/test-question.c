/* test-question.c — [Question] groups: reading them and grading guesses
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The invalid question fixtures (tests/presets/invalid/question-*) are
 * checked with every other fixture by test-preset. Here: what a valid
 * question reads as, and grading on the virtual clock, where the truth is
 * exact; then every question of the gallery against its own run.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "preset/tl-preset.h"
#include "run/tl-runner.h"
#include "trace/tl-question-grade.h"
#include "trace/tl-trace.h"

#define MS(x) ((gint64) ((x) * 1000.0))
#define S(x)  ((gint64) ((x) * 1000000.0))

static const char race_text[] =
  "# Two sections and a question of every kind.\n"
  "[Preset]\n"
  "Format=1\n"
  "Name=race\n"
  "Run=one-by-one;together\n"
  "\n"
  "[Question first]\n"
  "Kind=first-finished\n"
  "Prompt=Which lookup finishes first?\n"
  "Prompt[ko]=어느 조회가 먼저 끝날까요?\n"
  "Explanation=The shortest wait.\n"
  "Explanation[ko]=가장 짧은 대기입니다.\n"
  "Choices=user#1;slow\n"
  "Section=together\n"
  "\n"
  "[Question wall]\n"
  "Kind=wall-time\n"
  "Prompt=How long does the whole run take?\n"
  "Explanation=2 s, then 2 s.\n"
  "\n"
  "[Question wall-choices]\n"
  "Kind=wall-time\n"
  "Section=together\n"
  "Prompt=How long does the gather take?\n"
  "Explanation=As long as the slowest child.\n"
  "Choices=1s;2s;4s\n"
  "\n"
  "[Question state]\n"
  "Kind=final-state\n"
  "Task=slow\n"
  "Choices=ok;timed-out;cancelled\n"
  "Prompt=How does slow end?\n"
  "Explanation=Its Timeout cuts it off.\n"
  "\n"
  "[Question order]\n"
  "Kind=result-order\n"
  "Task=together\n"
  "Prompt=In which order are the results?\n"
  "Explanation=In the order of the children.\n"
  "\n"
  "[Task one-by-one]\n"
  "Kind=sequence\n"
  "Children=user\n"
  "\n"
  "[Task together]\n"
  "Kind=gather\n"
  "Children=slow;user\n"
  "ReturnExceptions=true\n"
  "\n"
  "[Task slow]\n"
  "Kind=sleep\n"
  "Duration=5s\n"
  "Timeout=2s\n"
  "\n"
  "[Task user]\n"
  "Kind=sleep\n"
  "Label=fetch_user({i})\n"
  "Duration=1s\n"
  "Repeat=2\n";

static TlTrace *
run_virtual (TlPreset *preset)
{
  TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL, .default_threads = 2, .default_processes = 2 };
  TlRunner *runner = tl_runner_new (preset, &options);
  TlTrace *trace;

  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  g_assert_null (tl_runner_get_error (runner));
  trace = tl_trace_ref (tl_runner_get_trace (runner));
  g_assert_finalize_object (runner);
  g_assert_true (tl_trace_is_complete (trace));
  return trace;
}

static TlPreset *
load_race (void)
{
  g_autoptr(GError) error = NULL;
  TlPreset *preset;

  preset = tl_preset_new_from_data (race_text, -1, "race.tasklanes", &error);
  g_assert_no_error (error);
  g_assert_nonnull (preset);
  return preset;
}

static const TlQuestion *
find_question (TlPreset   *preset,
               const char *name)
{
  for (guint i = 0; i < preset->n_questions; i++)
    if (strcmp (preset->questions[i].name, name) == 0)
      return &preset->questions[i];
  g_error ("no question %s", name);
  return NULL;
}

static void
test_read (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  const TlQuestion *q;

  g_assert_cmpuint (preset->n_questions, ==, 5);
  g_assert_cmpuint (preset->n_tasks, ==, 4);

  q = find_question (preset, "first");
  g_assert_cmpint (q->kind, ==, TL_QUESTION_FIRST_FINISHED);
  g_assert_cmpuint (q->line, ==, 7);
  g_assert_cmpstr (q->prompt, ==, "Which lookup finishes first?");
  g_assert_cmpstr (q->explanation, ==, "The shortest wait.");
  g_assert_cmpuint (q->section, ==, 1);
  g_assert_cmpuint (q->n_choices, ==, 2);
  g_assert_cmpstr (q->choices[0].label, ==, "fetch_user(1)");
  g_assert_cmpuint (q->choices[0].copy, ==, 1);
  g_assert_cmpstr (q->choices[1].label, ==, "slow");

  q = find_question (preset, "wall");
  g_assert_cmpint (q->kind, ==, TL_QUESTION_WALL_TIME);
  g_assert_true (q->whole_run);
  g_assert_cmpint (q->tolerance_us, ==, -1);
  g_assert_cmpuint (q->n_durations, ==, 0);

  q = find_question (preset, "wall-choices");
  g_assert_false (q->whole_run);
  g_assert_cmpuint (q->n_durations, ==, 3);
  g_assert_cmpint (q->durations[1], ==, S (2));

  q = find_question (preset, "state");
  g_assert_cmpuint (q->n_states, ==, 3);
  g_assert_cmpint (q->states[1], ==, TL_STATE_TIMED_OUT);
  /* slow runs only in "together". */
  g_assert_cmpuint (q->section, ==, 1);

  q = find_question (preset, "order");
  g_assert_cmpint (q->kind, ==, TL_QUESTION_RESULT_ORDER);
  g_assert_cmpuint (q->n_choices, ==, 3);
  g_assert_cmpstr (q->choices[0].label, ==, "slow");
  g_assert_cmpstr (q->choices[1].label, ==, "fetch_user(1)");
  g_assert_cmpstr (q->choices[2].label, ==, "fetch_user(2)");
}

static void
test_translation (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(TlPreset) preset = NULL;

  g_setenv ("LANGUAGE", "ko", TRUE);
  preset = load_race ();
  g_assert_cmpstr (find_question (preset, "first")->prompt, ==, "어느 조회가 먼저 끝날까요?");
  g_assert_cmpstr (find_question (preset, "first")->explanation, ==, "가장 짧은 대기입니다.");
  /* Untranslated keys fall back to the original text. */
  g_assert_cmpstr (find_question (preset, "wall")->prompt, ==, "How long does the whole run take?");
  g_setenv ("LANGUAGE", saved != NULL ? saved : "C", TRUE);
}

/* The task parser reads the file with the question groups emptied: its
 * line numbers must still be those of the file, and a save must write
 * the questions back. */
static void
test_lines_and_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) broken = g_string_new (race_text);
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlPreset) race = load_race ();
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-question-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "race.tasklanes", NULL);
  g_autofree char *saved = NULL;

  g_string_replace (broken, "Duration=5s\n", "Duration=5 parsecs\n", 1);
  preset = tl_preset_new_from_data (broken->str, -1, "race.tasklanes", &error);
  g_assert_null (preset);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "race.tasklanes:52: [Task slow] Duration:"));
  g_clear_error (&error);

  g_assert_true (tl_preset_save_to_file (race, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "[Question order]\nKind=result-order\n"));
  g_assert_cmpstr (saved, ==, race->text);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A preset without questions reads exactly as before. */
static void
test_no_questions (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "[Preset]\nFormat=1\nName=n\nRun=main\n\n[Task main]\nKind=sleep\nDuration=1s\n";
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "n.tasklanes", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (preset->n_questions, ==, 0);
  g_assert_null (preset->questions);
  g_assert_cmpstr (preset->text, ==, text);
}

static void
test_grade_first_finished (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  g_autoptr(TlTrace) trace = run_virtual (preset);
  const TlQuestion *q = find_question (preset, "first");
  TlGuess right = { .choice = 0 };
  TlGuess wrong = { .choice = 1 };
  g_autoptr(TlGrade) good = tl_question_grade (q, trace, &right);
  g_autoptr(TlGrade) bad = tl_question_grade (q, trace, &wrong);

  g_assert_cmpint (good->verdict, ==, TL_VERDICT_RIGHT);
  g_assert_cmpuint (good->first, ==, 0);
  g_assert_cmpint (good->first_finished_us, ==, S (1));
  g_assert_cmpstr (good->outcome, ==, "fetch_user(1) finished first, at 1.00 s.");
  g_assert_cmpint (bad->verdict, ==, TL_VERDICT_WRONG);
  g_assert_cmpuint (bad->first, ==, 0);
}

/* Two tasks that finish at the same instant: either answer is right. */
static void
test_grade_tie (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=tie\nRun=main\n"
    "[Question q]\nKind=first-finished\nPrompt=?\nExplanation=!\nChoices=a;b;c\n"
    "[Task main]\nKind=gather\nChildren=a;b;c\n"
    "[Task a]\nKind=sleep\nDuration=2s\n"
    "[Task b]\nKind=sleep\nDuration=1s\n"
    "[Task c]\nKind=sleep\nDuration=1s\n", -1, "tie.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;

  g_assert_no_error (error);
  trace = run_virtual (preset);
  for (guint choice = 0; choice < 3; choice++)
    {
      TlGuess guess = { .choice = choice };
      g_autoptr(TlGrade) grade = tl_question_grade (&preset->questions[0], trace, &guess);

      g_assert_cmpint (grade->verdict, ==, choice == 0 ? TL_VERDICT_WRONG : TL_VERDICT_RIGHT);
      g_assert_cmpuint (grade->first, ==, 1);
    }
}

static void
test_grade_wall_time (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  g_autoptr(TlTrace) trace = run_virtual (preset);
  const TlQuestion *whole = find_question (preset, "wall");
  const TlQuestion *choices = find_question (preset, "wall-choices");
  /* one-by-one: 1 s + 1 s; together: cut at the 2 s Timeout. */
  static const struct { gint64 guess; TlVerdict verdict; } typed[] = {
    { S (4), TL_VERDICT_RIGHT },
    { S (4.4), TL_VERDICT_RIGHT },     /* the default tolerance: a tenth */
    { S (3.59), TL_VERDICT_WRONG },
    { S (4.41), TL_VERDICT_WRONG },
    { S (2), TL_VERDICT_WRONG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      TlGuess guess = { .wall_us = typed[i].guess };
      g_autoptr(TlGrade) grade = tl_question_grade (whole, trace, &guess);

      g_assert_cmpint (grade->wall_us, ==, S (4));
      g_assert_cmpint (grade->tolerance_us, ==, MS (400));
      g_assert_cmpint (grade->verdict, ==, typed[i].verdict);
      g_assert_cmpstr (grade->outcome, ==, "The run took 4.00 s.");
    }

  for (guint choice = 0; choice < 3; choice++)
    {
      TlGuess guess = { .choice = choice };
      g_autoptr(TlGrade) grade = tl_question_grade (choices, trace, &guess);

      g_assert_cmpint (grade->wall_us, ==, S (2));
      g_assert_cmpuint (grade->nearest, ==, 1);
      g_assert_cmpint (grade->verdict, ==, choice == 1 ? TL_VERDICT_RIGHT : TL_VERDICT_WRONG);
      g_assert_cmpstr (grade->outcome, ==, "Section “together” took 2.00 s.");
    }
}

static void
test_grade_tolerance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=t\nRun=main\n"
    "[Question q]\nKind=wall-time\nPrompt=?\nExplanation=!\nTolerance=10ms\n"
    "[Task main]\nKind=sleep\nDuration=300ms\n", -1, "t.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  TlGuess near = { .wall_us = MS (309) };
  TlGuess far = { .wall_us = MS (250) };
  g_autoptr(TlGrade) good = NULL;
  g_autoptr(TlGrade) bad = NULL;

  g_assert_no_error (error);
  trace = run_virtual (preset);
  good = tl_question_grade (&preset->questions[0], trace, &near);
  bad = tl_question_grade (&preset->questions[0], trace, &far);
  g_assert_cmpint (good->tolerance_us, ==, MS (10));
  g_assert_cmpint (good->verdict, ==, TL_VERDICT_RIGHT);
  /* Without Tolerance this would be within the 50 ms minimum. */
  g_assert_cmpint (bad->verdict, ==, TL_VERDICT_WRONG);
  g_assert_cmpint (tl_question_tolerance_us (&preset->questions[0], S (100)), ==, MS (10));
}

static void
test_grade_final_state (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  g_autoptr(TlTrace) trace = run_virtual (preset);
  const TlQuestion *q = find_question (preset, "state");

  for (guint choice = 0; choice < q->n_states; choice++)
    {
      TlGuess guess = { .choice = choice };
      g_autoptr(TlGrade) grade = tl_question_grade (q, trace, &guess);

      g_assert_cmpint (grade->state, ==, TL_STATE_TIMED_OUT);
      g_assert_cmpint (grade->verdict, ==, q->states[choice] == TL_STATE_TIMED_OUT
                                           ? TL_VERDICT_RIGHT : TL_VERDICT_WRONG);
      g_assert_cmpstr (grade->outcome, ==, "slow times out, at 2.00 s.");
    }
}

static void
test_grade_result_order (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  g_autoptr(TlTrace) trace = run_virtual (preset);
  const TlQuestion *q = find_question (preset, "order");
  static const guint as_passed[] = { 0, 1, 2 };
  static const guint as_finished[] = { 1, 2, 0 };
  TlGuess right = { .order = as_passed };
  TlGuess wrong = { .order = as_finished };
  g_autoptr(TlGrade) good = tl_question_grade (q, trace, &right);
  g_autoptr(TlGrade) bad = tl_question_grade (q, trace, &wrong);

  g_assert_cmpint (good->verdict, ==, TL_VERDICT_RIGHT);
  g_assert_cmpint (bad->verdict, ==, TL_VERDICT_WRONG);
  g_assert_cmpuint (good->n_order, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (good->result_order[i], ==, as_passed[i]);
  /* Both look-ups at 1 s (a tie keeps the order of the choices), then
   * slow, cut off at 2 s. */
  g_assert_cmpuint (good->finish_order[0], ==, 1);
  g_assert_cmpuint (good->finish_order[1], ==, 2);
  g_assert_cmpuint (good->finish_order[2], ==, 0);
  g_assert_cmpstr (good->outcome, ==,
                   "The results came back as slow, fetch_user(1), fetch_user(2); "
                   "the tasks finished in the order fetch_user(1), fetch_user(2), slow.");
}

/* A run stopped before the end cannot answer. */
static void
test_grade_stopped (void)
{
  g_autoptr(TlPreset) preset = load_race ();
  g_autoptr(TlTrace) trace = tl_trace_new (preset);
  TlGuess guess = { 0 };

  tl_trace_mark_stopped (trace);
  tl_trace_complete (trace, 0);
  for (guint i = 0; i < preset->n_questions; i++)
    {
      g_autoptr(TlGrade) grade = tl_question_grade (&preset->questions[i], trace, &guess);

      g_assert_cmpint (grade->verdict, ==, TL_VERDICT_UNANSWERED);
      g_assert_nonnull (grade->outcome);
    }
}

/* The gallery's questions ------------------------------------------------ */

/* What each gallery question's explanation says happens. */
typedef struct {
  const char *preset;
  const char *question;
  guint       choice;       /* first-finished, and wall-time with Choices */
  TlState     state;        /* final-state */
} GalleryAnswer;

static const GalleryAnswer gallery_answers[] = {
  { "sync-vs-async", "together-wall", .choice = 0 },
  { "await-basics", "wall", .choice = 0 },
  { "gather", "first", .choice = 1 },
  { "gather", "order" },
  { "create-task", "wall", .choice = 0 },
  { "wait-first-completed", "pending", .state = TL_STATE_OK },
  { "wait-timeout", "wall", .choice = 2 },
  { "gather-return-exceptions", "gather-state", .state = TL_STATE_OK },
  { "gather-error", "sibling", .state = TL_STATE_OK },
  { "gather-error", "slow", .state = TL_STATE_CANCELLED },
  { "task-exception", "main", .state = TL_STATE_OK },
  { "timeout", "inner", .state = TL_STATE_CANCELLED },
  { "timeout", "wall", .choice = 0 },
  { "wait-for", "wall", .choice = 0 },
  { "executor-threads", "wall", .choice = 1 },
  { "never-awaited", "forgotten", .state = TL_STATE_NEVER_STARTED },
};

static void
test_gallery_answer (gconstpointer data)
{
  const GalleryAnswer *answer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (answer->preset, &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autofree guint *order = NULL;
  g_autofree guint *reversed = NULL;
  const TlQuestion *q;
  TlGuess right = { 0 };
  TlGuess wrong = { 0 };

  g_assert_no_error (error);
  q = find_question (preset, answer->question);
  trace = run_virtual (preset);

  switch (q->kind)
    {
    case TL_QUESTION_FIRST_FINISHED:
      right.choice = answer->choice;
      wrong.choice = (answer->choice + 1) % q->n_choices;
      break;
    case TL_QUESTION_WALL_TIME:
      g_assert_cmpuint (q->n_durations, >, 0);
      right.choice = answer->choice;
      wrong.choice = (answer->choice + 1) % q->n_durations;
      break;
    case TL_QUESTION_FINAL_STATE:
      for (guint i = 0; i < q->n_states; i++)
        if (q->states[i] == answer->state)
          right.choice = i;
      g_assert_true (q->states[right.choice] == answer->state);
      wrong.choice = (right.choice + 1) % q->n_states;
      break;
    case TL_QUESTION_RESULT_ORDER:
      /* A gather's results come in the order its children are passed. */
      order = g_new (guint, q->n_choices);
      reversed = g_new (guint, q->n_choices);
      for (guint i = 0; i < q->n_choices; i++)
        {
          order[i] = i;
          reversed[i] = q->n_choices - 1 - i;
        }
      right.order = order;
      wrong.order = reversed;
      break;
    default:
      g_assert_not_reached ();
    }

  {
    g_autoptr(TlGrade) good = tl_question_grade (q, trace, &right);
    g_autoptr(TlGrade) bad = tl_question_grade (q, trace, &wrong);

    if (good->verdict != TL_VERDICT_RIGHT)
      g_error ("%s [Question %s]: the expected answer is graded wrong: %s",
               answer->preset, answer->question, good->outcome);
    g_assert_cmpint (bad->verdict, ==, TL_VERDICT_WRONG);
  }
}

/* At least ten gallery presets ask questions, every question in English
 * and in Korean, and the table above covers every one of them. */
static void
test_gallery_coverage (void)
{
  g_auto(GStrv) names = tl_preset_list_builtin ();
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  guint n_presets = 0;
  guint n_questions = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) english = NULL;
      g_autoptr(TlPreset) korean = NULL;

      g_setenv ("LANGUAGE", "C", TRUE);
      english = tl_preset_new_from_builtin (names[i], &error);
      g_assert_no_error (error);
      g_setenv ("LANGUAGE", "ko", TRUE);
      korean = tl_preset_new_from_builtin (names[i], &error);
      g_assert_no_error (error);

      if (english->n_questions > 0)
        n_presets++;
      for (guint k = 0; k < english->n_questions; k++)
        {
          const TlQuestion *q = &english->questions[k];
          gboolean listed = FALSE;

          n_questions++;
          g_assert_cmpstr (q->prompt, !=, korean->questions[k].prompt);
          g_assert_cmpstr (q->explanation, !=, korean->questions[k].explanation);
          /* Explanations teach: more than a bare answer. */
          g_assert_cmpuint (g_utf8_strlen (q->explanation, -1), >=, 60);
          for (guint a = 0; a < G_N_ELEMENTS (gallery_answers); a++)
            listed = listed || (strcmp (gallery_answers[a].preset, names[i]) == 0 &&
                                strcmp (gallery_answers[a].question, q->name) == 0);
          if (!listed)
            g_error ("%s [Question %s] has no expected answer in this test", names[i], q->name);
        }
    }
  g_setenv ("LANGUAGE", saved != NULL ? saved : "C", TRUE);

  g_assert_cmpuint (n_presets, >=, 10);
  g_assert_cmpuint (n_questions, ==, G_N_ELEMENTS (gallery_answers));
}

static void
add_gallery_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gallery_answers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/question/gallery/%s/%s",
                                               gallery_answers[i].preset,
                                               gallery_answers[i].question);
      g_test_add_data_func (path, &gallery_answers[i], test_gallery_answer);
    }
  g_test_add_func ("/engine/question/gallery/coverage", test_gallery_coverage);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/question/read", test_read);
  g_test_add_func ("/engine/question/translation", test_translation);
  g_test_add_func ("/engine/question/lines-and-save", test_lines_and_save);
  g_test_add_func ("/engine/question/no-questions", test_no_questions);
  g_test_add_func ("/engine/question/grade/first-finished", test_grade_first_finished);
  g_test_add_func ("/engine/question/grade/tie", test_grade_tie);
  g_test_add_func ("/engine/question/grade/wall-time", test_grade_wall_time);
  g_test_add_func ("/engine/question/grade/tolerance", test_grade_tolerance);
  g_test_add_func ("/engine/question/grade/final-state", test_grade_final_state);
  g_test_add_func ("/engine/question/grade/result-order", test_grade_result_order);
  g_test_add_func ("/engine/question/grade/stopped", test_grade_stopped);
  add_gallery_tests ();

  return g_test_run ();
}
