/* tl-demo-server.c — the built-in HTTP server presets use offline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs its own GMainContext on its own thread: a preset that
 * blocks the engine's event loop must not also stop the server its fetch
 * tasks talk to. Everything that touches the SoupServer, its messages and
 * the bookkeeping below happens on that thread; other threads only read
 * the port, the URL and the atomic connection counters.
 *
 * Waiting never blocks the loop: a delayed answer pauses its message and
 * arms a timeout source, so a thousand requests delayed by one second are
 * all answered about one second later.
 */
#define G_LOG_DOMAIN "tl-demo-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/tl-demo-server.h"

/* Limits that keep a mistyped preset from hurting the machine. */
#define MAX_DELAY_S       3600.0
#define MAX_BYTES         (G_GINT64_CONSTANT (1) << 30)
#define MAX_DRIP_BYTES    (G_GINT64_CONSTANT (10) << 20)
#define MAX_DRIP_PIECES   1000
#define MAX_USER_ID       1000000000
#define STREAM_CHUNK      (64 * 1024)
#define LISTEN_BACKLOG    4096
/* A client gets this long to send its request's headers, from the moment
 * its connection was accepted or its first byte arrived. */
#define HEADER_TIMEOUT_MS 20000
/* After accept() failed (out of file descriptors), wait this long, then
 * longer up to the maximum, before trying again. */
#define ACCEPT_RETRY_MS     50
#define ACCEPT_RETRY_MAX_MS 1000

struct _TlDemoServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  char         *base_url;

  /* Start-up handshake with the thread that creates the server. */
  GMutex        lock;
  GCond         cond;
  gboolean      started;
  GError       *start_error;

  /* Server thread only. */
  SoupServer   *server;
  GSocket      *listen_socket;
  GSource      *accept_watch;   /* notices that libsoup stopped accepting */
  GSource      *accept_retry;
  guint         accept_retry_ms;
  GHashTable   *pending;    /* DemoOp* → itself: every message we hold */
  GHashTable   *conns;      /* GSocket* → DemoConn*: open connections */
  gint          header_timeout_ms;  /* atomic */

  gint          n_connections;    /* atomic */
  gint          max_connections;  /* atomic */
};

typedef enum {
  OP_DELAY,      /* ?delay= before the endpoint runs */
  OP_ANSWER,     /* /delay/S: answer once the timer fires */
  OP_DRIP,       /* /drip: pieces on a timer */
  OP_BYTES,      /* /bytes/N above one chunk: streamed as written */
  OP_STALL,      /* /stall: never answered */
} DemoOpKind;

typedef struct
{
  TlDemoServer      *self;
  SoupServerMessage *msg;
  DemoOpKind         kind;
  GSource           *timer;
  GSource           *watch;     /* notices a client that went away */
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_chunk_id;
  gboolean           half_closed;  /* the client sent EOF after its request */

  /* OP_DELAY: the request to serve once the delay has passed. */
  char              *path;
  GHashTable        *query;

  /* OP_ANSWER */
  double             seconds;

  /* OP_DRIP / OP_BYTES */
  gint64             remaining;
  guint              pieces_left;
  gint64             offset;
} DemoOp;

/* One accepted connection, as long as libsoup keeps it. */
typedef struct
{
  TlDemoServer      *self;
  GSocket           *socket;
  SoupServerMessage *msg;           /* the latest request on it */
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             got_headers_id;
  GSource           *idle_watch;    /* between requests: the client leaving */
  GSource           *header_timer;  /* headers not all here yet */
  gboolean           addresses_known;
} DemoConn;

static gboolean serve_request (TlDemoServer      *self,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query);

/* 64 KiB of a 64-character pattern: the byte at offset i of any body is
 * pattern[i % 64], whatever the chunking, so clients can check content. */
static const char pattern[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const guint8 *
get_pattern_chunk (void)
{
  static guint8 *chunk;

  if (g_once_init_enter (&chunk))
    {
      guint8 *c = g_malloc (STREAM_CHUNK);

      for (gsize i = 0; i < STREAM_CHUNK; i++)
        c[i] = (guint8) pattern[i % 64];
      g_once_init_leave (&chunk, c);
    }

  return chunk;
}

/* --- answers --- */

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
bad_request (SoupServerMessage *msg,
             const char        *message)
{
  g_autofree char *text = g_strconcat (message, "\n", NULL);

  set_text (msg, SOUP_STATUS_BAD_REQUEST, "text/plain; charset=utf-8", text);
}

/* --- parameters --- */

static gboolean
parse_seconds (const char *str,
               double     *out)
{
  char *end = NULL;
  double v;

  if (str == NULL || *str == '\0')
    return FALSE;
  /* Plain decimals only: strtod would also read 0x10 as 16, 1e3, inf. */
  for (const char *p = str; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  v = g_ascii_strtod (str, &end);
  if (end == str || *end != '\0' || !(v >= 0.0) || v > MAX_DELAY_S)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_integer (const char *str,
               gint64      min,
               gint64      max,
               gint64     *out)
{
  char *end = NULL;
  gint64 v;

  if (str == NULL || *str == '\0' || !g_ascii_isdigit (*str))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoll (str, &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* --- pending operations --- */

static void
op_free (DemoOp *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_source_unref (op->timer);
    }
  if (op->watch != NULL)
    {
      g_source_destroy (op->watch);
      g_source_unref (op->watch);
    }
  g_clear_signal_handler (&op->finished_id, op->msg);
  g_clear_signal_handler (&op->disconnected_id, op->msg);
  g_clear_signal_handler (&op->wrote_chunk_id, op->msg);
  g_clear_object (&op->msg);
  g_clear_pointer (&op->query, g_hash_table_unref);
  g_free (op->path);
  g_free (op);
}

static void
op_done (DemoOp *op)
{
  /* Removing it from the table frees it. */
  g_hash_table_remove (op->self->pending, op);
}

static void
op_message_gone_cb (SoupServerMessage *msg,
                    DemoOp            *op)
{
  op_done (op);
}

static void
op_set_timer (DemoOp      *op,
              double       seconds,
              GSourceFunc  func)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_source_unref (op->timer);
    }
  op->timer = g_timeout_source_new ((guint) MIN (seconds * 1000.0 + 0.5, G_MAXUINT));
  g_source_set_callback (op->timer, func, op, NULL);
  g_source_attach (op->timer, op->self->context);
}

static gboolean op_socket_cb (GSocket      *socket,
                              GIOCondition  condition,
                              gpointer      data);

static void
op_watch (DemoOp       *op,
          GIOCondition  condition)
{
  GSocket *socket = soup_server_message_get_socket (op->msg);

  if (op->watch != NULL)
    {
      g_source_destroy (op->watch);
      g_clear_pointer (&op->watch, g_source_unref);
    }
  if (socket == NULL || g_socket_is_closed (socket))
    return;
  op->watch = g_socket_create_source (socket, condition, NULL);
  g_source_set_callback (op->watch, (GSourceFunc) (GCallback) op_socket_cb, op, NULL);
  g_source_attach (op->watch, op->self->context);
}

/* A client that ends its side after its request (shutdown(SHUT_WR)) and
 * one that closed its socket look alike from here: both sent EOF. Only a
 * write tells them apart, and an interim "100 Continue" is the one thing
 * HTTP lets a server write before its answer (every HTTP/1.1 client must
 * skip it). A client that is gone answers it with a reset. */
static gboolean
probe_half_closed (DemoOp *op)
{
  static const char probe[] = "HTTP/1.1 100 Continue\r\n\r\n";
  GSocket *socket = soup_server_message_get_socket (op->msg);
  gssize n;

  if (soup_server_message_get_http_version (op->msg) < SOUP_HTTP_1_1)
    return FALSE;
  n = send (g_socket_get_fd (socket), probe, sizeof probe - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  return n == (gssize) (sizeof probe - 1);
}

/* A client that gives up on a paused request closes its socket, but
 * libsoup only notices when it next reads or writes. Watch the socket so a
 * /stall or a long delay does not hold the connection (and its memory)
 * after the client has gone. */
static gboolean
op_socket_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  DemoOp *op = data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket) || (condition & (G_IO_HUP | G_IO_ERR)) != 0)
    n = -1;
  else
    n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && !g_socket_is_closed (socket) &&
      (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) &&
      (condition & (G_IO_HUP | G_IO_ERR)) == 0)
    return G_SOURCE_CONTINUE;

  if (n > 0)
    {
      /* The client sent more (a pipelined request): it is still there,
       * and the watch would fire again and again, so stop watching. */
      g_clear_pointer (&op->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  if (n == 0 && !op->half_closed)
    {
      /* EOF: perhaps only a half-close. From now on only a reset or an
       * error says the client is gone; a /drip's next piece or the probe
       * brings one about if it is. */
      op->half_closed = TRUE;
      if (op->kind == OP_DRIP || probe_half_closed (op))
        {
          g_clear_pointer (&op->watch, g_source_unref);
          op_watch (op, G_IO_HUP | G_IO_ERR);
          return G_SOURCE_REMOVE;
        }
    }

  g_debug ("client of %s went away", op->path ? op->path : "a request");
  g_clear_pointer (&op->watch, g_source_unref);

  switch (op->kind)
    {
    case OP_DRIP:
      soup_message_body_complete (soup_server_message_get_response_body (op->msg));
      break;
    case OP_BYTES:
      return G_SOURCE_REMOVE;
    case OP_DELAY:
    case OP_ANSWER:
    case OP_STALL:
    default:
      soup_server_message_set_status (op->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      break;
    }

  /* Writing to the closed socket fails, libsoup drops the connection and
   * emits "finished", which frees the op. */
  soup_server_message_unpause (op->msg);
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_clear_pointer (&op->timer, g_source_unref);
    }
  return G_SOURCE_REMOVE;
}

static DemoOp *
op_new (TlDemoServer      *self,
        SoupServerMessage *msg,
        DemoOpKind         kind,
        gboolean           pause)
{
  DemoOp *op = g_new0 (DemoOp, 1);

  op->self = self;
  op->msg = g_object_ref (msg);
  op->kind = kind;
  op->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (op_message_gone_cb), op);
  op->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (op_message_gone_cb), op);
  g_hash_table_add (self->pending, op);

  if (kind != OP_BYTES)
    op_watch (op, G_IO_IN | G_IO_HUP | G_IO_ERR);

  if (pause)
    soup_server_message_pause (msg);

  return op;
}

/* --- endpoints --- */

static gboolean
delay_elapsed_cb (gpointer data)
{
  DemoOp *op = data;
  TlDemoServer *self = op->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (op->msg);
  g_autofree char *path = g_steal_pointer (&op->path);
  g_autoptr(GHashTable) query = g_steal_pointer (&op->query);

  g_clear_pointer (&op->timer, g_source_unref);
  op_done (op);

  /* Unless the endpoint itself waits, the answer can go out now. */
  if (!serve_request (self, msg, path, query))
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static gboolean
answer_delay_cb (gpointer data)
{
  DemoOp *op = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (op->msg);
  g_autofree char *text = g_strdup_printf ("{\"delay\": %g}\n", op->seconds);

  g_clear_pointer (&op->timer, g_source_unref);
  op_done (op);

  set_text (msg, SOUP_STATUS_OK, "application/json", text);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static gboolean
serve_delay (TlDemoServer      *self,
             SoupServerMessage *msg,
             const char        *arg)
{
  DemoOp *op;
  double seconds;

  if (!parse_seconds (arg, &seconds))
    {
      bad_request (msg, "/delay/SECONDS: SECONDS must be a number from 0 to 3600");
      return FALSE;
    }

  op = op_new (self, msg, OP_ANSWER, TRUE);
  op->seconds = seconds;
  op_set_timer (op, seconds, answer_delay_cb);
  return TRUE;
}

static void
serve_status (SoupServerMessage *msg,
              const char        *arg)
{
  gint64 code;
  g_autofree char *text = NULL;

  if (!parse_integer (arg, 200, 599, &code))
    {
      bad_request (msg, "/status/CODE: CODE must be a number from 200 to 599");
      return;
    }

  text = g_strdup_printf ("%d %s\n", (int) code,
                          soup_status_get_phrase ((guint) code));
  set_text (msg, (guint) code, "text/plain; charset=utf-8", text);
}

static void
append_pattern (SoupMessageBody *body,
                gint64           offset,
                gsize            length)
{
  /* STREAM_CHUNK is a multiple of 64, so any offset maps into the chunk
   * by its remainder modulo 64. */
  gsize start = (gsize) (offset % 64);

  g_assert (start + length <= STREAM_CHUNK);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, get_pattern_chunk () + start, length);
}

static void
bytes_wrote_chunk_cb (SoupServerMessage *msg,
                      guint              chunk_size,
                      DemoOp            *op)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n;

  if (op->remaining == 0)
    return;

  n = (gsize) MIN (op->remaining, STREAM_CHUNK - 64);
  append_pattern (body, op->offset, n);
  op->offset += n;
  op->remaining -= n;
  if (op->remaining == 0)
    soup_message_body_complete (body);
}

static void
serve_bytes (TlDemoServer      *self,
             SoupServerMessage *msg,
             const char        *arg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  DemoOp *op;
  gint64 n;
  gsize first;

  if (!parse_integer (arg, 0, MAX_BYTES, &n))
    {
      bad_request (msg, "/bytes/N: N must be a number of bytes from 0 to 1073741824 (1 GiB)");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_message_headers_set_content_length (headers, n);

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD || n == 0)
    {
      soup_message_body_complete (body);
      return;
    }

  /* Written chunks are dropped, so a 1 GiB answer never sits in memory. */
  soup_message_body_set_accumulate (body, FALSE);
  first = (gsize) MIN (n, STREAM_CHUNK - 64);
  append_pattern (body, 0, first);
  if ((gint64) first == n)
    {
      soup_message_body_complete (body);
      return;
    }

  op = op_new (self, msg, OP_BYTES, FALSE);
  op->offset = first;
  op->remaining = n - first;
  op->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (bytes_wrote_chunk_cb), op);
}

static gboolean
drip_cb (gpointer data)
{
  DemoOp *op = data;
  SoupMessageBody *body = soup_server_message_get_response_body (op->msg);
  gint64 piece = op->remaining / op->pieces_left;

  while (piece > 0)
    {
      gsize n = (gsize) MIN (piece, STREAM_CHUNK - 64);

      append_pattern (body, op->offset, n);
      op->offset += n;
      op->remaining -= n;
      piece -= n;
    }
  op->pieces_left--;

  if (op->pieces_left == 0)
    {
      g_clear_pointer (&op->timer, g_source_unref);
      soup_message_body_complete (body);
      soup_server_message_unpause (op->msg);
      return G_SOURCE_REMOVE;
    }

  soup_server_message_unpause (op->msg);
  return G_SOURCE_CONTINUE;
}

static void
serve_drip (TlDemoServer      *self,
            SoupServerMessage *msg,
            GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const char *bytes_arg = query ? g_hash_table_lookup (query, "bytes") : NULL;
  const char *duration_arg = query ? g_hash_table_lookup (query, "duration") : NULL;
  gint64 n = 10;
  double duration = 2.0;
  DemoOp *op;

  if (bytes_arg != NULL && !parse_integer (bytes_arg, 1, MAX_DRIP_BYTES, &n))
    {
      bad_request (msg, "/drip: bytes must be a number from 1 to 10485760 (10 MiB)");
      return;
    }
  if (duration_arg != NULL && !parse_seconds (duration_arg, &duration))
    {
      bad_request (msg, "/drip: duration must be a number of seconds from 0 to 3600");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    {
      soup_message_body_complete (body);
      return;
    }

  /* Chunked, so the headers go out at once and the body trickles in. */
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);

  op = op_new (self, msg, OP_DRIP, FALSE);
  op->remaining = n;
  op->pieces_left = (guint) MIN (n, MAX_DRIP_PIECES);
  op_set_timer (op, duration / op->pieces_left, drip_cb);
}

static void
serve_user (SoupServerMessage *msg,
            const char        *arg)
{
  g_autofree char *text = NULL;
  gint64 id;

  if (!parse_integer (arg, 1, MAX_USER_ID, &id))
    {
      bad_request (msg, "/users/ID: ID must be a number from 1 to 1000000000");
      return;
    }

  text = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"name\": \"User %" G_GINT64_FORMAT "\", "
                          "\"username\": \"user%" G_GINT64_FORMAT "\", "
                          "\"email\": \"user%" G_GINT64_FORMAT "@example.com\", "
                          "\"active\": %s}\n",
                          id, id, id, id, id % 7 == 0 ? "false" : "true");
  set_text (msg, SOUP_STATUS_OK, "application/json", text);
}

static void
serve_close (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  /* The client sees the connection end without any answer. */
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static const char index_text[] =
  "Tasklanes demo server\n"
  "\n"
  "Endpoints (GET, HEAD or POST; each also takes ?delay=SECONDS before answering):\n"
  "  /                          this list\n"
  "  /delay/SECONDS             answer after SECONDS (0-3600)\n"
  "  /status/CODE               answer with status CODE (200-599)\n"
  "  /bytes/N                   N bytes of deterministic content (up to 1 GiB)\n"
  "  /drip?bytes=N&duration=S   N bytes (default 10) spread evenly over S seconds (default 2)\n"
  "  /stall                     never answer\n"
  "  /close                     drop the connection without an answer\n"
  "  /users/ID                  a small JSON user\n";

/* Returns TRUE when the message stays paused until a timer answers it. */
static gboolean
serve_request (TlDemoServer      *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  const char *delay_arg = query ? g_hash_table_lookup (query, "delay") : NULL;

  if (delay_arg != NULL)
    {
      DemoOp *op;
      double seconds;

      if (!parse_seconds (delay_arg, &seconds))
        {
          bad_request (msg, "delay must be a number of seconds from 0 to 3600");
          return FALSE;
        }

      op = op_new (self, msg, OP_DELAY, TRUE);
      op->path = g_strdup (path);
      /* The delay is spent; the copy served later must not wait again. */
      if (query != NULL)
        {
          GHashTableIter iter;
          gpointer k, v;

          op->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_iter_init (&iter, query);
          while (g_hash_table_iter_next (&iter, &k, &v))
            if (strcmp (k, "delay") != 0)
              g_hash_table_insert (op->query, g_strdup (k), g_strdup (v));
        }
      op_set_timer (op, seconds, delay_elapsed_cb);
      return TRUE;
    }

  if (strcmp (path, "/") == 0)
    set_text (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", index_text);
  else if (g_str_has_prefix (path, "/delay/"))
    return serve_delay (self, msg, path + strlen ("/delay/"));
  else if (g_str_has_prefix (path, "/status/"))
    serve_status (msg, path + strlen ("/status/"));
  else if (g_str_has_prefix (path, "/bytes/"))
    serve_bytes (self, msg, path + strlen ("/bytes/"));
  else if (strcmp (path, "/drip") == 0)
    serve_drip (self, msg, query);
  else if (g_str_has_prefix (path, "/users/"))
    serve_user (msg, path + strlen ("/users/"));
  else if (strcmp (path, "/stall") == 0)
    {
      op_new (self, msg, OP_STALL, TRUE);
      return TRUE;
    }
  else if (strcmp (path, "/close") == 0)
    serve_close (msg);
  else
    {
      g_autofree char *text = g_strdup_printf ("No endpoint %s here; GET / lists them.\n", path);

      set_text (msg, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8", text);
    }

  return FALSE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TlDemoServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD, POST");
      set_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                "Only GET, HEAD and POST are served here.\n");
      return;
    }

  serve_request (self, msg, path, query);
}

/* --- connections --- */

/* libsoup 3.2 reads the next request of a kept-alive connection without
 * anyone to tell when the client closes the connection instead: it marks
 * that request finished and keeps the connection, its socket in CLOSE_WAIT
 * and its objects in the server's list, until the server is freed. Closing
 * the socket behind its back frees the descriptor but not the objects
 * (about 12 KB a connection). So an idle connection is watched at a higher
 * priority than libsoup's own reader: when its client leaves, the watch
 * sees it first and takes the connection from libsoup (which forgets it
 * properly) to close it. The same path closes a connection whose client
 * does not send its request's headers in time. */

static gboolean
nothing_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static void
unref_later (TlDemoServer *self,
             gpointer      object)
{
  GSource *source = g_idle_source_new ();

  /* Dropped from a signal of the object itself: let the emission end. */
  g_source_set_callback (source, nothing_cb, object, g_object_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
conn_release_msg (DemoConn *conn)
{
  if (conn->msg == NULL)
    return;
  g_clear_signal_handler (&conn->finished_id, conn->msg);
  g_clear_signal_handler (&conn->disconnected_id, conn->msg);
  g_clear_signal_handler (&conn->got_headers_id, conn->msg);
  unref_later (conn->self, g_steal_pointer (&conn->msg));
}

static void
conn_free (gpointer data)
{
  DemoConn *conn = data;

  clear_source (&conn->idle_watch);
  clear_source (&conn->header_timer);
  conn_release_msg (conn);
  g_object_unref (conn->socket);
  g_atomic_int_add (&conn->self->n_connections, -1);
  g_free (conn);
}

static gboolean
peer_connected (GSocket *socket)
{
  struct sockaddr_storage address;
  socklen_t length = sizeof address;

  return getpeername (g_socket_get_fd (socket), (struct sockaddr *) &address, &length) == 0;
}

/* Ends @conn through libsoup, so it lets go of everything it holds. */
static void
conn_close (DemoConn *conn)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (conn->msg);
  g_autoptr(GIOStream) stream = NULL;

  clear_source (&conn->idle_watch);
  clear_source (&conn->header_timer);
  if (!conn->addresses_known)
    {
      /* Reset before it was accepted (so rare that leaving libsoup to
       * notice is good enough). */
      shutdown (g_socket_get_fd (conn->socket), SHUT_RDWR);
      return;
    }
  /* Stealing emits "disconnected", which frees @conn. */
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
conn_disconnected_cb (SoupServerMessage *msg,
                      DemoConn          *conn)
{
  g_hash_table_remove (conn->self->conns, conn->socket);
}

static gboolean
conn_idle_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  DemoConn *conn = data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      g_clear_pointer (&conn->idle_watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&conn->idle_watch, g_source_unref);
  /* The next request is coming: libsoup reads it. */
  if (n > 0)
    return G_SOURCE_REMOVE;

  g_debug ("client of an idle connection went away");
  conn_close (conn);
  return G_SOURCE_REMOVE;
}

static void
conn_finished_cb (SoupServerMessage *msg,
                  DemoConn          *conn)
{
  clear_source (&conn->header_timer);
  clear_source (&conn->idle_watch);
  if (g_socket_is_closed (conn->socket))
    return;
  conn->idle_watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (conn->idle_watch, G_PRIORITY_HIGH);
  g_source_set_callback (conn->idle_watch, (GSourceFunc) (GCallback) conn_idle_cb, conn, NULL);
  g_source_attach (conn->idle_watch, conn->self->context);
}

static void
conn_got_headers_cb (SoupServerMessage *msg,
                     DemoConn          *conn)
{
  const char *length = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Content-Length");

  clear_source (&conn->header_timer);

  /* libsoup would take "-5" for a length and warn later; answer here. */
  if (length != NULL)
    {
      const char *p = length;

      while (g_ascii_isdigit (*p))
        p++;
      if (p == length || *p != '\0')
        {
          static const char reason[] = "Content-Length must be a number of bytes (0 or more)\n";
          g_autofree char *answer = g_strdup_printf ("HTTP/1.1 400 Bad Request\r\n"
                                                     "Content-Type: text/plain; charset=utf-8\r\n"
                                                     "Content-Length: %zu\r\n"
                                                     "Connection: close\r\n"
                                                     "\r\n%s",
                                                     strlen (reason), reason);
          g_autoptr(SoupServerMessage) keep = g_object_ref (msg);
          g_autoptr(GIOStream) stream = NULL;

          clear_source (&conn->idle_watch);
          if (!conn->addresses_known)
            {
              shutdown (g_socket_get_fd (conn->socket), SHUT_RDWR);
              return;
            }
          stream = soup_server_message_steal_connection (keep);
          if (stream != NULL)
            {
              g_output_stream_write_all (g_io_stream_get_output_stream (stream),
                                         answer, strlen (answer), NULL, NULL, NULL);
              g_io_stream_close (stream, NULL, NULL);
            }
        }
    }
}

static gboolean
conn_header_timeout_cb (gpointer data)
{
  DemoConn *conn = data;

  g_clear_pointer (&conn->header_timer, g_source_unref);
  g_debug ("request headers did not arrive in time");
  conn_close (conn);
  return G_SOURCE_REMOVE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    TlDemoServer      *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  DemoConn *conn;
  int n, max;

  if (socket == NULL)
    return;

  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      conn = g_new0 (DemoConn, 1);
      conn->self = self;
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->conns, socket, conn);
      /* Taking the connection from libsoup later asks for its addresses,
       * and warns when the client has reset it by then: ask now, while
       * they can be had. */
      if (peer_connected (socket))
        {
          soup_server_message_get_local_address (msg);
          soup_server_message_get_remote_address (msg);
          conn->addresses_known = TRUE;
        }
      n = g_atomic_int_add (&self->n_connections, 1) + 1;
      do
        max = g_atomic_int_get (&self->max_connections);
      while (n > max && !g_atomic_int_compare_and_exchange (&self->max_connections, max, n));
    }

  conn_release_msg (conn);
  clear_source (&conn->idle_watch);
  conn->msg = g_object_ref (msg);
  conn->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (conn_finished_cb), conn);
  conn->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (conn_disconnected_cb), conn);
  conn->got_headers_id = g_signal_connect (msg, "got-headers", G_CALLBACK (conn_got_headers_cb), conn);

  clear_source (&conn->header_timer);
  conn->header_timer = g_timeout_source_new ((guint) g_atomic_int_get (&self->header_timeout_ms));
  g_source_set_callback (conn->header_timer, conn_header_timeout_cb, conn, NULL);
  g_source_attach (conn->header_timer, self->context);
}

/* libsoup's listener stops for good the first time accept() fails, most
 * often because the process ran out of file descriptors. This watch on
 * the same socket has a lower priority than libsoup's, so it only runs
 * when a connection waits that libsoup did not take: then a new listener
 * is set up once a descriptor is free again. */
static void watch_accepting (TlDemoServer *self);

static gboolean
accept_retry_cb (gpointer data)
{
  TlDemoServer *self = data;
  g_autoptr(GError) error = NULL;
  int probe;

  probe = fcntl (g_socket_get_fd (self->listen_socket), F_DUPFD_CLOEXEC, 0);
  if (probe < 0)
    {
      /* Still none free: try again later, less often. */
      self->accept_retry_ms = MIN (self->accept_retry_ms * 2, ACCEPT_RETRY_MAX_MS);
      g_source_destroy (self->accept_retry);
      g_source_unref (self->accept_retry);
      self->accept_retry = g_timeout_source_new (self->accept_retry_ms);
      g_source_set_callback (self->accept_retry, accept_retry_cb, self, NULL);
      g_source_attach (self->accept_retry, self->context);
      return G_SOURCE_REMOVE;
    }
  close (probe);

  g_clear_pointer (&self->accept_retry, g_source_unref);
  if (!soup_server_listen_socket (self->server, self->listen_socket, 0, &error))
    {
      g_debug ("cannot listen again: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  g_debug ("accepting again");
  watch_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_stalled_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      data)
{
  TlDemoServer *self = data;

  g_debug ("connections wait that libsoup does not accept (out of file descriptors?)");
  g_clear_pointer (&self->accept_watch, g_source_unref);
  self->accept_retry_ms = ACCEPT_RETRY_MS;
  self->accept_retry = g_timeout_source_new (self->accept_retry_ms);
  g_source_set_callback (self->accept_retry, accept_retry_cb, self, NULL);
  g_source_attach (self->accept_retry, self->context);
  return G_SOURCE_REMOVE;
}

static void
watch_accepting (TlDemoServer *self)
{
  self->accept_watch = g_socket_create_source (self->listen_socket, G_IO_IN, NULL);
  g_source_set_priority (self->accept_watch, G_PRIORITY_LOW);
  g_source_set_callback (self->accept_watch, (GSourceFunc) (GCallback) accept_stalled_cb, self, NULL);
  g_source_attach (self->accept_watch, self->context);
}

/* --- the server thread --- */

static gboolean
listen_on (TlDemoServer  *self,
           guint          port,
           GError       **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  /* Our own listening socket, for a deep backlog: a burst of a thousand
   * connections must not have SYNs dropped (and retried a second later). */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  if (!soup_server_listen_socket (self->server, socket, 0, error))
    return FALSE;
  self->listen_socket = g_steal_pointer (&socket);
  watch_accepting (self);
  return TRUE;
}

static void
pending_op_free (gpointer data)
{
  DemoOp *op = data;

  op_free (op);
}

static gpointer
server_thread (gpointer data)
{
  TlDemoServer *self = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  self->pending = g_hash_table_new_full (NULL, NULL, pending_op_free, NULL);
  self->conns = g_hash_table_new_full (NULL, NULL, NULL, conn_free);
  self->server = soup_server_new ("server-header", "Tasklanes-demo ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);

  if (!listen_on (self, self->port, &error))
    {
      g_mutex_lock (&self->lock);
      self->start_error = g_steal_pointer (&error);
      self->started = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      goto out;
    }

  g_mutex_lock (&self->lock);
  self->started = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

out:
  /* Drop what we hold, then the connections, then let libsoup's own
   * pending sources run so nothing is left behind on the context. */
  g_hash_table_remove_all (self->pending);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_hash_table_remove_all (self->pending);

  clear_source (&self->accept_watch);
  clear_source (&self->accept_retry);
  g_clear_object (&self->listen_socket);
  g_hash_table_remove_all (self->conns);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TlDemoServer *
tl_demo_server_new (guint    port,
                    GError **error)
{
  TlDemoServer *self;

  g_return_val_if_fail (port <= 65535, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (TlDemoServer, 1);
  self->port = port;
  self->header_timeout_ms = HEADER_TIMEOUT_MS;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("tl-demo-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      tl_demo_server_free (self);
      return NULL;
    }

  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_debug ("listening on %s", self->base_url);

  return self;
}

static gboolean
quit_cb (gpointer data)
{
  TlDemoServer *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
tl_demo_server_free (TlDemoServer *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);

  g_clear_error (&self->start_error);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->base_url);
  g_free (self);
}

const char *
tl_demo_server_get_base_url (TlDemoServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_url;
}

guint
tl_demo_server_get_port (TlDemoServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

guint
tl_demo_server_get_n_connections (TlDemoServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) g_atomic_int_get (&self->n_connections);
}

guint
tl_demo_server_get_max_concurrent_connections (TlDemoServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) g_atomic_int_get (&self->max_connections);
}

void
tl_demo_server_set_header_timeout (TlDemoServer *self,
                                   guint         ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (ms >= 1 && ms <= G_MAXINT);

  g_atomic_int_set (&self->header_timeout_ms, (gint) ms);
}

void
tl_demo_server_reset_max_concurrent_connections (TlDemoServer *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->max_connections, g_atomic_int_get (&self->n_connections));
}

TlDemoServer *
tl_demo_server_get_default (GError **error)
{
  static GMutex default_lock;
  static TlDemoServer *default_server;
  TlDemoServer *server;

  g_mutex_lock (&default_lock);
  if (default_server == NULL)
    default_server = tl_demo_server_new (0, error);
  server = default_server;
  g_mutex_unlock (&default_lock);

  return server;
}

static gboolean
stop_cb (gpointer data)
{
  GMainLoop *loop = data;

  /* Kept, so both handlers can be removed alike afterwards. */
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
tl_demo_server_serve_forever (guint port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlDemoServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint_id, sigterm_id;

  server = tl_demo_server_new (port, &error);
  if (server == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        fprintf (stderr, _("tasklanes: port %u on 127.0.0.1 is already in use; "
                           "choose another port, or 0 to let the system choose\n"), port);
      else
        fprintf (stderr, _("tasklanes: cannot listen on 127.0.0.1:%u: %s\n"), port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, stop_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_cb, loop);

  /* TRANSLATORS: %u is a port number */
  printf (_("Tasklanes demo server on http://127.0.0.1:%u/ — press Ctrl+C to stop\n"),
          tl_demo_server_get_port (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return 0;
}
