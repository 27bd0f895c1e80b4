/* tl-http-client.h — fetch tasks: one SoupSession per run, bounded in flight
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tl-types.h"
#include "tl-trace.h"

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

G_END_DECLS
