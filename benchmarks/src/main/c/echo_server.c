/*
 * The practical limit of the echo benchmark: a minimal epoll echo server in C.
 *
 *   echo_server PORT        (0 picks a free port; prints "listening on 127.0.0.1:PORT pid N")
 *
 * One thread, level-triggered epoll, non-blocking sockets, TCP_NODELAY. A readable
 * connection costs one read (up to 64 KiB) and one write; only when the write is short
 * does the rest wait in a per-connection buffer, reading stops and EPOLLOUT is asked
 * for, so a slow reader cannot make the server buffer without bound. SIGINT/SIGTERM
 * arrive through a signalfd in the same epoll set (the process has one thread, so
 * blocking the signals in it is enough) and end the loop with exit status 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)
#define MAX_EVENTS 256

/* Bytes read but not yet written back, per fd; NULL data when nothing is pending. */
struct pending {
    char *data;
    size_t off, len;
};

static struct pending *pending;
static size_t pending_cap;
static int epfd;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void watch(int op, int fd, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(epfd, op, fd, &ev) < 0) die("epoll_ctl");
}

static void close_conn(int fd) {
    if ((size_t)fd < pending_cap && pending[fd].data) {
        free(pending[fd].data);
        pending[fd].data = NULL;
    }
    close(fd); /* also removes it from the epoll set: no other fd refers to the socket */
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR) return;
            if (errno == EMFILE || errno == ENFILE) return; /* the client sees a stall, not a crash */
            die("accept4");
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if ((size_t)fd >= pending_cap) {
            size_t cap = pending_cap ? pending_cap : 1024;
            while (cap <= (size_t)fd) cap *= 2;
            pending = realloc(pending, cap * sizeof *pending);
            if (!pending) die("realloc");
            memset(pending + pending_cap, 0, (cap - pending_cap) * sizeof *pending);
            pending_cap = cap;
        }
        watch(EPOLL_CTL_ADD, fd, EPOLLIN);
    }
}

/* Writes what is pending; when all is out, goes back to reading. */
static void flush_pending(int fd) {
    struct pending *p = &pending[fd];
    while (p->off < p->len) {
        ssize_t n = write(fd, p->data + p->off, p->len - p->off);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EINTR) continue;
            close_conn(fd);
            return;
        }
        p->off += (size_t)n;
    }
    free(p->data);
    p->data = NULL;
    watch(EPOLL_CTL_MOD, fd, EPOLLIN);
}

static void echo(int fd, char *buf) {
    ssize_t n = read(fd, buf, BUF_SIZE);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        close_conn(fd); /* end of stream or reset */
        return;
    }
    ssize_t w = write(fd, buf, (size_t)n);
    if (w == n) return;
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close_conn(fd);
            return;
        }
        w = 0;
    }
    /* a short write: keep the rest, stop reading until it is out */
    struct pending *p = &pending[fd];
    p->len = (size_t)(n - w);
    p->off = 0;
    p->data = malloc(p->len);
    if (!p->data) die("malloc");
    memcpy(p->data, buf + w, p->len);
    watch(EPOLL_CTL_MOD, fd, EPOLLOUT);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_server PORT\n");
        return 2;
    }
    raise_fd_limit();

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stop, NULL) < 0) die("sigprocmask");
    int sigfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) die("signalfd");

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(listener, 4096) < 0) die("listen");
    socklen_t len = sizeof addr;
    if (getsockname(listener, (struct sockaddr *)&addr, &len) < 0) die("getsockname");

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    watch(EPOLL_CTL_ADD, listener, EPOLLIN);
    watch(EPOLL_CTL_ADD, sigfd, EPOLLIN);

    printf("listening on 127.0.0.1:%d pid %d\n", ntohs(addr.sin_port), (int)getpid());
    fflush(stdout);

    static char buf[BUF_SIZE];
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                accept_all(listener);
            } else if (fd == sigfd) {
                return 0; /* exit closes every socket */
            } else if (pending[fd].data) {
                if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) flush_pending(fd);
            } else {
                echo(fd, buf); /* EPOLLIN, or EPOLLERR/EPOLLHUP that the read reports */
            }
        }
    }
}
