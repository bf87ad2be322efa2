/*
 * hubdir.h - where the cache lives, and hub's config file.
 *
 * The hub dir is resolved as torch.hub's get_dir() does, with two sources in
 * front of it: --dir (torch.hub.set_dir) and hub's persisted setting.
 *
 * The config file ($XDG_CONFIG_HOME/hub/config, default ~/.config/hub/config)
 * is text, one "key = value" a line; "#" starts a comment line. Keys: dir,
 * url-rewrite. Anything else is an error naming the file and line.
 *
 * Strings in the structs below are owned by the struct; free with the
 * matching *_free function.
 */
#ifndef HUB_HUBDIR_H
#define HUB_HUBDIR_H

enum hubdir_source {
	HUBDIR_FROM_OPTION,         /* --dir */
	HUBDIR_FROM_CONFIG,         /* hub set-dir */
	HUBDIR_FROM_TORCH_HOME,     /* $TORCH_HOME/hub */
	HUBDIR_FROM_XDG_CACHE_HOME, /* $XDG_CACHE_HOME/torch/hub */
	HUBDIR_FROM_DEFAULT         /* ~/.cache/torch/hub */
};

struct config {
	char *dir;          /* NULL when unset */
	char *url_rewrite;  /* NULL when unset */
};

struct hubdir {
	char *path;                 /* absolute */
	enum hubdir_source source;
	char *config_path;          /* the config file consulted */
};

/* The config file's path (it need not exist). */
char *config_path(void);
/* Reads path; a missing file is an empty config. */
int config_read(const char *path, struct config *out);
/* Writes cfg to path atomically, creating its folder; the old file survives
 * any failure. */
int config_write(const char *path, const struct config *cfg);
void config_free(struct config *cfg);

/* Resolves the hub dir; option_dir is --dir's value or NULL. The directory
 * is not created. */
int hubdir_resolve(const char *option_dir, struct hubdir *out);
/* "--dir", "hub set-dir (FILE)", "TORCH_HOME", ... for messages. */
const char *hubdir_source_name(enum hubdir_source source);
void hubdir_free(struct hubdir *dir);

/* What a Python program does to use the same dir: "TORCH_HOME=..." advice
 * when the dir is named hub, else a torch.hub.set_dir(...) call. */
char *hubdir_python_hint(const char *path);

#endif
