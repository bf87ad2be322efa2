/*
 * lock.h - kernel locks (flock) on files under <hub dir>/.hub/locks/, one
 * per cache entry, so concurrent hub processes fetch a thing once and a
 * killed process never leaves a lock behind (the kernel drops it with the
 * descriptor). The lock files themselves stay: they are empty and reused.
 *
 * Waiting is bounded: 600 seconds, or HUB_LOCK_TIMEOUT seconds; past it,
 * HUB_ELOCKED with a message naming the entry.
 *
 * struct lock owns its descriptor and path; lock_release frees both and
 * accepts a lock that was never taken.
 */
#ifndef HUB_LOCK_H
#define HUB_LOCK_H

struct lock {
	int fd;       /* -1 when not held */
	char *path;
};

/* Takes the exclusive lock <hub_dir>/.hub/locks/<name>.lock, creating the
 * folder and file as needed. what names the entry in messages. *waited is
 * set to 1 when another process held it first (may be NULL). */
int lock_acquire(struct lock *lock, const char *hub_dir, const char *name,
		 const char *what, int *waited);
void lock_release(struct lock *lock);

/* Tries an exclusive flock on an open descriptor without waiting: 1 when
 * taken, 0 when another process holds it. */
int lock_try_fd(int fd);

#endif
