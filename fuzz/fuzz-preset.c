/* fuzz-preset.c — libFuzzer target: the preset parser
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes are a preset file. Loading must either succeed or fail with a
 * message naming the file; a preset that loads is then used the way the
 * window uses it: its sections counted, its hosts listed and its Python
 * program written, which must be valid UTF-8.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "codegen/tl-python-program.h"
#include "preset/tl-preset.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = NULL;
  g_autoptr(TlPythonProgram) program = NULL;
  g_auto(GStrv) hosts = NULL;

  /* The parser is given the length, so the bytes need no terminator. */
  preset = tl_preset_new_from_data (size > 0 ? (const char *) data : "",
                                    (gssize) size, "fuzz.tasklanes", &error);
  if (preset == NULL)
    {
      if (error == NULL || strstr (error->message, "fuzz.tasklanes") == NULL)
        g_error ("a refused preset must say which file: %s",
                 error != NULL ? error->message : "(no error)");
      return 0;
    }

  for (guint i = 0; i < preset->n_sections; i++)
    tl_preset_count_instances (preset, i);
  hosts = tl_preset_dup_remote_hosts (preset);

  program = tl_python_program_new (preset);
  if (!g_utf8_validate (tl_python_program_get_text (program), -1, NULL))
    g_error ("the Python program of a loaded preset is not valid UTF-8");

  return 0;
}
