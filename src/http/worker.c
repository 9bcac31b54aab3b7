/* The worker pool for slow routes: their connection is suspended while a worker runs the
 * handler, so the server's threads never wait on argon2id or a long query. */
#include "http/http_int.h"

#include <stdlib.h>

void http_run_handler(http_req *req)
{
    log_set_request_id(req->id);
    req->match.route->handler(req);
    if (!req->replied)
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "the handler gave no reply");
    log_set_request_id(NULL);
}

static http_req *pop(http_workers *w)
{
    pthread_mutex_lock(&w->mu);
    while (!w->head && !w->stop)
        pthread_cond_wait(&w->cv, &w->mu);
    http_req *req = w->head;
    if (req) {
        w->head = req->next;
        if (!w->head)
            w->tail = NULL;
        w->queued--;
    }
    pthread_mutex_unlock(&w->mu);
    return req; /* NULL: stopping and nothing left */
}

static void *work(void *arg)
{
    http_workers *w = arg;
    http_req *req;
    while ((req = pop(w))) {
        http_run_handler(req);
        atomic_store(&req->stage, HTTP_STAGE_SLOW_DONE);
        MHD_resume_connection(req->conn); /* MHD calls back and the reply is queued there */
    }
    return NULL;
}

int http_workers_start(http_workers *w, size_t n, size_t max_queued)
{
    *w = (http_workers){.max_queued = max_queued};
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return -1;
    pthread_cond_init(&w->cv, NULL);
    if (!(w->threads = calloc(n, sizeof(*w->threads))))
        return -1;
    for (; w->nthreads < n; w->nthreads++)
        if (pthread_create(&w->threads[w->nthreads], NULL, work, w) != 0) {
            http_workers_stop(w);
            return -1;
        }
    return 0;
}

bool http_workers_reserve(http_workers *w)
{
    bool ok = false;
    pthread_mutex_lock(&w->mu);
    if (!w->stop && w->queued < w->max_queued) {
        w->queued++;
        ok = true;
    }
    pthread_mutex_unlock(&w->mu);
    return ok;
}

void http_workers_push(http_workers *w, http_req *req)
{
    pthread_mutex_lock(&w->mu);
    req->next = NULL;
    if (w->tail)
        w->tail->next = req;
    else
        w->head = req;
    w->tail = req;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void http_workers_stop(http_workers *w)
{
    if (!w->threads)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (size_t i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    free(w->threads);
    w->threads = NULL;
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
}
