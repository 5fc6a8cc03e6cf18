package org.fink.distribution.cli.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Draws a {@link Cutout} as a PNG: the pixels enlarged to about 256 pixels (nearest neighbour, FITS row 1 at the
 * bottom as in DS9), grey levels from a {@link Stretch}, NaN pixels in purple, a colour bar with the values at its
 * ends and middle underneath, and North/East arrows in the top right corner when the header has a WCS.
 *
 * <pre>{@code
 * byte[] png = CutoutPng.render(Cutout.decode(stampData), Stretch.ZSCALE);
 * byte[] broken = CutoutPng.placeholder(63, 63);   // same layout, for an unreadable cutout
 * }</pre>
 */
public final class CutoutPng {
  /** Target size of the enlarged image's longer side, in pixels. */
  static final int TARGET = 256;
  /** Height of the band under the image: colour bar and its labels. */
  static final int BAR_BAND = 36;
  private static final Color NAN = new Color(90, 0, 110);
  private static final Color ARROW = new Color(255, 220, 0);

  private CutoutPng() {}

  /** The enlargement factor of a cutout of {@code width} x {@code height}. */
  static int scale(int width, int height) {
    return Math.max(1, Math.round((float) TARGET / Math.max(width, height)));
  }

  /** The PNG of {@code cutout} stretched with {@code stretch}. */
  public static byte[] render(Cutout cutout, Stretch stretch) {
    int scale = scale(cutout.width(), cutout.height());
    int w = cutout.width() * scale;
    int h = cutout.height() * scale;
    BufferedImage image = new BufferedImage(w, h + BAR_BAND, BufferedImage.TYPE_INT_RGB);
    Stretch.Limits limits = stretch.limits(cutout);
    for (int y = 0; y < cutout.height(); y++) {
      int top = (cutout.height() - 1 - y) * scale; // FITS row 0 at the bottom
      for (int x = 0; x < cutout.width(); x++) {
        double level = stretch.level(cutout.pixel(x, y), limits);
        int rgb = Double.isNaN(level) ? NAN.getRGB() : grey(level);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            image.setRGB(x * scale + dx, top + dy, rgb);
          }
        }
      }
    }
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      colourBar(g, stretch, limits, w, h);
      if (cutout.orientation() != null) {
        compass(g, cutout.orientation(), w);
      }
    } finally {
      g.dispose();
    }
    return png(image);
  }

  /** A grey image of the size {@code width} x {@code height} cutout would have, crossed out: the cutout is unreadable. */
  public static byte[] placeholder(int width, int height) {
    int scale = scale(width, height);
    int w = width * scale;
    int h = height * scale;
    BufferedImage image = new BufferedImage(w, h + BAR_BAND, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(new Color(200, 200, 200));
      g.fillRect(0, 0, w, h + BAR_BAND);
      g.setColor(new Color(170, 40, 40));
      g.setStroke(new BasicStroke(3));
      g.drawLine(0, 0, w, h);
      g.drawLine(w, 0, 0, h);
      text(g, new Font(Font.SANS_SERIF, Font.BOLD, 14), "unreadable cutout", 8, h + 22);
    } finally {
      g.dispose();
    }
    return png(image);
  }

  private static int grey(double level) {
    int v = (int) Math.round(level * 255);
    return (v << 16) | (v << 8) | v;
  }

  private static void colourBar(Graphics2D g, Stretch stretch, Stretch.Limits limits, int w, int h) {
    g.setColor(Color.WHITE);
    g.fillRect(0, h, w, BAR_BAND);
    int top = h + 4;
    for (int x = 0; x < w; x++) {
      int v = (int) Math.round(255.0 * x / Math.max(1, w - 1));
      g.setColor(new Color(v, v, v));
      g.drawLine(x, top, x, top + 11);
    }
    g.setColor(Color.BLACK);
    g.drawRect(0, top, w - 1, 11);
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    double[] levels = {0, 0.5, 1};
    for (double level : levels) {
      String label = format(stretch.value(level, limits));
      int x = (int) Math.round(level * (w - 1));
      g.drawLine(x, top + 11, x, top + 14);
      int width = label.length() * 6;
      try {
        width = g.getFontMetrics(font).stringWidth(label);
      } catch (RuntimeException | InternalError e) {
        // no usable font: the estimate above places the label (text() then leaves it out)
      }
      text(g, font, label, Math.max(0, Math.min(w - width, x - width / 2)), top + 27);
    }
  }

  private static String format(double value) {
    double a = Math.abs(value);
    return a != 0 && (a >= 1e5 || a < 1e-2) ? String.format("%.2e", value) : String.format("%.4g", value);
  }

  private static void compass(Graphics2D g, Cutout.Orientation o, int w) {
    int cx = w - 34;
    int cy = 34;
    int length = 22;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    arrow(g, cx, cy, o.northX(), -o.northY(), length, "N");
    arrow(g, cx, cy, o.eastX(), -o.eastY(), length, "E");
  }

  private static void arrow(Graphics2D g, int cx, int cy, double dx, double dy, int length, String label) {
    int tx = (int) Math.round(cx + dx * length);
    int ty = (int) Math.round(cy + dy * length);
    for (Color c : new Color[] {Color.BLACK, ARROW}) {
      g.setColor(c);
      g.setStroke(new BasicStroke(c == ARROW ? 1.5f : 3.5f));
      g.drawLine(cx, cy, tx, ty);
      double angle = Math.atan2(dy, dx);
      for (double side : new double[] {-0.5, 0.5}) {
        g.drawLine(tx, ty, (int) Math.round(tx - 6 * Math.cos(angle + side)),
            (int) Math.round(ty - 6 * Math.sin(angle + side)));
      }
    }
    g.setColor(ARROW);
    text(g, g.getFont(), label, (int) Math.round(cx + dx * (length + 9)) - 4,
        (int) Math.round(cy + dy * (length + 9)) + 5);
  }

  /** Draws {@code text}; a machine without fonts (a minimal server) gets the image without it rather than an error. */
  private static void text(Graphics2D g, Font font, String text, int x, int y) {
    try {
      g.setFont(font);
      g.drawString(text, x, y);
    } catch (RuntimeException | InternalError e) {
      // no usable font: leave the label out
    }
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
