/* tl-program-run.c — one run of a real asyncio program under the probe
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-program-run"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "http/tl-demo-server.h"
#include "preset/tl-preset.h"
#include "python/tl-program-run.h"
#include "python/tl-python.h"

/* The probe's pipe is fd 3 in the child. */
#define PROBE_CHILD_FD 3
/* Read at most this much of the probe's pipe per turn of the main loop,
 * so a program that floods it cannot starve everything else. */
#define READ_CHUNK   (64 * 1024)
#define READS_PER_TURN 4

struct _TlProgramRun
{
  GObject           parent_instance;

  char             *path;
  GStrv             args;
  char             *python;
  char             *preferred_python;
  char             *python_version;
  TlProgramOutput   output;
  gboolean          keep_output;   /* captured as well as passed on */

  TlTrace          *trace;
  TlProbeReader    *reader;
  GMainContext     *context;
  GSubprocess      *process;
  GCancellable     *cancellable;
  pid_t             pgid;

  int               pipe_fd;
  GSource          *pipe_source;
  GSource          *kill_source;
  char             *buffer;

  GMutex            output_lock;   /* captured, dropped, output_serial: read from other threads */
  GString          *captured;
  gsize             dropped;
  guint             output_serial;
  guint             streams_open;

  gboolean          exited;
  gboolean          pipe_done;
  gboolean          finished;
  gboolean          stopped;
  int               exit_status;
  gint64            start_us;
};

enum { SIGNAL_FINISHED, SIGNAL_OUTPUT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TlProgramRun, tl_program_run, G_TYPE_OBJECT)

static void
tl_program_run_dispose (GObject *object)
{
  TlProgramRun *self = TL_PROGRAM_RUN (object);

  g_cancellable_cancel (self->cancellable);
  if (self->process != NULL && !self->exited && self->pgid > 0)
    kill (-self->pgid, SIGKILL);
  if (self->pipe_source != NULL)
    {
      g_source_destroy (self->pipe_source);
      g_clear_pointer (&self->pipe_source, g_source_unref);
    }
  if (self->kill_source != NULL)
    {
      g_source_destroy (self->kill_source);
      g_clear_pointer (&self->kill_source, g_source_unref);
    }
  if (self->pipe_fd >= 0)
    {
      close (self->pipe_fd);
      self->pipe_fd = -1;
    }
  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tl_program_run_parent_class)->dispose (object);
}

static void
tl_program_run_finalize (GObject *object)
{
  TlProgramRun *self = TL_PROGRAM_RUN (object);

  g_free (self->path);
  g_strfreev (self->args);
  g_free (self->python);
  g_free (self->preferred_python);
  g_free (self->python_version);
  g_clear_pointer (&self->reader, tl_probe_reader_free);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->buffer);
  g_string_free (self->captured, TRUE);
  g_mutex_clear (&self->output_lock);

  G_OBJECT_CLASS (tl_program_run_parent_class)->finalize (object);
}

static void
tl_program_run_class_init (TlProgramRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tl_program_run_dispose;
  object_class->finalize = tl_program_run_finalize;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (stream: 1 stdout, 2 stderr, or 1 for both when captured through one
   * pipe; text: a piece of output, UTF-8 made valid) */
  signals[SIGNAL_OUTPUT] =
    g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
tl_program_run_init (TlProgramRun *self)
{
  self->pipe_fd = -1;
  self->captured = g_string_new (NULL);
  g_mutex_init (&self->output_lock);
  self->cancellable = g_cancellable_new ();
}

TlProgramRun *
tl_program_run_new (const char              *path,
                    const char * const      *args,
                    const TlProgramOptions  *options)
{
  TlProgramRun *self;
  g_autofree char *text = NULL;
  g_autoptr(TlPreset) preset = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TL_TYPE_PROGRAM_RUN, NULL);
  self->path = g_strdup (path);
  self->args = g_strdupv ((char **) args);
  if (options != NULL)
    {
      self->python = g_strdup (options->python);
      self->preferred_python = g_strdup (options->preferred_python);
      self->output = options->output;
      self->keep_output = options->keep_output && options->output != TL_PROGRAM_OUTPUT_CAPTURE;
    }

  /* The source travels with the trace (the code pane shows it). */
  if (g_file_get_contents (path, &text, &length, NULL) &&
      (length > TL_PROGRAM_MAX_SOURCE || !g_utf8_validate (text, (gssize) length, NULL)))
    g_clear_pointer (&text, g_free);
  preset = tl_preset_new_for_program (path, text);
  self->trace = tl_trace_new_open (preset);
  self->reader = tl_probe_reader_new (self->trace);
  return self;
}

static void
child_setup (gpointer user_data)
{
  /* Its own process group, so Stop reaches whatever it starts. */
  setpgid (0, 0);
}

static void
maybe_finish (TlProgramRun *self)
{
  gint64 end_us;

  if (self->finished || !self->exited || !self->pipe_done || self->streams_open > 0)
    return;

  self->finished = TRUE;
  end_us = MAX (tl_probe_reader_get_last_us (self->reader),
                g_get_monotonic_time () - self->start_us);
  /* What the program left running ends with it: stopped by the user, cut
   * off by the process ending before the probe could say it exited
   * (os._exit, a crash, a signal from elsewhere), or left in a section the
   * program never closed although it exited normally. */
  tl_probe_reader_finish (self->reader, end_us,
                          self->stopped ? TL_CAUSE_USER
                          : tl_probe_reader_saw_exit (self->reader) ? TL_CAUSE_SECTION_END
                          : TL_CAUSE_PROGRAM_ENDED);
  if (self->stopped)
    tl_trace_mark_stopped (self->trace);
  tl_trace_complete (self->trace, end_us);

  if (self->kill_source != NULL)
    {
      g_source_destroy (self->kill_source);
      g_clear_pointer (&self->kill_source, g_source_unref);
    }

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static gboolean
pipe_readable_cb (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  TlProgramRun *self = user_data;

  for (guint i = 0; i < READS_PER_TURN; i++)
    {
      gssize n = read (fd, self->buffer, READ_CHUNK);

      if (n > 0)
        {
          tl_probe_reader_feed (self->reader, self->buffer, (gsize) n);
          continue;
        }
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;

      /* End of the report (every writer has closed it) or an error. */
      close (self->pipe_fd);
      self->pipe_fd = -1;
      g_clear_pointer (&self->pipe_source, g_source_unref);
      self->pipe_done = TRUE;
      maybe_finish (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TlProgramRun) self = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (process, result, NULL))
    return;

  self->exited = TRUE;
  if (g_subprocess_get_if_exited (process))
    self->exit_status = g_subprocess_get_exit_status (process);
  else if (g_subprocess_get_if_signaled (process))
    self->exit_status = 128 + g_subprocess_get_term_sig (process);
  else
    self->exit_status = 1;

  /* A child the program left behind (a fork) may hold the pipe open:
   * the program's own end is what counts, so end the group. */
  if (self->pgid > 0)
    kill (-self->pgid, SIGKILL);
  maybe_finish (self);
}

static void
keep_output (TlProgramRun *self,
             int           stream,
             const char   *data,
             gsize         length)
{
  g_autofree char *text = g_utf8_make_valid (data, (gssize) length);

  g_mutex_lock (&self->output_lock);
  self->output_serial++;
  g_string_append (self->captured, text);
  if (self->captured->len > 2 * TL_PROGRAM_MAX_OUTPUT)
    {
      gsize cut = self->captured->len - 2 * TL_PROGRAM_MAX_OUTPUT;

      /* Cut at a character boundary. */
      while (cut < self->captured->len && (self->captured->str[cut] & 0xc0) == 0x80)
        cut++;
      g_string_erase (self->captured, 0, (gssize) cut);
      self->dropped += cut;
    }
  g_mutex_unlock (&self->output_lock);
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, stream, text);
}

/* Kept output still reaches the terminal, as inherited output would:
 * standard output to ours (or our standard error when ours carries an
 * export), standard error to ours. */
static void
pass_output_on (TlProgramRun *self,
                int           stream,
                const char   *data,
                gsize         length)
{
  int fd = (stream == 1 && self->output == TL_PROGRAM_OUTPUT_INHERIT) ? STDOUT_FILENO : STDERR_FILENO;

  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      length -= (gsize) n;
    }
}

typedef struct {
  TlProgramRun *run;
  int           stream;
  /* The start of a character the last read cut off, read with the next. */
  char          carry[4];
  gsize         n_carry;
} OutputRead;

/* How much of @data ends on a whole UTF-8 character: a read of a pipe
 * can end in the middle of one, and made valid alone each half would be
 * a replacement character ("가" printed as "��"). Bytes that are not
 * UTF-8 at all count as whole; g_utf8_make_valid() replaces them. */
static gsize
whole_characters_length (const guchar *data,
                         gsize         length)
{
  for (gsize back = 1; back <= 4 && back <= length; back++)
    {
      guchar c = data[length - back];
      gsize needs;

      if ((c & 0xc0) == 0x80)
        continue;
      needs = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      return needs > back ? length - back : length;
    }
  return length;
}

static void
output_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OutputRead *data = user_data;
  g_autoptr(TlProgramRun) self = data->run;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  g_autofree char *joined = NULL;
  const char *piece;
  gsize size, whole;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || g_cancellable_is_cancelled (self->cancellable))
    {
      /* A character cut off by the end stays cut off. */
      if (data->n_carry > 0 && !g_cancellable_is_cancelled (self->cancellable))
        keep_output (self, data->stream, data->carry, data->n_carry);
      g_free (data);
      self->streams_open--;
      maybe_finish (self);
      return;
    }

  piece = g_bytes_get_data (bytes, NULL);
  size = g_bytes_get_size (bytes);
  if (self->keep_output)
    pass_output_on (self, data->stream, piece, size);
  /* Copied only behind the start of a character the last read cut. */
  if (data->n_carry > 0)
    {
      joined = g_malloc (data->n_carry + size);
      memcpy (joined, data->carry, data->n_carry);
      memcpy (joined + data->n_carry, piece, size);
      piece = joined;
      size += data->n_carry;
    }
  whole = whole_characters_length ((const guchar *) piece, size);
  if (whole > 0)
    keep_output (self, data->stream, piece, whole);
  data->n_carry = size - whole;
  memcpy (data->carry, piece + whole, data->n_carry);
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 16 * 1024, G_PRIORITY_DEFAULT,
                                   self->cancellable, output_read_cb, data);
  data->run = g_object_ref (self);
}

static void
read_output (TlProgramRun *self,
             GInputStream *stream,
             int           which)
{
  OutputRead *data = g_new0 (OutputRead, 1);

  data->run = g_object_ref (self);
  data->stream = which;
  self->streams_open++;
  g_input_stream_read_bytes_async (stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   self->cancellable, output_read_cb, data);
}

gboolean
tl_program_run_start (TlProgramRun  *self,
                      GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *probe = NULL;
  g_autofree char *fd_text = NULL;
  TlDemoServer *server;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE;
  int fds[2];

  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), FALSE);
  g_return_val_if_fail (self->process == NULL, FALSE);

  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s: there is no such file"), self->path);
      return FALSE;
    }
  if (self->python == NULL &&
      (self->python = tl_python_find_interpreter (self->preferred_python, error)) == NULL)
    return FALSE;
  if (!tl_python_check_version (self->python, &self->python_version, error))
    return FALSE;
  if ((probe = tl_python_find_probe (error)) == NULL)
    return FALSE;

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;
  g_unix_set_fd_nonblocking (fds[0], TRUE, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* The launcher owns the write end from here; the child gets it as fd 3. */
  g_subprocess_launcher_take_fd (launcher, fds[1], PROBE_CHILD_FD);
  fd_text = g_strdup_printf ("%d", PROBE_CHILD_FD);
  g_subprocess_launcher_setenv (launcher, "TASKLANES_PROBE_FD", fd_text, TRUE);
  g_subprocess_launcher_setenv (launcher, "PYTHONUNBUFFERED", "1", FALSE);
  server = tl_demo_server_get_default (NULL);
  if (server != NULL)
    g_subprocess_launcher_setenv (launcher, "TASKLANES_DEMO_URL", tl_demo_server_get_base_url (server), TRUE);

  switch (self->output)
    {
    case TL_PROGRAM_OUTPUT_CAPTURE:
      /* One pipe for both, as a terminal shows them: read from two pipes,
       * a line printed in pieces could come out split by a traceback
       * written after it. */
      flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE;
      break;
    case TL_PROGRAM_OUTPUT_INHERIT_STDERR:
    case TL_PROGRAM_OUTPUT_INHERIT:
      if (self->keep_output)
        flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
      else if (self->output == TL_PROGRAM_OUTPUT_INHERIT_STDERR)
        g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
      break;
    default:
      break;
    }
  /* Headless, the program reads what Tasklanes was given, as `python3
   * PROGRAM.py < FILE` would: a pipe or a file. Not a terminal: the
   * program runs in a process group of its own, which the terminal would
   * stop (SIGTTIN) the moment it read; it reads an empty input there, as
   * in the window. */
  if (self->output != TL_PROGRAM_OUTPUT_CAPTURE && !isatty (STDIN_FILENO))
    flags |= G_SUBPROCESS_FLAGS_STDIN_INHERIT;
  g_subprocess_launcher_set_flags (launcher, flags);

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, self->python);
  g_ptr_array_add (argv, probe);
  g_ptr_array_add (argv, self->path);
  for (guint i = 0; self->args != NULL && self->args[i] != NULL; i++)
    g_ptr_array_add (argv, self->args[i]);
  g_ptr_array_add (argv, NULL);

  self->start_us = g_get_monotonic_time ();
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  /* Our copy of the write end must go, or the pipe never reports its end. */
  g_subprocess_launcher_close (launcher);
  if (self->process == NULL)
    {
      close (fds[0]);
      return FALSE;
    }

  self->pgid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (self->process), NULL, 10);
  self->context = g_main_context_ref_thread_default ();
  self->pipe_fd = fds[0];
  self->buffer = g_malloc (READ_CHUNK);
  self->pipe_source = g_unix_fd_source_new (fds[0], G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->pipe_source, (GSourceFunc) (void (*) (void)) pipe_readable_cb, self, NULL);
  g_source_attach (self->pipe_source, self->context);

  if (self->output == TL_PROGRAM_OUTPUT_CAPTURE)
    read_output (self, g_subprocess_get_stdout_pipe (self->process), 1);
  else if (self->keep_output)
    {
      read_output (self, g_subprocess_get_stdout_pipe (self->process), 1);
      read_output (self, g_subprocess_get_stderr_pipe (self->process), 2);
    }

  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, g_object_ref (self));
  return TRUE;
}

static gboolean
kill_cb (gpointer user_data)
{
  TlProgramRun *self = user_data;

  g_clear_pointer (&self->kill_source, g_source_unref);
  if (!self->exited && self->pgid > 0)
    kill (-self->pgid, SIGKILL);
  return G_SOURCE_REMOVE;
}

void
tl_program_run_stop (TlProgramRun *self)
{
  g_return_if_fail (TL_IS_PROGRAM_RUN (self));

  if (self->process == NULL || self->exited || self->stopped)
    return;

  self->stopped = TRUE;
  if (self->pgid > 0)
    kill (-self->pgid, SIGTERM);
  self->kill_source = g_timeout_source_new (TL_PROGRAM_KILL_DELAY_MS);
  g_source_set_callback (self->kill_source, kill_cb, self, NULL);
  g_source_attach (self->kill_source, self->context);
}

void
tl_program_run_kill (TlProgramRun *self)
{
  g_return_if_fail (TL_IS_PROGRAM_RUN (self));

  if (self->process == NULL || self->exited)
    return;
  self->stopped = TRUE;
  if (self->pgid > 0)
    kill (-self->pgid, SIGKILL);
}

const char *
tl_program_run_get_python_version (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), NULL);

  return self->python_version;
}

gboolean
tl_program_run_is_finished (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), FALSE);
  return self->finished;
}

gboolean
tl_program_run_was_stopped (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), FALSE);
  return self->stopped;
}

TlTrace *
tl_program_run_get_trace (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), NULL);
  return self->trace;
}

TlProbeReader *
tl_program_run_get_reader (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), NULL);
  return self->reader;
}

int
tl_program_run_get_exit_status (TlProgramRun *self)
{
  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), 1);
  return self->exit_status;
}

char *
tl_program_run_dup_output (TlProgramRun *self,
                           guint        *serial)
{
  char *output;

  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), NULL);

  g_mutex_lock (&self->output_lock);
  if (serial != NULL)
    *serial = self->output_serial;
  if (self->dropped > 0)
    {
      g_autofree char *size = g_format_size (self->dropped);

      output = g_strdup_printf (_("[%s of older output not kept]\n%s"), size, self->captured->str);
    }
  else
    output = g_strdup (self->captured->str);
  g_mutex_unlock (&self->output_lock);
  return output;
}

guint
tl_program_run_get_output_serial (TlProgramRun *self)
{
  guint serial;

  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), 0);

  g_mutex_lock (&self->output_lock);
  serial = self->output_serial;
  g_mutex_unlock (&self->output_lock);
  return serial;
}

char *
tl_program_run_dup_problem (TlProgramRun *self)
{
  g_autoptr(GString) problem = g_string_new (NULL);
  guint n_bad;

  g_return_val_if_fail (TL_IS_PROGRAM_RUN (self), NULL);

  n_bad = tl_probe_reader_get_n_bad_lines (self->reader);
  if (n_bad > 0)
    g_string_append_printf (problem,
                            g_dngettext (GETTEXT_PACKAGE, "%u line of the program's report was not understood, the first: %s",
                                         "%u lines of the program's report were not understood, the first: %s", n_bad),
                            n_bad, tl_probe_reader_get_bad_line_message (self->reader));
  if (tl_probe_reader_is_capped (self->reader))
    {
      if (problem->len > 0)
        g_string_append (problem, "\n");
      g_string_append_printf (problem, _("The program made more than %u tasks or %u events; "
                                         "what came after that was not recorded."),
                              TL_PROBE_MAX_INSTANCES, TL_PROBE_MAX_EVENTS);
    }
  if (self->finished && !self->stopped && !tl_probe_reader_saw_header (self->reader))
    {
      if (problem->len > 0)
        g_string_append (problem, "\n");
      g_string_append (problem, _("The probe never reported: the program ended before it could watch it."));
    }
  return problem->len > 0 ? g_string_free (g_steal_pointer (&problem), FALSE) : NULL;
}
