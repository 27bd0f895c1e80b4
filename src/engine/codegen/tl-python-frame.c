/* tl-python-frame.c — what surrounds the task functions of a program
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lines themselves, and the program's frame: the description and
 * imports, the helpers some constructs need, and the __main__ block that
 * runs each section with its own asyncio.run().
 */
#define G_LOG_DOMAIN "tl-python-program"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "codegen/tl-python-writer.h"
#include "codegen/tl-python-names.h"

#define WRAP_COLUMNS 79

/* Columns a word takes in a terminal: Korean and other wide characters
 * count twice. */
static glong
display_width (const char *word)
{
  glong width = 0;

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* --- writing lines --- */

guint
_tl_python_emit_text (TlPythonWriter        *g,
           int         indent,
           const char *text)
{
  for (int k = 0; k < indent; k++)
    g_string_append (g->out, "    ");
  g_string_append (g->out, text);
  g_string_append_c (g->out, '\n');
  return g->line++;
}


guint
_tl_python_emit (TlPythonWriter        *g,
      int         indent,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return _tl_python_emit_text (g, indent, text);
}

void
_tl_python_emit_blank (TlPythonWriter *g)
{
  g_string_append_c (g->out, '\n');
  g->line++;
}

/* "# text", wrapped at word boundaries; new lines in @text are kept. */
void
_tl_python_emit_comment (TlPythonWriter        *g,
              int         indent,
              const char *text)
{
  g_auto(GStrv) paragraphs = g_strsplit (text, "\n", -1);
  glong width = MAX (WRAP_COLUMNS - 4 * indent - 2, 30);

  for (guint p = 0; paragraphs[p] != NULL; p++)
    {
      g_auto(GStrv) words = g_strsplit (paragraphs[p], " ", -1);
      g_autoptr(GString) line = g_string_new (NULL);
      glong line_chars = 0;

      if (paragraphs[p][0] == '\0')
        {
          _tl_python_emit_text (g, indent, "#");
          continue;
        }
      for (guint w = 0; words[w] != NULL; w++)
        {
          glong chars = display_width (words[w]);

          if (words[w][0] == '\0')
            continue;
          if (line_chars > 0 && line_chars + 1 + chars > width)
            {
              _tl_python_emit (g, indent, "# %s", line->str);
              g_string_truncate (line, 0);
              line_chars = 0;
            }
          if (line_chars > 0)
            {
              g_string_append_c (line, ' ');
              line_chars++;
            }
          g_string_append (line, words[w]);
          line_chars += chars;
        }
      if (line_chars > 0)
        _tl_python_emit (g, indent, "# %s", line->str);
    }
}

/* --- the frame: header, helpers, the sections --- */

void
_tl_python_emit_header (TlPythonWriter *g)
{
  TlPreset *preset = g->preset;
  g_autofree char *from = NULL;

  emit (g, 0, "#!/usr/bin/env python3");
  emit_comment (g, 0, preset->name);
  if (preset->description != NULL)
    {
      emit (g, 0, "#");
      emit_comment (g, 0, preset->description);
    }
  emit (g, 0, "#");
  from = preset->builtin_name != NULL ? g_strconcat ("builtin:", preset->builtin_name, NULL)
                                      : g_path_get_basename (preset->file);
  {
    g_autofree char *note = g_strdup_printf (_("The asyncio program the preset “%s” stands for, written by Tasklanes. "
                                               "Run it with python3, or with tasklanes --headless to watch its tasks."),
                                             from);
    emit_comment (g, 0, note);
  }
  emit (g, 0, "import asyncio");
  if (g->cpu_releases_gil)
    emit (g, 0, "import hashlib");
  if (g->any_thread || g->any_process || g->any_relative_url)
    emit (g, 0, "import os");
  if (g->any_http)
    emit (g, 0, "import sys");
  emit (g, 0, "import time");
  if (g->any_thread && g->any_process)
    emit (g, 0, "from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor");
  else if (g->any_thread)
    emit (g, 0, "from concurrent.futures import ThreadPoolExecutor");
  else if (g->any_process)
    emit (g, 0, "from concurrent.futures import ProcessPoolExecutor");

  if (g->any_http)
    {
      g_autofree char *missing = _tl_python_string (_("This program needs aiohttp: install it with “pip install aiohttp” "
                                                      "(on Debian: apt install python3-aiohttp)."), FALSE);

      emit_blank (g);
      emit (g, 0, "try:");
      emit (g, 1, "import aiohttp");
      emit (g, 0, "except ImportError:");
      emit (g, 1, "sys.exit(%s)", missing);
    }
  if (g->any_relative_url)
    {
      emit_blank (g);
      emit_comment (g, 0, _("Paths starting with / go to Tasklanes' demo server. Tasklanes sets TASKLANES_DEMO_URL "
                            "when it runs this program; elsewhere start one with “tasklanes --serve 8080”."));
      emit (g, 0, "DEMO_URL = os.environ.get(\"TASKLANES_DEMO_URL\", \"\").rstrip(\"/\")");
    }
}

void
_tl_python_emit_helpers (TlPythonWriter *g)
{
  if (g->any_cpu)
    {
      emit_blank (g);
      emit_blank (g);
      if (g->cpu_releases_gil)
        {
          emit (g, 0, "BLOCK = bytes(64 * 1024)");
          emit_blank (g);
          emit_blank (g);
          emit (g, 0, "def compute(seconds):");
          emit_comment (g, 1, _("Spends this many seconds of CPU time on the calling thread. hashlib releases the GIL "
                                "while it hashes a large buffer, so threads running this compute in parallel, "
                                "like the preset's threads without a GIL (GIL=false). Pure-Python loops would take "
                                "turns on CPython's GIL instead."));
          emit (g, 1, "end = time.thread_time() + seconds");
          emit (g, 1, "while time.thread_time() < end:");
          emit (g, 2, "hashlib.sha256(BLOCK).digest()");
        }
      else
        {
          emit (g, 0, "def compute(seconds):");
          emit_comment (g, 1, _("Spends this many seconds of CPU time on the calling thread, in pure Python: "
                                "it holds the GIL, so threads running this take turns."));
          emit (g, 1, "end = time.thread_time() + seconds");
          emit (g, 1, "while time.thread_time() < end:");
          emit (g, 2, "sum(n * n for n in range(1000))");
        }
    }

  if (g->any_http)
    {
      emit_blank (g);
      emit_blank (g);
      emit_comment (g, 0, _("The aiohttp session the requests of a section share, like fetch_all's session."));
      emit (g, 0, "session = None");
      emit_blank (g);
      emit_blank (g);
      emit (g, 0, "async def with_session(section):");
      emit (g, 1, "global session");
      emit (g, 1, "connector = aiohttp.TCPConnector(limit=%u, limit_per_host=%u)",
            g->preset->connections, g->preset->connections);
      emit (g, 1, "async with aiohttp.ClientSession(connector=connector) as session:");
      emit (g, 2, "return await section()");
      emit_blank (g);
      emit_blank (g);
      emit (g, 0, "async def read_body(response, max_bytes):");
      emit (g, 1, "body = bytearray()");
      emit (g, 1, "async for chunk in response.content.iter_any():");
      emit (g, 2, "body += chunk");
      emit (g, 2, "if len(body) > max_bytes:");
      emit (g, 3, "raise ValueError(f\"the body is larger than {max_bytes} bytes\")");
      emit (g, 1, "return bytes(body)");
    }
}

/* Helpers only some constructs need; known once the functions are written,
 * so they come after them (Python resolves names when a call runs). */
void
_tl_python_emit_late_helpers (TlPythonWriter *g)
{
  if (g->need_ignore_error)
    {
      emit_blank (g);
      emit_blank (g);
      emit (g, 0, "async def ignore_error(awaitable):");
      emit_comment (g, 1, _("Catch=true: the error is caught here and the parent carries on."));
      emit (g, 1, "try:");
      emit (g, 2, "return await awaitable");
      emit (g, 1, "except Exception as error:");
      emit (g, 2, "return error");
    }
  if (g->need_run_job)
    {
      emit_blank (g);
      emit_blank (g);
      emit (g, 0, "async def run_job(pool, function, *args):");
      emit (g, 1, "return await asyncio.get_running_loop().run_in_executor(pool, function, *args)");
    }
}

void
_tl_python_emit_main (TlPythonWriter *g)
{
  TlPreset *preset = g->preset;

  emit_blank (g);
  emit_blank (g);
  emit (g, 0, "if __name__ == \"__main__\":");
  if (g->any_relative_url)
    {
      g_autofree char *message = _tl_python_string (_("Set TASKLANES_DEMO_URL to the address of Tasklanes' demo server: "
                                                      "start it with “tasklanes --serve 8080”, then run "
                                                      "TASKLANES_DEMO_URL=http://127.0.0.1:8080 python3 with this file."),
                                                    FALSE);

      emit (g, 1, "if not DEMO_URL:");
      emit (g, 2, "sys.exit(%s)", message);
    }
  if (g->any_thread)
    {
      if (preset->threads > 0)
        emit (g, 1, "thread_pool = ThreadPoolExecutor(max_workers=%u)", preset->threads);
      else
        emit (g, 1, "thread_pool = ThreadPoolExecutor(max_workers=os.cpu_count())");
    }
  if (g->any_process)
    {
      if (preset->processes > 0)
        emit (g, 1, "process_pool = ProcessPoolExecutor(max_workers=%u)", preset->processes);
      else
        emit (g, 1, "process_pool = ProcessPoolExecutor(max_workers=os.cpu_count())");
    }

  for (guint s = 0; s < preset->n_sections; s++)
    {
      guint root = preset->sections[s];
      g_autofree char *title = preset->n_sections == 1
                               ? g_strdup_printf (_("The section: %s"), preset->tasks[root].label)
                               : g_strdup_printf (_("Section %u of %u: %s"), s + 1, preset->n_sections,
                                                  preset->tasks[root].label);
      g_autofree char *label = _tl_python_string (preset->tasks[root].label, FALSE);

      if (s == 0)
        emit_comment (g, 1, _("Each asyncio.run() starts a fresh event loop, and cancels what is still running "
                              "when its coroutine returns."));
      emit_blank (g);
      emit_comment (g, 1, title);
      emit (g, 1, "started = time.perf_counter()");
      emit (g, 1, "try:");
      if (g->any_http)
        g->root_lines[s] = emit (g, 2, "result = asyncio.run(with_session(%s))", g->names[root]);
      else
        g->root_lines[s] = emit (g, 2, "result = asyncio.run(%s())", g->names[root]);
      emit (g, 1, "except Exception as error:");
      emit (g, 2, "result = error");
      emit (g, 1, "print(f\"{time.perf_counter() - started:.2f} s\", %s, repr(result)[:200])", label);
    }
}
