/* tl-types.c — names of the engine's enumerations
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-types"

#include "config.h"

#include <string.h>

#include "core/tl-types.h"

static const char * const kind_names[] = {
  "sleep", "fetch", "blocking", "cpu", "sequence", "gather", "wait", "spawn", "await",
};
static const char * const on_names[] = { "loop", "thread", "process" };
static const char * const return_when_names[] = {
  "all-completed", "first-completed", "first-exception",
};
static const char * const state_names[] = {
  "created", "queued", "waiting", "running", "blocked",
  "ok", "failed", "cancelled", "timed-out", "never-started",
};
static const char * const cause_names[] = {
  "none", "timeout", "sibling-failed", "wait-pending", "parent", "section-end", "user",
  "program-ended",
};
static const char * const warning_names[] = {
  "never-awaited", "exception-never-retrieved", "pending-at-exit", "loop-blocked",
  "connections-limited",
};

static int
lookup (const char * const *names,
        guint               n_names,
        const char         *str)
{
  if (str == NULL)
    return -1;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], str) == 0)
      return (int) i;
  return -1;
}

#define NAME_OR_NULL(names, v) ((guint) (v) < G_N_ELEMENTS (names) ? names[v] : NULL)

const char *tl_kind_to_string (TlKind v)                { return NAME_OR_NULL (kind_names, v); }
const char *tl_on_to_string (TlOn v)                    { return NAME_OR_NULL (on_names, v); }
const char *tl_return_when_to_string (TlReturnWhen v)   { return NAME_OR_NULL (return_when_names, v); }
const char *tl_state_to_string (TlState v)              { return NAME_OR_NULL (state_names, v); }
const char *tl_cause_to_string (TlCause v)              { return NAME_OR_NULL (cause_names, v); }
const char *tl_warning_code_to_string (TlWarningCode v) { return NAME_OR_NULL (warning_names, v); }

int tl_kind_from_string (const char *s)        { return lookup (kind_names, G_N_ELEMENTS (kind_names), s); }
int tl_on_from_string (const char *s)          { return lookup (on_names, G_N_ELEMENTS (on_names), s); }
int tl_return_when_from_string (const char *s) { return lookup (return_when_names, G_N_ELEMENTS (return_when_names), s); }
int tl_state_from_string (const char *s)       { return lookup (state_names, G_N_ELEMENTS (state_names), s); }

gboolean
tl_kind_is_composite (TlKind kind)
{
  return kind >= TL_KIND_SEQUENCE;
}
