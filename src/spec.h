/*
 * spec.h - SPEC parsing and torch.hub cache names.
 *
 * A GitHub SPEC is "owner/name[:ref]". torch.hub splits it with no checks at
 * all; hub refuses, with a usage error that says what is wrong, anything
 * GitHub would never accept as an owner, repository name or git ref (so a
 * typo never becomes a request, and a name never escapes the hub dir).
 * Local directory SPECs are told apart here (spec_is_local) and used by
 * fetch.c.
 *
 * The strings in struct spec belong to it: spec_free releases them. The
 * strings the other functions return are the caller's to free.
 */
#ifndef HUB_SPEC_H
#define HUB_SPEC_H

struct spec {
	char *owner;
	char *name;
	char *ref;      /* NULL when the SPEC names no ref */
};

/* Whether text names a local directory: written as a path (starts with /,
 * . or ~), or an existing directory holding hubconf.py. Such a SPEC is used
 * in place, like source='local': no cache, no network, no trust check. */
int spec_is_local(const char *text);

/* Parses text; on failure returns HUB_EUSAGE with a message naming the
 * SPEC and the problem, and leaves out zeroed. */
int spec_parse(const char *text, struct spec *out);
void spec_free(struct spec *spec);

/* Whether a ref is acceptable as a git ref name (the rules of
 * git check-ref-format, plus a length cap); returns HUB_OK or HUB_EUSAGE
 * with the reason. what names the SPEC in the message. */
int spec_check_ref(const char *what, const char *ref);

/* "<owner>_<name>_<ref with every / replaced by _>": the folder torch.hub
 * uses under the hub dir. */
char *spec_cache_name(const char *owner, const char *name, const char *ref);

/* "owner/name:ref" (or "owner/name" without a ref), for messages. */
char *spec_display(const struct spec *spec);

/* Whether ref could be a commit SHA or prefix: 7 to 40 lower- or upper-case
 * hex digits. */
int spec_ref_is_sha_like(const char *ref);

#endif
