/* tl-out-buffer.h — one large output buffer for the exporters
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exporters write hundreds of megabytes field by field. Everything
 * goes into one buffer that is handed to the stream in large blocks; the
 * appends are inline and never call printf or grow a GString.
 */
#pragma once

#include <gio/gio.h>
#include <string.h>

G_BEGIN_DECLS

/* The most a caller may ask tl_out_buffer_reserve() for. */
#define TL_OUT_BUFFER_MAX_RESERVE 4096

typedef struct {
  /* Where the next byte goes and the end of the room: read by the inline
   * appends below, nothing else. */
  char          *pos;
  char          *end;
  char          *data;
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} TlOutBuffer;

/* Output is written to @stream in blocks; the first error (including
 * cancellation) is kept and everything after it is dropped. */
TlOutBuffer *tl_out_buffer_new        (GOutputStream *stream,
                                       GCancellable  *cancellable);
/* Writes what is left, flushes the stream, frees the buffer and returns
 * FALSE with the first error if any. */
gboolean     tl_out_buffer_finish     (TlOutBuffer   *self,
                                       GError       **error);
void         tl_out_buffer_flush      (TlOutBuffer   *self);
/* Appends more than fits: out of line. */
void         _tl_out_buffer_append_slow (TlOutBuffer *self,
                                         const char  *data,
                                         gsize        len);

static inline gboolean
tl_out_buffer_has_failed (TlOutBuffer *self)
{
  return self->error != NULL;
}

/* Room for at least @len (≤ TL_OUT_BUFFER_MAX_RESERVE) bytes at the
 * returned position; tl_out_buffer_commit() says how many were used. */
static inline char *
tl_out_buffer_reserve (TlOutBuffer *self,
                       gsize        len)
{
  if (G_UNLIKELY ((gsize) (self->end - self->pos) < len))
    tl_out_buffer_flush (self);
  return self->pos;
}

static inline void
tl_out_buffer_commit (TlOutBuffer *self,
                      char        *end)
{
  self->pos = end;
}

static inline void
tl_out_buffer_append (TlOutBuffer *self,
                      const char  *data,
                      gsize        len)
{
  if (G_LIKELY ((gsize) (self->end - self->pos) >= len))
    {
      memcpy (self->pos, data, len);
      self->pos += len;
    }
  else
    _tl_out_buffer_append_slow (self, data, len);
}

/* A string literal, its length known at compile time. */
#define tl_out_buffer_append_literal(self, literal) \
  tl_out_buffer_append ((self), "" literal, sizeof (literal) - 1)

static inline void
tl_out_buffer_append_c (TlOutBuffer *self,
                        char         c)
{
  if (G_UNLIKELY (self->pos == self->end))
    tl_out_buffer_flush (self);
  *self->pos++ = c;
}

static inline void
tl_out_buffer_append_str (TlOutBuffer *self,
                          const char  *str)
{
  tl_out_buffer_append (self, str, strlen (str));
}

/* Decimal digits of @value at @out; returns the end. */
char        *tl_format_uint64         (char          *out,
                                       guint64        value);

static inline void
tl_out_buffer_append_uint (TlOutBuffer *self,
                           guint64      value)
{
  char *p = tl_out_buffer_reserve (self, 20);

  if (value < 10)
    *p++ = (char) ('0' + value);
  else
    p = tl_format_uint64 (p, value);
  tl_out_buffer_commit (self, p);
}

static inline void
tl_out_buffer_append_int (TlOutBuffer *self,
                          gint64       value)
{
  char *p = tl_out_buffer_reserve (self, 21);

  if (value < 0)
    {
      *p++ = '-';
      /* Negating in unsigned arithmetic is defined for G_MININT64 too. */
      p = tl_format_uint64 (p, 0 - (guint64) value);
    }
  else
    p = tl_format_uint64 (p, (guint64) value);
  tl_out_buffer_commit (self, p);
}

G_END_DECLS
