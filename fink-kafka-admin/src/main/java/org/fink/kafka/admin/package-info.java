/**
 * Kafka for Fink, without a Kafka install: {@link org.fink.kafka.admin.LocalKafkaCluster} starts and stops a local
 * KRaft cluster of 1 to 9 broker processes in the background (what {@code bin/fink_kafka start/stop/status} run),
 * {@link org.fink.kafka.admin.EmbeddedKafkaBroker} runs one broker inside the current JVM (tests, embedding,
 * notebooks), and {@link org.fink.kafka.admin.FinkKafkaAdmin} administers any cluster: topics, SCRAM users, ACLs,
 * consumer-group lag, with short timeouts and errors that name the address.
 *
 * <pre>{@code
 * LocalKafkaCluster cluster = new LocalKafkaCluster(new LocalClusterSpec(9092, Path.of("run/kafka"), 1));
 * String servers = cluster.start().bootstrapServers();
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
 *   admin.createTopic("fink_outstream", 2, 1);
 *   System.out.println(admin.listTopics());
 * }
 * cluster.stop();
 * }</pre>
 *
 * <p>{@code LocalBrokerMain} is the main class of a broker process started by {@code LocalKafkaCluster}, not API.
 */
package org.fink.kafka.admin;
