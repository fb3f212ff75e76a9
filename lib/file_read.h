/* The one place where lib/ touches the file system. Raw syscalls only, so that nothing here
 * re-enters the interposed libc names; caller-provided buffers, no allocation, and no big
 * buffer on the stack: the library runs on whatever stack the program calls it on (a 16 KiB
 * thread, an 8 KiB alternate signal stack). Every descriptor is opened, read and closed
 * within one call: nothing stays open between calls. */
#ifndef CGLIMITS_FILE_READ_H
#define CGLIMITS_FILE_READ_H

#include <stddef.h>
#include <stdint.h>

/* Longest path the library builds, sysroot prefix included. Longer paths fail with
 * -ENAMETOOLONG and the caller passes through. */
#define CGL_PATH_MAX 1024

/* The window cgl_read_lines reads through: the longest line it can hand over. */
#define CGL_LINE_CHUNK 4096

/* Room for a file parsed right after it is read (memory.stat: about 1.5 KiB on 6.x). */
#define CGL_TEXT_MAX 4096

/* What the reads of one load go through: the sysroot prefix and the buffers the calls below
 * would otherwise put on the stack. One load uses one at a time; it is never shared. */
struct cgl_io {
        const char *root;           /* sysroot prefix, NULL or "" for the real file system */
        const char *proc;           /* the process's proc directory, NULL for "/proc/self" */
        const char *mount_prefix;   /* put before the mount points mountinfo lists, or NULL */
        char full[CGL_PATH_MAX];    /* root + path, only while a call opens its file */
        char chunk[CGL_LINE_CHUNK]; /* cgl_read_lines' window (its callbacks must not nest it) */
        char name[CGL_PATH_MAX];    /* a path a caller composes before handing it over */
        char text[CGL_TEXT_MAX];    /* a caller's copy of a file it parses right away */
};

/* Sets root; proc and mount_prefix start NULL (the calling process, its own mounts). */
void cgl_io_init(struct cgl_io *io, const char *root);

/* io->proc (or "/proc/self") joined with "/" and name into io->name. Returns the length or
 * -ENAMETOOLONG. */
int cgl_proc_path(struct cgl_io *io, const char *name);

/* Joins prefix (may be NULL or ""), then each part, into out. Returns the length or
 * -ENAMETOOLONG. */
int cgl_path_join(char *out, size_t cap, const char *prefix, const char *a, const char *b);

/* Reads the whole file at root+path into buf and NUL-terminates it. Proc and cgroup files
 * report st_size 0, so the size is learnt by reading: a file that does not fit in cap - 1
 * bytes fails with -EFBIG rather than being silently cut. Returns the length or -errno. */
int cgl_read_file(struct cgl_io *io, const char *path, char *buf, size_t cap);

/* Calls fn on each line of the file at root+path (without its '\n'; the last line may lack
 * one). fn returns 0 to go on, > 0 to stop early (success), < 0 to abort with that error.
 * Lines longer than CGL_LINE_CHUNK fail with -EFBIG. Returns 0 or -errno. */
typedef int (*cgl_line_fn)(void *ctx, const char *line, size_t len);
int cgl_read_lines(struct cgl_io *io, const char *path, cgl_line_fn fn, void *ctx);

/* Whether root+path exists (any type). Returns 1, 0, or -errno for errors other than ENOENT. */
int cgl_path_exists(struct cgl_io *io, const char *path);

/* The inode number of root+path (following symlinks: /proc/self/ns/mnt gives the
 * namespace's). Returns 0 or -errno. */
int cgl_path_inode(struct cgl_io *io, const char *path, uint64_t *ino);

/* Directory listing for the namespace search: calls fn with each subdirectory name of
 * root+path ("." and ".." excluded), reading the entries through buf (8-byte aligned, at
 * least 512 bytes; fn may list another directory with a buffer of its own). Same return
 * contract as cgl_read_lines. */
typedef int (*cgl_dir_fn)(void *ctx, const char *name);
int cgl_list_subdirs(struct cgl_io *io, const char *path, char *buf, size_t cap, cgl_dir_fn fn,
                     void *ctx);

#endif
