/* tl-demo-server.h — the built-in HTTP server presets use offline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on its own thread and GMainContext, bound to 127.0.0.1 on
 * a port the OS picks (or a given one), so it keeps answering while the
 * engine's loop is blocked.
 */
#pragma once

#include <gio/gio.h>

#include "core/tl-types.h"

G_BEGIN_DECLS

/* port 0: let the OS choose. */
TlDemoServer *tl_demo_server_new           (guint          port,
                                            GError       **error);
void          tl_demo_server_free          (TlDemoServer  *self);
/* "http://127.0.0.1:PORT" without a trailing slash. */
const char   *tl_demo_server_get_base_url  (TlDemoServer  *self);
guint         tl_demo_server_get_port      (TlDemoServer  *self);

/* The process-wide server, started on first use; thread-safe. NULL with
 * @error set when it cannot bind. */
TlDemoServer *tl_demo_server_get_default   (GError       **error);

/* Connections open now, and the most open at once since the server
 * started or the last reset (for tests of the Connections limit). */
guint         tl_demo_server_get_n_connections (TlDemoServer *self);
guint         tl_demo_server_get_max_concurrent_connections (TlDemoServer *self);
void          tl_demo_server_reset_max_concurrent_connections (TlDemoServer *self);

/* How long a client may take to send a request's headers, from the
 * moment its connection was accepted or the request's first byte came
 * (20 s unless set); a client slower than that is disconnected. */
void          tl_demo_server_set_header_timeout (TlDemoServer *self,
                                                 guint         ms);

/* Blocks serving on 127.0.0.1:@port until SIGINT/SIGTERM (tasklanes --serve). */
int           tl_demo_server_serve_forever (guint          port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlDemoServer, tl_demo_server_free)

G_END_DECLS
