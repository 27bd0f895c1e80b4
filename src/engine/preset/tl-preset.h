/* tl-preset.h — a loaded, validated preset (immutable)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

#define TL_PRESET_ERROR (tl_preset_error_quark ())

typedef enum {
  TL_PRESET_ERROR_IO,          /* missing, unreadable, too large, not UTF-8 */
  TL_PRESET_ERROR_SYNTAX,      /* GKeyFile could not parse it */
  TL_PRESET_ERROR_VERSION,     /* Format is newer than this program */
  TL_PRESET_ERROR_INVALID,     /* a key, value, name or structure is wrong */
  TL_PRESET_ERROR_LIMIT,       /* a documented limit is exceeded */
} TlPresetError;

#define TL_PRESET_MAX_FILE_SIZE      (1024 * 1024)
#define TL_PRESET_MAX_TASK_GROUPS    10000
#define TL_PRESET_MAX_INSTANCES      1000000
#define TL_PRESET_MAX_DEPTH          64
#define TL_PRESET_MAX_DURATION_US    (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define TL_PRESET_DEFAULT_MAX_BYTES  (G_GINT64_CONSTANT (16) * 1024 * 1024)
#define TL_PRESET_MAX_QUESTIONS      100
#define TL_PRESET_MAX_CHOICES        20

/* One [Task NAME] group. Strings are already resolved to the user's
 * language (Key[ko] when LANGUAGE/LC_MESSAGES ask for it). Templates may
 * still contain "{i}"; expand them with tl_preset_expand(). */
struct _TlTaskSpec
{
  char         *name;
  TlKind        kind;
  char         *label;            /* never NULL: defaults to name */
  gint64        timeout_us;       /* -1: no Timeout */
  gboolean      catch_error;
  gboolean      awaited;
  guint         line;             /* line of the [Task] header, for messages */

  /* leaves */
  gint64        duration_us;      /* sleep, blocking */
  gint64        work_us;          /* cpu */
  TlOn          on;               /* blocking: thread (default) / loop; cpu: loop (default) / thread / process; others: loop */
  char         *fail;             /* NULL: succeeds */
  char         *result;           /* NULL: a default description */
  guint         repeat;           /* 1 when not repeated */

  /* fetch */
  char         *url;              /* as written; "/…" means the demo server */
  char         *method;           /* "GET", "HEAD" or "POST" */
  char         *body;             /* NULL: none */
  guint16      *expect_status;    /* NULL: any 2xx */
  guint         n_expect_status;
  gint64        max_bytes;

  /* composites: indices into TlPreset.tasks */
  guint        *children;
  guint         n_children;
  gboolean      return_exceptions;
  gboolean      cancel_on_error;
  TlReturnWhen  return_when;
  gint64        max_wait_us;      /* -1: none */
  gboolean      cancel_pending;
  guint         target;           /* spawn / await: index into tasks */
};

typedef enum {
  TL_QUESTION_FIRST_FINISHED,   /* Kind=first-finished: which of Choices finishes first */
  TL_QUESTION_WALL_TIME,        /* Kind=wall-time: how long the run (or Section) takes */
  TL_QUESTION_FINAL_STATE,      /* Kind=final-state: how Task ends */
  TL_QUESTION_RESULT_ORDER,     /* Kind=result-order: the order of the gather Task's results */
} TlQuestionKind;

/* One task instance named in a question: "NAME" or "NAME#COPY". */
typedef struct {
  guint  spec;                    /* index into TlPreset.tasks */
  guint  copy;                    /* Repeat number, 1-based */
  char  *label;                   /* the instance's label, {i} expanded */
} TlTaskRef;

/* One [Question NAME] group (a format-1 extension; see
 * docs/preset-format.md). Strings are resolved to the user's language. */
struct _TlQuestion
{
  char           *name;
  TlQuestionKind  kind;
  char           *prompt;         /* translated */
  char           *explanation;    /* translated */
  guint           line;           /* line of the [Question] header */
  guint           section;        /* index into TlPreset.sections */
  gboolean        whole_run;      /* wall-time without Section: all sections */

  /* first-finished: the candidates; result-order: the gather's children
   * in the order they are passed */
  TlTaskRef      *choices;
  guint           n_choices;
  /* final-state: the task; result-order: the gather */
  TlTaskRef       task;
  /* final-state: the states offered (every final state by default) */
  TlState        *states;
  guint           n_states;
  /* wall-time: durations offered (none: the guess is typed in) */
  gint64         *durations;
  guint           n_durations;
  gint64          tolerance_us;   /* wall-time: -1 for the default */
};

/* Fields are public for reading; a TlPreset never changes after loading
 * and may be shared between threads. */
struct _TlPreset
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char         *file;             /* path or "builtin:NAME" or display name */
  char         *builtin_name;     /* NULL unless loaded from the gallery */
  char         *name;             /* translated */
  char         *description;      /* translated, may be NULL */
  char         *category;         /* may be NULL */
  guint        *sections;         /* Run: indices into tasks */
  guint         n_sections;
  guint         threads;          /* 0: not set (use the default: CPUs or preference) */
  guint         processes;        /* 0: not set */
  guint         connections;      /* 100 when not set */
  gboolean      gil;
  TlTaskSpec   *tasks;
  guint         n_tasks;
  char         *text;             /* the file's text as loaded, for saving */
  TlQuestion   *questions;        /* [Question] groups in file order */
  guint         n_questions;
};

GQuark       tl_preset_error_quark        (void);
GType        tl_preset_get_type           (void) G_GNUC_CONST;

TlPreset    *tl_preset_new_from_file      (const char   *path,
                                           GError      **error);
TlPreset    *tl_preset_new_from_data      (const char   *data,
                                           gssize        length,
                                           const char   *display_name,
                                           GError      **error);
/* NAME as in "builtin:NAME": a file data/presets/NAME.tasklanes in the
 * application's GResource. */
TlPreset    *tl_preset_new_from_builtin   (const char   *name,
                                           GError      **error);
/* What names a run of a Python program (src/engine/python/): no tasks
 * and no sections of its own; name = the file's base name, file = @path,
 * category "python", text = the program's source (may be NULL). */
TlPreset    *tl_preset_new_for_program    (const char   *path,
                                           const char   *text);
/* A preset put back from a run file: @text as it was recorded, with the
 * @file and @builtin_name (may be NULL) of the original, so everything
 * exported from the recording names the preset as the live run did.
 * @display names the recording in messages. */
TlPreset    *tl_preset_new_from_recording (const char   *text,
                                           gsize         length,
                                           const char   *display,
                                           const char   *file,
                                           const char   *builtin_name,
                                           GError      **error);
/* Accepts "builtin:NAME" or a path. */
TlPreset    *tl_preset_new_for_argument   (const char   *argument,
                                           GError      **error);

TlPreset    *tl_preset_ref                (TlPreset     *self);
void         tl_preset_unref              (TlPreset     *self);

gboolean     tl_preset_save_to_file       (TlPreset     *self,
                                           const char   *path,
                                           GError      **error);

/* Replaces every "{i}" in template with copy; NULL for a NULL template. */
char        *tl_preset_expand             (const char   *template_,
                                           guint         copy);

/* Number of task instances section @section creates, Repeat included. */
guint64      tl_preset_count_instances    (TlPreset     *self,
                                           guint         section);

/* Hosts other than the demo server that the preset's fetch tasks contact,
 * sorted and unique; NULL-terminated. */
GStrv        tl_preset_dup_remote_hosts   (TlPreset     *self);

/* Built-in gallery names, sorted as the gallery shows them. */
GStrv        tl_preset_list_builtin       (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlPreset, tl_preset_unref)

G_END_DECLS
