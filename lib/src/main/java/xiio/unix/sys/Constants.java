package xiio.unix.sys;

/**
 * Every OS constant the project uses, in one table. The values are Linux's, and the
 * same on x86_64 and aarch64 unless a comment says otherwise. A BSD or macOS port
 * starts by giving this class a twin.
 */
public final class Constants {
    private Constants() {}

    // open(2) / fcntl(2)
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;

    // eventfd(2)
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = O_NONBLOCK;

    // statx(2): what kind of file an fd is
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_TYPE = 0x1;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;

    // mmap(2)
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;

    // io_uring (include/uapi/linux/io_uring.h); syscall numbers are the same on every
    // architecture, the first ones added after the tables were unified
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    public static final int IORING_SQ_TASKRUN = 1 << 2;
    public static final int IORING_CQE_F_MORE = 1 << 1;
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;
    public static final byte IORING_OP_POLL_ADD = 6;
    public static final byte IORING_OP_POLL_REMOVE = 7;
    public static final byte IORING_OP_ASYNC_CANCEL = 14;
    public static final byte IOSQE_CQE_SKIP_SUCCESS = 1 << 6;
    public static final byte IORING_OP_NOP = 0;
    public static final byte IORING_OP_READ = 22;
    public static final byte IORING_OP_WRITE = 23;
    public static final byte IORING_OP_SEND = 26;
    public static final byte IORING_OP_RECV = 27;
    /** sqe flag: the kernel picks a buffer from the group in {@code buf_group} */
    public static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    /** sqe ioprio bit of RECV: keep receiving, one completion per buffer (kernel 6.0) */
    public static final short IORING_RECV_MULTISHOT = 1 << 1;
    /** cqe flag: the upper 16 bits ({@code >>> IORING_CQE_BUFFER_SHIFT}) are the buffer id */
    public static final int IORING_CQE_F_BUFFER = 1;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;
    /** ASYNC_CANCEL flag: every request the key matches, not only the first */
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    /** ASYNC_CANCEL flag: match any request (with ALL: everything in flight) */
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    // io_uring's POLL_ADD takes the poll(2) bits below (the same values as epoll's)

    // epoll(7)
    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    // poll(2) events (struct pollfd): a readiness check without an epoll instance, and io_uring's POLL_ADD
    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDHUP = 0x2000;
    /**
     * {@code struct epoll_event} is {@code __attribute__((packed))} on x86_64 only:
     * 12 bytes there (data at offset 4), 16 bytes with data at offset 8 elsewhere.
     */
    public static final boolean EPOLL_EVENT_PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    public static final long EPOLL_EVENT_SIZE = EPOLL_EVENT_PACKED ? 12 : 16;
    public static final long EPOLL_EVENT_DATA_OFFSET = EPOLL_EVENT_PACKED ? 4 : 8;

    // socket(2) and friends
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    public static final int IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int MSG_NOSIGNAL = 0x4000;

    // signals (x86_64 and aarch64 agree on these; mips and alpha do not)
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGWINCH = 28;

    // waitid(2) and pidfd
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WEXITED = 4;
    public static final int WNOHANG = 1;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    // io and net layers (appended)
    // regular files (xiio.file)
    public static final int O_EXCL = 0200;
    public static final int O_DSYNC = 010000;
    public static final int O_SYNC = 04010000;
    public static final int O_NOFOLLOW = 0400000;
    /** statx(2) mask bit for {@code stx_size} (not the struct's size, {@code UringLayout.STATX_SIZE}). */
    public static final int STATX_SIZE = 0x200;
    /** Byte offset of {@code stx_size} (u64) in struct statx. */
    public static final long STATX_SIZE_OFFSET = 40;
    public static final byte IORING_OP_FSYNC = 3;
    public static final byte IORING_OP_OPENAT = 18;
    public static final byte IORING_OP_STATX = 21;
    /** Linux 6.9; older kernels answer EINVAL. */
    public static final byte IORING_OP_FTRUNCATE = 55;
    public static final int AT_FDCWD = -100;
    /** preadv2(2) flag: only what the page cache holds, EAGAIN instead of waiting for the disk (Linux 4.14). */
    public static final int RWF_NOWAIT = 0x8;
    /** fsync_flags of IORING_OP_FSYNC: fdatasync instead of fsync. */
    public static final int IORING_FSYNC_DATASYNC = 1;
    public static final int O_NOCTTY = 0400;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int SO_TYPE = 3;
    public static final int SO_LINGER = 13;
    public static final int SO_ACCEPTCONN = 30;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_UDP = 17;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int AF_UNSPEC = 0;
    /** {@code sizeof(struct sockaddr_in)}, {@code sockaddr_in6}, {@code sockaddr_un}, {@code sockaddr_storage}. */
    public static final int SOCKADDR_IN_SIZE = 16;
    public static final int SOCKADDR_IN6_SIZE = 28;
    public static final int SOCKADDR_UN_SIZE = 110;
    public static final int SOCKADDR_STORAGE_SIZE = 128;
    /** {@code sun_path} is 108 bytes; a path needs its NUL, an abstract name its leading NUL. */
    public static final int UNIX_PATH_MAX = 108;

    // signal layer: the remaining standard signals (asm-generic numbering, shared by
    // x86_64 and aarch64; the common ones are in the "signals" section above)
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGSEGV = 11;
    public static final int SIGSTKFLT = 16;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;

    // process layer: posix_spawn(3), pidfd_open(2), waitid(2)
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /**
     * Bytes to reserve for the opaque {@code posix_spawn_file_actions_t} and
     * {@code posix_spawnattr_t}: glibc's are 80 and 336 bytes on 64-bit, musl's smaller.
     * Reserving more is harmless; the init functions write only their own size.
     */
    public static final long POSIX_SPAWN_FILE_ACTIONS_BYTES = 512;
    public static final long POSIX_SPAWNATTR_BYTES = 1024;
    /** glibc's {@code sigset_t} is 1024 bits, whatever the kernel's is. */
    public static final long SIGSET_BYTES = 128;
    /** {@code siginfo_t} is 128 bytes; for SIGCHLD the union starts at 16 on 64-bit targets. */
    public static final long SIGINFO_BYTES = 128;
    public static final long SIGINFO_CODE_OFFSET = 8;
    public static final long SIGINFO_PID_OFFSET = 16;
    public static final long SIGINFO_STATUS_OFFSET = 24;
    /** Makes waitid(P_PIDFD) return EAGAIN instead of blocking (Linux 5.10); same bit as O_NONBLOCK. */
    public static final int PIDFD_NONBLOCK = O_NONBLOCK;
    /** Syscall numbers from 424 on are the same on every Linux architecture. */
    public static final long SYS_PIDFD_SEND_SIGNAL = 424;
    public static final long SYS_PIDFD_OPEN = 434;
    /** waitid: report an exited child but leave it unreaped (its pid stays ours). */
    public static final int WNOWAIT = 0x01000000;
}
