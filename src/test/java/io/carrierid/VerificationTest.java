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
}
