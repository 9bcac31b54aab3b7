/* store/artists: artists and their team members. */
#include "store/store.h"

#include "base/base.h"

#include <stdio.h>

int store_artist_create(db *d, const char *id, const char *name, const char *spotify_id, const char *owner_id)
{
    int64_t now = base_now_ms();
    int rc = db_begin(d);
    if (rc != DB_OK)
        return rc;
    rc = db_exec(d, "INSERT INTO artists (id, name, spotify_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(name), DB_TEXT(spotify_id), DB_INT(now), DB_INT(now)));
    if (rc == DB_OK)
        rc = store_member_add(d, id, owner_id, "owner");
    if (rc != DB_OK) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d);
}

int store_artist_get(db *d, const char *id, db_res **out)
{
    return db_query(d, out, "SELECT id, name, spotify_id, created_at, updated_at FROM artists WHERE id = ?",
                    DB_ARGS(DB_TEXT(id)));
}

int store_artist_list_for(db *d, const char *user_id, db_res **out)
{
    return db_query(d, out,
                    "SELECT a.id, a.name, a.spotify_id, a.created_at, a.updated_at, m.role FROM artists a"
                    " JOIN artist_members m ON m.artist_id = a.id WHERE m.user_id = ? ORDER BY a.created_at, a.id",
                    DB_ARGS(DB_TEXT(user_id)));
}

int store_artist_update(db *d, const char *id, const char *name, const char *spotify_id)
{
    return db_exec(d, "UPDATE artists SET name = ?, spotify_id = ?, updated_at = ? WHERE id = ?",
                   DB_ARGS(DB_TEXT(name), DB_TEXT(spotify_id), DB_INT(base_now_ms()), DB_TEXT(id)));
}

int store_artist_delete(db *d, const char *id)
{
    return db_exec(d, "DELETE FROM artists WHERE id = ?", DB_ARGS(DB_TEXT(id)));
}

int store_artist_delete_sole_owned(db *d, const char *user_id)
{
    return db_exec(d,
                   "DELETE FROM artists WHERE id IN (SELECT artist_id FROM artist_members WHERE user_id = ?"
                   " AND role = 'owner') AND id NOT IN (SELECT artist_id FROM artist_members WHERE role = 'owner'"
                   " AND user_id <> ?)",
                   DB_ARGS(DB_TEXT(user_id), DB_TEXT(user_id)));
}

int store_member_role(db *d, const char *artist_id, const char *user_id, char role[8])
{
    db_res *r;
    int rc = db_query(d, &r, "SELECT role FROM artist_members WHERE artist_id = ? AND user_id = ?",
                      DB_ARGS(DB_TEXT(artist_id), DB_TEXT(user_id)));
    if (rc == DB_OK)
        snprintf(role, 8, "%s", db_res_rows(r) ? db_res_text(r, 0, 0) : "");
    db_res_free(r);
    return rc;
}

int store_member_list(db *d, const char *artist_id, db_res **out)
{
    return db_query(d, out,
                    "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM artist_members m"
                    " JOIN users u ON u.id = m.user_id WHERE m.artist_id = ? ORDER BY m.created_at, m.user_id",
                    DB_ARGS(DB_TEXT(artist_id)));
}

int store_member_add(db *d, const char *artist_id, const char *user_id, const char *role)
{
    return db_exec(d, "INSERT INTO artist_members (artist_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
                   DB_ARGS(DB_TEXT(artist_id), DB_TEXT(user_id), DB_TEXT(role), DB_INT(base_now_ms())));
}

int store_member_set_role(db *d, const char *artist_id, const char *user_id, const char *role)
{
    return db_exec(d, "UPDATE artist_members SET role = ? WHERE artist_id = ? AND user_id = ?",
                   DB_ARGS(DB_TEXT(role), DB_TEXT(artist_id), DB_TEXT(user_id)));
}

int store_member_remove(db *d, const char *artist_id, const char *user_id)
{
    return db_exec(d, "DELETE FROM artist_members WHERE artist_id = ? AND user_id = ?",
                   DB_ARGS(DB_TEXT(artist_id), DB_TEXT(user_id)));
}

int store_member_owner_count(db *d, const char *artist_id, int64_t *n)
{
    db_res *r;
    int rc = db_query(d, &r, "SELECT count(*) FROM artist_members WHERE artist_id = ? AND role = 'owner'",
                      DB_ARGS(DB_TEXT(artist_id)));
    if (rc == DB_OK)
        *n = db_res_int(r, 0, 0);
    db_res_free(r);
    return rc;
}
