/* The one place where lib/ touches the file system. Raw syscalls only, so that nothing here
 * re-enters the interposed libc names; fixed caller-provided buffers, no allocation. */
#ifndef CGLIMITS_FILE_READ_H
#define CGLIMITS_FILE_READ_H

#include <stddef.h>
#include <stdint.h>

/* Longest path the library builds, sysroot prefix included. Longer paths fail with
 * -ENAMETOOLONG and the caller passes through. */
#define CGL_PATH_MAX 1024

/* Joins prefix (may be NULL or ""), then each part, into out. Returns the length or
 * -ENAMETOOLONG. */
int cgl_path_join(char *out, size_t cap, const char *prefix, const char *a, const char *b);

/* Reads the whole file at root+path into buf and NUL-terminates it. Proc and cgroup files
 * report st_size 0, so the size is learnt by reading: a file that does not fit in cap - 1
 * bytes fails with -EFBIG rather than being silently cut. Returns the length or -errno. */
int cgl_read_file(const char *root, const char *path, char *buf, size_t cap);

/* Calls fn on each line of the file at root+path (without its '\n'; the last line may lack
 * one). fn returns 0 to go on, > 0 to stop early (success), < 0 to abort with that error.
 * Lines longer than the internal chunk fail with -EFBIG. Returns 0 or -errno. */
typedef int (*cgl_line_fn)(void *ctx, const char *line, size_t len);
int cgl_read_lines(const char *root, const char *path, cgl_line_fn fn, void *ctx);

/* Whether root+path exists (any type). Returns 1, 0, or -errno for errors other than ENOENT. */
int cgl_path_exists(const char *root, const char *path);

/* The inode number of root+path (following symlinks: /proc/self/ns/mnt gives the
 * namespace's). Returns 0 or -errno. */
int cgl_path_inode(const char *root, const char *path, uint64_t *ino);

/* Directory listing for the namespace search: calls fn with each subdirectory name of
 * root+path ("." and ".." excluded). Same return contract as cgl_read_lines. */
typedef int (*cgl_dir_fn)(void *ctx, const char *name);
int cgl_list_subdirs(const char *root, const char *path, cgl_dir_fn fn, void *ctx);

/* Descriptors kept open between loads.
 *
 * Opening a cgroup or proc file walks its path, and on a virtualised host that walk is most of
 * the cost of reading it (7.5 us for open+read+close of memory.usage_in_bytes here, 1.5 us for a
 * pread(2) on a descriptor already open). A process that reads its memory figures again and
 * again (top, a runtime watching for memory pressure) therefore keeps the files of its last
 * load open and rereads them with pread(2): every figure is still the kernel's current one,
 * only the path walk is saved.
 *
 * The descriptors belong to the process, so they are held with care: close-on-exec; moved
 * above the numbers a program normally uses; checked with fstat(2) against the device and
 * inode seen at open before every use (a program may close them behind the library's back:
 * a number that now names another file is forgotten), and closed only when the open file
 * also carries the marks the library gave it (O_NONBLOCK, close-on-exec), so that a program
 * that reopened the same file under the same number keeps it; at most CGL_KEPT_SLOTS per set;
 * none until a load has succeeded, so one-shot programs keep nothing; all closed when a load
 * fails; and given back for good once the program runs out of descriptors.
 *
 * A set is owned by one reader at a time, taken with an atomic exchange: a thread or signal
 * handler that finds every set busy reads the plain way. Nothing waits.
 *
 * The sets describe one process's descriptor table. fork(2) copies them into a child whose
 * table holds copies of the descriptors; vfork(2) runs a child in the very same memory with a
 * table of its own. A page marked MADV_WIPEONFORK tells the two apart: it reads zero in a
 * forked child, which closes its copies and starts afresh, while a vfork child (same memory,
 * another pid) touches nothing and reads the plain way. */
#define CGL_KEPT_SLOTS 12
#define CGL_KEPT_SETS  8
#define CGL_KEPT_PATH  240

struct cgl_kept_slot {
        int fd_plus1;      /* 0: empty, so that zeroed storage is a valid empty slot */
        uint64_t dev, ino; /* identity at open */
        unsigned len;
        char path[CGL_KEPT_PATH];
};

struct cgl_kept_set {
        int busy; /* 1 while a reader owns the set; only the owner touches its slots */
        struct cgl_kept_slot slot[CGL_KEPT_SLOTS];
};

struct cgl_kept_files {
        unsigned long loads;      /* complete loads since the last failed one */
        int held;                 /* descriptors kept, all sets together */
        int given_back;           /* the process ran out of descriptors: keep none from now on */
        int owner_pid;            /* the process whose descriptors the sets hold */
        unsigned char *fork_mark; /* the MADV_WIPEONFORK page (owned, claiming) */
        struct cgl_kept_set set[CGL_KEPT_SETS];
};

/* What one load reads through: the sysroot prefix, and the kept set it owns, if any. */
struct cgl_reader {
        const char *root;
        int pid;
        struct cgl_kept_files *files;
        struct cgl_kept_set *set; /* NULL: every file is opened, read and closed */
        unsigned next;            /* the slot of the next file read */
};

/* Starts a load. files may be NULL (nothing kept). */
void cgl_reader_begin(struct cgl_reader *rd, const char *root, int pid,
                      struct cgl_kept_files *files);

/* Ends a load. complete says it succeeded: slots it did not use this time (a process that
 * moved to a shallower cgroup) are closed rather than pinning the old cgroup's files. After
 * a failure every kept descriptor of every idle set is closed and nothing is kept until a
 * load succeeds. Returns how many descriptors were closed. */
int cgl_reader_end(struct cgl_reader *rd, int complete);

/* cgl_read_file through the reader: the file is the next slot of the owned set, reopened when
 * the slot holds another path or a descriptor that is no longer the file opened. */
int cgl_reader_read(struct cgl_reader *rd, const char *path, char *buf, size_t cap);

/* Closes the kept descriptors of every set no reader owns, in the process that holds them.
 * Returns how many were closed. */
int cgl_kept_close_all(struct cgl_kept_files *files, int pid);

/* The same, and nothing is kept any more in this process: for a program that ran out of
 * descriptors. Returns how many were closed. */
int cgl_kept_give_back(struct cgl_kept_files *files, int pid);

#endif
