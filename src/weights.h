/*
 * weights.h - checkpoint downloads, as torch.hub's load_state_dict_from_url
 * and download_url_to_file make them, plus what they lack: SHA-256 computed
 * while the bytes stream (BearSSL), resume across runs, several URLs at once,
 * a per-file lock, and a record of every checkpoint hub fetched.
 *
 * Layout under the hub dir:
 *   checkpoints/NAME              the file, published by rename, umask modes
 *   .hub/partial/NAME.part        an unfinished download (resumable)
 *   .hub/partial/NAME.json        its URL, ETag / Last-Modified and size
 *   .hub/weights/NAME.json        the manifest: URL, size, SHA-256 of NAME,
 *                                 one small file per checkpoint, replaced
 *                                 atomically, so concurrent writers never
 *                                 corrupt each other's records
 *   .hub/locks/checkpoint-NAME.lock   one process fetches NAME at a time
 *
 * Memory: the caller owns struct weight_job's input strings (they must
 * outlive the call); the output strings belong to the job and are released
 * by weight_job_free. Lists returned by weights_scan and weights_verify are
 * the caller's, released with their *_free functions.
 */
#ifndef HUB_WEIGHTS_H
#define HUB_WEIGHTS_H

#include <stddef.h>

enum weight_state {
	WEIGHT_QUEUED = 0,
	WEIGHT_ACTIVE,          /* bytes are flowing */
	WEIGHT_DONE,            /* downloaded and published */
	WEIGHT_PRESENT,         /* already in checkpoints/: not fetched */
	WEIGHT_FAILED
};

struct weight_job {
	/* Input. */
	const char *url;
	const char *output;      /* -o FILE: this file instead of checkpoints/,
				  * always fetched, like download_url_to_file */
	const char *file_name;   /* the name in checkpoints/ instead of the
				  * basename of the URL's path */
	const char *hash_prefix; /* expected leading hex digits of the SHA-256 */
	int check_hash;          /* take the prefix from the name (-<hex>.) */

	/* Output. */
	char *name;              /* the file's basename */
	char *path;              /* where it is (or would be) */
	char sha256[65];         /* lower-case hex; "" when not known */
	long long size;          /* bytes of the final file; -1 unknown */
	long long received;      /* bytes in hand so far, resumed ones included */
	long long total;         /* expected size; -1 unknown */
	long long resumed_from;  /* bytes an earlier run had left; 0 when none */
	enum weight_state state;
	int status;              /* err.h */
	char *error;             /* the message when status != 0 */
	void *internal;
};

struct weights_options {
	const char *hub_dir;     /* absolute */
	int force;               /* fetch even when checkpoints/NAME exists */
	int jobs;                /* transfers at once; 0: WEIGHTS_DEFAULT_JOBS */
	int head_only;           /* --dry-run: HEAD requests, total = size */
};

#define WEIGHTS_DEFAULT_JOBS 8

/*
 * Downloads count jobs at once. Every job gets its status (and message);
 * one failure does not stop the others. Returns HUB_OK when all succeeded,
 * else the status of the first failed job (in the order given) with its
 * message recorded. A hash mismatch is HUB_EINTEGRITY and leaves nothing
 * behind; a network failure keeps the partial file for the next run.
 */
int weights_download(struct weight_job *jobs, size_t count,
		     const struct weights_options *opts);

/* The jobs of the batch in flight, for a progress display that the
 * command layer draws from http's progress callback; NULL when idle. */
struct weight_job *weights_active_jobs(size_t *count);

void weight_job_free(struct weight_job *job);

/*
 * The file name torch.hub would store url under: the basename of the URL's
 * path, query and fragment ignored. HUB_EUSAGE when it has none (or it is
 * "." or ".."). Caller frees.
 */
int weights_url_name(const char *url, char **name_out);

/*
 * The hash prefix torch.hub's check_hash takes from a file name: the first
 * match of -([a-f0-9]*)\. . hub requires 8 hex digits or more where
 * torch.hub silently skips the check: HUB_EUSAGE naming the file otherwise.
 * out must hold 65 bytes.
 */
int weights_name_hash_prefix(const char *name, char *out);

/* Whether text is an http(s) URL whose path ends in a weight-like
 * extension (.pth .pt .pth.tar .ckpt .bin .safetensors ...). */
int weights_is_weight_url(const char *text);

/*
 * The weight URLs named by string literals in the .py files under dir
 * (hidden folders skipped), in order of first appearance, without
 * duplicates; glob (fnmatch) keeps those whose file name or URL matches
 * (NULL or "": all).
 */
struct weight_urls {
	char **urls;
	size_t count;
};
int weights_scan(const char *dir, const char *glob, struct weight_urls *out);
void weight_urls_free(struct weight_urls *list);
/* Appends url unless the list has it or glob (as weights_scan) rejects it. */
void weight_urls_add(struct weight_urls *out, const char *url, const char *glob);

/* The manifest record of checkpoints/NAME. */
struct weight_record {
	char *name;
	char *url;               /* NULL when not recorded */
	long long size;          /* -1 when not recorded */
	char sha256[65];         /* "" when not recorded */
};
/* HUB_ENOTFOUND (no message) when there is none. */
int weights_record_read(const char *hub_dir, const char *name, struct weight_record *out);
int weights_record_write(const char *hub_dir, const struct weight_record *record);
void weight_record_free(struct weight_record *record);

/* hub download --verify: every file in checkpoints/ hashed again. */
enum verify_result {
	VERIFY_OK,               /* matches the manifest and/or its name's prefix */
	VERIFY_UNCHECKED,        /* neither a record nor a prefix to check */
	VERIFY_MISMATCH,
	VERIFY_UNREADABLE
};
struct verify_entry {
	char *name;
	enum verify_result result;
	char sha256[65];         /* what the file holds now */
	char *expected;          /* what it should hold, for mismatches */
	const char *source;      /* "manifest" or "file name" */
};
struct verify_list {
	struct verify_entry *entries;
	size_t count;
};
/* HUB_OK when nothing mismatched, else HUB_EINTEGRITY naming the first
 * mismatch. */
int weights_verify(const char *hub_dir, struct verify_list *out);
void verify_list_free(struct verify_list *list);

/* Lower-case hex of a SHA-256 computed over the file at path, while
 * streaming it; size_out may be NULL. */
int weights_hash_file(const char *path, char *hex_out, long long *size_out);

#endif
