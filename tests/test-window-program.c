/* test-window-program.c — a real asyncio program in the window: consent,
 * the run, its output and how it ended
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "tl-application.h"
#include "tl-preferences-window.h"
#include "timeline/tl-timeline.h"
#include "window/tl-code-pane.h"
#include "window/tl-details-pane.h"
#include "window/tl-summary-bar.h"
#include "window/tl-window.h"

#include "tl-test-ui.h"
#include "tl-test-util.h"

static TlApplication *app;

static GtkWindow *
find_dialog (TlWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return w;
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

/* As a click does: the response, then the dialog goes. */
static void
respond (TlWindow   *window,
         const char *response)
{
  GtkWindow *dialog = find_dialog (window);

  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog (data) == NULL;
}

/* Opens @file and runs it, agreeing when asked, as a user's first run. */
static void
open_and_agree (TlWindow *window,
                GFile    *file)
{
  g_assert_true (tl_window_open_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  respond (window, "run");
}

static char *
write_program (const char *name,
               const char *text)
{
  char *path = g_build_filename (tl_test_ui_get_data_home (), name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static const char *program_text =
  "import asyncio\n"
  "\n"
  "async def fetch(i):\n"
  "    await asyncio.sleep(0.2)\n"
  "    return i\n"
  "\n"
  "async def main():\n"
  "    print('results', await asyncio.gather(fetch(1), fetch(2)))\n"
  "    raise ValueError('at the end')\n"
  "\n"
  "asyncio.run(main())\n";

static char *
dup_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Program Output's view: a text view that is not the code pane's. */
static gboolean
is_output_view (GtkWidget     *widget,
                gconstpointer  holding)
{
  g_autofree char *text = NULL;

  if (!GTK_IS_TEXT_VIEW (widget) || GTK_SOURCE_IS_VIEW (widget))
    return FALSE;
  text = dup_view_text (widget);
  return strstr (text, holding) != NULL;
}

/* All of Program Output, once it shows @holding. */
static char *
dup_output (TlWindow   *window,
            const char *holding)
{
  GtkWidget *output = tl_test_find_widget_matching (GTK_WIDGET (window), is_output_view, holding);

  g_assert_nonnull (output);
  return dup_view_text (output);
}

/* Korean printed in one go is read from the pipe in pieces that cut
 * characters in two; the pane shows every one of them whole. */
static void
test_output_keeps_characters_whole (void)
{
  /* Written with chr(): the output's text is not in the code pane. */
  g_autofree char *path = write_program ("hangul.py",
                                         "import sys\n"
                                         "sys.stdout.write(chr(0xAC00) * 20000 + '\\n' + chr(0xB05D) + '\\n')\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) expected = g_string_new (NULL);
  TlWindow *window = tl_test_new_window (app);
  g_autofree char *text = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (expected, "가");
  g_string_append (expected, "\n끝\n");

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));

  text = dup_output (window, "끝");
  /* Not g_assert_cmpstr(): 60 KB either side would flood the log. */
  g_assert_null (strstr (text, "\xef\xbf\xbd"));
  g_assert_cmpuint (strlen (text), ==, expected->len);
  g_assert_true (strcmp (text, expected->str) == 0);

  tl_test_close_window (window);
  g_unlink (path);
}

/* A script without asyncio runs, prints, and is said to have made no
 * tasks, rather than left as if it never ran. */
static void
test_script_without_asyncio (void)
{
  g_autofree char *path = write_program ("plain.py", "print('no asyncio here')\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  GtkWidget *bar;
  g_autofree char *text = NULL;
  g_autofree char *said = NULL;

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_cmpuint (tl_trace_get_n_sections (tl_window_get_trace (window)), ==, 0);

  text = dup_output (window, "no asyncio here");
  g_assert_cmpstr (text, ==, "no asyncio here\n");
  bar = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_SUMMARY_BAR, NULL);
  said = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "The program ended without running asyncio.run()"));

  tl_test_close_window (window);
  g_unlink (path);
}

/* Nothing runs before the user agrees; once agreed, the same content runs
 * without asking, and changed content asks again. */
static void
test_consent_and_run (void)
{
  g_autofree char *path = write_program ("consent.py", program_text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  TlTrace *trace;
  guint n_sections;

  g_assert_true (tl_window_open_file (window, file));
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "consent.py");

  /* Run asks first; cancelling runs nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  g_assert_false (tl_window_is_running (window));
  respond (window, "cancel");
  g_assert_null (tl_window_get_trace (window));
  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));

  /* Agreeing runs it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  respond (window, "run");
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));

  trace = tl_window_get_trace (window);
  g_assert_nonnull (trace);
  n_sections = tl_trace_get_n_sections (trace);
  g_assert_cmpuint (n_sections, ==, 1);
  /* The uncaught error is the root's, with its traceback. */
  g_assert_cmpint (tl_trace_get_section (trace, 0)->state, ==, TL_STATE_FAILED);
  g_assert_nonnull (strstr (tl_trace_get_traceback (trace, tl_trace_get_section (trace, 0)->root), "at the end"));

  /* Saved as a run file and opened in another window: the recorded run,
   * its program's source in the code pane and what it printed. */
  {
    g_autofree char *run_path = g_build_filename (tl_test_ui_get_data_home (), "consent.tasklanes-run", NULL);
    g_autoptr(GFile) run_file = g_file_new_for_path (run_path);
    g_autoptr(GError) error = NULL;
    TlWindow *viewer = tl_test_new_window (app);
    TlTrace *shown;
    TlCodePane *pane;

    g_assert_true (tl_window_save_run (window, run_path, &error));
    g_assert_no_error (error);
    g_assert_true (tl_window_open_file (viewer, run_file));
    g_assert_false (tl_window_is_running (viewer));
    shown = tl_window_get_trace (viewer);
    g_assert_nonnull (shown);
    g_assert_true (tl_trace_is_open (shown));
    g_assert_cmpuint (tl_trace_get_n_instances (shown), ==, tl_trace_get_n_instances (trace));
    g_assert_nonnull (strstr (tl_trace_get_traceback (shown, tl_trace_get_section (shown, 0)->root), "at the end"));
    pane = TL_CODE_PANE (tl_test_find_widget (GTK_WIDGET (viewer), TL_TYPE_CODE_PANE, NULL));
    g_assert_nonnull (pane);
    g_assert_cmpstr (tl_code_pane_get_text (pane), ==, program_text);
    g_assert_nonnull (tl_test_find_widget (GTK_WIDGET (viewer), GTK_TYPE_TEXT_VIEW, "results [1, 2]"));

    gtk_window_destroy (GTK_WINDOW (viewer));
    g_unlink (run_path);
  }

  /* The same content again: no question. */
  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_dialog (window));
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));

  /* Changed content: asked again. */
  g_free (write_program ("consent.py", "import asyncio\nasyncio.run(asyncio.sleep(0.1))\n"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  respond (window, "cancel");
  g_assert_false (tl_window_is_running (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

/* The output pane shows standard output and error in the order the
 * program wrote them, as a terminal does, even when a line is printed
 * in pieces (unbuffered, print() writes each argument on its own). */
static void
test_output_in_order (void)
{
  g_autofree char *path = write_program ("interleaved.py",
                                         "import asyncio, sys\n"
                                         "\n"
                                         "async def main():\n"
                                         "    for i in range(200):\n"
                                         "        print('out', i, 'of', 200)\n"
                                         "        print('err', i, file=sys.stderr)\n"
                                         "\n"
                                         "asyncio.run(main())\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) expected = g_string_new (NULL);
  TlWindow *window = tl_test_new_window (app);
  g_autofree char *text = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (expected, "out %u of 200\nerr %u\n", i, i);

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));

  text = dup_output (window, "out 0 of 200");
  g_assert_cmpstr (text, ==, expected->str);

  tl_test_close_window (window);
  g_unlink (path);
}

/* A program that does not compile: a message with file:line, nothing drawn. */
static void
test_syntax_error (void)
{
  g_autofree char *path = write_program ("broken.py", "import asyncio\n\nasync def main(:\n    pass\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  {
    AdwMessageDialog *error = ADW_MESSAGE_DIALOG (find_dialog (window));

    g_assert_nonnull (strstr (adw_message_dialog_get_body (error), "broken.py:3"));
    gtk_window_destroy (GTK_WINDOW (error));
  }
  g_assert_null (tl_window_get_trace (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

/* The interpreter named in Preferences: kept in GSettings, a bad one
 * explained by name, a good one used for the run. */
static void
test_preferences_interpreter (void)
{
  g_autofree char *path = write_program ("interpreter.py", "import asyncio\nasyncio.run(asyncio.sleep(0.05))\n");
  g_autofree char *log = g_build_filename (tl_test_ui_get_data_home (), "interpreter.log", NULL);
  g_autofree char *wrapper_text = g_strdup_printf ("#!/bin/sh\necho \"$@\" >> '%s'\nexec python3 \"$@\"\n", log);
  g_autofree char *wrapper = write_program ("my-python", wrapper_text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSettings *settings = tl_application_get_settings (app);
  TlPreferencesWindow *preferences;
  GtkWidget *row;
  TlWindow *window;
  g_autofree char *used = NULL;

  g_assert_nonnull (settings);
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);

  /* Typed into Preferences: the setting holds it. */
  preferences = tl_preferences_window_new (app);
  gtk_window_present (GTK_WINDOW (preferences));
  row = tl_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "/nonexistent/python3");
  {
    g_autofree char *stored = g_settings_get_string (settings, "python-interpreter");
    g_assert_cmpstr (stored, ==, "/nonexistent/python3");
  }
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* A bad one: the run does not start, and the message names it and
   * where it came from. */
  window = tl_test_new_window (app);
  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  {
    AdwMessageDialog *error = ADW_MESSAGE_DIALOG (find_dialog (window));
    const char *body = adw_message_dialog_get_body (error);

    g_assert_nonnull (strstr (body, "/nonexistent/python3"));
    g_assert_nonnull (strstr (body, "Preferences"));
    gtk_window_destroy (GTK_WINDOW (error));
  }
  g_assert_false (tl_window_is_running (window));
  g_assert_null (tl_window_get_trace (window));

  /* A new Preferences window shows what is stored; a good interpreter
   * typed there runs the program (already consented to: no question). */
  preferences = tl_preferences_window_new (app);
  row = tl_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "/nonexistent/python3");
  gtk_editable_set_text (GTK_EDITABLE (row), wrapper);
  gtk_window_destroy (GTK_WINDOW (preferences));
  {
    g_autofree char *stored = g_settings_get_string (settings, "python-interpreter");
    g_assert_cmpstr (stored, ==, wrapper);
  }

  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_dialog (window));
  g_assert_true (tl_window_is_running (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_nonnull (tl_window_get_trace (window));
  g_assert_cmpint (tl_trace_get_section (tl_window_get_trace (window), 0)->state, ==, TL_STATE_OK);
  g_assert_true (g_file_get_contents (log, &used, NULL, NULL));
  g_assert_nonnull (strstr (used, "tasklanes-probe.py"));
  g_assert_nonnull (strstr (used, "interpreter.py"));

  g_settings_reset (settings, "python-interpreter");
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_unlink (wrapper);
  g_unlink (log);
}

static gboolean
section_started (gpointer data)
{
  TlTrace *trace = tl_window_get_trace (data);

  return trace != NULL && tl_trace_get_n_sections (trace) > 0;
}

/* Stop ends a program's pending tasks the way it ends a preset's: stopped
 * by the user, and the run marked as stopped; not as if the program's
 * asyncio.run() had cancelled them. */
static void
test_stop_ends_tasks_as_stopped (void)
{
  g_autofree char *path = write_program ("forever.py",
                                         "import asyncio\n"
                                         "\n"
                                         "async def main():\n"
                                         "    await asyncio.gather(asyncio.sleep(3600), asyncio.sleep(3600))\n"
                                         "\n"
                                         "asyncio.run(main())\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  TlTrace *trace;
  guint n;

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (section_started, window, 60000));
  tl_test_spin (300);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 30000));
  trace = tl_window_get_trace (window);
  g_assert_true (tl_trace_was_stopped (trace));
  n = tl_trace_get_n_instances (trace);
  g_assert_cmpuint (n, >=, 4);
  for (guint32 i = 0; i < n; i++)
    {
      const TlOutcome *outcome = tl_trace_get_outcome (trace, i);

      g_assert_cmpint (outcome->state, ==, TL_STATE_CANCELLED);
      g_assert_cmpint (outcome->cause, ==, TL_CAUSE_USER);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

static gboolean
drop_file (TlWindow *window,
           GFile    *file)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  /* What the drop target hands its handler for a file from a file manager. */
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  return accepted;
}

/* A .py dropped on the window opens; nothing of it runs before the user
 * agrees, and declining runs nothing. */
static void
test_drop_asks_before_running (void)
{
  g_autofree char *marker = g_build_filename (tl_test_ui_get_data_home (), "dropped-ran", NULL);
  g_autofree char *text = g_strdup_printf ("open(%s, 'w').close()\n"
                                           "import asyncio\nasyncio.run(asyncio.sleep(0.05))\n",
                                           "__import__('os').environ['TL_TEST_MARKER']");
  g_autofree char *path = write_program ("dropped.py", text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);

  g_setenv ("TL_TEST_MARKER", marker, TRUE);

  g_assert_true (drop_file (window, file));
  g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "dropped.py");
  /* Dropping opens it and runs nothing, not even a question yet. */
  tl_test_spin (500);
  g_assert_false (tl_window_is_running (window));
  g_assert_null (find_dialog (window));
  g_assert_null (tl_window_get_trace (window));

  /* Run asks; declining runs nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  g_assert_false (tl_window_is_running (window));
  respond (window, "cancel");
  tl_test_spin (500);
  g_assert_false (tl_window_is_running (window));
  g_assert_null (tl_window_get_trace (window));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Dropped again: still not trusted, still asks. */
  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));
  g_assert_true (drop_file (window, file));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (tl_test_wait_until (dialog_shown, window, 5000));
  respond (window, "run");
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  g_unsetenv ("TL_TEST_MARKER");
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_unlink (marker);
}

static const char *walk_text =
  "import asyncio\n"
  "import time\n"
  "\n"
  "async def fetch(i):\n"
  "    await asyncio.sleep(0.05 * i)\n"
  "    if i == 3:\n"
  "        raise ValueError(f'bad {i}')\n"
  "    return i\n"
  "\n"
  "async def hold():\n"
  "    time.sleep(0.15)\n"
  "\n"
  "async def slow():\n"
  "    await asyncio.sleep(5)\n"
  "\n"
  "def crunch(n):\n"
  "    return sum(range(n))\n"
  "\n"
  "async def main():\n"
  "    print(await asyncio.gather(fetch(1), fetch(2), fetch(3), return_exceptions=True))\n"
  "    lost = [asyncio.create_task(fetch(3)), asyncio.create_task(fetch(3))]\n"
  "    await asyncio.sleep(0.3)\n"
  "    await hold()\n"
  "    await asyncio.to_thread(crunch, 100000)\n"
  "    try:\n"
  "        await asyncio.wait_for(slow(), 0.1)\n"
  "    except asyncio.TimeoutError:\n"
  "        print('timed out')\n"
  "    del lost\n"
  "    sleeper = asyncio.create_task(asyncio.sleep(10))\n"
  "    await asyncio.sleep(0)\n"
  "    sleeper.cancel()\n"
  "\n"
  "asyncio.run(main())\n";

static gboolean
json_file_parses (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;

  return g_file_get_contents (path, &text, &length, NULL) && length > 0 &&
         json_parser_load_from_data (parser, text, (gssize) length, NULL);
}

/* A program's run lived in as a preset's is: every task's details, the
 * cursor stepped over every event, search, every export, a second run
 * compared with the first and the first shown again. Everything the
 * window says about a task comes from the program's own names. */
static void
test_walk_through (void)
{
  g_autofree char *path = write_program ("walk.py", walk_text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TlWindow *window = tl_test_new_window (app);
  TlTimeline *timeline;
  GtkWidget *pane;
  TlTrace *trace;
  guint n_steps = 0;
  guint32 n_instances;

  open_and_agree (window, file);
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));

  trace = tl_window_get_trace (window);
  g_assert_nonnull (trace);
  g_assert_true (tl_trace_is_open (trace));
  n_instances = tl_trace_get_n_instances (trace);
  g_assert_cmpuint (n_instances, >=, 8);
  timeline = TL_TIMELINE (tl_window_get_timeline (window));
  pane = tl_test_find_widget (GTK_WIDGET (window), TL_TYPE_DETAILS_PANE, NULL);
  g_assert_nonnull (pane);

  /* Every task's details name it as the program does. */
  for (guint32 id = 0; id < n_instances; id++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *label = tl_trace_dup_label (trace, id);

      tl_timeline_set_selected_task (timeline, id);
      g_assert_cmpuint (tl_details_pane_get_instance (TL_DETAILS_PANE (pane)), ==, id);
      tl_test_collect_text (pane, text);
      g_assert_nonnull (strstr (text->str, label));
      /* An asyncio Task, said as such rather than as a preset's sequence. */
      if (tl_trace_get_instance (trace, id)->kind == TL_KIND_SEQUENCE)
        g_assert_nonnull (strstr (text->str, "Kind: Task: runs its coroutine, one await after another"));
    }

  /* Why each cancelled task ended, in words: wait_for()'s timeout, from
   * its deadline, and a cancel() call, whose caller asyncio keeps no
   * record of. */
  for (guint32 id = 0; id < n_instances; id++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      const char *name = tl_trace_get_task_name (trace, id);

      if (g_strcmp0 (name, "slow") != 0 && g_strcmp0 (name, "sleep") != 0)
        continue;
      tl_timeline_set_selected_task (timeline, id);
      tl_test_collect_text (pane, text);
      g_test_message ("%s: %s", name, text->str);
      if (g_strcmp0 (name, "slow") == 0)
        g_assert_nonnull (strstr (text->str, "Cancelled because the timeout of wait_for(slow(), timeout=0.1) (100 ms) fired."));
      else
        g_assert_nonnull (strstr (text->str, "Cancelled by a call of its cancel()"));
    }

  /* The cursor from the start over every event to the end: the status
   * line and the details follow it. */
  tl_timeline_set_cursor (timeline, 0);
  while (tl_timeline_step_event (timeline, TRUE))
    {
      n_steps++;
      g_assert_cmpuint (n_steps, <, 10000);
    }
  g_test_message ("%u events stepped over", n_steps);
  g_assert_cmpuint (n_steps, >=, 10);
  while (tl_timeline_step_event (timeline, FALSE))
    ;
  tl_timeline_set_cursor (timeline, -1);

  /* Five fetch() tasks (three gathered, two left alone) and the gather,
   * whose label names its three. */
  tl_timeline_set_search (timeline, "fetch");
  g_assert_cmpuint (tl_timeline_get_n_matches (timeline), ==, 6);
  g_assert_true (tl_timeline_step_match (timeline, TRUE));
  tl_timeline_set_search (timeline, NULL);

  {
    static const char *formats[][2] = {
      { "report", "walk.json" }, { "trace", "walk.trace.json" }, { "csv", "walk.csv" },
      { "svg", "walk.svg" }, { "png", "walk.png" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autofree char *out = g_build_filename (tl_test_ui_get_data_home (), formats[i][1], NULL);
        g_autoptr(GError) error = NULL;
        GStatBuf st;

        g_assert_true (tl_window_export_to_path (window, formats[i][0], out, &error));
        g_assert_no_error (error);
        g_assert_cmpint (g_stat (out, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 100);
        if (i < 2)
          g_assert_true (json_file_parses (out));
        g_unlink (out);
      }
  }

  /* Once more, without asking: two runs to compare, then the first. */
  g_assert_true (tl_test_wait_until (no_dialog, window, 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_dialog (window));
  g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
  g_assert_cmpuint (tl_window_get_n_runs (window), ==, 2);
  g_assert_true (tl_window_compare_runs (window, 0, 1));
  g_assert_nonnull (tl_window_get_comparison (window));
  g_test_message ("%s", tl_window_get_comparison (window));
  /* The same program twice: every task found again, each as it ended. */
  g_assert_null (strstr (tl_window_get_comparison (window), "only in"));
  g_assert_null (strstr (tl_window_get_comparison (window), "failed →"));
  g_assert_null (strstr (tl_window_get_comparison (window), "→ failed"));
  g_assert_true (tl_window_show_run (window, 0));
  g_assert_cmpuint (tl_trace_get_n_instances (tl_window_get_trace (window)), ==, n_instances);

  /* Not a preset to tune: no What If for a program. */
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.show-what-if"));
  g_assert_false (tl_test_action_enabled (GTK_WIDGET (window), "win.run-with-changes"));

  /* Save As writes the program itself and goes on with the copy, which
   * runs without asking: its content is the one agreed to. */
  {
    g_autofree char *copy = g_build_filename (tl_test_ui_get_data_home (), "walk-copy.py", NULL);
    g_autofree char *written = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (tl_window_save_preset_as (window, copy, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (copy, &written, NULL, NULL));
    g_assert_cmpstr (written, ==, walk_text);
    g_assert_cmpstr (tl_window_get_preset (window)->name, ==, "walk-copy.py");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
    g_assert_null (find_dialog (window));
    g_assert_true (tl_window_is_running (window));
    g_assert_true (tl_test_wait_until (tl_test_run_ended, window, 60000));
    g_unlink (copy);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

/* The status line at the time cursor names the task whose code the loop
 * runs by the program's own label: a program's task has no preset spec
 * to take it from. */
static void
test_status_at_cursor (void)
{
  const char *stall = "stall\t1500\t5\t300\ttime.sleep(0.0003) (prog.py:4)\n";
  const char *rest = strstr (tl_test_gather_report, "running\t2000\t5\n");
  g_autofree char *lines = NULL;
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(TlTimelineModel) model = NULL;
  GtkWidget *bar = g_object_ref_sink (tl_summary_bar_new ());
  g_autofree char *running = NULL;
  g_autofree char *blocked = NULL;

  /* fetch(3) holds the loop from 1500 µs to 1800 µs, before its turn. */
  g_assert_nonnull (rest);
  lines = g_strdup_printf ("%.*s%s%s", (int) (rest - tl_test_gather_report), tl_test_gather_report, stall, rest);
  trace = tl_test_read_program (lines, 2050);
  model = tl_timeline_model_new (trace);
  tl_timeline_model_update (model);

  /* fetch(1) runs from 1000 µs to 1010 µs. */
  tl_summary_bar_show_at (TL_SUMMARY_BAR (bar), model, 1005);
  running = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("%s", running);
  g_assert_nonnull (strstr (running, "The event loop is running fetch(1)’s code"));

  tl_summary_bar_show_at (TL_SUMMARY_BAR (bar), model, 1600);
  blocked = tl_summary_bar_dup_text (TL_SUMMARY_BAR (bar));
  g_test_message ("%s", blocked);
  g_assert_nonnull (strstr (blocked, "The event loop is blocked by fetch(3)"));

  g_object_unref (bar);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* It would win over the interpreter named in Preferences. */
  g_unsetenv ("TASKLANES_PYTHON");
  app = tl_test_ui_init ();
  if (app == NULL)
    return 0;

  g_test_add_func ("/ui/window-program/consent-and-run", test_consent_and_run);
  g_test_add_func ("/ui/window-program/output-in-order", test_output_in_order);
  g_test_add_func ("/ui/window-program/output-keeps-characters-whole", test_output_keeps_characters_whole);
  g_test_add_func ("/ui/window-program/syntax-error", test_syntax_error);
  g_test_add_func ("/ui/window-program/script-without-asyncio", test_script_without_asyncio);
  g_test_add_func ("/ui/window-program/stop-ends-tasks-as-stopped", test_stop_ends_tasks_as_stopped);
  g_test_add_func ("/ui/window-program/preferences-interpreter", test_preferences_interpreter);
  g_test_add_func ("/ui/window-program/drop-asks-before-running", test_drop_asks_before_running);
  g_test_add_func ("/ui/window-program/status-at-cursor", test_status_at_cursor);
  g_test_add_func ("/ui/window-program/walk-through", test_walk_through);

  status = g_test_run ();

  tl_test_ui_shutdown (g_steal_pointer (&app));
  return status;
}
