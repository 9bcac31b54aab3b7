/* The listening socket and its acceptor thread. libmicrohttpd's own thread pool shares one
 * listening socket among its threads, and whichever wakes first takes a whole burst of
 * connections: measured here, one of two threads often served all 64 of wrk's keep-alive
 * connections while the other idled. So Roadie accepts itself and deals connections to
 * one single-threaded daemon per core, in turn. */
#include "http/http_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTP_BACKLOG 511

int http_listen_open(const struct sockaddr_storage *ss, char *err, size_t errlen)
{
    socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
        bind(fd, (const struct sockaddr *)ss, len) < 0 || listen(fd, HTTP_BACKLOG) < 0) {
        snprintf(err, errlen, "listen: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int http_listen_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

static void *accept_loop(void *arg)
{
    http_server *s = arg;
    size_t next = 0;
    while (!atomic_load(&s->accept_stop)) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof(peer);
        int fd = accept4(s->listen_fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                log_warn("accept: %s; pausing", strerror(errno));
                usleep(10000);
            }
            continue; /* EINTR, ECONNABORTED, ...; EINVAL after shutdown ends the loop */
        }
        /* MHD closes fd itself when it refuses it (a limit, or no memory) */
        MHD_add_connection(s->daemons[next], fd, (struct sockaddr *)&peer, len);
        next = (next + 1) % s->ndaemons;
    }
    return NULL;
}

int http_listen_start(http_server *s)
{
    atomic_store(&s->accept_stop, false);
    return pthread_create(&s->acceptor, NULL, accept_loop, s) == 0 ? 0 : -1;
}

void http_listen_stop(http_server *s)
{
    atomic_store(&s->accept_stop, true);
    shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept4 with EINVAL */
    pthread_join(s->acceptor, NULL);
    close(s->listen_fd);
    s->listen_fd = -1;
}
