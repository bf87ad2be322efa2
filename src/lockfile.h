/*
 * lockfile.h - hub's lock file (hub download --lock FILE / --locked FILE)
 * and the JSON layout it shares with a bundle's manifest.json.
 *
 * A lock file pins what a CI run fetches: each repository SPEC at the
 * commit it resolved to, each weight file with its size and SHA-256.
 *
 *   {
 *   "format": "hub-lock",
 *   "version": 1,
 *   "repositories": [
 *     {"cache_name":"alice_proj_main","commit":"<40 hex>","name":"proj","owner":"alice","ref":"main","spec":"alice/proj:main"}
 *   ],
 *   "checkpoints": [
 *     {"name":"w-0123abcd.pth","sha256":"<64 hex>","size":1234,"url":"https://..."}
 *   ]
 *   }
 *
 * Diff-friendly: one entry a line, keys sorted, entries sorted (by spec,
 * by name), no time stamp, so locking the same state twice writes the same
 * bytes and a change shows as the lines it touches. A bundle's
 * manifest.json (bundle.h) has the same "repositories" and "checkpoints"
 * (plus "entries"), printed the same way, so it reads as a lock file too.
 *
 * Memory: struct lockfile owns every string in it (lockfile_free).
 */
#ifndef HUB_LOCKFILE_H
#define HUB_LOCKFILE_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct lockfile_repo {
	char *spec;              /* owner/name:ref, the ref given or resolved */
	char *owner, *name, *ref;
	char *cache_name;        /* <owner>_<name>_<ref, / as _> */
	char *commit;            /* 40 hex digits */
};

struct lockfile_checkpoint {
	char *name;              /* in <hub dir>/checkpoints/ */
	char *url;               /* may be NULL in a bundle's manifest */
	long long size;
	char sha256[65];
};

struct lockfile {
	struct lockfile_repo *repos;
	size_t n_repos;
	struct lockfile_checkpoint *checkpoints;
	size_t n_checkpoints;
};

/* Adds an entry (copies the strings). A repository's owner, name, ref and
 * cache name come from spec (owner/name:ref). */
int lockfile_add_repo(struct lockfile *lock, const char *spec, const char *commit);
void lockfile_add_checkpoint(struct lockfile *lock, const char *name, const char *url,
			     long long size, const char *sha256);

/* The text of the file (sorts the entries in place); caller frees. */
char *lockfile_format(struct lockfile *lock);
/* Writes that text to path atomically (a temporary beside it, then a
 * rename). */
int lockfile_write(const char *path, struct lockfile *lock);

/* Reads a lock file, or a bundle's manifest.json. Any entry that is not
 * well formed (a commit that is not 40 hex digits, a cache name that is
 * not the SPEC's, a checkpoint name with a '/') is HUB_EINTEGRITY naming
 * the file and the entry. */
int lockfile_read(const char *path, struct lockfile *out);
/* The same for text in memory; path names it in messages. */
int lockfile_parse(const char *text, size_t len, const char *path, struct lockfile *out);
void lockfile_free(struct lockfile *lock);

/* The layout above for any JSON object: its members in order, one a line;
 * an array's elements one a line, each compact with its keys sorted
 * (sorted in place). Caller frees. */
char *lockfile_print_json(cJSON *root);

#endif
