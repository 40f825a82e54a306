// SPDX-License-Identifier: Apache-2.0
/*
 * Plain driver for the fuzz targets (zstd's regression_driver.c, libpcap's onefile.c): runs
 * LLVMFuzzerTestOneInput() on every file named on the command line and every file in every
 * directory named there, in name order.  Built with any compiler, no libFuzzer needed, so the
 * committed corpus runs under ctest (and under ASan/UBSan in the sanitizer build).
 *
 * Exit status: 0 when every input ran (a failed invariant aborts), 1 when an input could not
 * be read or no input was found.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int _run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;
	int err = -1;

	if (!f) {
		fprintf(stderr, "replay_driver: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	/* exactly sz bytes, so ASan sees any read past the input */
	buf = malloc(sz ? (size_t)sz : 1);
	if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz)
		goto out;
	LLVMFuzzerTestOneInput(buf, (size_t)sz);
	err = 0;
out:
	if (err)
		fprintf(stderr, "replay_driver: cannot read '%s'\n", path);
	free(buf);
	fclose(f);
	return err;
}

static int _cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of @dir; @return the count, or -1. */
static int _run_dir(const char *dir)
{
	char **names = NULL, path[4096];
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	int ran = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "replay_driver: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			char **n = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));

			if (!n)
				break;
			names = n;
		}
		names[cnt] = strdup(de->d_name);
		if (names[cnt])
			cnt++;
	}
	closedir(d);
	qsort(names, cnt, sizeof(*names), _cmp);
	for (size_t i = 0; i < cnt; i++) {
		struct stat st;

		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= (int)sizeof(path) ||
		    stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (_run_file(path)) {
			ran = -1;
			break;
		}
		ran++;
	}
	for (size_t i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	int total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int n;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay_driver: cannot open '%s': %s\n", argv[i],
				strerror(errno));
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? _run_dir(argv[i]) : _run_file(argv[i]) ? -1 : 1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replay_driver: %d inputs ran\n", total);
	if (!total) {
		fprintf(stderr, "replay_driver: no input found\n");
		return 1;
	}
	return 0;
}
