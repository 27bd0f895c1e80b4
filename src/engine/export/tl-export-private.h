/* tl-export-private.h — what the exporters share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "export/tl-export.h"

G_BEGIN_DECLS

/* Every export counts time from the first section's start (the start of
 * the run), so the three files agree with each other. */
gint64       _tl_export_get_base_us        (TlTrace *trace);

/* @time_us relative to @base_us, clamped at 0; -1 stays -1. */
static inline gint64
_tl_export_relative (gint64 base_us,
                     gint64 time_us)
{
  if (time_us < 0)
    return -1;
  return MAX (time_us - base_us, 0);
}

/* Name of the task at the root of the instance's section. */
const char  *_tl_export_get_section_name   (TlTrace *trace,
                                            guint    section);
const char  *_tl_export_get_task_name      (TlTrace *trace,
                                            guint32  instance);
/* Why the section's root did not end ok, NULL when it did. */
char        *_tl_export_dup_section_error  (TlTrace *trace,
                                            guint    section);

G_END_DECLS
