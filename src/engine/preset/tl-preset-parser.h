/* tl-preset-parser.h — what the preset parser's files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "preset/tl-preset-private.h"

G_BEGIN_DECLS

#define MAX_NAME_CHARS   64
#define MAX_QUOTED_CHARS 60

typedef struct {
  const char *key;      /* as written: "Name[ko]" */
  char       *base;     /* "Name" */
  const char *locale;   /* "ko", or NULL; points into key */
  guint       line;
  guint       dup_line; /* line of a later copy of the same key, or 0 */
} ScanKey;

typedef struct {
  char  *name;          /* between the brackets */
  guint  line;
  guint  first_key;     /* index into Parser.keys */
  guint  n_keys;
  guint  dup_line;      /* line of a later group with the same name, or 0 */
  int    task;          /* index into preset->tasks, or -1 */
} ScanGroup;

typedef struct {
  const char  *display;
  GKeyFile    *key_file;
  char        *scan_text;    /* the scanner's own copy, cut into lines */
  GArray      *groups;       /* ScanGroup */
  GArray      *keys;         /* ScanKey */
  GHashTable  *task_by_name; /* name → task index + 1 */
  const char **task_names;   /* for suggestions, in file order */
  TlPreset    *preset;
  GError     **error;
  int          preset_group; /* index into groups, or -1 */

  /* Per-section walk state, reused across sections with a generation
   * number instead of clearing, so many sections stay cheap. */
  guint       *seen_gen;
  guint       *spawned_gen;
  guint       *on_path;
  guint       *first_parent; /* task index + 1, or 0 for the root */
  guint        gen;
  guint        root;
  guint        path[TL_PRESET_MAX_DEPTH + 2];
  guint        path_len;
  guint64      instances;        /* leaves in the current section */
  guint64      composites;       /* composite tasks in it */
  guint        bad_await;    /* first await without an earlier spawn */
} Parser;

static inline ScanGroup *
group_at (Parser *p,
          guint   i)
{
  return &g_array_index (p->groups, ScanGroup, i);
}

static inline ScanKey *
key_at (Parser *p,
        guint   i)
{
  return &g_array_index (p->keys, ScanKey, i);
}

/* Every message has one shape: "FILE:LINE: [GROUP] KEY: what is wrong",
 * with LINE, GROUP and KEY left out where they do not apply. Always FALSE. */
gboolean _tl_parser_fail                (Parser        *p,
                                        TlPresetError  code,
                                        guint          line,
                                        const char    *group,
                                        const char    *key,
                                        const char    *format,
                                        ...) G_GNUC_PRINTF (6, 7);
/* Shortens a value for quoting in a message so a long line stays readable. */
char    *_tl_parser_quote               (const char    *value);
/* The name GKeyFile knows a scanned key by: "Name[ko]". */
char    *_tl_parser_full_key            (const ScanKey *key);

/* tl-preset-keys.c: one group's keys, read into p->preset. */
gboolean _tl_parser_read_preset_group   (Parser        *p,
                                        ScanGroup     *group);
gboolean _tl_parser_read_task_group     (Parser        *p,
                                        ScanGroup     *group);

/* tl-preset-check.c: the tree under each name in Run. */
gboolean _tl_parser_check_sections      (Parser        *p);

G_END_DECLS
