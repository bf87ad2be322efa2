/*
 * bundle.h - air-gapped bundles: what `hub download ... --bundle FILE`
 * fetched (repository folders and checkpoints), written into one plain tar
 * with a manifest; and the import of such a file into another machine's
 * hub dir, without network.
 *
 * The tar holds one top folder, hub-bundle/:
 *   hub-bundle/repos/<owner>_<name>_<ref>/...   a cached repository
 *   hub-bundle/checkpoints/NAME                  a checkpoint
 *   hub-bundle/manifest.json                     last, written once the
 *                                                hashes are known
 * manifest.json: {"format": "hub-bundle", "version": 1, "hub_version",
 * "created", "repositories": [{"spec", "owner", "name", "ref", "commit",
 * "cache_name"}], "checkpoints": [{"name", "url", "size", "sha256"}],
 * "entries": [{"path", "type": "file"|"dir"|"symlink", "size", "sha256",
 * "target", "executable"}]}: every entry under hub-bundle/ but the
 * manifest, paths relative to it. Printed as lock files are (lockfile.h:
 * one entry a line, keys sorted), so `hub download --locked manifest.json`
 * fetches what the bundle holds.
 *
 * Writing streams every file once (hashing it as it is copied); memory does
 * not grow with file sizes. Import extracts into <hub dir>/.hub/tmp/ with
 * untar (which refuses hostile paths), checks every entry against the
 * manifest (size, SHA-256, type, link target; nothing missing, nothing
 * extra), and only then publishes each repository folder and checkpoint
 * with one rename, under the same locks fetch and weights take. A bundle
 * that fails any check is refused with HUB_EINTEGRITY naming the entry, and
 * the cache is left as it was. Import opens no socket.
 *
 * Memory: the caller owns the input structs; bundle_import_result's
 * strings belong to it (bundle_import_result_free).
 */
#ifndef HUB_BUNDLE_H
#define HUB_BUNDLE_H

#include <stddef.h>

struct bundle_repo {
	const char *dir;         /* <hub dir>/<cache name>, as fetched */
};

struct bundle_checkpoint {
	const char *name;        /* in <hub dir>/checkpoints/ */
	const char *url;         /* where it came from; may be NULL */
	const char *sha256;      /* known hash to check it against; may be NULL */
};

/* Writes file (through a temporary beside it, then a rename). The commit
 * and spec of each repository come from <hub dir>/.hub/refs/. */
int bundle_write(const char *file, const char *hub_dir,
		 const struct bundle_repo *repos, size_t n_repos,
		 const struct bundle_checkpoint *checkpoints, size_t n_checkpoints);

struct bundle_import_result {
	char **repos;            /* the repository folders published */
	size_t n_repos;
	char **checkpoints;      /* the checkpoint files published */
	size_t n_checkpoints;
	size_t n_unchanged;      /* repositories already there at that commit */
};

/* Imports file (a bundle tar, or the same gzipped) into hub_dir. */
int bundle_import(const char *file, const char *hub_dir, struct bundle_import_result *out);
void bundle_import_result_free(struct bundle_import_result *result);

/* Whether path's first bytes look like a bundle (a tar or a gzip). */
int bundle_sniff(const char *path);

#endif
