/*
 * fuzz_spec.c - libFuzzer target for spec.c.
 *
 * The input is SPEC text (cut at the first NUL). Whatever spec_parse
 * accepts must be safe to turn into a path under the hub dir and must
 * survive a round trip: no '/' in the cache name, never "." or "..", no
 * control bytes or spaces anywhere, and spec_display parses back to the
 * same owner, name and ref.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/spec/ in `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "spec.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clean(const char *s)
{
	const unsigned char *p;

	if (!*s)
		abort();
	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct spec spec, again;
	char *cache = NULL, *display = NULL;

	if (spec_parse(text, &spec) == HUB_OK) {
		check_clean(spec.owner);
		check_clean(spec.name);
		if (spec.ref) {
			check_clean(spec.ref);
			if (strstr(spec.ref, ".."))
				abort();
		}
		cache = spec_cache_name(spec.owner, spec.name, spec.ref ? spec.ref : "main");
		if (strchr(cache, '/') || !strcmp(cache, ".") || !strcmp(cache, ".."))
			abort();
		display = spec_display(&spec);
		if (spec_parse(display, &again) != HUB_OK ||
		    strcmp(again.owner, spec.owner) || strcmp(again.name, spec.name) ||
		    (!spec.ref) != (!again.ref) || (spec.ref && strcmp(spec.ref, again.ref)))
			abort();
		spec_free(&again);
		spec_free(&spec);
	} else if (!*hub_error_message()) {
		abort(); /* a refusal always says why */
	}
	hub_error_clear();
	free(cache);
	free(display);
	free(text);
	return 0;
}
