/* probe_alloc available-minus|total-plus MIB
 * Reads MemTotal and MemAvailable from /proc/meminfo (through whatever is preloaded), then
 * allocates and touches MemAvailable - MIB or MemTotal + MIB, page by page. Prints the
 * figures, then "survived" if it is still alive. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned long long field_kb(const char *text, const char *key)
{
        const char *p = strstr(text, key);
        return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

int main(int argc, char **argv)
{
        if (argc != 3)
                return 2;
        char text[4096];
        int fd = open("/proc/meminfo", O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
        if (n <= 0)
                return 2;
        text[n] = '\0';
        close(fd);
        unsigned long long total = field_kb(text, "MemTotal:") << 10;
        unsigned long long avail = field_kb(text, "MemAvailable:") << 10;
        unsigned long long mib = strtoull(argv[2], NULL, 10) << 20;
        unsigned long long want = strcmp(argv[1], "total-plus") == 0 ? total + mib
                                  : avail > mib                      ? avail - mib
                                                                     : 0;
        printf("MemTotal=%llu MemAvailable=%llu allocating=%llu\n", total >> 10, avail >> 10,
               want >> 10);
        fflush(stdout);
        char *p =
            mmap(NULL, want ? want : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return 3;
        long page = sysconf(_SC_PAGESIZE);
        for (unsigned long long off = 0; off < want; off += (unsigned long long)page)
                p[off] = 1;
        printf("survived\n");
        return 0;
}
