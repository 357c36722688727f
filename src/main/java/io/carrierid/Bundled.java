package io.carrierid;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Reads a file bundled next to carrierid's classes (the offset table, the native
 * library) from the very jar or directory those classes were loaded from.
 *
 * <p>Why not {@code Class.getResourceAsStream}: in a fresh JVM its first call costs
 * 5-17 ms here (it asks the parent loaders first, which opens the JDK's runtime
 * image reader, then goes through a {@code JarURLConnection}), all of it on the first
 * call's path. Opening the code source's jar again is cheap (the JDK shares the
 * open zip file with the class loader's), and reads only carrierid's own jar, never
 * a like-named file that another jar on the class path happens to hold. A signed
 * jar is verified as it is read. Where the classes come from anything else (a
 * runtime image, a nested jar, an application server's own scheme) or the code
 * source cannot be read, {@code getResourceAsStream} serves.
 */
final class Bundled {
    private Bundled() {}

    /**
     * The file {@code name} (relative to this package), or null where none is bundled.
     *
     * @throws IOException if it is there but cannot be read
     */
    static InputStream open(String name) throws IOException {
        File codeSource = codeSource();
        String entry = entry(name);
        if (codeSource != null && codeSource.isDirectory()) {
            File file = new File(codeSource, entry);
            if (file.isFile()) {
                return new FileInputStream(file);
            }
        } else if (codeSource != null && codeSource.isFile()) {
            InputStream in = fromJar(codeSource, entry);
            if (in != null) {
                return in;
            }
        }
        return Bundled.class.getResourceAsStream(name);
    }

    /** Where {@link #open} reads {@code name}, for reports. */
    static String describe(String name) {
        String entry = entry(name);
        File codeSource = codeSource();
        if (codeSource == null) {
            URL url = Bundled.class.getResource(name);
            return url != null ? url.toString() : entry;
        }
        // As the class loader's URL for it would read.
        return codeSource.isDirectory() ? new File(codeSource, entry).toURI().toString()
                : "jar:" + codeSource.toURI() + "!/" + entry;
    }

    /** {@code name}'s path in the jar or directory: under this package's (relocated, when shaded) path. */
    private static String entry(String name) {
        return Bundled.class.getPackageName().replace('.', '/') + "/" + name;
    }

    /** The jar or directory these classes came from, or null where that is not a local file. */
    private static File codeSource() {
        try {
            CodeSource source = Bundled.class.getProtectionDomain().getCodeSource();
            URL location = source != null ? source.getLocation() : null;
            if (location == null || !location.getProtocol().equals("file")) {
                return null;
            }
            return new File(location.toURI());
        } catch (Exception e) { // a SecurityException, a malformed location: the class loader serves
            return null;
        }
    }

    /** The entry's bytes (read whole: they are small), or null where the jar has no such entry. */
    private static InputStream fromJar(File jar, String entry) throws IOException {
        JarFile file;
        try {
            file = new JarFile(jar, true);
        } catch (IOException | SecurityException e) {
            return null; // not readable as a jar here: the class loader serves
        }
        try (JarFile open = file) {
            ZipEntry found = open.getEntry(entry);
            if (found == null) {
                return null;
            }
            try (InputStream in = open.getInputStream(found)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }
}
