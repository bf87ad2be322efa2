/*
 * malloc.c - the memory allocator of the static binary.
 *
 * musl's allocator gives memory back to the kernel as soon as a group of
 * blocks is free. For hub's pattern (parse a module into growing arrays,
 * evaluate it, free, go on to the next) that is an mmap, a munmap and fresh
 * zero-filled pages for nearly every module: half of the time of a cold
 * `hub list pytorch/vision` went to mmap, munmap, madvise and page faults.
 * hub is a short-lived process with a peak of a few MB, so this allocator
 * keeps what is freed for the next request of its size:
 *
 *   small blocks   (up to 256 KiB with the header) in 51 size classes, four
 *                  per doubling above 128 bytes, carved from 4 MiB regions
 *                  mapped as needed (pages are touched only when used); a
 *                  freed block goes on its class's free list
 *   large blocks   their own mapping; realloc moves them with mremap, free
 *                  unmaps them
 *
 * Every block starts with a 16-byte header, so pointers keep malloc's
 * 16-byte alignment: a small block's class, or a large block's mapping
 * length and the distance from the mapping's start (non-zero only for
 * aligned_alloc beyond 16). One lock, for curl's resolver thread and the
 * SHA-256 pipe; it is held across fork so a child never finds it taken.
 *
 * Built into the musl binary only (-DHUB_MALLOC): the glibc build, its
 * sanitizers and the fuzzers use the C library's allocator, which the
 * sanitizers check.
 */
#ifdef HUB_MALLOC

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADER 16
#define CLASS_COUNT 51
#define SMALL_MAX ((size_t)1 << 18)     /* the largest small block, header included */
#define REGION ((size_t)4 << 20)
#define PAGE ((size_t)4096)

struct header {
	size_t size;    /* small: the class; large: the mapping's length */
	size_t offset;  /* large: from the mapping's start to this header */
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];
static char *region_next, *region_end;
static int lock_word;

/* Prototypes for what the C library declares only under other feature
 * macros; the definitions below replace musl's. */
void *memalign(size_t alignment, size_t size);
size_t malloc_usable_size(void *p);

static void lock(void)
{
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void unlock(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void lock_across_fork(void)
{
	pthread_atfork(lock, unlock, unlock);
}

/* The smallest class whose blocks hold need bytes (header included). */
static unsigned class_of(size_t need)
{
	unsigned bit;
	size_t step;

	if (need <= 128)
		return need <= 32 ? 0 : (unsigned)((need + 15) / 16) - 2;
	bit = 63 - (unsigned)__builtin_clzl(need - 1);   /* 2^bit < need <= 2^(bit+1) */
	step = (size_t)1 << (bit - 2);
	return 7 + (bit - 7) * 4 + (unsigned)((need - ((size_t)1 << bit) + step - 1) / step) - 1;
}

static size_t class_size(unsigned c)
{
	unsigned bit;

	if (c < 7)
		return 32 + 16 * (size_t)c;
	bit = 7 + (c - 7) / 4;
	return ((size_t)1 << bit) + ((c - 7) % 4 + 1) * ((size_t)1 << (bit - 2));
}

static struct header *header_of(void *p)
{
	return (struct header *)((char *)p - HEADER);
}

static int is_small(const struct header *h)
{
	return h->size < CLASS_COUNT;
}

static size_t usable(const struct header *h)
{
	return is_small(h) ? class_size((unsigned)h->size) - HEADER : h->size - h->offset - HEADER;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* A region. The first is plain pages, so a short run touches only what it
 * uses; the next ones are on a 2 MiB boundary and asked to be backed by huge
 * pages: the trees of a big repository touch tens of megabytes once, and a
 * fault per 4 KiB page was a quarter of a cold `hub list pytorch/vision`
 * (4,700 faults, 1,400 with huge pages). */
static void *map_region(void)
{
	static int regions;
	size_t huge = (size_t)2 << 20;
	char *p, *start;

	if (regions++ == 0)
		return map(REGION);
	if (!(p = map(REGION + huge)))
		return NULL;
	/* the slack around the aligned region stays mapped and untouched
	 * (it costs address space only; unmapping it is two system calls and
	 * a TLB flush on every other thread). Where huge pages are off or
	 * none is free, the kernel backs the region with small pages. */
	start = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
	madvise(start, REGION, MADV_HUGEPAGE);
	return start;
}

static size_t page_round(size_t n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static void *small_alloc(unsigned c)
{
	size_t size = class_size(c);
	struct header *h;

	lock();
	if (free_lists[c]) {
		h = (struct header *)free_lists[c];
		free_lists[c] = free_lists[c]->next;
	} else {
		if ((size_t)(region_end - region_next) < size) {
			char *region = map_region();
			if (!region) {
				unlock();
				return NULL;
			}
			region_next = region;
			region_end = region + REGION;
		}
		h = (struct header *)region_next;
		region_next += size;
	}
	unlock();
	h->size = c;
	h->offset = 0;
	return (char *)h + HEADER;
}

/* A mapping of its own: size bytes aligned to alignment (16 to PAGE and
 * beyond), fresh from the kernel and so zero-filled. */
static void *large_alloc(size_t size, size_t alignment)
{
	size_t slack = alignment > HEADER ? alignment : 0, len;
	char *base, *p;
	struct header *h;

	if (size > SIZE_MAX / 2 - slack - PAGE) {
		errno = ENOMEM;
		return NULL;
	}
	len = page_round(size + HEADER + slack);
	if (!(base = map(len))) {
		errno = ENOMEM;
		return NULL;
	}
	p = base + HEADER;
	if (slack)
		p = (char *)(((uintptr_t)p + alignment - 1) & ~(uintptr_t)(alignment - 1));
	h = header_of(p);
	h->size = len;
	h->offset = (size_t)((char *)h - base);
	return p;
}

/* malloc itself, under a name the compiler does not treat as malloc (it
 * would call reading the header before the block out of bounds). */
static void *allocate(size_t size)
{
	void *p;

	if (size <= SMALL_MAX - HEADER) {
		if (!(p = small_alloc(class_of(size + HEADER))))
			errno = ENOMEM;
		return p;
	}
	return large_alloc(size, HEADER);
}

void *malloc(size_t size)
{
	return allocate(size);
}

void free(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	if (is_small(h)) {
		struct free_block *b = (struct free_block *)h;
		unsigned c = (unsigned)h->size;
		lock();
		b->next = free_lists[c];
		free_lists[c] = b;
		unlock();
		return;
	}
	munmap((char *)h - h->offset, h->size);
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (!(p = allocate(count * size)))
		return NULL;
	if (is_small(header_of(p)))
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	struct header *h;
	void *q;

	if (!p)
		return allocate(size);
	h = header_of(p);
	if (size <= usable(h) && (is_small(h) || size > SMALL_MAX - HEADER))
		return p;
	if (!is_small(h) && !h->offset && size > SMALL_MAX - HEADER) {
		size_t len;
		if (size > SIZE_MAX / 2) {
			errno = ENOMEM;
			return NULL;
		}
		len = page_round(size + HEADER);
		q = mremap(h, h->size, len, MREMAP_MAYMOVE);
		if (q == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		((struct header *)q)->size = len;
		return (char *)q + HEADER;
	}
	if (!(q = allocate(size)))
		return NULL;
	memcpy(q, p, usable(h) < size ? usable(h) : size);
	free(p);
	return q;
}

void *aligned_alloc(size_t alignment, size_t size)
{
	if (!alignment || (alignment & (alignment - 1))) {
		errno = EINVAL;
		return NULL;
	}
	if (alignment <= HEADER)
		return allocate(size);
	return large_alloc(size, alignment);
}

void *memalign(size_t alignment, size_t size)
{
	return aligned_alloc(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
	void *p;

	if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	if (!(p = aligned_alloc(alignment, size)))
		return ENOMEM;
	*out = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return p ? usable(header_of(p)) : 0;
}

#else
/* An empty translation unit is not ISO C. */
typedef int hub_malloc_not_built;
#endif
