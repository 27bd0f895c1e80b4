/* tl-fd-limit.c — how many files the process may open, and what fits
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-fd-limit"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>

#include "core/tl-fd-limit.h"

#define MAX_RAISED_LIMIT 1048576
/* Descriptors kept free for pools, workers, exports and GLib itself. */
#define RESERVE          64

void
tl_fd_limit_raise (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < limit.rlim_max &&
      limit.rlim_cur < MAX_RAISED_LIMIT)
    {
      limit.rlim_cur = MIN (limit.rlim_max, (rlim_t) MAX_RAISED_LIMIT);
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("cannot raise the open files limit: %s", g_strerror (errno));
    }
}

guint
tl_fd_limit_get (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur > G_MAXUINT)
    return G_MAXUINT;
  return (guint) limit.rlim_cur;
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
tl_fd_limit_connections_that_fit (guint fds_each)
{
  guint limit = tl_fd_limit_get ();
  guint used = count_open_fds () + RESERVE;

  g_return_val_if_fail (fds_each >= 1, 1);

  if (limit == G_MAXUINT)
    return G_MAXUINT;
  if (limit <= used + fds_each)
    return 1;
  return MAX ((limit - used) / fds_each, 1);
}
