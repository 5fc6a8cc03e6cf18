package org.fink.distribution.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sources of a watchlist, read from a CSV file whose header names the columns {@code name}, {@code ra},
 * {@code dec} (J2000, degrees) and, optionally, {@code radius} (arcseconds; an empty cell takes the watchlist's
 * radius). Other columns are ignored; blank lines and lines starting with {@code #} are skipped; a cell may be quoted
 * ({@code "NGC 1952, Crab"}). At most {@link #MAX_SOURCES} sources. A {@code .parquet} file of the same columns is
 * read by a {@link WatchlistFormat} found on the class path (fink-distribution-spark has one); other files are
 * refused.
 *
 * <pre>{@code
 * name,ra,dec,radius
 * Crab,83.63308,22.01450,
 * SN 2011fe,210.774208,54.273722,5
 * }</pre>
 *
 * <p>Every problem of a file is reported at once ({@link #check}), each naming the file, the line, the column and the
 * fix. Files are read once and kept while unchanged (same size and modification time), so checking the rules and then
 * evaluating them reads a catalog once.
 *
 * <pre>{@code
 * WatchlistCatalog.Checked checked = WatchlistCatalog.check(Path.of("conf/examples/watchlist.csv"));
 * checked.problems().forEach(System.err::println);
 * WatchlistIndex index = checked.catalog().index(2.0 / 3600);
 * }</pre>
 */
public final class WatchlistCatalog {
  /** The most sources a catalog may hold. */
  public static final int MAX_SOURCES = 1_000_000;
  /** The largest radius of a source, arcseconds (1 degree). */
  public static final double MAX_RADIUS_ARCSEC = 3600;
  /** The most problems reported for one file; the rest are counted. */
  static final int MAX_PROBLEMS = 20;

  /** Catalogs read, by file; softly held, so that the memory of a catalog no longer used can be reclaimed. */
  private static final Map<Path, SoftReference<Checked>> CACHE = new ConcurrentHashMap<>();

  private final Path file;
  private final String[] names;
  private final double[] ra;
  private final double[] dec;
  private final double[] radiusArcsec;
  private final Map<Double, WatchlistIndex> indexes = new ConcurrentHashMap<>();

  WatchlistCatalog(Path file, String[] names, double[] ra, double[] dec, double[] radiusArcsec) {
    this.file = file;
    this.names = names;
    this.ra = ra;
    this.dec = dec;
    this.radiusArcsec = radiusArcsec;
  }

  /**
   * What reading a catalog found: the catalog (null when it has problems) and every problem, each a full sentence
   * naming the file.
   */
  public record Checked(WatchlistCatalog catalog, List<String> problems) {
    public Checked {
      problems = List.copyOf(problems);
    }
  }

  /** Reads (or takes from the cache) the catalog in {@code file}; never throws. */
  public static Checked check(Path file) {
    Path key = file.toAbsolutePath().normalize();
    Object stamp;
    try {
      BasicFileAttributes attributes = Files.readAttributes(key, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return failed("the watchlist catalog " + file + " is not a regular file; name a CSV file in the file"
            + " attribute of <watchlist>");
      }
      stamp = List.of(attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      return failed("the watchlist catalog " + file + " does not exist; fix the file attribute of <watchlist> (a"
          + " relative path is read from the rules file's folder)");
    } catch (IOException e) {
      return failed("cannot read the watchlist catalog " + file + ": " + e.getMessage());
    }
    SoftReference<Checked> reference = CACHE.get(key);
    Checked cached = reference == null ? null : reference.get();
    if (cached != null && cached.catalog() != null && stamp.equals(cached.catalog().stamp)) {
      return cached;
    }
    Checked read = read(file, key);
    if (read.catalog() != null) {
      read.catalog().stamp = stamp;
      CACHE.put(key, new SoftReference<>(read));
    }
    return read;
  }

  private Object stamp;

  /**
   * The catalog in {@code file}.
   *
   * @throws IllegalArgumentException listing every problem of the file
   */
  public static WatchlistCatalog read(Path file) {
    Checked checked = check(file);
    if (checked.catalog() == null) {
      throw new IllegalArgumentException(String.join("\n", checked.problems()));
    }
    return checked.catalog();
  }

  private static Checked failed(String problem) {
    return new Checked(null, List.of(problem));
  }

  private static Checked read(Path file, Path absolute) {
    String lower = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".parquet")) {
      WatchlistFormat parquet = ServiceLoader.load(WatchlistFormat.class).stream().map(ServiceLoader.Provider::get)
          .filter(f -> f.reads(file)).findFirst().orElse(null);
      if (parquet == null) {
        return failed("the watchlist catalog " + file + " is a Parquet file, read only with fink-distribution-spark"
            + " on the class path (the command line and the Spark jobs have it); or convert it to CSV, e.g. with pandas:"
            + " pd.read_parquet(f).to_csv(out, index=False)");
      }
      WatchlistRows rows = new WatchlistRows(file, "row");
      try {
        parquet.read(absolute, rows);
      } catch (IOException | RuntimeException e) {
        rows.problem(0, null, "cannot be read as Parquet: " + e.getMessage());
      }
      return rows.checked();
    }
    if (!lower.endsWith(".csv")) {
      return failed("the watchlist catalog " + file + " is neither a .csv nor a .parquet file; name a CSV file"
          + " (header name,ra,dec[,radius]) whose name ends in .csv, or a Parquet file with these columns");
    }
    WatchlistRows rows = new WatchlistRows(file, "line");
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(absolute),
        StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
      readCsv(in, rows);
    } catch (CharacterCodingException e) {
      rows.problem(0, null, "is not UTF-8 text; save it as UTF-8 CSV");
    } catch (IOException e) {
      rows.problem(0, null, "cannot be read: " + e.getMessage());
    }
    return rows.checked();
  }

  private static void readCsv(BufferedReader in, WatchlistRows rows) throws IOException {
    String line;
    int number = 0;
    int[] columns = null;
    while ((line = in.readLine()) != null && !rows.full()) {
      number++;
      if (number == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> cells = cells(line);
      if (cells == null) {
        rows.problem(number, null, "has an unclosed quote; close it (\"...\"), or double a quote inside a quoted"
            + " cell (\"\")");
        continue;
      }
      if (columns == null) {
        columns = header(cells, number, rows);
        if (columns == null) {
          return;
        }
        continue;
      }
      double r = number(cells, columns[1], number, "ra", rows);
      double d = number(cells, columns[2], number, "dec", rows);
      double own = columns[3] >= 0 && !cell(cells, columns[3]).isEmpty()
          ? number(cells, columns[3], number, "radius", rows) : Double.NaN;
      rows.add(number, cell(cells, columns[0]), r, d, own);
    }
    if (columns == null && rows.problems() == 0) {
      rows.problem(0, null, "is empty; write a header line name,ra,dec (optionally ,radius in arcsec) and one line"
          + " per source");
    }
  }

  /** Positions of name, ra, dec, radius (-1: none) in the header; null (reported) when one is missing. */
  private static int[] header(List<String> cells, int line, WatchlistRows problems) {
    int[] columns = {-1, -1, -1, -1};
    List<String> wanted = List.of("name", "ra", "dec", "radius");
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i).strip().toLowerCase(Locale.ROOT);
      int k = wanted.indexOf(cell.equals("radius_arcsec") ? "radius" : cell);
      if (k >= 0 && columns[k] < 0) {
        columns[k] = i;
      }
    }
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      if (columns[k] < 0) {
        missing.add(wanted.get(k));
      }
    }
    if (!missing.isEmpty()) {
      problems.problem(line, null, "is the header, and it has no column " + String.join(", ", missing) + "; the first"
          + " line must name the columns name,ra,dec (and optionally radius, in arcsec), e.g. name,ra,dec,radius");
      return null;
    }
    return columns;
  }

  private static String cell(List<String> cells, int column) {
    return column < cells.size() ? cells.get(column).strip() : "";
  }

  /** A cell as messages show it: at most 40 characters. */
  static String shown(String cell) {
    return cell.length() <= 40 ? cell : cell.substring(0, 37) + "...";
  }

  private static double number(List<String> cells, int column, int line, String name, WatchlistRows problems) {
    String text = cell(cells, column);
    if (text.isEmpty()) {
      problems.problem(line, name, "is empty; give a number in "
          + (name.equals("radius") ? "arcseconds" : "degrees"));
      return Double.NaN;
    }
    double value = decimal(text) ? Double.parseDouble(text) : Double.NaN;
    if (!Double.isFinite(value)) {
      problems.problem(line, name, "is \"" + shown(text) + "\", not a finite number; give a number such as 12.5");
      return Double.NaN;
    }
    return value;
  }

  /** Whether {@code text} is a plain decimal number (what {@link Double#parseDouble} takes, without NaN, hex...). */
  private static boolean decimal(String text) {
    boolean digit = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }

  /** The cells of a CSV line; null when a quote is not closed. */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              cell.append('"');
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            cell.append(c);
          }
        }
        if (!closed) {
          return null;
        }
        while (i < n && line.charAt(i) != ',') {
          i++;
        }
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        cell.append(line, i, end);
        i = end;
      }
      cells.add(cell.toString());
      cell.setLength(0);
      if (i >= n) {
        return cells;
      }
      i++;  // the comma
    }
  }

  /** The file the catalog was read from. */
  public Path file() {
    return file;
  }

  /** How many sources. */
  public int size() {
    return names.length;
  }

  /** The name of source {@code i} (in file order). */
  public String name(int i) {
    return names[i];
  }

  /** Right ascension of source {@code i}, degrees. */
  public double ra(int i) {
    return ra[i];
  }

  /** Declination of source {@code i}, degrees. */
  public double dec(int i) {
    return dec[i];
  }

  /** The radius of source {@code i}, arcseconds, or NaN when it takes the watchlist's. */
  public double radiusArcsec(int i) {
    return radiusArcsec[i];
  }

  /** The sky index of these sources, {@code defaultRadius} (degrees) for those without their own; built once. */
  public WatchlistIndex index(double defaultRadius) {
    return indexes.computeIfAbsent(defaultRadius, r -> new WatchlistIndex(this, r));
  }
}
