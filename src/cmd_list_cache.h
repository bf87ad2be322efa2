/*
 * cmd_list_cache.h - `hub list` without a SPEC: what the cache holds.
 *
 * Part of the command layer (it prints); cmd_list.c calls it when it is
 * given no SPEC.
 */
#ifndef HUB_CMD_LIST_CACHE_H
#define HUB_CMD_LIST_CACHE_H

/* Prints the inventory of hub_dir on stdout, as text or (json) as one JSON
 * object; notes go to stderr unless -q. Returns an exit status. */
int cache_print_listing(const char *hub_dir, int json);

/* The whole of `hub list` without a SPEC: resolves the hub dir (--dir and
 * the rest, as every command) and prints its inventory (--json too). */
int cache_list_command(void);

#endif
