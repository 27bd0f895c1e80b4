/* test-export-lanes.c — the trace's lanes: named where events are, in tree order
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs every builtin preset that runs on the virtual clock, exports its
 * trace and its report, and checks the shape docs/command-line.md gives:
 * exactly one thread_name and one thread_sort_index per lane that holds
 * events (none for an empty lane), every lane's sort index after its
 * parent's and after its older siblings', and the task slices' args
 * leaving out "on" and "copy" only at their defaults.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "export/tl-export.h"
#include "run/tl-runner.h"
#include "tl-test-util.h"

typedef struct {
  guint n_checked;
  guint n_with_loop_lane;
  guint n_without_loop_lane;
} Totals;

static JsonNode *
export_json (TlTrace *trace,
             gboolean (*exporter) (TlTrace *, GOutputStream *, GCancellable *, GError **))
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_true (exporter (trace, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  data = g_bytes_get_data (bytes, &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* "PID/TID", the key of a lane. */
static char *
lane_key (JsonObject *event)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          json_object_get_int_member (event, "pid"),
                          json_object_get_int_member (event, "tid"));
}

/* Whether a viewer draws @event on its pid/tid lane: slices, flow ends
 * and thread-scoped instants. Counters belong to the process, global
 * instants ("s": "g") to the whole trace. */
static gboolean
is_on_lane (JsonObject *event)
{
  const char *ph = json_object_get_string_member (event, "ph");

  if (strcmp (ph, "i") == 0 || strcmp (ph, "I") == 0)
    return !json_object_has_member (event, "s") ||
           strcmp (json_object_get_string_member (event, "s"), "t") == 0;
  return strcmp (ph, "X") == 0 || strcmp (ph, "B") == 0 || strcmp (ph, "E") == 0 ||
         strcmp (ph, "s") == 0 || strcmp (ph, "t") == 0 || strcmp (ph, "f") == 0;
}

static void
check_trace (const char *name,
             JsonNode   *trace_root,
             JsonNode   *report_root,
             Totals     *totals)
{
  JsonArray *events = json_object_get_array_member (json_node_get_object (trace_root), "traceEvents");
  JsonArray *tasks = json_object_get_array_member (json_node_get_object (report_root), "tasks");
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) sort_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) task_args = g_hash_table_new (g_direct_hash, g_direct_equal);
  /* parent's lane → sort index of its latest child so far */
  g_autoptr(GHashTable) last_child_rank = g_hash_table_new (g_direct_hash, g_direct_equal);
  gint64 last_id = -1;
  guint n_names = 0, n_sort = 0;
  gboolean metadata_done = FALSE;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      char *lane = lane_key (event);

      if (strcmp (ph, "M") == 0)
        {
          const char *what = json_object_get_string_member (event, "name");
          JsonObject *args = json_object_get_object_member (event, "args");

          g_assert_false (metadata_done);
          if (strcmp (what, "thread_name") == 0)
            {
              /* One name per lane. */
              g_assert_false (g_hash_table_contains (names, lane));
              g_assert_cmpstr (json_object_get_string_member (args, "name"), !=, "");
              g_hash_table_add (names, g_strdup (lane));
              n_names++;
            }
          else if (strcmp (what, "thread_sort_index") == 0)
            {
              gint64 *value = g_new (gint64, 1);

              /* Named first, then sorted, and only once. */
              g_assert_true (g_hash_table_contains (names, lane));
              g_assert_false (g_hash_table_contains (sort_index, lane));
              *value = json_object_get_int_member (args, "sort_index");
              g_hash_table_insert (sort_index, g_strdup (lane), value);
              n_sort++;
            }
          g_free (lane);
          continue;
        }

      metadata_done = TRUE;
      if (is_on_lane (event))
        {
          /* Every lane an event is drawn on has its name. */
          if (!g_hash_table_contains (names, lane))
            g_error ("%s: a “%s” event on lane %s, which has no thread_name", name, ph, lane);
          g_hash_table_add (used, g_strdup (lane));
        }
      if (strcmp (ph, "X") == 0 && json_object_has_member (event, "cat") &&
          strcmp (json_object_get_string_member (event, "cat"), "task") == 0)
        {
          JsonObject *args = json_object_get_object_member (event, "args");
          gint64 id = json_object_get_int_member (args, "id");

          g_assert_cmpint (json_object_get_int_member (event, "tid"), ==, id + 1);
          g_assert_null (g_hash_table_lookup (task_args, GINT_TO_POINTER (id + 1)));
          g_hash_table_insert (task_args, GINT_TO_POINTER (id + 1), args);
        }
      g_free (lane);
    }

  /* No name for a lane without events: as many names (and sort indices)
   * as lanes that hold events. */
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (used, key))
      g_error ("%s: lane %s is named but holds no event", name, (const char *) key);
  g_assert_cmpuint (n_names, ==, g_hash_table_size (used));
  g_assert_cmpuint (n_sort, ==, g_hash_table_size (used));

  if (g_hash_table_contains (names, "1/0"))
    totals->n_with_loop_lane++;
  else
    totals->n_without_loop_lane++;

  /* Every task has its lane, placed in tree order: after its parent and
   * after the siblings created before it (one check against the
   * latest of them). The args leave out "on" and
   * "copy" exactly when they hold their defaults. */
  g_assert_cmpuint (g_hash_table_size (task_args), ==, json_array_get_length (tasks));
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);
      gint64 id = json_object_get_int_member (task, "id");
      JsonObject *args = g_hash_table_lookup (task_args, GINT_TO_POINTER (id + 1));
      g_autofree char *lane = g_strdup_printf ("1/%" G_GINT64_FORMAT, id + 1);
      const gint64 *rank = g_hash_table_lookup (sort_index, lane);
      const char *on = json_object_get_string_member (task, "on");
      gint64 copy = json_object_get_int_member (task, "copy");

      g_assert_nonnull (args);
      g_assert_nonnull (rank);
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (task, "parent")))
        {
          gint64 parent = json_object_get_int_member (task, "parent");
          g_autofree char *parent_lane = g_strdup_printf ("1/%" G_GINT64_FORMAT, parent + 1);
          const gint64 *parent_rank = g_hash_table_lookup (sort_index, parent_lane);

          g_assert_nonnull (parent_rank);
          g_assert_cmpint (*rank, >, *parent_rank);
          g_assert_cmpint (json_object_get_int_member (args, "parent"), ==, parent);
          /* The report lists tasks by id, which is creation order. */
          g_assert_cmpint (id, >, last_id);
          if (g_hash_table_contains (last_child_rank, GINT_TO_POINTER (parent + 1)))
            g_assert_cmpint (*rank, >, GPOINTER_TO_INT (g_hash_table_lookup (last_child_rank,
                                                                           GINT_TO_POINTER (parent + 1))));
          g_hash_table_insert (last_child_rank, GINT_TO_POINTER (parent + 1), GINT_TO_POINTER ((int) *rank));
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (args, "parent")));
        }

      g_assert_cmpint (json_object_has_member (args, "on"), ==, strcmp (on, "loop") != 0);
      if (json_object_has_member (args, "on"))
        g_assert_cmpstr (json_object_get_string_member (args, "on"), ==, on);
      g_assert_cmpint (json_object_has_member (args, "copy"), ==, copy != 1);
      if (json_object_has_member (args, "copy"))
        g_assert_cmpint (json_object_get_int_member (args, "copy"), ==, copy);
      last_id = id;
      g_assert_cmpstr (json_object_get_string_member (args, "state"), ==,
                       json_object_get_string_member (task, "status"));
      g_assert_cmpstr (json_object_get_string_member (args, "kind"), ==,
                       json_object_get_string_member (task, "kind"));
    }
  totals->n_checked++;
}

static void
test_builtins (void)
{
  g_auto(GStrv) builtins = tl_preset_list_builtin ();
  Totals totals = { 0 };

  for (guint b = 0; builtins[b] != NULL; b++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (builtins[b], &error);
      g_autoptr(TlRunner) runner = NULL;
      g_autoptr(GMainContext) context = NULL;
      g_autoptr(JsonNode) trace_root = NULL;
      g_autoptr(JsonNode) report_root = NULL;
      TlRunnerOptions options = { .clock = TL_CLOCK_VIRTUAL };
      TlTrace *trace;

      g_assert_no_error (error);
      if (!tl_runner_check (preset, &options, &error))
        {
          /* Presets that fetch need the real clock and a server. */
          g_test_message ("%s: not on the virtual clock: %s", builtins[b], error->message);
          continue;
        }

      context = g_main_context_new ();
      g_main_context_push_thread_default (context);
      runner = tl_runner_new (preset, &options);
      tl_runner_run (runner);
      trace = tl_runner_get_trace (runner);
      trace_root = export_json (trace, tl_export_trace);
      report_root = export_json (trace, tl_export_report);
      check_trace (builtins[b], trace_root, report_root, &totals);
      g_clear_object (&runner);
      g_main_context_pop_thread_default (context);
    }

  g_test_message ("%u builtins checked, %u with the loop's lane", totals.n_checked, totals.n_with_loop_lane);
  g_assert_cmpuint (totals.n_checked, >=, 10);
  /* Both kinds are among them: runs that stalled the loop name its lane,
   * the others leave the empty lane unnamed. */
  g_assert_cmpuint (totals.n_with_loop_lane, >=, 1);
  g_assert_cmpuint (totals.n_without_loop_lane, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/export/lanes/builtins", test_builtins);

  return g_test_run ();
}
