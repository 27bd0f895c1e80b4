/* test-http.c — fetch tasks through TlHttpClient, against local servers only
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "http/tl-demo-server.h"
#include "http/tl-http-client.h"
#include "preset/tl-preset.h"
#include "trace/tl-trace.h"
#include "tl-test-util.h"

/* --- a pending fetch --- */

typedef struct
{
  guint32   instance;
  gboolean  started;
  gboolean  done;
  gint64    done_at;
  char     *result;
  GError   *error;
  guint    *start_order;   /* optional: appended to when started */
  guint    *n_started;
  guint    *in_flight_seen;
  TlHttpClient *client;
} Fetch;

static void
fetch_clear (Fetch *f)
{
  g_clear_pointer (&f->result, g_free);
  g_clear_error (&f->error);
}

static void
started_cb (gpointer user_data)
{
  Fetch *f = user_data;

  g_assert_false (f->started);
  f->started = TRUE;
  if (f->start_order != NULL)
    f->start_order[(*f->n_started)++] = f->instance;
  if (f->in_flight_seen != NULL)
    *f->in_flight_seen = MAX (*f->in_flight_seen, tl_http_client_get_n_in_flight (f->client));
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *f = user_data;

  g_assert_false (f->done);
  f->result = tl_http_client_fetch_finish (f->client, result, &f->error);
  f->done = TRUE;
  f->done_at = g_get_monotonic_time ();
}

static void
start_fetch (TlHttpClient *client,
             Fetch        *f,
             guint32       instance,
             const TlFetchRequest *request,
             GCancellable *cancellable)
{
  f->client = client;
  f->instance = instance;
  tl_http_client_fetch_async (client, instance, request, cancellable, started_cb, done_cb, f);
}

static void
fetch_sync (TlHttpClient         *client,
            Fetch                *f,
            guint32               instance,
            const TlFetchRequest *request)
{
  start_fetch (client, f, instance, request, NULL);
  g_assert_true (tl_test_wait_for_flag (&f->done, 20000));
}

static TlFetchRequest
get (const char *url)
{
  TlFetchRequest r = { url, "GET", NULL, NULL, 0, 16 * 1024 * 1024 };

  return r;
}

static void
iterate_for (guint ms)
{
  gboolean flag = FALSE;

  tl_test_wait_for_flag (&flag, ms);
}

static guint
count_socket_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  return n;
}

/* What the default main context would watch if iterated now: the number
 * of file descriptors its sources poll, and (through *timeout_ms) whether
 * any timer is armed. Leaked sockets or sources show up in both. */
static int
count_context_fds (int *timeout_ms)
{
  GMainContext *context = g_main_context_default ();
  GPollFD fds[256];
  int priority, n;

  g_assert_true (g_main_context_acquire (context));
  g_main_context_prepare (context, &priority);
  n = g_main_context_query (context, G_MAXINT, timeout_ms, fds, G_N_ELEMENTS (fds));
  g_main_context_check (context, priority, fds, MIN (n, (int) G_N_ELEMENTS (fds)));
  g_main_context_release (context);
  return n;
}

static TlDemoServer *
default_server (void)
{
  g_autoptr(GError) error = NULL;
  TlDemoServer *server = tl_demo_server_get_default (&error);

  g_assert_no_error (error);
  return server;
}

/* Frees @client and lets libsoup hand back what the free aborted. */
static void
free_client (TlHttpClient *client)
{
  tl_http_client_free (client);
  iterate_for (100);
}

static void
wait_for_phase (TlHttpClient *client,
                guint32       instance,
                const char   *phase)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_strcmp0 (tl_http_client_describe_phase (client, instance), phase) != 0 &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (tl_http_client_describe_phase (client, instance), ==, phase);
}

/* --- success --- */

static void
test_get (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("/users/1");
  const TlHttpDetails *d;
  Fetch f = { 0, };
  g_autofree char *expected_url = g_strconcat (tl_demo_server_get_base_url (default_server ()), "/users/1", NULL);

  fetch_sync (client, &f, 7, &r);
  g_assert_no_error (f.error);
  g_assert_true (f.started);
  g_assert_true (g_str_has_prefix (f.result, "200 OK, "));
  g_assert_true (g_str_has_suffix (f.result, " bytes"));

  d = tl_http_client_peek_details (client, 7);
  g_assert_nonnull (d);
  g_assert_cmpuint (d->status, ==, 200);
  g_assert_cmpstr (d->reason, ==, "OK");
  g_assert_cmpstr (d->url, ==, expected_url);
  g_assert_cmpint (d->bytes, >, 20);
  g_assert_cmpint (d->request_bytes, >, 20);
  /* An IP address: no DNS; http: no TLS. */
  g_assert_cmpint (d->dns_start_us, ==, -1);
  g_assert_cmpint (d->tls_start_us, ==, -1);
  g_assert_cmpint (d->tls_end_us, ==, -1);
  g_assert_cmpint (d->fetch_start_us, >, 0);
  g_assert_cmpint (d->connect_start_us, >=, d->fetch_start_us);
  g_assert_cmpint (d->connect_end_us, >=, d->connect_start_us);
  g_assert_cmpint (d->request_start_us, >=, d->connect_end_us);
  g_assert_cmpint (d->first_byte_us, >=, d->request_start_us);
  g_assert_cmpint (d->end_us, >=, d->first_byte_us);
  g_assert_cmpint (d->end_us - d->fetch_start_us, <, 5 * G_USEC_PER_SEC);
  g_assert_false (d->connection_reused);
  g_assert_null (tl_http_client_describe_phase (client, 7));

  fetch_clear (&f);
  free_client (client);
}

static gint64 fake_now_offset;

static gint64
fake_now (gpointer clock)
{
  /* A run clock that started a while ago. */
  return g_get_monotonic_time () - *(gint64 *) clock;
}

static void
test_run_clock (void)
{
  TlHttpClient *client;
  TlFetchRequest r = get ("/delay/0.2");
  const TlHttpDetails *d;
  Fetch f = { 0, };
  gint64 before;

  fake_now_offset = g_get_monotonic_time () - 5 * G_USEC_PER_SEC;
  client = tl_http_client_new (4, NULL, fake_now, &fake_now_offset);
  before = fake_now (&fake_now_offset);
  fetch_sync (client, &f, 1, &r);
  g_assert_no_error (f.error);

  /* Metrics are mapped to the run clock, not left in monotonic time. */
  d = tl_http_client_peek_details (client, 1);
  g_assert_cmpint (d->fetch_start_us, >=, before);
  g_assert_cmpint (d->fetch_start_us, <, before + G_USEC_PER_SEC);
  g_assert_cmpint (d->first_byte_us - d->fetch_start_us, >=, 190000);
  g_assert_cmpint (d->first_byte_us - d->fetch_start_us, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (d->end_us, <=, fake_now (&fake_now_offset));

  fetch_clear (&f);
  free_client (client);
}

static void
test_head_and_post (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest head = { "/bytes/5000", "HEAD", NULL, NULL, 0, 1000 };
  TlFetchRequest post = { "/users/2", "POST", "name=two", NULL, 0, 16 << 20 };
  TlFetchRequest post_empty = { "/users/2", "POST", NULL, NULL, 0, 16 << 20 };
  Fetch f1 = { 0, }, f2 = { 0, }, f3 = { 0, };
  const TlHttpDetails *d;

  /* HEAD: no body, so MaxBytes below Content-Length does not matter. */
  fetch_sync (client, &f1, 1, &head);
  g_assert_no_error (f1.error);
  g_assert_cmpstr (f1.result, ==, "200 OK, 0 bytes");

  fetch_sync (client, &f2, 2, &post);
  g_assert_no_error (f2.error);
  g_assert_true (g_str_has_prefix (f2.result, "200 OK"));
  d = tl_http_client_peek_details (client, 2);
  g_assert_cmpint (d->request_bytes, >, (gint64) strlen ("name=two"));

  fetch_sync (client, &f3, 3, &post_empty);
  g_assert_no_error (f3.error);

  fetch_clear (&f1);
  fetch_clear (&f2);
  fetch_clear (&f3);
  free_client (client);
}

static void
test_reuse (void)
{
  TlHttpClient *client = tl_http_client_new (1, NULL, NULL, NULL);
  TlFetchRequest r = get ("/users/3");
  Fetch f1 = { 0, }, f2 = { 0, };

  fetch_sync (client, &f1, 1, &r);
  fetch_sync (client, &f2, 2, &r);
  g_assert_no_error (f1.error);
  g_assert_no_error (f2.error);
  g_assert_true (tl_http_client_peek_details (client, 2)->connection_reused);
  g_assert_cmpint (tl_http_client_peek_details (client, 2)->connect_start_us, ==, -1);

  fetch_clear (&f1);
  fetch_clear (&f2);
  free_client (client);
}

static void
test_expect_status (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  const guint16 codes[] = { 200, 404 };
  TlFetchRequest r1 = { "/status/404", "GET", NULL, codes, 2, 1 << 20 };
  TlFetchRequest r2 = { "/status/500", "GET", NULL, codes, 2, 1 << 20 };
  TlFetchRequest r3 = get ("/status/503");
  Fetch f1 = { 0, }, f2 = { 0, }, f3 = { 0, };

  fetch_sync (client, &f1, 1, &r1);
  g_assert_no_error (f1.error);
  g_assert_true (g_str_has_prefix (f1.result, "404 Not Found"));

  fetch_sync (client, &f2, 2, &r2);
  g_assert_error (f2.error, TL_HTTP_ERROR, TL_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (f2.error->message, "HTTP 500 Internal Server Error, expected 200 or 404"));
  g_assert_nonnull (strstr (f2.error->message, "/status/500"));

  fetch_sync (client, &f3, 3, &r3);
  g_assert_error (f3.error, TL_HTTP_ERROR, TL_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (f3.error->message, "HTTP 503 Service Unavailable, expected 2xx"));
  g_assert_cmpuint (tl_http_client_peek_details (client, 3)->status, ==, 503);

  fetch_clear (&f1);
  fetch_clear (&f2);
  fetch_clear (&f3);
  free_client (client);
}

/* With a trace: details and the HTTP counters land in it. */
static void
test_trace (void)
{
  const char *text =
    "[Preset]\nFormat=1\nName=trace\nRun=all\nConnections=1\n\n"
    "[Task all]\nKind=gather\nChildren=f\n\n"
    "[Task f]\nKind=fetch\nUrl=/users/{i}\nRepeat=2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "trace.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  TlHttpClient *client;
  TlFetchRequest r1 = get ("/users/1");
  TlFetchRequest r2 = get ("/users/2");
  Fetch f1 = { 0, }, f2 = { 0, };
  guint32 id1, id2;
  gint64 max_in_flight = -1, max_queued = -1, max_connections = -1, last_in_flight = -1;
  const TlHttpDetails *d;

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  id1 = tl_trace_add_instance (trace, TL_NO_INSTANCE, 0, 1, 0, TL_ON_LOOP, 0);
  id1 = tl_trace_add_instance (trace, id1, 1, 1, 0, TL_ON_LOOP, 0);
  id2 = tl_trace_add_instance (trace, 0, 1, 2, 0, TL_ON_LOOP, 0);
  client = tl_http_client_new (1, trace, NULL, NULL);

  start_fetch (client, &f1, id1, &r1, NULL);
  start_fetch (client, &f2, id2, &r2, NULL);
  g_assert_true (tl_test_wait_for_flag (&f1.done, 10000));
  g_assert_true (tl_test_wait_for_flag (&f2.done, 10000));
  g_assert_no_error (f1.error);
  g_assert_no_error (f2.error);

  d = tl_trace_get_http (trace, id2);
  g_assert_nonnull (d);
  g_assert_true (d == tl_http_client_peek_details (client, id2));
  g_assert_cmpuint (d->status, ==, 200);
  g_assert_cmpstr (d->reason, ==, "OK");
  g_assert_true (g_str_has_suffix (d->url, "/users/2"));
  g_assert_true (d->connection_reused);

  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);

      if (e->type != TL_EVENT_COUNTER)
        continue;
      if (e->a == TL_COUNTER_HTTP_IN_FLIGHT)
        {
          max_in_flight = MAX (max_in_flight, e->value);
          last_in_flight = e->value;
        }
      else if (e->a == TL_COUNTER_HTTP_QUEUED)
        max_queued = MAX (max_queued, e->value);
      else if (e->a == TL_COUNTER_HTTP_CONNECTIONS)
        max_connections = MAX (max_connections, e->value);
    }
  g_assert_cmpint (max_in_flight, ==, 1);
  g_assert_cmpint (last_in_flight, ==, 0);
  g_assert_cmpint (max_queued, ==, 2);
  g_assert_cmpint (max_connections, ==, 1);

  fetch_clear (&f1);
  fetch_clear (&f2);
  free_client (client);
}

/* The runner publishes a cancelled task's final state right after
 * cancelling: the details must already be in the trace by then, and never
 * be written after it. */
static void
test_trace_cancelled (void)
{
  const char *text =
    "[Preset]\nFormat=1\nName=trace\nRun=f\n\n"
    "[Task f]\nKind=fetch\nUrl=/stall\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "stall.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TlHttpClient *client;
  TlFetchRequest r = get ("/stall");
  Fetch f = { 0, };
  const TlHttpDetails *d;
  guint32 id;

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  id = tl_trace_add_instance (trace, TL_NO_INSTANCE, 0, 1, 0, TL_ON_LOOP, 0);
  client = tl_http_client_new (4, trace, NULL, NULL);

  start_fetch (client, &f, id, &r, cancellable);
  wait_for_phase (client, id, "waiting for the first byte");
  g_cancellable_cancel (cancellable);
  tl_trace_set_cancelled (trace, id, TL_STATE_CANCELLED, TL_CAUSE_USER, TL_NO_INSTANCE,
                          g_get_monotonic_time ());

  d = tl_trace_get_http (trace, id);
  g_assert_nonnull (d);
  g_assert_cmpuint (d->status, ==, 0);
  g_assert_cmpint (d->request_start_us, >=, 0);
  g_assert_cmpint (d->first_byte_us, ==, -1);
  g_assert_cmpint (d->end_us, >=, d->request_start_us);

  g_assert_true (tl_test_wait_for_flag (&f.done, 5000));
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (tl_trace_get_http (trace, id) == d);

  fetch_clear (&f);
  free_client (client);
}

/* --- errors --- */

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  /* Closed at once: nothing listens there afterwards. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_error_refused (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  guint port = closed_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/x", port);
  g_autofree char *expected = g_strdup_printf ("connection refused by 127.0.0.1:%u", port);
  TlFetchRequest r = get (url);
  Fetch f = { 0, };

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_REFUSED);
  g_assert_nonnull (strstr (f.error->message, expected));
  g_assert_nonnull (strstr (f.error->message, url));
  g_assert_cmpuint (tl_http_client_peek_details (client, 1)->status, ==, 0);

  fetch_clear (&f);
  free_client (client);
}

static void
test_error_unknown_host (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("http://no-such-host.invalid/users/1");
  Fetch f = { 0, };
  gint64 start = g_get_monotonic_time ();

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_UNKNOWN_HOST);
  g_assert_nonnull (strstr (f.error->message, "unknown host no-such-host.invalid"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  /* A rejected request was tried: it started (and failed), so its task
   * is never shown as "never started" with a failure. */
  g_assert_true (f.started);
  g_assert_cmpint (tl_http_client_peek_details (client, 1)->fetch_start_us, >=, 0);

  fetch_clear (&f);
  free_client (client);
}

/* A password in a URL is used for the request but never shown: not in
 * the error, not in the details that go into every export. */
static void
test_password_hidden (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("http://user:s3cret@127.0.0.1:1/x");
  Fetch f = { 0, };
  const TlHttpDetails *d;

  fetch_sync (client, &f, 1, &r);
  g_assert_nonnull (f.error);
  g_assert_null (strstr (f.error->message, "s3cret"));
  g_assert_nonnull (strstr (f.error->message, "127.0.0.1:1"));
  d = tl_http_client_peek_details (client, 1);
  g_assert_cmpstr (d->url, ==, "http://user@127.0.0.1:1/x");

  fetch_clear (&f);
  free_client (client);
}

static void
test_error_scheme (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("ftp://127.0.0.1/file");
  Fetch f = { 0, };

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_OTHER);
  g_assert_nonnull (strstr (f.error->message, "only http and https"));
  /* Rejected, but tried: a task that failed has started. */
  g_assert_true (f.started);

  fetch_clear (&f);
  free_client (client);
}

static void
test_error_closed_before_answer (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("/close");
  Fetch f = { 0, };

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f.error->message, "closed the connection without an answer"));

  fetch_clear (&f);
  free_client (client);
}

/* A GThreadedSocketService on 127.0.0.1 that answers every connection with
 * @handler; returns its port. */
static guint
start_service (GSocketService *service,
               GCallback       handler)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  /* Handlers block on their socket, so they run on the service's own
   * threads, not on the loop the client needs. */
  g_signal_connect (service, "run", handler, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
stop_service (GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* A server that promises 1000 bytes, sends 10 and hangs up. */
static gboolean
short_body_cb (GSocketService    *service,
               GSocketConnection *connection,
               GObject           *source,
               gpointer           user_data)
{
  const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
  GSocket *socket = g_socket_connection_get_socket (connection);
  char buf[4096];

  /* Read the request first, so the close is a clean FIN, not a reset. */
  g_socket_set_blocking (socket, TRUE);
  g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
  g_socket_send (socket, answer, strlen (answer), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_error_closed_mid_body (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  guint port = start_service (service, G_CALLBACK (short_body_cb));
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/short", port);
  TlFetchRequest r = get (url);
  Fetch f = { 0, };

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f.error->message, "closed the connection after 10 bytes of the body"));
  g_assert_cmpint (tl_http_client_peek_details (client, 1)->bytes, ==, 10);
  g_assert_cmpuint (tl_http_client_peek_details (client, 1)->status, ==, 200);

  fetch_clear (&f);
  free_client (client);
  stop_service (service);
}

/* Speaks plain text where a TLS handshake is expected. */
static gboolean
garbage_cb (GSocketService    *service,
            GSocketConnection *connection,
            GObject           *source,
            gpointer           user_data)
{
  const char *garbage = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\nthis is not TLS at all\r\n";
  GSocket *socket = g_socket_connection_get_socket (connection);
  char buf[4096];

  g_socket_set_blocking (socket, TRUE);
  g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
  g_socket_send (socket, garbage, strlen (garbage), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_error_tls (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  guint port = start_service (service, G_CALLBACK (garbage_cb));
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/users/1", port);
  TlFetchRequest r = get (url);
  Fetch f = { 0, };

  fetch_sync (client, &f, 1, &r);
  g_assert_error (f.error, TL_HTTP_ERROR, TL_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (f.error->message, "TLS handshake with 127.0.0.1"));
  g_assert_nonnull (strstr (f.error->message, url));

  fetch_clear (&f);
  free_client (client);
  stop_service (service);
}

static void
test_error_max_bytes (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r1 = { "/bytes/2000000", "GET", NULL, NULL, 0, 1024 * 1024 };
  TlFetchRequest r2 = { "/drip?bytes=5000&duration=0.5", "GET", NULL, NULL, 0, 1000 };
  TlFetchRequest r3 = { "/bytes/1000", "GET", NULL, NULL, 0, 1000 };
  Fetch f1 = { 0, }, f2 = { 0, }, f3 = { 0, };

  /* Announced by Content-Length: refused before reading. */
  fetch_sync (client, &f1, 1, &r1);
  g_assert_error (f1.error, TL_HTTP_ERROR, TL_HTTP_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_suffix (f1.error->message, "body larger than MaxBytes (1.0 MiB)"));
  g_assert_cmpint (tl_http_client_peek_details (client, 1)->bytes, ==, 0);

  /* Chunked: stops as soon as the body passes the limit. */
  fetch_sync (client, &f2, 2, &r2);
  g_assert_error (f2.error, TL_HTTP_ERROR, TL_HTTP_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_suffix (f2.error->message, "body larger than MaxBytes (1000 bytes)"));
  g_assert_cmpint (tl_http_client_peek_details (client, 2)->bytes, ==, 1001);

  /* Exactly at the limit is fine. */
  fetch_sync (client, &f3, 3, &r3);
  g_assert_no_error (f3.error);
  g_assert_cmpstr (f3.result, ==, "200 OK, 1000 bytes");

  fetch_clear (&f1);
  fetch_clear (&f2);
  fetch_clear (&f3);
  free_client (client);
}

/* --- cancellation --- */

static void
cancel_and_check (TlHttpClient *client,
                  Fetch        *f,
                  GCancellable *cancellable)
{
  gint64 start = g_get_monotonic_time ();

  g_cancellable_cancel (cancellable);
  /* Never called back from inside g_cancellable_cancel(). */
  g_assert_false (f->done);
  g_assert_true (tl_test_wait_for_flag (&f->done, 5000));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (f->done_at - start, <, 500000);
}

static void
test_cancel_connecting (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *url = NULL;
  g_autofree char *message = NULL;
  TlFetchRequest r;
  Fetch f = { 0, };

  /* A listener that never accepts, its tiny backlog filled: further
   * connection attempts hang in the handshake. */
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_bind (listener, address, FALSE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  for (guint i = 0; i < 4; i++)
    {
      GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);

      g_socket_set_blocking (s, FALSE);
      g_socket_connect (s, bound, NULL, NULL);
      g_ptr_array_add (fillers, s);
    }

  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  r = get (url);
  start_fetch (client, &f, 1, &r, cancellable);
  wait_for_phase (client, 1, "connecting");
  iterate_for (300);
  g_assert_cmpstr (tl_http_client_describe_phase (client, 1), ==, "connecting");
  message = tl_http_client_dup_timeout_message (client, 1);
  g_assert_true (g_str_has_suffix (message, "timed out while connecting"));

  cancel_and_check (client, &f, cancellable);
  g_assert_null (tl_http_client_describe_phase (client, 1));

  fetch_clear (&f);
  free_client (client);
}

static void
test_cancel_first_byte (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlDemoServer *server = default_server ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TlFetchRequest r = get ("/stall");
  Fetch f = { 0, };
  guint before = tl_demo_server_get_n_connections (server);
  g_autofree char *message = NULL;

  start_fetch (client, &f, 1, &r, cancellable);
  wait_for_phase (client, 1, "waiting for the first byte");
  message = tl_http_client_dup_timeout_message (client, 1);
  g_assert_true (g_str_has_suffix (message, "/stall: timed out while waiting for the first byte"));

  cancel_and_check (client, &f, cancellable);

  /* The aborted connection is not kept: the server sees it go. */
  free_client (client);
  for (guint i = 0; i < 50 && tl_demo_server_get_n_connections (server) > before; i++)
    iterate_for (100);
  g_assert_cmpuint (tl_demo_server_get_n_connections (server), <=, before);
  fetch_clear (&f);
}

static void
test_cancel_body (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TlFetchRequest r = get ("/drip?bytes=100&duration=20");
  TlFetchRequest after = get ("/users/9");
  Fetch f = { 0, }, f2 = { 0, };

  start_fetch (client, &f, 1, &r, cancellable);
  wait_for_phase (client, 1, "reading the body");
  iterate_for (500);
  g_assert_cmpstr (tl_http_client_describe_phase (client, 1), ==, "reading the body");

  cancel_and_check (client, &f, cancellable);

  /* The half-read connection was dropped, not reused. */
  fetch_sync (client, &f2, 2, &after);
  g_assert_no_error (f2.error);
  g_assert_false (tl_http_client_peek_details (client, 2)->connection_reused);

  fetch_clear (&f);
  fetch_clear (&f2);
  free_client (client);
}

static void
test_cancel_queued (void)
{
  TlHttpClient *client = tl_http_client_new (1, NULL, NULL, NULL);
  g_autoptr(GCancellable) c1 = g_cancellable_new ();
  g_autoptr(GCancellable) c2 = g_cancellable_new ();
  TlFetchRequest stall = get ("/stall");
  TlFetchRequest user = get ("/users/1");
  Fetch f1 = { 0, }, f2 = { 0, };

  start_fetch (client, &f1, 1, &stall, c1);
  start_fetch (client, &f2, 2, &user, c2);
  /* @started never runs inside fetch_async. */
  g_assert_false (f1.started);
  wait_for_phase (client, 1, "waiting for the first byte");
  g_assert_cmpstr (tl_http_client_describe_phase (client, 2), ==, "waiting for a free connection");
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, 1);
  g_assert_cmpuint (tl_http_client_get_n_in_flight (client), ==, 1);

  cancel_and_check (client, &f2, c2);
  g_assert_false (f2.started);
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, 0);

  cancel_and_check (client, &f1, c1);
  g_assert_cmpuint (tl_http_client_get_n_in_flight (client), ==, 0);

  fetch_clear (&f1);
  fetch_clear (&f2);
  free_client (client);
}

static gpointer
cancel_thread (gpointer data)
{
  g_cancellable_cancel (data);
  return NULL;
}

/* One cancellable shared by 200 requests, 198 of them queued, cancelled
 * from another thread: all end cancelled at once, the queued ones never
 * start. */
static void
test_cancel_many (void)
{
  TlHttpClient *client = tl_http_client_new (2, NULL, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TlFetchRequest r = get ("/delay/5");
  const guint n = 200;
  g_autofree Fetch *f = g_new0 (Fetch, n);
  guint n_started = 0, n_done = 0;
  gint64 start;

  for (guint i = 0; i < n; i++)
    start_fetch (client, &f[i], i, &r, cancellable);
  wait_for_phase (client, 1, "waiting for the first byte");
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, n - 2);

  start = g_get_monotonic_time ();
  g_thread_join (g_thread_new ("cancel", cancel_thread, cancellable));
  while (n_done < n && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      n_done = 0;
      for (guint i = 0; i < n; i++)
        n_done += f[i].done;
    }
  g_assert_cmpuint (n_done, ==, n);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  for (guint i = 0; i < n; i++)
    {
      g_assert_error (f[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      n_started += f[i].started;
      fetch_clear (&f[i]);
    }
  g_assert_cmpuint (n_started, ==, 2);
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, 0);
  g_assert_cmpuint (tl_http_client_get_n_in_flight (client), ==, 0);

  free_client (client);
}

static void
test_free_in_flight (void)
{
  TlHttpClient *client = tl_http_client_new (3, NULL, NULL, NULL);
  TlFetchRequest stall = get ("/stall");
  TlFetchRequest drip = get ("/drip?bytes=10&duration=30");
  Fetch f[6] = { { 0, }, };
  guint sockets_before = count_socket_fds ();

  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    start_fetch (client, &f[i], i, i % 2 ? &stall : &drip, NULL);
  wait_for_phase (client, 0, "reading the body");
  wait_for_phase (client, 1, "waiting for the first byte");
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, 3);

  /* Nothing is called back after the free. */
  free_client (client);
  iterate_for (300);
  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    g_assert_false (f[i].done);

  /* Client-side sockets are gone; the server closes its side soon after. */
  for (guint i = 0; i < 50 && count_socket_fds () > sockets_before; i++)
    iterate_for (100);
  g_assert_cmpuint (count_socket_fds (), <=, sockets_before);
}

/* --- the Connections limit --- */

static void
test_connections_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlDemoServer) server = tl_demo_server_new (0, &error);
  const guint n = 40, limit = 5;
  TlHttpClient *client = tl_http_client_new (limit, NULL, NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree Fetch *f = g_new0 (Fetch, n);
  g_autofree guint *order = g_new0 (guint, n);
  guint n_started = 0, in_flight_seen = 0, n_done = 0;
  TlFetchRequest r;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  url = g_strconcat (tl_demo_server_get_base_url (server), "/delay/0.1", NULL);
  r = get (url);

  for (guint i = 0; i < n; i++)
    {
      f[i].start_order = order;
      f[i].n_started = &n_started;
      f[i].in_flight_seen = &in_flight_seen;
      start_fetch (client, &f[i], i, &r, NULL);
    }
  g_assert_cmpuint (tl_http_client_get_n_queued (client), ==, n);

  while (n_done < n && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (tl_http_client_get_n_in_flight (client), <=, limit);
      n_done = 0;
      for (guint i = 0; i < n; i++)
        n_done += f[i].done;
    }
  g_assert_cmpuint (n_done, ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_assert_no_error (f[i].error);
      /* First in, first out. */
      g_assert_cmpuint (order[i], ==, i);
      fetch_clear (&f[i]);
    }
  g_assert_cmpuint (in_flight_seen, ==, limit);
  /* Exactly the limit: libsoup's own default of 2 per host must not
   * leak through. */
  g_assert_cmpuint (tl_demo_server_get_max_concurrent_connections (server), ==, limit);
  /* 40 waits of 0.1 s, 5 at a time: about 0.8 s, never 4 s. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  free_client (client);
}

static void
test_thousand (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlDemoServer) server = tl_demo_server_new (0, &error);
  const guint n = 1000;
  TlHttpClient *client;
  g_autofree Fetch *f = g_new0 (Fetch, n);
  guint n_done = 0, sockets_before;
  int context_fds_before, timeout_before, timeout_after;
  gint64 start;

  g_assert_no_error (error);
  sockets_before = count_socket_fds ();
  context_fds_before = count_context_fds (&timeout_before);
  client = tl_http_client_new (100, NULL, NULL, NULL);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/users/%u", tl_demo_server_get_base_url (server), i + 1);
      TlFetchRequest r = get (url);

      start_fetch (client, &f[i], i, &r, NULL);
    }

  while (n_done < n && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      n_done = 0;
      for (guint i = 0; i < n; i++)
        n_done += f[i].done;
    }
  g_test_message ("%u fetches with 100 connections: %.2f s", n, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (n_done, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_no_error (f[i].error);
      g_assert_true (g_str_has_prefix (f[i].result, "200 OK"));
      fetch_clear (&f[i]);
    }
  g_test_message ("at most %u connections at once",
                  tl_demo_server_get_max_concurrent_connections (server));
  g_assert_cmpuint (tl_demo_server_get_max_concurrent_connections (server), <=, 100);
  /* Well above libsoup's default total of 10. */
  g_assert_cmpuint (tl_demo_server_get_max_concurrent_connections (server), >, 10);

  free_client (client);
  for (guint i = 0; i < 50 && (count_socket_fds () > sockets_before ||
                               tl_demo_server_get_n_connections (server) > 0); i++)
    iterate_for (100);
  g_assert_cmpuint (tl_demo_server_get_n_connections (server), ==, 0);
  g_assert_cmpuint (count_socket_fds (), ==, sockets_before);
  /* No source of the client or of libsoup is left polling or armed. */
  g_assert_cmpint (count_context_fds (&timeout_after), ==, context_fds_before);
  g_assert_cmpint (timeout_after, ==, timeout_before);
}

/* With as many connections as requests, every request handed to libsoup
 * goes out on a connection at once: none sits inside libsoup waiting for
 * another request's response (libsoup 3.2 holds messages back while
 * many connections are being opened); the surplus waits in the client's
 * own, visible queue. */
static void
test_many_delayed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlDemoServer) server = tl_demo_server_new (0, &error);
  const guint n = 400;
  TlHttpClient *client;
  g_autofree Fetch *f = g_new0 (Fetch, n);
  g_autofree char *url = NULL;
  guint n_done = 0, n_late = 0;
  gint64 start, worst_gap = 0;

  g_assert_no_error (error);
  url = g_strdup_printf ("%s/delay/1", tl_demo_server_get_base_url (server));
  client = tl_http_client_new (n, NULL, NULL, NULL);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      TlFetchRequest r = get (url);

      start_fetch (client, &f[i], i + 1, &r, NULL);
    }

  while (n_done < n && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      n_done = 0;
      for (guint i = 0; i < n; i++)
        n_done += f[i].done;
    }
  g_test_message ("%u delayed fetches with %u connections: %.2f s", n, n, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (n_done, ==, n);

  {
    gint64 first_answer = G_MAXINT64;
    guint n_false_reuse = 0;

    for (guint i = 0; i < n; i++)
      first_answer = MIN (first_answer, tl_http_client_peek_details (client, i + 1)->first_byte_us);
    /* Before the first answer no connection had finished a request, so
     * none could have been reused, whatever libsoup's metrics lack. */
    for (guint i = 0; i < n; i++)
      {
        const TlHttpDetails *d = tl_http_client_peek_details (client, i + 1);

        if (d->request_start_us < first_answer && d->connection_reused)
          n_false_reuse++;
      }
    g_assert_cmpuint (n_false_reuse, ==, 0);
  }

  for (guint i = 0; i < n; i++)
    {
      const TlHttpDetails *d = tl_http_client_peek_details (client, i + 1);
      gint64 gap = d->request_start_us - d->fetch_start_us;

      g_assert_no_error (f[i].error);
      /* Handed over, written within a moment; a request held back by
       * libsoup waited for a whole response (1 s) first. */
      worst_gap = MAX (worst_gap, gap);
      if (gap > G_USEC_PER_SEC / 2)
        n_late++;
      fetch_clear (&f[i]);
    }
  g_test_message ("longest wait inside libsoup: %.3f s", worst_gap / 1e6);
  g_assert_cmpuint (n_late, ==, 0);

  free_client (client);
}

/* A server that closes every connection after its answer, as many
 * servers behind proxies or with keep-alive off do. */
static gboolean
closing_cb (GSocketService    *service,
            GSocketConnection *connection,
            GObject           *source,
            gpointer           user_data)
{
  const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  GSocket *socket = g_socket_connection_get_socket (connection);
  char buf[4096];

  g_socket_set_blocking (socket, TRUE);
  g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
  /* All of a wave's requests are on their connections at once. */
  g_usleep (G_USEC_PER_SEC / 5);
  g_socket_send (socket, answer, strlen (answer), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Fetches @n requests at once and waits for all of them. Returns the
 * most requests that were ever with libsoup still without a connection,
 * counted from the recorded times: handed over (fetch start) but not yet
 * sent (request start). */
static guint
fetch_wave (TlHttpClient *client,
            const char   *url,
            guint32       first_instance,
            guint         n)
{
  g_autofree Fetch *f = g_new0 (Fetch, n);
  gint64 start = g_get_monotonic_time ();
  guint n_done = 0, most_unconnected = 0;

  for (guint i = 0; i < n; i++)
    {
      TlFetchRequest r = get (url);

      start_fetch (client, &f[i], first_instance + i, &r, NULL);
    }
  while (n_done < n && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, TRUE);
      n_done = 0;
      for (guint i = 0; i < n; i++)
        n_done += f[i].done;
    }
  g_assert_cmpuint (n_done, ==, n);

  for (guint i = 0; i < n; i++)
    {
      const TlHttpDetails *di = tl_http_client_peek_details (client, first_instance + i);
      guint unconnected = 0;

      g_assert_no_error (f[i].error);
      g_assert_false (di->connection_reused);
      for (guint j = 0; j < n; j++)
        {
          const TlHttpDetails *dj = tl_http_client_peek_details (client, first_instance + j);

          if (j != i && dj->fetch_start_us <= di->fetch_start_us && dj->request_start_us > di->fetch_start_us)
            unconnected++;
        }
      most_unconnected = MAX (most_unconnected, unconnected);
    }
  for (guint i = 0; i < n; i++)
    fetch_clear (&f[i]);
  return most_unconnected;
}

/* A connection the server closed after its answer is not an idle one:
 * counting it as such let the client hand libsoup the whole next wave at
 * once, where it waited for connections libsoup opened a few at a time
 * (1,000 fetches to such a server took twice as long). Every request of
 * the second wave needs a new connection, so the client hands libsoup no
 * more than the few it lets open at once (see pump_cb), as in the first. */
static void
test_closing_server (void)
{
  const guint n = 100;
  TlHttpClient *client = tl_http_client_new (n, NULL, NULL, NULL);
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (n + 8);
  guint port = start_service (service, G_CALLBACK (closing_cb));
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/close", port);
  guint first, second;

  first = fetch_wave (client, url, 1, n);
  second = fetch_wave (client, url, n + 1, n);
  g_test_message ("most requests waiting for a connection inside libsoup: %u, then %u", first, second);
  g_assert_cmpuint (first, <=, 16);
  g_assert_cmpuint (second, <=, 16);

  free_client (client);
  stop_service (service);
}

/* The demo server answers while the loop that fetches is held. */
static void
test_server_while_blocked (void)
{
  TlHttpClient *client = tl_http_client_new (4, NULL, NULL, NULL);
  TlFetchRequest r = get ("/delay/1");
  Fetch f = { 0, };
  gint64 unblocked;

  start_fetch (client, &f, 1, &r, NULL);
  wait_for_phase (client, 1, "waiting for the first byte");

  /* Hold this thread's loop for longer than the delay. */
  g_usleep (1500000);
  unblocked = g_get_monotonic_time ();

  g_assert_true (tl_test_wait_for_flag (&f.done, 5000));
  g_assert_no_error (f.error);
  /* The answer was already waiting: a server on this loop would only
   * have started its one-second timer now. */
  g_assert_cmpint (f.done_at - unblocked, <, 700000);

  fetch_clear (&f);
  free_client (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Start the default server first, so every test sees the same socket
   * count baseline from it. */
  default_server ();

  g_test_add_func ("/http/get", test_get);
  g_test_add_func ("/http/run-clock", test_run_clock);
  g_test_add_func ("/http/head-and-post", test_head_and_post);
  g_test_add_func ("/http/reuse", test_reuse);
  g_test_add_func ("/http/expect-status", test_expect_status);
  g_test_add_func ("/http/trace", test_trace);
  g_test_add_func ("/http/trace-cancelled", test_trace_cancelled);
  g_test_add_func ("/http/error/refused", test_error_refused);
  g_test_add_func ("/http/error/unknown-host", test_error_unknown_host);
  g_test_add_func ("/http/error/tls", test_error_tls);
  g_test_add_func ("/http/error/scheme", test_error_scheme);
  g_test_add_func ("/http/password-hidden", test_password_hidden);
  g_test_add_func ("/http/error/closed-before-answer", test_error_closed_before_answer);
  g_test_add_func ("/http/error/closed-mid-body", test_error_closed_mid_body);
  g_test_add_func ("/http/error/max-bytes", test_error_max_bytes);
  g_test_add_func ("/http/cancel/connecting", test_cancel_connecting);
  g_test_add_func ("/http/cancel/first-byte", test_cancel_first_byte);
  g_test_add_func ("/http/cancel/body", test_cancel_body);
  g_test_add_func ("/http/cancel/queued", test_cancel_queued);
  g_test_add_func ("/http/cancel/many", test_cancel_many);
  g_test_add_func ("/http/free-in-flight", test_free_in_flight);
  g_test_add_func ("/http/connections-limit", test_connections_limit);
  g_test_add_func ("/http/thousand", test_thousand);
  g_test_add_func ("/http/many-delayed", test_many_delayed);
  g_test_add_func ("/http/closing-server", test_closing_server);
  g_test_add_func ("/http/server-while-blocked", test_server_while_blocked);

  return g_test_run ();
}
