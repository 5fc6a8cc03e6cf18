/**
 * The benchmarks of {@code bench/run} ({@link org.fink.distribution.bench.BenchmarkSuite}): Kafka's own producer
 * limit, then the distribution on the same broker with the same producer settings and synthetic alerts with varied
 * cutouts, measured side by side in one run; fan-out (10 streams vs 1), latency, driver memory; long fault runs
 * ({@link org.fink.distribution.bench.FaultInjection}) live here, not in the test suite.
 */
package org.fink.distribution.bench;
