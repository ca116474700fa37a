/** The FFM syscall table: every downcall of the project, errno captured and mapped in one place. */
package xiio.unix;
