/* tl-types.h — forward declarations and the engine's shared enumerations
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlPreset        TlPreset;
typedef struct _TlTaskSpec      TlTaskSpec;
typedef struct _TlQuestion      TlQuestion;
typedef struct _TlTrace         TlTrace;
typedef struct _TlClock         TlClock;
typedef struct _TlRunner        TlRunner;
typedef struct _TlThreadPool    TlThreadPool;
typedef struct _TlProcessPool   TlProcessPool;
typedef struct _TlHttpClient    TlHttpClient;
typedef struct _TlDemoServer    TlDemoServer;
typedef struct _TlEngineThread  TlEngineThread;

/* Instance ids index TlTrace's instance table; this one means "none". */
#define TL_NO_INSTANCE G_MAXUINT32

typedef enum {
  TL_KIND_SLEEP,
  TL_KIND_FETCH,
  TL_KIND_BLOCKING,
  TL_KIND_CPU,
  TL_KIND_SEQUENCE,
  TL_KIND_GATHER,
  TL_KIND_WAIT,
  TL_KIND_SPAWN,
  TL_KIND_AWAIT,
  TL_N_KINDS
} TlKind;

typedef enum {
  TL_ON_LOOP,
  TL_ON_THREAD,
  TL_ON_PROCESS,
} TlOn;

typedef enum {
  TL_RETURN_ALL_COMPLETED,
  TL_RETURN_FIRST_COMPLETED,
  TL_RETURN_FIRST_EXCEPTION,
} TlReturnWhen;

/* Every state a task instance can be in. The first group are live states
 * (an instance moves between them); the second group are final. */
typedef enum {
  TL_STATE_CREATED,       /* exists, not yet started (e.g. spawned, not yet scheduled) */
  TL_STATE_QUEUED,        /* waiting for a pool worker or an HTTP connection slot */
  TL_STATE_WAITING,       /* suspended at an await: timer, HTTP reply, children, pool result */
  TL_STATE_RUNNING,       /* holding the event loop, a worker thread or a process */
  TL_STATE_BLOCKED,       /* ready to resume but the event loop is held by someone else */
  TL_STATE_OK,
  TL_STATE_FAILED,
  TL_STATE_CANCELLED,
  TL_STATE_TIMED_OUT,
  TL_STATE_NEVER_STARTED,
  TL_N_STATES
} TlState;

#define TL_STATE_IS_FINAL(s) ((s) >= TL_STATE_OK)

/* Why an instance was cancelled; the cause instance (if any) travels beside it. */
typedef enum {
  TL_CAUSE_NONE,
  TL_CAUSE_TIMEOUT,         /* cause = the instance whose Timeout fired (may be itself or an ancestor) */
  TL_CAUSE_SIBLING_FAILED,  /* cause = the failed sibling (gather CancelOnError) */
  TL_CAUSE_WAIT_PENDING,    /* cause = the wait that returned with CancelPending=true */
  TL_CAUSE_PARENT,          /* cause = the cancelled ancestor that propagated it */
  TL_CAUSE_SECTION_END,     /* cause = the section's root instance */
  TL_CAUSE_USER,            /* the user cancelled this instance or stopped the run */
  TL_CAUSE_PROGRAM_ENDED,   /* a Python program's process ended (os._exit, a crash, a signal) while it was pending */
} TlCause;

#define TL_CAUSE_LAST TL_CAUSE_PROGRAM_ENDED

typedef enum {
  TL_WARNING_NEVER_AWAITED,
  TL_WARNING_EXCEPTION_NEVER_RETRIEVED,
  TL_WARNING_PENDING_AT_EXIT,
  TL_WARNING_LOOP_BLOCKED,
  TL_WARNING_CONNECTIONS_LIMITED,  /* Connections lowered to fit the open-files limit */
  TL_N_WARNINGS
} TlWarningCode;

/* Canonical lower-case names used in the preset format, the report and the
 * trace export ("sleep", "thread", "first-completed", "timed-out",
 * "never-awaited", "timeout"…). Return NULL / -1 for unknown input. */
const char *tl_kind_to_string         (TlKind        kind);
int         tl_kind_from_string       (const char   *str);
const char *tl_on_to_string           (TlOn          on);
int         tl_on_from_string         (const char   *str);
const char *tl_return_when_to_string  (TlReturnWhen  when);
int         tl_return_when_from_string(const char   *str);
const char *tl_state_to_string        (TlState       state);
int         tl_state_from_string      (const char   *str);
const char *tl_cause_to_string        (TlCause       cause);
const char *tl_warning_code_to_string (TlWarningCode code);

gboolean    tl_kind_is_composite      (TlKind        kind);

G_END_DECLS
