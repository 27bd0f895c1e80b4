/* tl-timeline-search.c — the task search: which lanes match, and stepping
 * from one match to the next
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As in Perfetto and Chrome's DevTools: every match is highlighted, and
 * stepping selects one after the other in the order of the lanes, opening
 * a collapsed group on the way and scrolling the lane into view. The
 * window holds the search bar; the timeline knows what matches.
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <string.h>

#include "timeline/tl-timeline-private.h"

/* A live run is searched again as tasks appear, up to this size; a larger
 * one when it ends (each search reads every task's label). */
#define LIVE_SEARCH_MAX_INSTANCES 20000

void
_tl_timeline_search_clear (TlTimeline *self)
{
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->matches, g_free);
  g_clear_pointer (&self->match_flags, g_free);
  self->n_matches = 0;
  self->n_match_flags = 0;
  self->current_match = -1;
}

/* Finds the matches of the current text in the current model, keeping
 * the current match when it is still one. */
static void
search_again (TlTimeline *self)
{
  guint32 current = self->current_match >= 0 ? self->matches[self->current_match] : TL_NO_INSTANCE;

  g_clear_pointer (&self->matches, g_free);
  g_clear_pointer (&self->match_flags, g_free);
  self->n_matches = 0;
  self->n_match_flags = 0;
  self->current_match = -1;
  if (self->model == NULL || self->search_text == NULL)
    return;

  self->matches = tl_timeline_model_dup_matches (self->model, self->search_text, &self->n_matches);
  self->n_match_flags = tl_timeline_model_get_n_instances (self->model);
  self->match_flags = g_new0 (guint8, MAX (self->n_match_flags, 1));
  for (guint i = 0; i < self->n_matches; i++)
    {
      if (self->matches[i] < self->n_match_flags)
        self->match_flags[self->matches[i]] = 1;
      if (self->matches[i] == current)
        self->current_match = (int) i;
    }
}

void
_tl_timeline_search_model_changed (TlTimeline *self)
{
  guint n;

  if (self->search_text == NULL)
    return;
  n = self->model != NULL ? tl_timeline_model_get_n_instances (self->model) : 0;
  if (self->model != NULL && n == self->n_match_flags)
    return;
  if (self->model != NULL && n > LIVE_SEARCH_MAX_INSTANCES &&
      !tl_timeline_model_is_complete (self->model))
    return;
  search_again (self);
}

void
tl_timeline_set_search (TlTimeline *self,
                        const char *text)
{
  g_return_if_fail (TL_IS_TIMELINE (self));

  if (text == NULL || text[0] == '\0')
    {
      if (self->search_text == NULL)
        return;
      _tl_timeline_search_clear (self);
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);

      if (g_strcmp0 (folded, self->search_text) == 0)
        return;
      g_free (self->search_text);
      self->search_text = g_steal_pointer (&folded);
      self->current_match = -1;
      search_again (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tl_timeline_get_n_matches (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), 0);

  return self->n_matches;
}

int
tl_timeline_get_current_match (TlTimeline *self)
{
  g_return_val_if_fail (TL_IS_TIMELINE (self), -1);

  return self->current_match;
}

gboolean
tl_timeline_step_match (TlTimeline *self,
                        gboolean    forward)
{
  int n;

  g_return_val_if_fail (TL_IS_TIMELINE (self), FALSE);

  n = (int) self->n_matches;
  if (n == 0)
    return FALSE;
  if (self->current_match < 0)
    self->current_match = forward ? 0 : n - 1;
  else
    self->current_match = (self->current_match + (forward ? 1 : n - 1)) % n;

  /* Selecting opens the way to the task and scrolls its lane into view. */
  tl_timeline_set_selected_task (self, self->matches[self->current_match]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}
