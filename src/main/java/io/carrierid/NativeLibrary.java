package io.carrierid;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

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

    /**
     * What loading did: {@code source} says where from, {@code failure} is empty on success;
     * {@code kind}: the failure's kind (NONE on success); {@code cause}: the exception behind a
     * failure, if one was thrown.
     */
    record Loaded(boolean ok, String source, Diagnostics.Fallback kind, String failure, Throwable cause) {
        static Loaded success(String source) {
            return new Loaded(true, source, Diagnostics.Fallback.NONE, "", null);
        }

        static Loaded failed(String source, String failure) {
            return failed(source, Diagnostics.Fallback.LIBRARY_NOT_LOADED, failure, null);
        }

        static Loaded failed(String source, String failure, Throwable cause) {
            return failed(source, Diagnostics.Fallback.LIBRARY_NOT_LOADED, failure, cause);
        }

        static Loaded failed(String source, Diagnostics.Fallback kind, String failure, Throwable cause) {
            return new Loaded(false, source, kind, failure, cause);
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
            loaded = load(platform);
        }
        return loaded;
    }

    static Loaded load(Platform platform) {
        String explicit = Property.get(PATH_PROPERTY, null);
        if (explicit != null) {
            File file = new File(explicit);
            if (!file.isAbsolute()) {
                return Loaded.failed(PATH_PROPERTY + "=" + explicit, "not an absolute path");
            }
            try {
                return copyAndLoad(new FileInputStream(file), PATH_PROPERTY + "=" + explicit);
            } catch (IOException | RuntimeException e) {
                return Loaded.failed(PATH_PROPERTY + "=" + explicit, "cannot read it: " + e, e);
            }
        }
        String problem = platform.libraryProblem();
        if (!problem.isEmpty()) {
            return Loaded.failed("none", Diagnostics.Fallback.PLATFORM, problem, null);
        }
        // Relative to these classes, so that a relocated copy finds its relocated library.
        String name = resource(platform);
        String where = Bundled.describe(name);
        InputStream resource;
        try {
            resource = Bundled.open(name);
        } catch (IOException | RuntimeException e) {
            return Loaded.failed(where, "cannot read it: " + e, e);
        }
        if (resource == null) {
            return Loaded.failed("none", Diagnostics.Fallback.PLATFORM,
                    "no bundled library " + where + " next to carrierid's classes", null);
        }
        return copyAndLoad(resource, where);
    }

    private static Loaded copyAndLoad(InputStream bytes, String source) {
        File dir = null;
        File file = null;
        String parent = Property.get(TMPDIR_PROPERTY, Property.get("java.io.tmpdir", "/tmp"));
        String parentName = Property.get(TMPDIR_PROPERTY, null) != null ? "-D" + TMPDIR_PROPERTY + "=" + parent
                : "java.io.tmpdir " + parent + " (choose another with -D" + TMPDIR_PROPERTY + "=...)";
        boolean extracted = false;
        try (InputStream in = bytes) {
            dir = createPrivateDirectory(new File(parent));
            file = new File(dir, fileName());
            extract(in, file);
            extracted = true;
        } catch (IOException | RuntimeException e) {
            return Loaded.failed(source, "could not copy the library into a private directory under " + parentName
                    + ": " + e, e);
        } finally {
            if (!extracted) { // whatever failed (a full disk, an Error), nothing made is left behind
                deleteQuietly(file, dir);
            }
        }
        try {
            NativeAccess.askBeforeFirstRestrictedCall();
            System.load(file.toString());
            String mismatch = interfaceMismatch();
            if (!mismatch.isEmpty()) {
                return Loaded.failed(source, Diagnostics.Fallback.LIBRARY_MISMATCH, mismatch, null);
            }
            return Loaded.success(source + " (loaded from a private copy, since deleted)");
        } catch (UnsatisfiedLinkError e) {
            String problem = e.getMessage();
            if (problem != null && (problem.contains("failed to map segment") || problem.contains("operation not permitted"))) {
                problem += " (is " + parentName + " mounted noexec?)";
            }
            // Checked only now: reading /proc/self/maps costs milliseconds, and a glibc
            // library (linked with -z now) does not load under musl anyway.
            boolean musl = Libc.isMusl();
            return Loaded.failed(source, musl ? Diagnostics.Fallback.PLATFORM : Diagnostics.Fallback.LIBRARY_NOT_LOADED,
                    (musl ? "musl libc: the bundled library is built for glibc; " : "") + "System.load failed: " + problem, e);
        } catch (SecurityException e) {
            return Loaded.failed(source, "System.load refused by the SecurityManager: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getClass().getName().equals("java.lang.IllegalCallerException")) {
                return Loaded.failed(source, NativeAccess.denied(e), e);
            }
            throw e;
        } finally {
            deleteQuietly(file, dir);
        }
    }

    /**
     * Empty when the loaded library is of these classes' interface; else why not. Nothing else of it
     * is called then: the load stays, unused, and a portable path serves.
     */
    private static String interfaceMismatch() {
        int theirs;
        try {
            theirs = Native.interfaceVersion();
        } catch (UnsatisfiedLinkError e) {
            return "not a libcarrierid of this build: it has no interface version (" + e.getMessage() + ")";
        }
        return theirs == Native.INTERFACE_VERSION ? ""
                : "libcarrierid's interface is version " + theirs + ", these classes need version "
                        + Native.INTERFACE_VERSION + " (a library of another build of carrierid)";
    }

    /** libcarrierid+<package>.so: register.c binds the natives to that package's Native. */
    static String fileName() {
        return "libcarrierid+" + NativeLibrary.class.getPackageName() + ".so";
    }

    /**
     * Writes the library into {@code dir} as a new file, {@code 0600}: created with
     * O_CREAT|O_EXCL (fails on anything already there, a planted link included), then
     * written. Nobody else can put a link in its place in between: the directory is
     * ours, {@code 0700}.
     *
     * <p>java.io rather than java.nio.file, here and below: NIO's first use (its file
     * system, a channel's buffers) costs milliseconds on the first call's path.
     */
    static File extract(InputStream in, File dir, String name) throws IOException {
        File file = new File(dir, name);
        extract(in, file);
        return file;
    }

    private static void extract(InputStream in, File file) throws IOException {
        if (!file.createNewFile()) {
            throw new IOException(file + " already exists");
        }
        ownerOnly(file, false);
        try (OutputStream out = new FileOutputStream(file)) {
            copy(in, out);
        }
    }

    /**
     * A plain read and write loop, not {@code transferTo}: JDK 21's FileInputStream.transferTo asks its
     * channel for a position, which fails ("Illegal seek") where carrierid.library.path names a FIFO.
     */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16384];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
    }

    /**
     * A new directory only we can use. mkdir fails if anything (a link included)
     * is already at the name, so a guessed name cannot be planted; we just try
     * another. (Not Files.createTempDirectory: its SecureRandom costs ~10 ms.)
     */
    static File createPrivateDirectory(File parent) throws IOException {
        // Unique enough to rarely collide (a collision only costs a retry); not ProcessHandle.pid(),
        // whose first use costs ~15 ms.
        return createPrivateDirectory(parent, System.nanoTime() ^ ((long) System.identityHashCode(parent) << 32));
    }

    /**
     * As above, with the names derived from {@code seed} (tests plant things at them). mkdir
     * makes the directory with the umask's mode; it is made {@code 0700} at once, and used
     * only if it is then still empty: whatever another user could do in between (with a
     * umask that let them write there) makes us move on to another name, never use theirs.
     */
    static File createPrivateDirectory(File parent, long seed) throws IOException {
        if (!parent.isDirectory()) {
            throw new IOException(parent + " is not a directory");
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            File dir = new File(parent, "carrierid-" + Long.toHexString(seed + attempt * 0x9E3779B97F4A7C15L));
            if (!dir.mkdir()) {
                IOException why = whyNot(dir);
                if (why != null) {
                    throw why; // not a name taken: the parent refuses (read-only, full, no permission)
                }
                continue; // something is there already
            }
            try {
                ownerOnly(dir, true);
            } catch (IOException | RuntimeException e) {
                dir.delete();
                throw e;
            }
            String[] inside = dir.list();
            if (inside != null && inside.length == 0) {
                return dir;
            }
            dir.delete(); // not ours alone: leave it, try another name
        }
        throw new IOException("no new private directory could be made under " + parent + " in 100 attempts");
    }

    /**
     * Why mkdir failed, with the kernel's reason (java.io's mkdir gives none): null when the
     * name is taken, by anything, a dangling link included. Asks java.nio.file, on this failure
     * path only; a directory it does make is removed again (the loop makes its own).
     */
    private static IOException whyNot(File dir) {
        try {
            java.nio.file.Path made = java.nio.file.Files.createDirectory(dir.toPath());
            java.nio.file.Files.delete(made);
            return null;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return null;
        } catch (IOException e) {
            return e;
        } catch (RuntimeException e) {
            return new IOException(e);
        }
    }

    /** chmod 0700 (or 0600): the others' bits first, then the owner's. */
    private static void ownerOnly(File file, boolean executable) throws IOException {
        boolean ok = file.setReadable(false, false) && file.setWritable(false, false) && file.setExecutable(false, false)
                && file.setReadable(true, true) && file.setWritable(true, true)
                && (!executable || file.setExecutable(true, true));
        if (!ok) {
            throw new IOException("cannot restrict " + file + " to its owner");
        }
    }

    private static void deleteQuietly(File file, File dir) {
        for (File path : new File[] {file, dir}) {
            if (path == null) {
                continue;
            }
            try {
                if (!path.delete() && path.exists()) {
                    path.deleteOnExit();
                }
            } catch (RuntimeException e) {
                // A SecurityManager's refusal: nothing more to do.
            }
        }
    }
}
