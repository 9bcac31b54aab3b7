/* JSON-lines logging on stderr. One write(2) per line, so lines from threads never mix. */
#include "base/base.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static atomic_int min_level = LOG_INFO;
static _Thread_local char request_id[128];
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level min)
{
    atomic_store(&min_level, (int)min);
}

int log_level_parse(const char *s, log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, level_names[i]) == 0) {
            *out = (log_level)i;
            return 0;
        }
    return -1;
}

void log_set_request_id(const char *id)
{
    if (!id)
        request_id[0] = '\0';
    else
        snprintf(request_id, sizeof(request_id), "%s", id);
}

const char *log_request_id(void)
{
    return request_id[0] ? request_id : NULL;
}

void log_write(log_level lvl, const char *fields, const char *fmt, ...)
{
    if ((int)lvl < atomic_load(&min_level))
        return;
    char stamp[BASE_RFC3339_LEN], msg[1024];
    base_rfc3339(base_now_ms(), stamp);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    buf b;
    buf_init(&b, 64 * 1024);
    buf_printf(&b, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":", stamp, level_names[lvl]);
    buf_json_str(&b, msg);
    if (request_id[0]) {
        buf_puts(&b, ",\"request_id\":");
        buf_json_str(&b, request_id);
    }
    if (fields && *fields) {
        buf_puts(&b, ",");
        buf_puts(&b, fields);
    }
    if (buf_puts(&b, "}\n") == 0) {
        ssize_t off = 0, n;
        while (off < (ssize_t)b.len && (n = write(STDERR_FILENO, b.data + off, b.len - (size_t)off)) > 0)
            off += n;
    }
    buf_release(&b);
}

/* True when s needs no JSON escaping: printable ASCII other than '"' and '\\'. */
static bool plain_json(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E || s[i] == '"' || s[i] == '\\')
            return false;
    return true;
}

bool log_enabled(log_level lvl)
{
    return (int)lvl >= atomic_load(&min_level);
}

void log_write_lines(const char *text, size_t len)
{
    ssize_t n;
    size_t off = 0;
    while (off < len && (n = write(STDERR_FILENO, text + off, len - off)) > 0)
        off += (size_t)n;
}

size_t log_format_plain(char *out, size_t cap, log_level lvl, const char *fields, const char *msg)
{
    static _Thread_local int64_t stamp_ms = -1;
    static _Thread_local char stamp[BASE_RFC3339_LEN];
    size_t nm = strlen(msg), nr = strlen(request_id), nf = fields ? strlen(fields) : 0;
    if ((unsigned)lvl > LOG_ERROR || nm + nr + nf + 100 > cap || !plain_json(msg, nm) || !plain_json(request_id, nr))
        return 0;
    int64_t now = base_now_ms();
    if (now != stamp_ms) {
        base_rfc3339(now, stamp);
        stamp_ms = now;
    }
    char *p = out;
#define LOG_PUT(s, n) (memcpy(p, (s), (n)), p += (n))
    LOG_PUT("{\"time\":\"", 9);
    LOG_PUT(stamp, strlen(stamp));
    LOG_PUT("\",\"level\":\"", 11);
    LOG_PUT(level_names[lvl], strlen(level_names[lvl]));
    LOG_PUT("\",\"msg\":\"", 9);
    LOG_PUT(msg, nm);
    LOG_PUT("\"", 1);
    if (nr) {
        LOG_PUT(",\"request_id\":\"", 15);
        LOG_PUT(request_id, nr);
        LOG_PUT("\"", 1);
    }
    if (nf) {
        LOG_PUT(",", 1);
        LOG_PUT(fields, nf);
    }
    LOG_PUT("}\n", 2);
#undef LOG_PUT
    return (size_t)(p - out);
}

void log_write_plain(log_level lvl, const char *fields, const char *msg)
{
    if (!log_enabled(lvl))
        return;
    char line[4096];
    size_t n = log_format_plain(line, sizeof(line), lvl, fields, msg);
    if (n)
        log_write_lines(line, n);
    else
        log_write(lvl, fields, "%s", msg);
}
