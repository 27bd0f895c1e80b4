/* tl-preset-overrides.h — a preset with a few values changed ("what if")
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changes are made to the preset's text, line by line, so the copy keeps
 * every comment, translation and the order of keys, and saving it writes
 * exactly the file the user had with those values changed.
 */
#pragma once

#include "preset/tl-preset.h"

G_BEGIN_DECLS

typedef struct _TlPresetOverrides TlPresetOverrides;

/* [Preset] keys that may be changed. */
typedef enum {
  TL_OVERRIDE_THREADS,
  TL_OVERRIDE_PROCESSES,
  TL_OVERRIDE_CONNECTIONS,
  TL_N_POOL_OVERRIDES
} TlPoolOverride;

/* [Task NAME] durations that may be changed. */
typedef enum {
  TL_OVERRIDE_DURATION,
  TL_OVERRIDE_WORK,
  TL_OVERRIDE_TIMEOUT,
  TL_OVERRIDE_MAX_WAIT,
  TL_N_TASK_OVERRIDES
} TlTaskOverride;

TlPresetOverrides *tl_preset_overrides_new         (void);
void               tl_preset_overrides_free        (TlPresetOverrides *self);
gboolean           tl_preset_overrides_is_empty    (const TlPresetOverrides *self);

void               tl_preset_overrides_set_pool    (TlPresetOverrides *self,
                                                    TlPoolOverride     key,
                                                    guint              value);
/* @us < 0 removes the key (no Timeout, no MaxWait). */
void               tl_preset_overrides_set_task    (TlPresetOverrides *self,
                                                    const char        *task,
                                                    TlTaskOverride     key,
                                                    gint64             us);

/* The key as the preset format names it ("Threads", "MaxWait"). */
const char        *tl_pool_override_get_key        (TlPoolOverride     key);
const char        *tl_task_override_get_key        (TlTaskOverride     key);

/* The preset's text with the overrides written in. */
char              *tl_preset_dup_text_with_overrides (TlPreset                *preset,
                                                      const TlPresetOverrides *overrides);
/* A new preset, loaded from that text under the same file name (so Save
 * writes the changed text to the same file); NULL with the preset
 * format's message when a value is out of range. */
TlPreset          *tl_preset_copy_with_overrides   (TlPreset                *preset,
                                                    const TlPresetOverrides *overrides,
                                                    GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlPresetOverrides, tl_preset_overrides_free)

G_END_DECLS
