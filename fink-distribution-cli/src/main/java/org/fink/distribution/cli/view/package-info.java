/**
 * {@code bin/fink view}: a local, read-only web viewer of alerts for vetting them by eye. The live page lists new
 * alerts as they arrive (server-sent events) with their rate; an alert page shows the three cutouts (decoded from
 * their gzipped FITS by {@link org.fink.distribution.cli.view.Cutout}, stretched into PNG by
 * {@link org.fink.distribution.cli.view.CutoutPng}), the light curve ({@link org.fink.distribution.cli.view.LightCurve},
 * drawn by Chart.js served from its WebJar) and the alert's fields. {@link org.fink.distribution.cli.view.AlertViewer}
 * serves them with the JDK's HTTP server; {@link org.fink.distribution.cli.view.StaticExport} writes the same pages
 * into one self-contained HTML file.
 */
package org.fink.distribution.cli.view;
