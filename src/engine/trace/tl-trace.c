/* tl-trace.c — the append-only record of everything a run does
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storage is a set of chunked arrays whose chunks never move once
 * allocated, so a reader on another thread can hold a pointer to an entry
 * while the writer keeps appending. Each array publishes its length with
 * an atomic store after the entry is complete; readers load it atomically
 * and never look past it (see the contract in tl-trace.h).
 *
 * Memory per instance is what the contract's structures need (TlInstance,
 * TlOutcome, the events) plus 12 bytes of 32-bit references to its
 * result, error and HTTP details; strings are copied once into an arena
 * and repeated ones (the same error for 100,000 tasks) are shared.
 */
#define G_LOG_DOMAIN "tl-trace"

#include "config.h"

#include <string.h>

#include "core/tl-text.h"
#include "trace/tl-trace-private.h"

/* 4096 entries per chunk, 1024 chunks per block, 1024 blocks: room for
 * 2^32 entries with only the top-level directory (8 KiB) allocated up
 * front and never a reallocation. */
#define CHUNK_BITS   12
#define CHUNK_SIZE   (1u << CHUNK_BITS)
#define BLOCK_BITS   10
#define BLOCK_SIZE   (1u << BLOCK_BITS)
#define TOP_SIZE     1024u

/* A string table never keeps more than this many distinct strings for
 * deduplication, so 100,000 identical errors cost one copy while
 * 1,000,000 distinct results do not also cost a million-entry hash table. */
#define MAX_INTERNED 4096u

/* Strings live in 1 MiB blocks of a 4 GiB space and are referred to by
 * 32-bit offsets, which halves what each instance pays for its result,
 * error and HTTP details compared with pointers. */
#define ARENA_BLOCK_BITS  20
#define ARENA_BLOCK_SIZE  (G_GUINT64_CONSTANT (1) << ARENA_BLOCK_BITS)
#define ARENA_N_BLOCKS    4096u
#define ARENA_LIMIT       (G_GUINT64_CONSTANT (0xffffffff))

typedef struct {
  gsize     elem_size;
  int       len;                 /* published with g_atomic_int_set */
  gpointer *blocks[TOP_SIZE];    /* each: BLOCK_SIZE chunk pointers */
} ChunkedArray;

/* What the trace records about an instance beyond its immutable facts
 * (beside its TlOutcome). Written by the writer only; readable by others
 * once the instance's final state event is published or the trace is
 * complete. */
typedef struct {
  guint32  result;               /* string reference, 0: none */
  guint32  error;                /* string reference, 0: none */
  guint32  http;                 /* 1 + index into http, 0: none */
} InstanceRefs;

/* What an open trace (a Python program's) records per instance in place
 * of a task spec: its name, label, the source line that created it and an
 * optional traceback. Written before the instance is published, except
 * the traceback (a side string like the error). */
typedef struct {
  guint32  name;                 /* string references */
  guint32  label;
  guint32  traceback;
  guint32  source_line;          /* 0: unknown */
} InstanceNames;

typedef struct {
  char    *blocks[ARENA_N_BLOCKS];
  guint64  used;                 /* next free offset */
} StringArena;

struct _TlTrace
{
  gatomicrefcount  ref_count;
  TlPreset        *preset;

  ChunkedArray     events;       /* TlEvent */
  ChunkedArray     instances;    /* TlInstance */
  ChunkedArray     outcomes;     /* TlOutcome, same index as instances */
  ChunkedArray     refs;         /* InstanceRefs, same index as instances */
  ChunkedArray     http;         /* TlHttpDetails */
  ChunkedArray     warnings;     /* TlWarning */

  ChunkedArray     sections;     /* TlSection; its length is published */
  gboolean         open;         /* sections and tasks come from a program, not the preset */
  ChunkedArray     names;        /* InstanceNames, same index as instances (open traces only) */

  StringArena      strings;
  GHashTable      *interned;     /* const char * (in strings) → its reference */
  gboolean         strings_full;

  gint64           counters[TL_N_COUNTERS];
  gint64           max_loop_lag_us;  /* __atomic */
  gint64           end_us;           /* __atomic */
  int              complete;         /* g_atomic */
  int              stopped;          /* g_atomic; set before complete */

  /* Child index, built on the first call once the trace is complete. */
  GMutex           children_lock;
  guint32         *child_offsets;    /* n_instances + 1 */
  guint32         *child_ids;
};

G_DEFINE_BOXED_TYPE (TlTrace, tl_trace, tl_trace_ref, tl_trace_unref)

/* --- chunked arrays --- */

static void
chunked_init (ChunkedArray *array,
              gsize         elem_size)
{
  array->elem_size = elem_size;
  array->len = 0;
  memset (array->blocks, 0, sizeof array->blocks);
}

static void
chunked_clear (ChunkedArray *array)
{
  for (guint b = 0; b < TOP_SIZE; b++)
    {
      gpointer *block = array->blocks[b];

      if (block == NULL)
        break;
      for (guint c = 0; c < BLOCK_SIZE && block[c] != NULL; c++)
        g_free (block[c]);
      g_free (block);
      array->blocks[b] = NULL;
    }
  array->len = 0;
}

static inline gpointer
chunked_peek (const ChunkedArray *array,
              guint               index)
{
  guint top = index >> (CHUNK_BITS + BLOCK_BITS);
  guint mid = (index >> CHUNK_BITS) & (BLOCK_SIZE - 1);
  guint off = index & (CHUNK_SIZE - 1);

  return (guint8 *) array->blocks[top][mid] + (gsize) off * array->elem_size;
}

/* Writer side: a zeroed slot for the entry at index len, not yet published. */
static gpointer
chunked_reserve (ChunkedArray *array)
{
  guint index = (guint) array->len;
  guint top = index >> (CHUNK_BITS + BLOCK_BITS);
  guint mid = (index >> CHUNK_BITS) & (BLOCK_SIZE - 1);

  if (G_UNLIKELY (index >= (guint) G_MAXINT))
    g_error ("trace is full (%u entries)", index);

  if (array->blocks[top] == NULL)
    array->blocks[top] = g_new0 (gpointer, BLOCK_SIZE);
  if (array->blocks[top][mid] == NULL)
    array->blocks[top][mid] = g_malloc0 (CHUNK_SIZE * array->elem_size);

  return chunked_peek (array, index);
}

/* Writer side: makes the reserved entry visible to readers. */
static inline guint
chunked_publish (ChunkedArray *array)
{
  int index = array->len;

  g_atomic_int_set (&array->len, index + 1);
  return (guint) index;
}

static inline guint
chunked_get_len (const ChunkedArray *array)
{
  return (guint) g_atomic_int_get ((int *) &array->len);
}

/* --- strings --- */

static inline const char *
arena_get (const StringArena *arena,
           guint32            ref)
{
  guint64 offset;

  if (ref == 0)
    return NULL;
  offset = (guint64) ref - 1;
  return arena->blocks[offset >> ARENA_BLOCK_BITS] + (offset & (ARENA_BLOCK_SIZE - 1));
}

/* Writer side: a copy of @str and its reference, 0 when the space is full. */
static guint32
arena_add (StringArena *arena,
           const char  *str)
{
  gsize len = strlen (str) + 1;
  guint64 start = arena->used;
  guint64 block;

  if (len > ARENA_BLOCK_SIZE - (start & (ARENA_BLOCK_SIZE - 1)))
    start = (start + ARENA_BLOCK_SIZE - 1) & ~(ARENA_BLOCK_SIZE - 1);

  if (len > ARENA_BLOCK_SIZE)
    {
      /* A string larger than a block (a gather's result over a million
       * children) gets an allocation of its own and the room of as many
       * blocks in the space, so references stay simple offsets. */
      guint64 n_blocks = (len + ARENA_BLOCK_SIZE - 1) >> ARENA_BLOCK_BITS;

      if (start + n_blocks * ARENA_BLOCK_SIZE > ARENA_LIMIT)
        return 0;
      block = start >> ARENA_BLOCK_BITS;
      arena->blocks[block] = g_malloc (len);
      memcpy (arena->blocks[block], str, len);
      arena->used = start + n_blocks * ARENA_BLOCK_SIZE;
      return (guint32) (start + 1);
    }

  if (start + len > ARENA_LIMIT)
    return 0;
  block = start >> ARENA_BLOCK_BITS;
  if (arena->blocks[block] == NULL)
    arena->blocks[block] = g_malloc (ARENA_BLOCK_SIZE);
  memcpy (arena->blocks[block] + (start & (ARENA_BLOCK_SIZE - 1)), str, len);
  arena->used = start + len;
  return (guint32) (start + 1);
}

static guint32
intern (TlTrace    *self,
        const char *str)
{
  gpointer found;
  guint32 ref;

  if (str == NULL)
    return 0;

  found = g_hash_table_lookup (self->interned, str);
  if (found != NULL)
    return GPOINTER_TO_UINT (found);

  ref = arena_add (&self->strings, str);
  if (ref == 0)
    {
      if (!self->strings_full)
        g_warning ("the trace holds 4 GiB of strings; later results and errors are not recorded");
      self->strings_full = TRUE;
      return 0;
    }

  if (g_hash_table_size (self->interned) < MAX_INTERNED)
    g_hash_table_insert (self->interned, (gpointer) arena_get (&self->strings, ref), GUINT_TO_POINTER (ref));

  return ref;
}

/* --- life cycle --- */

TlTrace *
tl_trace_new (TlPreset *preset)
{
  TlTrace *self;

  g_return_val_if_fail (preset != NULL, NULL);

  self = g_new0 (TlTrace, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->preset = tl_preset_ref (preset);

  chunked_init (&self->events, sizeof (TlEvent));
  chunked_init (&self->instances, sizeof (TlInstance));
  chunked_init (&self->outcomes, sizeof (TlOutcome));
  chunked_init (&self->refs, sizeof (InstanceRefs));
  chunked_init (&self->http, sizeof (TlHttpDetails));
  chunked_init (&self->warnings, sizeof (TlWarning));

  chunked_init (&self->sections, sizeof (TlSection));
  chunked_init (&self->names, sizeof (InstanceNames));
  self->interned = g_hash_table_new (g_str_hash, g_str_equal);
  self->end_us = -1;
  g_mutex_init (&self->children_lock);

  return self;
}

TlTrace *
tl_trace_new_open (TlPreset *preset)
{
  TlTrace *self = tl_trace_new (preset);

  if (self != NULL)
    self->open = TRUE;
  return self;
}

gboolean
tl_trace_is_open (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->open;
}

TlTrace *
tl_trace_ref (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
tl_trace_free (TlTrace *self)
{
  guint n_http = chunked_get_len (&self->http);

  for (guint i = 0; i < n_http; i++)
    {
      TlHttpDetails *http = chunked_peek (&self->http, i);

      g_free (http->reason);
      g_free (http->url);
    }

  chunked_clear (&self->events);
  chunked_clear (&self->instances);
  chunked_clear (&self->outcomes);
  chunked_clear (&self->refs);
  chunked_clear (&self->http);
  chunked_clear (&self->warnings);

  for (guint b = 0; b < ARENA_N_BLOCKS; b++)
    g_free (self->strings.blocks[b]);

  chunked_clear (&self->sections);
  chunked_clear (&self->names);
  g_hash_table_unref (self->interned);
  g_free (self->child_offsets);
  g_free (self->child_ids);
  g_mutex_clear (&self->children_lock);
  tl_preset_unref (self->preset);
  g_free (self);
}

void
tl_trace_unref (TlTrace *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    tl_trace_free (self);
}

TlPreset *
tl_trace_get_preset (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->preset;
}

/* --- writer side --- */

static inline TlOutcome *
writer_outcome (TlTrace *self,
                guint32  instance)
{
  if (instance >= (guint32) self->instances.len)
    return NULL;
  return chunked_peek (&self->outcomes, instance);
}

static inline InstanceRefs *
writer_refs (TlTrace *self,
             guint32  instance)
{
  if (instance >= (guint32) self->instances.len)
    return NULL;
  return chunked_peek (&self->refs, instance);
}

static void
append_event (TlTrace     *self,
              gint64       time_us,
              TlEventType  type,
              guint32      instance,
              guint8       a,
              guint16      b,
              gint64       value)
{
  TlEvent *event = chunked_reserve (&self->events);

  event->time_us = MAX (time_us, 0);
  event->value = value;
  event->instance = instance;
  event->type = type;
  event->a = a;
  event->b = b;
  chunked_publish (&self->events);

  if (event->time_us > self->end_us)
    __atomic_store_n (&self->end_us, event->time_us, __ATOMIC_RELEASE);
}

/* Keeps TlOutcome in step with a state change; FALSE when nothing changed. */
static gboolean
update_outcome_state (TlTrace *self,
                      guint32  instance,
                      TlState  state,
                      gint64   now_us)
{
  TlOutcome *outcome = writer_outcome (self, instance);

  if (outcome == NULL)
    {
      g_critical ("%s: no instance %u", G_STRFUNC, instance);
      return FALSE;
    }

  if (outcome->state == state)
    return FALSE;

  /* A final state is final: late notifications (a thread job returning
   * after its task was cancelled) must not rewrite it. */
  if (TL_STATE_IS_FINAL (outcome->state))
    return FALSE;

  outcome->state = state;
  switch (state)
    {
    case TL_STATE_QUEUED:
      if (outcome->queued_us < 0)
        outcome->queued_us = now_us;
      break;
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
      if (outcome->started_us < 0)
        outcome->started_us = now_us;
      break;
    case TL_STATE_CREATED:
    case TL_STATE_BLOCKED:
      break;
    case TL_STATE_TIMED_OUT:
      /* Timed out while its job was still queued: the task itself (the
       * wait_for() around run_in_executor()) was waiting from the moment
       * it queued the job, so it did start. */
      if (outcome->started_us < 0 && outcome->queued_us >= 0)
        outcome->started_us = outcome->queued_us;
      outcome->finished_us = now_us;
      break;
    case TL_STATE_OK:
    case TL_STATE_FAILED:
    case TL_STATE_CANCELLED:
    case TL_STATE_NEVER_STARTED:
    case TL_N_STATES:
    default:
      outcome->finished_us = now_us;
      break;
    }

  return TRUE;
}

static guint32
add_instance (TlTrace *self,
              guint32  parent,
              guint    spec,
              TlKind   kind,
              guint    copy,
              guint    section,
              TlOn     on,
              gint64   now_us)
{
  TlInstance *instance;
  TlOutcome *outcome;
  InstanceRefs *refs;
  guint32 id;

  id = (guint32) self->instances.len;

  /* The side slots are fully written before the instance is published,
   * so a reader that sees the instance also sees valid slots. */
  outcome = chunked_reserve (&self->outcomes);
  outcome->created_us = now_us;
  outcome->queued_us = -1;
  outcome->started_us = -1;
  outcome->finished_us = -1;
  outcome->deadline_us = -1;
  outcome->cause_instance = TL_NO_INSTANCE;
  outcome->state = TL_STATE_CREATED;
  outcome->cause = TL_CAUSE_NONE;
  chunked_publish (&self->outcomes);

  refs = chunked_reserve (&self->refs);
  refs->result = refs->error = refs->http = 0;
  chunked_publish (&self->refs);

  instance = chunked_reserve (&self->instances);
  instance->parent = parent;
  instance->spec = spec;
  instance->copy = MAX (copy, 1);
  instance->section = section;
  instance->kind = kind;
  instance->on = on;
  instance->depth = 0;
  if (parent != TL_NO_INSTANCE && parent < id)
    {
      const TlInstance *p = chunked_peek (&self->instances, parent);
      instance->depth = p->depth + 1;
    }
  instance->flags = 0;
  instance->created_seq = id;
  chunked_publish (&self->instances);

  /* Readers learn the creation time from the event log: TlInstance has
   * no room for it and TlOutcome is not theirs to read yet. */
  append_event (self, now_us, TL_EVENT_STATE, id, TL_STATE_CREATED, 0, 0);

  return id;
}

guint32
tl_trace_add_instance (TlTrace *self,
                       guint32  parent,
                       guint    spec,
                       guint    copy,
                       guint    section,
                       TlOn     on,
                       gint64   now_us)
{
  g_return_val_if_fail (self != NULL, TL_NO_INSTANCE);
  g_return_val_if_fail (!self->open, TL_NO_INSTANCE);
  g_return_val_if_fail (spec < self->preset->n_tasks, TL_NO_INSTANCE);

  return add_instance (self, parent, spec, self->preset->tasks[spec].kind, copy, section, on, now_us);
}

guint32
tl_trace_add_open_instance (TlTrace    *self,
                            guint32     parent,
                            guint       section,
                            TlKind      kind,
                            TlOn        on,
                            const char *name,
                            const char *label,
                            guint       source_line,
                            gint64      now_us)
{
  InstanceNames *names;

  g_return_val_if_fail (self != NULL, TL_NO_INSTANCE);
  g_return_val_if_fail (self->open, TL_NO_INSTANCE);
  g_return_val_if_fail (kind < TL_N_KINDS, TL_NO_INSTANCE);

  /* The names slot is complete before add_instance() publishes the
   * instance, so a reader that sees the instance sees its names. */
  names = chunked_reserve (&self->names);
  names->name = intern (self, name != NULL ? name : "");
  names->label = intern (self, label != NULL ? label : (name != NULL ? name : ""));
  names->traceback = 0;
  names->source_line = source_line;
  chunked_publish (&self->names);

  return add_instance (self, parent, TL_NO_SPEC, kind, 1, section, on, now_us);
}

void
tl_trace_set_traceback (TlTrace    *self,
                        guint32     instance,
                        const char *traceback)
{
  InstanceNames *names;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->open);
  g_return_if_fail (instance < (guint32) self->instances.len);

  names = chunked_peek (&self->names, instance);
  names->traceback = intern (self, traceback);
}

void
tl_trace_add_event (TlTrace     *self,
                    gint64       time_us,
                    TlEventType  type,
                    guint32      instance,
                    guint8       a,
                    guint16      b,
                    gint64       value)
{
  g_return_if_fail (self != NULL);

  switch (type)
    {
    case TL_EVENT_STATE:
      if (!update_outcome_state (self, instance, (TlState) a, time_us))
        return;
      if (a == TL_STATE_CANCELLED || a == TL_STATE_TIMED_OUT || a == TL_STATE_NEVER_STARTED)
        {
          TlOutcome *outcome = writer_outcome (self, instance);
          outcome->cause = (guint8) b;
          outcome->cause_instance = (guint32) value;
        }
      break;

    case TL_EVENT_DEADLINE:
      {
        TlOutcome *outcome = writer_outcome (self, instance);

        /* A Timeout is the instance's own deadline; MaxWait only counts
         * when there is no Timeout. */
        if (outcome != NULL && (b == 0 || outcome->deadline_us < 0))
          outcome->deadline_us = value;
      }
      break;

    case TL_EVENT_COUNTER:
      if (a < TL_N_COUNTERS)
        {
          if (self->counters[a] == value)
            return;
          self->counters[a] = value;
          if (a == TL_COUNTER_LOOP_LAG_US)
            tl_trace_note_loop_lag (self, value);
        }
      break;

    case TL_EVENT_LOOP_STALL:
      tl_trace_note_loop_lag (self, value);
      break;

    case TL_EVENT_SECTION_START:
    case TL_EVENT_SECTION_END:
    case TL_EVENT_TIMEOUT_FIRED:
    case TL_EVENT_ERROR_RAISED:
    case TL_EVENT_SPAWNED:
    case TL_EVENT_RESULT_TAKEN:
    case TL_EVENT_CANCEL_REQUEST:
    case TL_EVENT_WARNING:
    default:
      break;
    }

  append_event (self, time_us, type, instance, a, b, value);
}

void
tl_trace_set_state (TlTrace *self,
                    guint32  instance,
                    TlState  state,
                    gint64   now_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (state < TL_N_STATES);

  if (update_outcome_state (self, instance, state, now_us))
    append_event (self, now_us, TL_EVENT_STATE, instance, state, 0, 0);
}

void
tl_trace_set_cancelled (TlTrace *self,
                        guint32  instance,
                        TlState  final_state,
                        TlCause  cause,
                        guint32  cause_instance,
                        gint64   now_us)
{
  TlOutcome *outcome;

  g_return_if_fail (self != NULL);
  g_return_if_fail (final_state == TL_STATE_CANCELLED ||
                    final_state == TL_STATE_TIMED_OUT ||
                    final_state == TL_STATE_NEVER_STARTED);

  if (!update_outcome_state (self, instance, final_state, now_us))
    return;

  outcome = writer_outcome (self, instance);
  outcome->cause = cause;
  outcome->cause_instance = cause_instance;
  append_event (self, now_us, TL_EVENT_STATE, instance, final_state, cause, cause_instance);
}

void
tl_trace_set_result (TlTrace    *self,
                     guint32     instance,
                     const char *result)
{
  InstanceRefs *refs;

  g_return_if_fail (self != NULL);

  refs = writer_refs (self, instance);
  g_return_if_fail (refs != NULL);

  refs->result = intern (self, result);
}

void
tl_trace_take_result (TlTrace *self,
                      guint32  instance,
                      char    *result)
{
  tl_trace_set_result (self, instance, result);
  g_free (result);
}

void
tl_trace_set_error (TlTrace    *self,
                    guint32     instance,
                    const char *message)
{
  InstanceRefs *refs;

  g_return_if_fail (self != NULL);

  refs = writer_refs (self, instance);
  g_return_if_fail (refs != NULL);

  refs->error = intern (self, message);
}

TlHttpDetails *
tl_trace_ensure_http (TlTrace *self,
                      guint32  instance)
{
  InstanceRefs *refs;
  TlHttpDetails *http;

  g_return_val_if_fail (self != NULL, NULL);

  refs = writer_refs (self, instance);
  g_return_val_if_fail (refs != NULL, NULL);

  if (refs->http != 0)
    return chunked_peek (&self->http, refs->http - 1);

  http = chunked_reserve (&self->http);
  http->bytes = -1;
  http->request_bytes = -1;
  http->fetch_start_us = -1;
  http->dns_start_us = http->dns_end_us = -1;
  http->connect_start_us = http->connect_end_us = -1;
  http->tls_start_us = http->tls_end_us = -1;
  http->request_start_us = http->request_end_us = -1;
  http->first_byte_us = -1;
  http->end_us = -1;
  refs->http = chunked_publish (&self->http) + 1;

  return http;
}

guint
tl_trace_add_warning (TlTrace       *self,
                      guint32        instance,
                      TlWarningCode  code,
                      const char    *message,
                      gint64         now_us)
{
  TlWarning *warning;
  guint index;

  g_return_val_if_fail (self != NULL, 0);

  warning = chunked_reserve (&self->warnings);
  warning->instance = instance;
  warning->code = code;
  /* The arena only fills up at 4 GiB; a warning then keeps a static
   * empty message rather than none. */
  warning->message = (char *) arena_get (&self->strings, intern (self, message != NULL ? message : ""));
  if (warning->message == NULL)
    warning->message = (char *) "";
  index = chunked_publish (&self->warnings);

  append_event (self, now_us, TL_EVENT_WARNING, instance, code, 0, index);
  return index;
}

void
tl_trace_begin_section (TlTrace *self,
                        guint    section,
                        guint32  root,
                        gint64   now_us)
{
  TlSection *s;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->open || section < self->preset->n_sections);
  g_return_if_fail (section <= (guint) self->sections.len);

  {
    gboolean is_new = section == (guint) self->sections.len;

    /* Filled before it is published, as every entry. */
    s = is_new ? chunked_reserve (&self->sections) : chunked_peek (&self->sections, section);
    s->start_us = now_us;
    s->end_us = -1;
    s->root = root;
    s->state = TL_STATE_CREATED;
    s->cpu_measured = FALSE;
    s->cpu_pressure_us = -1;
    if (is_new)
      chunked_publish (&self->sections);
  }

  append_event (self, now_us, TL_EVENT_SECTION_START, root, 0, 0, section);
}

void
tl_trace_end_section (TlTrace *self,
                      guint    section,
                      gint64   now_us)
{
  TlSection *s;
  TlOutcome *outcome;

  g_return_if_fail (self != NULL);
  g_return_if_fail ((int) section < self->sections.len);

  s = chunked_peek (&self->sections, section);
  s->end_us = now_us;
  outcome = writer_outcome (self, s->root);
  if (outcome != NULL)
    s->state = outcome->state;

  append_event (self, now_us, TL_EVENT_SECTION_END, s->root, 0, 0, section);
}

void
tl_trace_set_section_cpu (TlTrace *self,
                          guint    section,
                          guint    cores,
                          gint64   process_cpu_us,
                          gint64   pressure_us)
{
  TlSection *s;

  g_return_if_fail (self != NULL);
  g_return_if_fail ((int) section < self->sections.len);

  s = chunked_peek (&self->sections, section);
  s->cpu_measured = TRUE;
  s->cpu_cores = cores;
  s->cpu_process_us = process_cpu_us;
  s->cpu_pressure_us = pressure_us;
}

void
tl_trace_set_counter (TlTrace   *self,
                      TlCounter  counter,
                      gint64     value,
                      gint64     now_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (counter < TL_N_COUNTERS);

  if (self->counters[counter] == value)
    return;

  self->counters[counter] = value;
  if (counter == TL_COUNTER_LOOP_LAG_US)
    tl_trace_note_loop_lag (self, value);

  append_event (self, now_us, TL_EVENT_COUNTER, TL_NO_INSTANCE, counter, 0, value);
}

void
tl_trace_note_loop_lag (TlTrace *self,
                        gint64   lag_us)
{
  g_return_if_fail (self != NULL);

  if (lag_us > self->max_loop_lag_us)
    __atomic_store_n (&self->max_loop_lag_us, lag_us, __ATOMIC_RELEASE);
}

void
tl_trace_complete (TlTrace *self,
                   gint64   now_us)
{
  g_return_if_fail (self != NULL);

  if (now_us > self->end_us)
    __atomic_store_n (&self->end_us, now_us, __ATOMIC_RELEASE);
  g_atomic_int_set (&self->complete, TRUE);
}

/* --- reader side --- */

guint
tl_trace_get_n_events (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return chunked_get_len (&self->events);
}

const TlEvent *
tl_trace_get_event (TlTrace *self,
                    guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < chunked_get_len (&self->events), NULL);

  return chunked_peek (&self->events, index);
}

guint
tl_trace_get_n_instances (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return chunked_get_len (&self->instances);
}

const TlInstance *
tl_trace_get_instance (TlTrace *self,
                       guint32  id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < chunked_get_len (&self->instances), NULL);

  return chunked_peek (&self->instances, id);
}

static const InstanceRefs *
reader_refs (TlTrace *self,
             guint32  id)
{
  if (id >= chunked_get_len (&self->instances))
    return NULL;
  return chunked_peek (&self->refs, id);
}

const TlOutcome *
tl_trace_get_outcome (TlTrace *self,
                      guint32  id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < chunked_get_len (&self->instances), NULL);

  return chunked_peek (&self->outcomes, id);
}

gboolean
tl_trace_is_complete (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_atomic_int_get (&self->complete);
}

void
tl_trace_mark_stopped (TlTrace *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->stopped, TRUE);
}

gboolean
tl_trace_was_stopped (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_atomic_int_get (&self->stopped);
}

gboolean
tl_trace_ran_to_end (TlTrace *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!tl_trace_is_complete (self) || tl_trace_was_stopped (self))
    return FALSE;
  n = tl_trace_get_n_sections (self);
  if (self->open ? n == 0 : n != self->preset->n_sections)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (tl_trace_get_section (self, i)->end_us < 0)
      return FALSE;
  return TRUE;
}

gint64
tl_trace_get_end_us (TlTrace *self)
{
  gint64 end_us;

  g_return_val_if_fail (self != NULL, 0);

  end_us = __atomic_load_n (&self->end_us, __ATOMIC_ACQUIRE);
  return MAX (end_us, 0);
}

static void
build_child_index (TlTrace *self)
{
  guint n = chunked_get_len (&self->instances);
  guint32 *offsets = g_new0 (guint32, (gsize) n + 1);
  guint32 *ids = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *fill = NULL;

  for (guint i = 0; i < n; i++)
    {
      const TlInstance *instance = chunked_peek (&self->instances, i);

      if (instance->parent < n)
        offsets[instance->parent + 1]++;
    }
  for (guint i = 0; i < n; i++)
    offsets[i + 1] += offsets[i];

  fill = g_memdup2 (offsets, sizeof (guint32) * ((gsize) n + 1));
  /* Ids ascend in creation order, so one pass keeps children in order. */
  for (guint i = 0; i < n; i++)
    {
      const TlInstance *instance = chunked_peek (&self->instances, i);

      if (instance->parent < n)
        ids[fill[instance->parent]++] = i;
    }

  self->child_ids = ids;
  self->child_offsets = offsets;
}

const guint32 *
tl_trace_get_children (TlTrace *self,
                       guint32  id,
                       guint   *n_children)
{
  const guint32 *children = NULL;
  guint n = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (tl_trace_is_complete (self), NULL);

  g_mutex_lock (&self->children_lock);
  if (self->child_offsets == NULL)
    build_child_index (self);
  if (id < chunked_get_len (&self->instances))
    {
      n = self->child_offsets[id + 1] - self->child_offsets[id];
      children = self->child_ids + self->child_offsets[id];
    }
  g_mutex_unlock (&self->children_lock);

  if (n_children != NULL)
    *n_children = n;
  return n > 0 ? children : NULL;
}

char *
tl_trace_dup_label (TlTrace *self,
                    guint32  id)
{
  const TlInstance *instance;
  const TlTaskSpec *spec;

  g_return_val_if_fail (self != NULL, NULL);

  instance = tl_trace_get_instance (self, id);
  g_return_val_if_fail (instance != NULL, NULL);

  if (self->open)
    {
      const InstanceNames *names = chunked_peek (&self->names, id);
      const char *label = arena_get (&self->strings, names->label);

      return g_strdup (label != NULL ? label : "");
    }

  spec = &self->preset->tasks[instance->spec];
  return tl_preset_expand (spec->label != NULL ? spec->label : spec->name, instance->copy);
}

char *
tl_trace_dup_label_for_message (TlTrace *self,
                                guint32  id)
{
  g_autofree char *label = tl_trace_dup_label (self, id);

  return label != NULL ? tl_text_echo (label) : NULL;
}

const char *
tl_trace_get_task_name (TlTrace *self,
                        guint32  id)
{
  const TlInstance *instance;
  const char *name;

  g_return_val_if_fail (self != NULL, NULL);

  instance = tl_trace_get_instance (self, id);
  g_return_val_if_fail (instance != NULL, NULL);

  if (!self->open)
    return self->preset->tasks[instance->spec].name;

  name = arena_get (&self->strings, ((const InstanceNames *) chunked_peek (&self->names, id))->name);
  return name != NULL ? name : "";
}

gboolean
tl_trace_same_task (TlTrace *self,
                    guint32  a,
                    guint32  b)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (a < tl_trace_get_n_instances (self) && b < tl_trace_get_n_instances (self), FALSE);

  /* A program's instances all have TL_NO_SPEC. */
  if (self->open)
    return g_strcmp0 (tl_trace_get_task_name (self, a), tl_trace_get_task_name (self, b)) == 0;
  return tl_trace_get_instance (self, a)->spec == tl_trace_get_instance (self, b)->spec;
}

const TlTaskSpec *
tl_trace_get_spec (TlTrace *self,
                   guint32  id)
{
  const TlInstance *instance;

  g_return_val_if_fail (self != NULL, NULL);

  instance = tl_trace_get_instance (self, id);
  if (instance == NULL || self->open || instance->spec >= self->preset->n_tasks)
    return NULL;
  return &self->preset->tasks[instance->spec];
}

guint
tl_trace_instance_get_source_line (TlTrace *self,
                                   guint32  id)
{
  g_return_val_if_fail (self != NULL, 0);

  if (!self->open || id >= chunked_get_len (&self->instances))
    return 0;
  return ((const InstanceNames *) chunked_peek (&self->names, id))->source_line;
}

const char *
tl_trace_get_traceback (TlTrace *self,
                        guint32  id)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->open || id >= chunked_get_len (&self->instances))
    return NULL;
  return arena_get (&self->strings, ((const InstanceNames *) chunked_peek (&self->names, id))->traceback);
}

const char *
tl_trace_get_result (TlTrace *self,
                     guint32  id)
{
  const InstanceRefs *refs;

  g_return_val_if_fail (self != NULL, NULL);

  refs = reader_refs (self, id);
  g_return_val_if_fail (refs != NULL, NULL);

  return arena_get (&self->strings, refs->result);
}

const char *
tl_trace_get_error (TlTrace *self,
                    guint32  id)
{
  const InstanceRefs *refs;

  g_return_val_if_fail (self != NULL, NULL);

  refs = reader_refs (self, id);
  g_return_val_if_fail (refs != NULL, NULL);

  return arena_get (&self->strings, refs->error);
}

const TlHttpDetails *
tl_trace_get_http (TlTrace *self,
                   guint32  id)
{
  const InstanceRefs *refs;

  g_return_val_if_fail (self != NULL, NULL);

  refs = reader_refs (self, id);
  g_return_val_if_fail (refs != NULL, NULL);

  if (refs->http == 0)
    return NULL;
  return chunked_peek (&self->http, refs->http - 1);
}

guint
tl_trace_get_n_warnings (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return chunked_get_len (&self->warnings);
}

const TlWarning *
tl_trace_get_warning (TlTrace *self,
                      guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < chunked_get_len (&self->warnings), NULL);

  return chunked_peek (&self->warnings, index);
}

guint
tl_trace_get_n_sections (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return chunked_get_len (&self->sections);
}

const TlSection *
tl_trace_get_section (TlTrace *self,
                      guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < tl_trace_get_n_sections (self), NULL);

  return chunked_peek (&self->sections, index);
}

gint64
tl_trace_get_max_loop_lag_us (TlTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return __atomic_load_n (&self->max_loop_lag_us, __ATOMIC_ACQUIRE);
}

/* --- loading a recording (tl-trace-private.h) --- */

guint32
_tl_trace_load_instance (TlTrace          *self,
                         const TlInstance *instance,
                         const TlOutcome  *outcome)
{
  TlOutcome *o;
  InstanceRefs *refs;
  TlInstance *i;

  g_return_val_if_fail (self != NULL, TL_NO_INSTANCE);
  g_return_val_if_fail (self->open ? instance->spec == TL_NO_SPEC : instance->spec < self->preset->n_tasks,
                        TL_NO_INSTANCE);
  g_return_val_if_fail (!self->open || chunked_get_len (&self->names) == chunked_get_len (&self->instances) + 1,
                        TL_NO_INSTANCE);

  o = chunked_reserve (&self->outcomes);
  *o = *outcome;
  chunked_publish (&self->outcomes);

  refs = chunked_reserve (&self->refs);
  refs->result = refs->error = refs->http = 0;
  chunked_publish (&self->refs);

  i = chunked_reserve (&self->instances);
  *i = *instance;
  return chunked_publish (&self->instances);
}

void
_tl_trace_load_names (TlTrace    *self,
                      const char *name,
                      const char *label,
                      guint       source_line,
                      const char *traceback)
{
  InstanceNames *names;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->open);

  names = chunked_reserve (&self->names);
  names->name = intern (self, name != NULL ? name : "");
  names->label = intern (self, label != NULL ? label : "");
  names->traceback = intern (self, traceback);
  names->source_line = source_line;
  chunked_publish (&self->names);
}

void
_tl_trace_load_event (TlTrace       *self,
                      const TlEvent *event)
{
  g_return_if_fail (self != NULL);

  append_event (self, event->time_us, event->type, event->instance,
                event->a, event->b, event->value);
}

void
_tl_trace_load_warning (TlTrace       *self,
                        guint32        instance,
                        TlWarningCode  code,
                        const char    *message)
{
  TlWarning *warning;

  g_return_if_fail (self != NULL);

  warning = chunked_reserve (&self->warnings);
  warning->instance = instance;
  warning->code = code;
  warning->message = (char *) arena_get (&self->strings, intern (self, message != NULL ? message : ""));
  if (warning->message == NULL)
    warning->message = (char *) "";
  chunked_publish (&self->warnings);
}

void
_tl_trace_load_section (TlTrace         *self,
                        guint            index,
                        const TlSection *section)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->open || index < self->preset->n_sections);
  g_return_if_fail (index <= (guint) self->sections.len);

  if (index == (guint) self->sections.len)
    {
      *(TlSection *) chunked_reserve (&self->sections) = *section;
      chunked_publish (&self->sections);
    }
  else
    *(TlSection *) chunked_peek (&self->sections, index) = *section;
}

void
_tl_trace_load_totals (TlTrace  *self,
                       gint64    end_us,
                       gint64    max_loop_lag_us,
                       gboolean  stopped,
                       gboolean  complete)
{
  g_return_if_fail (self != NULL);

  __atomic_store_n (&self->end_us, end_us, __ATOMIC_RELEASE);
  __atomic_store_n (&self->max_loop_lag_us, max_loop_lag_us, __ATOMIC_RELEASE);
  g_atomic_int_set (&self->stopped, stopped);
  g_atomic_int_set (&self->complete, complete);
}
