/* tl-export-names.c — names and labels escaped once per export
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tl-export"

#include "config.h"

#include <string.h>

#include "export/tl-export-names.h"
#include "export/tl-export-private.h"
#include "core/tl-json-writer.h"

#define CSV_SPECIALS ",\"\r\n"

/* A label template cut at each "{i}" (as tl_preset_expand() reads it):
 * the copy number goes between consecutive pieces. Digits need no
 * escape, so escaping the pieces escapes the expanded label. */
typedef struct {
  guint   n_pieces;
  char  **json;       /* pieces escaped for a JSON string, no quotes */
  gsize  *json_len;
  char  **csv;        /* pieces with quotes doubled */
  gsize  *csv_len;
  gboolean csv_quoted;
} Template;

typedef struct {
  char     *json;
  gsize     json_len;
  char     *csv;
  gsize     csv_len;
} Literal;

/* Static strings seen by _tl_export_names_write_static_json(), by address. */
#define N_STATIC_SLOTS 64

typedef struct {
  const char *key;
  Literal     literal;
} StaticSlot;

struct _TlExportNames
{
  TlTrace   *trace;
  StaticSlot statics[N_STATIC_SLOTS];
  guint      n_specs;
  Literal   *tasks;
  Template  *labels;
  guint      n_sections;
  Literal   *sections;
};

static char *
dup_csv_field (const char *value,
               gsize      *len)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (value != NULL)
    {
      if (strpbrk (value, CSV_SPECIALS) == NULL)
        g_string_append (out, value);
      else
        {
          g_string_append_c (out, '"');
          for (const char *p = value; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
    }
  *len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
literal_init (Literal    *literal,
              const char *value)
{
  literal->json = tl_json_dup_string (value);
  literal->json_len = strlen (literal->json);
  literal->csv = dup_csv_field (value, &literal->csv_len);
}

static void
literal_clear (Literal *literal)
{
  g_free (literal->json);
  g_free (literal->csv);
}

static void
template_init (Template   *template_,
               const char *text)
{
  /* g_strsplit() gives no piece at all for an empty text. */
  g_auto(GStrv) pieces = g_strsplit (text, "{i}", -1);

  if (pieces[0] == NULL)
    {
      g_strfreev (pieces);
      pieces = g_new0 (char *, 2);
      pieces[0] = g_strdup ("");
    }
  template_->n_pieces = g_strv_length (pieces);
  template_->json = g_new0 (char *, template_->n_pieces);
  template_->json_len = g_new0 (gsize, template_->n_pieces);
  template_->csv = g_new0 (char *, template_->n_pieces);
  template_->csv_len = g_new0 (gsize, template_->n_pieces);
  template_->csv_quoted = strpbrk (text, CSV_SPECIALS) != NULL;

  for (guint i = 0; i < template_->n_pieces; i++)
    {
      g_autofree char *json = tl_json_dup_string (pieces[i]);
      g_autoptr(GString) csv = g_string_new (NULL);

      /* Without the quotes the literal begins and ends with. */
      template_->json_len[i] = strlen (json) - 2;
      template_->json[i] = g_strndup (json + 1, template_->json_len[i]);
      for (const char *p = pieces[i]; *p != '\0'; p++)
        {
          if (*p == '"' && template_->csv_quoted)
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      template_->csv_len[i] = csv->len;
      template_->csv[i] = g_string_free (g_steal_pointer (&csv), FALSE);
    }
}

static void
template_clear (Template *template_)
{
  for (guint i = 0; i < template_->n_pieces; i++)
    {
      g_free (template_->json[i]);
      g_free (template_->csv[i]);
    }
  g_free (template_->json);
  g_free (template_->json_len);
  g_free (template_->csv);
  g_free (template_->csv_len);
}

TlExportNames *
_tl_export_names_new (TlTrace *trace)
{
  TlPreset *preset = tl_trace_get_preset (trace);
  TlExportNames *self = g_new0 (TlExportNames, 1);

  self->trace = trace;
  self->n_specs = preset->n_tasks;
  self->tasks = g_new0 (Literal, MAX (self->n_specs, 1));
  self->labels = g_new0 (Template, MAX (self->n_specs, 1));
  for (guint s = 0; s < self->n_specs; s++)
    {
      const TlTaskSpec *spec = &preset->tasks[s];

      literal_init (&self->tasks[s], spec->name);
      template_init (&self->labels[s], spec->label != NULL ? spec->label : spec->name);
    }

  self->n_sections = MAX (tl_trace_get_n_sections (trace), preset->n_sections);
  self->sections = g_new0 (Literal, MAX (self->n_sections, 1));
  for (guint s = 0; s < self->n_sections; s++)
    literal_init (&self->sections[s], _tl_export_get_section_name (trace, s));

  return self;
}

void
_tl_export_names_free (TlExportNames *self)
{
  for (guint s = 0; s < self->n_specs; s++)
    {
      literal_clear (&self->tasks[s]);
      template_clear (&self->labels[s]);
    }
  for (guint s = 0; s < self->n_sections; s++)
    literal_clear (&self->sections[s]);
  for (guint s = 0; s < N_STATIC_SLOTS; s++)
    if (self->statics[s].key != NULL)
      literal_clear (&self->statics[s].literal);
  g_free (self->tasks);
  g_free (self->labels);
  g_free (self->sections);
  g_free (self);
}

/* An instance of an open trace (a Python program's task) has its own
 * name and label rather than a spec's: escaped as they come. */
static void
write_own_json (TlOutBuffer *out,
                const char  *value)
{
  g_autofree char *json = tl_json_dup_string (value);

  tl_out_buffer_append_str (out, json);
}

static void
write_own_csv (TlOutBuffer *out,
               const char  *value)
{
  gsize len;
  g_autofree char *csv = dup_csv_field (value, &len);

  tl_out_buffer_append (out, csv, len);
}

void
_tl_export_names_write_task_json (TlExportNames *self,
                                  TlOutBuffer   *out,
                                  guint32        id)
{
  guint spec = tl_trace_get_instance (self->trace, id)->spec;

  if (spec >= self->n_specs)
    {
      write_own_json (out, tl_trace_get_task_name (self->trace, id));
      return;
    }
  tl_out_buffer_append (out, self->tasks[spec].json, self->tasks[spec].json_len);
}

void
_tl_export_names_write_task_csv (TlExportNames *self,
                                 TlOutBuffer   *out,
                                 guint32        id)
{
  guint spec = tl_trace_get_instance (self->trace, id)->spec;

  if (spec >= self->n_specs)
    {
      write_own_csv (out, tl_trace_get_task_name (self->trace, id));
      return;
    }
  tl_out_buffer_append (out, self->tasks[spec].csv, self->tasks[spec].csv_len);
}

void
_tl_export_names_write_label_json (TlExportNames *self,
                                   TlOutBuffer   *out,
                                   guint32        id)
{
  const TlInstance *instance = tl_trace_get_instance (self->trace, id);
  guint copy = instance->copy;
  const Template *t;

  if (instance->spec >= self->n_specs)
    {
      g_autofree char *label = tl_trace_dup_label (self->trace, id);

      write_own_json (out, label);
      return;
    }
  t = &self->labels[instance->spec];

  tl_out_buffer_append_c (out, '"');
  tl_out_buffer_append (out, t->json[0], t->json_len[0]);
  for (guint i = 1; i < t->n_pieces; i++)
    {
      tl_out_buffer_append_uint (out, copy);
      tl_out_buffer_append (out, t->json[i], t->json_len[i]);
    }
  tl_out_buffer_append_c (out, '"');
}

void
_tl_export_names_write_label_csv (TlExportNames *self,
                                  TlOutBuffer   *out,
                                  guint32        id)
{
  const TlInstance *instance = tl_trace_get_instance (self->trace, id);
  guint copy = instance->copy;
  const Template *t;

  if (instance->spec >= self->n_specs)
    {
      g_autofree char *label = tl_trace_dup_label (self->trace, id);

      write_own_csv (out, label);
      return;
    }
  t = &self->labels[instance->spec];

  if (t->csv_quoted)
    tl_out_buffer_append_c (out, '"');
  tl_out_buffer_append (out, t->csv[0], t->csv_len[0]);
  for (guint i = 1; i < t->n_pieces; i++)
    {
      tl_out_buffer_append_uint (out, copy);
      tl_out_buffer_append (out, t->csv[i], t->csv_len[i]);
    }
  if (t->csv_quoted)
    tl_out_buffer_append_c (out, '"');
}

void
_tl_export_names_write_section_json (TlExportNames *self,
                                     TlOutBuffer   *out,
                                     guint          section)
{
  if (section < self->n_sections)
    tl_out_buffer_append (out, self->sections[section].json, self->sections[section].json_len);
  else
    tl_out_buffer_append_literal (out, "null");
}

void
_tl_export_names_write_section_csv (TlExportNames *self,
                                    TlOutBuffer   *out,
                                    guint          section)
{
  if (section < self->n_sections)
    tl_out_buffer_append (out, self->sections[section].csv, self->sections[section].csv_len);
}

/* The escaped forms of a static string, NULL when its slot is taken by
 * another one. */
static const Literal *
lookup_static (TlExportNames *self,
               const char    *str)
{
  StaticSlot *slot = &self->statics[((guintptr) str >> 2) % N_STATIC_SLOTS];

  if (slot->key == str)
    return &slot->literal;
  if (slot->key != NULL)
    return NULL;
  slot->key = str;
  literal_init (&slot->literal, str);
  return &slot->literal;
}

void
_tl_export_names_write_static_json (TlExportNames *self,
                                    TlOutBuffer   *out,
                                    const char    *str)
{
  const Literal *literal;

  if (str == NULL)
    {
      tl_out_buffer_append_literal (out, "null");
      return;
    }
  literal = lookup_static (self, str);
  if (literal != NULL)
    tl_out_buffer_append (out, literal->json, literal->json_len);
  else
    tl_json_write_string (out, str);
}

void
_tl_export_names_write_static_csv (TlExportNames *self,
                                   TlOutBuffer   *out,
                                   const char    *str)
{
  const Literal *literal;

  if (str == NULL)
    return;
  literal = lookup_static (self, str);
  if (literal != NULL)
    tl_out_buffer_append (out, literal->csv, literal->csv_len);
  else
    _tl_export_write_csv_field (out, str);
}

void
_tl_export_write_csv_field (TlOutBuffer *out,
                            const char  *value)
{
  gsize len, plain;

  if (value == NULL)
    return;

  len = strlen (value);
  plain = strcspn (value, CSV_SPECIALS);
  if (plain == len)
    {
      tl_out_buffer_append (out, value, len);
      return;
    }

  tl_out_buffer_append_c (out, '"');
  for (const char *p = value; *p != '\0'; )
    {
      gsize run = strcspn (p, "\"");

      tl_out_buffer_append (out, p, run);
      p += run;
      if (*p == '"')
        {
          tl_out_buffer_append (out, "\"\"", 2);
          p++;
        }
    }
  tl_out_buffer_append_c (out, '"');
}
