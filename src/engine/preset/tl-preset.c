/* tl-preset.c — a loaded, validated preset (immutable)
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-preset"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tasklanes-presets.h"
#include "preset/tl-preset-private.h"

#define BUILTIN_PREFIX   "builtin:"
#define PRESETS_PATH     "/io/github/tasklanes/Tasklanes/presets/"

G_DEFINE_QUARK (tl-preset-error-quark, tl_preset_error)
G_DEFINE_BOXED_TYPE (TlPreset, tl_preset, tl_preset_ref, tl_preset_unref)

static void
task_spec_clear (TlTaskSpec *spec)
{
  g_free (spec->name);
  g_free (spec->label);
  g_free (spec->fail);
  g_free (spec->result);
  g_free (spec->url);
  g_free (spec->method);
  g_free (spec->body);
  g_free (spec->expect_status);
  g_free (spec->children);
}

static void
tl_preset_free (TlPreset *self)
{
  for (guint i = 0; i < self->n_tasks; i++)
    task_spec_clear (&self->tasks[i]);
  g_free (self->tasks);
  g_free (self->file);
  g_free (self->builtin_name);
  g_free (self->name);
  g_free (self->description);
  g_free (self->category);
  g_free (self->sections);
  g_free (self->text);
  for (guint i = 0; i < self->n_questions; i++)
    _tl_question_clear (&self->questions[i]);
  g_free (self->questions);
  g_free (self);
}

TlPreset *
tl_preset_ref (TlPreset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tl_preset_unref (TlPreset *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    tl_preset_free (self);
}

/* The task parser reads the file with its [Question] groups emptied; the
 * questions are read afterwards, against the tasks they name. */
static TlPreset *
load_preset (const char  *data,
             gsize        length,
             const char  *display,
             const char  *file,
             const char  *builtin_name,
             GError     **error)
{
  g_autoptr(TlQuestionScan) scan = NULL;
  g_autofree char *masked = NULL;
  g_autoptr(TlPreset) preset = NULL;

  masked = _tl_preset_mask_questions (data, length, display, &scan, error);
  if (masked == NULL)
    return NULL;
  preset = _tl_preset_parse (masked, scan != NULL ? strlen (masked) : length,
                             display, file, builtin_name, error);
  if (preset == NULL || scan == NULL)
    return g_steal_pointer (&preset);

  g_free (preset->text);
  preset->text = g_strndup (data, length);
  if (!_tl_preset_parse_questions (preset, scan, display, error))
    return NULL;
  return g_steal_pointer (&preset);
}

TlPreset *
tl_preset_new_for_program (const char *path,
                           const char *text)
{
  TlPreset *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (TlPreset, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->file = g_strdup (path);
  self->name = g_path_get_basename (path);
  self->category = g_strdup ("python");
  self->connections = 100;
  self->text = g_strdup (text);
  return self;
}

TlPreset *
tl_preset_new_from_data (const char  *data,
                         gssize       length,
                         const char  *display_name,
                         GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = _("preset");
  if (length < 0)
    length = strlen (data);

  if ((gsize) length > TL_PRESET_MAX_FILE_SIZE)
    {
      /* The size is formatted apart, so xgettext sees the whole msgid. */
      g_autofree char *size_kib = g_strdup_printf ("%" G_GSIZE_FORMAT, ((gsize) length + 1023) / 1024);

      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: the file is too large (%s KiB); a preset is at most 1 MiB"),
                   display_name, size_kib);
      return NULL;
    }

  return load_preset (data, length, display_name, display_name, NULL, error);
}

/* Reads at most one byte more than the limit, so a huge file is refused
 * without reading it whole. */
static char *
read_preset_file (const char  *path,
                  gsize       *out_length,
                  GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  /* "-" is standard input (a pipe from a script, or a redirected file).
   * Anything else opens without blocking: a FIFO nobody writes to would
   * otherwise hang the open for ever. */
  if (strcmp (path, "-") == 0)
    fd = dup (STDIN_FILENO);
  else
    fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: cannot open the file: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 ||
      (!S_ISREG (st.st_mode) && !S_ISFIFO (st.st_mode) && strcmp (path, "-") != 0))
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: not a regular file; choose a .tasklanes file"), path);
      close (fd);
      return NULL;
    }

  /* A pipe with a writer is read as it comes (still at most 1 MiB); one
   * with no writer reads as empty at once rather than wait. */
  {
    int flags = fcntl (fd, F_GETFL);

    if (flags >= 0 && (flags & O_NONBLOCK))
      fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  }

  if (S_ISREG (st.st_mode) && st.st_size > TL_PRESET_MAX_FILE_SIZE)
    {
      g_autofree char *size_kib = g_strdup_printf ("%" G_GINT64_FORMAT, ((gint64) st.st_size + 1023) / 1024);

      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: the file is too large (%s KiB); a preset is at most 1 MiB"),
                   path, size_kib);
      close (fd);
      return NULL;
    }

  buffer = g_malloc (TL_PRESET_MAX_FILE_SIZE + 2);
  while (length <= TL_PRESET_MAX_FILE_SIZE)
    {
      gssize n = read (fd, buffer + length, TL_PRESET_MAX_FILE_SIZE + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                       _("%s: cannot read the file: %s"), path, g_strerror (saved_errno));
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);

  /* The file may have grown since fstat(). */
  if (length > TL_PRESET_MAX_FILE_SIZE)
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: the file is too large (more than 1 MiB); a preset is at most 1 MiB"),
                   path);
      return NULL;
    }

  if (length == 0 && S_ISFIFO (st.st_mode))
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: nothing came through the pipe (no program was writing to it)"), path);
      return NULL;
    }

  buffer[length] = '\0';
  *out_length = length;
  return g_steal_pointer (&buffer);
}

TlPreset *
tl_preset_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = read_preset_file (path, &length, error);
  if (data == NULL)
    return NULL;

  return load_preset (data, length, path, path, NULL, error);
}

static GResource *
presets_resource (void)
{
  /* Calling into the generated file also keeps the linker from dropping
   * it from the static library, constructor and all. */
  return tl_presets_get_resource ();
}

static gboolean
builtin_name_is_valid (const char *name)
{
  if (name[0] == '\0')
    return FALSE;
  for (const char *q = name; *q != '\0'; q++)
    if (!g_ascii_isalnum (*q) && *q != '-' && *q != '_')
      return FALSE;
  return TRUE;
}

TlPreset *
tl_preset_new_from_builtin (const char  *name,
                            GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_strconcat (BUILTIN_PREFIX, name, NULL);

  if (builtin_name_is_valid (name))
    {
      path = g_strconcat (PRESETS_PATH, name, ".tasklanes", NULL);
      bytes = g_resource_lookup_data (presets_resource (), path,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }

  if (bytes == NULL)
    {
      g_auto(GStrv) names = tl_preset_list_builtin ();
      const char *suggestion = _tl_preset_suggest (name, (const char * const *) names,
                                                   g_strv_length (names));

      if (suggestion != NULL)
        g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                     _("%s: there is no built-in preset “%s”; did you mean “%s”?"),
                     file, name, suggestion);
      else
        g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                     _("%s: there is no built-in preset “%s”; the gallery lists them all"),
                     file, name);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  return load_preset (data, length, file, file, name, error);
}

TlPreset *
tl_preset_new_from_recording (const char  *text,
                              gsize        length,
                              const char  *display,
                              const char  *file,
                              const char  *builtin_name,
                              GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (display != NULL, NULL);
  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > TL_PRESET_MAX_FILE_SIZE)
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   _("%s: the recorded preset is too large; a preset is at most 1 MiB"), display);
      return NULL;
    }

  return load_preset (text, length, display, file, builtin_name, error);
}

TlPreset *
tl_preset_new_for_argument (const char  *argument,
                            GError     **error)
{
  g_return_val_if_fail (argument != NULL, NULL);

  if (g_str_has_prefix (argument, BUILTIN_PREFIX))
    return tl_preset_new_from_builtin (argument + strlen (BUILTIN_PREFIX), error);

  return tl_preset_new_from_file (argument, error);
}

gboolean
tl_preset_save_to_file (TlPreset    *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *on_disk = NULL;
  const char *text;
  gsize length = 0;
  gboolean program;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  program = g_strcmp0 (self->category, "python") == 0;
  text = self->text;
  if (text != NULL)
    length = strlen (text);
  /* A program whose source was not UTF-8 kept no text: its bytes are
   * copied from its file. */
  else if (!program || self->file == NULL ||
           !g_file_get_contents (self->file, &on_disk, &length, &local_error))
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   program ? _("%s: cannot save the program: %s") : _("%s: cannot save the preset: %s"),
                   path, local_error != NULL ? local_error->message : _("its text is not known"));
      return FALSE;
    }
  else
    text = on_disk;

  /* The text as loaded, comments and translations included: saving is a
   * copy, never a re-serialisation that would lose them. g_file_set_contents
   * writes a temporary file and renames it, so a crash never leaves half a
   * preset behind. */
  if (!g_file_set_contents (path, text, (gssize) length, &local_error))
    {
      g_set_error (error, TL_PRESET_ERROR, TL_PRESET_ERROR_IO,
                   program ? _("%s: cannot save the program: %s") : _("%s: cannot save the preset: %s"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

char *
tl_preset_expand (const char *template_,
                  guint       copy)
{
  g_autoptr(GString) out = NULL;
  const char *p;
  const char *hit;
  char number[16];

  if (template_ == NULL)
    return NULL;

  hit = strstr (template_, "{i}");
  if (hit == NULL)
    return g_strdup (template_);

  g_snprintf (number, sizeof number, "%u", copy);
  out = g_string_sized_new (strlen (template_) + 8);
  for (p = template_; hit != NULL; hit = strstr (p, "{i}"))
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, number);
      p = hit + 3;
    }
  g_string_append (out, p);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint64
count_instances (TlPreset *self,
                 guint     task)
{
  const TlTaskSpec *spec = &self->tasks[task];
  guint64 count = spec->repeat;

  /* Validation guarantees a tree at most 64 deep, so recursion is safe. */
  switch (spec->kind)
    {
    case TL_KIND_SEQUENCE:
    case TL_KIND_GATHER:
    case TL_KIND_WAIT:
      for (guint i = 0; i < spec->n_children; i++)
        count += count_instances (self, spec->children[i]);
      break;

    case TL_KIND_SPAWN:
      count += count_instances (self, spec->target);
      break;

    case TL_KIND_SLEEP:
    case TL_KIND_FETCH:
    case TL_KIND_BLOCKING:
    case TL_KIND_CPU:
    case TL_KIND_AWAIT:
    case TL_N_KINDS:
    default:
      break;
    }

  return count;
}

guint64
tl_preset_count_instances (TlPreset *self,
                           guint     section)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (section < self->n_sections, 0);

  return count_instances (self, self->sections[section]);
}

static void
add_host (GHashTable *hosts,
          const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url[0] == '/')
    return;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    g_hash_table_add (hosts, g_ascii_strdown (g_uri_get_host (uri), -1));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
tl_preset_dup_remote_hosts (TlPreset *self)
{
  g_autoptr(GHashTable) hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint t = 0; t < self->n_tasks; t++)
    {
      const TlTaskSpec *spec = &self->tasks[t];
      const char *authority;
      const char *path;
      const char *brace;

      if (spec->kind != TL_KIND_FETCH || spec->url == NULL || spec->url[0] == '/')
        continue;

      /* "{i}" may sit in the host name ("https://s{i}.example.org/"): then
       * every copy may go somewhere else. */
      authority = strstr (spec->url, "://");
      authority = authority != NULL ? authority + 3 : spec->url;
      path = strchr (authority, '/');
      brace = strstr (authority, "{i}");
      if (brace != NULL && (path == NULL || brace < path))
        {
          for (guint i = 1; i <= spec->repeat; i++)
            {
              g_autofree char *url = tl_preset_expand (spec->url, i);
              add_host (hosts, url);
            }
        }
      else
        {
          g_autofree char *url = tl_preset_expand (spec->url, 1);
          add_host (hosts, url);
        }
    }

  g_hash_table_iter_init (&iter, hosts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (sorted, key);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&sorted), FALSE);
}

GStrv
tl_preset_list_builtin (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  bytes = g_resource_lookup_data (presets_resource (), PRESETS_PATH "gallery.txt",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return g_strv_builder_end (builder);

  {
    gsize length;
    const char *data = g_bytes_get_data (bytes, &length);
    g_autofree char *text = g_strndup (data, length);

    lines = g_strsplit (text, "\n", -1);
  }

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_strv_builder_add (builder, line);
    }

  return g_strv_builder_end (builder);
}
