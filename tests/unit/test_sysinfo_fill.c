/* Unit tests for lib/sysinfo_fill.c: the view as struct sysinfo and as sysconf page counts. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/sysinfo.h>

#include <cmocka.h>

#include "table_check.h"

#include "sysinfo_fill.h"

#define KB(x)  (UINT64_C(x) * 1024)
#define MIB(x) (UINT64_C(x) * 1024 * 1024)

/* A 256 MiB view; figures chosen so that each divides differently by the units used. */
static void make_view(struct mem_view *v)
{
        memset(v, 0, sizeof(*v));
        v->passthrough = false;
        v->limit = MIB(256);
        v->field[VF_MEM_TOTAL] = MIB(256);
        v->field[VF_MEM_FREE] = MIB(150) + 4095; /* 4095 bytes short of a page more */
        v->field[VF_MEM_AVAILABLE] = MIB(200);
        v->field[VF_BUFFERS] = KB(12);
        v->field[VF_SHMEM] = MIB(4) + 1;
        v->field[VF_SWAP_TOTAL] = MIB(128);
        v->field[VF_SWAP_FREE] = MIB(100) + 65535;
        v->field[VF_CACHED] = MIB(50);
}

/* What the real sysinfo(2) had put there: the host's figures and the rest. */
static void host_info(struct sysinfo *si, unsigned mem_unit)
{
        memset(si, 0x5A, sizeof(*si));
        si->uptime = 123456;
        si->loads[0] = 65536;
        si->loads[1] = 32768;
        si->loads[2] = 16384;
        si->totalram = 25275826176UL;
        si->freeram = 24155758592UL;
        si->sharedram = 9097216;
        si->bufferram = 8470528;
        si->totalswap = 0;
        si->freeswap = 0;
        si->procs = 321;
        si->totalhigh = 7;
        si->freehigh = 3;
        si->mem_unit = mem_unit;
}

struct fill_row {
        const char *name;
        unsigned mem_unit_in;
        unsigned mem_unit_out;
        unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
};

static const struct fill_row fill_rows[] = {
    {"unit_1_bytes", 1, 1, 268435456UL, 157290495UL, 4194305UL, 12288UL, 134217728UL, 104923135UL},
    {"unit_0_treated_as_1", 0, 1, 268435456UL, 157290495UL, 4194305UL, 12288UL, 134217728UL,
     104923135UL},
    {"unit_4096_pages_rounded_down", 4096, 4096, 65536UL, 38400UL, 1024UL, 3UL, 32768UL, 25615UL},
    {"unit_65536", 65536, 65536, 4096UL, 2400UL, 64UL, 0UL, 2048UL, 1600UL},
    {"unit_1024", 1024, 1024, 262144UL, 153603UL, 4096UL, 12UL, 131072UL, 102463UL},
};

static void test_fill_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(fill_rows); i++) {
                const struct fill_row *r = &fill_rows[i];
                struct mem_view v;
                struct sysinfo si, before;
                make_view(&v);
                host_info(&si, r->mem_unit_in);
                before = si;
                sysinfo_fill(&v, &si);
                CHECK_UL(r->name, si.mem_unit, r->mem_unit_out);
                CHECK_UL(r->name, si.totalram, r->totalram);
                CHECK_UL(r->name, si.freeram, r->freeram);
                CHECK_UL(r->name, si.sharedram, r->sharedram);
                CHECK_UL(r->name, si.bufferram, r->bufferram);
                CHECK_UL(r->name, si.totalswap, r->totalswap);
                CHECK_UL(r->name, si.freeswap, r->freeswap);
                CHECK_UL(r->name, si.totalhigh, 0);
                CHECK_UL(r->name, si.freehigh, 0);
                /* Uptime, loads and procs stay as the kernel reported them. */
                CHECK_UL(r->name, si.uptime, before.uptime);
                CHECK_UL(r->name, si.loads[0], before.loads[0]);
                CHECK_UL(r->name, si.loads[1], before.loads[1]);
                CHECK_UL(r->name, si.loads[2], before.loads[2]);
                CHECK_UL(r->name, si.procs, before.procs);
                if (memcmp(si._f, before._f, sizeof(si._f)) != 0)
                        ROW_FAIL(r->name, "%s", "padding _f written");
        }
        ROWS_DONE();
}

/* A real sysinfo(2) result as input: only the memory fields change. */
static void test_fill_over_real_sysinfo(void **state)
{
        (void)state;
        struct sysinfo si, before;
        assert_int_equal(sysinfo(&si), 0);
        before = si;
        struct mem_view v;
        make_view(&v);
        sysinfo_fill(&v, &si);
        unsigned unit = before.mem_unit ? before.mem_unit : 1;
        assert_int_equal(si.mem_unit, unit);
        assert_true(si.totalram == MIB(256) / unit);
        assert_true(si.freeram == (MIB(150) + 4095) / unit);
        assert_true(si.uptime == before.uptime);
        assert_true(si.procs == before.procs);
        assert_memory_equal(si.loads, before.loads, sizeof(si.loads));
}

/* A view of zeros gives zeros, whatever the host said. */
static void test_fill_zero_view(void **state)
{
        (void)state;
        struct mem_view v;
        memset(&v, 0, sizeof(v));
        struct sysinfo si;
        host_info(&si, 1);
        sysinfo_fill(&v, &si);
        assert_true(si.totalram == 0);
        assert_true(si.freeram == 0);
        assert_true(si.sharedram == 0);
        assert_true(si.bufferram == 0);
        assert_true(si.totalswap == 0);
        assert_true(si.freeswap == 0);
        assert_int_equal(si.mem_unit, 1);
}

/* Byte counts beyond an unsigned long saturate (only reachable with 32-bit longs, where the
 * kernel would have chosen a larger mem_unit; here the whole uint64 range fits). */
static void test_fill_largest_values(void **state)
{
        (void)state;
        struct mem_view v;
        memset(&v, 0, sizeof(v));
        v.field[VF_MEM_TOTAL] = UINT64_MAX;
        v.field[VF_SWAP_TOTAL] = UINT64_MAX - 1;
        struct sysinfo si;
        host_info(&si, 1);
        sysinfo_fill(&v, &si);
        unsigned long long want_total = UINT64_MAX > ULONG_MAX ? ULONG_MAX : UINT64_MAX;
        assert_true((unsigned long long)si.totalram == want_total);
        host_info(&si, 4096);
        sysinfo_fill(&v, &si);
        assert_true(si.totalram ==
                    (unsigned long)(UINT64_MAX / 4096 > ULONG_MAX ? ULONG_MAX : UINT64_MAX / 4096));
}

struct page_row {
        const char *name;
        uint64_t total, free; /* bytes */
        long page_size;
        long phys, avphys;
};

static const struct page_row page_rows[] = {
    {"pages_4096", MIB(256), MIB(150), 4096, 65536, 38400},
    {"pages_65536", MIB(256), MIB(150), 65536, 4096, 2400},
    {"pages_4096_rounded_down", MIB(256) + 4095, MIB(150) + 4095, 4096, 65536, 38400},
    {"pages_65536_rounded_down", MIB(256) + 65535, MIB(150) + 65535, 65536, 4096, 2400},
    {"less_than_a_page", 4095, 65535, 4096, 0, 15},
    {"zero", 0, 0, 4096, 0, 0},
    {"page_size_1", 12345, 678, 1, 12345, 678},
    {"saturates_at_long_max", UINT64_MAX, UINT64_MAX, 1, LONG_MAX, LONG_MAX},
    {"uint64_max_4096", UINT64_MAX, UINT64_MAX - 4096, 4096, 4503599627370495L, 4503599627370494L},
    {"page_size_zero_refused", MIB(256), MIB(150), 0, -1, -1},
    {"page_size_negative_refused", MIB(256), MIB(150), -4096, -1, -1},
};

static void test_pages_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(page_rows); i++) {
                const struct page_row *r = &page_rows[i];
                struct mem_view v;
                make_view(&v);
                v.field[VF_MEM_TOTAL] = r->total;
                v.field[VF_MEM_FREE] = r->free;
                long phys = view_phys_pages(&v, r->page_size);
                long avphys = view_avphys_pages(&v, r->page_size);
                if (phys != r->phys)
                        ROW_FAIL(r->name, "view_phys_pages = %ld, want %ld", phys, r->phys);
                if (avphys != r->avphys)
                        ROW_FAIL(r->name, "view_avphys_pages = %ld, want %ld", avphys, r->avphys);
        }
        ROWS_DONE();
}

/* sysconf's figures and sysinfo's agree: pages * page size == ram * mem_unit, rounded down. */
static void test_pages_agree_with_sysinfo(void **state)
{
        (void)state;
        struct mem_view v;
        make_view(&v);
        struct sysinfo si;
        host_info(&si, 4096);
        sysinfo_fill(&v, &si);
        assert_true((unsigned long)view_phys_pages(&v, 4096) == si.totalram);
        assert_true((unsigned long)view_avphys_pages(&v, 4096) == si.freeram);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fill_table),     cmocka_unit_test(test_fill_over_real_sysinfo),
            cmocka_unit_test(test_fill_zero_view), cmocka_unit_test(test_fill_largest_values),
            cmocka_unit_test(test_pages_table),    cmocka_unit_test(test_pages_agree_with_sysinfo),
        };
        return cmocka_run_group_tests_name("sysinfo_fill", tests, NULL, NULL);
}
