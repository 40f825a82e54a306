/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C (Castagnoli), the checksum of every block in a trace file. */
#ifndef SYSREC_CRC32C_H
#define SYSREC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * crc32c - extend a CRC-32C over @sz bytes.
 * @crc: 0 to start, or a previous result to continue.
 * @return the CRC of everything so far (standard init/final xor of 0xffffffff are applied, so
 *         crc32c(0, "123456789", 9) == 0xe3069283).
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t sz);

#endif
