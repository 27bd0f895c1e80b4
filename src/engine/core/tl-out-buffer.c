/* tl-out-buffer.c — one large output buffer for the exporters
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-out-buffer"

#include "config.h"

#include "core/tl-out-buffer.h"

/* Large blocks: a 600 MB export is about a thousand write() calls. */
#define BUFFER_SIZE (512 * 1024)

G_STATIC_ASSERT (BUFFER_SIZE >= 4 * TL_OUT_BUFFER_MAX_RESERVE);

TlOutBuffer *
tl_out_buffer_new (GOutputStream *stream,
                   GCancellable  *cancellable)
{
  TlOutBuffer *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (TlOutBuffer, 1);
  self->stream = g_object_ref (stream);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->data = g_malloc (BUFFER_SIZE);
  self->pos = self->data;
  self->end = self->data + BUFFER_SIZE;
  return self;
}

void
tl_out_buffer_flush (TlOutBuffer *self)
{
  if (self->error == NULL && self->pos > self->data)
    g_output_stream_write_all (self->stream, self->data, (gsize) (self->pos - self->data),
                               NULL, self->cancellable, &self->error);
  self->pos = self->data;
}

void
_tl_out_buffer_append_slow (TlOutBuffer *self,
                            const char  *data,
                            gsize        len)
{
  tl_out_buffer_flush (self);
  if (len <= (gsize) (self->end - self->pos))
    {
      memcpy (self->pos, data, len);
      self->pos += len;
    }
  else if (self->error == NULL)
    {
      /* Larger than the whole buffer: straight to the stream. */
      g_output_stream_write_all (self->stream, data, len, NULL, self->cancellable, &self->error);
    }
}

gboolean
tl_out_buffer_finish (TlOutBuffer  *self,
                      GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  tl_out_buffer_flush (self);
  if (self->error == NULL)
    g_output_stream_flush (self->stream, self->cancellable, &self->error);

  ok = self->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->error));

  g_free (self->data);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_free (self);
  return ok;
}

static const char digit_pairs[201] =
  "00010203040506070809"
  "10111213141516171819"
  "20212223242526272829"
  "30313233343536373839"
  "40414243444546474849"
  "50515253545556575859"
  "60616263646566676869"
  "70717273747576777879"
  "80818283848586878889"
  "90919293949596979899";

static inline guint
count_digits (guint64 value)
{
  guint n = 1;

  for (;;)
    {
      if (value < 10)
        return n;
      if (value < 100)
        return n + 1;
      if (value < 1000)
        return n + 2;
      if (value < 10000)
        return n + 3;
      value /= 10000;
      n += 4;
    }
}

char *
tl_format_uint64 (char    *out,
                  guint64  value)
{
  guint len = count_digits (value);
  char *p = out + len;

  /* Two digits at a time, from the end. */
  while (value >= 100)
    {
      guint pair = (guint) (value % 100) * 2;

      value /= 100;
      p -= 2;
      p[0] = digit_pairs[pair];
      p[1] = digit_pairs[pair + 1];
    }
  if (value >= 10)
    {
      guint pair = (guint) value * 2;

      p[-2] = digit_pairs[pair];
      p[-1] = digit_pairs[pair + 1];
    }
  else
    p[-1] = (char) ('0' + value);

  return out + len;
}
