/* tl-export-report.c — the run report, JSON format 1
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields and their meaning are fixed by docs/command-line.md; new
 * fields may be added, existing ones never change meaning. Tasks, the
 * bulk of a report, are written as fixed records straight into the
 * output buffer.
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <glib/gi18n.h>

#include "export/tl-export-private.h"
#include "export/tl-export-names.h"
#include "core/tl-json-writer.h"
#include "trace/tl-summary.h"

static void
write_sections (TlJsonWriter *w,
                TlTrace      *trace,
                gint64        base_us)
{
  guint n_sections = tl_trace_get_n_sections (trace);

  tl_json_writer_key (w, "sections");
  tl_json_writer_begin_array (w, TRUE);
  for (guint s = 0; s < n_sections; s++)
    {
      const TlSection *section = tl_trace_get_section (trace, s);
      g_autofree char *error = _tl_export_dup_section_error (trace, s);
      gint64 end_us = section->end_us;
      TlSectionSummary summary;

      tl_json_writer_begin_object (w);
      tl_json_writer_key (w, "root");
      tl_json_writer_string (w, _tl_export_get_section_name (trace, s));
      tl_json_writer_key (w, "status");
      tl_json_writer_string (w, tl_state_to_string (section->state));
      tl_json_writer_key (w, "error");
      tl_json_writer_string (w, error);
      tl_json_writer_key (w, "start_us");
      tl_json_writer_int (w, _tl_export_relative (base_us, section->start_us));
      tl_json_writer_key (w, "end_us");
      tl_json_writer_int_or_null (w, _tl_export_relative (base_us, end_us));
      tl_json_writer_key (w, "wall_us");
      tl_json_writer_int_or_null (w, end_us >= 0 ? MAX (end_us - section->start_us, 0) : -1);
      tl_json_writer_key (w, "root_id");
      tl_json_writer_int (w, section->root);

      tl_summary_compute_section (trace, s, &summary);
      tl_json_writer_key (w, "task_time_us");
      tl_json_writer_int (w, summary.task_time_us);
      tl_json_writer_key (w, "overlap");
      tl_json_writer_double (w, summary.overlap);
      tl_json_writer_key (w, "counts");
      tl_json_writer_begin_object (w);
      for (guint state = TL_STATE_OK; state < TL_N_STATES; state++)
        {
          tl_json_writer_key (w, tl_state_to_string (state));
          tl_json_writer_int (w, summary.counts[state]);
        }
      tl_json_writer_end_object (w);
      tl_json_writer_key (w, "warnings");
      tl_json_writer_int (w, summary.n_warnings);
      /* Added within format 1: readers that do not know it skip it. */
      tl_json_writer_key (w, "cpu");
      if (!section->cpu_measured)
        tl_json_writer_null (w);
      else
        {
          tl_json_writer_begin_object (w);
          tl_json_writer_key (w, "cores");
          tl_json_writer_int (w, section->cpu_cores);
          tl_json_writer_key (w, "work_us");
          tl_json_writer_int (w, summary.cpu_work_us);
          tl_json_writer_key (w, "demand_us");
          tl_json_writer_int (w, summary.cpu_demand_us);
          tl_json_writer_key (w, "share");
          tl_json_writer_double (w, summary.cpu_share);
          tl_json_writer_key (w, "process_cpu_us");
          tl_json_writer_int_or_null (w, section->cpu_process_us);
          tl_json_writer_key (w, "pressure_us");
          tl_json_writer_int_or_null (w, section->cpu_pressure_us);
          tl_json_writer_key (w, "contended");
          tl_json_writer_boolean (w, summary.cpu_contended);
          tl_json_writer_end_object (w);
        }
      tl_json_writer_end_object (w);
    }
  tl_json_writer_end_array (w);
}

/* Writes ,"KEY":VALUE members, or nothing when they do not apply. */
static inline void
write_phase (TlOutBuffer *out,
             const char  *member,
             gsize        member_len,
             gint64       start_us,
             gint64       end_us)
{
  if (start_us < 0 || end_us < start_us)
    return;
  tl_out_buffer_append (out, member, member_len);
  tl_out_buffer_append_uint (out, (guint64) (end_us - start_us));
}

static inline void
write_time (TlOutBuffer *out,
            const char  *member,
            gsize        member_len,
            gint64       base_us,
            gint64       time_us)
{
  if (time_us < 0)
    return;
  tl_out_buffer_append (out, member, member_len);
  tl_out_buffer_append_int (out, _tl_export_relative (base_us, time_us));
}

#define MEMBER(m) m, sizeof (m) - 1

static inline void
write_int_or_null (TlOutBuffer *out,
                   gint64       value)
{
  if (value < 0)
    tl_out_buffer_append_literal (out, "null");
  else
    tl_out_buffer_append_uint (out, (guint64) value);
}

static void
write_http (TlOutBuffer         *out,
            const TlHttpDetails *http,
            gint64               base_us)
{
  tl_out_buffer_append_literal (out, ",\"http\":{\"status\":");
  if (http->status > 0)
    tl_out_buffer_append_uint (out, http->status);
  else
    tl_out_buffer_append_literal (out, "null");
  if (http->reason != NULL)
    {
      tl_out_buffer_append_literal (out, ",\"reason\":");
      tl_json_write_string (out, http->reason);
    }
  if (http->url != NULL)
    {
      tl_out_buffer_append_literal (out, ",\"url\":");
      tl_json_write_string (out, http->url);
    }
  tl_out_buffer_append_literal (out, ",\"bytes\":");
  write_int_or_null (out, http->bytes);
  if (http->request_bytes >= 0)
    {
      tl_out_buffer_append_literal (out, ",\"request_bytes\":");
      tl_out_buffer_append_uint (out, (guint64) http->request_bytes);
    }
  if (http->connection_reused)
    tl_out_buffer_append_literal (out, ",\"reused\":true");
  else
    tl_out_buffer_append_literal (out, ",\"reused\":false");
  write_time (out, MEMBER (",\"start_us\":"), base_us, http->fetch_start_us);
  write_phase (out, MEMBER (",\"dns_us\":"), http->dns_start_us, http->dns_end_us);
  write_phase (out, MEMBER (",\"connect_us\":"), http->connect_start_us, http->connect_end_us);
  write_phase (out, MEMBER (",\"tls_us\":"), http->tls_start_us, http->tls_end_us);
  write_phase (out, MEMBER (",\"request_us\":"), http->request_start_us, http->request_end_us);
  write_time (out, MEMBER (",\"first_byte_us\":"), base_us, http->first_byte_us);
  write_time (out, MEMBER (",\"end_us\":"), base_us, http->end_us);
  tl_out_buffer_append_c (out, '}');
}

/* One element of "tasks", written in one go: the members never change
 * order, and what every task repeats comes escaped from @names. */
static void
write_task (TlJsonWriter  *w,
            TlTrace       *trace,
            TlExportNames *names,
            guint32        id,
            gint64         base_us)
{
  const TlInstance *instance = tl_trace_get_instance (trace, id);
  const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
  const TlHttpDetails *http = tl_trace_get_http (trace, id);
  TlOutBuffer *out = tl_json_writer_begin_raw_value (w);
  gboolean cancelled = outcome->state == TL_STATE_CANCELLED ||
                       outcome->state == TL_STATE_TIMED_OUT ||
                       (outcome->state == TL_STATE_NEVER_STARTED && outcome->cause != TL_CAUSE_NONE);

  tl_out_buffer_append_literal (out, "{\"id\":");
  tl_out_buffer_append_uint (out, id);
  tl_out_buffer_append_literal (out, ",\"section\":");
  _tl_export_names_write_section_json (names, out, instance->section);
  tl_out_buffer_append_literal (out, ",\"name\":");
  _tl_export_names_write_task_json (names, out, id);
  tl_out_buffer_append_literal (out, ",\"copy\":");
  tl_out_buffer_append_uint (out, instance->copy);
  if (tl_trace_is_open (trace))
    {
      /* A program's task: the line of its file that created it (0: unknown). */
      tl_out_buffer_append_literal (out, ",\"line\":");
      tl_out_buffer_append_uint (out, tl_trace_instance_get_source_line (trace, id));
    }
  tl_out_buffer_append_literal (out, ",\"label\":");
  _tl_export_names_write_label_json (names, out, id);
  tl_out_buffer_append_literal (out, ",\"kind\":");
  _tl_export_names_write_static_json (names, out, tl_kind_to_string (instance->kind));
  tl_out_buffer_append_literal (out, ",\"parent\":");
  if (instance->parent == TL_NO_INSTANCE)
    tl_out_buffer_append_literal (out, "null");
  else
    tl_out_buffer_append_uint (out, instance->parent);
  tl_out_buffer_append_literal (out, ",\"status\":");
  _tl_export_names_write_static_json (names, out, tl_state_to_string (outcome->state));
  tl_out_buffer_append_literal (out, ",\"result\":");
  tl_json_write_string (out, tl_trace_get_result (trace, id));
  tl_out_buffer_append_literal (out, ",\"error\":");
  tl_json_write_string (out, tl_trace_get_error (trace, id));
  tl_out_buffer_append_literal (out, ",\"created_us\":");
  tl_out_buffer_append_int (out, _tl_export_relative (base_us, outcome->created_us));
  tl_out_buffer_append_literal (out, ",\"queued_us\":");
  write_int_or_null (out, _tl_export_relative (base_us, outcome->queued_us));
  tl_out_buffer_append_literal (out, ",\"started_us\":");
  write_int_or_null (out, _tl_export_relative (base_us, outcome->started_us));
  tl_out_buffer_append_literal (out, ",\"finished_us\":");
  /* The contract: a task that never started has neither time. */
  write_int_or_null (out, outcome->state == TL_STATE_NEVER_STARTED ? -1
                          : _tl_export_relative (base_us, outcome->finished_us));
  tl_out_buffer_append_literal (out, ",\"on\":");
  _tl_export_names_write_static_json (names, out, tl_on_to_string (instance->on));
  tl_out_buffer_append_literal (out, ",\"depth\":");
  tl_out_buffer_append_uint (out, instance->depth);
  tl_out_buffer_append_literal (out, ",\"deadline_us\":");
  write_int_or_null (out, _tl_export_relative (base_us, outcome->deadline_us));
  tl_out_buffer_append_literal (out, ",\"cause\":");
  _tl_export_names_write_static_json (names, out, cancelled ? tl_cause_to_string (outcome->cause) : NULL);
  tl_out_buffer_append_literal (out, ",\"cancelled_by\":");
  if (cancelled && outcome->cause_instance != TL_NO_INSTANCE)
    tl_out_buffer_append_uint (out, outcome->cause_instance);
  else
    tl_out_buffer_append_literal (out, "null");
  if (http != NULL)
    write_http (out, http, base_us);
  tl_out_buffer_append_c (out, '}');
}

/* How many warnings from @first on are the same warning about copies
 * of one task (Repeat): they come one after another. */
static guint
warning_group_length (TlTrace *trace,
                      guint    first)
{
  guint n_warnings = tl_trace_get_n_warnings (trace);
  guint n_instances = tl_trace_get_n_instances (trace);
  const TlWarning *head = tl_trace_get_warning (trace, first);
  guint n = 1;

  if (head->instance >= n_instances)
    return 1;
  while (first + n < n_warnings)
    {
      const TlWarning *next = tl_trace_get_warning (trace, first + n);

      if (next->code != head->code || next->instance >= n_instances ||
          !tl_trace_same_task (trace, next->instance, head->instance) ||
          tl_trace_get_instance (trace, next->instance)->section != tl_trace_get_instance (trace, head->instance)->section)
        break;
      n++;
    }
  return n;
}

static void
write_warnings (TlJsonWriter  *w,
                TlTrace       *trace,
                TlExportNames *names)
{
  guint n_warnings = tl_trace_get_n_warnings (trace);
  guint n_instances = tl_trace_get_n_instances (trace);

  tl_json_writer_key (w, "warnings");
  tl_json_writer_begin_array (w, TRUE);
  for (guint i = 0; i < n_warnings;)
    {
      const TlWarning *warning = tl_trace_get_warning (trace, i);
      guint count = warning_group_length (trace, i);

      tl_json_writer_begin_object (w);
      tl_json_writer_key (w, "task");
      if (warning->instance < n_instances)
        tl_json_writer_int (w, warning->instance);
      else
        tl_json_writer_null (w);
      tl_json_writer_key (w, "code");
      tl_json_writer_string (w, tl_warning_code_to_string (warning->code));
      tl_json_writer_key (w, "message");
      tl_json_writer_string (w, warning->message);
      if (warning->instance < n_instances)
        {
          tl_json_writer_key (w, "label");
          _tl_export_names_write_label_json (names, tl_json_writer_begin_raw_value (w),
                                             warning->instance);
        }
      tl_json_writer_key (w, "count");
      tl_json_writer_int (w, count);
      if (count > 1)
        {
          tl_json_writer_key (w, "tasks");
          tl_json_writer_begin_array (w, FALSE);
          for (guint k = 0; k < count; k++)
            tl_json_writer_int (w, tl_trace_get_warning (trace, i + k)->instance);
          tl_json_writer_end_array (w);
        }
      tl_json_writer_end_object (w);
      i += count;
    }
  tl_json_writer_end_array (w);
}

static void
write_loop (TlJsonWriter *w,
            TlTrace      *trace,
            gint64        base_us)
{
  guint n_events = tl_trace_get_n_events (trace);
  guint n_instances = tl_trace_get_n_instances (trace);

  tl_json_writer_key (w, "loop");
  tl_json_writer_begin_object (w);
  tl_json_writer_key (w, "max_lag_us");
  tl_json_writer_int (w, tl_trace_get_max_loop_lag_us (trace));
  tl_json_writer_key (w, "stalls");
  tl_json_writer_begin_array (w, TRUE);
  for (guint i = 0; i < n_events; i++)
    {
      const TlEvent *event = tl_trace_get_event (trace, i);

      if (event->type != TL_EVENT_LOOP_STALL)
        continue;

      tl_json_writer_begin_object (w);
      tl_json_writer_key (w, "start_us");
      tl_json_writer_int (w, _tl_export_relative (base_us, event->time_us));
      tl_json_writer_key (w, "duration_us");
      tl_json_writer_int (w, MAX (event->value, 0));
      tl_json_writer_key (w, "task");
      if (event->instance < n_instances)
        tl_json_writer_int (w, event->instance);
      else
        tl_json_writer_null (w);
      tl_json_writer_end_object (w);
    }
  tl_json_writer_end_array (w);
  tl_json_writer_end_object (w);
}

gboolean
tl_export_report (TlTrace       *trace,
                  GOutputStream *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  TlPreset *preset;
  TlExportNames *names;
  TlJsonWriter *w;
  gboolean ok;
  gint64 base_us;
  guint n_instances;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  /* Outcomes and strings of a run still going belong to the engine
   * thread (see tl-trace.h). */
  if (!tl_trace_is_complete (trace))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The run has not finished yet"));
      return FALSE;
    }

  preset = tl_trace_get_preset (trace);
  base_us = _tl_export_get_base_us (trace);
  n_instances = tl_trace_get_n_instances (trace);
  names = _tl_export_names_new (trace);
  w = tl_json_writer_new (stream, cancellable);

  tl_json_writer_begin_object (w);
  tl_json_writer_key (w, "format");
  tl_json_writer_int (w, 1);
  tl_json_writer_key (w, "preset");
  tl_json_writer_string (w, preset->name);
  tl_json_writer_key (w, "file");
  tl_json_writer_string (w, preset->file);
  tl_json_writer_key (w, "builtin");
  tl_json_writer_string (w, preset->builtin_name);
  tl_json_writer_key (w, "generator");
  tl_json_writer_string (w, "tasklanes " PACKAGE_VERSION);
  tl_json_writer_key (w, "complete");
  /* Whether every section ran to its end, not merely whether the trace
   * is finished being written: a stopped run is not complete. */
  tl_json_writer_boolean (w, tl_trace_ran_to_end (trace));
  tl_json_writer_key (w, "end_us");
  tl_json_writer_int (w, _tl_export_relative (base_us, tl_trace_get_end_us (trace)));

  write_sections (w, trace, base_us);

  tl_json_writer_key (w, "tasks");
  tl_json_writer_begin_array (w, TRUE);
  for (guint32 id = 0; id < n_instances && !tl_json_writer_has_failed (w); id++)
    write_task (w, trace, names, id, base_us);
  tl_json_writer_end_array (w);

  write_warnings (w, trace, names);
  write_loop (w, trace, base_us);
  tl_json_writer_end_object (w);
  tl_json_writer_raw (w, "\n", 1);

  ok = tl_json_writer_finish (w, error);
  _tl_export_names_free (names);
  return ok;
}
