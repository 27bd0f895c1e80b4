/* tl-reload-banner.c — a broken save of the open file, said in place
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Someone editing a preset saves often, and a save in the middle of an
 * edit is often broken: a dialog at every save would be in the way. The
 * error stays above the explanation until the next good save, with the
 * place, the line and what is wrong, and can be copied. libadwaita 1.2
 * has no AdwBanner; GTK 4.8's GtkInfoBar is the inline message it has.
 */
#define G_LOG_DOMAIN "tl-reload-banner"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "window/tl-reload-banner.h"

struct _TlReloadBanner
{
  GtkWidget  parent_instance;

  GtkWidget *info_bar;
  GtkLabel  *title_label;
  GtkLabel  *line_label;
  GtkLabel  *message_label;
  char      *text;
};

G_DEFINE_FINAL_TYPE (TlReloadBanner, tl_reload_banner, GTK_TYPE_WIDGET)

/* The line @message names ("…/x.tasklanes:8: …"), or 0. */
static guint
line_of_message (const char *path,
                 const char *message)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *after = NULL;
  char *end;
  guint64 line;

  if (g_str_has_prefix (message, path))
    after = message + strlen (path);
  else if (g_str_has_prefix (message, base))
    after = message + strlen (base);
  if (after == NULL || after[0] != ':')
    return 0;

  line = g_ascii_strtoull (after + 1, &end, 10);
  if (end == after + 1 || *end != ':' || line == 0 || line > G_MAXUINT)
    return 0;
  return (guint) line;
}

static char *
dup_file_line (const char *path,
               guint       line)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (line == 0 || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", line + 1);
  if (g_strv_length (lines) < line)
    return NULL;
  g_strchomp (lines[line - 1]);
  if (!g_utf8_validate (lines[line - 1], -1, NULL))
    return NULL;
  return g_strdup (lines[line - 1]);
}

static void
copy_clicked_cb (TlReloadBanner *self,
                 GtkButton      *button)
{
  if (self->text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->text);
}

static void
response_cb (TlReloadBanner *self,
             int             response,
             GtkInfoBar     *bar)
{
  if (response == GTK_RESPONSE_CLOSE)
    tl_reload_banner_hide (self);
}

void
tl_reload_banner_show_error (TlReloadBanner *self,
                             const char     *path,
                             const char     *message)
{
  g_autofree char *base = NULL;
  g_autofree char *title = NULL;
  g_autofree char *source_line = NULL;
  g_autofree char *where = NULL;
  guint line;

  g_return_if_fail (TL_IS_RELOAD_BANNER (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (message != NULL);

  base = g_path_get_basename (path);
  /* Translators: %s is a file name */
  title = g_strdup_printf (_("“%s” was saved with an error; the version before it stays open"), base);
  line = line_of_message (path, message);
  source_line = dup_file_line (path, line);
  if (source_line != NULL)
    where = g_strdup_printf ("%s:%u:  %s", base, line, source_line);

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->line_label, where != NULL ? where : "");
  gtk_widget_set_visible (GTK_WIDGET (self->line_label), where != NULL);
  gtk_label_set_text (self->message_label, message);

  g_free (self->text);
  self->text = where != NULL ? g_strdup_printf ("%s\n%s", where, message) : g_strdup (message);

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), TRUE);
}

void
tl_reload_banner_hide (TlReloadBanner *self)
{
  g_return_if_fail (TL_IS_RELOAD_BANNER (self));

  g_clear_pointer (&self->text, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

gboolean
tl_reload_banner_is_shown (TlReloadBanner *self)
{
  g_return_val_if_fail (TL_IS_RELOAD_BANNER (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self)) && self->text != NULL;
}

char *
tl_reload_banner_dup_text (TlReloadBanner *self)
{
  g_return_val_if_fail (TL_IS_RELOAD_BANNER (self), NULL);

  return g_strdup (self->text);
}

static GtkLabel *
new_label (GtkWidget  *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);

  return GTK_LABEL (label);
}

static void
tl_reload_banner_dispose (GObject *object)
{
  TlReloadBanner *self = TL_RELOAD_BANNER (object);

  g_clear_pointer (&self->info_bar, gtk_widget_unparent);

  G_OBJECT_CLASS (tl_reload_banner_parent_class)->dispose (object);
}

static void
tl_reload_banner_finalize (GObject *object)
{
  TlReloadBanner *self = TL_RELOAD_BANNER (object);

  g_free (self->text);

  G_OBJECT_CLASS (tl_reload_banner_parent_class)->finalize (object);
}

static void
tl_reload_banner_class_init (TlReloadBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_reload_banner_dispose;
  object_class->finalize = tl_reload_banner_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reloadbanner");
}

static void
tl_reload_banner_init (TlReloadBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *copy;

  self->info_bar = gtk_info_bar_new ();
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->info_bar), GTK_MESSAGE_ERROR);
  gtk_info_bar_set_show_close_button (GTK_INFO_BAR (self->info_bar), TRUE);
  gtk_widget_set_parent (self->info_bar, GTK_WIDGET (self));
  g_signal_connect_object (self->info_bar, "response", G_CALLBACK (response_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_hexpand (box, TRUE);
  self->title_label = new_label (box, "heading");
  self->line_label = new_label (box, "monospace");
  self->message_label = new_label (box, NULL);
  gtk_info_bar_add_child (GTK_INFO_BAR (self->info_bar), box);

  copy = gtk_button_new_with_mnemonic (_("_Copy"));
  gtk_widget_set_tooltip_text (copy, _("Copy the error, with its file and line"));
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  g_signal_connect_object (copy, "clicked", G_CALLBACK (copy_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_info_bar_add_action_widget (GTK_INFO_BAR (self->info_bar), copy, GTK_RESPONSE_NONE);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
tl_reload_banner_new (void)
{
  return g_object_new (TL_TYPE_RELOAD_BANNER, NULL);
}
