package org.fink.distribution.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live chain on one Spark session, measured: a {@link SurveyReplayer} sends alerts to the survey topic, the
 * {@link KafkaIngest} stores them in the science database, the {@link Distribution} publishes them to the community
 * topics, and an {@link AlertConsumer} reads them; each alert's latency runs from the Kafka timestamp of its survey
 * message to the moment the consumer has it.
 *
 * <p>A warm-up set goes first, and the distribution starts once it is stored (a distribution needs a science database
 * to plan on); its latencies are not counted. Then the measured alerts are replayed with their pace, while the
 * consumer reads. The run ends when every measured alert the distribution published has been read.
 *
 * <pre>{@code
 * LiveChain.Result r = new LiveChain(kafkaIngest, () -> Distribution.builder().config(spark, config).build(),
 *         new SurveyReplayer(servers, new Properties()), "ztf_alerts", servers)
 *     .run(warmUp, alerts, ReplayPace.visits(10_000, Duration.ofSeconds(30)), Duration.ofMinutes(10));
 * System.out.println(r.latency());   // 10000 alerts: p50 2100 ms, p99 3900 ms, max 4200 ms
 * }</pre>
 */
public final class LiveChain {
  private static final Logger LOG = LoggerFactory.getLogger(LiveChain.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * Latencies of alerts, in milliseconds.
   *
   * @param alerts how many alerts were measured
   */
  public record Latency(int alerts, long p50, long p99, long max) {
    /** The summary of some latencies (ms). */
    public static Latency of(List<Long> millis) {
      List<Long> sorted = new ArrayList<>(millis);
      sorted.sort(null);
      if (sorted.isEmpty()) {
        return new Latency(0, 0, 0, 0);
      }
      return new Latency(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99),
          sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
      int rank = (int) Math.ceil(p * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }

    @Override
    public String toString() {
      return alerts + " alerts: p50 " + p50 + " ms, p99 " + p99 + " ms, max " + max + " ms";
    }
  }

  /**
   * What a run measured.
   *
   * @param replayed measured alerts sent to the survey topic
   * @param published messages the distribution published for them (all streams)
   * @param latency from survey message timestamp to read by the consumer, per alert read
   * @param perVisit the same, per visit of the pace (one entry without visits)
   * @param ingest what the Kafka ingest did (warm-up included)
   * @param distribution what the distribution did (warm-up included)
   */
  public record Result(long replayed, long published, Latency latency, List<Latency> perVisit,
      KafkaIngest.Progress ingest, DistributionProgress.Summary distribution) {}

  private final KafkaIngest ingest;
  private final Supplier<Distribution> distribution;
  private final SurveyReplayer replayer;
  private final String surveyTopic;
  private final String communityServers;
  private org.fink.distribution.config.KafkaSecurity consumerSecurity =
      org.fink.distribution.config.KafkaSecurity.plaintext();

  /**
   * @param distribution builds the distribution once the warm-up alerts are stored (it plans on the science database)
   * @param communityServers where the distribution publishes (the consumer reads there)
   */
  public LiveChain(KafkaIngest ingest, Supplier<Distribution> distribution, SurveyReplayer replayer,
      String surveyTopic, String communityServers) {
    this.ingest = Objects.requireNonNull(ingest);
    this.distribution = Objects.requireNonNull(distribution);
    this.replayer = Objects.requireNonNull(replayer);
    this.surveyTopic = Objects.requireNonNull(surveyTopic);
    this.communityServers = Objects.requireNonNull(communityServers);
  }

  /** How the consumer authenticates to the community cluster (default: no authentication). */
  public LiveChain consumerSecurity(org.fink.distribution.config.KafkaSecurity security) {
    this.consumerSecurity = Objects.requireNonNull(security);
    return this;
  }

  /**
   * Replays {@code warmUp} (not measured, at once), then {@code alerts} with {@code pace}, and measures.
   *
   * @throws IllegalStateException when a step does not happen within {@code timeout}
   */
  public Result run(List<SurveyReplayer.Message> warmUp, List<SurveyReplayer.Message> alerts, ReplayPace pace,
      Duration timeout) throws InterruptedException {
    if (warmUp.isEmpty()) {
      throw new IllegalArgumentException("the live chain needs warm-up alerts: the distribution starts on them");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fink-replay");
      t.setDaemon(true);
      return t;
    });
    try (KafkaIngest.Running ingesting = ingest.start()) {
      replayer.replay(warmUp, surveyTopic, ReplayPace.AS_FAST_AS_POSSIBLE);
      await("the Kafka ingest to store the " + warmUp.size() + " warm-up alerts", deadline, ingesting,
          () -> ingesting.progress().alerts() >= warmUp.size());
      Distribution dist = distribution.get();
      List<String> topics = dist.plan().topics();
      try (RunningDistribution distributing = dist.start();
          AlertConsumer consumer = AlertConsumer.builder().servers(communityServers).topics(topics.toArray(
              String[]::new)).groupId("fink-live-" + UUID.randomUUID()).fromBeginning(true)
              .security(consumerSecurity).build()) {
        await("the distribution to read the warm-up alerts", deadline, ingesting,
            () -> {
              checkRunning(distributing);
              return distributing.progress().alertsRead() >= warmUp.size();
            });
        long warmPublished = distributing.progress().messagesPublished();
        long warmRead = 0;
        while (warmRead < warmPublished) {
          check(deadline, "the consumer to read the " + warmPublished + " warm-up messages", ingesting);
          checkRunning(distributing);
          warmRead += consumer.poll(POLL).size();
        }
        LOG.info("live chain warmed up: {} alerts ingested, {} messages published and read", warmUp.size(),
            warmPublished);

        Future<SurveyReplayer.Report> replay = sender.submit(() -> replayer.replay(alerts, surveyTopic, pace));
        Map<String, Long> readAt = new HashMap<>();
        long total = warmUp.size() + alerts.size();
        long read = 0;
        while (true) {
          check(deadline, "the " + alerts.size() + " alerts to go through the chain (" + read + " read)", ingesting);
          checkRunning(distributing);
          for (ConsumedAlert alert : consumer.poll(POLL)) {
            long now = System.currentTimeMillis();
            read++;
            if (alert.alertId() != null) {
              readAt.putIfAbsent(alert.alertId(), now);
            }
          }
          if (replay.isDone() && ingesting.progress().alerts() >= total
              && distributing.progress().alertsRead() >= total
              && read >= distributing.progress().messagesPublished() - warmPublished) {
            break;
          }
        }
        SurveyReplayer.Report report = replay.get();
        return result(report, pace, alerts, readAt, distributing.progress().messagesPublished() - warmPublished,
            ingesting.progress(), distributing.progress());
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the replay failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      sender.shutdownNow();
    }
  }

  private static Result result(SurveyReplayer.Report report, ReplayPace pace, List<SurveyReplayer.Message> alerts,
      Map<String, Long> readAt, long published, KafkaIngest.Progress ingest, DistributionProgress.Summary dist) {
    List<Long> all = new ArrayList<>();
    List<List<Long>> visits = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      String id = alerts.get(i).alertId();
      Long sent = id == null ? null : report.sentAt().get(id);
      Long got = id == null ? null : readAt.get(id);
      if (sent != null && got != null) {
        int visit = (int) pace.visitOf(i);
        while (visits.size() <= visit) {
          visits.add(new ArrayList<>());
        }
        visits.get(visit).add(got - sent);
        all.add(got - sent);
      }
    }
    return new Result(report.messages(), published, Latency.of(all), visits.stream().map(Latency::of).toList(),
        ingest, dist);
  }

  private static void await(String what, long deadline, KafkaIngest.Running ingesting, BooleanSupplier done)
      throws InterruptedException {
    while (!done.getAsBoolean()) {
      check(deadline, what, ingesting);
      Thread.sleep(POLL.toMillis()); // polling a progress counter, with a deadline
    }
  }

  /** A failed distribution ends the run with its error. */
  private static void checkRunning(RunningDistribution distributing) {
    if (!distributing.isActive()) {
      distributing.awaitTermination(Duration.ZERO); // throws its failure
      throw new IllegalStateException("the distribution stopped before the alerts went through");
    }
  }

  private static void check(long deadline, String what, KafkaIngest.Running ingesting) {
    if (!ingesting.query().isActive()) {
      ingesting.awaitTermination(); // throws its failure
      throw new IllegalStateException("the Kafka ingest stopped while waiting for " + what);
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }
}
