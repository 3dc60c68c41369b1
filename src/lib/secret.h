/*
 * secret.h - passwords and tokens (libsodium).
 *
 * Passwords are stored as Argon2id strings.  Session cookies and API tokens
 * are 256-bit random values shown to the client once; the database keeps
 * only their BLAKE2b hash, so a stolen database opens no session.
 */
#ifndef MT_SECRET_H
#define MT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum { SECRET_HASH_LEN = 128, SECRET_TOKEN_LEN = 68, SECRET_DIGEST_LEN = 65 };

/* Call once at start; -1 if libsodium cannot initialise. */
int secret_init(void);
/* Argon2id hash of `password` into out[SECRET_HASH_LEN]; -1 on failure. */
int secret_password_hash(const char *password, char *out);
/* Constant-time verification of a password against a stored hash. */
bool secret_password_verify(const char *hash, const char *password);
/* A new random token "mt_<64 hex>" into out[SECRET_TOKEN_LEN]. */
void secret_token(char *out);
/* Hex BLAKE2b-256 of a token into out[SECRET_DIGEST_LEN]. */
void secret_digest(const char *token, char *out);
/* Constant-time string equality (for CSRF tokens). */
bool secret_equal(const char *a, const char *b);

#endif
