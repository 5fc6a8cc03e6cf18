package org.fink.distribution.cli.view;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.util.zip.GZIPInputStream;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;

/**
 * One image cutout of an alert, decoded from its (gzipped) FITS bytes with nom-tam-fits: the pixels as doubles in
 * FITS order (row 0 is the first FITS row, the bottom of the image as astronomers draw it) with BSCALE/BZERO applied,
 * and the orientation given by the header's WCS, if any.
 *
 * <pre>{@code
 * Cutout science = Cutout.decode(stampData);   // gzip + FITS, 63x63 for ZTF
 * PixelStatistics stats = science.statistics();
 * }</pre>
 */
public final class Cutout {
  private final int width;
  private final int height;
  private final double[] pixels;
  private final Orientation orientation;

  private Cutout(int width, int height, double[] pixels, Orientation orientation) {
    this.width = width;
    this.height = height;
    this.pixels = pixels;
    this.orientation = orientation;
  }

  /**
   * Decodes a cutout: gzip (detected by its magic bytes) around a FITS file whose first HDU with an image of two
   * dimensions is read.
   *
   * @throws IOException naming what is wrong (not gzip, not FITS, no 2-D image)
   */
  public static Cutout decode(byte[] bytes) throws IOException {
    if (bytes == null || bytes.length == 0) {
      throw new IOException("the cutout is empty");
    }
    try (InputStream in = gzipped(bytes) ? new GZIPInputStream(new ByteArrayInputStream(bytes))
        : new ByteArrayInputStream(bytes); Fits fits = new Fits(in)) {
      for (BasicHDU<?> hdu = fits.readHDU(); hdu != null; hdu = fits.readHDU()) {
        if (hdu instanceof ImageHDU image && image.getAxes() != null && image.getAxes().length == 2) {
          return of(image);
        }
      }
      throw new IOException("the FITS file holds no two-dimensional image");
    } catch (java.io.EOFException e) {
      throw new IOException("the data ends too early (truncated gzip or FITS)", e);
    } catch (java.util.zip.ZipException e) {
      throw new IOException("not valid gzip data: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IOException("not a readable FITS image: " + e.getMessage(), e);
    } catch (IOException e) {
      throw e.getMessage() == null ? new IOException("unreadable: " + e.getClass().getSimpleName(), e) : e;
    }
  }

  private static boolean gzipped(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private static Cutout of(ImageHDU image) throws FitsException {
    Object kernel = image.getKernel();
    Header header = image.getHeader();
    int rows = Array.getLength(kernel);
    int columns = rows == 0 ? 0 : Array.getLength(Array.get(kernel, 0));
    if (rows == 0 || columns == 0) {
      throw new FitsException("the image is empty");
    }
    double scale = header.getDoubleValue("BSCALE", 1.0);
    double zero = header.getDoubleValue("BZERO", 0.0);
    double[] pixels = new double[rows * columns];
    for (int y = 0; y < rows; y++) {
      Object row = Array.get(kernel, y);
      for (int x = 0; x < columns; x++) {
        pixels[y * columns + x] = zero + scale * ((Number) Array.get(row, x)).doubleValue();
      }
    }
    return new Cutout(columns, rows, pixels, Orientation.of(header));
  }

  /** Columns (FITS NAXIS1). */
  public int width() {
    return width;
  }

  /** Rows (FITS NAXIS2). */
  public int height() {
    return height;
  }

  /** The value at column {@code x}, FITS row {@code y} (both from 0); NaN for a blank pixel. */
  public double pixel(int x, int y) {
    return pixels[y * width + x];
  }

  /** Min, max, median and NaN count of the pixels. */
  public PixelStatistics statistics() {
    return PixelStatistics.of(pixels);
  }

  /** Where North and East point, from the header's WCS; null without one. */
  public Orientation orientation() {
    return orientation;
  }

  /**
   * Directions of North and East on the image in pixel units (x to the right, y up: FITS rows growing), from the
   * CD matrix (or CDELT/PC or CROTA2) of the header.
   *
   * @param northX x of the unit vector towards North
   * @param northY y of the unit vector towards North
   * @param eastX x of the unit vector towards East
   * @param eastY y of the unit vector towards East
   */
  public record Orientation(double northX, double northY, double eastX, double eastY) {
    static Orientation of(Header header) {
      double cd11;
      double cd12;
      double cd21;
      double cd22;
      if (header.containsKey("CD1_1")) {
        cd11 = header.getDoubleValue("CD1_1", 0);
        cd12 = header.getDoubleValue("CD1_2", 0);
        cd21 = header.getDoubleValue("CD2_1", 0);
        cd22 = header.getDoubleValue("CD2_2", 0);
      } else if (header.containsKey("CDELT1") && header.containsKey("CDELT2")) {
        double c1 = header.getDoubleValue("CDELT1", 0);
        double c2 = header.getDoubleValue("CDELT2", 0);
        double angle = Math.toRadians(header.getDoubleValue("CROTA2", 0));
        double pc11 = header.getDoubleValue("PC1_1", Math.cos(angle));
        double pc12 = header.getDoubleValue("PC1_2", -Math.sin(angle));
        double pc21 = header.getDoubleValue("PC2_1", Math.sin(angle));
        double pc22 = header.getDoubleValue("PC2_2", Math.cos(angle));
        cd11 = c1 * pc11;
        cd12 = c1 * pc12;
        cd21 = c2 * pc21;
        cd22 = c2 * pc22;
      } else {
        return null;
      }
      double det = cd11 * cd22 - cd12 * cd21;
      if (det == 0 || !Double.isFinite(det)) {
        return null;
      }
      // pixel offset = CD^-1 (dRA cos dec, dDec): North is (0, 1), East is (1, 0) on the sky
      double nx = -cd12 / det;
      double ny = cd11 / det;
      double ex = cd22 / det;
      double ey = -cd21 / det;
      double n = Math.hypot(nx, ny);
      double e = Math.hypot(ex, ey);
      return new Orientation(nx / n, ny / n, ex / e, ey / e);
    }
  }
}
