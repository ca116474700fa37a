/**
 * Test support for users' own code: a virtual clock ({@link xiio.testing.VirtualClock}),
 * waiting until every other task is blocked ({@link xiio.testing.Testing}), an in-memory
 * network with fault injection ({@link xiio.testing.MemoryNetwork}), and conformance
 * checks for streams ({@link xiio.testing.StreamChecks}).
 */
package xiio.testing;
