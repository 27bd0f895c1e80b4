/* tl-code-pane.h — the program beside the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "codegen/tl-python-program.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_CODE_PANE (tl_code_pane_get_type ())
G_DECLARE_FINAL_TYPE (TlCodePane, tl_code_pane, TL, CODE_PANE, GtkWidget)

GtkWidget       *tl_code_pane_new                  (void);

/* The asyncio program of the open preset (NULL: nothing to show). */
void             tl_code_pane_set_program          (TlCodePane      *self,
                                                    TlPythonProgram *program);
TlPythonProgram *tl_code_pane_get_program          (TlCodePane      *self);
/* A real asyncio program: its own text, its tasks' lines taken from the
 * trace (tl_trace_instance_get_source_line()). */
void             tl_code_pane_set_source           (TlCodePane      *self,
                                                    const char      *text,
                                                    const char      *title);
const char      *tl_code_pane_get_text             (TlCodePane      *self);

/* The run whose tasks the lines stand for; NULL before the first run.
 * Live marks follow it through tl_code_pane_update_live(). */
void             tl_code_pane_set_trace            (TlCodePane      *self,
                                                    TlTrace         *trace);
/* Reads what the run did since the last call and marks the lines whose
 * tasks are running; once the trace is complete the marks go. */
void             tl_code_pane_update_live          (TlCodePane      *self);

/* The lane selected in the timeline: its line is highlighted and
 * scrolled into view (TL_NO_INSTANCE: none). */
void             tl_code_pane_select_instance      (TlCodePane      *self,
                                                    guint32          instance);
/* As a click on @line: emits ::instance-activated with the first task
 * the line created, or with the next one when the line's task is already
 * selected. Returns the instance, TL_NO_INSTANCE when the line created
 * none in this run. */
guint32          tl_code_pane_activate_line        (TlCodePane      *self,
                                                    guint            line);

/* 1-based; 0 when no line is highlighted. */
guint            tl_code_pane_get_highlighted_line (TlCodePane      *self);
gboolean         tl_code_pane_line_is_running      (TlCodePane      *self,
                                                    guint            line);

G_END_DECLS
