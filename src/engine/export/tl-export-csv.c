/* tl-export-csv.c — one row per task instance, RFC 4180
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "export/tl-export-private.h"
#include "core/tl-json-writer.h"

/* The report's task fields, in the report's order. */
static const char * const columns[] = {
  "id", "section", "name", "copy", "label", "kind", "parent", "status",
  "result", "error", "created_us", "queued_us", "started_us", "finished_us",
  "on", "depth", "deadline_us", "cause", "cancelled_by",
  "http_status", "http_reason", "http_url", "http_bytes", "http_reused",
  "http_start_us", "http_dns_us", "http_connect_us", "http_tls_us",
  "http_request_us", "http_first_byte_us", "http_end_us",
};

static void
append_field (GString    *row,
              const char *value)
{
  if (row->len > 0)
    g_string_append_c (row, ',');
  if (value == NULL)
    return;

  /* RFC 4180: quote a field holding a separator, a quote or a line
   * break, doubling the quotes inside. */
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (row, value);
      return;
    }

  g_string_append_c (row, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append_c (row, '"');
}

static void
append_int (GString *row,
            gint64   value)
{
  char buf[32];

  if (value < 0)
    {
      append_field (row, NULL);
      return;
    }
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  append_field (row, buf);
}

static gint64
phase_us (gint64 start_us,
          gint64 end_us)
{
  return start_us >= 0 && end_us >= start_us ? end_us - start_us : -1;
}

/* The report's "http" object, flattened; empty for other tasks. */
static void
append_http (GString             *row,
             const TlHttpDetails *http,
             gint64               base_us)
{
  if (http == NULL)
    {
      for (guint i = 0; i < 12; i++)
        append_field (row, NULL);
      return;
    }

  append_int (row, http->status > 0 ? (gint64) http->status : -1);
  append_field (row, http->reason);
  append_field (row, http->url);
  append_int (row, http->bytes);
  append_field (row, http->connection_reused ? "true" : "false");
  append_int (row, _tl_export_relative (base_us, http->fetch_start_us));
  append_int (row, phase_us (http->dns_start_us, http->dns_end_us));
  append_int (row, phase_us (http->connect_start_us, http->connect_end_us));
  append_int (row, phase_us (http->tls_start_us, http->tls_end_us));
  append_int (row, phase_us (http->request_start_us, http->request_end_us));
  append_int (row, _tl_export_relative (base_us, http->first_byte_us));
  append_int (row, _tl_export_relative (base_us, http->end_us));
}

gboolean
tl_export_csv (TlTrace       *trace,
               GOutputStream *stream,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GString) row = g_string_new (NULL);
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

  base_us = _tl_export_get_base_us (trace);
  n_instances = tl_trace_get_n_instances (trace);
  w = tl_json_writer_new (stream, cancellable);

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    append_field (row, columns[c]);
  g_string_append (row, "\r\n");
  tl_json_writer_raw (w, row->str, row->len);

  for (guint32 id = 0; id < n_instances && !tl_json_writer_has_failed (w); id++)
    {
      const TlInstance *instance = tl_trace_get_instance (trace, id);
      const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
      const TlHttpDetails *http = tl_trace_get_http (trace, id);
      g_autofree char *label = tl_trace_dup_label (trace, id);
      gboolean cancelled = outcome->cause != TL_CAUSE_NONE &&
                           (outcome->state == TL_STATE_CANCELLED ||
                            outcome->state == TL_STATE_TIMED_OUT ||
                            outcome->state == TL_STATE_NEVER_STARTED);

      g_string_truncate (row, 0);
      append_int (row, id);
      /* The first field of a row is never empty, so append_field's
       * "separator unless first" rule holds for the rest. */
      append_field (row, _tl_export_get_section_name (trace, instance->section));
      append_field (row, tl_trace_get_task_name (trace, id));
      append_int (row, instance->copy);
      append_field (row, label);
      append_field (row, tl_kind_to_string (instance->kind));
      append_int (row, instance->parent == TL_NO_INSTANCE ? -1 : (gint64) instance->parent);
      append_field (row, tl_state_to_string (outcome->state));
      append_field (row, tl_trace_get_result (trace, id));
      append_field (row, tl_trace_get_error (trace, id));
      append_int (row, _tl_export_relative (base_us, outcome->created_us));
      append_int (row, _tl_export_relative (base_us, outcome->queued_us));
      append_int (row, _tl_export_relative (base_us, outcome->started_us));
      /* Empty, like the report's null, for a task that never started. */
      append_int (row, outcome->state == TL_STATE_NEVER_STARTED ? -1
                         : _tl_export_relative (base_us, outcome->finished_us));
      append_field (row, tl_on_to_string (instance->on));
      append_int (row, instance->depth);
      append_int (row, _tl_export_relative (base_us, outcome->deadline_us));
      append_field (row, cancelled ? tl_cause_to_string (outcome->cause) : NULL);
      append_int (row, cancelled && outcome->cause_instance != TL_NO_INSTANCE
                         ? (gint64) outcome->cause_instance : -1);
      append_http (row, http, base_us);
      g_string_append (row, "\r\n");
      tl_json_writer_raw (w, row->str, row->len);
    }

  return tl_json_writer_finish (w, error);
}
