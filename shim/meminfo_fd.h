/* Synthesized /proc/meminfo files: memfds the shim hands out and refreshes. */
#ifndef CGLIMITS_MEMINFO_FD_H
#define CGLIMITS_MEMINFO_FD_H

#include <stdbool.h>

#include "work_pool.h"

/* Returns a new descriptor holding the synthesized file at offset 0, or a negative errno
 * (including -EAGAIN for "no limit: use the real file"). Never leaves a descriptor behind
 * on failure. */
int meminfo_fd_open(struct shim_work *w, bool cloexec);

/* Cheap test: fd may be one of ours (a bit set when it was handed out). Stale after a close
 * the shim never saw; meminfo_fd_refresh() settles it. */
bool meminfo_fd_maybe_ours(int fd);

/* If fd really is a synthesized file, rewrites it with fresh figures. Any failure leaves
 * the file as it was. */
void meminfo_fd_refresh(struct shim_work *w, int fd);

/* Closes a synthesized descriptor the library made for itself, and forgets it. */
void meminfo_fd_close(int fd);

/* After dup3(from, to): to is a synthesized file as well. */
void meminfo_fd_adopt(int from, int to);

#endif
