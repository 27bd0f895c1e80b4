/* fuzz-probe-reader.c — libFuzzer target: the Python probe's line
 * protocol reader
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes are what a program wrote on the probe's pipe, delivered in
 * uneven pieces as reads would. The reader must take any of it, and the
 * trace it fills must complete as a finished run's does, its report
 * and trace export must be valid JSON whatever the program wrote, and
 * its text summary and CSV must be written too.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "export/tl-export.h"
#include "preset/tl-preset.h"
#include "python/tl-probe-reader.h"
#include "trace/tl-summary.h"
#include "trace/tl-trace.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_export (TlTrace    *trace,
              gboolean  (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **),
              const char *what)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!exporter (trace, stream, NULL, &error) ||
      !g_output_stream_close (stream, NULL, &error))
    g_error ("%s export failed: %s", what, error->message);
  if (!json_parser_load_from_data (parser,
                                   g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                                   (gssize) g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)),
                                   &error))
    g_error ("%s export is not valid JSON: %s", what, error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TlPreset) preset = tl_preset_new_for_program ("/fuzz/program.py", NULL);
  g_autoptr(TlTrace) trace = tl_trace_new_open (preset);
  TlProbeReader *reader = tl_probe_reader_new (trace);
  size_t offset = 0;
  size_t piece = 1;
  gint64 end_us;

  while (offset < size)
    {
      size_t n = MIN (piece, size - offset);

      tl_probe_reader_feed (reader, (const char *) data + offset, n);
      offset += n;
      /* 1, 3, 7, … 4095 bytes, then again: cuts fall everywhere. */
      piece = piece < 4096 ? piece * 2 + 1 : 1;
    }

  end_us = tl_probe_reader_get_last_us (reader) + 1;
  tl_probe_reader_finish (reader, end_us, TL_CAUSE_SECTION_END);
  if (tl_probe_reader_get_n_bad_lines (reader) > 0 &&
      tl_probe_reader_get_bad_line_message (reader) == NULL)
    g_error ("bad lines counted without saying what was wrong");
  tl_probe_reader_free (reader);

  tl_trace_complete (trace, end_us);
  check_export (trace, tl_export_report, "report");
  check_export (trace, tl_export_trace, "trace");
  {
    g_autoptr(GOutputStream) csv = g_memory_output_stream_new_resizable ();
    g_autoptr(GError) error = NULL;
    g_autofree char *summary = tl_summary_format_text (trace);

    if (summary == NULL || !g_utf8_validate (summary, -1, NULL))
      g_error ("the text summary is missing or not UTF-8");
    if (!tl_export_csv (trace, csv, NULL, &error))
      g_error ("CSV export failed: %s", error->message);
  }

  return 0;
}
