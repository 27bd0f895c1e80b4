/* tl-export.h — run report, trace export and CSV, written as a stream
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* Each writes a complete trace (tl_trace_is_complete()) to @stream as it
 * goes, without building the whole document in memory. */
gboolean tl_export_report (TlTrace       *trace,
                           GOutputStream *stream,
                           GCancellable  *cancellable,
                           GError       **error);
gboolean tl_export_trace  (TlTrace       *trace,
                           GOutputStream *stream,
                           GCancellable  *cancellable,
                           GError       **error);
gboolean tl_export_csv    (TlTrace       *trace,
                           GOutputStream *stream,
                           GCancellable  *cancellable,
                           GError       **error);

typedef gboolean (*TlExportFunc) (TlTrace        *trace,
                                  GOutputStream  *stream,
                                  gpointer        user_data,
                                  GCancellable   *cancellable,
                                  GError        **error);

/* "-" means standard output. */
gboolean tl_export_to_path (TlTrace    *trace,
                            gboolean  (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **),
                            const char *path,
                            GError    **error);

/* The same for a writer that needs more than the trace (a run file's
 * recording details): written beside @path and renamed over it. */
gboolean tl_export_to_path_full (TlTrace      *trace,
                                 TlExportFunc  exporter,
                                 gpointer      user_data,
                                 const char   *path,
                                 GError      **error);

/* Where an export to @path is written: symbolic links are followed to
 * their target, even when that does not exist yet. */
char    *tl_export_resolve_path (const char *path);

/* Checks before a run that tl_export_to_path() will be able to write
 * @path ("-" always can); the message names the file or folder. */
gboolean tl_export_check_path   (const char  *path,
                                 GError     **error);

G_END_DECLS
