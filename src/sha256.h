/*
 * sha256.h - SHA-256 at the speed of the network.
 *
 * Weights are hashed while they stream in, so the hash must keep up with a
 * fast link. BearSSL's portable SHA-256 manages about 90 MB/s here, well
 * below what curl moves; x86's SHA extensions (SHA-NI) do over 1 GB/s. This
 * module uses SHA-NI when the processor has it (checked once with cpuid)
 * and BearSSL's br_sha256 otherwise; both give the same digest, which a
 * unit test checks on every length up to several blocks.
 *
 * The context is the caller's; nothing is allocated.
 */
#ifndef HUB_SHA256_H
#define HUB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

struct sha256 {
	int accelerated;           /* which of the two below is in use */
	br_sha256_context portable;
	uint32_t state[8];
	uint64_t length;           /* bytes hashed so far */
	unsigned char block[64];   /* a partial block */
	size_t filled;
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
/* The digest; ctx may be used again only after sha256_init. */
void sha256_final(struct sha256 *ctx, unsigned char digest[32]);
/* 64 lower-case hex digits and a NUL. */
void sha256_hex(const unsigned char digest[32], char hex[65]);

/*
 * The same hash on a thread of its own, for a download: sha256_pipe_update
 * copies the bytes into a bounded ring (1 MiB: memory stays flat) and
 * returns at once, so hashing overlaps receiving and writing on a second
 * core. Where no thread can be started, the caller's thread hashes. The
 * pipe is the caller's; sha256_pipe_free accepts NULL.
 */
struct sha256_pipe;

struct sha256_pipe *sha256_pipe_new(void);
void sha256_pipe_update(struct sha256_pipe *pipe, const void *data, size_t len);
/* Waits for the thread to catch up; then the pipe starts a new hash. */
void sha256_pipe_final(struct sha256_pipe *pipe, unsigned char digest[32]);
/* Forgets what was pushed: a new hash starts. */
void sha256_pipe_reset(struct sha256_pipe *pipe);
void sha256_pipe_free(struct sha256_pipe *pipe);

/* "sha-ni" or "bearssl": what sha256_init picks on this machine. */
const char *sha256_implementation(void);
/* For tests: 1 makes sha256_init pick BearSSL even where SHA-NI exists. */
void sha256_force_portable(int portable);

#endif
