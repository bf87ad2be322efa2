/*
 * github.c - GitHub specifics: default branch, ref validation, archive
 * URLs, rate-limit and not-found answers. See github.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "github.h"
#include "http.h"
#include "spec.h"
#include "util.h"

#define API_ANSWER_MAX (8 * 1024 * 1024)
#define PER_PAGE 100
#define MAX_PAGES 1000
#define API_ACCEPT "application/vnd.github+json"

static const char *base_from_env(const char *name, const char *fallback, char **cache)
{
	const char *value;
	size_t len;

	if (*cache)
		return *cache;
	value = getenv(name);
	if (!value || !*value)
		value = fallback;
	len = strlen(value);
	while (len > 1 && value[len - 1] == '/')
		len--;
	*cache = xstrndup(value, len);
	return *cache;
}

static char *web_url_cache, *api_url_cache;

const char *github_web_url(void)
{
	return base_from_env("HUB_GITHUB_URL", "https://github.com", &web_url_cache);
}

const char *github_api_url(void)
{
	return base_from_env("HUB_GITHUB_API_URL", "https://api.github.com", &api_url_cache);
}

char *github_escape_ref(const char *ref)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "ref");
	const unsigned char *p;

	for (p = (const unsigned char *)ref; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_addch(&out, *p);
		else
			buf_addf(&out, "%%%02X", *p);
	}
	return buf_detach(&out);
}

char *github_archive_url(const char *owner, const char *name, const char *ref, int with_token)
{
	char *escaped = github_escape_ref(ref);
	char *url;

	/* Anonymous: the web URL, which the API's 60 an hour does not count.
	 * With a token: the API's, whose codeload redirect carries the access
	 * a private repository needs (the web one does not take API tokens). */
	if (with_token && http_github_token())
		url = xasprintf("%s/repos/%s/%s/tarball/%s", github_api_url(), owner, name, escaped);
	else
		url = xasprintf("%s/%s/%s/tarball/%s", github_web_url(), owner, name, escaped);
	free(escaped);
	return url;
}

/* Discards the body: only the probe's status matters. */
static int discard(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return HUB_OK;
}

static int is_rate_limited(const struct http_request *req)
{
	const char *body = buf_str(&req->resp.error_body);

	if (req->resp.status != 403 && req->resp.status != 429)
		return 0;
	return req->resp.ratelimit_remaining == 0 || strstr(body, "rate limit") != NULL;
}

static int rate_limit_error(const struct http_request *req)
{
	const char *token = http_github_token();
	char when[64] = "";
	char budget[64] = "";
	long long reset = req->resp.ratelimit_reset;

	if (reset > 0) {
		time_t t = (time_t)reset, now = time(NULL);
		struct tm tm;
		long long minutes = reset > (long long)now ? ((long long)reset - (long long)now + 59) / 60 : 0;
		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M", &tm);
		snprintf(when + strlen(when), sizeof(when) - strlen(when), " (in %lld minute%s)",
			 minutes, minutes == 1 ? "" : "s");
	} else if (req->resp.retry_after >= 0) {
		snprintf(when, sizeof(when), "in %ld seconds", req->resp.retry_after);
	}
	if (req->resp.ratelimit_remaining >= 0 && req->resp.ratelimit_limit >= 0)
		snprintf(budget, sizeof(budget), "%lld of %lld requests left",
			 req->resp.ratelimit_remaining, req->resp.ratelimit_limit);
	else if (req->resp.ratelimit_remaining >= 0)
		snprintf(budget, sizeof(budget), "%lld requests left", req->resp.ratelimit_remaining);
	return hub_error(HUB_ERATELIMIT, "github api rate limit exceeded%s%s%s%s%s; %s",
			 *budget ? " (" : "", budget, *budget ? ")" : "",
			 *when ? ", resets at " : "", when,
			 token ? "the limit applies to GITHUB_TOKEN's account; wait for the reset or use --skip-validation"
			       : "set GITHUB_TOKEN (or GH_TOKEN) for 5000 requests an hour, or use --skip-validation");
}

int github_answer_error(const struct http_request *req, const char *owner,
			const char *name, const char *ref)
{
	if (is_rate_limited(req))
		return rate_limit_error(req);
	if (req->resp.status == 404)
		return hub_error(HUB_ENOTFOUND, "%s/%s%s%s: not found on %s (no such repository or ref%s)",
				 owner, name, ref ? ":" : "", ref ? ref : "", github_web_url(),
				 http_github_token() ? "" : "; a private repository needs GITHUB_TOKEN");
	if (req->resp.status == 401)
		return hub_error(HUB_EFAIL, "%s/%s: %s refused the token in GITHUB_TOKEN/GH_TOKEN (401)",
				 owner, name, github_api_url());
	return http_status_error(req);
}

/* GET an API URL into body. Answers the HTTP status (0 on failure, with
 * *status set). A token GitHub refuses (401) is dropped and the request
 * repeated anonymously, so a stale token does not break public fetches. */
static long api_get_as(struct http_request *req, const char *url, const char *what,
		       const char *accept, struct buf *body, int *status)
{
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->what = what;
	req->accept = accept;
	req->github_auth = 1;
	req->body = body;
	buf_reset(body);
	*status = http_perform(req);
	if (!*status && req->resp.status == 401 && http_github_token()) {
		hub_log("%s: the token was refused (401); going on without it", what);
		http_drop_github_token();
		buf_reset(body);
		*status = http_perform(req);
	}
	return *status ? 0 : req->resp.status;
}

static long api_get(struct http_request *req, const char *url, const char *what,
		    struct buf *body, int *status)
{
	return api_get_as(req, url, what, API_ACCEPT, body, status);
}

int github_default_branch(const char *owner, const char *name, char **ref_out)
{
	struct http_request req;
	char *url = xasprintf("%s/%s/%s/tree/main/", github_web_url(), owner, name);
	char *what = xasprintf("%s/%s: finding the default branch", owner, name);
	int status;

	*ref_out = NULL;
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.what = what;
	req.github_auth = 1;
	req.write = discard;
	status = http_perform(&req);
	if (status)
		goto done;
	if (req.resp.status >= 200 && req.resp.status < 300)
		*ref_out = xstrdup("main");
	else if (req.resp.status == 404)
		*ref_out = xstrdup("master");
	else
		status = github_answer_error(&req, owner, name, NULL);
	if (*ref_out)
		hub_log("%s/%s: no ref given; using '%s' (as torch.hub does)", owner, name, *ref_out);
done:
	http_request_free(&req);
	free(url);
	free(what);
	return status;
}

static int starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* torch.hub's walk: branches, then tags, 100 a page, until an item's name
 * is ref or its head commit starts with ref. 1 found, 0 not, -1 error. */
static int walk_heads(const char *owner, const char *name, const char *ref, char **sha_out,
		      int *status)
{
	static const char *const kinds[] = { "branches", "tags" };
	struct buf body = BUF_INIT(API_ANSWER_MAX, "github answer");
	char *what = xasprintf("%s/%s:%s", owner, name, ref);
	size_t k;
	int found = 0, page;

	for (k = 0; k < 2 && !found; k++) {
		for (page = 1; page <= MAX_PAGES && !found; page++) {
			struct http_request req;
			char *url = xasprintf("%s/repos/%s/%s/%s?per_page=%d&page=%d", github_api_url(),
					      owner, name, kinds[k], PER_PAGE, page);
			long code = api_get(&req, url, what, &body, status);
			cJSON *json = NULL, *item;
			int items = 0;

			free(url);
			if (!*status && code != 200)
				*status = github_answer_error(&req, owner, name, ref);
			http_request_free(&req);
			if (*status) {
				found = -1;
				break;
			}
			json = cJSON_ParseWithLength(buf_str(&body), body.len);
			if (!cJSON_IsArray(json)) {
				cJSON_Delete(json);
				*status = hub_error(HUB_ENETWORK, "%s: %s did not answer a JSON list",
						    what, github_api_url());
				found = -1;
				break;
			}
			cJSON_ArrayForEach(item, json) {
				cJSON *item_name = cJSON_GetObjectItemCaseSensitive(item, "name");
				cJSON *commit = cJSON_GetObjectItemCaseSensitive(item, "commit");
				cJSON *sha = cJSON_GetObjectItemCaseSensitive(commit, "sha");
				items++;
				if ((cJSON_IsString(item_name) && !strcmp(item_name->valuestring, ref)) ||
				    (cJSON_IsString(sha) && starts_with_ci(sha->valuestring, ref))) {
					if (sha_out && cJSON_IsString(sha))
						*sha_out = xstrdup(sha->valuestring);
					found = 1;
					break;
				}
			}
			cJSON_Delete(json);
			/* A short page is the last: no need for the empty one. */
			if (items < PER_PAGE)
				break;
		}
	}
	buf_free(&body);
	free(what);
	return found;
}

/* Whether url names something: 1 for 200, 0 for 404 (and 422, GitHub's
 * "no commit found"), -1 with *status set for any other answer. */
static int api_exists(const char *url, const char *what, const char *accept,
		      const char *owner, const char *name, const char *ref, int *status)
{
	struct http_request req;
	struct buf body = BUF_INIT(API_ANSWER_MAX, "github answer");
	long code = api_get_as(&req, url, what, accept, &body, status);
	int exists = -1;

	if (!*status) {
		if (code == 200)
			exists = 1;
		else if (code == 404 || code == 422)
			exists = 0;
		else
			*status = github_answer_error(&req, owner, name, ref);
	}
	http_request_free(&req);
	buf_free(&body);
	return exists;
}

/* After a failed lookup: does the repository exist at all? */
static int repo_exists(const char *owner, const char *name, const char *ref, int *status)
{
	char *url = xasprintf("%s/repos/%s/%s", github_api_url(), owner, name);
	char *what = xasprintf("%s/%s", owner, name);
	int exists = api_exists(url, what, API_ACCEPT, owner, name, ref, status);

	free(url);
	free(what);
	return exists;
}

/* Is ref a commit of the repository (network) at all? */
static int commit_exists(const char *owner, const char *name, const char *ref, int *status)
{
	char *url = xasprintf("%s/repos/%s/%s/commits/%s", github_api_url(), owner, name, ref);
	char *what = xasprintf("%s/%s:%s", owner, name, ref);
	int exists = api_exists(url, what, "application/vnd.github.sha", owner, name, ref, status);

	free(url);
	free(what);
	return exists;
}

static int not_found(const char *owner, const char *name, const char *ref, int *status)
{
	int exists = repo_exists(owner, name, ref, status);

	if (exists < 0)
		return *status;
	if (!exists)
		return hub_error(HUB_ENOTFOUND, "%s/%s: repository not found on %s%s", owner, name,
				 github_web_url(),
				 http_github_token() ? "" : " (a private repository needs GITHUB_TOKEN)");
	return hub_error(HUB_ENOTFOUND, "cannot find %s in %s/%s/%s: no such branch or tag",
			 ref, github_web_url(), owner, name);
}

int github_validate_ref(const char *owner, const char *name, const char *ref, char **sha_out)
{
	int status = HUB_OK, found;

	if (sha_out)
		*sha_out = NULL;
	/* A name needs no API request: the archive's own 404 says "no such
	 * branch or tag" (github_archive_not_found). */
	if (!spec_ref_is_sha_like(ref))
		return HUB_OK;
	/* A SHA: torch.hub accepts it only at the head of a branch or tag. */
	found = walk_heads(owner, name, ref, sha_out, &status);
	if (found < 0)
		return status;
	if (found)
		return HUB_OK;
	found = commit_exists(owner, name, ref, &status);
	if (found < 0)
		return status;
	if (!found)
		return not_found(owner, name, ref, &status);
	return hub_error(HUB_ENOTFOUND, "cannot find %s in %s/%s/%s: if it's a commit from a "
			 "forked repo, fetch the forked repo directly (or use --skip-validation)",
			 ref, github_web_url(), owner, name);
}

/* Whether the web page of the repository answers: 1 yes, 0 a 404, -1 with
 * *status set otherwise. Not an API request. */
static int web_repo_exists(const char *owner, const char *name, int *status)
{
	struct http_request req;
	char *url = xasprintf("%s/%s/%s", github_web_url(), owner, name);
	char *what = xasprintf("%s/%s", owner, name);
	int exists = -1;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.what = what;
	req.write = discard;
	*status = http_perform(&req);
	if (!*status) {
		if (req.resp.status >= 200 && req.resp.status < 300)
			exists = 1;
		else if (req.resp.status == 404)
			exists = 0;
		else
			*status = github_answer_error(&req, owner, name, NULL);
	}
	http_request_free(&req);
	free(url);
	free(what);
	return exists;
}

int github_archive_not_found(const char *owner, const char *name, const char *ref)
{
	int status = HUB_OK, exists;

	/* With a token the archive came through the API (a private repository
	 * is invisible on the web pages to an API token): ask the API. */
	if (http_github_token())
		return not_found(owner, name, ref, &status);
	exists = web_repo_exists(owner, name, &status);
	if (exists < 0)
		return status;
	if (!exists)
		return hub_error(HUB_ENOTFOUND, "%s/%s: repository not found on %s (a private "
				 "repository needs GITHUB_TOKEN)", owner, name, github_web_url());
	return hub_error(HUB_ENOTFOUND, "cannot find %s in %s/%s/%s: no such branch or tag",
			 ref, github_web_url(), owner, name);
}

int github_branch_check(const char *owner, const char *name, const char *branch,
			const char *known_sha, const char *etag, struct github_branch_head *out)
{
	struct http_request req;
	struct buf body = BUF_INIT(4096, "github answer");
	char *escaped = github_escape_ref(branch);
	char *url = xasprintf("%s/repos/%s/%s/commits/refs/heads/%s", github_api_url(), owner, name,
			      escaped);
	char *what = xasprintf("%s/%s:%s", owner, name, branch);
	char *quoted = xasprintf("\"%s\"", known_sha);
	long code;
	int status;

	memset(out, 0, sizeof(*out));
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.what = what;
	req.accept = "application/vnd.github.sha";
	req.github_auth = 1;
	/* The ETag of an earlier answer, else the one GitHub gives this media
	 * type: the quoted SHA. */
	req.if_none_match = etag && *etag ? etag : quoted;
	req.body = &body;
	status = http_perform(&req);
	if (!status && req.resp.status == 401 && http_github_token()) {
		hub_log("%s: the token was refused (401); going on without it", what);
		http_drop_github_token();
		buf_reset(&body);
		status = http_perform(&req);
	}
	if (status)
		goto done;
	code = req.resp.status;
	if (code == 304) {
		out->state = GITHUB_BRANCH_UNCHANGED;
		out->sha = xstrdup(known_sha);
	} else if (code == 200) {
		size_t len = body.len;
		const char *text = buf_str(&body);
		while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
			len--;
		if (len != 40 || !spec_ref_is_sha_like(text) || strspn(text, "0123456789abcdef") < 40) {
			status = hub_error(HUB_ENETWORK, "%s: %s did not answer a commit id", what,
					   github_api_url());
			goto done;
		}
		out->sha = xstrndup(text, 40);
		out->state = strcasecmp(out->sha, known_sha) ? GITHUB_BRANCH_MOVED : GITHUB_BRANCH_UNCHANGED;
		if (req.resp.etag)
			out->etag = xstrdup(req.resp.etag);
	} else if (code == 404 || code == 422) {
		/* No such branch: a tag (or a branch deleted since). */
		out->state = GITHUB_BRANCH_ABSENT;
	} else {
		status = github_answer_error(&req, owner, name, branch);
	}
done:
	http_request_free(&req);
	buf_free(&body);
	free(escaped);
	free(url);
	free(what);
	free(quoted);
	return status;
}

void github_branch_head_free(struct github_branch_head *head)
{
	if (!head)
		return;
	free(head->sha);
	free(head->etag);
	memset(head, 0, sizeof(*head));
}
