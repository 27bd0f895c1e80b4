/* tl-http-client.h — fetch tasks: one SoupSession per run, bounded in flight
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"
#include "trace/tl-trace.h"

G_BEGIN_DECLS

#define TL_HTTP_ERROR (tl_http_error_quark ())

typedef enum {
  TL_HTTP_ERROR_REFUSED,
  TL_HTTP_ERROR_UNKNOWN_HOST,
  TL_HTTP_ERROR_TLS,
  TL_HTTP_ERROR_CLOSED,
  TL_HTTP_ERROR_STATUS,
  TL_HTTP_ERROR_TOO_LARGE,
  TL_HTTP_ERROR_TIMEOUT,
  TL_HTTP_ERROR_OTHER,
} TlHttpError;

typedef struct {
  const char    *url;          /* absolute, or "/…" for the demo server */
  const char    *method;
  const char    *body;
  const guint16 *expect_status;
  guint          n_expect_status;
  gint64         max_bytes;
} TlFetchRequest;

/* Called on the engine context when a queued request gets a slot. */
typedef void (*TlFetchStartedFunc) (gpointer user_data);

GQuark        tl_http_error_quark        (void);

/* Must be created on the engine context. @connections bounds both the
 * requests in flight and libsoup's max-conns / max-conns-per-host. The
 * trace receives HTTP counters and each instance's TlHttpDetails. */
TlHttpClient *tl_http_client_new         (guint          connections,
                                          TlTrace       *trace,
                                          gint64       (*now_us) (gpointer clock),
                                          gpointer       clock);
void          tl_http_client_free        (TlHttpClient  *self);

/* Queues the request for @instance. @started is called when it leaves the
 * queue; the callback gets a result string ("200 OK, 5120 bytes") or an
 * error from TL_HTTP_ERROR (G_IO_ERROR_CANCELLED when cancelled). */
void          tl_http_client_fetch_async (TlHttpClient         *self,
                                          guint32               instance,
                                          const TlFetchRequest *request,
                                          GCancellable         *cancellable,
                                          TlFetchStartedFunc    started,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char         *tl_http_client_fetch_finish(TlHttpClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error);

guint         tl_http_client_get_n_queued   (TlHttpClient *self);
guint         tl_http_client_get_n_in_flight(TlHttpClient *self);

/* Notes on the calls above:
 * - @started and @callback are only ever called from the engine context's
 *   loop, never from inside tl_http_client_fetch_async() or from inside a
 *   g_cancellable_cancel() of the caller: mark the task queued after
 *   submitting it, and expect @started at the earliest one iteration
 *   later (even when a slot is free).
 * - @trace may be NULL (tests): details are then kept by the client, see
 *   tl_http_client_peek_details(). With a trace, the counters are
 *   TL_COUNTER_HTTP_IN_FLIGHT (requests handed to libsoup),
 *   TL_COUNTER_HTTP_QUEUED (waiting for a slot) and
 *   TL_COUNTER_HTTP_CONNECTIONS (distinct connections carrying a request).
 * - tl_http_client_free() aborts everything without calling back; let
 *   the context iterate afterwards so libsoup can hand back (and free)
 *   what it aborted. */

/* What the request of @instance is doing, for timeout messages:
 * "waiting for a free connection", "connecting", "waiting for the first
 * byte" or "reading the body" (translated); NULL when the client does not
 * know @instance (finished or never submitted). Call it before, or right
 * after, cancelling on a Timeout. */
const char   *tl_http_client_describe_phase (TlHttpClient *self,
                                             guint32       instance);
/* The whole message: "URL: timed out while reading the body". */
char         *tl_http_client_dup_timeout_message (TlHttpClient *self,
                                                  guint32       instance);
/* The details of a finished fetch: from the trace, or kept by the client
 * when it has none. */
const TlHttpDetails *tl_http_client_peek_details (TlHttpClient *self,
                                                  guint32       instance);

G_END_DECLS
