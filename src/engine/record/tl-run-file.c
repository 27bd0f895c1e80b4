/* tl-run-file.c — what every run file says about where its run ran, and
 * how a run file is recognised
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writer (tl-run-file-writer.c) and the reader (tl-run-file-reader.c)
 * share the layout in tl-run-file-private.h.
 */
#define G_LOG_DOMAIN "tl-run-file"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "record/tl-run-file.h"
#include "record/tl-run-file-private.h"

G_DEFINE_QUARK (tl-run-file-error-quark, tl_run_file_error)

TlRunInfo *
tl_run_info_new_now (gboolean virtual_time)
{
  TlRunInfo *info = g_new0 (TlRunInfo, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  info->generator = g_strdup ("tasklanes " PACKAGE_VERSION);
  info->date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  info->cores = g_get_num_processors ();
  info->clock = g_strdup (virtual_time ? "virtual" : "real");
  info->kind = g_strdup (TL_RUN_KIND_PRESET);
  return info;
}

TlRunInfo *
tl_run_info_copy (const TlRunInfo *info)
{
  TlRunInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (TlRunInfo, 1);
  copy->generator = g_strdup (info->generator);
  copy->date = g_strdup (info->date);
  copy->cores = info->cores;
  copy->clock = g_strdup (info->clock);
  copy->python = g_strdup (info->python);
  copy->kind = g_strdup (info->kind);
  copy->output = g_strdup (info->output);
  return copy;
}

void
tl_run_info_free (TlRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->generator);
  g_free (info->date);
  g_free (info->clock);
  g_free (info->python);
  g_free (info->kind);
  g_free (info->output);
  g_free (info);
}

gboolean
tl_run_file_is_run_file (const char *path)
{
  guint8 head[TL_RUN_FILE_SIGNATURE_SIZE];
  gboolean matches = FALSE;
  FILE *f;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_has_suffix (path, TL_RUN_FILE_SUFFIX))
    return TRUE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;

  f = fopen (path, "rb");
  if (f == NULL)
    return FALSE;
  matches = fread (head, 1, sizeof head, f) == sizeof head &&
            memcmp (head, TL_RUN_FILE_SIGNATURE, sizeof head) == 0;
  fclose (f);
  return matches;
}
