/**
 * Mutation testing of the engine and the stream reader by the TCK. This
 * module has no code of its own: its build copies the classes to mutate into
 * its output directory (PIT mutates only a module's own classes), and its
 * tests ({@code MutationTck}) run the TCK on two engine configurations. Run
 * it with {@code .ci/mutation.sh}.
 */
package dev.aio4j.mutation;
