package org.fink.distribution.spark;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.internal.config.ConfigEntry;
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
 * ends: the same values, from the same task properties, that each call would have built. That conf also keeps each
 * setting it has read: a task's properties do not change while it runs, and reading a setting from them (string
 * lookups, then the default, which for the types framework's switch looks at system properties and the environment)
 * was still a sixth of the ingest's CPU time, once per field of every nested struct.
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
        TASK_CONF.set(new TaskSqlConf(task));
        // on the task's thread, before its next task
        task.addTaskCompletionListener((TaskCompletionListener) done -> TASK_CONF.remove());
      }
    };
  }

  /** A task's read-only conf that reads each setting once (the task's properties are fixed while it runs). */
  static final class TaskSqlConf extends ReadOnlySQLConf {
    private static final long serialVersionUID = 1L;
    private static final Object NULL = new Object();
    private final transient Map<ConfigEntry<?>, Object> read = new ConcurrentHashMap<>();

    TaskSqlConf(TaskContext task) {
      super(task);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getConf(ConfigEntry<T> entry) {
      Map<ConfigEntry<?>, Object> values = read == null ? new ConcurrentHashMap<>() : read; // null once deserialized
      Object value = values.get(entry);
      if (value == null) {
        T fresh = super.getConf(entry);
        values.put(entry, fresh == null ? NULL : fresh);
        return fresh;
      }
      return value == NULL ? null : (T) value;
    }
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
