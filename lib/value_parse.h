/* Strict numbers: the single-value cgroup files and the "key value" lines of stat files. */
#ifndef CGLIMITS_VALUE_PARSE_H
#define CGLIMITS_VALUE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGL_UNLIMITED UINT64_MAX

/* Parses decimal digits filling exactly [s, s+len). -EINVAL on anything else (sign, space,
 * empty), -ERANGE on overflow. */
int cgl_parse_u64(const char *s, size_t len, uint64_t *out);

/* Parses a limit file's content ("max\n" or "<bytes>\n"; one trailing newline allowed).
 * "max" gives CGL_UNLIMITED. */
int cgl_parse_limit(const char *buf, size_t len, uint64_t *out);

/* Parses a size given by a person: "268435456", "512M", "2G", "1.5G" is refused; suffixes
 * K, M, G, T with optional "i" and "B" are binary multiples. */
int cgl_parse_size(const char *s, uint64_t *out);

/* Writes v in decimal, right-aligned in a field of width characters (wider when needed).
 * Returns the number of characters written, or -ENOSPC if cap is too small. Not NUL-terminated. */
int cgl_format_u64(char *out, size_t cap, uint64_t v, size_t width);

/* Whether name (NUL-terminated) is exactly key[0..len). Stops at the first differing byte,
 * which for the key tables searched on every load is the first or second: strlen per entry
 * cost more than the rest of the parse. A key holding a NUL byte matches nothing. */
static inline bool cgl_name_is(const char *name, const char *key, size_t len)
{
        size_t i = 0;
        for (; i < len; i++)
                if (name[i] != key[i] || name[i] == '\0')
                        return false;
        return name[i] == '\0';
}

#endif
