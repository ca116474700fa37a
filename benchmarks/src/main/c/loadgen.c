/*
 * The echo benchmark's load generator: one thread, level-triggered epoll.
 *
 *   loadgen --port P --connections C --size S --idle I --warmup SECS --duration SECS
 *           [--server-pid PID] [--sync] [--min-round-trips N]
 *
 * First I idle connections open, at most SETUP_WINDOW at a time, and each proves the
 * server accepted it: it sends one byte and waits for its echo, then stays open and
 * silent. Then C active connections ping-pong: send S bytes of a pattern that depends
 * on the connection and the round, wait until all S came back, check every byte,
 * repeat. After the warm-up, for the duration, it counts round trips, records each
 * one's latency in a log-linear histogram and reads both sides' CPU time; then prints
 * one line:
 *
 *   rt_per_s=... p50_us=... p99_us=... p999_us=... server_cpu_s=... client_cpu_s=... window_s=... errors=N
 *
 * A wrong byte, a failed connect, a reset, an early end of stream or an idle connection
 * that is gone at the end is an error; any error (or no round trip at all) makes the
 * exit status 1.
 *
 * --sync is for a syscall count: after the warm-up it prints "warm" and waits for a
 * line on stdin before measuring; after printing its result it waits for stdin to end
 * before closing anything. Between the two, nothing is sent, so a tracer attached to
 * the server during the pause sees only what the measured window caused. With
 * --min-round-trips the window goes on past its duration (30 s more at most) until that
 * many round trips are in it, so a count per round trip never divides by almost nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SETUP_WINDOW 64      /* connections being set up at once: stays below every server's backlog */
#define SETUP_LIMIT_S 120.0  /* setting up all connections must not take longer */
#define MAX_EVENTS 512

/* ---- latency histogram: log-linear, 128 sub-buckets per power of two (< 0.8% error) ---- */

#define LINEAR_LIMIT 256
#define SUB_BUCKETS 128
#define BUCKETS (LINEAR_LIMIT + (64 - 8) * SUB_BUCKETS)

static uint64_t histogram[BUCKETS];
static uint64_t samples;

static int bucket_of(uint64_t ns) {
    if (ns < LINEAR_LIMIT) return (int)ns;
    int e = 63 - __builtin_clzll(ns); /* >= 8 */
    int shift = e - 7;
    return LINEAR_LIMIT + (e - 8) * SUB_BUCKETS + (int)((ns >> shift) - SUB_BUCKETS);
}

/* The middle of bucket i, in ns. */
static double bucket_value(int i) {
    if (i < LINEAR_LIMIT) return i;
    int k = i - LINEAR_LIMIT;
    int e = k / SUB_BUCKETS + 8;
    uint64_t sub = (uint64_t)(k % SUB_BUCKETS + SUB_BUCKETS);
    int shift = e - 7;
    return (double)(sub << shift) + (double)((1ULL << shift) - 1) / 2.0;
}

static void record(uint64_t ns) {
    histogram[bucket_of(ns)]++;
    samples++;
}

static double percentile_us(double p) {
    if (samples == 0) return 0;
    uint64_t rank = (uint64_t)(p * (double)samples + 0.999999);
    if (rank < 1) rank = 1;
    uint64_t seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= rank) return bucket_value(i) / 1000.0;
    }
    return 0;
}

/* ---- clocks ---- */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double client_cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* utime + stime of every thread of pid, from /proc/PID/stat (fields 14 and 15); -1 if unreadable. */
static double server_cpu_s(int pid) {
    if (pid <= 0) return -1;
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
    if (!p) return -1;
    unsigned long long utime = 0, stime = 0;
    /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* ---- connections ---- */

enum state { UNOPENED, CONNECTING, PROBING, IDLE, ACTIVE, DEAD };

struct conn {
    int fd;
    enum state state;
    bool idle;
    bool want_out;  /* EPOLLOUT asked for: a send is incomplete, or a connect pending */
    size_t sent, received;
    uint64_t round, started_ns;
};

static struct conn *conns;
static int total_conns, idle_conns, epfd;
static size_t size;
static unsigned char *pattern; /* size + 256 bytes; a round sends pattern[offset .. offset + size) */
static unsigned char *inbuf;
static uint64_t errors;
static int setting_up; /* connections in CONNECTING or PROBING */
static int next_to_open;
static int idle_ready;

enum phase { SETUP, WARMUP, MEASURE, DONE };
static enum phase phase = SETUP;

static const unsigned char *round_bytes(int id, struct conn *c) {
    return pattern + ((uint64_t)id * 7 + c->round) % 256;
}

static void fail(int id, const char *why) {
    struct conn *c = &conns[id];
    if (c->state == DEAD) return;
    if (errors < 10) fprintf(stderr, "loadgen: connection %d: %s\n", id, why);
    errors++;
    if (c->state == CONNECTING || c->state == PROBING) setting_up--;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->state = DEAD;
}

static void interest(int id, bool out) {
    struct conn *c = &conns[id];
    if (c->want_out == out) return;
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.u32 = (uint32_t)id};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) fail(id, strerror(errno));
    c->want_out = out;
}

static void open_conn(int id, uint16_t port) {
    struct conn *c = &conns[id];
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->state = CONNECTING;
        setting_up++;
        fail(id, strerror(errno));
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->state = CONNECTING;
    setting_up++;
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
        fail(id, strerror(errno));
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)id};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) fail(id, strerror(errno));
    c->want_out = true;
}

/* Sends what is left of this round; asks for EPOLLOUT while some is left. */
static void send_more(int id) {
    struct conn *c = &conns[id];
    const unsigned char *bytes = round_bytes(id, c);
    while (c->sent < size) {
        ssize_t n = write(c->fd, bytes + c->sent, size - c->sent);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            fail(id, strerror(errno));
            return;
        }
        c->sent += (size_t)n;
    }
    interest(id, c->sent < size);
}

static void start_round(int id, uint64_t now) {
    struct conn *c = &conns[id];
    c->sent = c->received = 0;
    c->started_ns = now;
    send_more(id);
}

static void connected(int id, uint64_t now) {
    struct conn *c = &conns[id];
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
        fail(id, strerror(err));
        return;
    }
    if (c->idle) {
        c->state = PROBING;
        if (write(c->fd, "x", 1) != 1) fail(id, "probe write failed");
        else interest(id, false);
    } else {
        c->state = ACTIVE;
        setting_up--;
        start_round(id, now);
    }
}

static void probe_answered(int id) {
    struct conn *c = &conns[id];
    char b;
    ssize_t n = read(c->fd, &b, 1);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n != 1 || b != 'x') {
        fail(id, n == 0 ? "closed by the server" : n < 0 ? strerror(errno) : "wrong probe echo");
        return;
    }
    /* accepted and served: from now on it only holds a slot in the server */
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    c->state = IDLE;
    setting_up--;
    idle_ready++;
}

static void receive(int id, uint64_t *now) {
    struct conn *c = &conns[id];
    ssize_t n = read(c->fd, inbuf, size - c->received);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        fail(id, strerror(errno));
        return;
    }
    if (n == 0) {
        fail(id, "closed by the server");
        return;
    }
    if ((size_t)n > c->sent - c->received || memcmp(inbuf, round_bytes(id, c) + c->received, (size_t)n) != 0) {
        fail(id, "echoed bytes differ from those sent");
        return;
    }
    c->received += (size_t)n;
    if (c->received < size) return;
    *now = now_ns();
    if (phase == MEASURE) record(*now - c->started_ns);
    c->round++;
    if (phase != DONE) start_round(id, *now);
}

static void handle(uint32_t id, uint32_t events, uint64_t *now) {
    struct conn *c = &conns[id];
    switch (c->state) {
    case CONNECTING:
        connected((int)id, *now);
        break;
    case PROBING:
        probe_answered((int)id);
        break;
    case ACTIVE:
        if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) receive((int)id, now);
        if (c->state == ACTIVE && (events & EPOLLOUT) && c->sent < size) send_more((int)id);
        break;
    default:
        break;
    }
}

static int live_active_conns(void) {
    int live = 0;
    for (int i = idle_conns; i < total_conns; i++) live += conns[i].state == ACTIVE;
    return live;
}

/* Opens more connections while the window has room: every idle one before any active one. */
static void open_more(uint16_t port) {
    while (setting_up < SETUP_WINDOW && next_to_open < total_conns) {
        if (next_to_open >= idle_conns && idle_ready + (int)errors < idle_conns) return;
        open_conn(next_to_open++, port);
    }
}

/* Idle connections must still be open at the end: a server that dropped some has not held them. */
static void check_idle(void) {
    for (int i = 0; i < idle_conns; i++) {
        if (conns[i].state != IDLE) continue;
        char b;
        ssize_t n = recv(conns[i].fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) fail(i, "idle connection closed by the server");
        else if (n > 0) fail(i, "unexpected bytes on an idle connection");
        else if (errno != EAGAIN && errno != EWOULDBLOCK) fail(i, strerror(errno));
    }
}

static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void wait_for_stdin_line(void) {
    char b;
    while (read(0, &b, 1) == 1 && b != '\n') {
    }
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen --port P --connections C --size S --idle I --warmup SECS --duration SECS"
                    " [--server-pid PID] [--sync] [--min-round-trips N]\n");
    exit(2);
}

int main(int argc, char **argv) {
    int port = -1, active = -1, server_pid = 0;
    long idle = 0, msg = -1;
    double warmup = 2, duration = 5;
    bool sync = false;
    long min_rounds = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--sync")) { sync = true; continue; }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--port")) port = atoi(v);
        else if (!strcmp(a, "--connections")) active = atoi(v);
        else if (!strcmp(a, "--size")) msg = atol(v);
        else if (!strcmp(a, "--idle")) idle = atol(v);
        else if (!strcmp(a, "--warmup")) warmup = atof(v);
        else if (!strcmp(a, "--duration")) duration = atof(v);
        else if (!strcmp(a, "--server-pid")) server_pid = atoi(v);
        else if (!strcmp(a, "--min-round-trips")) min_rounds = atol(v);
        else usage();
    }
    if (port <= 0 || port > 65535 || active < 1 || msg < 1 || msg > (1 << 24) || idle < 0 || duration <= 0 || warmup < 0)
        usage();
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);

    size = (size_t)msg;
    idle_conns = (int)idle;
    total_conns = idle_conns + active;
    conns = calloc((size_t)total_conns, sizeof *conns);
    pattern = malloc(size + 256);
    inbuf = malloc(size);
    if (!conns || !pattern || !inbuf) { perror("malloc"); return 1; }
    uint32_t x = 2463534242u; /* xorshift: bytes that no off-by-one can echo back by chance */
    for (size_t i = 0; i < size + 256; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        pattern[i] = (unsigned char)x;
    }
    for (int i = 0; i < total_conns; i++) {
        conns[i].fd = -1;
        conns[i].idle = i < idle_conns;
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) { perror("epoll_create1"); return 1; }

    struct epoll_event events[MAX_EVENTS];
    uint64_t now = now_ns();
    uint64_t setup_deadline = now + (uint64_t)(SETUP_LIMIT_S * 1e9), measure_start = 0, measure_end = 0;
    double server_cpu0 = 0, client_cpu0 = 0, server_cpu = -1, client_cpu = 0, window = 0;
    while (phase != DONE) {
        if (phase == SETUP) {
            open_more((uint16_t)port);
            if (next_to_open == total_conns && setting_up == 0) {
                if (live_active_conns() == 0) break; /* every active connection failed */
                phase = WARMUP;
                measure_start = now + (uint64_t)(warmup * 1e9);
            } else if (now > setup_deadline) {
                fprintf(stderr, "loadgen: connections not set up within %.0f s\n", SETUP_LIMIT_S);
                errors++;
                break;
            }
        }
        if (phase == WARMUP && now >= measure_start) {
            if (sync) {
                printf("warm\n");
                fflush(stdout);
                wait_for_stdin_line();
                now = now_ns();
            }
            phase = MEASURE;
            measure_start = now;
            measure_end = now + (uint64_t)(duration * 1e9);
            server_cpu0 = server_cpu_s(server_pid);
            client_cpu0 = client_cpu_s();
        }
        if (phase == MEASURE && now >= measure_end
            && (samples >= (uint64_t)min_rounds || now >= measure_end + 30000000000ULL || live_active_conns() == 0)) {
            server_cpu = server_pid > 0 ? server_cpu_s(server_pid) - server_cpu0 : -1;
            client_cpu = client_cpu_s() - client_cpu0;
            window = (double)(now - measure_start) / 1e9;
            phase = DONE;
            break;
        }
        uint64_t until = phase == SETUP ? setup_deadline : phase == WARMUP ? measure_start : measure_end;
        if (phase == MEASURE && now >= measure_end) until = now + 10000000; /* waiting for min_rounds */
        int timeout_ms = until > now ? (int)((until - now + 999999) / 1000000) : 0;
        int n = epoll_wait(epfd, events, MAX_EVENTS, timeout_ms);
        if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
        now = now_ns();
        for (int i = 0; i < n; i++) handle(events[i].data.u32, events[i].events, &now);
        now = now_ns();
    }

    check_idle();
    uint64_t rounds = samples;
    printf("rt_per_s=%.1f p50_us=%.2f p99_us=%.2f p999_us=%.2f server_cpu_s=%.3f client_cpu_s=%.3f window_s=%.3f errors=%llu\n",
           window > 0 ? (double)rounds / window : 0.0, percentile_us(0.50), percentile_us(0.99), percentile_us(0.999),
           server_cpu, client_cpu, window, (unsigned long long)errors);
    fflush(stdout);
    if (sync) {
        char b;
        while (read(0, &b, 1) > 0) {
        }
    }
    /* a reset instead of a FIN: the next run's connections find no ports stuck in TIME_WAIT */
    struct linger hard = {.l_onoff = 1, .l_linger = 0};
    for (int i = 0; i < total_conns; i++) {
        if (conns[i].fd >= 0) {
            setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            close(conns[i].fd);
        }
    }
    return errors > 0 || rounds == 0 ? 1 : 0;
}
