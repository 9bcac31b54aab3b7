/* store/users: accounts, login failure counting and lockout. */
#include "store/store.h"

#include "base/base.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                                      \
    "id, email, name, password_hash, role, disabled, token_version, failed_logins, failed_since, locked_until,"        \
    " created_at, updated_at"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void read_user(const db_res *r, store_user *u)
{
    copy(u->id, sizeof(u->id), db_res_text(r, 0, 0));
    copy(u->email, sizeof(u->email), db_res_text(r, 0, 1));
    copy(u->name, sizeof(u->name), db_res_text(r, 0, 2));
    copy(u->password_hash, sizeof(u->password_hash), db_res_text(r, 0, 3));
    copy(u->role, sizeof(u->role), db_res_text(r, 0, 4));
    u->disabled = db_res_int(r, 0, 5) != 0;
    u->token_version = db_res_int(r, 0, 6);
    u->failed_logins = db_res_int(r, 0, 7);
    u->failed_since = db_res_int(r, 0, 8);
    u->locked_until = db_res_int(r, 0, 9);
    u->created_at = db_res_int(r, 0, 10);
    u->updated_at = db_res_int(r, 0, 11);
}

static int get_by(db *d, const char *sql, const char *key, store_user *u, bool *found)
{
    db_res *r;
    int rc = db_query(d, &r, sql, DB_ARGS(DB_TEXT(key)));
    if (rc != DB_OK)
        return rc;
    *found = db_res_rows(r) == 1;
    if (*found)
        read_user(r, u);
    db_res_free(r);
    return DB_OK;
}

int store_user_get(db *d, const char *id, store_user *u, bool *found)
{
    return get_by(d, "SELECT " USER_COLS " FROM users WHERE id = ?", id, u, found);
}

int store_user_by_email(db *d, const char *email, store_user *u, bool *found)
{
    return get_by(d, "SELECT " USER_COLS " FROM users WHERE email = ?", email, u, found);
}

int store_user_insert(db *d, store_user *u)
{
    u->created_at = u->updated_at = base_now_ms();
    return db_exec(d,
                   "INSERT INTO users (id, email, name, password_hash, role, disabled, token_version, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ARGS(DB_TEXT(u->id), DB_TEXT(u->email), DB_TEXT(u->name), DB_TEXT(u->password_hash),
                           DB_TEXT(u->role), DB_INT(u->disabled), DB_INT(u->token_version), DB_INT(u->created_at),
                           DB_INT(u->updated_at)));
}

int store_user_update(db *d, store_user *u)
{
    u->updated_at = base_now_ms();
    return db_exec(d,
                   "UPDATE users SET email = ?, name = ?, password_hash = ?, role = ?, disabled = ?, token_version = ?,"
                   " updated_at = ? WHERE id = ?",
                   DB_ARGS(DB_TEXT(u->email), DB_TEXT(u->name), DB_TEXT(u->password_hash), DB_TEXT(u->role),
                           DB_INT(u->disabled), DB_INT(u->token_version), DB_INT(u->updated_at), DB_TEXT(u->id)));
}

int store_user_save_signout(db *d, store_user *u)
{
    int rc = db_begin(d);
    if (rc != DB_OK)
        return rc;
    if ((rc = store_user_update(d, u)) == DB_OK && (rc = store_refresh_revoke_user(d, u->id)) == DB_OK)
        return db_commit(d);
    db_rollback(d); /* undone; db_errmsg keeps the first error */
    return rc;
}

int store_user_login_failed(db *d, const char *id, int64_t now, int64_t window_ms, int max, int64_t lock_ms,
                            bool *locked)
{
    /* One statement, so concurrent failures all count: a failure outside the window starts a
     * new count; reaching max sets locked_until. */
    int rc = db_exec(d,
                     "UPDATE users SET"
                     " failed_logins = CASE WHEN failed_since > ? THEN failed_logins + 1 ELSE 1 END,"
                     " failed_since = CASE WHEN failed_since > ? THEN failed_since ELSE ? END"
                     " WHERE id = ?",
                     DB_ARGS(DB_INT(now - window_ms), DB_INT(now - window_ms), DB_INT(now), DB_TEXT(id)));
    if (rc != DB_OK)
        return rc;
    rc = db_exec(d, "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ? AND failed_logins >= ?",
                 DB_ARGS(DB_INT(now + lock_ms), DB_TEXT(id), DB_INT(max)));
    *locked = rc == DB_OK && db_changes(d) == 1;
    return rc;
}

int store_user_clear_failures(db *d, const char *id)
{
    return db_exec(d,
                   "UPDATE users SET failed_logins = 0, failed_since = 0, locked_until = 0 WHERE id = ?"
                   " AND (failed_logins <> 0 OR locked_until <> 0)",
                   DB_ARGS(DB_TEXT(id)));
}

int store_user_list(db *d, const char *after, int limit, db_res **out)
{
    return db_query(d, out,
                    "SELECT id, email, name, role, disabled, created_at FROM users WHERE id > ? ORDER BY id LIMIT ?",
                    DB_ARGS(DB_TEXT(after), DB_INT(limit)));
}

int store_user_delete(db *d, const char *id)
{
    return db_exec(d, "DELETE FROM users WHERE id = ?", DB_ARGS(DB_TEXT(id)));
}

int store_user_count(db *d, int64_t *n)
{
    db_res *r;
    int rc = db_query(d, &r, "SELECT count(*) FROM users", DB_NOARGS);
    if (rc == DB_OK)
        *n = db_res_int(r, 0, 0);
    db_res_free(r);
    return rc;
}
