/* store/keys: API keys, stored hashed, scoped to one artist. */
#include "store/store.h"

#include "base/base.h"

int store_key_insert(db *d, const char *id, const char *artist_id, const char *name, const char *prefix,
                     const char *key_hash, const char *scopes, const char *created_by)
{
    return db_exec(d,
                   "INSERT INTO api_keys (id, artist_id, name, prefix, key_hash, scopes, created_by, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ARGS(DB_TEXT(id), DB_TEXT(artist_id), DB_TEXT(name), DB_TEXT(prefix), DB_TEXT(key_hash),
                           DB_TEXT(scopes), DB_TEXT(created_by), DB_INT(base_now_ms())));
}

int store_key_list(db *d, const char *artist_id, db_res **out)
{
    return db_query(d, out,
                    "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_keys"
                    " WHERE artist_id = ? ORDER BY created_at, id",
                    DB_ARGS(DB_TEXT(artist_id)));
}

int store_key_find(db *d, const char *key_hash, db_res **out)
{
    return db_query(d, out, "SELECT id, artist_id, scopes FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                    DB_ARGS(DB_TEXT(key_hash)));
}

int store_key_revoke(db *d, const char *artist_id, const char *id)
{
    return db_exec(d, "UPDATE api_keys SET revoked_at = ? WHERE artist_id = ? AND id = ? AND revoked_at IS NULL",
                   DB_ARGS(DB_INT(base_now_ms()), DB_TEXT(artist_id), DB_TEXT(id)));
}

int store_key_touch(db *d, const char *id)
{
    return db_exec(d, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", DB_ARGS(DB_INT(base_now_ms()), DB_TEXT(id)));
}
