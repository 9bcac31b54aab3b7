/*
 * db: one interface over two drivers, SQLite (the default: one file, nothing to set up) and
 * PostgreSQL (libpq), so that store/ writes its SQL once. SQL uses `?` placeholders on both
 * (the pg driver rewrites them to $1, $2, ... outside quotes and comments, so PostgreSQL's
 * jsonb `?` operators are out: use jsonb_exists()). At most 64 parameters a statement.
 * Portable SQL only: TEXT ids, BIGINT epoch-millisecond times, INTEGER 0/1 booleans, JSON
 * kept as TEXT, BYTEA for bytes (SQLite stores them as BLOBs).
 *
 * Connections: a db handle belongs to one thread at a time. The server keeps one per
 * thread through db_thread_get(), opened on first use and closed when the thread exits.
 * Each connection keeps the statements it ran prepared (64), so a connection pooler in
 * front of PostgreSQL must pool by session, not by transaction.
 * Results are read into memory whole (db_res), which suits the small queries of an API.
 *
 * Errors: every call returns DB_OK or a negative db_err; db_errmsg() has the driver's words.
 */
#ifndef ROADIE_DB_H
#define ROADIE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum db_err {
    DB_OK = 0,
    DB_ENOMEM = -1,      /* out of memory */
    DB_EINVAL = -2,      /* a bad URL, SQL or argument from the caller */
    DB_ECONN = -3,       /* the database cannot be reached */
    DB_ECONSTRAINT = -4, /* a UNIQUE, FOREIGN KEY, NOT NULL or CHECK constraint refused the change */
    DB_EBUSY = -5,       /* locked by another writer for longer than the busy timeout */
    DB_EIO = -6,         /* any other database error */
    DB_ESCHEMA = -7,     /* migrations: the schema is newer than this binary, or was edited */
} db_err;

typedef enum db_kind { DB_SQLITE = 1, DB_PG = 2 } db_kind;

typedef struct db db;
typedef struct db_res db_res;

/* A query parameter. Build them with the DB_* macros below. */
typedef struct db_param {
    enum { DB_P_NULL, DB_P_TEXT, DB_P_INT, DB_P_DOUBLE, DB_P_BLOB } type;
    const char *text; /* TEXT: borrowed for the call; BLOB: the bytes (may hold NULs) */
    size_t len;       /* BLOB: number of bytes */
    int64_t i;
    double d;
} db_param;

#define DB_NULL ((db_param){.type = DB_P_NULL})
#define DB_TEXT(v) ((db_param){.type = DB_P_TEXT, .text = (v)}) /* a NULL pointer binds SQL NULL */
#define DB_INT(v) ((db_param){.type = DB_P_INT, .i = (int64_t)(v)})
#define DB_DOUBLE(v) ((db_param){.type = DB_P_DOUBLE, .d = (double)(v)})
/* Bytes for a BYTEA column (portable: SQLite keeps them as a BLOB); NULL p binds SQL NULL. */
#define DB_BLOB(p, n) ((db_param){.type = DB_P_BLOB, .text = (const char *)(p), .len = (size_t)(n)})
/* DB_ARGS(DB_TEXT(id), DB_INT(now)) expands to the (params, count) pair the calls take. */
#define DB_ARGS(...) (const db_param[]){__VA_ARGS__}, sizeof((db_param[]){__VA_ARGS__}) / sizeof(db_param)
#define DB_NOARGS NULL, 0

/* True when url names a driver this build has ("sqlite:PATH", "postgresql://...", "postgres://..."). */
bool db_url_valid(const char *url);

/* Opens a connection. SQLite: WAL, busy_timeout 5 s, foreign keys on; the file's directory
 * must exist. Returns NULL with a message in err. */
db *db_open(const char *url, char *err, size_t errlen);
/* Closes d; NULL does nothing. Not for a connection from db_thread_get(). */
void db_close(db *d);
/* Which driver d uses (for the rare statement that must differ, e.g. catalog queries). */
db_kind db_kind_of(const db *d);
/* The last error message on d (never NULL). */
const char *db_errmsg(const db *d);

/* Which constraint refused the last change on d, after a call returned DB_ECONSTRAINT, so
 * that a caller can tell a duplicate (HTTP 409) from a dangling reference or a bad value.
 * DB_C_NONE when the last error was no constraint violation. */
typedef enum db_constraint {
    DB_C_NONE = 0,
    DB_C_UNIQUE,      /* UNIQUE or PRIMARY KEY: the row exists already */
    DB_C_FOREIGN_KEY, /* a reference to a missing row, or a delete of a referenced one */
    DB_C_NOT_NULL,
    DB_C_CHECK,
    DB_C_OTHER,
} db_constraint;
db_constraint db_constraint_of(const db *d);

/* Sets the URL that db_thread_get() opens: DB_OK, or DB_EINVAL for a URL no driver takes,
 * DB_ENOMEM. Call before starting threads; connections already open keep their URL. */
int db_global_init(const char *url);
/* This thread's connection, opened on first use and closed at thread exit. A PostgreSQL
 * connection found lost (a statement failed with DB_ECONN, or the server ended the idle
 * session) is replaced by a new one. NULL with a message in err when it cannot open. */
db *db_thread_get(char *err, size_t errlen);
/* Closes this thread's connection now (e.g. before a fork or at the end of main). */
void db_thread_close(void);
/* Connections open in this process, per-thread or not (for metrics); any thread. */
long db_open_count(void);

/* Runs one statement (trailing `;` and comments allowed; two statements: DB_EINVAL) with
 * params bound to its `?` in order, as many as it has. Returns DB_OK or a db_err;
 * db_changes() tells how many rows it changed. */
int db_exec(db *d, const char *sql, const db_param *params, size_t n);
/* Runs one query like db_exec; on DB_OK *out holds every row (free with db_res_free), on
 * failure it is NULL. */
int db_query(db *d, db_res **out, const char *sql, const db_param *params, size_t n);
/* Runs several ;-separated statements without parameters (migrations). */
int db_exec_script(db *d, const char *sql);
/* Rows changed by the last INSERT, UPDATE or DELETE run through db_exec on d. */
int64_t db_changes(const db *d);

/* Transactions. db_begin() starts a write transaction (SQLite: BEGIN IMMEDIATE, so the write
 * lock is taken up front and two writers never deadlock; another writer is waited for up to
 * 5 s, then DB_EBUSY). After any failure inside a transaction, including of db_commit, call
 * db_rollback (PostgreSQL refuses every other statement in an aborted transaction; with
 * no transaction open, a rollback changes nothing and may return an error). Committing
 * anyway differs: PostgreSQL has rolled everything back (db_commit says DB_EIO), SQLite
 * keeps the statements that succeeded. No nesting. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);

/* Rows and columns of r; 0 for NULL. */
size_t db_res_rows(const db_res *r);
size_t db_res_cols(const db_res *r);
/* Typed access to row, col. Out-of-range positions and NULLs read as NULL / 0. A DOUBLE
 * PRECISION value reads back exactly through db_res_double on both drivers; db_res_text
 * shows it in decimal (SQLite: the shortest of 15-17 digits that reads back exactly).
 * A truth value (`SELECT EXISTS ...`, `a = b`) reads 1 or 0 on both. */
bool db_res_null(const db_res *r, size_t row, size_t col);
const char *db_res_text(const db_res *r, size_t row, size_t col); /* borrowed; NULL for SQL NULL */
int64_t db_res_int(const db_res *r, size_t row, size_t col);
double db_res_double(const db_res *r, size_t row, size_t col);
/* The bytes of a BLOB/BYTEA (or any) cell and their number in *len; borrowed, followed by
 * a NUL that *len does not count. NULL with *len 0 for SQL NULL. */
const void *db_res_blob(const db_res *r, size_t row, size_t col, size_t *len);
void db_res_free(db_res *r);

/* ---- migrations: numbered SQL files from migrations/, embedded at build time ---------- */

typedef struct db_migration {
    int version;      /* from the file name: 0001_init.sql -> 1 */
    const char *name; /* "0001_init" */
    const char *sql;
} db_migration;

/* The migrations this binary knows, in order. */
const db_migration *db_migrations(size_t *n);

typedef struct db_migrate_state {
    int current; /* highest applied version (0: none) */
    int latest;  /* highest version this binary knows */
    int pending; /* known versions not yet applied */
    bool newer;  /* the database has a version this binary does not know */
    int edited;  /* an applied version whose checksum differs (0: none) */
} db_migrate_state;

/* Reads the state of d's schema. */
int db_migrate_status(db *d, db_migrate_state *st);
/* True when v is recorded as applied in d (for `migrate --status`). */
bool db_migration_applied(db *d, int version);
/* Applies pending migrations up to version `to` (-1: all), each in its own transaction, under
 * a lock (PostgreSQL advisory lock; SQLite's write lock) so two processes never both apply
 * one; the others wait (SQLite: up to 10 min) and find it done. Calls log with each
 * migration's name once it is applied, when log is set. Refuses (DB_ESCHEMA) a newer or
 * edited schema; a failing migration leaves nothing of itself, and d's message names it. */
int db_migrate(db *d, int to, void (*log)(const char *name));

/* Readiness for /readyz: this thread's connection works and no migration is pending.
 * Returns true, or false with the reason in why. */
bool db_ready(char *why, size_t whylen);

#endif
