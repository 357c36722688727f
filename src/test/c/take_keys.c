/*
 * Test-only, LD_PRELOADed into a JVM: takes 30 pthread keys before the JVM
 * starts, as an embedding program might, so that HotSpot's key is 30 and
 * carrierid's own probe keys are 31 and 32 (32 lives outside glibc's thread
 * descriptor). carrierid must still find the slot, and say how.
 */
#include <pthread.h>

__attribute__((constructor)) static void take_keys(void) {
    pthread_key_t key;
    for (int i = 0; i < 30; i++) {
        if (pthread_key_create(&key, NULL) != 0) {
            return;
        }
    }
}
