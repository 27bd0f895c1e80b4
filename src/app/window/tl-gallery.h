/* tl-gallery.h — the sidebar: built-in presets, the open file, recent files
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TL_TYPE_GALLERY (tl_gallery_get_type ())
G_DECLARE_FINAL_TYPE (TlGallery, tl_gallery, TL, GALLERY, GtkWidget)

GtkWidget  *tl_gallery_new          (void);

/* Marks the preset the window shows. For a file (path != NULL) it also
 * appears at the top of the list under "Open File". Emits nothing. */
void        tl_gallery_set_current  (TlGallery  *self,
                                     const char *argument,
                                     const char *title,
                                     const char *path);

/* The chapter title shown for a preset Category ("basics" → "Basics"). */
char       *tl_gallery_dup_chapter_title (const char *category);

/* Puts the keyboard focus in the search entry. */
void        tl_gallery_focus_search  (TlGallery  *self);

/* Number of preset rows matching the current search (for tests). */
guint       tl_gallery_count_visible (TlGallery *self);
void        tl_gallery_set_search    (TlGallery  *self,
                                      const char *text);
/* Paths of the rows under "Recent Files", top first (for tests). */
GStrv       tl_gallery_dup_recent_paths (TlGallery *self);
/* Activates the row of a preset, as a click would. */
gboolean    tl_gallery_activate      (TlGallery  *self,
                                      const char *argument);

G_END_DECLS
