/* probe_move FLAGFILE
 * Opens /proc/meminfo once and prints its MemTotal; waits until FLAGFILE exists (the test
 * moves this process to another cgroup meanwhile), then seeks the same descriptor back to
 * 0, reads again and prints the new MemTotal. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long mem_total_kb(int fd)
{
        char text[4096];
        ssize_t n = read(fd, text, sizeof(text) - 1);
        if (n <= 0)
                return 0;
        text[n] = '\0';
        const char *p = strstr(text, "MemTotal:");
        return p ? strtoull(p + 9, NULL, 10) : 0;
}

int main(int argc, char **argv)
{
        if (argc != 2)
                return 2;
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0)
                return 2;
        printf("first=%llu\n", mem_total_kb(fd));
        fflush(stdout);
        struct timespec tick = {0, 10 * 1000 * 1000};
        for (int i = 0; access(argv[1], F_OK) != 0; i++) {
                if (i > 6000)
                        return 3;
                nanosleep(&tick, NULL);
        }
        if (lseek(fd, 0, SEEK_SET) != 0)
                return 4;
        printf("second=%llu\n", mem_total_kb(fd));
        return 0;
}
