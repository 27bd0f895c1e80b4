/* test-run-file.c — run files: written, read back, and refused when damaged
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run-file"

#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "export/tl-export.h"
#include "preset/tl-preset.h"
#include "python/tl-probe-reader.h"
#include "record/tl-run-file.h"
#include "run/tl-runner.h"
#include "trace/tl-summary.h"
#include "tl-test-util.h"

/* Presets that run on the virtual clock and between them use every
 * table: warnings, stalls, timeouts, threads, processes, errors. */
static const char * const round_trip_presets[] = {
  "gather", "sync-vs-async", "never-awaited", "timeout", "task-exception",
  "blocking-on-loop", "executor-threads", "cpu-in-processes", "wait-timeout",
  "gather-return-exceptions",
};

static TlTrace *
run_virtual (const char *builtin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (builtin, &error);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(TlRunner) runner = NULL;
  TlRunnerOptions options = { 0 };
  TlTrace *trace;

  g_assert_no_error (error);
  options.clock = TL_CLOCK_VIRTUAL;
  g_main_context_push_thread_default (context);
  runner = tl_runner_new (preset, &options);
  tl_runner_run (runner);
  g_assert_true (tl_runner_is_finished (runner));
  trace = tl_trace_ref (tl_runner_get_trace (runner));
  g_clear_object (&runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return trace;
}

static GBytes *
export_to_bytes (TlTrace  *trace,
                 gboolean (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **))
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (exporter (trace, stream, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

/* Everything a reader of a trace shows, as one text. */
static char *
everything (TlTrace *trace)
{
  g_autoptr(GBytes) report = export_to_bytes (trace, tl_export_report);
  g_autoptr(GBytes) events = export_to_bytes (trace, tl_export_trace);
  g_autoptr(GBytes) csv = export_to_bytes (trace, tl_export_csv);
  g_autofree char *summary = tl_summary_format_text (trace);

  return g_strdup_printf ("%.*s\n%.*s\n%.*s\n%s",
                          (int) g_bytes_get_size (report), (const char *) g_bytes_get_data (report, NULL),
                          (int) g_bytes_get_size (events), (const char *) g_bytes_get_data (events, NULL),
                          (int) g_bytes_get_size (csv), (const char *) g_bytes_get_data (csv, NULL),
                          summary);
}

static GBytes *
save_to_bytes (TlTrace         *trace,
               const TlRunInfo *info)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_run_file_write (trace, info, stream, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static TlTrace *
load_from_data (const guint8  *data,
                gsize          size,
                TlRunInfo    **info,
                GError       **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);

  return tl_run_file_read (stream, "test.tasklanes-run", info, NULL, error);
}

static void
test_round_trip (void)
{
  for (guint p = 0; p < G_N_ELEMENTS (round_trip_presets); p++)
    {
      g_autoptr(TlTrace) live = run_virtual (round_trip_presets[p]);
      g_autoptr(TlRunInfo) info = tl_run_info_new_now (TRUE);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(TlTrace) loaded = NULL;
      g_autoptr(TlRunInfo) loaded_info = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *live_text = NULL;
      g_autofree char *loaded_text = NULL;
      TlPreset *a, *b;

      g_test_message ("%s", round_trip_presets[p]);
      bytes = save_to_bytes (live, info);
      loaded = load_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &loaded_info, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_true (tl_trace_is_complete (loaded));

      live_text = everything (live);
      loaded_text = everything (loaded);
      g_assert_cmpstr (loaded_text, ==, live_text);

      g_assert_cmpuint (tl_trace_get_n_events (loaded), ==, tl_trace_get_n_events (live));
      for (guint i = 0; i < tl_trace_get_n_events (live); i++)
        g_assert_cmpmem (tl_trace_get_event (loaded, i), sizeof (TlEvent),
                         tl_trace_get_event (live, i), sizeof (TlEvent));
      for (guint i = 0; i < tl_trace_get_n_instances (live); i++)
        {
          g_assert_cmpmem (tl_trace_get_instance (loaded, i), sizeof (TlInstance),
                           tl_trace_get_instance (live, i), sizeof (TlInstance));
          g_assert_cmpmem (tl_trace_get_outcome (loaded, i), sizeof (TlOutcome),
                           tl_trace_get_outcome (live, i), sizeof (TlOutcome));
        }
      g_assert_cmpint (tl_trace_ran_to_end (loaded), ==, tl_trace_ran_to_end (live));
      g_assert_cmpint (tl_trace_get_max_loop_lag_us (loaded), ==, tl_trace_get_max_loop_lag_us (live));

      a = tl_trace_get_preset (live);
      b = tl_trace_get_preset (loaded);
      g_assert_cmpstr (b->text, ==, a->text);
      g_assert_cmpstr (b->file, ==, a->file);
      g_assert_cmpstr (b->builtin_name, ==, a->builtin_name);

      g_assert_cmpstr (loaded_info->generator, ==, info->generator);
      g_assert_cmpstr (loaded_info->date, ==, info->date);
      g_assert_cmpuint (loaded_info->cores, ==, info->cores);
      g_assert_cmpstr (loaded_info->clock, ==, "virtual");
      g_assert_null (loaded_info->python);
      g_assert_cmpstr (loaded_info->kind, ==, "preset");
    }
}

/* Saved through the path writer, then loaded from the file. */
static void
test_save_and_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-run-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "gather.tasklanes-run", NULL);
  g_autofree char *plain = g_build_filename (dir, "no-suffix", NULL);
  g_autoptr(TlTrace) live = run_virtual ("gather");
  g_autoptr(TlTrace) loaded = NULL;
  g_autofree char *live_text = NULL;
  g_autofree char *loaded_text = NULL;

  g_assert_no_error (error);
  g_assert_true (tl_run_file_save (live, NULL, path, &error));
  g_assert_no_error (error);
  g_assert_true (tl_run_file_is_run_file (path));

  /* Known by its content as well as by its name. */
  g_assert_cmpint (rename (path, plain), ==, 0);
  g_assert_true (tl_run_file_is_run_file (plain));
  loaded = tl_run_file_load (plain, NULL, &error);
  g_assert_no_error (error);
  live_text = everything (live);
  loaded_text = everything (loaded);
  g_assert_cmpstr (loaded_text, ==, live_text);

  g_assert_cmpint (g_unlink (plain), ==, 0);
  g_assert_false (tl_run_file_is_run_file (plain));
  g_assert_null (tl_run_file_load (plain, NULL, &error));
  g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, plain));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_newer_format (void)
{
  g_autoptr(TlTrace) live = run_virtual ("gather");
  g_autoptr(GBytes) bytes = save_to_bytes (live, NULL);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;

  data[8] = TL_RUN_FILE_FORMAT + 1;
  g_assert_null (load_from_data (data, g_bytes_get_size (bytes), NULL, &error));
  g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "test.tasklanes-run"));
  g_assert_nonnull (strstr (error->message, "format 2"));
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_not_a_run_file (void)
{
  static const char text[] = "[Preset]\nFormat=1\nName=x\n";
  g_autoptr(GError) error = NULL;

  g_assert_null (load_from_data ((const guint8 *) text, sizeof text - 1, NULL, &error));
  g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_NOT_RUN);
  g_assert_nonnull (strstr (error->message, "not a Tasklanes run file"));
}

/* The libFuzzer entry point's body: any input gives a trace or an error,
 * and a trace that loads can be shown and exported in full. */
static gboolean
fuzz_one_input (const guint8 *data,
                gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) trace = load_from_data (data, size, NULL, &error);

  if (trace == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TL_RUN_FILE_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "test.tasklanes-run"));
      return FALSE;
    }
  g_assert_no_error (error);
  g_free (everything (trace));
  return TRUE;
}

static void
test_truncated (void)
{
  g_autoptr(TlTrace) live = run_virtual ("gather-return-exceptions");
  g_autoptr(GBytes) bytes = save_to_bytes (live, NULL);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize size = g_bytes_get_size (bytes);

  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) trace = load_from_data (data, cut, NULL, &error);

      g_assert_null (trace);
      if (cut >= 8)
        g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED);
      else
        g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_NOT_RUN);
    }
  g_assert_true (fuzz_one_input (data, size));
}

/* Bit flips in the file as stored: the gzip checksum catches almost all. */
static void
test_file_bit_flips (void)
{
  g_autoptr(TlTrace) live = run_virtual ("timeout");
  g_autoptr(GBytes) bytes = save_to_bytes (live, NULL);
  gsize size = g_bytes_get_size (bytes);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), size);

  for (guint round = 0; round < 3000; round++)
    {
      gsize at = g_test_rand_int_range (0, (gint32) size);
      guint8 bit = 1u << g_test_rand_int_range (0, 8);

      data[at] ^= bit;
      fuzz_one_input (data, size);
      data[at] ^= bit;
    }
}

static GBytes *
gunzip (const guint8 *data,
        gsize         size)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The uncompressed content of a file saved from @trace. */
static GBytes *
payload_of (TlTrace         *trace,
            const TlRunInfo *info)
{
  g_autoptr(GBytes) bytes = save_to_bytes (trace, info);

  return gunzip ((const guint8 *) g_bytes_get_data (bytes, NULL) + 16, g_bytes_get_size (bytes) - 16);
}

static GBytes *
with_header_gzip (const guint8 *header,
                  const guint8 *payload,
                  gsize         size)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = NULL;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, header, 16, NULL, NULL, &error);
  gzip = g_converter_output_stream_new (out, G_CONVERTER (compressor));
  g_output_stream_write_all (gzip, payload, size, NULL, NULL, &error);
  g_output_stream_close (gzip, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Damage behind a valid checksum: flips, overwritten words and cuts in
 * the uncompressed content, recompressed, so every check of the reader
 * is exercised rather than only the checksum. */
static void
test_payload_mutations (void)
{
  for (guint p = 0; p < G_N_ELEMENTS (round_trip_presets); p++)
    {
      g_autoptr(TlTrace) live = run_virtual (round_trip_presets[p]);
      g_autoptr(GBytes) bytes = save_to_bytes (live, NULL);
      const guint8 *file = g_bytes_get_data (bytes, NULL);
      g_autoptr(GBytes) payload = gunzip (file + 16, g_bytes_get_size (bytes) - 16);
      gsize size = g_bytes_get_size (payload);
      g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (payload, NULL), size);
      guint loaded = 0;

      /* Unchanged, it loads. */
      {
        g_autoptr(GBytes) same = with_header_gzip (file, data, size);
        g_assert_true (fuzz_one_input (g_bytes_get_data (same, NULL), g_bytes_get_size (same)));
      }

      for (guint round = 0; round < 300; round++)
        {
          g_autofree guint8 *mutated = g_memdup2 (data, size);
          gsize mutated_size = size;
          g_autoptr(GBytes) candidate = NULL;
          guint what = g_test_rand_int_range (0, 4);
          gsize at = g_test_rand_int_range (0, (gint32) size);

          switch (what)
            {
            case 0:  /* one bit */
              mutated[at] ^= 1u << g_test_rand_int_range (0, 8);
              break;
            case 1:  /* a 32-bit word set to something interesting */
              {
                static const guint32 values[] = { 0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x80000000, 2, 3, 9 };
                guint32 v = values[g_test_rand_int_range (0, G_N_ELEMENTS (values))];

                for (guint k = 0; k < 4 && at + k < size; k++)
                  mutated[at + k] = (v >> (8 * k)) & 0xff;
              }
              break;
            case 2:  /* cut short */
              mutated_size = at;
              break;
            default: /* a random byte */
              mutated[at] = (guint8) g_test_rand_int_range (0, 256);
              break;
            }

          candidate = with_header_gzip (file, mutated, mutated_size);
          loaded += fuzz_one_input (g_bytes_get_data (candidate, NULL), g_bytes_get_size (candidate));
        }
      g_test_message ("%s: %u of 300 mutations still loaded", round_trip_presets[p], loaded);
    }
}

/* What the probe reports of a small program: three tasks named by the
 * program, a failure with its traceback, a loop stall and a warning. */
static const char *program_probe =
  "tasklanes-probe\t1\t3.11.2\t42\n"
  "task\t10\t1\t-\t0\tsequence\tloop\t7\tmain\tmain()\n"
  "section-start\t11\t0\t1\n"
  "task\t20\t2\t1\t0\tsequence\tloop\t9\tfetch\tfetch(1)\n"
  "step\t30\t2\t40\n"
  "running\t1000\t2\n"
  "ok\t1010\t2\t'done'\n"
  "task\t1020\t3\t1\t0\tblocking\tthread\t12\tblock\tblock\\t(\\n)\n"
  "queued\t1020\t3\n"
  "traceback\t1499\t3\tTraceback (most recent call last):\\n  File \"prog.py\", line 12\\nOSError: disk full\n"
  "failed\t1500\t3\tOSError: disk full\n"
  "running\t1700\t1\n"
  "blocked\t1650\t1\n"
  /* Reported once the loop runs again: after main's later events. */
  "stall\t1600\t1\t200000\ttime.sleep(0.2) (prog.py:14)\n"
  "ok\t201700\t1\tNone\n"
  "section-end\t201800\t0\n"
  "exit\t201900\t0\n";

static TlTrace *
program_trace (const char *source)
{
  g_autoptr(TlPreset) preset = tl_preset_new_for_program ("/tmp/prog.py", source);
  TlTrace *trace = tl_trace_new_open (preset);
  TlProbeReader *reader = tl_probe_reader_new (trace);

  tl_probe_reader_feed (reader, program_probe, strlen (program_probe));
  tl_probe_reader_finish (reader, 202000, TL_CAUSE_SECTION_END);
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (reader), ==, 0);
  tl_probe_reader_free (reader);
  /* As the program's run does once the program has exited. */
  tl_trace_complete (trace, 202000);
  g_assert_true (tl_trace_is_complete (trace));
  return trace;
}

static TlRunInfo *
program_info (void)
{
  TlRunInfo *info = tl_run_info_new_now (FALSE);

  g_free (info->kind);
  info->kind = g_strdup (TL_RUN_KIND_PROGRAM);
  info->python = g_strdup ("3.11.2");
  info->output = g_strdup ("fetching…\nTraceback: OSError\n");
  return info;
}

/* A Python program's run: its own names, labels, lines and tracebacks,
 * its source and what it printed come back, and every export is the
 * live run's. */
static void
test_program_round_trip (void)
{
  static const char source[] = "import asyncio\n\nasync def main():\n    pass\n";
  g_autoptr(TlTrace) live = program_trace (source);
  g_autoptr(TlRunInfo) info = program_info ();
  g_autoptr(GBytes) bytes = save_to_bytes (live, info);
  g_autoptr(TlRunInfo) loaded_info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) loaded = NULL;
  g_autofree char *live_text = NULL;
  g_autofree char *loaded_text = NULL;
  TlPreset *preset;

  /* The stall and the blocked state come after a later event of their
   * task, as in a real program's run: the file must still load. */
  {
    gint64 main_last = -1;
    gboolean stall_after = FALSE, blocked_after = FALSE;

    for (guint i = 0; i < tl_trace_get_n_events (live); i++)
      {
        const TlEvent *e = tl_trace_get_event (live, i);

        if (e->instance != 0)
          continue;
        if (e->type == TL_EVENT_LOOP_STALL)
          stall_after |= e->time_us < main_last;
        else if (e->type == TL_EVENT_STATE && e->a == TL_STATE_BLOCKED)
          blocked_after |= e->time_us < main_last;
        else if (e->type != TL_EVENT_COUNTER)
          main_last = MAX (main_last, e->time_us);
      }
    g_assert_true (stall_after);
    g_assert_true (blocked_after);
  }

  loaded = load_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &loaded_info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_true (tl_trace_is_open (loaded));

  live_text = everything (live);
  loaded_text = everything (loaded);
  g_assert_cmpstr (loaded_text, ==, live_text);
  g_assert_nonnull (strstr (loaded_text, "\"line\":9"));

  g_assert_cmpuint (tl_trace_get_n_instances (loaded), ==, 3);
  for (guint32 id = 0; id < 3; id++)
    {
      g_autofree char *live_label = tl_trace_dup_label (live, id);
      g_autofree char *loaded_label = tl_trace_dup_label (loaded, id);

      g_assert_cmpstr (tl_trace_get_task_name (loaded, id), ==, tl_trace_get_task_name (live, id));
      g_assert_cmpstr (loaded_label, ==, live_label);
      g_assert_cmpuint (tl_trace_instance_get_source_line (loaded, id), ==,
                        tl_trace_instance_get_source_line (live, id));
      g_assert_cmpstr (tl_trace_get_traceback (loaded, id), ==, tl_trace_get_traceback (live, id));
      g_assert_cmpmem (tl_trace_get_instance (loaded, id), sizeof (TlInstance),
                       tl_trace_get_instance (live, id), sizeof (TlInstance));
    }
  g_assert_nonnull (strstr (tl_trace_get_traceback (loaded, 2), "line 12"));
  g_assert_cmpuint (tl_trace_get_n_events (loaded), ==, tl_trace_get_n_events (live));
  g_assert_cmpint (tl_trace_ran_to_end (loaded), ==, tl_trace_ran_to_end (live));

  preset = tl_trace_get_preset (loaded);
  g_assert_cmpstr (preset->file, ==, "/tmp/prog.py");
  g_assert_cmpstr (preset->name, ==, "prog.py");
  g_assert_cmpstr (preset->text, ==, source);
  g_assert_cmpstr (loaded_info->kind, ==, TL_RUN_KIND_PROGRAM);
  g_assert_cmpstr (loaded_info->python, ==, "3.11.2");
  g_assert_cmpstr (loaded_info->output, ==, info->output);

  /* A program whose file could not be read when it ran keeps no source;
   * one that printed nothing keeps no output. */
  {
    g_autoptr(TlTrace) no_source = program_trace (NULL);
    g_autoptr(TlRunInfo) quiet = program_info ();
    g_autoptr(GBytes) quiet_bytes = NULL;
    g_autoptr(TlTrace) reloaded = NULL;
    g_autoptr(TlRunInfo) reloaded_info = NULL;

    g_clear_pointer (&quiet->output, g_free);
    quiet_bytes = save_to_bytes (no_source, quiet);
    reloaded = load_from_data (g_bytes_get_data (quiet_bytes, NULL), g_bytes_get_size (quiet_bytes),
                               &reloaded_info, &error);
    g_assert_no_error (error);
    g_assert_null (tl_trace_get_preset (reloaded)->text);
    g_assert_null (reloaded_info->output);
  }
}

/* Finds @tag's part header in an uncompressed payload; its offset. */
static gsize
find_part (GBytes     *payload,
           const char *tag)
{
  const guint8 *data = g_bytes_get_data (payload, NULL);
  gsize size = g_bytes_get_size (payload);
  gsize at = 0;

  while (at + 12 <= size)
    {
      guint64 length = 0;

      for (guint i = 0; i < 8; i++)
        length |= (guint64) data[at + 4 + i] << (8 * i);
      if (memcmp (data + at, tag, 4) == 0)
        return at;
      at += 12 + length;
    }
  g_assert_not_reached ();
  return 0;
}

/* Damage in the program's part is named as such, with the offset. */
static void
test_program_damaged (void)
{
  g_autoptr(TlTrace) live = program_trace ("import asyncio\n");
  g_autoptr(TlRunInfo) info = program_info ();
  g_autoptr(GBytes) file = save_to_bytes (live, info);
  g_autoptr(GBytes) payload = payload_of (live, info);
  gsize size = g_bytes_get_size (payload);
  gsize prog = find_part (payload, "PROG");
  gsize inst = find_part (payload, "INST");

  /* A count of tasks larger than the part holds. */
  {
    g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (payload, NULL), size);
    g_autoptr(GBytes) damaged = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *where = g_strdup_printf ("at byte %" G_GSIZE_FORMAT " ", prog + 12 + 4);

    data[prog + 12 + 3] = 0x7f;
    damaged = with_header_gzip (g_bytes_get_data (file, NULL), data, size);
    g_assert_null (load_from_data (g_bytes_get_data (damaged, NULL), g_bytes_get_size (damaged), NULL, &error));
    g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "program’s tasks"));
    g_assert_nonnull (strstr (error->message, where));
  }

  /* One instance fewer than the program named: the instances' count. */
  {
    g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (payload, NULL), size);
    g_autoptr(GBytes) damaged = NULL;
    g_autoptr(GError) error = NULL;

    data[inst + 12] -= 1;
    damaged = with_header_gzip (g_bytes_get_data (file, NULL), data, size);
    g_assert_null (load_from_data (g_bytes_get_data (damaged, NULL), g_bytes_get_size (damaged), NULL, &error));
    g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "task instances"));
    g_assert_nonnull (strstr (error->message, "at byte"));
  }

  /* Without its part of names, a program's file says what is missing. */
  {
    const guint8 *data = g_bytes_get_data (payload, NULL);
    g_autoptr(GByteArray) cut = g_byte_array_new ();
    g_autoptr(GBytes) damaged = NULL;
    g_autoptr(GError) error = NULL;

    g_byte_array_append (cut, data, prog);
    g_byte_array_append (cut, data + inst, size - inst);
    damaged = with_header_gzip (g_bytes_get_data (file, NULL), cut->data, cut->len);
    g_assert_null (load_from_data (g_bytes_get_data (damaged, NULL), g_bytes_get_size (damaged), NULL, &error));
    g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_DAMAGED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "found its task instances where its program’s tasks should be"));
  }

  /* Mutations behind a valid checksum never crash and never give half a run. */
  for (guint round = 0; round < 400; round++)
    {
      g_autofree guint8 *mutated = g_memdup2 (g_bytes_get_data (payload, NULL), size);
      gsize at = g_test_rand_int_range (0, (gint32) size);
      gsize mutated_size = size;
      g_autoptr(GBytes) candidate = NULL;

      if (round % 4 == 3)
        mutated_size = at;
      else
        mutated[at] ^= 1u << g_test_rand_int_range (0, 8);
      candidate = with_header_gzip (g_bytes_get_data (file, NULL), mutated, mutated_size);
      fuzz_one_input (g_bytes_get_data (candidate, NULL), g_bytes_get_size (candidate));
    }
}

/* Fixtures made once and kept: a format 1 file must keep loading in
 * every later version; the damaged ones must keep being refused. */
static void
test_fixtures (void)
{
  static const struct {
    const char *file;
    int         code;     /* -1: loads */
    const char *message;
  } cases[] = {
    { "gather-format1.tasklanes-run", -1, NULL },
    { "newer-format.tasklanes-run", TL_RUN_FILE_ERROR_NEWER, "format 9" },
    { "truncated.tasklanes-run", TL_RUN_FILE_ERROR_DAMAGED, "cut short" },
    { "corrupt.tasklanes-run", TL_RUN_FILE_ERROR_DAMAGED, "damaged" },
    { "bad-reference.tasklanes-run", TL_RUN_FILE_ERROR_DAMAGED, "parent" },
    { "not-a-run.tasklanes-run", TL_RUN_FILE_ERROR_NOT_RUN, "not a Tasklanes run file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tl_test_dup_srcdir_path ("data", "runs", cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) trace = NULL;
      g_autoptr(TlRunInfo) info = NULL;

      g_test_message ("%s", cases[i].file);
      trace = tl_run_file_load (path, &info, &error);
      if (cases[i].code < 0)
        {
          g_autofree char *text = NULL;

          g_assert_no_error (error);
          g_assert_cmpuint (tl_trace_get_n_instances (trace), ==, 4);
          g_assert_cmpstr (tl_trace_get_preset (trace)->builtin_name, ==, "gather");
          g_assert_cmpstr (info->clock, ==, "virtual");
          g_assert_cmpuint (info->cores, >, 0);
          text = everything (trace);
          g_assert_nonnull (strstr (text, "\"complete\":true"));
          continue;
        }
      g_assert_null (trace);
      g_assert_error (error, TL_RUN_FILE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/run-file/round-trip", test_round_trip);
  g_test_add_func ("/engine/run-file/save-and-load", test_save_and_load);
  g_test_add_func ("/engine/run-file/newer-format", test_newer_format);
  g_test_add_func ("/engine/run-file/not-a-run-file", test_not_a_run_file);
  g_test_add_func ("/engine/run-file/truncated", test_truncated);
  g_test_add_func ("/engine/run-file/file-bit-flips", test_file_bit_flips);
  g_test_add_func ("/engine/run-file/payload-mutations", test_payload_mutations);
  g_test_add_func ("/engine/run-file/fixtures", test_fixtures);
  g_test_add_func ("/engine/run-file/program-round-trip", test_program_round_trip);
  g_test_add_func ("/engine/run-file/program-damaged", test_program_damaged);

  return g_test_run ();
}
