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
    assertEquals(4, bindings.size());
    assertEquals(List.of("TOPIC fink_outstream WRITE", "TOPIC fink_outstream DESCRIBE",
        "TRANSACTIONAL_ID fink- WRITE PREFIXED", "TRANSACTIONAL_ID fink- DESCRIBE PREFIXED"),
        bindings.stream().map(ClientAccessTest::describe).toList());
    assertEquals("transactional producer ACLs of user fink from host * on topic fink_outstream with transactional"
        + " ids fink-*", access.describe());
  }

  @Test
  void aPlainProducerGetsNoTransactionalIds() {
    assertEquals(List.of("TOPIC fink_outstream WRITE", "TOPIC fink_outstream DESCRIBE"),
        ClientAccess.producer("fink", "*", "fink_outstream").bindings().stream().map(ClientAccessTest::describe)
            .toList());
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
