/* tl-cpu-burn.c — spend an exact amount of CPU time
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Work=500ms" means 500 ms of CPU time on one core, not 500 ms on the
 * wall clock: the burn reads the calling thread's own CPU clock, so when
 * threads outnumber cores (or share a GIL) the wall time honestly
 * stretches while the work stays the same.
 */
#define G_LOG_DOMAIN "tl-cpu-burn"

#include "config.h"

#include <time.h>

#include "pools/tl-thread-pool.h"

/* How much CPU time passes between two looks at the cancellable. */
#define CHECK_INTERVAL_NS (G_GINT64_CONSTANT (1000000))

/* Iterations of the arithmetic kernel between two clock reads: a few
 * microseconds, so reading the clock (a system call for a thread clock)
 * costs little while the overshoot past the target stays tiny. */
#define SPIN_ITERATIONS 2000

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  /* The thread clock is what a worker really spent; in a single-threaded
   * worker process it equals the process clock. */
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0
      && clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    g_error ("no CPU-time clock available");

  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* volatile so the compiler cannot fold the loop away: the point of the
 * kernel is to keep one core busy. */
static volatile guint64 burn_sink;

static void
spin (void)
{
  guint64 x = burn_sink | 1;

  for (guint i = 0; i < SPIN_ITERATIONS; i++)
    x = x * G_GUINT64_CONSTANT (6364136223846793005) + G_GUINT64_CONSTANT (1442695040888963407);

  burn_sink = x;
}

gboolean
tl_cpu_burn (gint64        work_us,
             GCancellable *cancellable)
{
  gint64 now_ns, end_ns, next_check_ns;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;

  if (work_us <= 0)
    return TRUE;

  now_ns = thread_cpu_ns ();
  end_ns = now_ns + work_us * 1000;
  next_check_ns = now_ns + CHECK_INTERVAL_NS;

  while (now_ns < end_ns)
    {
      spin ();
      now_ns = thread_cpu_ns ();

      if (now_ns >= next_check_ns)
        {
          if (g_cancellable_is_cancelled (cancellable))
            return FALSE;
          next_check_ns = now_ns + CHECK_INTERVAL_NS;
        }
    }

  return TRUE;
}
