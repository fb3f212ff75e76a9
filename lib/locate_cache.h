/* Where the process's cgroup directory is changes only when the process moves to another
 * cgroup or namespace, so the mountinfo walk is remembered, keyed by what would change then.
 * The cache is caller-owned storage (the shim keeps one per process); it is lock-free and
 * async-signal-safe: a reader that races with a writer just misses. */
#ifndef CGLIMITS_LOCATE_CACHE_H
#define CGLIMITS_LOCATE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_locate.h"

#define CGL_CACHE_KEY_MAX 768

struct __attribute__((aligned(8))) locate_key {
        uint64_t mnt_ns; /* inode of /proc/self/ns/mnt */
        uint64_t cgroup_ns;
        unsigned len;
        char proc_cgroup[CGL_CACHE_KEY_MAX]; /* /proc/self/cgroup as read */
};

_Static_assert(sizeof(struct locate_key) % sizeof(long) == 0, "copied word by word");
_Static_assert(sizeof(struct cgroup_location) % sizeof(long) == 0, "copied word by word");

struct locate_cache {
        unsigned seq; /* odd while an update is being written */
        int writer;   /* 1 while someone holds the update right */
        bool valid;
        struct locate_key key;
        struct cgroup_location loc;
};

/* Copies the cached location into loc when the key matches. */
bool locate_cache_get(struct locate_cache *c, const struct locate_key *key,
                      struct cgroup_location *loc);

/* Stores a location, unless another update is under way. */
void locate_cache_put(struct locate_cache *c, const struct locate_key *key,
                      const struct cgroup_location *loc);

#endif
