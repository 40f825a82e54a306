# SPDX-License-Identifier: Apache-2.0
# The build workload: compile every .c of $(SRC) into $(OBJ) and archive them, as a small C
# project's `make -j2` does.  Run with -B to rebuild everything.
#   make -f bench/workloads/build.mk -B -j2 SRC=format OBJ=/tmp/objs
SRC ?= format
OBJ ?= /tmp/sysrec-bench/build-objs
CC ?= cc
CFLAGS ?= -O2 -g -Wall -D_GNU_SOURCE

srcs := $(wildcard $(SRC)/*.c)
objs := $(patsubst $(SRC)/%.c,$(OBJ)/%.o,$(srcs))

$(OBJ)/libworkload.a: $(objs)
	ar rcs $@ $^

$(OBJ)/%.o: $(SRC)/%.c | $(OBJ)
	$(CC) $(CFLAGS) -I$(SRC) -c $< -o $@

$(OBJ):
	mkdir -p $@
