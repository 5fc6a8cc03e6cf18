package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What several separate {@code bench/run} invocations agree on ({@code bench/agree}): each headline figure of each run
 * (median of its rounds, with the spread), and whether every run met its target. A figure counts, in the README, when
 * three runs agree on it.
 *
 * <pre>
 * bench/agree                                  # the three newest runs of bench/results/runs/
 * bench/agree run1.json run2.json run3.json    # those runs
 * </pre>
 */
public final class RunAgreement {
  private RunAgreement() {}

  public static void main(String[] args) throws IOException {
    List<Path> runs = new ArrayList<>();
    for (String arg : args) {
      runs.add(Path.of(arg));
    }
    if (runs.isEmpty()) {
      runs.addAll(newest(Path.of("bench/results/runs"), 3));
    }
    if (runs.isEmpty()) {
      System.err.println("no runs to compare: run bench/run (each run is kept in bench/results/runs/), or name the"
          + " JSON files of the runs");
      System.exit(2);
    }
    System.out.print(markdown(runs));
  }

  @SuppressWarnings("unchecked")
  static String markdown(List<Path> runs) throws IOException {
    List<Map<String, Object>> results = new ArrayList<>();
    for (Path run : runs) {
      results.add(new ObjectMapper().readValue(run.toFile(), LinkedHashMap.class));
    }
    StringBuilder t = new StringBuilder();
    t.append(String.format("%d separate runs of bench/run:%n", runs.size()));
    for (int i = 0; i < runs.size(); i++) {
      t.append(String.format("- run %d: %s (%s alerts, finished %s)%n", i + 1, runs.get(i).getFileName(),
          results.get(i).get("alerts"), results.get(i).get("finished")));
    }
    t.append("\n| figure |");
    for (int i = 0; i < runs.size(); i++) {
      t.append(" run ").append(i + 1).append(" |");
    }
    t.append(" target | agreed |\n|---|");
    t.append("---|".repeat(runs.size())).append("---|---|\n");
    for (BenchFigure figure : BenchFigure.values()) {
      t.append("| ").append(figure.label()).append(" |");
      int measured = 0;
      int met = 0;
      for (Map<String, Object> result : results) {
        Optional<RoundRatios> value = figure.read(result);
        t.append(' ').append(value.map(RoundRatios::toString).orElse("not measured")).append(" |");
        if (value.isPresent()) {
          measured++;
          met += figure.met(value.get().median()) ? 1 : 0;
        }
      }
      t.append(' ').append(figure.target()).append(" | ").append(verdict(measured, met, runs.size())).append(" |\n");
    }
    return t.toString();
  }

  /** "met by all 3", "missed by all 3", or the split: only the first two count as a figure the runs agree on. */
  private static String verdict(int measured, int met, int runs) {
    if (measured < runs) {
      return "measured by " + measured + " of " + runs;
    }
    if (met == runs) {
      return "met by all " + runs;
    }
    return met == 0 ? "missed by all " + runs : "no: met by " + met + " of " + runs;
  }

  private static List<Path> newest(Path folder, int count) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> sorted = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      return sorted.subList(Math.max(0, sorted.size() - count), sorted.size());
    }
  }
}
