/* SHA-256 (FIPS 180-4): the digest that names a policy's content in audit records, comparable
 * with `sha256sum` of the file. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
/* "sha256:" and 64 hex digits, NUL-terminated. */
#define SHA256_TEXT_SIZE (7 + 2 * SHA256_DIGEST_SIZE + 1)

struct sha256 {
        uint32_t state[8];
        uint64_t bytes; /* hashed so far */
        unsigned char block[64];
        size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char digest[SHA256_DIGEST_SIZE]);

/* The digest of data as "sha256:<64 lowercase hex digits>". */
void sha256_text(const void *data, size_t len, char buf[SHA256_TEXT_SIZE]);
