/* tl-trace-private.h — rebuilding a trace from a recording
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run file (record/tl-run-file-reader.c) puts back exactly what a run wrote,
 * bypassing the bookkeeping the writer side does as a run goes (no
 * CREATED event added, no outcome recomputed): the events come from the
 * recording too. The caller has validated every reference first.
 */
#pragma once

#include "trace/tl-trace.h"

G_BEGIN_DECLS

guint32  _tl_trace_load_instance (TlTrace          *self,
                                  const TlInstance *instance,
                                  const TlOutcome  *outcome);
/* Open traces: an instance's own names, before _tl_trace_load_instance(). */
void     _tl_trace_load_names    (TlTrace          *self,
                                  const char       *name,
                                  const char       *label,
                                  guint             source_line,
                                  const char       *traceback);
void     _tl_trace_load_event    (TlTrace          *self,
                                  const TlEvent    *event);
void     _tl_trace_load_warning  (TlTrace          *self,
                                  guint32           instance,
                                  TlWarningCode     code,
                                  const char       *message);
void     _tl_trace_load_section  (TlTrace          *self,
                                  guint             index,
                                  const TlSection  *section);
void     _tl_trace_load_totals   (TlTrace          *self,
                                  gint64            end_us,
                                  gint64            max_loop_lag_us,
                                  gboolean          stopped,
                                  gboolean          complete);

G_END_DECLS
