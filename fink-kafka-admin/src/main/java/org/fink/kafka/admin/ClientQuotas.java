package org.fink.kafka.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.fink.distribution.kafka.AdminRequests;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user client quotas of the cluster (Kafka's {@code alterClientQuotas}/{@code describeClientQuotas}): how many
 * bytes per second a user may fetch or produce, and which share of a broker's request threads it may use. The user
 * {@value #DEFAULT_USER} stands for Kafka's default quota of every user without one of its own. Brokers slow a client
 * down (they delay its responses) rather than refuse it.
 *
 * <pre>{@code
 * admin.quotas().set("*", Map.of(Limit.CONSUMER_BYTE_RATE, 1_000_000.0));   // 1 MB/s for every user
 * admin.quotas().set("fink", Map.of(Limit.PRODUCER_BYTE_RATE, 1e12));       // the distribution: exempt in practice
 * admin.quotas().describe("alerce");                                       // {consumer_byte_rate=1000000.0}
 * admin.quotas().remove("alerce");
 * admin.quotas().list();                                                   // every user with a quota
 * }</pre>
 */
public final class ClientQuotas {
  /** The user name that stands for the default quota of all users. */
  public static final String DEFAULT_USER = "*";
  private static final Logger LOG = LoggerFactory.getLogger(ClientQuotas.class);

  /** The limits a quota sets, by Kafka's key. */
  public enum Limit {
    CONSUMER_BYTE_RATE("consumer_byte_rate", "bytes/s fetched"),
    PRODUCER_BYTE_RATE("producer_byte_rate", "bytes/s produced"),
    REQUEST_PERCENTAGE("request_percentage", "% of a request thread");

    private final String key;
    private final String unit;

    Limit(String key, String unit) {
      this.key = key;
      this.unit = unit;
    }

    /** Kafka's quota key, e.g. {@code consumer_byte_rate}. */
    public String key() {
      return key;
    }

    static Limit ofKey(String key) {
      for (Limit limit : values()) {
        if (limit.key.equals(key)) {
          return limit;
        }
      }
      return null;
    }
  }

  /**
   * The quota of one user.
   *
   * @param user user name, or {@value #DEFAULT_USER} for the default of all users
   * @param limits its limits
   */
  public record UserQuota(String user, Map<Limit, Double> limits) {
    /** E.g. {@code user alerce: consumer_byte_rate 1000000 (bytes/s fetched)}. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      limits.forEach((limit, value) -> parts.add(limit.key() + " " + number(value) + " (" + limit.unit + ")"));
      return (DEFAULT_USER.equals(user) ? "default of every user" : "user " + user) + ": "
          + (parts.isEmpty() ? "no quota" : String.join(", ", parts));
    }
  }

  /** How long set and remove wait for their change to show in describe. */
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(15);

  private final AdminRequests calls;

  ClientQuotas(AdminRequests calls) {
    this.calls = calls;
  }

  /**
   * Sets limits of {@code user} ({@value #DEFAULT_USER}: the default); other limits it has stay. Returns once
   * {@link #describe} shows them (or after 15 s, with a warning).
   */
  public void set(String user, Map<Limit, Double> limits) {
    checkUser(user);
    if (limits.isEmpty()) {
      throw new KafkaAdminException("a quota needs a limit: a consumer byte rate, a producer byte rate or a request"
          + " percentage");
    }
    List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
    limits.forEach((limit, value) -> {
      if (value == null || !(value > 0) || value.isInfinite()) {
        throw new KafkaAdminException(limit.key() + " " + value + ": give a number > 0");
      }
      ops.add(new ClientQuotaAlteration.Op(limit.key(), value));
    });
    alter(user, ops, "setting the quota of " + who(user));
    awaitVisible(user, seen -> seen.entrySet().containsAll(limits.entrySet()));
    LOG.info("set quota of {}: {}", who(user), limits);
  }

  /** Removes every limit of {@code user}, once {@link #describe} shows none; returns the quota it had. */
  public UserQuota remove(String user) {
    UserQuota had = describe(user);
    List<ClientQuotaAlteration.Op> ops = had.limits().keySet().stream()
        .map(limit -> new ClientQuotaAlteration.Op(limit.key(), null)).toList();
    if (!ops.isEmpty()) {
      alter(user, ops, "removing the quota of " + who(user));
      awaitVisible(user, Map::isEmpty);
    }
    return had;
  }

  /** The limits set for {@code user} itself (not the default it may fall under); empty when none. */
  public UserQuota describe(String user) {
    checkUser(user);
    ClientQuotaFilterComponent component = DEFAULT_USER.equals(user)
        ? ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER)
        : ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user);
    Map<ClientQuotaEntity, Map<String, Double>> found = calls.await(calls.admin().describeClientQuotas(
        ClientQuotaFilter.containsOnly(List.of(component))).entities(), "describing the quota of " + who(user));
    Map<Limit, Double> limits = new LinkedHashMap<>();
    found.values().forEach(values -> values.forEach((key, value) -> {
      Limit limit = Limit.ofKey(key);
      if (limit != null) {
        limits.put(limit, value);
      }
    }));
    return new UserQuota(user, limits);
  }

  /** Every user quota of the cluster, the default first. */
  public List<UserQuota> list() {
    Map<ClientQuotaEntity, Map<String, Double>> found = calls.await(calls.admin().describeClientQuotas(
        ClientQuotaFilter.all()).entities(), "listing the quotas");
    List<UserQuota> quotas = new ArrayList<>();
    found.forEach((entity, values) -> {
      Map<String, String> entries = entity.entries();
      if (entries.size() != 1 || !entries.containsKey(ClientQuotaEntity.USER)) {
        return;
      }
      String name = entries.get(ClientQuotaEntity.USER);
      Map<Limit, Double> limits = new LinkedHashMap<>();
      values.forEach((key, value) -> {
        Limit limit = Limit.ofKey(key);
        if (limit != null) {
          limits.put(limit, value);
        }
      });
      quotas.add(new UserQuota(name == null ? DEFAULT_USER : name, limits));
    });
    quotas.sort(Comparator.comparing((UserQuota q) -> !DEFAULT_USER.equals(q.user())).thenComparing(UserQuota::user));
    return quotas;
  }

  private void alter(String user, List<ClientQuotaAlteration.Op> ops, String action) {
    Map<String, String> entity = new LinkedHashMap<>();
    entity.put(ClientQuotaEntity.USER, DEFAULT_USER.equals(user) ? null : user);
    calls.await(calls.admin().alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(entity), ops)))
        .all(), action);
  }

  /**
   * Waits until the broker that answers describe requests shows the change just accepted: the controller has it at
   * once, a broker a moment later, and a describe right after a set must not show the old limits.
   */
  private void awaitVisible(String user, Predicate<Map<Limit, Double>> changed) {
    long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
    while (!changed.test(describe(user).limits())) {
      if (System.nanoTime() > deadline) {
        LOG.warn("the quota change of {} was accepted but is not visible yet after {} s", who(user),
            VISIBLE_WITHIN.toSeconds());
        return;
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  private static void checkUser(String user) {
    if (user == null || user.isBlank()) {
      throw new KafkaAdminException("a quota needs a user name (-u USER, or -u '*' for the default of every user)");
    }
  }

  private static String who(String user) {
    return DEFAULT_USER.equals(user) ? "every user (default)" : "user " + user;
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
