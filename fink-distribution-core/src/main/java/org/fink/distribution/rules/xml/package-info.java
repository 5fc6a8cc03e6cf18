/**
 * The XML rule format ({@code conf/distribution-rules.xml}; grammar {@code distribution-rules.xsd}, also in this
 * jar): {@link org.fink.distribution.rules.xml.RulesXml} reads a file into
 * {@link org.fink.distribution.rules.DistributionRules}, reporting every problem with file, line and column, and
 * writes rules back to XML losslessly. The JAXB binding classes of this package are not API.
 *
 * <pre>{@code
 * DistributionRules rules = RulesXml.read(Path.of("conf/distribution-rules.xml"));
 * String xml = RulesXml.write(rules);
 * }</pre>
 */
package org.fink.distribution.rules.xml;
