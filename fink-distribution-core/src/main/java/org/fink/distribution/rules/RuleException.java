package org.fink.distribution.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.fink.distribution.FinkException;

/** Rules that cannot be used; carries every problem found, each with its location. */
public class RuleException extends FinkException {
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
