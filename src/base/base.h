/*
 * base: the few things every other module needs and none owns: growable byte buffers
 * with a hard cap, a bump arena, JSON-lines logging, clocks and random ids.
 * Nothing here knows about HTTP or the database. All functions are thread-safe unless
 * a comment says otherwise; buffers and arenas belong to one thread at a time.
 */
#ifndef ROADIE_BASE_H
#define ROADIE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- buffers ---------------------------------------------------------------------- */

/* A growable byte buffer that refuses to grow past max bytes (curl's dynbuf). data is
 * always NUL-terminated after a successful append, so it can be used as a C string. */
typedef struct buf {
    char *data; /* NULL until the first append */
    size_t len; /* bytes used, not counting the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len */
} buf;

/* Prepares b with a cap of max bytes; allocates nothing. */
void buf_init(buf *b, size_t max);
/* Frees b's memory and leaves it empty (max is kept). */
void buf_release(buf *b);
/* Empties b, keeping its memory. */
void buf_reset(buf *b);
/* Appends n bytes. Returns 0, or -1 when the result would pass max or memory ran out
 * (b is then unchanged). */
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD. */
int buf_json_str(buf *b, const char *s);
/* Hands the data over to the caller (who frees it) and leaves b empty. Never NULL on
 * success: an empty buffer gives "". Returns NULL only when memory ran out. */
char *buf_take(buf *b);

/* ---- arena ------------------------------------------------------------------------ */

/* A bump allocator: many small allocations, freed all at once (h2o's req->pool). */
typedef struct arena arena;

arena *arena_new(void);
/* Frees every block the arena handed out, then the arena. arena_free(NULL) does nothing. */
void arena_free(arena *a);
/* n bytes aligned to 16, or NULL when memory ran out. Zeroed by arena_calloc only. */
void *arena_alloc(arena *a, size_t n);
void *arena_calloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- logging ---------------------------------------------------------------------- */

/* One JSON object per line on stderr: {"time","level","msg","request_id"?, ...fields}. */
typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level min);
/* Parses "debug", "info", "warn", "error". Returns 0 or -1. */
int log_level_parse(const char *s, log_level *out);
/* The request id logged with every line this thread writes until it is cleared (NULL). */
void log_set_request_id(const char *id);
const char *log_request_id(void);
/* Writes one line. fields, if not NULL, is a sequence of JSON members without braces,
 * e.g. "\"status\":200,\"path\":\"/v1\"", appended to the object as they are. */
void log_write(log_level lvl, const char *fields, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same line as log_write(lvl, fields, "%s", msg), for hot paths (one access-log line
 * per request): msg is taken as is, and the timestamp is formatted once per millisecond
 * per thread. Falls back to log_write for what it would have to escape or cut. */
void log_write_plain(log_level lvl, const char *fields, const char *msg);
/* For callers that batch lines (the HTTP access log): true when lvl is logged; the line
 * log_write_plain would write, formatted into out (length returned; 0 when it needs
 * log_write instead: too long for cap, or text to escape); and whole lines written to the
 * log in one write(2). */
bool log_enabled(log_level lvl);
size_t log_format_plain(char *out, size_t cap, log_level lvl, const char *fields, const char *msg);
void log_write_lines(const char *text, size_t len);
#define log_debug(...) log_write(LOG_DEBUG, NULL, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, NULL, __VA_ARGS__)

/* ---- time and ids ----------------------------------------------------------------- */

/* Wall clock in epoch milliseconds, the unit every stored time uses. */
int64_t base_now_ms(void);
/* Monotonic clock in nanoseconds, for measuring durations. */
int64_t base_mono_ns(void);
/* Formats epoch ms as RFC 3339 UTC with milliseconds, "2026-11-23T22:01:00.000Z". */
#define BASE_RFC3339_LEN 25
void base_rfc3339(int64_t ms, char out[BASE_RFC3339_LEN]);
/* Parses RFC 3339 ("Z" or ±hh:mm offset, optional fraction). Returns 0 or -1. */
int base_rfc3339_parse(const char *s, int64_t *ms);

/* Fills p with n cryptographically random bytes (getrandom). Aborts if the kernel
 * cannot supply them, which no caller could recover from. */
void base_random(void *p, size_t n);
/* A fresh random id: 22 base-62 characters (~131 bits), like Spotify ids. */
#define BASE_ID_LEN 23
void base_id_new(char out[BASE_ID_LEN]);
/* Encodes n bytes as base-62 into exactly outlen characters plus NUL (big-endian digits,
 * zero-padded). Used for ids derived from hashes. */
void base_base62(const unsigned char *p, size_t n, char *out, size_t outlen);

/* ---- sorted tables -------------------------------------------------------------- */

/* A read-only file of lines "KEY" or "KEY<TAB>VALUE", mapped into memory with a hash index
 * of its keys built at open (a few ms for 100,000 lines): a lookup is one hash probe, and
 * threads share the table freely. Files are kept sorted so that they diff well. */
typedef struct base_table base_table;

/* Maps the file at path, or NULL with a message in err. */
base_table *base_table_open(const char *path, char *err, size_t errlen);
void base_table_free(base_table *t);
/* Bytes mapped (for memory figures). */
size_t base_table_size(const base_table *t);
/* The value of the line whose key is key[0..n): a pointer into the map, *vlen bytes long
 * up to the end of the line (0 for a key-only line); NULL when there is no such line. */
const char *base_table_get(const base_table *t, const char *key, size_t n, size_t *vlen);
/* Walks the lines in order: start with *pos = 0; each call sets key/klen and value/vlen
 * (pointers into the map) and returns true, or false at the end. */
bool base_table_next(const base_table *t, size_t *pos, const char **key, size_t *klen, const char **val, size_t *vlen);

#endif
