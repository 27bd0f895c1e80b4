/* tl-timeline-tooltip.c — what the timeline's tooltip says about a task
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "timeline/tl-time-ruler.h"
#include "timeline/tl-timeline-private.h"

const char *
_tl_timeline_state_label (guint state)
{
  switch (state)
    {
    case TL_STATE_CREATED:
      return _("created, not started");
    case TL_STATE_QUEUED:
      return _("queued");
    case TL_STATE_WAITING:
      return _("waiting");
    case TL_STATE_RUNNING:
      return _("running");
    case TL_STATE_BLOCKED:
      return _("blocked");
    case TL_STATE_OK:
      return _("ok");
    case TL_STATE_FAILED:
      return _("failed");
    case TL_STATE_CANCELLED:
      return _("cancelled");
    case TL_STATE_TIMED_OUT:
      return _("timed out");
    case TL_STATE_NEVER_STARTED:
      return _("never started");
    default:
      return "";
    }
}

/* Why a task was cancelled, in words. */
static const char *
cause_phrase (TlCause cause)
{
  switch (cause)
    {
    case TL_CAUSE_TIMEOUT:
      return _("its timeout passed");
    case TL_CAUSE_SIBLING_FAILED:
      return _("a sibling failed");
    case TL_CAUSE_WAIT_PENDING:
      return _("still pending when the wait returned");
    case TL_CAUSE_PARENT:
      return _("its parent was cancelled");
    case TL_CAUSE_SECTION_END:
      return _("still running at the end of the run");
    case TL_CAUSE_USER:
      return _("cancelled by you");
    case TL_CAUSE_PROGRAM_ENDED:
      return _("the program ended first");
    case TL_CAUSE_NONE:
    default:
      return "";
    }
}

char *
_tl_timeline_dup_tooltip_markup (TlTimeline *self,
                                 double      x,
                                 double      y,
                                 gboolean    keyboard)
{
  TlTimelineView view;
  TlTrace *trace;
  GString *markup;
  gint64 t;
  int lane;
  TlLaneKind kind;

  if (self->model == NULL)
    return NULL;
  _tl_timeline_get_view (self, &view);

  if (keyboard)
    {
      if (self->selected == TL_NO_INSTANCE)
        return NULL;
      lane = tl_timeline_model_find_lane (self->model, self->selected);
      t = tl_timeline_model_get_finished_us (self->model, self->selected);
      if (t < 0)
        t = current_now (self);
    }
  else
    {
      if (x < view.label_w)
        {
          lane = tl_timeline_lane_at_y (self, y);
          if (lane < 0)
            return NULL;
          t = -1;
        }
      else
        {
          lane = tl_timeline_lane_at_y (self, y);
          t = (gint64) round (view_x_to_time (&view, x));
        }
    }
  if (lane < 0)
    return NULL;

  trace = tl_timeline_model_get_trace (self->model);
  kind = tl_timeline_model_get_lane_kind (self->model, lane);
  markup = g_string_new (NULL);

  if (kind == TL_LANE_TASK)
    {
      guint32 inst = tl_timeline_model_get_lane_instance (self->model, lane);
      g_autofree char *label = tl_trace_dup_label (trace, inst);
      g_autofree char *created = tl_time_format (tl_timeline_model_get_created_us (self->model, inst));
      gint64 finished = tl_timeline_model_get_finished_us (self->model, inst);
      TlState final = tl_timeline_model_get_state (self->model, inst);
      TlCause cause;
      guint32 cause_inst = tl_timeline_model_get_cause (self->model, inst, &cause);

      g_autofree char *escaped = g_markup_escape_text (label, -1);

      g_string_append_printf (markup, "<b>%s</b>", escaped);
      g_string_append_c (markup, '\n');
      g_string_append_printf (markup, _("created at %s"), created);
      if (finished >= 0)
        {
          g_autofree char *fin = tl_time_format (finished);
          g_autofree char *took = tl_time_format (finished - tl_timeline_model_get_created_us (self->model, inst));

          g_string_append_c (markup, '\n');
          /* TRANSLATORS: final state, when, and how long after creation:
           * "ok at 1.01 s (took 1.01 s)" */
          g_string_append_printf (markup, _("%s at %s (took %s)"), _tl_timeline_state_label (final), fin, took);
          if (final == TL_STATE_OK && tl_trace_get_result (trace, inst) != NULL)
            {
              g_autofree char *esc = g_markup_escape_text (tl_trace_get_result (trace, inst), -1);
              g_string_append_printf (markup, "\n%s", esc);
            }
          else if (tl_trace_get_error (trace, inst) != NULL)
            {
              g_autofree char *esc = g_markup_escape_text (tl_trace_get_error (trace, inst), -1);
              g_string_append_printf (markup, "\n%s", esc);
            }
          if (cause_inst != TL_NO_INSTANCE)
            {
              g_autofree char *by = tl_trace_dup_label (trace, cause_inst);
              g_autofree char *esc = g_markup_escape_text (by, -1);

              g_string_append_c (markup, '\n');
              /* TRANSLATORS: who cancelled a task and why:
               * "cancelled by asyncio.timeout(1): its timeout passed" */
              g_string_append_printf (markup, _("cancelled by %s: %s"), esc, cause_phrase (cause));
            }
          else if (cause != TL_CAUSE_NONE)
            {
              g_string_append_c (markup, '\n');
              g_string_append (markup, cause_phrase (cause));
            }
        }
      /* The task's own facts first; what it was doing under the
       * pointer last, so it does not read as a fact about the task. */
      if (t >= 0)
        {
          const TlInterval *v;
          guint n, i;
          g_autofree char *at = tl_time_format (t);
          const char *what = NULL;

          v = tl_timeline_model_get_intervals (self->model, lane, &n);
          i = tl_timeline_model_find_interval (self->model, lane, t);
          if (t < tl_timeline_model_get_created_us (self->model, inst))
            what = _("not created yet");
          else if (i < n && v[i].start_us <= t)
            what = _tl_timeline_state_label (v[i].state);
          else if (finished >= 0 && t >= finished)
            what = _tl_timeline_state_label (final);
          if (what != NULL)
            {
              g_string_append_c (markup, '\n');
              /* TRANSLATORS: a state at a time: "waiting at 176 ms" */
              g_string_append_printf (markup, _("%s at %s"), what, at);
            }
        }
    }
  else
    {
      g_autofree char *label = tl_timeline_model_dup_lane_label (self->model, lane);
      g_autofree char *escaped = g_markup_escape_text (label, -1);

      g_string_append_printf (markup, "<b>%s</b>", escaped);
      if (t >= 0 && (kind == TL_LANE_THREADS || kind == TL_LANE_PROCESSES ||
                     kind == TL_LANE_HTTP || kind == TL_LANE_CONCURRENCY))
        {
          const TlStep *steps;
          guint n, lo = 0, hi;
          gint32 max;
          g_autofree char *at = tl_time_format (t);

          steps = tl_timeline_model_get_steps (self->model, lane, &n, &max);
          hi = n;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (steps[mid].time_us <= t)
                lo = mid + 1;
              else
                hi = mid;
            }
          if (lo > 0)
            {
              const TlStep *s = &steps[lo - 1];
              g_string_append_c (markup, '\n');
              /* TRANSLATORS: chart values at a time, e.g. "2 busy, 3 queued at 1.20 s" */
              if (kind == TL_LANE_CONCURRENCY)
                g_string_append_printf (markup, _("%d running, %d waiting at %s"), s->a, s->b, at);
              else if (kind == TL_LANE_HTTP)
                g_string_append_printf (markup, _("%d in flight, %d queued at %s"), s->a, s->b, at);
              else
                g_string_append_printf (markup, _("%d busy, %d queued at %s"), s->a, s->b, at);
            }
        }
      else if (t >= 0 && kind == TL_LANE_LOOP)
        {
          const TlInterval *v;
          guint n, i;
          g_autofree char *at = tl_time_format (t);

          v = tl_timeline_model_get_stalls (self->model, &n);
          i = tl_timeline_model_find_stall (self->model, t);
          if (i < n && v[i].start_us <= t)
            {
              g_autofree char *dur = tl_time_format (v[i].end_us - v[i].start_us);
              g_autofree char *by = v[i].extra < tl_timeline_model_get_n_instances (self->model)
                ? tl_trace_dup_label (trace, v[i].extra) : g_strdup ("?");
              g_autofree char *esc = g_markup_escape_text (by, -1);

              g_string_append_printf (markup, "\n");
              g_string_append_printf (markup, _("blocked %s by %s"), dur, esc);
            }
          else
            {
              v = tl_timeline_model_get_intervals (self->model, lane, &n);
              i = tl_timeline_model_find_interval (self->model, lane, t);
              g_string_append_c (markup, '\n');
              g_string_append_printf (markup, _("%s at %s"),
                                      i < n && v[i].start_us <= t ? _("busy") : _("free"), at);
            }
        }
    }

  return g_string_free (markup, FALSE);
}
