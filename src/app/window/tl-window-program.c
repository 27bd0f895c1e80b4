/* tl-window-program.c — real asyncio programs in the window: consent,
 * starting one, its output and how it ended
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A .py file is code that runs with the user's rights. Nothing runs it
 * without the user's consent, asked before the first run of each program
 * and again whenever its content changed; consent is remembered by the
 * SHA-256 of the content in $XDG_DATA_HOME/tasklanes/trusted-programs.
 */
#define G_LOG_DOMAIN "tl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "python/tl-python.h"
#include "window/tl-window-private.h"

#define TRUSTED_FILE "trusted-programs"
#define MAX_PROGRAM_SIZE (16 * 1024 * 1024)

gboolean
_tl_window_is_program (TlWindow *self)
{
  return self->preset != NULL && self->argument != NULL && tl_python_is_program_path (self->argument);
}

static char *
trusted_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tasklanes", TRUSTED_FILE, NULL);
}

/* The SHA-256 of the program as it is now on disk; NULL if unreadable. */
static char *
program_hash (const char *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, NULL) || length > MAX_PROGRAM_SIZE)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, length);
}

static gboolean
is_trusted (const char *hash)
{
  g_autofree char *path = trusted_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], hash) && lines[i][strlen (hash)] == '\t')
      return TRUE;
  return FALSE;
}

static void
remember_trusted (const char *hash,
                  const char *program)
{
  g_autofree char *path = trusted_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  g_autofree char *updated = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    contents = g_strdup ("");
  updated = g_strdup_printf ("%s%s\t%s\n", contents, hash, program);
  if (!g_file_set_contents_full (path, updated, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_message ("Could not remember the consent to run %s: %s", program, error->message);
}

static void
consent_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TlWindow         *self)
{
  const char *hash = g_object_get_data (G_OBJECT (dialog), "hash");
  const char *program = g_object_get_data (G_OBJECT (dialog), "program");

  if (g_strcmp0 (response, "run") != 0)
    return;
  /* The program may have changed while the question was open. */
  if (!_tl_window_is_program (self) || g_strcmp0 (program, self->argument) != 0)
    return;
  remember_trusted (hash, program);
  _tl_window_start_run (self);
}

gboolean
_tl_window_program_consented (TlWindow *self)
{
  g_autofree char *hash = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (_tl_window_is_program (self), FALSE);

  hash = program_hash (self->argument);
  if (hash == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Read “%s”"), self->preset->name);

      _tl_window_show_error (self, heading, _("The program file cannot be read, or it is larger than 16 MiB."));
      return FALSE;
    }
  if (is_trusted (hash))
    return TRUE;

  body = g_strdup_printf (_("%s is a Python program. Running it runs its code with your rights: "
                            "it can read, change and delete your files and use the network.\n\n"
                            "Run it only if you trust it. Tasklanes asks again whenever the file changes."),
                          self->argument);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Run This Program?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "run", _("_Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hash", g_steal_pointer (&hash), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "program", g_strdup (self->argument), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (consent_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

TlEngineThread *
_tl_window_start_program (TlWindow     *self,
                          GSourceFunc   finished,
                          GError      **error)
{
  TlApplication *app = _tl_window_get_app (self);
  g_autofree char *preferred = app != NULL ? tl_application_dup_python_interpreter (app) : NULL;
  TlProgramOptions options = { 0 };

  options.preferred_python = preferred;
  options.output = TL_PROGRAM_OUTPUT_CAPTURE;

  self->output_serial = G_MAXUINT;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view), "", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->output_expander), TRUE);

  return tl_engine_thread_start_program (self->argument, (const char * const *) self->program_args,
                                         &options, finished, self, error);
}

void
_tl_window_update_output (TlWindow *self)
{
  TlProgramRun *program = self->engine != NULL ? tl_engine_thread_get_program (self->engine) : NULL;
  g_autofree char *output = NULL;
  guint serial;

  if (program == NULL || tl_program_run_get_output_serial (program) == self->output_serial)
    return;

  output = tl_program_run_dup_output (program, &serial);
  self->output_serial = serial;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view), output, -1);
  if (*output != '\0')
    gtk_expander_set_expanded (self->output_expander, TRUE);
}

/* The first failed section root with a traceback: an uncaught exception. */
static guint32
find_uncaught (TlTrace *trace)
{
  guint n = tl_trace_get_n_sections (trace);

  for (guint s = 0; s < n; s++)
    {
      const TlSection *section = tl_trace_get_section (trace, s);

      if (section->state == TL_STATE_FAILED && tl_trace_get_traceback (trace, section->root) != NULL)
        return section->root;
    }
  return TL_NO_INSTANCE;
}

gboolean
_tl_window_program_finished (TlWindow *self)
{
  TlProgramRun *program = tl_engine_thread_get_program (self->engine);
  TlProbeReader *reader = tl_program_run_get_reader (program);
  g_autofree char *problem = NULL;
  const char *file, *message;
  guint line;
  guint32 uncaught;

  _tl_window_update_output (self);

  if (tl_probe_reader_get_startup_error (reader, &file, &line, &message))
    {
      g_autofree char *where = line > 0 ? g_strdup_printf ("%s:%u", file, line) : g_strdup (file);
      g_autofree char *heading = g_strdup_printf (_("“%s” Could Not Start"), self->preset->name);
      g_autofree char *body = g_strdup_printf ("%s\n%s", where, message);

      _tl_window_show_error (self, heading, body);
      /* Nothing ran: draw nothing as if it had. */
      return FALSE;
    }

  /* What a run file of this run keeps besides the trace. */
  if (self->run_info != NULL)
    {
      g_free (self->run_info->kind);
      self->run_info->kind = g_strdup (TL_RUN_KIND_PROGRAM);
      g_free (self->run_info->python);
      self->run_info->python = g_strdup (tl_program_run_get_python_version (program));
      g_free (self->run_info->output);
      self->run_info->output = tl_program_run_dup_output (program, NULL);
    }

  problem = tl_program_run_dup_problem (program);
  if (problem != NULL)
    _tl_window_show_toast (self, problem);

  uncaught = find_uncaught (self->trace);
  if (uncaught != TL_NO_INSTANCE)
    _tl_window_select_instance (self, uncaught);
  return TRUE;
}
