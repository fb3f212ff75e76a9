/* The registry of handed-out descriptors.
 *
 * State: one word per descriptor number below HANDED_OUT_FDS: 0 when the library knows of
 * no synthesized file there, else the memfd's inode number + 1 (shmem inode numbers are
 * 32-bit, so the sum never wraps to 0).
 *
 * Writers: handed_out_mark stores the word (release) once the memfd holds its text and
 * before the number is returned to the program, so any thread that later sees the number
 * sees the entry. handed_out_forget clears it with a compare-and-swap from the value the
 * caller checked: a mark made since (the number closed by the program and reused for a new
 * memfd, in another thread or in a signal handler) is never lost. Readers load it (acquire).
 *
 * An entry is only a hint: the program closes and dup2s descriptors without the library
 * seeing it, so a number may name another file by now. Users confirm it with the
 * descriptor's inode and its /proc/self/fd name before touching it (meminfo_fd.c), and
 * forget it when that fails. A signal handler sees any entry either before or after one
 * atomic operation, never half of one.
 *
 * fork: the child has the same numbers for the same files, and the same entries. vfork: the
 * child shares these words but has a table of its own; what it marks is a stale hint for the
 * parent, which the confirmation catches. exec: the entries go with the image, so a memfd
 * inherited across exec keeps the figures it had (documented in the README).
 */
#include "handed_out.h"

static uint64_t entry[HANDED_OUT_FDS];

void handed_out_mark(int fd, uint64_t ino)
{
        if (fd >= 0 && fd < HANDED_OUT_FDS)
                __atomic_store_n(&entry[fd], ino + 1, __ATOMIC_RELEASE);
}

uint64_t handed_out_inode(int fd)
{
        if (fd < 0 || fd >= HANDED_OUT_FDS)
                return 0;
        uint64_t v = __atomic_load_n(&entry[fd], __ATOMIC_ACQUIRE);
        return v ? v - 1 : 0;
}

void handed_out_forget(int fd, uint64_t ino)
{
        if (fd < 0 || fd >= HANDED_OUT_FDS)
                return;
        uint64_t seen = ino + 1;
        __atomic_compare_exchange_n(&entry[fd], &seen, 0, false, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED);
}
