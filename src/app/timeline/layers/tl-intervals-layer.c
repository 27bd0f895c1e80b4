/* tl-intervals-layer.c — what each task and section did, as coloured intervals and
 * states, with the words, ghosts and lines a lane shows beyond them
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
#include "timeline/layers/tl-intervals-layer.h"

struct _TlIntervalsLayer
{
  TlTimelineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (TlIntervalsLayer, tl_intervals_layer, TL_TYPE_TIMELINE_LAYER)

typedef struct {
  TlTimeline  *self;
  GtkSnapshot *snapshot;
  double       y;        /* top of the bar area */
  double       h;        /* height of the bar area */
  TlLaneKind   kind;
  gboolean     composite;
  /* the pending rectangle */
  gboolean     pending;
  double       x0;
  double       x1;
  guint32      state;
} RowPainter;

static void
draw_state_rect (RowPainter *row,
                 guint32     state,
                 double      x0,
                 double      x1)
{
  const TlTimelinePalette *p = &row->self->palette;
  double y = row->y, h = row->h, w = x1 - x0;

  if (row->kind == TL_LANE_SECTION)
    {
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_SECTION);
      _tl_timeline_append_rect (row->snapshot, &p->section, x0, y, w, h);
      return;
    }

  /* Composites are drawn slimmer: their children carry the detail. */
  if (row->composite)
    {
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_COMPOSITE);
      y += h * 0.3;
      h *= 0.4;
    }

  switch (state)
    {
    case TL_STATE_CREATED:
      /* Exists but has not started: a thin line, like a ghost. */
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_CREATED);
      _tl_timeline_append_rect (row->snapshot, &p->created, x0, y + h / 2 - 1, w, 2);
      break;
    case TL_STATE_QUEUED:
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_QUEUED);
      _tl_timeline_append_pattern (row->self, row->snapshot, FALSE, &p->queued_bg, x0, y, w, h);
      break;
    case TL_STATE_WAITING:
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_WAITING);
      _tl_timeline_append_rect (row->snapshot, &p->waiting, x0, y + h * 0.25, w, h * 0.5);
      break;
    case TL_STATE_RUNNING:
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_RUNNING);
      _tl_timeline_append_rect (row->snapshot, &p->running, x0, y, w, h);
      break;
    case TL_STATE_BLOCKED:
      _tl_timeline_note_mark (row->self, TL_TIMELINE_MARK_BLOCKED);
      _tl_timeline_append_pattern (row->self, row->snapshot, TRUE, &p->blocked_bg, x0, y, w, h);
      break;
    default:
      break;
    }
}

static void
row_flush (RowPainter *row)
{
  if (row->pending)
    draw_state_rect (row, row->state, row->x0, row->x1);
  row->pending = FALSE;
}

static void
row_add (RowPainter *row,
         double      x0,
         double      x1,
         guint32     state)
{
  if (row->pending)
    {
      if (state == row->state && x0 <= row->x1 + 0.5)
        {
          row->x1 = MAX (row->x1, x1);
          return;
        }
      /* Entirely inside the pending rectangle's last pixel: merge. */
      if (x1 <= ceil (row->x1) && x0 >= floor (row->x1) - 0.001 && x1 - x0 < 1)
        {
          if (_tl_timeline_state_priority (state) > _tl_timeline_state_priority (row->state) && row->x1 - row->x0 <= 1)
            row->state = state;
          return;
        }
      row_flush (row);
    }
  row->pending = TRUE;
  row->x0 = x0;
  row->x1 = x1;
  row->state = state;
}

static inline gint64
interval_end (const TlInterval *iv,
              gint64            now)
{
  return iv->end_us == G_MAXINT64 ? MAX (now, iv->start_us) : iv->end_us;
}

/* Galloping searches: the answer is known to be at or after @from, and
 * usually close to it, so probe 1, 2, 4… ahead before bisecting. This
 * keeps the memory touched near where the last pixel ended. */
guint
_tl_timeline_intervals_gallop (const TlInterval *v,
                               guint             from,
                               guint             n,
                               gint64            now,
                               double            t)
{
  guint lo = from, hi, stride = 1;

  /* First index whose end is after t. */
  if (lo >= n || interval_end (&v[lo], now) > t)
    return lo;
  hi = lo + 1;
  while (hi < n && interval_end (&v[hi], now) <= t)
    {
      lo = hi;
      stride *= 2;
      hi = lo + stride;
    }
  hi = MIN (hi, n);
  lo++;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (interval_end (&v[mid], now) <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* First index at or after @from whose time is after t (inclusive) or at
 * or after t (not inclusive). */
guint
_tl_timeline_steps_gallop (const TlStep *steps,
                           guint         from,
                           guint         n,
                           double        t,
                           gboolean      inclusive)
{
  guint lo = from, hi, stride = 1;

#define BEFORE(i) (inclusive ? steps[i].time_us <= t : steps[i].time_us < t)
  if (lo >= n || !BEFORE (lo))
    return lo;
  hi = lo + 1;
  while (hi < n && BEFORE (hi))
    {
      lo = hi;
      stride *= 2;
      hi = lo + stride;
    }
  hi = MIN (hi, n);
  lo++;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (BEFORE (mid))
        lo = mid + 1;
      else
        hi = mid;
    }
#undef BEFORE
  return lo;
}

/* Draws intervals [start, end) clipped to the view, merging sub-pixel
 * ones; after a sub-pixel interval it jumps (binary search) to the first
 * interval that reaches the next pixel. */
static void
paint_intervals (RowPainter           *row,
                 const TlTimelineView *view,
                 const TlInterval     *v,
                 guint                 n,
                 gint64                now)
{
  double plot_x0 = view->label_w, plot_x1 = view->width;
  double t_start = view_x_to_time (view, plot_x0);
  double t_end = view_x_to_time (view, plot_x1);
  double done_x = -G_MAXDOUBLE;
  guint lo = 0, hi = n;

  if (n == 0)
    return;

  /* First interval whose end is after t_start. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 end = v[mid].end_us == G_MAXINT64 ? MAX (now, v[mid].start_us) : v[mid].end_us;

      if (end <= t_start)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < n && v[i].start_us < t_end;)
    {
      gint64 end = interval_end (&v[i], now);
      double x0 = view_time_to_x (view, MAX (v[i].start_us, t_start));
      double x1 = view_time_to_x (view, MIN ((double) end, t_end));

      /* A pixel column already drawn for sub-pixel intervals is not
       * drawn again by the one that straddles its right edge. */
      x0 = MAX (x0, done_x);
      if (x1 - x0 < 1)
        {
          double px = floor (x0);
          double t_next = view_x_to_time (view, px + 1);
          guint next = _tl_timeline_intervals_gallop (v, i + 1, n, now, t_next);
          guint32 state = v[i].state;

          /* Skip what else falls into this pixel, but let a neighbour
           * that matters more show: alternating states then read as the
           * more important one instead of flickering while panning. */
          if (i + 1 < next && _tl_timeline_state_priority (v[i + 1].state) > _tl_timeline_state_priority (state))
            state = v[i + 1].state;
          if (next < n && v[next].start_us < t_next && _tl_timeline_state_priority (v[next].state) > _tl_timeline_state_priority (state))
            state = v[next].state;
          row_add (row, px, MIN (px + 1, plot_x1), state);
          done_x = px + 1;
          i = next;
          continue;
        }

      row_add (row, x0, x1, v[i].state);
      i++;
    }
  row_flush (row);
}

/* Leaves show what they returned, and so does a gather: its result
 * list, in order, with any exceptions it returned. */
gboolean
_tl_timeline_shows_result (TlTimeline *self,
                           guint32     instance)
{
  return !tl_timeline_model_is_composite (self->model, instance) ||
         tl_timeline_model_get_kind (self->model, instance) == TL_KIND_GATHER;
}

/* Whether a child was still pending when its wait returned at ret_us. */
static gboolean
pending_at (TlTimeline *self,
            guint32     child,
            gint64      ret_us)
{
  gint64 fin = tl_timeline_model_get_finished_us (self->model, child);
  TlCause cause = TL_CAUSE_NONE;

  if (fin < 0 || fin > ret_us)
    return TRUE;
  /* Cancelled by the wait itself as it returned (CancelPending). */
  tl_timeline_model_get_cause (self->model, child, &cause);
  return cause == TL_CAUSE_WAIT_PENDING;
}

/* "wait returned: 1 done · 4 pending" */
char *
_tl_timeline_dup_wait_split (TlTimeline *self,
                             guint32     wait,
                             gint64      ret_us)
{
  g_autofree guint32 *children = NULL;
  guint n = 0, n_pending = 0;

  /* Counting is per frame: a wait of more children than this says
   * nothing rather than cost O(children) while drawing. */
  children = tl_timeline_model_dup_children (self->model, wait, MAX_WAIT_SPLIT + 1, &n);
  if (n > MAX_WAIT_SPLIT)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (pending_at (self, children[i], ret_us))
      n_pending++;
  /* TRANSLATORS: what a wait returned with: "wait returned: 1 done · 4 pending" */
  return g_strdup_printf (_("wait returned: %u done · %u pending"), n - n_pending, n_pending);
}

#define MAX_WORDED_INTERVALS 16

/* What a task is doing, in words a learner reads off the bar. */
static const char *
state_words (TlTimeline *self,
             guint32     instance,
             guint32     state)
{
  TlTrace *trace = tl_timeline_model_get_trace (self->model);
  const TlInstance *inst = tl_trace_get_instance (trace, instance);
  TlKind kind = inst != NULL ? (TlKind) inst->kind : TL_KIND_SLEEP;
  TlOn on = inst != NULL ? (TlOn) inst->on : TL_ON_LOOP;

  switch (state)
    {
    case TL_STATE_QUEUED:
      return kind == TL_KIND_FETCH ? _("queued for a connection") : _("queued for a worker");
    case TL_STATE_WAITING:
      if (kind == TL_KIND_SLEEP)
        return _("waiting on a timer");
      if (kind == TL_KIND_FETCH)
        return _("waiting for the server");
      if (on != TL_ON_LOOP)
        return _("waiting for the result");
      return NULL;
    case TL_STATE_RUNNING:
      return on == TL_ON_THREAD ? _("running on a thread")
           : on == TL_ON_PROCESS ? _("running in a process")
           : _("running on the loop");
    case TL_STATE_BLOCKED:
      return _("ready, but the loop is held");
    default:
      return NULL;
    }
}

/* Words inside the span [t0, t1] of a bar, when they fit whole. */
static void
draw_words_in (TlTimeline           *self,
               RowPainter           *row,
               const TlTimelineView *view,
               const char           *words,
               guint32               state,
               gint64                t0,
               gint64                t1)
{
  const TlTimelinePalette *p = &self->palette;
  double x0, x1;
  int w = -1;

  if (words == NULL || !_tl_timeline_clip_span (view, (double) t0, (double) t1, &x0, &x1) || x1 - x0 < 60)
    return;
  for (guint k = 0; k < G_N_ELEMENTS (self->word_text) && w < 0; k++)
    if (self->word_text[k] == words)
      w = self->word_w[k];
    else if (self->word_text[k] == NULL)
      {
        self->word_text[k] = words;
        w = self->word_w[k] = _tl_timeline_measure_text (self, words);
      }
  if (w < 0)
    w = _tl_timeline_measure_text (self, words);
  if (w + 12 > x1 - x0)
    return;
  if (state == TL_STATE_RUNNING)
    {
      GdkRGBA on_bar = p->bg;

      _tl_timeline_append_text (self, row->snapshot, words, &on_bar, round (x0) + 6, row->y + row->h / 2, -1, FALSE);
    }
  else if (state == TL_STATE_WAITING)
    _tl_timeline_append_text (self, row->snapshot, words, &p->fg, round (x0) + 6, row->y + row->h / 2, -1, FALSE);
  else
    _tl_timeline_append_label_plate (self, row->snapshot, words, round (x0) + 3, row->y + row->h / 2, w + 9);
}

/* When a live sleeping task's timer fell due while the loop was held, and
 * it has not run since: it is drawn blocked from then on. G_MAXINT64 when
 * it is not overdue. */
static gint64
overdue_since (TlTimeline       *self,
               guint32           instance,
               const TlInterval *v,
               guint             n,
               gint64            now)
{
  gint64 planned, due;

  if (!self->live || n == 0 || v[n - 1].end_us != G_MAXINT64 || v[n - 1].state != TL_STATE_WAITING ||
      tl_timeline_model_get_finished_us (self->model, instance) >= 0 ||
      tl_timeline_model_get_kind (self->model, instance) != TL_KIND_SLEEP)
    return G_MAXINT64;
  planned = _tl_timeline_planned_duration (self, instance);
  due = planned >= 0 ? v[n - 1].start_us + planned : G_MAXINT64;
  if (due < now && (self->stall_us > 0 || now - due > 50000))
    return due;
  return G_MAXINT64;
}

/* The state in words inside bars wide enough to hold them whole, for
 * leaf lanes of a few intervals (a constant per lane). A request's wait
 * is told phase by phase, as its bar is painted: waiting for the server,
 * then reading the response. */
static void
draw_state_words (TlTimeline           *self,
                  RowPainter           *row,
                  const TlTimelineView *view,
                  guint32               instance,
                  const TlInterval     *v,
                  guint                 n)
{
  gint64 now = current_now (self);
  const TlHttpDetails *http = NULL;

  if (n > MAX_WORDED_INTERVALS || row->composite)
    return;
  if (tl_timeline_model_get_kind (self->model, instance) == TL_KIND_FETCH &&
      tl_timeline_model_get_finished_us (self->model, instance) >= 0)
    http = tl_trace_get_http (tl_timeline_model_get_trace (self->model), instance);
  for (guint i = 0; i < n; i++)
    {
      gint64 end = interval_end (&v[i], now);

      /* "waiting on a timer" stays on the part of the bar that is still
       * waiting; the overdue part is hatched as blocked, and its stripes
       * would run through the words. */
      if (i == n - 1)
        end = MIN (end, overdue_since (self, instance, v, n, now));
      if (http != NULL && v[i].state == TL_STATE_WAITING)
        {
          static const TlHttpPhase worded[] = { TL_HTTP_PHASE_FIRST_BYTE, TL_HTTP_PHASE_BODY };

          for (guint k = 0; k < G_N_ELEMENTS (worded); k++)
            {
              gint64 s0, s1;

              if (tl_http_phase_get_span (http, worded[k], &s0, &s1) && s1 > v[i].start_us && s0 < end)
                draw_words_in (self, row, view,
                               worded[k] == TL_HTTP_PHASE_BODY ? _("reading the response") : _("waiting for the server"),
                               TL_STATE_WAITING, MAX (s0, v[i].start_us), MIN (s1, end));
            }
          continue;
        }
      draw_words_in (self, row, view, state_words (self, instance, v[i].state), v[i].state, v[i].start_us, end);
    }
}

/* What a task lane shows beyond its state intervals. Each costs a
 * constant per visible lane. */
static void
draw_extras (TlTimeline           *self,
             RowPainter           *row,
             const TlTimelineView *view,
             guint32               instance,
             const TlInterval     *v,
             guint                 n)
{
  const TlTimelinePalette *p = &self->palette;
  GtkSnapshot *snapshot = row->snapshot;
  TlState state = tl_timeline_model_get_state (self->model, instance);
  gint64 now = current_now (self);
  gint64 fin = tl_timeline_model_get_finished_us (self->model, instance);
  TlKind kind = tl_timeline_model_get_kind (self->model, instance);
  guint32 parent = tl_timeline_model_get_parent (self->model, instance);
  double x0, x1;
  GdkRGBA faint = p->fg_dim;

  faint.alpha *= 0.8f;

  /* Never started: a dashed, empty outline across the section, with
   * the reason written in it; nothing else. */
  if (state == TL_STATE_NEVER_STARTED)
    {
      gint64 s0 = tl_timeline_model_get_created_us (self->model, instance), s1 = -1;

      tl_timeline_model_get_section_span (self->model, instance, NULL, &s1);
      if (s1 < 0)
        s1 = MAX (now, fin);
      s1 = MAX (s1, s0);
      if (_tl_timeline_clip_span (view, (double) s0, (double) s1, &x0, &x1))
        {
          x1 = MAX (x1, x0 + 24);
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_NEVER_STARTED);
          _tl_timeline_append_dashed_box (snapshot, &faint, round (x0), round (x1), row->y, row->h);
          _tl_timeline_note_box_outline (self, round (x0), round (x1), row->y, row->h);
          _tl_timeline_append_text_whole (self, snapshot, _("never started"), &p->fg_dim,
                                          round (x0) + 6, row->y + row->h / 2, x1 - x0 - 12, FALSE);
        }
      return;
    }

  /* HTTP phases once the fetch has finished, each painted as the
   * waiting it is (see tl_timeline_mark_of_http_phase): connecting (DNS,
   * TCP, TLS) light and full height, the wait for the first byte the
   * waiting bar, the body arriving its own half-height colour. ⇄ (in the
   * fonts GNOME ships, unlike ↺) marks a reused connection. */
  if (kind == TL_KIND_FETCH && fin >= 0)
    {
      const TlHttpDetails *http = tl_trace_get_http (tl_timeline_model_get_trace (self->model), instance);

      for (TlHttpPhase phase = 0; http != NULL && phase < TL_N_HTTP_PHASES; phase++)
        {
          TlTimelineMark mark = tl_timeline_mark_of_http_phase (phase);
          gint64 s0, s1;

          if (mark == TL_TIMELINE_MARK_WAITING || !tl_http_phase_get_span (http, phase, &s0, &s1) ||
              !_tl_timeline_clip_span (view, (double) s0, (double) s1, &x0, &x1))
            continue;
          _tl_timeline_note_mark (self, mark);
          if (mark == TL_TIMELINE_MARK_READING_BODY)
            _tl_timeline_append_rect (snapshot, tl_timeline_palette_get_mark_color (p, mark),
                                      x0, row->y + row->h * 0.25, MAX (x1 - x0, 1), row->h * 0.5);
          else
            _tl_timeline_append_rect (snapshot, tl_timeline_palette_get_mark_color (p, mark),
                                      x0, row->y + 1, MAX (x1 - x0, 1), row->h - 2);
        }
      if (http != NULL && http->connection_reused)
        {
          double xs = view_time_to_x (view, (double) MAX (http->fetch_start_us, 0));

          if (xs - 14 >= view->label_w &&
              _tl_timeline_append_text (self, snapshot, "⇄", &p->fg_dim, xs - 13, row->y + row->h / 2, -1, FALSE) > 0)
            _tl_timeline_note_mark (self, TL_TIMELINE_MARK_REUSED_CONNECTION);
        }
    }

  /* A failed task's bar ends in the failure colour: the last quarter of
   * its last segment (at least 8 px), so the error reads as where the
   * work ended while what it was doing stays visible. */
  if (state == TL_STATE_FAILED && n > 0 && !row->composite)
    {
      const TlInterval *last = &v[n - 1];
      double xs = view_time_to_x (view, (double) last->start_us);
      double xe = view_time_to_x (view, (double) interval_end (last, now));
      double tail = MIN (xe - xs, MAX (8, (xe - xs) * 0.25));

      x0 = MAX (xe - tail, view->label_w);
      x1 = MIN (xe, view->width);
      if (x1 > x0)
        {
          double h = last->state == TL_STATE_WAITING || last->state == TL_STATE_CREATED ? row->h * 0.5 : row->h;

          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_FAILED_END);
          _tl_timeline_append_rect (snapshot, &p->failed, x0, row->y + (row->h - h) / 2, x1 - x0, h);
        }
    }

  /* Cut off before its time: the rest of what it was going to take, as a
   * faint ghost of the bar. */
  if ((state == TL_STATE_CANCELLED || state == TL_STATE_TIMED_OUT) && fin >= 0 && !row->composite)
    {
      gint64 planned = _tl_timeline_planned_duration (self, instance);
      gint64 started = tl_timeline_model_get_started_us (self->model, instance);

      if (planned > 0 && started >= 0 && started + planned > fin &&
          _tl_timeline_clip_span (view, (double) fin, (double) (started + planned), &x0, &x1))
        {
          g_autofree char *until = tl_time_format (started + planned);
          /* TRANSLATORS: the ghost of a cancelled task: "would have ended at 3.40 s" */
          g_autofree char *text = g_strdup_printf (_("would have ended at %s"), until);

          /* Not the never-started outline: what it did is real, only
           * its rest is not, so a faint fill with a dotted centre line
           * carries the bar on past its end. */
          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_WOULD_HAVE_RUN);
          _tl_timeline_append_would_have_run (self, snapshot, round (x0), round (x1), row->y, row->h);
          _tl_timeline_append_text_whole (self, snapshot, text, &p->fg_dim, round (x0) + 22, row->y + row->h / 2,
                                          x1 - x0 - 24, FALSE);
        }
    }

  /* Still pending when the wait it belongs to returned: outlined from
   * that moment, with the word, so pending never reads as done. */
  if (parent != TL_NO_INSTANCE && tl_timeline_model_get_kind (self->model, parent) == TL_KIND_WAIT)
    {
      gint64 ret = tl_timeline_model_get_finished_us (self->model, parent);

      if (ret >= 0 && pending_at (self, instance, ret))
        {
          gint64 end = fin >= 0 ? fin : now;
          double xr = round (view_time_to_x (view, (double) ret));
          const char *chip = _("pending");
          int w = _tl_timeline_measure_text (self, chip);
          double xc;

          _tl_timeline_note_mark (self, TL_TIMELINE_MARK_PENDING);
          if (end > ret && _tl_timeline_clip_span (view, (double) ret, (double) end, &x0, &x1))
            {
              _tl_timeline_append_dashed_box (snapshot, &p->deadline, round (x0), round (x1), row->y - 1, row->h + 2);
              _tl_timeline_note_box_outline (self, round (x0), round (x1), row->y - 1, row->h + 2);
            }
          /* Right of the line while it still runs; right of the ⊘ when
           * the wait cancelled it on return. */
          xc = end > ret ? xr + 4 : xr + 20;
          if (xc >= view->label_w && xc + w + 8 < view->width)
            /* Written on the bar as the state words are, not on a plate
             * that would hide the waiting it goes on doing. */
            _tl_timeline_append_text (self, snapshot, chip, &p->fg, xc + 4, row->y + row->h / 2, -1, FALSE);
        }
    }

  /* Overdue while the loop is held: a sleeping task whose timer is due
   * but cannot run is blocked, live, not only after the run. */
  {
    gint64 due = overdue_since (self, instance, v, n, now);

    if (due < now && _tl_timeline_clip_span (view, (double) due, (double) now, &x0, &x1))
      {
        _tl_timeline_note_mark (self, TL_TIMELINE_MARK_OVERDUE);
        _tl_timeline_append_pattern (self, snapshot, TRUE, &p->blocked_bg, x0, row->y, x1 - x0, row->h);
      }
  }
}

static void
draw_task_lane (TlTimeline           *self,
                GtkSnapshot          *snapshot,
                const TlTimelineView *view,
                guint                 lane,
                double                y)
{
  TlLaneKind kind = tl_timeline_model_get_lane_kind (self->model, lane);
  guint32 instance = tl_timeline_model_get_lane_instance (self->model, lane);
  const TlInterval *v;
  guint n;
  RowPainter row = { self, snapshot, y + BAR_PAD, self->lane_h - 2 * BAR_PAD, kind, FALSE };

  if (kind == TL_LANE_GAP)
    return;
  row.composite = kind == TL_LANE_TASK && tl_timeline_model_is_composite (self->model, instance);
  v = tl_timeline_model_get_intervals (self->model, lane, &n);
  paint_intervals (&row, view, v, n, current_now (self));

  if (kind == TL_LANE_SECTION)
    {
      if (n > 0)
        {
          gint64 end = v[0].end_us == G_MAXINT64 ? current_now (self) : v[0].end_us;
          double x0 = MAX (view_time_to_x (view, (double) v[0].start_us), view->label_w);
          double x1 = MIN (view_time_to_x (view, (double) end), view->width);
          g_autofree char *dur = tl_time_format (end - v[0].start_us);

          _tl_timeline_append_text_whole (self, snapshot, dur, &self->palette.fg, x0 + 5, y + self->lane_h / 2.0, x1 - x0 - 8, TRUE);
        }
      return;
    }

  draw_extras (self, &row, view, instance, v, n);
  draw_state_words (self, &row, view, instance, v, n);
}

static void
tl_intervals_layer_draw (TlTimelineLayer       *layer,
                         const TlTimelineFrame *frame)
{
  TlTimeline *self = frame->timeline;

  for (guint lane = frame->first; lane < frame->last; lane++)
    draw_task_lane (self, frame->snapshot, frame->view, lane, lane_top (self, frame->view, lane));
}

static gboolean
tl_intervals_layer_lookup_item (TlTimelineLayer      *layer,
                                TlTimeline           *self,
                                const TlTimelineView *view,
                                double                x,
                                double                y,
                                guint32              *instance)
{
  int lane = _tl_timeline_layer_task_lane_at (self, view, y);
  guint32 found;
  gint64 start, end;
  double t = view_x_to_time (view, x);

  if (lane < 0 || x < view->label_w)
    return FALSE;
  found = tl_timeline_model_get_lane_instance (self->model, lane);
  start = tl_timeline_model_get_created_us (self->model, found);
  end = tl_timeline_model_get_finished_us (self->model, found);
  if (end < 0)
    end = current_now (self);
  /* A pixel either side: a task of a few microseconds is still found. */
  if (t < start - view->us_per_px || t > end + view->us_per_px)
    return FALSE;
  *instance = found;
  return TRUE;
}

static void
tl_intervals_layer_class_init (TlIntervalsLayerClass *klass)
{
  TlTimelineLayerClass *layer_class = TL_TIMELINE_LAYER_CLASS (klass);

  layer_class->title = "Intervals and states";
  layer_class->regions = TL_TIMELINE_REGION_TASKS;
  layer_class->draw = tl_intervals_layer_draw;
  layer_class->lookup_item = tl_intervals_layer_lookup_item;
}

static void
tl_intervals_layer_init (TlIntervalsLayer *self)
{
}

TlTimelineLayer *
tl_intervals_layer_new (void)
{
  return g_object_new (TL_TYPE_INTERVALS_LAYER, NULL);
}
