/*
 * repo.h - the fuzz targets' repository from one input: its text up to the
 * first line "#==> PATH" is hubconf.py, and each such line starts another
 * file (PATH: letters, digits, '_' and up to three '/', ending in ".py"),
 * so the fuzzer can grow modules and packages for imports to follow.
 */
#ifndef HUB_FUZZ_REPO_H
#define HUB_FUZZ_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "hubconf.h"

typedef void (*fuzz_repo_file_fn)(const char *path, const char *data, size_t size);

/* Writes the repository into a fresh temporary folder (each_file, when
 * not NULL, sees every file as written); 0 when the input is too large. */
int fuzz_repo_write(const uint8_t *data, size_t size, fuzz_repo_file_fn each_file);

/* Reads it as list and help do: every entry described (and its weights
 * when weights is set), every name looked up, one unknown name refused.
 * Errors are fine; a refusal must say why. */
void fuzz_repo_read(const struct hubconf_options *options, int weights);

#endif
