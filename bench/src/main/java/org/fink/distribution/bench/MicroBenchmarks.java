package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the JMH benchmarks of {@code org.fink.distribution.bench.micro} in a fork and collects their scores. */
final class MicroBenchmarks {
  private MicroBenchmarks() {}

  static List<Map<String, Object>> run(Path work) throws Exception {
    Path json = work.resolve("jmh.json");
    ChildJvm.run(List.of("-Xmx1g"), org.openjdk.jmh.Main.class, List.of("org.fink.distribution.bench.micro",
        "-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s", "-rf", "json", "-rff", json.toString()),
        work.resolve("jmh.log"), Duration.ofMinutes(20));
    List<Map<String, Object>> scores = new ArrayList<>();
    for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
      Map<String, Object> score = new LinkedHashMap<>();
      String name = result.get("benchmark").asText();
      score.put("benchmark", name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1)
          + paramsOf(result));
      score.put("score", result.get("primaryMetric").get("score").asDouble());
      score.put("error", result.get("primaryMetric").get("scoreError").asDouble());
      score.put("unit", result.get("primaryMetric").get("scoreUnit").asText());
      scores.add(score);
    }
    return scores;
  }

  private static String paramsOf(JsonNode result) {
    JsonNode params = result.get("params");
    if (params == null) {
      return "";
    }
    List<String> values = new ArrayList<>();
    params.fields().forEachRemaining(e -> values.add(e.getValue().asText()));
    return " " + values;
  }
}
