/* tl-run-file.c — a run recorded in a .tasklanes-run file, and read back
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (docs/run-file.md): a 16-byte header that is not compressed —
 * the signature and the format number, so a newer file is recognised and
 * refused without decompressing anything — then one gzip stream of
 * chunks, each a four-letter tag, a 64-bit length and its content, all
 * numbers little-endian. Known chunks come in a fixed order; a reader
 * skips chunks it does not know, so later versions can add to a format
 * without breaking older readers.
 *
 * The reader trusts nothing: every count is checked against the chunk's
 * length before anything is allocated, and every reference (a parent, a
 * task of the preset, a cause, a warning) is checked before the trace is
 * built, so a damaged file gives a message and never a trace that would
 * make an exporter read out of bounds.
 */
#define G_LOG_DOMAIN "tl-run-file"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "export/tl-export.h"
#include "preset/tl-preset.h"
#include "record/tl-run-file.h"
#include "trace/tl-trace-private.h"

static const guint8 signature[8] = { 0x89, 'T', 'L', 'R', 'U', 'N', '\r', '\n' };
#define HEADER_SIZE 16

#define TAG(a, b, c, d) ((guint32) (a) | ((guint32) (b) << 8) | ((guint32) (c) << 16) | ((guint32) (d) << 24))
#define TAG_INFO TAG ('I', 'N', 'F', 'O')
#define TAG_SRC  TAG ('S', 'R', 'C', ' ')
#define TAG_INST TAG ('I', 'N', 'S', 'T')
#define TAG_WARN TAG ('W', 'A', 'R', 'N')
#define TAG_SECT TAG ('S', 'E', 'C', 'T')
#define TAG_CPU  TAG ('C', 'P', 'U', ' ')   /* optional, after SECT */
#define TAG_EVNT TAG ('E', 'V', 'N', 'T')
#define TAG_TOTL TAG ('T', 'O', 'T', 'L')
#define TAG_END  TAG ('E', 'N', 'D', ' ')

#define NULL_STRING  G_MAXUINT32
#define EVENT_SIZE   24u
/* The smallest instance record: fixed fields, two absent strings, no HTTP. */
#define MIN_INSTANCE_SIZE (28u + 48u + 2u + 4u + 4u + 1u)

G_DEFINE_QUARK (tl-run-file-error-quark, tl_run_file_error)

/* --- run info --- */

TlRunInfo *
tl_run_info_new_now (gboolean virtual_time)
{
  TlRunInfo *info = g_new0 (TlRunInfo, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  info->generator = g_strdup ("tasklanes " PACKAGE_VERSION);
  info->date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  info->cores = g_get_num_processors ();
  info->clock = g_strdup (virtual_time ? "virtual" : "real");
  info->kind = g_strdup ("preset");
  return info;
}

TlRunInfo *
tl_run_info_copy (const TlRunInfo *info)
{
  TlRunInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (TlRunInfo, 1);
  copy->generator = g_strdup (info->generator);
  copy->date = g_strdup (info->date);
  copy->cores = info->cores;
  copy->clock = g_strdup (info->clock);
  copy->python = g_strdup (info->python);
  copy->kind = g_strdup (info->kind);
  return copy;
}

void
tl_run_info_free (TlRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->generator);
  g_free (info->date);
  g_free (info->clock);
  g_free (info->python);
  g_free (info->kind);
  g_free (info);
}

/* --- writing --- */

typedef struct {
  GOutputStream *stream;
  GCancellable  *cancellable;
  GByteArray    *buffer;
  gboolean       measuring;    /* only count what would be written */
  guint64        counted;
  GError        *error;
} Writer;

static void
writer_flush (Writer *w)
{
  if (w->error == NULL && w->buffer->len > 0)
    g_output_stream_write_all (w->stream, w->buffer->data, w->buffer->len, NULL,
                               w->cancellable, &w->error);
  g_byte_array_set_size (w->buffer, 0);
}

static void
put_bytes (Writer     *w,
           const void *data,
           gsize       length)
{
  if (w->measuring)
    {
      w->counted += length;
      return;
    }
  g_byte_array_append (w->buffer, data, length);
  if (w->buffer->len >= 64 * 1024)
    writer_flush (w);
}

static void
put_u8 (Writer *w,
        guint8  v)
{
  put_bytes (w, &v, 1);
}

static void
put_u16 (Writer  *w,
         guint16  v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  put_bytes (w, b, 2);
}

static void
put_u32 (Writer  *w,
         guint32  v)
{
  guint8 b[4];

  for (guint i = 0; i < 4; i++)
    b[i] = (v >> (8 * i)) & 0xff;
  put_bytes (w, b, 4);
}

static void
put_u64 (Writer  *w,
         guint64  v)
{
  guint8 b[8];

  for (guint i = 0; i < 8; i++)
    b[i] = (v >> (8 * i)) & 0xff;
  put_bytes (w, b, 8);
}

static void
put_i64 (Writer *w,
         gint64  v)
{
  put_u64 (w, (guint64) v);
}

static void
put_string (Writer     *w,
            const char *str)
{
  gsize length;

  if (str == NULL)
    {
      put_u32 (w, NULL_STRING);
      return;
    }
  length = strlen (str);
  put_u32 (w, (guint32) MIN (length, G_MAXUINT32 - 1));
  put_bytes (w, str, MIN (length, G_MAXUINT32 - 1));
}

typedef void (*ChunkBody) (Writer *w, gpointer data);

/* Measures the body first, so the length comes before the content and
 * the body is still written as a stream. */
static void
put_chunk (Writer    *w,
           guint32    tag,
           ChunkBody  body,
           gpointer   data)
{
  w->measuring = TRUE;
  w->counted = 0;
  if (body != NULL)
    body (w, data);
  w->measuring = FALSE;

  put_u32 (w, tag);
  put_u64 (w, w->counted);
  if (body != NULL)
    body (w, data);
}

typedef struct {
  TlTrace         *trace;
  const TlRunInfo *info;
} WriteData;

static void
info_body (Writer   *w,
           gpointer  user_data)
{
  WriteData *d = user_data;
  TlPreset *preset = tl_trace_get_preset (d->trace);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *text = NULL;
  gsize length;

  g_key_file_set_integer (key_file, "Run", "Format", TL_RUN_FILE_FORMAT);
  g_key_file_set_string (key_file, "Run", "Generator", d->info->generator != NULL ? d->info->generator : "");
  if (d->info->date != NULL)
    g_key_file_set_string (key_file, "Run", "Date", d->info->date);
  g_key_file_set_uint64 (key_file, "Run", "Cores", d->info->cores);
  if (d->info->clock != NULL)
    g_key_file_set_string (key_file, "Run", "Clock", d->info->clock);
  if (d->info->python != NULL)
    g_key_file_set_string (key_file, "Run", "Python", d->info->python);
  g_key_file_set_string (key_file, "Source", "Kind", d->info->kind != NULL ? d->info->kind : "preset");
  g_key_file_set_string (key_file, "Source", "File", preset->file != NULL ? preset->file : "");
  if (preset->builtin_name != NULL)
    g_key_file_set_string (key_file, "Source", "Builtin", preset->builtin_name);

  text = g_key_file_to_data (key_file, &length, NULL);
  put_bytes (w, text, length);
}

static void
source_body (Writer   *w,
             gpointer  user_data)
{
  WriteData *d = user_data;
  TlPreset *preset = tl_trace_get_preset (d->trace);

  if (preset->text != NULL)
    put_bytes (w, preset->text, strlen (preset->text));
}

static void
instances_body (Writer   *w,
                gpointer  user_data)
{
  WriteData *d = user_data;
  guint n = tl_trace_get_n_instances (d->trace);

  put_u32 (w, n);
  for (guint32 id = 0; id < n && w->error == NULL; id++)
    {
      const TlInstance *i = tl_trace_get_instance (d->trace, id);
      const TlOutcome *o = tl_trace_get_outcome (d->trace, id);
      const TlHttpDetails *http = tl_trace_get_http (d->trace, id);

      put_u32 (w, i->parent);
      put_u32 (w, i->spec);
      put_u32 (w, i->copy);
      put_u16 (w, i->section);
      put_u8 (w, i->kind);
      put_u8 (w, i->on);
      put_u16 (w, i->depth);
      put_u16 (w, i->flags);
      put_u32 (w, i->created_seq);
      put_u32 (w, 0);  /* reserved */

      put_i64 (w, o->created_us);
      put_i64 (w, o->queued_us);
      put_i64 (w, o->started_us);
      put_i64 (w, o->finished_us);
      put_i64 (w, o->deadline_us);
      put_u32 (w, o->cause_instance);
      put_u32 (w, 0);  /* reserved */
      put_u8 (w, o->state);
      put_u8 (w, o->cause);

      put_string (w, tl_trace_get_result (d->trace, id));
      put_string (w, tl_trace_get_error (d->trace, id));

      put_u8 (w, http != NULL);
      if (http != NULL)
        {
          put_u32 (w, http->status);
          put_string (w, http->reason);
          put_string (w, http->url);
          put_i64 (w, http->bytes);
          put_i64 (w, http->request_bytes);
          put_i64 (w, http->fetch_start_us);
          put_i64 (w, http->dns_start_us);
          put_i64 (w, http->dns_end_us);
          put_i64 (w, http->connect_start_us);
          put_i64 (w, http->connect_end_us);
          put_i64 (w, http->tls_start_us);
          put_i64 (w, http->tls_end_us);
          put_i64 (w, http->request_start_us);
          put_i64 (w, http->request_end_us);
          put_i64 (w, http->first_byte_us);
          put_i64 (w, http->end_us);
          put_u8 (w, http->connection_reused != FALSE);
        }
    }
}

static void
warnings_body (Writer   *w,
               gpointer  user_data)
{
  WriteData *d = user_data;
  guint n = tl_trace_get_n_warnings (d->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlWarning *warning = tl_trace_get_warning (d->trace, i);

      put_u32 (w, warning->instance);
      put_u8 (w, warning->code);
      put_string (w, warning->message);
    }
}

static void
sections_body (Writer   *w,
               gpointer  user_data)
{
  WriteData *d = user_data;
  guint n = tl_trace_get_n_sections (d->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlSection *s = tl_trace_get_section (d->trace, i);

      put_i64 (w, s->start_us);
      put_i64 (w, s->end_us);
      put_u32 (w, s->root);
      put_u8 (w, s->state);
    }
}

/* What the machine gave each section (TlSection's cpu_* fields): a chunk
 * of its own, so readers that predate it skip it. */
static void
cpu_body (Writer   *w,
          gpointer  user_data)
{
  WriteData *d = user_data;
  guint n = tl_trace_get_n_sections (d->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlSection *s = tl_trace_get_section (d->trace, i);

      put_u8 (w, s->cpu_measured ? 1 : 0);
      put_u32 (w, s->cpu_cores);
      put_i64 (w, s->cpu_process_us);
      put_i64 (w, s->cpu_pressure_us);
    }
}

static void
events_body (Writer   *w,
             gpointer  user_data)
{
  WriteData *d = user_data;
  guint n = tl_trace_get_n_events (d->trace);

  if (w->measuring)
    {
      /* Fixed size: no need to walk a few million events twice. */
      w->counted += 8 + (guint64) n * EVENT_SIZE;
      return;
    }

  put_u64 (w, n);
  for (guint i = 0; i < n && w->error == NULL; i++)
    {
      const TlEvent *e = tl_trace_get_event (d->trace, i);

      put_i64 (w, e->time_us);
      put_i64 (w, e->value);
      put_u32 (w, e->instance);
      put_u8 (w, e->type);
      put_u8 (w, e->a);
      put_u16 (w, e->b);
    }
}

static void
totals_body (Writer   *w,
             gpointer  user_data)
{
  WriteData *d = user_data;

  put_i64 (w, tl_trace_get_end_us (d->trace));
  put_i64 (w, tl_trace_get_max_loop_lag_us (d->trace));
  put_u8 (w, tl_trace_was_stopped (d->trace) != FALSE);
}

gboolean
tl_run_file_write (TlTrace          *trace,
                   const TlRunInfo  *info,
                   GOutputStream    *stream,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(TlRunInfo) own_info = NULL;
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) gzip = NULL;
  guint8 header[HEADER_SIZE] = { 0 };
  Writer w = { 0 };
  WriteData d;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (tl_trace_is_complete (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A Python program's trace names its tasks itself rather than through
   * a preset; format 1 has no place for those names, and a file that
   * could not be opened again must not be written. */
  if (tl_trace_is_open (trace))
    {
      g_set_error_literal (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_SOURCE,
                           _("runs of Python programs cannot be saved as run files by this version of Tasklanes"));
      return FALSE;
    }

  if (info == NULL)
    info = own_info = tl_run_info_new_now (FALSE);

  memcpy (header, signature, sizeof signature);
  header[8] = TL_RUN_FILE_FORMAT & 0xff;
  header[9] = (TL_RUN_FILE_FORMAT >> 8) & 0xff;
  if (!g_output_stream_write_all (stream, header, sizeof header, NULL, cancellable, error))
    return FALSE;

  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  gzip = g_converter_output_stream_new (stream, G_CONVERTER (compressor));
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (gzip), FALSE);

  w.stream = gzip;
  w.cancellable = cancellable;
  w.buffer = g_byte_array_sized_new (80 * 1024);
  d.trace = trace;
  d.info = info;

  put_chunk (&w, TAG_INFO, info_body, &d);
  put_chunk (&w, TAG_SRC, source_body, &d);
  put_chunk (&w, TAG_INST, instances_body, &d);
  put_chunk (&w, TAG_WARN, warnings_body, &d);
  put_chunk (&w, TAG_SECT, sections_body, &d);
  put_chunk (&w, TAG_CPU, cpu_body, &d);
  put_chunk (&w, TAG_EVNT, events_body, &d);
  put_chunk (&w, TAG_TOTL, totals_body, &d);
  put_chunk (&w, TAG_END, NULL, NULL);
  writer_flush (&w);
  g_byte_array_unref (w.buffer);

  if (w.error == NULL)
    g_output_stream_close (gzip, cancellable, &w.error);
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_cb (TlTrace        *trace,
         GOutputStream  *stream,
         gpointer        user_data,
         GCancellable   *cancellable,
         GError        **error)
{
  return tl_run_file_write (trace, user_data, stream, cancellable, error);
}

gboolean
tl_run_file_save (TlTrace          *trace,
                  const TlRunInfo  *info,
                  const char       *path,
                  GError          **error)
{
  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return tl_export_to_path_full (trace, save_cb, (gpointer) info, path, error);
}

/* --- reading --- */

typedef struct {
  GInputStream *stream;
  GCancellable *cancellable;
  const char   *display;
  guint8        buffer[64 * 1024];
  gsize         pos;
  gsize         len;
  guint64       offset;       /* of buffer[pos] in the uncompressed data */
  guint64       chunk_end;    /* offset where the current chunk ends */
  const char   *where;        /* the chunk being read, for messages */
  GError       *error;
} Reader;

static void
damaged (Reader     *r,
         const char *message)
{
  g_autofree char *offset = NULL;

  if (r->error != NULL)
    return;
  /* The number is formatted apart, so xgettext sees the whole msgid. */
  offset = g_strdup_printf ("%" G_GUINT64_FORMAT, r->offset);
  g_set_error (&r->error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED,
               /* Translators: FILE: the run file is damaged: WHAT (in its PART, at byte N of the recording) */
               _("%s: the run file is damaged: %s (in its %s, at byte %s of the recording)"),
               r->display, message, r->where, offset);
}

static gboolean
fill (Reader *r)
{
  GError *local_error = NULL;
  gssize n;

  if (r->error != NULL)
    return FALSE;
  n = g_input_stream_read (r->stream, r->buffer, sizeof r->buffer, r->cancellable, &local_error);
  if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      /* The compressed stream stops in the middle. */
      g_error_free (local_error);
      damaged (r, _("the file ends too early; it was cut short"));
      return FALSE;
    }
  if (n < 0)
    {
      g_autofree char *message = g_strdup_printf (_("the compressed data cannot be read (%s)"), local_error->message);

      damaged (r, message);
      g_error_free (local_error);
      return FALSE;
    }
  if (n == 0)
    {
      damaged (r, _("the file ends too early; it was cut short"));
      return FALSE;
    }
  r->pos = 0;
  r->len = (gsize) n;
  return TRUE;
}

/* Copies @length bytes; checked against the current chunk's end. */
static gboolean
get_bytes (Reader *r,
           void   *data,
           gsize   length)
{
  guint8 *out = data;

  if (r->error != NULL)
    return FALSE;
  if (r->offset + length > r->chunk_end)
    {
      damaged (r, _("a value runs past the end of its part"));
      return FALSE;
    }
  while (length > 0)
    {
      gsize n;

      if (r->pos == r->len && !fill (r))
        return FALSE;
      n = MIN (length, r->len - r->pos);
      if (out != NULL)
        {
          memcpy (out, r->buffer + r->pos, n);
          out += n;
        }
      r->pos += n;
      r->offset += n;
      length -= n;
    }
  return TRUE;
}

static guint64
get_le (Reader *r,
        guint   size)
{
  guint8 b[8] = { 0 };
  guint64 v = 0;

  if (!get_bytes (r, b, size))
    return 0;
  for (guint i = 0; i < size; i++)
    v |= (guint64) b[i] << (8 * i);
  return v;
}

#define get_u8(r)  ((guint8) get_le ((r), 1))
#define get_u16(r) ((guint16) get_le ((r), 2))
#define get_u32(r) ((guint32) get_le ((r), 4))
#define get_u64(r) (get_le ((r), 8))
#define get_i64(r) ((gint64) get_le ((r), 8))

static guint64
chunk_left (Reader *r)
{
  return r->chunk_end - r->offset;
}

/* NULL for an absent string; also NULL (and an error) when damaged. */
static char *
get_string (Reader   *r,
            gboolean *present)
{
  guint32 length = get_u32 (r);
  char *str;

  *present = FALSE;
  if (r->error != NULL || length == NULL_STRING)
    return NULL;
  if (length > chunk_left (r))
    {
      damaged (r, _("a text runs past the end of its part"));
      return NULL;
    }
  str = g_malloc (length + 1);
  if (!get_bytes (r, str, length))
    {
      g_free (str);
      return NULL;
    }
  str[length] = '\0';
  if (strlen (str) != length || !g_utf8_validate (str, length, NULL))
    {
      g_free (str);
      damaged (r, _("a text is not valid UTF-8"));
      return NULL;
    }
  *present = TRUE;
  return str;
}

typedef struct {
  guint32  tag;
  guint64  length;
} ChunkHeader;

static const char *
chunk_name (guint32 tag)
{
  switch (tag)
    {
    case TAG_INFO: return _("run details");
    case TAG_SRC:  return _("recorded preset");
    case TAG_INST: return _("task instances");
    case TAG_WARN: return _("warnings");
    case TAG_SECT: return _("sections");
    case TAG_CPU:  return _("processor measurements");
    case TAG_EVNT: return _("events");
    case TAG_TOTL: return _("totals");
    case TAG_END:  return _("end mark");
    default:       return _("unknown part");
    }
}

static gboolean
tag_is_known (guint32 tag)
{
  return tag == TAG_INFO || tag == TAG_SRC || tag == TAG_INST || tag == TAG_WARN ||
         tag == TAG_SECT || tag == TAG_CPU || tag == TAG_EVNT || tag == TAG_TOTL || tag == TAG_END;
}

/* The next chunk whose tag is known; unknown ones (added by a later
 * version of this format) are skipped. */
static gboolean
next_chunk (Reader      *r,
            ChunkHeader *chunk)
{
  for (;;)
    {
      r->where = _("part header");
      r->chunk_end = r->offset + 12;
      chunk->tag = get_u32 (r);
      chunk->length = get_u64 (r);
      if (r->error != NULL)
        return FALSE;
      if (chunk->length > G_MAXUINT64 - r->offset)
        {
          damaged (r, _("a part claims an impossible length"));
          return FALSE;
        }
      r->chunk_end = r->offset + chunk->length;
      r->where = chunk_name (chunk->tag);
      if (tag_is_known (chunk->tag))
        return TRUE;
      if (!get_bytes (r, NULL, chunk->length))
        return FALSE;
    }
}

static gboolean
expect_chunk (Reader      *r,
              ChunkHeader *chunk,
              guint32      tag)
{
  if (!next_chunk (r, chunk))
    return FALSE;
  if (chunk->tag != tag)
    {
      g_autofree char *message = g_strdup_printf (_("found its %s where its %s should be"),
                                                  chunk_name (chunk->tag), chunk_name (tag));
      damaged (r, message);
      return FALSE;
    }
  return TRUE;
}

/* Every byte of a known chunk must have been used. */
static gboolean
end_chunk (Reader *r)
{
  if (r->error != NULL)
    return FALSE;
  if (r->offset != r->chunk_end)
    {
      damaged (r, _("a part is longer than its content"));
      return FALSE;
    }
  return TRUE;
}

static char *
read_text_chunk (Reader            *r,
                 const ChunkHeader *chunk,
                 gsize             *length,
                 gsize              limit)
{
  g_autofree char *text = NULL;

  if (chunk->length > limit)
    {
      damaged (r, _("it is too large"));
      return NULL;
    }
  text = g_malloc ((gsize) chunk->length + 1);
  if (!get_bytes (r, text, (gsize) chunk->length))
    return NULL;
  text[chunk->length] = '\0';
  if (strlen (text) != chunk->length || !g_utf8_validate (text, (gssize) chunk->length, NULL))
    {
      damaged (r, _("its text is not valid UTF-8"));
      return NULL;
    }
  *length = (gsize) chunk->length;
  return g_steal_pointer (&text);
}

static TlRunInfo *
parse_info (Reader      *r,
            const char  *text,
            gsize        length,
            char       **file,
            char       **builtin)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TlRunInfo) info = g_new0 (TlRunInfo, 1);
  gint64 format;

  if (!g_key_file_load_from_data (key_file, text, length, G_KEY_FILE_NONE, &local_error))
    {
      damaged (r, local_error->message);
      return NULL;
    }

  format = g_key_file_get_int64 (key_file, "Run", "Format", NULL);
  if (format != TL_RUN_FILE_FORMAT)
    {
      damaged (r, _("its format number differs from the file’s header"));
      return NULL;
    }

  info->generator = g_key_file_get_string (key_file, "Run", "Generator", NULL);
  info->date = g_key_file_get_string (key_file, "Run", "Date", NULL);
  info->cores = (guint) MIN (g_key_file_get_uint64 (key_file, "Run", "Cores", NULL), G_MAXUINT);
  info->clock = g_key_file_get_string (key_file, "Run", "Clock", NULL);
  info->python = g_key_file_get_string (key_file, "Run", "Python", NULL);
  info->kind = g_key_file_get_string (key_file, "Source", "Kind", NULL);
  *file = g_key_file_get_string (key_file, "Source", "File", NULL);
  *builtin = g_key_file_get_string (key_file, "Source", "Builtin", NULL);

  if (info->kind == NULL || *file == NULL || **file == '\0')
    {
      damaged (r, _("it does not say what ran"));
      return NULL;
    }
  if (strcmp (info->kind, "preset") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("it recorded a “%s”, which this version cannot show"), info->kind);
      damaged (r, message);
      return NULL;
    }

  return g_steal_pointer (&info);
}

static gboolean
is_instance_ref (guint64 value,
                 guint   n_instances)
{
  return value < n_instances;
}

static gboolean
read_instances (Reader  *r,
                TlTrace *trace)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if ((guint64) n * MIN_INSTANCE_SIZE > chunk_left (r))
    {
      damaged (r, _("it counts more instances than it holds"));
      return FALSE;
    }

  for (guint32 id = 0; id < n; id++)
    {
      TlInstance i = { 0 };
      TlOutcome o = { 0 };
      g_autofree char *result = NULL;
      g_autofree char *error_message = NULL;
      gboolean has_result, has_error;

      i.parent = get_u32 (r);
      i.spec = get_u32 (r);
      i.copy = get_u32 (r);
      i.section = get_u16 (r);
      i.kind = get_u8 (r);
      i.on = get_u8 (r);
      i.depth = get_u16 (r);
      i.flags = get_u16 (r);
      i.created_seq = get_u32 (r);
      (void) get_u32 (r);

      o.created_us = get_i64 (r);
      o.queued_us = get_i64 (r);
      o.started_us = get_i64 (r);
      o.finished_us = get_i64 (r);
      o.deadline_us = get_i64 (r);
      o.cause_instance = get_u32 (r);
      (void) get_u32 (r);
      o.state = get_u8 (r);
      o.cause = get_u8 (r);
      if (r->error != NULL)
        return FALSE;

      if (i.parent != TL_NO_INSTANCE && i.parent >= id)
        damaged (r, _("an instance names a parent that does not come before it"));
      else if (i.spec >= preset->n_tasks)
        damaged (r, _("an instance names a task the preset does not have"));
      else if (i.kind != preset->tasks[i.spec].kind)
        damaged (r, _("an instance’s kind differs from its task’s"));
      else if (i.copy == 0 || i.section >= preset->n_sections || i.on > TL_ON_PROCESS)
        damaged (r, _("an instance has an impossible copy, section or place"));
      else if (i.depth != (i.parent == TL_NO_INSTANCE ? 0 : tl_trace_get_instance (trace, i.parent)->depth + 1))
        damaged (r, _("an instance’s depth does not match its parent’s"));
      else if (i.parent != TL_NO_INSTANCE && tl_trace_get_instance (trace, i.parent)->section != i.section)
        damaged (r, _("an instance is in another section than its parent"));
      else if (o.state >= TL_N_STATES || o.cause > TL_CAUSE_LAST)
        damaged (r, _("an instance has an unknown state or cause"));
      else if (o.created_us < 0 || o.queued_us < -1 || o.started_us < -1 || o.finished_us < -1 || o.deadline_us < -1)
        damaged (r, _("an instance has a negative time"));
      if (r->error != NULL)
        return FALSE;

      /* Causes may name instances created later: checked at the end. */
      _tl_trace_load_instance (trace, &i, &o);

      result = get_string (r, &has_result);
      error_message = get_string (r, &has_error);
      if (r->error != NULL)
        return FALSE;
      if (has_result)
        tl_trace_set_result (trace, id, result);
      if (has_error)
        tl_trace_set_error (trace, id, error_message);

      switch (get_u8 (r))
        {
        case 0:
          break;
        case 1:
          {
            TlHttpDetails *http = tl_trace_ensure_http (trace, id);
            gboolean present;

            http->status = get_u32 (r);
            http->reason = get_string (r, &present);
            http->url = get_string (r, &present);
            http->bytes = get_i64 (r);
            http->request_bytes = get_i64 (r);
            http->fetch_start_us = get_i64 (r);
            http->dns_start_us = get_i64 (r);
            http->dns_end_us = get_i64 (r);
            http->connect_start_us = get_i64 (r);
            http->connect_end_us = get_i64 (r);
            http->tls_start_us = get_i64 (r);
            http->tls_end_us = get_i64 (r);
            http->request_start_us = get_i64 (r);
            http->request_end_us = get_i64 (r);
            http->first_byte_us = get_i64 (r);
            http->end_us = get_i64 (r);
            http->connection_reused = get_u8 (r) != 0;
            if (http->status > 999)
              damaged (r, _("an HTTP status is not a status code"));
          }
          break;
        default:
          damaged (r, _("an instance has an unknown HTTP mark"));
          break;
        }
      if (r->error != NULL)
        return FALSE;
    }

  for (guint32 id = 0; id < n; id++)
    {
      const TlOutcome *o = tl_trace_get_outcome (trace, id);

      if (o->cause_instance != TL_NO_INSTANCE && o->cause_instance >= n)
        {
          damaged (r, _("an instance names a cause that does not exist"));
          return FALSE;
        }
    }

  return end_chunk (r);
}

static gboolean
read_warnings (Reader  *r,
               TlTrace *trace)
{
  guint n_instances = tl_trace_get_n_instances (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if ((guint64) n * 9 > chunk_left (r))
    {
      damaged (r, _("it counts more warnings than it holds"));
      return FALSE;
    }
  for (guint32 i = 0; i < n; i++)
    {
      guint32 instance = get_u32 (r);
      guint8 code = get_u8 (r);
      gboolean present;
      g_autofree char *message = get_string (r, &present);

      if (r->error != NULL)
        return FALSE;
      if (!is_instance_ref (instance, n_instances) || code >= TL_N_WARNINGS)
        {
          damaged (r, _("a warning names an unknown instance or code"));
          return FALSE;
        }
      _tl_trace_load_warning (trace, instance, code, message);
    }
  return end_chunk (r);
}

static gboolean
read_sections (Reader  *r,
               TlTrace *trace)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  guint n_instances = tl_trace_get_n_instances (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if (n > preset->n_sections)
    {
      damaged (r, _("it holds more sections than the preset runs"));
      return FALSE;
    }
  for (guint32 i = 0; i < n; i++)
    {
      /* A run file keeps no CPU measurement: a replay judges nothing. */
      TlSection s = { .cpu_measured = FALSE, .cpu_pressure_us = -1 };

      s.start_us = get_i64 (r);
      s.end_us = get_i64 (r);
      s.root = get_u32 (r);
      s.state = get_u8 (r);
      if (r->error != NULL)
        return FALSE;
      if (!is_instance_ref (s.root, n_instances) || s.state >= TL_N_STATES ||
          tl_trace_get_instance (trace, s.root)->parent != TL_NO_INSTANCE ||
          tl_trace_get_instance (trace, s.root)->section != i ||
          s.start_us < 0 || s.end_us < -1)
        {
          damaged (r, _("a section names an unknown root or has impossible times"));
          return FALSE;
        }
      _tl_trace_load_section (trace, i, &s);
    }
  return end_chunk (r);
}

static gboolean
read_cpu (Reader  *r,
          TlTrace *trace)
{
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if (n > tl_trace_get_n_sections (trace))
    {
      damaged (r, _("it measures more sections than it holds"));
      return FALSE;
    }
  for (guint32 i = 0; i < n; i++)
    {
      guint8 measured = get_u8 (r);
      guint32 cores = get_u32 (r);
      gint64 process_us = get_i64 (r);
      gint64 pressure_us = get_i64 (r);

      if (r->error != NULL)
        return FALSE;
      if (measured > 1 || (measured && cores == 0) || pressure_us < -1 || process_us < -1)
        {
          damaged (r, _("a processor measurement is impossible"));
          return FALSE;
        }
      if (measured)
        tl_trace_set_section_cpu (trace, i, cores, process_us, pressure_us);
    }
  return end_chunk (r);
}

/* The next chunk must be @tag, after the optional processor measurements. */
static gboolean
expect_chunk_after_cpu (Reader      *r,
                        ChunkHeader *chunk,
                        TlTrace     *trace,
                        guint32      tag)
{
  if (!next_chunk (r, chunk))
    return FALSE;
  if (chunk->tag == TAG_CPU && (!read_cpu (r, trace) || !next_chunk (r, chunk)))
    return FALSE;
  if (chunk->tag != tag)
    {
      g_autofree char *message = g_strdup_printf (_("found its %s where its %s should be"),
                                                  chunk_name (chunk->tag), chunk_name (tag));
      damaged (r, message);
      return FALSE;
    }
  return TRUE;
}

/* The references an event holds, as tl-trace.h defines them. */
static const char *
check_event (const TlEvent *e,
             guint          n_instances,
             guint          n_warnings,
             guint          n_sections)
{
  gboolean instance_ok = is_instance_ref (e->instance, n_instances);

  if (e->time_us < 0)
    return _("an event has a negative time");

  switch ((TlEventType) e->type)
    {
    case TL_EVENT_SECTION_START:
    case TL_EVENT_SECTION_END:
      if (!instance_ok || e->value < 0 || e->value >= n_sections)
        return _("a section event names an unknown section");
      return NULL;
    case TL_EVENT_STATE:
      if (!instance_ok || e->a >= TL_N_STATES || e->b > TL_CAUSE_LAST)
        return _("a state event names an unknown instance, state or cause");
      if ((e->a == TL_STATE_CANCELLED || e->a == TL_STATE_TIMED_OUT || e->a == TL_STATE_NEVER_STARTED) &&
          e->value != TL_NO_INSTANCE && !(e->value >= 0 && e->value < n_instances))
        return _("a state event names an unknown cause");
      return NULL;
    case TL_EVENT_DEADLINE:
      if (!instance_ok || e->b > 1 || e->value < 0)
        return _("a deadline event is impossible");
      return NULL;
    case TL_EVENT_TIMEOUT_FIRED:
    case TL_EVENT_ERROR_RAISED:
      if (!instance_ok)
        return _("an event names an unknown instance");
      return NULL;
    case TL_EVENT_SPAWNED:
    case TL_EVENT_RESULT_TAKEN:
      if (!instance_ok || e->value < 0 || e->value >= n_instances)
        return _("an event names an unknown instance");
      return NULL;
    case TL_EVENT_CANCEL_REQUEST:
      if (!instance_ok || e->b > TL_CAUSE_LAST ||
          (e->value != TL_NO_INSTANCE && !(e->value >= 0 && e->value < n_instances)))
        return _("a cancellation event names an unknown instance or cause");
      return NULL;
    case TL_EVENT_WARNING:
      if (!instance_ok || e->a >= TL_N_WARNINGS || e->value < 0 || e->value >= n_warnings)
        return _("a warning event names an unknown warning");
      return NULL;
    case TL_EVENT_LOOP_STALL:
      if ((e->instance != TL_NO_INSTANCE && !instance_ok) || e->value < 0)
        return _("a loop stall names an unknown instance");
      return NULL;
    case TL_EVENT_COUNTER:
      if (e->a >= TL_N_COUNTERS)
        return _("a counter event names an unknown counter");
      return NULL;
    default:
      return _("an event has an unknown type");
    }
}

static gboolean
read_events (Reader  *r,
             TlTrace *trace)
{
  guint n_instances = tl_trace_get_n_instances (trace);
  guint n_warnings = tl_trace_get_n_warnings (trace);
  guint n_sections = tl_trace_get_preset (trace)->n_sections;
  g_autofree gint64 *last_time = NULL;
  guint64 n = get_u64 (r);

  if (r->error != NULL)
    return FALSE;
  if (n > G_MAXINT || n * EVENT_SIZE != chunk_left (r))
    {
      damaged (r, _("its count of events does not match its length"));
      return FALSE;
    }

  /* Each instance's events are in time order (tl-trace.h), and its first
   * is its creation: readers such as the timeline model rely on both. */
  last_time = g_new (gint64, MAX (n_instances, 1));
  for (guint i = 0; i < n_instances; i++)
    last_time[i] = -1;

  for (guint64 k = 0; k < n; k++)
    {
      TlEvent e;
      const char *problem;

      e.time_us = get_i64 (r);
      e.value = get_i64 (r);
      e.instance = get_u32 (r);
      e.type = get_u8 (r);
      e.a = get_u8 (r);
      e.b = get_u16 (r);
      if (r->error != NULL)
        return FALSE;

      problem = check_event (&e, n_instances, n_warnings, n_sections);
      if (problem == NULL && e.type != TL_EVENT_COUNTER && e.instance < n_instances)
        {
          gboolean creation = e.type == TL_EVENT_STATE && e.a == TL_STATE_CREATED;

          if (last_time[e.instance] < 0 && !creation)
            problem = _("an instance has events before its creation");
          else if (e.time_us < last_time[e.instance])
            problem = _("an instance’s events are out of time order");
          else
            last_time[e.instance] = e.time_us;
        }
      if (problem != NULL)
        {
          damaged (r, problem);
          return FALSE;
        }
      _tl_trace_load_event (trace, &e);
    }

  for (guint i = 0; i < n_instances; i++)
    if (last_time[i] < 0)
      {
        damaged (r, _("an instance has no creation event"));
        return FALSE;
      }

  return end_chunk (r);
}

static gboolean
read_totals (Reader  *r,
             TlTrace *trace)
{
  gint64 end_us = get_i64 (r);
  gint64 max_lag_us = get_i64 (r);
  guint8 stopped = get_u8 (r);

  if (r->error != NULL)
    return FALSE;
  if (end_us < 0 || max_lag_us < 0 || stopped > 1)
    {
      damaged (r, _("the totals are impossible"));
      return FALSE;
    }
  if (!end_chunk (r))
    return FALSE;

  _tl_trace_load_totals (trace, end_us, max_lag_us, stopped, TRUE);
  return TRUE;
}

/* The header: signature, then the format number. */
static gboolean
read_header (GInputStream  *stream,
             const char    *display,
             GCancellable  *cancellable,
             GError       **error)
{
  guint8 header[HEADER_SIZE];
  gsize n = 0;
  guint format;

  if (!g_input_stream_read_all (stream, header, sizeof header, &n, cancellable, error))
    return FALSE;

  if (n < sizeof signature || memcmp (header, signature, sizeof signature) != 0)
    {
      g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_NOT_RUN,
                   _("%s: this is not a Tasklanes run file (it does not begin with the run file signature)"),
                   display);
      return FALSE;
    }
  if (n < sizeof header)
    {
      g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED,
                   _("%s: the run file is damaged: it ends inside its header"), display);
      return FALSE;
    }

  format = header[8] | (header[9] << 8);
  if (format > TL_RUN_FILE_FORMAT)
    {
      g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_NEWER,
                   _("%s: this run file has format %u, from a newer Tasklanes; this version reads format %u and older. Update Tasklanes to open it."),
                   display, format, TL_RUN_FILE_FORMAT);
      return FALSE;
    }
  if (format == 0)
    {
      g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED,
                   _("%s: the run file is damaged: its header gives format 0"), display);
      return FALSE;
    }
  return TRUE;
}

TlTrace *
tl_run_file_read (GInputStream  *stream,
                  const char    *display,
                  TlRunInfo    **info_out,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) gunzip = NULL;
  g_autoptr(TlRunInfo) info = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autofree char *file = NULL;
  g_autofree char *builtin = NULL;
  g_autofree Reader *r = NULL;
  ChunkHeader chunk;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_header (stream, display, cancellable, error))
    return NULL;

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  gunzip = g_converter_input_stream_new (stream, G_CONVERTER (decompressor));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (gunzip), FALSE);

  r = g_new0 (Reader, 1);
  r->stream = gunzip;
  r->cancellable = cancellable;
  r->display = display;

  if (expect_chunk (r, &chunk, TAG_INFO))
    {
      gsize length;
      g_autofree char *text = read_text_chunk (r, &chunk, &length, 64 * 1024);

      if (text != NULL && end_chunk (r))
        info = parse_info (r, text, length, &file, &builtin);
    }

  if (info != NULL && expect_chunk (r, &chunk, TAG_SRC))
    {
      gsize length;
      g_autofree char *text = read_text_chunk (r, &chunk, &length, TL_PRESET_MAX_FILE_SIZE);

      if (text != NULL && end_chunk (r))
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *where = g_strdup_printf (_("%s (the recorded %s)"), display, file);

          preset = tl_preset_new_from_recording (text, length, where, file, builtin, &local_error);
          if (preset == NULL)
            {
              g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_SOURCE, "%s", local_error->message);
              return NULL;
            }
          trace = tl_trace_new (preset);
        }
    }

  if (trace != NULL && expect_chunk (r, &chunk, TAG_INST) && read_instances (r, trace) &&
      expect_chunk (r, &chunk, TAG_WARN) && read_warnings (r, trace) &&
      expect_chunk (r, &chunk, TAG_SECT) && read_sections (r, trace) &&
      expect_chunk_after_cpu (r, &chunk, trace, TAG_EVNT) && read_events (r, trace) &&
      expect_chunk (r, &chunk, TAG_TOTL) && read_totals (r, trace) &&
      expect_chunk (r, &chunk, TAG_END) && end_chunk (r))
    {
      /* Read on to the end of the gzip stream so its checksum is
       * verified: nothing may follow the end mark. */
      r->where = chunk_name (TAG_END);
      r->chunk_end = G_MAXUINT64;
      if (r->pos < r->len)
        damaged (r, _("something follows the end mark"));
      else
        {
          GError *local_error = NULL;
          gssize n = g_input_stream_read (gunzip, r->buffer, sizeof r->buffer, cancellable, &local_error);

          if (n < 0)
            {
              g_autofree char *message = g_strdup_printf (_("the compressed data cannot be read (%s)"), local_error->message);
              damaged (r, message);
              g_error_free (local_error);
            }
          else if (n > 0)
            damaged (r, _("something follows the end mark"));
        }
    }

  if (r->error != NULL)
    {
      g_propagate_error (error, r->error);
      return NULL;
    }
  g_assert (trace != NULL && tl_trace_is_complete (trace));

  if (info_out != NULL)
    *info_out = g_steal_pointer (&info);
  return g_steal_pointer (&trace);
}

TlTrace *
tl_run_file_load (const char  *path,
                  TlRunInfo  **info,
                  GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) buffered = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_commandline_arg (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_IO,
                   _("%s: cannot open the run file: %s"), path, local_error->message);
      return NULL;
    }

  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream), 64 * 1024);
  return tl_run_file_read (buffered, path, info, NULL, error);
}

gboolean
tl_run_file_is_run_file (const char *path)
{
  guint8 head[sizeof signature];
  gboolean matches = FALSE;
  FILE *f;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_has_suffix (path, TL_RUN_FILE_SUFFIX))
    return TRUE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;

  f = fopen (path, "rb");
  if (f == NULL)
    return FALSE;
  matches = fread (head, 1, sizeof head, f) == sizeof head &&
            memcmp (head, signature, sizeof signature) == 0;
  fclose (f);
  return matches;
}
