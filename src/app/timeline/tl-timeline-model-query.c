/* tl-timeline-model-query.c — what the timeline model answers: lanes,
 * intervals, summary charts and instances, and a text dump for tests
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "timeline/tl-timeline-model-private.h"

/* --- lanes --- */

guint
tl_timeline_model_get_n_lanes (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  _tl_timeline_model_ensure_order (self);
  return self->n_lanes;
}

guint
tl_timeline_model_get_n_summary_lanes (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return self->n_summary;
}

TlLaneKind
tl_timeline_model_get_lane_kind (TlTimelineModel *self,
                                 guint            lane)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_LANE_TASK);

  _tl_timeline_model_ensure_order (self);
  g_return_val_if_fail (lane < self->n_lanes, TL_LANE_TASK);
  return self->lane_kind[lane];
}

guint32
tl_timeline_model_get_lane_instance (TlTimelineModel *self,
                                     guint            lane)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_NO_INSTANCE);

  _tl_timeline_model_ensure_order (self);
  if (lane >= self->n_lanes)
    return TL_NO_INSTANCE;
  return self->lane_inst[lane];
}

int
tl_timeline_model_find_lane (TlTimelineModel *self,
                             guint32          instance)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  _tl_timeline_model_ensure_order (self);
  if (instance >= self->n_nodes)
    return -1;
  return self->node_lane[instance];
}

guint
tl_timeline_model_get_lane_depth (TlTimelineModel *self,
                                  guint            lane)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  _tl_timeline_model_ensure_order (self);
  if (lane >= self->n_lanes || self->lane_kind[lane] != TL_LANE_TASK)
    return 0;
  return self->nodes[self->lane_inst[lane]].depth;
}

static const char *
summary_lane_label (TlLaneKind kind)
{
  switch (kind)
    {
    case TL_LANE_LOOP:
      return _("Event loop");
    case TL_LANE_THREADS:
      return _("Thread pool");
    case TL_LANE_PROCESSES:
      return _("Processes");
    case TL_LANE_HTTP:
      return _("HTTP connections");
    case TL_LANE_CONCURRENCY:
      return _("Concurrency");
    case TL_LANE_SECTION:
    case TL_LANE_TASK:
    default:
      return "";
    }
}

char *
tl_timeline_model_dup_lane_label (TlTimelineModel *self,
                                  guint            lane)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  _tl_timeline_model_ensure_order (self);
  g_return_val_if_fail (lane < self->n_lanes, NULL);

  switch (self->lane_kind[lane])
    {
    case TL_LANE_TASK:
      return tl_trace_dup_label (self->trace, self->lane_inst[lane]);
    case TL_LANE_SECTION:
      {
        g_autofree char *root = tl_trace_dup_label (self->trace, self->lane_inst[lane]);

        /* TRANSLATORS: header of a section of a run: "Section 2: gathered" */
        return g_strdup_printf (_("Section %u: %s"),
                                (guint) self->nodes[self->lane_inst[lane]].section + 1, root);
      }
    case TL_LANE_GAP:
      /* TRANSLATORS: an empty row in a comparison of two runs */
      return g_strdup (_("not in this run"));
    case TL_LANE_LOOP:
    case TL_LANE_THREADS:
    case TL_LANE_PROCESSES:
    case TL_LANE_HTTP:
    case TL_LANE_CONCURRENCY:
    default:
      return g_strdup (summary_lane_label (self->lane_kind[lane]));
    }
}

static const SectionInfo *
lane_section (TlTimelineModel *self,
              guint            lane)
{
  guint section = self->nodes[self->lane_inst[lane]].section;

  if (section >= self->sections->len)
    return NULL;
  return &g_array_index (self->sections, SectionInfo, section);
}

const TlInterval *
tl_timeline_model_get_intervals (TlTimelineModel *self,
                                 guint            lane,
                                 guint           *n_intervals)
{
  const TlInterval *v = NULL;
  guint n = 0;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  _tl_timeline_model_ensure_order (self);
  if (lane < self->n_lanes)
    {
      switch (self->lane_kind[lane])
        {
        case TL_LANE_TASK:
          {
            const Node *node = &self->nodes[self->lane_inst[lane]];

            v = node->iv.v;
            n = node->iv.n;
          }
          break;
        case TL_LANE_SECTION:
          {
            const SectionInfo *info = lane_section (self, lane);

            if (info != NULL && info->span.start_us >= 0)
              {
                v = &info->span;
                n = 1;
              }
          }
          break;
        case TL_LANE_LOOP:
          v = self->loop_busy.v;
          n = self->loop_busy.n;
          break;
        case TL_LANE_THREADS:
        case TL_LANE_PROCESSES:
        case TL_LANE_HTTP:
        case TL_LANE_CONCURRENCY:
        default:
          break;
        }
    }

  if (n_intervals != NULL)
    *n_intervals = n;
  return v;
}

guint
tl_timeline_model_find_interval (TlTimelineModel *self,
                                 guint            lane,
                                 gint64           time_us)
{
  const TlInterval *v;
  guint n;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  v = tl_timeline_model_get_intervals (self, lane, &n);
  return _tl_timeline_model_intervals_search (v, n, time_us);
}

gint64
tl_timeline_model_get_loop_busy_us (TlTimelineModel *self,
                                    gint64           time_us,
                                    guint           *cursor)
{
  const IntervalArray *busy;
  gint64 now, before;
  guint settled, lo, hi;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  busy = &self->loop_busy;
  if (busy->n == 0)
    return 0;
  now = tl_timeline_model_get_now (self);

  /* The last two intervals may still change (reopened, or dropped when
   * empty); everything before them is settled and summed once. */
  settled = busy->n >= 2 ? busy->n - 2 : 0;
  if (self->loop_cum_cap < settled + 1)
    {
      self->loop_cum_cap = MAX (settled + 1, self->loop_cum_cap * 2);
      self->loop_cum = g_renew (gint64, self->loop_cum, self->loop_cum_cap);
    }
  if (self->loop_cum_len == 0)
    {
      self->loop_cum[0] = 0;
      self->loop_cum_len = 1;
    }
  for (guint i = self->loop_cum_len; i <= settled; i++)
    self->loop_cum[i] = self->loop_cum[i - 1] + (busy->v[i - 1].end_us - busy->v[i - 1].start_us);
  self->loop_cum_len = MAX (self->loop_cum_len, settled + 1);

  /* Last interval starting at or before time_us. A caller walking
   * forwards passes a cursor: gallop from it instead of bisecting all. */
  lo = 0;
  hi = busy->n;
  if (cursor != NULL && *cursor < busy->n && busy->v[*cursor].start_us <= time_us)
    {
      guint stride = 1;

      lo = *cursor;
      hi = lo + 1;
      while (hi < busy->n && busy->v[hi].start_us <= time_us)
        {
          lo = hi;
          stride *= 2;
          hi = lo + stride;
        }
      hi = MIN (hi, busy->n);
    }
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (busy->v[mid].start_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return 0;
  lo--;
  if (cursor != NULL)
    *cursor = lo;

  if (lo <= settled)
    before = self->loop_cum[lo];
  else
    {
      before = self->loop_cum[settled];
      for (guint i = settled; i < lo; i++)
        before += busy->v[i].end_us - busy->v[i].start_us;
    }
  {
    gint64 end = busy->v[lo].end_us == OPEN_END ? MAX (now, busy->v[lo].start_us) : busy->v[lo].end_us;

    return before + CLAMP (time_us - busy->v[lo].start_us, 0, end - busy->v[lo].start_us);
  }
}

const TlInterval *
tl_timeline_model_get_stalls (TlTimelineModel *self,
                              guint           *n_stalls)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  if (n_stalls != NULL)
    *n_stalls = self->stalls.n;
  return self->stalls.v;
}

guint
tl_timeline_model_find_stall (TlTimelineModel *self,
                              gint64           time_us)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return _tl_timeline_model_intervals_search (self->stalls.v, self->stalls.n, time_us);
}

gint64
tl_timeline_model_get_max_stall_us (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return self->max_stall_us;
}

static const StepArray *
lane_chart (TlTimelineModel *self,
            guint            lane)
{
  const StepArray *chart = NULL;

  _tl_timeline_model_ensure_order (self);
  if (lane < self->n_lanes)
    {
      switch (self->lane_kind[lane])
        {
        case TL_LANE_THREADS:
          chart = &self->charts[CHART_THREADS];
          break;
        case TL_LANE_PROCESSES:
          chart = &self->charts[CHART_PROCESSES];
          break;
        case TL_LANE_HTTP:
          chart = &self->charts[CHART_HTTP];
          break;
        case TL_LANE_CONCURRENCY:
          chart = &self->charts[CHART_CONCURRENCY];
          break;
        case TL_LANE_SECTION:
        case TL_LANE_TASK:
        case TL_LANE_LOOP:
        default:
          break;
        }
    }
  return chart;
}

gint64
tl_timeline_model_get_max_lag_us (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return MAX (self->max_lag_us, self->max_stall_us);
}

const TlStep *
tl_timeline_model_get_steps (TlTimelineModel *self,
                             guint            lane,
                             guint           *n_steps,
                             gint32          *max_value)
{
  const StepArray *chart;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  chart = lane_chart (self, lane);
  if (n_steps != NULL)
    *n_steps = chart ? chart->n : 0;
  if (max_value != NULL)
    *max_value = chart == NULL ? 0
               : chart->n == 0 ? chart->max
               : MAX (chart->max, chart->v[chart->n - 1].a + chart->v[chart->n - 1].b);
  return chart ? chart->v : NULL;
}

void
tl_timeline_model_get_steps_peak (TlTimelineModel *self,
                                  guint            lane,
                                  guint            first,
                                  guint            last,
                                  gint32          *max_a,
                                  gint32          *max_sum)
{
  const StepArray *chart;
  gint32 a = 0, sum = 0;

  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));

  chart = lane_chart (self, lane);
  if (chart != NULL && chart->n > 0)
    {
      guint i;

      last = MIN (last, chart->n - 1);
      for (i = first; i <= last;)
        {
          /* Whole blocks at once, single steps at the edges. */
          if (i % STEP_BLOCK == 0 && i + STEP_BLOCK - 1 <= last)
            {
              a = MAX (a, chart->blk_a[i / STEP_BLOCK]);
              sum = MAX (sum, chart->blk_sum[i / STEP_BLOCK]);
              i += STEP_BLOCK;
            }
          else
            {
              a = MAX (a, chart->v[i].a);
              sum = MAX (sum, chart->v[i].a + chart->v[i].b);
              i++;
            }
        }
    }

  if (max_a != NULL)
    *max_a = a;
  if (max_sum != NULL)
    *max_sum = sum;
}

int
tl_timeline_model_get_subtree_end_lane (TlTimelineModel *self,
                                        guint            lane)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  _tl_timeline_model_ensure_order (self);
  if (lane >= self->n_lanes)
    return -1;
  return (int) self->lane_sub_end[lane];
}

int
tl_timeline_model_get_section_lane (TlTimelineModel *self,
                                    guint            lane)
{
  const SectionInfo *info;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  _tl_timeline_model_ensure_order (self);
  if (lane >= self->n_lanes || lane < self->n_summary)
    return -1;
  info = lane_section (self, lane);
  return info != NULL ? info->lane : -1;
}

/* --- instances --- */

static inline const Node *
get_node (TlTimelineModel *self,
          guint32          instance)
{
  return instance < self->n_nodes ? &self->nodes[instance] : NULL;
}

guint
tl_timeline_model_get_n_instances (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return self->n_nodes;
}

TlMarker
tl_timeline_model_get_marker (TlTimelineModel *self,
                              guint32          instance,
                              gint64          *time_us)
{
  const Node *node;
  TlMarker marker = TL_MARKER_NONE;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_MARKER_NONE);

  node = get_node (self, instance);
  if (node != NULL)
    {
      switch (node->state)
        {
        case TL_STATE_OK:
          marker = TL_MARKER_OK;
          break;
        case TL_STATE_FAILED:
          marker = TL_MARKER_FAILED;
          break;
        case TL_STATE_TIMED_OUT:
          marker = TL_MARKER_TIMED_OUT;
          break;
        case TL_STATE_CANCELLED:
        case TL_STATE_NEVER_STARTED:
          marker = TL_MARKER_CANCELLED;
          break;
        default:
          break;
        }
    }

  if (time_us != NULL)
    *time_us = node != NULL ? node->final_us : -1;
  return marker;
}

TlState
tl_timeline_model_get_state (TlTimelineModel *self,
                             guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_STATE_CREATED);

  node = get_node (self, instance);
  return node != NULL ? node->state : TL_STATE_CREATED;
}

gint64
tl_timeline_model_get_created_us (TlTimelineModel *self,
                                  guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  node = get_node (self, instance);
  return node != NULL ? node->created_us : -1;
}

gint64
tl_timeline_model_get_finished_us (TlTimelineModel *self,
                                   guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  node = get_node (self, instance);
  return node != NULL ? node->final_us : -1;
}

gint64
tl_timeline_model_get_deadline (TlTimelineModel *self,
                                guint32          instance,
                                guint            kind)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);
  g_return_val_if_fail (kind <= 1, -1);

  node = get_node (self, instance);
  return node != NULL ? node->deadline_us[kind] : -1;
}

guint32
tl_timeline_model_get_cause (TlTimelineModel *self,
                             guint32          instance,
                             TlCause         *cause)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_NO_INSTANCE);

  node = get_node (self, instance);
  if (cause != NULL)
    *cause = node != NULL ? node->cause : TL_CAUSE_NONE;
  return node != NULL ? node->cause_instance : TL_NO_INSTANCE;
}

guint32 *
tl_timeline_model_dup_caused (TlTimelineModel *self,
                              guint32          cause,
                              guint            max_results,
                              guint           *n_results)
{
  const Node *node;
  GArray *result;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  result = g_array_new (FALSE, FALSE, sizeof (guint32));
  node = get_node (self, cause);
  if (node != NULL)
    for (guint32 x = node->first_caused; x != TL_NO_INSTANCE && result->len < max_results;
         x = self->nodes[x].next_caused)
      g_array_append_val (result, x);

  if (n_results != NULL)
    *n_results = result->len;
  return (guint32 *) (void *) g_array_free (result, FALSE);
}

gboolean
tl_timeline_model_is_composite (TlTimelineModel *self,
                                guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  node = get_node (self, instance);
  return node != NULL && node->first_child != TL_NO_INSTANCE;
}

guint32
tl_timeline_model_get_parent (TlTimelineModel *self,
                              guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_NO_INSTANCE);

  node = get_node (self, instance);
  return node != NULL ? node->parent : TL_NO_INSTANCE;
}

gboolean
tl_timeline_model_get_collapsed (TlTimelineModel *self,
                                 guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  node = get_node (self, instance);
  return node != NULL && node->collapsed;
}

void
tl_timeline_model_set_collapsed (TlTimelineModel *self,
                                 guint32          instance,
                                 gboolean         collapsed)
{
  Node *node;

  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));

  if (instance >= self->n_nodes)
    return;
  node = &self->nodes[instance];
  if (!!node->collapsed == !!collapsed)
    return;

  node->collapsed = !!collapsed;
  self->order_dirty = TRUE;
  _tl_timeline_model_emit_changed (self);
}

guint
tl_timeline_model_get_n_tasks (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);

  return self->n_leaves;
}

guint
tl_timeline_model_count_state (TlTimelineModel *self,
                               TlState          state)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), 0);
  g_return_val_if_fail (state < TL_N_STATES, 0);

  return self->counts[state];
}

/* --- dump --- */

static void
dump_interval (GString          *out,
               const TlInterval *iv)
{
  if (iv->end_us == OPEN_END)
    g_string_append_printf (out, " [%" G_GINT64_FORMAT ",open %u/%u]",
                            iv->start_us, iv->state, iv->extra);
  else
    g_string_append_printf (out, " [%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT " %u/%u]",
                            iv->start_us, iv->end_us, iv->state, iv->extra);
}

char *
tl_timeline_model_dump (TlTimelineModel *self)
{
  GString *out;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  _tl_timeline_model_ensure_order (self);
  out = g_string_new (NULL);
  g_string_append_printf (out, "lanes %u complete %d last %" G_GINT64_FORMAT "\n",
                          self->n_lanes, self->complete, self->last_time_us);

  for (guint lane = 0; lane < self->n_lanes; lane++)
    {
      g_autofree char *label = tl_timeline_model_dup_lane_label (self, lane);
      const TlInterval *v;
      const TlStep *steps;
      guint n;
      gint32 max;

      g_string_append_printf (out, "%u kind=%u inst=%u depth=%u end=%u %s:",
                              lane, self->lane_kind[lane], self->lane_inst[lane],
                              tl_timeline_model_get_lane_depth (self, lane),
                              self->lane_sub_end[lane], label);
      v = tl_timeline_model_get_intervals (self, lane, &n);
      for (guint i = 0; i < n; i++)
        dump_interval (out, &v[i]);
      steps = tl_timeline_model_get_steps (self, lane, &n, &max);
      if (steps != NULL)
        {
          g_string_append_printf (out, " max=%d", max);
          for (guint i = 0; i < n; i++)
            g_string_append_printf (out, " %" G_GINT64_FORMAT ":%d/%d",
                                    steps[i].time_us, steps[i].a, steps[i].b);
        }
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < self->n_nodes; i++)
    {
      const Node *node = &self->nodes[i];

      g_string_append_printf (out, "inst %u parent=%u state=%u created=%" G_GINT64_FORMAT
                              " final=%" G_GINT64_FORMAT " deadline=%" G_GINT64_FORMAT
                              "/%" G_GINT64_FORMAT " cause=%u/%u collapsed=%u\n",
                              i, node->parent, node->state, node->created_us, node->final_us,
                              node->deadline_us[0], node->deadline_us[1],
                              node->cause, node->cause_instance, node->collapsed);
    }

  g_string_append (out, "stalls");
  for (guint i = 0; i < self->stalls.n; i++)
    dump_interval (out, &self->stalls.v[i]);
  g_string_append (out, "\nlags");
  for (guint i = 0; i < self->lags.n; i++)
    dump_interval (out, &self->lags.v[i]);
  g_string_append (out, "\nawaits");
  for (guint i = 0; i < self->awaits->len; i++)
    {
      const TlAwait *link = &g_array_index (self->awaits, TlAwait, i);

      g_string_append_printf (out, " %u>%u@%" G_GINT64_FORMAT, link->awaited, link->awaiter, link->time_us);
    }
  g_string_append_printf (out, "\ncounts");
  for (guint i = 0; i < TL_N_STATES; i++)
    g_string_append_printf (out, " %u", self->counts[i]);
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

void
tl_timeline_model_get_chart_peaks (TlTimelineModel *self,
                                   guint            lane,
                                   gint32          *peak_a,
                                   gint32          *peak_b)
{
  const StepArray *chart;
  gint32 a = 0, b = 0;

  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));

  chart = lane_chart (self, lane);
  if (chart != NULL)
    {
      a = chart->peak_a;
      b = chart->peak_b;
      if (chart->n > 0)
        {
          a = MAX (a, chart->v[chart->n - 1].a);
          b = MAX (b, chart->v[chart->n - 1].b);
        }
    }
  if (peak_a != NULL)
    *peak_a = a;
  if (peak_b != NULL)
    *peak_b = b;
}

gboolean
tl_timeline_model_get_section_span (TlTimelineModel *self,
                                    guint32          instance,
                                    gint64          *start_us,
                                    gint64          *end_us)
{
  const Node *node;
  const SectionInfo *info;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  node = get_node (self, instance);
  if (node == NULL || node->section >= self->sections->len)
    return FALSE;
  info = &g_array_index (self->sections, SectionInfo, node->section);
  if (info->span.start_us < 0)
    return FALSE;
  if (start_us != NULL)
    *start_us = info->span.start_us;
  if (end_us != NULL)
    *end_us = info->span.end_us == OPEN_END ? -1 : info->span.end_us;
  return TRUE;
}

guint32 *
tl_timeline_model_dup_children (TlTimelineModel *self,
                                guint32          instance,
                                guint            max_results,
                                guint           *n_results)
{
  const Node *node;
  GArray *out;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  out = g_array_new (FALSE, FALSE, sizeof (guint32));
  node = get_node (self, instance);
  if (node != NULL)
    for (guint32 c = node->first_child; c != TL_NO_INSTANCE && out->len < max_results;
         c = self->nodes[c].next_sibling)
      g_array_append_val (out, c);
  if (n_results != NULL)
    *n_results = out->len;
  return (guint32 *) (void *) g_array_free (out, FALSE);
}

gint64
tl_timeline_model_get_started_us (TlTimelineModel *self,
                                  guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), -1);

  node = get_node (self, instance);
  if (node == NULL)
    return -1;
  for (guint i = 0; i < node->iv.n; i++)
    if (node->iv.v[i].state != TL_STATE_CREATED && node->iv.v[i].state != TL_STATE_QUEUED)
      return node->iv.v[i].start_us;
  return -1;
}

TlKind
tl_timeline_model_get_kind (TlTimelineModel *self,
                            guint32          instance)
{
  const Node *node;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), TL_KIND_SLEEP);

  node = get_node (self, instance);
  return node != NULL ? (TlKind) node->kind : TL_KIND_SLEEP;
}

const TlInterval *
tl_timeline_model_get_lags (TlTimelineModel *self,
                            guint           *n_lags)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);

  if (n_lags != NULL)
    *n_lags = self->lags.n;
  return self->lags.v;
}

const TlAwait *
tl_timeline_model_get_awaits (TlTimelineModel *self,
                              guint           *n_awaits)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (n_awaits != NULL, NULL);

  *n_awaits = self->awaits->len;
  return (const TlAwait *) (const void *) self->awaits->data;
}
