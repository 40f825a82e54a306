/* SPDX-License-Identifier: Apache-2.0 */
/* The field table itself (field_get.c), shared with the registry functions (fields.c). */
#ifndef SYSREC_FIELD_TABLE_H
#define SYSREC_FIELD_TABLE_H

#include <stddef.h>

#include "fields.h"

extern const struct sr_field_def sr_field_table[];
extern const size_t sr_field_table_cnt;

#endif
