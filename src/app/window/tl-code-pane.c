/* tl-code-pane.c — the program beside the timeline
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only GtkSourceView with the asyncio program of the open preset.
 * The program's line map ties each task of the run to the line that
 * created it: the selected lane's line is highlighted, a click on a line
 * selects a lane it made, and while a run is live the lines whose tasks are
 * running carry a mark in the gutter and a tinted background. The live
 * marks are read from the trace's event log, incrementally, as the
 * timeline reads it: outcomes may not be read before the run ends.
 */
#define G_LOG_DOMAIN "tl-code-pane"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "window/tl-code-pane.h"

#define RUNNING_CATEGORY "running"

struct _TlCodePane
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkLabel         *title_label;
  GtkScrolledWindow *scroller;
  GtkSourceView    *view;

  GtkSourceBuffer  *buffer;
  GtkTextTag       *selected_tag;
  GtkTextTag       *running_tag;
  GtkTextMark      *selected_mark;

  TlPythonProgram  *program;
  /* A real program shows its own file; its trace says which line made
   * each task. */
  char             *source_text;
  TlTrace          *trace;

  guint             highlighted_line;
  guint32           selected_instance;

  /* Live marks: how far the event log was read, which instances count as
   * running, and how many running instances each line has. */
  guint             n_events_seen;
  GByteArray       *running;
  guint            *line_running;      /* [n_lines + 1] */
  guint             n_line_slots;
  gboolean          marks_cleared;
};

G_DEFINE_FINAL_TYPE (TlCodePane, tl_code_pane, GTK_TYPE_WIDGET)

enum {
  INSTANCE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_style_scheme (TlCodePane *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (manager)
                                                                  ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static gboolean
line_bounds (TlCodePane  *self,
             guint        line,
             GtkTextIter *start,
             GtkTextIter *end)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);

  if (line == 0 || (int) line > gtk_text_buffer_get_line_count (buffer))
    return FALSE;
  gtk_text_buffer_get_iter_at_line (buffer, start, (int) line - 1);
  *end = *start;
  if (!gtk_text_iter_ends_line (end))
    gtk_text_iter_forward_to_line_end (end);
  /* Include the new line, so the tint spans the whole row. */
  gtk_text_iter_forward_char (end);
  return TRUE;
}

static void
set_highlighted_line (TlCodePane *self,
                      guint       line,
                      gboolean    scroll)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  if (self->highlighted_line == line && !scroll)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->selected_tag, &start, &end);
  self->highlighted_line = 0;
  if (!line_bounds (self, line, &start, &end))
    return;
  gtk_text_buffer_apply_tag (buffer, self->selected_tag, &start, &end);
  self->highlighted_line = line;
  if (scroll)
    {
      /* A mark, not an iter: the view scrolls once its lines are laid
       * out, even when the pane has only just been shown. */
      gtk_text_buffer_move_mark (buffer, self->selected_mark, &start);
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view), self->selected_mark, 0.1, TRUE, 0.0, 0.3);
    }
}

/* The line that created @instance in the current run; 0 when unknown. */
static guint
line_of_instance (TlCodePane *self,
                  guint32     instance)
{
  const TlInstance *info;

  if ((self->program == NULL && self->source_text == NULL) || self->trace == NULL ||
      instance == TL_NO_INSTANCE || instance >= tl_trace_get_n_instances (self->trace))
    return 0;
  if (self->source_text != NULL)
    return tl_trace_instance_get_source_line (self->trace, instance);
  info = tl_trace_get_instance (self->trace, instance);
  return tl_python_program_get_line (self->program, info->section, info->spec);
}

static void
set_line_running (TlCodePane *self,
                  guint       line,
                  gboolean    running)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  if (!line_bounds (self, line, &start, &end))
    return;
  if (running)
    {
      gtk_text_buffer_apply_tag (buffer, self->running_tag, &start, &end);
      gtk_source_buffer_create_source_mark (self->buffer, NULL, RUNNING_CATEGORY, &start);
    }
  else
    {
      gtk_text_buffer_remove_tag (buffer, self->running_tag, &start, &end);
      gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, RUNNING_CATEGORY);
    }
}

static void
clear_live_marks (TlCodePane *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  self->n_events_seen = 0;
  g_byte_array_set_size (self->running, 0);
  if (self->line_running != NULL)
    memset (self->line_running, 0, self->n_line_slots * sizeof (guint));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->running_tag, &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, RUNNING_CATEGORY);
}

static gboolean
state_is_running (guint8 state)
{
  return state == TL_STATE_QUEUED || state == TL_STATE_WAITING ||
         state == TL_STATE_RUNNING || state == TL_STATE_BLOCKED;
}

void
tl_code_pane_update_live (TlCodePane *self)
{
  guint n_events;

  g_return_if_fail (TL_IS_CODE_PANE (self));

  if (self->trace == NULL || self->line_running == NULL)
    return;

  if (tl_trace_is_complete (self->trace))
    {
      if (!self->marks_cleared)
        clear_live_marks (self);
      self->marks_cleared = TRUE;
      return;
    }

  n_events = tl_trace_get_n_events (self->trace);
  for (; self->n_events_seen < n_events; self->n_events_seen++)
    {
      const TlEvent *event = tl_trace_get_event (self->trace, self->n_events_seen);
      gboolean now;
      guint line;

      if (event->type != TL_EVENT_STATE || event->instance == TL_NO_INSTANCE)
        continue;
      if (event->instance >= self->running->len)
        {
          guint old = self->running->len;

          g_byte_array_set_size (self->running, MAX (event->instance + 1, old * 2));
          memset (self->running->data + old, 0, self->running->len - old);
        }
      now = state_is_running (event->a);
      if (now == (self->running->data[event->instance] != 0))
        continue;
      self->running->data[event->instance] = now;
      line = line_of_instance (self, event->instance);
      if (line == 0 || line >= self->n_line_slots)
        continue;
      if (now && self->line_running[line]++ == 0)
        set_line_running (self, line, TRUE);
      else if (!now && self->line_running[line] > 0 && --self->line_running[line] == 0)
        set_line_running (self, line, FALSE);
    }
}

void
tl_code_pane_set_trace (TlCodePane *self,
                        TlTrace    *trace)
{
  g_return_if_fail (TL_IS_CODE_PANE (self));

  if (self->trace == trace)
    return;
  g_clear_pointer (&self->trace, tl_trace_unref);
  if (trace != NULL)
    self->trace = tl_trace_ref (trace);
  clear_live_marks (self);
  self->marks_cleared = FALSE;
  self->selected_instance = TL_NO_INSTANCE;
  set_highlighted_line (self, 0, FALSE);
  tl_code_pane_update_live (self);
}

void
tl_code_pane_set_program (TlCodePane      *self,
                          TlPythonProgram *program)
{
  g_autofree char *name = NULL;

  g_return_if_fail (TL_IS_CODE_PANE (self));

  if (self->program == program)
    return;
  g_clear_pointer (&self->program, tl_python_program_unref);
  g_clear_pointer (&self->source_text, g_free);
  if (program != NULL)
    self->program = tl_python_program_ref (program);

  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer),
                            program != NULL ? tl_python_program_get_text (program) : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));

  g_clear_pointer (&self->line_running, g_free);
  self->n_line_slots = program != NULL ? tl_python_program_get_n_lines (program) + 1 : 0;
  if (program != NULL)
    self->line_running = g_new0 (guint, self->n_line_slots);
  self->highlighted_line = 0;
  self->selected_instance = TL_NO_INSTANCE;
  clear_live_marks (self);
  self->marks_cleared = FALSE;

  name = program != NULL ? tl_python_program_dup_default_name (program) : NULL;
  gtk_label_set_label (self->title_label, name != NULL ? name : _("Python"));
}

void
tl_code_pane_set_source (TlCodePane *self,
                         const char *text,
                         const char *title)
{
  guint n_lines = 1;

  g_return_if_fail (TL_IS_CODE_PANE (self));
  g_return_if_fail (text != NULL);

  g_clear_pointer (&self->program, tl_python_program_unref);
  g_free (self->source_text);
  self->source_text = g_strdup (text);

  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n_lines++;
  g_clear_pointer (&self->line_running, g_free);
  self->n_line_slots = n_lines + 1;
  self->line_running = g_new0 (guint, self->n_line_slots);
  self->highlighted_line = 0;
  self->selected_instance = TL_NO_INSTANCE;
  clear_live_marks (self);
  self->marks_cleared = FALSE;
  gtk_label_set_label (self->title_label, title != NULL ? title : _("Python"));
}

TlPythonProgram *
tl_code_pane_get_program (TlCodePane *self)
{
  g_return_val_if_fail (TL_IS_CODE_PANE (self), NULL);
  return self->program;
}

const char *
tl_code_pane_get_text (TlCodePane *self)
{
  g_return_val_if_fail (TL_IS_CODE_PANE (self), NULL);
  if (self->source_text != NULL)
    return self->source_text;
  return self->program != NULL ? tl_python_program_get_text (self->program) : "";
}

void
tl_code_pane_select_instance (TlCodePane *self,
                              guint32     instance)
{
  g_return_if_fail (TL_IS_CODE_PANE (self));

  self->selected_instance = instance;
  set_highlighted_line (self, line_of_instance (self, instance), TRUE);
}

guint32
tl_code_pane_activate_line (TlCodePane *self,
                            guint       line)
{
  guint32 first = TL_NO_INSTANCE;
  guint32 next = TL_NO_INSTANCE;
  gboolean after_selected = FALSE;
  guint n;

  g_return_val_if_fail (TL_IS_CODE_PANE (self), TL_NO_INSTANCE);

  set_highlighted_line (self, line, FALSE);
  if (self->trace == NULL || (self->program == NULL && self->source_text == NULL))
    return TL_NO_INSTANCE;

  /* Several tasks may come from one line (a loop, a comprehension, the
   * same code in two sections): each click moves on to the next. */
  n = tl_trace_get_n_instances (self->trace);
  for (guint32 id = 0; id < n; id++)
    {
      if (line_of_instance (self, id) != line)
        continue;
      if (first == TL_NO_INSTANCE)
        first = id;
      if (after_selected)
        {
          next = id;
          break;
        }
      if (id == self->selected_instance)
        after_selected = TRUE;
    }
  if (next == TL_NO_INSTANCE)
    next = first;
  if (next != TL_NO_INSTANCE)
    {
      self->selected_instance = next;
      g_signal_emit (self, signals[INSTANCE_ACTIVATED], 0, next);
    }
  return next;
}

guint
tl_code_pane_get_highlighted_line (TlCodePane *self)
{
  g_return_val_if_fail (TL_IS_CODE_PANE (self), 0);
  return self->highlighted_line;
}

gboolean
tl_code_pane_line_is_running (TlCodePane *self,
                              guint       line)
{
  g_return_val_if_fail (TL_IS_CODE_PANE (self), FALSE);
  return self->line_running != NULL && line < self->n_line_slots && self->line_running[line] > 0;
}

static void
view_pressed_cb (TlCodePane      *self,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkGestureClick *gesture)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);
  GtkTextIter iter;
  int buffer_x, buffer_y;

  if (n_press != 1)
    return;
  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y, &buffer_x, &buffer_y);
  gtk_text_view_get_line_at_y (view, &iter, buffer_y, NULL);
  tl_code_pane_activate_line (self, (guint) gtk_text_iter_get_line (&iter) + 1);
}

static void
tl_code_pane_dispose (GObject *object)
{
  TlCodePane *self = TL_CODE_PANE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_CODE_PANE);
  /* Template children without an id are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->buffer);
  g_clear_pointer (&self->program, tl_python_program_unref);
  g_clear_pointer (&self->source_text, g_free);
  g_clear_pointer (&self->trace, tl_trace_unref);

  G_OBJECT_CLASS (tl_code_pane_parent_class)->dispose (object);
}

static void
tl_code_pane_finalize (GObject *object)
{
  TlCodePane *self = TL_CODE_PANE (object);

  g_byte_array_unref (self->running);
  g_free (self->line_running);

  G_OBJECT_CLASS (tl_code_pane_parent_class)->finalize (object);
}

static void
tl_code_pane_class_init (TlCodePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_code_pane_dispose;
  object_class->finalize = tl_code_pane_finalize;

  /* The lane (its instance id) a click on a line selects. */
  signals[INSTANCE_ACTIVATED] =
    g_signal_new ("instance-activated",
                  G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codepane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-code-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TlCodePane, title_label);
  gtk_widget_class_bind_template_child (widget_class, TlCodePane, scroller);
  gtk_widget_class_bind_template_child (widget_class, TlCodePane, view);
  gtk_widget_class_bind_template_callback (widget_class, view_pressed_cb);
}

static void
tl_code_pane_init (TlCodePane *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *python = gtk_source_language_manager_get_language (languages, "python3");
  g_autoptr(GtkSourceMarkAttributes) running = gtk_source_mark_attributes_new ();
  GdkRGBA selected_color, running_color;

  self->selected_instance = TL_NO_INSTANCE;
  self->running = g_byte_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->buffer = g_object_ref (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view))));
  if (python == NULL)
    python = gtk_source_language_manager_get_language (languages, "python");
  gtk_source_buffer_set_language (self->buffer, python);
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);

  /* Translucent, so the tints read on the light and the dark scheme. */
  gdk_rgba_parse (&selected_color, "rgba(53, 132, 228, 0.28)");
  gdk_rgba_parse (&running_color, "rgba(46, 194, 126, 0.22)");
  self->selected_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "selected-task",
                                                   "paragraph-background-rgba", &selected_color, NULL);
  self->running_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "running-task",
                                                  "paragraph-background-rgba", &running_color, NULL);
  {
    GtkTextIter first;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &first);
    self->selected_mark = gtk_text_buffer_create_mark (GTK_TEXT_BUFFER (self->buffer), "selected-task", &first, TRUE);
  }
  /* The selection tint wins over the running one. */
  gtk_text_tag_set_priority (self->selected_tag,
                             gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (self->buffer))) - 1);

  gtk_source_mark_attributes_set_icon_name (running, "media-playback-start-symbolic");
  gtk_source_view_set_mark_attributes (self->view, RUNNING_CATEGORY, running, 10);

  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  gtk_label_set_label (self->title_label, _("Python"));
}

GtkWidget *
tl_code_pane_new (void)
{
  return g_object_new (TL_TYPE_CODE_PANE, NULL);
}
