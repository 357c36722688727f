package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's extraction: private, race-free, and never through a planted link. */
class NativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void privateDirectoryIsOwnerOnlyAndSkipsAPlantedLink() throws Exception {
        long seed = 0x1234;
        Path victim = Files.writeString(tmp.resolve("victim"), "untouched");
        Path planted = tmp.resolve("carrierid-" + Long.toHexString(seed));
        Files.createSymbolicLink(planted, victim);

        Path dir = NativeLibrary.createPrivateDirectory(tmp.toFile(), seed).toPath();
        assertNotEquals(planted, dir, "the planted link's name is never reused");
        assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.isSymbolicLink(planted));
        assertEquals("untouched", Files.readString(victim));
    }

    @Test
    void extractedFileIsOwnerOnlyAndWhole() throws Exception {
        byte[] bytes = "not really an ELF file".getBytes(StandardCharsets.US_ASCII);
        Path dir = NativeLibrary.createPrivateDirectory(tmp.toFile()).toPath();
        Path file = NativeLibrary.extract(new ByteArrayInputStream(bytes), dir.toFile(), "libcarrierid.so").toPath();
        assertEquals(dir.resolve("libcarrierid.so"), file);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void extractionNeverWritesThroughAPlantedLink() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "untouched");
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Files.createSymbolicLink(dir.resolve("libcarrierid.so"), victim);
        assertThrows(IOException.class,
                () -> NativeLibrary.extract(new ByteArrayInputStream(new byte[] {1, 2, 3}), dir.toFile(), "libcarrierid.so"));
        assertTrue(Files.isSymbolicLink(dir.resolve("libcarrierid.so")));
        assertEquals("untouched", Files.readString(victim));
    }

    @Test
    void extractionNeverCreatesAFileThroughADanglingLink() throws Exception {
        Path target = tmp.resolve("would-be-created");
        Path dir = Files.createDirectory(tmp.resolve("d2"));
        Files.createSymbolicLink(dir.resolve("libcarrierid.so"), target);
        assertThrows(IOException.class,
                () -> NativeLibrary.extract(new ByteArrayInputStream(new byte[] {1, 2, 3}), dir.toFile(), "libcarrierid.so"));
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "O_EXCL never follows the link to create its target");
    }
}
