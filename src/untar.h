/*
 * untar.h - a streaming gzip + tar reader that extracts a GitHub archive
 * into a folder as its bytes arrive, refusing anything that could write or
 * point outside that folder.
 *
 * Push decoder, in the manner of BearSSL: the caller feeds the compressed
 * bytes in whatever chunks the network delivers (untar_push), then says the
 * stream is over (untar_finish). Nothing is held whole: memory is one tar
 * header block, zlib's window, a 64 KiB inflate buffer and extended headers
 * up to max_pax bytes, whatever the archive's size. File contents are
 * written as they are decompressed.
 *
 * What the caller MUST know:
 * - The destination is an existing folder the caller created for this one
 *   extraction (empty, inside the hub dir). untar never writes outside it: it
 *   walks every path with O_NOFOLLOW directory fds and never follows a
 *   symlink, including one it created itself.
 * - On any error, what was written so far stays in the destination. The
 *   caller removes the whole folder (remove_tree); untar does not clean up.
 *   After an error the struct is dead: every later call returns the same
 *   status again, and untar_free is the only thing left to do.
 * - untar_finish is what proves the archive whole: it checks the gzip
 *   trailer (CRC-32 and length) of every member and that the tar stream ended
 *   between entries. Never use the destination before it returns HUB_OK.
 * - Nothing is fsynced; a caller that renames the folder into place decides
 *   about durability.
 *
 * Errors (err.h status, one-line message through hub_error):
 *   HUB_EINTEGRITY  damaged or truncated data: "archive: corrupt gzip data
 *                   (...)", "archive: truncated ...", "archive: damaged tar
 *                   header at byte N (...)"; and entries refused for safety:
 *                   "archive: refusing entry 'NAME': <reason>" (NAME as the
 *                   archive spells it, top folder included); and an archive
 *                   that is not one top folder: "archive: more than one top
 *                   folder ('a', 'b')", or "archive: not a single top folder
 *                   ('X' is a file)" when the file X comes first.
 *   HUB_EFAIL       the destination could not be written ("cannot write
 *                   'NAME': <strerror>").
 *
 * Refused (hub(1), SECURITY): absolute paths, ".." components, NUL or
 * control bytes in names, names longer than max_path, names empty after the
 * top folder is stripped, any entry whose path goes through a symlink,
 * symlinks whose target is absolute or leaves the tree, hard links to
 * anything but an earlier regular file inside the tree, device files, fifos
 * and unknown entry types, a regular file replacing a directory, an entry
 * over max_entry_size, more than max_total_size bytes in all, more than
 * max_entries entries, extended headers over max_pax bytes.
 *
 * Kept: regular files (created 0666, or 0777 when the archive gives any
 * execute bit, then the umask applies, as git checkout does), directories
 * (0777 & ~umask), symlinks inside the tree (as symlinks; torch.hub's zip
 * extraction would have made them files), hard links (as hard links).
 * Ignored: mtimes, owners, other modes, pax attributes other than path,
 * linkpath and size. A later entry with the same path replaces the earlier
 * one (tar semantics), never by writing through it.
 *
 * Memory: the struct and everything it holds belong to untar; the strings
 * untar_commit and untar_top return live until untar_free.
 */
#ifndef HUB_UNTAR_H
#define HUB_UNTAR_H

#include <stddef.h>

struct untar;

struct untar_options {
	unsigned long long max_entry_size; /* bytes in one file; default 2 GiB */
	unsigned long long max_total_size; /* bytes in all files; default 4 GiB */
	unsigned long max_entries;         /* entries, headers excluded; default 1000000 */
	size_t max_path;                   /* bytes in a name or link target; default 4096 */
	size_t max_pax;                    /* bytes in a pax or GNU long-name header; default 1 MiB */
	int strip_top;                     /* extract the single top folder's contents; default 1 */
};

/* The defaults above. A NULL options pointer anywhere means these. */
void untar_options_init(struct untar_options *opts);

/*
 * Starts an extraction into the folder dest, opened relative to dirfd as
 * openat() does (AT_FDCWD for the working directory; "." for dirfd itself).
 * untar keeps its own descriptor: the caller may close dirfd at once.
 */
int untar_open(struct untar **out, int dirfd, const char *dest,
	       const struct untar_options *opts);

/* Feeds the next len bytes of the .tar.gz stream (len may be 0). */
int untar_push(struct untar *u, const void *data, size_t len);

/* The stream is over: HUB_OK only when the archive was whole and every
 * entry was written. Closes the files and folders untar held open. After
 * it, only untar_commit, untar_top and untar_free may be called. */
int untar_finish(struct untar *u);

/*
 * The commit id (40 or 64 lower-case hex) from the pax global header's
 * "comment" record that git archive writes, which is what
 * `git get-tar-commit-id` prints; NULL when the archive has none. Known once
 * the first header has been pushed.
 */
const char *untar_commit(const struct untar *u);

/* The top folder's name as the archive spells it ("owner-name-sha7"), NULL
 * before the first entry or when strip_top is off. */
const char *untar_top(const struct untar *u);

/* Accepts NULL. Closes whatever is still open; leaves the files. */
void untar_free(struct untar *u);

/*
 * Extracts the .tar.gz file at path into dest (relative to the working
 * directory) in one call, reading it in 64 KiB chunks. commit_out, when not
 * NULL, receives the commit id (or "") and must hold 65 bytes.
 */
int untar_file(const char *path, const char *dest,
	       const struct untar_options *opts, char *commit_out);

#endif
