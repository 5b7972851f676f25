package dcgan.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON (RFC 8259), as small as the safetensors header needs: {@link #parse} gives LinkedHashMap / List /
 * String / {@link NumberText} / Boolean / null, with nesting bounded (no stack overflow on hostile input) and
 * duplicate keys as errors; {@link #quote} writes a string literal.
 */
public final class Json {
    private Json() {}

    /** A syntax error, "malformed at char N: what". */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses one JSON document nested at most maxDepth deep. */
    static Object parse(String json, int maxDepth) throws SyntaxException {
        return new Parser(json, maxDepth).document();
    }

    /** JSON string literal of s. */
    public static String quote(String s) {
        return quote(s, Integer.MAX_VALUE);
    }

    /** JSON string literal of s (at most max chars of it, then "..."): also keeps messages on one line. */
    static String quote(String s, int max) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        if (n < s.length()) sb.append("...");
        return sb.append('"').toString();
    }

    /** A JSON number, kept as its text. */
    record NumberText(String text) {}

    /**
     * Strict JSON (RFC 8259) to LinkedHashMap / List / String / NumberText / Boolean / null. Nesting is
     * bounded (no stack overflow on hostile input) and duplicate keys are errors.
     */
    private static final class Parser {
        private final String s;
        private int pos;
        private final int maxDepth;
        private int depth;

        Parser(String s, int maxDepth) {
            this.s = s;
            this.maxDepth = maxDepth;
        }

        Object document() throws SyntaxException {
            skipWs();
            Object v = value();
            skipWs();
            if (pos != s.length()) throw error("unexpected text after the JSON value");
            return v;
        }

        private SyntaxException error(String what) {
            return new SyntaxException("malformed at char " + pos + ": " + what);
        }

        private void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        private Object value() throws SyntaxException {
            if (pos >= s.length()) throw error("unexpected end");
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected character " + quote(String.valueOf(c), 80));
            }
        }

        private Object literal(String word, Object v) throws SyntaxException {
            if (!s.startsWith(word, pos)) throw error("invalid literal");
            pos += word.length();
            return v;
        }

        private void enter() throws SyntaxException {
            if (++depth > maxDepth) throw error("nesting deeper than " + maxDepth);
        }

        private Map<String, Object> object() throws SyntaxException {
            enter();
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                depth--;
                return m;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key");
                String key = string();
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') throw error("expected ':'");
                pos++;
                skipWs();
                Object v = value();
                if (m.containsKey(key)) throw error("duplicate key " + quote(key, 80));
                m.put(key, v);
                skipWs();
                if (pos >= s.length()) throw error("unexpected end in object");
                char c = s.charAt(pos++);
                if (c == '}') break;
                if (c != ',') throw error("expected ',' or '}'");
            }
            depth--;
            return m;
        }

        private List<Object> array() throws SyntaxException {
            enter();
            pos++; // [
            List<Object> a = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                depth--;
                return a;
            }
            while (true) {
                skipWs();
                a.add(value());
                skipWs();
                if (pos >= s.length()) throw error("unexpected end in array");
                char c = s.charAt(pos++);
                if (c == ']') break;
                if (c != ',') throw error("expected ',' or ']'");
            }
            depth--;
            return a;
        }

        private String string() throws SyntaxException {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("control character in string");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) throw error("bad hex digit in \\u escape");
                            cp = cp * 16 + d;
                        }
                        sb.append((char) cp);
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private NumberText number() throws SyntaxException {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("bad number");
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
            } else if (c >= '1' && c <= '9') {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            } else {
                throw error("bad number");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("bad number");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("bad number");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            return new NumberText(s.substring(start, pos));
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
