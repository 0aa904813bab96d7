package io.charrnn.examples.plots;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * A drawing of a fixed size in pixels that can be written as PNG (Java2D into a
 * {@link BufferedImage}) or SVG (the same drawing code into VectorGraphics2D's SVG back end).
 * Works headless. Immutable.
 */
public final class Figure {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final int width;
    private final int height;
    private final Consumer<Graphics2D> painter;

    /**
     * @param width in pixels, {@code >= 1}
     * @param height in pixels, {@code >= 1}
     * @param painter draws the figure into a graphics context of that size
     */
    public Figure(int width, int height, Consumer<Graphics2D> painter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be >= 1, got " + width + " and " + height);
        }
        this.width = width;
        this.height = height;
        this.painter = Objects.requireNonNull(painter, "painter");
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /** @return the figure drawn into a new RGB image */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width, height);
            painter.accept(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Writes the figure as PNG or SVG, chosen by the file name's extension ({@code .png},
     * {@code .svg}, any case), through a temporary file in the same directory that replaces the
     * target when complete, so a failed write leaves no half-written image.
     *
     * @param file the file to write; its directory must exist
     * @throws IllegalArgumentException if the extension is neither
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new IllegalArgumentException("the output file must end in .png or .svg, got " + file);
        }
        Path dir = file.toAbsolutePath().getParent();
        // not Files.createTempFile: its file is private (0600), and the image would stay so after the move
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (svg) {
                    writeSvg(out);
                } else {
                    writePng(out);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @param out receives the figure as PNG (not closed)
     * @throws IOException if writing fails
     */
    public void writePng(OutputStream out) throws IOException {
        if (!ImageIO.write(toImage(), "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }

    /**
     * @param out receives the figure as SVG (not closed)
     * @throws IOException if writing fails
     */
    public void writeSvg(OutputStream out) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.accept(g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
    }
}
