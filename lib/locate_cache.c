#include "locate_cache.h"

#include <stddef.h>
#include <string.h>

/* The seqlock's copies race with a writer by design (the sequence check throws a torn copy
 * away); word-wise relaxed atomics make that race defined behaviour in C11. Both structures
 * are made of 8-byte-aligned members. */
static void copy_words(void *dst, const void *src, size_t n)
{
        unsigned long *d = dst;
        const unsigned long *s = src;
        for (size_t i = 0; i < n / sizeof(long); i++)
                __atomic_store_n(&d[i], __atomic_load_n(&s[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

static bool same_key(const struct locate_key *a, const struct locate_key *b)
{
        return a->mnt_ns == b->mnt_ns && a->cgroup_ns == b->cgroup_ns && a->len == b->len &&
               memcmp(a->proc_cgroup, b->proc_cgroup, a->len) == 0;
}

/* A sequence lock: readers copy optimistically and retry never, writers are exclusive
 * through a try-lock. A reader that loses the race misses and recomputes, which is always
 * correct, so nothing ever waits (signal handlers included). */
bool locate_cache_get(struct locate_cache *c, const struct locate_key *key,
                      struct cgroup_location *loc)
{
        unsigned before = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
        if ((before & 1) || !__atomic_load_n(&c->valid, __ATOMIC_RELAXED))
                return false;
        struct locate_key cached;
        copy_words(&cached, &c->key, sizeof(cached));
        copy_words(loc, &c->loc, sizeof(*loc));
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&c->seq, __ATOMIC_RELAXED) != before)
                return false;
        return same_key(&cached, key);
}

void locate_cache_put(struct locate_cache *c, const struct locate_key *key,
                      const struct cgroup_location *loc)
{
        int expected = 0;
        if (!__atomic_compare_exchange_n(&c->writer, &expected, 1, false, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED))
                return;
        __atomic_add_fetch(&c->seq, 1, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        copy_words(&c->key, key, sizeof(*key));
        copy_words(&c->loc, loc, sizeof(*loc));
        __atomic_store_n(&c->valid, true, __ATOMIC_RELAXED);
        __atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
        __atomic_store_n(&c->writer, 0, __ATOMIC_RELEASE);
}
