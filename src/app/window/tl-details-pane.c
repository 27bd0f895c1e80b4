/* tl-details-pane.c — everything about the selected task instance
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While a run goes on, only what the engine has published may be read
 * (see tl-trace.h): the instance table and the timeline model always,
 * outcomes, results, errors and HTTP details once the instance's final
 * state has arrived.
 */
#define G_LOG_DOMAIN "tl-details-pane"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "window/tl-details-pane.h"
#include "timeline/tl-timeline-palette.h"
#include "trace/tl-summary.h"

#define MAX_CHILD_ROWS 200

typedef struct {
  TlHttpPhase phase;
  const char *name;
  gint64      start_us;
  gint64      end_us;
} Phase;

struct _TlDetailsPane
{
  GtkWidget        parent_instance;

  gint64           cursor_us;     /* the timeline's cursor, -1: none */

  GtkStack        *stack;
  GtkLabel        *title_label;
  GtkScrolledWindow *scroller;
  GtkImage        *state_icon;
  GtkLabel        *state_label;
  GtkLabel        *cause_label;
  GtkWidget       *cancel_button;
  GtkListBox      *info_list;
  GtkListBox      *times_list;
  GtkWidget       *http_box;
  GtkLabel        *http_label;
  GtkDrawingArea  *waterfall;
  GtkWidget       *related_heading;
  GtkListBox      *related_list;

  TlTrace         *trace;
  TlTimelineModel *model;
  guint32          instance;

  Phase            phases[6];
  guint            n_phases;
  gint64           http_start_us;
  gint64           http_end_us;
};

G_DEFINE_FINAL_TYPE (TlDetailsPane, tl_details_pane, GTK_TYPE_WIDGET)

enum {
  INSTANCE_ACTIVATED,
  CANCEL_REQUESTED,
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
tl_details_state_name (TlState state)
{
  switch (state)
    {
    case TL_STATE_CREATED:       return _("Created, not started yet");
    case TL_STATE_QUEUED:        return _("Queued, waiting for a worker");
    case TL_STATE_WAITING:       return _("Waiting");
    case TL_STATE_RUNNING:       return _("Running");
    case TL_STATE_BLOCKED:       return _("Blocked: ready, but the event loop is held");
    case TL_STATE_OK:            return _("Finished");
    case TL_STATE_FAILED:        return _("Failed");
    case TL_STATE_CANCELLED:     return _("Cancelled");
    case TL_STATE_TIMED_OUT:     return _("Timed out");
    case TL_STATE_NEVER_STARTED: return _("Never started");
    case TL_N_STATES:
    default:                     return "";
    }
}

/* Symbolic icons rather than glyphs: "⏱" and "✗" are missing from the
 * fonts a GNOME desktop ships (Cantarell, Noto CJK). */
const char *
tl_details_state_icon_name (TlState state)
{
  switch (state)
    {
    case TL_STATE_OK:            return "emblem-ok-symbolic";
    case TL_STATE_FAILED:        return "dialog-error-symbolic";
    case TL_STATE_CANCELLED:     return "action-unavailable-symbolic";
    case TL_STATE_TIMED_OUT:     return "alarm-symbolic";
    case TL_STATE_NEVER_STARTED: return "action-unavailable-symbolic";
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_N_STATES:
    default:                     return NULL;
    }
}

const char *
tl_details_kind_name (TlKind kind)
{
  switch (kind)
    {
    case TL_KIND_SLEEP:    return _("Sleep: waits on a timer (asyncio.sleep)");
    case TL_KIND_FETCH:    return _("HTTP request");
    case TL_KIND_BLOCKING: return _("Blocking call (like time.sleep)");
    case TL_KIND_CPU:      return _("CPU work");
    case TL_KIND_SEQUENCE: return _("Sequence: awaits its children one after another");
    case TL_KIND_GATHER:   return _("Gather: runs its children together");
    case TL_KIND_WAIT:     return _("Wait: returns when a condition holds");
    case TL_KIND_SPAWN:    return _("Spawn: starts a task in the background (create_task)");
    case TL_KIND_AWAIT:    return _("Await: takes the result of a task started earlier");
    case TL_N_KINDS:
    default:               return "";
    }
}

/* A program's tasks are asyncio Tasks running coroutines, not sequences
 * of a preset's steps (the probe gives them that kind). */
static const char *
kind_name (TlDetailsPane *self,
           TlKind         kind)
{
  if (kind == TL_KIND_SEQUENCE && self->trace != NULL && tl_trace_is_open (self->trace))
    return _("Task: runs its coroutine, one await after another");
  return tl_details_kind_name (kind);
}

const char *
tl_details_on_name (TlOn on)
{
  switch (on)
    {
    case TL_ON_LOOP:    return _("On the event loop");
    case TL_ON_THREAD:  return _("On a worker thread");
    case TL_ON_PROCESS: return _("In a worker process");
    default:            return "";
    }
}

static char *
dup_label (TlDetailsPane *self,
           guint32        instance,
           gboolean       final)
{
  const TlInstance *inst = tl_trace_get_instance (self->trace, instance);
  const TlTaskSpec *spec = tl_trace_get_spec (self->trace, instance);

  /* A program's labels are published with the instance; a preset's are
   * expanded from its spec while the run goes on. */
  if (final || spec == NULL || tl_trace_is_complete (self->trace))
    return tl_trace_dup_label (self->trace, instance);

  return tl_preset_expand (spec->label, inst->copy);
}

static char *
format_time (gint64 us)
{
  g_autofree char *d = tl_format_duration (MAX (us, 0));

  /* Translators: a moment of the run, e.g. "at 1.25 s" */
  return g_strdup_printf (_("at %s"), d);
}

/* Rows are keyed so a refresh updates them in place: focus and scroll
 * position survive the live updates. */
static void
begin_rows (GtkListBox *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_object_set_data (G_OBJECT (child), "seen", NULL);
}

static void
end_rows (GtkListBox *list)
{
  gboolean any = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean seen = g_object_get_data (G_OBJECT (child), "seen") != NULL;

      gtk_widget_set_visible (child, seen);
      any |= seen;
    }

  gtk_widget_set_visible (GTK_WIDGET (list), any);
}

static void
clear_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
set_row (GtkListBox *list,
         const char *key,
         const char *title,
         const char *value)
{
  GtkWidget *row = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "key"), key) == 0)
        {
          row = child;
          break;
        }
    }

  if (row == NULL)
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, "property");
      g_object_set_data_full (G_OBJECT (row), "key", g_strdup (key), g_free);
      gtk_list_box_append (list, row);
    }

  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), value) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  g_object_set_data (G_OBJECT (row), "seen", GINT_TO_POINTER (1));

  return row;
}

static void
set_related_row (TlDetailsPane *self,
                 const char    *role,
                 guint32        instance)
{
  g_autofree char *key = g_strdup_printf ("%s-%u", role, instance);
  const TlInstance *inst = tl_trace_get_instance (self->trace, instance);
  TlState state = tl_timeline_model_get_state (self->model, instance);
  g_autofree char *label = dup_label (self, instance, TL_STATE_IS_FINAL (state));
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  /* Translators: "Parent · Gather: runs its children together · Finished" */
  subtitle = g_strdup_printf (_("%s · %s"),
                              g_str_equal (role, "parent") ? _("Parent") : _("Child"),
                              tl_details_state_name (state));
  row = set_row (self->related_list, key, label, subtitle);
  if (g_object_get_data (G_OBJECT (row), "instance") == NULL)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_widget_set_tooltip_text (row, kind_name (self, inst->kind));
    }
  /* Instance 0 is valid: store id + 1. */
  g_object_set_data (G_OBJECT (row), "instance", GUINT_TO_POINTER (instance + 1));
}

static char *
describe_cause (TlDetailsPane *self,
                TlState        state,
                gboolean       final)
{
  TlCause cause = TL_CAUSE_NONE;
  guint32 by = tl_timeline_model_get_cause (self->model, self->instance, &cause);
  g_autofree char *by_label = NULL;

  if (state != TL_STATE_CANCELLED && state != TL_STATE_TIMED_OUT &&
      state != TL_STATE_NEVER_STARTED)
    return NULL;

  if (by != TL_NO_INSTANCE && by < tl_trace_get_n_instances (self->trace))
    by_label = dup_label (self, by, tl_trace_is_complete (self->trace));

  switch (cause)
    {
    case TL_CAUSE_TIMEOUT:
      {
        const TlTaskSpec *by_spec = by != TL_NO_INSTANCE ? tl_trace_get_spec (self->trace, by) : NULL;
        gint64 timeout = by_spec != NULL ? by_spec->timeout_us : -1;

        /* A program's timeouts have no spec: their deadline says it. */
        if (by_spec == NULL && by != TL_NO_INSTANCE && by < tl_trace_get_n_instances (self->trace))
          {
            const TlOutcome *by_outcome = tl_trace_get_outcome (self->trace, by);

            if (by_outcome->deadline_us >= by_outcome->created_us)
              timeout = by_outcome->deadline_us - by_outcome->created_us;
          }
        g_autofree char *d = timeout >= 0 ? tl_format_duration (timeout) : NULL;

        if (by == self->instance && d != NULL)
          return g_strdup_printf (_("Its own timeout of %s fired before it finished."), d);
        if (by_label != NULL && d != NULL)
          /* Translators: "Cancelled because the timeout of fetch_all (1.00 s) fired." */
          return g_strdup_printf (_("Cancelled because the timeout of %s (%s) fired."), by_label, d);
        return g_strdup (_("Cancelled because a timeout fired."));
      }
    case TL_CAUSE_SIBLING_FAILED:
      if (by_label != NULL)
        return g_strdup_printf (_("Cancelled because its sibling %s failed and the group cancels the others on error."), by_label);
      return g_strdup (_("Cancelled because a sibling failed."));
    case TL_CAUSE_WAIT_PENDING:
      if (by_label != NULL)
        return g_strdup_printf (_("Cancelled because %s returned while it was still pending, and it cancels pending tasks."), by_label);
      return g_strdup (_("Cancelled because the wait returned while it was still pending."));
    case TL_CAUSE_PARENT:
      if (by_label != NULL)
        return g_strdup_printf (_("Cancelled because %s, which it belongs to, was cancelled."), by_label);
      return g_strdup (_("Cancelled because its parent was cancelled."));
    case TL_CAUSE_SECTION_END:
      if (by_label != NULL)
        return g_strdup_printf (_("Cancelled because the section %s ended while it was still pending, the way asyncio.run() cancels leftover tasks."), by_label);
      return g_strdup (_("Cancelled because its section ended while it was still pending."));
    case TL_CAUSE_USER:
      return g_strdup (_("Cancelled by you."));
    case TL_CAUSE_PROGRAM_ENDED:
      return g_strdup (_("Cut off: the program’s process ended while it was still pending (os._exit(), a crash or a signal), so nothing cancelled it and it never finished."));
    case TL_CAUSE_NONE:
    default:
      if (state == TL_STATE_NEVER_STARTED)
        return g_strdup (_("It never started: nothing awaited it, or the step before it failed."));
      /* In a program, what is left is a call of its cancel(), which
       * asyncio does not record the caller of. */
      if (state == TL_STATE_CANCELLED && tl_trace_is_open (self->trace))
        return g_strdup (_("Cancelled by a call of its cancel(); asyncio does not record who called it."));
      return NULL;
    }
}

static void
waterfall_draw (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  TlDetailsPane *self = user_data;
  PangoLayout *layout;
  GdkRGBA fg;
  TlTimelinePalette palette;
  double row_h, label_w = 84, value_w = 64, bar_x, bar_w;
  gint64 span;

  if (self->n_phases == 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Each phase in the colour its lane paints it in. */
  tl_timeline_palette_init (&palette, tl_timeline_palette_is_dark_fg (&fg));
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  row_h = (double) (height - 12) / self->n_phases;
  bar_x = 12 + label_w;
  bar_w = MAX (20, width - bar_x - value_w - 12);
  span = MAX (1, self->http_end_us - self->http_start_us);

  for (guint i = 0; i < self->n_phases; i++)
    {
      Phase *p = &self->phases[i];
      double y = 6 + i * row_h;
      double x0 = bar_x + bar_w * (double) (p->start_us - self->http_start_us) / span;
      double x1 = bar_x + bar_w * (double) (p->end_us - self->http_start_us) / span;
      g_autofree char *d = tl_format_duration (p->end_us - p->start_us);
      int tw, th;

      pango_layout_set_text (layout, p->name, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      cairo_move_to (cr, 12, y + (row_h - th) / 2);
      pango_cairo_show_layout (cr, layout);

      gdk_cairo_set_source_rgba (cr, tl_timeline_palette_get_mark_color (&palette, tl_timeline_mark_of_http_phase (p->phase)));
      cairo_rectangle (cr, x0, y + row_h * 0.25, MAX (2.0, x1 - x0), row_h * 0.5);
      cairo_fill (cr);

      pango_layout_set_text (layout, d, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      cairo_move_to (cr, width - 12 - tw, y + (row_h - th) / 2);
      pango_cairo_show_layout (cr, layout);
    }

  g_object_unref (layout);
}

static void
add_phase (TlDetailsPane *self,
           TlHttpPhase    phase,
           const char    *name,
           gint64         start_us,
           gint64         end_us)
{
  if (start_us < 0 || end_us < start_us || self->n_phases >= G_N_ELEMENTS (self->phases))
    return;

  self->phases[self->n_phases++] = (Phase) { phase, name, start_us, end_us };
}

static void
show_http (TlDetailsPane *self,
           gboolean       final)
{
  const TlInstance *inst = tl_trace_get_instance (self->trace, self->instance);
  const TlHttpDetails *http = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) a11y = g_string_new (NULL);

  self->n_phases = 0;

  if (inst->kind != TL_KIND_FETCH)
    {
      gtk_widget_set_visible (self->http_box, FALSE);
      return;
    }

  gtk_widget_set_visible (self->http_box, TRUE);
  if (final)
    http = tl_trace_get_http (self->trace, self->instance);

  if (http == NULL)
    {
      gtk_label_set_text (self->http_label,
                          final ? _("No response was received.") : _("The request is still going."));
      gtk_widget_set_visible (GTK_WIDGET (self->waterfall), FALSE);
      return;
    }

  if (http->url != NULL)
    g_string_append_printf (text, "%s\n", http->url);
  if (http->status != 0)
    {
      g_autofree char *bytes = g_format_size (MAX (http->bytes, 0));

      /* Translators: "HTTP 200 OK · 5.1 kB received" */
      g_string_append_printf (text, _("HTTP %u %s · %s received"),
                              http->status, http->reason != NULL ? http->reason : "", bytes);
    }
  else
    g_string_append (text, _("No response was received."));
  if (http->connection_reused)
    g_string_append_printf (text, "\n%s", _("Reused an open connection"));
  gtk_label_set_text (self->http_label, text->str);

  add_phase (self, TL_HTTP_PHASE_DNS, _("DNS"), http->dns_start_us, http->dns_end_us);
  add_phase (self, TL_HTTP_PHASE_CONNECT, _("Connect"), http->connect_start_us, http->connect_end_us);
  add_phase (self, TL_HTTP_PHASE_TLS, _("TLS"), http->tls_start_us, http->tls_end_us);
  add_phase (self, TL_HTTP_PHASE_REQUEST, _("Request"), http->request_start_us, http->request_end_us);
  if (http->request_end_us >= 0 && http->first_byte_us >= http->request_end_us)
    add_phase (self, TL_HTTP_PHASE_FIRST_BYTE, _("First byte"), http->request_end_us, http->first_byte_us);
  if (http->first_byte_us >= 0 && http->end_us >= http->first_byte_us)
    add_phase (self, TL_HTTP_PHASE_BODY, _("Body"), http->first_byte_us, http->end_us);

  self->http_start_us = http->fetch_start_us >= 0 ? http->fetch_start_us
                        : self->n_phases > 0 ? self->phases[0].start_us : 0;
  self->http_end_us = self->http_start_us;
  for (guint i = 0; i < self->n_phases; i++)
    {
      g_autofree char *d = tl_format_duration (self->phases[i].end_us - self->phases[i].start_us);

      self->http_start_us = MIN (self->http_start_us, self->phases[i].start_us);
      self->http_end_us = MAX (self->http_end_us, self->phases[i].end_us);
      g_string_append_printf (a11y, "%s%s %s", i > 0 ? ", " : "", self->phases[i].name, d);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->waterfall), self->n_phases > 0);
  gtk_drawing_area_set_content_height (self->waterfall, 12 + 22 * MAX (1, self->n_phases));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->waterfall),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->waterfall));
}

static void
sum_state_times (TlDetailsPane *self,
                 gint64         now_us,
                 gint64        *per_state,
                 gint64        *first_queued,
                 gint64        *first_started)
{
  int lane = tl_timeline_model_find_lane (self->model, self->instance);
  const TlInterval *intervals;
  guint n = 0;

  *first_queued = -1;
  *first_started = -1;
  if (lane < 0)
    return;

  intervals = tl_timeline_model_get_intervals (self->model, lane, &n);
  for (guint i = 0; i < n; i++)
    {
      gint64 end = intervals[i].end_us == G_MAXINT64
                   ? MAX (now_us, intervals[i].start_us) : intervals[i].end_us;
      guint state = intervals[i].state;

      if (state < TL_N_STATES)
        per_state[state] += end - intervals[i].start_us;
      if (state == TL_STATE_QUEUED && *first_queued < 0)
        *first_queued = intervals[i].start_us;
      if ((state == TL_STATE_WAITING || state == TL_STATE_RUNNING || state == TL_STATE_BLOCKED) &&
          *first_started < 0)
        *first_started = intervals[i].start_us;
    }
}

static void
show_times (TlDetailsPane *self,
            gboolean       final,
            gint64         now_us)
{
  gint64 per_state[TL_N_STATES] = { 0 };
  gint64 queued = -1, started = -1, finished = -1, created;
  static const struct { TlState state; const char *title; } state_rows[] = {
    { TL_STATE_QUEUED,  N_("Time queued") },
    { TL_STATE_WAITING, N_("Time waiting") },
    { TL_STATE_RUNNING, N_("Time running") },
    { TL_STATE_BLOCKED, N_("Time blocked by the event loop") },
  };

  if (now_us < 0)
    now_us = tl_timeline_model_get_end_us (self->model);

  sum_state_times (self, now_us, per_state, &queued, &started);
  created = tl_timeline_model_get_created_us (self->model, self->instance);

  if (final)
    {
      const TlOutcome *outcome = tl_trace_get_outcome (self->trace, self->instance);

      created = outcome->created_us;
      queued = outcome->queued_us;
      started = outcome->started_us;
      finished = outcome->finished_us;
    }

  /* Rows are created once, in reading order, and later only shown or
   * hidden: a row that appears mid-run (Finished after a cancel) must not
   * land below the durations. */
  if (gtk_widget_get_first_child (GTK_WIDGET (self->times_list)) == NULL)
    {
      set_row (self->times_list, "created", _("Created"), "");
      set_row (self->times_list, "queued", _("Queued"), "");
      set_row (self->times_list, "started", _("Started"), "");
      set_row (self->times_list, "finished", _("Finished"), "");
      set_row (self->times_list, "duration", _("From start to end"), "");
      for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
        set_row (self->times_list, state_rows[i].title, _(state_rows[i].title), "");
      set_row (self->times_list, "deadline", _("Timeout deadline"), "");
      set_row (self->times_list, "maxwait", _("Deadline of the wait"), "");
    }

  begin_rows (self->times_list);

  {
    g_autofree char *t = format_time (created);
    set_row (self->times_list, "created", _("Created"), t);
  }
  if (queued >= 0)
    {
      g_autofree char *t = format_time (queued);
      set_row (self->times_list, "queued", _("Queued"), t);
    }
  if (started >= 0)
    {
      g_autofree char *t = format_time (started);
      set_row (self->times_list, "started", _("Started"), t);
    }
  if (finished >= 0)
    {
      g_autofree char *t = format_time (finished);
      set_row (self->times_list, "finished", _("Finished"), t);
    }
  if (started >= 0)
    {
      gint64 end = finished >= 0 ? finished : now_us;
      g_autofree char *d = tl_format_duration (MAX (0, end - started));
      set_row (self->times_list, "duration", _("From start to end"), d);
    }

  for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
    {
      if (per_state[state_rows[i].state] > 0)
        {
          g_autofree char *d = tl_format_duration (per_state[state_rows[i].state]);
          set_row (self->times_list, state_rows[i].title, _(state_rows[i].title), d);
        }
    }

  for (guint kind = 0; kind <= 1; kind++)
    {
      gint64 deadline = tl_timeline_model_get_deadline (self->model, self->instance, kind);

      if (deadline >= 0)
        {
          g_autofree char *t = format_time (deadline);
          set_row (self->times_list, kind == 0 ? "deadline" : "maxwait",
                   kind == 0 ? _("Timeout deadline") : _("Deadline of the wait"), t);
        }
    }

  end_rows (self->times_list);
}

static void
show_related (TlDetailsPane *self)
{
  const TlInstance *inst = tl_trace_get_instance (self->trace, self->instance);
  guint shown = 0;

  begin_rows (self->related_list);

  if (inst->parent != TL_NO_INSTANCE)
    set_related_row (self, "parent", inst->parent);

  if (tl_trace_is_complete (self->trace))
    {
      guint n_children = 0;
      const guint32 *children = tl_trace_get_children (self->trace, self->instance, &n_children);

      for (guint i = 0; i < n_children && shown < MAX_CHILD_ROWS; i++, shown++)
        set_related_row (self, "child", children[i]);
    }
  else
    {
      guint n = tl_trace_get_n_instances (self->trace);

      /* Children are created after their parent, so their ids are larger. */
      for (guint32 id = self->instance + 1; id < n && shown < MAX_CHILD_ROWS; id++)
        {
          if (tl_trace_get_instance (self->trace, id)->parent == self->instance)
            {
              set_related_row (self, "child", id);
              shown++;
            }
        }
    }

  end_rows (self->related_list);
  gtk_widget_set_visible (self->related_heading,
                          gtk_widget_get_visible (GTK_WIDGET (self->related_list)));
}

void
tl_details_pane_refresh (TlDetailsPane *self,
                         gint64         now_us)
{
  const TlInstance *inst;
  const TlTaskSpec *spec;
  TlState state;
  gboolean final;
  g_autofree char *label = NULL;
  g_autofree char *cause = NULL;
  g_autofree char *state_text = NULL;

  g_return_if_fail (TL_IS_DETAILS_PANE (self));

  if (self->trace == NULL || self->model == NULL || self->instance == TL_NO_INSTANCE ||
      self->instance >= tl_trace_get_n_instances (self->trace))
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "task");

  inst = tl_trace_get_instance (self->trace, self->instance);
  spec = tl_trace_get_spec (self->trace, self->instance);
  state = tl_timeline_model_get_state (self->model, self->instance);
  if (self->cursor_us >= 0)
    {
      TlState at = tl_timeline_model_get_state_at (self->model, self->instance, self->cursor_us);

      /* Before it was created it had not started either. */
      state = at == TL_N_STATES ? TL_STATE_CREATED : at;
    }
  final = TL_STATE_IS_FINAL (state);

  label = dup_label (self, self->instance, final);
  gtk_label_set_text (self->title_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  gtk_label_set_text (self->state_label, tl_details_state_name (state));
  gtk_image_set_from_icon_name (self->state_icon, tl_details_state_icon_name (state));
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), tl_details_state_icon_name (state) != NULL);
  for (int s = 0; s < TL_N_STATES; s++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), tl_state_to_string (s));
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), tl_state_to_string (s));
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), tl_state_to_string (state));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), tl_state_to_string (state));

  cause = describe_cause (self, state, final);
  gtk_label_set_text (self->cause_label, cause != NULL ? cause : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cause_label), cause != NULL);

  gtk_widget_set_visible (self->cancel_button,
                          !final && !tl_trace_is_complete (self->trace) && now_us >= 0);

  begin_rows (self->info_list);
  set_row (self->info_list, "kind", _("Kind"), kind_name (self, inst->kind));
  if (!tl_kind_is_composite (inst->kind) && inst->kind != TL_KIND_SPAWN && inst->kind != TL_KIND_AWAIT)
    set_row (self->info_list, "on", _("Where it runs"), tl_details_on_name (inst->on));
  {
    g_autofree char *name = NULL;

    if (spec == NULL)
      {
        guint line = tl_trace_instance_get_source_line (self->trace, self->instance);

        set_row (self->info_list, "name", _("Function"), tl_trace_get_task_name (self->trace, self->instance));
        if (line > 0)
          {
            g_autofree char *where = g_strdup_printf ("%s:%u", tl_trace_get_preset (self->trace)->name, line);

            set_row (self->info_list, "line", _("Created at"), where);
          }
      }
    else
      {
        if (spec->repeat > 1)
          /* Translators: "user, copy 2 of 3" (a task with Repeat=3) */
          name = g_strdup_printf (_("%s, copy %u of %u"), spec->name, inst->copy, spec->repeat);
        else
          name = g_strdup (spec->name);
        set_row (self->info_list, "name", _("Task in the preset"), name);
      }
  }
  if (final && state == TL_STATE_OK)
    {
      const char *result = tl_trace_get_result (self->trace, self->instance);

      if (result != NULL)
        set_row (self->info_list, "result", _("Result"), result);
    }
  if (final && (state == TL_STATE_FAILED || state == TL_STATE_TIMED_OUT || state == TL_STATE_CANCELLED))
    {
      const char *error = tl_trace_get_error (self->trace, self->instance);

      if (error != NULL)
        set_row (self->info_list, "error", _("Error"), error);
    }
  if (final && state == TL_STATE_FAILED && tl_trace_get_traceback (self->trace, self->instance) != NULL)
    set_row (self->info_list, "traceback", _("Traceback"), tl_trace_get_traceback (self->trace, self->instance));
  if (spec != NULL && spec->catch_error)
    set_row (self->info_list, "catch", _("Errors"), _("Caught by its parent (Catch=true)"));
  if (spec != NULL && !spec->awaited)
    set_row (self->info_list, "awaited", _("Awaited"), _("No: created but never awaited, so it never ran"));
  end_rows (self->info_list);

  show_times (self, final, now_us);
  show_http (self, final);
  show_related (self);

  state_text = g_strdup_printf ("%s: %s", label, tl_details_state_name (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_text, -1);
}

void
tl_details_pane_set_cursor (TlDetailsPane *self,
                            gint64         time_us)
{
  g_return_if_fail (TL_IS_DETAILS_PANE (self));

  self->cursor_us = time_us < 0 ? -1 : time_us;
}

void
tl_details_pane_set_run (TlDetailsPane   *self,
                         TlTrace         *trace,
                         TlTimelineModel *model)
{
  g_return_if_fail (TL_IS_DETAILS_PANE (self));

  if (trace != NULL)
    tl_trace_ref (trace);
  g_clear_pointer (&self->trace, tl_trace_unref);
  self->trace = trace;
  g_set_object (&self->model, model);
  self->instance = TL_NO_INSTANCE;

  clear_rows (self->info_list);
  clear_rows (self->times_list);
  clear_rows (self->related_list);
  tl_details_pane_refresh (self, -1);
}

void
tl_details_pane_set_instance (TlDetailsPane *self,
                              guint32        instance)
{
  g_return_if_fail (TL_IS_DETAILS_PANE (self));

  if (self->instance == instance)
    return;

  self->instance = instance;
  clear_rows (self->info_list);
  clear_rows (self->times_list);
  clear_rows (self->related_list);
  /* A new task starts at its top: its name, its state and Cancel Task. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

double
tl_details_pane_get_scroll (TlDetailsPane *self)
{
  g_return_val_if_fail (TL_IS_DETAILS_PANE (self), 0);

  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
}

void
tl_details_pane_set_scroll (TlDetailsPane *self,
                            double         value)
{
  g_return_if_fail (TL_IS_DETAILS_PANE (self));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), value);
}

guint32
tl_details_pane_get_instance (TlDetailsPane *self)
{
  g_return_val_if_fail (TL_IS_DETAILS_PANE (self), TL_NO_INSTANCE);

  return self->instance;
}

static void
close_clicked_cb (TlDetailsPane *self,
                  GtkButton     *button)
{
  g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
}

static void
cancel_clicked_cb (TlDetailsPane *self,
                   GtkButton     *button)
{
  if (self->instance != TL_NO_INSTANCE)
    g_signal_emit (self, signals[CANCEL_REQUESTED], 0, self->instance);
}

static void
related_row_activated_cb (TlDetailsPane *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  guint stored = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "instance"));

  if (stored != 0)
    g_signal_emit (self, signals[INSTANCE_ACTIVATED], 0, stored - 1);
}

static void
tl_details_pane_dispose (GObject *object)
{
  TlDetailsPane *self = TL_DETAILS_PANE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_DETAILS_PANE);
  /* Template children without an id are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tl_details_pane_parent_class)->dispose (object);
}

static void
tl_details_pane_class_init (TlDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_details_pane_dispose;

  signals[INSTANCE_ACTIVATED] =
    g_signal_new ("instance-activated",
                  G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[CANCEL_REQUESTED] =
    g_signal_new ("cancel-requested",
                  G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested",
                  G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "detailspane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, stack);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, state_label);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, cause_label);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, info_list);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, times_list);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, http_box);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, http_label);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, waterfall);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, related_heading);
  gtk_widget_class_bind_template_child (widget_class, TlDetailsPane, related_list);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, related_row_activated_cb);
}

static void
tl_details_pane_init (TlDetailsPane *self)
{
  self->instance = TL_NO_INSTANCE;
  self->cursor_us = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_drawing_area_set_draw_func (self->waterfall, waterfall_draw, self, NULL);
}

GtkWidget *
tl_details_pane_new (void)
{
  return g_object_new (TL_TYPE_DETAILS_PANE, NULL);
}
