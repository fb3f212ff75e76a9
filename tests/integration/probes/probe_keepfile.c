/* probe_keepfile MODE: keeps a FILE* on /proc/meminfo and reads it to EOF
 * with fgets; then twice: allocates and touches 64 MiB, repositions to the
 * start with MODE and reads it to EOF again.  (Twice, because glibc may serve
 * a seek inside the still-buffered data without touching the descriptor.)
 *
 * MODE: rewind | fseek | fseeko | fseeko64 | fsetpos | fsetpos64
 * (fsetpos/fsetpos64 go back to the fpos_t taken with fgetpos/fgetpos64 right
 * after fopen).
 *
 * Output: fdlink, eof_after_first (1), reposition_result_2/_3 (0),
 * position_after_2/_3 (ftell: 0), MemTotal_N, MemFree_N, MemAvailable_N for
 * N = 1..3, drop_kB (1 -> 2), drop2_kB (2 -> 3). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "probe_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_buf[PROBE_BUF_SIZE];

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s rewind|fseek|fseeko|fseeko64|fsetpos|fsetpos64\n",
                        argv[0]);
                return 2;
        }
        const char *mode = argv[1];
        if (strcmp(mode, "rewind") != 0 && strcmp(mode, "fseek") != 0 &&
            strcmp(mode, "fseeko") != 0 && strcmp(mode, "fseeko64") != 0 &&
            strcmp(mode, "fsetpos") != 0 && strcmp(mode, "fsetpos64") != 0) {
                fprintf(stderr, "probe_keepfile: unknown mode '%s'\n", mode);
                return 2;
        }
        FILE *f = fopen(PROBE_MEMINFO, "r");
        if (!f)
                probe_die("fopen");
        probe_print_fdlink("fdlink", fileno(f));
        fpos_t pos;
        fpos64_t pos64;
        if (fgetpos(f, &pos) != 0 || fgetpos64(f, &pos64) != 0)
                probe_die("fgetpos");

        struct probe_meminfo m[3];
        void *mem[2] = {NULL, NULL};
        probe_read_file_all(f, g_buf, sizeof g_buf);
        probe_meminfo_parse(g_buf, &m[0]);
        printf("eof_after_first=%d\n", feof(f) ? 1 : 0);

        for (int i = 1; i < 3; i++) {
                mem[i - 1] = probe_alloc_touch(64u * PROBE_MIB);
                int rc = 0;
                if (strcmp(mode, "rewind") == 0)
                        rewind(f);
                else if (strcmp(mode, "fseek") == 0)
                        rc = fseek(f, 0L, SEEK_SET);
                else if (strcmp(mode, "fseeko") == 0)
                        rc = fseeko(f, (off_t)0, SEEK_SET);
                else if (strcmp(mode, "fseeko64") == 0)
                        rc = fseeko64(f, (off64_t)0, SEEK_SET);
                else if (strcmp(mode, "fsetpos") == 0)
                        rc = fsetpos(f, &pos);
                else
                        rc = fsetpos64(f, &pos64);
                printf("reposition_result_%d=%d\n", i + 1, rc);
                printf("position_after_%d=%ld\n", i + 1, ftell(f));
                probe_read_file_all(f, g_buf, sizeof g_buf);
                probe_meminfo_parse(g_buf, &m[i]);
        }
        fclose(f);
        free(mem[0]);
        free(mem[1]);

        probe_print_rereads(m, 3);
        return 0;
}
