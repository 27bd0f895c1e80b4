/* test-headless.c — the tasklanes command line, run as a program
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-headless"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>

#include "headless/tl-headless.h"
#include "tl-test-util.h"

static const char *binary;

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* No display, no session bus, no GSettings: what a CI runner has. */
static GSubprocessLauncher *
new_launcher (void)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  return launcher;
}

static gboolean
have_binary (void)
{
  /* Run by hand without the variable: nothing to test. Under meson the
   * variable is always set, and a missing program is a failure. */
  if (binary == NULL)
    {
      g_test_skip ("TASKLANES_BINARY is not set");
      return FALSE;
    }
  g_assert_true (g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE));
  return TRUE;
}

static void
run_tasklanes (Result *result,
               ...)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer) binary);
  va_start (ap, result);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

static char *
write_temp_preset (const char *dir,
                   const char *name,
                   const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_usage_errors (void)
{
  static const char * const cases[][4] = {
    { "--headless", NULL },
    { "--headless", "builtin:gather", "--bogus", NULL },
    { "--headless", "builtin:gather", "--report", NULL },
    { "--headless", "builtin:gather", "--report", "a.json", },
    { "--headless", "a.tasklanes", "b.tasklanes", NULL },
    { "--headless", "builtin:gather", "--report=-", "--trace=-" },
    { "--print-preset", NULL },
    { "--list-presets", "extra", NULL },
  };

  if (!have_binary ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0 };
      const char *a = cases[i][0], *b = cases[i][1], *c = cases[i][2], *d = cases[i][3];

      /* The fourth case repeats --report: given twice is a usage error. */
      if (i == 3)
        run_tasklanes (&result, a, b, c, d, "--report", "b.json", NULL);
      else
        run_tasklanes (&result, a, b, c, d, NULL);

      g_test_message ("case %u: %s", i, result.err);
      g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "tasklanes: "));
    }

  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", "builtin:gather", "--bogus", NULL);
    g_assert_nonnull (strstr (result.err, "--bogus"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", "builtin:gather", "--report", "/nonexistent-folder/r.json", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "/nonexistent-folder"));
  }
}

/* An output never overwrites the preset being run, nor another output;
 * a folder that cannot take the export is found before the run. */
static void
test_output_conflicts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *preset = NULL;
  g_autofree char *out = NULL;
  g_autofree char *link = NULL;
  g_autofree char *under_file = NULL;
  g_autofree char *contents = NULL;

  if (!have_binary ())
    return;
  g_assert_no_error (error);
  preset = write_temp_preset (dir, "p.tasklanes", "[Preset]\nFormat=1\nName=p\nRun=a\n\n[Task a]\nKind=sleep\nDuration=1ms\n");
  out = g_build_filename (dir, "x.json", NULL);
  link = g_build_filename (dir, "link.tasklanes", NULL);
  g_assert_cmpint (symlink ("p.tasklanes", link), ==, 0);

  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", preset, "--virtual-time", "--report", link, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "is the preset being run"));
    g_assert_true (g_file_get_contents (preset, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "[Preset]"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", preset, "--virtual-time", "--report", out, "--trace", out, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_true (g_str_has_prefix (result.err, "tasklanes: --trace: "));
    g_assert_nonnull (strstr (result.err, "--report"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Result) result = { 0 };

    under_file = g_build_filename (preset, "x.json", NULL);
    run_tasklanes (&result, "--headless", preset, "--virtual-time", "--csv", under_file, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "is not a folder"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", preset, "--virtual-time", "-q", "--report", "/proc/x.json", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "“/proc”"));
  }

  remove_dir (dir);
}

/* A missing worker program stops the run before it starts (status 1),
 * and a section that failed or timed out prints its error. */
static void
test_run_errors_explained (void)
{
  if (!have_binary ())
    return;

  {
    g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_subprocess_launcher_setenv (launcher, "TASKLANES_WORKER", "/nonexistent/worker", TRUE);
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", "builtin:cpu-in-processes", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, TL_EXIT_INVALID);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (g_str_has_prefix (err, "tasklanes: "));
    g_assert_nonnull (strstr (err, "/nonexistent/worker"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", "builtin:timeout", "--virtual-time", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_OK);
    g_assert_nonnull (strstr (result.out, "timed out: TimeoutError: "));
  }
}

/* The contract: started_us and finished_us are null (empty in the CSV)
 * for a task that never started. */
static void
test_never_started_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *report = g_build_filename (dir, "r.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "r.csv", NULL);
  g_autofree char *csv_text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Result) result = { 0 };
  JsonArray *tasks;
  guint n = 0;

  if (!have_binary ())
    return;
  g_assert_no_error (error);
  run_tasklanes (&result, "--headless", "builtin:never-awaited", "--virtual-time", "-q",
                 "--report", report, "--csv", csv, NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);

  root = load_json (report);
  tasks = json_object_get_array_member (json_node_get_object (root), "tasks");
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      if (g_strcmp0 (json_object_get_string_member (task, "status"), "never-started") != 0)
        continue;
      g_assert_true (json_object_get_null_member (task, "started_us"));
      g_assert_true (json_object_get_null_member (task, "finished_us"));
      n++;
    }
  g_assert_cmpuint (n, >, 0);

  /* CSV: status is the 5th column; started_us and finished_us the 10th
   * and 11th; the labels of this preset hold no commas. */
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  lines = g_strsplit (csv_text, "\r\n", -1);
  n = 0;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (strstr (lines[i], ",never-started,") != NULL)
      {
        g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
        guint status = 0;

        while (g_strcmp0 (cells[status], "never-started") != 0)
          status++;
        /* result, error, created_us, queued_us, started_us, finished_us */
        g_assert_cmpstr (cells[status + 5], ==, "");
        g_assert_cmpstr (cells[status + 6], ==, "");
        n++;
      }
  g_assert_cmpuint (n, >, 0);

  remove_dir (dir);
}

/* Without --headless, its options, unknown options and a missing
 * display are explained in Tasklanes' words, not GTK's. */
static void
test_window_arguments (void)
{
  static const char * const headless_only[] = { "--report", "--trace", "--csv", "--quiet", "-q", "--virtual-time" };

  if (!have_binary ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (headless_only); i++)
    {
      g_auto(Result) result = { 0 };
      g_autofree char *expected = g_strdup_printf ("tasklanes: %s only works with --headless\n", headless_only[i]);

      run_tasklanes (&result, headless_only[i], "x.json", NULL);
      g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
      g_assert_true (g_str_has_prefix (result.err, expected));
    }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--bogus", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_true (g_str_has_prefix (result.err, "tasklanes: unknown option “--bogus”"));
  }
  {
    g_auto(Result) result = { 0 };

    /* The launcher unsets DISPLAY and WAYLAND_DISPLAY. */
    run_tasklanes (&result, "builtin:gather", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_INVALID);
    g_assert_true (g_str_has_prefix (result.err, "tasklanes: there is no display"));
    g_assert_nonnull (strstr (result.err, "tasklanes --headless"));
    g_assert_null (strstr (result.err, "Gtk-WARNING"));
  }
  {
    g_auto(Result) result = { 0 };

    /* GApplication's own options still reach it. */
    run_tasklanes (&result, "--help-gapplication", NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "--gapplication-service"));
  }
}

/* "-" reads the preset from standard input, as scripts pipe it. */
static void
test_preset_from_stdin (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!have_binary ())
    return;
  launcher = new_launcher ();
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", "-", "--virtual-time", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process,
                                 "[Preset]\nFormat=1\nName=piped\nRun=main\n\n"
                                 "[Task main]\nKind=gather\nChildren=a\n\n[Task a]\nKind=sleep\nDuration=1s\nRepeat=3\n",
                                 NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, TL_EXIT_OK);
  g_assert_true (g_str_has_prefix (out, "main  1.00 s wall"));
}

/* Runs tasklanes with @limits applied first by the shell ("ulimit -S -n
 * 200"). */
static void
run_tasklanes_limited (Result     *result,
                       const char *limits,
                       ...)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf ("%s && exec \"$0\" \"$@\"", limits);
  va_list ap;

  g_ptr_array_add (args, (gpointer) "/bin/sh");
  g_ptr_array_add (args, (gpointer) "-c");
  g_ptr_array_add (args, script);
  g_ptr_array_add (args, (gpointer) binary);
  va_start (ap, limits);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

/* 300 fetches at once on 300 connections to the built-in server take 600
 * descriptors: with a soft limit of 200 Tasklanes raises it to the hard
 * one; with a hard limit of 200 it opens fewer connections and says so.
 * Either way every fetch succeeds. */
static void
test_open_files_limit (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=many\nRun=all\nConnections=300\n\n[Task all]\nKind=gather\nChildren=get\n\n"
    "[Task get]\nKind=fetch\nUrl=/delay/0.3\nRepeat=300\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "many.tasklanes", preset);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  const char *limits[] = { "ulimit -S -n 200", "ulimit -n 200" };

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_auto(Result) result = { 0 };
      g_autoptr(JsonNode) root = NULL;
      JsonObject *section;
      JsonArray *warnings;

      run_tasklanes_limited (&result, limits[i], "--headless", path, "--report", report, NULL);
      g_test_message ("%s: %s%s", limits[i], result.out, result.err);
      g_assert_cmpint (result.status, ==, TL_EXIT_OK);
      root = load_json (report);
      section = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "sections"), 0);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (section, "counts"), "ok"), ==, 301);
      warnings = json_object_get_array_member (json_node_get_object (root), "warnings");
      if (i == 0)
        g_assert_cmpuint (json_array_get_length (warnings), ==, 0);
      else
        {
          JsonObject *warning = json_array_get_object_element (warnings, 0);

          g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (warning, "code"), ==, "connections-limited");
          g_assert_nonnull (strstr (json_object_get_string_member (warning, "message"), "Connections=300 lowered to"));
          g_assert_nonnull (strstr (result.out, "connections-limited"));
        }
    }

  remove_dir (dir);
}

/* SIGTERM while the files are being written: the program ends by the
 * signal and leaves no hidden half-written file beside them. */
static void
test_terminated_while_writing (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=big\nRun=all\n\n"
    "[Task all]\nKind=gather\nChildren=s\n\n"
    "[Task s]\nKind=sleep\nDuration=1s\nRepeat=200000\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "big.tasklanes", preset);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *report = g_build_filename (out, "report.json", NULL);
  g_autofree char *trace = g_build_filename (out, "trace.json", NULL);
  g_autofree char *csv = g_build_filename (out, "tasks.csv", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err = NULL;
  gint64 end;
  gboolean seen = FALSE;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);

  launcher = new_launcher ();
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path, "--virtual-time",
                                         "--quiet", "--trace", trace, "--report", report, "--csv", csv, NULL);
  g_assert_no_error (error);

  end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!seen && g_get_monotonic_time () < end)
    {
      seen = tl_test_has_hidden_file (out);
      if (!seen)
        g_usleep (2000);
    }
  g_assert_true (seen);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_communicate (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);

  g_test_message ("%.*s", (int) g_bytes_get_size (err), (const char *) g_bytes_get_data (err, NULL));
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGTERM);
  g_assert_false (tl_test_has_hidden_file (out));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err), "interrupted while writing"));

  remove_dir (out);
  remove_dir (dir);
}

/* A million copies that are never awaited: two lines of summary and one
 * grouped warning in the report, not a million of each. */
static void
test_repeated_warnings_grouped (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=w\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=log;other\n\n"
    "[Task log]\nKind=sleep\nDuration=1s\nAwaited=false\nRepeat=100000\nLabel=log_event({i})\n\n"
    "[Task other]\nKind=sleep\nDuration=1ms\nAwaited=false\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "w.tasklanes", preset);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_auto(Result) result = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *warnings;
  JsonObject *first;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&result, "--headless", path, "--virtual-time", "--report", report, NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);
  g_assert_cmpuint (strlen (result.out), <, 1000);
  g_assert_nonnull (strstr (result.out, "⚠ never-awaited  log_event(1): "));
  g_assert_nonnull (strstr (result.out, "… and 99999 more copies of log with the same warning"));
  g_assert_nonnull (strstr (result.out, "⚠ never-awaited  other: "));

  root = load_json (report);
  warnings = json_object_get_array_member (json_node_get_object (root), "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 2);
  first = json_array_get_object_element (warnings, 0);
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 100000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "tasks")), ==, 100000);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "log_event(1)");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (warnings, 1), "count"), ==, 1);
  g_assert_false (json_object_has_member (json_array_get_object_element (warnings, 1), "tasks"));

  remove_dir (dir);
}

/* Before anything runs, headless names the hosts other than the demo
 * server that the run will contact. */
static void
test_remote_hosts_named (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=r\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=far;near\nReturnExceptions=true\n\n"
    "[Task far]\nKind=fetch\nUrl=http://b{i}.tasklanes-test.invalid/x\nRepeat=2\n\n"
    "[Task near]\nKind=fetch\nUrl=/users/1\n";
  static const char local_preset[] =
    "[Preset]\nFormat=1\nName=l\nRun=near\n\n[Task near]\nKind=fetch\nUrl=/users/1\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "r.tasklanes", preset);
  g_autofree char *local = write_temp_preset (dir, "l.tasklanes", local_preset);
  g_auto(Result) result = { 0 };
  g_auto(Result) local_result = { 0 };

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&result, "--headless", path, "--quiet", NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);
  g_assert_cmpstr (result.err, ==,
                   "tasklanes: this run sends HTTP requests to these hosts on the network: "
                   "b1.tasklanes-test.invalid, b2.tasklanes-test.invalid\n");

  run_tasklanes (&local_result, "--headless", local, "--quiet", NULL);
  g_assert_cmpint (local_result.status, ==, TL_EXIT_OK);
  g_assert_cmpstr (local_result.err, ==, "");

  remove_dir (dir);
}

static void
test_virtual_time_fetch (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=fetch\nRun=get\n\n"
    "[Task get]\nKind=fetch\nUrl=/users/1\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "fetch.tasklanes", preset);
  g_auto(Result) result = { 0 };

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&result, "--headless", path, "--virtual-time", NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "fetch.tasklanes"));
  g_assert_nonnull (strstr (result.err, "virtual clock"));

  remove_dir (dir);
}

static void
test_missing_file (void)
{
  g_auto(Result) result = { 0 };

  if (!have_binary ())
    return;

  run_tasklanes (&result, "--headless", "/nonexistent/missing.tasklanes", NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_INVALID);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "missing.tasklanes"));
}

static void
test_invalid_preset (void)
{
  g_autofree char *path = tl_test_dup_srcdir_path ("presets", "invalid", "kind-unknown.tasklanes", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_auto(Result) result = { 0 };

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&result, "--headless", path, "--report", report, NULL);
  g_test_message ("%s", result.err);
  g_assert_cmpint (result.status, ==, TL_EXIT_INVALID);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "kind-unknown.tasklanes"));
  /* Nothing ran, so nothing was written. */
  g_assert_false (g_file_test (report, G_FILE_TEST_EXISTS));

  remove_dir (dir);
}

static void
test_builtin_virtual (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *trace = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "tasks.csv", NULL);
  g_autoptr(JsonNode) report_root = NULL;
  g_autoptr(JsonNode) trace_root = NULL;
  g_autofree char *csv_text = NULL;
  g_auto(Result) result = { 0 };
  JsonObject *object;
  JsonArray *tasks, *sections;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  /* Options in any order, the preset last. */
  run_tasklanes (&result, "--csv", csv, "--virtual-time", "--headless", "--trace", trace,
                 "--report", report, "builtin:gather", NULL);
  g_test_message ("%s%s", result.out, result.err);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);
  g_assert_nonnull (strstr (result.out, "main"));
  g_assert_nonnull (strstr (result.out, "1.50 s wall"));
  g_assert_nonnull (strstr (result.out, "4 ok"));

  report_root = load_json (report);
  object = json_node_get_object (report_root);
  g_assert_cmpint (json_object_get_int_member (object, "format"), ==, 1);
  sections = json_object_get_array_member (object, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sections, 0), "status"), ==, "ok");
  /* The virtual clock is exact. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sections, 0), "end_us"), ==, 1500000);
  tasks = json_object_get_array_member (object, "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tasks, i), "status"), ==, "ok");

  trace_root = load_json (trace);
  g_assert_nonnull (json_object_get_array_member (json_node_get_object (trace_root), "traceEvents"));

  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "id,section,name,"));

  remove_dir (dir);
}

static void
test_quiet_and_stdout (void)
{
  g_auto(Result) result = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!have_binary ())
    return;

  run_tasklanes (&result, "--headless", "builtin:gather", "--virtual-time", "--quiet", "--report", "-", NULL);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);
  g_assert_cmpstr (result.err, ==, "");
  json_parser_load_from_data (parser, result.out, -1, &error);
  g_assert_no_error (error);

  /* Without --quiet the summary moves to stderr, keeping stdout JSON. */
  {
    g_auto(Result) loud = { 0 };

    run_tasklanes (&loud, "--headless", "builtin:gather", "--virtual-time", "--csv", "-", NULL);
    g_assert_cmpint (loud.status, ==, TL_EXIT_OK);
    g_assert_true (g_str_has_prefix (loud.out, "id,section,name,"));
    g_assert_nonnull (strstr (loud.err, "wall"));
  }
}

static void
test_real_time (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=short\nRun=one-by-one;gathered\n\n"
    "[Task one-by-one]\nKind=sequence\nChildren=nap\n\n"
    "[Task gathered]\nKind=gather\nChildren=nap\n\n"
    "[Task nap]\nKind=sleep\nDuration=200ms\nRepeat=3\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "short.tasklanes", preset);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Result) result = { 0 };
  JsonArray *sections;
  gint64 wall0, wall1;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&result, "--headless", path, "--report", report, NULL);
  g_test_message ("%s%s", result.out, result.err);
  g_assert_cmpint (result.status, ==, TL_EXIT_OK);
  g_assert_nonnull (strstr (result.out, "faster"));

  root = load_json (report);
  sections = json_object_get_array_member (json_node_get_object (root), "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 2);
  wall0 = json_object_get_int_member (json_array_get_object_element (sections, 0), "wall_us");
  wall1 = json_object_get_int_member (json_array_get_object_element (sections, 1), "wall_us");
  /* 3 × 200 ms one by one, then together: generous margins for a busy machine. */
  g_assert_cmpint (wall0, >=, 600000);
  g_assert_cmpint (wall1, >=, 200000);
  g_assert_cmpint (wall1, <, wall0);
  g_assert_cmpint (wall0, <, 600000 * 3);

  remove_dir (dir);
}

/* Whether the process catches @signum yet, so the test never races its
 * start-up on a busy machine. */
static gboolean
catches_signal (GSubprocess *process,
                int          signum)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return FALSE;
  line = strstr (status, "SigCgt:");
  if (line == NULL)
    return FALSE;
  return (g_ascii_strtoull (line + strlen ("SigCgt:"), NULL, 16) >> (signum - 1)) & 1;
}

static gboolean
catches_sigint (GSubprocess *process)
{
  return catches_signal (process, SIGINT);
}

typedef struct {
  GSubprocess *process;
  guint        source_id;
} Interrupter;

static gboolean
send_sigint_cb (gpointer user_data)
{
  Interrupter *interrupter = user_data;

  if (g_subprocess_get_identifier (interrupter->process) != NULL)
    {
      if (!catches_sigint (interrupter->process))
        return G_SOURCE_CONTINUE;
      g_subprocess_send_signal (interrupter->process, SIGINT);
    }

  interrupter->source_id = 0;
  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  *done = TRUE;
}

static void
test_interrupt (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=long\nRun=main\n\n"
    "[Task main]\nKind=gather\nChildren=nap\n\n"
    "[Task nap]\nKind=sleep\nDuration=60s\nRepeat=2\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "long.tasklanes", preset);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *tasks;
  Interrupter interrupter = { 0 };
  gboolean done = FALSE;
  gint64 t0;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  launcher = new_launcher ();
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path,
                                         "--report", report, NULL);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  interrupter.process = process;
  interrupter.source_id = g_timeout_add (300, send_sigint_cb, &interrupter);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!tl_test_wait_for_flag (&done, 20000))
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_not_reached ();
    }
  g_clear_handle_id (&interrupter.source_id, g_source_remove);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, TL_EXIT_OK);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 15 * G_USEC_PER_SEC);

  root = load_json (report);
  /* A stopped run did not run every section to its end. */
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "complete"));
  {
    JsonArray *sections = json_object_get_array_member (json_node_get_object (root), "sections");
    JsonObject *first = json_array_get_object_element (sections, 0);

    g_assert_nonnull (strstr (json_object_get_string_member (first, "error"), "stopped by the user"));
  }
  tasks = json_object_get_array_member (json_node_get_object (root), "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 3);
  for (guint i = 1; i < 3; i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);
      g_assert_cmpstr (json_object_get_string_member (task, "status"), ==, "cancelled");
    }

  remove_dir (dir);
}

/* After a stop, a call still running on a thread is waited for, and
 * the user is told so; a second SIGTERM ends the program by SIGTERM. */
static void
test_terminate_twice (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=blk\nRun=main\nThreads=1\n\n"
    "[Task main]\nKind=gather\nChildren=b;s\n\n"
    "[Task b]\nKind=blocking\nDuration=20s\n\n"
    "[Task s]\nKind=sleep\nDuration=30s\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "blk.tasklanes", preset);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  gint64 t0;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  launcher = new_launcher ();
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path, NULL);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  while (!catches_sigint (process) && g_get_monotonic_time () - t0 < 10 * G_USEC_PER_SEC)
    g_usleep (20000);
  g_usleep (200000);
  g_subprocess_send_signal (process, SIGTERM);

  /* The "still waiting" note comes a second after the stop, whatever the
   * machine's load: read standard error up to it. */
  /* The stream stays open to the end: closing it early would kill the
   * program with SIGPIPE when it writes its last message. */
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  {
    gboolean noted = FALSE;

    while (!noted)
      {
        g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (line);
        g_test_message ("stderr: %s", line);
        noted = strstr (line, "waiting for calls already running") != NULL;
      }
  }
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGTERM);
  /* Well before the 20 s call would have returned. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 15 * G_USEC_PER_SEC);

  remove_dir (dir);
}

/* SIGTERM before the run: the preset is still being read from a pipe.
 * The program catches the signal from its first moment, says so, ends
 * by that signal and has written nothing. */
static void
test_terminated_before_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *report = g_build_filename (out, "report.json", NULL);
  g_autofree char *trace = g_build_filename (out, "trace.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GDir) listing = NULL;
  gint64 t0;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);

  launcher = new_launcher ();
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The preset comes on standard input, which stays open: the program
   * waits for it before anything runs. */
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", "-", "--virtual-time",
                                         "--report", report, "--trace", trace, NULL);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  while (!catches_signal (process, SIGTERM) && g_get_monotonic_time () - t0 < 20 * G_USEC_PER_SEC)
    g_usleep (10000);
  g_assert_true (catches_signal (process, SIGTERM));
  g_subprocess_send_signal (process, SIGTERM);
  /* Standard input stays open to the end: the signal alone ends it. */
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  {
    char buffer[4096];
    gsize n = 0;

    g_input_stream_read_all (g_subprocess_get_stderr_pipe (process), buffer, sizeof buffer, &n, NULL, &error);
    g_assert_no_error (error);
    err = g_bytes_new (buffer, n);
  }

  g_test_message ("%.*s", (int) g_bytes_get_size (err), (const char *) g_bytes_get_data (err, NULL));
  /* The documented end: by the signal (143 in a shell). */
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGTERM);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err),
                                  "interrupted before the run started"));
  /* Nothing at all in the output folder: no file, no hidden file. */
  listing = g_dir_open (out, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (listing));

  remove_dir (dir);
}

/* SIGTERM at any moment of a run that writes three files, from the
 * program's very start to its end: each time the program either ends by
 * the signal or stops the run and writes what it did (status 0), and
 * never leaves a hidden file behind. */
static void
test_terminated_at_any_moment (void)
{
  static const char preset[] =
    "[Preset]\nFormat=1\nName=big\nRun=all\n\n"
    "[Task all]\nKind=gather\nChildren=s\n\n"
    "[Task s]\nKind=sleep\nDuration=1s\nRepeat=20000\n";
  const guint n_rounds = 12;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *path = write_temp_preset (dir, "big.tasklanes", preset);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *report = g_build_filename (out, "report.json", NULL);
  g_autofree char *trace = g_build_filename (out, "trace.json", NULL);
  g_autofree char *csv = g_build_filename (out, "tasks.csv", NULL);
  guint by_signal = 0;
  guint stopped = 0;
  gint64 whole = 0;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);

  /* How long one whole run takes here, to spread the signals over it. */
  {
    g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
    g_autoptr(GSubprocess) process = NULL;
    gint64 t0 = g_get_monotonic_time ();

    g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path, "--virtual-time",
                                           "--quiet", "--report", report, "--trace", trace, "--csv", csv, NULL);
    g_assert_no_error (error);
    g_subprocess_wait_check (process, NULL, &error);
    g_assert_no_error (error);
    whole = g_get_monotonic_time () - t0;
    g_test_message ("one run: %" G_GINT64_FORMAT " ms", whole / 1000);
  }

  for (guint round = 0; round < n_rounds; round++)
    {
      g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
      g_autoptr(GSubprocess) process = NULL;
      gulong delay = (gulong) (whole * round / (n_rounds - 1));
      g_autoptr(GDir) listing = NULL;
      const char *name;

      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path, "--virtual-time",
                                             "--quiet", "--report", report, "--trace", trace, "--csv", csv, NULL);
      g_assert_no_error (error);
      g_usleep (delay);
      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);

      if (g_subprocess_get_if_signaled (process))
        {
          g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGTERM);
          by_signal++;
        }
      else
        {
          /* Stopped (or already finished): the files are all there. */
          g_assert_true (g_subprocess_get_if_exited (process));
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, TL_EXIT_OK);
          g_assert_true (g_file_test (report, G_FILE_TEST_IS_REGULAR));
          g_assert_true (g_file_test (trace, G_FILE_TEST_IS_REGULAR));
          g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
          stopped++;
        }
      g_assert_false (tl_test_has_hidden_file (out));

      listing = g_dir_open (out, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *child = g_build_filename (out, name, NULL);
          g_assert_cmpint (g_remove (child), ==, 0);
        }
    }
  g_test_message ("%u ended by the signal, %u stopped and written", by_signal, stopped);

  remove_dir (dir);
}

/* The invariants of the trace export that viewers rely on. */
static guint
check_trace_export (const char *path)
{
  g_autoptr(JsonNode) root = load_json (path);
  g_autoptr(GHashTable) lives = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) flows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray *events = json_object_get_array_member (json_node_get_object (root), "traceEvents");
  gboolean metadata_done = FALSE;
  gint64 last_ts = 0;
  guint n_tasks = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      gint64 tid = json_object_get_int_member (event, "tid");
      gint64 ts, *life;

      if (ph[0] == 'M')
        {
          g_assert_false (metadata_done);
          continue;
        }
      metadata_done = TRUE;

      ts = json_object_get_int_member (event, "ts");
      g_assert_cmpint (ts, >=, last_ts);
      last_ts = ts;

      if (ph[0] == 'X' && g_strcmp0 (json_object_get_string_member (event, "cat"), "task") == 0)
        {
          gint64 *key = g_new (gint64, 1);
          gint64 *span = g_new (gint64, 2);

          *key = tid;
          span[0] = ts;
          span[1] = ts + json_object_get_int_member (event, "dur");
          g_assert_cmpint (span[1], >=, span[0]);
          g_assert_false (g_hash_table_contains (lives, key));
          g_hash_table_insert (lives, key, span);
          n_tasks++;
        }
      else if (ph[0] == 'X' && g_strcmp0 (json_object_get_string_member (event, "cat"), "state") == 0)
        {
          life = g_hash_table_lookup (lives, &tid);
          g_assert_nonnull (life);
          g_assert_cmpint (ts, >=, life[0]);
          g_assert_cmpint (ts + json_object_get_int_member (event, "dur"), <=, life[1]);
        }
      else if (ph[0] == 's' || ph[0] == 'f')
        {
          gint64 id = json_object_get_int_member (event, "id");

          life = g_hash_table_lookup (lives, &tid);
          g_assert_nonnull (life);
          g_assert_cmpint (ts, >=, life[0]);
          g_assert_cmpint (ts, <=, life[1]);
          if (ph[0] == 's')
            {
              gint64 *key = g_new (gint64, 1);

              *key = id;
              g_assert_false (g_hash_table_contains (flows, key));
              g_hash_table_add (flows, key);
            }
          else
            {
              g_assert_true (g_hash_table_remove (flows, &id));
            }
        }
    }

  g_assert_cmpuint (g_hash_table_size (flows), ==, 0);
  return n_tasks;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Every preset of the gallery runs headless on the virtual clock and
 * leaves a valid report and trace; its recording gives back the very
 * same report, trace and CSV without running anything. */
static void
test_gallery_exports (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *trace = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "tasks.csv", NULL);
  g_autofree char *record = g_build_filename (dir, "run.tasklanes-run", NULL);
  g_autofree char *report2 = g_build_filename (dir, "report2.json", NULL);
  g_autofree char *trace2 = g_build_filename (dir, "trace2.json", NULL);
  g_autofree char *csv2 = g_build_filename (dir, "tasks2.csv", NULL);
  g_auto(Result) list = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_presets = 0;

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&list, "--list-presets", NULL);
  g_assert_cmpint (list.status, ==, TL_EXIT_OK);
  lines = g_strsplit (list.out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(Result) result = { 0 };
      g_auto(Result) replay = { 0 };
      g_autofree char *name = NULL;
      g_autofree char *argument = NULL;
      g_autoptr(JsonNode) root = NULL;
      const char *space = strchr (lines[i], ' ');
      JsonArray *tasks;
      const char * const live_files[] = { report, trace, csv };
      const char * const replay_files[] = { report2, trace2, csv2 };

      if (space == NULL)
        continue;
      name = g_strndup (lines[i], space - lines[i]);
      argument = g_strconcat ("builtin:", name, NULL);

      run_tasklanes (&result, "--headless", argument, "--virtual-time", "--quiet",
                     "--report", report, "--trace", trace, "--csv", csv, "--record", record, NULL);
      g_test_message ("%s: %s", name, result.err);
      if (result.status == TL_EXIT_USAGE)
        {
          /* fetch presets need real time: said so, nothing written,
           * and they run in real time instead. */
          g_assert_nonnull (strstr (result.err, "virtual clock"));
          g_assert_false (g_file_test (report, G_FILE_TEST_EXISTS));
          g_assert_false (g_file_test (record, G_FILE_TEST_EXISTS));
          result_clear (&result);
          run_tasklanes (&result, "--headless", argument, "--quiet",
                         "--report", report, "--trace", trace, "--csv", csv, "--record", record, NULL);
          g_test_message ("%s (real time): %s", name, result.err);
        }
      g_assert_cmpint (result.status, ==, TL_EXIT_OK);

      root = load_json (report);
      tasks = json_object_get_array_member (json_node_get_object (root), "tasks");
      g_assert_cmpuint (json_array_get_length (tasks), >, 0);
      g_assert_cmpuint (check_trace_export (trace), ==, json_array_get_length (tasks));

      /* The recording: nothing runs, every export is byte for byte the
       * live run's. */
      run_tasklanes (&replay, "--headless", record, "--quiet",
                     "--report", report2, "--trace", trace2, "--csv", csv2, NULL);
      g_assert_cmpstr (replay.err, ==, "");
      g_assert_cmpint (replay.status, ==, TL_EXIT_OK);
      for (guint k = 0; k < G_N_ELEMENTS (live_files); k++)
        {
          g_autofree char *live_text = read_file (live_files[k]);
          g_autofree char *replay_text = read_file (replay_files[k]);

          g_assert_cmpstr (replay_text, ==, live_text);
          g_assert_cmpint (g_unlink (live_files[k]), ==, 0);
          g_assert_cmpint (g_unlink (replay_files[k]), ==, 0);
        }
      g_assert_cmpint (g_unlink (record), ==, 0);
      n_presets++;
    }

  g_assert_cmpuint (n_presets, >, 5);
  remove_dir (dir);
}

/* --record and a recording given to --headless: the summary, the usage
 * errors and a damaged file. */
static void
test_record_and_replay (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-headless-XXXXXX", &error);
  g_autofree char *record = g_build_filename (dir, "gather.tasklanes-run", NULL);
  g_autofree char *disguised = g_build_filename (dir, "gather.bin", NULL);
  g_autofree char *newer = tl_test_dup_srcdir_path ("data", "runs", "newer-format.tasklanes-run", NULL);
  g_autofree char *truncated = tl_test_dup_srcdir_path ("data", "runs", "truncated.tasklanes-run", NULL);
  g_auto(Result) live = { 0 };

  g_assert_no_error (error);
  if (!have_binary ())
    {
      remove_dir (dir);
      return;
    }

  run_tasklanes (&live, "--headless", "builtin:gather", "--virtual-time", "--record", record, NULL);
  g_assert_cmpint (live.status, ==, TL_EXIT_OK);

  {
    g_auto(Result) replay = { 0 };

    /* The same summary, found by content as well as by name. */
    g_assert_cmpint (g_rename (record, disguised), ==, 0);
    run_tasklanes (&replay, "--headless", disguised, NULL);
    g_assert_cmpint (replay.status, ==, TL_EXIT_OK);
    g_assert_cmpstr (replay.out, ==, live.out);
    g_assert_cmpint (g_rename (disguised, record), ==, 0);
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", record, "--virtual-time", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "is a recording"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", record, "--report", record, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", "builtin:gather", "--record", "-", "--report", "-", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "standard output"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", newer, "--report", "-", NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_INVALID);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "format 9, from a newer Tasklanes"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--headless", truncated, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_INVALID);
    g_assert_nonnull (strstr (result.err, "cut short"));
  }
  {
    g_auto(Result) result = { 0 };

    run_tasklanes (&result, "--record", record, NULL);
    g_assert_cmpint (result.status, ==, TL_EXIT_USAGE);
    g_assert_nonnull (strstr (result.err, "--record only works with --headless"));
  }

  remove_dir (dir);
}

static void
test_list_and_print (void)
{
  g_auto(Result) list = { 0 };
  g_auto(Result) print = { 0 };
  g_auto(Result) unknown = { 0 };

  if (!have_binary ())
    return;

  run_tasklanes (&list, "--list-presets", NULL);
  g_assert_cmpint (list.status, ==, TL_EXIT_OK);
  g_assert_true (g_str_has_prefix (list.out, "sync-vs-async "));
  g_assert_nonnull (strstr (list.out, "\ngather "));
  g_assert_cmpstr (list.err, ==, "");

  run_tasklanes (&print, "--print-preset", "gather", NULL);
  g_assert_cmpint (print.status, ==, TL_EXIT_OK);
  g_assert_nonnull (strstr (print.out, "[Preset]"));
  g_assert_nonnull (strstr (print.out, "Kind=gather"));

  run_tasklanes (&unknown, "--print-preset", "no-such-preset", NULL);
  g_assert_cmpint (unknown.status, ==, TL_EXIT_INVALID);
  g_assert_nonnull (strstr (unknown.err, "no-such-preset"));
}


/* The summary's counts, grouped, in English and in Korean. */
static void
test_grouped_counts (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *languages[] = { "C", "ko" };
  const char *expected[] = { "1,201 ok", "1,201개 성공" };

  if (!have_binary ())
    return;

  dir = g_dir_make_tmp ("tasklanes-grouped-XXXXXX", NULL);
  path = write_temp_preset (dir, "many.tasklanes",
                            "[Preset]\nFormat=1\nName=Many\nRun=all\n"
                            "[Task all]\nKind=gather\nChildren=job\n"
                            "[Task job]\nKind=sleep\nDuration=10ms\nRepeat=1200\n");
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

      /* The translations of this build, not an installed copy. */
      g_subprocess_launcher_setenv (launcher, "TASKLANES_LOCALEDIR", localedir, TRUE);
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", languages[i], TRUE);
      process = g_subprocess_launcher_spawn (launcher, &error, binary, "--headless", path,
                                             "--virtual-time", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", languages[i], out);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      g_assert_nonnull (strstr (out, expected[i]));
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  binary = g_getenv ("TASKLANES_BINARY");

  g_test_add_func ("/engine/headless/grouped-counts", test_grouped_counts);
  g_test_add_func ("/engine/headless/usage-errors", test_usage_errors);
  g_test_add_func ("/engine/headless/missing-file", test_missing_file);
  g_test_add_func ("/engine/headless/preset-from-stdin", test_preset_from_stdin);
  g_test_add_func ("/engine/headless/window-arguments", test_window_arguments);
  g_test_add_func ("/engine/headless/never-started-times", test_never_started_times);
  g_test_add_func ("/engine/headless/run-errors-explained", test_run_errors_explained);
  g_test_add_func ("/engine/headless/output-conflicts", test_output_conflicts);
  g_test_add_func ("/engine/headless/virtual-time-fetch", test_virtual_time_fetch);
  g_test_add_func ("/engine/headless/open-files-limit", test_open_files_limit);
  g_test_add_func ("/engine/headless/remote-hosts-named", test_remote_hosts_named);
  g_test_add_func ("/engine/headless/repeated-warnings-grouped", test_repeated_warnings_grouped);
  g_test_add_func ("/engine/headless/terminated-while-writing", test_terminated_while_writing);
  g_test_add_func ("/engine/headless/terminated-before-run", test_terminated_before_run);
  g_test_add_func ("/engine/headless/terminated-at-any-moment", test_terminated_at_any_moment);
  g_test_add_func ("/engine/headless/invalid-preset", test_invalid_preset);
  g_test_add_func ("/engine/headless/record-and-replay", test_record_and_replay);
  g_test_add_func ("/engine/headless/builtin-virtual", test_builtin_virtual);
  g_test_add_func ("/engine/headless/quiet-and-stdout", test_quiet_and_stdout);
  g_test_add_func ("/engine/headless/real-time", test_real_time);
  g_test_add_func ("/engine/headless/interrupt", test_interrupt);
  g_test_add_func ("/engine/headless/terminate-twice", test_terminate_twice);
  g_test_add_func ("/engine/headless/list-and-print", test_list_and_print);
  g_test_add_func ("/engine/headless/gallery-exports", test_gallery_exports);

  return g_test_run ();
}
