package org.fink.distribution.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Cutouts decoded with nom-tam-fits and drawn as PNG: on real ZTF cutouts, the pixel statistics agree with a decoding
 * written here from the FITS standard alone (gzip, 2880-byte header blocks of 80-character cards, big-endian IEEE
 * floats); the PNG has the enlarged size plus the colour bar; a corrupt cutout is an error naming the problem.
 */
class CutoutRenderingTest {

  /** The FITS image of gzipped bytes decoded by hand: header cards, then NAXIS1 x NAXIS2 pixels. */
  record HandDecoded(int width, int height, double[] pixels, Map<String, String> cards) {
    static HandDecoded of(byte[] gzipped) throws IOException {
      byte[] fits;
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
        fits = in.readAllBytes();
      }
      Map<String, String> cards = new HashMap<>();
      int offset = 0;
      boolean end = false;
      while (!end) {
        for (int card = 0; card < 36; card++) {
          String line = new String(fits, offset + card * 80, 80, StandardCharsets.US_ASCII);
          String key = line.substring(0, 8).strip();
          if (key.equals("END")) {
            end = true;
            break;
          }
          if (line.startsWith("= ", 8)) {
            String value = line.substring(10);
            int slash = value.indexOf('/');
            cards.put(key, (slash >= 0 && !value.strip().startsWith("'") ? value.substring(0, slash) : value).strip());
          }
        }
        offset += 2880;
      }
      int bitpix = Integer.parseInt(cards.get("BITPIX"));
      assumeTrue(bitpix == -32 || bitpix == -64, "this hand decoder reads float images only, BITPIX " + bitpix);
      int width = Integer.parseInt(cards.get("NAXIS1"));
      int height = Integer.parseInt(cards.get("NAXIS2"));
      double scale = Double.parseDouble(cards.getOrDefault("BSCALE", "1"));
      double zero = Double.parseDouble(cards.getOrDefault("BZERO", "0"));
      ByteBuffer data = ByteBuffer.wrap(fits, offset, fits.length - offset).order(ByteOrder.BIG_ENDIAN);
      double[] pixels = new double[width * height];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = zero + scale * (bitpix == -32 ? data.getFloat() : data.getDouble());
      }
      return new HandDecoded(width, height, pixels, cards);
    }

    double[] stats() {
      double[] finite = Arrays.stream(pixels).filter(Double::isFinite).sorted().toArray();
      int n = finite.length;
      double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
      return new double[] {finite[0], finite[n - 1], median, pixels.length - n};
    }
  }

  private static byte[] stamp(GenericRecord alert, String field) {
    ByteBuffer b = ((ByteBuffer) ((GenericRecord) alert.get(field)).get("stampData")).duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  @Test
  void realZtfCutoutsDecodeAsTheFitsStandardSays() throws IOException {
    List<java.nio.file.Path> files = SharedData.avroFiles(SharedData.ztfAlerts());
    int checked = 0;
    for (java.nio.file.Path file : files.subList(0, Math.min(3, files.size()))) {
      GenericRecord alert = SharedData.readContainer(file).records().get(0);
      for (String field : AlertValues.CUTOUTS) {
        byte[] bytes = stamp(alert, field);
        HandDecoded expected = HandDecoded.of(bytes);
        Cutout cutout = Cutout.decode(bytes);
        assertEquals(expected.width(), cutout.width(), file + " " + field + " width");
        assertEquals(expected.height(), cutout.height(), file + " " + field + " height");
        double[] s = expected.stats();
        PixelStatistics actual = cutout.statistics();
        String what = file.getFileName() + " " + field;
        assertEquals(s[0], actual.min(), 0, what + " min");
        assertEquals(s[1], actual.max(), 0, what + " max");
        assertEquals(s[2], actual.median(), 0, what + " median");
        assertEquals((int) s[3], actual.nanCount(), what + " NaN count");
        // FITS row y is the y-th row of the file; the first pixel of the file is (0, 0)
        assertEquals(expected.pixels()[0], cutout.pixel(0, 0), 0, what + " first pixel");
        int last = expected.pixels().length - 1;
        assertEquals(expected.pixels()[last], cutout.pixel(cutout.width() - 1, cutout.height() - 1), 0, what);
        if (expected.cards().containsKey("CD1_1")) {
          assertNotNull(cutout.orientation(), what + " has a CD matrix: North and East are known");
        }
        for (Stretch stretch : Stretch.values()) {
          Stretch.Limits limits = stretch.limits(cutout);
          assertTrue(limits.low() < limits.high() && limits.low() >= s[0] && limits.high() <= s[1],
              what + " " + stretch + " limits within the pixel range: " + limits);
          BufferedImage png = ImageIO.read(new ByteArrayInputStream(CutoutPng.render(cutout, stretch)));
          int scale = CutoutPng.scale(cutout.width(), cutout.height());
          assertEquals(cutout.width() * scale, png.getWidth(), what + " PNG width");
          assertEquals(cutout.height() * scale + CutoutPng.BAR_BAND, png.getHeight(), what + " PNG height");
        }
        checked++;
      }
    }
    assertTrue(checked >= 3, "at least one alert's three cutouts checked");
  }

  @Test
  void syntheticCutoutsHaveNoWcsAndAreBrightAtTheSource() throws IOException {
    GenericRecord alert = SyntheticAlerts.ztf(7).next();
    Cutout science = Cutout.decode(stamp(alert, "cutoutScience"));
    assertEquals(63, science.width());
    assertNull(science.orientation(), "the synthetic header has no WCS");
    PixelStatistics s = science.statistics();
    assertTrue(s.max() > s.median(), "a source above the background");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(CutoutPng.render(science, Stretch.ASINH)));
    assertEquals(252, png.getWidth());
  }

  @Test
  void aCorruptCutoutIsAnErrorAndHasAPlaceholder() throws IOException {
    IOException notGzip = assertThrows(IOException.class,
        () -> Cutout.decode(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4}));
    assertNotNull(notGzip.getMessage());
    IOException notFits = assertThrows(IOException.class,
        () -> Cutout.decode("SIMPLE  = nonsense".getBytes(StandardCharsets.US_ASCII)));
    assertNotNull(notFits.getMessage());
    assertThrows(IOException.class, () -> Cutout.decode(new byte[0]));
    BufferedImage placeholder = ImageIO.read(new ByteArrayInputStream(CutoutPng.placeholder(63, 63)));
    assertEquals(252, placeholder.getWidth());
  }

  /** A plain (not gzipped) FITS file of a 4x3 float image with {@code cards}, pixels 0..11 and one NaN. */
  private static byte[] fits(String... cards) {
    StringBuilder header = new StringBuilder();
    for (String card : List.of("SIMPLE  =                    T", "BITPIX  =                  -32",
        "NAXIS   =                    2", "NAXIS1  =                    4", "NAXIS2  =                    3")) {
      header.append(String.format("%-80s", card));
    }
    for (String card : cards) {
      header.append(String.format("%-80s", card));
    }
    header.append(String.format("%-80s", "END"));
    byte[] head = String.format("%-2880s", header).getBytes(StandardCharsets.US_ASCII);
    ByteBuffer data = ByteBuffer.allocate(2880).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < 12; i++) {
      data.putFloat(i == 5 ? Float.NaN : i);
    }
    byte[] file = Arrays.copyOf(head, 2 * 2880);
    System.arraycopy(data.array(), 0, file, 2880, 2880);
    return file;
  }

  @Test
  void northAndEastComeFromTheCdMatrix() throws IOException {
    // the usual orientation: RA grows to the left, Dec upwards
    Cutout usual = Cutout.decode(fits("CD1_1   =             -0.00028", "CD1_2   =                  0.0",
        "CD2_1   =                  0.0", "CD2_2   =              0.00028"));
    assertEquals(new Cutout.Orientation(0, 1, -1, 0), usual.orientation());
    assertEquals(new PixelStatistics(0, 11, 6, 1), usual.statistics(), "plain FITS, NaN left out");
    assertEquals(4.0, usual.pixel(0, 1), "row 1 starts with the 5th pixel");
    // x along Dec, y along RA (the usual turned a quarter clockwise): North to the right, East up
    Cutout rotated = Cutout.decode(fits("CD1_1   =                  0.0", "CD1_2   =              0.00028",
        "CD2_1   =              0.00028", "CD2_2   =                  0.0"));
    Cutout.Orientation o = rotated.orientation();
    assertEquals(1, o.northX(), 1e-12);
    assertEquals(0, o.northY(), 1e-12);
    assertEquals(0, o.eastX(), 1e-12);
    assertEquals(1, o.eastY(), 1e-12);
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(CutoutPng.render(rotated, Stretch.ZSCALE)));
    assertEquals(4 * CutoutPng.scale(4, 3), png.getWidth());
  }

  @Test
  void statisticsLeaveNanOut() {
    PixelStatistics s = PixelStatistics.of(new double[] {3, Double.NaN, 1, 2, 4});
    assertEquals(new PixelStatistics(1, 4, 2.5, 1), s);
  }
}
