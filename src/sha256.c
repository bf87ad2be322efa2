#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

#include "sha256.h"
#include "util.h"

static int force_portable;

void sha256_force_portable(int portable)
{
	force_portable = portable;
}

#ifdef HAVE_SHA_NI
static int cpu_has_sha_ni(void)
{
	static int known, has;
	unsigned a, b, c, d;

	if (!known) {
		/* SHA (leaf 7, EBX bit 29) and the SSSE3/SSE4.1 shuffles the
		 * rounds need (leaf 1, ECX bits 9 and 19). */
		has = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19)) &&
		      __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
		known = 1;
	}
	return has;
}

static const uint32_t round_constants[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/*
 * The SHA-NI instructions keep the state as two vectors, ABEF and CDGH, and
 * do two rounds per sha256rnds2. The message schedule lives in four vectors
 * of four words; EXTEND turns the oldest into the next four words
 * (W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]), which the processor
 * overlaps with the rounds, as they depend on the message alone.
 */
#define ROUNDS4(w, k)                                                         \
	do {                                                                  \
		tmp = _mm_add_epi32(w, _mm_loadu_si128(                       \
			(const __m128i *)&round_constants[k]));               \
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, tmp);                \
		tmp = _mm_shuffle_epi32(tmp, 0x0E);                           \
		abef = _mm_sha256rnds2_epu32(abef, cdgh, tmp);                \
	} while (0)
#define EXTEND(w0, w1, w2, w3)                                                \
	w0 = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), \
						_mm_alignr_epi8(w3, w2, 4)), w3)

__attribute__((target("sha,ssse3,sse4.1")))
static void compress_sha_ni(uint32_t state[8], const unsigned char *data, size_t blocks)
{
	const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i abef, cdgh, tmp, m0, m1, m2, m3, abef_saved, cdgh_saved;
	int k;

	tmp = _mm_loadu_si128((const __m128i *)&state[0]);       /* DCBA */
	cdgh = _mm_loadu_si128((const __m128i *)&state[4]);      /* HGFE */
	tmp = _mm_shuffle_epi32(tmp, 0xB1);                      /* CDAB */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1B);                    /* EFGH */
	abef = _mm_alignr_epi8(tmp, cdgh, 8);                    /* ABEF */
	cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);                 /* CDGH */

	for (; blocks; blocks--, data += 64) {
		abef_saved = abef;
		cdgh_saved = cdgh;
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)data), byteswap);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byteswap);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byteswap);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byteswap);
		ROUNDS4(m0, 0);
		ROUNDS4(m1, 4);
		ROUNDS4(m2, 8);
		ROUNDS4(m3, 12);
		for (k = 16; k < 64; k += 16) {
			EXTEND(m0, m1, m2, m3);
			ROUNDS4(m0, k);
			EXTEND(m1, m2, m3, m0);
			ROUNDS4(m1, k + 4);
			EXTEND(m2, m3, m0, m1);
			ROUNDS4(m2, k + 8);
			EXTEND(m3, m0, m1, m2);
			ROUNDS4(m3, k + 12);
		}
		abef = _mm_add_epi32(abef, abef_saved);
		cdgh = _mm_add_epi32(cdgh, cdgh_saved);
	}

	tmp = _mm_shuffle_epi32(abef, 0x1B);                     /* FEBA */
	cdgh = _mm_shuffle_epi32(cdgh, 0xB1);                    /* DCHG */
	abef = _mm_blend_epi16(tmp, cdgh, 0xF0);                 /* DCBA */
	cdgh = _mm_alignr_epi8(cdgh, tmp, 8);                    /* ABEF */
	_mm_storeu_si128((__m128i *)&state[0], abef);
	_mm_storeu_si128((__m128i *)&state[4], cdgh);
}
#else
static int cpu_has_sha_ni(void)
{
	return 0;
}

static void compress_sha_ni(uint32_t state[8], const unsigned char *data, size_t blocks)
{
	(void)state;
	(void)data;
	(void)blocks;
}
#endif

const char *sha256_implementation(void)
{
	return !force_portable && cpu_has_sha_ni() ? "sha-ni" : "bearssl";
}

void sha256_init(struct sha256 *ctx)
{
	static const uint32_t initial[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memset(ctx, 0, sizeof(*ctx));
	ctx->accelerated = !force_portable && cpu_has_sha_ni();
	if (ctx->accelerated)
		memcpy(ctx->state, initial, sizeof(initial));
	else
		br_sha256_init(&ctx->portable);
}

void sha256_update(struct sha256 *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!ctx->accelerated) {
		br_sha256_update(&ctx->portable, data, len);
		return;
	}
	ctx->length += len;
	if (ctx->filled) {
		size_t take = 64 - ctx->filled < len ? 64 - ctx->filled : len;
		memcpy(ctx->block + ctx->filled, p, take);
		ctx->filled += take;
		p += take;
		len -= take;
		if (ctx->filled < 64)
			return;
		compress_sha_ni(ctx->state, ctx->block, 1);
		ctx->filled = 0;
	}
	if (len >= 64) {
		compress_sha_ni(ctx->state, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	memcpy(ctx->block, p, len);
	ctx->filled = len;
}

void sha256_final(struct sha256 *ctx, unsigned char digest[32])
{
	uint64_t bits;
	int i;

	if (!ctx->accelerated) {
		br_sha256_out(&ctx->portable, digest);
		return;
	}
	bits = ctx->length * 8;
	ctx->block[ctx->filled++] = 0x80;
	if (ctx->filled > 56) {
		memset(ctx->block + ctx->filled, 0, 64 - ctx->filled);
		compress_sha_ni(ctx->state, ctx->block, 1);
		ctx->filled = 0;
	}
	memset(ctx->block + ctx->filled, 0, 56 - ctx->filled);
	for (i = 0; i < 8; i++)
		ctx->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress_sha_ni(ctx->state, ctx->block, 1);
	for (i = 0; i < 8; i++) {
		digest[4 * i] = (unsigned char)(ctx->state[i] >> 24);
		digest[4 * i + 1] = (unsigned char)(ctx->state[i] >> 16);
		digest[4 * i + 2] = (unsigned char)(ctx->state[i] >> 8);
		digest[4 * i + 3] = (unsigned char)ctx->state[i];
	}
}

void sha256_hex(const unsigned char digest[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

#define PIPE_RING (1 << 20)

struct sha256_pipe {
	struct sha256 ctx;
	unsigned char *ring;
	/* Bytes pushed and bytes hashed since the start: the ring holds
	 * [hashed, pushed). Guarded by lock; the ring's bytes in that range
	 * belong to the thread until hashed moves past them. */
	unsigned long long pushed, hashed;
	int stopping;
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

static void *pipe_thread(void *arg)
{
	struct sha256_pipe *pipe = arg;

	pthread_mutex_lock(&pipe->lock);
	for (;;) {
		size_t offset, n;

		while (pipe->hashed == pipe->pushed && !pipe->stopping)
			pthread_cond_wait(&pipe->changed, &pipe->lock);
		if (pipe->hashed == pipe->pushed)
			break;
		offset = (size_t)(pipe->hashed % PIPE_RING);
		n = (size_t)(pipe->pushed - pipe->hashed);
		if (n > PIPE_RING - offset)
			n = PIPE_RING - offset;
		pthread_mutex_unlock(&pipe->lock);
		sha256_update(&pipe->ctx, pipe->ring + offset, n);
		pthread_mutex_lock(&pipe->lock);
		pipe->hashed += n;
		pthread_cond_broadcast(&pipe->changed);
	}
	pthread_mutex_unlock(&pipe->lock);
	return NULL;
}

struct sha256_pipe *sha256_pipe_new(void)
{
	struct sha256_pipe *pipe = xcalloc(1, sizeof(*pipe));

	sha256_init(&pipe->ctx);
	pipe->ring = xmalloc(PIPE_RING);
	pthread_mutex_init(&pipe->lock, NULL);
	pthread_cond_init(&pipe->changed, NULL);
	pipe->threaded = !pthread_create(&pipe->thread, NULL, pipe_thread, pipe);
	return pipe;
}

void sha256_pipe_update(struct sha256_pipe *pipe, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!pipe->threaded) {
		sha256_update(&pipe->ctx, data, len);
		return;
	}
	pthread_mutex_lock(&pipe->lock);
	while (len) {
		size_t offset, n;

		while (pipe->pushed - pipe->hashed == PIPE_RING)
			pthread_cond_wait(&pipe->changed, &pipe->lock);
		offset = (size_t)(pipe->pushed % PIPE_RING);
		n = PIPE_RING - (size_t)(pipe->pushed - pipe->hashed);
		if (n > PIPE_RING - offset)
			n = PIPE_RING - offset;
		if (n > len)
			n = len;
		/* The thread never touches [pushed, hashed + PIPE_RING). */
		pthread_mutex_unlock(&pipe->lock);
		memcpy(pipe->ring + offset, p, n);
		pthread_mutex_lock(&pipe->lock);
		pipe->pushed += n;
		p += n;
		len -= n;
		pthread_cond_broadcast(&pipe->changed);
	}
	pthread_mutex_unlock(&pipe->lock);
}

/* Waits until the thread has hashed all that was pushed. */
static void pipe_drain(struct sha256_pipe *pipe)
{
	if (!pipe->threaded)
		return;
	pthread_mutex_lock(&pipe->lock);
	while (pipe->hashed != pipe->pushed)
		pthread_cond_wait(&pipe->changed, &pipe->lock);
	pthread_mutex_unlock(&pipe->lock);
}

void sha256_pipe_final(struct sha256_pipe *pipe, unsigned char digest[32])
{
	pipe_drain(pipe);
	sha256_final(&pipe->ctx, digest);
	sha256_init(&pipe->ctx);
}

void sha256_pipe_reset(struct sha256_pipe *pipe)
{
	pipe_drain(pipe);
	sha256_init(&pipe->ctx);
}

void sha256_pipe_free(struct sha256_pipe *pipe)
{
	if (!pipe)
		return;
	if (pipe->threaded) {
		pthread_mutex_lock(&pipe->lock);
		pipe->stopping = 1;
		pthread_cond_broadcast(&pipe->changed);
		pthread_mutex_unlock(&pipe->lock);
		pthread_join(pipe->thread, NULL);
	}
	pthread_mutex_destroy(&pipe->lock);
	pthread_cond_destroy(&pipe->changed);
	free(pipe->ring);
	free(pipe);
}
