package org.fink.distribution.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a restart after a crash may do to the published streams ({@code DISTRIBUTION_DELIVERY}).
 *
 * <pre>{@code
 * DeliveryGuarantee guarantee = DeliveryGuarantee.parse("exactly-once");
 * }</pre>
 */
public enum DeliveryGuarantee {
  /**
   * Nothing is lost; the micro-batch in flight at a crash is sent again (its alerts appear twice; consumers may drop
   * them by their {@code fink-alert-id} header). The fastest.
   */
  AT_LEAST_ONCE("at-least-once"),
  /**
   * Nothing is lost and nothing is repeated, for consumers that read with {@code isolation.level=read_committed}:
   * each task publishes in a Kafka transaction together with a commit marker of the science-database files it read,
   * and a batch sent again after a crash skips the files whose marker is committed.
   */
  EXACTLY_ONCE("exactly-once");

  private final String label;

  DeliveryGuarantee(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static DeliveryGuarantee parse(String text) {
    return Arrays.stream(values()).filter(g -> g.label.equals(text.strip())).findFirst()
        .orElseThrow(() -> new ConfigException("DISTRIBUTION_DELIVERY=" + text + " is not valid; use one of "
            + Arrays.stream(values()).map(DeliveryGuarantee::label).collect(Collectors.joining(", "))));
  }
}
