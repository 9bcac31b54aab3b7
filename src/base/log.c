/* JSON-lines logging on stderr. One write(2) per line, so lines from threads never mix. */
#include "base/base.h"

#include <stdatomic.h>
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
