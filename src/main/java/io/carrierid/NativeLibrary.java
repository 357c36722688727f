package io.carrierid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * <p>The library always runs from a private copy: a new directory ({@code 0700},
 * created with {@code mkdir}, which fails rather than reuse anything already at
 * that name) under {@code carrierid.tmpdir} (default {@code java.io.tmpdir}),
 * holding a file created with {@code O_EXCL} (which never follows a link planted
 * at that name), loaded, then deleted together with its directory (the mapping
 * stays valid after unlink). A private copy per class loader is what lets any
 * number of class loaders (tests, IDEs, application servers) each load their own,
 * whether the classes are a jar or a directory. The copy is named
 * {@code libcarrierid+<package>.so} after the package these classes have at run
 * time, so that a relocated copy's natives are bound to its own {@code Native}
 * class (register.c).
 *
 * <p>Where the bytes come from: the file named by {@code carrierid.library.path}
 * (an absolute path), if set; else the bundled
 * {@code <package>/native/linux-<arch>/libcarrierid.so} next to these classes,
 * {@code <arch>} being {@code x86_64} or {@code aarch64} ({@link Platform#archName()}).
 */
final class NativeLibrary {
    static final String PATH_PROPERTY = "carrierid.library.path";
    static final String TMPDIR_PROPERTY = "carrierid.tmpdir";

    /** The bundled library for this architecture, relative to this class. */
    static String resource(Platform platform) {
        return "native/linux-" + platform.archName() + "/libcarrierid.so";
    }

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
    static synchronized Loaded loadOnce(Platform platform) {
        if (loaded == null) {
            Loaded result = load(platform);
            Init.libraryIs(result.ok());
            loaded = result;
        }
        return loaded;
    }

    static Loaded load(Platform platform) {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null) {
            Path file = Paths.get(explicit);
            if (!file.isAbsolute()) {
                return Loaded.failed(PATH_PROPERTY + "=" + explicit, "not an absolute path");
            }
            try {
                return copyAndLoad(Files.newInputStream(file), PATH_PROPERTY + "=" + explicit);
            } catch (IOException | RuntimeException e) {
                return Loaded.failed(PATH_PROPERTY + "=" + explicit, "cannot read it: " + e);
            }
        }
        String problem = platform.libraryProblem();
        if (!problem.isEmpty()) {
            return Loaded.failed("none", problem);
        }
        // Through the class loader's own, already open, jar (reopening the URL costs milliseconds);
        // relative to this class, so a relocated copy finds its relocated resource.
        String name = resource(platform);
        InputStream resource = NativeLibrary.class.getResourceAsStream(name);
        String where = NativeLibrary.class.getPackageName().replace('.', '/') + "/" + name;
        if (resource == null) {
            return Loaded.failed("none", "no bundled library " + where + " next to carrierid's classes");
        }
        URL url = NativeLibrary.class.getResource(name);
        return copyAndLoad(resource, url != null ? url.toString() : where);
    }

    private static Loaded copyAndLoad(InputStream bytes, String source) {
        Path dir = null;
        Path file = null;
        String parent = System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir"));
        String parentName = System.getProperty(TMPDIR_PROPERTY) != null ? "-D" + TMPDIR_PROPERTY + "=" + parent
                : "java.io.tmpdir " + parent + " (choose another with -D" + TMPDIR_PROPERTY + "=...)";
        try (InputStream in = bytes) {
            dir = createPrivateDirectory(Paths.get(parent));
            file = extract(in, dir, fileName());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file, dir);
            return Loaded.failed(source, "could not copy the library into a private directory under " + parentName
                    + ": " + e);
        }
        try {
            NativeAccess.askBeforeFirstRestrictedCall();
            System.load(file.toString());
            return Loaded.success(source + " (loaded from a private copy, since deleted)");
        } catch (UnsatisfiedLinkError e) {
            String problem = e.getMessage();
            if (problem != null && (problem.contains("failed to map segment") || problem.contains("operation not permitted"))) {
                problem += " (is " + parentName + " mounted noexec?)";
            }
            // Checked only now: reading /proc/self/maps costs milliseconds, and a glibc
            // library (linked with -z now) does not load under musl anyway.
            String musl = Libc.isMusl() ? "the bundled library is built for glibc; this process uses musl; " : "";
            return Loaded.failed(source, musl + "System.load failed: " + problem);
        } catch (SecurityException e) {
            return Loaded.failed(source, "System.load refused by the SecurityManager: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e.getClass().getName().equals("java.lang.IllegalCallerException")) {
                return Loaded.failed(source, NativeAccess.denied(e));
            }
            throw e;
        } finally {
            deleteQuietly(file, dir);
        }
    }

    /** libcarrierid+<package>.so: register.c binds the natives to that package's Native. */
    static String fileName() {
        return "libcarrierid+" + NativeLibrary.class.getPackageName() + ".so";
    }

    /**
     * Writes the library into {@code dir} as a new file, {@code 0600}: created with
     * O_CREAT|O_EXCL (fails on anything already there, a planted link included), then
     * opened without following links.
     */
    static Path extract(InputStream in, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
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

    private static void deleteQuietly(Path file, Path dir) {
        for (Path path : new Path[] {file, dir}) {
            if (path == null) {
                continue;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException | RuntimeException e) {
                path.toFile().deleteOnExit();
            }
        }
    }
}
