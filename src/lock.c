/*
 * lock.c - flock-based locks per cache entry. See lock.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "lock.h"
#include "util.h"

#define LOCK_TIMEOUT_DEFAULT 600

static long lock_timeout(void)
{
	const char *value = getenv("HUB_LOCK_TIMEOUT");
	char *end;
	long n;

	if (!value || !*value)
		return LOCK_TIMEOUT_DEFAULT;
	n = strtol(value, &end, 10);
	return *end || n < 0 ? LOCK_TIMEOUT_DEFAULT : n;
}

int lock_try_fd(int fd)
{
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EINTR)
			return 0;
	}
	return 1;
}

int lock_acquire(struct lock *lock, const char *hub_dir, const char *name,
		 const char *what, int *waited)
{
	char *folder = path_join(hub_dir, ".hub/locks");
	char *file = xasprintf("%s.lock", name);
	struct timespec start, now, pause = { 0, 20 * 1000 * 1000 };
	long timeout = lock_timeout();
	int status = HUB_OK, fd = -1;

	lock->fd = -1;
	lock->path = path_join(folder, file);
	if (waited)
		*waited = 0;
	if ((status = mkdir_p(folder, 0777)))
		goto done;
	fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot open lock '%s'", lock->path);
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Polling instead of a blocking flock keeps the timeout simple and
	 * signal-free; 20 ms is short next to any download. */
	while (!lock_try_fd(fd)) {
		if (waited && !*waited) {
			*waited = 1;
			hub_log("waiting for another hub to finish %s (lock %s)", what, lock->path);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout) {
			status = hub_error(HUB_ELOCKED, "%s: another hub process held the lock for "
					   "more than %ld seconds (%s)", what, timeout, lock->path);
			goto done;
		}
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 200 * 1000 * 1000)
			pause.tv_nsec += 10 * 1000 * 1000;
	}
	lock->fd = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	if (status) {
		free(lock->path);
		lock->path = NULL;
	}
	free(folder);
	free(file);
	return status;
}

void lock_release(struct lock *lock)
{
	if (!lock)
		return;
	if (lock->fd >= 0)
		close(lock->fd); /* closing drops the flock */
	lock->fd = -1;
	free(lock->path);
	lock->path = NULL;
}
