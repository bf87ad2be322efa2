/*
 * http.h - every byte hub moves over the network goes through here; the
 * only file that includes curl.h.
 *
 * What it does for every request, so no caller has to think about it:
 * - TLS always verified (BearSSL) against the CA bundle chosen by
 *   HUB_CA_BUNDLE > SSL_CERT_FILE > CURL_CA_BUNDLE > the system bundle;
 *   proxies from the environment as curl reads them (https_proxy,
 *   HTTPS_PROXY, http_proxy, all_proxy, no_proxy);
 * - User-Agent "hub/<version>", a connect timeout and a stall timeout (no
 *   total time limit);
 * - HUB_URL_REWRITE (or the config file's url-rewrite) prefix rewrites,
 *   applied to every URL, redirect targets included;
 * - redirects followed by hand, hop by hop, so the GitHub token is attached
 *   only to a URL whose host is one of the configured GitHub hosts, never to
 *   the host a redirect leads to;
 * - retries with exponential backoff and jitter for connection resets,
 *   timeouts, truncated bodies, 408/429/5xx, honouring Retry-After; a body
 *   cut short is resumed with Range + If-Range when the server allows it,
 *   else restarted (the consumer's restart callback says start over);
 * - offline mode: refuses before any socket, with HUB_EOFFLINE;
 * - -v: one hub_log() line per request: method, URL without its query,
 *   status, time, x-ratelimit-remaining. Secrets are never logged.
 *
 * Several requests run concurrently with http_perform_many (curl multi),
 * each with its own retries. A request's answer is HUB_OK whenever an HTTP
 * response came back, whatever its status: the caller reads resp.status.
 * Transport failures give HUB_ENETWORK, offline HUB_EOFFLINE, and a write
 * callback's own failure its own status.
 *
 * Memory: a request's strings are the caller's and must outlive the call;
 * http fills req->resp, whose strings and buffer http_request_free releases.
 */
#ifndef HUB_HTTP_H
#define HUB_HTTP_H

#include <stddef.h>

#include "buf.h"

/* Receives the body of a 2xx answer as it arrives. A non-zero return (an
 * err.h status, with its message recorded) aborts the transfer with it. */
typedef int (*http_write_fn)(void *ctx, const void *data, size_t len);
/* The body starts over from byte 0 (a retry could not resume): the consumer
 * throws away what it got so far. A non-zero return aborts. */
typedef int (*http_restart_fn)(void *ctx);

struct http_response {
	long status;              /* the final answer's status; 0 when none */
	char *url;                /* the URL that gave it (after redirects) */
	char *location;           /* its Location header, when not followed */
	char *etag;               /* of the 2xx answer; known before its first byte */
	char *last_modified;      /* same */
	long long size;           /* the whole file's size (Content-Length, or a
				   * 206's Content-Range total); -1 unknown;
				   * known before the first body byte */
	long long ratelimit_remaining;  /* -1 when the answer had none */
	long long ratelimit_limit;      /* -1 when none */
	long long ratelimit_reset;      /* Unix time; -1 when none */
	long retry_after;         /* seconds; -1 when none */
	long long bytes;          /* body bytes delivered to the consumer */
	double seconds;           /* wall time of the whole request */
	int attempts;
	struct buf error_body;    /* body of a non-2xx answer, first 64 KiB */
	char *error;              /* the failure message, when the request failed */
};

struct http_request {
	const char *url;
	const char *what;         /* names it in messages ("pytorch/vision:main") */
	const char *accept;       /* Accept header, or NULL */
	int github_auth;          /* attach the GitHub token where allowed */
	int no_follow;            /* answer 3xx as is (resp.location) */
	int max_attempts;         /* 0: the default (4, HUB_RETRIES) */
	int head;                 /* HEAD: the answer's headers only */
	/* The consumer already holds the first resume_from bytes (from an
	 * earlier run): ask for the rest with Range and If-Range: if_range
	 * (an ETag or Last-Modified the caller kept). A 200 instead of a 206
	 * calls restart first, as a changed file must start over. */
	long long resume_from;
	const char *if_range;
	/* A validator (an ETag the caller kept) sent as If-None-Match: a 304
	 * answers that nothing changed. NULL: none. */
	const char *if_none_match;
	/* The 2xx body goes to write (with restart), else into body (its cap
	 * applies), else nowhere. */
	http_write_fn write;
	http_restart_fn restart;
	void *ctx;
	struct buf *body;
	struct http_response resp;
	void *internal;           /* http.c's own per-request state */
};

/* Progress of the transfers in flight, for a progress line; http never
 * prints. Called at most a few times a second. */
struct http_progress {
	long long bytes;          /* body bytes received, all transfers */
	long long total;          /* expected, when every size is known; else -1 */
	double seconds;           /* since the batch started */
	int active;               /* transfers in flight */
	int done;                 /* 1 on the last call of a batch */
};
void http_set_progress(void (*sink)(const struct http_progress *progress));

/* Offline: every request fails with HUB_EOFFLINE before any socket. Also
 * on when HUB_OFFLINE is set to anything but "" or "0". */
void http_set_offline(int offline);
int http_offline(void);

/* One request; on failure the message is recorded (hub_error) too. */
int http_perform(struct http_request *req);
/* count requests at once (at most max_parallel in flight, 0: 8); each
 * request's status goes to statuses[i] and its message to resp.error.
 * Returns HUB_OK when every request returned HUB_OK, else the first
 * failure's status, with that message recorded. */
int http_perform_many(struct http_request **reqs, size_t count, int *statuses,
		      int max_parallel);
/* Releases resp's strings and buffer and clears it, so the request can be
 * performed again. */
void http_request_free(struct http_request *req);

/* The token hub sends to GitHub (GITHUB_TOKEN, else GH_TOKEN), or NULL. */
const char *http_github_token(void);
/* GitHub refused the token (401): send none for the rest of the run. */
void http_drop_github_token(void);
/* Whether url's host is one the token may go to: the hosts of
 * HUB_GITHUB_URL and HUB_GITHUB_API_URL, and codeload.<web host>. */
int http_is_github_host(const char *url);
/* url with the HUB_URL_REWRITE rules applied (caller frees). */
char *http_rewrite_url(const char *url);
/* url without its query and fragment, for messages (caller frees). */
char *http_display_url(const char *url);
/* The CA bundle in use, or NULL when none was found. */
const char *http_ca_bundle(void);

/* For messages: a non-2xx answer as a status (404 HUB_ENOTFOUND, the rest
 * HUB_ENETWORK) and a recorded "<what>: <url>: server answered N" message. */
int http_status_error(const struct http_request *req);

#endif
