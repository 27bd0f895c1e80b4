/* tl-timeline-model-search.c — which tasks a search names, in the order
 * their lanes come
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline-model"

#include "config.h"

#include <string.h>

#include "timeline/tl-timeline-model-private.h"

/* Whether @id's label ("fetch_user(3)") or its task's name in the preset
 * ("fetch-user") holds @needle, compared casefolded. */
static gboolean
instance_matches (TlTimelineModel *self,
                  guint32          id,
                  const char      *needle)
{
  g_autofree char *label = tl_trace_dup_label (self->trace, id);
  g_autofree char *folded = label != NULL ? g_utf8_casefold (label, -1) : NULL;
  const char *name;

  if (folded != NULL && strstr (folded, needle) != NULL)
    return TRUE;
  name = tl_trace_get_task_name (self->trace, id);
  if (name != NULL && g_strcmp0 (name, label) != 0)
    {
      g_autofree char *folded_name = g_utf8_casefold (name, -1);

      return strstr (folded_name, needle) != NULL;
    }
  return FALSE;
}

guint32 *
tl_timeline_model_dup_matches (TlTimelineModel *self,
                               const char      *text,
                               guint           *n_matches)
{
  g_autofree char *needle = NULL;
  GArray *found;

  g_return_val_if_fail (TL_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (n_matches != NULL, NULL);

  found = g_array_new (FALSE, FALSE, sizeof (guint32));
  needle = text != NULL ? g_utf8_casefold (text, -1) : NULL;
  if (needle == NULL || needle[0] == '\0')
    {
      *n_matches = 0;
      g_array_free (found, TRUE);
      return NULL;
    }

  /* The lanes' order, collapsed subtrees included: a match inside a
   * collapsed group comes where its lane will be once it is opened. */
  for (guint r = 0; r < self->roots->len; r++)
    {
      guint32 root = g_array_index (self->roots, guint32, r);
      guint32 x = root;

      for (;;)
        {
          const Node *node = &self->nodes[x];

          if (instance_matches (self, x, needle))
            g_array_append_val (found, x);
          if (node->first_child != TL_NO_INSTANCE)
            {
              x = node->first_child;
              continue;
            }
          while (x != root && self->nodes[x].next_sibling == TL_NO_INSTANCE)
            x = self->nodes[x].parent;
          if (x == root)
            break;
          x = self->nodes[x].next_sibling;
        }
    }

  *n_matches = found->len;
  return (guint32 *) (void *) g_array_free (found, FALSE);
}
