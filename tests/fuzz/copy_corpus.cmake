# SPDX-License-Identifier: Apache-2.0
# ctest fixture: a fresh, writable copy of a seed corpus for a time-limited libFuzzer run
# (libFuzzer adds what it finds to its first corpus directory; the committed one stays as is).
#   cmake -DSRC=<corpus dir> -DDST=<copy> -P copy_corpus.cmake
file(REMOVE_RECURSE "${DST}")
file(COPY "${SRC}/" DESTINATION "${DST}")
