/* fuzz-worker-protocol.c — libFuzzer target: the worker line protocol
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes are cut into lines as the process pool and the worker cut
 * them (too long or holding a NUL: not ours, refused before parsing), and
 * every line is read both as a worker's reply and as a pool's request.
 * What parses must survive being written and read back unchanged.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pools/tl-worker-protocol.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_request (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *written = NULL;
  TlJobKind kind, again_kind;
  gint64 duration_us, again_us;

  if (!tl_worker_parse_request (line, &kind, &duration_us, &error))
    {
      if (error == NULL || error->message[0] == '\0')
        g_error ("a refused request must say why");
      return;
    }

  if (duration_us < 0 || duration_us > TL_WORKER_MAX_DURATION_US)
    g_error ("request accepted with a duration out of range: %" G_GINT64_FORMAT, duration_us);

  written = tl_worker_format_request (kind, duration_us);
  if (!tl_worker_parse_request (written, &again_kind, &again_us, &again_error) ||
      again_kind != kind || again_us != duration_us)
    g_error ("request \"%s\" does not read back", written);
}

static void
check_reply (const char *line)
{
  g_autoptr(GError) error = NULL;
  TlWorkerReply reply = { 0, };
  TlWorkerReply again = { 0, };
  g_autofree char *written = NULL;

  if (!tl_worker_parse_reply (line, &reply, &error))
    {
      if (error == NULL || error->message[0] == '\0')
        g_error ("a refused reply must say why");
      tl_worker_reply_clear (&reply);
      return;
    }

  switch (reply.type)
    {
    case TL_WORKER_REPLY_HELLO:
      written = tl_worker_format_hello (reply.pid);
      break;
    case TL_WORKER_REPLY_DONE:
      written = tl_worker_format_done (reply.cpu_us, reply.wall_us);
      break;
    case TL_WORKER_REPLY_ERROR:
      if (reply.message == NULL)
        g_error ("an error reply without its message");
      written = tl_worker_format_error (reply.message);
      break;
    default:
      g_error ("reply of unknown type %d", reply.type);
    }

  if (!tl_worker_parse_reply (written, &again, NULL) || again.type != reply.type ||
      again.pid != reply.pid || again.cpu_us != reply.cpu_us || again.wall_us != reply.wall_us)
    g_error ("reply \"%s\" does not read back", written);

  tl_worker_reply_clear (&again);
  tl_worker_reply_clear (&reply);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  size_t start = 0;

  while (start < size)
    {
      const char *end = memchr (text + start, '\n', size - start);
      size_t length = end != NULL ? (size_t) (end - (text + start)) : size - start;
      g_autofree char *line = NULL;

      /* The same checks tl-process-pool.c makes on what it read. */
      if (length <= TL_WORKER_MAX_LINE && memchr (text + start, '\0', length) == NULL)
        {
          line = g_strndup (text + start, length);
          check_request (line);
          check_reply (line);
        }

      start += length + 1;
    }

  return 0;
}
