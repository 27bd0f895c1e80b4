/* tl-export-report.c — the run report, JSON format 1
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields and their meaning are fixed by docs/command-line.md; new
 * fields may be added, existing ones never change meaning.
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <glib/gi18n.h>

#include "export/tl-export-private.h"
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

static void
write_phase (TlJsonWriter *w,
             const char   *key,
             gint64        start_us,
             gint64        end_us)
{
  if (start_us < 0 || end_us < start_us)
    return;
  tl_json_writer_key (w, key);
  tl_json_writer_int (w, end_us - start_us);
}

static void
write_time (TlJsonWriter *w,
            const char   *key,
            gint64        base_us,
            gint64        time_us)
{
  if (time_us < 0)
    return;
  tl_json_writer_key (w, key);
  tl_json_writer_int (w, _tl_export_relative (base_us, time_us));
}

static void
write_http (TlJsonWriter        *w,
            const TlHttpDetails *http,
            gint64               base_us)
{
  tl_json_writer_key (w, "http");
  tl_json_writer_begin_object (w);
  tl_json_writer_key (w, "status");
  if (http->status > 0)
    tl_json_writer_int (w, http->status);
  else
    tl_json_writer_null (w);
  if (http->reason != NULL)
    {
      tl_json_writer_key (w, "reason");
      tl_json_writer_string (w, http->reason);
    }
  if (http->url != NULL)
    {
      tl_json_writer_key (w, "url");
      tl_json_writer_string (w, http->url);
    }
  tl_json_writer_key (w, "bytes");
  tl_json_writer_int_or_null (w, http->bytes);
  if (http->request_bytes >= 0)
    {
      tl_json_writer_key (w, "request_bytes");
      tl_json_writer_int (w, http->request_bytes);
    }
  tl_json_writer_key (w, "reused");
  tl_json_writer_boolean (w, http->connection_reused);
  write_time (w, "start_us", base_us, http->fetch_start_us);
  write_phase (w, "dns_us", http->dns_start_us, http->dns_end_us);
  write_phase (w, "connect_us", http->connect_start_us, http->connect_end_us);
  write_phase (w, "tls_us", http->tls_start_us, http->tls_end_us);
  write_phase (w, "request_us", http->request_start_us, http->request_end_us);
  write_time (w, "first_byte_us", base_us, http->first_byte_us);
  write_time (w, "end_us", base_us, http->end_us);
  tl_json_writer_end_object (w);
}

static void
write_task (TlJsonWriter *w,
            TlTrace      *trace,
            guint32       id,
            gint64        base_us)
{
  const TlInstance *instance = tl_trace_get_instance (trace, id);
  const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
  const TlHttpDetails *http = tl_trace_get_http (trace, id);
  g_autofree char *label = tl_trace_dup_label (trace, id);
  gboolean cancelled = outcome->state == TL_STATE_CANCELLED ||
                       outcome->state == TL_STATE_TIMED_OUT ||
                       (outcome->state == TL_STATE_NEVER_STARTED && outcome->cause != TL_CAUSE_NONE);

  tl_json_writer_begin_object (w);
  tl_json_writer_key (w, "id");
  tl_json_writer_int (w, id);
  tl_json_writer_key (w, "section");
  tl_json_writer_string (w, _tl_export_get_section_name (trace, instance->section));
  tl_json_writer_key (w, "name");
  tl_json_writer_string (w, tl_trace_get_task_name (trace, id));
  tl_json_writer_key (w, "copy");
  tl_json_writer_int (w, instance->copy);
  if (tl_trace_is_open (trace))
    {
      /* A program's task: the line of its file that created it (0: unknown). */
      tl_json_writer_key (w, "line");
      tl_json_writer_int (w, tl_trace_instance_get_source_line (trace, id));
    }
  tl_json_writer_key (w, "label");
  tl_json_writer_string (w, label);
  tl_json_writer_key (w, "kind");
  tl_json_writer_string (w, tl_kind_to_string (instance->kind));
  tl_json_writer_key (w, "parent");
  if (instance->parent == TL_NO_INSTANCE)
    tl_json_writer_null (w);
  else
    tl_json_writer_int (w, instance->parent);
  tl_json_writer_key (w, "status");
  tl_json_writer_string (w, tl_state_to_string (outcome->state));
  tl_json_writer_key (w, "result");
  tl_json_writer_string (w, tl_trace_get_result (trace, id));
  tl_json_writer_key (w, "error");
  tl_json_writer_string (w, tl_trace_get_error (trace, id));
  tl_json_writer_key (w, "created_us");
  tl_json_writer_int (w, _tl_export_relative (base_us, outcome->created_us));
  tl_json_writer_key (w, "queued_us");
  tl_json_writer_int_or_null (w, _tl_export_relative (base_us, outcome->queued_us));
  tl_json_writer_key (w, "started_us");
  tl_json_writer_int_or_null (w, _tl_export_relative (base_us, outcome->started_us));
  tl_json_writer_key (w, "finished_us");
  /* The contract: a task that never started has neither time. */
  tl_json_writer_int_or_null (w, outcome->state == TL_STATE_NEVER_STARTED ? -1
                                 : _tl_export_relative (base_us, outcome->finished_us));
  tl_json_writer_key (w, "on");
  tl_json_writer_string (w, tl_on_to_string (instance->on));
  tl_json_writer_key (w, "depth");
  tl_json_writer_int (w, instance->depth);
  tl_json_writer_key (w, "deadline_us");
  tl_json_writer_int_or_null (w, _tl_export_relative (base_us, outcome->deadline_us));
  tl_json_writer_key (w, "cause");
  tl_json_writer_string (w, cancelled ? tl_cause_to_string (outcome->cause) : NULL);
  tl_json_writer_key (w, "cancelled_by");
  if (cancelled && outcome->cause_instance != TL_NO_INSTANCE)
    tl_json_writer_int (w, outcome->cause_instance);
  else
    tl_json_writer_null (w);
  if (http != NULL)
    write_http (w, http, base_us);
  tl_json_writer_end_object (w);
}

static void
write_warnings (TlJsonWriter *w,
                TlTrace      *trace)
{
  guint n_warnings = tl_trace_get_n_warnings (trace);
  guint n_instances = tl_trace_get_n_instances (trace);

  tl_json_writer_key (w, "warnings");
  tl_json_writer_begin_array (w, TRUE);
  for (guint i = 0; i < n_warnings; i++)
    {
      const TlWarning *warning = tl_trace_get_warning (trace, i);

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
          g_autofree char *label = tl_trace_dup_label (trace, warning->instance);
          tl_json_writer_key (w, "label");
          tl_json_writer_string (w, label);
        }
      tl_json_writer_end_object (w);
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
  TlJsonWriter *w;
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
    write_task (w, trace, id, base_us);
  tl_json_writer_end_array (w);

  write_warnings (w, trace);
  write_loop (w, trace, base_us);
  tl_json_writer_end_object (w);
  tl_json_writer_raw (w, "\n", 1);

  return tl_json_writer_finish (w, error);
}
