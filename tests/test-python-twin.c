/* test-python-twin.c — every gallery preset as a Python program, run
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /python/gallery-runs: each generated program runs under plain python3
 * and exits 0 (the HTTP ones against `tasklanes --serve`).
 *
 * /python/twin/NAME: the twin rule. The preset and its generated program,
 * both run by `tasklanes --headless`, end with the same sections, the same
 * section states, the same final state for every labelled task both
 * reports hold, and wall times within the machine's noise (CPU presets
 * with a wider margin). It is how the project checks that its engine and
 * CPython agree.
 */
#define G_LOG_DOMAIN "test-python-twin"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "preset/tl-preset.h"

static const char *binary;
static char *python;             /* the interpreter the programs run under */
static gboolean python_has_aiohttp;
static char *demo_url;
static GSubprocess *demo_server;
static char *workdir;

static gboolean
interpreter_works (const char *candidate,
                   gboolean   *has_aiohttp)
{
  const char *check[] = { candidate, "-c", "import asyncio, sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)", NULL };
  const char *http[] = { candidate, "-c", "import aiohttp", NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) check, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  *has_aiohttp = g_spawn_sync (NULL, (char **) http, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL) &&
                 g_spawn_check_wait_status (status, NULL);
  return TRUE;
}

/* TASKLANES_PYTHON, python3 from PATH or the system's: the first that
 * has aiohttp, else the first that runs at all. */
static void
choose_python (void)
{
  g_autofree char *from_path = g_find_program_in_path ("python3");
  const char *candidates[] = { g_getenv ("TASKLANES_PYTHON"), from_path, "/usr/bin/python3" };

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      gboolean has_aiohttp = FALSE;

      if (candidates[k] == NULL || !interpreter_works (candidates[k], &has_aiohttp))
        continue;
      if (python == NULL)
        {
          python = g_strdup (candidates[k]);
          python_has_aiohttp = has_aiohttp;
        }
      if (has_aiohttp)
        {
          g_free (python);
          python = g_strdup (candidates[k]);
          python_has_aiohttp = TRUE;
          return;
        }
    }
}

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* `tasklanes --serve PORT`, as the brief for HTTP programs says. */
static void
start_demo_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  GInputStream *out;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;

  demo_server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  binary, "--serve", port, NULL);
  g_assert_no_error (error);
  out = g_subprocess_get_stdout_pipe (demo_server);
  lines = g_data_input_stream_new (out);
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  demo_url = g_strdup_printf ("http://127.0.0.1:%s", port);
}

static void
stop_demo_server (void)
{
  if (demo_server == NULL)
    return;
  g_subprocess_send_signal (demo_server, SIGTERM);
  g_subprocess_wait (demo_server, NULL, NULL);
  g_clear_object (&demo_server);
}

static char *
write_program (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (name, &error);
  g_autoptr(TlPythonProgram) program = NULL;
  g_autofree char *file = g_strconcat (name, ".py", NULL);
  char *path = g_build_filename (workdir, file, NULL);

  g_assert_no_error (error);
  program = tl_python_program_new (preset);
  g_assert_true (tl_python_program_save (program, path, &error));
  g_assert_no_error (error);
  return path;
}

static gboolean
uses_http (const char *name)
{
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (name, NULL);

  for (guint i = 0; preset != NULL && i < preset->n_tasks; i++)
    if (preset->tasks[i].kind == TL_KIND_FETCH)
      return TRUE;
  return FALSE;
}

static gboolean
uses_cpu (const char *name)
{
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (name, NULL);

  for (guint i = 0; preset != NULL && i < preset->n_tasks; i++)
    if (preset->tasks[i].kind == TL_KIND_CPU)
      return TRUE;
  return FALSE;
}

static GSubprocessLauncher *
new_launcher (void)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  if (demo_url != NULL)
    g_subprocess_launcher_setenv (launcher, "TASKLANES_DEMO_URL", demo_url, TRUE);
  if (python != NULL)
    g_subprocess_launcher_setenv (launcher, "TASKLANES_PYTHON", python, TRUE);
  return launcher;
}

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_gallery_runs (void)
{
  g_auto(GStrv) names = tl_preset_list_builtin ();
  guint skipped_http = 0;

  if (python == NULL)
    {
      g_test_skip ("no python3 3.11 or newer");
      return;
    }
  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *path = write_program (names[n]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = { python, "-B", path, NULL };
      gint64 start = g_get_monotonic_time ();
      int status;

      if (uses_http (names[n]) && !python_has_aiohttp)
        {
          skipped_http++;
          continue;
        }
      status = run (argv, &out, &err);
      g_test_message ("%s: exit %d after %.2f s\n%s%s", names[n], status,
                      (g_get_monotonic_time () - start) / 1e6, out, err);
      if (status != 0 || strstr (err, "Traceback") != NULL)
        g_error ("%s.py under %s: exit status %d\n%s", names[n], python, status, err);
      /* One line of output per section. */
      {
        g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[n], NULL);
        guint lines = 0;

        for (const char *p = strstr (out, " s "); p != NULL; p = strstr (p + 1, "\n"))
          lines++;
        g_assert_cmpuint (lines, >=, preset->n_sections);
      }
    }
  if (skipped_http > 0)
    g_test_incomplete ("aiohttp is missing: the HTTP programs were not run");
}

/* --- the twin rule --- */

/* Until `tasklanes --headless PROGRAM.py` exists, a .py file is read as
 * a preset and refused as one: then there is nothing to compare yet. */
static gboolean
headless_runs_python (void)
{
  static int supported = -1;

  if (supported < 0)
    {
      g_autofree char *path = g_build_filename (workdir, "probe-support.py", NULL);
      const char *argv[] = { binary, "--headless", path, "--quiet", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_assert_true (g_file_set_contents (path, "import asyncio\n\nasyncio.run(asyncio.sleep(0))\n", -1, NULL));
      status = run (argv, &out, &err);
      supported = !(status != 0 && (strstr (err, "Key file") != NULL || strstr (err, "[Preset]") != NULL));
      g_unlink (path);
    }
  return supported;
}

static JsonObject *
headless_report (const char *input,
                 const char *report_path)
{
  const char *argv[] = { binary, "--headless", input, "--report", report_path, "--quiet", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run (argv, &out, &err);

  if (status != 0)
    g_error ("tasklanes --headless %s: exit status %d\n%s", input, status, err);
  json_parser_load_from_file (parser, report_path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_get_int (node) : -1;
}

/* "label|status" → count, for the leaf tasks (the work) of one section. */
static GHashTable *
leaf_states (JsonObject *report,
             const char *section_root)
{
  GHashTable *states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *tasks = json_object_get_array_member (report, "tasks");
  static const char * const leaf_kinds[] = { "sleep", "fetch", "blocking", "cpu", NULL };

  for (guint t = 0; t < json_array_get_length (tasks); t++)
    {
      JsonObject *task = json_array_get_object_element (tasks, t);
      const char *kind = json_object_get_string_member_with_default (task, "kind", "");
      const char *section = json_object_get_string_member_with_default (task, "section", "");
      const char *label = json_object_get_string_member_with_default (task, "label", "");
      const char *status = json_object_get_string_member_with_default (task, "status", "");
      g_autofree char *key = NULL;

      if (section_root != NULL && strcmp (section, section_root) != 0)
        continue;
      if (section_root != NULL && !g_strv_contains (leaf_kinds, kind))
        continue;
      /* A Python task never ends "timed out" itself: the deadline of
       * asyncio.timeout() or wait_for() makes it raise TimeoutError, which
       * the program's report calls a failure. Compare them as one. */
      if (strcmp (status, "timed-out") == 0)
        status = "failed";
      key = g_strdup_printf ("%s|%s", label, status);
      g_hash_table_replace (states, g_strdup (key),
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (states, key)) + 1));
    }
  return states;
}

/* What creating, running and watching one task may cost CPython under the
 * probe on a loaded machine, beyond the engine's own cost. */
#define TASK_COST_US 250

static guint
count_section_tasks (JsonObject *report,
                     const char *section_root)
{
  JsonArray *tasks = json_object_get_array_member (report, "tasks");
  guint n = 0;

  for (guint t = 0; t < json_array_get_length (tasks); t++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (tasks, t),
                                                               "section", ""), section_root) == 0)
      n++;
  return n;
}

static gboolean
has_label (GHashTable *states,
           const char *label)
{
  GHashTableIter iter;
  gpointer key;
  g_autofree char *prefix = g_strconcat (label, "|", NULL);

  g_hash_table_iter_init (&iter, states);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix))
      return TRUE;
  return FALSE;
}

static void
test_twin (gconstpointer data)
{
  const char *name = data;
  g_autofree char *builtin = g_strconcat ("builtin:", name, NULL);
  g_autofree char *program = NULL;
  g_autofree char *preset_report = g_strdup_printf ("%s/%s.preset.json", workdir, name);
  g_autofree char *python_report = g_strdup_printf ("%s/%s.python.json", workdir, name);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  JsonArray *sections_a, *sections_b;
  gboolean cpu = uses_cpu (name);
  guint matched = 0;

  if (!headless_runs_python ())
    {
      g_test_skip ("tasklanes --headless does not run Python programs in this build");
      return;
    }
  if (python == NULL || (uses_http (name) && !python_has_aiohttp))
    {
      g_test_skip ("no python3 with what this program needs (aiohttp for HTTP)");
      return;
    }

  program = write_program (name);
  a = headless_report (builtin, preset_report);
  b = headless_report (program, python_report);

  sections_a = json_object_get_array_member (a, "sections");
  sections_b = json_object_get_array_member (b, "sections");
  g_assert_cmpuint (json_array_get_length (sections_a), ==, json_array_get_length (sections_b));

  for (guint s = 0; s < json_array_get_length (sections_a); s++)
    {
      JsonObject *sa = json_array_get_object_element (sections_a, s);
      JsonObject *sb = json_array_get_object_element (sections_b, s);
      gint64 wall_a = member_int (sa, "end_us") - member_int (sa, "start_us");
      gint64 wall_b = member_int (sb, "end_us") - member_int (sb, "start_us");
      /* The machine's noise: a quarter of a second or a quarter of the
       * time. CPU work needs CPU time, which a loaded machine hands out
       * unevenly from one moment to the next (on a shared two-core machine
       * the same section took 1.4 s and 4.3 s a minute apart), so CPU
       * presets only have to agree within a factor of four. */
      gint64 margin = cpu ? MAX (wall_a, wall_b) * 3 / 4 + G_USEC_PER_SEC / 2
                          : MAX (G_USEC_PER_SEC / 4, wall_a / 4);
      /* And what each task costs CPython, watched by the probe: 10,000
       * concurrent sleeps took 2.7 s there against 1.0 s in the engine. */
      margin += (gint64) count_section_tasks (a, json_object_get_string_member (sa, "root")) * TASK_COST_US;
      g_autoptr(GHashTable) states_a = leaf_states (a, json_object_get_string_member (sa, "root"));
      g_autoptr(GHashTable) states_b = leaf_states (b, NULL);
      GHashTableIter iter;
      gpointer key, value;

      g_test_message ("%s section %u: preset %s %.3f s, program %s %.3f s", name, s,
                      json_object_get_string_member (sa, "status"), wall_a / 1e6,
                      json_object_get_string_member (sb, "status"), wall_b / 1e6);
      {
        const char *status_a = json_object_get_string_member (sa, "status");
        const char *status_b = json_object_get_string_member (sb, "status");
        JsonNode *error_node = json_object_get_member (sb, "error");
        const char *error_b = error_node != NULL && JSON_NODE_HOLDS_VALUE (error_node)
                              ? json_node_get_string (error_node) : NULL;

        /* The same TimeoutError, seen from inside the program (above). */
        if (g_strcmp0 (status_a, "timed-out") == 0 && g_strcmp0 (status_b, "failed") == 0 &&
            error_b != NULL && strstr (error_b, "TimeoutError") != NULL)
          status_b = status_a;
        g_assert_cmpstr (status_a, ==, status_b);
      }
      g_assert_cmpint (ABS (wall_a - wall_b), <=, margin);

      /* Every labelled task of the preset that the program's report also
       * holds ends the same way, as many times. */
      g_hash_table_iter_init (&iter, states_a);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *label = g_strndup (key, strrchr (key, '|') - (char *) key);

          if (!has_label (states_b, label))
            continue;
          matched++;
          if (GPOINTER_TO_UINT (g_hash_table_lookup (states_b, key)) < GPOINTER_TO_UINT (value))
            g_error ("%s: the preset ends %u × “%s”, the program does not", name,
                     GPOINTER_TO_UINT (value), (const char *) key);
        }
    }
  g_test_message ("%s: %u labelled task states compared", name, matched);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  binary = g_getenv ("TASKLANES_BINARY");
  if (binary == NULL)
    {
      g_printerr ("TASKLANES_BINARY is not set\n");
      return 77;
    }
  choose_python ();
  workdir = g_dir_make_tmp ("tl-twin-XXXXXX", &error);
  g_assert_no_error (error);
  start_demo_server ();

  g_test_add_func ("/python/gallery-runs", test_gallery_runs);
  names = tl_preset_list_builtin ();
  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *path = g_strconcat ("/python/twin/", names[n], NULL);

      g_test_add_data_func (path, names[n], test_twin);
    }

  status = g_test_run ();

  stop_demo_server ();
  {
    g_autoptr(GDir) dir = g_dir_open (workdir, 0, NULL);
    const char *entry;

    while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (workdir, entry, NULL);

        g_unlink (path);
      }
    g_rmdir (workdir);
  }
  g_free (workdir);
  g_free (demo_url);
  g_free (python);
  return status;
}
