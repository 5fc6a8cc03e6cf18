package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.SAXException;

/** Validates rules XML against the XSD shipped in the core jar (conf/distribution-rules.xsd), for tests. */
final class RulesXsd {
  private static Schema schema;

  private RulesXsd() {}

  private static synchronized Schema schema() throws SAXException {
    if (schema == null) {
      URL xsd = RulesXml.xsd();
      assertNotNull(xsd, "the XSD is not on the class path at " + RulesXml.XSD_RESOURCE);
      SchemaFactory factory = SchemaFactory.newDefaultInstance();
      factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      schema = factory.newSchema(xsd);
    }
    return schema;
  }

  /** Throws the validator's error when {@code xml} does not follow the XSD. */
  static void validate(String xml, String name) throws SAXException, IOException {
    Validator validator = schema().newValidator();
    validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    StreamSource source = new StreamSource(new StringReader(xml), name);
    validator.validate(source);
  }
}
