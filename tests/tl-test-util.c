/* tl-test-util.c — helpers shared by the test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-test"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
# define TL_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TL_TEST_ASAN 1
# endif
#endif
#ifdef TL_TEST_ASAN
# include <sanitizer/allocator_interface.h>
#endif

#include "preset/tl-preset.h"
#include "python/tl-probe-reader.h"
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

guint32
tl_test_find_instance (TlTrace    *trace,
                       const char *name,
                       guint       copy)
{
  TlPreset *preset = tl_trace_get_preset (trace);

  for (guint i = 0; i < tl_trace_get_n_instances (trace); i++)
    {
      const TlInstance *inst = tl_trace_get_instance (trace, i);

      if (g_str_equal (preset->tasks[inst->spec].name, name) && inst->copy == copy)
        return i;
    }

  return TL_NO_INSTANCE;
}

guint32
tl_test_get_instance (TlTrace    *trace,
                      const char *name,
                      guint       copy)
{
  guint32 id = tl_test_find_instance (trace, name, copy);

  if (id == TL_NO_INSTANCE)
    g_error ("no instance %s#%u", name, copy);

  return id;
}

const TlOutcome *
tl_test_outcome (TlTrace    *trace,
                 const char *name,
                 guint       copy)
{
  return tl_trace_get_outcome (trace, tl_test_get_instance (trace, name, copy));
}

gint64
tl_test_section_wall (TlTrace *trace,
                      guint    index)
{
  const TlSection *s = tl_trace_get_section (trace, index);

  return s->end_us - s->start_us;
}

/* The trace's ordering contract: events in time order, except a stall
 * and the BLOCKED states written when the loop runs again; and each
 * instance's own events always in time order. */
void
tl_test_assert_event_order (TlTrace *trace)
{
  g_autofree gint64 *last = g_new0 (gint64, tl_trace_get_n_instances (trace) + 1);
  gint64 latest = 0;

  for (guint i = 0; i < tl_trace_get_n_events (trace); i++)
    {
      const TlEvent *e = tl_trace_get_event (trace, i);
      gboolean retro = e->type == TL_EVENT_LOOP_STALL ||
                       (e->type == TL_EVENT_STATE && e->a == TL_STATE_BLOCKED);

      if (!retro)
        {
          if (e->time_us < latest)
            g_error ("event %u (type %u, a %u, instance %u) at %" G_GINT64_FORMAT
                     " µs comes after one at %" G_GINT64_FORMAT " µs",
                     i, e->type, e->a, e->instance, e->time_us, latest);
          latest = e->time_us;
        }
      if (e->instance != TL_NO_INSTANCE && e->type != TL_EVENT_LOOP_STALL)
        {
          g_assert_cmpint (e->time_us, >=, last[e->instance]);
          last[e->instance] = e->time_us;
        }
    }
}

gsize
tl_test_resident_kib (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);
  return resident * (gsize) sysconf (_SC_PAGESIZE) / 1024;
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
tl_test_count_fds (void)
{
  return count_entries ("/proc/self/fd");
}

guint
tl_test_count_threads (void)
{
  return count_entries ("/proc/self/task");
}

gsize
tl_test_heap_kib (void)
{
#ifdef TL_TEST_ASAN
  return __sanitizer_get_current_allocated_bytes () / 1024;
#else
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / 1024;
#endif
}

gboolean
tl_test_resident_is_meaningful (void)
{
#ifdef TL_TEST_ASAN
  return FALSE;
#else
  return TRUE;
#endif
}

gboolean
tl_test_has_hidden_file (gpointer dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (name[0] == '.')
      return TRUE;
  return FALSE;
}

gboolean
tl_test_no_hidden_file (gpointer dir)
{
  return !tl_test_has_hidden_file (dir);
}

const char tl_test_gather_report[] =
  "tasklanes-probe\t1\t3.11.2\t42\n"
  "task\t10\t1\t-\t0\tsequence\tloop\t9\tmain\tmain()\n"
  "section-start\t11\t0\t1\n"
  "task\t20\t2\t1\t0\tgather\tloop\t10\tgather\tgather(…)\n"
  "waiting\t20\t2\n"
  "task\t20\t3\t2\t0\tsequence\tloop\t10\tfetch\tfetch(1)\n"
  "task\t20\t4\t2\t0\tsequence\tloop\t10\tfetch\tfetch(2)\n"
  "task\t20\t5\t2\t0\tsequence\tloop\t10\tfetch\tfetch(3)\n"
  "step\t5\t1\t25\n"
  "step\t30\t3\t40\n"
  "step\t40\t4\t50\n"
  "step\t50\t5\t60\n"
  "blocked\t400\t4\n"
  "running\t1000\t3\n"
  "ok\t1010\t3\t1\n"
  "running\t1010\t4\n"
  "ok\t1020\t4\t2\n"
  "running\t2000\t5\n"
  "ok\t2010\t5\t3\n"
  "ok\t2010\t2\t[1, 2, 3]\n"
  "running\t2020\t1\n"
  "ok\t2030\t1\tNone\n"
  "section-end\t2040\t0\n";

TlTrace *
tl_test_read_program (const char *lines,
                      gint64      end_us)
{
  g_autoptr(TlPreset) preset = tl_preset_new_for_program ("/tmp/prog.py", NULL);
  TlTrace *trace = tl_trace_new_open (preset);
  TlProbeReader *reader = tl_probe_reader_new (trace);

  tl_probe_reader_feed (reader, lines, strlen (lines));
  tl_probe_reader_finish (reader, end_us, TL_CAUSE_SECTION_END);
  g_assert_cmpuint (tl_probe_reader_get_n_bad_lines (reader), ==, 0);
  tl_probe_reader_free (reader);
  return trace;
}
