/* The slot pool: storage for the calls under way, handed out without locks.
 *
 * Elements: n elements in static storage, each with a busy word, and beyond them elements
 * mapped for one call when every static one is busy.
 *
 * States of a static element: FREE (busy == 0) and HELD (busy == 1). slot_take moves one
 * from FREE to HELD with an atomic exchange, so exactly one caller gets it; only the holder
 * reads or writes the element; slot_give moves it back with a release store, which orders
 * the holder's last writes before any later holder's first reads (that holder's exchange is
 * an acquire). A mapped element belongs to the call that mapped it and is unmapped by it.
 * Nothing waits: a caller that finds every element HELD maps one, and a caller that cannot
 * map one gets NULL (the shim then passes through, the public calls fail with -ENOMEM).
 *
 * A signal handler that interrupts a call at any point finds that call's element HELD (the
 * exchange either happened or did not) and takes another: it never sees the interrupted
 * call's storage. The same holds for a handler interrupting the handler (SA_NODEFER, nested
 * signals), as deep as the elements and the mappings go.
 *
 * fork: the child gets a copy of the elements with their busy words. An element HELD by the
 * forking thread's own interrupted call (fork from a handler) is given back when that call
 * resumes; one HELD by another thread stays HELD for good in the child, whose other elements
 * and mappings still serve it. vfork: the child runs in the parent's memory while the parent
 * thread is suspended, and takes and gives back like any other thread. exec: everything goes
 * with the old image. A handler that leaves a call with siglongjmp leaves its element HELD
 * (or its mapping in place): never reused, so never shared.
 */
#include "slot_pool.h"

#include <stdint.h>
#include <sys/mman.h>

void *slot_take(const struct slot_pool *p)
{
        for (unsigned i = 0; i < p->n; i++)
                if (!__atomic_exchange_n(&p->busy[i], 1, __ATOMIC_ACQUIRE))
                        return (char *)p->elems + i * p->size;
        /* mmap(2) is async-signal-safe; libc's wrapper rather than syscall() because the
         * system call differs between architectures (mmap2 on 32-bit ones). */
        void *e = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return e == MAP_FAILED ? NULL : e;
}

void slot_give(const struct slot_pool *p, void *e)
{
        if (!e)
                return;
        uintptr_t a = (uintptr_t)e, lo = (uintptr_t)p->elems, hi = lo + p->n * p->size;
        if (a >= lo && a < hi) {
                __atomic_store_n(&p->busy[(a - lo) / p->size], 0, __ATOMIC_RELEASE);
                return;
        }
        munmap(e, p->size);
}
