/* tl-test-util.h — helpers shared by the test suites
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "trace/tl-trace.h"

G_BEGIN_DECLS

/* Path of a file in tests/ (the source tree). */
char *tl_test_dup_srcdir_path (const char *first_element, ...) G_GNUC_NULL_TERMINATED;

/* Iterates the thread-default context until *flag is TRUE or @timeout_ms
 * passes; returns *flag. */
gboolean tl_test_wait_for_flag (gboolean *flag,
                                guint     timeout_ms);

/* The instance of task @name with Repeat number @copy (1 when not
 * repeated): tl_test_find_instance() returns TL_NO_INSTANCE when there is
 * none, tl_test_get_instance() fails the test. */
guint32          tl_test_find_instance (TlTrace    *trace,
                                        const char *name,
                                        guint       copy);
guint32          tl_test_get_instance  (TlTrace    *trace,
                                        const char *name,
                                        guint       copy);
const TlOutcome *tl_test_outcome       (TlTrace    *trace,
                                        const char *name,
                                        guint       copy);
gint64           tl_test_section_wall  (TlTrace    *trace,
                                        guint       index);

/* A probe's report (protocol version 1) of a program whose main() gathers
 * three tasks that sleep, each stepping once before it waits and once to
 * finish; fetch(2) is blocked for a while. */
extern const char tl_test_gather_report[];

/* An open trace (as a program's run) read from probe lines @lines, the
 * reader finished at @end_us; every line must be good. */
TlTrace *tl_test_read_program (const char *lines,
                               gint64      end_us);

/* Fails the test unless @trace keeps its ordering contract (tl-trace.h). */
void             tl_test_assert_event_order (TlTrace *trace);

/* What the process holds now: resident memory in KiB, open file
 * descriptors, threads (from /proc/self). */
gsize            tl_test_resident_kib  (void);
guint            tl_test_count_fds     (void);
guint            tl_test_count_threads (void);
/* Heap memory in use (allocated and not freed), in KiB: what a leak
 * grows, without what the allocator keeps (or AddressSanitizer's
 * quarantine holds) of what was freed. */
gsize            tl_test_heap_kib      (void);
/* FALSE under AddressSanitizer, whose quarantine keeps freed memory
 * resident: there only the heap in use says anything. */
gboolean         tl_test_resident_is_meaningful (void);

/* Whether folder @dir (a const char *) holds a hidden file, one whose name
 * starts with '.': what an export writes before its rename
 * (.trace.json.XXXXXX). The signature of a wait condition. */
gboolean         tl_test_has_hidden_file (gpointer dir);
gboolean         tl_test_no_hidden_file  (gpointer dir);

G_END_DECLS
