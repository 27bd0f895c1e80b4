/* tl-trace.h — the append-only record of everything a run does
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading contract
 * ------------------
 * One writer: only the engine thread (the thread running the TlRunner's
 * context) calls the tl_trace_add_* / tl_trace_set_* functions.
 *
 * Any number of readers on other threads may call tl_trace_get_n_events(),
 * tl_trace_get_event(), tl_trace_get_n_instances() and
 * tl_trace_get_instance() at any time while the run goes on: storage is
 * chunked and never moves, and the counts are published with release
 * semantics after the entries are complete, so everything below a count a
 * reader has seen is immutable and safe to read without locks.
 *
 * The string side tables (results, errors, HTTP details, warnings) and
 * tl_trace_get_outcome() may be read from other threads only once
 * tl_trace_is_complete() returns TRUE, or for instances whose final
 * TL_EVENT_STATE has been published (each such entry is written before
 * its final state event).
 */
#pragma once

#include <glib-object.h>

#include "core/tl-types.h"
#include "preset/tl-preset.h"

G_BEGIN_DECLS

typedef enum {
  TL_EVENT_SECTION_START,   /* instance = root; value = section index */
  TL_EVENT_SECTION_END,     /* instance = root; value = section index */
  TL_EVENT_STATE,           /* instance moves to state a (TlState); for
                               TL_STATE_CANCELLED, value = cause instance and
                               b = TlCause */
  TL_EVENT_DEADLINE,        /* instance got a deadline: value = absolute time
                               (µs); b = 0 for Timeout, 1 for MaxWait */
  TL_EVENT_TIMEOUT_FIRED,   /* instance's Timeout (b = 0) or MaxWait (b = 1) passed */
  TL_EVENT_ERROR_RAISED,    /* instance raised its error (message in tl_trace_get_error) */
  TL_EVENT_SPAWNED,         /* instance (a spawn) started task value */
  TL_EVENT_RESULT_TAKEN,    /* instance's result/error was taken by awaiter value */
  TL_EVENT_CANCEL_REQUEST,  /* cancellation was requested for instance (b = TlCause, value = cause instance) */
  TL_EVENT_WARNING,         /* a = TlWarningCode; value = index in warnings */
  TL_EVENT_LOOP_STALL,      /* the loop was held: instance = culprit, value = duration µs; time = stall start */
  TL_EVENT_COUNTER,         /* a = TlCounter; value = new value */
} TlEventType;

typedef enum {
  TL_COUNTER_TASKS_RUNNING,
  TL_COUNTER_TASKS_WAITING,
  TL_COUNTER_THREADS_BUSY,
  TL_COUNTER_THREADS_QUEUED,
  TL_COUNTER_PROCESSES_BUSY,
  TL_COUNTER_PROCESSES_QUEUED,
  TL_COUNTER_HTTP_IN_FLIGHT,
  TL_COUNTER_HTTP_QUEUED,
  TL_COUNTER_HTTP_CONNECTIONS,
  TL_COUNTER_LOOP_LAG_US,
  TL_N_COUNTERS
} TlCounter;

/* 24 bytes. Events are appended in non-decreasing time order, with one
 * exception: what happened while the event loop was held is only known
 * when it runs again, so TL_EVENT_LOOP_STALL and the TL_STATE_BLOCKED
 * state events written then carry the earlier time at which they began.
 * For any one instance, its events are always in time order. */
typedef struct {
  gint64   time_us;     /* since the start of the run */
  gint64   value;
  guint32  instance;    /* TL_NO_INSTANCE when not about one instance */
  guint8   type;        /* TlEventType */
  guint8   a;
  guint16  b;
} TlEvent;

/* The spec of an instance that has none (a task of a Python program). */
#define TL_NO_SPEC G_MAXUINT32

/* Immutable facts about one task instance, published when it is created. */
typedef struct {
  guint32  parent;      /* TL_NO_INSTANCE for a section root */
  guint32  spec;        /* index into preset->tasks; TL_NO_SPEC in an open trace */
  guint32  copy;        /* Repeat number, 1-based */
  guint16  section;
  guint8   kind;        /* TlKind */
  guint8   on;          /* TlOn */
  guint16  depth;       /* 0 for a root */
  guint16  flags;       /* reserved */
  guint32  created_seq; /* index of its creation among all instances */
} TlInstance;

/* What became of an instance; filled in by the engine as the run goes. */
typedef struct {
  gint64   created_us;
  gint64   queued_us;   /* -1: never queued */
  gint64   started_us;  /* -1: never started */
  gint64   finished_us; /* -1: not finished */
  gint64   deadline_us; /* -1: none */
  guint32  cause_instance;
  guint8   state;       /* TlState: the latest */
  guint8   cause;       /* TlCause when cancelled / timed out */
} TlOutcome;

typedef struct {
  guint32        instance;
  TlWarningCode  code;
  char          *message;
} TlWarning;

/* HTTP details of a fetch instance; times in µs since run start, -1 when
 * the phase did not apply (no DNS for an IP, no TLS for http, …). */
typedef struct {
  guint    status;      /* 0: no response */
  char    *reason;
  char    *url;         /* resolved absolute URL */
  gint64   bytes;       /* body bytes received */
  gint64   request_bytes;
  gint64   fetch_start_us;
  gint64   dns_start_us, dns_end_us;
  gint64   connect_start_us, connect_end_us;
  gint64   tls_start_us, tls_end_us;
  gint64   request_start_us, request_end_us;
  gint64   first_byte_us;
  gint64   end_us;
  gboolean connection_reused;
} TlHttpDetails;

typedef struct {
  gint64   start_us;
  gint64   end_us;      /* -1 while running */
  guint32  root;
  guint8   state;       /* root's final state */
  /* What the machine gave the run while the section ran, measured on the
   * real clock only (see tl-cpu-probe.h); cpu_measured FALSE otherwise. */
  gboolean cpu_measured;
  guint    cpu_cores;        /* CPUs in the affinity mask */
  gint64   cpu_process_us;   /* the engine process's CPU time, all threads */
  gint64   cpu_pressure_us;  /* /proc/pressure/cpu "some" stall; -1 without PSI */
} TlSection;

#define TL_TYPE_TRACE (tl_trace_get_type ())

GType              tl_trace_get_type            (void) G_GNUC_CONST;

TlTrace           *tl_trace_new                 (TlPreset    *preset);
/* An open trace: its sections and task instances are not the preset's
 * but come from a running program (src/engine/python/). @preset only
 * names the run (name, file); instances carry their own name, label and
 * source line, and have spec TL_NO_SPEC. */
TlTrace           *tl_trace_new_open            (TlPreset    *preset);
gboolean           tl_trace_is_open             (TlTrace     *self);
TlTrace           *tl_trace_ref                 (TlTrace     *self);
void               tl_trace_unref               (TlTrace     *self);

TlPreset          *tl_trace_get_preset          (TlTrace     *self);

/* --- writer side (engine thread only) ---
 *
 * tl_trace_add_instance() also appends the instance's TL_EVENT_STATE
 * (TL_STATE_CREATED) at @now_us, so readers learn creation times from the
 * event log. A state change to the current state appends nothing, and once
 * an instance is in a final state later state changes are ignored. Record
 * result, error and HTTP details BEFORE the final state, as the contract
 * above requires. */
guint32            tl_trace_add_instance        (TlTrace     *self,
                                                 guint32      parent,
                                                 guint        spec,
                                                 guint        copy,
                                                 guint        section,
                                                 TlOn         on,
                                                 gint64       now_us);
/* Open traces only: sections are begun in order (0, 1, …) as the program
 * reaches them. */
guint32            tl_trace_add_open_instance   (TlTrace     *self,
                                                 guint32      parent,
                                                 guint        section,
                                                 TlKind       kind,
                                                 TlOn         on,
                                                 const char  *name,
                                                 const char  *label,
                                                 guint        source_line,
                                                 gint64       now_us);
/* Open traces only: the traceback of an instance that failed; a side
 * string like the error (record it before the final state). */
void               tl_trace_set_traceback       (TlTrace     *self,
                                                 guint32      instance,
                                                 const char  *traceback);
void               tl_trace_add_event           (TlTrace     *self,
                                                 gint64       time_us,
                                                 TlEventType  type,
                                                 guint32      instance,
                                                 guint8       a,
                                                 guint16      b,
                                                 gint64       value);
/* Convenience: a TL_EVENT_STATE plus the matching TlOutcome fields. */
void               tl_trace_set_state           (TlTrace     *self,
                                                 guint32      instance,
                                                 TlState      state,
                                                 gint64       now_us);
void               tl_trace_set_cancelled       (TlTrace     *self,
                                                 guint32      instance,
                                                 TlState      final_state, /* CANCELLED, TIMED_OUT or NEVER_STARTED */
                                                 TlCause      cause,
                                                 guint32      cause_instance,
                                                 gint64       now_us);
void               tl_trace_set_result          (TlTrace     *self,
                                                 guint32      instance,
                                                 const char  *result);
void               tl_trace_take_result         (TlTrace     *self,
                                                 guint32      instance,
                                                 char        *result);
void               tl_trace_set_error           (TlTrace     *self,
                                                 guint32      instance,
                                                 const char  *message);
TlHttpDetails     *tl_trace_ensure_http         (TlTrace     *self,
                                                 guint32      instance);
guint              tl_trace_add_warning         (TlTrace     *self,
                                                 guint32      instance,
                                                 TlWarningCode code,
                                                 const char  *message,
                                                 gint64       now_us);
void               tl_trace_begin_section       (TlTrace     *self,
                                                 guint        section,
                                                 guint32      root,
                                                 gint64       now_us);
void               tl_trace_end_section         (TlTrace     *self,
                                                 guint        section,
                                                 gint64       now_us);
/* Before tl_trace_end_section(): the CPU figures of the section. */
void               tl_trace_set_section_cpu     (TlTrace     *self,
                                                 guint        section,
                                                 guint        cores,
                                                 gint64       process_cpu_us,
                                                 gint64       pressure_us);
void               tl_trace_set_counter         (TlTrace     *self,
                                                 TlCounter    counter,
                                                 gint64       value,
                                                 gint64       now_us);
void               tl_trace_note_loop_lag       (TlTrace     *self,
                                                 gint64       lag_us);
void               tl_trace_complete            (TlTrace     *self,
                                                 gint64       now_us);

/* --- reader side (any thread, see the contract above) --- */
guint              tl_trace_get_n_events        (TlTrace     *self);
const TlEvent     *tl_trace_get_event           (TlTrace     *self,
                                                 guint        index);
guint              tl_trace_get_n_instances     (TlTrace     *self);
const TlInstance  *tl_trace_get_instance        (TlTrace     *self,
                                                 guint32      id);
const TlOutcome   *tl_trace_get_outcome         (TlTrace     *self,
                                                 guint32      id);
gboolean           tl_trace_is_complete         (TlTrace     *self);
gint64             tl_trace_get_end_us          (TlTrace     *self);
/* The run was stopped (tl_runner_stop()) rather than left to end; the
 * runner marks this before completing the trace. */
void               tl_trace_mark_stopped        (TlTrace     *self);
gboolean           tl_trace_was_stopped         (TlTrace     *self);
/* Complete, not stopped, and every section of the preset began and ended:
 * the report's "complete". */
gboolean           tl_trace_ran_to_end          (TlTrace     *self);
/* Children of an instance in creation order (complete traces only). */
const guint32     *tl_trace_get_children        (TlTrace     *self,
                                                 guint32      id,
                                                 guint       *n_children);

/* Strings are computed from the preset for the instance's copy number
 * when nothing more specific was recorded. Free with g_free(). */
char              *tl_trace_dup_label           (TlTrace     *self,
                                                 guint32      id);
/* The label as a message repeats it: cut by tl_text_echo(), so a warning
 * or an error about a task never grows with its label. */
char              *tl_trace_dup_label_for_message (TlTrace   *self,
                                                 guint32      id);
/* The task's name (the report's "name"): the spec's name, or what the
 * program recorded. Valid as long as the trace. */
const char        *tl_trace_get_task_name       (TlTrace     *self,
                                                 guint32      id);
/* Whether two instances are copies of one task: of one spec, or in an
 * open trace, of one name (one coroutine function). */
gboolean           tl_trace_same_task           (TlTrace     *self,
                                                 guint32      a,
                                                 guint32      b);
/* The spec an instance was made from; NULL in an open trace. */
const TlTaskSpec  *tl_trace_get_spec            (TlTrace     *self,
                                                 guint32      id);
/* The line of the program's own file that created the instance; 0 when
 * unknown (and for every preset instance). */
guint              tl_trace_instance_get_source_line (TlTrace *self,
                                                 guint32      id);
/* Open traces: the Python traceback of a failed instance, or NULL. */
const char        *tl_trace_get_traceback       (TlTrace     *self,
                                                 guint32      id);
const char        *tl_trace_get_result          (TlTrace     *self,
                                                 guint32      id);
const char        *tl_trace_get_error           (TlTrace     *self,
                                                 guint32      id);
const TlHttpDetails *tl_trace_get_http          (TlTrace     *self,
                                                 guint32      id);

guint              tl_trace_get_n_warnings      (TlTrace     *self);
const TlWarning   *tl_trace_get_warning         (TlTrace     *self,
                                                 guint        index);
guint              tl_trace_get_n_sections      (TlTrace     *self);
const TlSection   *tl_trace_get_section         (TlTrace     *self,
                                                 guint        index);
gint64             tl_trace_get_max_loop_lag_us (TlTrace     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlTrace, tl_trace_unref)

G_END_DECLS
