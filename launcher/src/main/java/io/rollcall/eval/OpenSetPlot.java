package io.rollcall.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws {@link OpenSetCurves} as a PNG: enrolled people accepted (y) against strangers accepted as someone (x, linear
 * from 0 to 10 %, where the choice a school makes lies; a log axis would have to invent a place for the many points
 * with no stranger accepted), the fixed threshold in grey and the open-set decision in blue, the operating point in
 * force marked. Plain Java2D, headless, so that no plotting library or display is needed.
 */
public final class OpenSetPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double MAX_X = 0.10;

    private OpenSetPlot() {
    }

    public static void write(EvalReport report, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            axes(g);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s on %s: %d identities, %d enrolled faces, %d strangers", report.pack(),
                    Path.of(report.dataset()).getFileName(), report.identities(), report.galleryFaces(), report.strangers()),
                    LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            curve(g, report.curves().fixed(), new Color(150, 150, 150), "fixed threshold 0.20–0.80");
            curve(g, report.curves().decision(), new Color(30, 90, 200), "open-set decision, target 0.05 %–20 % strangers");
            g.setColor(new Color(200, 40, 40));
            int px = x(report.openSetFalseAcceptRate());
            int py = y(report.tarAtThreshold());
            g.fillOval(px - 6, py - 6, 12, 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(String.format(Locale.ROOT, "in force: threshold %.3f, TAR %.1f %%, strangers %.2f %%",
                    report.threshold(), 100 * report.tarAtThreshold(), 100 * report.openSetFalseAcceptRate()), px + 10, py + 18);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void axes(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int percent = 0; percent <= 10; percent++) {
            int xx = x(percent / 100.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(xx, TOP, xx, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            g.drawString(percent + " %", xx - 10, HEIGHT - BOTTOM + 18);
        }
        for (int tenth = 0; tenth <= 10; tenth++) {
            int yy = y(tenth / 10.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, yy, WIDTH - RIGHT, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(tenth * 10 + " %", LEFT - 45, yy + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.drawString("strangers accepted as someone (points beyond 10 % run off the right edge)", WIDTH / 2 - 210, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("enrolled people accepted as themselves", -HEIGHT / 2 - 110, 20);
        rotated.dispose();
    }

    private static void curve(Graphics2D g, List<OpenSetCurves.Point> points, Color colour, String label) {
        if (points.isEmpty()) {
            return;
        }
        Path2D line = new Path2D.Double();
        boolean first = true;
        for (OpenSetCurves.Point p : points.stream()
                .sorted(java.util.Comparator.comparingDouble(OpenSetCurves.Point::strangersAccepted)
                        .thenComparingDouble(OpenSetCurves.Point::tar)).toList()) {
            double xv = x(p.strangersAccepted());
            double yv = y(p.tar());
            if (first) {
                line.moveTo(xv, yv);
                first = false;
            } else {
                line.lineTo(xv, yv);
            }
        }
        g.setColor(colour);
        Graphics2D clipped = (Graphics2D) g.create();
        clipped.clipRect(LEFT, TOP, WIDTH - LEFT - RIGHT + 1, HEIGHT - TOP - BOTTOM + 1);
        clipped.setStroke(new BasicStroke(2.5f));
        clipped.draw(line);
        clipped.dispose();
        // The legend sits bottom right: curves reach there only by accepting many strangers while refusing most
        // enrolled people, which no pack worth measuring does.
        int legendX = WIDTH - RIGHT - 390;
        int legendY = HEIGHT - BOTTOM - 40 + (colour.getBlue() > 150 ? 20 : 0);
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(legendX, legendY - 4, legendX + 30, legendY - 4);
        g.setStroke(new BasicStroke(1f));
        g.drawString(label, legendX + 37, legendY);
    }

    /** Beyond 10 % a little past the right edge, where the clip cuts the line off. */
    private static int x(double strangers) {
        return LEFT + (int) Math.round(Math.min(strangers, 1.05 * MAX_X) / MAX_X * (WIDTH - LEFT - RIGHT));
    }

    private static int y(double tar) {
        return HEIGHT - BOTTOM - (int) Math.round(tar * (HEIGHT - TOP - BOTTOM));
    }
}
