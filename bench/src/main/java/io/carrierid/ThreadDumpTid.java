package io.carrierid;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The Java analog of parsing a goroutine stack dump: ask HotSpot for a thread
 * dump (the DiagnosticCommand MBean's Thread.print, what jstack prints) and
 * find the calling thread's {@code nid=0x...}. On a virtual thread the dump
 * lists only platform threads, so there the answer is the carrier found by
 * name is not possible: -1.
 */
final class ThreadDumpTid {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName DIAGNOSTICS = name();

    private ThreadDumpTid() {}

    @SuppressWarnings("deprecation") // getId() is threadId() on 19+
    static long current() {
        try {
            String dump = (String) SERVER.invoke(DIAGNOSTICS, "threadPrint", new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
            Thread me = Thread.currentThread();
            Matcher m = Pattern.compile("^\"" + Pattern.quote(me.getName()) + "\" #" + me.getId()
                    + "\\b.*? nid=(?:0x)?([0-9a-f]+)", Pattern.MULTILINE).matcher(dump);
            if (!m.find()) {
                return -1;
            }
            String nid = m.group(1);
            return dump.contains("nid=0x") ? Long.parseLong(nid, 16) : Long.parseLong(nid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectName name() {
        try {
            return new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
