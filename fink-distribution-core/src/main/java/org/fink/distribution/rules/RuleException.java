package org.fink.distribution.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Rules that cannot be used; carries every problem found, each with its location. */
public class RuleException extends RuntimeException {
  private final List<RuleProblem> problems;

  public RuleException(List<RuleProblem> problems) {
    super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public RuleException(RuleProblem problem) {
    this(List.of(problem));
  }

  public List<RuleProblem> problems() {
    return problems;
  }
}
