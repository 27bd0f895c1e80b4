/* tl-run-file-writer.c — a finished run written as a .tasklanes-run file
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (docs/run-file.md): a 16-byte header that is not compressed —
 * the signature and the format number, so a newer file is recognised and
 * refused without decompressing anything — then one gzip stream of
 * parts, each a four-letter tag, a 64-bit length and its content, all
 * numbers little-endian, in the order of the table at the end.
 */
#define G_LOG_DOMAIN "tl-run-file"

#include "config.h"

#include <string.h>

#include "export/tl-export.h"
#include "preset/tl-preset.h"
#include "record/tl-run-file.h"
#include "record/tl-run-file-private.h"

typedef struct {
  GOutputStream   *stream;
  GCancellable    *cancellable;
  GByteArray      *buffer;
  gboolean         measuring;    /* only count what would be written */
  guint64          counted;
  GError          *error;
  TlTrace         *trace;
  const TlRunInfo *info;
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

/* Little-endian, @size bytes of @v. */
static void
put_le (Writer  *w,
        guint64  v,
        guint    size)
{
  guint8 b[8];

  for (guint i = 0; i < size; i++)
    b[i] = (v >> (8 * i)) & 0xff;
  put_bytes (w, b, size);
}

#define put_u8(w, v)  put_le ((w), (guint8) (v), 1)
#define put_u16(w, v) put_le ((w), (guint16) (v), 2)
#define put_u32(w, v) put_le ((w), (guint32) (v), 4)
#define put_u64(w, v) put_le ((w), (guint64) (v), 8)
#define put_i64(w, v) put_le ((w), (guint64) (gint64) (v), 8)

static void
put_string (Writer     *w,
            const char *str)
{
  gsize length;

  if (str == NULL)
    {
      put_u32 (w, TL_RUN_NULL_STRING);
      return;
    }
  length = MIN (strlen (str), TL_RUN_NULL_STRING - 1);
  put_u32 (w, length);
  put_bytes (w, str, length);
}

static const char *
run_kind (Writer *w)
{
  return tl_trace_is_open (w->trace) ? TL_RUN_KIND_PROGRAM : TL_RUN_KIND_PRESET;
}

static void
write_info (Writer *w)
{
  TlPreset *preset = tl_trace_get_preset (w->trace);
  const TlRunInfo *info = w->info;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *text = NULL;
  gsize length;

  g_key_file_set_integer (key_file, "Run", "Format", TL_RUN_FILE_FORMAT);
  g_key_file_set_string (key_file, "Run", "Generator", info->generator != NULL ? info->generator : "");
  if (info->date != NULL)
    g_key_file_set_string (key_file, "Run", "Date", info->date);
  g_key_file_set_uint64 (key_file, "Run", "Cores", info->cores);
  if (info->clock != NULL)
    g_key_file_set_string (key_file, "Run", "Clock", info->clock);
  if (info->python != NULL)
    g_key_file_set_string (key_file, "Run", "Python", info->python);
  g_key_file_set_string (key_file, "Source", "Kind", run_kind (w));
  g_key_file_set_string (key_file, "Source", "File", preset->file != NULL ? preset->file : "");
  if (preset->builtin_name != NULL)
    g_key_file_set_string (key_file, "Source", "Builtin", preset->builtin_name);

  text = g_key_file_to_data (key_file, &length, NULL);
  put_bytes (w, text, length);
}

static void
write_source (Writer *w)
{
  TlPreset *preset = tl_trace_get_preset (w->trace);

  if (preset->text != NULL)
    put_bytes (w, preset->text, strlen (preset->text));
}

/* The last @limit bytes of @text at most, cut at a character. */
static const char *
keep_tail (const char *text,
           gsize       limit)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length <= limit)
    return text;
  text += length - limit;
  while ((*text & 0xc0) == 0x80)
    text++;
  return text;
}

/* A program's own names for its tasks, what created them and how the
 * failed ones failed, then what the program printed. */
static void
write_program (Writer *w)
{
  guint n = tl_trace_get_n_instances (w->trace);

  put_u32 (w, n);
  for (guint32 id = 0; id < n && w->error == NULL; id++)
    {
      g_autofree char *label = tl_trace_dup_label (w->trace, id);

      put_string (w, tl_trace_get_task_name (w->trace, id));
      put_string (w, label);
      put_u32 (w, tl_trace_instance_get_source_line (w->trace, id));
      put_string (w, tl_trace_get_traceback (w->trace, id));
    }
  put_string (w, keep_tail (w->info->output, TL_RUN_MAX_OUTPUT_SIZE));
}

static void
write_http (Writer              *w,
            const TlHttpDetails *http)
{
  put_u8 (w, http != NULL);
  if (http == NULL)
    return;
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

static void
write_instances (Writer *w)
{
  guint n = tl_trace_get_n_instances (w->trace);

  put_u32 (w, n);
  for (guint32 id = 0; id < n && w->error == NULL; id++)
    {
      const TlInstance *i = tl_trace_get_instance (w->trace, id);
      const TlOutcome *o = tl_trace_get_outcome (w->trace, id);

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

      put_string (w, tl_trace_get_result (w->trace, id));
      put_string (w, tl_trace_get_error (w->trace, id));
      write_http (w, tl_trace_get_http (w->trace, id));
    }
}

static void
write_warnings (Writer *w)
{
  guint n = tl_trace_get_n_warnings (w->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlWarning *warning = tl_trace_get_warning (w->trace, i);

      put_u32 (w, warning->instance);
      put_u8 (w, warning->code);
      put_string (w, warning->message);
    }
}

static void
write_sections (Writer *w)
{
  guint n = tl_trace_get_n_sections (w->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlSection *s = tl_trace_get_section (w->trace, i);

      put_i64 (w, s->start_us);
      put_i64 (w, s->end_us);
      put_u32 (w, s->root);
      put_u8 (w, s->state);
    }
}

/* What the machine gave each section (TlSection's cpu_* fields): a part
 * of its own, so readers that predate it skip it. */
static void
write_cpu (Writer *w)
{
  guint n = tl_trace_get_n_sections (w->trace);

  put_u32 (w, n);
  for (guint i = 0; i < n; i++)
    {
      const TlSection *s = tl_trace_get_section (w->trace, i);

      put_u8 (w, s->cpu_measured ? 1 : 0);
      put_u32 (w, s->cpu_cores);
      put_i64 (w, s->cpu_process_us);
      put_i64 (w, s->cpu_pressure_us);
    }
}

static void
write_events (Writer *w)
{
  guint n = tl_trace_get_n_events (w->trace);

  if (w->measuring)
    {
      /* Fixed size: no need to walk a few million events twice. */
      w->counted += 8 + (guint64) n * TL_RUN_EVENT_SIZE;
      return;
    }

  put_u64 (w, n);
  for (guint i = 0; i < n && w->error == NULL; i++)
    {
      const TlEvent *e = tl_trace_get_event (w->trace, i);

      put_i64 (w, e->time_us);
      put_i64 (w, e->value);
      put_u32 (w, e->instance);
      put_u8 (w, e->type);
      put_u8 (w, e->a);
      put_u16 (w, e->b);
    }
}

static void
write_totals (Writer *w)
{
  put_i64 (w, tl_trace_get_end_us (w->trace));
  put_i64 (w, tl_trace_get_max_loop_lag_us (w->trace));
  put_u8 (w, tl_trace_was_stopped (w->trace) != FALSE);
}

static void
write_nothing (Writer *w)
{
}

/* The parts in file order; @programs_only ones are written for runs of
 * Python programs alone. */
static const struct {
  guint32    tag;
  void     (*write) (Writer *w);
  gboolean   programs_only;
} parts[] = {
  { TL_RUN_TAG_INFO, write_info, FALSE },
  { TL_RUN_TAG_SRC, write_source, FALSE },
  { TL_RUN_TAG_PROG, write_program, TRUE },
  { TL_RUN_TAG_INST, write_instances, FALSE },
  { TL_RUN_TAG_WARN, write_warnings, FALSE },
  { TL_RUN_TAG_SECT, write_sections, FALSE },
  { TL_RUN_TAG_CPU, write_cpu, FALSE },
  { TL_RUN_TAG_EVNT, write_events, FALSE },
  { TL_RUN_TAG_TOTL, write_totals, FALSE },
  { TL_RUN_TAG_END, write_nothing, FALSE },
};

/* Measures the content first, so the length comes before it and the
 * content is still written as a stream. */
static void
write_part (Writer   *w,
            guint32   tag,
            void    (*write) (Writer *w))
{
  w->measuring = TRUE;
  w->counted = 0;
  write (w);
  w->measuring = FALSE;

  put_u32 (w, tag);
  put_u64 (w, w->counted);
  write (w);
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
  guint8 header[TL_RUN_FILE_HEADER_SIZE] = { 0 };
  Writer w = { 0 };

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (tl_trace_is_complete (trace), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (info == NULL)
    info = own_info = tl_run_info_new_now (FALSE);

  memcpy (header, TL_RUN_FILE_SIGNATURE, TL_RUN_FILE_SIGNATURE_SIZE);
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
  w.trace = trace;
  w.info = info;

  for (guint p = 0; p < G_N_ELEMENTS (parts) && w.error == NULL; p++)
    if (!parts[p].programs_only || tl_trace_is_open (trace))
      write_part (&w, parts[p].tag, parts[p].write);
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
