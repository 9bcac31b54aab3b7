/*
 * api: the /v1 resources, one file per resource. Handlers read as parse, authorize, act,
 * render: the server has already checked the body against the route's schema and the
 * caller against the route's permission (api_authorize, registered with the http module).
 */
#ifndef ROADIE_API_H
#define ROADIE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "base/config.h"
#include "crypto/crypto.h"
#include "http/http.h"

/* Prepares what the handlers share: the JWT keys (borrowed until api_release), the
 * common-password list and lyric data from cfg->share_dir, the rate-limit store (Redis when
 * cfg->redis_url is set, else in-process). Registers the authorizer. Returns 0, or -1 with
 * a message in err. Call once before the server starts. */
int api_init(const config *cfg, const crypto_keyset *keys, char *err, size_t errlen);
void api_release(void);

/* The /v1 routes, one table per resource file. */
extern const http_route api_auth_routes[], api_me_routes[], api_artist_routes[], api_key_routes[], api_admin_routes[],
    api_lyrics_routes[];
/* Adds every /v1 table to r. Returns 0, or -1 with a message in err. */
int api_routes_add(http_router *r, char *err, size_t errlen);

/* Lower-cases an email address into out (n bytes) and checks its shape
 * (local@domain.tld, no spaces). False when it is not one. */
bool api_email(const char *in, char *out, size_t n);

#endif
