/* tl-probe-reader.h — turns the probe's lines into trace entries
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe (data/python/tasklanes_probe) reports a running Python
 * program in the line protocol of docs/python-protocol.md. The reader
 * splits bytes into lines (each at most TL_PROBE_MAX_LINE bytes), checks
 * every field, and appends what it learns to an open TlTrace. Lines it
 * cannot use are counted and described once; nothing a line says can
 * crash it or grow memory past the limits below.
 */
#pragma once

#include <glib.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* Version 2 writes times as the monotonic clock's nanoseconds from an
 * origin its first line names; version 1, microseconds since the probe
 * started. Both are read. */
#define TL_PROBE_PROTOCOL_VERSION  2
#define TL_PROBE_PROTOCOL_OLDEST   1
#define TL_PROBE_MAX_LINE          4096
/* After this many task instances or trace events the reader stops
 * recording (and says so); the program runs on. */
#define TL_PROBE_MAX_INSTANCES     1000000
#define TL_PROBE_MAX_EVENTS        8000000

typedef struct _TlProbeReader TlProbeReader;

/* Writes into @trace, which must be open (tl_trace_new_open()). */
TlProbeReader *tl_probe_reader_new            (TlTrace       *trace);
void           tl_probe_reader_free           (TlProbeReader *self);

/* Any bytes, in any pieces: lines are cut at '\n'. */
void           tl_probe_reader_feed           (TlProbeReader *self,
                                               const char    *data,
                                               gsize          length);
/* One line without its newline. */
void           tl_probe_reader_feed_line      (TlProbeReader *self,
                                               const char    *line,
                                               gsize          length);

/* The program ended (or was stopped): a section still open ends at
 * @end_us, and whatever still ran in it is cancelled with @cause. */
void           tl_probe_reader_finish         (TlProbeReader *self,
                                               gint64         end_us,
                                               TlCause        cause);

/* TRUE after the probe's own first line was read. */
gboolean       tl_probe_reader_saw_header     (TlProbeReader *self);
/* TRUE after the probe said the program ended (its "exit" line). */
gboolean       tl_probe_reader_saw_exit       (TlProbeReader *self);
/* The program could not start (a SyntaxError, an import failing before
 * any asyncio.run()): where and what, else FALSE. */
gboolean       tl_probe_reader_get_startup_error (TlProbeReader *self,
                                               const char   **file,
                                               guint         *line,
                                               const char   **message);
/* Lines that were not understood, and what was wrong with the first. */
guint          tl_probe_reader_get_n_bad_lines (TlProbeReader *self);
const char    *tl_probe_reader_get_bad_line_message (TlProbeReader *self);
/* TRUE once a limit stopped the recording. */
gboolean       tl_probe_reader_is_capped      (TlProbeReader *self);
/* The latest time a line carried (µs since the probe started). */
gint64         tl_probe_reader_get_last_us    (TlProbeReader *self);

G_END_DECLS
