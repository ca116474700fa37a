/** The process layer: subprocesses awaited on a pidfd, with concurrent output capture. */
package xiio.process;
