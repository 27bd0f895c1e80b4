/* tl-pool-mailbox.c — messages from any thread to one GMainContext
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Worker threads must never touch the trace or call back into the runner:
 * the engine thread is the only writer. They post what happened here and
 * one GSource on the engine context hands the messages on, strictly in
 * the order they were posted (separate idle sources would not promise
 * that "started" is seen before "finished"). While the engine loop is
 * blocked the messages wait, as a finished executor job waits in asyncio
 * until the loop runs again.
 *
 * Cancellation reaches a pool the same way. A GCancellableSource is not
 * used for that: disposing of one on one thread while another thread
 * cancels its cancellable can leak it (GLib 2.74), and jobs here are
 * cancelled on one thread and finished on another all the time. Instead a
 * plain "cancelled" handler posts a message. The handlers share the
 * mailbox's core, which outlives the mailbox until the last handler is
 * gone, so a handler that runs late finds a closed mailbox rather than
 * freed memory, and unwatching never has to wait for a running handler.
 */
#define G_LOG_DOMAIN "tl-pool-mailbox"

#include "config.h"

#include "pools/tl-pool-mailbox.h"

typedef struct {
  gatomicrefcount  ref_count;
  GMutex           mutex;
  gboolean         closed;        /* under mutex */
  GSource         *source;        /* under mutex; not a reference */
  GAsyncQueue     *queue;
  GDestroyNotify   free_message;
} MailboxCore;

typedef struct {
  GSource               source;
  MailboxCore          *core;
  TlPoolMailboxHandler  handler;
  gpointer              user_data;
} MailboxSource;

struct _TlPoolMailbox
{
  MailboxCore *core;
  GSource     *source;
};

typedef struct {
  MailboxCore                *core;
  TlPoolMailboxCancelMessage  make_message;
  guint64                     id;
} CancelWatch;

static MailboxCore *
core_ref (MailboxCore *core)
{
  g_atomic_ref_count_inc (&core->ref_count);
  return core;
}

static void
core_unref (MailboxCore *core)
{
  gpointer message;

  if (!g_atomic_ref_count_dec (&core->ref_count))
    return;

  while ((message = g_async_queue_try_pop (core->queue)) != NULL)
    core->free_message (message);
  g_async_queue_unref (core->queue);
  g_mutex_clear (&core->mutex);
  g_free (core);
}

static void
core_post (MailboxCore *core,
           gpointer     message)
{
  gboolean accepted;

  g_mutex_lock (&core->mutex);
  accepted = !core->closed;
  if (accepted)
    {
      g_async_queue_push (core->queue, message);
      /* Thread-safe: it wakes the context up when called from another
       * thread. Under the mutex, so the source cannot go meanwhile. */
      g_source_set_ready_time (core->source, 0);
    }
  g_mutex_unlock (&core->mutex);

  if (!accepted)
    core->free_message (message);
}

static gboolean
mailbox_dispatch (GSource     *source,
                  GSourceFunc  callback,
                  gpointer     user_data)
{
  MailboxSource *mailbox = (MailboxSource *) source;
  gpointer message;

  g_source_set_ready_time (source, -1);

  /* A handler may free the pool (and so destroy this source): stop at
   * once then; the messages left were freed by tl_pool_mailbox_free(). */
  while (!g_source_is_destroyed (source)
         && (message = g_async_queue_try_pop (mailbox->core->queue)) != NULL)
    mailbox->handler (message, mailbox->user_data);

  return G_SOURCE_CONTINUE;
}

static void
mailbox_finalize (GSource *source)
{
  core_unref (((MailboxSource *) source)->core);
}

static GSourceFuncs mailbox_funcs = {
  .dispatch = mailbox_dispatch,
  .finalize = mailbox_finalize,
};

TlPoolMailbox *
tl_pool_mailbox_new (GMainContext         *context,
                     const char           *name,
                     TlPoolMailboxHandler  handler,
                     GDestroyNotify        free_message,
                     gpointer              user_data)
{
  TlPoolMailbox *self = g_new0 (TlPoolMailbox, 1);
  MailboxCore *core = g_new0 (MailboxCore, 1);
  MailboxSource *source;

  g_atomic_ref_count_init (&core->ref_count);
  g_mutex_init (&core->mutex);
  core->queue = g_async_queue_new ();
  core->free_message = free_message;

  source = (MailboxSource *) g_source_new (&mailbox_funcs, sizeof (MailboxSource));
  source->core = core_ref (core);
  source->handler = handler;
  source->user_data = user_data;
  core->source = (GSource *) source;

  g_source_set_static_name ((GSource *) source, name);
  g_source_attach ((GSource *) source, context);

  self->core = core;
  self->source = (GSource *) source;

  return self;
}

void
tl_pool_mailbox_post (TlPoolMailbox *self,
                      gpointer       message)
{
  core_post (self->core, message);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  CancelWatch *watch = user_data;

  core_post (watch->core, watch->make_message (watch->id));
}

static void
cancel_watch_free (gpointer data)
{
  CancelWatch *watch = data;

  core_unref (watch->core);
  g_free (watch);
}

gulong
tl_pool_mailbox_watch_cancellable (TlPoolMailbox              *self,
                                   GCancellable               *cancellable,
                                   TlPoolMailboxCancelMessage  make_message,
                                   guint64                     id)
{
  CancelWatch *watch;

  if (cancellable == NULL)
    return 0;

  watch = g_new0 (CancelWatch, 1);
  watch->core = core_ref (self->core);
  watch->make_message = make_message;
  watch->id = id;

  return g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), watch, cancel_watch_free);
}

void
tl_pool_mailbox_unwatch_cancellable (GCancellable *cancellable,
                                     gulong        handler_id)
{
  /* Not g_cancellable_disconnect(): that waits for a handler running on
   * another thread, and deadlocks when called from inside one. A handler
   * still running only posts to the core, which it keeps alive. */
  if (cancellable != NULL && handler_id != 0)
    g_signal_handler_disconnect (cancellable, handler_id);
}

void
tl_pool_mailbox_free (TlPoolMailbox *self)
{
  MailboxCore *core;
  gpointer message;

  if (self == NULL)
    return;

  core = self->core;

  g_mutex_lock (&core->mutex);
  core->closed = TRUE;
  core->source = NULL;
  g_mutex_unlock (&core->mutex);

  g_source_destroy (self->source);
  g_source_unref (self->source);

  while ((message = g_async_queue_try_pop (core->queue)) != NULL)
    core->free_message (message);

  core_unref (core);
  g_free (self);
}
