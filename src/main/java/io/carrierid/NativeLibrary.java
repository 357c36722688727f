package io.carrierid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Loads libcarrierid. Never throws: a library that cannot be loaded is a
 * {@link Loaded} with a reason, and the portable path serves.
 *
 * <p>Where the library comes from, in order:
 * <ol>
 * <li>the system property {@code carrierid.library.path} (an absolute path), if set;
 * <li>the copy inside this jar, {@code io/carrierid/native/linux-x86_64/libcarrierid.so}:
 *     loaded in place when the classes are a plain directory, otherwise copied
 *     into a new private directory ({@code 0700}, created with {@code mkdir}, which
 *     fails rather than reuse anything already at that name, under {@code java.io.tmpdir})
 *     as a file created with {@code O_EXCL}
 *     (which never follows a link planted at that name), loaded, then deleted
 *     together with its directory (the mapping stays valid after unlink).
 * </ol>
 */
final class NativeLibrary {
    static final String PATH_PROPERTY = "carrierid.library.path";
    static final String RESOURCE = "native/linux-x86_64/libcarrierid.so";

    /** What loading did: {@code source} says where from, {@code failure} is empty on success. */
    record Loaded(boolean ok, String source, String failure) {
        static Loaded success(String source) {
            return new Loaded(true, source, "");
        }

        static Loaded failed(String source, String failure) {
            return new Loaded(false, source, failure);
        }
    }

    /** The outcome once known (guarded by NativeLibrary.class): loading is never repeated in one class loader. */
    private static Loaded loaded;

    private NativeLibrary() {}

    /**
     * Loads the library unless an earlier attempt already decided (an Error in between,
     * say no memory while extracting, leaves it undecided: the next attempt tries again).
     */
    static synchronized Loaded loadOnce() {
        if (loaded == null) {
            Loaded result = load();
            Init.libraryIs(result.ok());
            loaded = result;
        }
        return loaded;
    }

    static Loaded load() {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null) {
            return loadFile(Paths.get(explicit), PATH_PROPERTY + "=" + explicit);
        }
        String platform = platformProblem();
        if (!platform.isEmpty()) {
            return Loaded.failed("none", platform);
        }
        URL url = NativeLibrary.class.getResource(RESOURCE);
        if (url == null) {
            return Loaded.failed("none", "no bundled library " + RESOURCE + " on the class path");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return loadFile(Paths.get(url.toURI()), url.toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Loaded.failed(url.toString(), "unusable library URL: " + e);
            }
        }
        return extractAndLoad(url);
    }

    /** Empty when this looks like a platform the bundled library is built for; otherwise why not. */
    static String platformProblem() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("linux")) {
            return "no bundled library for os.name=" + os;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "no bundled library for os.arch=" + arch;
        }
        return "";
    }

    private static Loaded loadFile(Path file, String source) {
        if (!file.isAbsolute()) {
            return Loaded.failed(source, "not an absolute path");
        }
        try {
            System.load(file.toString());
            return Loaded.success(source);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            // Checked only now: reading /proc/self/maps costs milliseconds, and a glibc
            // library (linked with -z now) does not load under musl anyway.
            String musl = Libc.isMusl() ? "the bundled library is built for glibc; this process uses musl; " : "";
            return Loaded.failed(source, musl + "System.load failed: " + e.getMessage());
        }
    }

    private static Loaded extractAndLoad(URL url) {
        Path dir = null;
        try {
            // Through the class loader's own, already open, jar: reopening the URL costs milliseconds.
            InputStream resource = NativeLibrary.class.getResourceAsStream(RESOURCE);
            if (resource == null) {
                return Loaded.failed(url.toString(), "the bundled library vanished from the class path");
            }
            dir = createPrivateDirectory(Paths.get(System.getProperty("java.io.tmpdir")));
            Path file;
            try (InputStream in = resource) {
                file = extract(in, dir);
            }
            return loadFile(file, url + " (extracted to a private temporary directory, since deleted)");
        } catch (IOException | RuntimeException e) {
            return Loaded.failed(url.toString(), "could not extract the library: " + e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir.resolve(FILE_NAME)); // also a part-written file
                deleteQuietly(dir);
            }
        }
    }

    static final String FILE_NAME = "libcarrierid.so";

    /**
     * Writes the library into {@code dir} as a new file, {@code 0600}: created with
     * O_CREAT|O_EXCL (fails on anything already there, a planted link included), then
     * opened without following links.
     */
    static Path extract(InputStream in, Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Files.createFile(file, PRIVATE_FILE);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
        }
        return file;
    }

    /**
     * A new directory only we can use. mkdir fails if anything (a link included)
     * is already at the name, so a guessed name cannot be planted; we just try
     * another. (Not Files.createTempDirectory: its SecureRandom costs ~10 ms.)
     */
    static Path createPrivateDirectory(Path parent) throws IOException {
        // Unique enough to rarely collide (a collision only costs a retry); not ProcessHandle.pid(),
        // whose first use starts a thread pool.
        return createPrivateDirectory(parent, System.nanoTime() ^ ((long) System.identityHashCode(parent) << 32));
    }

    /** As above, with the names derived from {@code seed} (tests plant things at them). */
    static Path createPrivateDirectory(Path parent, long seed) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve("carrierid-" + Long.toHexString(seed + attempt * 0x9E3779B97F4A7C15L));
            try {
                return Files.createDirectory(dir, PRIVATE_DIRECTORY);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            path.toFile().deleteOnExit();
        }
    }
}
