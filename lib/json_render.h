/* The public figures as one JSON object, the format of `cglimits --json`. Keys are stable:
 * new ones may be added, none is renamed or removed (cglimits_memory(3) lists them). */
#ifndef CGLIMITS_JSON_RENDER_H
#define CGLIMITS_JSON_RENDER_H

#include <stddef.h>
#include <sys/types.h>

#include "cglimits.h"

/* Writes the object for process pid (0: "pid" is left out) and a newline into out. Returns
 * the length or -ENOSPC. */
int json_render(const struct cglimits_memory *m, pid_t pid, char *out, size_t cap);

#endif
