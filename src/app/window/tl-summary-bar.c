/* tl-summary-bar.c — per-section figures under the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-summary-bar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "window/tl-summary-bar.h"
#include "core/tl-number.h"
#include "trace/tl-summary.h"

struct _TlSummaryBar
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  int        width;          /* the width last given, 0 before any */
  guint      resize_idle;
};

G_DEFINE_FINAL_TYPE (TlSummaryBar, tl_summary_bar, GTK_TYPE_WIDGET)

static void
append_count (GString *str,
              TlState  state,
              guint    n)
{
  g_autofree char *number = NULL;

  if (n == 0)
    return;
  number = tl_format_count (n);

  if (str->len > 0)
    g_string_append (str, _(", "));

  switch (state)
    {
    case TL_STATE_OK:
      /* Translators: counts of tasks by final state, e.g. "3 ok"; %s is the
       * number with its digits grouped ("200,000") */
      g_string_append_printf (str, _("%s ok"), number);
      break;
    case TL_STATE_FAILED:
      g_string_append_printf (str, _("%s failed"), number);
      break;
    case TL_STATE_CANCELLED:
      g_string_append_printf (str, _("%s cancelled"), number);
      break;
    case TL_STATE_TIMED_OUT:
      g_string_append_printf (str, _("%s timed out"), number);
      break;
    case TL_STATE_NEVER_STARTED:
      g_string_append_printf (str, _("%s never started"), number);
      break;
    case TL_STATE_CREATED:
    case TL_STATE_QUEUED:
    case TL_STATE_WAITING:
    case TL_STATE_RUNNING:
    case TL_STATE_BLOCKED:
    case TL_N_STATES:
    default:
      g_assert_not_reached ();
    }
}

char *
tl_summary_bar_format_counts (const guint *counts)
{
  GString *str = g_string_new (NULL);

  for (int s = TL_STATE_OK; s < TL_N_STATES; s++)
    append_count (str, s, counts[s]);

  if (str->len == 0)
    g_string_append (str, _("no tasks"));

  return g_string_free (str, FALSE);
}

static void
clear (TlSummaryBar *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
}

static GtkWidget *
add_label (GtkWidget  *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  if (box != NULL)
    gtk_box_append (GTK_BOX (box), label);

  return label;
}

static GtkWidget *
grid_label (GtkGrid    *grid,
            const char *text,
            int         column,
            int         row,
            float       xalign,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (grid, label, column, row, 1, 1);

  return label;
}

void
tl_summary_bar_show_preset (TlSummaryBar *self,
                            TlPreset     *preset)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TL_IS_SUMMARY_BAR (self));

  clear (self);
  if (preset == NULL)
    return;

  if (preset->n_sections > 1)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < preset->n_sections; i++)
        {
          if (i > 0)
            g_string_append (names, _(", then "));
          g_string_append (names, preset->tasks[preset->sections[i]].label);
        }
      /* Translators: %u is the number of sections (at least 2), %s lists them */
      text = g_strdup_printf (_("Ready to run %u sections one after another: %s. Press Run to compare them."),
                              preset->n_sections, names->str);
    }
  else
    {
      text = g_strdup (_("Ready to run. Press Run to watch every task on the timeline."));
    }

  add_label (self->box, text, "dim-label");
}

static char *
instance_label (TlTimelineModel *model,
                guint32          instance)
{
  TlTrace *trace = tl_timeline_model_get_trace (model);

  if (instance == TL_NO_INSTANCE || instance >= tl_trace_get_n_instances (trace))
    return NULL;
  /* A program's tasks carry their own names, not a preset's. */
  return tl_trace_dup_label (trace, instance);
}

void
tl_summary_bar_show_at (TlSummaryBar    *self,
                        TlTimelineModel *model,
                        gint64           time_us)
{
  g_autofree char *at = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *line = NULL;
  g_autofree char *loop_text = NULL;
  g_autofree char *task = NULL;
  guint finals[TL_N_STATES] = { 0 };
  guint running, waiting;
  guint32 loop_task;
  TlLoopState loop;

  g_return_if_fail (TL_IS_SUMMARY_BAR (self));

  clear (self);
  if (model == NULL)
    return;

  running = tl_timeline_model_count_state_at (model, TL_STATE_RUNNING, time_us);
  waiting = tl_timeline_model_count_state_at (model, TL_STATE_WAITING, time_us) +
            tl_timeline_model_count_state_at (model, TL_STATE_QUEUED, time_us) +
            tl_timeline_model_count_state_at (model, TL_STATE_BLOCKED, time_us);
  for (int s = TL_STATE_OK; s < TL_N_STATES; s++)
    finals[s] = tl_timeline_model_count_state_at (model, s, time_us);

  at = tl_format_duration (time_us);
  counts = tl_summary_bar_format_counts (finals);
  /* Translators: status at the time cursor: "At 300 ms · 1 running · 2 waiting · 1 ok" */
  line = g_strdup_printf (_("At %s · %u running · %u waiting · %s"), at, running, waiting, counts);
  add_label (self->box, line, "numeric");

  loop = tl_timeline_model_get_loop_at (model, time_us, &loop_task);
  task = instance_label (model, loop_task);
  if (loop == TL_LOOP_BLOCKED && task != NULL)
    loop_text = g_strdup_printf (_("The event loop is blocked by %s: no other task can run"), task);
  else if (loop == TL_LOOP_BUSY && task != NULL)
    loop_text = g_strdup_printf (_("The event loop is running %s’s code"), task);
  else
    loop_text = g_strdup (_("The event loop is free: no task’s code is running"));
  add_label (self->box, loop_text, loop == TL_LOOP_BLOCKED ? "error" : NULL);
}

void
tl_summary_bar_show_live (TlSummaryBar    *self,
                          TlTimelineModel *model,
                          gint64           now_us,
                          gint64           stall_us,
                          guint32          culprit)
{
  g_autofree char *elapsed = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *line = NULL;
  g_autofree char *live_text = NULL;
  guint live = 0;
  guint finals[TL_N_STATES] = { 0 };

  g_return_if_fail (TL_IS_SUMMARY_BAR (self));

  clear (self);
  if (model == NULL)
    return;

  for (int s = TL_STATE_QUEUED; s <= TL_STATE_BLOCKED; s++)
    live += tl_timeline_model_count_state (model, s);
  for (int s = TL_STATE_OK; s < TL_N_STATES; s++)
    finals[s] = tl_timeline_model_count_state (model, s);

  elapsed = tl_format_duration (MAX (now_us, 0));
  live_text = tl_format_count (live);
  counts = tl_summary_bar_format_counts (finals);
  if (live == 0 && g_strcmp0 (counts, _("no tasks")) == 0)
    /* Translators: live status before any task has started */
    line = g_strdup_printf (_("Running for %s"), elapsed);
  else if (g_strcmp0 (counts, _("no tasks")) == 0)
    /* Translators: live status: elapsed time, tasks still going */
    line = g_strdup_printf (_("Running for %s · %s active"), elapsed, live_text);
  else
    /* Translators: live status: elapsed time, tasks still going, finished counts */
    line = g_strdup_printf (_("Running for %s · %s active · %s"), elapsed, live_text, counts);
  add_label (self->box, line, "numeric");

  if (stall_us > 0)
    {
      g_autofree char *stall = tl_format_duration (stall_us);
      g_autofree char *culprit_label = NULL;
      g_autofree char *text = NULL;
      TlTrace *trace = tl_timeline_model_get_trace (model);

      if (culprit != TL_NO_INSTANCE && culprit < tl_trace_get_n_instances (trace))
        {
          const TlInstance *inst = tl_trace_get_instance (trace, culprit);
          const TlTaskSpec *spec = tl_trace_get_spec (trace, culprit);

          culprit_label = spec != NULL ? tl_preset_expand (spec->label, inst->copy)
                                       : tl_trace_dup_label (trace, culprit);
        }

      if (culprit_label != NULL)
        /* Translators: e.g. "Event loop blocked for 1.40 s by cpu_bound" */
        text = g_strdup_printf (_("Event loop blocked for %s by %s"), stall, culprit_label);
      else
        text = g_strdup_printf (_("Event loop blocked for %s"), stall);
      add_label (self->box, text, "error");
    }
}

void
tl_summary_bar_show_stopping (TlSummaryBar *self,
                              guint         n_uninterruptible)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TL_IS_SUMMARY_BAR (self));

  if (n_uninterruptible > 0)
    /* Translators: %u is how many calls on worker threads are still running */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Stopping… %u call on a thread cannot be interrupted; "
                                         "it finishes its current call.",
                                         "Stopping… %u calls on threads cannot be interrupted; "
                                         "they finish their current call.",
                                         n_uninterruptible),
                            n_uninterruptible);
  else
    text = g_strdup (_("Stopping… every task is being cancelled."));
  add_label (self->box, text, "warning");
}

void
tl_summary_bar_show_trace (TlSummaryBar *self,
                           TlTrace      *trace)
{
  GtkGrid *grid;
  guint n;
  gint64 max_wall = 1;
  gint64 fastest = G_MAXINT64;
  guint fastest_i = 0;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree TlSectionSummary *summaries = NULL;
  int column;

  g_return_if_fail (TL_IS_SUMMARY_BAR (self));

  clear (self);
  if (trace == NULL || !tl_trace_is_complete (trace))
    return;

  n = tl_trace_get_n_sections (trace);
  if (n == 0)
    {
      add_label (self->box,
                 tl_trace_is_open (trace)
                 ? _("The program ended without running asyncio.run(): it made no tasks to draw. "
                     "What it printed is below.")
                 : _("No section ran."),
                 "dim-label");
      return;
    }

  summaries = g_new0 (TlSectionSummary, n);
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const TlSection *section = tl_trace_get_section (trace, i);

      tl_summary_compute_section (trace, i, &summaries[i]);
      g_ptr_array_add (names, tl_trace_dup_label (trace, section->root));
      max_wall = MAX (max_wall, summaries[i].wall_us);
      if (summaries[i].wall_us < fastest)
        {
          fastest = summaries[i].wall_us;
          fastest_i = i;
        }
    }

  grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (grid, 12);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_widget_add_css_class (GTK_WIDGET (grid), "summary-grid");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (grid));

  /* Headings may wrap, so a narrow window keeps room for the details. */
  column = 0;
  grid_label (grid, _("Section"), column++, 0, 0, "caption-heading");
  if (n > 1)
    grid_label (grid, _("Wall time compared"), column++, 0, 0, "caption-heading");
  grid_label (grid, _("Wall time"), column++, 0, 1, "caption-heading");
  gtk_widget_set_tooltip_text (grid_label (grid, _("Tasks’ own time"), column++, 0, 1, "caption-heading"),
                               _("Each task’s time from start to end, added up; time a task spent blocked by a busy event loop does not count"));
  gtk_widget_set_tooltip_text (grid_label (grid, _("Overlap"), column++, 0, 1, "caption-heading"),
                               _("Tasks’ own time divided by the wall time: how many tasks made progress at once, on average"));
  grid_label (grid, _("Final states"), column++, 0, 0, "caption-heading");
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_label_set_wrap (GTK_LABEL (child), TRUE);
      gtk_widget_set_valign (child, GTK_ALIGN_END);
    }

  for (guint i = 0; i < n; i++)
    {
      TlSectionSummary *s = &summaries[i];
      g_autofree char *wall = tl_format_duration (s->wall_us);
      g_autofree char *own = tl_format_duration (s->task_time_us);
      /* Translators: the overlap factor, e.g. "3.0×" */
      g_autofree char *overlap = g_strdup_printf (_("%.1f×"), s->overlap);
      g_autofree char *counts = tl_summary_bar_format_counts (s->counts);
      GtkWidget *label;
      int row = i + 1;

      column = 0;
      /* Section names can be whole lines of code: only they give way. */
      label = grid_label (grid, g_ptr_array_index (names, i), column++, row, 0, "heading");
      /* The ends of a label tell sections apart ("…, with the GIL"). */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_widget_set_tooltip_text (label, g_ptr_array_index (names, i));

      if (n > 1)
        {
          GtkWidget *bar = gtk_progress_bar_new ();

          gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar),
                                         (double) s->wall_us / (double) max_wall);
          gtk_widget_set_hexpand (bar, TRUE);
          gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
          gtk_widget_set_size_request (bar, 72, -1);
          gtk_widget_add_css_class (bar, "section-bar");
          if (i == fastest_i)
            gtk_widget_add_css_class (bar, "fastest");
          gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, wall, -1);
          gtk_grid_attach (grid, bar, column++, row, 1, 1);
        }

      grid_label (grid, wall, column++, row, 1, "numeric");
      grid_label (grid, own, column++, row, 1, "numeric");
      grid_label (grid, overlap, column++, row, 1, "numeric");
      label = grid_label (grid, counts, column++, row, 0, NULL);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      if (s->counts[TL_STATE_FAILED] > 0 || s->counts[TL_STATE_TIMED_OUT] > 0)
        gtk_widget_add_css_class (label, "warning");
      if (n == 1)
        gtk_widget_set_hexpand (label, TRUE);
    }

  if (tl_trace_was_stopped (trace))
    add_label (self->box, _("You stopped this run: the sections left unfinished were cancelled, "
                            "so their times are not a result."), "warning");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *note = tl_summary_dup_contention_note (trace, &summaries[i]);

      if (note != NULL)
        {
          g_autofree char *text = n > 1 ? g_strdup_printf ("%s: %s", (char *) g_ptr_array_index (names, i), note)
                                        : g_strdup (note);

          add_label (self->box, text, "warning");
        }
    }

  if (n > 1 && !tl_trace_was_stopped (trace))
    {
      g_autofree char *text = tl_summary_dup_comparison (trace, summaries, n);

      /* The labels, whole: the sentence names what the table shows. */
      if (text != NULL && g_strcmp0 (text, _("about the same")) != 0)
        add_label (self->box, text, "comparison");
    }
}

char *
tl_summary_bar_dup_text (TlSummaryBar *self)
{
  GString *str = g_string_new (NULL);
  GPtrArray *stack = g_ptr_array_new ();

  g_return_val_if_fail (TL_IS_SUMMARY_BAR (self), NULL);

  g_ptr_array_add (stack, self->box);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, 0);

      if (GTK_IS_LABEL (widget))
        {
          g_string_append (str, gtk_label_get_text (GTK_LABEL (widget)));
          g_string_append_c (str, '\n');
        }

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);

  return g_string_free (str, FALSE);
}

/* The summary sits in a GtkScrolledWindow that takes its natural height,
 * and GTK 4.8's scrolled window asks for that height for no width in
 * particular. Wrapping labels then answer with their height at their
 * narrowest: in Korean, which may break between any two syllables, the
 * headings stood a syllable a line and the bar asked for 176 px where it
 * needs 68 at the window's width, leaving a gap above the warnings. Asked
 * for no particular width, the bar answers for the width it was last
 * given, and asks to be measured again when that changes. */
static void
tl_summary_bar_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  TlSummaryBar *self = TL_SUMMARY_BAR (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0 && self->width > 0)
    {
      int min_width;

      gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      for_size = MAX (self->width, min_width);
    }
  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static GtkSizeRequestMode
tl_summary_bar_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (TL_SUMMARY_BAR (widget)->box);
}

static gboolean
resize_cb (gpointer data)
{
  TlSummaryBar *self = data;

  self->resize_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
tl_summary_bar_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  TlSummaryBar *self = TL_SUMMARY_BAR (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (width != self->width)
    {
      self->width = width;
      /* Not from inside the allocation: after it. */
      if (self->resize_idle == 0)
        self->resize_idle = g_idle_add (resize_cb, self);
    }
}

static void
tl_summary_bar_dispose (GObject *object)
{
  TlSummaryBar *self = TL_SUMMARY_BAR (object);

  g_clear_handle_id (&self->resize_idle, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (tl_summary_bar_parent_class)->dispose (object);
}

static void
tl_summary_bar_class_init (TlSummaryBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_summary_bar_dispose;

  widget_class->get_request_mode = tl_summary_bar_get_request_mode;
  widget_class->measure = tl_summary_bar_measure;
  widget_class->size_allocate = tl_summary_bar_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "summarybar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tl_summary_bar_init (TlSummaryBar *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
tl_summary_bar_new (void)
{
  return g_object_new (TL_TYPE_SUMMARY_BAR, NULL);
}
