#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One line: "Name:" (letters, digits, '_', '(', ')'), spaces, a number and an
 * optional " kB".  That is what the kernel prints. */
static int line_wellformed(const char *line, size_t len)
{
        size_t i = 0;
        while (i < len && (isalnum((unsigned char)line[i]) || line[i] == '_' || line[i] == '(' ||
                           line[i] == ')'))
                i++;
        if (i == 0 || i >= len || line[i] != ':')
                return 0;
        i++;
        while (i < len && line[i] == ' ')
                i++;
        size_t digits = i;
        while (i < len && isdigit((unsigned char)line[i]))
                i++;
        if (i == digits)
                return 0;
        if (i == len)
                return 1;
        return len - i == 3 && memcmp(line + i, " kB", 3) == 0;
}

int probe_meminfo_parse(const char *text, struct probe_meminfo *out)
{
        out->mem_total = out->mem_free = out->mem_available = out->swap_total = -1;
        out->fields = 0;
        out->wellformed = 1;
        const char *p = text;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                if (len > 0) {
                        out->fields++;
                        if (!line_wellformed(p, len))
                                out->wellformed = 0;
                        char name[64];
                        long long value;
                        if (sscanf(p, "%63[^:]: %lld", name, &value) == 2) {
                                if (strcmp(name, "MemTotal") == 0)
                                        out->mem_total = value;
                                else if (strcmp(name, "MemFree") == 0)
                                        out->mem_free = value;
                                else if (strcmp(name, "MemAvailable") == 0)
                                        out->mem_available = value;
                                else if (strcmp(name, "SwapTotal") == 0)
                                        out->swap_total = value;
                        }
                }
                if (!nl)
                        break;
                p = nl + 1;
        }
        if (out->fields == 0)
                out->wellformed = 0;
        return out->mem_total >= 0 ? 0 : -1;
}

void probe_meminfo_print(const char *prefix, const struct probe_meminfo *m)
{
        printf("%sMemTotal=%lld\n", prefix, m->mem_total);
        printf("%sMemFree=%lld\n", prefix, m->mem_free);
        printf("%sMemAvailable=%lld\n", prefix, m->mem_available);
        printf("%sSwapTotal=%lld\n", prefix, m->swap_total);
        printf("%sfields=%d\n", prefix, m->fields);
        printf("%swellformed=%d\n", prefix, m->wellformed);
}

ssize_t probe_read_fd_all(int fd, char *buf, size_t cap)
{
        size_t used = 0;
        while (used + 1 < cap) {
                ssize_t n = read(fd, buf + used, cap - 1 - used);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        buf[used] = '\0';
                        return -1;
                }
                if (n == 0)
                        break;
                used += (size_t)n;
        }
        buf[used] = '\0';
        return (ssize_t)used;
}

ssize_t probe_read_fd_once(int fd, char *buf, size_t cap)
{
        ssize_t n = read(fd, buf, cap - 1);
        buf[n > 0 ? (size_t)n : 0] = '\0';
        return n;
}

size_t probe_read_file_all(FILE *f, char *buf, size_t cap)
{
        size_t used = 0;
        char line[1024];
        buf[0] = '\0';
        while (fgets(line, sizeof line, f)) {
                size_t len = strlen(line);
                if (used + len + 1 > cap)
                        break;
                memcpy(buf + used, line, len + 1);
                used += len;
        }
        return used;
}

void probe_print_fdlink(const char *key, int fd)
{
        char path[64], target[4096];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0) {
                printf("%s=<readlink failed: %s>\n", key, probe_errname(errno));
                return;
        }
        target[n] = '\0';
        printf("%s=%s\n", key, target);
}

void probe_print_keys(const char *key, const char *text)
{
        printf("%s=", key);
        int first = 1;
        const char *p = text;
        while (*p) {
                const char *colon = strchr(p, ':');
                const char *nl = strchr(p, '\n');
                if (colon && (!nl || colon < nl)) {
                        printf("%s%.*s", first ? "" : ",", (int)(colon - p), p);
                        first = 0;
                }
                if (!nl)
                        break;
                p = nl + 1;
        }
        printf("\n");
}

void *probe_alloc_touch(size_t bytes)
{
        char *mem = malloc(bytes);
        if (!mem)
                probe_die("malloc");
        volatile char *v = mem;
        long page = sysconf(_SC_PAGESIZE);
        if (page <= 0)
                page = 4096;
        for (size_t i = 0; i < bytes; i += (size_t)page)
                v[i] = (char)(i / (size_t)page + 1);
        return mem;
}

const char *probe_errname(int err)
{
        static char num[32];
        switch (err) {
        case 0:
                return "0";
        case EPERM:
                return "EPERM";
        case ENOENT:
                return "ENOENT";
        case EIO:
                return "EIO";
        case EBADF:
                return "EBADF";
        case EACCES:
                return "EACCES";
        case EEXIST:
                return "EEXIST";
        case ENOTDIR:
                return "ENOTDIR";
        case EISDIR:
                return "EISDIR";
        case EINVAL:
                return "EINVAL";
        case EMFILE:
                return "EMFILE";
        case ENFILE:
                return "ENFILE";
        case ESPIPE:
                return "ESPIPE";
        case EROFS:
                return "EROFS";
        case ELOOP:
                return "ELOOP";
        case ENAMETOOLONG:
                return "ENAMETOOLONG";
        case EFAULT:
                return "EFAULT";
        case ENOSYS:
                return "ENOSYS";
        case EOPNOTSUPP:
                return "EOPNOTSUPP";
        default:
                snprintf(num, sizeof num, "%d", err);
                return num;
        }
}

_Noreturn void probe_die(const char *what)
{
        int err = errno;
        fprintf(stderr, "probe: %s: %s (%s)\n", what, strerror(err), probe_errname(err));
        fflush(stdout);
        exit(2);
}

void probe_print_rereads(const struct probe_meminfo *m, int n)
{
        for (int i = 0; i < n; i++)
                printf("MemTotal_%d=%lld\nMemFree_%d=%lld\nMemAvailable_%d=%lld\n", i + 1,
                       m[i].mem_total, i + 1, m[i].mem_free, i + 1, m[i].mem_available);
        printf("drop_kB=%lld\n", m[0].mem_free - m[1].mem_free);
        printf("drop2_kB=%lld\n", m[1].mem_free - m[2].mem_free);
}

void probe_read_reported_fd(int fd, char *buf, size_t cap)
{
        printf("fd=%d\n", fd);
        probe_print_fdlink("fdlink", fd);
        if (probe_read_fd_all(fd, buf, cap) < 0)
                probe_die("read");
        close(fd);
}

void probe_report_text(const char *text)
{
        struct probe_meminfo m;
        printf("bytes=%zu\n", strlen(text));
        probe_print_keys("keys", text);
        if (probe_meminfo_parse(text, &m) != 0)
                fprintf(stderr, "probe: no MemTotal in what was read\n");
        probe_meminfo_print("", &m);
}

long long probe_read_mem_total(void)
{
        static char buf[PROBE_BUF_SIZE];
        struct probe_meminfo m;
        int fd = open(PROBE_MEMINFO, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                probe_die("open " PROBE_MEMINFO);
        if (probe_read_fd_all(fd, buf, sizeof buf) < 0)
                probe_die("read " PROBE_MEMINFO);
        close(fd);
        probe_meminfo_parse(buf, &m);
        return m.mem_total;
}
