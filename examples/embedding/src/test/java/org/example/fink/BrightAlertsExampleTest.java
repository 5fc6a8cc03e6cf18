package org.example.fink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.kafka.ConsumedAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published API, used as a library user would: the example runs and receives exactly bright alerts. */
class BrightAlertsExampleTest {
  @TempDir Path work;

  @Test
  void brightAlertsArrive() throws Exception {
    List<ConsumedAlert> alerts = BrightAlertsExample.run(work, 100);
    assertFalse(alerts.isEmpty(), "some sample alerts are bright");
    assertTrue(alerts.size() < 100, "the filter rejects faint alerts");
    for (ConsumedAlert a : alerts) {
      GenericRecord candidate = (GenericRecord) a.alert().get("candidate");
      assertTrue((Float) candidate.get("magpsf") < 18f);
      assertTrue((Float) candidate.get("rb") >= 0.5f);
      assertTrue(candidate.getSchema().getField("pdiffimfilename") == null);
    }
  }
}
