package org.fink.distribution.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this process or by another one (from {@code /proc/PID/stat}): on a 2-core machine shared by
 * the broker and the job, what a run cost is clearer in CPU-seconds than in wall time.
 */
final class CpuTime {
  /** Clock ticks per second of {@code /proc/PID/stat} ({@code getconf CLK_TCK}: 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /** User and system CPU time of this JVM, in milliseconds. */
  static long selfMillis() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime()
        / 1_000_000;
  }

  /** User and system CPU time of process {@code pid}, in milliseconds, or -1 where /proc is not there. */
  static long ofMillis(long pid) {
    return statMillis(String.valueOf(pid), 11);
  }

  /**
   * User and system CPU time of this process's children that ended and were waited for (cutime and cstime): what a
   * child JVM run with {@link ChildJvm#run} used, read before and after it; -1 where /proc is not there.
   */
  static long childrenMillis() {
    return statMillis("self", 13);
  }

  /** The sum of two successive fields of /proc/PID/stat, from {@code first} (counted after the command name). */
  private static long statMillis(String pid, int first) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
      // 14th and 15th fields of the line, the 12th and 13th after the name; cutime and cstime the next two
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (long) ((Long.parseLong(fields[first]) + Long.parseLong(fields[first + 1])) * 1000 / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
