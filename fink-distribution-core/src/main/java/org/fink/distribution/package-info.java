/**
 * What every part of the library shares: {@link org.fink.distribution.FinkException}, the root of every error it
 * throws (catch it to handle them all), and {@link org.fink.distribution.KafkaProblem}, a failure of Kafka in the
 * library's terms (its kind, the address, topic and user involved, and the message naming the fix), from which a
 * front end adds its own hints. This package depends on no other package of the library.
 *
 * <pre>{@code
 * try {
 *   distribution.runOnce();
 * } catch (FinkException e) {
 *   System.err.println(e.getMessage());
 *   e.kafkaProblem().ifPresent(p -> System.err.println("Kafka problem: " + p.kind()));
 * }
 * }</pre>
 */
package org.fink.distribution;
