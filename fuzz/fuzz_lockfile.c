/*
 * fuzz_lockfile.c - libFuzzer target for lockfile.c.
 *
 * The input is lock file text. Whatever lockfile_parse accepts must name
 * only safe folders and files (a cache name without '/', never "." or
 * "..", a checkpoint name without '/' that does not start with '.'), full
 * commit ids, and must survive a round trip: its formatted text parses
 * back and formats to the same bytes. A refusal always says why.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/lockfile/ in `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lockfile.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_lock(const struct lockfile *lock)
{
	size_t i;

	for (i = 0; i < lock->n_repos; i++) {
		const struct lockfile_repo *r = &lock->repos[i];
		if (strchr(r->cache_name, '/') || !strcmp(r->cache_name, ".") ||
		    !strcmp(r->cache_name, "..") || strlen(r->commit) != 40 ||
		    strspn(r->commit, "0123456789abcdef") != 40)
			abort();
	}
	for (i = 0; i < lock->n_checkpoints; i++) {
		const struct lockfile_checkpoint *c = &lock->checkpoints[i];
		if (!*c->name || strchr(c->name, '/') || c->name[0] == '.' || strlen(c->sha256) != 64 ||
		    c->size < 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lockfile lock, again;
	char *text = NULL, *text2 = NULL;

	hub_error_clear();
	if (lockfile_parse((const char *)data, size, "fuzz", &lock) != HUB_OK) {
		if (!*hub_error_message())
			abort();
		hub_error_clear();
		return 0;
	}
	check_lock(&lock);
	text = lockfile_format(&lock);
	if (lockfile_parse(text, strlen(text), "fuzz", &again) != HUB_OK)
		abort();
	text2 = lockfile_format(&again);
	if (strcmp(text, text2))
		abort();
	lockfile_free(&lock);
	lockfile_free(&again);
	free(text);
	free(text2);
	hub_error_clear();
	return 0;
}
