/* tl-window.h — the main window: gallery, timeline, summary, details
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tl-application.h"
#include "preset/tl-preset.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_TYPE_WINDOW (tl_window_get_type ())
G_DECLARE_FINAL_TYPE (TlWindow, tl_window, TL, WINDOW, AdwApplicationWindow)

TlWindow   *tl_window_new              (TlApplication *application);

/* Opens a preset file; on failure shows the error and keeps the current
 * preset. Returns TRUE when the file was loaded. */
gboolean    tl_window_open_file        (TlWindow      *self,
                                        GFile         *file);
/* "builtin:NAME" or a path, as the gallery and the command line name
 * presets. */
gboolean    tl_window_open_argument    (TlWindow      *self,
                                        const char    *argument);

/* The arguments the next run of a Python program gets (NULL: none). */
void        tl_window_set_program_args (TlWindow      *self,
                                        const char * const *args);

TlPreset   *tl_window_get_preset       (TlWindow      *self);
GFile      *tl_window_get_file         (TlWindow      *self);
/* The latest run's trace (NULL before the first run). */
TlTrace    *tl_window_get_trace        (TlWindow      *self);
gboolean    tl_window_is_running       (TlWindow      *self);
GtkWidget  *tl_window_get_timeline     (TlWindow      *self);

/* Selects the first instance of the preset's task @task_name in the
 * latest run and shows its details. */
gboolean    tl_window_show_task        (TlWindow      *self,
                                        const char    *task_name);

/* Save As without asking for a file name: writes the preset (a built-in
 * one too) and continues with the saved file. */
gboolean    tl_window_save_preset_as   (TlWindow      *self,
                                        const char    *path,
                                        GError       **error);

/* What the Export menu items write, without asking for a file name:
 * @format is "trace", "report", "csv", "png" or "svg". Needs a finished
 * run. */
gboolean    tl_window_export_to_path   (TlWindow      *self,
                                        const char    *format,
                                        const char    *path,
                                        GError       **error);

/* The finished run as an animated PNG for slides (tl-window-present.c). */
gboolean    tl_window_export_animation (TlWindow      *self,
                                        const char    *path,
                                        GError       **error);
/* Run files and history (tl-window-history.c). */
gboolean    tl_window_save_run         (TlWindow      *self,
                                        const char    *path,
                                        GError       **error);
/* Runs of the open preset kept in this session, oldest first (at most
 * ten); the run on screen is one of them. */
guint       tl_window_get_n_runs       (TlWindow      *self);
/* Shows run @index (0: the oldest kept) again. */
gboolean    tl_window_show_run         (TlWindow      *self,
                                        guint          index);
/* Compares run @before with run @after: the two timelines stacked and
 * what changed in words (tl_window_get_comparison()). */
gboolean    tl_window_compare_runs     (TlWindow      *self,
                                        guint          before,
                                        guint          after);
/* The words of the comparison on screen, NULL when none is. */
const char *tl_window_get_comparison   (TlWindow      *self);

/* What-if (tl-window-what-if.c): @key is "Threads", "Processes",
 * "Connections", or "Duration", "Work", "Timeout", "MaxWait" of the
 * selected task (in milliseconds; 0 for no Timeout or MaxWait). */
gboolean    tl_window_set_what_if      (TlWindow      *self,
                                        const char    *key,
                                        double         value);

G_END_DECLS
