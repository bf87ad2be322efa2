/*
 * malloc-check MODE: checks src/malloc.c, linked statically with musl as
 * the shipped binary is (so its malloc replaces musl's). Exits 0 when the
 * mode's checks hold, 1 with a line on stderr when one does not.
 *
 *   contents   random sizes across every class and beyond: contents survive
 *              realloc up and down, blocks never overlap, 16-byte alignment
 *   calloc     zero-filled even on reused (dirty) blocks; overflow is ENOMEM
 *   aligned    aligned_alloc, posix_memalign, memalign up to a page
 *   reuse      a freed block serves the next request of its class; freed
 *              large blocks go back to the kernel (peak RSS stays flat)
 *   threads    four threads allocating and freeing at once
 *   fork       fork while other threads allocate: the child can allocate
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "malloc-check: " __VA_ARGS__); \
		fputc('\n', stderr); \
		failed = 1; \
		return; \
	} \
} while (0)

static uint64_t state = 88172645463325252u;

static uint64_t next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Sizes weighted to small ones, as a program's are, up to 600 KiB. */
static size_t random_size(void)
{
	switch (next_random() % 4) {
	case 0: return next_random() % 64;
	case 1: return next_random() % 1024;
	case 2: return next_random() % 65536;
	default: return next_random() % (600 << 10);
	}
}

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 31);
}

static int holds(const unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 31))
			return 0;
	return 1;
}

#define SLOTS 512

static void check_contents(void)
{
	unsigned char *block[SLOTS] = { 0 };
	size_t size[SLOTS] = { 0 };
	int round, i;

	for (round = 0; round < 6000; round++) {
		int k = (int)(next_random() % SLOTS);
		size_t n = random_size();
		unsigned char seed = (unsigned char)k;

		if (block[k] && !holds(block[k], size[k], seed)) {
			CHECK(0, "block %d (%zu bytes) was overwritten", k, size[k]);
		}
		if (!block[k] || next_random() % 3 == 0) {
			free(block[k]);
			block[k] = malloc(n);
		} else {
			unsigned char *q = realloc(block[k], n);
			CHECK(q, "realloc to %zu failed", n);
			CHECK(holds(q, n < size[k] ? n : size[k], seed),
			      "realloc from %zu to %zu lost the contents", size[k], n);
			block[k] = q;
		}
		CHECK(block[k], "malloc(%zu) failed", n);
		CHECK(((uintptr_t)block[k] & 15) == 0, "malloc(%zu) is not 16-byte aligned", n);
		CHECK(malloc_usable_size(block[k]) >= n, "malloc_usable_size < %zu", n);
		size[k] = n;
		fill(block[k], n, seed);
	}
	for (i = 0; i < SLOTS; i++) {
		CHECK(holds(block[i], size[i], (unsigned char)i), "block %d was overwritten", i);
		free(block[i]);
	}
	free(NULL);
}

static void check_calloc(void)
{
	size_t sizes[] = { 1, 24, 100, 4000, 70000, 300000 }, i, j;
	volatile size_t huge = SIZE_MAX - 8, many = SIZE_MAX / 8;  /* past the compiler's checks */

	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		unsigned char *dirty = malloc(sizes[i]), *p;
		memset(dirty, 0xAB, sizes[i]);
		free(dirty);
		p = calloc(1, sizes[i]);
		CHECK(p, "calloc(%zu) failed", sizes[i]);
		for (j = 0; j < sizes[i]; j++)
			CHECK(!p[j], "calloc(%zu): byte %zu is not zero", sizes[i], j);
		free(p);
	}
	errno = 0;
	CHECK(!calloc(many, 16) && errno == ENOMEM, "calloc overflow is not ENOMEM");
	errno = 0;
	CHECK(!malloc(huge) && errno == ENOMEM, "malloc(SIZE_MAX - 8) is not ENOMEM");
}

static void check_aligned(void)
{
	size_t alignment;
	void *p;

	for (alignment = 1; alignment <= 8192; alignment *= 2) {
		unsigned char *q = aligned_alloc(alignment, 1000);
		CHECK(q && ((uintptr_t)q % alignment) == 0, "aligned_alloc(%zu) is not aligned", alignment);
		fill(q, 1000, 7);
		q = realloc(q, 200000);
		CHECK(q && holds(q, 1000, 7), "realloc of aligned_alloc(%zu) lost the contents", alignment);
		free(q);
		p = memalign(alignment, 50);
		CHECK(p && ((uintptr_t)p % alignment) == 0, "memalign(%zu) is not aligned", alignment);
		free(p);
	}
	CHECK(posix_memalign(&p, 4096, 10) == 0 && ((uintptr_t)p & 4095) == 0, "posix_memalign(4096)");
	free(p);
	CHECK(posix_memalign(&p, 3, 10) == EINVAL, "posix_memalign(3) is not EINVAL");
	CHECK(!aligned_alloc(48, 10) && errno == EINVAL, "aligned_alloc(48) is not EINVAL");
}

static long peak_kb(void)
{
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}

static void check_reuse(void)
{
	void *a = malloc(100), *b;
	long before;
	int i;

	/* hub's classes: 100 bytes and the header fill a 128-byte block */
	CHECK(malloc_usable_size(a) == 112, "the allocator in use is not hub's");
	free(a);
	b = malloc(100);
	CHECK(a == b, "a freed block was not reused");
	free(b);
	before = peak_kb();
	for (i = 0; i < 50; i++) {
		char *volatile big = malloc(8 << 20);  /* volatile: no pair elided */
		CHECK(big, "malloc(8 MiB) failed");
		memset(big, 1, 8 << 20);
		free(big);
	}
	CHECK(peak_kb() - before < 4 * 8192, "freed large blocks were kept: peak grew by %ld KB",
	      peak_kb() - before);
	before = peak_kb();
	for (i = 0; i < 200; i++) {
		char *volatile small[64];
		int k;
		for (k = 0; k < 64; k++)
			memset(small[k] = malloc(1000 * (size_t)(k + 1)), 2, 1000 * (size_t)(k + 1));
		for (k = 0; k < 64; k++)
			free(small[k]);
	}
	CHECK(peak_kb() - before < 8192, "freed small blocks were not reused: peak grew by %ld KB",
	      peak_kb() - before);
}

static void *churn(void *arg)
{
	unsigned char *block[64] = { 0 };
	size_t size[64] = { 0 };
	unsigned seed = (unsigned)(uintptr_t)arg;
	int round, k;

	for (round = 0; round < 100000; round++) {
		seed = seed * 1103515245u + 12345u;
		k = (int)(seed >> 16) % 64;
		if (block[k] && !holds(block[k], size[k], (unsigned char)k))
			return (void *)1;
		free(block[k]);
		size[k] = (seed >> 8) % 3000;
		if (!(block[k] = malloc(size[k])))
			return (void *)1;
		fill(block[k], size[k], (unsigned char)k);
	}
	for (k = 0; k < 64; k++)
		free(block[k]);
	return NULL;
}

static void check_threads(void)
{
	pthread_t thread[4];
	void *result;
	int i, bad = 0;

	for (i = 0; i < 4; i++)
		CHECK(!pthread_create(&thread[i], NULL, churn, (void *)(uintptr_t)(i + 1)),
		      "pthread_create failed");
	for (i = 0; i < 4; i++) {
		pthread_join(thread[i], &result);
		bad |= result != NULL;
	}
	CHECK(!bad, "a thread found its blocks overwritten");
}

static void check_fork(void)
{
	pthread_t thread[2];
	int i, status;

	for (i = 0; i < 2; i++)
		CHECK(!pthread_create(&thread[i], NULL, churn, (void *)(uintptr_t)(i + 9)),
		      "pthread_create failed");
	for (i = 0; i < 200; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			void *p = malloc(123);
			free(p);
			_exit(p ? 0 : 1);
		}
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
		      "a child could not allocate");
	}
	for (i = 0; i < 2; i++)
		pthread_join(thread[i], NULL);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*run)(void); } modes[] = {
		{ "contents", check_contents }, { "calloc", check_calloc },
		{ "aligned", check_aligned }, { "reuse", check_reuse },
		{ "threads", check_threads }, { "fork", check_fork },
	};
	size_t i;

	for (i = 0; argc == 2 && i < sizeof(modes) / sizeof(*modes); i++)
		if (!strcmp(argv[1], modes[i].name)) {
			modes[i].run();
			return failed;
		}
	fprintf(stderr, "usage: malloc-check contents|calloc|aligned|reuse|threads|fork\n");
	return 2;
}
