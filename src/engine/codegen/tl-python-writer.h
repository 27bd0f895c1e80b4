/* tl-python-writer.h — the state of one program being written (codegen only)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "preset/tl-preset.h"

G_BEGIN_DECLS

typedef struct {
  TlPreset   *preset;
  GString    *out;
  guint       line;            /* the number of the next line written */
  GStrv       names;           /* function name per spec */
  GHashTable *created_at;      /* (parent << 32 | child) → line */
  guint      *root_lines;      /* per section */
  guint8     *used;            /* reachable from some section */
  guint8     *emitted;
  guint8     *has_function;    /* spawn/await outside a sequence, or a root */
  char      **task_vars;       /* per spawn target: the variable holding its task */
  guint8     *var_global;
  int        *var_owner;       /* the function that first touched the variable */
  gboolean    any_thread;
  gboolean    any_process;
  gboolean    any_cpu;
  gboolean    any_http;
  gboolean    any_relative_url;
  gboolean    cpu_releases_gil;
  gboolean    need_ignore_error;
  gboolean    need_run_job;
} TlPythonWriter;

/* Lines are appended one at a time; each returns its 1-based number. */
guint  _tl_python_emit_text    (TlPythonWriter *g, int indent, const char *text);
guint  _tl_python_emit         (TlPythonWriter *g, int indent, const char *format, ...) G_GNUC_PRINTF (3, 4);
void   _tl_python_emit_blank   (TlPythonWriter *g);
/* "# text", wrapped at word boundaries; new lines in @text are kept. */
void   _tl_python_emit_comment (TlPythonWriter *g, int indent, const char *text);

/* The frame around the task functions: imports and the description, the
 * helpers compute/with_session/read_body, the late helpers (ignore_error,
 * run_job), and the __main__ block with one asyncio.run() per section. */
void   _tl_python_emit_header       (TlPythonWriter *g);
void   _tl_python_emit_helpers      (TlPythonWriter *g);
void   _tl_python_emit_late_helpers (TlPythonWriter *g);
void   _tl_python_emit_main         (TlPythonWriter *g);

#define emit_text     _tl_python_emit_text
#define emit          _tl_python_emit
#define emit_blank    _tl_python_emit_blank
#define emit_comment  _tl_python_emit_comment

G_END_DECLS
