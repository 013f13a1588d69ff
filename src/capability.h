/* Capability names as the spec and the policy write them, through libcap. */
#pragma once

#include <stddef.h>

/* "CAP_NET_RAW", "net_raw", "NET_RAW" → 13 via libcap; -EINVAL when unknown. */
int capability_from_name(const char *name, unsigned *ret);

/* 13 → "CAP_NET_RAW" in buf; NULL when libcap has no name for it. */
char *capability_to_name(unsigned cap, char *buf, size_t size);
