/* Table-driven checks for the unit tests: every failing row is reported by name, then the
 * test fails once at the end, so that one bad row does not hide the others. Include after
 * <cmocka.h>. */
#ifndef CGLIMITS_TABLE_CHECK_H
#define CGLIMITS_TABLE_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

static int row_failures;

#define ROW_FAIL(row, fmt, ...)                                                                    \
        do {                                                                                       \
                print_error("[%s] " fmt "\n", (row), __VA_ARGS__);                                 \
                row_failures++;                                                                    \
        } while (0)

#define ROWS_DONE()                                                                                \
        do {                                                                                       \
                int n_ = row_failures;                                                             \
                row_failures = 0;                                                                  \
                if (n_)                                                                            \
                        fail_msg("%d table check(s) failed", n_);                                  \
        } while (0)

#define CHECK_INT(row, got, want)                                                                  \
        do {                                                                                       \
                long long g_ = (long long)(got), w_ = (long long)(want);                           \
                if (g_ != w_)                                                                      \
                        ROW_FAIL(row, "%s: got %lld, want %lld", #got, g_, w_);                    \
        } while (0)

#define CHECK_U64(row, got, want)                                                                  \
        do {                                                                                       \
                uint64_t g_ = (got), w_ = (want);                                                  \
                if (g_ != w_)                                                                      \
                        ROW_FAIL(row, "%s: got %" PRIu64 ", want %" PRIu64, #got, g_, w_);         \
        } while (0)

#define CHECK_UL(row, got, want) CHECK_U64(row, (uint64_t)(got), (uint64_t)(want))

#define CHECK_STR(row, got, want)                                                                  \
        do {                                                                                       \
                const char *g_ = (got), *w_ = (want);                                              \
                if (strcmp(g_, w_) != 0)                                                           \
                        ROW_FAIL(row, "%s: got \"%s\", want \"%s\"", #got, g_, w_);                \
        } while (0)

#endif
