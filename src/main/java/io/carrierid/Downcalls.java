package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * FFM downcall handles (JDK 22+), built reflectively so that carrierid still
 * compiles for and runs on 17. A handle held in a static final field is
 * inlined by the JIT like any other, so the reflection costs only at setup.
 */
final class Downcalls {
    private Downcalls() {}

    /** True where java.lang.foreign is final API (22+; a preview before). */
    static boolean available() {
        return Runtime.version().feature() >= 22;
    }

    /**
     * A handle to C function {@code name} of type {@code result(arguments)}, each of
     * {@code long.class}, {@code int.class} (or {@code void.class} for the result).
     *
     * @param inOurLibrary find it in the libraries this class loader loaded (libcarrierid),
     *                     else in the C library
     * @param critical     call it with {@code Linker.Option.critical(false)}: no thread state
     *                     transition, for short functions that neither block nor call back
     */
    static MethodHandle find(String name, boolean inOurLibrary, boolean critical, Class<?> result,
                             Class<?>... arguments) throws ReflectiveOperationException {
        if (!available()) {
            throw new UnsupportedOperationException("FFM needs JDK 22+");
        }
        Heap.requireHeadroom("initialise the FFM API's classes");
        try {
            return link(name, inOurLibrary, critical, result, arguments);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof VirtualMachineError) {
                throw (VirtualMachineError) e.getCause(); // no memory inside the FFM API: thrown as such, retried
            }
            throw e;
        }
    }

    private static MethodHandle link(String name, boolean inOurLibrary, boolean critical, Class<?> result,
                                     Class<?>... arguments) throws ReflectiveOperationException {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");

        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        // loaderLookup() is caller-sensitive: called reflectively from here, it sees carrierid's loader.
        Object lookup = inOurLibrary
                ? lookupClass.getMethod("loaderLookup").invoke(null)
                : linkerClass.getMethod("defaultLookup").invoke(linker);
        Optional<?> symbol = (Optional<?>) lookupClass.getMethod("find", String.class)
                .invoke(lookup, name);
        if (symbol.isEmpty()) {
            throw new NoSuchMethodException("no C symbol " + name);
        }
        Object[] layouts = (Object[]) Array.newInstance(layoutClass, arguments.length);
        for (int i = 0; i < arguments.length; i++) {
            layouts[i] = layout(arguments[i]);
        }
        Object descriptor = result == void.class
                ? descriptorClass.getMethod("ofVoid", layoutClass.arrayType()).invoke(null, (Object) layouts)
                : descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType())
                        .invoke(null, layout(result), layouts);
        Object options = Array.newInstance(optionClass, critical ? 1 : 0);
        if (critical) {
            Array.set(options, 0, optionClass.getMethod("critical", boolean.class).invoke(null, false));
        }
        return (MethodHandle) linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType())
                .invoke(linker, symbol.get(), descriptor, options);
    }

    private static Object layout(Class<?> type) throws ReflectiveOperationException {
        String name = type == long.class ? "JAVA_LONG" : type == int.class ? "JAVA_INT" : null;
        if (name == null) {
            throw new IllegalArgumentException("unsupported C type " + type);
        }
        return Class.forName("java.lang.foreign.ValueLayout").getField(name).get(null);
    }
}
