package io.carrierid;

import java.util.List;

/** Just enough JSON writing for the reports: objects of strings, numbers, booleans and lists. */
final class Json {
    private Json() {}

    static final class Object {
        private final StringBuilder out = new StringBuilder("{");

        private Object key(String key) {
            if (out.length() > 1) {
                out.append(',');
            }
            quote(out, key);
            out.append(':');
            return this;
        }

        Object add(String key, String value) {
            quote(key(key).out, value);
            return this;
        }

        Object add(String key, long value) {
            key(key).out.append(value);
            return this;
        }

        Object add(String key, boolean value) {
            key(key).out.append(value);
            return this;
        }

        Object addStrings(String key, List<String> values) {
            key(key).out.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quote(out, values.get(i));
            }
            out.append(']');
            return this;
        }

        /** {@code json} is already JSON. */
        Object addRaw(String key, String json) {
            key(key).out.append(json);
            return this;
        }

        /** {@code values} are already JSON. */
        Object addRaw(String key, List<String> values) {
            key(key).out.append('[').append(String.join(",", values)).append(']');
            return this;
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }

    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
