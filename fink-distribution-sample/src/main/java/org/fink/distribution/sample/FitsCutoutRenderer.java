package org.fink.distribution.sample;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Renders ZTF-like image cutouts: a gzip-compressed FITS file holding a 63x63 float32 image (one 2880-byte
 * header block, then big-endian pixels padded to a 2880-byte multiple: 20160 bytes before compression, as
 * real ZTF cutouts). The image is sky background plus Gaussian noise plus a Gaussian point source near the
 * centre; the noise comes from the caller's random generator, so every cutout is different. Not thread-safe
 * (reuses its buffers and deflater; the deflater's native memory is released by its cleaner once the renderer
 * is unreachable).
 */
final class FitsCutoutRenderer {

  static final int SIDE = 63;
  private static final int BLOCK = 2880;
  private static final int DATA_BYTES = SIDE * SIDE * Float.BYTES;
  static final int FILE_BYTES = (1 + (DATA_BYTES + BLOCK - 1) / BLOCK) * BLOCK;
  private static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  /** Deflate level: noisy float pixels gain little (about 1%) from higher levels, which are slower. */
  static final int LEVEL = Deflater.BEST_SPEED;
  /** The header GZIPOutputStream writes: magic, deflate, no flags, no mtime, no extra flags, OS unknown. */
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  /** The FITS file being rendered: the header block is written once, pixels are overwritten per cutout. */
  private final byte[] fits = new byte[FILE_BYTES];
  private final double[] profileX = new double[SIDE];
  private final double[] profileY = new double[SIDE];
  private final Deflater deflater = new Deflater(LEVEL, true);
  private final CRC32 crc = new CRC32();
  private byte[] out = new byte[FILE_BYTES + 1024];

  FitsCutoutRenderer() {
    byte[] header = header();
    System.arraycopy(header, 0, fits, 0, header.length);
  }

  /**
   * Renders one cutout and returns the gzip bytes.
   *
   * @param random      noise source
   * @param background  constant level added to every pixel [DN]
   * @param noise       standard deviation of the per-pixel Gaussian noise [DN]
   * @param flux        total flux of the point source [DN]; negative for a negative difference
   * @param psfSigma    Gaussian sigma of the point source [pixels]
   * @param dx          offset of the source from the centre, x [pixels]
   * @param dy          offset of the source from the centre, y [pixels]
   */
  byte[] render(SplittableRandom random, double background, double noise, double flux, double psfSigma,
      double dx, double dy) {
    double centre = (SIDE - 1) / 2.0;
    double inv2s2 = 1.0 / (2 * psfSigma * psfSigma);
    double peak = flux / (2 * Math.PI * psfSigma * psfSigma);
    for (int i = 0; i < SIDE; i++) {
      double ex = i - centre - dx;
      double ey = i - centre - dy;
      profileX[i] = Math.exp(-ex * ex * inv2s2);
      profileY[i] = peak * Math.exp(-ey * ey * inv2s2);
    }
    int offset = BLOCK;
    for (int y = 0; y < SIDE; y++) {
      double py = profileY[y];
      for (int x = 0; x < SIDE; x++) {
        float value = (float) (background + noise * random.nextGaussian() + py * profileX[x]);
        FLOAT_BE.set(fits, offset, value);
        offset += Float.BYTES;
      }
    }
    return gzip();
  }

  /**
   * Gzips {@link #fits}: the same bytes as {@code GZIPOutputStream} with a deflate level of {@link #LEVEL}
   * (10-byte header, raw deflate stream, CRC-32 and size trailer), but reusing one {@link Deflater}: creating
   * a deflater per cutout (as {@code GZIPOutputStream} does) costs about as much as the compression itself.
   */
  private byte[] gzip() {
    deflater.reset();
    deflater.setInput(fits);
    deflater.finish();
    System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
    int length = GZIP_HEADER.length;
    while (!deflater.finished()) {
      if (length == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      length += deflater.deflate(out, length, out.length - length);
    }
    crc.reset();
    crc.update(fits);
    byte[] gzip = Arrays.copyOf(out, length + 8);
    INT_LE.set(gzip, length, (int) crc.getValue());
    INT_LE.set(gzip, length + 4, fits.length);
    return gzip;
  }

  /** The fixed FITS primary header, padded with spaces to one 2880-byte block. */
  private static byte[] header() {
    StringBuilder sb = new StringBuilder(BLOCK);
    card(sb, "SIMPLE", "T", "conforms to FITS standard");
    card(sb, "BITPIX", "-32", "array data type");
    card(sb, "NAXIS", "2", "number of array dimensions");
    card(sb, "NAXIS1", Integer.toString(SIDE), "");
    card(sb, "NAXIS2", Integer.toString(SIDE), "");
    sb.append(pad("BUNIT   = 'DN      '", 80));
    sb.append(pad("ORIGIN  = 'fink-distribution synthetic alert'", 80));
    sb.append(pad("END", 80));
    return pad(sb.toString(), BLOCK).getBytes(StandardCharsets.US_ASCII);
  }

  private static void card(StringBuilder sb, String key, String value, String comment) {
    String line = pad(key, 8) + "= " + String.format("%20s", value) + (comment.isEmpty() ? "" : " / " + comment);
    sb.append(pad(line, 80));
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
