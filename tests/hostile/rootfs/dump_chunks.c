// SPDX-License-Identifier: Apache-2.0
/*
 * Writes to stdout every zstd frame found in a file, decompressed (a trace's chunk blocks are
 * zstd frames: this shows their records' bytes, whatever the reader makes of them), so that a
 * test can grep all of a trace for what must not be in it.  Bytes that look like a frame's
 * magic but are not one are skipped.
 *   dump_chunks FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

int main(int argc, char **argv)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	unsigned char *buf, out[1 << 16];
	size_t len = 0, cap = 1 << 20, frames = 0;
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "rb")) || !dctx) {
		fprintf(stderr, "usage: dump_chunks FILE\n");
		return 2;
	}
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (len < cap)
			break;
		buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		return 1;
	for (size_t off = 0; off + 4 <= len; off++) {
		size_t fsz;

		if (memcmp(buf + off, magic, 4))
			continue;
		fsz = ZSTD_findFrameCompressedSize(buf + off, len - off);
		if (ZSTD_isError(fsz))
			continue;
		ZSTD_inBuffer in = { buf + off, fsz, 0 };
		ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
		while (in.pos < in.size) {
			ZSTD_outBuffer o = { out, sizeof(out), 0 };
			size_t r = ZSTD_decompressStream(dctx, &o, &in);

			fwrite(out, 1, o.pos, stdout);
			if (ZSTD_isError(r) || (!r && !o.pos))
				break;
		}
		frames++;
		off += fsz - 1;
	}
	fprintf(stderr, "%zu frames\n", frames);
	free(buf);
	ZSTD_freeDCtx(dctx);
	return frames ? 0 : 1;
}
