/*
 * pyunicode.c - the stored part of Python 3.11's \N{...} name table.
 *
 * Placeholder until the generated table lands: no stored names, so only
 * the computed ones (Hangul syllables, CJK unified ideographs) resolve.
 */
#include <stddef.h>

#include "pyscan.h"

int py_unicode_table_lookup(const char *name, size_t len, unsigned long *cp)
{
	(void)name;
	(void)len;
	(void)cp;
	return 0;
}
