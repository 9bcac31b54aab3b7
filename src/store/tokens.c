/* store/tokens: refresh tokens, kept as hashes, rotated on use, revoked by family. */
#include "store/store.h"

#include "base/base.h"

#include <stdio.h>

int store_refresh_insert(db *d, const char *token_hash, const char *family_id, const char *user_id, int64_t expires_at)
{
    return db_exec(
        d,
        "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        DB_ARGS(DB_TEXT(token_hash), DB_TEXT(family_id), DB_TEXT(user_id), DB_INT(base_now_ms()), DB_INT(expires_at)));
}

int store_refresh_get(db *d, const char *token_hash, store_refresh *t, bool *found)
{
    db_res *r;
    int rc = db_query(d, &r,
                      "SELECT family_id, user_id, expires_at, CASE WHEN used_at IS NULL THEN 0 ELSE 1 END,"
                      " CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END"
                      " FROM refresh_tokens WHERE token_hash = ?",
                      DB_ARGS(DB_TEXT(token_hash)));
    if (rc != DB_OK)
        return rc;
    *found = db_res_rows(r) == 1;
    if (*found) {
        snprintf(t->family_id, sizeof(t->family_id), "%s", db_res_text(r, 0, 0));
        snprintf(t->user_id, sizeof(t->user_id), "%s", db_res_text(r, 0, 1));
        t->expires_at = db_res_int(r, 0, 2);
        t->used = db_res_int(r, 0, 3) != 0;
        t->revoked = db_res_int(r, 0, 4) != 0;
    }
    db_res_free(r);
    return DB_OK;
}

int store_refresh_use(db *d, const char *token_hash, bool *won)
{
    int rc = db_exec(d, "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                     DB_ARGS(DB_INT(base_now_ms()), DB_TEXT(token_hash)));
    *won = rc == DB_OK && db_changes(d) == 1;
    return rc;
}

int store_refresh_revoke_family(db *d, const char *family_id)
{
    return db_exec(d, "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                   DB_ARGS(DB_INT(base_now_ms()), DB_TEXT(family_id)));
}

int store_refresh_revoke_user(db *d, const char *user_id)
{
    return db_exec(d, "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   DB_ARGS(DB_INT(base_now_ms()), DB_TEXT(user_id)));
}

int store_refresh_list_user(db *d, const char *user_id, db_res **out)
{
    return db_query(d, out,
                    "SELECT family_id, created_at, expires_at, used_at, revoked_at FROM refresh_tokens"
                    " WHERE user_id = ? ORDER BY created_at",
                    DB_ARGS(DB_TEXT(user_id)));
}
