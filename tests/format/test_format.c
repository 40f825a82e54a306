// SPDX-License-Identifier: Apache-2.0
/*
 * test_format: the trace file format's cases (format/).  Run all, or some by name:
 *
 *	test_format                       every case
 *	test_format test_props__replace   one case
 *	test_format 'test_truncate__*'    a glob
 *	test_format -l                    list them
 */
#include "format_tests.h"
#include "test.h"

static const struct test_case cases[] = {
	TEST_CASE(test_crc32c__known_vector),
	TEST_CASE(test_crc32c__incremental),
	TEST_CASE(test_varint__round_trip),
	TEST_CASE(test_varint__truncated_and_overlong),
	TEST_CASE(test_zigzag__edges),
	TEST_CASE(test_props__round_trip),
	TEST_CASE(test_props__replace),
	TEST_CASE(test_props__bad_names),
	TEST_CASE(test_props__unknown_kind),
	TEST_CASE(test_props__malformed),
	TEST_CASE(test_roundtrip__million_records),
	TEST_CASE(test_writer__file_mode),
	TEST_CASE(test_writer__empty_trace),
	TEST_CASE(test_writer__catalog_full),
	TEST_CASE(test_truncate__chunk_boundaries),
	TEST_CASE(test_truncate__every_prefix),
	TEST_CASE(test_corrupt__flipped_bits),
	TEST_CASE(test_structure__unknown_block_type),
	TEST_CASE(test_structure__unknown_block_before_index),
	TEST_CASE(test_structure__unknown_column),
	TEST_CASE(test_structure__version_and_magic),
	TEST_CASE(test_structure__bad_lengths),
	TEST_CASE(test_structure__bad_index),
	TEST_CASE(test_writer__efbig),
	TEST_CASE(test_writer__bad_opts),
	TEST_CASE(test_writer__bad_records),
	TEST_CASE(test_writer__flush_then_read),
	TEST_CASE(test_writer__rotate),
	TEST_CASE(test_reader__seek_time),
	TEST_CASE(test_reader__seek_time_no_index),
	TEST_CASE(test_reader__rewind),
	TEST_CASE(test_reader__chunk_filter),
	TEST_CASE(test_errors__documented),
	TEST_CASE(test_text_escape__bytes),
	TEST_CASE(test_text_escape__utf8),
	TEST_CASE(test_text_escape__invalid_utf8),
	TEST_CASE(test_text_escape__capacity),
	TEST_CASE(test_text_escape__round_trip),
	TEST_CASE(test_faults__reader),
	TEST_CASE(test_faults__reader_no_index),
	TEST_CASE(test_faults__writer),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
