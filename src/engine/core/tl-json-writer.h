/* tl-json-writer.h — a small streaming JSON writer for the exporters
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-out-buffer.h"

G_BEGIN_DECLS

typedef struct _TlJsonWriter TlJsonWriter;

/* Output is buffered and written to @stream in blocks; the first error
 * (including cancellation) is kept and everything after it is dropped. */
TlJsonWriter *tl_json_writer_new          (GOutputStream *stream,
                                           GCancellable  *cancellable);
/* Flushes, frees, and returns FALSE with the first error if any. */
gboolean      tl_json_writer_finish       (TlJsonWriter  *self,
                                           GError       **error);
gboolean      tl_json_writer_has_failed   (TlJsonWriter  *self);

void          tl_json_writer_begin_object (TlJsonWriter  *self);
void          tl_json_writer_end_object   (TlJsonWriter  *self);
/* An array whose elements each start on a new line when @lines. */
void          tl_json_writer_begin_array  (TlJsonWriter  *self,
                                           gboolean       lines);
void          tl_json_writer_end_array    (TlJsonWriter  *self);
/* @key is written as given: plain ASCII names only. */
void          tl_json_writer_key          (TlJsonWriter  *self,
                                           const char    *key);
/* NULL writes null; invalid UTF-8 becomes U+FFFD. */
void          tl_json_writer_string       (TlJsonWriter  *self,
                                           const char    *str);
void          tl_json_writer_int          (TlJsonWriter  *self,
                                           gint64         value);
/* A time or size where a negative value means "does not apply": null. */
void          tl_json_writer_int_or_null  (TlJsonWriter  *self,
                                           gint64         value);
void          tl_json_writer_double       (TlJsonWriter  *self,
                                           double         value);
void          tl_json_writer_boolean      (TlJsonWriter  *self,
                                           gboolean       value);
void          tl_json_writer_null         (TlJsonWriter  *self);

/* Bytes written as they are (CSV uses the writer for its buffering). */
void          tl_json_writer_raw          (TlJsonWriter  *self,
                                           const char    *data,
                                           gssize         length);

/* For records of a fixed shape written in one go: writes the separator a
 * new value needs in the current container and returns the buffer, into
 * which the caller writes exactly one complete JSON value. */
TlOutBuffer  *tl_json_writer_begin_raw_value (TlJsonWriter *self);

/* Appends @str to @out as a JSON string literal, quotes included (NULL:
 * null), with the escapes tl_json_writer_string() uses. */
void          tl_json_write_string        (TlOutBuffer   *out,
                                           const char    *str);
/* The same literal as a new string, to write many times over. */
char         *tl_json_dup_string          (const char    *str);

/* Appends @str to @out as a JSON string literal, quotes included. */
void          tl_json_append_escaped      (GString       *out,
                                           const char    *str);

G_END_DECLS
