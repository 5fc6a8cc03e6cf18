package org.fink.distribution.spark;

import java.lang.reflect.Method;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.sql.internal.ReadOnlySQLConf;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.SQLConf$;
import org.apache.spark.util.TaskCompletionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQL configuration per task instead of one per nested value: inside a task, Spark 4.2's {@code SQLConf.get}
 * builds a new {@link ReadOnlySQLConf} from the task's properties at every call (binding every system property and
 * environment variable), and every nested struct that {@code from_avro} or the Avro file reader makes calls it
 * ({@code SpecificInternalRow} asks {@code TypeOps} whether the types framework is on). An alert holds ~15 of them
 * (candidate, previous detections): a fifth of the ingest's CPU time went there (bench/README.md, "Ingest"). This
 * executor plugin makes that conf once when a task starts and lets {@code SQLConf.get} return it until the task
 * ends: the same values, from the same task properties, that each call would have built.
 *
 * <p>{@link FinkSparkSession} installs it ({@code spark.plugins}). Spark offers no public way to set the task's
 * conf ({@code SQLConf.withExistingConf} takes a function, not an iterator's lifetime), so it sets Spark's own
 * thread-local by reflection; on a Spark where that is not there, it does nothing (a warning once) and Spark works
 * as before.
 *
 * <pre>{@code
 * SparkSession.builder().config("spark.plugins", TaskSqlConfPlugin.class.getName()).getOrCreate();
 * }</pre>
 */
public final class TaskSqlConfPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSqlConfPlugin.class);
  /** Spark's thread-local {@code SQLConf.existingConf}, or null where this Spark has none. */
  private static final ThreadLocal<SQLConf> TASK_CONF = taskConf();

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        if (TASK_CONF == null) {
          LOG.warn("this Spark has no SQLConf.existingConf: {} does nothing", TaskSqlConfPlugin.class.getName());
        }
      }

      @Override
      public void onTaskStart() {
        TaskContext task = TaskContext.get();
        if (TASK_CONF == null || task == null || TASK_CONF.get() != null) {
          return;
        }
        TASK_CONF.set(new ReadOnlySQLConf(task));
        // on the task's thread, before its next task
        task.addTaskCompletionListener((TaskCompletionListener) done -> TASK_CONF.remove());
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static ThreadLocal<SQLConf> taskConf() {
    try {
      Method existing = SQLConf$.class.getDeclaredMethod("existingConf");
      existing.setAccessible(true);
      return (ThreadLocal<SQLConf>) existing.invoke(SQLConf$.MODULE$);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
