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
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "http/tl-demo-server.h"

/* Limits that keep a mistyped preset from hurting the machine. */
#define MAX_DELAY_S       3600.0
#define MAX_BYTES         (G_GINT64_CONSTANT (1) << 30)
#define MAX_DRIP_BYTES    (G_GINT64_CONSTANT (10) << 20)
#define MAX_DRIP_PIECES   1000
#define MAX_USER_ID       1000000000
#define STREAM_CHUNK      (64 * 1024)
#define LISTEN_BACKLOG    4096

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
  GHashTable   *pending;    /* DemoOp* → itself: every message we hold */
  GHashTable   *sockets;    /* GSocket* (owned) → itself: open connections */
  GSource      *sweep;

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

  n = g_socket_is_closed (socket) ? 0
      : recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)))
    {
      /* The client sent more (a pipelined request): it is still there,
       * and the watch would fire again and again, so stop watching. */
      if (n > 0)
        {
          g_clear_pointer (&op->watch, g_source_unref);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
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
  GSocket *socket;

  op->self = self;
  op->msg = g_object_ref (msg);
  op->kind = kind;
  op->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (op_message_gone_cb), op);
  op->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (op_message_gone_cb), op);
  g_hash_table_add (self->pending, op);

  socket = soup_server_message_get_socket (msg);
  if (socket != NULL && kind != OP_BYTES)
    {
      op->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (op->watch, (GSourceFunc) (GCallback) op_socket_cb, op, NULL);
      g_source_attach (op->watch, self->context);
    }

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

/* --- connection counting --- */

/* libsoup 3.2 does not always notice a client that closes a kept-alive
 * connection between requests: the socket would sit in CLOSE_WAIT until
 * the server is freed. Every open connection is therefore swept a few
 * times a second; one whose client has gone is closed here, and one that
 * libsoup closed is forgotten. That also keeps the connection count (for
 * tests of the Connections limit) exact. */
static gboolean
sweep_connections_cb (gpointer data)
{
  TlDemoServer *self = data;
  g_autoptr(GHashTable) busy = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;

  /* A socket with a request we hold is watched by that request's op,
   * which answers it properly when its client goes. */
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (busy, soup_server_message_get_socket (((DemoOp *) key)->msg));

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GSocket *socket = key;
      gboolean gone = g_socket_is_closed (socket);

      if (!gone && !g_hash_table_contains (busy, socket))
        {
          char byte;
          gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            {
              g_socket_close (socket, NULL);
              gone = TRUE;
            }
        }

      if (gone)
        {
          g_hash_table_iter_remove (&iter);
          g_atomic_int_add (&self->n_connections, -1);
        }
    }

  if (g_hash_table_size (self->sockets) > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->sweep, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    TlDemoServer      *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  int n, max;

  if (socket == NULL || g_hash_table_contains (self->sockets, socket))
    return;

  g_hash_table_add (self->sockets, g_object_ref (socket));
  n = g_atomic_int_add (&self->n_connections, 1) + 1;
  do
    max = g_atomic_int_get (&self->max_connections);
  while (n > max && !g_atomic_int_compare_and_exchange (&self->max_connections, max, n));

  if (self->sweep == NULL)
    {
      self->sweep = g_timeout_source_new (50);
      g_source_set_callback (self->sweep, sweep_connections_cb, self, NULL);
      g_source_attach (self->sweep, self->context);
    }
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

  return soup_server_listen_socket (self->server, socket, 0, error);
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
  self->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
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

  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  g_clear_pointer (&self->sockets, g_hash_table_unref);
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
