/**
 * carrierid: which OS thread (kernel tid) and which HotSpot {@code JavaThread}
 * run the caller, fast and verified; per-carrier storage for virtual threads.
 *
 * <p>The module needs native access on JDK 22+:
 * {@code --enable-native-access=io.carrierid} when it is on the module path
 * (on the class path, {@code --enable-native-access=ALL-UNNAMED}).
 */
module io.carrierid {
    exports io.carrierid;
    // Only for CPU time without libcarrierid (PortableCpuClock): where absent, that answer is -1.
    requires static java.management;
}
