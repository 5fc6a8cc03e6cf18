package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACLs each kind of client gets. */
class ClientAccessTest {
  @Test
  void aTransactionalProducerMayAlsoUseTheDistributionsTransactionalIds() {
    ClientAccess access = ClientAccess.transactionalProducer("fink", "*", "fink_outstream");
    List<AclBinding> bindings = access.bindings();
    assertEquals(8, bindings.size());
    assertEquals(List.of("TOPIC fink_outstream WRITE", "TOPIC fink_outstream DESCRIBE",
        "TOPIC fink_outstream_schema CREATE", "TOPIC fink_outstream_schema WRITE",
        "TOPIC fink_outstream_schema DESCRIBE", "TOPIC fink_outstream_schema DELETE",
        "TRANSACTIONAL_ID fink- WRITE PREFIXED", "TRANSACTIONAL_ID fink- DESCRIBE PREFIXED"),
        bindings.stream().map(ClientAccessTest::describe).toList());
    assertEquals("transactional producer ACLs of user fink from host * on topic fink_outstream and its schema topic"
        + " fink_outstream_schema with transactional ids fink-*", access.describe());
  }

  @Test
  void aPlainProducerGetsNoTransactionalIds() {
    assertEquals(List.of("TOPIC fink_outstream WRITE", "TOPIC fink_outstream DESCRIBE",
        "TOPIC fink_outstream_schema CREATE", "TOPIC fink_outstream_schema WRITE",
        "TOPIC fink_outstream_schema DESCRIBE", "TOPIC fink_outstream_schema DELETE"),
        ClientAccess.producer("fink", "*", "fink_outstream").bindings().stream().map(ClientAccessTest::describe)
            .toList());
  }

  @Test
  void aConsumerMayAlsoReadTheSchemaTopicThatFinkClientsTransferToolReads() {
    assertEquals(List.of("TOPIC ftransfer_ztf READ", "TOPIC ftransfer_ztf DESCRIBE", "GROUP transfer- READ PREFIXED",
        "TOPIC ftransfer_ztf_schema READ", "TOPIC ftransfer_ztf_schema DESCRIBE"),
        ClientAccess.consumer("alerce", "*", "ftransfer_ztf", "transfer-").bindings().stream()
            .map(ClientAccessTest::describe).toList());
  }

  @Test
  void everyTopicOrASchemaTopicItselfComesWithNoCompanion() {
    assertEquals(List.of("TOPIC * WRITE", "TOPIC * DESCRIBE"), ClientAccess.producer("fink", "*", "*").bindings()
        .stream().map(ClientAccessTest::describe).toList());
    assertEquals(List.of("TOPIC fink_outstream_schema WRITE", "TOPIC fink_outstream_schema DESCRIBE"),
        ClientAccess.producer("fink", "*", "fink_outstream_schema").bindings().stream()
            .map(ClientAccessTest::describe).toList());
    assertEquals(java.util.Optional.empty(), ClientAccess.consumer("a", "*", "*", "g").schemaTopic());
  }

  @Test
  void producersTakeNoConsumerGroup() {
    KafkaAdminException e = assertThrows(KafkaAdminException.class, () -> new ClientAccess(
        ClientAccess.Role.TRANSACTIONAL_PRODUCER, "fink", "*", "fink_outstream", Optional.of("group-")));
    assertEquals("producer ACLs take no consumer group", e.getMessage());
  }

  private static String describe(AclBinding b) {
    ResourceType type = b.pattern().resourceType();
    AclOperation operation = b.entry().operation();
    return type + " " + b.pattern().name() + " " + operation
        + (b.pattern().patternType() == PatternType.PREFIXED ? " PREFIXED" : "");
  }
}
