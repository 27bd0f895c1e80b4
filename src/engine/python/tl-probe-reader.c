/* tl-probe-reader.c — turns the probe's lines into trace entries
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-probe-reader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "python/tl-probe-reader.h"
#include "trace/tl-task-counts.h"

#define MAX_FIELDS   12
#define MAX_PROBE_ID G_GINT64_CONSTANT (100000000)

struct _TlProbeReader
{
  TlTrace   *trace;
  GString   *pending;        /* a line not yet ended by '\n' */
  gboolean   overlong;       /* the pending line passed the limit: drop to '\n' */
  GArray    *ids;            /* guint32: probe id → instance id */
  gboolean   saw_header;
  gboolean   in_ns;          /* times in ns from origin_ns (version 2) */
  gint64     origin_ns;
  gboolean   saw_exit;
  gboolean   capped;
  guint      n_bad;
  char      *bad_message;
  gint64     last_us;
  /* The tasks running and waiting now, and the time they were counted at:
   * the Concurrency lane's counters, as the runner keeps them for a
   * preset (every instance in that state, combinators included). */
  TlTaskCounts counts;
  gint64     counted_us;
  int        open_section;   /* -1: none */
  char      *startup_file;
  guint      startup_line;
  char      *startup_message;
};

TlProbeReader *
tl_probe_reader_new (TlTrace *trace)
{
  TlProbeReader *self;

  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (tl_trace_is_open (trace), NULL);

  self = g_new0 (TlProbeReader, 1);
  self->trace = tl_trace_ref (trace);
  self->pending = g_string_new (NULL);
  self->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->open_section = -1;
  return self;
}

void
tl_probe_reader_free (TlProbeReader *self)
{
  if (self == NULL)
    return;
  tl_trace_unref (self->trace);
  g_string_free (self->pending, TRUE);
  g_array_unref (self->ids);
  g_free (self->bad_message);
  g_free (self->startup_file);
  g_free (self->startup_message);
  g_free (self);
}

static void
bad_line (TlProbeReader *self,
          const char    *line,
          const char    *why)
{
  self->n_bad++;
  if (self->bad_message == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (line, MIN (strlen (line), 80));

      self->bad_message = g_strdup_printf (_("a line the probe should not have written (“%s”): %s"), shown, why);
    }
}

/* In place: \\ \t \n \r back to the characters; "-" alone means none. */
static char *
unescape (char *field)
{
  char *in = field;
  char *out = field;

  if (strcmp (field, "-") == 0)
    return NULL;

  while (*in != '\0')
    {
      if (*in == '\\' && in[1] != '\0')
        {
          in++;
          switch (*in)
            {
            case 't': *out++ = '\t'; break;
            case 'n': *out++ = '\n'; break;
            case 'r': *out++ = '\r'; break;
            default:  *out++ = *in; break;
            }
          in++;
        }
      else
        *out++ = *in++;
    }
  *out = '\0';
  return field;
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

/* A time field, as microseconds since the probe started: version 1
 * writes it so, version 2 as the monotonic clock's nanoseconds from the
 * origin its first line names. */
static gboolean
parse_time (TlProbeReader *self,
            const char    *text,
            gint64         min_us,
            gint64        *out_us)
{
  gint64 raw;

  if (!parse_int (text, 0, G_MAXINT64 / 2, &raw))
    return FALSE;
  if (self->in_ns)
    {
      if (raw < self->origin_ns)
        return FALSE;
      raw = (raw - self->origin_ns) / 1000;
    }
  if (raw < min_us)
    return FALSE;
  *out_us = raw;
  return TRUE;
}

/* A length of time, as microseconds. */
static gboolean
parse_duration (TlProbeReader *self,
                const char    *text,
                gint64        *out_us)
{
  if (!parse_int (text, 0, G_MAXINT64 / 2, out_us))
    return FALSE;
  if (self->in_ns)
    *out_us /= 1000;
  return TRUE;
}

static guint32
lookup (TlProbeReader *self,
        const char    *text)
{
  gint64 id;

  if (!parse_int (text, 1, MAX_PROBE_ID, &id) || (guint64) id >= self->ids->len)
    return TL_NO_INSTANCE;
  return g_array_index (self->ids, guint32, id);
}

static TlCause
cause_from_string (const char *text)
{
  static const struct { const char *name; TlCause cause; } causes[] = {
    { "none", TL_CAUSE_NONE },
    { "timeout", TL_CAUSE_TIMEOUT },
    { "sibling-failed", TL_CAUSE_SIBLING_FAILED },
    { "wait-pending", TL_CAUSE_WAIT_PENDING },
    { "parent", TL_CAUSE_PARENT },
    { "section-end", TL_CAUSE_SECTION_END },
    { "user", TL_CAUSE_USER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    if (g_strcmp0 (text, causes[i].name) == 0)
      return causes[i].cause;
  return TL_CAUSE_NONE;
}

static int
warning_from_string (const char *text)
{
  for (int code = 0; code < TL_N_WARNINGS; code++)
    if (g_strcmp0 (text, tl_warning_code_to_string (code)) == 0)
      return code;
  return -1;
}

static gboolean
add_task (TlProbeReader  *self,
          gint64          t,
          char          **f,
          guint           n)
{
  gint64 id, section, line;
  guint32 parent = TL_NO_INSTANCE;
  guint32 instance;
  int kind, on;

  if (n != 10 ||
      !parse_int (f[2], 1, MAX_PROBE_ID, &id) ||
      !parse_int (f[4], 0, G_MAXUINT16, &section) ||
      !parse_int (f[7], 0, G_MAXINT32, &line))
    return FALSE;
  if ((guint64) id < self->ids->len && g_array_index (self->ids, guint32, id) != TL_NO_INSTANCE)
    return FALSE;
  if (strcmp (f[3], "-") != 0 && (parent = lookup (self, f[3])) == TL_NO_INSTANCE)
    return FALSE;
  /* A root starts the next section; everything else is in a begun one. */
  if (parent == TL_NO_INSTANCE ? section != tl_trace_get_n_sections (self->trace)
                               : section >= tl_trace_get_n_sections (self->trace))
    return FALSE;
  if ((kind = tl_kind_from_string (f[5])) < 0 || (on = tl_on_from_string (f[6])) < 0)
    return FALSE;

  if (tl_trace_get_n_instances (self->trace) >= TL_PROBE_MAX_INSTANCES)
    {
      self->capped = TRUE;
      return TRUE;
    }

  instance = tl_trace_add_open_instance (self->trace, parent, (guint) section, kind, on,
                                         unescape (f[8]), unescape (f[9]), (guint) line, t);
  if ((guint64) id >= self->ids->len)
    {
      guint old = self->ids->len;

      g_array_set_size (self->ids, (guint) id + 1);
      for (guint i = old; i < self->ids->len; i++)
        g_array_index (self->ids, guint32, i) = TL_NO_INSTANCE;
    }
  g_array_index (self->ids, guint32, id) = instance;

  /* A task made by another task was spawned by it, as a preset's Spawn
   * starts its target. */
  if (parent != TL_NO_INSTANCE && kind == TL_KIND_SEQUENCE &&
      tl_trace_get_instance (self->trace, parent)->kind == TL_KIND_SEQUENCE)
    tl_trace_add_event (self->trace, t, TL_EVENT_SPAWNED, parent, 0, 0, instance);
  return TRUE;
}

static void
set_http_field (TlProbeReader *self,
                TlHttpDetails *http,
                const char    *field,
                const char    *value)
{
  static const struct { const char *name; gsize offset; } times[] = {
    { "dns_start", G_STRUCT_OFFSET (TlHttpDetails, dns_start_us) },
    { "dns_end", G_STRUCT_OFFSET (TlHttpDetails, dns_end_us) },
    { "connect_start", G_STRUCT_OFFSET (TlHttpDetails, connect_start_us) },
    { "connect_end", G_STRUCT_OFFSET (TlHttpDetails, connect_end_us) },
    { "request_start", G_STRUCT_OFFSET (TlHttpDetails, request_start_us) },
    { "request_end", G_STRUCT_OFFSET (TlHttpDetails, request_end_us) },
    { "first_byte", G_STRUCT_OFFSET (TlHttpDetails, first_byte_us) },
    { "end", G_STRUCT_OFFSET (TlHttpDetails, end_us) },
  };
  gint64 number;

  if (value == NULL)
    return;
  if (strcmp (field, "url") == 0)
    {
      g_free (http->url);
      http->url = g_strdup (value);
      return;
    }
  if (strcmp (field, "reason") == 0)
    {
      g_free (http->reason);
      http->reason = g_strdup (value);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    if (strcmp (field, times[i].name) == 0)
      {
        if (parse_time (self, value, 0, &number))
          G_STRUCT_MEMBER (gint64, http, times[i].offset) = number;
        return;
      }
  if (!parse_int (value, 0, G_MAXINT64, &number))
    return;
  if (strcmp (field, "status") == 0)
    http->status = (guint) MIN (number, 999);
  else if (strcmp (field, "reused") == 0)
    http->connection_reused = number != 0;
  else if (strcmp (field, "bytes") == 0)
    http->bytes = number;
}

static void
add_stall (TlProbeReader *self,
           gint64         t,
           guint32        culprit,
           guint32        warned,
           gint64         duration_us,
           const char    *call)
{
  g_autofree char *label = culprit != TL_NO_INSTANCE ? tl_trace_dup_label (self->trace, culprit) : NULL;
  g_autofree char *duration = duration_us >= G_USEC_PER_SEC
                              ? g_strdup_printf (_("%.3g s"), duration_us / 1e6)
                              : g_strdup_printf (_("%d ms"), (int) (duration_us / 1000));
  g_autofree char *message = NULL;

  tl_trace_add_event (self->trace, t, TL_EVENT_LOOP_STALL, culprit, 0, 0, duration_us);
  if (call != NULL)
    message = g_strdup_printf (_("%s held the event loop for %s in %s, so no other task could run meanwhile. "
                                 "Run blocking calls in a thread (asyncio.to_thread) or use an async version."),
                               label != NULL ? label : _("A callback"), duration, call);
  else
    message = g_strdup_printf (_("%s held the event loop for %s, so no other task could run meanwhile. "
                                 "Run blocking calls in a thread (asyncio.to_thread) or use an async version."),
                               label != NULL ? label : _("A callback"), duration);
  tl_trace_add_warning (self->trace, warned, TL_WARNING_LOOP_BLOCKED, message, t + duration_us);
}

/* The counters as they stand, at the time they were last changed. */
static void
flush_counters (TlProbeReader *self)
{
  tl_task_counts_record (&self->counts, self->trace, self->counted_us);
}

/* Before a change of state at @t: what was counted at an earlier time
 * goes into the trace first, so its events stay in time order. (A line
 * written late with an earlier time, `blocked`, counts as of the latest.) */
static void
advance_counters (TlProbeReader *self,
                  gint64         t)
{
  if (t > self->counted_us)
    {
      flush_counters (self);
      self->counted_us = t;
    }
}

/* After the trace took a change of @id's state from @before. */
static void
count_change (TlProbeReader *self,
              guint32        id,
              TlState        before)
{
  tl_task_counts_change (&self->counts, before, tl_trace_get_outcome (self->trace, id)->state);
}

static void
set_state (TlProbeReader *self,
           guint32        id,
           TlState        state,
           gint64         t)
{
  TlState before = tl_trace_get_outcome (self->trace, id)->state;

  advance_counters (self, t);
  tl_trace_set_state (self->trace, id, state, t);
  count_change (self, id, before);
}

static void
set_cancelled (TlProbeReader *self,
               guint32        id,
               TlState        state,
               TlCause        cause,
               guint32        cause_id,
               gint64         t)
{
  TlState before = tl_trace_get_outcome (self->trace, id)->state;

  advance_counters (self, t);
  tl_trace_set_cancelled (self->trace, id, state, cause, cause_id, t);
  count_change (self, id, before);
}

/* FALSE: the line is not what the protocol allows. */
static gboolean
handle (TlProbeReader  *self,
        char          **f,
        guint           n)
{
  const char *type = f[0];
  gint64 t;
  guint32 id = TL_NO_INSTANCE;

  if (strcmp (type, "tasklanes-probe") == 0)
    {
      gint64 version;

      if (n < 2 || self->saw_header || !parse_int (f[1], 0, G_MAXINT32, &version))
        return FALSE;
      if (version < TL_PROBE_PROTOCOL_OLDEST || version > TL_PROBE_PROTOCOL_VERSION)
        {
          g_free (self->bad_message);
          self->bad_message = g_strdup_printf (_("the probe speaks protocol version %s, this Tasklanes version %d"),
                                               f[1], TL_PROBE_PROTOCOL_VERSION);
          self->n_bad++;
          return TRUE;
        }
      if (version >= 2)
        {
          if (n < 5 || !parse_int (f[4], 0, G_MAXINT64 / 2, &self->origin_ns))
            return FALSE;
          self->in_ns = TRUE;
        }
      self->saw_header = TRUE;
      return TRUE;
    }

  if (!self->saw_header || n < 2 || !parse_time (self, f[1], 0, &t))
    return FALSE;
  self->last_us = MAX (self->last_us, t);

  if (strcmp (type, "task") == 0)
    return add_task (self, t, f, n);
  if (strcmp (type, "exit") == 0)
    {
      self->saw_exit = TRUE;
      return TRUE;
    }
  if (strcmp (type, "startup-error") == 0)
    {
      gint64 line;

      if (n != 5 || !parse_int (f[3], 0, G_MAXINT32, &line))
        return FALSE;
      g_free (self->startup_file);
      g_free (self->startup_message);
      self->startup_file = g_strdup (unescape (f[2]));
      self->startup_line = (guint) line;
      self->startup_message = g_strdup (unescape (f[4]));
      return TRUE;
    }
  if (strcmp (type, "section-start") == 0)
    {
      gint64 section;

      if (n != 4 || !parse_int (f[2], 0, G_MAXUINT16, &section) ||
          section != tl_trace_get_n_sections (self->trace) || (id = lookup (self, f[3])) == TL_NO_INSTANCE)
        return FALSE;
      tl_trace_begin_section (self->trace, (guint) section, id, t);
      self->open_section = (int) section;
      return TRUE;
    }
  if (strcmp (type, "section-end") == 0)
    {
      gint64 section;

      if (n != 3 || !parse_int (f[2], 0, G_MAXUINT16, &section) || section != self->open_section)
        return FALSE;
      tl_trace_end_section (self->trace, (guint) section, t);
      self->open_section = -1;
      return TRUE;
    }

  if (strcmp (type, "stall") == 0)
    {
      gint64 duration;

      if (n != 5 || !parse_duration (self, f[3], &duration))
        return FALSE;
      /* A callback rather than a task held the loop: the warning belongs
       * to the section being run. */
      if ((id = lookup (self, f[2])) == TL_NO_INSTANCE && self->open_section >= 0)
        id = tl_trace_get_section (self->trace, (guint) self->open_section)->root;
      if (id == TL_NO_INSTANCE)
        return self->capped;
      add_stall (self, t, strcmp (f[2], "-") != 0 ? id : TL_NO_INSTANCE, id, duration, unescape (f[4]));
      return TRUE;
    }

  /* Everything else is about one instance. */
  if (n < 3 || (id = lookup (self, f[2])) == TL_NO_INSTANCE)
    return self->capped;

  if (strcmp (type, "running") == 0 && n == 3)
    set_state (self, id, TL_STATE_RUNNING, t);
  else if (strcmp (type, "step") == 0 && n == 4)
    {
      gint64 end;

      /* A whole step on the loop in one line: running from t to end. */
      if (!parse_time (self, f[3], t, &end))
        return FALSE;
      self->last_us = MAX (self->last_us, end);
      set_state (self, id, TL_STATE_RUNNING, t);
      set_state (self, id, TL_STATE_WAITING, end);
    }
  else if (strcmp (type, "waiting") == 0 && n == 3)
    set_state (self, id, TL_STATE_WAITING, t);
  else if (strcmp (type, "queued") == 0 && n == 3)
    set_state (self, id, TL_STATE_QUEUED, t);
  else if (strcmp (type, "blocked") == 0 && n == 3)
    set_state (self, id, TL_STATE_BLOCKED, t);
  else if (strcmp (type, "ok") == 0 && n == 4)
    {
      if (!TL_STATE_IS_FINAL (tl_trace_get_outcome (self->trace, id)->state))
        tl_trace_set_result (self->trace, id, unescape (f[3]));
      set_state (self, id, TL_STATE_OK, t);
    }
  else if (strcmp (type, "failed") == 0 && n == 4)
    {
      if (TL_STATE_IS_FINAL (tl_trace_get_outcome (self->trace, id)->state))
        return TRUE;
      tl_trace_set_error (self->trace, id, unescape (f[3]));
      tl_trace_add_event (self->trace, t, TL_EVENT_ERROR_RAISED, id, 0, 0, 0);
      set_state (self, id, TL_STATE_FAILED, t);
    }
  else if (strcmp (type, "traceback") == 0 && n == 4)
    {
      if (!TL_STATE_IS_FINAL (tl_trace_get_outcome (self->trace, id)->state))
        tl_trace_set_traceback (self->trace, id, unescape (f[3]));
    }
  else if (strcmp (type, "cancelled") == 0 && n == 6)
    {
      TlState state;
      guint32 cause_id = TL_NO_INSTANCE;

      if (strcmp (f[3], "cancelled") == 0)
        state = TL_STATE_CANCELLED;
      else if (strcmp (f[3], "timed-out") == 0)
        state = TL_STATE_TIMED_OUT;
      else if (strcmp (f[3], "never-started") == 0)
        state = TL_STATE_NEVER_STARTED;
      else
        return FALSE;
      if (strcmp (f[5], "-") != 0)
        cause_id = lookup (self, f[5]);
      set_cancelled (self, id, state, cause_from_string (f[4]), cause_id, t);
    }
  else if (strcmp (type, "deadline") == 0 && n == 5)
    {
      gint64 deadline, b;

      if (!parse_time (self, f[3], 0, &deadline) || !parse_int (f[4], 0, 1, &b))
        return FALSE;
      tl_trace_add_event (self->trace, t, TL_EVENT_DEADLINE, id, 0, (guint16) b, deadline);
    }
  else if (strcmp (type, "timeout") == 0 && n == 4)
    {
      gint64 b;

      if (!parse_int (f[3], 0, 1, &b))
        return FALSE;
      tl_trace_add_event (self->trace, t, TL_EVENT_TIMEOUT_FIRED, id, 0, (guint16) b, 0);
    }
  else if (strcmp (type, "taken") == 0 && n == 4)
    {
      guint32 awaiter = lookup (self, f[3]);

      if (awaiter == TL_NO_INSTANCE)
        return FALSE;
      tl_trace_add_event (self->trace, t, TL_EVENT_RESULT_TAKEN, id, 0, 0, awaiter);
    }
  else if (strcmp (type, "warning") == 0 && n == 5)
    {
      int code = warning_from_string (f[3]);

      if (code < 0)
        return FALSE;
      tl_trace_add_warning (self->trace, id, code, unescape (f[4]), t);
    }
  else if (strcmp (type, "http") == 0 && n == 5)
    {
      if (!TL_STATE_IS_FINAL (tl_trace_get_outcome (self->trace, id)->state))
        set_http_field (self, tl_trace_ensure_http (self->trace, id), f[3], unescape (f[4]));
    }
  else
    return FALSE;

  return TRUE;
}

void
tl_probe_reader_feed_line (TlProbeReader *self,
                           const char    *line,
                           gsize          length)
{
  g_autofree char *copy = NULL;
  char *fields[MAX_FIELDS];
  guint n = 0;
  char *p;

  g_return_if_fail (self != NULL);

  if (length > 0 && line[length - 1] == '\r')
    length--;
  if (length == 0)
    return;

  copy = g_strndup (line, length);
  if (strlen (copy) != length || !g_utf8_validate (copy, -1, NULL))
    {
      bad_line (self, "", _("it is not UTF-8 text"));
      return;
    }
  if (length > TL_PROBE_MAX_LINE)
    {
      bad_line (self, copy, _("it is longer than the protocol allows"));
      return;
    }

  /* Once a limit is reached, only the lines that end the run count. */
  if (self->capped ||
      tl_trace_get_n_events (self->trace) >= TL_PROBE_MAX_EVENTS)
    {
      self->capped = TRUE;
      if (!g_str_has_prefix (copy, "exit\t") && !g_str_has_prefix (copy, "startup-error\t"))
        return;
    }

  p = copy;
  while (n < MAX_FIELDS)
    {
      char *tab = strchr (p, '\t');

      fields[n++] = p;
      if (tab == NULL)
        break;
      *tab = '\0';
      p = tab + 1;
      if (n == MAX_FIELDS)
        {
          bad_line (self, line, _("it has too many fields"));
          return;
        }
    }

  if (!handle (self, fields, n))
    {
      g_autofree char *shown = g_strndup (line, length);

      bad_line (self, shown, self->saw_header ? _("its fields are not what the protocol allows")
                                              : _("the probe's first line is missing"));
    }
}

void
tl_probe_reader_feed (TlProbeReader *self,
                      const char    *data,
                      gsize          length)
{
  g_return_if_fail (self != NULL);

  while (length > 0)
    {
      const char *newline = memchr (data, '\n', length);
      gsize piece = newline != NULL ? (gsize) (newline - data) : length;

      if (!self->overlong)
        {
          if (self->pending->len + piece > TL_PROBE_MAX_LINE)
            {
              /* Never buffer more than one line's worth. */
              g_autofree char *start = g_strndup (self->pending->len > 0 ? self->pending->str : data,
                                                  MIN (80, self->pending->len > 0 ? self->pending->len : piece));

              bad_line (self, start, _("it is longer than the protocol allows"));
              g_string_truncate (self->pending, 0);
              self->overlong = TRUE;
            }
          else
            g_string_append_len (self->pending, data, piece);
        }

      if (newline == NULL)
        break;

      if (!self->overlong)
        tl_probe_reader_feed_line (self, self->pending->str, self->pending->len);
      g_string_truncate (self->pending, 0);
      self->overlong = FALSE;
      data = newline + 1;
      length -= piece + 1;
    }
  /* What this piece of the report changed shows now, not only when a
   * later time comes. */
  if (self->saw_header)
    flush_counters (self);
}

static void
cancel_live (TlProbeReader *self,
             guint          section,
             guint32        root,
             gint64         end_us,
             TlCause        cause)
{
  guint n = tl_trace_get_n_instances (self->trace);

  for (guint32 i = 0; i < n; i++)
    {
      const TlInstance *instance = tl_trace_get_instance (self->trace, i);
      const TlOutcome *outcome = tl_trace_get_outcome (self->trace, i);

      if (instance->section != section || TL_STATE_IS_FINAL (outcome->state))
        continue;
      set_cancelled (self, i,
                     outcome->started_us < 0 && outcome->queued_us < 0 ? TL_STATE_NEVER_STARTED
                                                                        : TL_STATE_CANCELLED,
                     cause, cause == TL_CAUSE_SECTION_END ? root : TL_NO_INSTANCE, end_us);
    }
}

void
tl_probe_reader_finish (TlProbeReader *self,
                        gint64         end_us,
                        TlCause        cause)
{
  guint n_sections;

  g_return_if_fail (self != NULL);

  if (self->pending->len > 0 && !self->overlong)
    tl_probe_reader_feed_line (self, self->pending->str, self->pending->len);
  g_string_truncate (self->pending, 0);

  end_us = MAX (end_us, self->last_us);
  n_sections = tl_trace_get_n_sections (self->trace);
  /* Tasks the program left running when it ended (os._exit, a crash, a
   * stop) end with it; so does a section it never closed. */
  for (guint s = 0; s < n_sections; s++)
    {
      const TlSection *section = tl_trace_get_section (self->trace, s);

      cancel_live (self, s, section->root, end_us, cause);
      if (section->end_us < 0)
        tl_trace_end_section (self->trace, s, end_us);
    }
  if (self->saw_header)
    flush_counters (self);
  self->open_section = -1;
}

gboolean
tl_probe_reader_saw_header (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->saw_header;
}

gboolean
tl_probe_reader_saw_exit (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->saw_exit;
}

gboolean
tl_probe_reader_get_startup_error (TlProbeReader *self,
                                   const char   **file,
                                   guint         *line,
                                   const char   **message)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->startup_message == NULL)
    return FALSE;
  if (file != NULL)
    *file = self->startup_file;
  if (line != NULL)
    *line = self->startup_line;
  if (message != NULL)
    *message = self->startup_message;
  return TRUE;
}

guint
tl_probe_reader_get_n_bad_lines (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_bad;
}

const char *
tl_probe_reader_get_bad_line_message (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->bad_message;
}

gboolean
tl_probe_reader_is_capped (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->capped;
}

gint64
tl_probe_reader_get_last_us (TlProbeReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->last_us;
}
