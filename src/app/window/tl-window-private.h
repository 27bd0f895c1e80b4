/* tl-window-private.h — what the window's files share
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "record/tl-run-file.h"
#include "run/tl-engine-thread.h"
#include "timeline/tl-timeline.h"
#include "codegen/tl-python-program.h"
#include "window/tl-code-pane.h"
#include "window/tl-details-pane.h"
#include "window/tl-gallery.h"
#include "window/tl-predict-dialog.h"
#include "window/tl-reload-banner.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window.h"

G_BEGIN_DECLS

struct _TlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  TlGallery            *gallery;
  AdwWindowTitle       *window_title;
  GtkWidget            *run_button;
  GtkWidget            *stop_button;
  GtkStack             *main_stack;
  GtkPaned             *details_paned;
  GtkBox               *legend_box;
  GtkLabel             *explanation_label;
  TlReloadBanner       *reload_banner;
  GtkScrolledWindow    *timeline_scroller;
  GtkToggleButton      *follow_button;
  TlSummaryBar         *summary_bar;
  GtkRevealer          *warnings_revealer;
  GtkExpander          *output_expander;
  GtkTextView          *output_view;
  GtkListBox           *warnings_list;
  TlDetailsPane        *details_pane;
  GtkPaned             *code_paned;
  TlCodePane           *code_pane;

  GtkWidget            *sidebar_box;
  GtkWidget            *timeline_toolbar;
  GtkWidget            *open_button;
  GtkWidget            *play_button;
  GtkMenuButton        *speed_button;

  TlTimeline           *timeline;

  /* Find tasks (tl-window-search.c) */
  GtkSearchBar         *find_bar;
  GtkSearchEntry       *find_entry;
  GtkLabel             *find_label;

  /* Predict first: the guesses made before the current run, and the
   * window that shows them against its outcome. */
  gboolean              predict_first;
  TlPrediction         *prediction;
  GtkWidget            *predict_results;
  gboolean              presentation;

  /* The open preset */
  TlPreset             *preset;
  char                 *argument;
  GFile                *file;
  GFileMonitor         *monitor;
  guint                 reload_source;
  /* A Python program's own arguments (from the command line). */
  GStrv                 program_args;
  /* Remote hosts the user agreed to contact for this file ("a;b"). */
  char                 *confirmed_hosts;

  /* The current or latest run */
  TlEngineThread       *engine;
  TlTrace              *trace;
  TlTimelineModel      *model;
  gint64                run_start_us;
  guint                 live_source;
  gint64                last_summary_us;
  gint64                last_details_us;
  guint                 output_serial;
  /* Stop was pressed; the run ends once calls on threads return. */
  gboolean              stopping;
  /* The task the finished run's lesson is about, kept in view until the
   * user scrolls (TL_NO_INSTANCE: none); where it was scrolled to (-1:
   * not yet), and whether that scroll is under way. */
  guint32               key_lane;
  double                key_lane_value;
  gboolean              key_lane_scrolling;
  guint                 key_lane_source;

  /* "hidden", "beside" or "below": where the code pane is. */
  char                 *code_placement;
  /* Where it is shown: as chosen, or folded on a narrow window (an
   * interned string). */
  const char           *shown_code_placement;
  guint                 fold_source;
  guint                 code_divider_tick;
  int                   code_divider_frames;

  /* The file dialog on screen or last answered, released from an idle
   * after its answer (tl-window-files.c). */
  GtkNativeDialog      *chooser;
  guint                 chooser_release_source;
  /* Where the last save or export went: the next one starts there. */
  char                 *last_save_folder;

  /* Where the run on screen ran (tl-window-history.c) */
  TlRunInfo            *run_info;
  /* Past runs of the open preset, oldest first (HistoryEntry) */
  GPtrArray            *history;
  guint                 history_serial;
  guint                 shown_run;       /* number of the run on screen, 0: none */
  GtkMenuButton        *history_button;
  GtkListBox           *history_list;
  /* The comparison under the timeline */
  GtkRevealer          *compare_revealer;
  GtkLabel             *compare_heading;
  GtkLabel             *compare_label;
  TlTimeline           *compare_timeline;
  TlTimelineModel      *compare_model;
  char                 *compare_text;
  /* Set by Run with Changes: compare with this run when the run ends. */
  guint                 compare_after_run;

  /* What-if (tl-window-what-if.c) */
  GtkMenuButton        *what_if_button;
  GtkSpinButton        *what_if_pool[3];
  GtkSpinButton        *what_if_task[4];
  GtkLabel             *what_if_task_label;
  char                 *what_if_task_name;

  /* What tl_window_update_actions() last decided, to skip no-op updates
   * from the live updates. */
  guint                 action_state;
  gboolean              action_state_valid;
};

/* tl-window-key-lane.c: the lesson's lane stays in view after a run */
void           _tl_window_init_key_lane        (TlWindow   *self);
void           _tl_window_show_key_lane        (TlWindow   *self);
void           _tl_window_forget_key_lane      (TlWindow   *self);

/* tl-window-fold.c: the gallery folds first, then the code moves below
 * or hides, so the timeline keeps a usable width. */
const char    *_tl_window_fold_placement       (const char *chosen,
                                                int         width,
                                                int         height,
                                                int         details_width);
gboolean       _tl_window_fold_gallery_fits    (const char *chosen,
                                                int         width,
                                                int         details_width);
const char    *_tl_window_get_shown_code_placement (TlWindow *self);
void           _tl_window_update_fold          (TlWindow   *self);
void           _tl_window_fold_allocated       (TlWindow   *self);
void           _tl_window_dispose_fold         (TlWindow   *self);
void           _tl_window_apply_code_placement (TlWindow   *self,
                                                const char *shown);
int            _tl_window_fold_content_width   (TlWindow   *self);

/* tl-window.c: helpers, the one place that decides what is enabled, and
 * the layout of the panes. */
TlApplication *_tl_window_get_app              (TlWindow   *self);
GSettings     *_tl_window_get_settings         (TlWindow   *self);
void           _tl_window_show_toast           (TlWindow   *self,
                                                const char *title);
void           _tl_window_show_error           (TlWindow   *self,
                                                const char *heading,
                                                const char *body);
guint32        _tl_window_get_selected_task    (TlWindow   *self);
gboolean       _tl_window_instance_is_live     (TlWindow   *self,
                                                guint32     instance);
void           tl_window_update_actions        (TlWindow   *self);
gboolean       _tl_window_details_revealed     (TlWindow   *self);
void           _tl_window_reveal_details       (TlWindow   *self,
                                                gboolean    reveal);
void           _tl_window_select_instance      (TlWindow   *self,
                                                guint32     instance);

/* tl-window-run.c: run control and the status it keeps. */
void           _tl_window_class_init_run       (GtkWidgetClass *widget_class);
void           _tl_window_start_run            (TlWindow   *self);
/* Stops the run if it still goes, joins the engine and drops the trace. */
void           _tl_window_clear_run            (TlWindow   *self);
void           _tl_window_cancel_instance      (TlWindow   *self,
                                                guint32     instance);
void           _tl_window_refresh_details      (TlWindow   *self);
void           _tl_window_show_warnings        (TlWindow   *self);

/* tl-window-files.c: presets, files, exports. */
void           _tl_window_class_init_files     (GtkWidgetClass *widget_class);
void           _tl_window_init_files           (TlWindow   *self);
void           _tl_window_dispose_files        (TlWindow   *self);
/* TRUE when the preset may run now; otherwise asks the user first and
 * starts the run if they agree. */
gboolean       _tl_window_hosts_consented      (TlWindow   *self);
void           _tl_window_update_title         (TlWindow   *self);
gboolean       _tl_window_load_argument        (TlWindow   *self,
                                                const char *argument,
                                                GFile      *file,
                                                gboolean    quiet);
void           _tl_window_open_initial_preset  (TlWindow   *self);

/* tl-window-code.c: the code pane and where it is. */
void           _tl_window_class_init_code      (GtkWidgetClass *widget_class);
void           _tl_window_init_code            (TlWindow   *self);
void           _tl_window_finalize_code        (TlWindow   *self);
/* Reads the "code-pane" setting (after the application is known). */
void           _tl_window_restore_code_pane    (TlWindow   *self);
const char    *_tl_window_get_code_placement   (TlWindow   *self);
void           _tl_window_set_code_placement   (TlWindow   *self,
                                                const char *placement);
/* The open preset changed: the pane shows its program. */
void           _tl_window_update_code          (TlWindow   *self);
TlPythonProgram *_tl_window_get_program        (TlWindow   *self);

/* tl-window-program.c: real asyncio programs. */
gboolean        _tl_window_is_program          (TlWindow     *self);
/* TRUE when the program may run now; otherwise asks the user first and
 * starts the run if they agree. */
gboolean        _tl_window_program_consented   (TlWindow     *self);
TlEngineThread *_tl_window_start_program       (TlWindow     *self,
                                                GSourceFunc   finished,
                                                GError      **error);
void            _tl_window_update_output       (TlWindow     *self);
/* FALSE when the program could not start at all (nothing to draw). */
gboolean        _tl_window_program_finished    (TlWindow     *self);

/* tl-window-files.c */
void           _tl_window_set_chooser          (TlWindow        *self,
                                                GtkNativeDialog *chooser);
void           _tl_window_set_preset           (TlWindow   *self,
                                                TlPreset   *preset,
                                                const char *argument,
                                                GFile      *file);

/* tl-window-history.c: run files, the session's runs of the open preset,
 * and comparing two of them. */
void           _tl_window_class_init_history   (GtkWidgetClass *widget_class);
void           _tl_window_init_history         (TlWindow   *self);
void           _tl_window_dispose_history      (TlWindow   *self);
/* Called by set_preset: another preset forgets the runs of the last. */
void           _tl_window_history_preset_changed (TlWindow   *self,
                                                  const char *old_argument,
                                                  const char *new_argument);
void           _tl_window_history_run_started  (TlWindow   *self);
void           _tl_window_history_run_finished (TlWindow   *self);
gboolean       _tl_window_open_recording       (TlWindow   *self,
                                                GFile      *file);

/* tl-window-what-if.c: Threads, Processes, Connections and the selected
 * task's durations changed from the window. */
void           _tl_window_class_init_what_if   (GtkWidgetClass *widget_class);
void           _tl_window_init_what_if         (TlWindow   *self);
void           _tl_window_dispose_what_if      (TlWindow   *self);
/* The preset or the selection changed: show its values. */
void           _tl_window_what_if_sync         (TlWindow   *self);

/* tl-window-predict.c: Predict first. */
void           _tl_window_set_predict_first    (TlWindow   *self,
                                                gboolean    predict_first);
/* TRUE when the preset's questions are asked first; the run then starts
 * when the learner has answered. */
gboolean       _tl_window_predict_before_run   (TlWindow   *self);
/* At the end of a run that was predicted: the guesses against it. */
void           _tl_window_show_prediction_results (TlWindow *self);
void           _tl_window_dispose_predict      (TlWindow   *self);

/* tl-window-replay.c: the time cursor, stepping and playback. */
void           _tl_window_class_init_replay    (GtkWidgetClass *widget_class);
void           _tl_window_init_replay          (TlWindow   *self);
/* The status line and the details at the cursor, or as the run is now. */
void           _tl_window_show_cursor          (TlWindow   *self);
/* Ghost marks of the current prediction on the timeline (none when there
 * is none); with the run's instances once it has ended. */
void           _tl_window_show_guesses         (TlWindow   *self);

/* tl-window-search.c: Find tasks, the search bar over the timeline. */
void           _tl_window_class_init_search    (GtkWidgetClass *widget_class);
void           _tl_window_init_search          (TlWindow   *self);
/* Opens the bar and puts the keyboard in it. */
void           _tl_window_open_find            (TlWindow   *self);
gboolean       _tl_window_find_is_open         (TlWindow   *self);
/* Whether win.find-next / win.find-previous have somewhere to go. */
gboolean       _tl_window_find_can_step        (TlWindow   *self);
/* The run on screen changed: the count follows. */
void           _tl_window_refresh_find         (TlWindow   *self);

/* tl-window-present.c: presentation mode. */
void           _tl_window_class_init_present   (GtkWidgetClass *widget_class);
void           _tl_window_set_presentation     (TlWindow   *self,
                                                gboolean    presentation);

G_END_DECLS
