/* tl-python.c — finding the Python interpreter and the probe
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-python"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "python/tl-python.h"

#define PROBE_SCRIPT "tasklanes-probe.py"

static char *
resolve (const char *name)
{
  if (strchr (name, '/') != NULL)
    return g_file_test (name, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (name, G_FILE_TEST_IS_DIR)
           ? g_strdup (name) : NULL;
  return g_find_program_in_path (name);
}

char *
tl_python_find_interpreter (const char  *preferred,
                            GError     **error)
{
  const char *env = g_getenv ("TASKLANES_PYTHON");
  const char *wanted = NULL;
  const char *where = NULL;
  char *found;

  if (env != NULL && *env != '\0')
    wanted = env, where = "TASKLANES_PYTHON";
  else if (preferred != NULL && *preferred != '\0')
    wanted = preferred, where = _("Preferences");

  if (wanted != NULL)
    {
      found = resolve (wanted);
      if (found == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The Python interpreter “%s” (from %s) does not exist or cannot be run"), wanted, where);
      return found;
    }

  found = g_find_program_in_path ("python3");
  if (found == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("No Python interpreter found: install python3 (3.11 or newer), "
                           "or name one in TASKLANES_PYTHON or in Preferences"));
  return found;
}

gboolean
tl_python_check_version (const char  *python,
                         char       **version,
                         GError     **error)
{
  const char *argv[] = { python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) local = NULL;
  int status = 0;
  unsigned major = 0, minor = 0, micro = 0;

  g_return_val_if_fail (python != NULL, FALSE);

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &local) ||
      !g_spawn_check_wait_status (status, NULL) ||
      out == NULL || sscanf (out, "%u.%u.%u", &major, &minor, &micro) != 3)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” did not answer as a Python interpreter does"), python);
      return FALSE;
    }

  if (major < TL_PYTHON_MIN_MAJOR || (major == TL_PYTHON_MIN_MAJOR && minor < TL_PYTHON_MIN_MINOR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is Python %u.%u.%u; Tasklanes needs Python 3.11 or newer"),
                   python, major, minor, micro);
      return FALSE;
    }

  if (version != NULL)
    *version = g_strdup_printf ("%u.%u.%u", major, minor, micro);
  return TRUE;
}

char *
tl_python_find_probe (GError **error)
{
  const char *dirs[] = { g_getenv ("TASKLANES_PROBE_DIR"), PKGDATADIR "/python", PROBE_SOURCEDIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL || *dirs[i] == '\0')
        continue;
      path = g_build_filename (dirs[i], PROBE_SCRIPT, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The Python probe (%s) is not installed in %s"), PROBE_SCRIPT, PKGDATADIR "/python");
  return NULL;
}

char *
tl_python_find_gallery_program (const char *name)
{
  const char *dirs[] = { g_getenv ("TASKLANES_PROGRAMS_DIR"), PKGDATADIR "/programs", PROGRAMS_SOURCEDIR };
  g_autofree char *file = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  file = g_strdelimit (g_strconcat (name, ".py", NULL), "-", '_');
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL || *dirs[i] == '\0')
        continue;
      path = g_build_filename (dirs[i], file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

gboolean
tl_python_is_program_path (const char *path)
{
  return path != NULL && (g_str_has_suffix (path, ".py") || g_str_has_suffix (path, ".pyw"));
}
