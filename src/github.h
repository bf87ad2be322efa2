/*
 * github.h - what hub needs to know about GitHub: base URLs, the default
 * branch as torch.hub picks it, ref validation as torch.hub does it (with
 * far fewer API requests), archive URLs, and turning GitHub's answers
 * (rate limit, 404) into hub's exit codes and messages.
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
 * Accepts what torch.hub's fork check accepts: a branch or tag name, or a
 * SHA prefix that is the head commit of some branch or tag (plus
 * refs/heads/x and refs/tags/x when x exists). A commit that is at no
 * head (a fork's, say) is refused with torch's advice. Costs one or two
 * API requests for a name; a SHA walks branches and tags 100 a page.
 * sha_out (may be NULL) gets the commit (or tag object) SHA when known, or
 * NULL.
 */
int github_validate_ref(const char *owner, const char *name, const char *ref,
			char **sha_out);

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
