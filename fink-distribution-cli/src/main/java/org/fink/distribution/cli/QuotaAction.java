package org.fink.distribution.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fink.kafka.admin.ClientQuotas;
import org.fink.kafka.admin.FinkKafkaAdmin;

/**
 * {@code fink_kafka --quota} and {@code --list-quotas}: set ({@code -u USER} and one or more limits), describe
 * ({@code -u USER} alone) or remove ({@code -d -u USER}) a user's quota; {@code -u '*'} is the default of every user.
 *
 * <pre>
 * bin/fink_kafka --quota -u '*' --consumer-byte-rate 1000000     # every user: 1 MB/s fetched
 * bin/fink_kafka --quota -u fink --producer-byte-rate 1e12       # the distribution's own user: exempt
 * bin/fink_kafka --quota -d -u alerce
 * bin/fink_kafka --list-quotas
 * </pre>
 *
 * @param user the user, {@code *} for the default
 * @param remove remove the user's quota
 * @param consumerByteRate bytes per second fetched, or null
 * @param producerByteRate bytes per second produced, or null
 * @param requestPercentage percent of a request thread, or null
 */
record QuotaAction(String user, boolean remove, Double consumerByteRate, Double producerByteRate,
    Double requestPercentage) {

  /** What is wrong with the arguments, for a usage error; empty when they are fine. */
  Optional<String> problem() {
    if (user == null || user.isBlank()) {
      return Optional.of("--quota needs -u USER (or -u '*' for the default of every user)");
    }
    if (remove && !limits().isEmpty()) {
      return Optional.of("--quota -d removes every limit of the user: give no rate with it");
    }
    return Optional.empty();
  }

  /** The limits to set. */
  Map<ClientQuotas.Limit, Double> limits() {
    Map<ClientQuotas.Limit, Double> limits = new LinkedHashMap<>();
    if (consumerByteRate != null) {
      limits.put(ClientQuotas.Limit.CONSUMER_BYTE_RATE, consumerByteRate);
    }
    if (producerByteRate != null) {
      limits.put(ClientQuotas.Limit.PRODUCER_BYTE_RATE, producerByteRate);
    }
    if (requestPercentage != null) {
      limits.put(ClientQuotas.Limit.REQUEST_PERCENTAGE, requestPercentage);
    }
    return limits;
  }

  /** Sets, removes or describes the quota, printing what it did. */
  void run(FinkKafkaAdmin admin, String servers, PrintWriter out) {
    ClientQuotas quotas = admin.quotas();
    if (remove) {
      ClientQuotas.UserQuota had = quotas.remove(user);
      out.println(had.limits().isEmpty() ? "no quota to remove for " + name() + " on " + servers
          : "removed quota (" + had.describe() + ") on " + servers);
    } else if (limits().isEmpty()) {
      out.println(quotas.describe(user).describe());
    } else {
      quotas.set(user, limits());
      out.println("set quota on " + servers + ": " + quotas.describe(user).describe());
    }
  }

  /** {@code --list-quotas}: every user quota, the default first. */
  static void list(FinkKafkaAdmin admin, String servers, PrintWriter out) {
    List<ClientQuotas.UserQuota> all = admin.quotas().list();
    if (all.isEmpty()) {
      out.println("no quotas on " + servers);
    }
    all.forEach(quota -> out.println(quota.describe()));
  }

  private String name() {
    return ClientQuotas.DEFAULT_USER.equals(user) ? "the default of every user" : "user " + user;
  }
}
