/* tl-export-csv.c — one row per task instance, RFC 4180
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are written straight into the output buffer: integers formatted
 * by hand, names and label templates escaped once per export.
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "export/tl-export-private.h"
#include "export/tl-export-names.h"
#include "core/tl-out-buffer.h"

/* The report's task fields, in the report's order. */
static const char header[] =
  "id,section,name,copy,label,kind,parent,status,"
  "result,error,created_us,queued_us,started_us,finished_us,"
  "on,depth,deadline_us,cause,cancelled_by,"
  "http_status,http_reason,http_url,http_bytes,http_reused,"
  "http_start_us,http_dns_us,http_connect_us,http_tls_us,"
  "http_request_us,http_first_byte_us,http_end_us\r\n";

/* ",VALUE", or just "," when @value is negative (does not apply). */
static inline void
write_int (TlOutBuffer *out,
           gint64       value)
{
  tl_out_buffer_append_c (out, ',');
  if (value >= 0)
    tl_out_buffer_append_uint (out, (guint64) value);
}

static inline void
write_field (TlOutBuffer *out,
             const char  *value)
{
  tl_out_buffer_append_c (out, ',');
  _tl_export_write_csv_field (out, value);
}

static inline void
write_static (TlExportNames *names,
              TlOutBuffer   *out,
              const char    *value)
{
  tl_out_buffer_append_c (out, ',');
  _tl_export_names_write_static_csv (names, out, value);
}

static gint64
phase_us (gint64 start_us,
          gint64 end_us)
{
  return start_us >= 0 && end_us >= start_us ? end_us - start_us : -1;
}

/* The report's "http" object, flattened; empty for other tasks. */
static void
write_http (TlOutBuffer         *out,
            const TlHttpDetails *http,
            gint64               base_us)
{
  if (http == NULL)
    {
      tl_out_buffer_append_literal (out, ",,,,,,,,,,,,");
      return;
    }

  write_int (out, http->status > 0 ? (gint64) http->status : -1);
  write_field (out, http->reason);
  write_field (out, http->url);
  write_int (out, http->bytes);
  write_field (out, http->connection_reused ? "true" : "false");
  write_int (out, _tl_export_relative (base_us, http->fetch_start_us));
  write_int (out, phase_us (http->dns_start_us, http->dns_end_us));
  write_int (out, phase_us (http->connect_start_us, http->connect_end_us));
  write_int (out, phase_us (http->tls_start_us, http->tls_end_us));
  write_int (out, phase_us (http->request_start_us, http->request_end_us));
  write_int (out, _tl_export_relative (base_us, http->first_byte_us));
  write_int (out, _tl_export_relative (base_us, http->end_us));
}

gboolean
tl_export_csv (TlTrace       *trace,
               GOutputStream *stream,
               GCancellable  *cancellable,
               GError       **error)
{
  TlExportNames *names;
  TlOutBuffer *out;
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

  base_us = _tl_export_get_base_us (trace);
  n_instances = tl_trace_get_n_instances (trace);
  names = _tl_export_names_new (trace);
  out = tl_out_buffer_new (stream, cancellable);

  tl_out_buffer_append (out, header, sizeof header - 1);

  for (guint32 id = 0; id < n_instances && !tl_out_buffer_has_failed (out); id++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, id);
      const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
      const TlHttpDetails *http = tl_trace_get_http (trace, id);
      gboolean cancelled = outcome->cause != TL_CAUSE_NONE &&
                           (outcome->state == TL_STATE_CANCELLED ||
                            outcome->state == TL_STATE_TIMED_OUT ||
                            outcome->state == TL_STATE_NEVER_STARTED);

      tl_out_buffer_append_uint (out, id);
      tl_out_buffer_append_c (out, ',');
      _tl_export_names_write_section_csv (names, out, instance->section);
      tl_out_buffer_append_c (out, ',');
      _tl_export_names_write_task_csv (names, out, id);
      write_int (out, instance->copy);
      tl_out_buffer_append_c (out, ',');
      _tl_export_names_write_label_csv (names, out, id);
      write_static (names, out, tl_kind_to_string (instance->kind));
      write_int (out, instance->parent == TL_NO_INSTANCE ? -1 : (gint64) instance->parent);
      write_static (names, out, tl_state_to_string (outcome->state));
      write_field (out, tl_trace_get_result (trace, id));
      write_field (out, tl_trace_get_error (trace, id));
      write_int (out, _tl_export_relative (base_us, outcome->created_us));
      write_int (out, _tl_export_relative (base_us, outcome->queued_us));
      write_int (out, _tl_export_relative (base_us, outcome->started_us));
      /* Empty, like the report's null, for a task that never started. */
      write_int (out, outcome->state == TL_STATE_NEVER_STARTED ? -1
                      : _tl_export_relative (base_us, outcome->finished_us));
      write_static (names, out, tl_on_to_string (instance->on));
      write_int (out, instance->depth);
      write_int (out, _tl_export_relative (base_us, outcome->deadline_us));
      write_static (names, out, cancelled ? tl_cause_to_string (outcome->cause) : NULL);
      write_int (out, cancelled && outcome->cause_instance != TL_NO_INSTANCE
                      ? (gint64) outcome->cause_instance : -1);
      write_http (out, http, base_us);
      tl_out_buffer_append_literal (out, "\r\n");
    }

  _tl_export_names_free (names);
  return tl_out_buffer_finish (out, error);
}
