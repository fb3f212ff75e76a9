#include "locate_cache.h"

#include <stddef.h>
#include <string.h>

/* The structures are accessed as words (may_alias: whatever their members' types). */
typedef unsigned long __attribute__((may_alias)) word;

/* The seqlock's copies race with a writer by design (the sequence check throws a torn copy
 * away); word-wise relaxed atomics make that race defined behaviour in C11. Both structures
 * are made of 8-byte-aligned members. */
static void copy_words(void *dst, const void *src, size_t n)
{
        word *d = dst;
        const word *s = src;
        for (size_t i = 0; i < n / sizeof(long); i++)
                __atomic_store_n(&d[i], __atomic_load_n(&s[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

/* Compares the cached key with key word by word while a writer may be changing it (a torn
 * comparison is thrown away with the copy). Bytes past len are zero in both (see
 * locate_key_clear_tail), so only the words that hold len bytes of text need comparing. */
static bool same_key(const struct locate_key *cached, const struct locate_key *key)
{
        size_t used = offsetof(struct locate_key, proc_cgroup) + key->len;
        size_t words = (used + sizeof(long) - 1) / sizeof(long);
        const word *c = (const word *)cached;
        const word *k = (const word *)key;
        for (size_t i = 0; i < words; i++)
                if (__atomic_load_n(&c[i], __ATOMIC_RELAXED) != k[i])
                        return false;
        return true;
}

void locate_key_clear_tail(struct locate_key *key)
{
        size_t used = offsetof(struct locate_key, proc_cgroup) + key->len;
        size_t end = (used + sizeof(long) - 1) / sizeof(long) * sizeof(long);
        memset((char *)key + used, 0, end - used);
}

/* The protocol is described in locate_cache.h. */
bool locate_cache_get(struct locate_cache *c, const struct locate_key *key,
                      struct cgroup_location *loc)
{
        unsigned before = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
        if ((before & 1) || !__atomic_load_n(&c->valid, __ATOMIC_RELAXED))
                return false;
        if (!same_key(&c->key, key))
                return false;
        copy_words(loc, &c->loc, sizeof(*loc));
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        return __atomic_load_n(&c->seq, __ATOMIC_RELAXED) == before;
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
