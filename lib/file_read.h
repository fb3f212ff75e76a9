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

#endif
