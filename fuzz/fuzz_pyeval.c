/*
 * fuzz_pyeval.c - libFuzzer target for the parser and the evaluator
 * together (pyparse.c, pyeval*.c, through hubconf.c).
 *
 * The input is a small repository (fuzz/repo.h), so generated modules can
 * import each other, cycles included.
 *
 * hubconf.py is evaluated with small caps (steps, depth, bytes), so a
 * hostile module (recursion, a loop without end, a string bomb, a deep
 * nesting) must end in an error that says why, never a crash, a hang or
 * an out-of-memory; then every entry is described, as `hub list` and
 * `hub help` do.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/pyeval/ in `make test`.
 */
#include <stdint.h>
#include <string.h>

#include "hubconf.h"
#include "repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hubconf_options options;

	memset(&options, 0, sizeof(options));
	options.max_steps = 200000;
	if (fuzz_repo_write(data, size, NULL))
		fuzz_repo_read(&options, 1);
	return 0;
}
