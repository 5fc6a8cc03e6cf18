package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The size limits of rules: beyond them a rules file is refused, with the limit and the fix, by {@code rules check}
 * and by everything that reads rules (dry-run, distribution), before Spark starts.
 *
 * <pre>{@code
 * List<RuleProblem> problems = RuleLimits.problems(rules);   // empty when the rules are within the limits
 * long max = RuleLimits.MAX_FILE_BYTES;                      // 4 MiB
 * }</pre>
 *
 * <p>The limits keep every reader bounded: the XML parser (file size, nesting), the rule tree walked recursively by the
 * checker and the evaluators (nesting), and the query Spark plans for a stream (conditions, list values, streams).
 */
public final class RuleLimits {
  /** The largest rules file read, in bytes. */
  public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
  /** How deep elements may nest in a rules file ({@code <and>} in {@code <or>} in ... counts one per element). */
  public static final int MAX_DEPTH = 64;
  /** The most values of one {@code in} / {@code not in} list. */
  public static final int MAX_LIST_VALUES = 10_000;
  /**
   * The most conditions of one rules file, every {@code <column>}, group and array condition counted, a shared one once
   * per stream (Spark plans all streams in one query). Spark's
   * optimizer rebuilds long conjunctions as chains and walks them recursively: a few thousand overflow its stack.
   */
  public static final int MAX_CONDITIONS = 500;
  /** The most streams of one rules file. */
  public static final int MAX_STREAMS = 100;

  private RuleLimits() {}

  /** Every limit the rules go beyond, each at the element that does; empty when within them. */
  public static List<RuleProblem> problems(DistributionRules rules) {
    List<RuleProblem> problems = new ArrayList<>();
    List<DistributionStream> streams = rules.declaredStreams();
    if (streams.size() > MAX_STREAMS) {
      DistributionStream first = streams.get(MAX_STREAMS);
      problems.add(new RuleProblem(rules.locationOf(first).orElse(null), "the rules declare " + streams.size()
          + " streams, more than the limit of " + MAX_STREAMS + " per file (this is stream " + (MAX_STREAMS + 1)
          + "); merge streams with the same topic, or split the rules over several distributions"));
    }
    Counter counter = new Counter(rules, problems);
    for (DistributionStream stream : rules.streams()) {  // as distributed: shared conditions count in each stream
      counter.count(stream.filter(), 1);
    }
    if (counter.conditions > MAX_CONDITIONS) {
      problems.add(new RuleProblem(counter.firstBeyond, "the rules hold " + counter.conditions
          + " conditions, more than the limit of " + MAX_CONDITIONS + " per file (a shared condition counts once per"
          + " stream); write long lists of equalities as one in list (value=\"a, b, c\"), or split the rules over"
          + " several distributions"));
    }
    return problems;
  }

  /** Counts conditions and checks lists and nesting; never recurses deeper than {@link #MAX_DEPTH}. */
  private static final class Counter {
    private final DistributionRules rules;
    private final List<RuleProblem> problems;
    private int conditions;
    private SourceLocation firstBeyond;
    private boolean tooDeep;
    /** Lists reported already: a shared one is seen once per stream. */
    private final Set<Condition> reported = Collections.newSetFromMap(new IdentityHashMap<>());

    Counter(DistributionRules rules, List<RuleProblem> problems) {
      this.rules = rules;
      this.problems = problems;
    }

    void count(List<Condition> list, int depth) {
      for (Condition condition : list) {
        count(condition, depth);
      }
    }

    private void count(Condition condition, int depth) {
      conditions++;
      if (conditions == MAX_CONDITIONS + 1) {
        firstBeyond = rules.locationOf(condition).orElse(null);
      }
      if (depth > MAX_DEPTH) {
        if (!tooDeep) {  // reported once, even when shared by several streams
          tooDeep = true;
          problems.add(new RuleProblem(rules.locationOf(condition).orElse(null), "conditions nest more than "
              + MAX_DEPTH + " deep; flatten them (an <and> inside an <and> is one <and>)"));
        }
        return;
      }
      if (condition instanceof InList in && in.values().size() > MAX_LIST_VALUES && reported.add(in)) {
        problems.add(new RuleProblem(rules.locationOf(in).orElse(null), "the " + (in.negated() ? "not in" : "in")
            + " list of " + in.field() + " holds " + in.values().size() + " values, more than the limit of "
            + MAX_LIST_VALUES + "; split it into several lists in an <or> (or, for not in, an <and>)"));
      }
      for (Condition child : children(condition)) {
        count(child, depth + 1);
      }
    }

    private static List<Condition> children(Condition condition) {
      if (condition instanceof And and) {
        return and.conditions();
      }
      if (condition instanceof Or or) {
        return or.conditions();
      }
      if (condition instanceof Not not) {
        return List.of(not.condition());
      }
      if (condition instanceof ArrayCount count) {
        return count.where();
      }
      if (condition instanceof ArrayAny any) {
        return any.where();
      }
      if (condition instanceof ArrayAll all) {
        return all.where();
      }
      if (condition instanceof ArrayAggregate aggregate) {
        return aggregate.where();
      }
      return List.of();
    }
  }
}
