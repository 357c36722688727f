package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 23: where the JVM opens java.lang to carrierid, the ids are read with no native call
 * (the carrier, its eetop, two loads), verified first; without the flag nothing
 * changes. Child JVMs (the standard test options turn this path off; here it is turned back on):
 * every id of platform and virtual threads checked against the kernel's tid, eetop and the JDK's
 * own carrier. Without the flag (the truths here need it): {@code CliIT}, from the jar.
 */
class JdkInternalsTest {
    private static final String ON = "-D" + JdkInternals.PROPERTY + "=auto";

    @Test
    void javaLangOpenReadsTheIdsWithNoNativeCall() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(ON));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.flag("jdkInternals"), r::toString);
        assertEquals("[]", r.diagnosticsJson().replaceAll(".*\"warnings\":(\\[[^]]*]).*", "$1"), r::toString);
        if (Truth.hasVirtualThreads()) {
            assertEquals("PASSED", r.field("virtualThreadCheck"), r::toString);
        }
    }

    /**
     * CarrierLocal with java.lang open: virtual threads keep its cache in their carrier's own map
     * (ThreadLocal's get(Thread) and set(Thread, T)). One value per carrier, each made on the carrier
     * that gets it (kernel tids), and a carrier's own calls and its virtual threads' see one value.
     */
    @Test
    void carrierLocalsThroughTheCarriersMaps() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(ON), "carrier-locals");
        r.assertAllRight();
        assertTrue(r.flag("jdkInternals"), r::toString);
    }

    /**
     * PlatformIds' tables with this path on, where before JDK 19 a thread's id is read from its field
     * through sun.misc.Unsafe (the tests' own JVMs turn the path off): two live threads sharing a slot
     * each get their own tid and index (SharedSlotProbe).
     */
    @Test
    void threadsSharingASlotOfPlatformIds() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(ON), "shared-slot");
        r.assertAllRight();
        assertTrue(r.flag("jdkInternals"), r::toString);
    }

    /** 64 threads make the first call together: provisional answers, then the path; every id right. */
    @Test
    void aRaceOfFirstCalls() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(ON), "race");
        r.assertAllRight();
        assertTrue(r.flag("jdkInternals"), r::toString);
    }

    /** The first call from a virtual thread: the check there comes before the path serves virtual threads. */
    @Test
    void firstCallFromAVirtualThread() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(ON), "first-virtual");
        r.assertAllRight();
        assertTrue(r.flag("jdkInternals"), r::toString);
    }

    /** -Dcarrierid.internals=off: the default path even with java.lang open. */
    @Test
    void offKeepsTheNativeCalls() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-D" + JdkInternals.PROPERTY + "=off"));
        r.assertAllRight();
        assertFalse(r.flag("jdkInternals"), r::toString);
    }
}
