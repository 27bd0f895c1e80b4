/* tl-export.c — writing an export to a file or standard output
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-export"
/* O_TMPFILE is a GNU extension. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "export/tl-export-private.h"

/* Linux's magic numbers for the kernel's own file systems (linux/magic.h). */
#define PROC_SUPER_MAGIC  0x9fa0
#define SYSFS_MAGIC       0x62656572
#define DEBUGFS_MAGIC     0x64626720

/* The hidden files being written right now, so that a signal can remove
 * them before the program ends (tl_export_remove_temporaries()). */
static GMutex     temporaries_lock;
static GPtrArray *temporaries;
static gboolean   temporaries_closed;

/* mkstemp() and remembering the name are one step, so that no file can
 * appear after tl_export_remove_temporaries() swept them. */
static int
create_temporary (char *tmpl)
{
  int fd;

  g_mutex_lock (&temporaries_lock);
  if (temporaries_closed)
    {
      g_mutex_unlock (&temporaries_lock);
      errno = EINTR;
      return -1;
    }
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666);
  if (fd >= 0)
    {
      if (temporaries == NULL)
        temporaries = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (temporaries, g_strdup (tmpl));
    }
  g_mutex_unlock (&temporaries_lock);
  return fd;
}

static void
forget_temporary (const char *path)
{
  g_mutex_lock (&temporaries_lock);
  for (guint i = 0; temporaries != NULL && i < temporaries->len; i++)
    if (strcmp (g_ptr_array_index (temporaries, i), path) == 0)
      {
        g_ptr_array_remove_index_fast (temporaries, i);
        break;
      }
  g_mutex_unlock (&temporaries_lock);
}

guint
tl_export_remove_temporaries (void)
{
  guint n = 0;

  g_mutex_lock (&temporaries_lock);
  for (guint i = 0; temporaries != NULL && i < temporaries->len; i++)
    if (g_unlink (g_ptr_array_index (temporaries, i)) == 0)
      n++;
  if (temporaries != NULL)
    g_ptr_array_set_size (temporaries, 0);
  temporaries_closed = TRUE;
  g_mutex_unlock (&temporaries_lock);
  return n;
}

/* What the shell's ">" would say about an existing @target before it
 * wrote a byte: /proc/self/mem and its kind are no documents, and a file
 * the user may not write is refused rather than replaced by a rename. */
static gboolean
check_existing_target (const char  *path,
                       const char  *target,
                       GError     **error)
{
  struct statfs fs;
  int fd;

  if (statfs (target, &fs) == 0 &&
      (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC || fs.f_type == DEBUGFS_MAGIC))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("cannot write “%s”: it is a file of the kernel (%s), not a document"),
                   path, target);
      return FALSE;
    }

  /* Opened for writing without truncating it: only to ask. */
  fd = g_open (target, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

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
  if (instance >= tl_trace_get_n_instances (trace))
    return NULL;
  return tl_trace_get_task_name (trace, instance);
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

/* Where an export to @path really goes: a symbolic link is followed to
 * its target (even a dangling one), so the link itself survives. */
char *
tl_export_resolve_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  g_autofree char *current = g_strdup (path);

  if (resolved != NULL)
    {
      /* realpath() returns malloc'd memory: hand back a g_malloc'd copy. */
      char *copy = g_strdup (resolved);
      free (resolved);
      return copy;
    }

  /* A link whose target does not exist yet: follow it by hand (a few
   * levels at most, as the kernel does). */
  for (guint depth = 0; depth < 40; depth++)
    {
      g_autofree char *target = g_file_read_link (current, NULL);
      g_autofree char *dir = NULL;

      if (target == NULL)
        break;
      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
          continue;
        }
      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_build_filename (dir, target, NULL);
    }

  return g_steal_pointer (&current);
}

/* A device, FIFO or socket is written straight to: there is nothing to
 * replace, and renaming over it would destroy it. */
static gboolean
export_to_special (TlTrace     *trace,
                   TlExportFunc  exporter,
                   gpointer      user_data,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd = g_open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!exporter (trace, stream, user_data, NULL, &local_error) ||
      !g_output_stream_close (stream, NULL, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("cannot write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Writes to a hidden file beside @path and renames it over @path only
 * when the whole export succeeded, so a failed or interrupted export
 * never leaves half a file (nor destroys an older one). */
static gboolean
export_to_file (TlTrace     *trace,
                TlExportFunc  exporter,
                gpointer      user_data,
                const char  *path,
                GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gboolean exists;
  int fd;

  /* stat() follows links the way open() will, even where the names along
   * the way are not real paths (/dev/stdout → /proc/self/fd/1 → a pipe). */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return export_to_special (trace, exporter, user_data, path, error);

  target = tl_export_resolve_path (path);
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  exists = g_stat (target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a file"), path);
      return FALSE;
    }
  if (exists && !S_ISREG (st.st_mode))
    return export_to_special (trace, exporter, user_data, target, error);
  if (exists && !check_existing_target (path, target, error))
    return FALSE;

  /* open() applies the process umask to 0666 by itself, so an export is
   * an ordinary document without touching the process-wide umask (which
   * another thread may depend on at the same moment). */
  tmpl = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = create_temporary (tmpl);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot create a file in the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Replacing a file keeps its permissions. */
  if (exists && fchmod (fd, st.st_mode & 07777) != 0)
    g_debug ("fchmod %s: %s", tmpl, g_strerror (errno));

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!exporter (trace, stream, user_data, NULL, &local_error) ||
      !g_output_stream_close (stream, NULL, &local_error))
    {
      g_unlink (tmpl);
      forget_temporary (tmpl);
      g_set_error (error, local_error->domain, local_error->code,
                   _("cannot write “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  if (g_rename (tmpl, target) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmpl);
      forget_temporary (tmpl);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  forget_temporary (tmpl);
  return TRUE;
}

static gboolean
check_failed (const char  *dir,
              int          saved_errno,
              GError     **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("cannot create a file in the folder “%s”: %s"), dir, g_strerror (saved_errno));
  return FALSE;
}

gboolean
tl_export_check_path (const char  *path,
                      GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmpl = NULL;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (strcmp (path, "-") == 0)
    return TRUE;

  /* Opening a FIFO to test it would wait for its reader. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return TRUE;

  target = tl_export_resolve_path (path);
  if (g_stat (target, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       _("“%s” is a folder, not a file"), path);
          return FALSE;
        }
      /* Opening a FIFO to test it would wait for its reader. */
      if (!S_ISREG (st.st_mode))
        return TRUE;
      if (!check_existing_target (path, target, error))
        return FALSE;
    }

  dir = g_path_get_dirname (target);
  if (g_stat (dir, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("the folder “%s” does not exist"), dir);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("“%s” is not a folder"), dir);
      return FALSE;
    }

  /* The export will need a new file in that folder: try it now rather
   * than lose a long run's results to "permission denied" at the end.
   * A file without a name where the filesystem can make one, so that a
   * signal ending the program at this moment leaves nothing behind. */
#ifdef O_TMPFILE
  fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      close (fd);
      return TRUE;
    }
  /* EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a filesystem without
   * it. Anything else is the folder's answer. */
  if (errno != EISDIR && errno != EOPNOTSUPP && errno != EINVAL)
    return check_failed (dir, errno, error);
#endif

  tmpl = g_build_filename (dir, ".tasklanes-check-XXXXXX", NULL);
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return check_failed (dir, errno, error);
  close (fd);
  g_unlink (tmpl);
  return TRUE;
}

gboolean
tl_export_to_path_full (TlTrace      *trace,
                        TlExportFunc  exporter,
                        gpointer      user_data,
                        const char   *path,
                        GError      **error)
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
      if (!exporter (trace, stream, user_data, NULL, &local_error))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("cannot write to standard output: %s"), local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  return export_to_file (trace, exporter, user_data, path, error);
}

typedef gboolean (*PlainExporter) (TlTrace *, GOutputStream *, GCancellable *, GError **);

static gboolean
plain_exporter_cb (TlTrace        *trace,
                   GOutputStream  *stream,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  PlainExporter exporter = *(PlainExporter *) user_data;

  return exporter (trace, stream, cancellable, error);
}

gboolean
tl_export_to_path (TlTrace     *trace,
                   gboolean   (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **),
                   const char  *path,
                   GError     **error)
{
  PlainExporter plain = exporter;

  g_return_val_if_fail (exporter != NULL, FALSE);

  return tl_export_to_path_full (trace, plain_exporter_cb, &plain, path, error);
}
