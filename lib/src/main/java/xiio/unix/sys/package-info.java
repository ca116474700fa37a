/**
 * The FFM syscall table: every downcall of the project, errno captured and mapped in
 * one place, and every OS constant. Internal (not exported by the module): replacing a
 * table ({@code FileSyscalls.install}) or the close hook would break a loop's fd
 * bookkeeping. Tests, which run on the class path, inject faults through it.
 *
 * <p>Every owner of an fd holds an {@link xiio.unix.sys.OwnedFd}, whose close goes
 * through {@code FileSyscalls.close}: its hook is how the loop learns of a close.
 */
package xiio.unix.sys;
