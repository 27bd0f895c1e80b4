/* tl-timeline-private.h — what the timeline's own files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "timeline/tl-timeline.h"
#include "timeline/tl-timeline-palette.h"
#include "timeline/tl-timeline-marks.h"

G_BEGIN_DECLS

/* The geometry of one picture of the timeline: the widget's current view,
 * or a view built for an image export. */
typedef struct {
  int      width;
  int      height;
  double   label_w;     /* the names column */
  double   t0;          /* time (µs) at x = label_w */
  double   us_per_px;
  double   v;           /* vertical scroll of the task lanes (px) */
  gboolean use_cache;   /* FALSE for exports: never touch the widget's caches */
} TlTimelineView;

#define TL_TIMELINE_RULER_H    30
#define TL_TIMELINE_SUMMARY_H  36

#define RULER_H    TL_TIMELINE_RULER_H
#define SUMMARY_H  TL_TIMELINE_SUMMARY_H
#define BAR_PAD    4
#define INDENT     14
#define MIN_SPAN_US 20.0
#define TICK_SPACING_PX 96
#define MAX_ARROWS 200
#define FALLBACK_WIDTH 1000
#define FALLBACK_HEIGHT 700
#define MARKER_ROOM 28
#define RESIZE_GRAB 5
#define LIVE_FPS 30
#define MAX_WAIT_SPLIT 2000
#define HATCH_SIZE 6
#define HATCH_WIDTH 1.2
#define STRIPE_SIZE 8
#define STRIPE_WIDTH 2.5
#define MAX_ERROR_PATH_INSTANCES 300

struct _TlTimeline
{
  GtkWidget          parent_instance;

  TlTimelineModel   *model;
  gulong             changed_handler;

  GtkAdjustment     *hadj;
  GtkAdjustment     *vadj;
  guint              hscroll_policy : 1;
  guint              vscroll_policy : 1;
  guint              in_configure : 1;

  /* Height of a task lane (px): the "lane-height" property. Every layer,
   * the hit-testing and the scroll range measure lanes with it. */
  double             lane_h;

  /* The time window: t0 at the left edge of the plot, span across it. */
  double             t0;
  double             span;
  double             v;
  gboolean           auto_fit;     /* keep the whole run in view */
  gboolean           follow;
  gboolean           live;
  guint              tick_id;
  gint64             anchor_trace_us;
  gint64             anchor_frame_us;
  gint64             last_draw_us;  /* live redraws: see tick_cb */
  gint64             last_set_now;  /* what tick_cb set, -1: nothing yet */
  gboolean           external_now;  /* someone else sets the model's now */
  double             last_now_px;
  gboolean           pending_change;

  gint64             stall_us;
  gint64             stall_start_us;
  guint32            stall_culprit;

  guint32            selected;
  guint32            hovered;
  double             pointer_x;
  double             pointer_y;
  /* The time under the pointer over the plot (-1: elsewhere), and what
   * the summary lanes' headers said at the last frame (tl-timeline-figures.c). */
  gint64             hover_us;
  char              *figures_key;

  /* The task search (tl-timeline-search.c): the casefolded text, the
   * matches in lane order, the one last stepped to (-1: none) and a flag
   * per instance for drawing. */
  char              *search_text;
  guint32           *matches;
  guint              n_matches;
  int                current_match;
  guint8            *match_flags;
  guint              n_match_flags;

  double             drag_t0;
  double             drag_v;
  gboolean           dragging;
  double             zoom_span;
  double             zoom_anchor_t;
  double             zoom_anchor_x;

  TlTimelinePalette  palette;
  PangoLayout       *layout;
  /* Widths of the few fixed words drawn in bars, by string (translated
   * strings live as long as the process): measured once per style. */
  const char        *word_text[8];
  int                word_w[8];
  GskRenderNode     *markers[5];   /* by TlMarker */
  GskRenderNode     *disclosure[2];/* expanded, collapsed */
  GskRenderNode     *hatch_tile;
  GskRenderNode     *stripe_tile;
  /* The same tiles as textures: what the screen repeats (see
   * _tl_timeline_append_pattern). */
  GskRenderNode     *hatch_tex;
  GskRenderNode     *stripe_tex;
  gboolean           vector_tiles; /* drawing an export: hatch with vectors */
  /* Drawing an SVG: the text runs placed, written as <text> rather than
   * drawn as glyph outlines (tl-timeline-svg.c). */
  GArray            *svg_texts;

  int                forced_dark;  /* a legend's painter: its widget's style, -1: own */
  double             label_w_user; /* names column dragged by the user, 0: auto */
  double             names_fit_w;  /* what the names need, -1: not measured */
  guint              names_fit_lanes; /* lanes there were when measured */
  gboolean           resizing;
  double             resize_w0;

  /* Replay (tl-timeline-cursor.c): the time cursor (-1: none), playback
   * and the learner's guesses (TlTimelineGuess, texts owned). */
  gint64             cursor_us;
  gboolean           cursor_dragging;
  double             drag_start_x;
  double             play_speed;
  double             play_chosen_speed; /* what timeline.play resumes at */
  guint              play_tick_id;
  gint64             play_last_frame_us;
  GArray            *guesses;

  /* The layers, drawn in this order (see tl-timeline-render.c). */
  GPtrArray         *layers;

  /* Text placed in the frame being drawn (graphene_rect_t): new text
   * that would overprint any of it is dropped. text_clip is the region
   * being drawn; outside it nothing shows, so nothing is placed. */
  GArray            *text_boxes;
  graphene_rect_t    text_clip;
  gboolean           placing_text;
  /* Lines, arrows and ghost outlines drawn across the task lanes in this
   * frame (graphene_rect_t): text keeps clear of them too. The layers
   * that draw lines across lanes note theirs first, in a pass that draws
   * nothing (reserving), so text drawn before them already avoids them. */
  GArray            *stroke_boxes;
  gboolean           reserving;
  gboolean           strokes_noted;

  /* The kinds of mark (TlTimelineMark) drawn since the last reset: the
   * legend's test checks each has an entry. */
  guint64            marks_drawn;

  GskRenderNode     *static_node;
  TlTimelineView     static_view;
  gboolean           static_dark;

  char              *summary;
};

/* Geometry: called for every lane and interval drawn, so inline. */

static inline gboolean
is_search_match (TlTimeline *self,
                 guint32     instance)
{
  return instance < self->n_match_flags && self->match_flags[instance];
}

static inline guint
n_summary_lanes (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_n_summary_lanes (self->model) : 0;
}

static inline double
task_area_top (TlTimeline *self)
{
  return RULER_H + n_summary_lanes (self) * SUMMARY_H;
}

static inline double
task_lanes_height (TlTimeline *self)
{
  if (self->model == NULL)
    return 0;
  return (tl_timeline_model_get_n_lanes (self->model) - n_summary_lanes (self)) * self->lane_h;
}

static inline double
lane_top (TlTimeline           *self,
          const TlTimelineView *view,
          guint                 lane)
{
  guint n_summary = n_summary_lanes (self);

  if (lane < n_summary)
    return RULER_H + lane * SUMMARY_H;
  return task_area_top (self) + (lane - n_summary) * self->lane_h - view->v;
}

static inline double
lane_height (TlTimeline *self,
             guint       lane)
{
  return lane < n_summary_lanes (self) ? SUMMARY_H : self->lane_h;
}

static inline double
view_time_to_x (const TlTimelineView *view,
                double                time_us)
{
  return view->label_w + (time_us - view->t0) / view->us_per_px;
}

static inline double
view_x_to_time (const TlTimelineView *view,
                double                x)
{
  return view->t0 + (x - view->label_w) * view->us_per_px;
}

static inline gint64
current_now (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_now (self->model) : 0;
}

static inline gint64
run_end (TlTimeline *self)
{
  return self->model ? tl_timeline_model_get_end_us (self->model) : 0;
}

/* Layers call this for each kind of mark they draw. */
static inline void
_tl_timeline_note_mark (TlTimeline     *self,
                        TlTimelineMark  mark)
{
  self->marks_drawn |= G_GUINT64_CONSTANT (1) << mark;
}

/* tl-timeline.c: the view */
void _tl_timeline_configure_adjustments (TlTimeline *self);
double _tl_timeline_zoom_to_fit (TlTimeline *self);
double _tl_timeline_max_span (TlTimeline *self);
void _tl_timeline_set_v (TlTimeline *self,
                         double      v);
void _tl_timeline_set_view (TlTimeline *self,
                            double      t0,
                            double      span);
void _tl_timeline_user_panned (TlTimeline *self);
void _tl_timeline_zoom_around (TlTimeline *self,
                               double      x,
                               double      factor);

/* tl-timeline-search.c: the search follows a new model; frees it all. */
void _tl_timeline_search_model_changed (TlTimeline *self);
void _tl_timeline_search_clear         (TlTimeline *self);

/* tl-timeline-cursor.c: replay */
void _tl_timeline_class_init_cursor (GtkWidgetClass *widget_class);
void _tl_timeline_init_cursor       (TlTimeline     *self);
void _tl_timeline_dispose_cursor    (TlTimeline     *self);
/* Moves the cursor to x in the current view (a press or drag on the ruler). */
void _tl_timeline_cursor_to_x       (TlTimeline     *self,
                                     double          x);

/* tl-timeline-input.c: input and actions */
void _tl_timeline_update_actions (TlTimeline *self);

/* tl-timeline-svg.c: an SVG export whose words are text */
void _tl_timeline_svg_begin (TlTimeline *self);
guint _tl_timeline_svg_n_texts (TlTimeline *self);
/* Records the layout's text as drawn at (x, y), its top left corner. */
void _tl_timeline_svg_record_text (TlTimeline    *self,
                                   double         x,
                                   double         y,
                                   const GdkRGBA *color,
                                   gboolean       bold);
gboolean _tl_timeline_svg_write (TlTimeline     *self,
                                 const char     *path,
                                 int             width,
                                 GskRenderNode **parts,
                                 const double   *heights,
                                 const guint    *marks,
                                 guint           n_parts,
                                 GError        **error);

/* tl-timeline-paint.c: the style caches and drawing primitives every layer uses */
void _tl_timeline_append_dashed_box (GtkSnapshot   *snapshot,
                                     const GdkRGBA *color,
                                     double         x0,
                                     double         x1,
                                     double         y,
                                     double         h);
void _tl_timeline_note_box_outline (TlTimeline *self,
                                    double      x0,
                                    double      x1,
                                    double      y,
                                    double      h);
void _tl_timeline_append_would_have_run (TlTimeline  *self,
                                         GtkSnapshot *snapshot,
                                         double       x0,
                                         double       x1,
                                         double       y,
                                         double       h);
void _tl_timeline_append_fitting_plate (TlTimeline    *self,
                                        GtkSnapshot   *snapshot,
                                        const char   **texts,
                                        guint          n_texts,
                                        double         x,
                                        double         y_center,
                                        double         width);
void _tl_timeline_append_label_plate (TlTimeline    *self,
                                      GtkSnapshot   *snapshot,
                                      const char    *text,
                                      double         x,
                                      double         y_center,
                                      double         width);
void _tl_timeline_append_node_at (GtkSnapshot   *snapshot,
                                  GskRenderNode *node,
                                  double         x,
                                  double         y);
void _tl_timeline_append_pattern (TlTimeline    *self,
                                  GtkSnapshot   *snapshot,
                                  gboolean       stripes,
                                  const GdkRGBA *background,
                                  double         x,
                                  double         y,
                                  double         w,
                                  double         h);
void _tl_timeline_append_rect (GtkSnapshot   *snapshot,
                               const GdkRGBA *color,
                               double         x,
                               double         y,
                               double         w,
                               double         h);
int _tl_timeline_append_text (TlTimeline    *self,
                              GtkSnapshot   *snapshot,
                              const char    *text,
                              const GdkRGBA *color,
                              double         x,
                              double         y_center,
                              double         width,
                              gboolean       bold);
/* A name in bold over its figures, as one block inside the band from @y
 * to @y + @height and placed as one box: the lines come closer than their
 * logical boxes where the band is short (Korean's boxes are tall) and
 * never leave it. The figures only whole; without room, the name alone. */
void _tl_timeline_append_text_lines (TlTimeline    *self,
                                     GtkSnapshot   *snapshot,
                                     const char    *first,
                                     const GdkRGBA *first_color,
                                     const char    *second,
                                     const GdkRGBA *second_color,
                                     double         x,
                                     double         y,
                                     double         height,
                                     double         width);
void _tl_timeline_append_text_whole (TlTimeline    *self,
                                     GtkSnapshot   *snapshot,
                                     const char    *text,
                                     const GdkRGBA *color,
                                     double         x,
                                     double         y_center,
                                     double         width,
                                     gboolean       bold);
void _tl_timeline_append_triangle (GtkSnapshot   *snapshot,
                                   const GdkRGBA *color,
                                   double         x,
                                   double         y,
                                   double         depth,
                                   double         angle);
void _tl_timeline_clear_style_caches (TlTimeline *self);
gboolean _tl_timeline_clip_span (const TlTimelineView *view,
                                 double                t0,
                                 double                t1,
                                 double               *x0,
                                 double               *x1);
void _tl_timeline_ensure_style_caches (TlTimeline *self);
char *_tl_timeline_format_count (gint64 n);
int _tl_timeline_measure_text (TlTimeline *self,
                               const char *text);
gint64 _tl_timeline_planned_duration (TlTimeline *self,
                                      guint32     instance);
const TlTaskSpec *_tl_timeline_spec_of_instance (TlTimeline *self,
                                                 guint32     instance);
int _tl_timeline_state_priority (guint32 state);

/* layers/tl-intervals-layer.c: look-ups other layers share */
char *_tl_timeline_dup_wait_split (TlTimeline *self,
                                   guint32     wait,
                                   gint64      ret_us);
guint _tl_timeline_intervals_gallop (const TlInterval *v,
                                     guint             from,
                                     guint             n,
                                     gint64            now,
                                     double            t);
gboolean _tl_timeline_shows_result (TlTimeline *self,
                                    guint32     instance);
guint _tl_timeline_steps_gallop (const TlStep *steps,
                                 guint         from,
                                 guint         n,
                                 double        t,
                                 gboolean      inclusive);

/* tl-timeline-tooltip.c */
const char *_tl_timeline_state_label (guint state);

/* layers/tl-labels-layer.c: the peaks written under a chart lane's name. */
char          *_tl_timeline_dup_lane_peaks        (TlTimeline *self,
                                                   guint       lane);

/* tl-timeline-pinned.c: the header lanes (section, then parent task)
 * whose names are pinned at the top of the task lanes in @view, as
 * lane indices in *lanes (room for TL_TIMELINE_MAX_PINNED); how many. */
#define TL_TIMELINE_MAX_PINNED 2
guint          _tl_timeline_get_pinned            (TlTimeline           *self,
                                                   const TlTimelineView *view,
                                                   guint                *lanes);
/* Those rows over the names column, as a node to draw over the lanes'
 * names; built first, so that their text is placed before any name it
 * would collide with. */
GskRenderNode *_tl_timeline_render_pinned         (TlTimeline           *self,
                                                   const TlTimelineView *view,
                                                   const guint          *lanes,
                                                   guint                 n_pinned);

/* tl-timeline-figures.c: what a summary lane's header says under its
 * name. At the pointer's time while it hovers the plot, else at the
 * replay cursor, else at "now" while live: the values then ("at 1.20 s:
 * 3 running · 2 waiting"); after a run the peaks, said to be peaks.
 * NULL when there is nothing to say (the loop lane without lag). An
 * image export passes with_pointer FALSE: the pointer is not part of it. */
gint64         _tl_timeline_figures_time          (TlTimeline *self,
                                                   gboolean    with_pointer);
char          *_tl_timeline_dup_lane_figures      (TlTimeline *self,
                                                   guint       lane,
                                                   double      width,
                                                   gboolean    with_pointer);
/* The pointer is over the plot at @time_us (-1: it left): redraws when
 * a header would read differently. */
void           _tl_timeline_set_hover_time        (TlTimeline *self,
                                                   gint64      time_us);

/* tl-timeline.c: announces a new names-width (the end of a drag). */
void           _tl_timeline_notify_names_width    (TlTimeline *self);

/* tl-timeline.c: the signals, for the input handlers. */
void           _tl_timeline_emit_task_activated   (TlTimeline *self,
                                                   guint32     instance);
void           _tl_timeline_emit_cancel_requested (TlTimeline *self,
                                                   guint32     instance);

/* tl-timeline-input.c: the input controllers and the actions. */
void           _tl_timeline_class_init_input      (GtkWidgetClass *widget_class);
void           _tl_timeline_init_input            (TlTimeline     *self);

/* tl-timeline-paint.c: the boxes of the text placed in the last frame
 * drawn, in widget coordinates; the boxes of its lines, arrows and ghost
 * outlines; and the part of a text box that must stay clear of them (its
 * middle half: a line along the edge of a lane's bar passes above or
 * below the letters). */
const graphene_rect_t *_tl_timeline_get_text_boxes (TlTimeline *self,
                                                    guint      *n_boxes);
const graphene_rect_t *_tl_timeline_get_stroke_boxes (TlTimeline *self,
                                                      guint      *n_boxes);
void           _tl_timeline_text_ink_band     (const graphene_rect_t *text_box,
                                               graphene_rect_t       *band);
/* Notes a line drawn at (x, y, w × h) that text must not cross. */
void           _tl_timeline_note_stroke       (TlTimeline *self,
                                               double      x,
                                               double      y,
                                               double      w,
                                               double      h);
/* How much of @room text starting at x, centred on y_center, can take
 * before it meets a noted line (0 when one crosses x itself). */
double         _tl_timeline_room_before_stroke (TlTimeline *self,
                                                double      x,
                                                double      y_center,
                                                double      room);

/* tl-timeline-render.c: the layers, in drawing order, and which of them
 * has a task's mark under (x, y) in widget coordinates (NULL: none). */
typedef struct _TlTimelineLayer TlTimelineLayer;
GPtrArray       *_tl_timeline_new_layers          (void);
TlTimelineLayer *_tl_timeline_lookup_item         (TlTimeline *self,
                                                   double      x,
                                                   double      y,
                                                   guint32    *instance);

void           _tl_timeline_get_view   (TlTimeline           *self,
                                        TlTimelineView       *view);
/* Builds the render node of a view. */
GskRenderNode *_tl_timeline_render     (TlTimeline           *self,
                                        const TlTimelineView *view);
/* The span that shows a run ending at end_us in a plot plot_w wide,
 * markers and a right margin (at least end_text_px after the end)
 * included. */
double         _tl_timeline_fit_span   (double                end_us,
                                        double                plot_w,
                                        double                end_text_px);
/* The widest result or error label drawn after the run's last markers. */
double         _tl_timeline_end_text_width (TlTimeline        *self,
                                        double                end_us);
/* The names column of a picture width wide. */
double         _tl_timeline_label_width (TlTimeline          *self,
                                        int                   width);
/* An error as drawn on a lane: the reason first, the URL shortened. */
char          *_tl_timeline_shorten_error (const char        *error);

/* What the tooltip at (x, y) says, as Pango markup; NULL for nothing.
 * keyboard: about the selected task instead. */
char          *_tl_timeline_dup_tooltip_markup (TlTimeline *self,
                                                double      x,
                                                double      y,
                                                gboolean    keyboard);

/* tl-timeline-legend.c: the legend entry that explains @mark (itself, or
 * the mark whose entry it shares), or TL_TIMELINE_N_MARKS for none; and
 * an entry's words. */
TlTimelineMark  _tl_timeline_legend_entry_of_mark (TlTimelineMark mark);
const char     *_tl_timeline_legend_entry_text    (TlTimelineMark entry);

/* The title band of an export (preset name and run summary). */
GskRenderNode *_tl_timeline_render_title (TlTimeline        *self,
                                        int                   width,
                                        double               *height);
/* The legend as a band width wide (for exports); its height in *height. */
GskRenderNode *_tl_timeline_render_legend (TlTimeline        *self,
                                        int                   width,
                                        double               *height);

G_END_DECLS
