package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fink.distribution.spark.DryRun;
import org.junit.jupiter.api.Test;

/** The dry run's text: overlapping per-condition counts said so, "fail only this condition", numbers and sizes. */
class DryRunReportTest {
  @Test
  void countsAndSizesReadRight() {
    assertEquals("1 alert", DryRunReport.count(1, "alert"));
    assertEquals("0 alerts", DryRunReport.count(0, "alert"));
    assertEquals("1 byte", DryRunReport.size(1));
    assertEquals("950 bytes", DryRunReport.size(950));
    assertEquals("41.5 KB", DryRunReport.size(41_500));
    assertEquals("12.3 MB", DryRunReport.size(12_345_678));
    assertEquals("2.0 GB", DryRunReport.size(2_000_000_000L));
    assertEquals("1 alert per night", DryRunReport.perNight(1));
    assertEquals("16 alerts per night", DryRunReport.perNight(16));
    assertEquals("2.5 alerts per night", DryRunReport.perNight(2.5));
    assertEquals("0.026 alerts per night", DryRunReport.perNight(1 / 39.0));
    assertEquals("124 alerts per night", DryRunReport.perNight(123.6));
  }

  @Test
  void overlappingCountsAreSaidToOverlapAndTheOnlyViewIsAdded() {
    Map<String, Long> fail = new LinkedHashMap<>();
    fail.put("candidate.rb >= 0.55", 110L);
    fail.put("candidate.magpsf < 18", 143L);
    fail.put("candidate.ndethist >= 3", 1L);
    Map<String, Long> only = new LinkedHashMap<>();
    only.put("candidate.rb >= 0.55", 12L);
    only.put("candidate.magpsf < 18", 1L);
    only.put("candidate.ndethist >= 3", 0L);
    DryRun.Result result = new DryRun.Result(16, 1, List.of(
        new DryRun.StreamEstimate("bright", null, 1, 16_384, 1.0, fail, only),
        new DryRun.StreamEstimate("one", "t1", 0, 0, 0.0, Map.of("candidate.fid = 1", 16L), Map.of())));
    String text = DryRunReport.of(result, "/data/db", null, "fink_outstream");
    assertEquals("""
        16 alerts over 1 night in the science database /data/db
        stream bright -> topic fink_outstream: 1 alert would be published (16.4 KB, 1 alert per night)
          per condition, alerts that fail it (counted independently: an alert failing several conditions counts \
        under each, so these overlap) and, in brackets, alerts that fail only it (and pass the others):
                 110 fail candidate.rb >= 0.55   (12 fail only this condition)
                 143 fail candidate.magpsf < 18   (1 fails only this condition)
                   1 fails candidate.ndethist >= 3   (0 fail only this condition)
        stream one -> topic t1: 0 alerts would be published (0 bytes, 0 alerts per night)
          alerts that fail the condition:
                  16 fail candidate.fid = 1
        """, text);
    assertTrue(!text.contains("1 alerts") && !text.contains("0.0 MB"), text);
  }
}
