/* tl-to-python.c — tasklanes --to-python
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-to-python"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "codegen/tl-to-python.h"
#include "headless/tl-headless.h"
#include "preset/tl-preset.h"

static int
usage_error (void)
{
  fprintf (stderr, "%s\n", _("Try “tasklanes --help” for more information."));
  return TL_EXIT_USAGE;
}

int
tl_to_python_main (int    argc,
                   char **argv)
{
  const char *input = NULL;
  const char *output = NULL;
  gboolean options_done = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlPythonProgram) program = NULL;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (!options_done && strcmp (arg, "--to-python") == 0)
        continue;
      if (!options_done && strcmp (arg, "--") == 0)
        {
          options_done = TRUE;
          continue;
        }
      if (!options_done && (strcmp (arg, "-o") == 0 || strcmp (arg, "--output") == 0))
        {
          if (i + 1 >= argc)
            {
              fprintf (stderr, _("tasklanes: %s needs a file name (or - for standard output)\n"), arg);
              return usage_error ();
            }
          output = argv[++i];
          continue;
        }
      if (!options_done && g_str_has_prefix (arg, "--output="))
        {
          output = arg + strlen ("--output=");
          continue;
        }
      if (!options_done && arg[0] == '-' && arg[1] != '\0')
        {
          fprintf (stderr, _("tasklanes: --to-python does not understand “%s”\n"), arg);
          return usage_error ();
        }
      if (input != NULL)
        {
          fprintf (stderr, _("tasklanes: --to-python takes one preset, but got “%s” and “%s”\n"), input, arg);
          return usage_error ();
        }
      input = arg;
    }

  if (input == NULL)
    {
      fprintf (stderr, "%s\n", _("tasklanes: --to-python needs a preset: FILE.tasklanes or builtin:NAME"));
      return usage_error ();
    }
  if (output != NULL && *output == '\0')
    {
      fprintf (stderr, "%s\n", _("tasklanes: -o needs a file name (or - for standard output)"));
      return usage_error ();
    }

  preset = tl_preset_new_for_argument (input, &error);
  if (preset == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return TL_EXIT_INVALID;
    }

  program = tl_python_program_new (preset);
  if (output == NULL || strcmp (output, "-") == 0)
    {
      fputs (tl_python_program_get_text (program), stdout);
      if (fflush (stdout) != 0)
        {
          fprintf (stderr, "%s\n", _("tasklanes: could not write the program to standard output"));
          return TL_EXIT_INVALID;
        }
      return TL_EXIT_OK;
    }
  if (!tl_python_program_save (program, output, &error))
    {
      fprintf (stderr, _("tasklanes: cannot write “%s”: %s\n"), output, error->message);
      return TL_EXIT_INVALID;
    }
  return TL_EXIT_OK;
}
