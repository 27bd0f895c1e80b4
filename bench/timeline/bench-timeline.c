/* bench-timeline.c — timeline ingestion and drawing cost at 1k to 1M tasks
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds synthetic traces of N task instances (a gather of N sleeps
 * created over 10 s, each queued for 20 ms (hatched), running briefly,
 * waiting 1 s, running again and ending ok, and thread-pool counters that
 * change every 50 ms), then measures:
 *
 *   - ingestion: tl_timeline_model_update() over the whole log;
 *   - one frame: building the render node of the same 1200 × 700
 *     viewport (a 2 s window in the middle of the run, scrolled to the
 *     middle of the lanes) and drawing it with cairo onto an image
 *     surface, as the GSK cairo renderer does (--renderer gl: rendering
 *     it with GSK's GL renderer into a texture instead, read back, as
 *     the window's default renderer does). Each frame pans by one
 *     pixel, so the cached ruler and grid are rebuilt every time, as they
 *     are while the view follows a live run.
 *
 * Usage: bench-timeline [--frames N] [--sizes 1000,100000,1000000]
 *                       [--renderer cairo|gl] [--vector-tiles]
 */
#define G_LOG_DOMAIN "bench-timeline"

#include "config.h"

#include <gtk/gtk.h>
/* GSK's GL renderer, to measure a frame as the window draws it. */
#include <gsk/gl/gskglrenderer.h>
#include <string.h>

#include "timeline/tl-timeline-private.h"

#define WIDTH       1200
#define HEIGHT      700
#define RUN_US      (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define WINDOW_US   (G_GINT64_CONSTANT (2) * G_USEC_PER_SEC)
#define QUEUED_US   20000

static GskRenderer *gl_renderer;
static gboolean vector_tiles;

static const char preset_text[] =
  "[Preset]\n"
  "Format=1\n"
  "Name=timeline benchmark\n"
  "Run=main\n"
  "Threads=8\n"
  "\n"
  "[Task main]\n"
  "Kind=gather\n"
  "Children=sleeper;job\n"
  "\n"
  "[Task sleeper]\n"
  "Kind=sleep\n"
  "Label=sleeper({i})\n"
  "Duration=1s\n"
  "\n"
  "[Task job]\n"
  "Kind=blocking\n"
  "Duration=1s\n";

static TlTrace *
build_trace (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlPreset) preset = tl_preset_new_from_data (preset_text, -1, "bench", &error);
  TlTrace *trace;
  guint32 root;
  gint64 gap = RUN_US / n;
  GArray *ends;
  guint head = 0;

  if (preset == NULL)
    g_error ("%s", error->message);
  trace = tl_trace_new (preset);

  tl_trace_begin_section (trace, 0, 0, 0);
  root = tl_trace_add_instance (trace, TL_NO_INSTANCE, 0, 1, 0, TL_ON_LOOP, 0);
  tl_trace_set_state (trace, root, TL_STATE_WAITING, 0);

  /* Creation and the first run in creation order; the wake-ups one
   * second later interleave with later creations, as in a real run. */
  ends = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  for (guint i = 0; i < n; i++)
    {
      gint64 t = i * gap;
      guint32 id;

      /* Wake up everything whose second has passed. */
      while (head < ends->len)
        {
          guint32 first = g_array_index (ends, guint32, head);
          gint64 wake = (first - 1) * gap + G_USEC_PER_SEC;

          if (wake > t)
            break;
          tl_trace_set_state (trace, first, TL_STATE_RUNNING, wake);
          tl_trace_set_state (trace, first, TL_STATE_OK, wake + 2);
          head++;
        }

      id = tl_trace_add_instance (trace, root, 1, i + 1, 0, TL_ON_LOOP, t);
      tl_trace_set_state (trace, id, TL_STATE_QUEUED, t);
      tl_trace_set_state (trace, id, TL_STATE_RUNNING, t + QUEUED_US);
      tl_trace_set_state (trace, id, TL_STATE_WAITING, t + QUEUED_US + 1);
      /* An 8-thread pool whose load changes every 50 ms, the same in
       * every size: what the chart shows does not depend on n. */
      if (t / 50000 != (t - gap) / 50000 || i == 0)
        {
          gint64 slot = t / 50000;

          tl_trace_set_counter (trace, TL_COUNTER_THREADS_BUSY, slot % 9, t + 2);
          tl_trace_set_counter (trace, TL_COUNTER_THREADS_QUEUED, (slot * 7) % 5, t + 2);
        }
      g_array_append_val (ends, id);
    }
  for (guint k = head; k < ends->len; k++)
    {
      guint32 id = g_array_index (ends, guint32, k);
      gint64 wake = (id - 1) * gap + G_USEC_PER_SEC;

      tl_trace_set_state (trace, id, TL_STATE_RUNNING, wake);
      tl_trace_set_state (trace, id, TL_STATE_OK, wake + 2);
    }
  g_array_unref (ends);

  tl_trace_set_state (trace, root, TL_STATE_OK, RUN_US + G_USEC_PER_SEC);
  tl_trace_end_section (trace, 0, RUN_US + G_USEC_PER_SEC);
  tl_trace_complete (trace, RUN_US + G_USEC_PER_SEC);
  return trace;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  guint  n;
  double ingest_ms;
  double frame_ms;
  double snapshot_ms;
  guint  n_events;
} Result;

static void
run_size (guint   n,
          guint   frames,
          Result *result)
{
  g_autoptr(TlTrace) trace = build_trace (n);
  g_autoptr(TlTimelineModel) model = tl_timeline_model_new (trace);
  GtkWidget *timeline;
  cairo_surface_t *surface;
  g_autofree double *frame_ms = g_new (double, frames);
  g_autofree double *snap_ms = g_new (double, frames);
  TlTimelineView view;
  guint n_lanes;
  gint64 start;

  result->n = n;
  result->n_events = tl_trace_get_n_events (trace);

  start = g_get_monotonic_time ();
  tl_timeline_model_update (model);
  n_lanes = tl_timeline_model_get_n_lanes (model);   /* includes the order */
  result->ingest_ms = (g_get_monotonic_time () - start) / 1000.0;

  timeline = g_object_ref_sink (tl_timeline_new ());
  tl_timeline_set_model (TL_TIMELINE (timeline), model);

  /* The same viewport for every size: 2 s from t = 4 s, the middle lanes. */
  view.width = WIDTH;
  view.height = HEIGHT;
  view.label_w = 240;
  view.us_per_px = (double) WINDOW_US / (WIDTH - view.label_w);
  view.v = MAX (0, (n_lanes / 2.0) * TL_TIMELINE_DEFAULT_LANE_HEIGHT);
  /* --vector-tiles: the vector hatch tiles an export draws, instead of
   * the screen's texture tiles (and no cached ruler). */
  view.use_cache = !vector_tiles;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  for (guint f = 0; f < frames + 3; f++)
    {
      GskRenderNode *node;
      cairo_t *cr;
      gint64 t0, t1, t2;

      view.t0 = 4.0 * G_USEC_PER_SEC + f * view.us_per_px;

      t0 = g_get_monotonic_time ();
      node = _tl_timeline_render (TL_TIMELINE (timeline), &view);
      t1 = g_get_monotonic_time ();
      if (gl_renderer != NULL)
        {
          GdkTexture *texture = gsk_renderer_render_texture (gl_renderer, node,
                                                             &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));

          g_object_unref (texture);
        }
      else
        {
          cr = cairo_create (surface);
          gsk_render_node_draw (node, cr);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
        }
      t2 = g_get_monotonic_time ();
      gsk_render_node_unref (node);

      /* The first frames warm caches and fonts. */
      if (f >= 3)
        {
          frame_ms[f - 3] = (t2 - t0) / 1000.0;
          snap_ms[f - 3] = (t1 - t0) / 1000.0;
        }
    }
  cairo_surface_destroy (surface);

  qsort (frame_ms, frames, sizeof (double), compare_doubles);
  qsort (snap_ms, frames, sizeof (double), compare_doubles);
  result->frame_ms = frame_ms[frames / 2];
  result->snapshot_ms = snap_ms[frames / 2];

  g_object_unref (timeline);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sizes_arg = NULL;
  g_autofree char *renderer_arg = NULL;
  g_auto(GStrv) sizes = NULL;
  int frames = 31;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames per size (median reported)", "N" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_arg, "Comma-separated instance counts", "LIST" },
    { "renderer", 0, 0, G_OPTION_ARG_STRING, &renderer_arg, "Draw frames with cairo (default) or gl", "NAME" },
    { "vector-tiles", 0, 0, G_OPTION_ARG_NONE, &vector_tiles, "Repeat vector hatch tiles (as exports do)", NULL },
    { NULL }
  };
  GArray *results;
  const Result *first, *last;

  context = g_option_context_new ("— timeline benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  frames = MAX (frames, 1);

  gtk_init ();

  if (g_strcmp0 (renderer_arg, "gl") == 0)
    {
      gl_renderer = gsk_gl_renderer_new ();
      if (!gsk_renderer_realize (gl_renderer, NULL, &error))
        {
          g_printerr ("GL renderer: %s\n", error->message);
          return 1;
        }
    }
  else if (renderer_arg != NULL && g_strcmp0 (renderer_arg, "cairo") != 0)
    {
      g_printerr ("--renderer: cairo or gl\n");
      return 2;
    }

  sizes = g_strsplit (sizes_arg ? sizes_arg : "1000,100000,1000000", ",", -1);
  results = g_array_new (FALSE, FALSE, sizeof (Result));

  g_print ("| instances | events | ingestion | frame (snapshot + %s) | of which snapshot |\n",
           gl_renderer != NULL ? "GL render + read back" : "cairo draw");
  g_print ("| ---: | ---: | ---: | ---: | ---: |\n");
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      Result r;
      guint n = (guint) g_ascii_strtoull (sizes[i], NULL, 10);

      if (n == 0)
        continue;
      run_size (n, (guint) frames, &r);
      g_array_append_val (results, r);
      g_print ("| %u | %u | %.1f ms | %.2f ms | %.2f ms |\n",
               r.n, r.n_events, r.ingest_ms, r.frame_ms, r.snapshot_ms);
    }

  /* What GL costs for a frame that shows nothing: creating the target,
   * clearing it and reading it back. The timeline's own share is the
   * difference. */
  if (gl_renderer != NULL)
    {
      g_autofree double *empty_ms = g_new (double, frames);
      const GdkRGBA white = { 1, 1, 1, 1 };

      for (int f = 0; f < frames + 3; f++)
        {
          GskRenderNode *node = gsk_color_node_new (&white, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
          gint64 t0 = g_get_monotonic_time ();
          GdkTexture *texture = gsk_renderer_render_texture (gl_renderer, node,
                                                             &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));

          g_object_unref (texture);
          if (f >= 3)
            empty_ms[f - 3] = (g_get_monotonic_time () - t0) / 1000.0;
          gsk_render_node_unref (node);
        }
      qsort (empty_ms, frames, sizeof (double), compare_doubles);
      g_print ("\nan empty frame (one colour node) with the same renderer: %.2f ms\n", empty_ms[frames / 2]);
    }

  if (results->len >= 2)
    {
      first = &g_array_index (results, Result, 0);
      last = &g_array_index (results, Result, results->len - 1);
      g_print ("\nframe time %u / %u: %.2f× (target ≤ 1.5×); %.2f ms per frame at %u (target ≤ 8 ms); "
               "ingestion %.0f ms (target ≤ 1000 ms)\n",
               last->n, first->n, last->frame_ms / first->frame_ms,
               last->frame_ms, last->n, last->ingest_ms);
    }
  g_array_unref (results);
  if (gl_renderer != NULL)
    {
      gsk_renderer_unrealize (gl_renderer);
      g_object_unref (gl_renderer);
    }
  return 0;
}
