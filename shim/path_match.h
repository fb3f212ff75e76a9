/* Is this open aimed at /proc/meminfo? */
#ifndef CGLIMITS_PATH_MATCH_H
#define CGLIMITS_PATH_MATCH_H

#include <stdbool.h>

/* The cheap half: whether the last component of path is "meminfo". */
bool path_may_be_meminfo(const char *path);

/* True when path (relative to dirfd, as openat takes it) names the kernel's /proc/meminfo
 * however it is spelled: "/proc//meminfo", "/proc/./meminfo", "/proc/self/../meminfo",
 * "meminfo" from a cwd or dirfd of /proc. Costs a compare of the last component unless that
 * is "meminfo"; only then two stat calls settle it by device and inode. */
bool path_is_proc_meminfo(int dirfd, const char *path);

/* Whether open flags ask for plain reading (no write, create, truncate, O_PATH, directory). */
bool open_flags_read_only(int flags);

/* Whether an fopen mode asks for plain reading ("r", "rb", "re", "rm", ... but no '+'). */
bool fopen_mode_read_only(const char *mode);
bool fopen_mode_cloexec(const char *mode);

#endif
