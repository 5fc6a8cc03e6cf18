package org.fink.distribution.rules;

import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sources of a watchlist, read from a CSV file whose header names the columns {@code name}, {@code ra},
 * {@code dec} (J2000, degrees) and, optionally, {@code radius} (arcseconds; an empty cell takes the watchlist's
 * radius). Other columns are ignored; blank lines and lines starting with {@code #} are skipped; a cell may be quoted
 * ({@code "NGC 1952, Crab"}). At most {@link #MAX_SOURCES} sources.
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

  private static final Map<Path, Checked> CACHE = new ConcurrentHashMap<>();

  private final Path file;
  private final String[] names;
  private final double[] ra;
  private final double[] dec;
  private final double[] radiusArcsec;
  private final Map<Double, WatchlistIndex> indexes = new ConcurrentHashMap<>();

  private WatchlistCatalog(Path file, String[] names, double[] ra, double[] dec, double[] radiusArcsec) {
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
    Checked cached = CACHE.get(key);
    if (cached != null && cached.catalog() != null && stamp.equals(cached.catalog().stamp)) {
      return cached;
    }
    Checked read = read(file, key);
    if (read.catalog() != null) {
      read.catalog().stamp = stamp;
      CACHE.put(key, read);
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
      return failed("the watchlist catalog " + file + " is a Parquet file; watchlists are read from CSV files"
          + " (header name,ra,dec[,radius]): convert it, e.g. with pandas: pd.read_parquet(f).to_csv(out,"
          + " index=False)");
    }
    if (!lower.endsWith(".csv")) {
      return failed("the watchlist catalog " + file + " is not a .csv file; name a CSV file (header name,ra,dec"
          + "[,radius]) whose name ends in .csv");
    }
    Problems problems = new Problems(file);
    List<String> names = new ArrayList<>();
    double[] ra = new double[1024];
    double[] dec = new double[1024];
    double[] radius = new double[1024];
    Map<String, Integer> lineOf = new HashMap<>();
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(absolute),
        StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
      String line;
      int number = 0;
      int[] columns = null;
      while ((line = in.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> cells = cells(line);
        if (cells == null) {
          problems.add(number, null, "has an unclosed quote; close it (\"...\"), or double a quote inside a quoted"
              + " cell (\"\")");
          continue;
        }
        if (columns == null) {
          columns = header(cells, number, problems);
          if (columns == null) {
            break;
          }
          continue;
        }
        if (names.size() == MAX_SOURCES) {
          problems.add(number, null, "is beyond the limit of " + MAX_SOURCES + " sources; split the catalog over"
              + " several watchlists");
          break;
        }
        int before = problems.count;
        String name = cell(cells, columns[0]);
        if (name.isEmpty()) {
          problems.add(number, "name", "is empty; give every source a name");
        }
        double r = number(cells, columns[1], number, "ra", problems);
        if (!Double.isNaN(r) && (r < 0 || r >= 360)) {
          problems.add(number, "ra", "is " + cell(cells, columns[1]) + ", outside [0, 360); give the right"
              + " ascension in degrees (J2000), e.g. 83.63308");
        }
        double d = number(cells, columns[2], number, "dec", problems);
        if (!Double.isNaN(d) && (d < -90 || d > 90)) {
          problems.add(number, "dec", "is " + cell(cells, columns[2]) + ", outside [-90, 90]; give the declination"
              + " in degrees (J2000), e.g. 22.0145");
        }
        double own = Double.NaN;
        if (columns[3] >= 0 && !cell(cells, columns[3]).isEmpty()) {
          own = number(cells, columns[3], number, "radius", problems);
          if (!Double.isNaN(own) && (own <= 0 || own > MAX_RADIUS_ARCSEC)) {
            problems.add(number, "radius", "is " + cell(cells, columns[3]) + "; give a radius in arcseconds above 0"
                + " and at most " + (int) MAX_RADIUS_ARCSEC + ", or leave the cell empty for the watchlist's radius");
            own = Double.NaN;
          }
        }
        if (!name.isEmpty()) {
          Integer first = lineOf.putIfAbsent(name, number);
          if (first != null) {
            problems.add(number, "name", "holds \"" + shown(name) + "\", already the name of the source on line "
                + first + "; give each source a unique name");
          }
        }
        if (problems.count > before) {
          continue;
        }
        int i = names.size();
        if (i == ra.length) {
          ra = Arrays.copyOf(ra, i * 2);
          dec = Arrays.copyOf(dec, i * 2);
          radius = Arrays.copyOf(radius, i * 2);
        }
        names.add(name);
        ra[i] = r;
        dec[i] = d;
        radius[i] = own;
      }
      if (columns == null && problems.count == 0) {
        problems.add(0, null, "is empty; write a header line name,ra,dec (optionally ,radius in arcsec) and one line"
            + " per source");
      } else if (columns != null && names.isEmpty() && problems.count == 0) {
        problems.add(0, null, "has no source; add one line per source after the header: name,ra,dec");
      }
    } catch (CharacterCodingException e) {
      problems.add(0, null, "is not UTF-8 text; save it as UTF-8 CSV");
    } catch (IOException e) {
      problems.add(0, null, "cannot be read: " + e.getMessage());
    }
    if (problems.count > 0) {
      return new Checked(null, problems.list());
    }
    int n = names.size();
    return new Checked(new WatchlistCatalog(file, names.toArray(String[]::new), Arrays.copyOf(ra, n),
        Arrays.copyOf(dec, n), Arrays.copyOf(radius, n)), List.of());
  }

  /** Positions of name, ra, dec, radius (-1: none) in the header; null (reported) when one is missing. */
  private static int[] header(List<String> cells, int line, Problems problems) {
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
      problems.add(line, null, "is the header, and it has no column " + String.join(", ", missing) + "; the first"
          + " line must name the columns name,ra,dec (and optionally radius, in arcsec), e.g. name,ra,dec,radius");
      return null;
    }
    return columns;
  }

  private static String cell(List<String> cells, int column) {
    return column < cells.size() ? cells.get(column).strip() : "";
  }

  /** A cell as messages show it: at most 40 characters. */
  private static String shown(String cell) {
    return cell.length() <= 40 ? cell : cell.substring(0, 37) + "...";
  }

  private static double number(List<String> cells, int column, int line, String name, Problems problems) {
    String text = cell(cells, column);
    if (text.isEmpty()) {
      problems.add(line, name, "is empty; give a number in degrees" + (name.equals("radius") ? " (arcsec here)" : ""));
      return Double.NaN;
    }
    double value = decimal(text) ? Double.parseDouble(text) : Double.NaN;
    if (!Double.isFinite(value)) {
      problems.add(line, name, "is \"" + shown(text) + "\", not a finite number; give a number such as 12.5");
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

  /** The problems of one file, the first {@link #MAX_PROBLEMS} in words. */
  private static final class Problems {
    private final Path file;
    private final List<String> list = new ArrayList<>();
    int count;

    Problems(Path file) {
      this.file = file;
    }

    void add(int line, String column, String message) {
      count++;
      if (count <= MAX_PROBLEMS) {
        list.add("watchlist catalog " + file + (line > 0 ? ", line " + line : "") + ": "
            + (column != null ? "column " + column + " " : line > 0 ? "the line " : "the file ") + message);
      }
    }

    List<String> list() {
      List<String> all = new ArrayList<>(list);
      if (count > MAX_PROBLEMS) {
        all.add("watchlist catalog " + file + ": " + (count - MAX_PROBLEMS) + " more problems; fix the ones above"
            + " and check again");
      }
      return all;
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
