#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static char message[1024];

__attribute__((format(printf, 1, 0)))
static void record(const char *fmt, va_list ap, const char *suffix)
{
	int n = vsnprintf(message, sizeof(message), fmt, ap);
	if (n < 0)
		message[0] = '\0';
	if (suffix) {
		size_t len = strlen(message);
		snprintf(message + len, sizeof(message) - len, ": %s", suffix);
	}
}

int hub_error(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(fmt, ap, NULL);
	va_end(ap);
	return status;
}

int hub_error_errno(int status, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	record(fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
	return status;
}

const char *hub_error_message(void)
{
	return message;
}

void hub_error_clear(void)
{
	message[0] = '\0';
}

static void (*log_sink)(const char *line);

void hub_log_set_sink(void (*sink)(const char *line))
{
	log_sink = sink;
}

int hub_log_enabled(void)
{
	return log_sink != NULL;
}

void hub_log(const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (!log_sink)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_sink(line);
}
