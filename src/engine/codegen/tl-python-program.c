/* tl-python-program.c — a preset as the asyncio program it stands for
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every construct maps to the asyncio a reader of the tutorial would write:
 * sleep → asyncio.sleep, blocking → time.sleep (on the loop, or through
 * run_in_executor on a ThreadPoolExecutor), cpu → compute() on the loop,
 * a thread or a ProcessPoolExecutor, fetch → aiohttp, sequence → awaits
 * one after another, gather → asyncio.gather (TaskGroup for
 * CancelOnError), wait → asyncio.wait, spawn/await → create_task and
 * await task, Timeout → async with asyncio.timeout (wait_for around an
 * executor job), Catch → try/except, Awaited=false → a coroutine created
 * and dropped. Each task the engine would draw is created on one line,
 * which the program remembers for the code pane.
 */
#define G_LOG_DOMAIN "tl-python-program"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "codegen/tl-python-writer.h"
#include "codegen/tl-python-names.h"
#include "codegen/tl-python-program.h"
#include "preset/tl-preset.h"


struct _TlPythonProgram
{
  gatomicrefcount  ref_count;
  TlPreset        *preset;
  char            *text;
  guint            n_lines;
  gboolean         uses_http;
  guint           *lines;       /* [section * n_tasks + spec] */
  GHashTable      *by_line;     /* line → GArray of TlPythonTaskRef */
};

G_DEFINE_BOXED_TYPE (TlPythonProgram, tl_python_program, tl_python_program_ref, tl_python_program_unref)



static void
note_created (TlPythonWriter   *g,
              guint  parent,
              guint  child,
              guint  line)
{
  gint64 *key = g_new (gint64, 1);

  *key = ((gint64) parent << 32) | child;
  g_hash_table_replace (g->created_at, key, GUINT_TO_POINTER (line));
}

/* --- what a task looks like from its parent --- */

static const TlTaskSpec *
spec_at (TlPythonWriter   *g,
         guint  index)
{
  return &g->preset->tasks[index];
}

static gboolean
is_executor_job (const TlTaskSpec *spec)
{
  return (spec->kind == TL_KIND_BLOCKING || spec->kind == TL_KIND_CPU) &&
         (spec->on == TL_ON_THREAD || spec->on == TL_ON_PROCESS);
}

static gboolean
is_repeated (const TlTaskSpec *spec)
{
  return !tl_kind_is_composite (spec->kind) && spec->repeat > 1;
}

/* A string literal for one of the task's texts: an f-string over the copy
 * number i when the task is repeated, the text of copy 1 otherwise. */
static char *
task_string (const TlTaskSpec *spec,
             const char       *text)
{
  if (is_repeated (spec))
    return _tl_python_string (text, TRUE);
  else
    {
      g_autofree char *expanded = tl_preset_expand (text, 1);

      return _tl_python_string (expanded, FALSE);
    }
}

static const char *
copy_argument (const TlTaskSpec *spec)
{
  return is_repeated (spec) ? "i" : "";
}

/* The coroutine call: fetch_user(i). */
static char *
coroutine_call (TlPythonWriter   *g,
                guint  index)
{
  return g_strdup_printf ("%s(%s)", g->names[index], copy_argument (spec_at (g, index)));
}

/* loop.run_in_executor(thread_pool, crunch, i) */
static char *
executor_call (TlPythonWriter   *g,
               guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);

  return g_strdup_printf ("loop.run_in_executor(%s, %s%s%s)",
                          spec->on == TL_ON_PROCESS ? "process_pool" : "thread_pool",
                          g->names[index],
                          is_repeated (spec) ? ", " : "",
                          copy_argument (spec));
}

static char *
with_deadline (const TlTaskSpec *spec,
               char             *awaitable)
{
  g_autofree char *seconds = NULL;
  char *wrapped;

  if (spec->timeout_us < 0)
    return awaitable;
  seconds = _tl_python_seconds (spec->timeout_us);
  wrapped = g_strdup_printf ("asyncio.wait_for(%s, timeout=%s)", awaitable, seconds);
  g_free (awaitable);
  return wrapped;
}

/* What a sequence awaits in place: the call itself, or the executor job
 * (a Timeout on a job becomes wait_for: the job has no body of its own
 * to hold `async with asyncio.timeout`). */
static char *
awaitable_expr (TlPythonWriter   *g,
                guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);

  if (is_executor_job (spec))
    return with_deadline (spec, executor_call (g, index));
  return coroutine_call (g, index);
}

/* The task started now: asyncio.create_task(fetch_user(i), name=…), or an
 * executor job, which starts when it is submitted. */
static char *
started_task_expr (TlPythonWriter   *g,
                   guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);
  g_autofree char *label = task_string (spec, spec->label);
  g_autofree char *inner = NULL;

  if (is_executor_job (spec) && spec->timeout_us < 0 && !spec->catch_error)
    return executor_call (g, index);
  inner = awaitable_expr (g, index);
  if (spec->catch_error)
    {
      char *caught = g_strdup_printf ("ignore_error(%s)", inner);

      g->need_ignore_error = TRUE;
      g_free (inner);
      inner = caught;
    }
  return g_strdup_printf ("asyncio.create_task(%s, name=%s)", inner, label);
}

/* The same for a TaskGroup, which only holds coroutines. */
static char *
group_task_expr (TlPythonWriter   *g,
                 guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);
  g_autofree char *label = task_string (spec, spec->label);
  g_autofree char *inner = NULL;

  if (is_executor_job (spec))
    {
      g->need_run_job = TRUE;
      inner = with_deadline (spec, g_strdup_printf ("run_job(%s, %s%s%s)",
                                                    spec->on == TL_ON_PROCESS ? "process_pool" : "thread_pool",
                                                    g->names[index],
                                                    is_repeated (spec) ? ", " : "",
                                                    copy_argument (spec)));
    }
  else
    inner = coroutine_call (g, index);
  if (spec->catch_error)
    {
      char *caught = g_strdup_printf ("ignore_error(%s)", inner);

      g->need_ignore_error = TRUE;
      g_free (inner);
      inner = caught;
    }
  return g_strdup_printf ("group.create_task(%s, name=%s)", inner, label);
}

/* The coroutine a task with Awaited=false creates and drops. */
static char *
unawaited_expr (TlPythonWriter   *g,
                guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);

  if (is_executor_job (spec))
    return g_strdup_printf ("asyncio.to_thread(%s%s%s)", g->names[index],
                            is_repeated (spec) ? ", " : "", copy_argument (spec));
  return coroutine_call (g, index);
}

static char *
range_of (const TlTaskSpec *spec)
{
  return g_strdup_printf ("range(1, %u)", spec->repeat + 1);
}

/* --- before writing: what each task needs --- */

static void
walk (TlPythonWriter   *g,
      guint  index,
      int    parent,
      int    owner)
{
  const TlTaskSpec *spec = spec_at (g, index);
  int self_owner = owner;

  g->used[index] = TRUE;
  if (spec->kind == TL_KIND_SEQUENCE || spec->kind == TL_KIND_GATHER || spec->kind == TL_KIND_WAIT)
    self_owner = (int) index;
  if (spec->kind == TL_KIND_SPAWN || spec->kind == TL_KIND_AWAIT)
    {
      guint target = spec->target;

      if (parent < 0 || spec_at (g, parent)->kind != TL_KIND_SEQUENCE)
        {
          g->has_function[index] = TRUE;
          self_owner = (int) index;
        }
      if (g->var_owner[target] < 0)
        g->var_owner[target] = self_owner;
      else if (g->var_owner[target] != self_owner)
        g->var_global[target] = TRUE;
    }

  switch (spec->kind)
    {
    case TL_KIND_FETCH:
      g->any_http = TRUE;
      if (spec->url[0] == '/')
        g->any_relative_url = TRUE;
      break;
    case TL_KIND_CPU:
      g->any_cpu = TRUE;
      if (spec->on == TL_ON_THREAD && !g->preset->gil)
        g->cpu_releases_gil = TRUE;
      G_GNUC_FALLTHROUGH;
    case TL_KIND_BLOCKING:
      if (spec->on == TL_ON_THREAD)
        g->any_thread = TRUE;
      else if (spec->on == TL_ON_PROCESS)
        g->any_process = TRUE;
      break;
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
      for (guint c = 0; c < spec->n_children; c++)
        walk (g, spec->children[c], (int) index, self_owner);
      break;
    case TL_KIND_SPAWN:
      walk (g, spec->target, (int) index, self_owner);
      break;
    case TL_KIND_SLEEP:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      break;
    }
}

static void
name_task_variables (TlPythonWriter *g)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g->preset->n_tasks; i++)
    g_hash_table_add (taken, g->names[i]);

  for (guint i = 0; i < g->preset->n_tasks; i++)
    {
      const TlTaskSpec *spec = spec_at (g, i);
      guint target = spec->target;
      char *name = NULL;
      const char *eq;

      if (spec->kind != TL_KIND_SPAWN || g->task_vars[target] != NULL)
        continue;
      /* "task1 = asyncio.create_task(…)" names its variable. */
      eq = strchr (spec->label, '=');
      if (eq != NULL && eq[1] != '=')
        {
          g_autofree char *left = g_strndup (spec->label, eq - spec->label);

          g_strstrip (left);
          name = _tl_python_identifier (left);
          if (name != NULL && strcmp (name, left) != 0)
            g_clear_pointer (&name, g_free);
        }
      if (name == NULL)
        name = g_strconcat (g->names[target], is_repeated (spec_at (g, target)) ? "_tasks" : "_task", NULL);
      /* "task" and "tasks" are only loop variables of wait and TaskGroup
       * functions, where no spawn is written in place. */
      while (g_hash_table_contains (taken, name) ||
             (_tl_python_is_reserved (name) && strcmp (name, "task") != 0 && strcmp (name, "tasks") != 0))
        {
          char *longer = g_strconcat (name, "_task", NULL);

          g_free (name);
          name = longer;
        }
      g->task_vars[target] = name;
      g_hash_table_add (taken, name);
    }
}

static gboolean
needs_loop (TlPythonWriter   *g,
            guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);

  if (spec->kind == TL_KIND_SPAWN)
    return is_executor_job (spec_at (g, spec->target));
  if (spec->kind != TL_KIND_SEQUENCE && spec->kind != TL_KIND_GATHER && spec->kind != TL_KIND_WAIT)
    return FALSE;
  for (guint c = 0; c < spec->n_children; c++)
    {
      const TlTaskSpec *child = spec_at (g, spec->children[c]);

      if (!child->awaited)
        continue;
      if (is_executor_job (child) && (spec->kind != TL_KIND_GATHER || !spec->cancel_on_error))
        return TRUE;
      if (child->kind == TL_KIND_SPAWN && spec->kind == TL_KIND_SEQUENCE &&
          is_executor_job (spec_at (g, child->target)))
        return TRUE;
    }
  return FALSE;
}

/* "global task1" for the task variables this function shares. */
static void
emit_globals (TlPythonWriter   *g,
              guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (spec->kind == TL_KIND_SPAWN || spec->kind == TL_KIND_AWAIT)
    {
      if (g->var_global[spec->target])
        g_ptr_array_add (names, g->task_vars[spec->target]);
    }
  else if (spec->kind == TL_KIND_SEQUENCE)
    for (guint c = 0; c < spec->n_children; c++)
      {
        const TlTaskSpec *child = spec_at (g, spec->children[c]);

        if ((child->kind == TL_KIND_SPAWN || child->kind == TL_KIND_AWAIT) &&
            g->var_global[child->target] &&
            !g_ptr_array_find_with_equal_func (names, g->task_vars[child->target], g_str_equal, NULL))
          g_ptr_array_add (names, g->task_vars[child->target]);
      }
  for (guint n = 0; n < names->len; n++)
    emit (g, 1, "global %s", (const char *) names->pdata[n]);
}

/* --- functions --- */

static void
emit_def (TlPythonWriter      *g,
          guint     index,
          gboolean  is_async)
{
  const TlTaskSpec *spec = spec_at (g, index);
  g_autofree char *own_call = g_strdup_printf ("%s(%s)", g->names[index],
                                               is_repeated (spec) ? "{i}" : "");

  /* Keep the label in sight when the definition does not say it all. */
  if (strcmp (spec->label, own_call) != 0)
    emit (g, 0, "# %s", spec->label);
  emit (g, 0, "%sdef %s(%s):", is_async ? "async " : "", g->names[index], copy_argument (spec));
}

/* Opens `async with asyncio.timeout(T):` for a Timeout; returns the
 * indentation of the body. */
static int
open_deadline (TlPythonWriter              *g,
               const TlTaskSpec *spec)
{
  g_autofree char *seconds = NULL;

  if (spec->timeout_us < 0)
    return 1;
  seconds = _tl_python_seconds (spec->timeout_us);
  emit (g, 1, "async with asyncio.timeout(%s):", seconds);
  return 2;
}

static void
emit_outcome (TlPythonWriter              *g,
              int               indent,
              const TlTaskSpec *spec,
              const char       *default_return)
{
  if (spec->fail != NULL)
    {
      g_autofree char *fail = is_repeated (spec) ? g_strdup (spec->fail) : tl_preset_expand (spec->fail, 1);
      g_autofree char *raise = _tl_python_raise (fail, is_repeated (spec));

      emit_text (g, indent, raise);
    }
  else if (spec->result != NULL)
    {
      g_autofree char *literal = task_string (spec, spec->result);

      emit (g, indent, "return %s", literal);
    }
  else if (default_return != NULL)
    emit_text (g, indent, default_return);
}

static void
emit_fetch_body (TlPythonWriter              *g,
                 int               indent,
                 const TlTaskSpec *spec)
{
  g_autofree char *url = task_string (spec, spec->url);
  g_autofree char *full_url = NULL;
  g_autofree char *request = NULL;

  if (spec->url[0] == '/')
    full_url = url[0] == 'f' ? g_strdup_printf ("f\"{DEMO_URL}%s", url + 2)
                             : g_strdup_printf ("DEMO_URL + %s", url);
  else
    full_url = g_strdup (url);

  if (strcmp (spec->method, "GET") == 0)
    request = g_strdup_printf ("session.get(%s)", full_url);
  else if (spec->body != NULL)
    {
      g_autofree char *body = task_string (spec, spec->body);

      request = g_strdup_printf ("session.request(\"%s\", %s, data=%s)", spec->method, full_url, body);
    }
  else
    request = g_strdup_printf ("session.request(\"%s\", %s)", spec->method, full_url);

  emit (g, indent, "async with %s as response:", request);
  if (spec->expect_status == NULL)
    emit (g, indent + 1, "if not 200 <= response.status < 300:");
  else
    {
      g_autoptr(GString) codes = g_string_new (NULL);

      for (guint k = 0; k < spec->n_expect_status; k++)
        g_string_append_printf (codes, "%s%u", k > 0 ? ", " : "", spec->expect_status[k]);
      if (spec->n_expect_status == 1)
        g_string_append_c (codes, ',');
      emit (g, indent + 1, "if response.status not in (%s):", codes->str);
    }
  emit (g, indent + 2, "raise RuntimeError(f\"HTTP {response.status} {response.reason}\")");
  emit (g, indent + 1, "body = await read_body(response, max_bytes=%" G_GINT64_FORMAT ")", spec->max_bytes);
  emit_outcome (g, indent, spec, "return f\"{response.status}, {len(body)} bytes\"");
}

static void
emit_leaf (TlPythonWriter   *g,
           guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);
  gboolean job = is_executor_job (spec);
  int indent;

  emit_def (g, index, !job);
  indent = job ? 1 : open_deadline (g, spec);

  switch (spec->kind)
    {
    case TL_KIND_SLEEP:
      {
        g_autofree char *seconds = _tl_python_seconds (spec->duration_us);

        emit (g, indent, "await asyncio.sleep(%s)", seconds);
      }
      break;
    case TL_KIND_BLOCKING:
      {
        g_autofree char *seconds = _tl_python_seconds (spec->duration_us);

        if (spec->on == TL_ON_LOOP)
          emit_comment (g, indent, _("A blocking call right on the event loop: no other task runs until it returns."));
        emit (g, indent, "time.sleep(%s)", seconds);
      }
      break;
    case TL_KIND_CPU:
      {
        g_autofree char *seconds = _tl_python_seconds (spec->work_us);

        if (spec->on == TL_ON_LOOP)
          emit_comment (g, indent, _("CPU work on the event loop: it never reaches an await, so no other task runs meanwhile."));
        emit (g, indent, "compute(%s)", seconds);
      }
      break;
    case TL_KIND_FETCH:
      emit_fetch_body (g, indent, spec);
      break;
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
    case TL_KIND_SPAWN:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (spec->kind != TL_KIND_FETCH)
    emit_outcome (g, indent, spec, NULL);
}

static void
emit_catch (TlPythonWriter              *g,
            int               indent,
            const TlTaskSpec *child)
{
  emit (g, indent, "except Exception as error:");
  emit_comment (g, indent + 1, _("Caught here: the error ends this task only, and the code carries on."));
  emit (g, indent + 1, "print(f\"caught {error!r}\")");
}

/* One child of a sequence, in place. */
static void
emit_sequence_step (TlPythonWriter      *g,
                    guint     parent,
                    guint     index,
                    int       indent,
                    gboolean  last)
{
  const TlTaskSpec *child = spec_at (g, index);
  int body = indent;
  guint line;

  if (!child->awaited)
    {
      g_autofree char *expr = NULL;

      if (is_repeated (child))
        {
          g_autofree char *range = range_of (child);

          emit (g, indent, "for i in %s:", range);
          body++;
        }
      emit_comment (g, body, _("Never awaited: this only creates a coroutine object, which never runs."));
      expr = unawaited_expr (g, index);
      line = emit_text (g, body, expr);
      note_created (g, parent, index, line);
      return;
    }

  if (child->kind == TL_KIND_SPAWN && !g->has_function[index])
    {
      guint target = child->target;
      const TlTaskSpec *target_spec = spec_at (g, target);
      g_autofree char *started = started_task_expr (g, target);

      emit_comment (g, indent, _("Starts now and runs in the background; it is awaited later."));
      if (is_repeated (target_spec))
        {
          g_autofree char *range = range_of (target_spec);

          line = emit (g, indent, "%s = [%s for i in %s]", g->task_vars[target], started, range);
        }
      else
        line = emit (g, indent, "%s = %s", g->task_vars[target], started);
      note_created (g, parent, index, line);
      note_created (g, index, target, line);
      return;
    }

  if (child->kind == TL_KIND_AWAIT && !g->has_function[index])
    {
      guint target = child->target;
      g_autofree char *awaited = is_repeated (spec_at (g, target))
                                 ? g_strdup_printf ("asyncio.gather(*%s)", g->task_vars[target])
                                 : g_strdup (g->task_vars[target]);

      if (child->timeout_us >= 0)
        {
          g_autofree char *seconds = _tl_python_seconds (child->timeout_us);
          char *limited = g_strdup_printf ("asyncio.wait_for(asyncio.shield(%s), timeout=%s)", awaited, seconds);

          g_free (awaited);
          awaited = limited;
        }
      if (child->catch_error)
        {
          emit (g, indent, "try:");
          line = emit (g, indent + 1, "await %s", awaited);
          emit_catch (g, indent, child);
        }
      else
        line = emit (g, indent, "%sawait %s", last ? "return " : "", awaited);
      note_created (g, parent, index, line);
      return;
    }

  {
    g_autofree char *expr = awaitable_expr (g, index);

    if (is_repeated (child))
      {
        g_autofree char *range = range_of (child);

        emit (g, indent, "for i in %s:", range);
        body++;
      }
    if (child->catch_error)
      {
        emit (g, body, "try:");
        line = emit (g, body + 1, "await %s", expr);
        emit_catch (g, body, child);
      }
    else
      line = emit (g, body, "%sawait %s", last && !is_repeated (child) ? "return " : "", expr);
    note_created (g, parent, index, line);
  }
}

/* The list items of a gather, wait or TaskGroup: one line per child,
 * a comprehension for a repeated one. */
static void
emit_task_items (TlPythonWriter      *g,
                 guint     parent,
                 int       indent,
                 gboolean  in_group)
{
  const TlTaskSpec *spec = spec_at (g, parent);

  for (guint c = 0; c < spec->n_children; c++)
    {
      guint index = spec->children[c];
      const TlTaskSpec *child = spec_at (g, index);
      g_autofree char *expr = NULL;
      guint line;

      if (!child->awaited)
        continue;
      expr = in_group ? group_task_expr (g, index) : started_task_expr (g, index);
      if (is_repeated (child))
        {
          g_autofree char *range = range_of (child);

          line = emit (g, indent, "*[%s for i in %s],", expr, range);
        }
      else
        line = emit (g, indent, "%s,", expr);
      note_created (g, parent, index, line);
    }
}

/* Children with Awaited=false of a gather or wait: created, dropped. */
static void
emit_unawaited_children (TlPythonWriter   *g,
                         guint  parent,
                         int    indent)
{
  const TlTaskSpec *spec = spec_at (g, parent);

  for (guint c = 0; c < spec->n_children; c++)
    {
      guint index = spec->children[c];
      const TlTaskSpec *child = spec_at (g, index);
      g_autofree char *expr = NULL;
      int body = indent;
      guint line;

      if (child->awaited)
        continue;
      if (is_repeated (child))
        {
          g_autofree char *range = range_of (child);

          emit (g, indent, "for i in %s:", range);
          body++;
        }
      emit_comment (g, body, _("Never awaited: this only creates a coroutine object, which never runs."));
      expr = unawaited_expr (g, index);
      line = emit_text (g, body, expr);
      note_created (g, parent, index, line);
    }
}

/* Whether an error can come out of this task at all: only then is the
 * gather's way with errors worth a comment. */
static gboolean
can_fail (const TlPreset   *preset,
          const TlTaskSpec *spec)
{
  if (spec->timeout_us >= 0 || spec->fail != NULL || spec->kind == TL_KIND_FETCH)
    return TRUE;
  if (spec->kind == TL_KIND_SPAWN || spec->kind == TL_KIND_AWAIT)
    return can_fail (preset, &preset->tasks[spec->target]);
  for (guint c = 0; c < spec->n_children; c++)
    {
      const TlTaskSpec *child = &preset->tasks[spec->children[c]];

      if (!child->catch_error && can_fail (preset, child))
        return TRUE;
    }
  return FALSE;
}

static guint
count_awaited (const TlPreset   *preset,
               const TlTaskSpec *spec)
{
  guint n = 0;

  for (guint c = 0; c < spec->n_children; c++)
    if (preset->tasks[spec->children[c]].awaited)
      n++;
  return n;
}

static void
emit_gather_body (TlPythonWriter   *g,
                  guint  index,
                  int    indent)
{
  const TlTaskSpec *spec = spec_at (g, index);

  emit_unawaited_children (g, index, indent);
  if (spec->cancel_on_error)
    {
      emit_comment (g, indent, _("CancelOnError: the first error cancels the other tasks of the group."));
      emit (g, indent, "async with asyncio.TaskGroup() as group:");
      emit (g, indent + 1, "tasks = [");
      emit_task_items (g, index, indent + 2, TRUE);
      emit (g, indent + 1, "]");
      emit (g, indent, "return [task.result() for task in tasks]");
      return;
    }
  if (!spec->return_exceptions && can_fail (g->preset, spec))
    emit_comment (g, indent, _("The first error fails the gather at once, but the other tasks keep running."));
  emit (g, indent, "return await asyncio.gather(");
  emit_task_items (g, index, indent + 1, FALSE);
  if (spec->return_exceptions)
    emit (g, indent + 1, "return_exceptions=True,");
  emit (g, indent, ")");
}

static void
emit_wait_body (TlPythonWriter   *g,
                guint  index,
                int    indent)
{
  const TlTaskSpec *spec = spec_at (g, index);
  g_autoptr(GString) args = g_string_new ("tasks");

  emit_unawaited_children (g, index, indent);
  emit (g, indent, "tasks = [");
  emit_task_items (g, index, indent + 1, FALSE);
  emit (g, indent, "]");
  if (spec->return_when == TL_RETURN_FIRST_COMPLETED)
    g_string_append (args, ", return_when=asyncio.FIRST_COMPLETED");
  else if (spec->return_when == TL_RETURN_FIRST_EXCEPTION)
    g_string_append (args, ", return_when=asyncio.FIRST_EXCEPTION");
  if (spec->max_wait_us >= 0)
    {
      g_autofree char *seconds = _tl_python_seconds (spec->max_wait_us);

      g_string_append_printf (args, ", timeout=%s", seconds);
    }
  if (count_awaited (g->preset, spec) == 0)
    emit (g, indent, "done, pending = set(), set()");
  else
    emit (g, indent, "done, pending = await asyncio.wait(%s)", args->str);
  if (spec->cancel_pending)
    {
      emit_comment (g, indent, _("CancelPending: cancel the tasks that are still running."));
      emit (g, indent, "for task in pending:");
      emit (g, indent + 1, "task.cancel()");
    }
  else
    emit_comment (g, indent, _("Pending is not cancelled: those tasks keep running."));
  emit (g, indent, "return done, pending");
}

static void
emit_composite (TlPythonWriter   *g,
                guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);
  int indent;

  emit_def (g, index, TRUE);
  emit_globals (g, index);
  if (needs_loop (g, index))
    emit (g, 1, "loop = asyncio.get_running_loop()");
  indent = open_deadline (g, spec);

  switch (spec->kind)
    {
    case TL_KIND_SEQUENCE:
      for (guint c = 0; c < spec->n_children; c++)
        emit_sequence_step (g, index, spec->children[c], indent, c + 1 == spec->n_children);
      break;
    case TL_KIND_GATHER:
      emit_gather_body (g, index, indent);
      break;
    case TL_KIND_WAIT:
      emit_wait_body (g, index, indent);
      break;
    case TL_KIND_SPAWN:
      {
        guint target = spec->target;
        g_autofree char *started = started_task_expr (g, target);
        guint line;

        emit_comment (g, indent, _("Starts now and runs in the background; it is awaited later."));
        if (is_repeated (spec_at (g, target)))
          {
            g_autofree char *range = range_of (spec_at (g, target));

            line = emit (g, indent, "%s = [%s for i in %s]", g->task_vars[target], started, range);
          }
        else
          line = emit (g, indent, "%s = %s", g->task_vars[target], started);
        note_created (g, index, target, line);
      }
      break;
    case TL_KIND_AWAIT:
      {
        guint target = spec->target;
        const char *var = g->task_vars[target];
        g_autofree char *awaited = is_repeated (spec_at (g, target))
                                   ? g_strdup_printf ("asyncio.gather(*%s)", var)
                                   : g_strdup (var);

        /* The deadline is the await's, not the task's: shield it. */
        if (spec->timeout_us >= 0)
          emit (g, indent, "return await asyncio.shield(%s)", awaited);
        else
          emit (g, indent, "return await %s", awaited);
      }
      break;
    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Children before parents, so each function is defined before a reader
 * meets its call. */
static void
emit_functions_below (TlPythonWriter   *g,
                      guint  index)
{
  const TlTaskSpec *spec = spec_at (g, index);

  if (g->emitted[index])
    return;
  g->emitted[index] = TRUE;

  if (spec->kind == TL_KIND_SEQUENCE || spec->kind == TL_KIND_GATHER || spec->kind == TL_KIND_WAIT)
    for (guint c = 0; c < spec->n_children; c++)
      emit_functions_below (g, spec->children[c]);
  else if (spec->kind == TL_KIND_SPAWN)
    emit_functions_below (g, spec->target);

  if (!tl_kind_is_composite (spec->kind))
    {
      emit_blank (g);
      emit_blank (g);
      emit_leaf (g, index);
    }
  else if ((spec->kind != TL_KIND_SPAWN && spec->kind != TL_KIND_AWAIT) || g->has_function[index])
    {
      emit_blank (g);
      emit_blank (g);
      emit_composite (g, index);
    }
}

/* --- the line map --- */

static void
map_lines (TlPythonProgram *self,
           TlPythonWriter             *g,
           guint            section,
           guint            index,
           guint            parent)
{
  const TlTaskSpec *spec = &self->preset->tasks[index];
  guint line;

  if (parent == G_MAXUINT)
    line = g->root_lines[section];
  else
    {
      gint64 key = ((gint64) parent << 32) | index;

      line = GPOINTER_TO_UINT (g_hash_table_lookup (g->created_at, &key));
    }
  self->lines[section * self->preset->n_tasks + index] = line;
  if (line > 0)
    {
      GArray *refs = g_hash_table_lookup (self->by_line, GUINT_TO_POINTER (line));
      TlPythonTaskRef ref = { section, index };

      if (refs == NULL)
        {
          refs = g_array_new (FALSE, FALSE, sizeof (TlPythonTaskRef));
          g_hash_table_insert (self->by_line, GUINT_TO_POINTER (line), refs);
        }
      g_array_append_val (refs, ref);
    }

  if (spec->kind == TL_KIND_SEQUENCE || spec->kind == TL_KIND_GATHER || spec->kind == TL_KIND_WAIT)
    for (guint c = 0; c < spec->n_children; c++)
      map_lines (self, g, section, spec->children[c], index);
  else if (spec->kind == TL_KIND_SPAWN)
    map_lines (self, g, section, spec->target, index);
}

TlPythonProgram *
tl_python_program_new (TlPreset *preset)
{
  TlPythonProgram *self;
  TlPythonWriter g = { 0 };
  guint n;

  g_return_val_if_fail (preset != NULL, NULL);

  n = preset->n_tasks;
  g.preset = preset;
  g.out = g_string_new (NULL);
  g.line = 1;
  g.names = _tl_python_function_names (preset);
  g.created_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g.root_lines = g_new0 (guint, preset->n_sections);
  g.used = g_new0 (guint8, n);
  g.emitted = g_new0 (guint8, n);
  g.has_function = g_new0 (guint8, n);
  g.task_vars = g_new0 (char *, n + 1);
  g.var_global = g_new0 (guint8, n);
  g.var_owner = g_new (int, n);
  for (guint i = 0; i < n; i++)
    g.var_owner[i] = -1;

  for (guint s = 0; s < preset->n_sections; s++)
    walk (&g, preset->sections[s], -1, -1);
  name_task_variables (&g);

  _tl_python_emit_header (&g);
  _tl_python_emit_helpers (&g);
  for (guint s = 0; s < preset->n_sections; s++)
    emit_functions_below (&g, preset->sections[s]);
  _tl_python_emit_late_helpers (&g);
  _tl_python_emit_main (&g);

  self = g_new0 (TlPythonProgram, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->preset = tl_preset_ref (preset);
  self->n_lines = g.line - 1;
  self->uses_http = g.any_http;
  self->text = g_string_free (g.out, FALSE);
  self->lines = g_new0 (guint, (gsize) preset->n_sections * MAX (n, 1));
  self->by_line = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_array_unref);
  for (guint s = 0; s < preset->n_sections; s++)
    map_lines (self, &g, s, preset->sections[s], G_MAXUINT);

  g_strfreev (g.names);
  g_hash_table_unref (g.created_at);
  g_free (g.root_lines);
  g_free (g.used);
  g_free (g.emitted);
  g_free (g.has_function);
  /* Only spawn targets have a variable: free the sparse array by hand. */
  for (guint i = 0; i < n; i++)
    g_free (g.task_vars[i]);
  g_free (g.task_vars);
  g_free (g.var_global);
  g_free (g.var_owner);
  return self;
}

TlPythonProgram *
tl_python_program_ref (TlPythonProgram *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tl_python_program_unref (TlPythonProgram *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  tl_preset_unref (self->preset);
  g_free (self->text);
  g_free (self->lines);
  g_hash_table_unref (self->by_line);
  g_free (self);
}

TlPreset *
tl_python_program_get_preset (TlPythonProgram *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->preset;
}

const char *
tl_python_program_get_text (TlPythonProgram *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

guint
tl_python_program_get_n_lines (TlPythonProgram *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_lines;
}

gboolean
tl_python_program_uses_http (TlPythonProgram *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->uses_http;
}

guint
tl_python_program_get_line (TlPythonProgram *self,
                            guint            section,
                            guint            spec)
{
  g_return_val_if_fail (self != NULL, 0);
  if (section >= self->preset->n_sections || spec >= self->preset->n_tasks)
    return 0;
  return self->lines[section * self->preset->n_tasks + spec];
}

const TlPythonTaskRef *
tl_python_program_get_tasks_at_line (TlPythonProgram *self,
                                     guint            line,
                                     guint           *n_tasks)
{
  GArray *refs;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_tasks != NULL, NULL);

  refs = g_hash_table_lookup (self->by_line, GUINT_TO_POINTER (line));
  *n_tasks = refs != NULL ? refs->len : 0;
  return refs != NULL ? &g_array_index (refs, TlPythonTaskRef, 0) : NULL;
}

gboolean
tl_python_program_save (TlPythonProgram  *self,
                        const char       *path,
                        GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return g_file_set_contents_full (path, self->text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

char *
tl_python_program_dup_default_name (TlPythonProgram *self)
{
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->preset->builtin_name != NULL)
    base = g_strdup (self->preset->builtin_name);
  else
    base = g_path_get_basename (self->preset->file != NULL ? self->preset->file : "preset");
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  for (char *p = base; *p != '\0'; p++)
    if (*p == '-' || *p == ' ')
      *p = '_';
  return g_strconcat (base, ".py", NULL);
}
