/*
 * github.h - what hub needs to know about GitHub: base URLs, the default
 * branch as torch.hub picks it, ref validation as torch.hub does it (only
 * for a ref that may be a commit id: a name costs no API request), archive
 * URLs, the conditional freshness check of a branch, and turning GitHub's
 * answers (rate limit, 404) into hub's exit codes and messages.
 *
 * Bases: HUB_GITHUB_URL (default https://github.com) and HUB_GITHUB_API_URL
 * (default https://api.github.com), without a trailing slash.
 *
 * Strings returned through out-parameters are the caller's to free.
 */
#ifndef HUB_GITHUB_H
#define HUB_GITHUB_H

#include "http.h"

const char *github_web_url(void);
const char *github_api_url(void);

/* torch.hub's answer when no ref is given: "main" when
 * <web>/<o>/<n>/tree/main/ answers 2xx, "master" when it answers 404. This
 * probe does not spend the REST API's rate limit. */
int github_default_branch(const char *owner, const char *name, char **ref_out);

/*
 * torch.hub's fork check, for a ref that may be a commit id (7 to 40 hex
 * digits): accepted when it is a branch or tag name, or a prefix of the
 * head commit of one; a commit at no head (a fork's, say) is refused with
 * torch's advice. That walks branches and tags 100 a page (API requests).
 * Any other ref is a name and costs nothing here: HUB_OK at once, and the
 * archive's 404 is the answer for a name that does not exist. sha_out (may
 * be NULL) gets the matching head's commit when known, or NULL.
 */
int github_validate_ref(const char *owner, const char *name, const char *ref,
			char **sha_out);

/* After the archive of ref answered 404: HUB_ENOTFOUND saying whether the
 * repository or the ref is missing. Anonymous, that is the repository's web
 * page (not an API request); with a token, GET /repos/<o>/<n>. */
int github_archive_not_found(const char *owner, const char *name, const char *ref);

/*
 * Whether a branch moved since hub fetched known_sha: a conditional
 * GET <api>/repos/<o>/<n>/commits/refs/heads/<branch> (the bare SHA
 * media type), If-None-Match: etag (or the quoted SHA when etag is NULL).
 * GitHub answers 304 when the head is still known_sha (not counted against
 * the rate limit when authorised), else 200 with the new SHA, or 422 when
 * there is no such branch (the name is a tag, or the branch is gone).
 */
enum github_branch_state {
	GITHUB_BRANCH_UNCHANGED,
	GITHUB_BRANCH_MOVED,
	GITHUB_BRANCH_ABSENT
};
struct github_branch_head {
	enum github_branch_state state;
	char *sha;               /* the head now (UNCHANGED, MOVED) */
	char *etag;              /* the 200's ETag, to send next time; or NULL */
};
int github_branch_check(const char *owner, const char *name, const char *branch,
			const char *known_sha, const char *etag, struct github_branch_head *out);
void github_branch_head_free(struct github_branch_head *head);

/* Without a token (or with_token 0) <web>/<o>/<n>/tarball/<ref> (not
 * counted against the API rate limit); with one
 * <api>/repos/<o>/<n>/tarball/<ref> (which opens private repositories).
 * Both redirect to codeload. */
char *github_archive_url(const char *owner, const char *name, const char *ref, int with_token);

/* After an HTTP answer that is not 2xx: the status and message for it
 * (rate limit HUB_ERATELIMIT with the reset time and the token hint, 404
 * HUB_ENOTFOUND naming owner/name and ref, else HUB_ENETWORK). */
int github_answer_error(const struct http_request *req, const char *owner,
			const char *name, const char *ref);

/* Percent-encodes a ref for a URL path, keeping '/' (caller frees). */
char *github_escape_ref(const char *ref);

#endif
