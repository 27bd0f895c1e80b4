/* tl-reload-banner.h — a broken save of the open file, said in place
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TL_TYPE_RELOAD_BANNER (tl_reload_banner_get_type ())
G_DECLARE_FINAL_TYPE (TlReloadBanner, tl_reload_banner, TL, RELOAD_BANNER, GtkWidget)

GtkWidget *tl_reload_banner_new        (void);

/* Shows why @path could not be reloaded: @message is the preset
 * parser's ("NAME:LINE: what is wrong"); the banner adds the offending
 * line itself, read from the file. */
void       tl_reload_banner_show_error (TlReloadBanner *self,
                                        const char     *path,
                                        const char     *message);
void       tl_reload_banner_hide       (TlReloadBanner *self);
gboolean   tl_reload_banner_is_shown   (TlReloadBanner *self);

/* What Copy puts on the clipboard: "FILE:LINE: the line\nmessage". */
char      *tl_reload_banner_dup_text   (TlReloadBanner *self);

G_END_DECLS
