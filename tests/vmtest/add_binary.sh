#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Put BINARY into PAYLOAD_DIR/bin with the shared libraries it needs (and the dynamic loader)
# under PAYLOAD_DIR/rootlibs at their own absolute paths; the guest's /init copies those to /.
# (sysrec links libbpf, libelf, libzstd, libcjson and libpcap; Debian ships no static cJSON.)
# Usage: add_binary.sh PAYLOAD_DIR BINARY [NAME]
set -euo pipefail
dir=$1 bin=$2 name=${3:-$(basename "$2")}
mkdir -p "$dir/bin" "$dir/rootlibs"
cp -L "$bin" "$dir/bin/$name"
ldd "$bin" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }' | while read -r lib; do
	mkdir -p "$dir/rootlibs$(dirname "$lib")"
	cp -L "$lib" "$dir/rootlibs$lib"
done
