/*
 * cache.h - what the hub dir holds, and taking entries out of it safely.
 *
 * The hub dir is torch.hub's cache plus hub's own bookkeeping:
 *
 *   <owner>_<name>_<ref, / as _>/    repositories (torch.hub's folder names)
 *   checkpoints/<file>               weights
 *   trusted_list                     owner_name lines (never an entry here)
 *   <ref>.zip, tmpXXXXXXXX, *.partial, <owner>-<name>-<sha7>/
 *                                    torch.hub's leftovers of interrupted work
 *   .hub/refs/<cache name>           commit and fetch time of a ref hub fetched
 *   .hub/locks/<cache name>.lock,
 *   .hub/locks/checkpoint-<file>.lock  flock files (lock.h); never removed
 *   .hub/weights/<file>.json         what hub knows of a checkpoint it fetched
 *   .hub/tmp/, .hub/partial/         hub's own work in progress
 *
 * cache_scan() takes an inventory; it reads and never changes anything.
 * Sizes are disk usage (st_blocks * 512, as du(1) counts), never following
 * a symlink: a link counts as the link.
 *
 * torch.hub's folder name does not give owner/name:ref back (ref "a/b" and
 * "a_b", repo "x_y" at "z" and repo "x" at "y_z" share a folder). When hub
 * fetched a repository, .hub/refs names it exactly; otherwise the owner is
 * taken up to the first '_' and the name up to the next one, a guess that
 * cache_entry.exact says when it is not one.
 *
 * Removal (cache_remove) is atomic per entry: a folder is first renamed into
 * a trash folder under .hub/tmp/ (same filesystem), then deleted; a killed
 * purge leaves whole entries and trash that the next --partial removes.
 * Entries another hub holds locked are refused with HUB_ELOCKED.
 *
 * Everything a struct here points to belongs to it; the *_free and
 * *_close functions release it and accept zeroed structs.
 */
#ifndef HUB_CACHE_H
#define HUB_CACHE_H

#include <stddef.h>
#include <time.h>

enum cache_kind {
	CACHE_REPOSITORY,
	CACHE_CHECKPOINT,
	CACHE_LEFTOVER
};

enum cache_leftover {
	LEFTOVER_NONE = 0,
	LEFTOVER_ZIP,         /* <hub dir>/<ref>.zip: torch.hub's download */
	LEFTOVER_TMP,         /* tmpXXXXXXXX: torch.hub 1.x download temp */
	LEFTOVER_PARTIAL,     /* *.partial: newer torch.hub's download temp */
	LEFTOVER_EXTRACTED,   /* <owner>-<name>-<sha7>/: torch.hub's unzipped top folder */
	LEFTOVER_HUB_TMP,     /* .hub/tmp/<x>: hub's temporary folders, purge's trash */
	LEFTOVER_HUB_PARTIAL, /* .hub/partial/<x>: hub's resumable downloads */
	LEFTOVER_RECORD       /* .hub/refs/<x> whose repository folder is gone */
};

struct cache_entry {
	enum cache_kind kind;
	enum cache_leftover leftover;
	char *relpath;              /* from the hub dir: "checkpoints/x.pth" */
	char *name;                 /* the last component of relpath */
	int is_dir;                 /* a real directory (not a link to one) */
	int is_link;
	unsigned long long bytes;   /* disk usage */
	time_t mtime;
	int by_hub;                 /* hub fetched it: .hub/refs or .hub/weights
				     * holds its record */

	/* Repositories only. */
	char *owner, *repo, *ref;   /* exact when recorded, else guessed */
	int exact;                  /* the record names owner, repo and ref */
	char *commit;               /* full SHA; NULL when unknown */
	time_t fetched;             /* recorded time, else the folder's mtime */
};

struct cache {
	char *hub_dir;              /* absolute */
	int exists;                 /* 0: no hub dir yet (an empty cache) */
	struct cache_entry *entries;/* repositories, checkpoints, leftovers, */
	size_t count;               /* each group sorted by relpath */
	int checkpoints_linked;     /* checkpoints/ is a symlink: not entered */
	int has_trusted_list;
	char **trusted;             /* trusted_list's lines, stripped */
	size_t trusted_count;
};

/* Takes the inventory of hub_dir. A missing hub dir is an empty cache. */
int cache_scan(const char *hub_dir, struct cache *out);
void cache_free(struct cache *cache);

/* "owner/name:ref" for a repository (exact or guessed). Caller frees. */
char *cache_entry_spec(const struct cache_entry *entry);
/* "zip", "tmp", "partial", "extracted", "hub-tmp", "hub-partial",
 * "orphan-record"; "" for a non-leftover. */
const char *cache_leftover_name(enum cache_leftover leftover);

/* Whether a repository entry belongs to owner/name (ref NULL: any ref) or
 * is exactly owner/name:ref, as the user means it: an exact record is
 * compared by its names, a torch.hub folder by its folder name
 * (owner_name_ref, or the prefix owner_name_ when ref is NULL). */
int cache_entry_matches(const struct cache_entry *entry, const char *owner,
			const char *repo, const char *ref);

/* 1024-based, one decimal: "512 B", "4.0 KiB", "12.3 MiB". */
void cache_human_size(unsigned long long bytes, char *out, size_t size);

/* fnmatch(3) of pattern against a repository's owner/name:ref (exact or
 * guessed) and its folder name, or against a checkpoint's file name. */
int cache_entry_matches_glob(const struct cache_entry *entry, const char *pattern);

/* "30d", "12h", "45m", "2w", "90s": HUB_OK with *seconds, or HUB_EUSAGE
 * with a message naming text. */
int cache_parse_duration(const char *text, long long *seconds);

/*
 * Whether another hub holds the entry's lock: HUB_OK when free (nothing is
 * created or taken), HUB_ELOCKED with a message when held.
 */
int cache_entry_check_lock(const struct cache *cache, const struct cache_entry *entry);

/*
 * The trash: .hub/tmp/purge-XXXXXX, created on open and held with a flock
 * for as long as it is open, so a concurrent purge never empties another's
 * trash and a killed purge's trash is recognised as garbage.
 */
struct cache_trash {
	char *path;
	int fd;          /* -1 when closed */
	unsigned serial; /* names the entries moved in */
};

int cache_trash_open(const char *hub_dir, struct cache_trash *trash);
/* Deletes what is left in the trash and the trash folder itself. */
int cache_trash_close(struct cache_trash *trash);

/*
 * Removes one entry: takes its lock without waiting (HUB_ELOCKED when
 * another hub holds it; nothing is touched), moves a folder into the trash
 * and deletes it, or unlinks a file or link. A repository's .hub/refs
 * record goes after its folder. Never follows a symlink.
 */
int cache_remove(const struct cache *cache, struct cache_trash *trash,
		 const struct cache_entry *entry);

/*
 * Removes the given owner_name lines from trusted_list (all of it when
 * names is NULL), rewriting it atomically. *removed counts the lines
 * dropped (may be NULL).
 */
int cache_untrust(const struct cache *cache, const char *const *names, size_t count,
		  size_t *removed);

#endif
