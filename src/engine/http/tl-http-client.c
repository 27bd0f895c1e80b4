/* tl-http-client.c — fetch tasks: one SoupSession per run, bounded in flight
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests beyond the Connections limit wait in our own FIFO queue rather
 * than inside libsoup: the queue is what the timeline draws, and handing
 * libsoup thousands of messages at once is measurably slower than keeping
 * a bounded window in flight.
 *
 * Every function here runs on the engine context the client was created
 * on; so do all libsoup callbacks, which is what lets the client write the
 * trace (which has exactly one writer).
 */
#define G_LOG_DOMAIN "tl-http-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "core/tl-text.h"
#include "http/tl-demo-server.h"
#include "http/tl-http-client.h"

#define READ_CHUNK (64 * 1024)

typedef enum {
  PHASE_QUEUED,
  PHASE_CONNECTING,     /* DNS, connect, TLS and writing the request */
  PHASE_WAITING,        /* request written, no response yet */
  PHASE_READING,        /* headers in, reading the body */
  PHASE_DONE,
} FetchPhase;

typedef struct _FetchOp FetchOp;

/* A finished request waiting for the pump to hand its result over. */
typedef struct
{
  GTask              *task;
  char               *result;
  GError             *error;
  /* A request rejected before it reached libsoup still started (and
   * failed): the caller hears of the start first. */
  TlFetchStartedFunc  started;
  gpointer            started_data;
} Completion;

struct _TlHttpClient
{
  gint          ref_count;      /* the pump holds one while it calls out */
  gboolean      shut_down;
  SoupSession  *session;
  GMainContext *context;
  GThread      *thread;         /* the engine thread, the trace's writer */
  guint8       *scratch;        /* g_rc_box: each op holds a reference, so a
                                   read libsoup hands back after the client
                                   is freed still has somewhere to write */
  guint         connections;
  TlTrace      *trace;
  gint64      (*now_us) (gpointer clock);
  gpointer      clock;

  GQueue        queue;          /* FetchOp*, waiting for a slot, FIFO */
  GQueue        completions;    /* Completion*, in the order they finished */
  GSource      *pump;           /* idle: delivers completions, starts queued ops */
  GSource      *wake;           /* ready when a caller's cancellable fires */
  GHashTable   *active;         /* FetchOp* → itself: queued or in flight */
  GHashTable   *by_instance;    /* instance → FetchOp* */
  GHashTable   *connection_users; /* connection id → number of requests on it */
  GHashTable   *connections_used; /* ids of connections that have carried a request */
  GHashTable   *own_details;    /* instance → TlHttpDetails*, when there is no trace */
  guint         n_in_flight;
  guint         n_unconnected;  /* in flight, but not yet on a connection */

  gint64        counters[3];    /* last values written: in flight, queued, connections */
};

struct _FetchOp
{
  TlHttpClient      *client;     /* NULL once the client is freed */
  GTask             *task;
  guint32            instance;
  FetchPhase         phase;

  char              *url;        /* resolved, absolute */
  GUri              *uri;
  char              *method;
  char              *body;
  guint16           *expect_status;
  guint              n_expect_status;
  gint64             max_bytes;

  TlFetchStartedFunc started;
  gpointer           started_data;

  GCancellable      *cancellable;  /* ours: what libsoup and the reads see */
  GCancellable      *external;     /* the caller's */
  gulong             external_id;
  struct _CancelLink *link;        /* the data of external_id */
  GList             *queue_link;

  SoupMessage       *msg;
  GInputStream      *stream;
  GError            *abort_error;  /* why we cancelled our own cancellable */
  guint64            connection_id;
  gboolean           holds_connection;
  gboolean           rejected;       /* failed before reaching libsoup */
  gboolean           connected;      /* its request went out on a connection */
  gboolean           reused;         /* …on one that had carried an earlier request */

  guint8            *scratch;      /* the client's read buffer (shared, refcounted) */
  gint64             mono_offset;  /* g_get_monotonic_time () - run time */
  gint64             bytes;
  TlHttpDetails      details;
};

/* What the caller's cancellable reaches: our own cancellable (which
 * aborts libsoup's work in any phase) and the client's wake source (which
 * takes cancelled requests out of the queue). Both are thread-safe, so
 * the caller may cancel from any thread. */
struct _CancelLink
{
  GCancellable *ours;
  GSource      *wake;
  FetchOp      *op;     /* NULL once the op is gone */
};
typedef struct _CancelLink CancelLink;

G_DEFINE_QUARK (tl-http-error-quark, tl_http_error)

static void fetch_op_start   (FetchOp  *op);
static void fetch_op_finish  (FetchOp  *op,
                              char     *result,
                              GError   *error);
#define MAX_UNCONNECTED 8

static void schedule_pump    (TlHttpClient *self);
static void mark_connected   (FetchOp      *op);

/* --- helpers --- */

static gint64
client_now (TlHttpClient *self)
{
  return self->now_us != NULL ? self->now_us (self->clock) : g_get_monotonic_time ();
}

static void
set_counter (TlHttpClient *self,
             TlCounter     counter,
             gint64        value)
{
  guint i = counter - TL_COUNTER_HTTP_IN_FLIGHT;

  g_assert (i < G_N_ELEMENTS (self->counters));
  if (self->counters[i] == value)
    return;
  self->counters[i] = value;
  if (self->trace != NULL)
    tl_trace_set_counter (self->trace, counter, value, client_now (self));
}

static void
update_counters (TlHttpClient *self)
{
  set_counter (self, TL_COUNTER_HTTP_IN_FLIGHT, self->n_in_flight);
  set_counter (self, TL_COUNTER_HTTP_QUEUED, self->queue.length);
  set_counter (self, TL_COUNTER_HTTP_CONNECTIONS, g_hash_table_size (self->connection_users));
}

static void
details_init (TlHttpDetails *d)
{
  memset (d, 0, sizeof *d);
  d->fetch_start_us = -1;
  d->dns_start_us = d->dns_end_us = -1;
  d->connect_start_us = d->connect_end_us = -1;
  d->tls_start_us = d->tls_end_us = -1;
  d->request_start_us = d->request_end_us = -1;
  d->first_byte_us = -1;
  d->end_us = -1;
}

static void
details_free (gpointer data)
{
  TlHttpDetails *d = data;

  g_free (d->reason);
  g_free (d->url);
  g_free (d);
}

/* Copies the op's details into the trace (or our own table without one). */
static void
publish_details (FetchOp *op)
{
  TlHttpClient *self = op->client;
  TlHttpDetails *d;
  char *reason, *url;

  if (self->trace != NULL)
    {
      const TlOutcome *outcome = tl_trace_get_outcome (self->trace, op->instance);

      /* Readers on other threads may read a finished instance's details
       * at any time: once its final state is published they are frozen. */
      if (outcome == NULL || TL_STATE_IS_FINAL (outcome->state))
        return;
      d = tl_trace_ensure_http (self->trace, op->instance);
    }
  else
    {
      d = g_hash_table_lookup (self->own_details, GUINT_TO_POINTER (op->instance));
      if (d == NULL)
        {
          d = g_new0 (TlHttpDetails, 1);
          g_hash_table_insert (self->own_details, GUINT_TO_POINTER (op->instance), d);
        }
    }

  if (d == NULL)
    return;

  reason = d->reason;
  url = d->url;
  *d = op->details;
  d->reason = g_strdup (op->details.reason);
  d->url = g_strdup (op->details.url);
  g_free (reason);
  g_free (url);
}

static gint64
metric_to_run_us (FetchOp *op,
                  guint64  mono)
{
  return mono == 0 ? -1 : (gint64) mono - op->mono_offset;
}

static void
collect_metrics (FetchOp *op)
{
  SoupMessageMetrics *m;
  TlHttpDetails *d = &op->details;

  if (op->msg == NULL || (m = soup_message_get_metrics (op->msg)) == NULL)
    return;

  d->dns_start_us = metric_to_run_us (op, soup_message_metrics_get_dns_start (m));
  d->dns_end_us = metric_to_run_us (op, soup_message_metrics_get_dns_end (m));
  /* libsoup "resolves" an IP address too; no lookup happened. */
  if (g_hostname_is_ip_address (g_uri_get_host (op->uri)))
    d->dns_start_us = d->dns_end_us = -1;
  d->connect_start_us = metric_to_run_us (op, soup_message_metrics_get_connect_start (m));
  d->connect_end_us = metric_to_run_us (op, soup_message_metrics_get_connect_end (m));
  d->tls_start_us = metric_to_run_us (op, soup_message_metrics_get_tls_start (m));
  /* libsoup ends "connect" once the TLS handshake is done. */
  d->tls_end_us = d->tls_start_us >= 0 ? d->connect_end_us : -1;
  d->request_start_us = metric_to_run_us (op, soup_message_metrics_get_request_start (m));
  d->first_byte_us = metric_to_run_us (op, soup_message_metrics_get_response_start (m));
  if (soup_message_metrics_get_response_end (m) != 0)
    d->end_us = metric_to_run_us (op, soup_message_metrics_get_response_end (m));
  d->request_bytes = (gint64) (soup_message_metrics_get_request_header_bytes_sent (m) +
                               soup_message_metrics_get_request_body_bytes_sent (m));
  /* Only a connection that already carried a request is reused: one that
   * libsoup opened for another message and handed to this one has no
   * connect phase here either, but nothing went over it before. */
  d->connection_reused = op->reused;
}

/* Fills the op's details with what the request has got so far. */
static void
snapshot_details (FetchOp *op)
{
  collect_metrics (op);
  if (op->details.end_us < 0)
    op->details.end_us = client_now (op->client);
  op->details.bytes = op->bytes;
  if (op->msg != NULL && soup_message_get_status (op->msg) != 0)
    {
      op->details.status = soup_message_get_status (op->msg);
      g_free (op->details.reason);
      op->details.reason = g_strdup (soup_message_get_reason_phrase (op->msg));
    }
}

static char *
host_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port < 0)
    port = strcmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  if (strchr (g_uri_get_host (uri), ':') != NULL)
    return g_strdup_printf ("[%s]:%d", g_uri_get_host (uri), port);
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

static char *
format_size (gint64 bytes)
{
  /* The IEC units the preset format speaks (MaxBytes=1MiB). */
  if (bytes < 1024)
    {
      /* The number is formatted apart, so xgettext sees whole msgids. */
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, bytes);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", (gulong) bytes), number);
    }
  else if (bytes < 1024 * 1024)
    return g_strdup_printf (_("%.1f KiB"), bytes / 1024.0);
  else if (bytes < 1024 * 1024 * 1024)
    return g_strdup_printf (_("%.1f MiB"), bytes / (1024.0 * 1024.0));
  return g_strdup_printf (_("%.1f GiB"), bytes / (1024.0 * 1024.0 * 1024.0));
}

static char *
describe_expected (FetchOp *op)
{
  GString *s;

  if (op->n_expect_status == 0)
    return g_strdup ("2xx");

  s = g_string_new (NULL);
  for (guint i = 0; i < op->n_expect_status; i++)
    {
      if (i > 0)
        g_string_append (s, i + 1 == op->n_expect_status ? _(" or ") : ", ");
      g_string_append_printf (s, "%u", op->expect_status[i]);
    }
  return g_string_free (s, FALSE);
}

static gboolean
status_expected (FetchOp *op,
                 guint    status)
{
  if (op->n_expect_status == 0)
    return status >= 200 && status < 300;
  for (guint i = 0; i < op->n_expect_status; i++)
    if (op->expect_status[i] == status)
      return TRUE;
  return FALSE;
}

/* Turns what GIO and libsoup report into an error a user can act on. */
static GError *
translate_error (FetchOp      *op,
                 const GError *error)
{
  g_autofree char *where = host_port (op->uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_REFUSED,
                        _("%s: connection refused by %s"), op->url, where);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_UNKNOWN_HOST,
                        _("%s: unknown host %s"), op->url, g_uri_get_host (op->uri));

  if (error->domain == G_TLS_ERROR)
    return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_TLS,
                        _("%s: TLS handshake with %s failed: %s"), op->url, where, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_TIMEOUT,
                        _("%s: timed out while %s"), op->url,
                        op->phase == PHASE_READING ? _("reading the body")
                        : op->phase == PHASE_WAITING ? _("waiting for the first byte")
                        : _("connecting"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
      (error->domain == SOUP_SESSION_ERROR && op->phase != PHASE_READING))
    {
      if (op->phase == PHASE_READING)
        {
          g_autofree char *got = format_size (op->bytes);

          return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_CLOSED,
                              _("%s: %s closed the connection after %s of the body"),
                              op->url, where, got);
        }
      return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_CLOSED,
                          _("%s: %s closed the connection without an answer"),
                          op->url, where);
    }

  return g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER, "%s: %s", op->url, error->message);
}

/* --- the op --- */

static void
fetch_op_free (FetchOp *op)
{
  /* Once the caller's cancellable has fired, its handler may be the very
   * frame we are called from, where disconnecting would deadlock; the
   * handler's data only holds references (to our cancellable and the wake
   * source), never the op, so leaving it connected is harmless. */
  if (op->external_id != 0 && !g_cancellable_is_cancelled (op->external))
    g_cancellable_disconnect (op->external, op->external_id);
  else if (op->link != NULL)
    op->link->op = NULL;
  g_clear_object (&op->external);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->stream);
  g_clear_object (&op->msg);
  g_clear_error (&op->abort_error);
  g_clear_object (&op->task);
  g_clear_pointer (&op->uri, g_uri_unref);
  g_clear_pointer (&op->scratch, g_rc_box_release);
  g_free (op->url);
  g_free (op->method);
  g_free (op->body);
  g_free (op->expect_status);
  g_free (op->details.reason);
  g_free (op->details.url);
  g_free (op);
}

/* Whether libsoup drops @op's connection after this exchange instead of
 * keeping it alive for another request: the server said it closes it,
 * answered in HTTP/1.0 without keep-alive, or the body was cut short. */
static gboolean
connection_ends_here (FetchOp  *op,
                      gboolean  cut_short)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (op->msg);

  if (cut_short)
    return TRUE;
  if (soup_message_headers_header_contains (headers, "Connection", "close"))
    return TRUE;
  return soup_message_get_http_version (op->msg) == SOUP_HTTP_1_0 &&
         !soup_message_headers_header_contains (headers, "Connection", "Keep-Alive");
}

static void
release_connection (FetchOp  *op,
                    gboolean  cut_short)
{
  TlHttpClient *self = op->client;
  guint n;

  if (!op->holds_connection)
    return;
  op->holds_connection = FALSE;

  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->connection_users, &op->connection_id));
  if (n <= 1)
    g_hash_table_remove (self->connection_users, &op->connection_id);
  else
    g_hash_table_insert (self->connection_users, g_memdup2 (&op->connection_id, sizeof (guint64)),
                         GUINT_TO_POINTER (n - 1));

  /* A connection that ends here will carry nothing more: counting it as
   * idle would let the pump hand libsoup requests that in fact each need
   * a new connection (see pump_cb). Connection ids are never reused, so
   * forgetting it cannot mark a later request as reused by mistake. */
  if (n <= 1 && connection_ends_here (op, cut_short))
    g_hash_table_remove (self->connections_used, &op->connection_id);
}

static void
hold_connection (FetchOp *op)
{
  TlHttpClient *self = op->client;
  guint n;

  if (op->holds_connection || op->msg == NULL)
    return;
  op->connection_id = soup_message_get_connection_id (op->msg);
  if (op->connection_id == 0)
    return;
  op->holds_connection = TRUE;
  op->reused = g_hash_table_contains (self->connections_used, &op->connection_id);
  if (!op->reused)
    g_hash_table_add (self->connections_used, g_memdup2 (&op->connection_id, sizeof (guint64)));
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->connection_users, &op->connection_id));
  g_hash_table_insert (self->connection_users, g_memdup2 (&op->connection_id, sizeof (guint64)),
                       GUINT_TO_POINTER (n + 1));
}

/* Completes @op (taking @result or @error), frees its slot and starts the
 * next queued request. */
static void
fetch_op_finish (FetchOp *op,
                 char    *result,
                 GError  *error)
{
  TlHttpClient *self = op->client;
  gboolean was_in_flight = op->phase != PHASE_QUEUED;
  gboolean cut_short = error != NULL && op->stream != NULL;
  Completion *completion;

  if (self == NULL)
    {
      /* The client is gone; nobody waits for this any more. */
      g_free (result);
      g_clear_error (&error);
      fetch_op_free (op);
      return;
    }

  if (was_in_flight)
    snapshot_details (op);
  op->phase = PHASE_DONE;

  /* The body was not read to its end: make sure libsoup drops the
   * connection instead of reusing it mid-body. */
  if (cut_short)
    g_cancellable_cancel (op->cancellable);
  g_clear_object (&op->stream);

  publish_details (op);
  if (was_in_flight)
    {
      release_connection (op, cut_short);
      if (!op->connected)
        mark_connected (op);
      self->n_in_flight--;
    }
  else if (op->queue_link != NULL)
    {
      g_queue_delete_link (&self->queue, op->queue_link);
      op->queue_link = NULL;
    }

  g_hash_table_remove (self->by_instance, GUINT_TO_POINTER (op->instance));
  g_hash_table_remove (self->active, op);

  completion = g_new0 (Completion, 1);
  completion->task = g_steal_pointer (&op->task);
  completion->result = result;
  completion->error = error;
  if (op->rejected)
    {
      completion->started = op->started;
      completion->started_data = op->started_data;
    }
  g_queue_push_tail (&self->completions, completion);
  fetch_op_free (op);

  /* Results are handed over, and the freed slot refilled, from the pump:
   * libsoup may finish a request from inside the caller's own
   * g_cancellable_cancel(), and calling back into the runner from there
   * would re-enter it. */
  update_counters (self);
  schedule_pump (self);
}

static void
fetch_op_fail (FetchOp     *op,
               TlHttpError  code,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static void read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Reads the next piece of the body, never more than one byte past
 * MaxBytes. The body is only counted, never kept: every request reads
 * into the client's one scratch buffer, instead of allocating 64 KiB per
 * read. */
static void
read_next (FetchOp *op)
{
  gsize count = READ_CHUNK;

  if (op->max_bytes >= 0)
    count = (gsize) MIN (READ_CHUNK, op->max_bytes - op->bytes + 1);
  g_input_stream_read_async (op->stream, op->scratch, count, G_PRIORITY_DEFAULT,
                             op->cancellable, read_cb, op);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gssize size;

  size = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (op->client == NULL)
    {
      fetch_op_finish (op, NULL, NULL);
      return;
    }

  if (size < 0)
    {
      if (op->abort_error != NULL)
        fetch_op_finish (op, NULL, g_steal_pointer (&op->abort_error));
      else
        fetch_op_finish (op, NULL, translate_error (op, error));
      return;
    }

  if (size == 0)
    {
      guint status = soup_message_get_status (op->msg);
      g_autofree char *amount = NULL;

      op->details.end_us = client_now (op->client);
      {
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, op->bytes);

        amount = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", (gulong) op->bytes),
                                  number);
      }
      fetch_op_finish (op, g_strdup_printf ("%u %s, %s", status,
                                            soup_message_get_reason_phrase (op->msg),
                                            amount),
                       NULL);
      return;
    }

  op->bytes += size;
  if (op->max_bytes >= 0 && op->bytes > op->max_bytes)
    {
      g_autofree char *limit = format_size (op->max_bytes);

      fetch_op_fail (op, TL_HTTP_ERROR_TOO_LARGE,
                     _("%s: body larger than MaxBytes (%s)"), op->url, limit);
      return;
    }

  read_next (op);
}

static void
fetch_op_fail (FetchOp     *op,
               TlHttpError  code,
               const char  *format,
               ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fetch_op_finish (op, NULL, g_error_new_literal (TL_HTTP_ERROR, code, message));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  FetchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *stream;
  guint status;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (op->client == NULL)
    {
      g_clear_object (&stream);
      fetch_op_finish (op, NULL, NULL);
      return;
    }

  if (stream == NULL)
    {
      if (op->abort_error != NULL)
        fetch_op_finish (op, NULL, g_steal_pointer (&op->abort_error));
      else
        fetch_op_finish (op, NULL, translate_error (op, error));
      return;
    }

  op->stream = stream;
  op->phase = PHASE_READING;
  if (op->details.request_end_us < 0)
    op->details.request_end_us = client_now (op->client);
  hold_connection (op);
  update_counters (op->client);

  status = soup_message_get_status (op->msg);
  if (!status_expected (op, status))
    {
      g_autofree char *expected = describe_expected (op);

      op->details.first_byte_us = client_now (op->client);
      fetch_op_finish (op, NULL,
                       g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_STATUS,
                                    _("%s: HTTP %u %s, expected %s"), op->url, status,
                                    soup_message_get_reason_phrase (op->msg), expected));
      return;
    }

  /* Refuse a body announced as too large before reading any of it. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (op->msg));
  if (op->max_bytes >= 0 && length > op->max_bytes && strcmp (op->method, "HEAD") != 0 &&
      soup_message_headers_get_encoding (soup_message_get_response_headers (op->msg)) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      g_autofree char *limit = format_size (op->max_bytes);

      fetch_op_fail (op, TL_HTTP_ERROR_TOO_LARGE,
                     _("%s: body larger than MaxBytes (%s)"), op->url, limit);
      return;
    }

  read_next (op);
}

/* One fewer request waiting inside libsoup for a connection: more of the
 * queue may go (see pump_cb). */
static void
mark_connected (FetchOp *op)
{
  if (op->connected)
    return;
  op->connected = TRUE;
  op->client->n_unconnected--;
  schedule_pump (op->client);
}

static void
wrote_headers_cb (SoupMessage *msg,
                  FetchOp     *op)
{
  /* The request is on a connection now: count it as in use. */
  if (op->client == NULL)
    return;
  hold_connection (op);
  mark_connected (op);
  update_counters (op->client);
}

static void
wrote_body_cb (SoupMessage *msg,
               FetchOp     *op)
{
  if (op->client == NULL)
    return;
  if (op->phase == PHASE_CONNECTING)
    op->phase = PHASE_WAITING;
  op->details.request_end_us = client_now (op->client);
}

static void
cancel_link_free (gpointer data)
{
  CancelLink *link = data;

  g_object_unref (link->ours);
  g_source_unref (link->wake);
  g_free (link);
}

static void
external_cancelled_cb (GCancellable *external,
                       CancelLink   *link)
{
  FetchOp *op = link->op;

  /* Cancelled on the engine thread, the caller will likely publish the
   * task's final state before libsoup hands the request back: record
   * what the request got so far while the details may still be written. */
  if (op != NULL && op->client != NULL && op->phase != PHASE_DONE &&
      op->client->thread == g_thread_self ())
    {
      if (op->phase != PHASE_QUEUED)
        snapshot_details (op);
      publish_details (op);
    }

  g_cancellable_cancel (link->ours);
  g_source_set_ready_time (link->wake, 0);
}

static void
fetch_op_start (FetchOp *op)
{
  TlHttpClient *self = op->client;
  gint64 now;

  if (op->queue_link != NULL)
    {
      g_queue_delete_link (&self->queue, op->queue_link);
      op->queue_link = NULL;
    }
  op->phase = PHASE_CONNECTING;
  op->scratch = g_rc_box_acquire (self->scratch);
  self->n_in_flight++;
  self->n_unconnected++;

  now = client_now (self);
  op->mono_offset = g_get_monotonic_time () - now;
  op->details.fetch_start_us = now;

  op->msg = soup_message_new_from_uri (op->method, op->uri);
  soup_message_add_flags (op->msg, SOUP_MESSAGE_COLLECT_METRICS);
  if (op->body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (op->body, strlen (op->body));

      soup_message_set_request_body_from_bytes (op->msg, "text/plain; charset=utf-8", body);
    }
  g_signal_connect (op->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), op);
  g_signal_connect (op->msg, "wrote-body", G_CALLBACK (wrote_body_cb), op);

  update_counters (self);
  if (op->started != NULL)
    op->started (op->started_data);

  /* @started freed the client: the request never reached libsoup. */
  if (op->client == NULL)
    {
      fetch_op_free (op);
      return;
    }

  soup_session_send_async (self->session, op->msg, G_PRIORITY_DEFAULT,
                           op->cancellable, send_cb, op);
}

/* A single source per client, made ready when any caller's cancellable
 * fires: one GCancellableSource per queued request would make every turn
 * of the loop walk thousands of sources. */
static gboolean
wake_cb (gpointer data)
{
  TlHttpClient *self = data;
  g_autoptr(GPtrArray) cancelled = g_ptr_array_new ();

  g_source_set_ready_time (self->wake, -1);

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      FetchOp *op = l->data;

      if (g_cancellable_is_cancelled (op->cancellable))
        g_ptr_array_add (cancelled, op);
    }

  for (guint i = 0; i < cancelled->len; i++)
    fetch_op_finish (g_ptr_array_index (cancelled, i), NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("Operation was cancelled")));

  return G_SOURCE_CONTINUE;
}

static gboolean
wake_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs wake_funcs = {
  .dispatch = wake_dispatch,
};

static void
completion_free (Completion *completion)
{
  g_clear_object (&completion->task);
  g_free (completion->result);
  g_clear_error (&completion->error);
  g_free (completion);
}

static void
client_unref (TlHttpClient *self)
{
  if (--self->ref_count > 0)
    return;

  g_main_context_unref (self->context);
  g_free (self);
}

/* Kept-alive connections libsoup holds with nothing on them, as far as
 * the client can tell (one the server closed is still counted, which only
 * makes the pump a little generous): requests for those need no new
 * connection, so they do not count against MAX_UNCONNECTED. */
static guint
idle_connections (TlHttpClient *self)
{
  guint known = g_hash_table_size (self->connections_used);
  guint busy = g_hash_table_size (self->connection_users);

  return known > busy ? known - busy : 0;
}

static gboolean
pump_cb (gpointer data)
{
  TlHttpClient *self = data;
  Completion *completion;

  self->ref_count++;
  g_clear_pointer (&self->pump, g_source_unref);

  /* A callback may free the client: check after each one. */
  while (!self->shut_down && (completion = g_queue_pop_head (&self->completions)) != NULL)
    {
      GTask *task = g_steal_pointer (&completion->task);

      if (completion->started != NULL)
        completion->started (completion->started_data);
      if (completion->error != NULL)
        g_task_return_error (task, g_steal_pointer (&completion->error));
      else
        g_task_return_pointer (task, g_steal_pointer (&completion->result), g_free);
      g_object_unref (task);
      completion_free (completion);
    }

  /* libsoup 3.2 opens no new connection for a message while more than
   * half of the messages it holds for that host wait on connections
   * still being opened; such a message then sits inside libsoup until a
   * connection falls idle, a whole response later (1,000 requests with
   * Connections=1000 came back in waves a second apart). So libsoup gets
   * only as many requests as it will start now, and the rest wait here,
   * in the visible queue, for the connections being opened to come up:
   * the number in flight doubles on each round trip of a connect. */
  while (!self->shut_down &&
         self->n_in_flight < self->connections && self->queue.length > 0 &&
         self->n_unconnected <= idle_connections (self) + MIN ((self->n_in_flight + 1) / 2, MAX_UNCONNECTED))
    fetch_op_start (g_queue_peek_head (&self->queue));

  if (!self->shut_down)
    update_counters (self);

  client_unref (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pump (TlHttpClient *self)
{
  if (self->pump != NULL || self->shut_down)
    return;

  self->pump = g_idle_source_new ();
  g_source_set_priority (self->pump, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->pump, pump_cb, self, NULL);
  g_source_attach (self->pump, self->context);
}

/* --- public API --- */

TlHttpClient *
tl_http_client_new (guint      connections,
                    TlTrace   *trace,
                    gint64   (*now_us) (gpointer clock),
                    gpointer   clock)
{
  TlHttpClient *self;
  g_autofree char *user_agent = g_strdup_printf ("Tasklanes/%s", PACKAGE_VERSION);

  g_return_val_if_fail (connections >= 1, NULL);

  self = g_new0 (TlHttpClient, 1);
  self->ref_count = 1;
  self->connections = connections;
  self->trace = trace != NULL ? tl_trace_ref (trace) : NULL;
  self->now_us = now_us;
  self->clock = clock;
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
  self->scratch = g_rc_box_alloc (READ_CHUNK);
  g_queue_init (&self->queue);
  self->active = g_hash_table_new (NULL, NULL);
  self->by_instance = g_hash_table_new (NULL, NULL);
  self->connection_users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->connections_used = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->own_details = g_hash_table_new_full (NULL, NULL, NULL, details_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->counters); i++)
    self->counters[i] = -1;
  self->wake = g_source_new (&wake_funcs, sizeof (GSource));
  g_source_set_callback (self->wake, wake_cb, self, NULL);
  g_source_attach (self->wake, self->context);

  /* Both limits explicitly: libsoup's defaults (10 in total, 2 per host)
   * would quietly serialise a demo against one host. No session timeout:
   * a task's Timeout cancels its request. */
  self->session = soup_session_new_with_options ("max-conns", (int) MIN (connections, G_MAXINT),
                                                 "max-conns-per-host", (int) MIN (connections, G_MAXINT),
                                                 "user-agent", user_agent,
                                                 "timeout", 0,
                                                 NULL);
  /* Presets carry no credentials, so nothing here ever authenticates;
   * without the auth manager libsoup also skips the status handlers it
   * would connect to, and disconnect from, every message. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
  update_counters (self);

  return self;
}

void
tl_http_client_free (TlHttpClient *self)
{
  g_autoptr(GPtrArray) ops = NULL;
  GHashTableIter iter;
  gpointer key;

  if (self == NULL)
    return;

  /* Abort everything; libsoup hands the aborted operations back on the
   * context later, and the ops then free themselves without calling
   * anybody back. Queued ops never reached libsoup and go at once. */
  ops = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ops, key);
  for (guint i = 0; i < ops->len; i++)
    {
      FetchOp *op = g_ptr_array_index (ops, i);

      op->client = NULL;
      if (op->phase == PHASE_QUEUED)
        {
          op->queue_link = NULL;
          fetch_op_free (op);
        }
      else
        g_cancellable_cancel (op->cancellable);
    }
  g_queue_clear (&self->queue);
  g_queue_clear_full (&self->completions, (GDestroyNotify) completion_free);
  if (self->pump != NULL)
    {
      g_source_destroy (self->pump);
      g_clear_pointer (&self->pump, g_source_unref);
    }
  g_source_destroy (self->wake);
  g_clear_pointer (&self->wake, g_source_unref);
  self->shut_down = TRUE;

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->by_instance, g_hash_table_unref);
  g_clear_pointer (&self->connection_users, g_hash_table_unref);
  g_clear_pointer (&self->connections_used, g_hash_table_unref);
  g_clear_pointer (&self->own_details, g_hash_table_unref);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_pointer (&self->scratch, g_rc_box_release);
  client_unref (self);
}

void
tl_http_client_fetch_async (TlHttpClient         *self,
                            guint32               instance,
                            const TlFetchRequest *request,
                            GCancellable         *cancellable,
                            TlFetchStartedFunc    started,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GError) error = NULL;
  FetchOp *op;
  const char *scheme;

  g_return_if_fail (self != NULL);
  g_return_if_fail (request != NULL && request->url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (FetchOp, 1);
  op->client = self;
  op->instance = instance;
  op->phase = PHASE_QUEUED;
  op->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (op->task, tl_http_client_fetch_async);
  op->method = g_ascii_strup (request->method != NULL ? request->method : "GET", -1);
  op->body = g_strdup (request->body);
  if (request->n_expect_status > 0)
    op->expect_status = g_memdup2 (request->expect_status, request->n_expect_status * sizeof (guint16));
  op->n_expect_status = request->n_expect_status;
  op->max_bytes = request->max_bytes;
  op->started = started;
  op->started_data = user_data;
  op->cancellable = g_cancellable_new ();
  op->external = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  details_init (&op->details);

  g_hash_table_add (self->active, op);
  g_hash_table_insert (self->by_instance, GUINT_TO_POINTER (instance), op);

  if (request->url[0] == '/')
    {
      TlDemoServer *server = tl_demo_server_get_default (&error);

      if (server != NULL)
        op->url = g_strconcat (tl_demo_server_get_base_url (server), request->url, NULL);
      else
        {
          g_autofree char *shown = tl_text_echo_n (request->url, TL_TEXT_ECHO_URL_CHARS);

          op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER,
                                         _("%s: the demo server could not start: %s"),
                                         shown, error->message);
        }
    }
  else
    op->url = g_strdup (request->url);
  op->details.url = g_strdup (op->url);

  if (op->abort_error == NULL)
    {
      op->uri = g_uri_parse (op->url, SOUP_HTTP_URI_FLAGS, &error);
      /* op->url is only ever shown (messages, report, trace, CSV): a
       * password in it is not. The request itself goes by op->uri. */
      if (op->uri != NULL && g_uri_get_password (op->uri) != NULL)
        {
          g_free (op->url);
          g_free (op->details.url);
          op->url = g_uri_to_string_partial (op->uri, G_URI_HIDE_PASSWORD);
          op->details.url = g_strdup (op->url);
        }
      /* From here on op->url only appears in messages: cut a long one. */
      {
        char *shown = tl_text_echo_n (op->url, TL_TEXT_ECHO_URL_CHARS);

        g_free (op->url);
        op->url = shown;
      }
      scheme = op->uri != NULL ? g_uri_get_scheme (op->uri) : NULL;
      if (op->uri == NULL)
        op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER,
                                       _("%s: not a valid URL: %s"), op->url, error->message);
      else if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
        op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER,
                                       _("%s: only http and https URLs can be fetched"), op->url);
      else if (g_uri_get_host (op->uri) == NULL || *g_uri_get_host (op->uri) == '\0')
        op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER,
                                       _("%s: the URL names no host"), op->url);
      else if (g_str_has_suffix (g_uri_get_host (op->uri), ".invalid") ||
               g_ascii_strcasecmp (g_uri_get_host (op->uri), "invalid") == 0)
        /* RFC 6761: such names never resolve; answer at once rather
         * than wait for a resolver that may not be reachable. */
        op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_UNKNOWN_HOST,
                                       _("%s: unknown host %s"), op->url, g_uri_get_host (op->uri));
      else if (strcmp (op->method, "GET") != 0 && strcmp (op->method, "HEAD") != 0 &&
               strcmp (op->method, "POST") != 0)
        op->abort_error = g_error_new (TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER,
                                       _("%s: unsupported method %s (GET, HEAD or POST)"),
                                       op->url, op->method);
    }

  if (op->abort_error != NULL)
    {
      /* Reported from the pump, never from inside the caller's call. The
       * request counts as started (with no phases): it was tried. */
      op->rejected = TRUE;
      op->details.fetch_start_us = client_now (self);
      fetch_op_finish (op, NULL, g_steal_pointer (&op->abort_error));
      return;
    }

  /* Even with a slot free, the request starts from the pump, so
   * @started never runs inside this call: the caller marks the task
   * queued after submitting it and can rely on that order. */
  schedule_pump (self);
  g_queue_push_tail (&self->queue, op);
  op->queue_link = self->queue.tail;
  if (cancellable != NULL)
    {
      CancelLink *link = g_new0 (CancelLink, 1);

      link->ours = g_object_ref (op->cancellable);
      link->wake = g_source_ref (self->wake);
      link->op = op;
      op->link = link;
      op->external_id = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                               link, cancel_link_free);
    }
  update_counters (self);
}

char *
tl_http_client_fetch_finish (TlHttpClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
tl_http_client_get_n_queued (TlHttpClient *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->queue.length;
}

guint
tl_http_client_get_n_in_flight (TlHttpClient *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_in_flight;
}

const char *
tl_http_client_describe_phase (TlHttpClient *self,
                               guint32       instance)
{
  FetchOp *op;

  g_return_val_if_fail (self != NULL, NULL);

  op = g_hash_table_lookup (self->by_instance, GUINT_TO_POINTER (instance));
  if (op == NULL)
    return NULL;

  switch (op->phase)
    {
    case PHASE_QUEUED:
      return _("waiting for a free connection");
    case PHASE_CONNECTING:
      return _("connecting");
    case PHASE_WAITING:
      return _("waiting for the first byte");
    case PHASE_READING:
      return _("reading the body");
    case PHASE_DONE:
    default:
      return NULL;
    }
}

char *
tl_http_client_dup_timeout_message (TlHttpClient *self,
                                    guint32       instance)
{
  FetchOp *op;
  const char *phase;

  g_return_val_if_fail (self != NULL, NULL);

  op = g_hash_table_lookup (self->by_instance, GUINT_TO_POINTER (instance));
  phase = tl_http_client_describe_phase (self, instance);
  if (op == NULL || phase == NULL)
    return NULL;

  /* TRANSLATORS: first %s is a URL, second a phase such as "connecting" */
  return g_strdup_printf (_("%s: timed out while %s"), op->url, phase);
}

const TlHttpDetails *
tl_http_client_peek_details (TlHttpClient *self,
                             guint32       instance)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->trace != NULL)
    return tl_trace_get_http (self->trace, instance);
  return g_hash_table_lookup (self->own_details, GUINT_TO_POINTER (instance));
}
