/* Unit tests for lib/config.c: the environment, read through a table-driven getenv stub. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "table_check.h"

#include "config.h"

/* ---- getenv stub -------------------------------------------------------------------------- */

struct env_var {
        const char *name;
        const char *value;
};

#define MAX_VARS 4

static const struct env_var *stub_env; /* MAX_VARS entries, name NULL when unused */
static unsigned stub_calls;
static const char *stub_asked[16];

static const char *stub_getenv(const char *name)
{
        if (stub_calls < N_ROWS(stub_asked))
                stub_asked[stub_calls] = name;
        stub_calls++;
        for (unsigned i = 0; i < MAX_VARS && stub_env && stub_env[i].name; i++)
                if (strcmp(stub_env[i].name, name) == 0)
                        return stub_env[i].value;
        return NULL;
}

static void load(struct cgl_config *cfg, const struct env_var *env)
{
        memset(cfg, 0xAB, sizeof(*cfg));
        stub_env = env;
        stub_calls = 0;
        cgl_config_load(cfg, stub_getenv);
        stub_env = NULL;
}

/* ---- table -------------------------------------------------------------------------------- */

struct config_row {
        const char *name;
        struct env_var env[MAX_VARS];
        bool disabled;
        bool debug;
        bool memory_invalid;
        uint64_t memory_override;
        const char *sysroot;
};

#define DISABLE "CGLIMITS_DISABLE"
#define DEBUG   "CGLIMITS_DEBUG"
#define MEMORY  "CGLIMITS_MEMORY"
#define SYSROOT "CGLIMITS_SYSROOT"
#define CPUS    "CGLIMITS_CPUS"
#define NONE    UINT64_MAX

static const struct config_row rows[] = {
    {"unset_gives_defaults", {{NULL, NULL}}, false, false, false, NONE, ""},
    {"unrelated_variables_ignored",
     {{"CGLIMITS_DISABLED", "1"}, {"CGLIMITS_MEM", "1G"}, {"SYSROOT", "/x"}},
     false,
     false,
     false,
     NONE,
     ""},
    {"disable_1", {{DISABLE, "1"}}, true, false, false, NONE, ""},
    {"disable_0", {{DISABLE, "0"}}, false, false, false, NONE, ""},
    {"disable_yes", {{DISABLE, "yes"}}, false, false, false, NONE, ""},
    {"disable_true", {{DISABLE, "true"}}, false, false, false, NONE, ""},
    {"disable_empty", {{DISABLE, ""}}, false, false, false, NONE, ""},
    {"disable_11", {{DISABLE, "11"}}, false, false, false, NONE, ""},
    {"disable_1_space", {{DISABLE, "1 "}}, false, false, false, NONE, ""},
    {"debug_1", {{DEBUG, "1"}}, false, true, false, NONE, ""},
    {"debug_yes", {{DEBUG, "yes"}}, false, false, false, NONE, ""},
    {"disable_and_debug", {{DISABLE, "1"}, {DEBUG, "1"}}, true, true, false, NONE, ""},
    {"memory_512M", {{MEMORY, "512M"}}, false, false, false, 536870912, ""},
    {"memory_bytes", {{MEMORY, "268435456"}}, false, false, false, 268435456, ""},
    {"memory_1GiB", {{MEMORY, "1GiB"}}, false, false, false, UINT64_C(1073741824), ""},
    {"memory_2g_lower", {{MEMORY, "2g"}}, false, false, false, UINT64_C(2147483648), ""},
    {"memory_1_byte", {{MEMORY, "1"}}, false, false, false, 1, ""},
    {"memory_garbage", {{MEMORY, "garbage"}}, false, false, true, NONE, ""},
    {"memory_zero", {{MEMORY, "0"}}, false, false, true, NONE, ""},
    {"memory_zero_with_unit", {{MEMORY, "0G"}}, false, false, true, NONE, ""},
    {"memory_fraction", {{MEMORY, "1.5G"}}, false, false, true, NONE, ""},
    {"memory_negative", {{MEMORY, "-1"}}, false, false, true, NONE, ""},
    {"memory_overflow", {{MEMORY, "99999999999T"}}, false, false, true, NONE, ""},
    {"memory_space", {{MEMORY, " 512M"}}, false, false, true, NONE, ""},
    {"memory_empty_is_unset", {{MEMORY, ""}}, false, false, false, NONE, ""},
    {"memory_max_word_invalid", {{MEMORY, "max"}}, false, false, true, NONE, ""},
    {"sysroot_trailing_slash", {{SYSROOT, "/x/"}}, false, false, false, NONE, "/x"},
    {"sysroot_many_trailing_slashes", {{SYSROOT, "/x/y///"}}, false, false, false, NONE, "/x/y"},
    {"sysroot_plain", {{SYSROOT, "/srv/fixture"}}, false, false, false, NONE, "/srv/fixture"},
    {"sysroot_relative_ignored", {{SYSROOT, "relative"}}, false, false, false, NONE, ""},
    {"sysroot_dot_relative_ignored", {{SYSROOT, "./x"}}, false, false, false, NONE, ""},
    {"sysroot_slash_ignored", {{SYSROOT, "/"}}, false, false, false, NONE, ""},
    {"sysroot_empty_ignored", {{SYSROOT, ""}}, false, false, false, NONE, ""},
    {"everything_set",
     {{DISABLE, "0"}, {DEBUG, "1"}, {MEMORY, "256M"}, {SYSROOT, "/tmp/root/"}},
     false,
     true,
     false,
     268435456,
     "/tmp/root"},
    {"invalid_memory_keeps_others",
     {{MEMORY, "12ab"}, {SYSROOT, "/r"}, {DISABLE, "1"}},
     true,
     false,
     true,
     NONE,
     "/r"},
};

static void check_config(const char *row, const struct cgl_config *cfg, const struct config_row *r)
{
        CHECK_INT(row, cfg->disabled, r->disabled);
        CHECK_INT(row, cfg->debug, r->debug);
        CHECK_INT(row, cfg->memory_invalid, r->memory_invalid);
        CHECK_U64(row, cfg->memory_override, r->memory_override);
        CHECK_STR(row, cfg->sysroot, r->sysroot);
        CHECK_U64(row, cfg->cpus, 0);
        CHECK_INT(row, cfg->cpus_invalid, false);
        const char *root = cgl_config_root(cfg);
        if (r->sysroot[0] == '\0') {
                if (root != NULL)
                        ROW_FAIL(row, "cgl_config_root = \"%s\", want NULL", root);
        } else if (root != cfg->sysroot) {
                ROW_FAIL(row, "cgl_config_root = %p, want cfg->sysroot %p", (const void *)root,
                         (const void *)cfg->sysroot);
        }
}

static void test_config_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(rows); i++) {
                struct cgl_config cfg;
                load(&cfg, rows[i].env);
                check_config(rows[i].name, &cfg, &rows[i]);
        }
        ROWS_DONE();
}

/* CGLIMITS_CPUS: off unless set to "auto" or a count; "0" is off too. */
struct cpus_row {
        const char *name;
        const char *value;
        uint32_t cpus;
        bool invalid;
};

static const struct cpus_row cpus_rows[] = {
    {"unset_off", NULL, 0, false},
    {"empty_off", "", 0, false},
    {"zero_off", "0", 0, false},
    {"auto", "auto", CGL_CPUS_AUTO, false},
    {"one", "1", 1, false},
    {"four", "4", 4, false},
    {"largest", "65536", CGL_CPUS_MAX, false},
    {"above_largest", "65537", 0, true},
    {"overflow", "99999999999999999999999", 0, true},
    {"auto_upper_case", "AUTO", 0, true},
    {"auto_space", "auto ", 0, true},
    {"negative", "-1", 0, true},
    {"fraction", "1.5", 0, true},
    {"plus_sign", "+2", 0, true},
    {"garbage", "many", 0, true},
    {"leading_space", " 2", 0, true},
};

static void test_config_cpus_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < N_ROWS(cpus_rows); i++) {
                const struct cpus_row *r = &cpus_rows[i];
                struct env_var env[MAX_VARS] = {{r->value ? CPUS : NULL, r->value}, {MEMORY, "1G"}};
                if (!r->value)
                        env[0] = env[1];
                struct cgl_config cfg;
                load(&cfg, env);
                CHECK_U64(r->name, cfg.cpus, r->cpus);
                CHECK_INT(r->name, cfg.cpus_invalid, r->invalid);
                /* The other variables are read as before. */
                CHECK_U64(r->name, cfg.memory_override, UINT64_C(1073741824));
                CHECK_INT(r->name, cfg.memory_invalid, false);
        }
        ROWS_DONE();
}

/* The lookup is asked for the five documented names, and for nothing else. */
static void test_config_names_asked(void **state)
{
        (void)state;
        static const char *const documented[] = {DISABLE, DEBUG, MEMORY, SYSROOT, CPUS};
        static const struct env_var none[MAX_VARS] = {{NULL, NULL}};
        struct cgl_config cfg;
        load(&cfg, none);
        assert_true(stub_calls <= N_ROWS(stub_asked));
        bool seen[N_ROWS(documented)] = {false};
        for (unsigned i = 0; i < stub_calls; i++) {
                bool known = false;
                for (size_t k = 0; k < N_ROWS(documented); k++) {
                        if (strcmp(stub_asked[i], documented[k]) == 0) {
                                seen[k] = true;
                                known = true;
                        }
                }
                if (!known)
                        fail_msg("asked for undocumented variable %s", stub_asked[i]);
        }
        for (size_t k = 0; k < N_ROWS(documented); k++)
                if (!seen[k])
                        fail_msg("never asked for %s", documented[k]);
}

/* Sysroots fill cfg->sysroot up to CGL_PATH_MAX - 1 bytes; longer ones are ignored. */
static void test_config_sysroot_length(void **state)
{
        (void)state;
        static char root[CGL_PATH_MAX + 16];
        struct cgl_config cfg;
        struct env_var env[MAX_VARS] = {{SYSROOT, root}};

        root[0] = '/';
        memset(root + 1, 'r', CGL_PATH_MAX - 2);
        root[CGL_PATH_MAX - 1] = '\0';
        load(&cfg, env);
        assert_int_equal(strlen(cfg.sysroot), CGL_PATH_MAX - 1);
        assert_string_equal(cfg.sysroot, root);
        assert_ptr_equal(cgl_config_root(&cfg), cfg.sysroot);

        /* Trailing slashes are dropped before the length is judged. */
        strcpy(root + CGL_PATH_MAX - 1, "///");
        load(&cfg, env);
        assert_int_equal(strlen(cfg.sysroot), CGL_PATH_MAX - 1);
        assert_memory_equal(cfg.sysroot, root, CGL_PATH_MAX - 1);

        memset(root + 1, 'r', CGL_PATH_MAX - 1);
        root[CGL_PATH_MAX] = '\0';
        load(&cfg, env);
        assert_string_equal(cfg.sysroot, "");
        assert_null(cgl_config_root(&cfg));
        assert_true(cfg.memory_override == UINT64_MAX);
        assert_false(cfg.memory_invalid);
}

/* "/" is the same as no sysroot, and so is any spelling of it: "//" and "///" name the same
 * directory. (config.c strips trailing slashes only after deciding that the value is not "/",
 * so "//" becomes the sysroot "/".) */
static void test_config_sysroot_only_slashes(void **state)
{
        (void)state;
        static const char *const values[] = {"/", "//", "///", "////////"};
        for (size_t i = 0; i < N_ROWS(values); i++) {
                struct cgl_config cfg;
                struct env_var env[MAX_VARS] = {{SYSROOT, values[i]}};
                load(&cfg, env);
                CHECK_STR(values[i], cfg.sysroot, "");
                if (cgl_config_root(&cfg) != NULL)
                        ROW_FAIL(values[i], "cgl_config_root = \"%s\", want NULL",
                                 cgl_config_root(&cfg));
        }
        ROWS_DONE();
}

/* cgl_config_root on a configuration built by hand. */
static void test_config_root(void **state)
{
        (void)state;
        struct cgl_config cfg;
        memset(&cfg, 0, sizeof(cfg));
        assert_null(cgl_config_root(&cfg));
        strcpy(cfg.sysroot, "/fixtures/v1_plain");
        assert_ptr_equal(cgl_config_root(&cfg), cfg.sysroot);
        assert_string_equal(cgl_config_root(&cfg), "/fixtures/v1_plain");
}

/* Loading twice with different environments leaves nothing of the first. */
static void test_config_reload_resets(void **state)
{
        (void)state;
        struct cgl_config cfg;
        static const struct env_var first[MAX_VARS] = {
            {DISABLE, "1"}, {DEBUG, "1"}, {MEMORY, "bogus"}, {SYSROOT, "/first"}};
        static const struct env_var second[MAX_VARS] = {{MEMORY, "1G"}};
        stub_env = first;
        cgl_config_load(&cfg, stub_getenv);
        assert_true(cfg.disabled);
        assert_true(cfg.memory_invalid);
        stub_env = second;
        cgl_config_load(&cfg, stub_getenv);
        stub_env = NULL;
        assert_false(cfg.disabled);
        assert_false(cfg.debug);
        assert_false(cfg.memory_invalid);
        assert_true(cfg.memory_override == UINT64_C(1073741824));
        assert_string_equal(cfg.sysroot, "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_config_table),
            cmocka_unit_test(test_config_cpus_table),
            cmocka_unit_test(test_config_names_asked),
            cmocka_unit_test(test_config_sysroot_length),
            cmocka_unit_test(test_config_sysroot_only_slashes),
            cmocka_unit_test(test_config_root),
            cmocka_unit_test(test_config_reload_resets),
        };
        return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
