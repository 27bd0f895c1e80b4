/* test-preset.c — loading, validating and saving presets
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/tl-duration.h"
#include "preset/tl-preset.h"
#include "tl-test-util.h"

static TlPreset *
load_valid (const char *name)
{
  g_autofree char *path = tl_test_dup_srcdir_path ("presets", "valid", name, NULL);
  g_autoptr(GError) error = NULL;
  TlPreset *preset;

  preset = tl_preset_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preset);
  return preset;
}

static const TlTaskSpec *
find_task (TlPreset   *preset,
           const char *name)
{
  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return &preset->tasks[i];
  g_assert_not_reached ();
  return NULL;
}

static const char *
child_name (TlPreset         *preset,
            const TlTaskSpec *spec,
            guint             i)
{
  g_assert_cmpuint (i, <, spec->n_children);
  return preset->tasks[spec->children[i]].name;
}

static void
test_valid_all_load (void)
{
  g_autofree char *dir_path = tl_test_dup_srcdir_path ("presets", "valid", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(TlPreset) preset = NULL;

      if (!g_str_has_suffix (name, ".tasklanes"))
        continue;
      g_test_message ("loading %s", name);
      preset = load_valid (name);
      g_assert_cmpuint (preset->n_sections, >=, 1);
      n++;
    }
  g_assert_cmpuint (n, >=, 6);
}

static void
test_valid_all_keys (void)
{
  g_autoptr(TlPreset) preset = NULL;
  const TlTaskSpec *t;

  g_setenv ("LANGUAGE", "C", TRUE);
  preset = load_valid ("all-keys.tasklanes");

  g_assert_cmpstr (preset->name, ==, "Every key");
  g_assert_cmpstr (preset->description, ==, "Uses every key once.");
  g_assert_cmpstr (preset->category, ==, "patterns");
  g_assert_cmpuint (preset->threads, ==, 3);
  g_assert_cmpuint (preset->processes, ==, 2);
  g_assert_cmpuint (preset->connections, ==, 8);
  g_assert_true (preset->gil);
  g_assert_null (preset->builtin_name);
  g_assert_true (g_str_has_suffix (preset->file, "all-keys.tasklanes"));
  g_assert_cmpuint (preset->n_tasks, ==, 13);
  g_assert_cmpuint (preset->n_sections, ==, 1);
  g_assert_cmpstr (preset->tasks[preset->sections[0]].name, ==, "main");

  /* Tasks are numbered in file order. */
  g_assert_cmpstr (preset->tasks[0].name, ==, "main");
  g_assert_cmpstr (preset->tasks[12].name, ==, "nap");

  t = find_task (preset, "main");
  g_assert_cmpint (t->kind, ==, TL_KIND_SEQUENCE);
  g_assert_cmpstr (t->label, ==, "main()");
  g_assert_cmpint (t->timeout_us, ==, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (t->line, ==, 16);
  g_assert_cmpuint (t->n_children, ==, 5);
  g_assert_cmpstr (child_name (preset, t, 0), ==, "together");
  g_assert_cmpstr (child_name (preset, t, 4), ==, "collect");

  t = find_task (preset, "together");
  g_assert_cmpint (t->kind, ==, TL_KIND_GATHER);
  g_assert_true (t->return_exceptions);
  /* Refused together with ReturnExceptions (invalid/return-exceptions-and-cancel-on-error). */
  g_assert_false (t->cancel_on_error);
  g_assert_true (t->catch_error);
  g_assert_cmpstr (child_name (preset, t, 3), ==, "burner");

  t = find_task (preset, "race");
  g_assert_cmpint (t->kind, ==, TL_KIND_WAIT);
  g_assert_cmpint (t->return_when, ==, TL_RETURN_FIRST_COMPLETED);
  g_assert_cmpint (t->max_wait_us, ==, 1500000);
  g_assert_true (t->cancel_pending);

  t = find_task (preset, "start");
  g_assert_cmpint (t->kind, ==, TL_KIND_SPAWN);
  g_assert_cmpstr (preset->tasks[t->target].name, ==, "background");
  t = find_task (preset, "collect");
  g_assert_cmpint (t->kind, ==, TL_KIND_AWAIT);
  g_assert_cmpstr (preset->tasks[t->target].name, ==, "background");
  g_assert_cmpint (t->timeout_us, ==, 2 * G_USEC_PER_SEC);

  t = find_task (preset, "user");
  g_assert_cmpint (t->kind, ==, TL_KIND_SLEEP);
  g_assert_cmpstr (t->label, ==, "fetch_user({i})");
  g_assert_cmpint (t->duration_us, ==, 250000);
  g_assert_cmpstr (t->result, ==, "User {i}");
  g_assert_cmpstr (t->fail, ==, "ValueError: bad user {i}");
  g_assert_cmpuint (t->repeat, ==, 4);
  g_assert_cmpint (t->on, ==, TL_ON_LOOP);

  t = find_task (preset, "download");
  g_assert_cmpint (t->kind, ==, TL_KIND_FETCH);
  g_assert_cmpstr (t->url, ==, "http://example.org/item/{i}");
  g_assert_cmpstr (t->method, ==, "POST");
  g_assert_cmpstr (t->body, ==, "name=tasklanes&copy=1");
  g_assert_cmpuint (t->n_expect_status, ==, 3);
  g_assert_cmpuint (t->expect_status[0], ==, 200);
  g_assert_cmpuint (t->expect_status[2], ==, 404);
  g_assert_cmpint (t->max_bytes, ==, 64 * 1024);
  g_assert_cmpuint (t->repeat, ==, 2);

  t = find_task (preset, "blocker");
  g_assert_cmpint (t->kind, ==, TL_KIND_BLOCKING);
  g_assert_cmpint (t->on, ==, TL_ON_LOOP);
  g_assert_cmpint (t->duration_us, ==, 500000);

  t = find_task (preset, "burner");
  g_assert_cmpint (t->kind, ==, TL_KIND_CPU);
  g_assert_cmpint (t->on, ==, TL_ON_PROCESS);
  g_assert_cmpint (t->work_us, ==, 120 * G_USEC_PER_SEC);

  t = find_task (preset, "slow");
  g_assert_false (t->awaited);

  t = find_task (preset, "nap");
  g_assert_cmpint (t->duration_us, ==, 0);
}

static void
test_valid_defaults (void)
{
  g_autoptr(TlPreset) preset = load_valid ("defaults.tasklanes");
  const TlTaskSpec *t;

  g_assert_cmpuint (preset->threads, ==, 0);
  g_assert_cmpuint (preset->processes, ==, 0);
  g_assert_cmpuint (preset->connections, ==, 100);
  g_assert_false (preset->gil);
  g_assert_null (preset->description);
  g_assert_null (preset->category);

  for (guint i = 0; i < preset->n_tasks; i++)
    {
      t = &preset->tasks[i];
      g_assert_cmpstr (t->label, ==, t->name);
      g_assert_cmpint (t->timeout_us, ==, -1);
      g_assert_true (t->awaited);
      g_assert_false (t->catch_error);
      g_assert_cmpuint (t->repeat, ==, 1);
      g_assert_null (t->fail);
      g_assert_null (t->result);
      g_assert_cmpstr (t->method, ==, "GET");
      g_assert_null (t->body);
      g_assert_null (t->expect_status);
      g_assert_cmpint (t->max_bytes, ==, TL_PRESET_DEFAULT_MAX_BYTES);
      g_assert_cmpint (t->max_wait_us, ==, -1);
      g_assert_false (t->return_exceptions);
      g_assert_false (t->cancel_on_error);
      g_assert_false (t->cancel_pending);
      g_assert_cmpint (t->return_when, ==, TL_RETURN_ALL_COMPLETED);
      g_assert_cmpint (t->on, ==, t->kind == TL_KIND_BLOCKING ? TL_ON_THREAD : TL_ON_LOOP);
    }

  t = find_task (preset, "get");
  g_assert_cmpstr (t->url, ==, "/bytes/100");
  t = find_task (preset, "burn");
  g_assert_cmpint (t->on, ==, TL_ON_LOOP);
  g_assert_cmpint (t->work_us, ==, G_USEC_PER_SEC);
}

static void
test_valid_windows (void)
{
  g_autoptr(TlPreset) preset = load_valid ("windows.tasklanes");
  const TlTaskSpec *t = find_task (preset, "main");

  /* A byte-order mark and "\r\n" line ends change nothing. */
  g_assert_cmpstr (preset->name, ==, "Windows");
  g_assert_cmpint (t->duration_us, ==, 1500000);
  g_assert_cmpuint (t->line, ==, 7);
}

static void
test_valid_spawn_order (void)
{
  g_autoptr(TlPreset) preset = load_valid ("spawn-order.tasklanes");

  g_assert_cmpuint (preset->n_sections, ==, 2);
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 6);
  g_assert_cmpuint (tl_preset_count_instances (preset, 1), ==, 5);
  g_assert_true (find_task (preset, "second-wait")->catch_error);
}

static void
test_valid_spawn_repeat (void)
{
  g_autoptr(TlPreset) preset = load_valid ("spawn-repeat.tasklanes");

  /* main + start + 5 copies of job + collect */
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 8);
  g_assert_cmpuint (find_task (preset, "job")->repeat, ==, 5);
}

static void
test_count_instances (void)
{
  g_autoptr(TlPreset) preset = load_valid ("sections.tasklanes");

  g_assert_cmpuint (preset->n_sections, ==, 3);
  /* root 1 + user 3 + tail 1 + many 100000 + wrapped 1 + inner 1 */
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 100007);
  g_assert_cmpuint (tl_preset_count_instances (preset, 1), ==, 100007);
  g_assert_cmpuint (tl_preset_count_instances (preset, 2), ==, 1);
  /* Sections may share tasks: each runs its own instances. */
  g_assert_cmpuint (preset->sections[0], !=, preset->sections[1]);
  g_assert_cmpint (find_task (preset, "inner")->on, ==, TL_ON_THREAD);
}

/* The documented maximum, Repeat=1000000, fits under its gather: only
 * leaves count toward the 1,000,000 instances of a section. */
static void
test_max_repeat_under_parent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=max\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=a\n"
    "[Task a]\nKind=sleep\nDuration=1s\nRepeat=1000000\n", -1, "max.tasklanes", &error);

  g_assert_no_error (error);
  g_assert_nonnull (preset);
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 1000001);
}

static void
test_translation (void)
{
  g_autofree char *path = tl_test_dup_srcdir_path ("presets", "valid", "all-keys.tasklanes", NULL);
  const char *saved = g_getenv ("LANGUAGE");
  g_autofree char *saved_copy = g_strdup (saved);

  g_setenv ("LANGUAGE", "ko", TRUE);
  {
    g_autoptr(TlPreset) preset = tl_preset_new_from_file (path, NULL);
    const TlTaskSpec *user = find_task (preset, "user");

    g_assert_cmpstr (preset->name, ==, "모든 키");
    g_assert_cmpstr (preset->description, ==, "모든 키를 한 번씩 씁니다.");
    g_assert_cmpstr (find_task (preset, "main")->label, ==, "메인()");
    g_assert_cmpstr (user->label, ==, "사용자_조회({i})");
    g_assert_cmpstr (user->result, ==, "사용자 {i}");
    g_assert_cmpstr (user->fail, ==, "ValueError: 잘못된 사용자 {i}");
    /* Untranslated keys fall back to the original text. */
    g_assert_cmpstr (find_task (preset, "together")->label, ==, "together");
  }

  /* GLib notices the changed variable on the next call. */
  g_setenv ("LANGUAGE", "de:en", TRUE);
  {
    g_autoptr(TlPreset) preset = tl_preset_new_from_file (path, NULL);

    g_assert_cmpstr (preset->name, ==, "Every key");
    g_assert_cmpstr (find_task (preset, "user")->label, ==, "fetch_user({i})");
  }

  if (saved_copy != NULL)
    g_setenv ("LANGUAGE", saved_copy, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static void
test_expand (void)
{
  g_autofree char *a = tl_preset_expand ("fetch_user({i})", 7);
  g_autofree char *b = tl_preset_expand ("{i}/{i}-{i}", 12);
  g_autofree char *c = tl_preset_expand ("no copy number", 3);
  g_autofree char *d = tl_preset_expand ("{i", 3);
  g_autofree char *e = tl_preset_expand ("{{i}}", 1000000);

  g_assert_cmpstr (a, ==, "fetch_user(7)");
  g_assert_cmpstr (b, ==, "12/12-12");
  g_assert_cmpstr (c, ==, "no copy number");
  g_assert_cmpstr (d, ==, "{i");
  g_assert_cmpstr (e, ==, "{1000000}");
  g_assert_null (tl_preset_expand (NULL, 1));
}

static void
test_remote_hosts (void)
{
  g_autoptr(TlPreset) preset = load_valid ("remote-hosts.tasklanes");
  g_auto(GStrv) hosts = tl_preset_dup_remote_hosts (preset);
  const char * const expected[] = {
    "::1", "mirror.example.net", "s1.example.org", "s2.example.org", "s3.example.org", NULL,
  };

  g_assert_nonnull (hosts);
  g_assert_cmpstrv (hosts, expected);

  {
    g_autoptr(TlPreset) local = load_valid ("defaults.tasklanes");
    g_auto(GStrv) none = tl_preset_dup_remote_hosts (local);

    g_assert_nonnull (none);
    g_assert_null (none[0]);
  }
}

static void
test_save_round_trip (void)
{
  g_autoptr(TlPreset) preset = load_valid ("all-keys.tasklanes");
  g_autoptr(TlPreset) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-preset-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  g_autofree char *original_path = tl_test_dup_srcdir_path ("presets", "valid", "all-keys.tasklanes", NULL);
  g_autofree char *original = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "copy.tasklanes", NULL);

  g_assert_true (tl_preset_save_to_file (preset, path, &error));
  g_assert_no_error (error);

  /* Byte for byte: comments and translations survive a save. */
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_true (g_file_get_contents (original_path, &original, NULL, NULL));
  g_assert_cmpstr (written, ==, original);
  g_assert_cmpstr (preset->text, ==, original);

  again = tl_preset_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_tasks, ==, preset->n_tasks);
  g_assert_cmpstr (again->name, ==, preset->name);
  for (guint i = 0; i < preset->n_tasks; i++)
    {
      g_assert_cmpstr (again->tasks[i].name, ==, preset->tasks[i].name);
      g_assert_cmpint (again->tasks[i].kind, ==, preset->tasks[i].kind);
      g_assert_cmpint (again->tasks[i].duration_us, ==, preset->tasks[i].duration_us);
    }

  /* Saving into a missing directory fails with a message naming it. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "x.tasklanes", NULL);

    g_assert_false (tl_preset_save_to_file (preset, bad, &error));
    g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, bad));
    g_clear_error (&error);
  }

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A program is saved as its source: the text it was opened with, or
 * when that was not UTF-8 (a Latin-1 comment), its file's bytes. */
static void
test_save_program (void)
{
  static const char utf8[] = "import asyncio\n# caf\xc3\xa9\nasyncio.run(asyncio.sleep(0))\n";
  static const char latin1[] = "# -*- coding: latin-1 -*-\n# caf\xe9\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-program-XXXXXX", &error);
  g_autofree char *source = g_build_filename (dir, "latin.py", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.py", NULL);
  g_autofree char *written = NULL;
  gsize length;

  g_assert_no_error (error);
  {
    g_autoptr(TlPreset) program = tl_preset_new_for_program ("/nowhere/mine.py", utf8);

    g_assert_true (tl_preset_save_to_file (program, copy, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (copy, &written, NULL, NULL));
    g_assert_cmpstr (written, ==, utf8);
    g_clear_pointer (&written, g_free);
  }
  {
    g_autoptr(TlPreset) program = tl_preset_new_for_program (source, NULL);

    g_assert_true (g_file_set_contents (source, latin1, -1, NULL));
    g_assert_true (tl_preset_save_to_file (program, copy, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (copy, &written, &length, NULL));
    g_assert_cmpmem (written, length, latin1, sizeof latin1 - 1);

    /* Gone meanwhile: said so, with the target's name. */
    g_assert_cmpint (g_remove (source), ==, 0);
    g_assert_false (tl_preset_save_to_file (program, copy, &error));
    g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, copy));
    g_assert_nonnull (strstr (error->message, "cannot save the program"));
  }

  g_assert_cmpint (g_remove (copy), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *
read_expected (const char *path)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return g_strchomp (g_steal_pointer (&text));
}

/* Every invalid fixture must fail with exactly the message beside it. */
static void
test_invalid_fixtures (void)
{
  g_autofree char *dir_path = tl_test_dup_srcdir_path ("presets", "invalid", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".tasklanes"))
      g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >=, 45);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *stem = g_strndup (file, strlen (file) - strlen (".tasklanes"));
      g_autofree char *expected_name = g_strconcat (stem, ".expected", NULL);
      g_autofree char *expected_path = g_build_filename (dir_path, expected_name, NULL);
      g_autofree char *expected = read_expected (expected_path);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = NULL;
      gsize length;

      g_test_message ("%s", file);
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));

      preset = tl_preset_new_from_data (data, length, file, &error);
      g_assert_null (preset);
      g_assert_nonnull (error);
      g_assert_true (error->domain == TL_PRESET_ERROR);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      /* Loading the file gives the same message, with the path in front. */
      preset = tl_preset_new_from_file (path, &error);
      g_assert_null (preset);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, dir_path));
      g_assert_cmpstr (error->message + strlen (dir_path) + 1, ==, expected);
    }
}

static void
assert_error_code (const char *file,
                   int         code)
{
  g_autofree char *path = tl_test_dup_srcdir_path ("presets", "invalid", file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_file (path, &error);

  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, code);
}

static void
test_invalid_codes (void)
{
  assert_error_code ("not-utf8.tasklanes", TL_PRESET_ERROR_IO);
  assert_error_code ("syntax-bad-line.tasklanes", TL_PRESET_ERROR_SYNTAX);
  assert_error_code ("syntax-key-before-group.tasklanes", TL_PRESET_ERROR_SYNTAX);
  assert_error_code ("format-newer.tasklanes", TL_PRESET_ERROR_VERSION);
  assert_error_code ("format-huge.tasklanes", TL_PRESET_ERROR_VERSION);
  assert_error_code ("format-zero.tasklanes", TL_PRESET_ERROR_INVALID);
  assert_error_code ("format-missing.tasklanes", TL_PRESET_ERROR_INVALID);
  assert_error_code ("kind-unknown.tasklanes", TL_PRESET_ERROR_INVALID);
  assert_error_code ("cycle.tasklanes", TL_PRESET_ERROR_INVALID);
  assert_error_code ("too-deep.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("too-many-instances.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("duration-too-long.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("repeat-too-large.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("repeat-zero.tasklanes", TL_PRESET_ERROR_INVALID);
  assert_error_code ("max-bytes-too-large.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("connections-too-many.tasklanes", TL_PRESET_ERROR_LIMIT);
  assert_error_code ("threads-zero.tasklanes", TL_PRESET_ERROR_INVALID);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_file ("/nonexistent/dir/none.tasklanes", &error);
  g_autoptr(TlPreset) dir_preset = NULL;

  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "/nonexistent/dir/none.tasklanes: cannot open the file: No such file or directory");
  g_clear_error (&error);

  dir_preset = tl_preset_new_from_file (g_get_tmp_dir (), &error);
  g_assert_null (dir_preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
}

static void
test_too_large (void)
{
  gsize size = TL_PRESET_MAX_FILE_SIZE + 1;
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autofree char *path = NULL;
  int fd;

  /* Valid text, only too long: the size alone decides. */
  memset (data, '#', size);
  memcpy (data, "[Preset]\n", 9);
  for (gsize i = 100; i < size; i += 100)
    data[i] = '\n';
  data[size] = '\0';

  preset = tl_preset_new_from_data (data, size, "big.tasklanes", &error);
  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "big.tasklanes: the file is too large (1025 KiB); a preset is at most 1 MiB");
  g_clear_error (&error);

  fd = g_file_open_tmp ("tasklanes-big-XXXXXX.tasklanes", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, data, size, NULL));
  preset = tl_preset_new_from_file (path, &error);
  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_cmpint (g_remove (path), ==, 0);
}

static gpointer
write_fifo_thread (gpointer data)
{
  const char *path = data;
  const char text[] = "[Preset]\nFormat=1\nName=piped\nRun=a\n\n[Task a]\nKind=sleep\nDuration=1ms\n";
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, text, sizeof text - 1), ==, sizeof text - 1);
  close (fd);
  return NULL;
}

/* A FIFO nobody writes to gives a message at once instead of hanging;
 * one with a writer is read like a file. */
static void
test_fifo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-fifo-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(TlPreset) preset = NULL;
  GThread *writer;
  gint64 t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  path = g_build_filename (dir, "p.tasklanes", NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);

  preset = tl_preset_new_from_file (path, &error);
  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no program was writing"));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  writer = g_thread_new ("fifo-writer", write_fifo_thread, path);
  /* The writer's open() waits for a reader; ours must not miss it. */
  while (preset == NULL && g_get_monotonic_time () - t0 < 10 * G_USEC_PER_SEC)
    {
      g_clear_error (&error);
      preset = tl_preset_new_from_file (path, &error);
      if (preset == NULL)
        g_usleep (10000);
    }
  g_thread_join (writer);
  g_assert_no_error (error);
  g_assert_nonnull (preset);
  g_assert_cmpstr (preset->name, ==, "piped");

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* xgettext cuts a msgid at a format macro such as G_GINT64_FORMAT, so
 * such a string would never be translated: numbers are formatted apart.
 * Every C file under src/ is checked, whichever folder it lives in. */
static void
check_msgids_in_file (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      gboolean translatable = strstr (lines[l], "_(\"") != NULL ||
                              strstr (lines[l], "ngettext (") != NULL ||
                              strstr (lines[l], "N_(\"") != NULL;

      if (translatable && strstr (lines[l], "\" G_G") != NULL)
        g_error ("%s:%u: a translatable string is built with a format macro: %s",
                 path, l + 1, lines[l]);
    }
}

static guint
check_msgids_in_dir (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n_files += check_msgids_in_dir (path);
      else if (g_str_has_suffix (name, ".c"))
        {
          check_msgids_in_file (path);
          n_files++;
        }
    }
  return n_files;
}

static void
test_whole_msgids (void)
{
  g_autofree char *src = tl_test_dup_srcdir_path ("..", "src", NULL);

  /* The engine alone has more than twenty C files: a wrong root finds none. */
  g_assert_cmpuint (check_msgids_in_dir (src), >, 20);
}

static GString *
many_groups_text (guint n_groups)
{
  GString *text = g_string_new ("[Preset]\nFormat=1\nName=Many\nRun=main\n\n[Task main]\nKind=gather\nChildren=");

  for (guint i = 1; i < n_groups; i++)
    g_string_append_printf (text, "%st%u", i > 1 ? ";" : "", i);
  g_string_append (text, "\n");
  for (guint i = 1; i < n_groups; i++)
    g_string_append_printf (text, "\n[Task t%u]\nKind=sleep\nDuration=%ums\nRepeat=100\n", i, i % 1000);

  return text;
}

/* CPU time this thread has used, in milliseconds. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now), ==, 0);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static void
test_many_groups (void)
{
  g_autoptr(GString) ok_text = many_groups_text (TL_PRESET_MAX_TASK_GROUPS);
  g_autoptr(GString) big_text = many_groups_text (TL_PRESET_MAX_TASK_GROUPS + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  double start = thread_cpu_ms ();
  double elapsed_ms;

  preset = tl_preset_new_from_data (ok_text->str, ok_text->len, "many.tasklanes", &error);
  elapsed_ms = thread_cpu_ms () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (preset->n_tasks, ==, TL_PRESET_MAX_TASK_GROUPS);
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 1 + 100 * (TL_PRESET_MAX_TASK_GROUPS - 1));
  g_test_message ("10,000 task groups (%zu bytes) parsed in %.1f ms of CPU", ok_text->len, elapsed_ms);
  /* Not a speed goal (the benchmarks have those): the bound only catches
   * parsing that turned quadratic, which takes minutes here. It counts
   * this thread's CPU time, so other programs on a busy machine do not
   * move it; a sanitizer build takes a few seconds. */
  g_assert_cmpfloat (elapsed_ms, <, 30000.0);

  g_clear_pointer (&preset, tl_preset_unref);
  preset = tl_preset_new_from_data (big_text->str, big_text->len, "many.tasklanes", &error);
  g_assert_null (preset);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_LIMIT);
  {
    /* [Task main] is the first task group; [Task tN] starts on line 5N + 5. */
    g_autofree char *expected = g_strdup_printf ("many.tasklanes:%u: too many tasks: a preset has at most 10,000 [Task] groups, and this is one more",
                                                 5 * TL_PRESET_MAX_TASK_GROUPS + 5);
    g_assert_cmpstr (error->message, ==, expected);
  }
}

/* A long Run over one big tree: each root is checked once, so the time
 * does not grow with the number of sections. */
static void
test_many_sections (void)
{
  g_autoptr(GString) text = g_string_new ("[Preset]\nFormat=1\nName=Sections\nRun=");
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  double start;
  double elapsed_ms;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, i % 2 ? "b;" : "a;");
  g_string_append (text, "\n\n[Task a]\nKind=gather\nChildren=");
  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (text, "%sleaf%u", i > 0 ? ";" : "", i);
  g_string_append (text, "\n\n[Task b]\nKind=sequence\nChildren=a\n");
  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (text, "\n[Task leaf%u]\nKind=sleep\nDuration=1ms\n", i);

  start = thread_cpu_ms ();
  preset = tl_preset_new_from_data (text->str, text->len, "sections.tasklanes", &error);
  elapsed_ms = thread_cpu_ms () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (preset->n_sections, ==, 100000);
  g_assert_cmpuint (tl_preset_count_instances (preset, 0), ==, 4001);
  g_assert_cmpuint (tl_preset_count_instances (preset, 99999), ==, 4002);
  g_test_message ("100,000 sections over 4,000 tasks parsed in %.1f ms of CPU", elapsed_ms);
  g_assert_cmpfloat (elapsed_ms, <, 30000.0);  /* see test_many_groups */
}

static void
test_builtin (void)
{
  g_auto(GStrv) names = tl_preset_list_builtin ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) missing = NULL;

  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), >=, 1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[i], &error);
      g_autofree char *argument = g_strconcat ("builtin:", names[i], NULL);
      g_autoptr(TlPreset) by_argument = NULL;

      g_test_message ("builtin %s", names[i]);
      g_assert_no_error (error);
      g_assert_cmpstr (preset->builtin_name, ==, names[i]);
      g_assert_cmpstr (preset->file, ==, argument);
      g_assert_nonnull (preset->name);
      g_assert_nonnull (preset->text);

      by_argument = tl_preset_new_for_argument (argument, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (by_argument->name, ==, preset->name);
      g_assert_cmpuint (by_argument->n_tasks, ==, preset->n_tasks);
    }

  missing = tl_preset_new_for_argument ("builtin:no-such-preset", &error);
  g_assert_null (missing);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "builtin:no-such-preset: there is no built-in preset"));
  g_clear_error (&error);

  missing = tl_preset_new_from_builtin ("../gallery", &error);
  g_assert_null (missing);
  g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO);
}

static void
test_boxed (void)
{
  g_autoptr(TlPreset) preset = load_valid ("defaults.tasklanes");
  TlPreset *copy;
  GType type = tl_preset_get_type ();

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_cmpstr (g_type_name (type), ==, "TlPreset");
  copy = g_boxed_copy (type, preset);
  g_assert_true (copy == preset);
  g_boxed_free (type, copy);
  g_assert_cmpstr (preset->name, ==, "Defaults");
}

static void
test_durations (void)
{
  static const struct { const char *text; gint64 us; } good[] = {
    { "250ms", 250000 }, { "1.5s", 1500000 }, { "2m", 120000000 }, { "3", 3000000 },
    { "0", 0 }, { "0.1s", 100000 }, { ".5", 500000 }, { "1.", 1000000 },
    { " 2s ", 2000000 }, { "0.0000015", 2 }, { "60m", 3600000000 }, { "1.25ms", 1250 },
    { "3600s", 3600000000 }, { "3600.000000s", 3600000000 }, { "0.0000001", 1 },
    { "3600.0000001s", 3600000001 }, { "60.000000000001m", 3600000001 },
  };
  static const char * const bad[] = {
    "", "s", "ms", "-1", "+1", "1e3", "inf", "nan", "0x10", "1h", "1 2", "1.2.3", "1sec",
    "1,5s", ".", "12345678901234", "1 s", " 2 s ", "1\tms", "2 m",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 us = -1;

      g_test_message ("“%s”", good[i].text);
      g_assert_true (tl_duration_parse (good[i].text, &us));
      g_assert_cmpint (us, ==, good[i].us);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("“%s”", bad[i]);
      g_assert_false (tl_duration_parse (bad[i], NULL));
    }

  static const struct { gint64 us; const char *text; } formats[] = {
    { 0, "0s" }, { 250000, "250ms" }, { 1500000, "1.5s" }, { 120000000, "2m" },
    { 3000000, "3s" }, { 1250, "0.00125s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *text = tl_duration_format (formats[i].us);
      gint64 back;

      g_assert_cmpstr (text, ==, formats[i].text);
      g_assert_true (tl_duration_parse (text, &back));
      g_assert_cmpint (back, ==, formats[i].us);
    }
}

/* A message repeats at most a line's worth of what the file holds, be it
 * a key, a group name or a value. */
static void
test_long_echoes_cut (void)
{
  g_autofree char *big = g_strnfill (500000, 'K');
  const char *head = "[Preset]\nFormat=1\nName=t\nRun=main\n\n[Task main]\n";
  char *shapes[] = {
    g_strconcat (head, "Kind=sleep\nDuration=1s\n", big, "=1\n", NULL),
    g_strconcat (head, "Kind=sleep\nDuration=", big, "\n", NULL),
    g_strconcat (head, "Kind=sleep\nDuration=1s\n\n[Task ", big, "]\nKind=sleep\n", NULL),
    g_strconcat (head, "Kind=fetch\nUrl=/", big, "\n\n[", big, "]\n", NULL),
    g_strconcat (head, "Kind=sleep\nDuration=1s\n", big, "\n", NULL),
    g_strconcat (head, "Kind=sleep\nDuration=1s\n[", big, "\n", NULL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      const char *text = shapes[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "long.tasklanes", &error);

      g_assert_null (preset);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_cmpuint (strlen (error->message), <, 600);
      g_free (shapes[i]);
    }
}

/* The documented maxima are allowed exactly, and not a microsecond or a
 * byte more. */
static void
test_limits_exact (void)
{
  static const struct { const char *task; gboolean loads; } cases[] = {
    { "Kind=sleep\nDuration=60m\nTimeout=60m\n", TRUE },
    { "Kind=sleep\nDuration=3600s\n", TRUE },
    { "Kind=sleep\nDuration=3600000ms\n", TRUE },
    { "Kind=sleep\nDuration=60.000001m\n", FALSE },
    { "Kind=sleep\nDuration=3600.000001s\n", FALSE },
    { "Kind=sleep\nDuration=1s\nTimeout=3600001ms\n", FALSE },
    { "Kind=fetch\nUrl=/bytes/1\nMaxBytes=1GiB\n", TRUE },
    { "Kind=fetch\nUrl=/bytes/1\nMaxBytes=1073741824\n", TRUE },
    { "Kind=fetch\nUrl=/bytes/1\nMaxBytes=1048576KiB\n", TRUE },
    { "Kind=fetch\nUrl=/bytes/1\nMaxBytes=1073741825\n", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat ("[Preset]\nFormat=1\nName=t\nRun=main\n\n[Task main]\n",
                                           cases[i].task, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "limits.tasklanes", &error);

      g_test_message ("%s → %s", cases[i].task, error ? error->message : "loaded");
      if (cases[i].loads)
        {
          g_assert_no_error (error);
          g_assert_nonnull (preset);
        }
      else
        {
          g_assert_null (preset);
          g_assert_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_LIMIT);
        }
    }
}

/* Every prefix of a valid file either loads or fails with a preset error:
 * no crash, no warning, no leak, whatever is cut off. */
static void
test_truncated (void)
{
  g_autofree char *path = tl_test_dup_srcdir_path ("presets", "valid", "all-keys.tasklanes", NULL);
  g_autofree char *text = NULL;
  gsize length;
  guint n_loaded = 0;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, cut, "cut.tasklanes", &error);

      if (preset != NULL)
        n_loaded++;
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == TL_PRESET_ERROR);
          g_assert_true (g_str_has_prefix (error->message, "cut.tasklanes"));
        }
    }
  /* Only cuts within the last value (and the whole file) still load. */
  g_assert_cmpuint (n_loaded, >=, 1);
}

/* Random damage to valid files: every result is a preset or a preset
 * error, never a crash, a GLib warning or a leak. */
static void
test_mutations (void)
{
  static const char alphabet[] = "[]=;#\n\\{}ix0123456789 -_.:/sTmK\xc3\xa9";
  static const char * const files[] = {
    "all-keys.tasklanes", "sections.tasklanes", "spawn-order.tasklanes", "remote-hosts.tasklanes",
  };
  /* A fixed seed: a mutant that fails replays on every run. */
  const guint32 seed = 20261207;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_loaded = 0;
  guint n_failed = 0;

  g_test_message ("mutation seed %u", seed);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = tl_test_dup_srcdir_path ("presets", "valid", files[f], NULL);
      g_autofree char *text = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &text, &length, NULL));
      for (guint round = 0; round < 400; round++)
        {
          g_autofree char *copy = g_memdup2 (text, length + 1);
          g_autoptr(GError) error = NULL;
          g_autoptr(TlPreset) preset = NULL;
          guint n_edits = 1 + g_rand_int_range (rand, 0, 4);

          for (guint e = 0; e < n_edits; e++)
            copy[g_rand_int_range (rand, 0, length)] =
              alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          preset = tl_preset_new_from_data (copy, length, "mutant.tasklanes", &error);
          if (preset != NULL)
            n_loaded++;
          else
            {
              g_assert_true (error->domain == TL_PRESET_ERROR);
              g_assert_true (g_str_has_prefix (error->message, "mutant.tasklanes"));
              n_failed++;
            }
        }
    }

  g_test_message ("%u mutants loaded, %u rejected", n_loaded, n_failed);
  g_assert_cmpuint (n_failed, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Messages and translated keys are compared in English unless a test
   * chooses a language itself. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_add_func ("/engine/preset/valid/all-load", test_valid_all_load);
  g_test_add_func ("/engine/preset/valid/all-keys", test_valid_all_keys);
  g_test_add_func ("/engine/preset/valid/defaults", test_valid_defaults);
  g_test_add_func ("/engine/preset/valid/windows", test_valid_windows);
  g_test_add_func ("/engine/preset/valid/spawn-order", test_valid_spawn_order);
  g_test_add_func ("/engine/preset/valid/spawn-repeat", test_valid_spawn_repeat);
  g_test_add_func ("/engine/preset/count-instances", test_count_instances);
  g_test_add_func ("/engine/preset/limits/max-repeat-under-parent", test_max_repeat_under_parent);
  g_test_add_func ("/engine/preset/translation", test_translation);
  g_test_add_func ("/engine/preset/expand", test_expand);
  g_test_add_func ("/engine/preset/remote-hosts", test_remote_hosts);
  g_test_add_func ("/engine/preset/save-round-trip", test_save_round_trip);
  g_test_add_func ("/engine/preset/save-program", test_save_program);
  g_test_add_func ("/engine/preset/invalid/fixtures", test_invalid_fixtures);
  g_test_add_func ("/engine/preset/invalid/codes", test_invalid_codes);
  g_test_add_func ("/engine/preset/invalid/missing-file", test_missing_file);
  g_test_add_func ("/engine/preset/invalid/too-large", test_too_large);
  g_test_add_func ("/engine/preset/fifo", test_fifo);
  g_test_add_func ("/engine/i18n/whole-msgids", test_whole_msgids);
  g_test_add_func ("/engine/preset/invalid/truncated", test_truncated);
  g_test_add_func ("/engine/preset/invalid/mutations", test_mutations);
  g_test_add_func ("/engine/preset/limits/many-groups", test_many_groups);
  g_test_add_func ("/engine/preset/limits/many-sections", test_many_sections);
  g_test_add_func ("/engine/preset/builtin", test_builtin);
  g_test_add_func ("/engine/preset/boxed", test_boxed);
  g_test_add_func ("/engine/preset/durations", test_durations);
  g_test_add_func ("/engine/preset/limits/exact", test_limits_exact);
  g_test_add_func ("/engine/preset/invalid/long-echoes-cut", test_long_echoes_cut);

  return g_test_run ();
}
