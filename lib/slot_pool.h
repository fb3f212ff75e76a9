/* Fixed-size work areas handed out without locks: a few in static storage, beyond them one
 * mapped per call (the protocol is at the top of slot_pool.c). */
#ifndef CGLIMITS_SLOT_POOL_H
#define CGLIMITS_SLOT_POOL_H

#include <stddef.h>

struct slot_pool {
        void *elems; /* n elements of size bytes, in static storage */
        int *busy;   /* n words, 0 when the element is free */
        unsigned n;
        size_t size;
};

/* An element for this call, or NULL when none is free and none can be mapped. */
void *slot_take(const struct slot_pool *p);

/* Gives an element back; e may be NULL. */
void slot_give(const struct slot_pool *p, void *e);

#endif
