/** The io layer: async byte streams over any fd, buffered readers and writers, pipes, stdio. */
package xiio.io;
