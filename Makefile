# SPDX-License-Identifier: Apache-2.0
# Convenience entry points around CMake.  `make demo` and `make test` are the README's quick
# start: each installs what is missing (as root, Debian packages), builds and runs.
#
#   make demo    release build, then scripts/demo.sh on real data
#   make test    every test under AddressSanitizer + UndefinedBehaviorSanitizer (clang,
#                -Werror), plus -Werror builds with gcc and of the replay-only configuration
#   make bench   the benchmarks of bench/ (results go in docs/performance.md by hand)
#   make vmtest  the kernel matrix (tests/vmtest): the capture checks on Debian kernels booted
#                under qemu, one line per kernel; `make test` runs it too (qemu is installed)

JOBS ?= 2
RELEASE := build/release
ASAN := build/asan
GCC := build/gcc-werror
REPLAY := build/replay-only

.PHONY: all deps build demo test test-build bench vmtest clean

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(RELEASE) -j$(JOBS)

demo: build
	@scripts/demo.sh $(RELEASE)

test-build: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
		-DSYSREC_SANITIZE=ON -DSYSREC_WERROR=ON -DSYSREC_FUZZ=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS)
	@cmake -S . -B $(GCC) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc \
		-DSYSREC_WERROR=ON >/dev/null
	@cmake --build $(GCC) -j$(JOBS)
	@cmake -S . -B $(REPLAY) -DSYSREC_REPLAY_ONLY=ON -DSYSREC_WERROR=ON >/dev/null
	@cmake --build $(REPLAY) -j$(JOBS)

test: test-build
	@cd $(ASAN) && ctest --output-on-failure
	@tests/vmtest/matrix.sh $(GCC)

bench: build
	@bench/run_format.sh $(RELEASE)
	@bench/run_replay.sh $(RELEASE)

vmtest: build
	@sh scripts/install-deps.sh
	@tests/vmtest/matrix.sh $(RELEASE)

clean:
	rm -rf build
