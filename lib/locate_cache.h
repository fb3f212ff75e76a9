/* Where the process's cgroup directory is changes only when the process moves to another
 * cgroup or namespace, so the mountinfo walk is remembered, keyed by what would change then
 * (/proc/self/cgroup as read, the mount and cgroup namespace inodes). The cache is
 * caller-owned storage (the shim keeps one per process); zeroed storage is empty.
 *
 * Protocol: a sequence lock whose readers never retry and whose writers never wait.
 *   seq     even: key and loc are stable; odd: a writer is changing them.
 *   writer  0 or 1: the right to write, taken with a compare-and-swap (a try-lock).
 *   valid   set once the first update is complete.
 * Writer (locate_cache_put): takes writer or gives up at once (another update is under way,
 * possibly the very code a signal handler interrupted); seq becomes odd, then key and loc
 * are stored word by word, then seq becomes even again (release), then writer is dropped.
 * Reader (locate_cache_get): loads seq (acquire); odd or not valid is a miss; compares the
 * key and copies loc word by word with relaxed atomic loads (a race with a writer is then
 * defined behaviour, and its torn result is thrown away); loads seq again after an acquire
 * fence: changed is a miss. A miss costs the caller the walk, never a wrong directory.
 * A signal handler that interrupts a writer sees seq odd (a miss) and cannot write (writer
 * held); one that interrupts a reader leaves the reader's sequence check to catch any update
 * it made. Nothing waits, so no interleaving deadlocks.
 * fork: the child gets the cache as it was; a writer interrupted by the fork in another
 * thread leaves seq odd and writer held for good in the child, whose reads then all miss
 * (slower, still right). vfork: the child shares the memory and behaves as one more thread
 * (it may have moved to another cgroup or namespace: those are part of every key). exec:
 * gone with the image.
 */
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

/* Zeroes key's text from len up to the next word: done on every key before it is looked up
 * or stored, so that keys compare word by word. */
void locate_key_clear_tail(struct locate_key *key);

/* Copies the cached location into loc when the key matches (loc may be written even when it
 * does not). */
bool locate_cache_get(struct locate_cache *c, const struct locate_key *key,
                      struct cgroup_location *loc);

/* Stores a location, unless another update is under way. */
void locate_cache_put(struct locate_cache *c, const struct locate_key *key,
                      const struct cgroup_location *loc);

#endif
