/* test-export.c — run report, trace export and CSV, read back
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "export/tl-export.h"
#include "core/tl-json-writer.h"
#include "trace/tl-trace.h"
#include "tl-test-util.h"

#define MS(x) ((gint64) (x) * 1000)

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=export test\n"
  "Run=main\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Label=main, \"quoted\"\n"
  "Children=user;bad;job;get\n"
  "CancelOnError=true\n"
  "\n"
  "[Task user]\n"
  "Kind=sleep\n"
  "Label=fetch_user({i})\n"
  "Duration=1s\n"
  "Repeat=2\n"
  "\n"
  "[Task bad]\n"
  "Kind=sleep\n"
  "Duration=500ms\n"
  "Fail=boom\n"
  "\n"
  "[Task job]\n"
  "Kind=cpu\n"
  "Work=1s\n"
  "On=thread\n"
  "\n"
  "[Task get]\n"
  "Kind=fetch\n"
  "Url=/bytes/100\n";

#define BAD_ERROR    "bad, \"quoted\"\nline\r\nend"
#define ODD_RESULT   "200 OK\t\x01 line\xe2\x80\xa8sep é ✓"

enum { MAIN, USER1, USER2, BAD, JOB, GET, N_IDS };

static guint
spec_index (TlPreset   *preset,
            const char *name)
{
  for (guint i = 0; i < preset->n_tasks; i++)
    if (strcmp (preset->tasks[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
}

/* A small run recorded by hand the way the runner records one, including
 * a loop stall logged after the fact (the one out-of-order case). */
static TlTrace *
record_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "export.tasklanes", &error);
  TlTrace *trace;
  TlHttpDetails *http;
  guint32 ids[N_IDS];

  g_assert_no_error (error);
  trace = tl_trace_new (preset);

  ids[MAIN] = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "main"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, ids[MAIN], 0);
  tl_trace_set_state (trace, ids[MAIN], TL_STATE_WAITING, 0);
  ids[USER1] = tl_trace_add_instance (trace, ids[MAIN], spec_index (preset, "user"), 1, 0, TL_ON_LOOP, 0);
  ids[USER2] = tl_trace_add_instance (trace, ids[MAIN], spec_index (preset, "user"), 2, 0, TL_ON_LOOP, 0);
  ids[BAD] = tl_trace_add_instance (trace, ids[MAIN], spec_index (preset, "bad"), 1, 0, TL_ON_LOOP, 0);
  ids[JOB] = tl_trace_add_instance (trace, ids[MAIN], spec_index (preset, "job"), 1, 0, TL_ON_THREAD, 0);
  ids[GET] = tl_trace_add_instance (trace, ids[MAIN], spec_index (preset, "get"), 1, 0, TL_ON_LOOP, 0);
  for (guint i = USER1; i <= GET; i++)
    g_assert_cmpuint (ids[i], ==, i);

  tl_trace_add_event (trace, 0, TL_EVENT_SPAWNED, ids[MAIN], 0, 0, ids[USER1]);
  tl_trace_set_state (trace, ids[USER1], TL_STATE_WAITING, 0);
  tl_trace_set_state (trace, ids[USER2], TL_STATE_WAITING, 0);
  tl_trace_add_event (trace, 0, TL_EVENT_DEADLINE, ids[USER2], 0, 0, MS (450));
  tl_trace_set_state (trace, ids[BAD], TL_STATE_WAITING, 0);
  tl_trace_set_state (trace, ids[JOB], TL_STATE_QUEUED, 0);
  tl_trace_set_state (trace, ids[GET], TL_STATE_WAITING, 0);
  tl_trace_set_counter (trace, TL_COUNTER_TASKS_WAITING, 5, 0);
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, 1, 0);

  tl_trace_set_state (trace, ids[JOB], TL_STATE_RUNNING, MS (100));
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, 0, MS (100));
  tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, 1, MS (100));

  /* At 350 ms the loop runs again and learns it was held from 200 ms. */
  tl_trace_set_counter (trace, TL_COUNTER_HTTP_IN_FLIGHT, 1, MS (350));
  tl_trace_add_event (trace, MS (200), TL_EVENT_LOOP_STALL, ids[BAD], 0, 0, MS (150));
  tl_trace_set_state (trace, ids[USER1], TL_STATE_BLOCKED, MS (200));
  tl_trace_set_counter (trace, TL_COUNTER_LOOP_LAG_US, MS (150), MS (350));
  tl_trace_set_state (trace, ids[USER1], TL_STATE_WAITING, MS (350));

  http = tl_trace_ensure_http (trace, ids[GET]);
  http->status = 200;
  http->reason = g_strdup ("OK");
  http->url = g_strdup ("http://127.0.0.1:8080/bytes/100");
  http->bytes = 100;
  http->fetch_start_us = 0;
  http->connect_start_us = MS (1);
  http->connect_end_us = MS (2);
  http->request_start_us = MS (2);
  http->request_end_us = MS (3);
  http->first_byte_us = MS (390);
  http->end_us = MS (400);
  tl_trace_set_result (trace, ids[GET], ODD_RESULT);
  tl_trace_set_state (trace, ids[GET], TL_STATE_OK, MS (400));

  /* Taken after the child ended: the arrow still starts inside it. */
  tl_trace_add_event (trace, MS (450), TL_EVENT_TIMEOUT_FIRED, ids[USER2], 0, 0, 0);
  tl_trace_add_event (trace, MS (450), TL_EVENT_RESULT_TAKEN, ids[GET], 0, 0, ids[MAIN]);
  tl_trace_set_cancelled (trace, ids[USER2], TL_STATE_TIMED_OUT, TL_CAUSE_TIMEOUT, ids[USER2], MS (450));

  tl_trace_set_error (trace, ids[BAD], BAD_ERROR);
  tl_trace_add_event (trace, MS (500), TL_EVENT_ERROR_RAISED, ids[BAD], 0, 0, 0);
  tl_trace_set_state (trace, ids[BAD], TL_STATE_FAILED, MS (500));
  tl_trace_add_event (trace, MS (500), TL_EVENT_RESULT_TAKEN, ids[BAD], 0, 0, ids[MAIN]);
  tl_trace_add_event (trace, MS (500), TL_EVENT_CANCEL_REQUEST, ids[USER1], 0, TL_CAUSE_SIBLING_FAILED, ids[BAD]);
  tl_trace_set_cancelled (trace, ids[USER1], TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, ids[BAD], MS (500));
  tl_trace_set_cancelled (trace, ids[JOB], TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, ids[BAD], MS (500));
  tl_trace_add_warning (trace, ids[JOB], TL_WARNING_PENDING_AT_EXIT, "job was still running, \"cancelled\"", MS (500));
  tl_trace_set_error (trace, ids[MAIN], BAD_ERROR);
  tl_trace_set_state (trace, ids[MAIN], TL_STATE_FAILED, MS (500));
  tl_trace_set_counter (trace, TL_COUNTER_TASKS_WAITING, 0, MS (500));
  tl_trace_end_section (trace, 0, MS (500));
  tl_trace_complete (trace, MS (500));

  return trace;
}

static GBytes *
export_to_bytes (TlTrace *trace,
                 gboolean (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **))
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (exporter (trace, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (g_utf8_validate (data, len, NULL));
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return JSON_NODE_HOLDS_NULL (json_object_get_member (object, name));
}

static void
test_report (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GBytes) bytes = export_to_bytes (trace, tl_export_report);
  g_autoptr(JsonNode) root = parse_json (bytes);
  JsonObject *report = json_node_get_object (root);
  JsonArray *sections, *tasks, *warnings, *stalls;
  JsonObject *section, *loop, *http;
  gboolean seen[N_IDS] = { FALSE };

  g_assert_cmpint (json_object_get_int_member (report, "format"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (report, "preset"), ==, "export test");
  g_assert_cmpstr (json_object_get_string_member (report, "file"), ==, "export.tasklanes");

  sections = json_object_get_array_member (report, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 1);
  section = json_array_get_object_element (sections, 0);
  g_assert_cmpstr (json_object_get_string_member (section, "root"), ==, "main");
  g_assert_cmpstr (json_object_get_string_member (section, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (section, "error"), ==, BAD_ERROR);
  g_assert_cmpint (json_object_get_int_member (section, "start_us"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (section, "end_us"), ==, MS (500));
  {
    JsonObject *counts = json_object_get_object_member (section, "counts");

    g_assert_cmpint (json_object_get_int_member (counts, "ok"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (counts, "cancelled"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (counts, "timed-out"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (counts, "never-started"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (section, "warnings"), ==, 1);
  }

  tasks = json_object_get_array_member (report, "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, N_IDS);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);
      gint64 id = json_object_get_int_member (task, "id");
      gint64 created = json_object_get_int_member (task, "created_us");

      g_assert_cmpint (id, >=, 0);
      g_assert_cmpint (id, <, N_IDS);
      g_assert_false (seen[id]);
      seen[id] = TRUE;

      g_assert_cmpstr (json_object_get_string_member (task, "section"), ==, "main");
      if (!member_is_null (task, "started_us"))
        {
          gint64 started = json_object_get_int_member (task, "started_us");
          gint64 finished = json_object_get_int_member (task, "finished_us");

          g_assert_cmpint (created, <=, started);
          g_assert_cmpint (started, <=, finished);
        }
      if (id == MAIN)
        g_assert_true (member_is_null (task, "parent"));
      else
        g_assert_cmpint (json_object_get_int_member (task, "parent"), ==, MAIN);
    }
  for (guint i = 0; i < N_IDS; i++)
    g_assert_true (seen[i]);

  {
    JsonObject *user2 = json_array_get_object_element (tasks, USER2);
    JsonObject *user1 = json_array_get_object_element (tasks, USER1);
    JsonObject *job = json_array_get_object_element (tasks, JOB);
    JsonObject *get = json_array_get_object_element (tasks, GET);
    JsonObject *main_task = json_array_get_object_element (tasks, MAIN);

    g_assert_cmpstr (json_object_get_string_member (main_task, "label"), ==, "main, \"quoted\"");
    g_assert_cmpstr (json_object_get_string_member (main_task, "kind"), ==, "gather");
    g_assert_cmpstr (json_object_get_string_member (user2, "label"), ==, "fetch_user(2)");
    g_assert_cmpint (json_object_get_int_member (user2, "copy"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (user2, "status"), ==, "timed-out");
    g_assert_cmpstr (json_object_get_string_member (user2, "cause"), ==, "timeout");
    g_assert_cmpint (json_object_get_int_member (user2, "deadline_us"), ==, MS (450));
    g_assert_cmpstr (json_object_get_string_member (user1, "status"), ==, "cancelled");
    g_assert_cmpstr (json_object_get_string_member (user1, "cause"), ==, "sibling-failed");
    g_assert_cmpint (json_object_get_int_member (user1, "cancelled_by"), ==, BAD);
    g_assert_cmpstr (json_object_get_string_member (job, "on"), ==, "thread");
    g_assert_cmpint (json_object_get_int_member (job, "queued_us"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (job, "started_us"), ==, MS (100));
    g_assert_true (member_is_null (user1, "queued_us"));
    g_assert_cmpstr (json_object_get_string_member (get, "result"), ==, ODD_RESULT);
    g_assert_true (member_is_null (get, "error"));
    g_assert_true (member_is_null (get, "cause"));

    http = json_object_get_object_member (get, "http");
    g_assert_nonnull (http);
    g_assert_cmpint (json_object_get_int_member (http, "status"), ==, 200);
    g_assert_cmpint (json_object_get_int_member (http, "bytes"), ==, 100);
    g_assert_cmpint (json_object_get_int_member (http, "connect_us"), ==, MS (1));
    g_assert_cmpint (json_object_get_int_member (http, "request_us"), ==, MS (1));
    g_assert_cmpint (json_object_get_int_member (http, "first_byte_us"), ==, MS (390));
    g_assert_cmpint (json_object_get_int_member (http, "end_us"), ==, MS (400));
    /* Phases that did not apply are left out. */
    g_assert_false (json_object_has_member (http, "dns_us"));
    g_assert_false (json_object_has_member (http, "tls_us"));
    g_assert_false (json_object_has_member (user1, "http"));
  }

  warnings = json_object_get_array_member (report, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (warnings, 0), "task"), ==, JOB);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (warnings, 0), "code"), ==, "pending-at-exit");

  loop = json_object_get_object_member (report, "loop");
  g_assert_cmpint (json_object_get_int_member (loop, "max_lag_us"), ==, MS (150));
  stalls = json_object_get_array_member (loop, "stalls");
  g_assert_cmpuint (json_array_get_length (stalls), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (stalls, 0), "start_us"), ==, MS (200));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (stalls, 0), "duration_us"), ==, MS (150));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (stalls, 0), "task"), ==, BAD);
}

typedef struct {
  gint64 start;
  gint64 end;
} Span;

static void
test_trace_export (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GBytes) bytes = export_to_bytes (trace, tl_export_trace);
  g_autoptr(JsonNode) root = parse_json (bytes);
  g_autoptr(GHashTable) flows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  JsonObject *doc = json_node_get_object (root);
  JsonArray *events;
  Span lives[N_IDS];
  gint64 last_phase_end[N_IDS];
  gboolean named[N_IDS + 1] = { FALSE };
  gboolean metadata_done = FALSE;
  gint64 last_ts = 0;
  guint n_lives = 0, n_phases = 0, n_counters = 0, n_instants = 0;
  guint n_flow_start = 0, n_flow_finish = 0;

  for (guint i = 0; i < N_IDS; i++)
    {
      lives[i].start = lives[i].end = -1;
      last_phase_end[i] = -1;
    }

  g_assert_cmpstr (json_object_get_string_member (doc, "displayTimeUnit"), ==, "ms");
  g_assert_nonnull (json_object_get_object_member (doc, "otherData"));
  events = json_object_get_array_member (doc, "traceEvents");
  g_assert_nonnull (events);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      gint64 pid = json_object_get_int_member (event, "pid");
      gint64 tid = json_object_get_int_member (event, "tid");
      gint64 ts;

      if (strcmp (ph, "M") == 0)
        {
          g_assert_false (metadata_done);
          g_assert_false (json_object_has_member (event, "ts"));
          if (strcmp (json_object_get_string_member (event, "name"), "thread_name") == 0)
            {
              g_assert_cmpint (pid, ==, 1);
              g_assert_cmpint (tid, <=, N_IDS);
              named[tid] = TRUE;
            }
          continue;
        }

      metadata_done = TRUE;
      ts = json_object_get_int_member (event, "ts");
      g_assert_cmpint (ts, >=, 0);
      g_assert_cmpint (ts, >=, last_ts);
      last_ts = ts;

      if (strcmp (ph, "X") == 0)
        {
          gint64 dur = json_object_get_int_member (event, "dur");
          const char *cat = json_object_get_string_member (event, "cat");

          g_assert_cmpint (dur, >=, 0);
          if (strcmp (cat, "task") == 0)
            {
              gint64 id = tid - 1;

              g_assert_cmpint (id, >=, 0);
              g_assert_cmpint (id, <, N_IDS);
              g_assert_cmpint (lives[id].start, ==, -1);
              lives[id].start = ts;
              lives[id].end = ts + dur;
              n_lives++;
            }
          else if (strcmp (cat, "state") == 0)
            {
              gint64 id = tid - 1;

              g_assert_cmpint (id, >=, 0);
              g_assert_cmpint (id, <, N_IDS);
              /* Inside the task's own slice, which came first. */
              g_assert_cmpint (lives[id].start, >=, 0);
              g_assert_cmpint (ts, >=, lives[id].start);
              g_assert_cmpint (ts + dur, <=, lives[id].end);
              g_assert_cmpint (dur, >, 0);
              /* Never overlapping the previous phase on this lane. */
              g_assert_cmpint (ts, >=, last_phase_end[id]);
              last_phase_end[id] = ts + dur;
              n_phases++;
            }
          else
            {
              g_assert_cmpstr (cat, ==, "loop");
              g_assert_cmpint (tid, ==, 0);
              g_assert_cmpint (ts, ==, MS (200));
              g_assert_cmpint (dur, ==, MS (150));
            }
        }
      else if (strcmp (ph, "s") == 0 || strcmp (ph, "f") == 0)
        {
          gint64 id = json_object_get_int_member (event, "id");
          const char *name = json_object_get_string_member (event, "name");

          if (ph[0] == 's')
            {
              gint64 *key = g_new (gint64, 1);

              *key = id;
              g_assert_false (g_hash_table_contains (flows, key));
              g_hash_table_insert (flows, key, g_strdup_printf ("%s/%" G_GINT64_FORMAT, name, tid));
              n_flow_start++;
            }
          else
            {
              const char *start = g_hash_table_lookup (flows, &id);
              g_autofree char *prefix = g_strdup_printf ("%s/", name);
              g_autofree char *same_lane = g_strdup_printf ("%s/%" G_GINT64_FORMAT, name, tid);

              /* The start came first, with the same name, on another lane. */
              g_assert_nonnull (start);
              g_assert_true (g_str_has_prefix (start, prefix));
              g_assert_cmpstr (start, !=, same_lane);
              g_assert_cmpstr (json_object_get_string_member (event, "bp"), ==, "e");
              g_hash_table_remove (flows, &id);
              n_flow_finish++;
            }

          /* Each end lies inside its lane's task slice. */
          g_assert_cmpint (tid, >=, 1);
          g_assert_cmpint (lives[tid - 1].start, >=, 0);
          g_assert_cmpint (ts, >=, lives[tid - 1].start);
          g_assert_cmpint (ts, <=, lives[tid - 1].end);
        }
      else if (strcmp (ph, "C") == 0)
        {
          JsonObject *args = json_object_get_object_member (event, "args");

          g_assert_true (json_object_has_member (args, "value"));
          n_counters++;
        }
      else if (strcmp (ph, "i") == 0)
        {
          n_instants++;
        }
      else
        {
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (n_lives, ==, N_IDS);
  for (guint i = 0; i <= N_IDS; i++)
    g_assert_true (named[i]);
  /* spawn, two results taken, two cancelled by the failed sibling */
  g_assert_cmpuint (n_flow_start, ==, 5);
  g_assert_cmpuint (n_flow_finish, ==, 5);
  g_assert_cmpuint (g_hash_table_size (flows), ==, 0);
  g_assert_cmpuint (n_counters, ==, 7);
  g_assert_cmpuint (n_phases, >=, 8);
  /* section start/end, stall, timeout, 2× cancelled, timed out, error,
   * cancel request, warning */
  g_assert_cmpuint (n_instants, ==, 10);
}

/* A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF rows. */
static GPtrArray *
parse_csv (const char *data,
           gsize       len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gsize i = 0;

  while (i < len)
    {
      if (data[i] == '"' && field->len == 0)
        {
          i++;
          for (;;)
            {
              g_assert_cmpuint (i, <, len);
              if (data[i] == '"')
                {
                  if (i + 1 < len && data[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (field, data[i++]);
            }
          g_assert_true (i == len || data[i] == ',' || data[i] == '\r');
        }
      else if (data[i] == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          i++;
        }
      else if (data[i] == '\r')
        {
          g_assert_cmpint (data[i + 1], ==, '\n');
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          i += 2;
        }
      else
        {
          g_assert_cmpint (data[i], !=, '\n');
          g_assert_cmpint (data[i], !=, '"');
          g_string_append_c (field, data[i++]);
        }
    }

  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (row->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

static int
column (GPtrArray  *header,
        const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (strcmp (g_ptr_array_index (header, i), name) == 0)
      return (int) i;
  g_assert_not_reached ();
}

static void
test_csv (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GBytes) bytes = export_to_bytes (trace, tl_export_csv);
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *header, *bad, *main_row, *user1;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  rows = parse_csv (data, len);
  g_assert_cmpuint (rows->len, ==, N_IDS + 1);
  header = g_ptr_array_index (rows, 0);
  for (guint r = 1; r < rows->len; r++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, r))->len, ==, header->len);

  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "id");
  bad = g_ptr_array_index (rows, 1 + BAD);
  main_row = g_ptr_array_index (rows, 1 + MAIN);
  user1 = g_ptr_array_index (rows, 1 + USER1);
  g_assert_cmpstr (g_ptr_array_index (bad, column (header, "error")), ==, BAD_ERROR);
  g_assert_cmpstr (g_ptr_array_index (bad, column (header, "status")), ==, "failed");
  g_assert_cmpstr (g_ptr_array_index (bad, column (header, "finished_us")), ==, "500000");
  g_assert_cmpstr (g_ptr_array_index (main_row, column (header, "label")), ==, "main, \"quoted\"");
  g_assert_cmpstr (g_ptr_array_index (main_row, column (header, "parent")), ==, "");
  g_assert_cmpstr (g_ptr_array_index (user1, column (header, "parent")), ==, "0");
  g_assert_cmpstr (g_ptr_array_index (user1, column (header, "cancelled_by")), ==, "3");
  g_assert_cmpstr (g_ptr_array_index (user1, column (header, "queued_us")), ==, "");
  {
    GPtrArray *get = g_ptr_array_index (rows, 1 + GET);

    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_status")), ==, "200");
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "result")), ==, ODD_RESULT);
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_url")), ==, "http://127.0.0.1:8080/bytes/100");
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_connect_us")), ==, "1000");
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_dns_us")), ==, "");
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_end_us")), ==, "400000");
    g_assert_cmpstr (g_ptr_array_index (get, column (header, "http_reused")), ==, "false");
    g_assert_cmpstr (g_ptr_array_index (user1, column (header, "http_reused")), ==, "");
  }
}

/* Strings of any content, valid UTF-8 or not, leave valid JSON. */
static void
test_json_escaping (void)
{
  static const char * const samples[] = {
    "plain",
    "quote \" backslash \\ slash /",
    "\x01\x02\x1f\x7f control",
    "tab\tnewline\nreturn\r",
    "한국어 ✓ ⏱ \xf0\x9f\x98\x80",
    "\xe2\x80\xa8\xe2\x80\xa9",
    "",
  };
  static const struct { const char *in; const char *out; } invalid[] = {
    { "bad \xff byte", "bad \xef\xbf\xbd byte" },
    { "cut \xe2\x80", "cut \xef\xbf\xbd\xef\xbf\xbd" },
    { "\xc0\xaf overlong", "\xef\xbf\xbd\xef\xbf\xbd overlong" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GString) json = g_string_new (NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_string_append (json, "[");
      tl_json_append_escaped (json, samples[i]);
      g_string_append (json, "]");
      for (gsize j = 0; j < json->len; j++)
        g_assert_cmpint ((guchar) json->str[j], >=, 0x20);
      json_parser_load_from_data (parser, json->str, json->len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (json_parser_get_root (parser)), 0),
                       ==, samples[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GString) json = g_string_new ("[");
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      tl_json_append_escaped (json, invalid[i].in);
      g_string_append (json, "]");
      g_assert_true (g_utf8_validate (json->str, json->len, NULL));
      json_parser_load_from_data (parser, json->str, json->len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (json_parser_get_root (parser)), 0),
                       ==, invalid[i].out);
    }
}

static gboolean
failing_exporter (TlTrace        *trace,
                  GOutputStream  *stream,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_output_stream_write_all (stream, "{\"half\":", 8, NULL, cancellable, NULL);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
  return FALSE;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_to_path (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);
  path = g_build_filename (dir, "report.json", NULL);

  g_assert_true (tl_export_to_path (trace, tl_export_report, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"format\":1,"));
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* A failed export leaves the old file alone and no half file behind. */
  g_assert_false (tl_export_to_path (trace, failing_exporter, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "report.json"));
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  {
    g_autofree char *again = NULL;
    g_assert_true (g_file_get_contents (path, &again, NULL, NULL));
    g_assert_cmpstr (again, ==, contents);
  }

  missing = g_build_filename (dir, "no-such-folder", "trace.json", NULL);
  g_assert_false (tl_export_to_path (trace, tl_export_trace, missing, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* A phase that took no time is a phase all the same: 0, not left out;
 * and a field holding a lone carriage return is quoted in CSV (RFC 4180
 * counts CR as a line break). */
static void
test_zero_phases_and_lone_cr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (
    "[Preset]\nFormat=1\nName=z\nRun=get\n\n[Task get]\nKind=fetch\nUrl=/users/1\n",
    -1, "zero.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) report = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *report_text = NULL;
  TlHttpDetails *http;
  guint32 id;

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  id = tl_trace_add_instance (trace, TL_NO_INSTANCE, 0, 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, id, 0);
  tl_trace_set_state (trace, id, TL_STATE_WAITING, 0);
  http = tl_trace_ensure_http (trace, id);
  http->status = 200;
  http->reason = g_strdup ("OK");
  http->url = g_strdup ("http://127.0.0.1:8080/users/1");
  http->bytes = 10;
  http->fetch_start_us = MS (1);
  http->dns_start_us = MS (1);
  http->dns_end_us = MS (1);
  http->connect_start_us = MS (1);
  http->connect_end_us = MS (1);
  http->request_start_us = MS (1);
  http->request_end_us = MS (2);
  http->first_byte_us = MS (3);
  http->end_us = MS (3);
  tl_trace_set_result (trace, id, "line\rover");
  tl_trace_set_state (trace, id, TL_STATE_OK, MS (3));
  tl_trace_end_section (trace, 0, MS (3));
  tl_trace_complete (trace, MS (3));

  csv = export_to_bytes (trace, tl_export_csv);
  csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_test_message ("%s", csv_text);
  g_assert_nonnull (strstr (csv_text, ",\"line\rover\","));
  /* http_start_us 1000, dns 0, connect 0, no TLS, request 1000. */
  g_assert_nonnull (strstr (csv_text, ",1000,0,0,,1000,3000,3000\r\n"));

  report = export_to_bytes (trace, tl_export_report);
  report_text = g_strndup (g_bytes_get_data (report, NULL), g_bytes_get_size (report));
  g_assert_nonnull (strstr (report_text, "\"dns_us\":0,"));
  g_assert_nonnull (strstr (report_text, "\"connect_us\":0,"));
  g_assert_null (strstr (report_text, "\"tls_us\""));
}

static char *interrupted_dir;

/* As if a signal came midway: the program's handler sweeps the hidden
 * files away. */
static gboolean
interrupted_exporter (TlTrace        *trace,
                      GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_output_stream_write_all (stream, "{\"half\":", 8, NULL, cancellable, NULL);
  g_assert_cmpuint (count_files (interrupted_dir), ==, 1);
  g_assert_cmpuint (tl_export_remove_temporaries (), ==, 1);
  g_assert_cmpuint (count_files (interrupted_dir), ==, 0);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted");
  return FALSE;
}

static void
test_interrupted (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(TlTrace) trace = record_run ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      interrupted_dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (interrupted_dir, "trace.json", NULL);
      g_assert_false (tl_export_to_path (trace, interrupted_exporter, path, &error));
      g_clear_error (&error);
      g_assert_cmpuint (count_files (interrupted_dir), ==, 0);

      /* The program is ending: no export starts a new hidden file. */
      g_assert_false (tl_export_to_path (trace, tl_export_report, path, &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (count_files (interrupted_dir), ==, 0);
      g_assert_cmpint (g_rmdir (interrupted_dir), ==, 0);
      g_free (interrupted_dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A file the user may not write is refused the way the shell's ">"
 * refuses it, never replaced by a rename; root may write anything, so the
 * check runs as an ordinary user. */
static void
test_read_only_target (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(TlTrace) trace = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;

      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      trace = record_run ();
      dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "report.json", NULL);
      g_assert_true (g_file_set_contents (path, "mine\n", -1, NULL));
      g_assert_cmpint (g_chmod (path, 0444), ==, 0);

      g_assert_false (tl_export_check_path (path, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "Permission denied"));
      g_clear_error (&error);

      g_assert_false (tl_export_to_path (trace, tl_export_report, path, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "report.json"));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "mine\n");
      g_assert_cmpuint (file_mode (path) & 0777, ==, 0444);
      g_assert_cmpuint (count_files (dir), ==, 1);

      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_kernel_file (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_export_check_path ("/proc/self/mem", &error));
  g_assert_nonnull (strstr (error->message, "/proc/self/mem"));
  g_assert_nonnull (strstr (error->message, "not a document"));
  g_clear_error (&error);
  g_assert_false (tl_export_to_path (trace, tl_export_csv, "/proc/self/mem", &error));
  g_assert_nonnull (strstr (error->message, "not a document"));
}

/* Exports go through symbolic links and into FIFOs and devices; they
 * never replace what the user named with a regular file. */
static void
test_to_path_special (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-export-XXXXXX", &error);
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.json", NULL);
  g_autofree char *later = g_build_filename (dir, "later.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.json", NULL);
  g_autofree char *contents = NULL;
  char buffer[64] = { 0 };
  mode_t old_mask;
  int fd;

  g_assert_no_error (error);

  /* A link to an existing file: the target gets the export. */
  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0640), ==, 0);
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_true (tl_export_to_path (trace, tl_export_report, link, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (file_mode (link)));
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"format\":1,"));
  g_clear_pointer (&contents, g_free);
  /* Replacing a file keeps its permissions. */
  g_assert_cmpuint (file_mode (real) & 0777, ==, 0640);

  /* A dangling link: its target is created. */
  g_assert_cmpint (symlink ("later.json", dangling), ==, 0);
  g_assert_true (tl_export_to_path (trace, tl_export_csv, dangling, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (file_mode (dangling)));
  g_assert_true (S_ISREG (file_mode (later)));

  /* A FIFO with a reader: written to, not replaced. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  fd = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (tl_export_to_path (trace, tl_export_report, fifo, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISFIFO (file_mode (fifo)));
  g_assert_cmpint (read (fd, buffer, sizeof buffer - 1), >, 10);
  g_assert_true (g_str_has_prefix (buffer, "{\"format\":1,"));
  close (fd);

  /* A link through /proc/self/fd to a pipe, like /dev/stdout: the pipe
   * gets the export, though "pipe:[N]" is no real path. */
  {
    g_autofree char *pipe_link = g_build_filename (dir, "stdout.json", NULL);
    g_autofree char *target = NULL;
    int fds[2];

    g_assert_cmpint (pipe (fds), ==, 0);
    target = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
    g_assert_cmpint (symlink (target, pipe_link), ==, 0);
    g_assert_true (tl_export_check_path (pipe_link, &error));
    g_assert_no_error (error);
    g_assert_true (tl_export_to_path (trace, tl_export_report, pipe_link, &error));
    g_assert_no_error (error);
    memset (buffer, 0, sizeof buffer);
    g_assert_cmpint (read (fds[0], buffer, sizeof buffer - 1), >, 10);
    g_assert_true (g_str_has_prefix (buffer, "{\"format\":1,"));
    close (fds[0]);
    close (fds[1]);
    g_assert_true (S_ISLNK (file_mode (pipe_link)));
    g_unlink (pipe_link);
  }

  /* A new file follows the umask, without the export changing it. */
  old_mask = umask (027);
  g_assert_true (tl_export_to_path (trace, tl_export_trace, fresh, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (umask (old_mask), ==, 027);
  g_assert_cmpuint (file_mode (fresh) & 0777, ==, 0640);

  /* The up-front check names what is wrong. */
  g_assert_true (tl_export_check_path (fresh, &error));
  g_assert_no_error (error);
  g_assert_true (tl_export_check_path (fifo, &error));
  g_assert_no_error (error);
  g_assert_false (tl_export_check_path (dir, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);
  {
    g_autofree char *under_file = g_build_filename (real, "x.json", NULL);

    g_assert_false (tl_export_check_path (under_file, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
    g_assert_nonnull (strstr (error->message, "real.json"));
    g_clear_error (&error);
  }
  g_assert_cmpuint (count_files (dir), ==, 6);

  g_unlink (real);
  g_unlink (link);
  g_unlink (dangling);
  g_unlink (later);
  g_unlink (fifo);
  g_unlink (fresh);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* On the real clock a cancel lands a few µs after its source ended (the
 * failed sibling, the root that returned): the arrow must still start
 * inside the source's slice, or viewers drop it. */
static void
test_late_cancel_flows (void)
{
  static const char text[] =
    "[Preset]\nFormat=1\nName=late\nRun=main\n"
    "[Task main]\nKind=gather\nChildren=bad;slow;left\nCancelOnError=true\n"
    "[Task bad]\nKind=sleep\nDuration=500ms\nFail=boom\n"
    "[Task slow]\nKind=sleep\nDuration=1s\n"
    "[Task left]\nKind=sleep\nDuration=1s\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (text, -1, "late.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) lives = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  JsonArray *events;
  guint32 main_id, bad, slow, left;
  guint n_starts = 0, n_ends = 0;

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  main_id = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "main"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, main_id, 0);
  tl_trace_set_state (trace, main_id, TL_STATE_WAITING, 0);
  bad = tl_trace_add_instance (trace, main_id, spec_index (preset, "bad"), 1, 0, TL_ON_LOOP, 0);
  slow = tl_trace_add_instance (trace, main_id, spec_index (preset, "slow"), 1, 0, TL_ON_LOOP, 0);
  left = tl_trace_add_instance (trace, main_id, spec_index (preset, "left"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, bad, TL_STATE_WAITING, 0);
  tl_trace_set_state (trace, slow, TL_STATE_WAITING, 0);
  tl_trace_set_state (trace, left, TL_STATE_WAITING, 0);

  tl_trace_set_error (trace, bad, "boom");
  tl_trace_set_state (trace, bad, TL_STATE_FAILED, MS (500));
  /* The gather hears of it on the next turn, 6 µs later. */
  tl_trace_set_cancelled (trace, slow, TL_STATE_CANCELLED, TL_CAUSE_SIBLING_FAILED, bad, MS (500) + 6);
  tl_trace_set_error (trace, main_id, "boom");
  tl_trace_set_state (trace, main_id, TL_STATE_FAILED, MS (500) + 8);
  /* The section's end cancels the leftover after the root returned. */
  tl_trace_set_cancelled (trace, left, TL_STATE_CANCELLED, TL_CAUSE_SECTION_END, main_id, MS (500) + 20);
  tl_trace_end_section (trace, 0, MS (500) + 20);
  tl_trace_complete (trace, MS (500) + 20);

  bytes = export_to_bytes (trace, tl_export_trace);
  root = parse_json (bytes);
  events = json_object_get_array_member (json_node_get_object (root), "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");

      if (ph[0] == 'X' && g_strcmp0 (json_object_get_string_member (event, "cat"), "task") == 0)
        {
          gint64 *key = g_new (gint64, 1);
          gint64 *span = g_new (gint64, 2);

          *key = json_object_get_int_member (event, "tid");
          span[0] = json_object_get_int_member (event, "ts");
          span[1] = span[0] + json_object_get_int_member (event, "dur");
          g_hash_table_insert (lives, key, span);
        }
      else if ((ph[0] == 's' || ph[0] == 'f') &&
               g_strcmp0 (json_object_get_string_member (event, "cat"), "cancel") == 0)
        {
          gint64 tid = json_object_get_int_member (event, "tid");
          gint64 ts = json_object_get_int_member (event, "ts");
          gint64 *life = g_hash_table_lookup (lives, &tid);

          g_assert_nonnull (life);
          if (ts < life[0] || ts > life[1])
            g_error ("flow %s at %" G_GINT64_FORMAT " outside lane %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
                     "–%" G_GINT64_FORMAT ")", ph, ts, tid, life[0], life[1]);
          if (ph[0] == 's')
            n_starts++;
          else
            n_ends++;
        }
    }
  g_assert_cmpuint (n_starts, ==, 2);
  g_assert_cmpuint (n_ends, ==, 2);
}

static void
test_stream_error (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_close (stream, NULL, NULL);
  g_assert_false (tl_export_trace (trace, stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "export.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  gboolean (*exporters[]) (TlTrace *, GOutputStream *, GCancellable *, GError **) = {
    tl_export_report, tl_export_trace, tl_export_csv,
  };

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "main"), 1, 0, TL_ON_LOOP, 0);

  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    {
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

      g_assert_false (exporters[i] (trace, stream, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
      g_clear_error (&error);
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), ==, 0);
    }
}

/* An export streams: its size grows with the run, the memory held while
 * writing does not hold the document. */
static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "export.tasklanes", &error);
  g_autoptr(TlTrace) trace = NULL;
  guint user = spec_index (preset, "user");
  guint32 root;
  const guint n = g_test_slow () ? 1000000 : 100000;
  gint64 t0;

  g_assert_no_error (error);
  trace = tl_trace_new (preset);
  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, spec_index (preset, "main"), 1, 0, TL_ON_LOOP, 0);
  tl_trace_begin_section (trace, 0, root, 0);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 0);
  for (guint i = 0; i < n; i++)
    {
      guint32 id = tl_trace_add_instance (trace, root, user, i + 1, 0, TL_ON_LOOP, i / 10);
      tl_trace_set_state (trace, id, TL_STATE_WAITING, i / 10);
    }
  for (guint i = 0; i < n; i++)
    {
      tl_trace_set_result (trace, 1 + i, "done");
      tl_trace_set_state (trace, 1 + i, TL_STATE_OK, G_USEC_PER_SEC + i / 10);
      tl_trace_add_event (trace, G_USEC_PER_SEC + i / 10, TL_EVENT_RESULT_TAKEN, 1 + i, 0, 0, root);
    }
  tl_trace_set_state (trace, root, TL_STATE_OK, 2 * G_USEC_PER_SEC);
  tl_trace_end_section (trace, 0, 2 * G_USEC_PER_SEC);
  tl_trace_complete (trace, 2 * G_USEC_PER_SEC);

  /* Writing to a stream that keeps nothing. */
  {
    g_autoptr(GFile) devnull = g_file_new_for_path ("/dev/null");
    g_autoptr(GFileOutputStream) out = g_file_append_to (devnull, G_FILE_CREATE_NONE, NULL, &error);

    g_assert_no_error (error);
    t0 = g_get_monotonic_time ();
    g_assert_true (tl_export_trace (trace, G_OUTPUT_STREAM (out), NULL, &error));
    g_assert_no_error (error);
    g_test_message ("trace export of %u instances: %.2f s", n,
                    (g_get_monotonic_time () - t0) / 1e6);
    t0 = g_get_monotonic_time ();
    g_assert_true (tl_export_report (trace, G_OUTPUT_STREAM (out), NULL, &error));
    g_assert_true (tl_export_csv (trace, G_OUTPUT_STREAM (out), NULL, &error));
    g_assert_no_error (error);
    g_test_message ("report and CSV of %u instances: %.2f s", n,
                    (g_get_monotonic_time () - t0) / 1e6);
  }
}

/* The exports of fixed runs, byte for byte: the run recorded above and
 * builtin presets run on the virtual clock by the tasklanes binary. The
 * files in tests/data/export were written by the exporters before they
 * were rewritten for speed; a change of format updates them on purpose
 * (TL_EXPORT_GOLDEN_UPDATE=DIR writes the current output to DIR). */
static const char * const golden_builtins[] = {
  "await-basics", "blocking-on-loop", "cpu-bound-gil", "cpu-in-processes",
  "create-task", "executor-threads", "gather-error",
  "gather-return-exceptions", "never-awaited", "task-exception", "timeout",
  "wait-first-completed", "wait-for", "wait-timeout",
};

static const char * const golden_kinds[] = { "report.json", "trace.json", "csv" };

/* The generator field names the version: the golden files say VERSION. */
static char *
golden_normalize (const char *data,
                  gsize       len)
{
  g_autoptr(GString) text = g_string_new_len (data, len);

  g_string_replace (text, "\"tasklanes " PACKAGE_VERSION "\"", "\"tasklanes VERSION\"", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
golden_check (const char *name,
              const char *kind,
              const char *data,
              gsize       len)
{
  g_autofree char *file = g_strdup_printf ("%s.%s", name, kind);
  g_autofree char *path = tl_test_dup_srcdir_path ("data", "export", file, NULL);
  g_autofree char *actual = golden_normalize (data, len);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *update = g_getenv ("TL_EXPORT_GOLDEN_UPDATE");

  if (update != NULL)
    {
      g_autofree char *out = g_build_filename (update, file, NULL);
      g_assert_true (g_file_set_contents (out, actual, -1, &error));
      g_assert_no_error (error);
    }

  g_assert_true (g_file_get_contents (path, &expected, NULL, &error));
  g_assert_no_error (error);
  if (strcmp (expected, actual) != 0)
    {
      gsize at = 0;

      while (expected[at] != '\0' && expected[at] == actual[at])
        at++;
      g_test_message ("%s differs from its golden file at byte %" G_GSIZE_FORMAT ": “%.60s” instead of “%.60s”",
                      file, at, actual + at, expected + at);
    }
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_golden (void)
{
  g_autoptr(TlTrace) trace = record_run ();
  gboolean (*exporters[]) (TlTrace *, GOutputStream *, GCancellable *, GError **) = {
    tl_export_report, tl_export_trace, tl_export_csv,
  };
  const char *binary = g_getenv ("TASKLANES_BINARY");
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (golden_kinds); k++)
    {
      g_autoptr(GBytes) bytes = export_to_bytes (trace, exporters[k]);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      golden_check ("recorded", golden_kinds[k], data, len);
    }

  g_assert_nonnull (binary);
  dir = g_dir_make_tmp ("tasklanes-golden-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint b = 0; b < G_N_ELEMENTS (golden_builtins); b++)
    {
      g_autofree char *preset = g_strconcat ("builtin:", golden_builtins[b], NULL);
      char *paths[G_N_ELEMENTS (golden_kinds)] = { NULL };
      g_auto(GStrv) envp = g_get_environ ();
      int status = -1;

      for (guint k = 0; k < G_N_ELEMENTS (golden_kinds); k++)
        paths[k] = g_strdup_printf ("%s/%s.%s", dir, golden_builtins[b], golden_kinds[k]);
      {
        const char *argv[] = {
          binary, "--headless", preset, "--virtual-time", "--quiet",
          "--report", paths[0], "--trace", paths[1], "--csv", paths[2], NULL,
        };

        envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
        envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
        g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL,
                                     NULL, NULL, NULL, NULL, &status, &error));
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, &error));
        g_assert_no_error (error);
      }
      for (guint k = 0; k < G_N_ELEMENTS (golden_kinds); k++)
        {
          g_autofree char *data = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (paths[k], &data, &len, &error));
          g_assert_no_error (error);
          golden_check (golden_builtins[b], golden_kinds[k], data, len);
          g_unlink (paths[k]);
          g_free (paths[k]);
        }
    }
  g_rmdir (dir);
}

static void
count_created_cb (GFileMonitor      *monitor,
                  GFile             *file,
                  GFile             *other,
                  GFileMonitorEvent  event,
                  gpointer           user_data)
{
  if (event == G_FILE_MONITOR_EVENT_CREATED)
    (*(guint *) user_data)++;
}

/* The up-front check of an export's folder leaves no name in it, not even
 * for a moment: a SIGTERM then (before the program can clean up) would
 * leave a hidden file behind. Watched with inotify, which sees every name
 * made; a file written afterwards shows the watch works. */
static void
test_check_path_makes_no_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-check-XXXXXX", &error);
  g_autofree char *target = g_build_filename (dir, "report.json", NULL);
  g_autofree char *witness = g_build_filename (dir, "witness", NULL);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  guint created = 0;
  gint64 end;

  g_assert_no_error (error);
  folder = g_file_new_for_path (dir);
  monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_NONE, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (monitor, "changed", G_CALLBACK (count_created_cb), &created);

  for (guint i = 0; i < 50; i++)
    {
      g_assert_true (tl_export_check_path (target, &error));
      g_assert_no_error (error);
    }
  /* One name made directly (g_file_set_contents() would make two). */
  g_assert_cmpint (close (g_open (witness, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)), ==, 0);

  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (created == 0 && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  /* A little longer, in case more than the witness arrives. */
  for (guint i = 0; i < 100; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_cmpuint (created, ==, 1);
  g_file_monitor_cancel (monitor);
  g_unlink (witness);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/export/report", test_report);
  g_test_add_func ("/engine/export/trace", test_trace_export);
  g_test_add_func ("/engine/export/csv", test_csv);
  g_test_add_func ("/engine/export/json-escaping", test_json_escaping);
  g_test_add_func ("/engine/export/to-path", test_to_path);
  g_test_add_func ("/engine/export/to-path-special", test_to_path_special);
  g_test_add_func ("/engine/export/interrupted", test_interrupted);
  g_test_add_func ("/engine/export/zero-phases-and-lone-cr", test_zero_phases_and_lone_cr);
  g_test_add_func ("/engine/export/read-only-target", test_read_only_target);
  g_test_add_func ("/engine/export/kernel-file", test_kernel_file);
  g_test_add_func ("/engine/export/late-cancel-flows", test_late_cancel_flows);
  g_test_add_func ("/engine/export/stream-error", test_stream_error);
  g_test_add_func ("/engine/export/incomplete", test_incomplete);
  g_test_add_func ("/engine/export/large", test_large);
  g_test_add_func ("/engine/export/golden", test_golden);
  g_test_add_func ("/engine/export/check-path-makes-no-file", test_check_path_makes_no_file);

  return g_test_run ();
}
