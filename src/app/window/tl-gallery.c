/* tl-gallery.c — the sidebar: built-in presets, the open file, recent files
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-gallery"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "window/tl-gallery.h"
#include "preset/tl-preset.h"
#include "python/tl-python.h"

#define MAX_RECENT 5

/* Groups in the order the sidebar shows them. */
static const char *chapters[] = {
  "basics", "patterns", "errors", "timeouts", "blocking", "http", "mistakes", "comparison",
};

#define GROUP_CURRENT "\001current"
#define GROUP_RECENT  "\177recent"

typedef struct {
  char *argument;
  char *name;
  char *description;
  char *search_extra;   /* casefolded text of every language, or NULL */
  char *category;
  char *program;        /* the same idea as a Python program (a path), or NULL */
} BuiltinInfo;

struct _TlGallery
{
  GtkWidget         parent_instance;

  GtkSearchEntry   *search_entry;
  GtkScrolledWindow *scroller;
  GtkStack         *stack;
  GtkListBox       *list;

  GPtrArray        *builtins;     /* BuiltinInfo */
  GtkRecentManager *recent;
  char             *current_argument;
  char             *current_title;
  char             *current_path;
  char             *search_text;  /* casefolded, or NULL */
  guint             scroll_source;
};

G_DEFINE_FINAL_TYPE (TlGallery, tl_gallery, GTK_TYPE_WIDGET)

enum {
  PRESET_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
builtin_info_free (gpointer data)
{
  BuiltinInfo *info = data;

  g_free (info->program);
  g_free (info->argument);
  g_free (info->name);
  g_free (info->description);
  g_free (info->search_extra);
  g_free (info->category);
  g_free (info);
}

char *
tl_gallery_dup_chapter_title (const char *category)
{
  if (category == NULL || category[0] == '\0')
    return g_strdup (_("Other"));
  if (g_str_equal (category, "basics"))
    return g_strdup (_("Basics"));
  if (g_str_equal (category, "patterns"))
    return g_strdup (_("Patterns"));
  if (g_str_equal (category, "errors"))
    return g_strdup (_("Errors"));
  if (g_str_equal (category, "timeouts"))
    return g_strdup (_("Timeouts"));
  if (g_str_equal (category, "blocking"))
    return g_strdup (_("Blocking Code"));
  if (g_str_equal (category, "http"))
    return g_strdup (_("HTTP"));
  if (g_str_equal (category, "mistakes"))
    return g_strdup (_("Common Mistakes"));
  if (g_str_equal (category, "comparison"))
    return g_strdup (_("Comparisons"));
  if (g_str_equal (category, GROUP_CURRENT))
    return g_strdup (_("Open File"));
  if (g_str_equal (category, GROUP_RECENT))
    return g_strdup (_("Recent Files"));

  /* A free-text Category is shown as the author wrote it. */
  return g_strdup (category);
}

static int
chapter_rank (const char *category)
{
  if (category == NULL)
    return G_N_ELEMENTS (chapters) + 1;
  for (guint i = 0; i < G_N_ELEMENTS (chapters); i++)
    if (g_str_equal (category, chapters[i]))
      return i;
  return G_N_ELEMENTS (chapters);
}

static int
compare_builtins (gconstpointer a,
                  gconstpointer b)
{
  const BuiltinInfo *ia = *(const BuiltinInfo **) a;
  const BuiltinInfo *ib = *(const BuiltinInfo **) b;
  int ra = chapter_rank (ia->category);
  int rb = chapter_rank (ib->category);

  if (ra != rb)
    return ra - rb;
  if (ra == (int) G_N_ELEMENTS (chapters))
    return g_strcmp0 (ia->category, ib->category);
  return 0;
}

/* Every language's Name and Description of a built-in preset, casefolded:
 * a learner may search in English inside the Korean UI, or the reverse. */
static char *
dup_all_languages_text (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/tasklanes/Tasklanes/presets/", name, ".tasklanes", NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_auto(GStrv) names = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (!g_key_file_load_from_data (keys, data, size, G_KEY_FILE_KEEP_TRANSLATIONS, NULL))
    return NULL;

  names = g_key_file_get_keys (keys, "Preset", NULL, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "Name") || g_str_has_prefix (names[i], "Description"))
      {
        g_autofree char *value = g_key_file_get_value (keys, "Preset", names[i], NULL);

        if (value != NULL)
          g_string_append_printf (text, "\n%s", value);
      }

  return g_utf8_casefold (text->str, -1);
}

static void
load_builtins (TlGallery *self)
{
  g_auto(GStrv) names = tl_preset_list_builtin ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlPreset) preset = tl_preset_new_from_builtin (names[i], &error);
      BuiltinInfo *info;

      if (preset == NULL)
        {
          g_debug ("Built-in preset %s does not load: %s", names[i], error->message);
          continue;
        }

      info = g_new0 (BuiltinInfo, 1);
      info->argument = g_strconcat ("builtin:", names[i], NULL);
      info->name = g_strdup (preset->name);
      info->description = g_strdup (preset->description);
      info->category = g_strdup (preset->category);
      info->search_extra = dup_all_languages_text (names[i]);
      info->program = tl_python_find_gallery_program (names[i]);
      g_ptr_array_add (self->builtins, info);
    }

  /* Stable: keeps the gallery order within a chapter. */
  g_ptr_array_sort (self->builtins, compare_builtins);
}

static char *
first_sentence (const char *text)
{
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  /* One line of description: up to the first sentence end or line break. */
  for (end = text; *end != '\0'; end = g_utf8_next_char (end))
    {
      if (*end == '\n')
        break;
      if ((*end == '.' || *end == '!' || *end == '?') && (end[1] == ' ' || end[1] == '\0'))
        {
          end++;
          break;
        }
    }

  return g_strndup (text, end - text);
}

static GtkWidget *
new_row (const char *argument,
         const char *group,
         const char *title,
         const char *subtitle,
         const char *search_extra)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  g_autofree char *search = NULL;
  g_autofree char *joined = NULL;

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), title_label);

  if (subtitle != NULL && subtitle[0] != '\0')
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (sub), TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
      gtk_widget_set_tooltip_text (row, subtitle);
    }

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle != NULL ? subtitle : "",
                                  -1);

  joined = g_strjoin ("\n", title, subtitle != NULL ? subtitle : "",
                      search_extra != NULL ? search_extra : "", NULL);
  search = g_utf8_casefold (joined, -1);

  g_object_set_data_full (G_OBJECT (row), "argument", g_strdup (argument), g_free);
  g_object_set_data_full (G_OBJECT (row), "group", g_strdup (group), g_free);
  g_object_set_data_full (G_OBJECT (row), "search", g_steal_pointer (&search), g_free);

  return row;
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo **) a;
  GtkRecentInfo *ib = *(GtkRecentInfo **) b;
  /* Transfer none: the info keeps these dates. */
  GDateTime *ma = gtk_recent_info_get_modified (ia);
  GDateTime *mb = gtk_recent_info_get_modified (ib);

  if (ma == NULL || mb == NULL)
    return (ma == NULL) - (mb == NULL);
  return -g_date_time_compare (ma, mb);
}

static void
append_recent_rows (TlGallery *self)
{
  GList *items = gtk_recent_manager_get_items (self->recent);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  guint shown = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *uri = gtk_recent_info_get_uri (info);

      if ((g_str_has_suffix (uri, ".tasklanes") || g_str_has_suffix (uri, ".py")) &&
          gtk_recent_info_is_local (info) &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (matching, info);
    }
  g_ptr_array_sort (matching, compare_recent);

  for (guint i = 0; i < matching->len && shown < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (matching, i);
      g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *base = g_file_get_basename (file);
      g_autofree char *dir = NULL;
      g_autofree char *shown_dir = NULL;
      const char *home = g_get_home_dir ();

      if (path == NULL || g_strcmp0 (path, self->current_path) == 0)
        continue;

      dir = g_path_get_dirname (path);
      if (home != NULL && g_str_has_prefix (dir, home))
        shown_dir = g_strconcat ("~", dir + strlen (home), NULL);
      else
        shown_dir = g_strdup (dir);

      gtk_list_box_append (self->list, new_row (path, GROUP_RECENT, base, shown_dir, path));
      shown++;
    }

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static gboolean
scroll_to_selected_cb (gpointer user_data)
{
  TlGallery *self = user_data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t top;

  self->scroll_source = 0;

  /* Bring the open preset into view, without taking the focus. */
  if (row != NULL &&
      gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self->list),
                                &GRAPHENE_POINT_INIT (0, 0), &top))
    {
      double value = gtk_adjustment_get_value (adj);
      double page = gtk_adjustment_get_page_size (adj);
      double height = gtk_widget_get_height (GTK_WIDGET (row));

      if (top.y < value || top.y + height > value + page)
        gtk_adjustment_set_value (adj, MAX (0, top.y - page / 3));
    }

  return G_SOURCE_REMOVE;
}

static void
select_current (TlGallery *self)
{
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "argument"), self->current_argument) == 0 &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "group"), GROUP_RECENT) != 0)
        {
          gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (child));
          /* After the next layout, when the row has its place. */
          g_clear_handle_id (&self->scroll_source, g_source_remove);
          self->scroll_source = g_timeout_add (50, scroll_to_selected_cb, self);
          return;
        }
    }

  gtk_list_box_unselect_all (self->list);
}

static void
rebuild (TlGallery *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (self->current_path != NULL)
    {
      g_autofree char *base = g_path_get_basename (self->current_path);

      gtk_list_box_append (self->list,
                           new_row (self->current_argument, GROUP_CURRENT,
                                    self->current_title != NULL ? self->current_title : base,
                                    base, self->current_path));
    }

  for (guint i = 0; i < self->builtins->len; i++)
    {
      BuiltinInfo *info = g_ptr_array_index (self->builtins, i);
      g_autofree char *line = first_sentence (info->description);

      g_autofree char *chapter = tl_gallery_dup_chapter_title (info->category);
      /* Title, description, preset id and chapter are searchable, in the
       * UI's language and in every language the file has. */
      g_autofree char *extra = g_strjoin ("\n",
                                          info->argument + strlen ("builtin:"),
                                          info->description != NULL ? info->description : "",
                                          chapter,
                                          info->category != NULL ? info->category : "",
                                          info->search_extra != NULL ? info->search_extra : "",
                                          NULL);

      gtk_list_box_append (self->list,
                           new_row (info->argument,
                                    info->category != NULL ? info->category : "",
                                    info->name, line, extra));

      /* Beside the preset: the same idea as a program Python runs. */
      if (info->program != NULL)
        {
          g_autofree char *base = g_path_get_basename (info->program);
          g_autofree char *title = g_strdup_printf (_("%s as a Python program"), base);
          /* Found by its file, chapter and "python", not by the
           * preset's own wording (a search names one preset). */
          g_autofree char *program_extra = g_strjoin ("\n", info->argument + strlen ("builtin:"),
                                                      chapter, "python", base, NULL);

          gtk_list_box_append (self->list,
                               new_row (info->program,
                                        info->category != NULL ? info->category : "",
                                        title, _("Runs in Python after you agree"), program_extra));
        }
    }

  append_recent_rows (self);
  select_current (self);
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  const char *group = g_object_get_data (G_OBJECT (row), "group");
  const char *before_group = before != NULL ? g_object_get_data (G_OBJECT (before), "group") : NULL;

  if (before != NULL && g_strcmp0 (group, before_group) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  {
    g_autofree char *title = tl_gallery_dup_chapter_title (group != NULL && group[0] != '\0' ? group : NULL);
    GtkWidget *label = gtk_label_new (title);

    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "heading");
    gtk_widget_add_css_class (label, "dim-label");
    gtk_widget_add_css_class (label, "gallery-header");
    gtk_widget_set_margin_start (label, 12);
    gtk_widget_set_margin_end (label, 12);
    gtk_widget_set_margin_top (label, before != NULL ? 18 : 6);
    gtk_widget_set_margin_bottom (label, 6);
    gtk_list_box_row_set_header (row, label);
  }
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  TlGallery *self = user_data;
  const char *search = g_object_get_data (G_OBJECT (row), "search");

  if (self->search_text == NULL || self->search_text[0] == '\0')
    return TRUE;

  return search != NULL && strstr (search, self->search_text) != NULL;
}

static void
search_changed_cb (TlGallery      *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (stripped[0] != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);

  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_invalidate_headers (self->list);
  gtk_stack_set_visible_child_name (self->stack,
                                    tl_gallery_count_visible (self) > 0 ? "list" : "no-results");
}

static GtkListBoxRow *
first_visible_row (TlGallery *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_func (GTK_LIST_BOX_ROW (child), self))
      return GTK_LIST_BOX_ROW (child);

  return NULL;
}

static void
search_activate_cb (TlGallery      *self,
                    GtkSearchEntry *entry)
{
  GtkListBoxRow *row = first_visible_row (self);

  /* Enter in the search opens the best match, as in GNOME's sidebars. */
  if (row != NULL)
    g_signal_emit_by_name (self->list, "row-activated", row);
}

static void
row_activated_cb (TlGallery     *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  const char *argument = g_object_get_data (G_OBJECT (row), "argument");

  if (argument != NULL)
    g_signal_emit (self, signals[PRESET_ACTIVATED], 0, argument);
}

static void
recent_changed_cb (TlGallery        *self,
                   GtkRecentManager *manager)
{
  rebuild (self);
}

static void
tl_gallery_dispose (GObject *object)
{
  TlGallery *self = TL_GALLERY (object);
  GtkWidget *child;

  g_clear_handle_id (&self->scroll_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_GALLERY);
  /* Template children without an id are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->recent);

  G_OBJECT_CLASS (tl_gallery_parent_class)->dispose (object);
}

static void
tl_gallery_finalize (GObject *object)
{
  TlGallery *self = TL_GALLERY (object);

  g_clear_pointer (&self->builtins, g_ptr_array_unref);
  g_free (self->current_argument);
  g_free (self->current_title);
  g_free (self->current_path);
  g_free (self->search_text);

  G_OBJECT_CLASS (tl_gallery_parent_class)->finalize (object);
}

static void
tl_gallery_class_init (TlGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_gallery_dispose;
  object_class->finalize = tl_gallery_finalize;

  /**
   * TlGallery::preset-activated:
   * @argument: "builtin:NAME" or a file path
   *
   * The user picked a preset.
   */
  signals[PRESET_ACTIVATED] =
    g_signal_new ("preset-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gallery");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tl-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, TlGallery, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TlGallery, stack);
  gtk_widget_class_bind_template_child (widget_class, TlGallery, scroller);
  gtk_widget_class_bind_template_child (widget_class, TlGallery, list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
tl_gallery_init (TlGallery *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->builtins = g_ptr_array_new_with_free_func (builtin_info_free);
  gtk_list_box_set_header_func (self->list, header_func, NULL, NULL);
  gtk_list_box_set_filter_func (self->list, filter_func, self, NULL);

  self->recent = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_object (self->recent, "changed", G_CALLBACK (recent_changed_cb),
                           self, G_CONNECT_SWAPPED);

  load_builtins (self);
  rebuild (self);
}

GtkWidget *
tl_gallery_new (void)
{
  return g_object_new (TL_TYPE_GALLERY, NULL);
}

void
tl_gallery_set_current (TlGallery  *self,
                        const char *argument,
                        const char *title,
                        const char *path)
{
  g_return_if_fail (TL_IS_GALLERY (self));

  g_free (self->current_argument);
  self->current_argument = g_strdup (argument);
  g_free (self->current_title);
  self->current_title = g_strdup (title);
  g_free (self->current_path);
  self->current_path = g_strdup (path);

  rebuild (self);
}

guint
tl_gallery_count_visible (TlGallery *self)
{
  guint n = 0;

  g_return_val_if_fail (TL_IS_GALLERY (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_func (GTK_LIST_BOX_ROW (child), self))
      n++;

  return n;
}

void
tl_gallery_set_search (TlGallery  *self,
                       const char *text)
{
  g_return_if_fail (TL_IS_GALLERY (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* GtkSearchEntry delays search-changed; tests and callers want it now. */
  search_changed_cb (self, self->search_entry);
}

void
tl_gallery_focus_search (TlGallery *self)
{
  g_return_if_fail (TL_IS_GALLERY (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GStrv
tl_gallery_dup_recent_paths (TlGallery *self)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();

  g_return_val_if_fail (TL_IS_GALLERY (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (child), "group"), GROUP_RECENT) == 0)
      g_strv_builder_add (paths, g_object_get_data (G_OBJECT (child), "argument"));

  return g_strv_builder_end (paths);
}

gboolean
tl_gallery_activate (TlGallery  *self,
                     const char *argument)
{
  g_return_val_if_fail (TL_IS_GALLERY (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "argument"), argument) == 0)
        {
          g_signal_emit_by_name (self->list, "row-activated", child);
          return TRUE;
        }
    }

  return FALSE;
}
