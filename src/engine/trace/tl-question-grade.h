/* tl-question-grade.h — a learner's guess against what the run did
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* A guess at one TlQuestion; which field counts depends on its kind. */
typedef struct {
  guint        choice;   /* first-finished: index into choices; final-state:
                            index into states; wall-time with durations:
                            index into durations */
  gint64       wall_us;  /* wall-time without durations: the time typed in */
  const guint *order;    /* result-order: n_choices indices into choices,
                            first result first */
} TlGuess;

typedef enum {
  TL_VERDICT_RIGHT,
  TL_VERDICT_WRONG,
  TL_VERDICT_UNANSWERED,  /* the run stopped before it could tell */
} TlVerdict;

typedef struct {
  TlVerdict  verdict;
  /* first-finished: the choice that finished first (the first listed
   * among ties) and when, from the section's start */
  guint      first;
  gint64     first_finished_us;
  /* wall-time: what the run took, and how a typed guess was judged */
  gint64     wall_us;
  gint64     tolerance_us;
  guint      nearest;    /* with durations: the choice nearest wall_us */
  /* final-state */
  TlState    state;
  /* result-order: indices into choices, in the order of the gather's
   * results and in the order the tasks finished */
  guint     *result_order;
  guint     *finish_order;
  guint      n_order;
  /* One translated sentence saying what happened, for the window. */
  char      *outcome;
} TlGrade;

/* Grades @guess at @question (one of tl_trace_get_preset()'s questions)
 * against a complete @trace. */
TlGrade *tl_question_grade        (const TlQuestion *question,
                                   TlTrace          *trace,
                                   const TlGuess    *guess);
void     tl_grade_free            (TlGrade          *grade);

/* The tolerance a typed wall-time guess gets when the question sets none:
 * a tenth of the real time, at least 50 ms. */
gint64   tl_question_tolerance_us (const TlQuestion *question,
                                   gint64            wall_us);

/* "ok" → "finished normally" etc., translated, for choices and outcomes. */
const char *tl_state_describe     (TlState           state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlGrade, tl_grade_free)

G_END_DECLS
