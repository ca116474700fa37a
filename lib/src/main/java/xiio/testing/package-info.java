/** Test support for users' own code: a virtual clock. */
package xiio.testing;
