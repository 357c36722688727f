package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the check on a thread HotSpot did not start is what tells HotSpot's key from
 * pthread_create's start argument, which holds the JavaThread* too on every thread HotSpot
 * started. Every word of the thread descriptor that walks right on such a thread is tried on
 * a JNI-attached pthread: only HotSpot's key may pass there.
 */
class VerificationTest {
    @Test
    void onlyHotSpotsKeyWalksRightOnAThreadHotSpotDidNotStart() throws Exception {
        assumeTrue(Carrier.diagnostics().fastPath(), "needs the fast path's verified slot and offsets");
        Offsets offsets = Active.OUTCOME.offsets();
        long windowStart = Platform.current().aarch64() ? -4096 : 0;
        List<Long> walksRight = new ArrayList<>();
        Thread fresh = new Thread(() -> {
            for (long slot = windowStart; slot < windowStart + 4096; slot += 8) {
                long[] seen = Native.verifyHere(Thread.currentThread(), slot, offsets.osThread(), offsets.threadId());
                if (seen[Native.VERIFY_CODE] == Native.VERIFY_OK) {
                    walksRight.add(slot);
                }
            }
        });
        fresh.start();
        fresh.join();
        assertTrue(walksRight.contains(Active.SLOT), () -> "the verified slot walks right: " + walksRight);
        // glibc's descriptor holds pthread_create's argument, HotSpot's JavaThread*, besides the key's value.
        assertTrue(walksRight.size() >= 2, () -> "a second word equals the JavaThread*: " + walksRight);
        for (long slot : walksRight) {
            long[] seen = Native.verifyOnNativeThread(slot, offsets.osThread(), offsets.threadId());
            String explained = Platform.current().describeSlot(slot) + ": " + Verification.explain(seen);
            if (slot == Active.SLOT) {
                assertEquals(Native.VERIFY_OK, seen[Native.VERIFY_CODE], explained);
            } else {
                assertEquals(Native.VERIFY_TLS_MISMATCH, seen[Native.VERIFY_CODE], explained);
            }
        }
    }

    @Test
    void theDecisionWasVerifiedOnAThreadHotSpotDidNotStart() {
        assumeTrue(Carrier.diagnostics().fastPath(), "needs the fast path");
        String verification = Carrier.diagnostics().verification();
        assertTrue(verification.contains("a JNI-attached thread"), verification);
    }

    /**
     * Issue 19: the fast routine on a slot that holds no JavaThread (a thread with none, should one
     * ever call) returns -1 instead of faulting. The slot of glibc's key 1 (carrierid's own probe
     * key, deleted again: NULL on a fresh thread) stands in for it, where the layout puts HotSpot's
     * key at 0 and keys 16 bytes apart.
     */
    @Test
    void theFastRoutineReturnsMinusOneOnASlotHoldingNull() throws Exception {
        Diagnostics d = Carrier.diagnostics();
        assumeTrue(d.fastPath() && d.tlsSlot().contains("HotSpot's pthread key 0, glibc's key layout learned"),
                "needs HotSpot's key 0 in a learned layout");
        Offsets offsets = Active.OUTCOME.offsets();
        long[] seen = {0, 0};
        Thread fresh = new Thread(() -> {
            long slot = Active.SLOT + 16;
            // Only where the slot does hold NULL on this thread (read fault-safely first): were key 1 anybody's, skip.
            long[] check = Native.verifyHere(Thread.currentThread(), slot, offsets.osThread(), offsets.threadId());
            if (check[Native.VERIFY_CODE] == Native.VERIFY_TLS_MISMATCH && check[Native.VERIFY_TLS_VALUE] == 0) {
                seen[0] = 1;
                seen[1] = Native.osThreadId0(slot, offsets.osThread(), offsets.threadId());
            }
        });
        fresh.start();
        fresh.join();
        assumeTrue(seen[0] == 1, "key 1's slot is not NULL on a fresh thread here");
        assertEquals(-1, seen[1]);
    }
}
