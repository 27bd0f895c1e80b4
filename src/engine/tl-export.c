/* tl-export.c — writing an export to a file or standard output
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tl-export-private.h"

gint64
_tl_export_get_base_us (TlTrace *trace)
{
  if (tl_trace_get_n_sections (trace) == 0)
    return 0;
  return MAX (tl_trace_get_section (trace, 0)->start_us, 0);
}

const char *
_tl_export_get_task_name (TlTrace *trace,
                          guint32  instance)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  if (instance >= tl_trace_get_n_instances (trace))
    return NULL;
  return preset->tasks[tl_trace_get_instance (trace, instance)->spec].name;
}

const char *
_tl_export_get_section_name (TlTrace *trace,
                             guint    section)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  if (section < tl_trace_get_n_sections (trace))
    {
      const char *name = _tl_export_get_task_name (trace, tl_trace_get_section (trace, section)->root);
      if (name != NULL)
        return name;
    }
  if (section < preset->n_sections)
    return preset->tasks[preset->sections[section]].name;
  return NULL;
}

char *
_tl_export_dup_section_error (TlTrace *trace,
                              guint    section)
{
  const TlSection *s = tl_trace_get_section (trace, section);
  const char *error;

  if (s->root >= tl_trace_get_n_instances (trace))
    return g_strdup (_("the section did not start"));

  if (s->state == TL_STATE_OK)
    return NULL;

  error = tl_trace_get_error (trace, s->root);
  if (error != NULL)
    return g_strdup (error);

  switch ((TlState) s->state)
    {
    case TL_STATE_CANCELLED:
      return g_strdup (_("cancelled"));
    case TL_STATE_TIMED_OUT:
      return g_strdup (_("timed out"));
    case TL_STATE_NEVER_STARTED:
      return g_strdup (_("never started"));
    case TL_STATE_FAILED:
      return g_strdup (_("failed"));
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_STATE_OK:
    case TL_N_STATES:
    default:
      return g_strdup (_("the run was stopped before the section ended"));
    }
}

/* Writes to a hidden file beside @path and renames it over @path only
 * when the whole export succeeded, so a failed or interrupted export
 * never leaves half a file (nor destroys an older one). */
static gboolean
export_to_file (TlTrace     *trace,
                gboolean   (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **),
                const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd;

  tmpl = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  /* mkstemp creates the file for its owner only; an export is an
   * ordinary document. */
  {
    mode_t mask = umask (022);
    umask (mask);
    if (fchmod (fd, 0666 & ~mask) != 0)
      g_debug ("fchmod %s: %s", tmpl, g_strerror (errno));
  }

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!exporter (trace, stream, NULL, &local_error) ||
      !g_output_stream_close (stream, NULL, &local_error))
    {
      g_unlink (tmpl);
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot write “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  if (g_rename (tmpl, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmpl);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
tl_export_to_path (TlTrace     *trace,
                   gboolean   (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **),
                   const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (exporter != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (path, "-") == 0)
    {
      g_autoptr(GOutputStream) stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      g_autoptr(GError) local_error = NULL;

      /* stdio may hold a summary printed before: keep the order. */
      fflush (stdout);
      if (!exporter (trace, stream, NULL, &local_error))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Cannot write to standard output: %s"), local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  return export_to_file (trace, exporter, path, error);
}
