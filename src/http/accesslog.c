/* The access log: one JSON line per request, formatted by base's logger (the same line as
 * every other log line) but written in batches: each server thread fills its own buffer,
 * written out when full and by a flusher every HTTP_ACCESS_FLUSH_MS. One write(2) per
 * request was a tenth of the server's CPU. The price: an access line reaches the log up
 * to that long after its request ended (and is lost if the process dies in between);
 * other log lines are not delayed. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCESS_BUF (32 * 1024)

typedef struct access_buf {
    pthread_mutex_t mu; /* the owner thread appends, the flusher drains */
    size_t len;
    struct access_buf *next;
    char data[ACCESS_BUF];
} access_buf;

static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static access_buf *all; /* every thread's buffer */
static _Thread_local access_buf *mine;

static access_buf *my_buf(void)
{
    if (mine)
        return mine;
    access_buf *b = malloc(sizeof(*b));
    if (!b)
        return NULL;
    pthread_mutex_init(&b->mu, NULL);
    b->len = 0;
    pthread_mutex_lock(&list_mu);
    b->next = all;
    all = b;
    pthread_mutex_unlock(&list_mu);
    return mine = b;
}

void http_access_append(const char *line, size_t n)
{
    access_buf *b = my_buf();
    if (!b || n > ACCESS_BUF) {
        log_write_lines(line, n);
        return;
    }
    pthread_mutex_lock(&b->mu);
    if (b->len + n > ACCESS_BUF) {
        log_write_lines(b->data, b->len);
        b->len = 0;
    }
    memcpy(b->data + b->len, line, n);
    b->len += n;
    pthread_mutex_unlock(&b->mu);
}

void http_access_flush(void)
{
    pthread_mutex_lock(&list_mu);
    for (access_buf *b = all; b; b = b->next) {
        pthread_mutex_lock(&b->mu);
        if (b->len)
            log_write_lines(b->data, b->len);
        b->len = 0;
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_unlock(&list_mu);
}

static void *flush_loop(void *arg)
{
    http_server *s = arg;
    for (int tick = 1; !atomic_load(&s->flusher_stop); tick++) {
        usleep(10000); /* checks for stop every 10 ms, flushes every HTTP_ACCESS_FLUSH_MS */
        if (tick % (HTTP_ACCESS_FLUSH_MS / 10) == 0)
            http_access_flush();
    }
    http_access_flush();
    return NULL;
}

int http_access_start(http_server *s)
{
    atomic_store(&s->flusher_stop, false);
    return pthread_create(&s->flusher, NULL, flush_loop, s) == 0 ? 0 : -1;
}

void http_access_stop(http_server *s)
{
    atomic_store(&s->flusher_stop, true);
    pthread_join(s->flusher, NULL);
    /* the threads that owned buffers are gone: free them */
    pthread_mutex_lock(&list_mu);
    for (access_buf *b = all, *next; b; b = next) {
        next = b->next;
        if (b->len)
            log_write_lines(b->data, b->len);
        pthread_mutex_destroy(&b->mu);
        free(b);
    }
    all = NULL;
    pthread_mutex_unlock(&list_mu);
    mine = NULL;
}
