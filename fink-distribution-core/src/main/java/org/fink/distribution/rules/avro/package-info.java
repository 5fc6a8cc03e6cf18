/**
 * Rule evaluation on Avro records, for consumers and tools without Spark:
 * {@link org.fink.distribution.rules.avro.AlertPredicate} selects exactly the alerts that the Spark distribution
 * selects (same two-valued null semantics).
 *
 * <pre>{@code
 * AlertPredicate bright = AlertPredicate.of(rules.streams().get(0));
 * if (bright.test(alert)) { ... }
 * }</pre>
 */
package org.fink.distribution.rules.avro;
