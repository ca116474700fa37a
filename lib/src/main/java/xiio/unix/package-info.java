/**
 * What a failed system call looks like to a caller: {@link xiio.unix.ErrnoException}
 * (the call, its subject and the errno) and the errno numbers and names of
 * {@link xiio.unix.Errno}. Public signatures of every layer throw these, e.g.
 * {@code Signals.subscribe}; the syscall tables that raise them are internal.
 */
package xiio.unix;
