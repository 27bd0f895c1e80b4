/* tl-timeline-model-align.c — two runs' lanes lined up by task
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A comparison stacks two timelines. Their lanes line up when the same
 * task sits on the same row of both, whatever tasks only one of the runs
 * has (a what-if that changes Repeat, a program that took another path):
 * the two orders of lanes are merged by task identity, and each model
 * gets an empty row (TL_LANE_GAP) wherever the merge has a lane of the
 * other run only.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include "timeline/tl-timeline-model-private.h"
#include "trace/tl-compare.h"

/* The identity of every task and section lane below the summary lanes,
 * in order: the task's key, or "§N" for section N's header. */
static GPtrArray *
lane_keys (TlTimelineModel *self)
{
  g_autoptr(GPtrArray) instance_keys = tl_compare_dup_instance_keys (self->trace);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  _tl_timeline_model_ensure_order (self);
  for (guint lane = self->n_summary; lane < self->n_lanes; lane++)
    {
      guint32 instance = self->lane_inst[lane];

      if (self->lane_kind[lane] == TL_LANE_SECTION)
        g_ptr_array_add (keys, g_strdup_printf ("§%u", (guint) self->nodes[instance].section));
      else if (instance < instance_keys->len)
        g_ptr_array_add (keys, g_strdup (g_ptr_array_index (instance_keys, instance)));
      else
        g_ptr_array_add (keys, g_strdup (""));
    }
  return keys;
}

/* Key → position + 1. */
static GHashTable *
index_keys (GPtrArray *keys)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = keys->len; i > 0; i--)
    g_hash_table_insert (index, g_ptr_array_index (keys, i - 1), GUINT_TO_POINTER (i));
  return index;
}

/* Where @key comes in @index at or after @from; G_MAXUINT when not. */
static guint
position_after (GHashTable *index,
                const char *key,
                guint       from)
{
  guint found = GPOINTER_TO_UINT (g_hash_table_lookup (index, key));

  return found > 0 && found - 1 >= from ? found - 1 : G_MAXUINT;
}

/* The gaps counted before each lane of @self become its gaps_before. */
static void
set_gaps (TlTimelineModel *self,
          const guint     *before,
          guint            at_end)
{
  g_clear_pointer (&self->gaps_before, g_hash_table_unref);
  self->gaps_before = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint lane = self->n_summary; lane < self->n_lanes; lane++)
    if (before[lane - self->n_summary] > 0)
      g_hash_table_insert (self->gaps_before,
                           _TL_ALIGN_KEY (self->lane_kind[lane], self->lane_inst[lane]),
                           GUINT_TO_POINTER (before[lane - self->n_summary]));
  self->gaps_at_end = at_end;
  self->order_dirty = TRUE;
}

void
tl_timeline_model_align (TlTimelineModel *self,
                         TlTimelineModel *other)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GHashTable) a_index = NULL;
  g_autoptr(GHashTable) b_index = NULL;
  g_autofree guint *a_gaps = NULL;
  g_autofree guint *b_gaps = NULL;
  guint i = 0, j = 0, a_pending = 0, b_pending = 0;

  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));
  g_return_if_fail (TL_IS_TIMELINE_MODEL (other));
  g_return_if_fail (self != other);

  tl_timeline_model_clear_alignment (self);
  tl_timeline_model_clear_alignment (other);
  a = lane_keys (self);
  b = lane_keys (other);
  a_index = index_keys (a);
  b_index = index_keys (b);
  a_gaps = g_new0 (guint, a->len + 1);
  b_gaps = g_new0 (guint, b->len + 1);

  /* A merge of the two orders: a lane both runs have takes one row in
   * both; a lane of one run only takes a row there and an empty row in
   * the other. When both next lanes come later in the other run (tasks
   * that changed places), the nearer match goes first. */
  while (i < a->len || j < b->len)
    {
      const char *ka = i < a->len ? g_ptr_array_index (a, i) : NULL;
      const char *kb = j < b->len ? g_ptr_array_index (b, j) : NULL;
      guint a_in_b = ka != NULL ? position_after (b_index, ka, j) : G_MAXUINT;
      guint b_in_a = kb != NULL ? position_after (a_index, kb, i) : G_MAXUINT;
      gboolean take_a, take_b;

      if (ka != NULL && kb != NULL && g_str_equal (ka, kb))
        take_a = take_b = TRUE;
      else if (ka != NULL && (a_in_b == G_MAXUINT || kb == NULL))
        take_a = TRUE, take_b = FALSE;
      else if (kb != NULL && (b_in_a == G_MAXUINT || ka == NULL))
        take_a = FALSE, take_b = TRUE;
      else
        {
          take_a = a_in_b - j > b_in_a - i;
          take_b = !take_a;
        }

      if (take_a && take_b)
        {
          a_gaps[i++] = a_pending;
          b_gaps[j++] = b_pending;
          a_pending = b_pending = 0;
        }
      else if (take_a)
        {
          a_gaps[i++] = a_pending;
          a_pending = 0;
          b_pending++;
        }
      else
        {
          b_gaps[j++] = b_pending;
          b_pending = 0;
          a_pending++;
        }
    }

  set_gaps (self, a_gaps, a_pending);
  set_gaps (other, b_gaps, b_pending);
  _tl_timeline_model_emit_changed (self);
  _tl_timeline_model_emit_changed (other);
}

void
tl_timeline_model_clear_alignment (TlTimelineModel *self)
{
  g_return_if_fail (TL_IS_TIMELINE_MODEL (self));

  if (self->gaps_before == NULL)
    return;
  g_clear_pointer (&self->gaps_before, g_hash_table_unref);
  self->gaps_at_end = 0;
  self->order_dirty = TRUE;
  _tl_timeline_model_emit_changed (self);
}

gboolean
tl_timeline_model_is_aligned (TlTimelineModel *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), FALSE);

  return self->gaps_before != NULL;
}
