/*
 * err.h - status codes and the one-line error message.
 *
 * Every function that can fail returns an int status: HUB_OK (0) on success,
 * otherwise one of the codes below, which are also hub's exit statuses (the
 * man page lists them; tests check them). The function that detects the
 * failure records a message with hub_error(); callers add nothing and pass the
 * status up. Only hub.c and cmd_*.c print it, as "hub: <message>".
 *
 * The message is "<what failed>: <why>", lower case, no full stop.
 */
#ifndef HUB_ERR_H
#define HUB_ERR_H

enum hub_status {
	HUB_OK = 0,
	HUB_EFAIL = 1,          /* anything not listed below */
	HUB_EUSAGE = 2,         /* bad command line, bad SPEC */
	HUB_ENETWORK = 3,       /* network failure after retries, TLS failure */
	HUB_ERATELIMIT = 4,     /* GitHub API rate limit */
	HUB_ENOTFOUND = 5,      /* repository, ref, entrypoint, URL, file */
	HUB_EINTEGRITY = 6,     /* hash mismatch, damaged archive or bundle */
	HUB_EOFFLINE = 7,       /* --offline and what is needed is not cached */
	HUB_EUNTRUSTED = 8,     /* untrusted repository refused */
	HUB_ELOCKED = 9         /* waited too long for another hub's lock */
};

/* Records the message (printf style) and returns status. */
int hub_error(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same, with ": <strerror(errno)>" appended (errno read on entry). */
int hub_error_errno(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last message recorded; "" when none. Valid until the next hub_error. */
const char *hub_error_message(void);
void hub_error_clear(void);

/*
 * Diagnostics for -v. Modules call hub_log(); it goes nowhere until the
 * command layer installs a sink (hub.c does for -v), so modules stay silent
 * and testable. A line carries no newline; the sink adds it.
 */
void hub_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hub_log_set_sink(void (*sink)(const char *line));
int hub_log_enabled(void);

#endif
