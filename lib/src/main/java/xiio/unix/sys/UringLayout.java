package xiio.unix.sys;

/**
 * Byte offsets of the io_uring structures (include/uapi/linux/io_uring.h), the same on
 * every 64-bit architecture: {@code io_uring_params}, the SQ and CQ ring offsets inside
 * it, a submission entry, a completion entry, {@code io_uring_getevents_arg}, and the
 * mode of a {@code struct statx}.
 */
public final class UringLayout {
    private UringLayout() {}

    // struct io_uring_params: 120 bytes
    public static final long PARAMS_SIZE = 120;
    public static final long PARAMS_SQ_ENTRIES = 0;
    public static final long PARAMS_CQ_ENTRIES = 4;
    public static final long PARAMS_FLAGS = 8;
    public static final long PARAMS_FEATURES = 20;
    /** struct io_sqring_offsets sq_off */
    public static final long PARAMS_SQ_OFF = 40;
    /** struct io_cqring_offsets cq_off */
    public static final long PARAMS_CQ_OFF = 80;

    // io_sqring_offsets, relative to PARAMS_SQ_OFF
    public static final long SQ_HEAD = 0;
    public static final long SQ_TAIL = 4;
    public static final long SQ_RING_MASK = 8;
    public static final long SQ_RING_ENTRIES = 12;
    public static final long SQ_FLAGS = 16;
    public static final long SQ_ARRAY = 24;

    // io_cqring_offsets, relative to PARAMS_CQ_OFF
    public static final long CQ_HEAD = 0;
    public static final long CQ_TAIL = 4;
    public static final long CQ_RING_MASK = 8;
    public static final long CQ_RING_ENTRIES = 12;
    public static final long CQ_OVERFLOW = 16;
    public static final long CQ_CQES = 20;

    // struct io_uring_sqe: 64 bytes
    public static final long SQE_SIZE = 64;
    public static final long SQE_OPCODE = 0;
    public static final long SQE_FLAGS = 1;
    public static final long SQE_FD = 4;
    public static final long SQE_OFF = 8;
    public static final long SQE_ADDR = 16;
    public static final long SQE_LEN = 24;
    /** the per-op flags word: poll32_events, rw_flags, msg_flags, cancel_flags */
    public static final long SQE_OP_FLAGS = 28;
    public static final long SQE_USER_DATA = 32;
    /** a u16: RECV's multishot bit lives here */
    public static final long SQE_IOPRIO = 2;
    /** a u16: the buffer group of IOSQE_BUFFER_SELECT */
    public static final long SQE_BUF_GROUP = 40;

    // struct io_uring_cqe: 16 bytes
    public static final long CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0;
    public static final long CQE_RES = 8;
    public static final long CQE_FLAGS = 12;

    // struct io_uring_buf_reg (40 bytes): ring_addr u64, ring_entries u32, bgid u16
    public static final long BUF_REG_SIZE = 40;
    public static final long BUF_REG_RING_ADDR = 0;
    public static final long BUF_REG_ENTRIES = 8;
    public static final long BUF_REG_BGID = 12;
    // struct io_uring_buf (16 bytes): addr u64, len u32, bid u16; the ring's tail is the
    // u16 at offset 14 of entry 0 (struct io_uring_buf_ring overlays it)
    public static final long BUF_SIZE = 16;
    public static final long BUF_ADDR = 0;
    public static final long BUF_LEN = 8;
    public static final long BUF_BID = 12;
    public static final long BUF_RING_TAIL = 14;

    // struct io_uring_getevents_arg: 24 bytes; then a struct __kernel_timespec
    public static final long GETEVENTS_ARG_SIZE = 24;
    public static final long GETEVENTS_ARG_TS = 16;

    /** stx_mode (a u16) in struct statx (256 bytes) */
    public static final long STATX_MODE = 28;
    public static final long STATX_SIZE = 256;
}
