/* tl-export-trace.c — the trace in Chrome's Trace Event Format
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every record of the export is anchored to one event of the trace and
 * carries that event's time, so sorting the export by time is sorting the
 * event log: an array of event indices (4 bytes per event) is the only
 * thing built ahead of writing, never the document itself.
 *
 * Layout (see docs/command-line.md):
 *   pid 1  "event loop": tid 0 is the loop itself (stalls, sections), and
 *          every task instance has its own lane, tid = id + 1, in tree order.
 *   pid 2  "thread pool", pid 3 "worker processes", pid 4 "HTTP": counter
 *          tracks, present when the run used them.
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "export/tl-export-private.h"
#include "export/tl-export-names.h"
#include "core/tl-json-writer.h"

#define PID_LOOP      1
#define PID_THREADS   2
#define PID_PROCESSES 3
#define PID_HTTP      4
#define TID_LOOP      0

#define NO_EVENT G_MAXUINT32

/* Records sharing a time come out in this order, so a lane's complete
 * event precedes the phases inside it and every flow end finds the slice
 * it binds to already open. */
enum {
  ORDER_CREATED,
  ORDER_PHASE,
  ORDER_OTHER,
  ORDER_COUNTER,
};

typedef struct {
  TlTrace       *trace;
  TlJsonWriter  *w;
  TlExportNames *names;
  gint64         base_us;
  gint64         end_us;
  guint          n_events;
  guint          n_instances;
  /* Per event: for a state event, the instance's next state event; for
   * a TL_EVENT_RESULT_TAKEN, the next one taking the same instance's
   * result. */
  guint32       *next_state;
  guint32       *last_state;   /* per instance: its last state event */
  guint32       *first_taken;  /* per instance: first TL_EVENT_RESULT_TAKEN of it */
  /* Cancel flows whose source had already ended when the cancel landed
   * (a failed sibling, a root that returned): their start is drawn at
   * the source's end, inside its slice. Per instance the first such
   * state event, per event the next one of the same source. */
  guint32       *first_late;
  guint32       *next_late;
  guint64        next_flow_id;
  gboolean       loop_lane_used;  /* a loop stall is drawn on tid 0 */
} Export;

static const struct {
  const char *name;
  int         pid;
} counters[TL_N_COUNTERS] = {
  [TL_COUNTER_TASKS_RUNNING]     = { "tasks running", PID_LOOP },
  [TL_COUNTER_TASKS_WAITING]     = { "tasks waiting", PID_LOOP },
  [TL_COUNTER_THREADS_BUSY]      = { "threads busy", PID_THREADS },
  [TL_COUNTER_THREADS_QUEUED]    = { "thread jobs queued", PID_THREADS },
  [TL_COUNTER_PROCESSES_BUSY]    = { "processes busy", PID_PROCESSES },
  [TL_COUNTER_PROCESSES_QUEUED]  = { "process jobs queued", PID_PROCESSES },
  [TL_COUNTER_HTTP_IN_FLIGHT]    = { "requests in flight", PID_HTTP },
  [TL_COUNTER_HTTP_QUEUED]       = { "requests queued", PID_HTTP },
  [TL_COUNTER_HTTP_CONNECTIONS]  = { "connections open", PID_HTTP },
  [TL_COUNTER_LOOP_LAG_US]       = { "loop lag (us)", PID_LOOP },
};

static inline guint
event_order (const TlEvent *event)
{
  switch ((TlEventType) event->type)
    {
    case TL_EVENT_STATE:
      return event->a == TL_STATE_CREATED ? ORDER_CREATED : ORDER_PHASE;
    case TL_EVENT_LOOP_STALL:
      return ORDER_PHASE;
    case TL_EVENT_COUNTER:
      return ORDER_COUNTER;
    case TL_EVENT_SECTION_START:
    case TL_EVENT_SECTION_END:
    case TL_EVENT_DEADLINE:
    case TL_EVENT_TIMEOUT_FIRED:
    case TL_EVENT_ERROR_RAISED:
    case TL_EVENT_SPAWNED:
    case TL_EVENT_RESULT_TAKEN:
    case TL_EVENT_CANCEL_REQUEST:
    case TL_EVENT_WARNING:
    default:
      return ORDER_OTHER;
    }
}

static int
compare_events (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  TlTrace *trace = user_data;
  guint32 ia = *(const guint32 *) a;
  guint32 ib = *(const guint32 *) b;
  const TlEvent *ea = tl_trace_get_event (trace, ia);
  const TlEvent *eb = tl_trace_get_event (trace, ib);
  guint oa, ob;

  if (ea->time_us != eb->time_us)
    return ea->time_us < eb->time_us ? -1 : 1;
  oa = event_order (ea);
  ob = event_order (eb);
  if (oa != ob)
    return oa < ob ? -1 : 1;
  return ia < ib ? -1 : (ia > ib ? 1 : 0);
}

/* Puts the events of [start, end), all sharing one time, in the order
 * compare_events() gives: by event_order(), then by index (they are in
 * index order already, so a stable counting sort does it). */
static void
sort_same_time (TlTrace *trace,
                guint32 *order,
                guint32 *scratch,
                guint    start,
                guint    end)
{
  guint count[ORDER_COUNTER + 2] = { 0 };

  for (guint i = start; i < end; i++)
    count[event_order (tl_trace_get_event (trace, order[i])) + 1]++;
  for (guint o = 1; o < G_N_ELEMENTS (count); o++)
    count[o] += count[o - 1];
  for (guint i = start; i < end; i++)
    scratch[count[event_order (tl_trace_get_event (trace, order[i]))]++] = order[i];
  memcpy (order + start, scratch, sizeof (guint32) * (end - start));
}

static guint32 *
sort_events (TlTrace *trace,
             guint    n_events)
{
  guint32 *order = g_new (guint32, MAX (n_events, 1));
  g_autofree guint32 *scratch = NULL;
  gboolean in_time_order = TRUE;
  gint64 last_us = G_MININT64;

  for (guint i = 0; i < n_events; i++)
    {
      gint64 time_us = tl_trace_get_event (trace, i)->time_us;

      order[i] = i;
      if (time_us < last_us)
        in_time_order = FALSE;
      last_us = MAX (last_us, time_us);
    }

  /* Only loop stalls (and the blocked states written with them) are
   * logged after later events: then g_qsort_with_data, a stable merge
   * sort, does the whole job. */
  if (!in_time_order)
    {
      g_qsort_with_data (order, n_events, sizeof (guint32), compare_events, trace);
      return order;
    }

  /* Otherwise only events sharing a time can be out of order (a
   * creation logged after another task's phase at the same time): a
   * linear pass over each such group. */
  for (guint start = 0; start < n_events; )
    {
      const TlEvent *first = tl_trace_get_event (trace, order[start]);
      guint previous = event_order (first);
      gboolean group_sorted = TRUE;
      guint end = start + 1;

      for (; end < n_events; end++)
        {
          const TlEvent *event = tl_trace_get_event (trace, order[end]);
          guint o;

          if (event->time_us != first->time_us)
            break;
          o = event_order (event);
          if (o < previous)
            group_sorted = FALSE;
          previous = o;
        }
      if (!group_sorted)
        {
          if (scratch == NULL)
            scratch = g_new (guint32, n_events);
          sort_same_time (trace, order, scratch, start, end);
        }
      start = end;
    }

  return order;
}

/* --- records ---
 *
 * Each record is written in one go into the output buffer: the members
 * of a record never change order, so they are literals, and the names
 * every record repeats come escaped from e->names. */

#define APPEND(out, literal) tl_out_buffer_append_literal ((out), literal)

/* {"ph":"PH","pid":PID,"tid":TID[,"ts":TS] — the caller adds the rest
 * and the closing brace. @ph is one of Chrome's one-letter phases. */
static TlOutBuffer *
begin_record (Export     *e,
              const char *ph,
              int         pid,
              gint64      tid,
              gint64      ts)
{
  TlOutBuffer *out = tl_json_writer_begin_raw_value (e->w);
  char *p = tl_out_buffer_reserve (out, 128);

  g_assert (ph[0] != '\0' && ph[1] == '\0');
  memcpy (p, "{\"ph\":\"", 7);
  p[7] = ph[0];
  memcpy (p + 8, "\",\"pid\":", 8);
  p = tl_format_uint64 (p + 16, (guint64) pid);
  memcpy (p, ",\"tid\":", 7);
  p = tl_format_uint64 (p + 7, (guint64) tid);
  if (ts >= 0)
    {
      memcpy (p, ",\"ts\":", 6);
      p = tl_format_uint64 (p + 6, (guint64) ts);
    }
  tl_out_buffer_commit (out, p);
  return out;
}

/* ,"name":NAME,"args":{"KEY": — the caller writes the value and "}}". */
static TlOutBuffer *
begin_metadata (Export     *e,
                const char *name,
                int         pid,
                gint64      tid,
                const char *arg_key)
{
  TlOutBuffer *out = begin_record (e, "M", pid, tid, -1);

  APPEND (out, ",\"name\":");
  _tl_export_names_write_static_json (e->names, out, name);
  APPEND (out, ",\"args\":{\"");
  tl_out_buffer_append_str (out, arg_key);
  APPEND (out, "\":");
  return out;
}

static void
write_metadata (Export     *e,
                const char *name,
                int         pid,
                gint64      tid,
                const char *arg_key,
                const char *arg_string,
                gint64      arg_int)
{
  TlOutBuffer *out = begin_metadata (e, name, pid, tid, arg_key);

  if (arg_string != NULL)
    tl_json_write_string (out, arg_string);
  else
    tl_out_buffer_append_int (out, arg_int);
  APPEND (out, "}}");
}

/* @cat and @arg_key are static strings; @name and @arg_value need not be. */
static void
write_instant (Export     *e,
               gint64      tid,
               gint64      ts,
               const char *name,
               const char *cat,
               const char *arg_key,
               const char *arg_value)
{
  TlOutBuffer *out = begin_record (e, "i", PID_LOOP, tid, ts);

  APPEND (out, ",\"s\":\"t\",\"name\":");
  tl_json_write_string (out, name);
  APPEND (out, ",\"cat\":");
  _tl_export_names_write_static_json (e->names, out, cat);
  if (arg_key != NULL)
    {
      APPEND (out, ",\"args\":{\"");
      tl_out_buffer_append_str (out, arg_key);
      APPEND (out, "\":");
      tl_json_write_string (out, arg_value);
      tl_out_buffer_append_c (out, '}');
    }
  tl_out_buffer_append_c (out, '}');
}

/* @name and @cat are static strings. */
static void
write_flow_end (Export     *e,
                const char *ph,
                guint32     instance,
                guint64     id,
                gint64      ts,
                const char *name,
                const char *cat)
{
  TlOutBuffer *out = begin_record (e, ph, PID_LOOP, (gint64) instance + 1, ts);

  if (ph[0] == 'f')
    APPEND (out, ",\"bp\":\"e\"");
  APPEND (out, ",\"id\":");
  tl_out_buffer_append_uint (out, id);
  APPEND (out, ",\"name\":");
  _tl_export_names_write_static_json (e->names, out, name);
  APPEND (out, ",\"cat\":");
  _tl_export_names_write_static_json (e->names, out, cat);
  tl_out_buffer_append_c (out, '}');
}

/* Ids of result flows are their TL_EVENT_RESULT_TAKEN's index + 1; the
 * other flows count on from the number of events, so no two collide. */
static void
write_flow (Export     *e,
            guint32     from,
            guint32     to,
            gint64      ts,
            const char *name,
            const char *cat)
{
  guint64 id;

  if (from >= e->n_instances || to >= e->n_instances || from == to)
    return;

  id = (guint64) e->n_events + ++e->next_flow_id;
  write_flow_end (e, "s", from, id, ts, name, cat);
  write_flow_end (e, "f", to, id, ts, name, cat);
}

/* Whether the result flow of @taken started at its child's final state
 * (written by write_result_flow_starts), rather than at @taken itself. */
static gboolean
result_flow_started_at_end (Export  *e,
                            guint    taken)
{
  const TlEvent *event = tl_trace_get_event (e->trace, taken);
  const TlEvent *final;
  guint32 last;

  if (event->instance >= e->n_instances)
    return FALSE;
  last = e->last_state[event->instance];
  if (last == NO_EVENT)
    return FALSE;
  final = tl_trace_get_event (e->trace, last);
  return TL_STATE_IS_FINAL (final->a) && final->time_us <= event->time_us;
}

/* A result is taken when the awaiter resumes, which can be long after the
 * child ended (an await of a task spawned earlier). The arrow starts
 * where the child ended, inside its slice, so viewers bind it there. */
static void
write_result_flow_starts (Export  *e,
                          guint32  instance,
                          gint64   ts)
{
  for (guint32 taken = e->first_taken[instance]; taken != NO_EVENT; taken = e->next_state[taken])
    {
      const TlEvent *event = tl_trace_get_event (e->trace, taken);

      if ((guint32) event->value >= e->n_instances || (guint32) event->value == instance)
        continue;
      if (result_flow_started_at_end (e, taken))
        write_flow_end (e, "s", instance, (guint64) taken + 1, ts, "result taken", "result");
    }
}

static gint64
instance_end_us (Export          *e,
                 const TlOutcome *outcome)
{
  return outcome->finished_us >= 0 ? outcome->finished_us : e->end_us;
}

static void
write_instance (Export  *e,
                guint32  id)
{
  TlTrace *trace = e->trace;
  const TlInstance *instance = tl_trace_get_instance (trace, id);
  const TlOutcome *outcome = tl_trace_get_outcome (trace, id);
  gint64 ts = _tl_export_relative (e->base_us, outcome->created_us);
  gint64 end = _tl_export_relative (e->base_us, instance_end_us (e, outcome));
  const char *result = tl_trace_get_result (trace, id);
  const char *error = tl_trace_get_error (trace, id);
  TlOutBuffer *out = begin_record (e, "X", PID_LOOP, (gint64) id + 1, ts);

  APPEND (out, ",\"dur\":");
  tl_out_buffer_append_int (out, MAX (end - ts, 0));
  APPEND (out, ",\"name\":");
  _tl_export_names_write_label_json (e->names, out, id);
  APPEND (out, ",\"cat\":\"task\",\"args\":{\"id\":");
  tl_out_buffer_append_uint (out, id);
  APPEND (out, ",\"task\":");
  _tl_export_names_write_task_json (e->names, out, id);
  APPEND (out, ",\"state\":");
  _tl_export_names_write_static_json (e->names, out, tl_state_to_string (outcome->state));
  APPEND (out, ",\"kind\":");
  _tl_export_names_write_static_json (e->names, out, tl_kind_to_string (instance->kind));
  /* "on" and "copy" are left out at their defaults, "loop" and 1
   * (docs/command-line.md, "Size"). */
  if (instance->on != TL_ON_LOOP)
    {
      APPEND (out, ",\"on\":");
      _tl_export_names_write_static_json (e->names, out, tl_on_to_string (instance->on));
    }
  APPEND (out, ",\"parent\":");
  if (instance->parent == TL_NO_INSTANCE)
    APPEND (out, "null");
  else
    tl_out_buffer_append_uint (out, instance->parent);
  if (instance->copy != 1)
    {
      APPEND (out, ",\"copy\":");
      tl_out_buffer_append_uint (out, instance->copy);
    }
  if (result != NULL)
    {
      APPEND (out, ",\"result\":");
      tl_json_write_string (out, result);
    }
  if (error != NULL)
    {
      APPEND (out, ",\"error\":");
      tl_json_write_string (out, error);
    }
  if (outcome->cause != TL_CAUSE_NONE)
    {
      APPEND (out, ",\"cause\":");
      _tl_export_names_write_static_json (e->names, out, tl_cause_to_string (outcome->cause));
      if (outcome->cause_instance < e->n_instances)
        {
          APPEND (out, ",\"cancelled_by\":");
          tl_out_buffer_append_uint (out, outcome->cause_instance);
        }
    }
  APPEND (out, "}}");
}

/* A live state from its event to the instance's next state change,
 * clipped to the instance's life so it always nests inside it. */
static void
write_phase (Export        *e,
             guint          index,
             const TlEvent *event)
{
  const TlOutcome *outcome;
  TlOutBuffer *out;
  gint64 start, end, life_start, life_end;

  if (event->instance >= e->n_instances)
    return;

  outcome = tl_trace_get_outcome (e->trace, event->instance);
  if (e->next_state[index] != NO_EVENT)
    end = tl_trace_get_event (e->trace, e->next_state[index])->time_us;
  else
    end = instance_end_us (e, outcome);

  life_start = _tl_export_relative (e->base_us, outcome->created_us);
  life_end = _tl_export_relative (e->base_us, instance_end_us (e, outcome));
  start = CLAMP (_tl_export_relative (e->base_us, event->time_us), life_start, life_end);
  end = CLAMP (_tl_export_relative (e->base_us, end), start, life_end);
  if (end <= start)
    return;

  out = begin_record (e, "X", PID_LOOP, (gint64) event->instance + 1, start);
  APPEND (out, ",\"dur\":");
  tl_out_buffer_append_int (out, end - start);
  APPEND (out, ",\"name\":");
  _tl_export_names_write_static_json (e->names, out, tl_state_to_string (event->a));
  APPEND (out, ",\"cat\":\"state\"}");
}

/* A cancel flow whose source had ended before the cancel. */
static gboolean
is_late_flow (Export        *e,
              const TlEvent *event)
{
  guint32 source = (guint32) event->value;
  const TlOutcome *outcome;

  if (event->type != TL_EVENT_STATE ||
      (event->a != TL_STATE_CANCELLED && event->a != TL_STATE_TIMED_OUT && event->a != TL_STATE_NEVER_STARTED) ||
      event->b == TL_CAUSE_NONE || event->b == TL_CAUSE_USER || event->b == TL_CAUSE_PROGRAM_ENDED ||
      event->instance >= e->n_instances || source >= e->n_instances || source == event->instance)
    return FALSE;
  outcome = tl_trace_get_outcome (e->trace, source);
  return outcome->finished_us >= 0 && outcome->finished_us < event->time_us;
}

static guint64
late_flow_id (Export *e,
              guint32 index)
{
  return 2 * (guint64) e->n_events + 1 + index;
}

static void
write_final_state (Export        *e,
                   guint32        index,
                   const TlEvent *event,
                   gint64         ts)
{
  gint64 tid = (gint64) event->instance + 1;
  guint32 cause_instance = (guint32) event->value;

  switch ((TlState) event->a)
    {
    case TL_STATE_CANCELLED:
    case TL_STATE_TIMED_OUT:
    case TL_STATE_NEVER_STARTED:
      if (event->a != TL_STATE_NEVER_STARTED || event->b != TL_CAUSE_NONE)
        write_instant (e, tid, ts, tl_state_to_string (event->a), "cancel",
                       "cause", tl_cause_to_string (event->b));
      if (is_late_flow (e, event))
        write_flow_end (e, "f", event->instance, late_flow_id (e, index), ts, "cancelled", "cancel");
      else if (event->b != TL_CAUSE_NONE && event->b != TL_CAUSE_USER && event->b != TL_CAUSE_PROGRAM_ENDED)
        write_flow (e, cause_instance, event->instance, ts, "cancelled", "cancel");
      break;
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_STATE_OK:
    case TL_STATE_FAILED:
    case TL_N_STATES:
    default:
      break;
    }

  /* This task's end is the last moment its lane can hold the start of a
   * cancel it caused a little later. */
  for (guint32 late = e->first_late[event->instance]; late != NO_EVENT; late = e->next_late[late])
    write_flow_end (e, "s", event->instance, late_flow_id (e, late), ts, "cancelled", "cancel");

  write_result_flow_starts (e, event->instance, ts);
}

static void
write_event (Export  *e,
             guint    index)
{
  TlTrace *trace = e->trace;
  const TlEvent *event = tl_trace_get_event (trace, index);
  gint64 ts = _tl_export_relative (e->base_us, event->time_us);
  gint64 tid = (gint64) event->instance + 1;
  gboolean has_instance = event->instance < e->n_instances;

  switch ((TlEventType) event->type)
    {
    case TL_EVENT_STATE:
      if (!has_instance)
        break;
      if (event->a == TL_STATE_CREATED)
        write_instance (e, event->instance);
      else if (!TL_STATE_IS_FINAL (event->a))
        write_phase (e, index, event);
      else
        write_final_state (e, index, event, ts);
      break;

    case TL_EVENT_SECTION_START:
    case TL_EVENT_SECTION_END:
      {
        TlOutBuffer *out = begin_record (e, "i", PID_LOOP, TID_LOOP, ts);

        if (event->type == TL_EVENT_SECTION_START)
          APPEND (out, ",\"s\":\"g\",\"name\":\"section start\"");
        else
          APPEND (out, ",\"s\":\"g\",\"name\":\"section end\"");
        APPEND (out, ",\"cat\":\"section\",\"args\":{\"section\":");
        _tl_export_names_write_section_json (e->names, out, (guint) event->value);
        APPEND (out, "}}");
      }
      break;

    case TL_EVENT_TIMEOUT_FIRED:
      if (has_instance)
        write_instant (e, tid, ts, event->b == 0 ? "timeout fired" : "max wait passed",
                       "timeout", NULL, NULL);
      break;

    case TL_EVENT_ERROR_RAISED:
      if (has_instance)
        write_instant (e, tid, ts, "error raised", "error",
                       "error", tl_trace_get_error (trace, event->instance));
      break;

    case TL_EVENT_CANCEL_REQUEST:
      if (has_instance)
        write_instant (e, tid, ts, "cancel requested", "cancel",
                       "cause", tl_cause_to_string (event->b));
      break;

    case TL_EVENT_WARNING:
      if (has_instance && (guint) event->value < tl_trace_get_n_warnings (trace))
        {
          const TlWarning *warning = tl_trace_get_warning (trace, (guint) event->value);
          g_autofree char *name = g_strdup_printf ("warning: %s", tl_warning_code_to_string (warning->code));

          write_instant (e, tid, ts, name, "warning", "message", warning->message);
        }
      break;

    case TL_EVENT_SPAWNED:
      write_flow (e, event->instance, (guint32) event->value, ts, "spawned", "spawn");
      break;

    case TL_EVENT_RESULT_TAKEN:
      if (!has_instance || (guint32) event->value >= e->n_instances ||
          (guint32) event->value == event->instance)
        break;
      if (!result_flow_started_at_end (e, index))
        write_flow_end (e, "s", event->instance, (guint64) index + 1, ts, "result taken", "result");
      write_flow_end (e, "f", (guint32) event->value, (guint64) index + 1, ts, "result taken", "result");
      break;

    case TL_EVENT_LOOP_STALL:
      {
        g_autofree char *label = has_instance ? tl_trace_dup_label (trace, event->instance) : NULL;
        g_autofree char *name = label != NULL ? g_strdup_printf ("blocked by %s", label)
                                              : g_strdup ("blocked");

        TlOutBuffer *out;

        write_instant (e, TID_LOOP, ts, "loop stall", "loop", "task", label);
        out = begin_record (e, "X", PID_LOOP, TID_LOOP, ts);
        APPEND (out, ",\"dur\":");
        tl_out_buffer_append_int (out, MAX (event->value, 0));
        APPEND (out, ",\"name\":");
        tl_json_write_string (out, name);
        APPEND (out, ",\"cat\":\"loop\"}");
      }
      break;

    case TL_EVENT_COUNTER:
      if (event->a < TL_N_COUNTERS)
        {
          TlOutBuffer *out = begin_record (e, "C", counters[event->a].pid, 0, ts);

          APPEND (out, ",\"name\":");
          tl_json_write_string (out, counters[event->a].name);
          APPEND (out, ",\"args\":{\"value\":");
          tl_out_buffer_append_int (out, event->value);
          APPEND (out, "}}");
        }
      break;

    case TL_EVENT_DEADLINE:
    default:
      break;
    }
}

/* Lane names and sort indices, in the order the timeline draws them:
 * each root, then its subtree, depth first, children in creation order.
 * Only lanes that hold events are named: the loop's lane when the loop
 * stalled, a task's lane when it was created (which every recorded
 * task was); a name for an empty lane is a record no viewer draws. */
static void
write_lanes (Export *e)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  gint64 rank = 1;

  if (e->loop_lane_used)
    {
      write_metadata (e, "thread_name", PID_LOOP, TID_LOOP, "name", "event loop", 0);
      write_metadata (e, "thread_sort_index", PID_LOOP, TID_LOOP, "sort_index", NULL, 0);
    }

  for (guint32 root = 0; root < e->n_instances && !tl_json_writer_has_failed (e->w); root++)
    {
      const TlInstance *instance = tl_trace_get_instance (e->trace, root);

      if (instance->parent != TL_NO_INSTANCE && instance->parent < e->n_instances)
        continue;

      g_array_append_val (stack, root);
      while (stack->len > 0)
        {
          guint32 id = g_array_index (stack, guint32, stack->len - 1);
          const guint32 *children;
          guint n_children = 0;
          TlOutBuffer *out;

          g_array_set_size (stack, stack->len - 1);
          /* An instance's first state event is its creation, which
           * writes its task slice. */
          if (e->last_state[id] != NO_EVENT)
            {
              out = begin_metadata (e, "thread_name", PID_LOOP, (gint64) id + 1, "name");
              _tl_export_names_write_label_json (e->names, out, id);
              APPEND (out, "}}");
              write_metadata (e, "thread_sort_index", PID_LOOP, (gint64) id + 1, "sort_index", NULL, rank++);
            }

          children = tl_trace_get_children (e->trace, id, &n_children);
          for (guint c = n_children; c > 0; c--)
            g_array_append_val (stack, children[c - 1]);
        }
    }
}

static void
write_processes (Export *e)
{
  static const char * const process_names[] = {
    NULL, "event loop", "thread pool", "worker processes", "HTTP",
  };
  gboolean used[G_N_ELEMENTS (process_names)] = { FALSE, TRUE, FALSE, FALSE, FALSE };

  for (guint i = 0; i < e->n_events; i++)
    {
      const TlEvent *event = tl_trace_get_event (e->trace, i);

      if (event->type == TL_EVENT_COUNTER && event->a < TL_N_COUNTERS)
        used[counters[event->a].pid] = TRUE;
    }
  for (guint32 id = 0; id < e->n_instances; id++)
    {
      const TlInstance *instance = tl_trace_get_instance (e->trace, id);

      if (instance->on == TL_ON_THREAD)
        used[PID_THREADS] = TRUE;
      else if (instance->on == TL_ON_PROCESS)
        used[PID_PROCESSES] = TRUE;
      if (instance->kind == TL_KIND_FETCH)
        used[PID_HTTP] = TRUE;
    }

  for (int pid = 1; pid < (int) G_N_ELEMENTS (process_names); pid++)
    {
      if (!used[pid])
        continue;
      write_metadata (e, "process_name", pid, 0, "name", process_names[pid], 0);
      write_metadata (e, "process_sort_index", pid, 0, "sort_index", NULL, pid);
    }
}

gboolean
tl_export_trace (TlTrace       *trace,
                 GOutputStream *stream,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TlPreset *preset;
  g_autofree guint32 *order = NULL;
  Export e = { 0 };

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!tl_trace_is_complete (trace))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The run has not finished yet"));
      return FALSE;
    }

  preset = tl_trace_get_preset (trace);
  e.trace = trace;
  e.base_us = _tl_export_get_base_us (trace);
  e.end_us = tl_trace_get_end_us (trace);
  e.n_events = tl_trace_get_n_events (trace);
  e.n_instances = tl_trace_get_n_instances (trace);

  /* Where each state phase ends: the same instance's next state event. */
  e.next_state = g_new (guint32, MAX (e.n_events, 1));
  e.last_state = g_new (guint32, MAX (e.n_instances, 1));
  e.first_taken = g_new (guint32, MAX (e.n_instances, 1));
  memset (e.last_state, 0xff, sizeof (guint32) * MAX (e.n_instances, 1));
  memset (e.first_taken, 0xff, sizeof (guint32) * MAX (e.n_instances, 1));
  e.first_late = g_new (guint32, MAX (e.n_instances, 1));
  e.next_late = g_new (guint32, MAX (e.n_events, 1));
  memset (e.first_late, 0xff, sizeof (guint32) * MAX (e.n_instances, 1));
  for (guint i = e.n_events; i > 0; i--)
    e.next_state[i - 1] = NO_EVENT;
  /* Late flows linked newest first: walk backwards so each source's
   * list comes out in time order. */
  for (guint i = e.n_events; i > 0; i--)
    {
      const TlEvent *event = tl_trace_get_event (trace, i - 1);

      e.next_late[i - 1] = NO_EVENT;
      if (is_late_flow (&e, event))
        {
          e.next_late[i - 1] = e.first_late[event->value];
          e.first_late[event->value] = i - 1;
        }
    }
  for (guint i = 0; i < e.n_events; i++)
    {
      const TlEvent *event = tl_trace_get_event (trace, i);

      if (event->type == TL_EVENT_LOOP_STALL)
        e.loop_lane_used = TRUE;
      if (event->instance >= e.n_instances)
        continue;

      if (event->type == TL_EVENT_RESULT_TAKEN)
        {
          e.next_state[i] = e.first_taken[event->instance];
          e.first_taken[event->instance] = i;
        }
      else if (event->type == TL_EVENT_STATE)
        {
          if (e.last_state[event->instance] != NO_EVENT)
            e.next_state[e.last_state[event->instance]] = i;
          e.last_state[event->instance] = i;
        }
    }

  order = sort_events (trace, e.n_events);
  e.names = _tl_export_names_new (trace);

  e.w = tl_json_writer_new (stream, cancellable);
  tl_json_writer_begin_object (e.w);
  tl_json_writer_key (e.w, "displayTimeUnit");
  tl_json_writer_string (e.w, "ms");
  tl_json_writer_key (e.w, "otherData");
  tl_json_writer_begin_object (e.w);
  tl_json_writer_key (e.w, "generator");
  tl_json_writer_string (e.w, "tasklanes " PACKAGE_VERSION);
  tl_json_writer_key (e.w, "preset");
  tl_json_writer_string (e.w, preset->name);
  tl_json_writer_key (e.w, "file");
  tl_json_writer_string (e.w, preset->file);
  tl_json_writer_key (e.w, "tasks");
  tl_json_writer_int (e.w, e.n_instances);
  tl_json_writer_key (e.w, "max_loop_lag_us");
  tl_json_writer_int (e.w, tl_trace_get_max_loop_lag_us (trace));
  tl_json_writer_end_object (e.w);

  tl_json_writer_key (e.w, "traceEvents");
  tl_json_writer_begin_array (e.w, TRUE);
  write_processes (&e);
  write_lanes (&e);
  for (guint i = 0; i < e.n_events && !tl_json_writer_has_failed (e.w); i++)
    write_event (&e, order[i]);
  tl_json_writer_end_array (e.w);
  tl_json_writer_end_object (e.w);
  tl_json_writer_raw (e.w, "\n", 1);

  g_free (e.next_state);
  g_free (e.last_state);
  g_free (e.first_taken);
  g_free (e.first_late);
  g_free (e.next_late);
  _tl_export_names_free (e.names);
  return tl_json_writer_finish (e.w, error);
}
