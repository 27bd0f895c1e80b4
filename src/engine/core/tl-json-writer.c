/* tl-json-writer.c — a small streaming JSON writer for the exporters
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exporters write documents of any size (a million task instances), so
 * nothing here builds a tree: values go straight into one large buffer
 * (TlOutBuffer) that is handed to the stream in blocks. Strings are copied
 * in runs of plain bytes; only the bytes that need an escape, and bytes
 * above ASCII (validated as UTF-8), take the slow path.
 */
#define G_LOG_DOMAIN "tl-json-writer"

#include "config.h"

#include <math.h>

#include "core/tl-json-writer.h"

#define MAX_DEPTH  32

/* Input bytes escaped per reservation: the worst case writes 6 bytes
 * ("\u001f", "\ufffd") for each input byte, plus a character of up to 4
 * bytes started just before the end of the part. */
#define ESCAPE_PART ((TL_OUT_BUFFER_MAX_RESERVE - 16) / 6)

struct _TlJsonWriter
{
  TlOutBuffer   *out;
  guint          depth;
  gboolean       after_key;
  /* Per open container: has it got an element yet, is it an array, does
   * it put elements on their own lines. */
  gboolean       has_elements[MAX_DEPTH];
  gboolean       is_array[MAX_DEPTH];
  gboolean       lines[MAX_DEPTH];
};

/* 1 for the bytes a JSON string holds as they are. */
static const guint8 plain_byte[256] = {
  [0x20] = 1, [0x21] = 1, /* 0x22 '"' */ [0x23] = 1, [0x24] = 1, [0x25] = 1,
  [0x26] = 1, [0x27] = 1, [0x28] = 1, [0x29] = 1, [0x2a] = 1, [0x2b] = 1,
  [0x2c] = 1, [0x2d] = 1, [0x2e] = 1, [0x2f] = 1, [0x30] = 1, [0x31] = 1,
  [0x32] = 1, [0x33] = 1, [0x34] = 1, [0x35] = 1, [0x36] = 1, [0x37] = 1,
  [0x38] = 1, [0x39] = 1, [0x3a] = 1, [0x3b] = 1, [0x3c] = 1, [0x3d] = 1,
  [0x3e] = 1, [0x3f] = 1, [0x40] = 1, [0x41] = 1, [0x42] = 1, [0x43] = 1,
  [0x44] = 1, [0x45] = 1, [0x46] = 1, [0x47] = 1, [0x48] = 1, [0x49] = 1,
  [0x4a] = 1, [0x4b] = 1, [0x4c] = 1, [0x4d] = 1, [0x4e] = 1, [0x4f] = 1,
  [0x50] = 1, [0x51] = 1, [0x52] = 1, [0x53] = 1, [0x54] = 1, [0x55] = 1,
  [0x56] = 1, [0x57] = 1, [0x58] = 1, [0x59] = 1, [0x5a] = 1, [0x5b] = 1,
  /* 0x5c '\\' */ [0x5d] = 1, [0x5e] = 1, [0x5f] = 1, [0x60] = 1, [0x61] = 1,
  [0x62] = 1, [0x63] = 1, [0x64] = 1, [0x65] = 1, [0x66] = 1, [0x67] = 1,
  [0x68] = 1, [0x69] = 1, [0x6a] = 1, [0x6b] = 1, [0x6c] = 1, [0x6d] = 1,
  [0x6e] = 1, [0x6f] = 1, [0x70] = 1, [0x71] = 1, [0x72] = 1, [0x73] = 1,
  [0x74] = 1, [0x75] = 1, [0x76] = 1, [0x77] = 1, [0x78] = 1, [0x79] = 1,
  [0x7a] = 1, [0x7b] = 1, [0x7c] = 1, [0x7d] = 1, [0x7e] = 1,
  /* 0x7f and everything above ASCII: slow path. */
};

static char *
write_unicode_escape (char     *dst,
                      gunichar  ch)
{
  static const char hex[] = "0123456789abcdef";

  dst[0] = '\\';
  dst[1] = 'u';
  dst[2] = hex[(ch >> 12) & 0xf];
  dst[3] = hex[(ch >> 8) & 0xf];
  dst[4] = hex[(ch >> 4) & 0xf];
  dst[5] = hex[ch & 0xf];
  return dst + 6;
}

/* Escapes the characters of @p that start before @stop into @dst (room
 * for 6 bytes per input byte plus 4); returns the end of the output and
 * sets @next to the first character not written. */
static char *
escape_part (char        *dst,
             const char  *p,
             const char  *stop,
             const char **next)
{
  while (p < stop)
    {
      const char *run = p;
      guchar c;

      while (p < stop && plain_byte[(guchar) *p])
        p++;
      memcpy (dst, run, (gsize) (p - run));
      dst += p - run;
      if (p >= stop)
        break;

      c = (guchar) *p;
      if (c < 0x80)
        {
          switch (c)
            {
            case '"':  *dst++ = '\\'; *dst++ = '"'; break;
            case '\\': *dst++ = '\\'; *dst++ = '\\'; break;
            case '\b': *dst++ = '\\'; *dst++ = 'b'; break;
            case '\f': *dst++ = '\\'; *dst++ = 'f'; break;
            case '\n': *dst++ = '\\'; *dst++ = 'n'; break;
            case '\r': *dst++ = '\\'; *dst++ = 'r'; break;
            case '\t': *dst++ = '\\'; *dst++ = 't'; break;
            default:   dst = write_unicode_escape (dst, c); break;
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
              dst = write_unicode_escape (dst, 0xfffd);
              p++;
            }
          else
            {
              const char *after = g_utf8_next_char (p);

              /* Line and paragraph separators break JavaScript readers. */
              if (ch == 0x2028 || ch == 0x2029)
                dst = write_unicode_escape (dst, ch);
              else
                {
                  memcpy (dst, p, (gsize) (after - p));
                  dst += after - p;
                }
              p = after;
            }
        }
    }
  *next = p;
  return dst;
}

void
tl_json_write_string (TlOutBuffer *out,
                      const char  *str)
{
  const char *p = str;
  const char *end;

  if (str == NULL)
    {
      tl_out_buffer_append_literal (out, "null");
      return;
    }

  end = p + strlen (p);
  tl_out_buffer_append_c (out, '"');
  while (p < end)
    {
      const char *stop = end - p > ESCAPE_PART ? p + ESCAPE_PART : end;
      char *dst = tl_out_buffer_reserve (out, TL_OUT_BUFFER_MAX_RESERVE);

      tl_out_buffer_commit (out, escape_part (dst, p, stop, &p));
    }
  tl_out_buffer_append_c (out, '"');
}

void
tl_json_append_escaped (GString    *out,
                        const char *str)
{
  gsize len = strlen (str);
  gsize start = out->len;
  const char *next;
  char *end;

  g_string_set_size (out, start + 6 * len + 6);
  out->str[start] = '"';
  end = escape_part (out->str + start + 1, str, str + len, &next);
  *end++ = '"';
  g_string_truncate (out, (gsize) (end - out->str));
}

char *
tl_json_dup_string (const char *str)
{
  GString *out;

  if (str == NULL)
    return g_strdup ("null");
  out = g_string_new (NULL);
  tl_json_append_escaped (out, str);
  return g_string_free (out, FALSE);
}

TlJsonWriter *
tl_json_writer_new (GOutputStream *stream,
                    GCancellable  *cancellable)
{
  TlJsonWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (TlJsonWriter, 1);
  self->out = tl_out_buffer_new (stream, cancellable);
  return self;
}

gboolean
tl_json_writer_finish (TlJsonWriter  *self,
                       GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  ok = tl_out_buffer_finish (self->out, error);
  g_free (self);
  return ok;
}

gboolean
tl_json_writer_has_failed (TlJsonWriter *self)
{
  return tl_out_buffer_has_failed (self->out);
}

/* The separator a new value needs in its container. */
static inline void
value_prefix (TlJsonWriter *self)
{
  guint top;

  if (self->after_key)
    {
      self->after_key = FALSE;
      return;
    }
  if (self->depth == 0)
    return;

  top = self->depth - 1;
  if (self->has_elements[top])
    tl_out_buffer_append_c (self->out, ',');
  if (self->lines[top])
    tl_out_buffer_append_c (self->out, '\n');
  self->has_elements[top] = TRUE;
}

TlOutBuffer *
tl_json_writer_begin_raw_value (TlJsonWriter *self)
{
  value_prefix (self);
  return self->out;
}

static void
open_container (TlJsonWriter *self,
                char          c,
                gboolean      is_array,
                gboolean      lines)
{
  value_prefix (self);
  tl_out_buffer_append_c (self->out, c);
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
    tl_out_buffer_append_c (self->out, '\n');
  tl_out_buffer_append_c (self->out, c);
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
  tl_out_buffer_append_c (self->out, '"');
  tl_out_buffer_append_str (self->out, key);
  tl_out_buffer_append (self->out, "\":", 2);
  self->after_key = TRUE;
}

void
tl_json_writer_string (TlJsonWriter *self,
                       const char   *str)
{
  value_prefix (self);
  tl_json_write_string (self->out, str);
}

void
tl_json_writer_int (TlJsonWriter *self,
                    gint64        value)
{
  value_prefix (self);
  tl_out_buffer_append_int (self->out, value);
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
  tl_out_buffer_append_str (self->out, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

void
tl_json_writer_boolean (TlJsonWriter *self,
                        gboolean      value)
{
  value_prefix (self);
  if (value)
    tl_out_buffer_append_literal (self->out, "true");
  else
    tl_out_buffer_append_literal (self->out, "false");
}

void
tl_json_writer_null (TlJsonWriter *self)
{
  value_prefix (self);
  tl_out_buffer_append_literal (self->out, "null");
}

void
tl_json_writer_raw (TlJsonWriter *self,
                    const char   *data,
                    gssize        length)
{
  if (length < 0)
    tl_out_buffer_append_str (self->out, data);
  else
    tl_out_buffer_append (self->out, data, (gsize) length);
}
