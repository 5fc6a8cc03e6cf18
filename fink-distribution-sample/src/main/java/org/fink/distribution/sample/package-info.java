/**
 * Synthetic ZTF-like alerts (with FITS cutouts), deterministic from a seed, for demos, tests and benchmarks:
 * {@link org.fink.distribution.sample.SyntheticAlerts}.
 *
 * <pre>{@code
 * SyntheticAlerts alerts = SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED);
 * List<Path> files = alerts.writeContainerFiles(Path.of("alerts"), 200, 50);   // 200 alerts, 50 per file
 * }</pre>
 */
package org.fink.distribution.sample;
