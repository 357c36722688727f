/*
 * Test-only, LD_PRELOADed into a JVM: takes pthread keys before the JVM starts,
 * as an embedding program might. CARRIERID_TAKE_KEYS says how many (default 30:
 * HotSpot's key is then 30 and carrierid's own probe keys are 31 and 32, 32
 * living outside glibc's thread descriptor). From 32 on, HotSpot's own key is
 * outside the descriptor too: carrierid must then fall back, never crash.
 */
#include <pthread.h>
#include <stdlib.h>

__attribute__((constructor)) static void take_keys(void) {
    const char *wanted = getenv("CARRIERID_TAKE_KEYS");
    int count = wanted != NULL ? atoi(wanted) : 30;
    pthread_key_t key;
    for (int i = 0; i < count; i++) {
        if (pthread_key_create(&key, NULL) != 0) {
            return;
        }
    }
}
