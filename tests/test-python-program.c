/* test-python-program.c — each construct of a preset as its asyncio code
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-python-program"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "headless/tl-headless.h"
#include "preset/tl-preset.h"

static char *python;

static TlPythonProgram *
program_for (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "test.tasklanes", &error);

  g_assert_no_error (error);
  return tl_python_program_new (preset);
}

/* Line @line (1-based) of the program, without its indentation. */
static char *
line_text (TlPythonProgram *program,
           guint            line)
{
  g_auto(GStrv) lines = g_strsplit (tl_python_program_get_text (program), "\n", -1);

  g_assert_cmpuint (line, >=, 1);
  g_assert_cmpuint (line, <=, g_strv_length (lines));
  return g_strstrip (g_strdup (lines[line - 1]));
}

static void
assert_contains (TlPythonProgram *program,
                 const char      *needle)
{
  const char *text = tl_python_program_get_text (program);

  if (strstr (text, needle) == NULL)
    g_error ("the program lacks “%s”:\n%s", needle, text);
}

static void
assert_lacks (TlPythonProgram *program,
              const char      *needle)
{
  const char *text = tl_python_program_get_text (program);

  if (strstr (text, needle) != NULL)
    g_error ("the program should not hold “%s”:\n%s", needle, text);
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* python3 -m py_compile accepts it. */
static void
assert_compiles (TlPythonProgram *program)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = NULL;

  if (python == NULL)
    return;
  dir = g_dir_make_tmp ("tl-codegen-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "program.py", NULL);
  g_assert_true (tl_python_program_save (program, path, &error));
  g_assert_no_error (error);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              python, "-B", "-m", "py_compile", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("py_compile refused the program: %s\n%s", err, tl_python_program_get_text (program));
  g_unlink (path);
  g_rmdir (dir);
}

static guint
spec_index (TlPythonProgram *program,
            const char      *name)
{
  TlPreset *preset = tl_python_program_get_preset (program);

  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return i;
  g_error ("no task %s", name);
  return 0;
}

/* The line that creates task @name in @section, without indentation. */
static char *
creating_line (TlPythonProgram *program,
               guint            section,
               const char      *name)
{
  guint line = tl_python_program_get_line (program, section, spec_index (program, name));

  g_assert_cmpuint (line, >, 0);
  return line_text (program, line);
}

#define PRESET_HEAD "[Preset]\nFormat=1\nName=Test\nDescription=What it shows.\n"

static void
test_sleep_and_sections (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=in_turn;together\n"
    "[Task in_turn]\nKind=sequence\nLabel=await one by one\nChildren=user\n"
    "[Task together]\nKind=gather\nLabel=asyncio.gather(…)\nChildren=user\n"
    "[Task user]\nKind=sleep\nLabel=fetch_user({i})\nDuration=250ms\nResult=User {i}\nRepeat=3\n");
  const char *text = tl_python_program_get_text (program);
  g_autofree char *in_turn = NULL;
  g_autofree char *together = NULL;
  g_autofree char *root = NULL;

  assert_contains (program, "async def fetch_user(i):\n    await asyncio.sleep(0.25)\n    return f\"User {i}\"\n");
  assert_contains (program, "# What it shows.");
  /* One asyncio.run() per section. */
  g_assert_cmpuint (count (text, "= asyncio.run("), ==, 2);
  assert_contains (program, "for i in range(1, 4):\n        await fetch_user(i)\n");

  in_turn = creating_line (program, 0, "user");
  g_assert_cmpstr (in_turn, ==, "await fetch_user(i)");
  together = creating_line (program, 1, "user");
  g_assert_cmpstr (together, ==, "*[asyncio.create_task(fetch_user(i), name=f\"fetch_user({i})\") for i in range(1, 4)],");
  root = creating_line (program, 1, "together");
  g_assert_cmpstr (root, ==, "result = asyncio.run(together())");
  g_assert_cmpuint (tl_python_program_get_line (program, 0, spec_index (program, "together")), ==, 0);
  assert_compiles (program);
}

static void
test_names_from_labels (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=gather\nLabel=asyncio.gather(fetch_user(1), fetch_user(2))\nChildren=u1;u2;io;nap;odd;kw\n"
    "[Task u1]\nKind=sleep\nLabel=fetch_user(1)\nDuration=1s\n"
    "[Task u2]\nKind=sleep\nLabel=fetch_user(2)\nDuration=1s\n"
    "[Task io]\nKind=blocking\nLabel=await loop.run_in_executor(pool, blocking_io)\nDuration=10ms\n"
    "[Task nap]\nKind=sleep\nLabel=asyncio.sleep(0.25)\nDuration=10ms\n"
    "[Task odd]\nKind=sleep\nLabel=\"quoted\" {braces} \\\\ back\nDuration=10ms\n"
    "[Task kw]\nKind=sleep\nLabel=class(1)\nDuration=10ms\n");

  assert_contains (program, "async def fetch_user_1():");
  assert_contains (program, "async def fetch_user_2():");
  /* The gather does not take the leaves' name: it falls back to its own. */
  assert_contains (program, "async def main():");
  assert_contains (program, "def blocking_io():");
  assert_contains (program, "async def nap():");
  assert_contains (program, "async def odd():");
  assert_contains (program, "async def kw():");
  /* Labels stay visible, quoted safely. */
  assert_contains (program, "name=\"\\\"quoted\\\" {braces} \\\\ back\")");
  assert_contains (program, "# asyncio.sleep(0.25)\nasync def nap():");
  assert_compiles (program);
}

static void
test_blocking (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=main\nThreads=3\n"
    "[Task main]\nKind=sequence\nChildren=frozen;pooled;limited\n"
    "[Task frozen]\nKind=blocking\nLabel=time.sleep(0.5)\nDuration=500ms\nOn=loop\n"
    "[Task pooled]\nKind=blocking\nLabel=legacy_io()\nDuration=200ms\nOn=thread\n"
    "[Task limited]\nKind=blocking\nLabel=slow_io()\nDuration=2s\nTimeout=1s\nCatch=true\n");
  g_autofree char *pooled = NULL;
  g_autofree char *limited = NULL;

  assert_contains (program, "async def frozen():\n");
  assert_contains (program, "    time.sleep(0.5)\n");
  assert_contains (program, "def legacy_io():\n    time.sleep(0.2)\n");
  assert_contains (program, "thread_pool = ThreadPoolExecutor(max_workers=3)");
  assert_contains (program, "loop = asyncio.get_running_loop()");
  pooled = creating_line (program, 0, "pooled");
  g_assert_cmpstr (pooled, ==, "await loop.run_in_executor(thread_pool, legacy_io)");
  limited = creating_line (program, 0, "limited");
  g_assert_cmpstr (limited, ==, "await asyncio.wait_for(loop.run_in_executor(thread_pool, slow_io), timeout=1)");
  assert_contains (program, "except Exception as error:");
  assert_compiles (program);
}

static void
test_cpu_and_gil (void)
{
  g_autoptr(TlPythonProgram) free_threads = program_for (
    PRESET_HEAD "Run=main\nThreads=2\nProcesses=2\nGIL=false\n"
    "[Task main]\nKind=gather\nChildren=loop_work;thread_work;process_work\n"
    "[Task loop_work]\nKind=cpu\nLabel=crunch_here({i})\nWork=10ms\nRepeat=2\n"
    "[Task thread_work]\nKind=cpu\nLabel=crunch_thread({i})\nWork=10ms\nOn=thread\nRepeat=2\n"
    "[Task process_work]\nKind=cpu\nLabel=crunch_process({i})\nWork=10ms\nOn=process\nRepeat=2\n");
  g_autoptr(TlPythonProgram) with_gil = program_for (
    PRESET_HEAD "Run=main\nThreads=2\nGIL=true\n"
    "[Task main]\nKind=gather\nChildren=thread_work\n"
    "[Task thread_work]\nKind=cpu\nLabel=crunch({i})\nWork=10ms\nOn=thread\nRepeat=2\n");

  /* Without a GIL the work runs in C code that releases CPython's GIL. */
  assert_contains (free_threads, "import hashlib");
  assert_contains (free_threads, "hashlib.sha256(BLOCK).digest()");
  assert_contains (free_threads, "async def crunch_here(i):\n");
  assert_contains (free_threads, "    compute(0.01)\n");
  assert_contains (free_threads, "def crunch_thread(i):\n    compute(0.01)\n");
  assert_contains (free_threads, "loop.run_in_executor(thread_pool, crunch_thread, i) for i in range(1, 3)");
  assert_contains (free_threads, "loop.run_in_executor(process_pool, crunch_process, i) for i in range(1, 3)");
  assert_contains (free_threads, "process_pool = ProcessPoolExecutor(max_workers=2)");
  assert_compiles (free_threads);

  /* With GIL=true the work is pure Python and holds the GIL. */
  assert_lacks (with_gil, "hashlib");
  assert_contains (with_gil, "sum(n * n for n in range(1000))");
  assert_lacks (with_gil, "ProcessPoolExecutor");
  assert_compiles (with_gil);
}

static void
test_fetch (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=main\nConnections=4\n"
    "[Task main]\nKind=gather\nChildren=page;submit\n"
    "[Task page]\nKind=fetch\nLabel=fetch_page({i})\nUrl=/users/{i}?delay=0.1\nRepeat=2\n"
    "[Task submit]\nKind=fetch\nLabel=submit()\nUrl=http://example.com/post\nMethod=POST\nBody={\"user\": 1}\n"
    "ExpectStatus=200;201\nMaxBytes=64KiB\n");

  g_assert_true (tl_python_program_uses_http (program));
  assert_contains (program, "import aiohttp");
  assert_contains (program, "except ImportError:");
  assert_contains (program, "DEMO_URL = os.environ.get(\"TASKLANES_DEMO_URL\", \"\").rstrip(\"/\")");
  assert_contains (program, "session.get(f\"{DEMO_URL}/users/{i}?delay=0.1\")");
  assert_contains (program, "session.request(\"POST\", \"http://example.com/post\", data=\"{\\\"user\\\": 1}\")");
  assert_contains (program, "if response.status not in (200, 201):");
  assert_contains (program, "read_body(response, max_bytes=65536)");
  assert_contains (program, "aiohttp.TCPConnector(limit=4, limit_per_host=4)");
  assert_contains (program, "asyncio.run(with_session(main))");
  assert_contains (program, "if not DEMO_URL:");
  assert_compiles (program);
}

static void
test_gather_options (void)
{
  g_autoptr(TlPythonProgram) errors_as_results = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=gather\nReturnExceptions=true\nChildren=a;b\n"
    "[Task a]\nKind=sleep\nDuration=10ms\nFail=ValueError: no\n"
    "[Task b]\nKind=sleep\nDuration=10ms\nFail=Custom trouble: {i}\n");
  g_autoptr(TlPythonProgram) group = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=gather\nCancelOnError=true\nChildren=a;job;c\n"
    "[Task a]\nKind=sleep\nDuration=10ms\nFail=ValueError: no\n"
    "[Task job]\nKind=blocking\nDuration=10ms\nOn=thread\n"
    "[Task c]\nKind=sleep\nDuration=1s\nCatch=true\n");
  g_autofree char *job = NULL;

  assert_contains (errors_as_results, "return_exceptions=True,");
  assert_contains (errors_as_results, "raise ValueError(\"no\")");
  assert_contains (errors_as_results, "raise RuntimeError(\"Custom trouble: 1\")");
  assert_compiles (errors_as_results);

  assert_contains (group, "async with asyncio.TaskGroup() as group:");
  job = creating_line (group, 0, "job");
  g_assert_cmpstr (job, ==, "group.create_task(run_job(thread_pool, job), name=\"job\"),");
  assert_contains (group, "group.create_task(ignore_error(c()), name=\"c\"),");
  assert_contains (group, "async def ignore_error(awaitable):");
  assert_contains (group, "async def run_job(pool, function, *args):");
  assert_compiles (group);
}

static void
test_wait_options (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=wait\nReturnWhen=first-exception\nMaxWait=1.2s\nCancelPending=true\nChildren=a;b\n"
    "[Task a]\nKind=sleep\nDuration=10ms\n"
    "[Task b]\nKind=blocking\nDuration=10ms\nOn=thread\n");
  g_autoptr(TlPythonProgram) plain = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=wait\nReturnWhen=first-completed\nChildren=a\n"
    "[Task a]\nKind=sleep\nDuration=10ms\n");

  assert_contains (program, "done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION, timeout=1.2)");
  assert_contains (program, "for task in pending:\n        task.cancel()");
  assert_contains (program, "loop.run_in_executor(thread_pool, b),");
  assert_compiles (program);

  assert_contains (plain, "return_when=asyncio.FIRST_COMPLETED)");
  assert_lacks (plain, "task.cancel()");
  assert_compiles (plain);
}

static void
test_spawn_and_await (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=sequence\nChildren=start;other;collect;start_many;collect_many\n"
    "[Task start]\nKind=spawn\nLabel=task1 = asyncio.create_task(report())\nTarget=report\n"
    "[Task other]\nKind=sleep\nLabel=do_other_work()\nDuration=10ms\n"
    "[Task collect]\nKind=await\nLabel=try: await task1\nTarget=report\nCatch=true\n"
    "[Task report]\nKind=sleep\nLabel=report()\nDuration=20ms\nFail=ValueError: late\n"
    "[Task start_many]\nKind=spawn\nTarget=many\n"
    "[Task collect_many]\nKind=await\nTarget=many\nTimeout=1s\n"
    "[Task many]\nKind=sleep\nLabel=part({i})\nDuration=10ms\nRepeat=3\n");
  g_autoptr(TlPythonProgram) across = program_for (
    PRESET_HEAD "Run=main\n"
    "[Task main]\nKind=gather\nChildren=start;collect\n"
    "[Task start]\nKind=spawn\nTarget=job\n"
    "[Task collect]\nKind=await\nTarget=job\n"
    "[Task job]\nKind=sleep\nDuration=10ms\n");
  g_autofree char *spawn_line = NULL;
  g_autofree char *target_line = NULL;
  g_autofree char *await_line = NULL;

  spawn_line = creating_line (program, 0, "start");
  target_line = creating_line (program, 0, "report");
  g_assert_cmpstr (spawn_line, ==, "task1 = asyncio.create_task(report(), name=\"report()\")");
  g_assert_cmpstr (target_line, ==, spawn_line);
  await_line = creating_line (program, 0, "collect");
  g_assert_cmpstr (await_line, ==, "await task1");
  assert_contains (program, "part_tasks = [asyncio.create_task(part(i), name=f\"part({i})\") for i in range(1, 4)]");
  assert_contains (program, "return await asyncio.wait_for(asyncio.shield(asyncio.gather(*part_tasks)), timeout=1)");
  assert_compiles (program);

  /* Spawned in one branch of a gather, awaited in another: the task
   * lives in a global both functions name. */
  assert_contains (across, "async def start():\n    global job_task\n");
  assert_contains (across, "async def collect():\n    global job_task\n    return await job_task\n");
  assert_compiles (across);
}

static void
test_timeout_catch_awaited (void)
{
  g_autoptr(TlPythonProgram) program = program_for (
    PRESET_HEAD "Run=block\n"
    "[Task block]\nKind=sequence\nLabel=async with asyncio.timeout(1)\nTimeout=1s\nChildren=forgotten;limited;last\n"
    "[Task forgotten]\nKind=sleep\nLabel=save_log()\nDuration=10ms\nAwaited=false\n"
    "[Task limited]\nKind=sleep\nLabel=connect()\nDuration=10ms\nTimeout=500ms\nCatch=true\n"
    "[Task last]\nKind=sleep\nLabel=long_running_task()\nDuration=3s\n");
  g_autofree char *forgotten = NULL;

  assert_contains (program, "async def block():\n    async with asyncio.timeout(1):\n");
  assert_contains (program, "async def connect():\n    async with asyncio.timeout(0.5):\n        await asyncio.sleep(0.01)\n");
  forgotten = creating_line (program, 0, "forgotten");
  g_assert_cmpstr (forgotten, ==, "save_log()");
  assert_contains (program, "        try:\n            await connect()\n        except Exception as error:\n");
  assert_contains (program, "        return await long_running_task()\n");
  assert_compiles (program);
}

/* Every gallery preset: a program py_compile accepts, and a line for
 * every task of every section, which leads back to that task. */
static void
test_gallery_line_map (void)
{
  g_auto(GStrv) names = tl_preset_list_builtin ();

  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[n], &error);
      g_autoptr(TlPythonProgram) program = NULL;

      g_assert_no_error (error);
      program = tl_python_program_new (preset);
      g_test_message ("%s: %u lines", names[n], tl_python_program_get_n_lines (program));
      assert_compiles (program);
      g_assert_cmpuint (count (tl_python_program_get_text (program), "= asyncio.run("), ==, preset->n_sections);

      for (guint s = 0; s < preset->n_sections; s++)
        for (guint i = 0; i < preset->n_tasks; i++)
          {
            guint line = tl_python_program_get_line (program, s, i);
            const TlPythonTaskRef *refs;
            guint n_refs = 0;
            gboolean found = FALSE;

            if (line == 0)
              continue;
            refs = tl_python_program_get_tasks_at_line (program, line, &n_refs);
            for (guint r = 0; r < n_refs; r++)
              found |= refs[r].section == s && refs[r].spec == i;
            g_assert_true (found);
          }
      /* Every section's root is created by its asyncio.run() line. */
      for (guint s = 0; s < preset->n_sections; s++)
        {
          g_autofree char *root = line_text (program, tl_python_program_get_line (program, s, preset->sections[s]));

          g_assert_nonnull (strstr (root, "asyncio.run("));
        }
    }
}

/* What a reader of the tutorial expects to find in some gallery programs. */
static void
test_gallery_reads_like_the_tutorial (void)
{
  static const struct {
    const char *preset;
    const char *needle;
  } expected[] = {
    { "gather", "async def fetch_user_1():\n    await asyncio.sleep(1)\n    return \"User 1\"\n" },
    { "task-exception", "task = asyncio.create_task(risky_task(), name=\"risky_task(2)\")" },
    { "task-exception", "        await task\n    except Exception as error:" },
    { "timeout", "async def block():\n    async with asyncio.timeout(1):\n        await connect()\n" },
    { "never-awaited", "\n    save_log()\n" },
    { "cpu-bound-gil", "sum(n * n for n in range(1000))" },
    { "cpu-bound-compare", "hashlib.sha256(BLOCK).digest()" },
    { "http-fetch-all", "result = asyncio.run(with_session(one_by_one))" },
    { "wait-timeout", "done, pending = await asyncio.wait(tasks, timeout=1.2)" },
    { "executor-threads", "thread_pool = ThreadPoolExecutor(max_workers=2)" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (expected[k].preset, &error);
      g_autoptr(TlPythonProgram) program = NULL;

      g_assert_no_error (error);
      program = tl_python_program_new (preset);
      assert_contains (program, expected[k].needle);
    }
}

static void
test_default_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_builtin ("http-fetch-all", &error);
  g_autoptr(TlPythonProgram) program = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  program = tl_python_program_new (preset);
  name = tl_python_program_dup_default_name (program);
  g_assert_cmpstr (name, ==, "http_fetch_all.py");
}

/* tasklanes --to-python, as a program: stdout, -o, and its messages. */
static void
test_command_line (void)
{
  const char *binary = g_getenv ("TASKLANES_BINARY");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (binary == NULL)
    {
      g_test_skip ("TASKLANES_BINARY is not set");
      return;
    }
  dir = g_dir_make_tmp ("tl-to-python-XXXXXX", &error);
  g_assert_no_error (error);
  out_path = g_build_filename (dir, "gather.py", NULL);
  bad_path = g_build_filename (dir, "bad.tasklanes", NULL);

  {
    const char *argv[] = { binary, "--to-python", "builtin:gather", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "asyncio.run(main())"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { binary, "--to-python", "builtin:gather", "-o", out_path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_get_contents (out_path, &saved, NULL, &error));
    g_assert_nonnull (strstr (saved, "async def fetch_user_1():"));
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { binary, "--to-python", bad_path, NULL };

    g_assert_true (g_file_set_contents (bad_path, "[Preset]\nFormat=1\nName=x\nRun=main\n[Task main]\nKind=sleep\nDuration=fast\n", -1, &error));
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == TL_EXIT_INVALID);
    g_assert_nonnull (strstr (err, "bad.tasklanes:7:"));
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { binary, "--to-python", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == TL_EXIT_USAGE);
    g_assert_nonnull (strstr (err, "--to-python needs a preset"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { binary, "--to-python", "builtin:gather", "-o", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == TL_EXIT_USAGE);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  g_unlink (out_path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

/* Comments follow the UI language; the code itself does not change. */
static void
test_korean_comments (void)
{
  const char *binary = g_getenv ("TASKLANES_BINARY");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *localedir = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *out = NULL;
  int status;
  const char *argv[] = { NULL, "--to-python", "builtin:cpu-on-loop", NULL };

  if (binary == NULL || builddir == NULL)
    {
      g_test_skip ("TASKLANES_BINARY or G_TEST_BUILDDIR is not set");
      return;
    }
  argv[0] = binary;
  /* The translations compiled in the build tree. */
  localedir = g_build_filename (builddir, "..", "po", NULL);
  env = g_get_environ ();
  env = g_environ_setenv (env, "TASKLANES_LOCALEDIR", localedir, TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "ko", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* The Korean description of the preset, and our own comments. */
  g_assert_nonnull (strstr (out, "이벤트 루프"));
  g_assert_nonnull (strstr (out, "# 이벤트 루프 위의 CPU 작업입니다"));
  g_assert_nonnull (strstr (out, "async def heavy_computation():"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  python = g_find_program_in_path ("python3");

  g_test_add_func ("/codegen/sleep-and-sections", test_sleep_and_sections);
  g_test_add_func ("/codegen/names-from-labels", test_names_from_labels);
  g_test_add_func ("/codegen/blocking", test_blocking);
  g_test_add_func ("/codegen/cpu-and-gil", test_cpu_and_gil);
  g_test_add_func ("/codegen/fetch", test_fetch);
  g_test_add_func ("/codegen/gather-options", test_gather_options);
  g_test_add_func ("/codegen/wait-options", test_wait_options);
  g_test_add_func ("/codegen/spawn-and-await", test_spawn_and_await);
  g_test_add_func ("/codegen/timeout-catch-awaited", test_timeout_catch_awaited);
  g_test_add_func ("/codegen/gallery-line-map", test_gallery_line_map);
  g_test_add_func ("/codegen/gallery-reads-like-the-tutorial", test_gallery_reads_like_the_tutorial);
  g_test_add_func ("/codegen/default-name", test_default_name);
  g_test_add_func ("/codegen/command-line", test_command_line);
  g_test_add_func ("/codegen/korean-comments", test_korean_comments);

  {
    int status = g_test_run ();

    g_free (python);
    return status;
  }
}
