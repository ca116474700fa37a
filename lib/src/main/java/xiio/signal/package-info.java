/** The signal layer: signals as an async stream, through a handler that writes to an eventfd. */
package xiio.signal;
