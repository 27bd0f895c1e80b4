/* tl-python-program.h — a preset as the asyncio program it stands for
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program is plain Python 3.11 (aiohttp for presets that fetch), one
 * asyncio.run() per section, its functions named after the labels. Beside
 * the text it keeps, for each section and task, the line that creates the
 * task, so the window can go from a lane to its line and back.
 */
#pragma once

#include <glib-object.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

typedef struct _TlPythonProgram TlPythonProgram;

/* One task of one section: what a line of the program creates. */
typedef struct {
  guint section;
  guint spec;             /* index into preset->tasks */
} TlPythonTaskRef;

#define TL_TYPE_PYTHON_PROGRAM (tl_python_program_get_type ())

GType             tl_python_program_get_type      (void) G_GNUC_CONST;

/* Comments are written in the language gettext would use for the UI. */
TlPythonProgram  *tl_python_program_new           (TlPreset        *preset);
TlPythonProgram  *tl_python_program_ref           (TlPythonProgram *self);
void              tl_python_program_unref         (TlPythonProgram *self);

TlPreset         *tl_python_program_get_preset    (TlPythonProgram *self);
const char       *tl_python_program_get_text      (TlPythonProgram *self);
guint             tl_python_program_get_n_lines   (TlPythonProgram *self);
/* TRUE when the program needs aiohttp and TASKLANES_DEMO_URL. */
gboolean          tl_python_program_uses_http     (TlPythonProgram *self);

/* The 1-based line that creates task @spec in section @section; 0 when
 * the task is not part of that section. */
guint             tl_python_program_get_line      (TlPythonProgram *self,
                                                   guint            section,
                                                   guint            spec);
/* The tasks line @line creates, in section order; NULL (and 0) when none. */
const TlPythonTaskRef *tl_python_program_get_tasks_at_line (TlPythonProgram *self,
                                                   guint            line,
                                                   guint           *n_tasks);

/* Writes the program to @path (mode 0644). */
gboolean          tl_python_program_save          (TlPythonProgram *self,
                                                   const char      *path,
                                                   GError         **error);

/* "gather.py" for a preset opened from gather.tasklanes or builtin:gather. */
char             *tl_python_program_dup_default_name (TlPythonProgram *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlPythonProgram, tl_python_program_unref)

G_END_DECLS
