package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KafkaWaitLogTest {

  @Test
  void theTimeOfDayKeepsItsSecondsOnAWholeMinute() {
    // LocalTime.toString() prints 21:54 here: a log line of a wait that began on a whole minute lost its seconds
    assertEquals("21:54:00", KafkaWaitLog.utcTimeOfDay(Instant.parse("2026-12-05T21:54:00.250Z").toEpochMilli()));
    assertEquals("03:07:09", KafkaWaitLog.utcTimeOfDay(Instant.parse("2026-12-05T03:07:09.999Z").toEpochMilli()));
  }

  /** A task's wait as KafkaAlertWriter has it: its methods take the task's lock, and it registers holding it. */
  private static final class LockedWait implements KafkaWaitLog.Waiting {
    private final long since = System.currentTimeMillis();

    @Override
    public String servers() {
      return "127.0.0.1:9";
    }

    @Override
    public synchronized long sinceEpochMillis() {
      return since;
    }

    @Override
    public synchronized long unacknowledged() {
      return 1;
    }

    synchronized void sent() {
      KafkaWaitLog.waiting(this);
    }
  }

  @Test
  void aTaskRegisteringUnderItsLockNeverDeadlocksWithTheChecker() throws Exception {
    // bench/run hung here: the checker held KafkaWaitLog's monitor and waited for a task's lock, while the task held
    // its lock and waited for KafkaWaitLog's monitor to register
    LockedWait wait = new LockedWait();
    Thread task = new Thread(() -> {
      for (int i = 0; i < 200_000; i++) {
        wait.sent();
      }
    }, "task");
    Thread checker = new Thread(() -> {
      for (int i = 0; i < 200_000; i++) {
        KafkaWaitLog.check();
      }
    }, "checker");
    task.setDaemon(true);
    checker.setDaemon(true);
    task.start();
    checker.start();
    task.join(TimeUnit.SECONDS.toMillis(60));
    checker.join(TimeUnit.SECONDS.toMillis(60));
    KafkaWaitLog.done(wait);
    assertFalse(task.isAlive() || checker.isAlive(), "the task and the checker deadlocked");
  }
}
