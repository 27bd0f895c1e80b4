/* tl-timeline-model-private.h — what the timeline model's two files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "timeline/tl-timeline-model.h"

G_BEGIN_DECLS

#define OPEN_END G_MAXINT64

typedef struct {
  TlInterval *v;
  guint       n;
  guint       cap;
} IntervalArray;

typedef struct {
  TlStep *v;
  guint   n;
  guint   cap;
  gint32  max;    /* peak of all steps but the last */
  gint32  peak_a; /* peaks of a and of b alone, steps but the last */
  gint32  peak_b;
  gint32  a;
  gint32  b;
  /* Per block of STEP_BLOCK steps: the largest a and a + b, so the
   * widget can draw the peak within a pixel without visiting every step. */
  gint32 *blk_a;
  gint32 *blk_sum;
  guint   blk_cap;
} StepArray;

#define STEP_BLOCK 64

typedef struct {
  guint32       parent;
  guint32       first_child;
  guint32       last_child;
  guint32       next_sibling;
  guint32       cause_instance;
  guint32       first_caused;   /* instances this one caused to be cancelled */
  guint32       last_caused;
  guint32       next_caused;    /* next in the list of our own cause */
  gint64        created_us;
  gint64        final_us;
  gint64        deadline_us[2]; /* Timeout, MaxWait */
  IntervalArray iv;
  guint16       depth;
  guint16       section;
  guint8        kind;
  guint8        on;
  guint8        state;
  guint8        cause;
  guint8        collapsed;
  guint8        spawned;        /* started in the background (create_task) */
} Node;

typedef struct {
  TlInterval span;             /* state: the root's final state or RUNNING */
  guint32    root;
  int        lane;             /* header lane, -1 when not in the order */
} SectionInfo;

enum {
  CHART_THREADS,
  CHART_PROCESSES,
  CHART_HTTP,
  CHART_CONCURRENCY,
  N_CHARTS
};

struct _TlTimelineModel
{
  GObject        parent_instance;

  TlTrace       *trace;
  guint          n_consumed;

  Node          *nodes;
  gint32        *node_lane;
  guint          n_nodes;
  guint          cap_nodes;
  GArray        *roots;        /* guint32, creation order */

  /* Visible order. */
  guint32       *lane_inst;
  guint8        *lane_kind;
  guint32       *lane_sub_end;
  guint          n_lanes;
  guint          cap_lanes;
  gboolean       order_dirty;
  /* Empty rows to put before a task or section lane (key: instance × 2,
   * + 1 for a section header) and after the last, so that this run's
   * lanes line up with another's; NULL when not aligned. */
  GHashTable    *gaps_before;
  guint          gaps_at_end;
  guint          n_summary;
  TlLaneKind     summary[5];

  guint          loop_running;
  IntervalArray  loop_busy;
  gint64        *loop_cum;     /* busy time before each settled interval */
  guint          loop_cum_len;
  guint          loop_cum_cap;
  IntervalArray  stalls;
  IntervalArray  lags;         /* loop lags of at least TL_TIMELINE_MIN_LAG_US */
  gint64         max_stall_us;
  gint64         max_lag_us;

  StepArray      charts[N_CHARTS];

  GArray        *sections;     /* SectionInfo, by section index */
  GArray        *awaits;       /* TlAwait: one task awaiting another, not its child */

  gint64         now_us;
  gint64         last_time_us;
  gboolean       complete;

  guint          counts[TL_N_STATES];   /* leaves by current state */
  guint          n_leaves;
  /* A Python program's run: its coroutine tasks are all "sequence", and
   * the ones that made no task of their own are its leaves. */
  gboolean       program;
};

/* The key of a task or section lane in gaps_before. */
#define _TL_ALIGN_KEY(kind, instance) GUINT_TO_POINTER ((guint) (instance) * 2u + ((kind) == TL_LANE_SECTION))

/* Rebuilds the order of lanes if something made it stale. */
void  _tl_timeline_model_ensure_order (TlTimelineModel *self);
/* Announces "changed". */
void  _tl_timeline_model_emit_changed (TlTimelineModel *self);
/* The index of the interval holding time_us in v[0..n). */
guint _tl_timeline_model_intervals_search (const TlInterval *v,
                                           guint             n,
                                           gint64            time_us);

G_END_DECLS
