/* tl-worker-main.c — tasklanes-worker, the only program the process pool
 * ever starts
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads one request per line on stdin ("cpu 250000", "sleep 100000"),
 * does exactly that, and answers one line on stdout. It knows nothing
 * else: there is no way to make it run a command. It exits when stdin
 * closes, i.e. when the pool lets it go or the application is gone.
 */
#define G_LOG_DOMAIN "tl-worker"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "pools/tl-thread-pool.h"
#include "pools/tl-worker-protocol.h"

static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
answer (const char *line)
{
  /* A closed pipe means the pool is gone: stop quietly. */
  return fputs (line, stdout) >= 0 && fputc ('\n', stdout) != EOF && fflush (stdout) == 0;
}

static gboolean
handle_request (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  TlJobKind kind;
  gint64 duration_us, cpu_start, wall_start;

  if (!tl_worker_parse_request (line, &kind, &duration_us, &error))
    {
      reply = tl_worker_format_error (error->message);
      return answer (reply);
    }

  cpu_start = process_cpu_us ();
  wall_start = g_get_monotonic_time ();

  if (kind == TL_JOB_CPU)
    tl_cpu_burn (duration_us, NULL);
  else if (duration_us > 0)
    g_usleep (duration_us);

  reply = tl_worker_format_done (process_cpu_us () - cpu_start,
                                 g_get_monotonic_time () - wall_start);
  return answer (reply);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *hello = NULL;
  char line[TL_WORKER_MAX_LINE + 2];

  if (argc > 1)
    {
      fprintf (stderr, "%s: takes no arguments; it is started by Tasklanes\n", argv[0]);
      return 2;
    }

  /* Ctrl+C in a terminal reaches the whole process group: the parent
   * decides what happens to its workers. */
  signal (SIGINT, SIG_IGN);

#ifdef __linux__
  /* If the application dies without closing our stdin (SIGKILL), do not
   * keep burning CPU for a job nobody waits for. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () == 1)
    return 0;
#endif

  hello = tl_worker_format_hello (getpid ());
  if (!answer (hello))
    return 1;

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\n')
        {
          line[--len] = '\0';
        }
      else if (!feof (stdin))
        {
          int c;

          /* An over-long line: skip the rest of it and refuse it once. */
          while ((c = fgetc (stdin)) != EOF && c != '\n')
            ;
          if (!answer ("error line too long"))
            return 1;
          continue;
        }

      if (!handle_request (line))
        return 1;
    }

  return 0;
}
