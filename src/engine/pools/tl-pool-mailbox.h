/* tl-pool-mailbox.h — messages from any thread to one GMainContext
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the pools.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TlPoolMailbox TlPoolMailbox;

/* Called on the mailbox's context for each message, in the order they
 * were posted. The handler owns @message. */
typedef void     (*TlPoolMailboxHandler)       (gpointer message,
                                                gpointer user_data);
/* Makes the message that says "the job with this id was cancelled". */
typedef gpointer (*TlPoolMailboxCancelMessage) (guint64  id);

TlPoolMailbox *tl_pool_mailbox_new                 (GMainContext               *context,
                                                    const char                 *name,
                                                    TlPoolMailboxHandler        handler,
                                                    GDestroyNotify              free_message,
                                                    gpointer                    user_data);
/* Any thread. After tl_pool_mailbox_free() the message is just freed. */
void           tl_pool_mailbox_post                (TlPoolMailbox              *self,
                                                    gpointer                    message);
/* Posts make_message (@id) when @cancellable is cancelled, from whatever
 * thread cancels it (at once if it already is). Returns the handler id
 * for tl_pool_mailbox_unwatch_cancellable(), 0 if there is none. */
gulong         tl_pool_mailbox_watch_cancellable   (TlPoolMailbox              *self,
                                                    GCancellable               *cancellable,
                                                    TlPoolMailboxCancelMessage  make_message,
                                                    guint64                     id);
/* Never blocks, so it is safe anywhere, even inside a "cancelled" handler. */
void           tl_pool_mailbox_unwatch_cancellable (GCancellable               *cancellable,
                                                    gulong                      handler_id);
/* On the context's thread: frees the messages not yet handled without
 * handing them to the handler; later posts are refused. Safe to call from
 * inside the handler. */
void           tl_pool_mailbox_free                (TlPoolMailbox              *self);

G_END_DECLS
