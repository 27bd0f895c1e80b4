/* tl-worker-protocol.c — the line protocol between the process pool and
 * tasklanes-worker
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing is strict (one space between fields, decimal numbers only, no
 * trailing text) because whatever does not parse is either a bug or not
 * ours, and both should be loud.
 */
#define G_LOG_DOMAIN "tl-worker-protocol"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pools/tl-worker-protocol.h"

char *
tl_worker_format_hello (gint64 pid)
{
  return g_strdup_printf ("hello %s %d %" G_GINT64_FORMAT,
                          TL_WORKER_PROGRAM_NAME, TL_WORKER_PROTOCOL_VERSION, pid);
}

char *
tl_worker_format_request (TlJobKind kind,
                          gint64    duration_us)
{
  return g_strdup_printf ("%s %" G_GINT64_FORMAT,
                          kind == TL_JOB_CPU ? "cpu" : "sleep", duration_us);
}

char *
tl_worker_format_done (gint64 cpu_us,
                       gint64 wall_us)
{
  return g_strdup_printf ("done %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, cpu_us, wall_us);
}

char *
tl_worker_format_error (const char *message)
{
  GString *line = g_string_new ("error ");

  /* One line, printable ASCII: the reader splits on newlines. */
  for (const char *p = message; *p != '\0' && line->len < TL_WORKER_MAX_LINE - 1; p++)
    g_string_append_c (line, g_ascii_isprint (*p) ? *p : '?');

  return g_string_free (line, FALSE);
}

/* Splits @line into exactly @n fields separated by single spaces. */
static char **
split_fields (const char *line,
              guint       n)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);

  if (g_strv_length (fields) != n)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (fields[i][0] == '\0')
      return NULL;

  return g_steal_pointer (&fields);
}

static gboolean
parse_number (const char *text,
              gint64      max,
              gint64     *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, (guint64) max, &value, NULL))
    return FALSE;

  *out = (gint64) value;
  return TRUE;
}

gboolean
tl_worker_parse_request (const char  *line,
                         TlJobKind   *kind,
                         gint64      *duration_us,
                         GError     **error)
{
  g_auto(GStrv) fields = NULL;

  g_return_val_if_fail (line != NULL, FALSE);

  fields = split_fields (line, 2);
  if (fields == NULL)
    goto invalid;

  if (strcmp (fields[0], "cpu") == 0)
    *kind = TL_JOB_CPU;
  else if (strcmp (fields[0], "sleep") == 0)
    *kind = TL_JOB_BLOCKING;
  else
    goto invalid;

  if (!parse_number (fields[1], TL_WORKER_MAX_DURATION_US, duration_us))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "duration out of range (0 to %" G_GINT64_FORMAT " microseconds)",
                   TL_WORKER_MAX_DURATION_US);
      return FALSE;
    }

  return TRUE;

invalid:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "unknown request (expected \"cpu MICROSECONDS\" or \"sleep MICROSECONDS\")");
  return FALSE;
}

gboolean
tl_worker_parse_reply (const char     *line,
                       TlWorkerReply  *reply,
                       GError        **error)
{
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  memset (reply, 0, sizeof *reply);

  if (g_str_has_prefix (line, "error "))
    {
      reply->type = TL_WORKER_REPLY_ERROR;
      reply->message = g_strdup (line + strlen ("error "));
      return TRUE;
    }
  else if (g_str_has_prefix (line, "done "))
    {
      g_auto(GStrv) fields = split_fields (line, 3);

      reply->type = TL_WORKER_REPLY_DONE;
      if (fields != NULL
          && parse_number (fields[1], G_MAXINT64, &reply->cpu_us)
          && parse_number (fields[2], G_MAXINT64, &reply->wall_us))
        return TRUE;
    }
  else if (g_str_has_prefix (line, "hello "))
    {
      g_auto(GStrv) fields = split_fields (line, 4);
      gint64 version;

      reply->type = TL_WORKER_REPLY_HELLO;
      if (fields != NULL
          && strcmp (fields[1], TL_WORKER_PROGRAM_NAME) == 0
          && parse_number (fields[2], G_MAXUINT, &version)
          && parse_number (fields[3], G_MAXINT64, &reply->pid))
        {
          reply->version = (guint) version;
          return TRUE;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The worker process answered something unexpected: “%.64s”"), line);
  return FALSE;
}

void
tl_worker_reply_clear (TlWorkerReply *reply)
{
  g_clear_pointer (&reply->message, g_free);
}
