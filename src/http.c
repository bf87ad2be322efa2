/*
 * http.c - requests over libcurl's multi interface: TLS, proxies, tokens,
 * redirects, retries, resume, offline, progress. See http.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "err.h"
#include "hub.h"
#include "hubdir.h"
#include "http.h"
#include "util.h"

#define ERROR_BODY_MAX (64 * 1024)
#define MAX_REDIRECTS 10
#define DEFAULT_ATTEMPTS 4
/* A server asking us to come back later than this is not worth waiting
 * for inside one run: the answer goes back to the caller. */
#define RETRY_AFTER_MAX 120

struct rewrite {
	char *from;
	char *to;
};

static struct {
	int initialized;
	int init_status;
	char *init_error;
	int offline;
	CURLM *multi;
	char *user_agent;
	char *ca_bundle;
	const char *token;
	struct rewrite *rewrites;
	size_t rewrite_count;
	long connect_timeout;
	long stall_timeout;
	long retry_delay_ms;
	int attempts;
	void (*progress)(const struct http_progress *progress);
} g;

enum transfer_state { PENDING, RUNNING, DONE };

struct transfer {
	struct http_request *req;
	CURL *easy;
	struct curl_slist *headers;
	char *url;               /* this hop's URL, rewritten */
	int hops;
	enum transfer_state state;
	double not_before;       /* monotonic seconds */
	int status;              /* final err.h status */
	/* this attempt */
	int body_started;
	int resuming;            /* Range was sent */
	long code;
	char *location;
	char *etag;
	char *last_modified;
	long long content_length;
	long long range_start;   /* a 206's Content-Range; -1 when none */
	long long range_total;
	long long held;          /* bytes the consumer held from an earlier run,
				  * until a full answer makes it start over */
	int abort_status;
	char *abort_message;
	curl_off_t dlnow, dltotal;
	double attempt_started;
	char errbuf[CURL_ERROR_SIZE];
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long env_long(const char *name, long fallback, long min)
{
	const char *value = getenv(name);
	char *end;
	long n;

	if (!value || !*value)
		return fallback;
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || *end || n < min)
		return fallback;
	return n;
}

static const char *env_nonempty(const char *name)
{
	const char *value = getenv(name);
	return value && *value ? value : NULL;
}

static char *find_ca_bundle(void)
{
	static const char *const system_bundles[] = {
		"/etc/ssl/certs/ca-certificates.crt",                /* Debian, Ubuntu, Alpine, Arch */
		"/etc/pki/tls/certs/ca-bundle.crt",                  /* Fedora, RHEL */
		"/etc/ssl/cert.pem",                                 /* Alpine, macOS */
		"/etc/ssl/ca-bundle.pem",                            /* openSUSE */
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* RHEL 7+ */
	};
	const char *env;
	size_t i;

	/* An explicitly named bundle is used even when missing, so the error
	 * names the file the user chose instead of silently trusting another. */
	if ((env = env_nonempty("HUB_CA_BUNDLE")) || (env = env_nonempty("SSL_CERT_FILE")) ||
	    (env = env_nonempty("CURL_CA_BUNDLE")))
		return xstrdup(env);
	for (i = 0; i < sizeof(system_bundles) / sizeof(system_bundles[0]); i++)
		if (access(system_bundles[i], R_OK) == 0)
			return xstrdup(system_bundles[i]);
	return NULL;
}

static int parse_rewrites(const char *text, const char *source)
{
	const char *p = text;

	while (*p) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		eq = memchr(p, '=', len);
		if (len && (!eq || eq == p))
			return hub_error(HUB_EUSAGE, "%s: expected FROM=TO[,FROM=TO...], got '%.*s'",
					 source, (int)len, p);
		if (len) {
			g.rewrites = xrealloc(g.rewrites, (g.rewrite_count + 1) * sizeof(*g.rewrites));
			g.rewrites[g.rewrite_count].from = xstrndup(p, (size_t)(eq - p));
			g.rewrites[g.rewrite_count].to = xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
			g.rewrite_count++;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return HUB_OK;
}

static int load_rewrites(void)
{
	const char *env = getenv("HUB_URL_REWRITE");
	struct config cfg;
	char *path;
	int status;

	if (env)
		return parse_rewrites(env, "HUB_URL_REWRITE");
	path = config_path();
	status = config_read(path, &cfg);
	if (!status && cfg.url_rewrite)
		status = parse_rewrites(cfg.url_rewrite, path);
	config_free(&cfg);
	free(path);
	return status;
}

static int http_init(void)
{
	const char *offline;

	if (g.initialized)
		return g.init_status ? hub_error(g.init_status, "%s", g.init_error) : HUB_OK;
	g.initialized = 1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		g.init_status = hub_error(HUB_EFAIL, "cannot initialise libcurl");
		goto done;
	}
	g.multi = curl_multi_init();
	if (!g.multi) {
		g.init_status = hub_error(HUB_EFAIL, "cannot initialise libcurl");
		goto done;
	}
	g.user_agent = xasprintf("hub/%s", HUB_VERSION);
	g.ca_bundle = find_ca_bundle();
	g.token = env_nonempty("GITHUB_TOKEN");
	if (!g.token)
		g.token = env_nonempty("GH_TOKEN");
	g.connect_timeout = env_long("HUB_CONNECT_TIMEOUT", 30, 1);
	g.stall_timeout = env_long("HUB_STALL_TIMEOUT", 30, 1);
	g.retry_delay_ms = env_long("HUB_RETRY_DELAY_MS", 1000, 0);
	g.attempts = (int)env_long("HUB_RETRIES", DEFAULT_ATTEMPTS - 1, 0) + 1;
	offline = getenv("HUB_OFFLINE");
	if (offline && *offline && strcmp(offline, "0"))
		g.offline = 1;
	g.init_status = load_rewrites();
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
done:
	if (g.init_status)
		g.init_error = xstrdup(hub_error_message());
	return g.init_status;
}

void http_set_offline(int offline)
{
	http_init();
	if (offline)
		g.offline = 1;
}

int http_offline(void)
{
	http_init();
	return g.offline;
}

void http_set_progress(void (*sink)(const struct http_progress *progress))
{
	g.progress = sink;
}

const char *http_github_token(void)
{
	http_init();
	return g.token;
}

void http_drop_github_token(void)
{
	http_init();
	g.token = NULL;
}

const char *http_ca_bundle(void)
{
	http_init();
	return g.ca_bundle;
}

char *http_rewrite_url(const char *url)
{
	size_t i;

	http_init();
	for (i = 0; i < g.rewrite_count; i++) {
		size_t n = strlen(g.rewrites[i].from);
		if (!strncmp(url, g.rewrites[i].from, n))
			return xasprintf("%s%s", g.rewrites[i].to, url + n);
	}
	return xstrdup(url);
}

char *http_display_url(const char *url)
{
	size_t n = strcspn(url, "?#");
	const char *at, *scheme = strstr(url, "://");
	char *out;

	/* Drop user:password@ as well as the query (codeload's token lives
	 * there for private repositories). */
	if (scheme && (at = memchr(scheme + 3, '@', n - (size_t)(scheme + 3 - url))) &&
	    !memchr(scheme + 3, '/', (size_t)(at - scheme - 3)))
		out = xasprintf("%.*s%.*s", (int)(scheme + 3 - url), url,
				(int)(n - (size_t)(at + 1 - url)), at + 1);
	else
		out = xstrndup(url, n);
	return out;
}

/* "scheme://host:port" with the default port made explicit, lower case,
 * and the path; NULL when url does not parse. */
static char *url_origin(const char *url, char **path_out)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *out = NULL, *p;

	if (path_out)
		*path_out = NULL;
	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0))
		goto done;
	out = xasprintf("%s://%s:%s", scheme, host, port);
	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (path_out)
		*path_out = xstrdup(path);
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return out;
}

static const char *github_web_base(void)
{
	const char *base = env_nonempty("HUB_GITHUB_URL");
	return base ? base : "https://github.com";
}

static const char *github_api_base(void)
{
	const char *base = env_nonempty("HUB_GITHUB_API_URL");
	return base ? base : "https://api.github.com";
}

/* Whether (origin, path) lies under base: same origin, and the path is
 * base's path or below it (a mirror may serve GitHub under /gh and
 * something else under /weights of the same host). */
static int under_base(const char *origin, const char *path, const char *base)
{
	char *base_path = NULL, *base_origin = url_origin(base, &base_path);
	size_t n;
	int yes = 0;

	if (base_origin && !strcmp(origin, base_origin)) {
		n = strlen(base_path);
		while (n && base_path[n - 1] == '/')
			n--;
		yes = !strncmp(path, base_path, n) && (path[n] == '/' || path[n] == '\0');
	}
	free(base_origin);
	free(base_path);
	return yes;
}

int http_is_github_host(const char *url)
{
	char *path = NULL, *origin = url_origin(url, &path), *web = NULL, *codeload = NULL;
	int yes = 0;

	if (!origin)
		return 0;
	yes = under_base(origin, path, github_web_base()) ||
	      under_base(origin, path, github_api_base());
	if (!yes && (web = url_origin(github_web_base(), NULL))) {
		/* codeload.<web host>, same scheme and port: GitHub's archives. */
		const char *host = strstr(web, "://") + 3;
		codeload = xasprintf("%.*scodeload.%s", (int)(host - web), web, host);
		yes = !strcmp(origin, codeload);
	}
	free(origin);
	free(path);
	free(web);
	free(codeload);
	return yes;
}

void http_request_free(struct http_request *req)
{
	struct http_response *r = &req->resp;

	free(r->url);
	free(r->location);
	free(r->etag);
	free(r->last_modified);
	free(r->error);
	buf_free(&r->error_body);
	memset(r, 0, sizeof(*r));
}

static void response_reset(struct http_response *r)
{
	free(r->location);
	r->location = NULL;
	r->status = 0;
	r->ratelimit_remaining = r->ratelimit_limit = r->ratelimit_reset = -1;
	r->retry_after = -1;
	buf_reset(&r->error_body);
}

static int status_is_redirect(long code)
{
	return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

static int status_is_transient(long code)
{
	return code == 408 || code == 429 || code == 500 || code == 502 ||
	       code == 503 || code == 504;
}

/* 408, 429 and 5xx are worth another try, unless the server says the
 * wait is long (a spent rate limit: remaining 0 and no Retry-After, or a
 * Retry-After past RETRY_AFTER_MAX). A 403 with Retry-After is GitHub's
 * secondary rate limit, which asks for exactly that wait. */
static int retry_wanted(const struct http_request *req, long code)
{
	const struct http_response *r = &req->resp;

	if (r->retry_after >= 0)
		return (status_is_transient(code) || code == 403) && r->retry_after <= RETRY_AFTER_MAX;
	return status_is_transient(code) && r->ratelimit_remaining != 0;
}

static int curl_error_is_transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_READ_ERROR: /* BearSSL's "EOF without close notify": cut */
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

static long long parse_ll(const char *s)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *ctx)
{
	struct transfer *t = ctx;
	struct http_response *r = &t->req->resp;
	size_t len = size * count, name_len;
	char line[1024], *value, *end;

	if (len >= sizeof(line))
		return len; /* no header hub reads is this long */
	memcpy(line, data, len);
	line[len] = '\0';
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!strncmp(line, "HTTP/", 5)) {
		/* A new answer (a 100 Continue, or the real one): forget the
		 * previous one's headers. */
		const char *sp = strchr(line, ' ');
		response_reset(r);
		free(t->location);
		free(t->etag);
		free(t->last_modified);
		t->location = t->etag = t->last_modified = NULL;
		t->content_length = t->range_start = t->range_total = -1;
		t->code = sp ? strtol(sp + 1, NULL, 10) : 0;
		return size * count;
	}
	value = strchr(line, ':');
	if (!value)
		return size * count;
	name_len = (size_t)(value - line);
	value++;
	while (*value == ' ' || *value == '\t')
		value++;
	for (end = value + strlen(value); end > value && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = '\0';
#define IS(name) (name_len == sizeof(name) - 1 && !strncasecmp(line, name, name_len))
	if (IS("location")) {
		free(t->location);
		t->location = xstrdup(value);
	} else if (IS("etag")) {
		free(t->etag);
		t->etag = xstrdup(value);
	} else if (IS("last-modified")) {
		free(t->last_modified);
		t->last_modified = xstrdup(value);
	} else if (IS("content-length")) {
		t->content_length = parse_ll(value);
	} else if (IS("content-range")) {
		long long start, last, total;
		if (sscanf(value, "bytes %lld-%lld/%lld", &start, &last, &total) == 3) {
			t->range_start = start;
			t->range_total = total;
		}
	} else if (IS("x-ratelimit-remaining")) {
		r->ratelimit_remaining = parse_ll(value);
	} else if (IS("x-ratelimit-limit")) {
		r->ratelimit_limit = parse_ll(value);
	} else if (IS("x-ratelimit-reset")) {
		r->ratelimit_reset = parse_ll(value);
	} else if (IS("retry-after")) {
		long long n = parse_ll(value);
		if (n < 0) {
			time_t when = curl_getdate(value, NULL);
			if (when > 0)
				n = when > time(NULL) ? (long long)(when - time(NULL)) : 0;
		}
		r->retry_after = n < 0 ? -1 : (long)(n > 1000000 ? 1000000 : n);
	}
#undef IS
	return size * count;
}

static size_t abort_body(struct transfer *t, int status)
{
	t->abort_status = status;
	free(t->abort_message);
	t->abort_message = xstrdup(hub_error_message());
	return 0; /* curl answers CURLE_WRITE_ERROR */
}

/* A 2xx answer's validators and size, for the caller (before the body,
 * so a consumer can record them for a resume in a later run). */
static void publish_validators(struct transfer *t)
{
	struct http_response *r = &t->req->resp;

	if (t->code < 200 || t->code >= 300)
		return;
	free(r->etag);
	free(r->last_modified);
	r->etag = t->etag ? xstrdup(t->etag) : NULL;
	r->last_modified = t->last_modified ? xstrdup(t->last_modified) : NULL;
	r->size = t->code == 206 ? t->range_total : t->content_length;
}

static size_t on_body(char *data, size_t size, size_t count, void *ctx)
{
	struct transfer *t = ctx;
	struct http_request *req = t->req;
	size_t len = size * count;
	int status;

	if (!t->body_started) {
		t->body_started = 1;
		publish_validators(t);
		if (t->resuming && t->code == 206 && t->range_start != t->held + req->resp.bytes)
			return abort_body(t, hub_error(HUB_ENETWORK, "%s: the server resumed at byte "
				"%lld instead of %lld", req->what ? req->what : "request",
				t->range_start, t->held + req->resp.bytes));
		if (t->code >= 200 && t->code < 300 && (req->resp.bytes > 0 || t->held > 0) &&
		    !(t->resuming && t->code == 206)) {
			/* The server sent the whole body again: start over. */
			if (req->restart && (status = req->restart(req->ctx)))
				return abort_body(t, status);
			if (!req->restart && req->write)
				return abort_body(t, hub_error(HUB_ENETWORK,
					"%s: the download was cut and cannot be restarted",
					req->what ? req->what : "request"));
			if (req->body)
				buf_reset(req->body);
			req->resp.bytes = 0;
			t->held = 0;
		}
	}
	if (t->code >= 300 && t->code < 400)
		return len;
	if (t->code < 200 || t->code >= 300) {
		struct buf *eb = &req->resp.error_body;
		size_t room = ERROR_BODY_MAX > eb->len ? ERROR_BODY_MAX - eb->len : 0;
		if (room)
			buf_add(eb, data, len < room ? len : room);
		return len;
	}
	if (req->write) {
		if ((status = req->write(req->ctx, data, len)))
			return abort_body(t, status);
	} else if (req->body) {
		if (buf_add(req->body, data, len))
			return abort_body(t, hub_error(HUB_EFAIL, "%s: answer larger than %zu bytes",
						       req->what ? req->what : "request", req->body->max));
	}
	req->resp.bytes += (long long)len;
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct transfer *t = ctx;

	(void)ultotal;
	(void)ulnow;
	t->dlnow = dlnow;
	t->dltotal = dltotal;
	return 0;
}

static void add_header(struct transfer *t, const char *line)
{
	struct curl_slist *next = curl_slist_append(t->headers, line);
	if (!next) {
		/* curl_slist_append fails only when out of memory. */
		xmalloc((size_t)-1 / 2);
	}
	t->headers = next;
}

/* Sets the easy handle up for the next attempt (or hop) at t->url. */
static void start_attempt(struct transfer *t)
{
	struct http_request *req = t->req;
	CURL *e = t->easy;
	const char *validator = req->resp.etag ? req->resp.etag : t->held > 0 ? req->if_range : NULL;
	char *line;

	curl_easy_reset(e);
	curl_slist_free_all(t->headers);
	t->headers = NULL;
	t->body_started = 0;
	t->code = 0;
	t->abort_status = 0;
	t->dlnow = t->dltotal = 0;
	t->content_length = -1;
	t->errbuf[0] = '\0';
	t->resuming = 0;
	response_reset(&req->resp);

	if (req->accept) {
		line = xasprintf("Accept: %s", req->accept);
		add_header(t, line);
		free(line);
	}
	if (req->if_none_match) {
		line = xasprintf("If-None-Match: %s", req->if_none_match);
		add_header(t, line);
		free(line);
	}
	/* The token goes only where it belongs, decided for each hop. */
	if (req->github_auth && g.token && http_is_github_host(t->url)) {
		line = xasprintf("Authorization: Bearer %s", g.token);
		add_header(t, line);
		memset(line, 0, strlen(line));
		free(line);
	}
	if (t->held + req->resp.bytes > 0 && validator && req->restart && !req->head) {
		line = xasprintf("Range: bytes=%lld-", t->held + req->resp.bytes);
		add_header(t, line);
		free(line);
		line = xasprintf("If-Range: %s", validator);
		add_header(t, line);
		free(line);
		t->resuming = 1;
	}

	curl_easy_setopt(e, CURLOPT_URL, t->url);
	if (req->head)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, g.user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	if (g.ca_bundle) {
		curl_easy_setopt(e, CURLOPT_CAINFO, g.ca_bundle);
		curl_easy_setopt(e, CURLOPT_PROXY_CAINFO, g.ca_bundle);
	}
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, g.connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, g.stall_timeout);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 128L * 1024);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, t);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	t->attempt_started = now_seconds();
	t->state = RUNNING;
	req->resp.attempts++;
	curl_multi_add_handle(g.multi, e);
}

static double backoff_seconds(int attempt)
{
	double base = (double)g.retry_delay_ms / 1000.0 * (double)(1 << (attempt > 10 ? 10 : attempt - 1));
	/* Jitter in [0.5, 1.5): runners that failed together retry apart. */
	return base * (0.5 + (double)rand() / ((double)RAND_MAX + 1.0));
}

static void log_attempt(struct transfer *t, const char *outcome)
{
	char *shown;
	char remaining[48] = "";

	if (!hub_log_enabled())
		return;
	shown = http_display_url(t->url);
	if (t->req->resp.ratelimit_remaining >= 0)
		snprintf(remaining, sizeof(remaining), ", ratelimit-remaining %lld",
			 t->req->resp.ratelimit_remaining);
	hub_log("%s %s -> %s (%.3f s%s)", t->req->head ? "HEAD" : "GET", shown, outcome,
		now_seconds() - t->attempt_started, remaining);
	free(shown);
}

static void finish(struct transfer *t, int status, char *message)
{
	struct http_request *req = t->req;

	t->state = DONE;
	t->status = status;
	free(req->resp.error);
	req->resp.error = message;
	free(req->resp.url);
	req->resp.url = t->url ? xstrdup(t->url) : NULL;
	req->resp.status = status ? req->resp.status : t->code;
	if (status && !message)
		req->resp.error = xstrdup("request failed");
}

/* Back to the request's own URL, for a retry after delay seconds. */
static void schedule_retry(struct transfer *t, double delay)
{
	free(t->url);
	t->url = http_rewrite_url(t->req->url);
	t->hops = 0;
	t->state = PENDING;
	t->not_before = now_seconds() + delay;
	hub_log("retrying %s in %.1f s (attempt %d of %d)", t->req->what ? t->req->what : "request",
		delay, t->req->resp.attempts + 1, t->req->max_attempts ? t->req->max_attempts : g.attempts);
}

static void attempt_done(struct transfer *t, CURLcode rc)
{
	struct http_request *req = t->req;
	int max_attempts = req->max_attempts ? req->max_attempts : g.attempts;
	const char *what = req->what ? req->what : "request";
	char outcome[64];
	char *shown = http_display_url(t->url);

	curl_multi_remove_handle(g.multi, t->easy);
	if (t->code >= 200 && t->code < 300 && (t->etag || !t->body_started))
		publish_validators(t);
	if (rc == CURLE_WRITE_ERROR && t->abort_status) {
		log_attempt(t, "aborted");
		finish(t, t->abort_status, t->abort_message);
		t->abort_message = NULL;
		goto done;
	}
	if (rc != CURLE_OK) {
		const char *why = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
		log_attempt(t, why);
		if (curl_error_is_transient(rc) && req->resp.attempts < max_attempts) {
			schedule_retry(t, backoff_seconds(req->resp.attempts));
			goto done;
		}
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
			finish(t, HUB_ENETWORK, xasprintf("%s: %s: %s (CA bundle: %s)", what, shown, why,
							 g.ca_bundle ? g.ca_bundle : "none found; set HUB_CA_BUNDLE"));
		else if (req->resp.attempts > 1)
			finish(t, HUB_ENETWORK, xasprintf("%s: %s: %s (after %d attempts)", what, shown,
							 why, req->resp.attempts));
		else
			finish(t, HUB_ENETWORK, xasprintf("%s: %s: %s", what, shown, why));
		goto done;
	}
	snprintf(outcome, sizeof(outcome), "%ld", t->code);
	log_attempt(t, outcome);
	req->resp.status = t->code;
	if (status_is_redirect(t->code) && !req->no_follow && t->location) {
		char *next = NULL;
		CURLU *u = curl_url();

		if (++t->hops > MAX_REDIRECTS) {
			curl_url_cleanup(u);
			finish(t, HUB_ENETWORK, xasprintf("%s: %s: more than %d redirects", what, shown,
							 MAX_REDIRECTS));
			goto done;
		}
		/* Location may be relative: resolve it against this hop. */
		if (u && !curl_url_set(u, CURLUPART_URL, t->url, 0) &&
		    !curl_url_set(u, CURLUPART_URL, t->location, 0) &&
		    !curl_url_get(u, CURLUPART_URL, &next, 0)) {
			free(t->url);
			t->url = http_rewrite_url(next);
			curl_free(next);
			curl_url_cleanup(u);
			req->resp.attempts--; /* a hop is not an attempt */
			t->state = PENDING;
			t->not_before = 0;
			goto done;
		}
		curl_url_cleanup(u);
		finish(t, HUB_ENETWORK, xasprintf("%s: %s: bad redirect to '%s'", what, shown,
						 t->location));
		goto done;
	}
	if (status_is_redirect(t->code) && t->location) {
		free(req->resp.location);
		req->resp.location = xstrdup(t->location);
	}
	if (retry_wanted(req, t->code) && req->resp.attempts < max_attempts) {
		schedule_retry(t, req->resp.retry_after >= 0 ? (double)req->resp.retry_after
							      : backoff_seconds(req->resp.attempts));
		goto done;
	}
	finish(t, HUB_OK, NULL);
done:
	free(shown);
}

static void report_progress(struct transfer *ts, size_t count, double started, int last)
{
	struct http_progress p = { 0, 0, 0, 0, 0 };
	size_t i;

	if (!g.progress)
		return;
	for (i = 0; i < count; i++) {
		p.bytes += ts[i].req->resp.bytes;
		if (ts[i].state == RUNNING) {
			p.active++;
			if (ts[i].dltotal > 0 && p.total >= 0)
				p.total += (long long)ts[i].dltotal + ts[i].req->resp.bytes - (long long)ts[i].dlnow;
			else
				p.total = -1;
		}
	}
	p.seconds = now_seconds() - started;
	p.done = last;
	g.progress(&p);
}

/* Whether a running https transfer has not finished its TLS handshake. */
static int handshaking(const struct transfer *ts, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		curl_off_t done = 0;
		if (ts[i].state != RUNNING || strncmp(ts[i].url, "https:", 6))
			continue;
		if (curl_easy_getinfo(ts[i].easy, CURLINFO_APPCONNECT_TIME_T, &done) == CURLE_OK &&
		    done == 0)
			return 1;
	}
	return 0;
}

int http_perform_many(struct http_request **reqs, size_t count, int *statuses,
		      int max_parallel)
{
	struct transfer *ts;
	double started = now_seconds(), last_report = 0;
	size_t i;
	int status = HUB_OK, running = 0, init_status;

	init_status = http_init();
	if (max_parallel <= 0)
		max_parallel = 8;
	ts = xcalloc(count ? count : 1, sizeof(*ts));
	for (i = 0; i < count; i++) {
		struct http_request *req = reqs[i];
		char *shown;

		http_request_free(req);
		req->resp.ratelimit_remaining = req->resp.ratelimit_limit = -1;
		req->resp.ratelimit_reset = req->resp.retry_after = -1;
		buf_init(&req->resp.error_body, ERROR_BODY_MAX + 1, "error answer");
		ts[i].req = req;
		ts[i].held = req->resume_from > 0 ? req->resume_from : 0;
		req->resp.size = -1;
		if (init_status) {
			finish(&ts[i], init_status, xstrdup(g.init_error));
			continue;
		}
		ts[i].url = http_rewrite_url(req->url);
		if (g.offline) {
			shown = http_display_url(ts[i].url);
			finish(&ts[i], HUB_EOFFLINE, xasprintf("%s: not available offline (would fetch %s)",
							      req->what ? req->what : "request", shown));
			free(shown);
			continue;
		}
		ts[i].easy = curl_easy_init();
		if (!ts[i].easy) {
			finish(&ts[i], HUB_EFAIL, xstrdup("cannot initialise libcurl"));
			continue;
		}
		ts[i].state = PENDING;
	}

	for (;;) {
		double now = now_seconds(), wake = -1;
		int pending = 0, still, queued;
		CURLMsg *msg;

		for (i = 0; i < count; i++) {
			if (ts[i].state != PENDING)
				continue;
			if (ts[i].not_before <= now && running < max_parallel) {
				start_attempt(&ts[i]);
				running++;
			} else {
				pending++;
				if (wake < 0 || ts[i].not_before < wake)
					wake = ts[i].not_before;
			}
		}
		if (!running && !pending)
			break;
		curl_multi_perform(g.multi, &still);
		while ((msg = curl_multi_info_read(g.multi, &queued))) {
			struct transfer *t = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			running--;
			attempt_done(t, msg->data.result);
		}
		if (now - last_report >= 0.25) {
			report_progress(ts, count, started, 0);
			last_report = now;
		}
		if (running) {
			/* A short wait, not curl's suggestion: with curl 7.88's
			 * BearSSL backend a TLS handshake in progress does not
			 * wake curl_multi_poll (measured: a 1 s cap made every
			 * new https connection take 1.2 s; plain http, none).
			 * So 1 ms while a handshake runs, else 10 ms: a hundred
			 * wakeups a second while waiting cost nothing measurable. */
			long wait_ms = -1, cap = handshaking(ts, count) ? 1 : 10;
			curl_multi_timeout(g.multi, &wait_ms);
			if (wait_ms < 0 || wait_ms > cap)
				wait_ms = cap;
			if (wait_ms > 0)
				curl_multi_poll(g.multi, NULL, 0, (int)wait_ms, NULL);
		} else if (pending && wake > now) {
			double delay = wake - now;
			struct timespec ts_sleep = { (time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9) };
			nanosleep(&ts_sleep, NULL);
		}
	}
	if (count)
		report_progress(ts, count, started, 1);

	for (i = 0; i < count; i++) {
		struct transfer *t = &ts[i];

		t->req->resp.seconds = now_seconds() - started;
		statuses[i] = t->status;
		if (t->status && status == HUB_OK)
			status = hub_error(t->status, "%s", t->req->resp.error);
		if (t->easy)
			curl_easy_cleanup(t->easy);
		curl_slist_free_all(t->headers);
		free(t->url);
		free(t->location);
		free(t->etag);
		free(t->last_modified);
		free(t->abort_message);
	}
	free(ts);
	return status;
}

int http_perform(struct http_request *req)
{
	int status;
	return http_perform_many(&req, 1, &status, 1);
}

int http_status_error(const struct http_request *req)
{
	const char *what = req->what ? req->what : "request";
	char *shown = http_display_url(req->resp.url ? req->resp.url : req->url);
	int status;

	if (req->resp.status == 404 || req->resp.status == 410)
		status = hub_error(HUB_ENOTFOUND, "%s: %s: not found (%ld)", what, shown, req->resp.status);
	else
		status = hub_error(HUB_ENETWORK, "%s: %s: server answered %ld%s", what, shown,
				   req->resp.status, req->resp.attempts > 1 ? " after retries" : "");
	free(shown);
	return status;
}
