/* test-types.c — names of the engine's enumerations
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "core/tl-number.h"
#include "core/tl-types.h"

static void
test_kind_names_round_trip (void)
{
  for (int k = 0; k < TL_N_KINDS; k++)
    g_assert_cmpint (tl_kind_from_string (tl_kind_to_string (k)), ==, k);

  g_assert_cmpint (tl_kind_from_string ("sleeep"), ==, -1);
  g_assert_null (tl_kind_to_string (TL_N_KINDS));
}

static void
test_state_names (void)
{
  g_assert_cmpstr (tl_state_to_string (TL_STATE_TIMED_OUT), ==, "timed-out");
  g_assert_cmpstr (tl_state_to_string (TL_STATE_NEVER_STARTED), ==, "never-started");
  g_assert_true (TL_STATE_IS_FINAL (TL_STATE_OK));
  g_assert_false (TL_STATE_IS_FINAL (TL_STATE_BLOCKED));
  g_assert_cmpstr (tl_warning_code_to_string (TL_WARNING_LOOP_BLOCKED), ==, "loop-blocked");
}

/* "200,000 waiting": counts are grouped even in the C locale, where
 * printf's ' flag groups nothing; a locale with its own separator uses it. */
static void
test_count_grouping (void)
{
  static const struct { gint64 n; const char *text; } cases[] = {
    { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 200000, "200,000" },
    { 1234567, "1,234,567" }, { -4321, "-4,321" },
    { G_MININT64, "-9,223,372,036,854,775,808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tl_format_count (cases[i].n);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Korean writes counts as English does: "200,000". */
  if (setlocale (LC_NUMERIC, "ko_KR.UTF-8") != NULL)
    {
      g_autofree char *text = tl_format_count (200000);

      g_assert_cmpstr (text, ==, "200,000");
      setlocale (LC_NUMERIC, "C");
    }
  else
    g_test_message ("no ko_KR.UTF-8 locale here; the C locale was checked");
}

/* A deadline as asyncio's argument: timeout=1.2, not 1.20 s. */
static void
test_python_seconds (void)
{
  g_autofree char *a = tl_format_python_seconds (1200000);
  g_autofree char *b = tl_format_python_seconds (1000000);
  g_autofree char *c = tl_format_python_seconds (250000);
  g_autofree char *d = tl_format_python_seconds (1500);

  g_assert_cmpstr (a, ==, "1.2");
  g_assert_cmpstr (b, ==, "1");
  g_assert_cmpstr (c, ==, "0.25");
  g_assert_cmpstr (d, ==, "0.0015");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/types/kind-names", test_kind_names_round_trip);
  g_test_add_func ("/engine/types/state-names", test_state_names);
  g_test_add_func ("/engine/types/count-grouping", test_count_grouping);
  g_test_add_func ("/engine/types/python-seconds", test_python_seconds);

  return g_test_run ();
}
