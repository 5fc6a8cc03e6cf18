package org.fink.distribution.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ratio measured once per round (its two sides side by side in that round): the median and the spread of the rounds.
 *
 * <pre>
 * RoundRatios r = RoundRatios.of(List.of(0.84, 0.91, 0.88));   // median 0.88, spread 0.84-0.91
 * </pre>
 *
 * @param median the median of the rounds (the upper middle one for an even count)
 * @param min the smallest round
 * @param max the largest round
 * @param rounds every round's ratio, in the order measured
 */
record RoundRatios(double median, double min, double max, List<Double> rounds) {

  static RoundRatios of(List<Double> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no rounds to take a ratio of");
    }
    double[] sorted = rounds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new RoundRatios(sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], List.copyOf(rounds));
  }

  /** The JSON form of bench/results: median, min, max, rounds. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("median", median);
    map.put("min", min);
    map.put("max", max);
    map.put("rounds", rounds);
    return map;
  }

  /** Reads the JSON form back; a bare number (results of runs before the rounds' ratios) is one round. */
  @SuppressWarnings("unchecked")
  static RoundRatios fromJson(Object value) {
    if (value instanceof Number n) {
      return of(List.of(n.doubleValue()));
    }
    Map<String, Object> map = (Map<String, Object>) value;
    List<Double> rounds = ((List<Object>) map.get("rounds")).stream()
        .map(x -> ((Number) x).doubleValue()).toList();
    return of(rounds);
  }

  /** {@code 0.88 [0.84-0.91, 5 rounds]}. */
  @Override
  public String toString() {
    return rounds.size() < 2 ? String.format("%.2f", median)
        : String.format("%.2f [%.2f-%.2f, %d rounds]", median, min, max, rounds.size());
  }
}
