/* SPDX-License-Identifier: Apache-2.0 */
/* The cases of the test_format executable; the table is in test_format.c. */
#ifndef SYSREC_FORMAT_TESTS_H
#define SYSREC_FORMAT_TESTS_H

#include <stdbool.h>

#include "rec_gen.h"
#include "trace_reader.h"

/* test_bytes.c */
void test_crc32c__known_vector(void);
void test_crc32c__incremental(void);
void test_varint__round_trip(void);
void test_varint__truncated_and_overlong(void);
void test_zigzag__edges(void);

/* test_props.c */
void test_props__round_trip(void);
void test_props__replace(void);
void test_props__bad_names(void);
void test_props__unknown_kind(void);
void test_props__malformed(void);

/* test_roundtrip.c */
void test_roundtrip__million_records(void);
void test_writer__file_mode(void);
void test_writer__empty_trace(void);
void test_writer__catalog_full(void);
/* Compare a summary with what was written (and its catalog when @catalog). */
bool tf_check_summary(const struct trace_summary *s, const struct rec_expect *e, bool catalog);

/* test_damage.c */
void test_truncate__chunk_boundaries(void);
void test_truncate__every_prefix(void);
void test_corrupt__flipped_bits(void);

/* test_structure.c */
void test_structure__unknown_block_type(void);
void test_structure__unknown_block_before_index(void);
void test_structure__unknown_column(void);
void test_structure__version_and_magic(void);
void test_structure__bad_lengths(void);
void test_structure__bad_index(void);

/* test_writer.c */
void test_writer__efbig(void);
void test_writer__bad_opts(void);
void test_writer__bad_records(void);
void test_writer__flush_then_read(void);
void test_writer__rotate(void);

/* test_seek.c */
void test_reader__seek_time(void);
void test_reader__seek_time_no_index(void);
void test_reader__rewind(void);
void test_reader__chunk_filter(void);

/* test_errors.c */
void test_errors__documented(void);

/* test_faults.c */
void test_faults__reader(void);
void test_faults__reader_no_index(void);
void test_faults__writer(void);

/* test_text_escape.c */
void test_text_escape__bytes(void);
void test_text_escape__utf8(void);
void test_text_escape__invalid_utf8(void);
void test_text_escape__capacity(void);
void test_text_escape__round_trip(void);

#endif
