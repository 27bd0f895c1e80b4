/* tl-run-file-reader.c — a .tasklanes-run file read back into a trace
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader trusts nothing: every count is checked against its part's
 * length before anything is allocated, and every reference (a parent, a
 * task of the preset, a cause, a warning) is checked before the trace is
 * built, so a damaged file gives a message naming the part and the
 * offset, and never a trace that would make an exporter read out of
 * bounds. Parts come in the order of the table below; parts with a tag
 * this version does not know are skipped, so a later version can add to
 * the format without breaking this one.
 */
#define G_LOG_DOMAIN "tl-run-file"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "preset/tl-preset.h"
#include "python/tl-program-run.h"
#include "record/tl-run-file.h"
#include "record/tl-run-file-private.h"
#include "trace/tl-trace-private.h"


typedef struct {
  GInputStream *stream;
  GCancellable *cancellable;
  const char   *display;
  guint8        buffer[64 * 1024];
  gsize         pos;
  gsize         len;
  guint64       offset;       /* of buffer[pos] in the uncompressed data */
  guint64       part_end;     /* offset where the current part ends */
  const char   *where;        /* the part being read, for messages */
  GError       *error;

  /* What has been read so far */
  TlRunInfo    *info;
  char         *file;         /* [Source] File */
  char         *builtin;      /* [Source] Builtin */
  gboolean      program;      /* a Python program's run (an open trace) */
  GArray       *program_tasks; /* ProgramTask, from the PROG part */
  TlTrace      *trace;
} Reader;

/* A program's own names for one task (the PROG part). */
typedef struct {
  char    *name;
  char    *label;
  char    *traceback;
  guint32  line;
} ProgramTask;

static void
program_task_clear (gpointer data)
{
  ProgramTask *task = data;

  g_free (task->name);
  g_free (task->label);
  g_free (task->traceback);
}

static void
reader_free (Reader *r)
{
  g_clear_pointer (&r->info, tl_run_info_free);
  g_free (r->file);
  g_free (r->builtin);
  g_clear_pointer (&r->program_tasks, g_array_unref);
  g_clear_pointer (&r->trace, tl_trace_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_free)

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

/* Copies @length bytes; checked against the current part's end. */
static gboolean
get_bytes (Reader *r,
           void   *data,
           gsize   length)
{
  guint8 *out = data;

  if (r->error != NULL)
    return FALSE;
  if (r->offset + length > r->part_end)
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
part_left (Reader *r)
{
  return r->part_end - r->offset;
}

/* NULL for an absent string; also NULL (and an error) when damaged. */
static char *
get_string_at_most (Reader   *r,
                    guint32   limit,
                    gboolean *present)
{
  guint32 length = get_u32 (r);
  char *str;

  *present = FALSE;
  if (r->error != NULL || length == TL_RUN_NULL_STRING)
    return NULL;
  if (length > part_left (r))
    {
      damaged (r, _("a text runs past the end of its part"));
      return NULL;
    }
  if (length > limit)
    {
      damaged (r, _("a text is too large"));
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

#define get_string(r, present) get_string_at_most ((r), G_MAXUINT32, (present))

typedef struct {
  guint32  tag;
  guint64  length;
} PartHeader;

static const char *part_name    (guint32 tag);
static gboolean    tag_is_known (guint32 tag);

/* The next part whose tag is known; unknown ones (added by a later
 * version of this format) are skipped. */
static gboolean
next_part (Reader     *r,
           PartHeader *part)
{
  for (;;)
    {
      r->where = _("part header");
      r->part_end = r->offset + 12;
      part->tag = get_u32 (r);
      part->length = get_u64 (r);
      if (r->error != NULL)
        return FALSE;
      if (part->length > G_MAXUINT64 - r->offset)
        {
          damaged (r, _("a part claims an impossible length"));
          return FALSE;
        }
      r->part_end = r->offset + part->length;
      r->where = part_name (part->tag);
      if (tag_is_known (part->tag))
        return TRUE;
      if (!get_bytes (r, NULL, part->length))
        return FALSE;
    }
}

/* Every byte of a known part must have been used. */
static gboolean
end_part (Reader *r)
{
  if (r->error != NULL)
    return FALSE;
  if (r->offset != r->part_end)
    {
      damaged (r, _("a part is longer than its content"));
      return FALSE;
    }
  return TRUE;
}

/* The whole part as one text of at most @limit bytes. */
static char *
read_text_part (Reader *r,
                gsize  *length,
                gsize   limit)
{
  g_autofree char *text = NULL;
  guint64 size = part_left (r);

  if (size > limit)
    {
      damaged (r, _("it is too large"));
      return NULL;
    }
  text = g_malloc ((gsize) size + 1);
  if (!get_bytes (r, text, (gsize) size))
    return NULL;
  text[size] = '\0';
  if (strlen (text) != size || !g_utf8_validate (text, (gssize) size, NULL))
    {
      damaged (r, _("its text is not valid UTF-8"));
      return NULL;
    }
  *length = (gsize) size;
  return g_steal_pointer (&text);
}

static gboolean
read_info (Reader *r)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TlRunInfo) info = g_new0 (TlRunInfo, 1);
  g_autofree char *text = NULL;
  gsize length;
  gint64 format;

  text = read_text_part (r, &length, TL_RUN_MAX_INFO_SIZE);
  if (text == NULL)
    return FALSE;
  if (!g_key_file_load_from_data (key_file, text, length, G_KEY_FILE_NONE, &local_error))
    {
      damaged (r, local_error->message);
      return FALSE;
    }

  format = g_key_file_get_int64 (key_file, "Run", "Format", NULL);
  if (format != TL_RUN_FILE_FORMAT)
    {
      damaged (r, _("its format number differs from the file’s header"));
      return FALSE;
    }

  info->generator = g_key_file_get_string (key_file, "Run", "Generator", NULL);
  info->date = g_key_file_get_string (key_file, "Run", "Date", NULL);
  info->cores = (guint) MIN (g_key_file_get_uint64 (key_file, "Run", "Cores", NULL), G_MAXUINT);
  info->clock = g_key_file_get_string (key_file, "Run", "Clock", NULL);
  info->python = g_key_file_get_string (key_file, "Run", "Python", NULL);
  info->kind = g_key_file_get_string (key_file, "Source", "Kind", NULL);
  r->file = g_key_file_get_string (key_file, "Source", "File", NULL);
  r->builtin = g_key_file_get_string (key_file, "Source", "Builtin", NULL);

  if (info->kind == NULL || r->file == NULL || *r->file == '\0')
    {
      damaged (r, _("it does not say what ran"));
      return FALSE;
    }
  r->program = strcmp (info->kind, TL_RUN_KIND_PROGRAM) == 0;
  if (!r->program && strcmp (info->kind, TL_RUN_KIND_PRESET) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("it recorded a “%s”, which this version cannot show"), info->kind);
      damaged (r, message);
      return FALSE;
    }

  r->info = g_steal_pointer (&info);
  return TRUE;
}

/* The preset's text, loaded again; or the program's source, kept. */
static gboolean
read_source (Reader *r)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  gsize length;

  text = read_text_part (r, &length, r->program ? TL_PROGRAM_MAX_SOURCE : TL_PRESET_MAX_FILE_SIZE);
  if (text == NULL)
    return FALSE;

  if (r->program)
    {
      /* An empty source: the program's file could not be read when it ran. */
      preset = tl_preset_new_for_program (r->file, length > 0 ? text : NULL);
      r->trace = tl_trace_new_open (preset);
      return TRUE;
    }

  where = g_strdup_printf (_("%s (the recorded %s)"), r->display, r->file);
  preset = tl_preset_new_from_recording (text, length, where, r->file, r->builtin, &local_error);
  if (preset == NULL)
    {
      g_set_error (&r->error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_SOURCE, "%s", local_error->message);
      return FALSE;
    }
  r->trace = tl_trace_new (preset);
  return TRUE;
}

/* A program's names for its tasks, then what it printed. */
static gboolean
read_program (Reader *r)
{
  guint32 n = get_u32 (r);
  g_autofree char *output = NULL;
  gboolean present;

  if (r->error != NULL)
    return FALSE;
  if ((guint64) n * TL_RUN_MIN_PROGRAM_TASK_SIZE > part_left (r))
    {
      damaged (r, _("it names more tasks than it holds"));
      return FALSE;
    }

  r->program_tasks = g_array_sized_new (FALSE, TRUE, sizeof (ProgramTask), n);
  g_array_set_clear_func (r->program_tasks, program_task_clear);
  for (guint32 i = 0; i < n; i++)
    {
      ProgramTask task = { 0 };

      task.name = get_string (r, &present);
      task.label = get_string (r, &present);
      task.line = get_u32 (r);
      task.traceback = get_string (r, &present);
      g_array_append_val (r->program_tasks, task);
      if (r->error != NULL)
        return FALSE;
      if (task.name == NULL || task.label == NULL)
        {
          damaged (r, _("a task of the program has no name"));
          return FALSE;
        }
    }

  output = get_string_at_most (r, TL_RUN_MAX_OUTPUT_SIZE, &present);
  if (r->error != NULL)
    return FALSE;
  r->info->output = g_steal_pointer (&output);
  return TRUE;
}

static gboolean
is_instance_ref (guint64 value,
                 guint   n_instances)
{
  return value < n_instances;
}

static gboolean
read_instances (Reader *r)
{
  TlTrace *trace = r->trace;
  TlPreset *preset = tl_trace_get_preset (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if ((guint64) n * TL_RUN_MIN_INSTANCE_SIZE > part_left (r))
    {
      damaged (r, _("it counts more instances than it holds"));
      return FALSE;
    }
  if (r->program && n != r->program_tasks->len)
    {
      damaged (r, _("it counts other instances than the program’s tasks"));
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
      else if (r->program ? i.spec != TL_NO_SPEC : i.spec >= preset->n_tasks)
        damaged (r, _("an instance names a task the preset does not have"));
      else if (r->program ? i.kind >= TL_N_KINDS : i.kind != preset->tasks[i.spec].kind)
        damaged (r, _("an instance’s kind differs from its task’s"));
      /* A program's sections are checked once they are known (SECT). */
      else if (i.copy == 0 || (!r->program && i.section >= preset->n_sections) || i.on > TL_ON_PROCESS)
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
      if (r->program)
        {
          const ProgramTask *task = &g_array_index (r->program_tasks, ProgramTask, id);

          _tl_trace_load_names (trace, task->name, task->label, task->line, task->traceback);
        }
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

  return TRUE;
}

static gboolean
read_warnings (Reader *r)
{
  TlTrace *trace = r->trace;
  guint n_instances = tl_trace_get_n_instances (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if ((guint64) n * 9 > part_left (r))
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
  return TRUE;
}

static gboolean
read_sections (Reader *r)
{
  TlTrace *trace = r->trace;
  TlPreset *preset = tl_trace_get_preset (trace);
  guint n_instances = tl_trace_get_n_instances (trace);
  guint32 n = get_u32 (r);

  if (r->error != NULL)
    return FALSE;
  if (r->program ? (guint64) n * 21 > part_left (r) : n > preset->n_sections)
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

  /* A program begins its sections as it reaches them: a task is in one
   * that began, or in the next, whose root was made as the run ended. */
  if (r->program)
    for (guint32 id = 0; id < n_instances; id++)
      if (tl_trace_get_instance (trace, id)->section > n)
        {
          damaged (r, _("an instance is in a section that never began"));
          return FALSE;
        }
  return TRUE;
}

static gboolean
read_cpu (Reader *r)
{
  TlTrace *trace = r->trace;
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
read_events (Reader *r)
{
  TlTrace *trace = r->trace;
  guint n_instances = tl_trace_get_n_instances (trace);
  guint n_warnings = tl_trace_get_n_warnings (trace);
  /* A program's sections are those it began; a preset's are its own. */
  guint n_sections = r->program ? tl_trace_get_n_sections (trace) : tl_trace_get_preset (trace)->n_sections;
  g_autofree gint64 *last_time = NULL;
  guint64 n = get_u64 (r);

  if (r->error != NULL)
    return FALSE;
  if (n > G_MAXINT || n * TL_RUN_EVENT_SIZE != part_left (r))
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
          /* The timeline builds an instance's intervals from its state
           * changes, which must come in time order. Other marks need
           * not, and neither does a blocked state: what happened while
           * the loop was held is only known once it runs again and
           * carries the time it began (tl-trace.h), and a Python
           * program's run writes such a state, its stall and its
           * warning after later events of the same task. */
          gboolean state = e.type == TL_EVENT_STATE && e.a != TL_STATE_BLOCKED;

          if (last_time[e.instance] < 0 && !creation)
            problem = _("an instance has events before its creation");
          else if (state && e.time_us < last_time[e.instance])
            problem = _("an instance’s events are out of time order");
          else if (state)
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

  return TRUE;
}

static gboolean
read_totals (Reader *r)
{
  TlTrace *trace = r->trace;
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
  _tl_trace_load_totals (trace, end_us, max_lag_us, stopped, TRUE);
  return TRUE;
}

/* The end mark, and nothing after it: the gzip stream is read to its end
 * so that its checksum is verified. */
static gboolean
read_end (Reader *r)
{
  GError *local_error = NULL;
  gssize n;

  if (r->offset != r->part_end || r->pos < r->len)
    {
      damaged (r, _("something follows the end mark"));
      return FALSE;
    }
  n = g_input_stream_read (r->stream, r->buffer, sizeof r->buffer, r->cancellable, &local_error);
  if (n < 0)
    {
      g_autofree char *message = g_strdup_printf (_("the compressed data cannot be read (%s)"), local_error->message);

      damaged (r, message);
      g_error_free (local_error);
      return FALSE;
    }
  if (n > 0)
    {
      damaged (r, _("something follows the end mark"));
      return FALSE;
    }
  return TRUE;
}

typedef enum {
  PART_ALWAYS,
  PART_OPTIONAL,
  PART_PROGRAMS,     /* in every run of a program, in no run of a preset */
} PartPresence;

/* The parts in file order. */
static const struct {
  guint32        tag;
  const char    *name;
  gboolean     (*read) (Reader *r);
  PartPresence   presence;
} parts[] = {
  { TL_RUN_TAG_INFO, N_("run details"), read_info, PART_ALWAYS },
  { TL_RUN_TAG_SRC, N_("recorded source"), read_source, PART_ALWAYS },
  { TL_RUN_TAG_PROG, N_("program’s tasks"), read_program, PART_PROGRAMS },
  { TL_RUN_TAG_INST, N_("task instances"), read_instances, PART_ALWAYS },
  { TL_RUN_TAG_WARN, N_("warnings"), read_warnings, PART_ALWAYS },
  { TL_RUN_TAG_SECT, N_("sections"), read_sections, PART_ALWAYS },
  { TL_RUN_TAG_CPU, N_("processor measurements"), read_cpu, PART_OPTIONAL },
  { TL_RUN_TAG_EVNT, N_("events"), read_events, PART_ALWAYS },
  { TL_RUN_TAG_TOTL, N_("totals"), read_totals, PART_ALWAYS },
  { TL_RUN_TAG_END, N_("end mark"), read_end, PART_ALWAYS },
};

static const char *
part_name (guint32 tag)
{
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    if (parts[p].tag == tag)
      return _(parts[p].name);
  return _("unknown part");
}

static gboolean
tag_is_known (guint32 tag)
{
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    if (parts[p].tag == tag)
      return TRUE;
  return FALSE;
}

/* The header: signature, then the format number. */
static gboolean
read_header (GInputStream  *stream,
             const char    *display,
             GCancellable  *cancellable,
             GError       **error)
{
  guint8 header[TL_RUN_FILE_HEADER_SIZE];
  gsize n = 0;
  guint format;

  if (!g_input_stream_read_all (stream, header, sizeof header, &n, cancellable, error))
    return FALSE;

  if (n < TL_RUN_FILE_SIGNATURE_SIZE || memcmp (header, TL_RUN_FILE_SIGNATURE, TL_RUN_FILE_SIGNATURE_SIZE) != 0)
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

/* Every part of the table, in order; a part that is missing where it
 * must be is named with what was found in its place. */
static void
read_parts (Reader *r)
{
  PartHeader part;

  if (!next_part (r, &part))
    return;

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      gboolean required = parts[p].presence == PART_ALWAYS ||
                          (parts[p].presence == PART_PROGRAMS && r->program);
      gboolean allowed = required || parts[p].presence == PART_OPTIONAL;

      if (part.tag == parts[p].tag && allowed)
        {
          if (!parts[p].read (r) || !end_part (r))
            return;
          if (p + 1 < G_N_ELEMENTS (parts) && !next_part (r, &part))
            return;
        }
      else if (required)
        {
          g_autofree char *message = g_strdup_printf (_("found its %s where its %s should be"),
                                                      part_name (part.tag), _(parts[p].name));
          damaged (r, message);
          return;
        }
    }
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
  g_autoptr(Reader) r = NULL;

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

  read_parts (r);
  if (r->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      return NULL;
    }
  g_assert (r->trace != NULL && tl_trace_is_complete (r->trace));

  if (info_out != NULL)
    *info_out = g_steal_pointer (&r->info);
  return g_steal_pointer (&r->trace);
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

