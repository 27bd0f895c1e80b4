/* tl-json-writer.c — a small streaming JSON writer for the exporters
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exporters write documents of any size (a million task instances), so
 * nothing here builds a tree: values go straight into a buffer that is
 * handed to the stream in blocks.
 */
#define G_LOG_DOMAIN "tl-json-writer"

#include "config.h"

#include <math.h>

#include "core/tl-json-writer.h"

#define FLUSH_SIZE (64 * 1024)
#define MAX_DEPTH  32

struct _TlJsonWriter
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
  GError        *error;
  guint          depth;
  gboolean       after_key;
  /* Per open container: has it got an element yet, is it an array, does
   * it put elements on their own lines. */
  gboolean       has_elements[MAX_DEPTH];
  gboolean       is_array[MAX_DEPTH];
  gboolean       lines[MAX_DEPTH];
};

TlJsonWriter *
tl_json_writer_new (GOutputStream *stream,
                    GCancellable  *cancellable)
{
  TlJsonWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (TlJsonWriter, 1);
  self->stream = g_object_ref (stream);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->buffer = g_string_sized_new (FLUSH_SIZE + 4096);
  return self;
}

static void
flush (TlJsonWriter *self)
{
  if (self->error == NULL && self->buffer->len > 0)
    g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                               NULL, self->cancellable, &self->error);
  g_string_truncate (self->buffer, 0);
}

static inline void
maybe_flush (TlJsonWriter *self)
{
  if (self->buffer->len >= FLUSH_SIZE)
    flush (self);
}

gboolean
tl_json_writer_finish (TlJsonWriter  *self,
                       GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  flush (self);
  if (self->error == NULL)
    g_output_stream_flush (self->stream, self->cancellable, &self->error);

  ok = self->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->error));

  g_string_free (self->buffer, TRUE);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_free (self);
  return ok;
}

gboolean
tl_json_writer_has_failed (TlJsonWriter *self)
{
  return self->error != NULL;
}

/* The separator a new value needs in its container. */
static void
value_prefix (TlJsonWriter *self)
{
  if (self->after_key)
    {
      self->after_key = FALSE;
      return;
    }
  if (self->depth == 0)
    return;

  if (self->has_elements[self->depth - 1])
    g_string_append_c (self->buffer, ',');
  if (self->lines[self->depth - 1])
    g_string_append_c (self->buffer, '\n');
  self->has_elements[self->depth - 1] = TRUE;
}

static void
open_container (TlJsonWriter *self,
                char          c,
                gboolean      is_array,
                gboolean      lines)
{
  value_prefix (self);
  g_string_append_c (self->buffer, c);
  g_assert (self->depth < MAX_DEPTH);
  self->has_elements[self->depth] = FALSE;
  self->is_array[self->depth] = is_array;
  self->lines[self->depth] = lines;
  self->depth++;
}

static void
close_container (TlJsonWriter *self,
                 char          c)
{
  g_assert (self->depth > 0);
  self->depth--;
  if (self->lines[self->depth] && self->has_elements[self->depth])
    g_string_append_c (self->buffer, '\n');
  g_string_append_c (self->buffer, c);
  maybe_flush (self);
}

void
tl_json_writer_begin_object (TlJsonWriter *self)
{
  open_container (self, '{', FALSE, FALSE);
}

void
tl_json_writer_end_object (TlJsonWriter *self)
{
  close_container (self, '}');
}

void
tl_json_writer_begin_array (TlJsonWriter *self,
                            gboolean      lines)
{
  open_container (self, '[', TRUE, lines);
}

void
tl_json_writer_end_array (TlJsonWriter *self)
{
  close_container (self, ']');
}

void
tl_json_writer_key (TlJsonWriter *self,
                    const char   *key)
{
  g_assert (self->depth > 0 && !self->is_array[self->depth - 1]);

  value_prefix (self);
  g_string_append_c (self->buffer, '"');
  g_string_append (self->buffer, key);
  g_string_append (self->buffer, "\":");
  self->after_key = TRUE;
}

void
tl_json_append_escaped (GString    *out,
                        const char *str)
{
  const char *p = str;

  g_string_append_c (out, '"');
  while (*p != '\0')
    {
      guchar c = (guchar) *p;

      if (c < 0x80)
        {
          switch (c)
            {
            case '"':  g_string_append (out, "\\\""); break;
            case '\\': g_string_append (out, "\\\\"); break;
            case '\b': g_string_append (out, "\\b"); break;
            case '\f': g_string_append (out, "\\f"); break;
            case '\n': g_string_append (out, "\\n"); break;
            case '\r': g_string_append (out, "\\r"); break;
            case '\t': g_string_append (out, "\\t"); break;
            default:
              if (c < 0x20 || c == 0x7f)
                g_string_append_printf (out, "\\u%04x", c);
              else
                g_string_append_c (out, (char) c);
              break;
            }
          p++;
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (p, -1);

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              /* Messages can carry bytes from the network or the system;
               * the document must stay valid JSON whatever they hold. */
              g_string_append (out, "\\ufffd");
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              /* Line and paragraph separators break JavaScript readers. */
              if (ch == 0x2028 || ch == 0x2029)
                g_string_append_printf (out, "\\u%04x", ch);
              else
                g_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

void
tl_json_writer_string (TlJsonWriter *self,
                       const char   *str)
{
  if (str == NULL)
    {
      tl_json_writer_null (self);
      return;
    }

  value_prefix (self);
  tl_json_append_escaped (self->buffer, str);
  maybe_flush (self);
}

void
tl_json_writer_int (TlJsonWriter *self,
                    gint64        value)
{
  value_prefix (self);
  g_string_append_printf (self->buffer, "%" G_GINT64_FORMAT, value);
}

void
tl_json_writer_int_or_null (TlJsonWriter *self,
                            gint64        value)
{
  if (value < 0)
    tl_json_writer_null (self);
  else
    tl_json_writer_int (self, value);
}

void
tl_json_writer_double (TlJsonWriter *self,
                       double        value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      tl_json_writer_null (self);
      return;
    }

  value_prefix (self);
  g_string_append (self->buffer, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

void
tl_json_writer_boolean (TlJsonWriter *self,
                        gboolean      value)
{
  value_prefix (self);
  g_string_append (self->buffer, value ? "true" : "false");
}

void
tl_json_writer_null (TlJsonWriter *self)
{
  value_prefix (self);
  g_string_append (self->buffer, "null");
}

void
tl_json_writer_raw (TlJsonWriter *self,
                    const char   *data,
                    gssize        length)
{
  if (length < 0)
    g_string_append (self->buffer, data);
  else
    g_string_append_len (self->buffer, data, length);
  maybe_flush (self);
}
