/* tl-export-names.h — names and labels escaped once per export
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "core/tl-out-buffer.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* What every row or record repeats — task names, section names, label
 * templates — escaped once for JSON and for CSV, so writing a million
 * instances copies bytes instead of expanding and escaping each label. */
typedef struct _TlExportNames TlExportNames;

TlExportNames *_tl_export_names_new            (TlTrace       *trace);
void           _tl_export_names_free           (TlExportNames *self);

/* The name of instance @id's task as a JSON string literal
 * (tl_trace_get_task_name()). */
void           _tl_export_names_write_task_json    (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint32        id);
void           _tl_export_names_write_task_csv     (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint32        id);
/* The label of instance @id (tl_trace_dup_label()). */
void           _tl_export_names_write_label_json   (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint32        id);
void           _tl_export_names_write_label_csv    (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint32        id);
/* _tl_export_get_section_name(), null (JSON) or empty (CSV) when none. */
void           _tl_export_names_write_section_json (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint          section);
void           _tl_export_names_write_section_csv  (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    guint          section);

/* A string that never changes at its address (tl_state_to_string() and
 * the like) as a JSON string literal, escaped once per export. */
void           _tl_export_names_write_static_json  (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    const char    *str);
void           _tl_export_names_write_static_csv   (TlExportNames *self,
                                                    TlOutBuffer   *out,
                                                    const char    *str);

/* @value as one RFC 4180 field (nothing for NULL): quoted when it holds
 * a separator, a quote or a line break, quotes doubled inside. */
void           _tl_export_write_csv_field          (TlOutBuffer   *out,
                                                    const char    *value);

G_END_DECLS
