/* tl-test-util.c — helpers shared by the test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-test"

#include "config.h"

#include "tl-test-util.h"

char *
tl_test_dup_srcdir_path (const char *first_element,
                         ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  va_list args;

  g_ptr_array_add (parts, (gpointer) (srcdir != NULL ? srcdir : "."));
  g_ptr_array_add (parts, (gpointer) first_element);
  va_start (args, first_element);
  for (const char *e = va_arg (args, const char *); e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) e);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
tl_test_wait_for_flag (gboolean *flag,
                       guint     timeout_ms)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean expired = FALSE;

  g_source_set_callback (timeout, timeout_cb, &expired, NULL);
  g_source_attach (timeout, context);

  while (!*flag && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_unref (context);

  return *flag;
}
