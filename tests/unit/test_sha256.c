/* Unit tests: SHA-256, the accelerated path against BearSSL's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void digest_of(const void *data, size_t len, size_t chunk, int portable, char hex[65])
{
	struct sha256 ctx;
	unsigned char digest[32];
	const unsigned char *p = data;
	size_t done = 0;

	sha256_force_portable(portable);
	sha256_init(&ctx);
	while (done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		sha256_update(&ctx, p + done, n);
		done += n;
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
	sha256_force_portable(0);
}

static void known_answers(void **state)
{
	char hex[65];
	int portable;

	for (portable = 0; portable < 2; portable++) {
		digest_of("", 0, 1, portable, hex);
		assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		digest_of("abc", 3, 1, portable, hex);
		assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, 5, portable, hex);
		assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
}

static void both_implementations_agree_on_every_length(void **state)
{
	unsigned char data[1100];
	char fast[65], slow[65];
	size_t len, i, chunks[] = { 1, 3, 63, 64, 65, 4096 };

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (len = 0; len <= sizeof(data); len++) {
		digest_of(data, len, 4096, 1, slow);
		for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
			digest_of(data, len, chunks[i], 0, fast);
			assert_string_equal(fast, slow);
		}
	}
}

static void the_pipe_agrees_across_the_ring(void **state)
{
	/* 3 MiB in odd pieces: the 1 MiB ring wraps several times. */
	size_t len = 3 << 20, done, piece = 1;
	unsigned char *data = malloc(len), digest[32];
	char direct[65], piped[65];
	struct sha256_pipe *pipe = sha256_pipe_new();
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	digest_of(data, len, len, 0, direct);
	for (done = 0; done < len; done += piece, piece = piece * 7 % 300007 + 1) {
		if (piece > len - done)
			piece = len - done;
		sha256_pipe_update(pipe, data + done, piece);
	}
	sha256_pipe_final(pipe, digest);
	sha256_hex(digest, piped);
	assert_string_equal(piped, direct);

	/* After final, and after a reset, it starts over. */
	sha256_pipe_update(pipe, "junk", 4);
	sha256_pipe_reset(pipe);
	sha256_pipe_update(pipe, "abc", 3);
	sha256_pipe_final(pipe, digest);
	sha256_hex(digest, piped);
	assert_string_equal(piped, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_pipe_free(pipe);
	sha256_pipe_free(NULL);
	free(data);
}

static void names_the_implementation(void **state)
{
	const char *name = sha256_implementation();
	assert_true(!strcmp(name, "sha-ni") || !strcmp(name, "bearssl"));
	sha256_force_portable(1);
	assert_string_equal(sha256_implementation(), "bearssl");
	sha256_force_portable(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answers),
		cmocka_unit_test(both_implementations_agree_on_every_length),
		cmocka_unit_test(the_pipe_agrees_across_the_ring),
		cmocka_unit_test(names_the_implementation),
	};
	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
