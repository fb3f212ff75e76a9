#include "real_functions.h"

#include <dlfcn.h>

/* One pointer per symbol, published with a relaxed atomic store: two threads racing on the
 * first call both resolve the same address, so no ordering beyond atomicity is needed. */
#define CGL_REAL_DEFINE(name, ret, params)                                                         \
        static real_##name##_fn real_##name##_ptr;                                                 \
        real_##name##_fn real_##name(void)                                                         \
        {                                                                                          \
                real_##name##_fn p = __atomic_load_n(&real_##name##_ptr, __ATOMIC_RELAXED);        \
                if (!p) {                                                                          \
                        p = (real_##name##_fn)dlsym(RTLD_NEXT, #name);                             \
                        __atomic_store_n(&real_##name##_ptr, p, __ATOMIC_RELAXED);                 \
                }                                                                                  \
                return p;                                                                          \
        }
CGL_REAL_FUNCTIONS(CGL_REAL_DEFINE)
#undef CGL_REAL_DEFINE
