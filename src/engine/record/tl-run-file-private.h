/* tl-run-file-private.h — the layout of a run file, shared by its writer
 * and its reader
 *
 * Copyright 2026 The Tasklanes authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/run-file.md describes the format in words; these are its numbers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The header, not compressed: the signature, the format number, zeros. */
#define TL_RUN_FILE_SIGNATURE      "\x89TLRUN\r\n"
#define TL_RUN_FILE_SIGNATURE_SIZE 8
#define TL_RUN_FILE_HEADER_SIZE    16

/* A part's tag: four letters, read as a little-endian u32. */
#define TL_RUN_TAG(a, b, c, d) ((guint32) (a) | ((guint32) (b) << 8) | ((guint32) (c) << 16) | ((guint32) (d) << 24))
#define TL_RUN_TAG_INFO TL_RUN_TAG ('I', 'N', 'F', 'O')
#define TL_RUN_TAG_SRC  TL_RUN_TAG ('S', 'R', 'C', ' ')
#define TL_RUN_TAG_PROG TL_RUN_TAG ('P', 'R', 'O', 'G')   /* programs only, after SRC */
#define TL_RUN_TAG_INST TL_RUN_TAG ('I', 'N', 'S', 'T')
#define TL_RUN_TAG_WARN TL_RUN_TAG ('W', 'A', 'R', 'N')
#define TL_RUN_TAG_SECT TL_RUN_TAG ('S', 'E', 'C', 'T')
#define TL_RUN_TAG_CPU  TL_RUN_TAG ('C', 'P', 'U', ' ')   /* optional, after SECT */
#define TL_RUN_TAG_EVNT TL_RUN_TAG ('E', 'V', 'N', 'T')
#define TL_RUN_TAG_TOTL TL_RUN_TAG ('T', 'O', 'T', 'L')
#define TL_RUN_TAG_END  TL_RUN_TAG ('E', 'N', 'D', ' ')

#define TL_RUN_NULL_STRING   G_MAXUINT32
#define TL_RUN_EVENT_SIZE    24u
/* The smallest instance record: fixed fields, two absent strings, no HTTP. */
#define TL_RUN_MIN_INSTANCE_SIZE (28u + 48u + 2u + 4u + 4u + 1u)
/* The smallest PROG record: two empty strings, a line, no traceback. */
#define TL_RUN_MIN_PROGRAM_TASK_SIZE (4u + 4u + 4u + 4u)

/* Largest INFO part read, and largest program output kept. */
#define TL_RUN_MAX_INFO_SIZE   (64 * 1024)
#define TL_RUN_MAX_OUTPUT_SIZE (4 * 1024 * 1024)

G_END_DECLS
