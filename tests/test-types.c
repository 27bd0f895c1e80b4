/* test-types.c — names of the engine's enumerations
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/types/kind-names", test_kind_names_round_trip);
  g_test_add_func ("/engine/types/state-names", test_state_names);

  return g_test_run ();
}
