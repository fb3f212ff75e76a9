/* The shim's work elements: a slot pool (lib/slot_pool.c states the protocol). */
#include "work_pool.h"

#include "slot_pool.h"

#define WORK_STATIC 8

static struct shim_work pool[WORK_STATIC];
static int busy[WORK_STATIC];
static const struct slot_pool slots = {pool, busy, WORK_STATIC, sizeof(struct shim_work)};

struct shim_work *work_take(void)
{
        return slot_take(&slots);
}

void work_give(struct shim_work *w)
{
        slot_give(&slots, w);
}
