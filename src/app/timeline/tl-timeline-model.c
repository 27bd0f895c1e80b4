/* tl-timeline-model.c — lanes and state intervals built from a TlTrace:
 * consuming the events and keeping the order of lanes (the look-ups are
 * in tl-timeline-model-query.c)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is driven by the event log alone, in log order: an
 * instance enters the tree when its TL_STATE_CREATED event is read (the
 * trace publishes the instance before that event), so a model fed the log
 * in several pieces ends up identical to one fed it at once.
 *
 * Tree order is kept incrementally: every instance has a linked list of
 * children in creation order, and a new instance whose parent lies on the
 * "rightmost path" of the visible order (the usual case: a composite
 * starting its children) is appended in O(depth). Anything else marks the
 * order dirty, and it is rebuilt once, lazily, when someone next asks for
 * a lane.
 */
#define G_LOG_DOMAIN "tl-timeline-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "timeline/tl-timeline-model-private.h"

G_DEFINE_FINAL_TYPE (TlTimelineModel, tl_timeline_model, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_tl_timeline_model_emit_changed (TlTimelineModel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* --- small growable arrays; GArray would cost a header per instance --- */

static TlInterval *
intervals_push (IntervalArray *array)
{
  if (array->n == array->cap)
    {
      array->cap = array->cap ? array->cap * 2 : 4;
      array->v = g_renew (TlInterval, array->v, array->cap);
    }
  return &array->v[array->n++];
}

static inline TlInterval *
intervals_last (IntervalArray *array)
{
  return array->n > 0 ? &array->v[array->n - 1] : NULL;
}

/* Closes the open interval (if any) at time_us. */
static void
intervals_close (IntervalArray *array,
                 gint64         time_us)
{
  TlInterval *last = intervals_last (array);

  if (last != NULL && last->end_us == OPEN_END)
    last->end_us = MAX (time_us, last->start_us);
}

/* Opens a new interval at time_us in state; an interval of length zero
 * is replaced, and a neighbour in the same state is reopened, so the
 * array never holds empty or redundant entries. */
static void
intervals_open (IntervalArray *array,
                gint64         time_us,
                guint32        state,
                guint32        extra)
{
  TlInterval *last;

  intervals_close (array, time_us);
  last = intervals_last (array);
  if (last != NULL)
    time_us = MAX (time_us, last->end_us);

  if (last != NULL && last->start_us == last->end_us)
    array->n--;
  last = intervals_last (array);
  if (last != NULL && last->state == state && last->extra == extra && last->end_us == time_us)
    {
      last->end_us = OPEN_END;
      return;
    }

  last = intervals_push (array);
  last->start_us = time_us;
  last->end_us = OPEN_END;
  last->state = state;
  last->extra = extra;
}

/* First interval whose end is after time_us. */
guint
_tl_timeline_model_intervals_search (const TlInterval *v,
                                     guint             n,
                                     gint64            time_us)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (v[mid].end_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
steps_block_recompute (StepArray *array,
                       guint      block)
{
  guint first = block * STEP_BLOCK;
  guint last = MIN (first + STEP_BLOCK, array->n);
  gint32 max_a = 0, max_sum = 0;

  for (guint i = first; i < last; i++)
    {
      max_a = MAX (max_a, array->v[i].a);
      max_sum = MAX (max_sum, array->v[i].a + array->v[i].b);
    }
  array->blk_a[block] = max_a;
  array->blk_sum[block] = max_sum;
}

/* Keeps the block maxima in step with the last entry: appending only
 * raises a maximum; rewriting the last entry may lower it. */
static void
steps_block_update (StepArray *array,
                    gboolean   appended)
{
  guint index = array->n - 1;
  guint block = index / STEP_BLOCK;
  const TlStep *step = &array->v[index];

  if (block >= array->blk_cap)
    {
      array->blk_cap = MAX (block + 1, array->blk_cap * 2);
      array->blk_a = g_renew (gint32, array->blk_a, array->blk_cap);
      array->blk_sum = g_renew (gint32, array->blk_sum, array->blk_cap);
    }
  if (appended && index % STEP_BLOCK == 0)
    {
      array->blk_a[block] = step->a;
      array->blk_sum[block] = step->a + step->b;
    }
  else if (appended)
    {
      array->blk_a[block] = MAX (array->blk_a[block], step->a);
      array->blk_sum[block] = MAX (array->blk_sum[block], step->a + step->b);
    }
  else
    steps_block_recompute (array, block);
}

static void
steps_set (StepArray *array,
           gint64     time_us,
           gint32     a,
           gint32     b)
{
  TlStep *last = array->n > 0 ? &array->v[array->n - 1] : NULL;

  array->a = a;
  array->b = b;

  if (last != NULL && last->a == a && last->b == b)
    return;

  /* Retroactive events (written after a stall) may carry an earlier time:
   * a step chart only moves forwards, so they count from the last step. */
  if (last != NULL && last->time_us >= time_us)
    {
      last->a = a;
      last->b = b;
      if (array->n >= 2 && array->v[array->n - 2].a == a && array->v[array->n - 2].b == b)
        array->n--;
      steps_block_update (array, FALSE);
      return;
    }

  /* Only steps that are no longer the last can never change again: the
   * peak counts them, so a value replaced at the same time is no peak. */
  if (last != NULL)
    {
      array->max = MAX (array->max, last->a + last->b);
      array->peak_a = MAX (array->peak_a, last->a);
      array->peak_b = MAX (array->peak_b, last->b);
    }
  if (array->n == array->cap)
    {
      array->cap = array->cap ? array->cap * 2 : 64;
      array->v = g_renew (TlStep, array->v, array->cap);
    }
  last = &array->v[array->n++];
  last->time_us = time_us;
  last->a = a;
  last->b = b;
  steps_block_update (array, TRUE);
}

/* --- the order of lanes --- */

static void
lane_append (TlTimelineModel *self,
             TlLaneKind       kind,
             guint32          instance)
{
  guint lane = self->n_lanes;

  if (self->n_lanes == self->cap_lanes)
    {
      self->cap_lanes = self->cap_lanes ? self->cap_lanes * 2 : 64;
      self->lane_inst = g_renew (guint32, self->lane_inst, self->cap_lanes);
      self->lane_kind = g_renew (guint8, self->lane_kind, self->cap_lanes);
      self->lane_sub_end = g_renew (guint32, self->lane_sub_end, self->cap_lanes);
    }
  self->lane_inst[lane] = instance;
  self->lane_kind[lane] = kind;
  self->lane_sub_end[lane] = lane;
  self->n_lanes++;

  if (kind == TL_LANE_TASK)
    self->node_lane[instance] = (gint32) lane;
}

static void
push_gaps (TlTimelineModel *self,
           guint            n)
{
  for (guint i = 0; i < n; i++)
    lane_append (self, TL_LANE_GAP, TL_NO_INSTANCE);
}

/* A lane, after the empty rows an alignment puts before it. */
static void
lanes_push (TlTimelineModel *self,
            TlLaneKind       kind,
            guint32          instance)
{
  if (self->gaps_before != NULL)
    push_gaps (self, GPOINTER_TO_UINT (g_hash_table_lookup (self->gaps_before, _TL_ALIGN_KEY (kind, instance))));
  lane_append (self, kind, instance);
}

static SectionInfo *
ensure_section (TlTimelineModel *self,
                guint            section)
{
  if (section >= self->sections->len)
    {
      guint old = self->sections->len;

      g_array_set_size (self->sections, section + 1);
      for (guint i = old; i <= section; i++)
        {
          SectionInfo *info = &g_array_index (self->sections, SectionInfo, i);

          info->span.start_us = -1;
          info->span.end_us = OPEN_END;
          info->span.state = TL_STATE_RUNNING;
          info->root = TL_NO_INSTANCE;
          info->lane = -1;
        }
    }
  return &g_array_index (self->sections, SectionInfo, section);
}

/* Appends a root and, when it opens a new section, its header lane. */
static void
push_root_lanes (TlTimelineModel *self,
                 guint32          root)
{
  Node *node = &self->nodes[root];
  SectionInfo *info = ensure_section (self, node->section);

  if (info->lane < 0)
    {
      info->lane = (int) self->n_lanes;
      if (info->root == TL_NO_INSTANCE)
        info->root = root;
      lanes_push (self, TL_LANE_SECTION, root);
    }
}

static void
rebuild_order (TlTimelineModel *self)
{
  self->n_lanes = self->n_summary;
  for (guint i = 0; i < self->n_nodes; i++)
    self->node_lane[i] = -1;
  for (guint i = 0; i < self->sections->len; i++)
    g_array_index (self->sections, SectionInfo, i).lane = -1;

  for (guint r = 0; r < self->roots->len; r++)
    {
      guint32 root = g_array_index (self->roots, guint32, r);
      SectionInfo *info;
      guint32 x = root;

      push_root_lanes (self, root);

      /* Pre-order walk without a stack: down to the first child, else to
       * the next sibling of the nearest ancestor that has one. */
      for (;;)
        {
          Node *node = &self->nodes[x];

          lanes_push (self, TL_LANE_TASK, x);
          if (node->first_child != TL_NO_INSTANCE && !node->collapsed)
            {
              x = node->first_child;
              continue;
            }
          for (;;)
            {
              node = &self->nodes[x];
              self->lane_sub_end[self->node_lane[x]] = self->n_lanes - 1;
              if (x == root)
                goto root_done;
              if (node->next_sibling != TL_NO_INSTANCE)
                {
                  x = node->next_sibling;
                  break;
                }
              x = node->parent;
            }
        }
    root_done:
      info = ensure_section (self, self->nodes[root].section);
      self->lane_sub_end[info->lane] = self->n_lanes - 1;
    }
  if (self->gaps_before != NULL)
    push_gaps (self, self->gaps_at_end);

  self->order_dirty = FALSE;
}

void
_tl_timeline_model_ensure_order (TlTimelineModel *self)
{
  if (self->order_dirty)
    rebuild_order (self);
}

/* Appends the lane of an instance whose place is at the end of the order. */
static void
append_task_lane (TlTimelineModel *self,
                  guint32          id)
{
  guint lane = self->n_lanes;
  SectionInfo *info;

  lanes_push (self, TL_LANE_TASK, id);
  for (guint32 a = self->nodes[id].parent; a != TL_NO_INSTANCE; a = self->nodes[a].parent)
    if (self->node_lane[a] >= 0)
      self->lane_sub_end[self->node_lane[a]] = lane;

  info = ensure_section (self, self->nodes[id].section);
  if (info->lane >= 0)
    self->lane_sub_end[info->lane] = lane;
}

static void
place_new_node (TlTimelineModel *self,
                guint32          id)
{
  Node *node = &self->nodes[id];
  guint32 p = node->parent;
  guint32 last;

  if (self->order_dirty)
    return;

  if (p == TL_NO_INSTANCE)
    {
      SectionInfo *info = ensure_section (self, node->section);

      /* Sections run one after another, so a root lands at the end,
       * unless its section already has lanes (several roots). */
      if (info->lane >= 0)
        {
          self->order_dirty = TRUE;
          return;
        }
      push_root_lanes (self, id);
      append_task_lane (self, id);
      return;
    }

  if (self->node_lane[p] < 0 || self->nodes[p].collapsed)
    return;   /* hidden under a collapsed ancestor */

  last = self->n_lanes > self->n_summary ? self->lane_inst[self->n_lanes - 1] : TL_NO_INSTANCE;
  for (guint32 a = last; a != TL_NO_INSTANCE; a = self->nodes[a].parent)
    if (a == p)
      {
        append_task_lane (self, id);
        return;
      }

  self->order_dirty = TRUE;
}

/* --- consuming events --- */

static void
ensure_node_capacity (TlTimelineModel *self,
                      guint            n)
{
  if (n <= self->cap_nodes)
    return;
  self->cap_nodes = MAX (n, self->cap_nodes ? self->cap_nodes * 2 : 256);
  self->nodes = g_renew (Node, self->nodes, self->cap_nodes);
  self->node_lane = g_renew (gint32, self->node_lane, self->cap_nodes);
}

static void update_concurrency (TlTimelineModel *self,
                                gint64           time_us);

/* Whether @node's states make the Concurrency chart: a preset's leaves
 * (timers, requests, CPU work), and in a program the tasks that made no
 * task of their own, as the section summary counts a program's tasks. */
static gboolean
is_leaf (TlTimelineModel *self,
         const Node      *node)
{
  if (!tl_kind_is_composite (node->kind))
    return TRUE;
  return self->program && node->kind == TL_KIND_SEQUENCE && node->first_child == TL_NO_INSTANCE;
}

static void
add_node (TlTimelineModel *self,
          gint64           time_us)
{
  guint32 id = self->n_nodes;
  const TlInstance *instance = tl_trace_get_instance (self->trace, id);
  Node *node;

  ensure_node_capacity (self, id + 1);
  node = &self->nodes[id];
  memset (node, 0, sizeof *node);
  node->parent = instance->parent < id ? instance->parent : TL_NO_INSTANCE;
  node->first_child = node->last_child = node->next_sibling = TL_NO_INSTANCE;
  node->cause_instance = TL_NO_INSTANCE;
  node->first_caused = node->last_caused = node->next_caused = TL_NO_INSTANCE;
  node->created_us = time_us;
  node->final_us = -1;
  node->deadline_us[0] = node->deadline_us[1] = -1;
  node->depth = instance->depth;
  node->section = instance->section;
  node->kind = instance->kind;
  node->on = instance->on;
  node->state = TL_STATE_CREATED;
  node->cause = TL_CAUSE_NONE;
  intervals_open (&node->iv, time_us, TL_STATE_CREATED, 0);
  self->node_lane[id] = -1;
  self->n_nodes++;

  if (is_leaf (self, node))
    {
      self->n_leaves++;
      self->counts[TL_STATE_CREATED]++;
    }

  if (node->parent != TL_NO_INSTANCE)
    {
      Node *parent = &self->nodes[node->parent];

      /* A program's task that makes its first task is a leaf no more. */
      if (is_leaf (self, parent) && tl_kind_is_composite (parent->kind))
        {
          self->n_leaves--;
          self->counts[parent->state]--;
          update_concurrency (self, time_us);
        }

      if (parent->last_child == TL_NO_INSTANCE)
        parent->first_child = id;
      else
        self->nodes[parent->last_child].next_sibling = id;
      parent->last_child = id;
    }
  else
    {
      g_array_append_val (self->roots, id);
    }

  place_new_node (self, id);
}

static void
update_loop (TlTimelineModel *self,
             gboolean         was_running,
             gboolean         is_running,
             gint64           time_us)
{
  if (!was_running && is_running)
    {
      if (self->loop_running++ == 0)
        intervals_open (&self->loop_busy, time_us, TL_LOOP_BUSY, 0);
    }
  else if (was_running && !is_running && self->loop_running > 0)
    {
      if (--self->loop_running == 0)
        intervals_close (&self->loop_busy, time_us);
    }
}

static void
update_concurrency (TlTimelineModel *self,
                    gint64           time_us)
{
  gint32 running = (gint32) self->counts[TL_STATE_RUNNING];
  gint32 waiting = (gint32) (self->counts[TL_STATE_WAITING] +
                             self->counts[TL_STATE_QUEUED] +
                             self->counts[TL_STATE_BLOCKED]);

  steps_set (&self->charts[CHART_CONCURRENCY], time_us, running, waiting);
}

static void
consume_state (TlTimelineModel *self,
               const TlEvent   *event)
{
  guint32 id = event->instance;
  TlState state = event->a;
  gint64 t = event->time_us;
  Node *node;
  TlState old;
  gboolean leaf;

  if (state >= TL_N_STATES)
    return;

  if (state == TL_STATE_CREATED)
    {
      /* Instances are created in id order; the trace publishes each one
       * before its creation event. */
      while (self->n_nodes <= id && self->n_nodes < tl_trace_get_n_instances (self->trace))
        add_node (self, t);
      return;
    }

  if (id >= self->n_nodes)
    return;

  node = &self->nodes[id];
  old = node->state;
  if (TL_STATE_IS_FINAL (old) || old == state)
    return;

  leaf = is_leaf (self, node);
  if (node->on == TL_ON_LOOP)
    update_loop (self, old == TL_STATE_RUNNING, state == TL_STATE_RUNNING, t);

  node->state = state;
  if (TL_STATE_IS_FINAL (state))
    {
      TlInterval *last;

      intervals_close (&node->iv, t);
      last = intervals_last (&node->iv);
      if (last != NULL && last->start_us == last->end_us && node->iv.n > 1)
        node->iv.n--;
      node->final_us = t;

      if ((state == TL_STATE_CANCELLED || state == TL_STATE_TIMED_OUT ||
           state == TL_STATE_NEVER_STARTED) && event->b != TL_CAUSE_NONE)
        {
          guint32 cause = (guint32) event->value;

          node->cause = (guint8) event->b;
          if (cause < self->n_nodes && cause != id)
            {
              Node *c = &self->nodes[cause];

              node->cause_instance = cause;
              if (c->last_caused == TL_NO_INSTANCE)
                c->first_caused = id;
              else
                self->nodes[c->last_caused].next_caused = id;
              c->last_caused = id;
            }
        }
    }
  else
    {
      intervals_open (&node->iv, t, state, 0);
    }

  if (leaf)
    {
      self->counts[old]--;
      self->counts[state]++;
      update_concurrency (self, t);
    }
}

static void
consume_stall (TlTimelineModel *self,
               const TlEvent   *event)
{
  IntervalArray *stalls = &self->stalls;
  guint pos;
  TlInterval *slot;

  if (event->value <= 0)
    return;

  /* Stalls arrive late but in order of their start; keep them sorted
   * even if two ever overlap in the log. */
  pos = stalls->n;
  while (pos > 0 && stalls->v[pos - 1].start_us > event->time_us)
    pos--;
  intervals_push (stalls);
  memmove (&stalls->v[pos + 1], &stalls->v[pos], (stalls->n - 1 - pos) * sizeof (TlInterval));
  slot = &stalls->v[pos];
  slot->start_us = event->time_us;
  slot->end_us = event->time_us + event->value;
  slot->state = TL_LOOP_BLOCKED;
  slot->extra = event->instance;
  self->max_stall_us = MAX (self->max_stall_us, event->value);
  self->last_time_us = MAX (self->last_time_us, slot->end_us);
}

static void
consume_counter (TlTimelineModel *self,
                 const TlEvent   *event)
{
  gint32 value = (gint32) CLAMP (event->value, 0, G_MAXINT32);
  StepArray *chart;

  switch (event->a)
    {
    case TL_COUNTER_THREADS_BUSY:
      chart = &self->charts[CHART_THREADS];
      steps_set (chart, event->time_us, value, chart->b);
      break;
    case TL_COUNTER_THREADS_QUEUED:
      chart = &self->charts[CHART_THREADS];
      steps_set (chart, event->time_us, chart->a, value);
      break;
    case TL_COUNTER_PROCESSES_BUSY:
      chart = &self->charts[CHART_PROCESSES];
      steps_set (chart, event->time_us, value, chart->b);
      break;
    case TL_COUNTER_PROCESSES_QUEUED:
      chart = &self->charts[CHART_PROCESSES];
      steps_set (chart, event->time_us, chart->a, value);
      break;
    case TL_COUNTER_HTTP_IN_FLIGHT:
      chart = &self->charts[CHART_HTTP];
      steps_set (chart, event->time_us, value, chart->b);
      break;
    case TL_COUNTER_HTTP_QUEUED:
      chart = &self->charts[CHART_HTTP];
      steps_set (chart, event->time_us, chart->a, value);
      break;
    case TL_COUNTER_LOOP_LAG_US:
      /* Where the loop was late, for ticks on its lane; below the
       * threshold a lag is the machine, not the program. A lag reported
       * at t was a timer due at t - lag. */
      if (event->value >= TL_TIMELINE_MIN_LAG_US)
        {
          TlInterval *last = intervals_last (&self->lags);

          if (last == NULL || event->time_us >= last->end_us)
            {
              TlInterval *lag = intervals_push (&self->lags);

              lag->start_us = MAX (0, event->time_us - event->value);
              lag->end_us = event->time_us;
              lag->state = 0;
              lag->extra = 0;
            }
          self->max_lag_us = MAX (self->max_lag_us, event->value);
        }
      break;
    default:
      /* Tasks running/waiting are computed from the states themselves,
       * connection counts are not drawn. */
      break;
    }
}

static void
consume_event (TlTimelineModel *self,
               const TlEvent   *event)
{
  Node *node;

  switch (event->type)
    {
    case TL_EVENT_STATE:
      consume_state (self, event);
      break;

    case TL_EVENT_SECTION_START:
      if (event->value >= 0 && event->value < G_MAXUINT16)
        {
          SectionInfo *info = ensure_section (self, (guint) event->value);

          info->span.start_us = event->time_us;
          info->span.state = TL_STATE_RUNNING;
          if (info->root == TL_NO_INSTANCE)
            info->root = event->instance;
        }
      break;

    case TL_EVENT_SECTION_END:
      if (event->value >= 0 && event->value < G_MAXUINT16)
        {
          SectionInfo *info = ensure_section (self, (guint) event->value);

          if (info->span.start_us < 0)
            info->span.start_us = event->time_us;
          info->span.end_us = MAX (event->time_us, info->span.start_us);
          if (event->instance < self->n_nodes)
            info->span.state = self->nodes[event->instance].state;
        }
      break;

    case TL_EVENT_DEADLINE:
      if (event->instance < self->n_nodes)
        {
          node = &self->nodes[event->instance];
          node->deadline_us[event->b ? 1 : 0] = event->value;
        }
      break;

    case TL_EVENT_LOOP_STALL:
      consume_stall (self, event);
      break;

    case TL_EVENT_COUNTER:
      consume_counter (self, event);
      break;

    case TL_EVENT_SPAWNED:
      if (event->value >= 0 && event->value < self->n_nodes)
        self->nodes[event->value].spawned = TRUE;
      break;

    case TL_EVENT_RESULT_TAKEN:
      /* A gather or a sequence taking its child's result is drawn by the
       * bracket; a task awaiting one started in the background
       * (create_task, then await), even by itself, gets an arrow. */
      if (event->instance < self->n_nodes && event->value >= 0 && event->value < self->n_nodes &&
          (self->nodes[event->instance].parent != (guint32) event->value ||
           self->nodes[event->instance].spawned))
        {
          TlAwait link = { event->instance, (guint32) event->value, event->time_us };

          g_array_append_val (self->awaits, link);
        }
      break;

    case TL_EVENT_TIMEOUT_FIRED:
    case TL_EVENT_ERROR_RAISED:
    case TL_EVENT_CANCEL_REQUEST:
    case TL_EVENT_WARNING:
    default:
      break;
    }

  self->last_time_us = MAX (self->last_time_us, event->time_us);
}

/* --- life cycle --- */

static void
tl_timeline_model_finalize (GObject *object)
{
  TlTimelineModel *self = (TlTimelineModel *) object;

  for (guint i = 0; i < self->n_nodes; i++)
    g_free (self->nodes[i].iv.v);
  g_free (self->nodes);
  g_free (self->node_lane);
  g_clear_pointer (&self->gaps_before, g_hash_table_unref);
  g_array_unref (self->roots);
  g_free (self->lane_inst);
  g_free (self->lane_kind);
  g_free (self->lane_sub_end);
  g_free (self->loop_busy.v);
  g_free (self->loop_cum);
  g_free (self->stalls.v);
  g_free (self->lags.v);
  for (guint i = 0; i < N_CHARTS; i++)
    {
      g_free (self->charts[i].v);
      g_free (self->charts[i].blk_a);
      g_free (self->charts[i].blk_sum);
    }
  g_array_unref (self->sections);
  g_array_unref (self->awaits);
  g_clear_pointer (&self->trace, tl_trace_unref);

  G_OBJECT_CLASS (tl_timeline_model_parent_class)->finalize (object);
}

static void
tl_timeline_model_class_init (TlTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tl_timeline_model_finalize;

  /**
   * TlTimelineModel::changed:
   *
   * Emitted by tl_timeline_model_update() when it consumed something, and
   * when lanes are collapsed or expanded.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
tl_timeline_model_init (TlTimelineModel *self)
{
  self->roots = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->sections = g_array_new (FALSE, TRUE, sizeof (SectionInfo));
  self->awaits = g_array_new (FALSE, FALSE, sizeof (TlAwait));
}

/* Which summary lanes a preset needs is known before it runs, so lanes
 * never jump while the run goes on. */
static void
choose_summary_lanes (TlTimelineModel *self)
{
  TlPreset *preset = tl_trace_get_preset (self->trace);
  gboolean threads = FALSE, processes = FALSE, http = FALSE;

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      const TlTaskSpec *spec = &preset->tasks[i];

      if (spec->kind == TL_KIND_FETCH)
        http = TRUE;
      else if ((spec->kind == TL_KIND_BLOCKING || spec->kind == TL_KIND_CPU) && spec->on == TL_ON_THREAD)
        threads = TRUE;
      else if (spec->kind == TL_KIND_CPU && spec->on == TL_ON_PROCESS)
        processes = TRUE;
    }

  self->summary[self->n_summary++] = TL_LANE_LOOP;
  if (threads)
    self->summary[self->n_summary++] = TL_LANE_THREADS;
  if (processes)
    self->summary[self->n_summary++] = TL_LANE_PROCESSES;
  if (http)
    self->summary[self->n_summary++] = TL_LANE_HTTP;
  self->summary[self->n_summary++] = TL_LANE_CONCURRENCY;

  for (guint i = 0; i < self->n_summary; i++)
    lanes_push (self, self->summary[i], TL_NO_INSTANCE);
}

TlTimelineModel *
tl_timeline_model_new (TlTrace *trace)
{
  TlTimelineModel *self;

  g_return_val_if_fail (trace != NULL, NULL);

  self = g_object_new (TL_TYPE_TIMELINE_MODEL, NULL);
  self->trace = tl_trace_ref (trace);
  self->program = tl_trace_is_open (trace);
  choose_summary_lanes (self);
  return self;
}

TlTrace *
tl_timeline_model_get_trace (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  return self->trace;
}

gboolean
tl_timeline_model_update (TlTimelineModel *self)
{
  gboolean complete;
  gboolean changed = FALSE;
  guint n;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  /* Completion first: once it is seen, every event is already published. */
  complete = tl_trace_is_complete (self->trace);
  n = tl_trace_get_n_events (self->trace);

  for (guint i = self->n_consumed; i < n; i++)
    consume_event (self, tl_trace_get_event (self->trace, i));
  if (n > self->n_consumed)
    changed = TRUE;
  self->n_consumed = n;

  if (complete && !self->complete)
    {
      self->complete = TRUE;
      self->last_time_us = MAX (self->last_time_us, tl_trace_get_end_us (self->trace));
      changed = TRUE;
    }

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);

  return changed;
}

void
tl_timeline_model_set_now (TlTimelineModel *self,
                           gint64           now_us)
{
  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));

  self->now_us = MAX (self->now_us, now_us);
}

gint64
tl_timeline_model_get_now (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  if (self->complete)
    return self->last_time_us;
  return MAX (self->now_us, self->last_time_us);
}

gint64
tl_timeline_model_get_end_us (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return tl_timeline_model_get_now (self);
}

gboolean
tl_timeline_model_is_complete (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  return self->complete;
}
