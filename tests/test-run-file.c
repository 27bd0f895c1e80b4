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

/* A program's trace (tasks named by the program, not a preset) is
 * refused with a message rather than written as a file that cannot be
 * read back. */
static void
test_program_refused (void)
{
  g_autoptr(TlPreset) preset = tl_preset_new_for_program ("/tmp/prog.py", "import asyncio\n");
  g_autoptr(TlTrace) trace = tl_trace_new_open (preset);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  tl_trace_add_open_instance (trace, TL_NO_INSTANCE, 0, TL_KIND_SLEEP, TL_ON_LOOP, "main", "main()", 3, 0);
  tl_trace_complete (trace, 10);
  g_assert_false (tl_run_file_write (trace, NULL, stream, NULL, &error));
  g_assert_error (error, TL_RUN_FILE_ERROR, TL_RUN_FILE_ERROR_SOURCE);
  g_assert_nonnull (strstr (error->message, "Python programs"));
  g_output_stream_close (stream, NULL, NULL);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), ==, 0);
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
  g_test_add_func ("/engine/run-file/program-refused", test_program_refused);

  return g_test_run ();
}
