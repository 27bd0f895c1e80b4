/* main.c — decides which Tasklanes to start before touching GTK
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * --headless, --serve, --list-presets, --print-preset, --version and
 * --help are handled here without initialising GTK, so they work with no
 * display and no D-Bus session. Everything else is the window's.
 */
#define G_LOG_DOMAIN "tasklanes"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl-application.h"
#include "tl-demo-server.h"
#include "tl-headless.h"

static void
print_help (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  tasklanes [FILE.tasklanes]           Open the window (with FILE)\n"
             "  tasklanes --headless FILE|builtin:NAME [--report OUT.json]\n"
             "            [--trace OUT.json] [--csv OUT.csv] [--quiet] [--virtual-time]\n"
             "                                       Run a preset without a display\n"
             "  tasklanes --serve PORT               Run only the demo HTTP server on 127.0.0.1:PORT\n"
             "  tasklanes --list-presets             List the built-in gallery\n"
             "  tasklanes --print-preset NAME        Print a built-in preset's file\n"
             "  tasklanes --version                  Print the version\n"
             "  tasklanes --help                     Show this help\n"
             "\n"
             "Output files may be \"-\" for standard output.\n"));
}

static int
serve_main (int    argc,
            char **argv)
{
  char *end = NULL;
  guint64 port;

  if (argc != 3)
    {
      fprintf (stderr, _("tasklanes: --serve takes exactly one PORT (0 lets the system choose)\n"));
      return TL_EXIT_USAGE;
    }

  port = g_ascii_strtoull (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || port > 65535)
    {
      fprintf (stderr, _("tasklanes: --serve: “%s” is not a port number (0–65535)\n"), argv[2]);
      return TL_EXIT_USAGE;
    }

  return tl_demo_server_serve_forever ((guint) port);
}

static gboolean
has_arg (int         argc,
         char      **argv,
         const char *name)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strcmp (argv[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TlApplication) app = NULL;
  const char *localedir = g_getenv ("TASKLANES_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* TASKLANES_LOCALEDIR lets build-aux/run and the tests use the
   * translations compiled in the build tree before installation. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2)
    {
      if (has_arg (argc, argv, "--help") || has_arg (argc, argv, "-h"))
        {
          print_help (stdout);
          return TL_EXIT_OK;
        }
      if (has_arg (argc, argv, "--version"))
        {
          printf ("tasklanes %s\n", PACKAGE_VERSION);
          return TL_EXIT_OK;
        }
      if (has_arg (argc, argv, "--headless"))
        return tl_headless_main (argc, argv);
      if (strcmp (argv[1], "--serve") == 0)
        return serve_main (argc, argv);
      if (strcmp (argv[1], "--list-presets") == 0)
        return tl_headless_list (argc, argv);
      if (strcmp (argv[1], "--print-preset") == 0)
        return tl_headless_print (argc, argv);
    }

  app = tl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
