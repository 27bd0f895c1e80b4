/* test-predict.c — Predict first and presentation mode in the window
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "tl-application.h"
#include "window/tl-predict-dialog.h"
#include "window/tl-predict-results.h"
#include "window/tl-summary-bar.h"
#include "timeline/tl-timeline.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"

static TlApplication *app;

/* The first toplevel of @type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
results_shown (gpointer data)
{
  return find_toplevel (TL_TYPE_PREDICT_RESULTS) != NULL;
}

static gboolean
widget_gone (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

static TlWindow *
new_window (const char *argument)
{
  TlWindow *window = tl_test_new_window (app);

  g_assert_true (tl_window_open_argument (window, argument));
  return window;
}

static gboolean
get_boolean_property (gpointer    object,
                      const char *name)
{
  gboolean value;

  g_object_get (object, name, &value, NULL);
  return value;
}

/* The gallery's gather: guess, run, and see the guesses graded. */
static void
test_predict_then_run (void)
{
  TlWindow *window = new_window ("builtin:gather");
  GtkWidget *dialog;
  GtkWidget *results;
  g_autofree char *text = NULL;
  static const guint passed_order[] = { 0, 1, 2 };

  g_assert_false (get_boolean_property (window, "predict-first"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.predict-first", NULL);
  g_assert_true (get_boolean_property (window, "predict-first"));

  /* Run asks first and does not run yet. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (tl_window_is_running (window));
  g_assert_false (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  g_assert_false (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));

  /* fetch_user(2) first (right); the results in the order passed (right). */
  tl_predict_dialog_choose (TL_PREDICT_DIALOG (dialog), 0, 1);
  g_assert_false (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  tl_predict_dialog_set_order (TL_PREDICT_DIALOG (dialog), 1, passed_order);
  g_assert_true (tl_predict_dialog_is_complete (TL_PREDICT_DIALOG (dialog)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));
  g_assert_true (tl_test_wait_until (widget_gone, &dialog, 5000));

  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_true (tl_test_wait_until (results_shown, NULL, 5000));

  results = find_toplevel (TL_TYPE_PREDICT_RESULTS);
  g_assert_cmpuint (tl_predict_results_get_n_graded (TL_PREDICT_RESULTS (results)), ==, 2);
  g_assert_cmpuint (tl_predict_results_get_n_right (TL_PREDICT_RESULTS (results)), ==, 2);
  text = tl_predict_results_dup_text (TL_PREDICT_RESULTS (results));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "2 of 2 guesses right\n"));
  g_assert_nonnull (strstr (text, "Your guess: fetch_user(2)\n"));
  g_assert_nonnull (strstr (text, "fetch_user(2) finished first, at "));
  g_assert_nonnull (strstr (text, "Your guess: fetch_user(1), fetch_user(2), fetch_user(3)\n"));
  g_assert_nonnull (strstr (text, "asyncio.as_completed"));

  /* The guessed first finisher is outlined on the timeline. */
  g_assert_cmpuint (tl_timeline_get_n_guesses (TL_TIMELINE (tl_window_get_timeline (window))), ==, 1);

  /* The results close with the window. */
  g_object_add_weak_pointer (G_OBJECT (results), (gpointer *) &results);
  tl_test_close_window (window);
  g_assert_true (tl_test_wait_until (widget_gone, &results, 5000));
}

/* A wrong guess is called wrong; Cancel runs nothing; with the mode off,
 * or for a preset without questions, Run runs at once. */
static void
test_wrong_cancel_and_off (void)
{
  TlWindow *window = new_window ("builtin:never-awaited");
  GtkWidget *dialog;
  GtkWidget *results;
  g_autofree char *text = NULL;

  g_object_set (window, "predict-first", TRUE, NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tl_test_wait_until (widget_gone, &dialog, 5000));
  g_assert_false (tl_window_is_running (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  /* "ok" for save_log(), which never starts. */
  tl_predict_dialog_choose (TL_PREDICT_DIALOG (dialog), 0, 0);
  g_assert_true (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_true (tl_test_wait_until (results_shown, NULL, 5000));
  results = find_toplevel (TL_TYPE_PREDICT_RESULTS);
  g_assert_cmpuint (tl_predict_results_get_n_right (TL_PREDICT_RESULTS (results)), ==, 0);
  text = tl_predict_results_dup_text (TL_PREDICT_RESULTS (results));
  g_assert_nonnull (strstr (text, "Not this time\n"));
  g_assert_nonnull (strstr (text, "save_log() never starts.\n"));
  gtk_window_destroy (GTK_WINDOW (results));

  g_object_set (window, "predict-first", FALSE, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_DIALOG));
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_RESULTS));

  /* many-sleeps asks nothing: it runs at once even in the mode. */
  g_object_set (window, "predict-first", TRUE, NULL);
  g_assert_true (tl_window_open_argument (window, "builtin:many-sleeps"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel (TL_TYPE_PREDICT_DIALOG));
  g_assert_true (tl_window_is_running (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));

  tl_test_close_window (window);
}


static gboolean
playback_ended (gpointer data)
{
  return tl_timeline_get_playback_speed (data) == 0;
}

/* Replay and step on the gallery's gather: 0.5, 1 and 1.5 s look-ups. */
static void
test_replay_and_step (void)
{
  TlWindow *window = new_window ("builtin:gather");
  TlTimeline *timeline = TL_TIMELINE (tl_window_get_timeline (window));
  GtkWidget *bar = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_SUMMARY_BAR, NULL);
  gint64 first, second, end;
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  g_assert_cmpint (tl_timeline_get_cursor (timeline), ==, -1);
  end = tl_timeline_model_get_end_us (tl_timeline_get_model (timeline));

  /* Step: the tasks starting around 0, one event each, then fetch_user(2)
   * finishing at 0.5 s. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-event", NULL);
  first = tl_timeline_get_cursor (timeline);
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (first, <, 100000);
  second = first;
  for (guint steps = 0; steps < 12 && second < 400000; steps++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-event", NULL);
      g_assert_cmpint (tl_timeline_get_cursor (timeline), >, second);
      second = tl_timeline_get_cursor (timeline);
    }
  g_assert_cmpint (second, >=, 500000);
  g_assert_cmpint (second, <, 900000);
  text = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("at the cursor: %s", text);
  g_assert_true (g_str_has_prefix (text, "At "));
  g_assert_nonnull (strstr (text, "1 ok"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-event", NULL);
  g_assert_cmpint (tl_timeline_get_cursor (timeline), <, second);
  g_assert_cmpint (tl_timeline_get_cursor (timeline), >=, first);

  /* Dragged between 1 and 1.5 s: two done, one still waiting. */
  tl_timeline_set_cursor (timeline, 1250000);
  after = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_assert_nonnull (strstr (after, "2 ok"));
  g_assert_nonnull (strstr (after, "1 waiting"));
  /* Never past what was drawn. */
  tl_timeline_set_cursor (timeline, end + 1000000);
  g_assert_cmpint (tl_timeline_get_cursor (timeline), ==, end);

  /* Playback at 2× from 1.25 s runs to the end and stops there. */
  tl_timeline_set_cursor (timeline, 1250000);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.playback-speed", "d", 2.0);
  g_assert_cmpfloat (tl_timeline_get_playback_speed (timeline), ==, 2.0);
  g_assert_true (tl_test_wait_until (playback_ended, timeline, 10000));
  g_assert_cmpint (tl_timeline_get_cursor (timeline), ==, end);

  /* Pause: play, then play again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  g_assert_cmpfloat (tl_timeline_get_playback_speed (timeline), ==, 2.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  g_assert_cmpfloat (tl_timeline_get_playback_speed (timeline), ==, 0);

  /* A new run starts without a cursor. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_cmpint (tl_timeline_get_cursor (timeline), ==, -1);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));

  tl_test_close_window (window);
}


/* A guessed time is a dashed line: from the start of the run, or, for a
 * later section, from that section's start once the run has shown it. */
static void
test_guessed_time (void)
{
  TlWindow *window = new_window ("builtin:sync-vs-async");
  TlTimeline *timeline = TL_TIMELINE (tl_window_get_timeline (window));
  GtkWidget *dialog;

  g_object_set (window, "predict-first", TRUE, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel (TL_TYPE_PREDICT_DIALOG);
  g_assert_nonnull (dialog);
  /* "3 s" for the gathered section: wrong, it takes one. */
  tl_predict_dialog_choose (TL_PREDICT_DIALOG (dialog), 0, 2);
  g_assert_true (tl_predict_dialog_submit (TL_PREDICT_DIALOG (dialog)));
  g_assert_true (tl_window_is_running (window));
  /* The second section has not started: nothing to draw from yet. */
  g_assert_cmpuint (tl_timeline_get_n_guesses (timeline), ==, 0);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  g_assert_cmpuint (tl_timeline_get_n_guesses (timeline), ==, 1);
  g_assert_true (tl_test_wait_until (results_shown, NULL, 5000));
  g_assert_cmpuint (tl_predict_results_get_n_right (TL_PREDICT_RESULTS (find_toplevel (TL_TYPE_PREDICT_RESULTS))), ==, 0);

  tl_test_close_window (window);
}

/* CRC-32 as PNG computes it, bit by bit: slow, and independent of the
 * table the writer uses. */
static gulong
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < len; i++)
    {
      c ^= data[i];
      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
  return c ^ 0xffffffffu;
}

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The animation is a valid APNG: every chunk's CRC holds, acTL counts the
 * frames there are, sequence numbers run 0, 1, 2…, and a plain PNG reader
 * sees its first frame. */
static void
test_animation (void)
{
  TlWindow *window = new_window ("builtin:gather");
  g_autofree char *dir = g_dir_make_tmp ("tasklanes-animation-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gather.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = NULL;
  g_autoptr(GdkPixbuf) first = NULL;
  gsize len, pos = 8;
  guint32 width = 0, height = 0, declared = 0, next_seq = 0;
  guint n_fctl = 0, n_fdat = 0, n_idat = 0;
  gboolean ended = FALSE;
  gint64 end_us;

  /* Nothing to animate before a run. */
  g_assert_false (tl_window_export_animation (window, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 20000));
  end_us = tl_trace_get_end_us (tl_window_get_trace (window));
  g_assert_true (tl_window_export_animation (window, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, (char **) &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  while (pos + 12 <= len && !ended)
    {
      guint32 size = read_u32 (data + pos);
      const char *type = (const char *) data + pos + 4;
      const guint8 *body = data + pos + 8;
      guint32 crc;

      g_assert_cmpuint (pos + 12 + size, <=, len);
      crc = (guint32) crc32_of (data + pos + 4, size + 4);
      g_assert_cmpuint (crc, ==, read_u32 (body + size));

      if (memcmp (type, "IHDR", 4) == 0)
        {
          width = read_u32 (body);
          height = read_u32 (body + 4);
          g_assert_cmpuint (body[8], ==, 8);
          g_assert_cmpuint (body[9], ==, 6);
        }
      else if (memcmp (type, "acTL", 4) == 0)
        declared = read_u32 (body);
      else if (memcmp (type, "fcTL", 4) == 0)
        {
          g_assert_cmpuint (read_u32 (body), ==, next_seq++);
          g_assert_cmpuint (read_u32 (body + 4), ==, width);
          g_assert_cmpuint (read_u32 (body + 8), ==, height);
          n_fctl++;
        }
      else if (memcmp (type, "fdAT", 4) == 0)
        {
          g_assert_cmpuint (read_u32 (body), ==, next_seq++);
          n_fdat++;
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        {
          g_assert_cmpuint (n_fdat, ==, 0);
          n_idat++;
        }
      else if (memcmp (type, "IEND", 4) == 0)
        ended = TRUE;
      pos += 12 + size;
    }
  g_assert_true (ended);
  g_assert_cmpuint (pos, ==, len);
  g_assert_cmpuint (width, ==, 1280);
  g_assert_cmpuint (height, >, 100);
  g_assert_cmpuint (n_idat, ==, 1);
  g_assert_cmpuint (n_fctl, ==, declared);
  g_assert_cmpuint (n_fdat, ==, declared - 1);
  /* Ten frames a second of the run, and the finished picture. */
  g_assert_cmpuint (declared, ==, (guint) ceil (end_us / 100000.0) + 1);

  first = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (first), ==, 1280);
  g_assert_cmpint (gdk_pixbuf_get_height (first), ==, (int) height);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  tl_test_close_window (window);
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (data);
}

/* Timelines under @widget whose lanes are @height px tall. */
static guint
count_timelines (GtkWidget *widget,
                 int        height)
{
  guint n = TL_IS_TIMELINE (widget) && tl_timeline_get_lane_height (TL_TIMELINE (widget)) == height;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_timelines (child, height);
  return n;
}

static void
test_presentation (void)
{
  TlWindow *window = new_window ("builtin:gather");

  g_assert_false (get_boolean_property (window, "presentation"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_true (get_boolean_property (window, "presentation"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  tl_test_wait_until (is_fullscreen, window, 2000);
  /* Taller lanes, on the timeline and on the comparison's. */
  {
    int height = tl_timeline_get_lane_height (TL_TIMELINE (tl_window_get_timeline (window)));

    g_assert_cmpint (height, >, TL_TIMELINE_DEFAULT_LANE_HEIGHT);
    g_assert_cmpuint (count_timelines (GTK_WIDGET (window), height), ==, 2);
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (get_boolean_property (window, "presentation"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_true (tl_test_wait_until (is_not_fullscreen, window, 2000));
  g_assert_cmpuint (count_timelines (GTK_WIDGET (window), TL_TIMELINE_DEFAULT_LANE_HEIGHT), ==, 2);

  tl_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/predict/predict-then-run", test_predict_then_run);
  g_test_add_func ("/ui/predict/wrong-cancel-and-off", test_wrong_cancel_and_off);
  g_test_add_func ("/ui/predict/presentation", test_presentation);
  g_test_add_func ("/ui/predict/replay-and-step", test_replay_and_step);
  g_test_add_func ("/ui/predict/animation", test_animation);
  g_test_add_func ("/ui/predict/guessed-time", test_guessed_time);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
