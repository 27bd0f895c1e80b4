/* tl-run-file.h — a run recorded in a .tasklanes-run file, and read back
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run file holds the source that ran (the preset's text or the Python
 * program's, with the names the program gave its tasks), every event
 * and every fact of the trace, and where it ran. Reading one gives back a
 * complete TlTrace that the exporters, the summary and the timeline use
 * exactly as they use a live one. The format is docs/run-file.md.
 */
#pragma once

#include <gio/gio.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* The format this program writes, and the newest it reads. */
#define TL_RUN_FILE_FORMAT   1
#define TL_RUN_FILE_SUFFIX   ".tasklanes-run"
#define TL_RUN_FILE_MIME     "application/x-tasklanes-run"

/* What ran (TlRunInfo's kind, the file's [Source] Kind). */
#define TL_RUN_KIND_PRESET   "preset"
#define TL_RUN_KIND_PROGRAM  "program"

#define TL_RUN_FILE_ERROR (tl_run_file_error_quark ())

typedef enum {
  TL_RUN_FILE_ERROR_IO,          /* cannot open or read the file */
  TL_RUN_FILE_ERROR_NOT_RUN,     /* not a run file at all */
  TL_RUN_FILE_ERROR_NEWER,       /* written by a newer Tasklanes */
  TL_RUN_FILE_ERROR_DAMAGED,     /* cut short, corrupted or inconsistent */
  TL_RUN_FILE_ERROR_SOURCE,      /* the recorded preset no longer loads */
} TlRunFileError;

/* Where and how a run ran. */
typedef struct {
  char   *generator;    /* "tasklanes 0.1.0" */
  char   *date;         /* when it started, ISO 8601 in UTC */
  guint   cores;        /* processors of the machine it ran on */
  char   *clock;        /* "real" or "virtual" */
  char   *python;       /* Python version for programs, NULL for presets */
  char   *kind;         /* "preset" or "program" (the writer takes it from the trace) */
  char   *output;       /* what a program printed, standard output and error
                           as they came; NULL for presets */
} TlRunInfo;

GQuark      tl_run_file_error_quark (void);

/* This machine, now: what a run starting at this moment records. */
TlRunInfo  *tl_run_info_new_now     (gboolean         virtual_time);
TlRunInfo  *tl_run_info_copy        (const TlRunInfo *info);
void        tl_run_info_free        (TlRunInfo       *info);

/* Writes a complete trace with @info (NULL: tl_run_info_new_now (FALSE)). */
gboolean    tl_run_file_write       (TlTrace          *trace,
                                     const TlRunInfo  *info,
                                     GOutputStream    *stream,
                                     GCancellable     *cancellable,
                                     GError          **error);
/* Through tl_export_to_path_full(): a new file appears only complete. */
gboolean    tl_run_file_save        (TlTrace          *trace,
                                     const TlRunInfo  *info,
                                     const char       *path,
                                     GError          **error);

/* @display names the file in messages. Returns a complete trace; @info
 * (may be NULL) receives where it ran. */
TlTrace    *tl_run_file_read        (GInputStream     *stream,
                                     const char       *display,
                                     TlRunInfo       **info,
                                     GCancellable     *cancellable,
                                     GError          **error);
TlTrace    *tl_run_file_load        (const char       *path,
                                     TlRunInfo       **info,
                                     GError          **error);

/* Whether @path is meant as a run file: its name ends in .tasklanes-run,
 * or it begins with the run file's signature. */
gboolean    tl_run_file_is_run_file (const char       *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlRunInfo, tl_run_info_free)

G_END_DECLS
