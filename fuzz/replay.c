/*
 * replay.c - runs a libFuzzer target's LLVMFuzzerTestOneInput over files
 * (or every file in folders) without libFuzzer, so `make test` replays the
 * seed corpora with any compiler. Linked with one fuzz_NAME.c each.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *self, const char *path)
{
	struct buf in = BUF_INIT(16 << 20, "input");

	if (read_file(path, &in)) {
		fprintf(stderr, "%s: %s\n", self, hub_error_message());
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf_str(&in), in.len);
	buf_free(&in);
	return 0;
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int i, failed = 0, runs = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			failed = 1;
		} else if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort), j;

			for (j = 0; j < n; j++) {
				char *path = path_join(argv[i], names[j]->d_name);
				if (names[j]->d_name[0] != '.' && !path_is_dir(path)) {
					failed |= run_file(self, path);
					runs++;
				}
				free(path);
				free(names[j]);
			}
			free(n >= 0 ? names : NULL);
		} else {
			failed |= run_file(self, argv[i]);
			runs++;
		}
	}
	printf("%s: %d inputs replayed\n", self, runs);
	return failed;
}
