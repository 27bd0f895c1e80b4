/* main.c — decides which Tasklanes to start before touching GTK
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * --headless, --to-python, --serve, --list-presets, --print-preset, --version and
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
#include "core/tl-fd-limit.h"
#include "core/tl-text.h"
#include "http/tl-demo-server.h"
#include "codegen/tl-to-python.h"
#include "headless/tl-headless.h"
#include "python/tl-python.h"

static void
print_help (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  tasklanes [FILE.tasklanes]           Open the window (with FILE)\n"
             "  tasklanes RUN.tasklanes-run          Show a recorded run in the window\n"
             "  tasklanes --headless FILE|builtin:NAME [--report OUT.json]\n"
             "            [--trace OUT.json] [--csv OUT.csv] [--record OUT.tasklanes-run]\n"
             "            [--quiet] [--virtual-time]\n"
             "                                       Run a preset without a display\n"
             "  tasklanes --headless RUN.tasklanes-run [--report …] [--trace …] [--csv …]\n"
             "                                       Export a recorded run without running it\n"
             "  tasklanes --to-python FILE|builtin:NAME [-o OUT.py]\n"
             "                                       Write the preset as its asyncio program\n"
             "  tasklanes --serve PORT               Run only the demo HTTP server on 127.0.0.1:PORT\n"
             "  tasklanes --list-presets             List the built-in gallery\n"
             "  tasklanes --print-preset NAME        Print a built-in preset's file\n"
             "  tasklanes --version                  Print the version\n"
             "  tasklanes --help                     Show this help\n"
             "\n"
             "Output files may be \"-\" for standard output.\n"));
  fprintf (out, "%s",
           _("\nPython programs (3.11 or newer; see TASKLANES_PYTHON):\n"
             "  tasklanes PROGRAM.py [ARGS…]         Open a real asyncio program in the window\n"
             "  tasklanes --headless PROGRAM.py [ARGS…] [--report OUT.json] [--trace OUT.json]\n"
             "            [--csv OUT.csv] [--quiet]  Run it without a display; exits with its status\n"));
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
      g_autofree char *shown = tl_text_echo (argv[2]);

      fprintf (stderr, _("tasklanes: --serve: “%s” is not a port number (0–65535)\n"), shown);
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

/* The options only --headless understands, without their values. */
static const char *
headless_only_option (const char *arg)
{
  static const char * const names[] = { "--report", "--trace", "--csv", "--record", "--quiet", "-q", "--virtual-time" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize len = strlen (names[i]);

      if (strncmp (arg, names[i], len) == 0 && (arg[len] == '\0' || arg[len] == '='))
        return names[i];
    }
  return NULL;
}

/* What the window accepts besides files: GApplication's own options (the
 * D-Bus service mode, its help) and --display. */
static gboolean
is_window_option (const char *arg)
{
  return g_str_has_prefix (arg, "--gapplication-") ||
         g_str_has_prefix (arg, "--help-") ||
         strcmp (arg, "--display") == 0 ||
         g_str_has_prefix (arg, "--display=");
}

static gboolean
have_display (int    argc,
              char **argv)
{
  const char *display = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((display != NULL && *display != '\0') || (wayland != NULL && *wayland != '\0'))
    return TRUE;
  /* Another backend (broadway), an explicit display or the D-Bus service
   * mode: GTK decides, and says so itself if it cannot. */
  if (g_getenv ("GDK_BACKEND") != NULL)
    return TRUE;
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (is_window_option (argv[i]))
      return TRUE;
  return FALSE;
}

/* Before GTK sees the command line: options meant for --headless, unknown
 * options and a missing display get a message in our own words. */
static int
check_window_arguments (int    argc,
                        char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *name;

      if (strcmp (arg, "--") == 0)
        break;
      /* What follows a Python program is its own command line. */
      if (tl_python_is_program_path (arg))
        break;
      if (arg[0] != '-' || strcmp (arg, "-") == 0)
        continue;

      if ((name = headless_only_option (arg)) != NULL)
        {
          fprintf (stderr, _("tasklanes: %s only works with --headless\n"), name);
          fprintf (stderr, "%s\n", _("Try “tasklanes --help” for more information."));
          return TL_EXIT_USAGE;
        }
      if (is_window_option (arg))
        {
          /* "--display NAME" and "--gapplication-app-id ID" take a value. */
          if ((strcmp (arg, "--display") == 0 || strcmp (arg, "--gapplication-app-id") == 0) && i + 1 < argc)
            i++;
          continue;
        }

      g_autofree char *shown = tl_text_echo (arg);

      fprintf (stderr, _("tasklanes: unknown option “%s”\n"), shown);
      fprintf (stderr, "%s\n", _("Try “tasklanes --help” for more information."));
      return TL_EXIT_USAGE;
    }

  if (!have_display (argc, argv))
    {
      fprintf (stderr, "%s\n", _("tasklanes: there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)."));
      fprintf (stderr, "%s\n", _("To run a preset without a window, use: tasklanes --headless FILE.tasklanes|builtin:NAME"));
      return TL_EXIT_INVALID;
    }

  return TL_EXIT_OK;
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

  /* A thousand connections to the built-in server take two thousand
   * descriptors; desktops often start programs with a soft limit of 1,024. */
  tl_fd_limit_raise ();

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
      if (has_arg (argc, argv, "--to-python"))
        return tl_to_python_main (argc, argv);
      if (strcmp (argv[1], "--serve") == 0)
        return serve_main (argc, argv);
      if (strcmp (argv[1], "--list-presets") == 0)
        return tl_headless_list (argc, argv);
      if (strcmp (argv[1], "--print-preset") == 0)
        return tl_headless_print (argc, argv);
    }

  {
    int status = check_window_arguments (argc, argv);

    if (status != TL_EXIT_OK)
      return status;
  }

  app = tl_application_new ();

  /* tasklanes PROGRAM.py ARGS…: the window opens the program, and ARGS
   * are what it gets when it runs. */
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (argv[i][0] != '-' && tl_python_is_program_path (argv[i]))
        {
          tl_application_set_program_args (app, (const char * const *) argv + i + 1);
          argc = i + 1;
          break;
        }
    }

  return g_application_run (G_APPLICATION (app), argc, argv);
}
