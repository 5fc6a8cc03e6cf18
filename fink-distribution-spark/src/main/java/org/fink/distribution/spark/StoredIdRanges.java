package org.fink.distribution.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Which files of a Parquet science database may hold some of a batch's alert ids, so that the Kafka ingest looks
 * stored ids up in those files only, and starts no Spark job at all when there are none (the usual case: a survey's
 * new alerts are not stored yet).
 *
 * <ul>
 *   <li>A file this ingest appended ({@link #appended}): the ids of that append, exactly, for the files of the last
 *       {@value #EXACT_IDS} ids or so; then their smallest and largest id.
 *   <li>Any other file (stored before the ingest started): the smallest and largest id, from the statistics in its
 *       footer, read once per file. For ids that grow with time (ZTF's {@code candid}) a new batch misses them all.
 *   <li>A file whose footer does not tell (no statistics, not Parquet, unreadable) may hold any id: always named.
 * </ul>
 *
 * <pre>{@code
 * StoredIdRanges ranges = new StoredIdRanges(hadoopConf, "/data/science_db", "candidate.candid");
 * List<String> files = ranges.filesThatMayHold(batchIds);   // empty: none of the ids is stored
 * db.append(newAlerts);
 * ranges.appended(newIds);                                   // the files that appeared hold these ids
 * }</pre>
 *
 * <p>It relies on the ingest lock ({@link IngestLock}): the files that appear between a lookup and the end of an
 * append are that append's. A file is known by its path, length and modification time: rewritten in place, it is
 * read again.
 */
final class StoredIdRanges {
  /**
   * Footers read per lookup at most: the files beyond (a large database the ingest has not seen yet) are looked up
   * by Spark as before, and their footers read in the next lookups.
   */
  static final int FOOTERS_PER_LOOKUP = 32;
  /** About how many ids (counted once per file) are kept exactly; older appends keep their range only. */
  static final int EXACT_IDS = 1 << 20;

  /** What a file may hold: {@code known} false: any id; else ids in [min, max], exactly {@code exact} if set. */
  private record Range(long length, long modified, boolean known, long min, long max, long[] exact) {
    static Range of(FileStatus file, long[] sortedIds) {
      return sortedIds.length == 0 ? new Range(file.getLen(), file.getModificationTime(), true, 1, 0, null)
          : new Range(file.getLen(), file.getModificationTime(), true, sortedIds[0],
              sortedIds[sortedIds.length - 1], sortedIds);
    }

    boolean mayHoldAny(long[] sortedIds) {
      if (!known) {
        return true;
      }
      if (exact != null) {
        long[] small = exact.length < sortedIds.length ? exact : sortedIds;
        long[] large = small == exact ? sortedIds : exact;
        for (long id : small) {
          if (Arrays.binarySearch(large, id) >= 0) {
            return true;
          }
        }
        return false;
      }
      int at = Arrays.binarySearch(sortedIds, min);
      int first = at >= 0 ? at : -at - 1;
      return first < sortedIds.length && sortedIds[first] <= max;
    }

    boolean sameFile(FileStatus file) {
      return length == file.getLen() && modified == file.getModificationTime();
    }
  }

  private final Configuration conf;
  private final Path root;
  private final String idColumn;
  private final Map<String, Range> ranges = new LinkedHashMap<>();
  /** The files of the last lookup's listing. */
  private final Set<String> seen = new HashSet<>();
  private long exactIds;
  private int listed;

  /**
   * @param idColumn the alert id's Parquet column path, dot-separated ({@code candidate.candid})
   */
  StoredIdRanges(Configuration conf, String root, String idColumn) {
    this.conf = conf;
    this.root = new Path(root);
    this.idColumn = idColumn;
  }

  /** The data files (as Spark reads them: no name starting with {@code _} or {@code .}) that may hold an id. */
  List<String> filesThatMayHold(Set<Long> ids) {
    long[] sorted = ids.stream().mapToLong(Long::longValue).sorted().toArray();
    List<String> files = new ArrayList<>();
    List<FileStatus> listing = list();
    Map<String, Range> known = new LinkedHashMap<>();
    int footers = 0;
    for (FileStatus file : listing) {
      String path = file.getPath().toString();
      Range range = ranges.get(path);
      if (range == null || !range.sameFile(file)) {
        if (footers++ < FOOTERS_PER_LOOKUP) {
          range = footer(file);
          known.put(path, range);
        } else {
          range = unknown(file);
        }
      } else {
        known.put(path, range);
      }
      if (range.mayHoldAny(sorted)) {
        files.add(path);
      }
    }
    seen.clear();
    listing.forEach(f -> seen.add(f.getPath().toString()));
    ranges.keySet().retainAll(seen);
    ranges.putAll(known); // a LinkedHashMap: files known before keep their place, the oldest first
    listed = listing.size();
    return files;
  }

  /** How many data files the last {@link #filesThatMayHold} listed. */
  int listed() {
    return listed;
  }

  /**
   * Records that the files which appeared since the last {@link #filesThatMayHold} hold (some of) {@code ids}, the
   * ones just appended.
   */
  void appended(Set<Long> ids) {
    long[] sorted = ids.stream().mapToLong(Long::longValue).sorted().toArray();
    for (FileStatus file : list()) {
      String path = file.getPath().toString();
      if (seen.add(path)) {
        ranges.put(path, Range.of(file, sorted));
        exactIds += sorted.length;
      }
    }
    Iterator<Map.Entry<String, Range>> oldest = ranges.entrySet().iterator();
    while (exactIds > EXACT_IDS && oldest.hasNext()) {
      Map.Entry<String, Range> entry = oldest.next();
      Range r = entry.getValue();
      if (r.exact() != null) {
        entry.setValue(new Range(r.length(), r.modified(), true, r.min(), r.max(), null));
        exactIds -= r.exact().length;
      }
    }
  }

  /** The data files under the root, without their permissions (on the local file system each costs a process). */
  private List<FileStatus> list() {
    List<FileStatus> files = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (fs.exists(root)) {
        list(fs, root, files);
      }
    } catch (IOException e) {
      throw new IngestException("cannot list the science database at " + root + " (" + e.getMessage()
          + "); check that it is readable: the ingest needs it to skip the alerts already stored", e);
    }
    return files;
  }

  private static void list(FileSystem fs, Path folder, List<FileStatus> into) throws IOException {
    for (FileStatus status : fs.listStatus(folder)) {
      String name = status.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (status.isDirectory()) {
        list(fs, status.getPath(), into);
      } else {
        into.add(status);
      }
    }
  }

  private static Range unknown(FileStatus file) {
    return new Range(file.getLen(), file.getModificationTime(), false, 0, 0, null);
  }

  /** The id range of a file from its footer's statistics; unknown when any row group lacks them. */
  private Range footer(FileStatus file) {
    Range unknown = unknown(file);
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        ColumnChunkMetaData column = block.getColumns().stream()
            .filter(c -> c.getPath().toDotString().equals(idColumn)).findFirst().orElse(null);
        if (column == null) {
          return unknown; // another layout: let Spark read it
        }
        Statistics<?> stats = column.getStatistics();
        if (stats == null || stats.isEmpty()) {
          return unknown;
        }
        if (!stats.hasNonNullValue()) {
          continue; // only null ids in this row group
        }
        if (!(stats.genericGetMin() instanceof Number low) || !(stats.genericGetMax() instanceof Number high)) {
          return unknown;
        }
        min = Math.min(min, low.longValue());
        max = Math.max(max, high.longValue());
      }
      return new Range(file.getLen(), file.getModificationTime(), true, min, max, null);
    } catch (IOException | RuntimeException e) {
      return unknown; // not Parquet, or unreadable now: Spark reads it, and says what is wrong
    }
  }
}
